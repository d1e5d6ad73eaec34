from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from netral.accounts.models import Assignment, User
from netral.accounts.services import (
    assignment_delete_audited,
    assignment_save_audited,
    user_save_audited,
    user_snapshot,
)
from netral.accounts.signin import login_unlock
from netral.accounts.twofactor import two_factor_reset


class AssignmentInline(admin.TabularInline[Assignment, User]):
    model = Assignment
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    """Every change made here goes through the audited services."""

    inlines = [AssignmentInline]
    list_display = ("username", "full_name", "email", "is_active", "is_demo")
    list_filter = ("is_active", "is_staff", "is_demo", "assignments__role")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Netral"), {"fields": ("full_name", "position", "phone", "is_demo")}),
    )

    actions = ["unlock_login", "reset_two_factor"]

    @admin.action(description=_("Atur ulang verifikasi dua langkah"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for user in queryset:
            two_factor_reset(user=user, actor=actor)
        self.message_user(
            request, _("Verifikasi dua langkah diatur ulang; pengguna mendaftar lagi saat masuk.")
        )

    @admin.action(description=_("Buka kunci masuk (percobaan gagal)"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        for user in queryset:
            login_unlock(username=user.get_username(), actor=actor)
        self.message_user(request, _("Kunci masuk dibuka."))

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        before = None
        if change:
            old = User.objects.filter(pk=obj.pk).first()
            before = user_snapshot(old) if old else None
        actor = request.user if isinstance(request.user, User) else None
        user_save_audited(user=obj, before=before, actor=actor)

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        actor = request.user if isinstance(request.user, User) else None
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            assignment_delete_audited(assignment=obj, actor=actor)
        for instance in instances:
            assignment_save_audited(assignment=instance, actor=actor)
        formset.save_m2m()
