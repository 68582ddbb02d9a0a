"""Schemathesis against the live OpenAPI schema (/api/schema/), as an enterprise member
and as a bureau user: no server error, no answer the schema does not describe."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from accounts.services import issue_api_token
from tests.permission_world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        world = build_world()
        yield {
            role: issue_api_token(user=world["users"][role])[1]
            for role in ("enterprise_a", "city_bureau")
        }
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django closes the connection at the end of each WSGI request, which would end the
    test's transaction; the test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Operations whose schema does not yet tell the truth, with the first failure seen (the
# code is schemathesis'). For these, only `not_a_server_error` runs; every other operation
# runs all checks. Remove an entry once its operation documents what it really does.
LENIENT_FILTER = "ST201: a list filter accepts a value outside its type or enum (ignored)"
STRICTER_THAN_DOCUMENTED = "ST202: a schema-valid request is refused (stricter than documented)"
BODY_DIFFERS = "ST108: the response body differs from its schema (nullable, enum fields)"
KNOWN_FAILURES = {
    "GET /api/v1/transfer-requests/": LENIENT_FILTER,
    "POST /api/v1/enterprises/{id}/return-verification/": STRICTER_THAN_DOCUMENTED,
    "POST /api/v1/policies/{id}/withdraw/": STRICTER_THAN_DOCUMENTED,
    "GET /api/v1/adjustment-proposals/": LENIENT_FILTER,
    "GET /api/v1/adjustment-runs/": LENIENT_FILTER,
    "GET /api/v1/annual-reports/": STRICTER_THAN_DOCUMENTED,
    "GET /api/v1/applications/": STRICTER_THAN_DOCUMENTED,
    "GET /api/v1/data-resources/": LENIENT_FILTER,
    "GET /api/v1/enterprises/": LENIENT_FILTER,
    "GET /api/v1/growth-labels/": STRICTER_THAN_DOCUMENTED,
    "GET /api/v1/me/": BODY_DIFFERS,
    "GET /api/v1/notifications/": LENIENT_FILTER,
    "GET /api/v1/policies/": LENIENT_FILTER,
    "GET /api/v1/policy-grants/": LENIENT_FILTER,
    "GET /api/v1/regions/": BODY_DIFFERS,
    "GET /api/v1/rounds/": LENIENT_FILTER,
    "GET /api/v1/score-sheets/": STRICTER_THAN_DOCUMENTED,
    "GET /api/v1/service-records/": STRICTER_THAN_DOCUMENTED,
    "POST /api/v1/adjustment-proposals/bulk-confirm/": STRICTER_THAN_DOCUMENTED,
    "POST /api/v1/adjustment-runs/": STRICTER_THAN_DOCUMENTED,
    "POST /api/v1/data-resources/": STRICTER_THAN_DOCUMENTED,
    "POST /api/v1/policies/": STRICTER_THAN_DOCUMENTED,
    "POST /api/v1/policies/preview/": STRICTER_THAN_DOCUMENTED,
    # The contract must be a PDF by content and the dates inside the programme's window:
    # rules a schema cannot state (issue #10; as for POST /api/v1/data-resources/).
    "POST /api/v1/voucher-applications/": STRICTER_THAN_DOCUMENTED,
}  # fmt: skip


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("role", ["enterprise_a", "city_bureau"])
def test_api_answers_as_its_schema_says(case, role, tokens):
    headers = {"Authorization": f"Token {tokens[role]}"}
    if case.operation.label in KNOWN_FAILURES:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])
    else:
        case.call_and_validate(headers=headers)


def test_known_failures_name_real_operations():
    labels = {operation.ok().label for operation in schema.get_all_operations()}
    assert set(KNOWN_FAILURES) <= labels, set(KNOWN_FAILURES) - labels
