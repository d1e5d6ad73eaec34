"""The public report form's application CPU per report, in process (issue 18 point 2).

Each database (PostgreSQL, then SQLite) runs in a child process of its own (Django is set up
once per process): it migrates a fresh database, loads the sample regions and a Kutai Timur
officer (the unit the reports route to), warms every cache a served worker would have warmed,
freezes the start-up objects as `config/gunicorn.py` does, and then calls the WSGI
application itself (`config.wsgi.application`, the object gunicorn calls, with Django's
request signals, the whole middleware stack and the connection health check) with prepared
requests. Timed with `time.process_time()` around the calls only (building a request is not
timed), alternated per round (ABAB):

- `POST /lapor/`            a report as a browser sends the page: every field of the rendered
                            form (the extra empty rows of the formsets included), multipart,
                            one reported person, one witness, no file; valid, so it is filed
                            (case, parts, seal, audit entry, notices) and redirected (302);
- `POST /lapor/ url-encoded` the same body url-encoded, as the page's script sends a report
                            without attachments (netral/cases/static/cases/report.js);
- `POST /lapor/ + PoW`      url-encoded, with the proof of work required (NETRAL_CHALLENGE_ALWAYS)
                            and answered: the server verifies a real solution of a challenge it
                            issued with its production cost (solved in the set-up: the set-up
                            issues its challenges with the secret counter drawn as 0, so the
                            solving takes one PBKDF2 instead of a million iterations; the
                            verification the server runs is the same as for any counter);
- `GET /lapor/`             the empty page (form, formsets, region picker, template);
- `GET /healthz`            the ceiling: a trivial view (one `SELECT 1`) on the same path;
- floor                     the filing service alone (`case_file_public`) with the arguments
                            the view gave it for one url-encoded report: what a report costs
                            to write (case, parts, seal, audit, notices) with no HTTP,
                            middleware, form or template; what the form can get down to.

Also printed: the PostgreSQL backend's CPU per report (from /proc), the statements per report,
and, with `--profile`, a cProfile of the url-encoded report (top functions by own and
cumulative time).

    python -m bench public_form [--quick] [--rounds 3] [--pg-database NAME]
        [--reports N] [--cache locmem|redis] [--databases postgresql,sqlite] [--profile]

Rate limits are lifted (one process posting hundreds of reports is one client; the limits'
cache reads and increments still run on every report). `--cache redis` uses the shared cache a
multi-worker deployment must use (Redis at 127.0.0.1:6379/5, or CACHE_URL); the default is
`locmem`, the per-process cache, so the figure is the application's own CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.harness import Spread, alternate, loadavg, pg_admin_url, pg_url, ratios, report

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests/fixtures/regions/wilayah-sample.csv"
DEFAULT_DB = "netral_bench_public_form"
DESA = "64.08.04.2001"  # Desa Sangatta Utara, Kab. Kutai Timur (in the sample)
TARGET_MS = 4.5


def _options(rest: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench public_form")
    parser.add_argument("--reports", type=int, default=None, help="reports per round")
    parser.add_argument("--cache", choices=("locmem", "redis"), default="locmem")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--profile", action="store_true", help="cProfile the report")
    return parser.parse_args(rest)


def run(args: Any, rest: list[str]) -> None:
    opts = _options(rest)
    reports = opts.reports or (60 if args.quick else 200)
    with tempfile.TemporaryDirectory() as tmp:
        for database in opts.databases.split(","):
            if database == "postgresql":
                url = pg_url(args, DEFAULT_DB)
                _pg_recreate(pg_admin_url(args), url.rsplit("/", 1)[1])
            elif database == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'public_form.sqlite3'}"
            else:
                sys.exit(f"unknown database {database!r} (postgresql, sqlite)")
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "bench.settings_public_form",
                "NETRAL_VAR_DIR": str(Path(tmp) / database),
                "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnop",
                "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
                "BENCH_CACHE": opts.cache,
            }
            child = {
                "database": database,
                "reports": reports,
                "rounds": args.rounds,
                "profile": opts.profile,
            }
            print(f"\n# {database}, {reports} requests per subject and round, cache {opts.cache}")
            subprocess.run(  # noqa: S603
                [sys.executable, "-m", "bench.public_form", json.dumps(child)],
                cwd=ROOT,
                env=env,
                check=True,
            )


def _pg_recreate(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- the child: one database ---------------------------------------------------------


class _FormFields(HTMLParser):
    """The name/value pairs a browser submits for the page's report form, unfilled."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value", "on")))
            elif kind not in ("file", "submit", "button"):
                self.pairs.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.pairs.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            self.pairs.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and data.strip():
            self.pairs[-1] = (self._textarea, data.strip("\n"))


