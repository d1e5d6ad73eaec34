"""Email notifications (Django's pluggable EMAIL_BACKEND), logged in NotificationLog.

Services call these inside their transaction; the mail goes out only after commit
(transaction.on_commit), so a rolled-back step never tells anyone anything. With
`defer=True` (the public report form, whose request must stay cheap) the log row is written
PENDING with its body and the mail is left to `notifications_send_pending`, which
`netral watch_deadlines` runs on every pass.
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


def _send(log_id: int, body: str) -> None:
    log = NotificationLog.objects.get(pk=log_id)
    _deliver(log, body)


def _deliver(log: NotificationLog, body: str) -> bool:
    log_id = log.pk
    try:
        send_mail(log.subject, body, settings.DEFAULT_FROM_EMAIL, [log.recipient_email])
    except Exception as exc:
        logger.warning("notification %s failed: %s", log_id, exc)
        NotificationLog.objects.filter(pk=log_id).update(
            outcome=NotificationLog.Outcome.FAILED, error=str(exc)[:300]
        )
        return False
    NotificationLog.objects.filter(pk=log_id).update(
        outcome=NotificationLog.Outcome.SENT, sent_at=timezone.now()
    )
    if log.kind == NotificationLog.Kind.COMPLETION_REQUESTED:
        # The reporter has been told (Perbawaslu 7/2022 Ps. 22(1)): the NOTIF_LENGKAPI clock
        # stops, so the stored next deadline moves on.
        from netral.cases.workflow import case_refresh_deadline

        case_refresh_deadline(case=Case.objects.get(pk=log.case_id))
    return True


def notifications_send_pending(*, limit: int = 500) -> int:
    """Send deferred notifications (PENDING rows with a stored body), oldest first; returns
    how many were sent. Rows are locked while they are sent (skipped by a concurrent sender
    on PostgreSQL; SQLite serialises writers), so each mail leaves once."""
    sent = 0
    with transaction.atomic():
        logs = list(
            NotificationLog.objects.select_for_update(skip_locked=True)
            .filter(outcome=NotificationLog.Outcome.PENDING)
            .exclude(body="")
            .order_by("id")[:limit]
        )
        for log in logs:
            sent += _deliver(log, log.body)
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
        body=body if defer else "",
    )
    if not defer:
        transaction.on_commit(lambda: _send(log.pk, body))


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
