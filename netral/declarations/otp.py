"""One-time codes for online signing, and their pluggable senders.

The channel is chosen by the setting NETRAL_OTP_CHANNEL: "email" (default; Django's email
backend, so any backend works) or "sms", whose sender is NETRAL_OTP_SMS_SENDER (a dotted
path; the only one shipped, LoggingSmsSender, writes the message to the log: a real SMS
gateway is an integration to add). Codes are stored as HMAC-SHA256 hashes only.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

OTP_DIGITS = 6
OTP_TTL_SECONDS = 10 * 60
OTP_MAX_ATTEMPTS = 5
OTP_MAX_SENDS = 5
# The send cap holds per official and event over every invitation created in this window
# (issue 14 §17), so a fresh invitation from the event QR code does not reset it.
OTP_CAP_WINDOW_HOURS = 24
OTP_RESEND_SECONDS = 60


def otp_generate() -> str:
    return f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"


def otp_hash(*, invitation_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    message = f"netral-otp:{invitation_id}:{code.strip()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return (local[:1] + "***@" + domain) if domain else "***"


def mask_phone(phone: str) -> str:
    return "*" * max(0, len(phone) - 3) + phone[-3:]


class OtpSender(Protocol):
    channel: str

    def destination(self, *, email: str, phone: str) -> str: ...

    def masked(self, *, email: str, phone: str) -> str: ...

    def send(self, *, destination: str, code: str, event_title: str) -> None: ...


def _message(code: str, event_title: str) -> str:
    return _(
        'Kode sekali pakai Anda untuk menandatangani naskah pada kegiatan "%(event)s": '
        "%(code)s. Kode berlaku 10 menit. Jangan berikan kode ini kepada siapa pun."
    ) % {"event": event_title, "code": code}


class EmailOtpSender:
    channel = "email"

    def destination(self, *, email: str, phone: str) -> str:
        return email

    def masked(self, *, email: str, phone: str) -> str:
        return mask_email(email)

    def send(self, *, destination: str, code: str, event_title: str) -> None:
        send_mail(
            subject=_("Kode tanda tangan Netral: %(code)s") % {"code": code},
            message=_message(code, event_title),
            from_email=None,
            recipient_list=[destination],
        )


class LoggingSmsSender:
    """Stand-in for an SMS gateway: logs that a code was sent (never the code itself
    outside DEBUG)."""

    channel = "sms"

    def destination(self, *, email: str, phone: str) -> str:
        return phone

    def masked(self, *, email: str, phone: str) -> str:
        return mask_phone(phone)

    def send(self, *, destination: str, code: str, event_title: str) -> None:
        shown = code if settings.DEBUG else "******"
        logger.info("SMS OTP to %s: %s", mask_phone(destination), shown)


def otp_sender() -> OtpSender:
    channel = getattr(settings, "NETRAL_OTP_CHANNEL", "email")
    if channel == "sms":
        path = getattr(
            settings, "NETRAL_OTP_SMS_SENDER", "netral.declarations.otp.LoggingSmsSender"
        )
        sender: OtpSender = import_string(path)()
        return sender
    return EmailOtpSender()
