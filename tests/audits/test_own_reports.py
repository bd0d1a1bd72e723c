"""Reports made here pass the 复核, read from their own Word files; five figures altered in one yield exactly five findings."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audits.checks.base import ERROR
from audits.selfcheck import SIGN_OFF_REVIEW_SHAPE, check_docx, signed_report_errors
from evalsite.accounts.models import User
from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from reports.archive import freeze
from reports.checks import Stage, check_context, run_checks
from reports.enums import SectionKey
from reports.queries import outline_of
from reports.services import save_section
from tests.reports.conftest import SHAWAN, YANJIN, open_docx

YANJIN_ANNEX = "延津县政务服务和大数据管理局部门整体支出绩效评价指标体系评分表"


def test_the_yanjin_report_has_no_error_and_two_deductions_its_problems_do_not_name(demo_docx):
    outcome = check_docx(demo_docx[YANJIN])
    assert outcome.errors == []
    assert [(f.check, f.place) for f in outcome.warnings] == [
        ("problems", f"{YANJIN_ANNEX}，第6行（A23绩效指标明确性）"),
        ("problems", f"{YANJIN_ANNEX}，第27行（C22大数据综合服务监管体系建设实现率）"),
    ]
    notes = " ".join(note.message for note in outcome.notes)
    assert "企业和办事群众满意度90.43%可由附件2的份数按加权得分法（各题平均）" in notes
    assert "大厅入驻单位工作人员满意度97.88%可由附件2的份数按前两项占比法（各题平均）" in notes


def test_the_shawan_report_has_no_error_and_keeps_the_seeds_c52(demo_docx):
    """The demo keeps seed 000's indicator codes (C52 after C41), its texts' problems and its outline (the 新疆
    profile: no cover, no 评价工作开展情况 chapter, against the reference outline), so those warnings remain."""
    outcome = check_docx(demo_docx[SHAWAN])
    assert outcome.errors == []
    assert {f.check for f in outcome.warnings} == {"numbering", "problems", "cover", "outline"}
    assert [f.message for f in outcome.warnings if f.check == "numbering"] == ["编码不连续：C41之后为C52，缺少C51"]


# ---------------------------------------------------------------------------
# Five figures altered


def _caption_before(element, document) -> str:
    from docx.text.paragraph import Paragraph

    previous = element.getprevious()
    while previous is not None:
        if previous.tag.endswith("}p"):
            text = Paragraph(previous, document).text.strip()
            if text and not text.startswith("单位"):
                return text
        previous = previous.getprevious()
    return ""


def alter_cell(document, caption: str, row_label: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the row labelled ``row_label`` of the table captioned ``caption…``."""
    for table in document.tables:
        if not _caption_before(table._tbl, document).startswith(caption):
            continue
        for row in table.rows:
            if row_label in [cell.text for cell in row.cells]:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            if run.text == old:
                                run.text = new
                                return
    raise AssertionError(f"{caption} {row_label} {old} not found")


def alter_text(document, containing: str, old: str, new: str, *, after: str = "") -> None:
    """Replace ``old`` in the first paragraph containing ``containing`` (after the heading ``after``)."""
    seen = not after
    for paragraph in document.paragraphs:
        seen = seen or paragraph.text.startswith(after)
        if seen and containing in paragraph.text:
            for run in paragraph.runs:
                if old in run.text:
                    run.text = run.text.replace(old, new)
                    return
    raise AssertionError(f"{containing} {old} not found")


