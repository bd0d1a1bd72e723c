"""Rendering a report in one format, and the one place that names the downloaded files."""

from __future__ import annotations

from dataclasses import dataclass

from evaluations.models import Evaluation
from reports.document import build_indicator_sheet, build_report, report_title
from reports.enums import ReportFormat
from reports.queries import ReportData, report_data
from reports.render_docx import render_docx
from reports.render_pdf import render_pdf
from reports.render_xlsx import render_xlsx
from reports.selfeval import build_selfeval, selfeval_title

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {
    ReportFormat.DOCX: "docx",
    ReportFormat.PDF: "pdf",
    ReportFormat.XLSX: "xlsx",
    ReportFormat.SELFEVAL_XLSX: "xlsx",
    ReportFormat.SELFEVAL_DOCX: "docx",
}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    filename: str
    content_type: str


def download_filename(evaluation: Evaluation, fmt: str) -> str:
    """``2022年度延津县政务服务和大数据管理局部门整体支出绩效评价报告.docx``; the 自评表 is named for itself."""
    extension = EXTENSIONS[ReportFormat(fmt)]
    if fmt in (ReportFormat.SELFEVAL_XLSX, ReportFormat.SELFEVAL_DOCX):
        return f"{selfeval_title(evaluation)}.{extension}"
    return f"{report_title(evaluation)}.{extension}"


def indicator_sheet_filename(evaluation: Evaluation) -> str:
    return f"{evaluation.year}{evaluation.department.name}指标体系评分表.xlsx"


def render_indicator_sheet(data: ReportData) -> bytes:
    """附件1 alone as XLSX (the 指标体系评分表 download)."""
    return render_xlsx(build_indicator_sheet(data))


def render_data(data: ReportData, fmt: str, *, charts: bool = True) -> bytes:
    fmt = ReportFormat(fmt)
    if fmt in (ReportFormat.SELFEVAL_XLSX, ReportFormat.SELFEVAL_DOCX):
        document = build_selfeval(data)
    else:
        document = build_report(data, charts=charts and fmt != ReportFormat.XLSX)
    if fmt in (ReportFormat.DOCX, ReportFormat.SELFEVAL_DOCX):
        return render_docx(document)
    if fmt == ReportFormat.PDF:
        return render_pdf(document)
    return render_xlsx(document)


def render(evaluation: Evaluation, fmt: str) -> Rendered:
    """One evaluation in one format (``docx``, ``pdf``, ``xlsx``, ``selfeval-xlsx``, ``selfeval-docx``)."""
    content = render_data(report_data(evaluation), fmt)
    extension = EXTENSIONS[ReportFormat(fmt)]
    return Rendered(content, download_filename(evaluation, fmt), CONTENT_TYPES[extension])
