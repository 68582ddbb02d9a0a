import io

import pytest
from django.core.management import call_command
from django.db import transaction

WORLD_ENTERPRISES = 300


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo data set (`seed_demo --enterprises 300`; the fixture's value is that count)
    seeded once per module, inside a transaction rolled back after the module's last test.

    Each test still runs in its own transaction (the `db` fixture, a savepoint inside this
    one), so whatever a test writes is undone before the next; and since the world is never
    committed, no other module sees it, with --reuse-db neither. Under xdist each worker
    that runs tests of the module seeds once. For modules whose every test works on this
    world and none is transactional (a transactional test would flush it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--enterprises", str(WORLD_ENTERPRISES), stdout=io.StringIO())
        with django_db_blocker.block():
            yield WORLD_ENTERPRISES
        transaction.set_rollback(True)