def test_five_figures_altered_in_tables_and_text_give_exactly_those_five_findings(demo_docx):
    document = open_docx(demo_docx[YANJIN])
    alter_cell(document, "表4-1", "部门管理", "88.00%", "80.00%")
    alter_cell(document, "表2-3", "电费", "3.57%", "3.75%")
    alter_text(document, "总体得分为86.00分", "86.00分", "88.00分", after="四、综合评价情况及评价结论")
    alter_text(document, "综合满意度90.43%", "90.43%", "93.32%")
    alter_text(document, "A11部门职能明确性", "本项指标得2.00分", "本项指标得1.50分")
    out = io.BytesIO()
    document.save(out)

    before = check_docx(demo_docx[YANJIN])
    after = check_docx(out.getvalue())
    new = [f for f in after.findings if f.identity not in {g.identity for g in before.findings}]
    assert len(after.findings) == len(before.findings) + 5
    assert {(f.severity, f.check, f.place.split("：“")[0], f.expected, f.found) for f in new} == {
        (ERROR, "rates", "表4-1 延津县政务大数据局部门整体评价得分表，第3行（部门管理）", "88.00%", "80.00%"),
        (ERROR, "budget_rates", "表2-3 2022年度延津县政务大数据局基本支出情况表，第13行（商品和服务支出·电费）", "3.57%", "3.75%"),
        (ERROR, "text_figures", "（二）评价结论", "86.00", "88.00"),
        (ERROR, "surveys", "3.满意度",
         "加权得分法（各题平均）90.43%；加权得分法（合并计算）90.43%；前两项占比法（各题平均）91.79%；前两项占比法（合并计算）91.81%",
         "93.32%"),
        (ERROR, "process", "1.部门职能", "2.00", "1.50"),
    }
    assert [f for f in after.warnings if f.check != "problems"] == []
    quoted = {f.check: f.place for f in new}
    assert "总体得分为88.00分" in quoted["text_figures"] and "综合满意度93.32%" in quoted["surveys"]
    assert "本项指标得1.50分" in quoted["process"]


# ---------------------------------------------------------------------------
# The signed report


@pytest.mark.django_db
def test_the_signed_yanjin_report_stored_at_sign_off_gives_zero_errors(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    Evaluation.objects.filter(department__name=YANJIN).update(status=EvaluationStatus.SIGNED)
    evaluation = Evaluation.objects.select_related("department", "firm", "bureau").get(department__name=YANJIN)
    freeze(evaluation, version=1, signed_by=User.objects.get(username="reviewer"), signed_at=timezone.now())

    assert signed_report_errors(evaluation) == []



# ---------------------------------------------------------------------------
# The sign-off runs the 复核


def bureau_review_findings(evaluation) -> list:
    return [f for f in run_checks(check_context(evaluation), Stage.SIGN_OFF) if f.check == "bureau_review"]


@pytest.mark.django_db
def test_the_sign_off_checks_run_the_review_and_a_hand_typed_ratio_blocks_it():
    call_command("load_demo", stdout=io.StringIO())
    evaluation = Evaluation.objects.select_related("department", "firm", "bureau").get(department__name=YANJIN)
    assert bureau_review_findings(evaluation) == []
    assert "bureau_review" not in {f.check for f in run_checks(check_context(evaluation))}  # only at the step

    save_section(evaluation, SectionKey.BUDGET_EXPENSE, "2022年度全年支出预算执行率为90.00%。")
    findings = bureau_review_findings(evaluation)
    assert [f.blocking for f in findings] == [True]
    assert findings[0].message == (
        "财政局复核将指出：预算执行率文字写90.00%，按预算表计算为100.00%（预算执行率 = 335.96 / 335.96 = 100.00%）"
        "（（二）部门支出预决算情况：“2022年度全年支出预算执行率为90.00%。”）"
    )
    assert findings[0].url == reverse("report_preview", args=[evaluation.pk])
    assert "bureau_review" not in {f.check for f in run_checks(check_context(evaluation), Stage.SUBMIT)}
    # Kept under the content version and the profile: the review page shown again does not render the Word file again.
    key = f"signoff-review:{SIGN_OFF_REVIEW_SHAPE}:{evaluation.pk}:{evaluation.content_version}:{outline_of(evaluation).key}"
    assert cache.get(key) == [findings[0].message]
    assert bureau_review_findings(evaluation) == findings
    save_section(evaluation, SectionKey.BUDGET_EXPENSE, "2022年度全年支出预算执行率为100.00%。")  # a new version
    assert bureau_review_findings(evaluation) == []
