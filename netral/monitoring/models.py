"""Deadline alerts: one row per (target, step, kind, due time), so each alert fires once."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeadlineAlert(models.Model):
    class Kind(models.TextChoices):
        WARNING = "WARNING", _("Tenggat mendekat")
        OVERDUE = "OVERDUE", _("Tenggat terlewati")
        ESCALATION = "ESCALATION", _("Eskalasi rekomendasi")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="alerts")
    recommendation = models.ForeignKey(
        "cases.Recommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    step = models.CharField(max_length=32)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step", "kind", "due_at"],
                condition=Q(recommendation__isnull=True),
                name="deadline_alert_once_per_case_step",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "step", "kind", "due_at"],
                condition=Q(recommendation__isnull=False),
                name="deadline_alert_once_per_recommendation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.kind}"
