from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "netral.jobs"
    label = "jobs"
    verbose_name = _("Pekerjaan latar")
