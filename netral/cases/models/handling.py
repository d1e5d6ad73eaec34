"""Clarification, recommendations (penerusan), follow-up, sanctions and generated documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.cases.models.case import Case
from netral.cases.models.choices import (
    ClarificationMode,
    ClarificationParty,
    DocumentKind,
    FollowUp,
    Recipient,
    SanctionLevel,
    SanctionType,
)
from netral.cases.models.parties import ReportedPerson
from netral.core.models import BaseModel


class ClarificationSession(BaseModel):
    """Klarifikasi (DOMAIN.md §5.6): invitation on Form B.9 ≥1 Hari before, attendance, minutes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clarifications")
    party = models.CharField(_("pihak"), max_length=10, choices=ClarificationParty.choices)
    party_name = models.CharField(_("nama pihak"), max_length=200)
    reported_person = models.ForeignKey(
        ReportedPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("waktu klarifikasi"))
    mode = models.CharField(_("cara"), max_length=12, choices=ClarificationMode.choices)
    location = models.CharField(_("tempat/tautan"), max_length=300)
    invitation_round = models.PositiveSmallIntegerField(_("undangan ke"), default=1)
    invitation_number = models.CharField(_("nomor undangan"), max_length=80)
    attended = models.BooleanField(_("hadir"), null=True, blank=True)
    minutes = models.TextField(_("berita acara/keterangan"), blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]

    def __str__(self) -> str:
        return f"{self.party_name} {self.scheduled_at:%Y-%m-%d}"


class Recommendation(BaseModel):
    """Penerusan/rekomendasi to one competent recipient (DOMAIN.md §6), tracked per §6.3."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    reported_person = models.ForeignKey(
        ReportedPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    recipient = models.CharField(_("penerima"), max_length=20, choices=Recipient.choices)
    recipient_name = models.CharField(_("nama/jabatan penerima"), max_length=200)
    letter_number = models.CharField(_("nomor surat"), max_length=80)
    letter_date = models.DateField(_("tanggal surat"))
    status = models.CharField(
        _("status tindak lanjut"),
        max_length=24,
        choices=FollowUp.choices,
        default=FollowUp.DITERUSKAN,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_note = models.TextField(blank=True)
    due_at = models.DateTimeField(_("tenggat tindak lanjut"), null=True, blank=True)
    due_basis = models.CharField(max_length=300, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penerusan/rekomendasi")
        verbose_name_plural = _("penerusan/rekomendasi")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reported_person", "recipient"], name="recommendation_unique_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_number} → {self.get_recipient_display()}"


class Sanction(BaseModel):
    """Sanction imposed by the competent authority (DOMAIN.md §4)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="sanctions"
    )
    reported_person = models.ForeignKey(
        ReportedPerson, on_delete=models.PROTECT, related_name="sanctions"
    )
    level = models.CharField(_("tingkat"), max_length=8, choices=SanctionLevel.choices)
    type = models.CharField(_("jenis sanksi"), max_length=32, choices=SanctionType.choices)
    decree_number = models.CharField(_("nomor SK/putusan"), max_length=120)
    decree_date = models.DateField(_("tanggal SK/putusan"))
    imposed_by = models.CharField(_("pejabat yang menjatuhkan"), max_length=200)
    note = models.TextField(_("keterangan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sanksi")
        verbose_name_plural = _("sanksi")
        ordering = ["decree_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.decree_number})"


def document_path(instance: CaseDocument, filename: str) -> str:
    return f"case-documents/{instance.case.code}/{instance.kind.lower()}-{instance.sha256[:16]}.pdf"


class CaseDocument(models.Model):
    """A generated PDF in the case file (receipt, form, invitation, letter, notice)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("nomor"), max_length=80, blank=True)
    title = models.CharField(_("judul"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    clarification = models.ForeignKey(
        ClarificationSession, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title
