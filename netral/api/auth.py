"""How the API authenticates: a personal token (`Authorization: Bearer ntr_…`, issue 14
§12) for integrations, or the browser's session (with its CSRF check)."""

from __future__ import annotations

from ninja.security import django_auth

from netral.accounts.tokens import TokenAuth

API_AUTH = [TokenAuth(), django_auth]
