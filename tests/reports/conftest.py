"""The demo reports, built and rendered once per test session (the database changes are rolled back)."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from evaluations.models import Evaluation
from evaluations.permissions import team_prefetch
from reports.document import build_report
from reports.document_model import Document
from reports.queries import ReportData, report_data
from reports.render_docx import render_docx
from reports.render_pdf import render_pdf
from reports.render_xlsx import render_xlsx
from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric, team

YANJIN = "延津县政务服务和大数据管理局"
SHAWAN = "沙湾市政务服务中心"


@dataclass(frozen=True)
class Rendered:
    data: ReportData
    document: Document
    docx: bytes
    pdf: bytes
    xlsx: bytes


def evaluation_named(name: str) -> Evaluation:
    return (
        Evaluation.objects.select_related("department", "bureau", "firm")
        .prefetch_related(team_prefetch())
        .get(department__name=name)
    )


def render_all(evaluation: Evaluation) -> Rendered:
    data = report_data(evaluation)
    document = build_report(data)
    return Rendered(data, document, render_docx(document), render_pdf(document), render_xlsx(document))


@pytest.fixture
def evaluation():
    """A small scored evaluation of 2022 with 延津's budget figures (its A11 judged, B11 bound)."""
    return small_rubric(EvaluationFactory(budget=YANJIN_BUDGET, year=2022))


@pytest.fixture
def people(evaluation):
    return team(evaluation)


@pytest.fixture(scope="session")
def demo_reports(django_db_setup, django_db_blocker) -> dict[str, Rendered]:
    """延津 and 沙湾 rendered to DOCX, PDF and XLSX from the demo data."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())  # 延津 carries seed 002's two questionnaires (附件2)
        reports = {name: render_all(evaluation_named(name)) for name in (YANJIN, SHAWAN)}
        transaction.set_rollback(True)
    return reports


@pytest.fixture(scope="session")
def yanjin(demo_reports) -> Rendered:
    return demo_reports[YANJIN]


@pytest.fixture(scope="session")
def shawan(demo_reports) -> Rendered:
    return demo_reports[SHAWAN]


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = False, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        command.append("-layout")
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    return subprocess.run([*command, str(path), "-"], check=True, capture_output=True).stdout.decode()


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of every page (pdftotext separates pages with a form feed)."""
    return pdf_text(pdf, tmp_path).split("\f")[:-1]


W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """A WordprocessingML tag or attribute name in Clark notation (what python-docx's ``qn("w:…")`` gives)."""
    return f"{{{W_NAMESPACE}}}{tag}"


def open_docx(content: bytes):
    """A DOCX opened with python-docx (imported here: the heavy import stays out of module level)."""
    from docx import Document

    return Document(io.BytesIO(content))


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed (scripts/setup.sh installs poppler-utils)")
    return path


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Signing stores files (and evidence is uploaded) under a temporary MEDIA_ROOT, never the project's."""
    settings.MEDIA_ROOT = tmp_path / "media"
