"""The public form's per-process caches (netral/core/ttlcache.py): active handling units for
routing, deadline rules and holidays. Each is stale for at most its TTL, and a change made
through the service (assignments) or the admin (rules, holidays) applies at once."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from netral.accounts.models import Assignment, Role
from netral.accounts.services import assignment_delete_audited, assignment_save_audited
from netral.audit.models import AuditEntry
from netral.audit.services import audit_record_created, audit_verify
from netral.cases.deadlines import holidays_between, rule_get
from netral.cases.models import DeadlineRule, DeadlineStep, Holiday, NotificationLog
from netral.cases.selectors import case_route, intake_region
from netral.core import ttlcache
from netral.registry.models import Region
from tests.cases.conftest import file_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KECAMATAN = "64.08.04"  # the sample report's desa 64.08.04.2001 lies here
KABUPATEN = "64.08"  # alice's unit


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    # the caches live in the process: never let one test's rows leak into another
    for topic in ("assignments", "deadline_rules", "regions"):
        ttlcache.invalidate(topic)
    yield
    for topic in ("assignments", "deadline_rules", "regions"):
        ttlcache.invalidate(topic)


def _route() -> str | None:
    case = file_report().case
    return case.handling_region_id


@override_settings(NETRAL_ROUTING_CACHE_SECONDS=1)
def test_routing_sees_a_new_unit_within_the_ttl(alice: Any) -> None:
    file_report()  # warm: signing key, templates (so the TTL below is not spent on them)
    ttlcache.invalidate("assignments")
    assert _route() == KABUPATEN
    # written behind the services' back (as a data import would): the cache doesn't know
    UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region=KECAMATAN)
    assert _route() == KABUPATEN  # stale, within the TTL
    time.sleep(1.05)
    assert _route() == KECAMATAN


@override_settings(NETRAL_ROUTING_CACHE_SECONDS=3600)
def test_an_assignment_change_through_the_service_applies_at_once(alice: Any) -> None:
    assert _route() == KABUPATEN
    siti = UserFactory(username="siti")
    assignment = Assignment(user=siti, role=Role.PANWASLU_KECAMATAN, region_id=KECAMATAN)
    assignment_save_audited(assignment=assignment, actor=None)
    assert _route() == KECAMATAN
    assignment_delete_audited(assignment=assignment, actor=None)
    assert _route() == KABUPATEN


@override_settings(NETRAL_ROUTING_CACHE_SECONDS=0)
def test_without_a_ttl_routing_reads_every_time(alice: Any) -> None:
    assert _route() == KABUPATEN
    UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region=KECAMATAN)
    assert _route() == KECAMATAN


@override_settings(NETRAL_ROUTING_CACHE_SECONDS=1)
def test_places_are_cached_as_copies_for_at_most_the_ttl(alice: Any) -> None:
    desa = "64.08.04.2001"
    first = intake_region(code=desa)
    assert first is not None
    old_name = first.name
    first.name = "changed by a request"  # a caller's change stays in its own copy
    Region.objects.filter(pk=desa).update(name="Desa Baru")
    with CaptureQueriesContext(connection) as ctx:
        again = intake_region(code=desa)
    assert again is not None
    assert again is not first
    assert again.name == old_name  # stale (a new Kemendagri edition), within the TTL
    assert case_route(incident_region=again) is not None
    assert [q["sql"] for q in ctx.captured_queries] == []  # a warm process routes without SQL
    assert intake_region(code="64.08.04.9999") is None  # unknown places are not kept
    assert intake_region(code="64.08.04.9999") is None
    time.sleep(1.05)
    fresh = intake_region(code=desa)
    assert fresh is not None
    assert fresh.name == "Desa Baru"


def test_a_load_that_raced_an_invalidation_is_not_kept() -> None:
    calls: list[int] = []

    def loader() -> int:
        calls.append(1)
        if len(calls) == 1:
            ttlcache.invalidate("test-race")  # a change committed while we were reading
        return len(calls)

    value = ttlcache.TTLValue(topic="test-race", loader=loader, ttl_setting="TEST_TTL")
    with override_settings(TEST_TTL=3600):
        assert value.get() == 1  # served, but not cached: it may predate the change
        assert value.get() == 2
        assert value.get() == 2  # cached now


@override_settings(NETRAL_DEADLINE_RULES_CACHE_SECONDS=1)
def test_deadline_rules_and_holidays_are_stale_at_most_the_ttl() -> None:
    rule = rule_get(regime="PILKADA", step=DeadlineStep.LAPORAN_WINDOW)
    assert rule is not None
    old_amount = rule.amount
    day = dt.date(2031, 3, 3)
    assert holidays_between(day, day) == []
    DeadlineRule.objects.filter(pk=rule.pk).update(amount=(old_amount or 0) + 5)
    Holiday.objects.create(date=day, name="Uji")
    cached = rule_get(regime="PILKADA", step=DeadlineStep.LAPORAN_WINDOW)
    assert cached is not None
    assert cached.amount == old_amount
    assert holidays_between(day, day) == []
    time.sleep(1.05)
    fresh = rule_get(regime="PILKADA", step=DeadlineStep.LAPORAN_WINDOW)
    assert fresh is not None
    assert fresh.amount == (old_amount or 0) + 5
    assert holidays_between(day, day) == [day]


@override_settings(NETRAL_DEADLINE_RULES_CACHE_SECONDS=3600)
def test_an_admin_edit_of_a_rule_or_holiday_applies_at_once() -> None:
    request = RequestFactory().post("/admin/")
    rule = DeadlineRule.objects.get(regime="PILKADA", step=DeadlineStep.LAPORAN_WINDOW)
    assert rule_get(regime="PILKADA", step=DeadlineStep.LAPORAN_WINDOW) is not None
    rule.amount = (rule.amount or 0) + 5
    admin.site._registry[DeadlineRule].save_model(request, rule, None, True)
    cached = rule_get(regime="PILKADA", step=DeadlineStep.LAPORAN_WINDOW)
    assert cached is not None
    assert cached.amount == rule.amount
    day = dt.date(2031, 3, 3)
    assert holidays_between(day, day) == []
    holiday = Holiday(date=day, name="Uji")
    admin.site._registry[Holiday].save_model(request, holiday, None, False)
    assert holidays_between(day, day) == [day]
    admin.site._registry[Holiday].delete_model(request, holiday)
    assert holidays_between(day, day) == []


def test_the_new_case_notice_goes_to_the_units_active_officers_once(alice: Any) -> None:
    siti = UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region=KECAMATAN)
    Assignment.objects.create(user=siti, role=Role.PANWASLU_KELDESA, region_id=KECAMATAN)
    gone = UserFactory(username="gone", role=Role.PANWASLU_KECAMATAN, region=KECAMATAN)
    gone.is_active = False
    gone.save()
    UserFactory(username="nomail", email="", role=Role.PANWASLU_KECAMATAN, region=KECAMATAN)
    case = file_report().case
    assert case.handling_region_id == KECAMATAN
    logs = NotificationLog.objects.filter(case=case, kind=NotificationLog.Kind.NEW_CASE)
    # alice (kabupaten, an upper unit) is not the handling unit; siti once despite two roles
    assert [(log.recipient_user_id, log.recipient_email) for log in logs] == [
        (siti.pk, "siti@example.test")
    ]
    assert logs[0].outcome == NotificationLog.Outcome.PENDING
    assert "Kades" in logs[0].body or case.title in logs[0].body


def test_the_first_audit_entry_of_a_new_case_starts_a_valid_chain() -> None:
    case = file_report().case
    entry = AuditEntry.objects.get(object_type="cases.case", object_id=str(case.pk))
    assert (entry.seq, entry.action) == (1, "case.create")
    assert audit_verify().ok
    # the fast path is only for objects whose chain is empty: a second "first" entry fails
    with pytest.raises(IntegrityError), transaction.atomic():
        audit_record_created(obj=case, action="case.create", actor=None)
