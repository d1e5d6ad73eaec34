from __future__ import annotations

from typing import TYPE_CHECKING

from netral.audit.services import chain_key_for

if TYPE_CHECKING:
    from django.db import models
    from django.db.models import QuerySet

    from netral.audit.models import AuditEntry


def audit_timeline(*, entries: QuerySet[AuditEntry], obj: models.Model) -> QuerySet[AuditEntry]:
    """The object's entries, oldest first, from an already scoped queryset."""
    return entries.filter(chain_key=chain_key_for(obj)).select_related("actor").order_by("seq")
