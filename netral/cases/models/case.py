"""The case (perkara), its registration counter, links and timeline (DOMAIN.md §5, §8)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netral.cases.models.choices import (
    CLOSED_STATUSES,
    CaseLinkType,
    Channel,
    InitialAssessment,
    Origin,
    Status,
)
from netral.core.models import BaseModel
from netral.elections.models import Regime


class Case(BaseModel):
    """Perkara: a report (laporan), a finding (temuan) or initial information."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    origin = models.CharField(_("asal perkara"), max_length=16, choices=Origin.choices)
    regime = models.CharField(_("rezim"), max_length=10, choices=Regime.choices)
    election_event = models.ForeignKey(
        "elections.ElectionEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemilihan"),
    )
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    channel = models.CharField(_("saluran"), max_length=16, choices=Channel.choices)
    # Routing (DOMAIN.md §1.1): the unit of the place of the incident; null = Bawaslu RI.
    handling_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah unit penanganan"),
    )
    incident_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah kejadian"),
    )
    incident_place = models.CharField(_("tempat kejadian"), max_length=300)
    # T9 pelimpahan: the unit the case was forwarded to (the source keeps its own handling
    # unit and is closed as DILIMPAHKAN; the receiving unit gets a new, linked case).
    forwarded_to_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dilimpahkan ke wilayah unit"),
    )
    title = models.CharField(_("peristiwa yang dilaporkan"), max_length=300)
    description = models.TextField(_("uraian kejadian"))
    event_date = models.DateField(_("tanggal kejadian"))
    known_date = models.DateField(_("tanggal diketahui"))
    found_date = models.DateField(_("tanggal ditemukan"), null=True, blank=True)
    filed_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterima oleh"),
    )
    kajian_awal_at = models.DateTimeField(_("kajian awal dimulai"), null=True, blank=True)
    initial_assessment = models.CharField(
        _("hasil kajian awal"), max_length=12, choices=InitialAssessment.choices, blank=True
    )
    checklist = models.JSONField(_("syarat formal dan materiil"), default=dict, blank=True)
    late_filing = models.BooleanField(
        _("melewati batas waktu pelaporan"),
        default=False,
        help_text=_("Ditandai saat diterima; diputus pada kajian awal (DOMAIN §8.2 T1)."),
    )
    direct_forwarding = models.BooleanField(
        _("diteruskan langsung tanpa registrasi"), default=False
    )
    completion_requested_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(_("diregistrasi pada"), null=True, blank=True)
    registration_unit = models.CharField(max_length=16, blank=True)
    registration_year = models.PositiveSmallIntegerField(null=True, blank=True)
    registration_seq = models.PositiveIntegerField(null=True, blank=True)
    registration_number = models.CharField(_("nomor registrasi"), max_length=80, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("diputus pada"), null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("petugas penanganan"),
    )
    # The next deadline, stored (STYLE.md §1.6) with the rule that produced it.
    due_at = models.DateTimeField(_("tenggat berikutnya"), null=True, blank=True)
    due_step = models.CharField(max_length=32, blank=True)
    due_basis = models.CharField(max_length=300, blank=True)
    due_confidence = models.CharField(max_length=12, blank=True)
    # Public filing: tracking number + PIN (hashed) and the sealed receipt.
    tracking_number = models.CharField(
        _("nomor pelacakan"), max_length=20, unique=True, null=True, blank=True
    )
    pin_hash = models.CharField(max_length=128, blank=True)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    receipt_seal = models.JSONField(null=True, blank=True, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("perkara")
        verbose_name_plural = _("perkara")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_unit", "registration_year", "registration_seq"],
                condition=Q(registration_seq__isnull=False),
                name="case_registration_unique_per_unit_year",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="case_open_due_at",
                condition=~Q(status__in=sorted(CLOSED_STATUSES)),
            ),
            models.Index(fields=["incident_region", "created_at"], name="case_region_created"),
            models.Index(fields=["handling_region", "status"], name="case_unit_status"),
            models.Index(fields=["status", "created_at"], name="case_status_created"),
        ]

    def __str__(self) -> str:
        return self.registration_number or self.tracking_number or f"#{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def due_step_label(self) -> str:
        """The readable name of the step the next deadline belongs to."""
        from netral.cases.models.deadlines import DeadlineStep

        try:
            return str(DeadlineStep(self.due_step).label)
        except ValueError:
            return self.due_step

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def audit_region_code(self) -> str | None:
        """The region the case's audit entries are filed under: the handling unit, or the
        place of the incident while no unit handles it."""
        return self.handling_region_id or self.incident_region_id


