"""Shared test setup. Engine tests (tests/engine) must also run with ``-p no:django``."""


def pytest_configure(config):
    if config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
