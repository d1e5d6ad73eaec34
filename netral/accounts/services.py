"""Writes to accounts, each audited (called by the admin and by `netral demo`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from netral.accounts.models import Assignment, User
from netral.audit.services import audit_record
from netral.core import ttlcache

USER_AUDITED_FIELDS = (
    "username",
    "full_name",
    "email",
    "phone",
    "is_active",
    "is_staff",
    "is_superuser",
    "is_demo",
)


def user_snapshot(user: User) -> dict[str, Any]:
    return {f: getattr(user, f) for f in USER_AUDITED_FIELDS}


def assignment_snapshot(assignment: Assignment) -> dict[str, Any]:
    return {
        "user": assignment.user_id,
        "role": assignment.role,
        "region": assignment.region_id,
        "unit_name": assignment.unit_name,
    }


@transaction.atomic
def user_save_audited(*, user: User, before: dict[str, Any] | None, actor: User | None) -> None:
    """Save a user edited elsewhere (e.g. an admin form) and record what changed."""
    user.save()
    after = user_snapshot(user)
    if before == after:
        return
    audit_record(
        obj=user,
        action="user.created" if before is None else "user.changed",
        actor=actor,
        before=before,
        after=after,
    )


@transaction.atomic
def assignment_save_audited(*, assignment: Assignment, actor: User | None) -> None:
    before = None
    if assignment.pk:
        old = Assignment.objects.filter(pk=assignment.pk).first()
        before = assignment_snapshot(old) if old else None
    assignment.save()
    ttlcache.invalidate("assignments")  # routing of public reports reads them (cached)
    after = assignment_snapshot(assignment)
    if before != after:
        audit_record(
            obj=assignment.user,
            action="assignment.saved",
            actor=actor,
            before=before,
            after=after,
            region_code=assignment.region_id,
        )


@transaction.atomic
def assignment_delete_audited(*, assignment: Assignment, actor: User | None) -> None:
    before = assignment_snapshot(assignment)
    user = assignment.user
    assignment.delete()
    ttlcache.invalidate("assignments")
    audit_record(
        obj=user,
        action="assignment.deleted",
        actor=actor,
        before=before,
        region_code=before["region"],
    )
