"""Every URL of the portal and the API, asked by every role: the outcome is the one
declared in tests/permission_matrix.py. A URL without a row fails, naming itself."""

import json
from http.cookies import SimpleCookie

import pytest
from django.contrib import messages
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import permission_matrix as matrix
from tests.permission_world import ROLES, build_world

pytestmark = pytest.mark.django_db
WRITES = ("post", "put", "patch", "delete")


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace or ""
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield prefix + str(entry.pattern), name, entry


def url_patterns() -> dict[str, URLPattern]:
    """Every pattern once, keyed by its URL name (its route when it has none); the
    router's `.json` twins and the admin (one row, matrix.ADMIN) left out."""
    found = {}
    for route, name, entry in _walk(get_resolver()):
        if route.startswith("admin/") or "(?P<format>" in route or "<drf_format_suffix" in route:
            continue
        found.setdefault(name or route, entry)
    return found


PATTERNS = url_patterns()


def methods(entry: URLPattern) -> list[str]:
    """GET and the write methods the view accepts: a DRF view says which; a page view
    is asked GET and POST (a page that only reads answers 405 to POST)."""
    view = entry.callback
    actions = getattr(view, "actions", None)
    if actions is not None:  # a viewset: its routed actions it has not switched off
        accepted = [m for m in actions if m in view.cls.http_method_names]
    elif hasattr(view, "view_class"):
        accepted = [m for m in view.view_class.http_method_names if hasattr(view.view_class, m)]
    else:
        accepted = ["get", "post"]
    return ["get", *[m for m in WRITES if m in accepted]]


REFUSED_BY_MESSAGE = "403 as an error message and a redirect"


def _refused_by_message(response) -> bool:
    """A redirect carrying "您无权…": a role refused in a flash message instead of a 403."""
    request = getattr(response, "wsgi_request", None)
    if response.status_code != 302 or request is None:
        return False
    return any(
        message.level == messages.ERROR and "无权" in str(message)
        for message in messages.get_messages(request)
    )


def outcome(response) -> str:
    if response.status_code >= 500:
        return str(response.status_code)
    if _refused_by_message(response):
        return REFUSED_BY_MESSAGE
    if response.status_code == 401 or (
        response.status_code == 302 and "/login/" in response["Location"]
    ):
        return matrix.LOGIN
    if response.status_code in (403, 404):
        return str(response.status_code)
    return matrix.OK


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        built = build_world()
        clients = {}
        for role, user in built["users"].items():
            clients[role] = Client()
            if user is not None:
                clients[role].force_login(user)
        built["clients"] = clients
        yield built
        transaction.set_rollback(True)


def _address(key: str, entry: URLPattern, world) -> str:
    if entry.name is None:  # a moved page's old address
        return "/" + key.strip("^$").replace("(?P<rest>.*)", "")
    if key == "password_reset_confirm":
        return reverse(key, args=world["reset"])
    kwargs = {}
    for param in entry.pattern.regex.groupindex:
        source = matrix.PARAMS.get(key, {}).get(param) or matrix.DEFAULT_PARAMS.get(param)
        assert source, f"{key}: no world object declared for its <{param}> (matrix.PARAMS)"
        value = world[source] if isinstance(source, str) and source in world else source
        kwargs[param] = getattr(value, "pk", value)
    return reverse(key, kwargs=kwargs)


def _ask(client, method, address):
    """One request, its writes rolled back and the client's cookies put back (a logout
    must not sign the role out of the rest of the matrix) so the next request meets the
    same world."""
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        if method == "get":
            response = client.get(address)
        elif address.startswith("/api/"):
            response = getattr(client, method)(address, json.dumps({}), "application/json")
        else:
            response = getattr(client, method)(address, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def test_every_row_names_a_url():
    stale = sorted(set(matrix.ROWS) - set(PATTERNS) - {matrix.ADMIN})
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(PATTERNS))
def test_permission_matrix(key, world):
    assert key in matrix.ROWS, (
        f"URL {key!r} has no row in tests/permission_matrix.py: declare who may use it"
    )
    entry = PATTERNS[key]
    address = _address(key, entry, world)
    expected, actual = {}, {}
    for role in ROLES:
        for method in methods(entry):
            expected[role, method] = matrix.expected(key, role, method)
            actual[role, method] = outcome(_ask(world["clients"][role], method, address))
    wrong = {k: f"expected {expected[k]}, got {v}" for k, v in actual.items() if v != expected[k]}
    assert not wrong, f"{key} ({address}): {wrong}"


def test_admin_site_is_for_admins_only(world):
    for role in ROLES:
        response = world["clients"][role].get("/admin/")
        assert outcome(response) == matrix.expected(matrix.ADMIN, role, "get"), role
