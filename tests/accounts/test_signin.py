"""Sign-in throttling, lockout, idle timeout and sign-out everywhere (issue 14 §10, §13)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from netral.accounts.models import Role, User
from netral.audit.models import AuditEntry
from tests.conftest import verify_second_factor
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, ip: str = "203.0.113.7") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _actions(user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(chain_key=f"accounts.user:{user.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_hundred_wrong_passwords_are_not_followed_by_a_successful_login() -> None:
    """The attack of the issue: 100 wrong passwords at 4 per second, then the right one."""
    officer = UserFactory(username="target", role=Role.BAWASLU_KABKOTA, region="64.08")
    client = Client()
    start = dt.datetime.now(dt.UTC)
    for i in range(100):
        with time_machine.travel(start + dt.timedelta(seconds=i / 4), tick=False):
            _login(client, "target", f"guess-{i}")
    with time_machine.travel(start + dt.timedelta(seconds=26), tick=False):
        response = _login(client, "target", TEST_PASSWORD)
    assert not _signed_in(client)
    assert response.status_code in (200, 429)
    assert "Terlalu banyak percobaan gagal" in response.content.decode()
    actions = _actions(officer)
    assert actions.count("login.failed") + actions.count("login.throttled") == 101
    assert "login.succeeded" not in actions


def test_failures_bring_a_delay_then_a_lockout_an_administrator_lifts(settings: Any) -> None:
    settings.NETRAL_LOGIN_DELAY_AFTER = 3
    settings.NETRAL_LOGIN_LOCKOUT_AFTER = settings.AXES_FAILURE_LIMIT = 6
    officer = UserFactory(username="rina", role=Role.BAWASLU_KABKOTA, region="64.08")
    client = Client()
    start = dt.datetime.now(dt.UTC)
    t = start
    for _ in range(3):  # no delay yet
        with time_machine.travel(t, tick=False):
            response = _login(client, "rina", "wrong")
        assert response.status_code == 200
        assert "Terlalu banyak" not in response.content.decode()
    # the fourth try right away is refused without checking the password, even the right one
    with time_machine.travel(t, tick=False):
        response = _login(client, "rina", TEST_PASSWORD)
    assert "Terlalu banyak percobaan gagal" in response.content.decode()
    assert not _signed_in(client)
    # after the delay, more failures until the lockout
    for _i in range(3):
        t += dt.timedelta(seconds=61)
        with time_machine.travel(t, tick=False):
            response = _login(client, "rina", "wrong")
    assert response.status_code == 429
    t += dt.timedelta(hours=2)
    with time_machine.travel(t, tick=False):
        response = _login(client, "rina", TEST_PASSWORD)
    assert response.status_code == 429, "locked until an administrator lifts it"
    assert not _signed_in(client)
    call_command("login_unlock", "rina", "--ip", "203.0.113.7")
    with time_machine.travel(t + dt.timedelta(seconds=1), tick=False):
        response = _login(client, "rina", TEST_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)
    actions = _actions(officer)
    for action in ("login.failed", "login.throttled", "login.locked_out", "login.unlocked"):
        assert action in actions, action
    assert actions[-1] == "login.succeeded"


def test_the_lockout_is_per_client_too() -> None:
    """Spraying many account names from one client locks that client."""
    UserFactory(username="sari", role=Role.BAWASLU_KABKOTA, region="64.08")
    client = Client()
    start = dt.datetime.now(dt.UTC)
    for i in range(12):
        with time_machine.travel(start + dt.timedelta(minutes=2 * i), tick=False):
            _login(client, f"nobody{i}", "wrong", ip="198.51.100.9")
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        response = _login(client, "sari", TEST_PASSWORD, ip="198.51.100.9")
        assert not _signed_in(client)
        assert response.status_code == 429
        # another client is not affected
        other = Client()
        assert _login(other, "sari", TEST_PASSWORD, ip="198.51.100.10").status_code == 302
    unknown = AuditEntry.objects.filter(chain_key="accounts.user:0", action="login.failed")
    assert unknown.count() >= 10
    assert unknown.first().after["username"] == "nobody0"


def test_the_admin_signs_in_through_the_throttled_form() -> None:
    root = User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    client = Client()
    start = dt.datetime.now(dt.UTC)
    for i in range(10):
        with time_machine.travel(start + dt.timedelta(minutes=2 * i), tick=False):
            client.post("/admin/login/", {"username": "root", "password": "x"})
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        client.post("/admin/login/", {"username": "root", "password": TEST_PASSWORD})
    assert not _signed_in(client)
    assert "login.locked_out" in _actions(root)


def test_every_login_and_logout_is_audited() -> None:
    officer = UserFactory(username="budi", role=Role.BAWASLU_KABKOTA, region="64.08")
    client = Client()
    assert _login(client, "budi", TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    entry = AuditEntry.objects.get(
        chain_key=f"accounts.user:{officer.pk}", action="login.succeeded"
    )
    assert entry.after["client"] == "203.0.113.7"
    assert entry.region_code == "64.08"
    assert "logout" in _actions(officer)


# --- §13 idle timeout and sign out everywhere ------------------------------------------


def test_an_idle_officer_is_signed_out_after_the_timeout(settings: Any) -> None:
    settings.NETRAL_IDLE_TIMEOUT_MINUTES = 30
    eka = UserFactory(username="eka", role=Role.BAWASLU_KABKOTA, region="64.08")
    client = Client()
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        assert _login(client, "eka", TEST_PASSWORD).status_code == 302
        verify_second_factor(client, eka)
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("accounts:account")).status_code == 200
    # active: the clock restarts at each request
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get(reverse("accounts:account")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not _signed_in(client)


def test_sign_out_everywhere_ends_every_session() -> None:
    officer = UserFactory(username="fajar", role=Role.BAWASLU_KABKOTA, region="64.08")
    laptop, phone = Client(), Client()
    _login(laptop, "fajar", TEST_PASSWORD)
    _login(phone, "fajar", TEST_PASSWORD, ip="203.0.113.8")
    verify_second_factor(laptop, officer)
    verify_second_factor(phone, officer)
    assert phone.get(reverse("accounts:account")).status_code == 200
    laptop.post(reverse("accounts:sign_out_everywhere"))
    assert phone.get(reverse("accounts:account")).status_code == 302
    assert laptop.get(reverse("accounts:account")).status_code == 302
    assert "sessions.ended_everywhere" in _actions(officer)
    # signing in again works
    assert _login(phone, "fajar", TEST_PASSWORD, ip="203.0.113.8").status_code == 302
