# ruff: noqa: S603
"""Declarations (issue 4): certificate generation and the public verification page.

Three measurements, each against a ceiling measured in the same run:

1. An event's certificates (the demo's 139 kepala desa of Kutai Timur), as one merged PDF
   and as a ZIP of single PDFs, cold (template cache emptied first, so the one WeasyPrint
   render is included). Ceilings: naive WeasyPrint rendering of one document per
   certificate, and one WeasyPrint document holding every certificate as a page.
   Target: >= 50 certificates per second.
2. One certificate on demand through the real view (Django test client): cold and warm
   template cache. Target: < 300 ms.
3. The verification page /verifikasi/<code>/ under wrk on loopback against gunicorn, compared
   with /healthz (a trivial view doing one SELECT 1) on the same server in the same run.
   Target: >= 500 requests per second.

    .venv/bin/python -m bench declarations            # full
    .venv/bin/python -m bench declarations --quick    # smaller ceilings, shorter load

Runs in a throwaway SQLite database and key directory (child processes), never in var/.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import alternate, loadavg, ratios, report, serve, sign_in, wrk

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REGIONS = ROOT / "tests" / "fixtures" / "regions" / "wilayah-sample.csv"
PY = sys.executable


def _env(tmp: str) -> dict[str, str]:
    Path(tmp, "staticfiles").mkdir(exist_ok=True)  # whitenoise warns when it is missing
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "NETRAL_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


# --- child phases (run in a subprocess with the bench environment) --------------------


def _prepare() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from netral.declarations.models import Signature
    from netral.demo import demo_load
    from netral.registry.services.regions_load import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=SAMPLE_REGIONS, edition="sample")
    demo_load()
    sig = Signature.objects.order_by("id").first()
    assert sig is not None
    print(f"CODE={sig.code}")


def _naive_html(html: str, name: str, code: str) -> str:
    from netral.declarations.qr import qr_svg

    block = (
        f'<div style="position:absolute;left:22mm;top:213mm;font:bold 15pt sans-serif">'
        f'{name}</div><div style="position:absolute;left:22mm;top:266mm">{code}</div>'
        f'<div style="position:absolute;left:150mm;top:236mm;width:38mm">'
        f"{qr_svg('http://127.0.0.1/verifikasi/' + code + '/', scale=3)}</div>"
    )
    return html.replace("</div></body>", block + "</div></body>")


def _certificates(quick: bool) -> None:
    import django

    django.setup()
    import io

    from django.test import Client
    from pypdf import PdfReader
    from weasyprint import HTML

    from netral.accounts.models import User
    from netral.declarations import certificates
    from netral.declarations.models import Event, Signature

    event = Event.objects.get(title__startswith="Sosialisasi Pencegahan")
    signatures = list(Signature.objects.filter(event=event).order_by("id"))
    n = len(signatures)

    def url(code: str) -> str:
        return f"http://127.0.0.1:8000/verifikasi/{code}/"

    def cold() -> None:
        shutil.rmtree(certificates.template_cache_dir(), ignore_errors=True)

    # Netral: merged PDF, cold
    cold()
    start = time.perf_counter()
    merged = certificates.certificates_merged(signatures=signatures, verify_url=url)
    merged_s = time.perf_counter() - start
    assert len(PdfReader(io.BytesIO(merged)).pages) == n
    # Netral: ZIP of single PDFs, cold
    cold()
    start = time.perf_counter()
    zipped = certificates.certificates_zip(signatures=signatures, verify_url=url)
    zip_s = time.perf_counter() - start

    # Ceiling 1: naive, one WeasyPrint document per certificate (a sample)
    html = certificates._template_html(signatures[0])
    sample = 3 if quick else 8
    HTML(string=_naive_html(html, "warm-up", "x")).write_pdf()
    start = time.perf_counter()
    for sig in signatures[:sample]:
        HTML(string=_naive_html(html, sig.signer_name, str(sig.code))).write_pdf()
    naive_rate = sample / (time.perf_counter() - start)
    # Ceiling 2: one WeasyPrint document with one page per certificate (a sample)
    pages = 10 if quick else 40
    body = "".join(
        _naive_html(html, s.signer_name, str(s.code)).split("<body>")[1].split("</body>")[0]
        for s in signatures[:pages]
    )
    doc = (
        html.split("<body>")[0]
        + "<body>"
        + body.replace(
            '<div class="sheet">', '<div class="sheet" style="page-break-after: always">'
        )
        + "</body></html>"
    )
    start = time.perf_counter()
    HTML(string=doc).write_pdf()
    onedoc_rate = pages / (time.perf_counter() - start)

    # Single certificate on demand through the real view
    user = User.objects.get(username="bawaslu.kutim")
    client = Client(HTTP_HOST="127.0.0.1")  # ALLOWED_HOSTS of the real settings
    sign_in(client, user)
    path = f"/deklarasi/tanda-tangan/{signatures[-1].pk}/sertifikat.pdf"
    cold_times = []
    for _ in range(3):
        cold()
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        cold_times.append(time.perf_counter() - start)
    warm_times = []
    for _ in range(20):
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        warm_times.append(time.perf_counter() - start)

    print(f"event certificates: {n} signatures")
    print(
        f"netral merged PDF (cold):        {n / merged_s:7.1f} cert/s  ({merged_s:.2f} s, "
        f"{len(merged) / 1024:.0f} KiB)"
    )
    print(
        f"netral ZIP of PDFs (cold):       {n / zip_s:7.1f} cert/s  ({zip_s:.2f} s, "
        f"{len(zipped) / 1024:.0f} KiB)"
    )
    print(f"ceiling naive 1 doc per cert:    {naive_rate:7.1f} cert/s  (WeasyPrint, {sample})")
    print(f"ceiling 1 WeasyPrint doc:        {onedoc_rate:7.1f} page/s  (WeasyPrint, {pages})")
    print(f"speed-up merged vs naive:        {n / merged_s / naive_rate:7.1f}x")
    print(
        f"single certificate, cold cache:  {statistics.median(cold_times) * 1000:7.0f} ms "
        f"(median of 3)"
    )
    print(
        f"single certificate, warm cache:  {statistics.median(warm_times) * 1000:7.0f} ms "
        f"(median of 20; p max {max(warm_times) * 1000:.0f} ms)"
    )


# --- the load test -------------------------------------------------------------------


def _load(env: dict[str, str], code: str, quick: bool, rounds: int) -> None:
    if shutil.which("wrk") is None:
        print("verification load test skipped: wrk is not installed (apt-get install wrk)")
        return
    workers = os.cpu_count() or 2
    seconds = 3 if quick else 10
    path = f"/verifikasi/{code}/"
    # The server is waited for and warmed on both pages until their latency is stable (every
    # worker booted and connected), then the page and /healthz alternate, round by round.
    with serve(env, workers=workers, threads=4, warm_paths=("/healthz", path)) as server:
        notes: dict[str, list[str]] = {"verify": [], "trivial": []}

        def measure(name: str, url: str) -> float:
            result = wrk(url, seconds)
            notes[name].append(f"p99 {result['p99']:.1f} ms, non-2xx {result['errors']}")
            return float(result["rps"])

        spreads = alternate(
            {
                "verify": lambda: measure("verify", server.base + path),
                "trivial": lambda: measure("trivial", server.base + "/healthz"),
            },
            rounds,
        )
    print(
        f"verification page (gunicorn gthread -w {workers} x4, wrk -c16 {seconds}s, "
        f"{rounds} alternating rounds; {loadavg()}):"
    )
    report("verification page req/s", spreads["verify"], "{:.0f}")
    report("ceiling /healthz, same server, req/s", spreads["trivial"], "{:.0f}")
    report("verification / trivial", ratios(spreads["verify"], spreads["trivial"]), "{:.2f}")
    print(f"  verification runs: {'; '.join(notes['verify'])}")


def run(args: Any, rest: list[str]) -> None:
    quick = bool(getattr(args, "quick", False))
    with tempfile.TemporaryDirectory(prefix="netral-bench-decl-") as tmp:
        env = _env(tmp)
        prepared = subprocess.run(
            [PY, "-m", "bench.declarations", "prepare"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if prepared.returncode != 0:
            sys.exit(prepared.stderr[-3000:])
        code = re.search(r"CODE=(\S+)", prepared.stdout).group(1)  # type: ignore[union-attr]
        subprocess.run(
            [PY, "-m", "bench.declarations", "certs"] + (["--quick"] if quick else []),
            env=env,
            cwd=ROOT,
            check=True,
        )
        _load(env, code, quick, getattr(args, "rounds", 3))


if __name__ == "__main__":
    phase = sys.argv[1]
    if phase == "prepare":
        _prepare()
    elif phase == "certs":
        _certificates("--quick" in sys.argv)
