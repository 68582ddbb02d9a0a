import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation


@pytest.fixture(autouse=True, scope="session")
def _fast_settings():
    """For the whole session, so that fixtures of every scope (tests/demo's module-scoped
    demo world too) run with the same settings as the tests; a test's `settings` changes
    are undone back to these."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CELERY_TASK_ALWAYS_EAGER=True,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _isolated_cache():
    cache.clear()
    yield
    translation.deactivate()  # a request in English must not leave the next test in English


@pytest.fixture(autouse=True, scope="session")
def _eager_celery():
    """Tasks run in-process in tests, except where a test starts a real worker."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _regions_survive_flush(request):
    """Transactional tests flush every table, including the GB/T 2260 regions the
    migration loaded; put them back for tests that run after such a flush."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        marker = request.node.get_closest_marker("django_db")
        if not (marker and marker.kwargs.get("transaction")):
            return
        request.getfixturevalue("transactional_db")
    from accounts.models import Region
    from accounts.regions import load_regions

    if not Region.objects.exists():
        load_regions(Region)


@pytest.fixture(scope="session")
def django_db_keepdb(django_db_keepdb):
    """The SQLite test database is a file (config/settings.py: WAL, as `make run` uses) but
    made afresh every run, as the in-memory one was: a transactional test's final flush must
    not leave the next run without the regions and holidays that the migrations load.
    PostgreSQL keeps --reuse-db."""
    from django.conf import settings

    sqlite = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    return django_db_keepdb and not sqlite
