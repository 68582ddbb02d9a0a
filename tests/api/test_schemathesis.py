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


# Operations whose request body carries a rule JSON Schema cannot state, with that rule.
# For these, only `not_a_server_error` runs; every other operation runs all checks. Every
# filter, action body, pagination parameter and response elsewhere is documented as it is.
KNOWN_FAILURES = {
    "POST /api/v1/data-resources/": (
        "ST202: `volume` must be > 0; a decimal string's schema (a pattern) cannot say so"
    ),
    "POST /api/v1/policies/": (
        "ST202: `conditions` is the condition language (conditions.engine.validate: fields, "
        "operators per field, `between` low <= high) and `jurisdiction` must be an existing "
        "region code; the schema documents both as free JSON / a string"
    ),
    "POST /api/v1/policies/preview/": (
        "ST202: as POST /api/v1/policies/ (`conditions`, `jurisdiction`)"
    ),
    "POST /api/v1/voucher-applications/": (
        "ST202: the contract must be a PDF by content and its dates inside the programme's "
        "window (multipart; a schema cannot state either)"
    ),
    "POST /api/v1/exports/": (
        "ST202: `list_name` must be a list the caller's role may export and `query` that "
        "list's filter parameters; the schema documents them as strings (found when the "
        "export and document branches met: to be tightened)"
    ),
    "POST /api/v1/financing-needs/": (
        "ST202: `amount` must be > 0; a decimal string's schema (a pattern) cannot say so"
    ),
    "POST /api/v1/listing-cases/": (
        "ST202: `enterprise` must be an enterprise of the caller's jurisdiction not yet in the "
        "pipeline; the schema documents an integer id"
    ),
    "POST /api/v1/recommendations/": (
        "ST202: `needs` must be open needs of the caller's jurisdiction and `institutions` "
        "approved ones (ids); DRF's CharField also takes a number as the `note`'s text"
    ),
    "POST /api/v1/recommendations/enterprises/": (
        "ST202: `enterprises` must be registry enterprises of the caller's jurisdiction and "
        "`institutions` approved ones (ids); DRF's CharField also takes a number as the note"
    ),
}


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
