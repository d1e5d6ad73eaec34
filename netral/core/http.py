"""Typed requests (after healthchecks hc/accounts/http.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from netral.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
