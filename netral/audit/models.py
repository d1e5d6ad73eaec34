"""The append-only audit trail every state change writes to.

Entries form one hash chain per object (`chain_key`, e.g. "registry.official:42"),
so unrelated writes never wait on each other, while any edit, deletion or
reordering inside a chain is detected by `netral verify_audit`. UPDATE and DELETE
are refused by database triggers (migration 0002), not only by the ORM.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    chain_key = models.CharField(_("rantai"), max_length=120)
    seq = models.PositiveIntegerField(_("urutan"))
    created_at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    actor_label = models.CharField(_("nama pelaku"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=80)
    object_type = models.CharField(_("jenis objek"), max_length=80)
    object_id = models.CharField(_("ID objek"), max_length=64)
    region_code = models.CharField(_("kode wilayah"), max_length=13, null=True, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # 1: entries written before every shown field was hashed (actor_label was not);
    # 2: the digest covers every field (netral/audit/hashing.py).
    hash_version = models.PositiveSmallIntegerField(default=2)

    class Meta:
        verbose_name = _("entri audit")
        verbose_name_plural = _("jejak audit")
        constraints = [
            models.UniqueConstraint(fields=["chain_key", "seq"], name="audit_unique_chain_seq"),
        ]
        indexes = [
            models.Index(fields=["region_code", "created_at"], name="audit_region_time"),
            models.Index(fields=["created_at"], name="audit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.seq} {self.action}"


class AuditCheckpoint(models.Model):
    """A sealed statement of the audit trail at one moment (issue 14 §18).

    It names the last entry id it covers, how many entries and chains existed up to it, and
    the head (last seq and hash) of every chain that grew since the previous checkpoint
    (AuditCheckpointHead rows, summarised by `heads_digest`). The record is signed with the
    Ed25519 key that seals pledges and receipts (netral/core/sealing.py) and links to the
    previous checkpoint's digest, so deleting the tail of a chain, a whole chain, or a
    checkpoint is detected by `netral verify_audit`. Append-only like the entries."""

    number = models.PositiveIntegerField(_("nomor"), unique=True)
    created_at = models.DateTimeField(_("waktu"))
    last_entry_id = models.BigIntegerField(_("entri terakhir"))
    entries = models.PositiveBigIntegerField(_("jumlah entri"))
    chains = models.PositiveBigIntegerField(_("jumlah rantai"))
    heads_digest = models.CharField(max_length=64)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    seal_key_id = models.CharField(max_length=16)
    seal_signature = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("titik periksa audit")
        verbose_name_plural = _("titik periksa audit")

    def __str__(self) -> str:
        return f"#{self.number} {self.created_at:%Y-%m-%d %H:%M}"


class AuditCheckpointHead(models.Model):
    checkpoint = models.ForeignKey(AuditCheckpoint, on_delete=models.PROTECT, related_name="heads")
    chain_key = models.CharField(max_length=120)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "chain_key"], name="audit_checkpoint_head_unique"
            ),
        ]
        indexes = [models.Index(fields=["chain_key", "seq"], name="audit_head_chain_seq")]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.seq}"
