from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from netral.accounts import access
from netral.core.http import AuthenticatedHttpRequest


@login_required
def audit_timeline(request: AuthenticatedHttpRequest, chain_key: str) -> HttpResponse:
    entries = access.access_audit_chain(request.user, chain_key).select_related("actor")
    return render(request, "audit/timeline.html", {"chain_key": chain_key, "entries": entries})


@login_required
def audit_recent(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, access.Perm.VIEW_AUDIT)
    entries = access.audit_entries_visible_to(request.user).order_by("-created_at")[:100]
    return render(request, "audit/recent.html", {"entries": entries})
