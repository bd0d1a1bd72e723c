"""Every check before submit and sign-off trips: a clean evaluation, one thing broken, that check's finding."""

import dataclasses
from decimal import Decimal

import pytest

from evaluations import services as evaluation_services
from evaluations.enums import TeamRole
from reports import services as report_services
from reports.checks import (
    BUREAU_CHECKLIST,
    CHECKS,
    Severity,
    Stage,
    bureau_checklist,
    check_context,
    run_checks,
)
from reports.document_model import Cover
from reports.enums import SectionKey
from reports.models import Problem, ReviewComment, Suggestion
from rubrics import services as rubric_services
from rubrics.models import Indicator, Judgment
from surveys.models import Questionnaire
from tests.factories import economic_line
from tests.reports.ready import ready_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return ready_evaluation()


def findings_of(evaluation, check, stage=None):
    return [f for f in run_checks(check_context(evaluation), stage) if f.check == check]


def judgment(evaluation, code="A11"):
    return Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code=code)


def test_the_ready_evaluation_passes_every_check(evaluation):
    assert run_checks(check_context(evaluation)) == []
    assert all(result.passed for result in bureau_checklist(check_context(evaluation)))


def unscored(e):
    judgment(e).delete()


def scoring_error(e):
    judgment(e).update(override_score=Decimal("99"), override_reason="超出权重")


def override_without_reason(e):
    judgment(e).update(override_score=Decimal("30"), override_reason="  ")


def stated_score(e):
    judgment(e).update(process="经核查，绩效目标合理，得分=3分。")


def stale_input(e):
    b11 = Indicator.objects.get(evaluation=e, code="B11")
    rubric_services.save_judgment(b11, inputs={}, user=None, process="按预算执行率计算。")
    evaluation_services.save_budget(e, {"project_final": Decimal("100.00")})


def survey_counts(e):
    Questionnaire.objects.filter(evaluation=e, group="企业和办事群众").update(valid=10)


def empty_chapter(e):
    report_services.save_section(e, SectionKey.EXPERIENCE, "")


def basic_info(e):
    e.memberships.filter(role=TeamRole.LEAD).delete()


def cover(e):
    e.report_date = None
    e.save(update_fields=["report_date"])


def process_placeholder(e):
    judgment(e).update(process="见{不存在的数}。依据评分细则，本项指标得40分。")


def deduction_problem(e):
    evaluation_services.save_budget(e, {"general_final": Decimal("150.00"), "project_final": Decimal("50.00")})


def problem_links(e):
    Problem.objects.get(evaluation=e).indicators.clear()


def budget(e):
    economic_line(e, name="基本工资", amount="1.00")


def selfeval(e):
    e.indicators.filter(code="A11").update(target="")


def optional_chapter(e):
    report_services.reset_section(e, SectionKey.OTHER)


def open_comments(e):
    ReviewComment.objects.create(
        evaluation=e, version=1, target_kind="indicator", target_key="A11", target_label="A11绩效目标合理性",
        text="请补充会议纪要。", author=e.people[TeamRole.REVIEWER],
    )


