"""Changes made in the Django admin are audited like any other."""

from __future__ import annotations

import pytest
from django.test import Client

from netral.accounts.models import Assignment, Role, User
from netral.audit.models import AuditEntry
from tests.conftest import verify_second_factor


@pytest.fixture
def admin_client_(db: None) -> Client:
    admin = User.objects.create_superuser("root", "root@example.test", "x-Strong-Pass-1")
    client = Client()
    client.force_login(admin)
    verify_second_factor(client, admin)
    return client


def _inline(prefix: str = "assignments", **first: str) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": "1" if first else "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update({f"{prefix}-0-{k}": v for k, v in first.items()})
    return data


@pytest.mark.django_db
def test_an_officer_created_in_the_admin_is_audited_with_the_assignment(
    admin_client_: Client,
) -> None:
    # when
    response = admin_client_.post(
        "/admin/accounts/user/add/",
        {
            "username": "siti",
            "password1": "Kutim-Officer-2024",
            "password2": "Kutim-Officer-2024",
            "usable_password": "true",
            **_inline(role=Role.PANWASLU_KECAMATAN, region="64.08.04", unit_name="Panwascam"),
        },
    )
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    siti = User.objects.get(username="siti")
    assert Assignment.objects.get(user=siti).region_id == "64.08.04"
    actions = list(
        AuditEntry.objects.filter(chain_key=f"accounts.user:{siti.pk}")
        .order_by("seq")
        .values_list("action", "actor_label", "region_code")
    )
    assert actions == [("user.created", "root", None), ("assignment.saved", "root", "64.08.04")]
