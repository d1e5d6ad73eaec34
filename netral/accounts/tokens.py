"""Personal API tokens (issue 14 §12): made, listed and revoked on the account page,
accepted by the API as `Authorization: Bearer <token>`."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from netral.accounts import access
from netral.accounts.models import ApiToken, User
from netral.accounts.signin import _region_of
from netral.audit.services import audit_record
from netral.core.errors import ApplicationError

PREFIX = "ntr_"
_TOUCH_SECONDS = 300  # last_used_at is written at most this often per token


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def holder_permissions(user: User) -> list[str]:
    """The permissions a token of `user` may be given: those the user holds somewhere."""
    return [p.value for p in access.Perm if access.has_perm(user, p)]


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once


@transaction.atomic
def api_token_create(*, user: User, name: str, permissions: list[str], days: int) -> IssuedToken:
    name = " ".join(name.split())[:100]
    if not name:
        raise ApplicationError(_("Nama token: wajib diisi."))
    allowed = set(holder_permissions(user))
    chosen = sorted(set(permissions))
    if not chosen:
        raise ApplicationError(_("Izin: pilih sedikitnya satu."))
    if not set(chosen) <= allowed:
        raise ApplicationError(_("Izin: hanya izin yang Anda miliki yang dapat diberikan."))
    if not 1 <= days <= settings.NETRAL_API_TOKEN_MAX_DAYS:
        raise ApplicationError(
            _("Masa berlaku: antara 1 dan %(n)d hari.") % {"n": settings.NETRAL_API_TOKEN_MAX_DAYS}
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(PREFIX) + 6],
        token_hash=token_hash(secret),
        permissions=chosen,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        obj=user,
        action="api_token.created",
        actor=user,
        after={"token": token.pk, "name": name, "permissions": chosen, "days": days},
        region_code=_region_of(user),
    )
    return IssuedToken(token, secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.revoked_at is not None:
        return
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit_record(
        obj=token.user,
        action="api_token.revoked",
        actor=actor,
        after={"token": token.pk, "name": token.name},
        region_code=_region_of(token.user),
    )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_user(secret: str) -> User | None:
    """The holder a live token acts for, with the token's permissions attached (read by
    access.jurisdiction_codes); None for an unknown, expired or revoked token."""
    if not secret.startswith(PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > _TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    setattr(user, access.TOKEN_PERMISSIONS_ATTR, frozenset(token.permissions))
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ntr_…` for the REST API; the browser keeps its session."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
            request.netral_token_auth = True  # type: ignore[attr-defined]
        return user
