"""Admin: the deadline rules and the holiday calendar are edited here (DOMAIN.md §5.7, §14)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from netral.cases.models import (
    Case,
    CaseEvent,
    DeadlineRule,
    Holiday,
    NotificationLog,
    RecipientProfile,
    SkbSanctionLevel,
    UnitLetterhead,
)
from netral.core import ttlcache
from netral.core import uploads as sniffing


def _offer_recompute(request: HttpRequest) -> None:
    """After a rule, holiday or recipient edit: open cases keep their old deadlines until they
    are recomputed (issue 12 point 6); offer it."""
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Tenggat perkara yang sedang berjalan belum berubah."),
            reverse("admin:cases_deadlinerule_recompute"),
            _("Hitung ulang tenggat perkara terbuka"),
        ),
        fail_silently=True,  # a request without the messages middleware (scripts, tests)
    )


class _ClearsDeadlineCache:
    """Rules and holidays are cached per process (netral/cases/deadlines.py): an edit here
    applies at once in this process, in the others within NETRAL_DEADLINE_RULES_CACHE_SECONDS."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        ttlcache.invalidate("deadline_rules")
        _offer_recompute(request)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        ttlcache.invalidate("deadline_rules")
        _offer_recompute(request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        ttlcache.invalidate("deadline_rules")
        _offer_recompute(request)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(_ClearsDeadlineCache, admin.ModelAdmin[DeadlineRule]):
    list_display = ["regime", "step", "amount", "unit", "anchor", "confidence", "legal_basis"]
    list_filter = ["regime", "confidence"]
    list_editable = ["amount", "unit"]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "recompute/",
                self.admin_site.admin_view(self.recompute_view),
                name="cases_deadlinerule_recompute",
            ),
            *super().get_urls(),
        ]

    def recompute_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the changes a recompute would make (dry run); POST: make them, audited."""
        from netral.cases.services.recompute import deadlines_recompute

        if not self.has_change_permission(request):
            return redirect("admin:index")
        if request.method == "POST":
            changes = deadlines_recompute(actor=request.user)  # type: ignore[arg-type]
            messages.success(
                request,
                _("%(n)s tenggat dihitung ulang dan dicatat di jejak audit.") % {"n": len(changes)},
            )
            return redirect("admin:cases_deadlinerule_changelist")
        from netral.core.zones import format_local, zone_for_code

        changes = deadlines_recompute(dry_run=True)
        regions = dict(
            Case.objects.filter(pk__in={c.case_id for c in changes}).values_list(
                "pk", "handling_region_id"
            )
        )
        rows = [
            {
                "reference": c.reference,
                "step": c.step,
                "old": format_local(c.old, zone_for_code(regions.get(c.case_id))),
                "new": format_local(c.new, zone_for_code(regions.get(c.case_id))),
            }
            for c in changes
        ]
        return TemplateResponse(
            request,
            "admin/cases/recompute_deadlines.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Hitung ulang tenggat perkara terbuka"),
                "changes": rows,
                "opts": self.model._meta,
            },
        )


@admin.register(RecipientProfile)
class RecipientProfileAdmin(_ClearsDeadlineCache, admin.ModelAdmin[RecipientProfile]):
    list_display = [
        "recipient",
        "letter_subject",
        "asn_follow_up",
        "follow_up_amount",
        "available_until",
        "confidence",
    ]
    list_filter = ["confidence", "asn_follow_up"]


class UnitLetterheadForm(forms.ModelForm[UnitLetterhead]):
    class Meta:
        model = UnitLetterhead
        fields = ["unit", "address", "place", "phone", "email", "website", "logo"]

    def clean_logo(self) -> Any:
        """A logo is accepted by its content (PNG or JPEG), never by its name."""
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            logo.seek(0)
            found = sniffing.sniff(logo.read(sniffing.HEAD_BYTES))
            logo.seek(0)
            if found is None or found.content_type not in ("image/png", "image/jpeg"):
                raise forms.ValidationError(_("Logo harus berkas PNG atau JPEG."))
        return logo


@admin.register(UnitLetterhead)
class UnitLetterheadAdmin(admin.ModelAdmin[UnitLetterhead]):
    form = UnitLetterheadForm
    list_display = ["unit", "place", "address"]
    search_fields = ["unit", "place"]


@admin.register(SkbSanctionLevel)
class SkbSanctionLevelAdmin(admin.ModelAdmin[SkbSanctionLevel]):
    list_display = ["code", "level", "target_status", "confidence", "note"]
    list_editable = ["level"]


@admin.register(Holiday)
class HolidayAdmin(_ClearsDeadlineCache, admin.ModelAdmin[Holiday]):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "actor", "from_status", "to_status", "note", "created_at"]
    fields = ("type", "actor", "from_status", "to_status", "note", "created_at")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Read-only: state changes go through the workflow, never through the admin."""

    list_display = ["id", "registration_number", "tracking_number", "origin", "status", "due_at"]
    list_filter = ["status", "origin", "regime"]
    search_fields = ["registration_number", "tracking_number", "title"]
    inlines = [CaseEventInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin[NotificationLog]):
    # A mail that failed for good shows here with its SMTP error; its job (admin "Pekerjaan
    # latar", handler notification_send_job) is FAILED too, and "Ulangi" sends it again.
    list_display = ["created_at", "kind", "recipient_email", "outcome", "error", "case"]
    list_filter = ["kind", "outcome"]
