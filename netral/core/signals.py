"""Signals between apps that must not import each other."""

from __future__ import annotations

from django.dispatch import Signal

# Sent (inside the writer's transaction) after a bulk load wrote many rows at once: an
# officials import, the demo data. The dashboard tallies fold their delta rows on it
# (netral/dashboards/tallies.py), so the first dashboard after a big import is as fast as
# any other.
bulk_written = Signal()
