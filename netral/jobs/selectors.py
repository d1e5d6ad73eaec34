"""Reads about background work for pages (a job's state, whether any worker is alive)."""

from __future__ import annotations

from netral.jobs.services import workers_alive


def worker_is_alive() -> bool:
    """Has any worker beaten within NETRAL_WORKER_STALE_SECONDS?"""
    return bool(workers_alive())