#: check → (what breaks it, the severity, a message it then gives, where it sends the reader)
BREAKERS = {
    "unscored": (unscored, Severity.ERROR, "A11绩效目标合理性尚未评分。", "/indicators/A11/"),
    "scoring_errors": (scoring_error, Severity.ERROR, "评分有误：A11：调整后的得分99超出0至40分的范围", "/indicators/A11/"),
    "override_reason": (override_without_reason, Severity.ERROR, "A11：调整了得分却没有写明理由。", "/indicators/A11/"),
    "stated_score": (stated_score, Severity.ERROR, "A11绩效目标合理性：评分过程写得3分，计算得分为40.00分，请修改评分过程。",
                     "/indicators/A11/"),
    "stale_input": (stale_input, Severity.ERROR, "B11预算执行率：所用的预算数据已变化，请复核后重新保存评分。", "/indicators/B11/"),
    "survey_counts": (survey_counts, Severity.ERROR, "企业和办事群众问卷：第1题合计78份，多于有效问卷10份", "/surveys/"),
    "empty_chapter": (empty_chapter, Severity.ERROR, "“六、主要经验做法”一章没有内容。", "/report/#section-experience"),
    "basic_info": (basic_info, Severity.ERROR, "尚未指定主评人（基本信息表和签字处要写明）。", "/evaluations/"),
    "cover": (cover, Severity.ERROR, "封面的“评价日期”还是“—”。", "/evaluations/"),
    "process_placeholder": (process_placeholder, Severity.ERROR, "A11评分过程中有未知的占位符{不存在的数}。", "/indicators/A11/"),
    "deduction_problem": (deduction_problem, Severity.WARNING, "B11预算执行率有扣分，但没有关联到任何存在的问题。",
                          "/report/#problems"),
    "problem_links": (problem_links, Severity.WARNING, "问题“绩效目标不够细化”没有关联指标。", "/report/#problems"),
    "budget": (budget, Severity.WARNING, "表2-3基本支出明细合计1.00万元，与表2-2基本支出决算数180.10万元不一致。", "/budget/"),
    "selfeval": (selfeval, Severity.WARNING,
                 "自评表：以下指标没有年度指标值（标杆值或绩效目标申报表中同名指标的指标值）：A11绩效目标合理性。", "/report/"),
    "optional_chapter": (optional_chapter, Severity.WARNING, "报告缺少“其他需要说明的问题”一章（参考提纲要求）。", "/report/"),
    "open_comments": (open_comments, Severity.ERROR, "复核意见未关闭：A11绩效目标合理性——请补充会议纪要。",
                      "/review/comments/#comment-"),
}


def test_every_check_has_a_breaker():
    assert set(BREAKERS) == {spec.key for spec in CHECKS}


@pytest.mark.parametrize("check", sorted(BREAKERS))
def test_each_check_trips(evaluation, check):
    breaker, severity, message, where = BREAKERS[check]
    assert findings_of(evaluation, check) == []
    breaker(evaluation)
    found = findings_of(evaluation, check)
    assert [f.severity for f in found] == [severity] * len(found) and found
    assert any(f.message.startswith(message) and where in f.url for f in found), found


def test_open_comments_block_sign_off_but_not_submission(evaluation):
    open_comments(evaluation)
    assert findings_of(evaluation, "open_comments", Stage.SUBMIT) == []
    assert len(findings_of(evaluation, "open_comments", Stage.SIGN_OFF)) == 1


def test_an_unexplained_override_is_reported_once(evaluation):
    override_without_reason(evaluation)
    messages = [f.message for f in run_checks(check_context(evaluation))]
    assert messages == ["A11：调整了得分却没有写明理由。"]


def printing_basic_info(evaluation) -> None:
    """Follow seed 000's outline, which prints the 绩效评价基本信息表 (the reference outline does not)."""
    from reports.models import ReportProfile
    from reports.profile_services import choose_profile

    choose_profile(evaluation, ReportProfile.objects.get(firm=evaluation.firm, slug="xinjiang-seed-000"))


def test_survey_facts_missing_from_the_basic_information_table_block(evaluation):
    printing_basic_info(evaluation)
    Questionnaire.objects.filter(evaluation=evaluation).delete()
    messages = [f.message for f in findings_of(evaluation, "basic_info") if f.severity == Severity.ERROR]
    assert messages == [
        "基本信息表的“发放调查问卷（份）”还是“—”。",
        "基本信息表的“回收有效问卷（份）”还是“—”。",
        "基本信息表的“满意度情况”还是“—”。",
    ]


