from __future__ import annotations

from django.db import models


class BaseModel(models.Model):
    """created_at/updated_at on every domain table."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DataKeyRotation(models.Model):
    """One run of `netral rotate_data_key` (issue 14 pt 15): the new data key and how many
    stored values were encrypted again with it; its audit chain records the run."""

    key_id = models.CharField(max_length=16)
    values = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.key_id} ({self.values})"
