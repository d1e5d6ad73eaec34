"""Issue 14, point 7: schemathesis against /api/v1/openapi.json, in the suite.

Every operation gets generated requests (valid and invalid: huge integers, far dates, long
strings, unicode) as a signed-in national officer; each response must be below 500, carry a
status code the schema documents, and match the documented body.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import verify_second_factor
from tests.dashboards.conftest import World, world  # noqa: F401 (fixture)


def _schema() -> Any:
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """Django closes database connections at the end of each request it serves; the test
    client switches that off, schemathesis's WSGI client does not. Keep the test's connection
    (and its transaction) open across the generated requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session_cookie(world: World, dora: Any) -> dict[str, str]:  # noqa: F811
    client = Client()
    client.force_login(dora)
    verify_second_factor(client, dora)
    return {"sessionid": client.cookies["sessionid"].value}


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_every_api_operation_answers_within_its_schema(
    case: Any, session_cookie: dict[str, str]
) -> None:
    case.call_and_validate(
        cookies=session_cookie,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
