"""Issue 13 point 10: English is complete (actors, badges, map captions) and numbers follow
the reader's language. The interface-wide check is the English crawl of
tests/foundation/test_demo_crawl.py."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from netral.dashboards.maps import ATTRIBUTION
from netral.dashboards.tables import format_cell


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_numbers_and_rates_follow_the_language() -> None:
    with translation.override("id"):
        assert format_cell(12345) == "12.345"
        assert format_cell(1234.56) == "1.234,6"
    with translation.override("en"):
        assert format_cell(12345) == "12,345"
        assert format_cell(1234.56) == "1,234.6"
    assert format_cell(None) == "\N{EN DASH}"


def test_system_and_reporter_actors_are_translated() -> None:
    source = "{% load labels %}{{ a|actor }}|{{ b|actor }}|{{ c|actor }}"
    with translation.override("en"):
        assert _render(source, a="SISTEM", b="Pelapor", c="Andi Mappasessu") == (
            "Netral (system)|Reporter|Andi Mappasessu"
        )
    with translation.override("id"):
        assert _render(source, a="SISTEM", b="Reporter", c="x") == "Sistem Netral|Pelapor|x"


def test_badges_and_codes_show_labels_in_english() -> None:
    with translation.override("en"):
        html = _render(
            "{% load labels declarations_tags %}{{ k|event_kind }}"
            "|{{ s|labels:'registry.SubjectType' }}|{{ r|label:'elections.Regime' }}",
            k="SOSIALISASI",
            s=["KEPALA_DESA", "ANGGOTA_BPD"],
            r="PILKADA",
        )
    assert "SOSIALISASI" not in html
    assert "KEPALA_DESA" not in html
    assert "Socialisation|Village head" in html


def test_the_map_caption_is_translated() -> None:
    with translation.override("en"):
        assert str(ATTRIBUTION).startswith("Region boundaries")
