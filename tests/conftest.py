"""Shared test setup. Engine tests (tests/engine) must also run with ``-p no:django``."""


def pytest_configure(config):
    if config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # The live server's request threads (Playwright keeps its connections alive) must not keep a
        # database connection past their request: with a persistent one, dropping the PostgreSQL test
        # database at the end of the session fails with "being accessed by other users".
        settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
