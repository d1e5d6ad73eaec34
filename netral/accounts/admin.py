from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
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
