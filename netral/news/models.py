"""News monitoring (issue 17): sources, articles and the proposals officers review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netral.core.models import BaseModel


class SourceKind(models.TextChoices):
    RSS = "RSS", _("Umpan RSS/Atom")
    SITEMAP = "SITEMAP", _("Peta situs (sitemap)")


class NewsSource(BaseModel):
    """A feed or sitemap of a news site, configured by an administrator for a region."""

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=SourceKind.choices)
    url = models.URLField(_("alamat"), max_length=1000, unique=True)
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    # Politeness: never ask the same site more often than this.
    min_interval_minutes = models.PositiveIntegerField(_("jeda minimum (menit)"), default=30)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(_("terakhir diambil"), null=True, blank=True)
    last_status = models.CharField(_("status terakhir"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sumber berita")
        verbose_name_plural = _("sumber berita")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleOrigin(models.TextChoices):
    FEED = "FEED", _("Umpan RSS/Atom")
    SITEMAP = "SITEMAP", _("Peta situs")
    URL = "URL", _("Alamat yang ditambahkan")
    TEXT = "TEXT", _("Teks yang ditempel")
    UPLOAD = "UPLOAD", _("Berkas HTML yang diunggah")


class ArticleState(models.TextChoices):
    PROPOSED = "PROPOSED", _("Menjadi usulan")
    IRRELEVANT = "IRRELEVANT", _("Tidak terkait netralitas")
    NOT_ARTICLE = "NOT_ARTICLE", _("Bukan artikel berita")
    OTHER_LANGUAGE = "OTHER_LANGUAGE", _("Bukan berbahasa Indonesia")


class Article(BaseModel):
    """One news article, stored once (canonical URL and text fingerprint), with its extraction
    kept for audit."""

    source = models.ForeignKey(
        NewsSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("sumber"),
    )
    origin = models.CharField(_("asal"), max_length=10, choices=ArticleOrigin.choices)
    url = models.URLField(_("alamat"), max_length=1000, blank=True)
    canonical_url = models.CharField(max_length=1000, blank=True, db_index=True)
    fingerprint = models.CharField(max_length=64, unique=True)
    title = models.CharField(_("judul"), max_length=500, blank=True)
    text = models.TextField(_("teks"))
    html_sha256 = models.CharField(max_length=64, blank=True)
    published_date = models.DateField(_("tanggal terbit"), null=True, blank=True)
    extraction = models.JSONField(_("hasil ekstraksi"), default=dict)
    extractor_version = models.CharField(max_length=20, blank=True)
    state = models.CharField(_("keadaan"), max_length=16, choices=ArticleState.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikel")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="news_article_canonical_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"#{self.pk}"


class ProposalKind(models.TextChoices):
    EVENT = "EVENT", _("Usulan kegiatan pencegahan")
    LEAD = "LEAD", _("Informasi awal dugaan pelanggaran")


class ProposalStatus(models.TextChoices):
    PENDING = "PENDING", _("Menunggu tinjauan")
    ACCEPTED = "ACCEPTED", _("Diterima")
    DISMISSED = "DISMISSED", _("Diabaikan")


class Proposal(BaseModel):
    """What an article suggests, waiting in the review queue of the unit whose jurisdiction
    the article names; nothing enters events or cases until an officer accepts it."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(_("jenis"), max_length=8, choices=ProposalKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
    )
    extraction = models.JSONField(_("hasil ekstraksi"), default=dict)
    event = models.ForeignKey(
        "declarations.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("usulan dari berita")
        verbose_name_plural = _("usulan dari berita")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.article}"
