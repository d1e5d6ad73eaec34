"""Outbound mail as background jobs (issue 15 §1: mails and notices do not run in a request).

`mail_enqueue` records one job per message; the worker sends it through Django's
EMAIL_BACKEND. An SMTP failure is retried with backoff (1, 2, 4, 8 minutes); a recipient the
server refuses for good (5xx) fails at once. A mail that fails for good is a FAILED job in
the admin (/admin/jobs/job/, filter "Gagal") with the SMTP error and the action "Ulangi".

Job arguments are visible to administrators and stay in the database for
NETRAL_JOB_RETENTION_DAYS, so a message that carries a secret (a one-time code, a personal
signing link) is *sealed*: encrypted and authenticated with Fernet under a key derived from
SECRET_KEY, opened only by the worker that sends it. Only its recipient shows.

Like every job, a mail may leave twice in the rare case of a worker killed between the SMTP
server's answer and the job's completion (at-least-once delivery, decision 0010).
"""

from __future__ import annotations

import base64
import json
import smtplib
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.crypto import salted_hmac

from netral.jobs.models import Job
from netral.jobs.services import JobContext, PermanentError, background

SEAL_SALT = "netral.jobs.mail"


def _cipher() -> Fernet:
    key = salted_hmac(SEAL_SALT, "sealed-job-arguments", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(payload: dict[str, Any]) -> str:
    """Encrypt a job argument that must not be readable in the admin or the database."""
    return _cipher().encrypt(json.dumps(payload).encode("utf-8")).decode("ascii")


def unseal(token: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_cipher().decrypt(token.encode("ascii")))
    return value


def smtp_refused_for_good(exc: BaseException) -> bool:
    """A 5xx refusal of every recipient: retrying the same message cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return False


@background(max_attempts=5, backoff=60)
def mail_send_job(
    job: JobContext,
    *,
    to: list[str],
    subject: str = "",
    body: str = "",
    sealed: str = "",
) -> dict[str, object]:
    """Send one message (`sealed` holds subject and body when they carry a secret)."""
    if sealed:
        opened = unseal(sealed)
        subject, body = opened["subject"], opened["body"]
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception as exc:
        if smtp_refused_for_good(exc):
            raise PermanentError(f"the mail server refused {', '.join(to)}: {exc}") from exc
        raise
    return {"sent_to": len(to)}


def mail_enqueue(*, to: list[str], subject: str, body: str, secret: bool = False) -> Job:
    """Send a mail from the worker. Call it inside the service's transaction: on the database
    backend the job is part of it (a rolled-back step sends nothing, a committed one cannot
    lose its mail); on RQ it is handed over on commit (netral/jobs/services.py)."""
    if secret:
        return mail_send_job.enqueue(to=to, sealed=seal({"subject": subject, "body": body}))
    return mail_send_job.enqueue(to=to, subject=subject, body=body)


@background(max_attempts=5, backoff=30)
def otp_deliver_job(job: JobContext, *, sealed: str, language: str = "") -> dict[str, object]:
    """Deliver a signing one-time code through the configured channel (netral.declarations.otp;
    e-mail or an SMS gateway). The code travels sealed; its hash is already stored, so a
    retry sends the same code, which still expires OTP_TTL_SECONDS after it was issued."""
    from netral.declarations.otp import otp_sender

    opened = unseal(sealed)
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            otp_sender().send(
                destination=opened["destination"],
                code=opened["code"],
                event_title=opened["event_title"],
            )
        except Exception as exc:
            if smtp_refused_for_good(exc):
                raise PermanentError(f"the mail server refused the destination: {exc}") from exc
            raise
    return {"channel": otp_sender().channel}
