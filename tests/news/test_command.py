"""`netral news_extract PATH_OR_URL... [--json]`: one JSON object per input with the keys of
issue 17 point 4."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.news.conftest import FixtureServer, article_html

KEYS = {
    "title", "published_date", "event_date", "region_codes", "event_kinds", "election", "counts",
    "people", "institutions", "quoted_points", "leads",
}  # fmt: skip

TEXT = """Pj Bupati Paser Ingatkan 403 ASN Jaga Netralitas
Penjabat Bupati Paser Fahmi Fadli membuka sosialisasi netralitas ASN yang digelar Badan Kesbangpol
Kabupaten Paser pada Sabtu (14/9) di Tanah Grogot. Sebanyak 403 ASN dari 57 desa hadir menjelang
Pilkada 2024, bersama Ketua Bawaslu Paser dan Kapolres Paser. Para peserta diminta tidak
mengunggah dukungan kepada pasangan calon di media sosial selama tahapan kampanye berlangsung.
"""


def test_a_text_file_and_an_html_file_give_one_json_object_each(tmp_path: Path) -> None:
    # given a plain-text article (first line the title) and a saved HTML page
    text_file = tmp_path / "artikel.txt"
    text_file.write_text(TEXT, encoding="utf-8")
    html_file = tmp_path / "artikel.html"
    html_file.write_text(article_html(), encoding="utf-8")
    out = StringIO()
    # when both are read with --json
    call_command(
        "news_extract",
        str(text_file),
        str(html_file),
        "--json",
        "--published",
        "2024-09-16",
        stdout=out,
    )
    # then there is one JSON object per input, with exactly the documented keys
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert set(first) == KEYS
    assert set(second) == KEYS
    assert first["title"] == "Pj Bupati Paser Ingatkan 403 ASN Jaga Netralitas"
    assert first["event_date"] == "2024-09-14"
    assert first["region_codes"][0].startswith("64.01")
    assert {"value": 403, "unit": "ASN"} in first["counts"]
    assert {"name": "Fahmi Fadli", "position": "Penjabat Bupati Paser"} in first["people"]
    assert first["election"] == {"regime": "PILKADA", "year": 2024}
    assert second["published_date"] == "2024-09-16"
    assert second["region_codes"][0] == "64.08.02"


@pytest.mark.django_db
def test_a_url_is_fetched_behind_the_guard(fixture_server: FixtureServer) -> None:
    url = fixture_server.add("/artikel", article_html())
    out = StringIO()
    call_command("news_extract", url, "--json", stdout=out)
    assert json.loads(out.getvalue())["event_date"] == "2024-09-14"


def test_a_missing_file_is_reported_and_fails(tmp_path: Path, settings: Any) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "news_extract", str(tmp_path / "tidak-ada.txt"), "--json", stdout=StringIO(), stderr=err
        )
    assert "tidak-ada.txt" in err.getvalue()