def report_fields(html: str, today: Any) -> dict[str, str]:
    """The fields a browser sends for a valid report: the rendered page's own form (every
    field, the formsets' empty rows included), parsed, then filled in by hand; without the
    CSRF token, the proof of work and the submission key, which each request sets."""
    import datetime as dt

    parser = _FormFields()
    parser.feed(html.split('<form method="post"', 1)[1].split("</form>", 1)[0])
    filled = {
        "pelapor-name": "Rina Wati",
        "pelapor-address": "Jl. Mawar 1, Sangatta",
        "pelapor-phone": "081234567890",
        "terlapor-0-name": "Budi Santoso",
        "terlapor-0-position": "Kepala Desa",
        "saksi-0-name": "Ani",
        "regime": "PILKADA",
        "title": "Kepala desa ikut kampanye",
        "incident_place": "Balai desa",
        "wilayah": DESA,
        "event_date": (today - dt.timedelta(days=2)).isoformat(),
        "known_date": (today - dt.timedelta(days=1)).isoformat(),
        "description": "Kepala desa berpidato mendukung pasangan calon di balai desa.",
        "statement": "on",
    }
    body: dict[str, str] = {}
    for name, value in parser.pairs:
        if name not in ("csrfmiddlewaretoken", "altcha", "submission_key"):
            body.setdefault(name, value)
    body.update(filled)
    return body