class RegistrationCounter(models.Model):
    """One row per unit and year, locked to hand out gap-free registration numbers."""

    unit = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="registration_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit}/{self.year}: {self.last_value}"


class CaseLink(BaseModel):
    """Linked, duplicate, merged and spawned cases."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    type = models.CharField(_("jenis hubungan"), max_length=16, choices=CaseLinkType.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_case", "to_case", "type"], name="case_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_case=models.F("to_case")), name="case_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} {self.type} {self.to_case_id}"


class CaseEvent(models.Model):
    """The append-only timeline of a case (saleor OrderEvent)."""

    class Type(models.TextChoices):
        FILED = "FILED", _("Laporan diajukan")
        CREATED = "CREATED", _("Perkara dicatat")
        TRANSITION = "TRANSITION", _("Status berubah")
        ASSIGNED = "ASSIGNED", _("Petugas ditugaskan")
        COMPLETION_REQUESTED = "COMPLETION_REQUESTED", _("Pelapor diminta melengkapi")
        COMPLETION_ANSWERED = "COMPLETION_ANSWERED", _("Pelapor melengkapi laporan")
        EVIDENCE_ADDED = "EVIDENCE_ADDED", _("Bukti ditambahkan")
        CLARIFICATION_SCHEDULED = "CLARIFICATION_SCHEDULED", _("Klarifikasi dijadwalkan")
        CLARIFICATION_RECORDED = "CLARIFICATION_RECORDED", _("Hasil klarifikasi dicatat")
        PERSON_DECIDED = "PERSON_DECIDED", _("Status terlapor diputus")
        RECOMMENDATION_SENT = "RECOMMENDATION_SENT", _("Penerusan/rekomendasi dikirim")
        FOLLOW_UP_CHANGED = "FOLLOW_UP_CHANGED", _("Tindak lanjut berubah")
        SANCTION_RECORDED = "SANCTION_RECORDED", _("Sanksi dicatat")
        LINKED = "LINKED", _("Perkara dihubungkan")
        DOCUMENT_GENERATED = "DOCUMENT_GENERATED", _("Dokumen dibuat")
        DEADLINE_WARNING = "DEADLINE_WARNING", _("Tenggat mendekat")
        DEADLINE_MISSED = "DEADLINE_MISSED", _("Tenggat terlewati")
        ESCALATED = "ESCALATED", _("Rekomendasi dieskalasi")
        WITHDRAWAL_AFTER_REGISTRATION = (
            "WITHDRAWAL_AFTER_REGISTRATION",
            _("Pencabutan setelah registrasi dicatat"),
        )
        WITHDRAWAL_AFTER_FORWARDING = (
            "WITHDRAWAL_AFTER_FORWARDING",
            _("Pencabutan setelah laporan diteruskan tanpa registrasi dicatat"),
        )
        IDENTITY_VIEWED = "IDENTITY_VIEWED", _("Identitas pelapor rahasia dilihat")
        REGIME_CORRECTED = "REGIME_CORRECTED", _("Rezim/pemilihan perkara diperbaiki")
        DIRECT_FORWARDING = (
            "DIRECT_FORWARDING",
            _("Hasil kajian awal: diteruskan kepada instansi yang berwenang tanpa registrasi"),
        )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=32, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(
        default=False, help_text=_("Ditampilkan kepada pelapor di halaman status.")
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_created")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.type}"
