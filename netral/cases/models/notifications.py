"""Who was notified of what (issue 5 §7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.cases.models.case import Case


class NotificationLog(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "RECEIPT", _("Tanda terima laporan")
        STATUS_CHANGED = "STATUS_CHANGED", _("Status laporan berubah")
        COMPLETION_REQUESTED = "COMPLETION_REQUESTED", _("Permintaan melengkapi laporan")
        ASSIGNED = "ASSIGNED", _("Penugasan perkara")
        NEW_CASE = "NEW_CASE", _("Perkara baru di wilayah")
        DEADLINE = "DEADLINE", _("Tenggat")

    class Outcome(models.TextChoices):
        # PENDING: deferred (the public form), sent by the periodic batch sender;
        # QUEUED: sent by its own background job (retried with backoff on SMTP failure).
        PENDING = "PENDING", _("Menunggu")
        QUEUED = "QUEUED", _("Dalam antrean")
        SENT = "SENT", _("Terkirim")
        FAILED = "FAILED", _("Gagal")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    recipient_email = models.EmailField()
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=200)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The rendered mail, kept for the background job that sends it (rendered in the request,
    # in its language). Rows from before issue 15 sent in the request have it empty.
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_email}"
