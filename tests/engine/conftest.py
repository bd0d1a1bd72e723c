"""The engine tests run without Django (``-p no:django``).

pyproject.toml sets ``DJANGO_SETTINGS_MODULE`` for pytest-django and turns
warnings into errors; with the plugin blocked, pytest would fail on the
unknown key. Declare it here only in that case, so that the engine suite runs
on its own: ``python -m pytest tests/engine -p no:django -p no:playwright``.
"""

from __future__ import annotations

import pytest

DJANGO_INI_KEYS = ("DJANGO_SETTINGS_MODULE",)


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if pluginmanager.is_blocked("django"):
        for key in DJANGO_INI_KEYS:
            parser.addini(key, "Declared by tests/engine/conftest.py while pytest-django is disabled.")
