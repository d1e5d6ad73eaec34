from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker calls close_old_connections() between tasks, as Django does between
    requests; inside a test's transaction that would close the test's connection, so it is
    a no-op here (as Django's test client disconnects it from request_started)."""
    from django_tasks_db.management.commands import db_worker

    from netral.jobs import worker

    def keep(**kwargs: Any) -> None:
        return None

    monkeypatch.setattr(db_worker, "close_old_connections", keep)
    monkeypatch.setattr(worker, "close_old_connections", keep)