def _child(config: dict[str, Any]) -> None:
    import django

    django.setup()
    import gc
    from unittest import mock

    import altcha
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import RequestFactory
    from django.utils import timezone

    from config.wsgi import application
    from netral.accounts.models import Role
    from netral.cases import challenge
    from netral.cases.models import Case
    from netral.registry.services.regions_load import regions_load
    from tests.factories import UserFactory

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    regions_load(path=SAMPLE, edition="sample")
    UserFactory(username="bench.kutim", role=Role.BAWASLU_KABKOTA, region="64.08")
    print(f"set-up (migrate, regions, officer): {time.perf_counter() - started:.0f} s")

    factory = RequestFactory()
    status: dict[str, str] = {}

    def start_response(code: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        status["code"] = code
        return lambda _data: None

    def call(environ: dict[str, Any]) -> str:
        response = application(environ, start_response)
        for _chunk in response:
            pass
        response.close()  # type: ignore[attr-defined]  # request_finished, as gunicorn does
        return status["code"][:3]

    def get_environ(path: str) -> dict[str, Any]:
        return dict(factory.get(path).environ)

    # The fields a browser sends: the page's own form, parsed, then filled in by hand.
    page = application(get_environ("/lapor/"), start_response)
    html = b"".join(page).decode()
    page.close()  # type: ignore[attr-defined]
    body = report_fields(html, timezone.localdate())
    print(f"report body: {len(body) + 1} fields (as the rendered page sends them), multipart")

    # The browser's CSRF cookie and the form's token (Django accepts the unmasked secret).
    csrf = "abcdefghijklmnopqrstuvwxyz012345"

    def post_environ(extra: dict[str, str], *, urlencoded: bool = False) -> dict[str, Any]:
        data = {**body, "csrfmiddlewaretoken": csrf, "submission_key": str(uuid.uuid4()), **extra}
        cookie = f"{settings.CSRF_COOKIE_NAME}={csrf}"
        if urlencoded:
            return dict(
                factory.post(
                    "/lapor/",
                    urlencode(data),
                    content_type="application/x-www-form-urlencoded",
                    HTTP_COOKIE=cookie,
                ).environ
            )
        return dict(factory.post("/lapor/", data, HTTP_COOKIE=cookie).environ)

    def solved() -> str:
        with mock.patch.object(challenge.secrets, "randbelow", return_value=0):
            issued = altcha.Challenge.from_dict(json.loads(challenge.challenge_new()))
        solution = altcha.solve_challenge(issued)
        assert solution is not None
        return altcha.Payload(issued, solution).to_base64()

    reports = int(config["reports"])
    pg_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pg_pid = cur.fetchone()[0]

    def backend_cpu() -> float:
        if pg_pid is None:
            return 0.0
        try:
            fields = Path(f"/proc/{pg_pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # the connection was replaced: no figure for this batch
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    db_cpu: dict[str, list[float]] = {}
    statements: dict[str, int] = {}

    def timed(name: str, environs: list[dict[str, Any]], expect: str) -> float:
        db0 = backend_cpu()
        t0 = time.process_time()
        for environ in environs:
            code = call(environ)
            if code != expect:
                raise SystemExit(f"{name}: HTTP {code}, expected {expect}")
        cpu = (time.process_time() - t0) * 1000 / len(environs)
        db_cpu.setdefault(name, []).append((backend_cpu() - db0) * 1000 / len(environs))
        return cpu

    def count_statements(name: str, environ: dict[str, Any], expect: str) -> None:
        from django.db import connection as conn

        conn.force_debug_cursor = True
        reset_queries()
        call(environ)
        statements[name] = len(conn.queries)
        conn.force_debug_cursor = False

    def subject_report() -> float:
        return timed("report", [post_environ({}) for _ in range(reports)], "302")

    def subject_urlencoded() -> float:
        environs = [post_environ({}, urlencoded=True) for _ in range(reports)]
        return timed("report, url-encoded", environs, "302")

    def subject_challenge() -> float:
        # the proof of work needs JavaScript, which sends a report without files url-encoded
        environs = [post_environ({"altcha": solved()}, urlencoded=True) for _ in range(reports)]
        with mock.patch.object(settings, "NETRAL_CHALLENGE_ALWAYS", True):
            return timed("report + PoW", environs, "302")

    def subject_page() -> float:
        return timed("page", [get_environ("/lapor/") for _ in range(reports)], "200")

    def ceiling() -> float:
        return timed("healthz", [get_environ("/healthz") for _ in range(reports)], "200")

    # The floor: the filing service alone (`case_file_public`), called with the very arguments
    # the view passed it for one url-encoded report (recorded once), a fresh submission key
    # each time: the case, its parts, the seal, the audit entry and the notices, written as
    # the request writes them, without HTTP, middleware, form or template.
    from netral.cases.services import case_file_public
    from netral.cases.views import public as public_views

    recorded: dict[str, Any] = {}

    def recording(**kwargs: Any) -> Any:
        recorded.update(kwargs)
        return case_file_public(**kwargs)

    with mock.patch.object(public_views, "case_file_public", recording):
        call(post_environ({}, urlencoded=True))
    assert recorded, "the view did not file the report"

    def subject_floor() -> float:
        keys = [uuid.uuid4() for _ in range(reports)]
        db0 = backend_cpu()
        t0 = time.process_time()
        for key in keys:
            case_file_public(**{**recorded, "submission_key": key})
        cpu = (time.process_time() - t0) * 1000 / len(keys)
        db_cpu.setdefault("floor", []).append((backend_cpu() - db0) * 1000 / len(keys))
        return cpu

    # Warm what a served worker has warm (URL resolver, templates, routing and deadline caches,
    # the signing key, content types), then freeze start-up objects as config/gunicorn.py does.
    for _ in range(3):
        call(post_environ({}))
        call(get_environ("/lapor/"))
        call(get_environ("/healthz"))
    with mock.patch.object(settings, "NETRAL_CHALLENGE_ALWAYS", True):
        call(post_environ({"altcha": solved()}))
    count_statements("report", post_environ({}), "302")
    count_statements("healthz", get_environ("/healthz"), "200")
    gc.collect()
    gc.freeze()

    if config.get("profile"):
        # the body a browser with JavaScript sends for a report without files
        _profile(call, [post_environ({}, urlencoded=True) for _ in range(reports)])

    spreads = alternate(
        {
            "report": subject_report,
            "healthz": ceiling,
            "report, url-encoded": subject_urlencoded,
            "report + PoW": subject_challenge,
            "page": subject_page,
            "floor": subject_floor,
        },
        int(config["rounds"]),
    )
    vendor = connection.vendor
    print(
        f"{vendor}: app CPU ms per request, {len(spreads['report'].samples)} rounds ABAB "
        f"({loadavg()} at the end)"
    )
    report("POST /lapor/ multipart (report filed, 302)", spreads["report"], unit=" ms")
    report("POST /lapor/ url-encoded", spreads["report, url-encoded"], unit=" ms")
    report("POST /lapor/ url-encoded + proof of work", spreads["report + PoW"], unit=" ms")
    report("GET /lapor/ (the page)", spreads["page"], unit=" ms")
    report("GET /healthz (ceiling)", spreads["healthz"], unit=" ms")
    report("floor: the filing service alone", spreads["floor"], unit=" ms")
    report(
        "url-encoded report / its filing (pair by pair)",
        ratios(spreads["report, url-encoded"], spreads["floor"]),
    )
    report(
        "multipart report / healthz (pair by pair)",
        ratios(spreads["report"], spreads["healthz"]),
    )
    report(
        "url-encoded report / healthz",
        ratios(spreads["report, url-encoded"], spreads["healthz"]),
    )
    if pg_pid is not None:
        report("PostgreSQL backend CPU per report", Spread(tuple(db_cpu["report"])), unit=" ms")
    print(f"  statements per report: {statements['report']} (healthz: {statements['healthz']})")
    for name in ("report", "report, url-encoded"):
        verdict = "met" if spreads[name].median <= TARGET_MS else "NOT met"
        print(f"  target {name} <= {TARGET_MS} ms at the median: {verdict}")
    stored = Case.objects.filter(tracking_number__isnull=False).count()
    print(f"  reports stored by the run: {stored:,}")


def _profile(call: Any, environs: list[dict[str, Any]]) -> None:
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for environ in environs:
        call(environ)
    profiler.disable()
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(key).print_stats(70)
        print(f"\n## cProfile of {len(environs)} url-encoded reports, by {key}\n{out.getvalue()}")


if __name__ == "__main__":
    _child(json.loads(sys.argv[1]))
