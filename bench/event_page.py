"""The event page at scale (issue 13 §7): an event with N signatures (default 1,000).

Times GET /deklarasi/kegiatan/<pk>/ (the event page, paginated: 50 signatures a page) and
GET .../peserta/ (the participants' checklist, 100 a page) through the real views (Django
test client, signed in as the regency's Bawaslu officer), against ceilings measured in the
same run: the same page of an event without signatures (what the page costs whatever the
number of signatures), and /healthz (one SELECT 1). Target: < 300 ms.

    .venv/bin/python -m bench event_page                 # 1,000 signatures, SQLite
    .venv/bin/python -m bench event_page --quick         # 200 signatures
    NETRAL_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \
        .venv/bin/python -m bench event_page

Runs in a throwaway SQLite database (or the PostgreSQL database given, which is emptied
by the migration-free flush below) and key directory, in a child process, never in var/.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import sign_in

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REGIONS = ROOT / "tests" / "fixtures" / "regions" / "wilayah-sample.csv"
TARGET_MS = 300.0


def _child(n: int) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from netral.accounts.models import Role
    from netral.declarations import services
    from netral.declarations.models import Event
    from netral.registry.models import Official, Region
    from netral.registry.services.regions_load import regions_load
    from netral.registry.text import fold
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    regions_load(path=SAMPLE_REGIONS, edition="sample")
    user = UserFactory(username="bench", role=Role.BAWASLU_KABKOTA, region="64.08")
    desas = list(
        Region.objects.filter(code__startswith="64.08.", level="DESA").values_list(
            "code", flat=True
        )
    )
    Official.objects.bulk_create(
        [
            Official(
                subject_type="PERANGKAT_DESA",
                name=f"Perangkat {i:05d}",
                name_folded=fold(f"Perangkat {i:05d}"),
                region_id=desas[i % len(desas)],
            )
            for i in range(n)
        ]
    )
    text = services.pledge_template_create(
        actor=user,
        kind="PAKTA_INTEGRITAS",
        title="Pakta integritas (bench)",
        points=["Netral.", "Menolak politik uang."],
        region=Region.objects.get(code="64.08"),
    )
    event = services.event_create(
        actor=user,
        title="Sosialisasi (bench)",
        kinds=["SOSIALISASI", "DEKLARASI"],
        date=dt.date(2024, 9, 19),
        region=Region.objects.get(code="64.08"),
        organiser="Kesbangpol",
        pledges=[text],
    )
    services.event_participant_rule_set(
        event=event,
        actor=user,
        region=Region.objects.get(code="64.08"),
        subject_types=["PERANGKAT_DESA"],
    )
    started = time.perf_counter()
    services.signatures_record_batch(
        event=event,
        templates=[text],
        officials=[p.official for p in event.participants.select_related("official")],
        actor=user,
    )
    seal_s = time.perf_counter() - started
    assert Event.objects.get(pk=event.pk).signatures.count() == n
    # the ceiling: the same page (same forms, same user) of an event with no signature
    empty = services.event_create(
        actor=user,
        title="Sosialisasi tanpa tanda tangan (bench)",
        kinds=["SOSIALISASI", "DEKLARASI"],
        date=dt.date(2024, 9, 19),
        region=Region.objects.get(code="64.08"),
        organiser="Kesbangpol",
        pledges=[text],
    )
    client = Client()
    sign_in(client, user)
    reader = sign_in(Client(), UserFactory(username="auditor", role=Role.AUDITOR, region="64.08"))

    def timed(url: str, runs: int = 15, who: Any = client) -> tuple[float, float]:
        assert who.get(url).status_code == 200  # warm up (templates, caches)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = who.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        return statistics.median(times), max(times)

    if os.environ.get("NETRAL_BENCH_PROFILE"):
        import cProfile
        import pstats

        client.get(f"/deklarasi/kegiatan/{event.pk}/")
        profile = cProfile.Profile()
        profile.enable()
        client.get(os.environ["NETRAL_BENCH_PROFILE"].replace("PK", str(event.pk)))
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return
    vendor = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    print(f"database: {vendor}; signatures: {n}; recorded in one batch in {seal_s:.2f} s")
    rows = [
        ("event page", f"/deklarasi/kegiatan/{event.pk}/"),
        ("event page, last page", f"/deklarasi/kegiatan/{event.pk}/?page={(n + 49) // 50}"),
        ("checklist", f"/deklarasi/kegiatan/{event.pk}/peserta/"),
        ("ceiling: empty event", f"/deklarasi/kegiatan/{empty.pk}/"),
        ("ceiling: /healthz", "/healthz"),
    ]
    print(f"{'page':<24}{'median ms':>12}{'max ms':>10}")
    rows.insert(2, ("event page, read-only", f"/deklarasi/kegiatan/{event.pk}/"))
    for label, url in rows:
        median, worst = timed(url, who=reader if "read-only" in label else client)
        flag = "" if label.startswith("ceiling") else ("  ok" if median < TARGET_MS else "  SLOW")
        print(f"{label:<24}{median:>12.1f}{worst:>10.1f}{flag}")


def run(args: Any, rest: list[str]) -> None:
    n = 200 if args.quick else 1000
    with tempfile.TemporaryDirectory(prefix="netral-bench-event-") as tmp:
        Path(tmp, "staticfiles").mkdir()
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": os.environ.get("NETRAL_BENCH_DATABASE_URL")
                or f"sqlite:///{tmp}/bench.sqlite3",
                "NETRAL_VAR_DIR": tmp,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "false",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT),
                "ALLOWED_HOSTS": "testserver,localhost",
            }
        )
        code = f"from bench.event_page import _child; _child({n})"
        subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)  # noqa: S603


if __name__ == "__main__":
    sys.exit("run with: python -m bench event_page")
