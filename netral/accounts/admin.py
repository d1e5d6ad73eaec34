from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from netral.accounts.models import Assignment, User


class AssignmentInline(admin.TabularInline[Assignment, User]):
    model = Assignment
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [AssignmentInline]
    list_display = ("username", "full_name", "email", "is_active", "is_demo")
    list_filter = ("is_active", "is_staff", "is_demo", "assignments__role")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Netral"), {"fields": ("full_name", "phone", "is_demo")}),
    )
