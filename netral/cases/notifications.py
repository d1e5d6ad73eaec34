"""Email notifications (Django's pluggable EMAIL_BACKEND), logged in NotificationLog.

Services call these inside their transaction; the mail is rendered there (in the request's
language) and stored on its log row, and the worker sends it (issue 15 §1: no SMTP inside a
request):

- by default the row is QUEUED and one background job (`notification_send_job`) is enqueued
  in the same transaction, so a rolled-back step tells no one anything and a committed one
  cannot lose its mail. An SMTP failure is retried with backoff (1, 2, 4, 8 minutes); after
  the last attempt the row is FAILED with its error (admin: "Log notifikasi", filter Gagal)
  and so is its job (admin: "Pekerjaan latar", action "Ulangi" sends it again);
- with `defer=True` (the public report form, whose request must stay cheap: not even a job
  row) the row is PENDING, and the periodic `notifications_send_job` sends such rows in one
  batch; one that fails there is handed to its own job, and retried like the others.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.cases.models import Case, NotificationLog, Status

if TYPE_CHECKING:
    from netral.accounts.models import User

logger = logging.getLogger(__name__)

# The first retry of a mail the batch sender could not send (then the job's backoff).
BATCH_RETRY_SECONDS = 60


def _smtp_send(log: NotificationLog) -> None:
    send_mail(log.subject, log.body, settings.DEFAULT_FROM_EMAIL, [log.recipient_email])


def _mark_sent(log: NotificationLog) -> None:
    NotificationLog.objects.filter(pk=log.pk).update(
        outcome=NotificationLog.Outcome.SENT, sent_at=timezone.now(), error=""
    )
    if log.kind == NotificationLog.Kind.COMPLETION_REQUESTED:
        # The reporter has been told (Perbawaslu 7/2022 Ps. 22(1)): the NOTIF_LENGKAPI clock
        # stops, so the stored next deadline moves on.
        from netral.cases.workflow import case_refresh_deadline

        case_refresh_deadline(case=Case.objects.get(pk=log.case_id))


def notification_deliver(*, log_id: int, last_attempt: bool) -> bool:
    """Send one notification (the body of its job). Returns False when it was already sent
    (a retried or duplicate job); raises the SMTP error, after recording it on the row: FAILED
    when this was the last attempt, QUEUED otherwise."""
    from netral.jobs.mail import smtp_refused_for_good

    log = NotificationLog.objects.filter(pk=log_id).first()
    if log is None:
        from netral.jobs.services import PermanentError

        raise PermanentError(f"notification {log_id} no longer exists (its case was deleted)")
    if log.outcome == NotificationLog.Outcome.SENT:
        return False
    try:
        _smtp_send(log)
    except Exception as exc:
        final = last_attempt or smtp_refused_for_good(exc)
        logger.warning("notification %s failed%s: %s", log_id, " for good" if final else "", exc)
        NotificationLog.objects.filter(pk=log_id).exclude(
            outcome=NotificationLog.Outcome.SENT
        ).update(
            outcome=NotificationLog.Outcome.FAILED if final else NotificationLog.Outcome.QUEUED,
            error=str(exc)[:300],
        )
        if final and not last_attempt:
            from netral.jobs.services import PermanentError

            raise PermanentError(f"the mail server refused {log.recipient_email}: {exc}") from exc
        raise
    _mark_sent(log)
    return True


def _enqueue_send(log_id: int, *, delay: int = 0) -> None:
    import datetime as dt

    from netral.cases.jobs import notification_send_job

    notification_send_job.enqueue(
        key=f"notification:{log_id}",
        run_after=timezone.now() + dt.timedelta(seconds=delay) if delay else None,
        log_id=log_id,
    )


def notifications_send_pending(*, limit: int = 500) -> int:
    """Send deferred notifications (PENDING rows with a stored body), oldest first; returns
    how many were sent. Rows are locked while they are sent (skipped by a concurrent sender
    on PostgreSQL; SQLite serialises writers), so each mail leaves once. A row whose mail
    fails is handed to its own job (QUEUED), which retries it with backoff."""
    sent = 0
    with transaction.atomic():
        logs = list(
            NotificationLog.objects.select_for_update(skip_locked=True)
            .filter(outcome=NotificationLog.Outcome.PENDING)
            .exclude(body="")
            .order_by("id")[:limit]
        )
        for log in logs:
            try:
                _smtp_send(log)
            except Exception as exc:
                logger.warning("notification %s failed; retried by its own job: %s", log.pk, exc)
                NotificationLog.objects.filter(pk=log.pk).update(
                    outcome=NotificationLog.Outcome.QUEUED, error=str(exc)[:300]
                )
                _enqueue_send(log.pk, delay=BATCH_RETRY_SECONDS)
                continue
            _mark_sent(log)
            sent += 1
    return sent


def _queue(
    *,
    case: Case,
    kind: str,
    email: str,
    subject: str,
    template: str,
    context: dict[str, object],
    user: User | None = None,
    defer: bool = False,
) -> None:
    if not email:
        return
    body = render_to_string(template, {"case": case, "site_url": settings.SITE_URL, **context})
    log = NotificationLog.objects.create(
        case=case,
        kind=kind,
        recipient_email=email,
        recipient_user=user,
        subject=subject[:200],
        body=body,
        outcome=NotificationLog.Outcome.PENDING if defer else NotificationLog.Outcome.QUEUED,
    )
    if not defer:
        _enqueue_send(log.pk)


def _reporter_email(case: Case) -> str:
    reporter = getattr(case, "reporter", None)
    return reporter.email if reporter is not None else ""


def reporter_tracking_number(case: Case) -> str:
    """The tracking number the reporter follows `case` with: its own, or after a pelimpahan
    (T9) that of the case it was forwarded from (the new case has none of its own)."""
    from netral.cases.models import CaseLink, CaseLinkType

    current: Case | None = case
    for _hop in range(10):
        if current is None or current.tracking_number:
            break
        link = (
            CaseLink.objects.select_related("to_case")
            .filter(from_case=current, type=CaseLinkType.PELIMPAHAN)
            .first()
        )
        current = link.to_case if link else None
    return (current.tracking_number or "") if current is not None else ""


def notify_reporter_status(*, case: Case, note: str = "") -> None:
    """Tell the reporter of a public report that its status changed (never internal notes)."""
    tn = reporter_tracking_number(case)
    if not tn:
        return
    subject = _("Status laporan %(tn)s: %(status)s") % {
        "tn": tn,
        "status": Status(case.status).label,
    }
    _queue(
        case=case,
        kind=NotificationLog.Kind.STATUS_CHANGED,
        email=_reporter_email(case),
        subject=subject,
        template="cases/email/status_changed.txt",
        context={
            "note": note,
            "tn": tn,
            "status_url": settings.SITE_URL + reverse("cases:public_status"),
        },
    )


def notify_reporter_receipt(*, case: Case, defer: bool = False) -> None:
    subject = _("Tanda terima laporan %(tn)s") % {"tn": case.tracking_number}
    _queue(
        case=case,
        kind=NotificationLog.Kind.RECEIPT,
        email=_reporter_email(case),
        subject=subject,
        template="cases/email/receipt.txt",
        context={"status_url": settings.SITE_URL + reverse("cases:public_status")},
        defer=defer,
    )


def notify_reporter_completion(*, case: Case, message: str) -> None:
    tn = reporter_tracking_number(case)
    subject = _("Laporan %(tn)s perlu dilengkapi") % {"tn": tn}
    _queue(
        case=case,
        kind=NotificationLog.Kind.COMPLETION_REQUESTED,
        email=_reporter_email(case),
        subject=subject,
        template="cases/email/completion.txt",
        context={
            "message": message,
            "tn": tn,
            "status_url": settings.SITE_URL + reverse("cases:public_status"),
        },
    )


def notify_unit_officers_deferred(
    *, case: Case, region_code: str, roles: list[str], kind: str, subject: str, message: str
) -> None:
    """`notify_officer(..., defer=True)` for the officers of a unit: every active account with
    an e-mail that holds one of `roles` exactly at `region_code`, each once (even with two of
    the roles there). One statement, INSERT ... SELECT: the ORM's SELECT of the officers and
    then its INSERT of their rows cost about 0.8 ms of CPU and a round trip, of the public
    form's ~5 ms per report (issue 5, docs/benchmarks.md "cases"). The body is rendered once:
    it does not name the officer."""
    from netral.accounts.models import Assignment, User

    body = render_to_string(
        "cases/email/officer.txt",
        {
            "case": case,
            "site_url": settings.SITE_URL,
            "message": message,
            "case_url": settings.SITE_URL + reverse("cases:detail", args=[case.pk]),
        },
    )
    q = connection.ops.quote_name
    log, user, assignment = (q(m._meta.db_table) for m in (NotificationLog, User, Assignment))
    sql = (
        f"INSERT INTO {log} (case_id, kind, recipient_email, recipient_user_id, subject, "  # noqa: S608  names and placeholders only
        "outcome, error, created_at, sent_at, body) "
        "SELECT %s, %s, u.email, u.id, %s, %s, '', %s, NULL, %s "
        f"FROM {user} u WHERE u.is_active = %s AND u.email <> '' AND EXISTS ("
        f"SELECT 1 FROM {assignment} a WHERE a.user_id = u.id AND a.region_id = %s "
        f"AND a.role IN ({', '.join(['%s'] * len(roles))})) "
        "ORDER BY u.username"
    )
    params = [
        case.pk,
        kind,
        subject[:200],
        NotificationLog.Outcome.PENDING,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        body,
        True,
        region_code,
        *roles,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def notify_officer(
    *, case: Case, user: User, kind: str, subject: str, message: str, defer: bool = False
) -> None:
    _queue(
        case=case,
        kind=kind,
        email=user.email,
        user=user,
        subject=subject,
        template="cases/email/officer.txt",
        context={
            "message": message,
            "case_url": settings.SITE_URL + reverse("cases:detail", args=[case.pk]),
        },
        defer=defer,
    )
