"""Neutrality declarations, integrity pacts and socialisation events (DOMAIN.md §9).

Signing an integrity pact or ikrar is widespread practice, not a statutory duty found in
the sources (DOMAIN.md §9, UNCONFIRMED as an obligation): Netral records it, it does not
enforce it. A Signature always keeps the exact text that was signed (a snapshot, never
only a foreign key) and an Ed25519 seal over its canonical record (netral.core.sealing).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from netral.core.models import BaseModel
from netral.elections.models import Regime


class PledgeKind(models.TextChoices):
    """JenisDeklarasi, DOMAIN.md §9."""

    PAKTA_INTEGRITAS = "PAKTA_INTEGRITAS", _("Pakta/fakta integritas")
    IKRAR_NETRALITAS = "IKRAR_NETRALITAS", _("Ikrar netralitas")
    DEKLARASI_NETRALITAS = "DEKLARASI_NETRALITAS", _("Deklarasi netralitas")
    SURAT_PERNYATAAN = "SURAT_PERNYATAAN", _("Surat pernyataan")


class PledgeTemplate(BaseModel):
    """A versioned text with numbered points. Versions of one text share `family`.

    A version that has been signed is immutable: editing it creates the next version
    (services.pledge_template_update). A region copies a standard text to edit it.
    """

    family = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("versi"), default=1)
    kind = models.CharField(_("jenis"), max_length=24, choices=PledgeKind.choices)
    title = models.CharField(_("judul"), max_length=250)
    preamble = models.TextField(_("pembuka"), blank=True)
    points = models.JSONField(_("butir"), default=list)  # list[str], numbered from 1
    closing = models.TextField(_("penutup"), blank=True)
    regime = models.CharField(
        _("rezim"),
        max_length=10,
        choices=Regime.choices,
        blank=True,
        help_text=_("Kosong berarti berlaku untuk Pemilu dan Pilkada."),
    )
    election_event = models.ForeignKey(
        "elections.ElectionEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemilihan"),
    )
    subject_types = models.JSONField(_("jenis subjek"), default=list, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah pemilik"),
        help_text=_("Kosong untuk naskah standar nasional."),
    )
    is_standard = models.BooleanField(_("naskah standar"), default=False)
    # Every standard text names its source (issue 12 point 16); a national text without one is
    # shown as an example for officers to adapt, never as a standard.
    source = models.CharField(_("sumber naskah"), max_length=300, blank=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disalin dari"),
    )
    slug = models.SlugField(_("kode naskah standar"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("naskah ikrar")
        verbose_name_plural = _("naskah ikrar")
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "version"], name="pledge_template_unique_family_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_example(self) -> bool:
        """A national text with no named source: an example to adapt, not a standard."""
        return self.region_id is None and not self.source

    def snapshot(self) -> dict[str, Any]:
        """The exact text, as copied into every Signature."""
        return {
            "title": self.title,
            "kind": self.kind,
            "version": self.version,
            "family": str(self.family),
            "preamble": self.preamble,
            "points": list(self.points),
            "closing": self.closing,
        }


class Event(BaseModel):
    """A socialisation, declaration, apel or coordination meeting, or a combination."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("nama kegiatan"), max_length=300)
    is_sosialisasi = models.BooleanField(_("sosialisasi"), default=False)
    is_deklarasi = models.BooleanField(_("deklarasi"), default=False)
    is_apel = models.BooleanField(_("apel"), default=False)
    is_rakor = models.BooleanField(_("rapat koordinasi"), default=False)
    election_event = models.ForeignKey(
        "elections.ElectionEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemilihan"),
    )
    date = models.DateField(_("tanggal"))
    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    venue = models.CharField(_("tempat"), max_length=300, blank=True)
    organiser = models.CharField(_("penyelenggara"), max_length=300)
    materials = models.TextField(_("materi"), blank=True)
    basis = models.CharField(_("dasar (SE/undangan)"), max_length=300, blank=True)
    witnesses = models.TextField(_("saksi"), blank=True)
    # Saved rule for the expected participants, materialised into EventParticipant rows:
    # {"region": "64.08", "subject_types": ["KEPALA_DESA", "PERANGKAT_DESA"]}
    participant_rule = models.JSONField(_("aturan peserta"), default=dict, blank=True)
    attendance = models.JSONField(_("kehadiran per jenis subjek"), default=dict, blank=True)
    pledges = models.ManyToManyField(
        PledgeTemplate,
        blank=True,
        related_name="events",
        verbose_name=_("naskah yang ditandatangani"),
    )
    online_signing_open = models.BooleanField(_("penandatanganan daring dibuka"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["region", "date"], name="decl_event_region_date")]

    def __str__(self) -> str:
        return self.title

    @property
    def kinds(self) -> list[str]:
        labels = [
            (self.is_sosialisasi, "SOSIALISASI"),
            (self.is_deklarasi, "DEKLARASI"),
            (self.is_apel, "APEL"),
            (self.is_rakor, "RAKOR"),
        ]
        return [code for flag, code in labels if flag]


class EventSpeaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("nama"), max_length=200)
    institution = models.CharField(_("instansi"), max_length=200)
    topic = models.CharField(_("materi"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("narasumber")
        verbose_name_plural = _("narasumber")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"


class EventParticipant(models.Model):
    """One row of the expected-participants checklist."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    official = models.ForeignKey(
        "registry.Official", on_delete=models.PROTECT, related_name="event_participations"
    )
    present = models.BooleanField(_("hadir"), default=False)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "official"], name="decl_participant_unique_event_official"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.official_id}"


class DocumentKind(models.TextChoices):
    PHOTO = "PHOTO", _("Foto")
    DOCUMENT = "DOCUMENT", _("Dokumen")
    SIGNED_SHEET = "SIGNED_SHEET", _("Lembar tanda tangan")


class EventDocument(BaseModel):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("jenis"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to="declarations/%Y/%m/")
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("keterangan"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("dokumentasi")
        verbose_name_plural = _("dokumentasi")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class SignatureMethod(models.TextChoices):
    RECORDED_BY_OFFICER = "RECORDED_BY_OFFICER", _("Dicatat petugas (lembar kertas)")
    ONLINE_OTP = "ONLINE_OTP", _("Daring dengan kode sekali pakai")
    INSTITUTIONAL = "INSTITUTIONAL", _("Penandatangan kelembagaan")


class Signature(BaseModel):
    """One person's signature of one pledge text at one event. Never deleted."""

    code = models.UUIDField(_("kode verifikasi"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="signatures")
    template = models.ForeignKey(
        PledgeTemplate, on_delete=models.PROTECT, related_name="signatures"
    )
    official = models.ForeignKey(
        "registry.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledge_signatures",
    )
    # Copied from the event: the same text may be signed again for another election.
    election_event = models.ForeignKey(
        "elections.ElectionEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemilihan"),
    )
    # Snapshots: what the seal covers. Never rebuilt from the registry or the template.
    pledge_snapshot = models.JSONField(_("naskah yang ditandatangani"))
    event_snapshot = models.JSONField(_("data kegiatan"))
    signer_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signer_title = models.CharField(_("jabatan"), max_length=200, blank=True)
    signer_institution = models.CharField(_("instansi"), max_length=200, blank=True)
    subject_type = models.CharField(_("jenis subjek"), max_length=16, blank=True)
    method = models.CharField(_("cara"), max_length=24, choices=SignatureMethod.choices)
    evidence = models.ForeignKey(
        EventDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("bukti lembar tanda tangan"),
    )
    signed_at = models.DateTimeField(_("waktu tanda tangan"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seal_key_id = models.CharField(max_length=32)
    seal_signature = models.CharField(max_length=200)
    seal_digest = models.CharField(max_length=64)
    seal_algorithm = models.CharField(max_length=16, default="Ed25519")
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        verbose_name = _("tanda tangan")
        verbose_name_plural = _("tanda tangan")
        ordering = ["signed_at", "id"]
        constraints = [
            # A second signature of the same text by the same person (for the same
            # election) is refused.
            models.UniqueConstraint(
                fields=["template", "official", "election_event"],
                condition=models.Q(official__isnull=False, revoked_at__isnull=True),
                name="decl_signature_unique_active_template_official",
            ),
        ]
        indexes = [models.Index(fields=["official", "revoked_at"], name="decl_sig_official")]

    def __str__(self) -> str:
        return f"{self.signer_name}: {self.pledge_snapshot.get('title', '')}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SigningInvitation(BaseModel):
    """A personal signing link (or one opened from the event QR code) with its OTP state.

    The URL token and the one-time code are stored only as hashes.
    """

    class Via(models.TextChoices):
        LINK = "LINK", _("Tautan pribadi")
        QR = "QR", _("Kode QR kegiatan")

    token_hash = models.CharField(max_length=64, unique=True)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    official = models.ForeignKey("registry.Official", on_delete=models.CASCADE, related_name="+")
    via = models.CharField(max_length=4, choices=Via.choices, default=Via.LINK)
    expires_at = models.DateTimeField()
    otp_hash = models.CharField(max_length=64, blank=True)
    otp_expires_at = models.DateTimeField(null=True, blank=True)
    otp_attempts = models.PositiveSmallIntegerField(default=0)
    otp_sends = models.PositiveSmallIntegerField(default=0)
    otp_last_sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("undangan tanda tangan")
        verbose_name_plural = _("undangan tanda tangan")

    def __str__(self) -> str:
        return f"{self.event_id}:{self.official_id}"