def test_a_missing_contact_person_is_a_warning_only(evaluation):
    printing_basic_info(evaluation)
    evaluation_services.save_department_facts(evaluation, {"contact_person": ""})
    found = findings_of(evaluation, "basic_info")
    assert [(f.severity, f.message) for f in found] == [(Severity.WARNING, "基本信息表的“联系人及联系方式”还是“—”。")]


# ---------------------------------------------------------------------------
# The bureau's checklist


def checklist(evaluation, key, document=None):
    ctx = check_context(evaluation)
    if document is not None:
        ctx = dataclasses.replace(ctx, document=document(ctx.document))
    return next(result for result in bureau_checklist(ctx) if result.item.key == key)


def test_the_pre_flight_checks_the_bureaus_own_items():
    """One checklist: the pre-flight shows the items, titles and points the 复核台 grades with."""
    from audits.checklist import ITEMS as graded

    by_key = {item.key: item for item in graded}
    assert all(entry.item is by_key[entry.key] for entry in BUREAU_CHECKLIST)
    assert [entry.key for entry in BUREAU_CHECKLIST] == [
        "cover", "sums", "grade", "process", "budget", "surveys", "outline", "problems", "figures"
    ]
    assert (by_key["outline"].points, by_key["figures"].points) == (Decimal(2), Decimal(2))


def test_checklist_cover_without_the_cover(evaluation):
    result = checklist(evaluation, "cover", lambda d: dataclasses.replace(
        d, blocks=tuple(b for b in d.blocks if not isinstance(b, Cover))))
    assert [f.message for f in result.findings] == ["报告没有封面。"]


def test_checklist_scores_that_do_not_add_up(evaluation):
    def broken(document):
        blocks = []
        for block in document.blocks:
            if getattr(block, "key", "") == "summary":
                first = block.rows[0]
                rows = ((first[0], first[1], dataclasses.replace(first[2], text="30", value=Decimal(30)), first[3]),
                        *block.rows[1:])
                block = dataclasses.replace(block, rows=rows)
            blocks.append(block)
        return dataclasses.replace(document, blocks=tuple(blocks))

    assert checklist(evaluation, "sums").passed
    result = checklist(evaluation, "sums", broken)
    assert [f.message for f in result.findings] == [
        "表3-1 测试县第1局部门整体评价得分表：各一级指标得分之和90.00与合计100.00不符。".replace(
            "测试县第1局", evaluation.department_name)
    ]


def test_checklist_text_stating_another_grade_or_total(evaluation):
    report_services.save_section(evaluation, SectionKey.CONCLUSION, "总体得分为95分，评价等级为“良”。")
    result = checklist(evaluation, "grade")
    assert [f.message for f in result.findings] == [
        "“评价结论”写评价等级为“良”，计算等级为“优”。",
        "“评价结论”写总分为95分，计算总分为100.00分。",
    ]


def test_checklist_outline_chapter_missing(evaluation):
    report_services.reset_section(evaluation, SectionKey.OTHER)
    assert checklist(evaluation, "outline").passed  # optional: the 复核台 notes it and deducts nothing
    said = [(f.check, f.severity, f.message) for f in run_checks(check_context(evaluation)) if "其他需要说明" in f.message]
    assert said == [("optional_chapter", Severity.WARNING, "报告缺少“其他需要说明的问题”一章（参考提纲要求）。")]
    Suggestion.objects.filter(evaluation=evaluation).delete()
    assert [(f.severity, f.message) for f in checklist(evaluation, "outline").findings] == [
        (Severity.ERROR, "报告缺少“有关建议”一章（参考提纲要求）。")
    ]


def test_checklist_conclusions_without_figures(evaluation):
    report_services.save_section(evaluation, SectionKey.CONCLUSION, "评价组认为该部门整体绩效较好。")
    result = checklist(evaluation, "figures")
    assert [(f.severity, f.message) for f in result.findings] == [
        (Severity.WARNING, "“综合评价情况及评价结论”的文字中没有数据（得分、比率、金额），结论缺少数据支撑。")
    ]
