"""Two-factor authentication (issue 14 §11): required for roles that handle cases, see
identities or administer, on officer pages, the admin and the API; enrolment, use and reset
are audited. Other tests sign in through tests.conftest.client_for, which gives the second
factor the way a full sign-in does; these tests prove the rule itself."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from netral.accounts.models import Role, User
from netral.accounts.twofactor import two_factor_reset
from netral.audit.models import AuditEntry
from tests.conftest import totp_code, totp_device_for
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _password_only(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _actions(user: User) -> list[str]:
    return list(
        AuditEntry.objects.filter(chain_key=f"accounts.user:{user.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.BAWASLU_KABKOTA, True),  # handles cases
        (Role.PANWASLU_KECAMATAN, True),
        (Role.BKPSDM, True),  # manages officials: reveals NIK
        (Role.ADMIN, True),
        (Role.AUDITOR, False),  # read-only
    ],
)
def test_a_password_alone_does_not_open_officer_pages(role: str, required: bool) -> None:
    UserFactory(username="petugas", role=role, region="64.08")
    client = _password_only("petugas")
    response = client.get(reverse("core:dashboard"))
    if required:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:enrol"))
        assert client.get("/api/v1/officials/").status_code == 401
    else:
        assert response.status_code == 200


def test_the_admin_needs_the_second_factor() -> None:
    User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    client = _password_only("root")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/akun/2fa/" in response["Location"]


def test_enrolment_with_an_authenticator_then_sign_in_with_a_code() -> None:
    officer = UserFactory(username="rina", role=Role.BAWASLU_KABKOTA, region="64.08")
    client = _password_only("rina")
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert "<svg" in page
    key = re.search(r'data-testid="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    import base64

    bin_key = base64.b32decode(key + "=" * (-len(key) % 8))
    wrong = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    # after the throttling delay of the wrong try (django-otp, 1 s)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)):
        code = f"{TOTP(bin_key).token():06d}"
        done = client.post(reverse("accounts:enrol"), {"code": code})
    codes = re.findall(r"<code>(\d{10})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert client.get("/api/v1/officials/").status_code == 200
    # a new sign-in asks for the code; a recovery code works once
    again = _password_only("rina")
    assert again.get(reverse("core:dashboard"))["Location"].startswith(
        reverse("accounts:two_factor")
    )
    assert again.post(reverse("accounts:two_factor"), {"code": "123"}).status_code == 400
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10)  # past the throttling delay
    with time_machine.travel(later):
        assert again.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 302
        assert again.get(reverse("core:dashboard")).status_code == 200
        third = _password_only("rina")
        assert third.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 400
    actions = _actions(officer)
    for action in ("2fa.enrol_failed", "2fa.enrolled", "2fa.failed", "2fa.verified.recovery"):
        assert action in actions, action


def test_an_enrolled_account_cannot_replace_its_device_with_a_password_alone() -> None:
    officer = UserFactory(username="sari", role=Role.BAWASLU_KABKOTA, region="64.08")
    totp_device_for(officer)
    client = _password_only("sari")
    response = client.get(reverse("accounts:enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_wrong_codes_are_throttled_by_django_otp() -> None:
    officer = UserFactory(username="budi", role=Role.BAWASLU_KABKOTA, region="64.08")
    device = totp_device_for(officer)
    client = _password_only("budi")
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            client.post(reverse("accounts:two_factor"), {"code": "000000"})
        good = totp_code(device)
        # the right code right after a burst of wrong ones is refused (throttled)
        assert client.post(reverse("accounts:two_factor"), {"code": good}).status_code == 400


def test_a_reset_by_an_administrator_is_audited_and_forces_a_new_enrolment() -> None:
    officer = UserFactory(username="eka", role=Role.BAWASLU_KABKOTA, region="64.08")
    admin = User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    totp_device_for(officer)
    two_factor_reset(user=officer, actor=admin)
    client = _password_only("eka")
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("accounts:enrol"))
    entry = AuditEntry.objects.get(chain_key=f"accounts.user:{officer.pk}", action="2fa.reset")
    assert entry.actor_id == admin.pk


def test_the_demo_accounts_sign_in_with_the_documented_code(capsys: Any) -> None:
    from netral.demo import DEMO_PASSWORD, _officers

    _officers()
    client = Client()
    client.post(reverse("login"), {"username": "bawaslu.kutim", "password": DEMO_PASSWORD})
    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    response = client.post(reverse("accounts:two_factor"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200
