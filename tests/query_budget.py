"""Query budgets of list pages (issue #14): django-zeal's N+1 detector around one GET and
the number of queries it made. zeal's patches are applied once per test session (applied
twice, every call is counted twice and reads as an N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def patch_zeal_once():
    """django-zeal's descriptor patches (its AppConfig.ready does the same); only the
    requests wrapped in zeal_context are checked for N+1s."""
    import zeal.patch
    from zeal.constants import initialize_app_registry

    if getattr(zeal.patch, "_portal_patched", False):
        return
    initialize_app_registry()
    zeal.patch.patch()
    zeal.patch._portal_patched = True


def queries_of_get(client, url) -> int:
    """Queries of one GET (it must answer 200); django-zeal raises NPlusOneError on an N+1
    inside it."""
    from zeal import zeal_context

    patch_zeal_once()
    with zeal_context(), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
