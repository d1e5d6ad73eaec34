"""The shared test cast (STYLE.md §1.5), after healthchecks:

- alice: Bawaslu officer of Kab. Kutai Timur (64.08), read-write
- bob: auditor of Kab. Kutai Timur, read-only
- charlie: Bawaslu officer of Kab. Bogor (32.01), another regency
- dora: Bawaslu RI, the whole country
- anon: the public (the plain `client` fixture)

The test database holds the 1,024 regions of tests/fixtures/regions/wilayah-sample.csv
(provinces 32, 61, 62, 64 and everything under Bogor, Ketapang, Kotawaringin Barat and
Kutai Timur), loaded once per database.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from netral.accounts.models import Role, User
from tests.factories import UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_REGIONS = FIXTURES / "regions" / "wilayah-sample.csv"
KUTAI_TIMUR = "64.08"
BOGOR = "32.01"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores the database's first content after its flush
    (serialized rollback), not only those marked so. A flush without it re-creates the
    content types (post_migrate), and the next serialized test, which inserts them again from
    its copy, then fails on their unique key: which test ran before which in an xdist worker
    decided it (test_pelimpahan, test_migration_ops). pytest-django reads the fixture's name
    when it sets the test's database up."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", None)
        if names is None:
            continue
        transactional = bool(marker and marker.kwargs.get("transaction")) or any(
            name in names for name in ("transactional_db", "live_server")
        )
        if transactional and "django_db_serialized_rollback" not in names:
            names.append("django_db_serialized_rollback")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from netral.registry.services.regions_load import regions_load

    with django_db_blocker.unblock():
        regions_load(path=SAMPLE_REGIONS, edition="sample")


@pytest.fixture(autouse=True)
def _audit_triggers_on_sqlite(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with a flush, which SQLite runs as DELETE: the append-only
    triggers would refuse it. Drop them just before the flush and recreate them for the
    next test (inside a normal test's transaction the recreation is rolled back with it)."""
    uses_db = request.node.get_closest_marker("django_db") or any(
        f in request.fixturenames for f in ("db", "transactional_db", "live_server")
    )
    if not uses_db:
        yield
        return
    from django.db import connection

    triggers = importlib.import_module(
        "netral.audit.migrations.0002_auditentry_append_only_triggers"
    )
    checkpoint_triggers = importlib.import_module(
        "netral.audit.migrations.0003_checkpoints_and_hash_version"
    )
    if connection.vendor != "sqlite":
        yield
        return
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock(), connection.cursor() as cur:
        for sql in triggers.SQLITE:
            cur.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
        for sql in checkpoint_triggers.SQLITE:
            cur.execute(sql)
    yield
    with blocker.unblock(), connection.cursor() as cur:
        for sql in triggers.SQLITE_REVERSE + checkpoint_triggers.SQLITE_REVERSE:
            cur.execute(sql)


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test runs jobs with `worker_run(batch=True)` (netral/jobs/worker.py), the worker loop
    of `netral worker`. Between tasks it calls close_old_connections(), as Django does
    between requests; inside a test's transaction that would close the test's connection,
    so it is a no-op in tests (as Django's test client disconnects it from request_started)."""
    from django_tasks_db.management.commands import db_worker

    from netral.jobs import worker

    def keep(**kwargs: Any) -> None:
        return None

    monkeypatch.setattr(db_worker, "close_old_connections", keep)
    monkeypatch.setattr(worker, "close_old_connections", keep)


@pytest.fixture
def alice(db: Any) -> User:
    return UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region=KUTAI_TIMUR)


@pytest.fixture
def bob(db: Any) -> User:
    return UserFactory(username="bob", role=Role.AUDITOR, region=KUTAI_TIMUR)


@pytest.fixture
def charlie(db: Any) -> User:
    return UserFactory(username="charlie", role=Role.BAWASLU_KABKOTA, region=BOGOR)


@pytest.fixture
def dora(db: Any) -> User:
    return UserFactory(username="dora", role=Role.BAWASLU_RI, region=None)


def client_for(user: User) -> Client:
    """A client signed in as `user` with the second factor given, as after a full sign-in
    (password + authenticator code; issue 14 §11). Enforcement itself is tested in
    tests/accounts/test_two_factor.py."""
    client = Client()
    client.force_login(user)  # no client address: axes counts it under none (accounts.signin)
    verify_second_factor(client, user)
    return client


TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret


def totp_device_for(user: User) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"key": TEST_TOTP_KEY, "confirmed": True}
    )
    return device


def totp_code(device: Any) -> str:
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def verify_second_factor(client: Client, user: User) -> None:
    from netral.accounts.twofactor import session_mark_verified

    session = client.session
    session_mark_verified(session, totp_device_for(user))
    session.save()


def browser_sign_in(page: Any, base_url: str, username: str, next_url: str = "") -> None:
    """Sign in through the real forms: password, then the authenticator code."""
    from tests.factories import TEST_PASSWORD

    user = User.objects.get(username=username)
    device = totp_device_for(user)
    page.goto(f"{base_url}/masuk/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    from netral.accounts.access import requires_two_factor

    if requires_two_factor(user):
        page.get_by_label("Kode verifikasi").fill(totp_code(device))
        page.get_by_role("button", name="Verifikasi").click()


@pytest.fixture
def alice_client(alice: User) -> Client:
    return client_for(alice)


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    """pytest-django's admin client, with the second factor given (issue 14 §11)."""
    return client_for(admin_user)


@pytest.fixture
def charlie_client(charlie: User) -> Client:
    return client_for(charlie)


@pytest.fixture
def dora_client(dora: User) -> Client:
    return client_for(dora)


# --- browser (Playwright driving Debian's chromium) ---------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but Debian's chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the live server's DB
    # access from test code is synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# --- S3-compatible object storage (moto's server on loopback, tests/s3.py) -------------


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 endpoint over HTTP on 127.0.0.1 (one server for the session)."""
    from tests import s3

    with s3.moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint: str, settings: Any) -> Iterator[str]:
    """A new, empty, private bucket, and the default storage on it (S3Storage, as
    NETRAL_STORAGE=s3 configures it). No connection may leave loopback meanwhile."""
    from tests import s3

    with s3.aws_environment(), s3.loopback_only() as refused:
        bucket = s3.new_bucket(s3_endpoint)
        settings.STORAGES = s3.storages_setting(s3_endpoint, bucket)
        yield bucket
    assert not refused, f"connections off loopback: {refused}"
