"""Every download of the product, registered in one place, and the report's own exporters.

The report (DOCX, PDF, XLSX), the 自评表, 附件1 (of an evaluation, and of a
library template without scores) and 附件2 are rendered here from the
report's own tables; the budget workbook and the respondent sheet are
declared by their layers and registered here too. Views answer with
``evalsite.exports.download(exporter, subject)``; the command line renders
through the same exporters, so a file has the same name everywhere.
"""

from __future__ import annotations

from evalsite.exports import EvaluationFile, Exporter, Registry
from evaluations.exports import BUDGET_WORKBOOK
from evaluations.models import Evaluation
from reports.document import build_report, report_title
from reports.document_model import Document, Sheet, paragraph
from reports.enums import ReportFormat
from reports.indicator_annex import annex_workbook, evaluation_annex, system_annex
from reports.placeholder_values import placeholder_values
from reports.project_form import file_title, project_form_document
from reports.queries import ReportData, report_data, survey_part
from reports.selfeval import build_selfeval, selfeval_title
from reports.survey_annex import WORKBOOK_TITLE, survey_annex_document
from rubrics.exports import WORKING_PAPER_INDEX
from rubrics.models import IndicatorSystem, ProjectForm
from rubrics.queries import project_form_result
from surveys.exports import RESPONDENT_SHEET

NO_SURVEYS = "本项目没有满意度问卷。"


def document_for(data: ReportData, fmt: str, *, charts: bool = True) -> Document:
    """The document tree a format prints: the report (charts drawn unless XLSX) or the 自评表."""
    fmt = ReportFormat(fmt)
    if fmt in (ReportFormat.SELFEVAL_XLSX, ReportFormat.SELFEVAL_DOCX):
        return build_selfeval(data)
    return build_report(data, charts=charts and fmt != ReportFormat.XLSX)


def render_document(document: Document, fmt: str, *, archival: bool = False) -> bytes:
    """A document tree laid out in one format (each renderer's library is imported only when it is used);
    ``archival`` makes the PDF a PDF/A (the file stored at sign-off, ``reports.archive``)."""
    fmt = ReportFormat(fmt)
    if fmt in (ReportFormat.DOCX, ReportFormat.SELFEVAL_DOCX):
        from reports.render_docx import render_docx

        return render_docx(document)
    if fmt == ReportFormat.PDF:
        from reports.render_pdf import render_pdf

        return render_pdf(document, archival=archival)
    from reports.render_xlsx import render_xlsx

    return render_xlsx(document)


def render_data(data: ReportData, fmt: str, *, charts: bool = True, archival: bool = False) -> bytes:
    """The report or the 自评表 of already read data in one format (also timed by ``bench/``)."""
    return render_document(document_for(data, fmt, charts=charts), fmt, archival=archival)


def _xlsx(document: Document) -> bytes:
    from reports.render_xlsx import render_xlsx

    return render_xlsx(document)


class ReportExporter(Exporter):
    """The 绩效评价报告 (or the 自评表) of an evaluation in one format."""

    def __init__(self, fmt: ReportFormat, extension: str) -> None:
        self.identifier = fmt.value
        self.extension = extension
        self.selfeval = fmt in (ReportFormat.SELFEVAL_XLSX, ReportFormat.SELFEVAL_DOCX)

    def name(self, evaluation: Evaluation) -> str:
        """``2022年度延津县政务服务和大数据管理局部门整体支出绩效评价报告``; the 自评表 is named for itself."""
        return selfeval_title(evaluation) if self.selfeval else report_title(evaluation)

    def render(self, evaluation: Evaluation) -> bytes:
        return render_data(report_data(evaluation), self.identifier)


class IndicatorAnnex(EvaluationFile):
    """附件1 of an evaluation alone (the 指标体系评分表 download): the report's annex, 评分过程 filled."""

    identifier = "annex1-xlsx"
    extension = "xlsx"
    what = "指标体系评分表"

    def render(self, evaluation: Evaluation) -> bytes:
        data = report_data(evaluation)
        table = evaluation_annex(data, placeholder_values(data), printed=False)
        return _xlsx(annex_workbook(table, draft=not data.signed, author=evaluation.firm.name))


class TemplateAnnex(Exporter):
    """附件1 of a library template: the same table with its indicators and texts and no scores.

    Rendering raises ``rubrics.scoring.RuleError`` when the template cannot be read as a tree.
    """

    identifier = "template-annex1-xlsx"
    extension = "xlsx"

    def name(self, system: IndicatorSystem) -> str:
        return system.name

    def render(self, system: IndicatorSystem) -> bytes:
        table = system_annex(system.name, system.tree, system.settings)
        return _xlsx(annex_workbook(table, draft=False, author=system.firm.name))


class ProjectFormExporter(Exporter):
    """One 项目支出绩效自评表 (a ``rubrics.models.ProjectForm``) as the form, in XLSX or DOCX."""

    def __init__(self, extension: str) -> None:
        self.identifier = f"project-form-{extension}"
        self.extension = extension

    def name(self, project: ProjectForm) -> str:
        return file_title(project)

    def render(self, project: ProjectForm) -> bytes:
        from reports.render_docx import render_docx

        document = project_form_document(project, project_form_result(project))
        return render_docx(document) if self.extension == "docx" else _xlsx(document)


class SurveyAnnex(EvaluationFile):
    """附件2 of an evaluation: the report's blocks of each questionnaire, a sheet each."""

    identifier = "annex2-xlsx"
    extension = "xlsx"
    what = WORKBOOK_TITLE

    def render(self, evaluation: Evaluation) -> bytes:
        part = survey_part(evaluation)
        title = self.name(evaluation)
        if part is None:
            document = Document(
                title=title, blocks=(), draft=not evaluation.is_locked, sheets=(Sheet("附件2", (paragraph(NO_SURVEYS),)),)
            )
        else:
            document = survey_annex_document(part, title=title, draft=not evaluation.is_locked)
        return _xlsx(document)


EXTENSIONS = {
    ReportFormat.DOCX: "docx",
    ReportFormat.PDF: "pdf",
    ReportFormat.XLSX: "xlsx",
    ReportFormat.SELFEVAL_XLSX: "xlsx",
    ReportFormat.SELFEVAL_DOCX: "docx",
}
PROJECT_FORMS = {extension: ProjectFormExporter(extension) for extension in ("xlsx", "docx")}
INDICATOR_ANNEX = IndicatorAnnex()
TEMPLATE_ANNEX = TemplateAnnex()
SURVEY_ANNEX = SurveyAnnex()

#: Every download of the product.
EXPORTERS = Registry(
    *(ReportExporter(fmt, extension) for fmt, extension in EXTENSIONS.items()),
    INDICATOR_ANNEX,
    TEMPLATE_ANNEX,
    SURVEY_ANNEX,
    *PROJECT_FORMS.values(),
    BUDGET_WORKBOOK,
    RESPONDENT_SHEET,
    WORKING_PAPER_INDEX,
)
