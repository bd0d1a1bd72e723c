"""The pure survey tests (results, scale, tally) also run without Django.

``python -m pytest -p no:django -p no:playwright tests/surveys/test_results.py tests/surveys/test_tally.py``:
with pytest-django blocked, pyproject's ``DJANGO_SETTINGS_MODULE`` key would be
unknown (and warnings are errors), so declare it in that case only, as
tests/engine/conftest.py does.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if pluginmanager.is_blocked("django"):
        parser.addini("DJANGO_SETTINGS_MODULE", "Declared by tests/surveys/conftest.py while pytest-django is disabled.")
