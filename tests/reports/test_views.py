"""The 报告 tab: editing the narrative, problems and suggestions, the checks, the preview and the downloads."""

from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from reports.archive import freeze
from reports.enums import SectionKey
from reports.models import GoalRow, Problem, Section, Suggestion
from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric, team
from tests.reports.conftest import open_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client, people):
    client.force_login(people[TeamRole.LEAD])
    return client


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.pk, *args])


def test_lead_saves_a_section_and_the_preview_prints_it_filled(lead, evaluation):
    response = lead.post(url("report_section_edit", evaluation, "overall"), {"text": "{年度}年度总体得分{总分}分。\n第二段"})
    assert response.status_code == 302
    section = Section.objects.get(evaluation=evaluation, key=SectionKey.OVERALL)
    assert section.text == "{年度}年度总体得分{总分}分。\n第二段"
    assert section.history.count() == 1
    preview = lead.get(url("report_preview", evaluation)).content.decode()
    assert "2022年度总体得分100.00分。" in preview
    assert '<p class="p-body">第二段</p>' in preview


def test_an_unknown_placeholder_is_refused_with_its_name(lead, evaluation):
    response = lead.post(url("report_section_edit", evaluation, "overall"), {"text": "得分{总分}，{总得分}与{预算执行率X}"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "未知的占位符：{总得分}、{预算执行率X}。" in page
    assert not Section.objects.filter(evaluation=evaluation).exists()


def test_indicator_placeholders_follow_the_evaluation_codes(lead, evaluation):
    ok = lead.post(url("report_section_edit", evaluation, "overall"), {"text": "A11得分{A11得分}，B权重{B权重}"})
    assert ok.status_code == 302
    refused = lead.post(url("report_section_edit", evaluation, "overall"), {"text": "{C9得分}"})
    assert "未知的占位符：{C9得分}。" in refused.content.decode()


def test_the_edit_page_shows_the_draft_and_placeholder_values(lead, evaluation):
    page = lead.get(url("report_section_edit", evaluation, "conclusion")).content.decode()
    assert "当前使用系统根据数据草拟的文字" in page
    assert "{年度}年度{部门简称}部门整体绩效评价总体得分为{总分}分" in page
    assert "总体得分为100.00分，评价等级为“优”。" in page  # 报告中显示为
    assert "<code>{预算执行率}</code>" in page and "100.00%" in page


def test_reset_returns_to_the_drafted_text(lead, evaluation):
    lead.post(url("report_section_edit", evaluation, "conclusion"), {"text": "自写的结论。"})
    assert Section.objects.filter(evaluation=evaluation).count() == 1
    lead.post(url("report_section_edit", evaluation, "conclusion"), {"reset": "1", "text": ""})
    assert not Section.objects.filter(evaluation=evaluation).exists()


def test_an_unknown_section_is_404(lead, evaluation):
    assert lead.get(url("report_section_edit", evaluation, "nonsense")).status_code == 404
    assert lead.get(url("report_download", evaluation, "odt")).status_code == 404


def test_problem_links_indicators_and_suggestion_links_the_problem(lead, evaluation):
    a11 = evaluation.indicators.get(code="A11")
    lead.post(url("report_problem_create", evaluation), {"title": "目标不够细化", "text": "原因。", "indicators": [a11.pk]})
    problem = Problem.objects.get(evaluation=evaluation)
    assert list(problem.indicators.values_list("code", flat=True)) == ["A11"]
    lead.post(url("report_suggestion_create", evaluation), {"title": "细化目标", "text": "建议。", "problem": problem.pk})
    suggestion = Suggestion.objects.get(evaluation=evaluation)
    assert suggestion.problem == problem
    overview = lead.get(url("report_overview", evaluation)).content.decode()
    assert "相关指标：A11绩效目标合理性" in overview and "针对：目标不够细化" in overview
    lead.post(url("report_problem_delete", evaluation, problem.pk))
    suggestion.refresh_from_db()
    assert suggestion.problem is None and not Problem.objects.exists()


def test_indicators_of_another_evaluation_cannot_be_linked(lead, evaluation):
    other = small_rubric(EvaluationFactory(firm=evaluation.firm))
    foreign = other.indicators.get(code="A11")
    response = lead.post(url("report_problem_create", evaluation), {"title": "问题", "indicators": [foreign.pk]})
    assert response.status_code == 200
    assert not Problem.objects.exists()


def test_another_evaluations_problem_is_404(lead, evaluation):
    other = EvaluationFactory(firm=evaluation.firm)
    problem = Problem.objects.create(evaluation=other, title="别的项目")
    assert lead.get(url("report_problem_edit", evaluation, problem.pk)).status_code == 404
    assert lead.post(url("report_problem_delete", evaluation, problem.pk)).status_code == 404
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_goals_are_pasted_from_excel_and_bad_lines_are_named(lead, evaluation):
    good = "产出指标\t数量指标\t办件量\t≥1000件\t年度计划\n\t\t事项公布数量\t≥4000\n效益指标|社会效益|政务服务水平|≥95%"
    assert lead.post(url("report_goals_edit", evaluation), {"rows": good}).status_code == 302
    rows = list(GoalRow.objects.filter(evaluation=evaluation).values_list("level1", "level3", "value", "basis"))
    assert rows == [("产出指标", "办件量", "≥1000件", "年度计划"), ("", "事项公布数量", "≥4000", ""), ("效益指标", "政务服务水平", "≥95%", "")]
    bad = lead.post(url("report_goals_edit", evaluation), {"rows": "a\tb\n1|2|3|4|5|6"}).content.decode()
    assert "第1行缺少三级指标。" in bad and "第2行有6列" in bad
    assert GoalRow.objects.filter(evaluation=evaluation).count() == 3


def test_checks_list_unscored_indicators_and_missing_texts(lead, evaluation):
    page = lead.get(url("report_overview", evaluation)).content.decode()
    assert "“六、主要经验做法”一章没有内容。" in page
    assert "“七、存在的问题及原因分析”一章没有内容。" in page
    unscored = small_rubric(EvaluationFactory(firm=evaluation.firm, budget=YANJIN_BUDGET), yes=None)
    lead.force_login(team(unscored)[TeamRole.LEAD])
    page = lead.get(url("report_overview", unscored)).content.decode()
    for code, name in (("A11", "绩效目标合理性"), ("B11", "预算执行率")):
        assert f'<a class="link-dark" href="/evaluations/{unscored.pk}/indicators/{code}/">{code}{name}尚未评分。</a>' in page


def test_download_names_the_file_and_marks_the_draft(lead, evaluation):
    response = lead.get(url("report_download", evaluation, "docx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert f"{evaluation.year}年度{evaluation.department.name}部门整体支出绩效评价报告.docx" in disposition
    word = open_docx(response.content)
    assert word.sections[0].header.paragraphs[0].text == "草稿（未签发）"


def test_signed_files_have_no_draft_mark_and_reach_the_bureau_only_from_its_desk(client, settings, tmp_path, evaluation, people):
    settings.MEDIA_ROOT = tmp_path
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)
    evaluation.refresh_from_db()
    freeze(evaluation, version=1, signed_by=people[TeamRole.REVIEWER], signed_at=timezone.now())
    client.force_login(people["bureau"])
    response = client.get(url("delivery_file", evaluation, 1, "docx"))
    word = open_docx(response.content)
    assert all("草稿" not in p.text for s in word.sections for p in s.header.paragraphs)
    pdf = client.get(url("delivery_file", evaluation, 1, "pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(url("report_download", evaluation, "docx")).status_code == 403
    assert client.get(url("report_section_edit", evaluation, "overall")).status_code == 403


def test_every_format_downloads(lead, evaluation):
    for fmt, start in (("xlsx", b"PK"), ("selfeval-xlsx", b"PK"), ("selfeval-docx", b"PK")):
        response = lead.get(url("report_download", evaluation, fmt))
        assert response.status_code == 200 and response.content.startswith(start), fmt
    assert "整体支出绩效自评表.xlsx" in unquote(lead.get(url("report_download", evaluation, "selfeval-xlsx"))["Content-Disposition"])


@pytest.mark.parametrize("count", [1, 3])
def test_overview_queries_do_not_grow_with_problems(lead, evaluation, count):
    for number in range(count):
        problem = Problem.objects.create(evaluation=evaluation, title=f"问题{number}", position=number)
        problem.indicators.set(evaluation.indicators.all())
        Suggestion.objects.create(evaluation=evaluation, title=f"建议{number}", problem=problem, position=number)
    with CaptureQueriesContext(connection) as queries:
        assert lead.get(url("report_overview", evaluation)).status_code == 200
    assert len(queries) == EXPECTED_OVERVIEW_QUERIES


# 17, one for the signed versions (none here), one for the project forms the report may annex, one for the
# navbar's unread notifications, one for the open 复核意见 the checks read, one for the 复核意见 panel; the report
# profile followed, and the profile panel: its origin and choices.
EXPECTED_OVERVIEW_QUERIES = 25
