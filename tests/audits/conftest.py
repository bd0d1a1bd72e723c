"""The demo reports rendered to Word once per session, for the 复核 to read (the database changes are rolled back)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from reports.exports import render_data
from reports.queries import report_data
from tests.reports.conftest import SHAWAN, YANJIN, evaluation_named


@pytest.fixture(scope="session")
def demo_docx(django_db_setup, django_db_blocker) -> dict[str, bytes]:
    """延津 and 沙湾 as our DOCX renderer writes them (charts left out: they state no figure)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        rendered = {name: render_data(report_data(evaluation_named(name)), "docx", charts=False) for name in (YANJIN, SHAWAN)}
        transaction.set_rollback(True)
    return rendered
