"""Shared test setup. Engine tests (tests/engine) must also run with ``-p no:django``."""

import tempfile

import pytest


def pytest_configure(config):
    if config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # The live server's request threads (Playwright keeps its connections alive) must not keep a
        # database connection past their request: with a persistent one, dropping the PostgreSQL test
        # database at the end of the session fails with "being accessed by other users".
        settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
        # The shared cache of computed results lives in a folder of this run, emptied before each test.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": tempfile.mkdtemp(prefix="evalsite-cache-"),
            }
        }
        # Files the tests render or upload go to a folder of this run, never the project's media/.
        settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="evalsite-media-")
        # Background tasks run as they are queued (one test runs the real worker on the database queue).
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
            "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        }


@pytest.fixture(autouse=True)
def empty_cache(pytestconfig):
    """Each test starts with nothing cached (evaluation ids and versions repeat from one test to the next)."""
    if pytestconfig.pluginmanager.hasplugin("django"):
        from django.core.cache import cache

        cache.clear()
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, dropped at the end of the session even if a thread of some test still holds a
    connection to it (PostgreSQL refuses DROP DATABASE then): such sessions are named on stderr and ended."""
    yield
    import sys

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, left(query, 200) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for pid, state, query in cursor.fetchall():
            print(f"\nleft open by a test: PostgreSQL session {pid} ({state}): {query}", file=sys.stderr)
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.close()
