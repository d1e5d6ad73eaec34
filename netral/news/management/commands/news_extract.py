from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netral.core.errors import ApplicationError
from netral.news.extract import Extraction, extract_html, extract_text
from netral.news.fetch import fetch


def extract_input(value: str, published: dt.date | None = None) -> Extraction:
    """A URL (fetched behind the SSRF guard), an HTML file, or a plain-text file whose first
    line is the title."""
    if value.startswith(("http://", "https://")):
        result = fetch(value)
        return extract_html(
            result.body.decode("utf-8", errors="replace"), url=result.url, published=published
        )
    path = Path(value)
    if not path.is_file():
        raise FileNotFoundError(f"Berkas tidak ditemukan: {value}")
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    head = text[:2048].lower()
    if "<html" in head or "<!doctype html" in head or "<body" in head:
        return extract_html(text, published=published)
    title, _sep, body = text.strip().partition("\n")
    return extract_text(body, title=title.strip(), published=published)


class Command(BaseCommand):
    help = (
        "Read Indonesian news articles (URL, HTML file or plain-text file whose first line is "
        "the title) and print what Netral extracts: dates, regions, kinds, counts, people."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--published",
            type=dt.date.fromisoformat,
            default=None,
            help="publication date (YYYY-MM-DD) when the input has none (plain text)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for value in options["inputs"]:
            try:
                result = extract_input(value, options["published"])
            except (ApplicationError, OSError) as exc:
                failed += 1
                message = exc.message if isinstance(exc, ApplicationError) else str(exc)
                self.stderr.write(f"{value}: {message}")
                if options["json"]:
                    self.stdout.write(
                        json.dumps({"input": value, "error": message}, ensure_ascii=False)
                    )
                continue
            data = result.as_json()
            if options["json"]:
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            else:
                self.stdout.write(f"== {value}")
                for key, item in data.items():
                    self.stdout.write(f"{key}: {json.dumps(item, ensure_ascii=False)}")
                if result.problems:
                    self.stdout.write(f"problems: {', '.join(result.problems)}")
        if failed:
            raise CommandError(f"{failed} masukan gagal dibaca")
