"""`{% load audit_tags %}{% audit_checkpoint_latest as checkpoint %}`: the newest sealed
checkpoint of the audit trail, shown on the public transparency page (issue 14 §18)."""

from __future__ import annotations

from django import template

from netral.audit.checkpoints import checkpoint_latest
from netral.audit.models import AuditCheckpoint

register = template.Library()


@register.simple_tag
def audit_checkpoint_latest() -> AuditCheckpoint | None:
    return checkpoint_latest()
