"""These tests run without Django (``-p no:django``), like tests/engine.

pyproject.toml sets ``DJANGO_SETTINGS_MODULE`` for pytest-django and turns
warnings into errors; with the plugin blocked, pytest would fail on the
unknown key. Declare it here only in that case, so that this suite runs on its
own: ``python -m pytest tests/indicator_xlsx -p no:django -p no:playwright``.
"""

from __future__ import annotations

import pytest

DJANGO_INI_KEYS = ("DJANGO_SETTINGS_MODULE",)


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if pluginmanager.is_blocked("django"):
        for key in DJANGO_INI_KEYS:
            parser.addini(key, "Declared by tests/indicator_xlsx/conftest.py while pytest-django is disabled.")
