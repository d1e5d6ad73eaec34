"""Issue 14, points 1 and 2: the client behind a trusted proxy, and atomic shared counters."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from netral.cases import ratelimit
from netral.cases.models import Case
from netral.core.client import client_address
from tests.cases.conftest import file_report
from tests.cases.test_public_views import URL, form_data

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _via_proxy(client_ip: str) -> Client:
    """A browser at `client_ip` whose requests reach Netral through the reverse proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, "203.0.113.7", "203.0.113.7"),
        # a client that writes its own header: only the hop the proxy appended is believed
        (PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # two trusted hops (10.0.0.0/24), then the client
        (PROXY, "198.51.100.9, 10.0.0.6", "198.51.100.9"),
        # not from a trusted proxy: the header is ignored (spoofing)
        ("198.51.100.1", "203.0.113.7", "198.51.100.1"),
        (PROXY, "", PROXY),
        (PROXY, "not-an-address", PROXY),
    ],
)
@override_settings(NETRAL_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_the_client_address_is_read_from_the_trusted_proxys_header(
    remote: str, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@override_settings(NETRAL_TRUSTED_PROXIES=[PROXY], NETRAL_RATE_REPORT_HARD=(50, 3600))
def test_empty_posts_behind_the_proxy_block_nobody() -> None:
    attacker = _via_proxy("203.0.113.66")
    refused = [attacker.post(URL, {}).status_code for _ in range(60)]
    assert set(refused) == {400}  # invalid: refused, and not counted toward the hard cap
    citizen = _via_proxy("198.51.100.20")
    assert citizen.post(URL, form_data()).status_code == 302
    assert Case.objects.count() == 1


@override_settings(NETRAL_TRUSTED_PROXIES=[PROXY], NETRAL_RATE_PIN=(5, 900))
def test_wrong_pins_on_a_made_up_number_lock_out_only_that_client_and_number() -> None:
    filed = file_report()
    attacker = _via_proxy("203.0.113.66")
    status = reverse("cases:public_status")
    tried = [
        attacker.post(
            status, {"action": "login", "tracking_number": "ZZZZZZZZ", "pin": f"{i:08d}"}
        ).status_code
        for i in range(8)
    ]
    assert tried == [400] * 5 + [429] * 3
    # every other citizen behind the same proxy still reaches their report
    citizen = _via_proxy("198.51.100.20")
    response = citizen.post(
        status,
        {"action": "login", "tracking_number": filed.case.tracking_number, "pin": filed.pin},
    )
    assert response.status_code == 302


@override_settings(NETRAL_RATE_PIN=(5, 900))
def test_a_pin_attempt_is_counted_before_the_pin_is_compared(monkeypatch: Any) -> None:
    """Increment first, decide after: while the PIN is compared the attempt already counts, so
    concurrent attempts cannot all pass a check made before any of them was counted."""
    from netral.cases.views import public

    filed = file_report()
    seen: list[bool] = []
    real = public.pin_matches

    def spy(case: Case, pin: str) -> bool:
        seen.append(_count("127.0.0.1") >= 1)
        return real(case, pin)

    monkeypatch.setattr(public, "pin_matches", spy)
    Client().post(
        reverse("cases:public_status"),
        {"action": "login", "tracking_number": filed.case.tracking_number, "pin": "00000000"},
    )
    assert seen == [True]


def _count(key: str) -> int:
    _limit, window = ratelimit.limits("pin")
    return int(cache.get(ratelimit._bucket("pin", key, window), 0))


@override_settings(NETRAL_RATE_PIN=(5, 900))
def test_a_burst_of_concurrent_attempts_gets_exactly_the_limit() -> None:
    barrier = threading.Barrier(40)
    allowed: list[bool] = []

    def attempt() -> None:
        barrier.wait()
        allowed.append(ratelimit.hit("pin", "burst"))

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert allowed.count(True) == 5


@pytest.mark.skipif(
    os.environ.get("NETRAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/4") == "", reason="no redis"
)
def test_counters_are_shared_across_processes_through_redis() -> None:
    """Two processes (as two gunicorn workers) on CACHE_URL=redis share one PIN counter."""
    url = os.environ.get("NETRAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
    try:
        import redis

        redis.Redis.from_url(url).ping()
    except Exception:
        pytest.skip("no Redis on this machine")
    code = (
        "import django, os; django.setup();"
        "from django.conf import settings;"
        "settings.CACHES['default']['KEY_PREFIX'] = os.environ['P'];"
        "from netral.cases import ratelimit;"
        # one fixed window for both processes: a real window boundary between them (the
        # processes start seconds apart under load) would split the count and fail the test
        "import types; ratelimit.time = types.SimpleNamespace(time=lambda: 1.8e9);"
        "print(sum(ratelimit.hit('pin', 'shared') for _ in range(4)))"
    )
    prefix = f"i14a-test-{os.getpid()}-{time.time_ns()}"
    env = {
        **os.environ,
        "CACHE_URL": url,
        "P": prefix,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "NETRAL_RATE_PIN": "5/900",
    }
    env.pop("DATABASE_URL", None)
    outs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    assert [o.returncode for o in outs] == [0, 0], outs[0].stderr + outs[1].stderr
    assert int(outs[0].stdout) + int(outs[1].stdout) == 5  # 8 attempts, 5 let through


@pytest.mark.parametrize("cache_url", ["locmem://"])
def test_gunicorn_refuses_several_workers_on_a_per_process_cache(cache_url: str) -> None:
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "config.wsgi",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "2",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "per-process cache" in done.stderr + done.stdout
