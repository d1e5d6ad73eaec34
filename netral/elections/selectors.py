"""Reads of election events: national reference data, the same for every user."""

from __future__ import annotations

from django.db.models import QuerySet

from netral.elections.models import ElectionEvent


def election_list() -> QuerySet[ElectionEvent]:
    """Every election event, the most recent voting day first."""
    return ElectionEvent.objects.order_by("-voting_day")


def election_get(*, pk: int | None) -> ElectionEvent | None:
    if pk is None:
        return None
    return ElectionEvent.objects.filter(pk=pk).first()
