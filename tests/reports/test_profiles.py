"""Report profiles: the outline is data, each demo renders in its seed's outline, opened in Word as python-docx reads it."""

import copy
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from reports import profile_services, profiles
from reports.document import build_report
from reports.models import EvaluationProfile, ReportProfile
from reports.queries import BUREAU_DEFAULT, CHOSEN, FALLBACK, profile_of, report_data
from rubrics import indicator_sheet
from tests.factories import EvaluationFactory, small_rubric
from tests.reports.conftest import SHAWAN, YANJIN, open_docx

SEED_000 = "xinjiang-seed-000"
SEED_002 = "henan-seed-002"


def definition(slug: str) -> dict:
    return copy.deepcopy(profiles.builtin_profile(slug).definition)


# ---------------------------------------------------------------------------
# The definitions (pure)


@pytest.mark.parametrize("builtin", profiles.builtin_profiles(), ids=lambda b: b.slug)
def test_every_builtin_profile_is_valid(builtin):
    assert profiles.definition_errors(builtin.definition) == []


def test_the_reference_outline_has_the_seven_chapters_of_caiyu_2020_10():
    assert profiles.fallback_outline().headings() == [
        "基本情况", "绩效评价工作开展情况", "综合评价情况及评价结论", "绩效评价指标分析",
        "主要经验及做法、存在的问题及原因分析", "有关建议", "其他需要说明的问题",
    ]


def test_seed_outlines_as_the_issue_describes_them():
    xinjiang = profiles.outline_of(definition(SEED_000))
    assert xinjiang.front == ("basic_info",)
    assert xinjiang.headings()[1] == "评价结论与绩效分析"  # 评价结论 early
    assert len(xinjiang.annex1_columns) == 12 and {"seq", "process"} <= set(xinjiang.annex1_columns)
    henan = profiles.outline_of(definition(SEED_002))
    assert henan.front == ("cover", "toc", "summary") and len(henan.chapters) == 8
    assert "process" not in henan.annex1_columns and henan.annexes == ("indicators", "surveys")


def test_a_definition_with_mistakes_lists_each_in_chinese():
    bad = definition(SEED_002)
    bad["chapters"][0]["heading"] = " "
    bad["chapters"].append({"kind": "overview", "heading": "基本情况", "included": True})
    bad["chapters"].append({"kind": "appendix", "heading": "附录", "included": True})
    bad["annex1_columns"] = ["level1", "level3", "score", "score"]
    bad["tables"] = ["income", "charts"]
    assert profiles.definition_errors(bad) == [
        "第1章（部门概况）的标题不能为空",
        "第10项章节的类型“appendix”不认识",
        "“部门概况”和“基本概况”内容重复，只能选用其一",
        "“部门预算及资金安排情况”和“基本概况”内容重复，只能选用其一",
        "表格中有不认识的项目：charts",
        "附件1的列中重复列出：得分",
        "附件1必须包含这些列：二级指标、权重",
    ]


def test_a_chapter_number_in_a_heading_is_refused_and_at_least_one_chapter_is_needed():
    numbered = definition(SEED_002)
    numbered["chapters"][1]["heading"] = "二、部门预算"
    assert profiles.definition_errors(numbered) == ["第2章（部门预算及资金安排情况）的标题不要写章号（“一、”等由报告按顺序编号）：二、部门预算"]
    empty = definition(SEED_002)
    for chapter in empty["chapters"]:
        chapter["included"] = False
    assert profiles.definition_errors(empty) == ["至少要选用一章"]


# ---------------------------------------------------------------------------
# The library of each firm


@pytest.mark.django_db
def test_a_new_firm_gets_the_three_builtin_profiles_and_saving_one_checks_it():
    firm = Organization.objects.create(name="某某评价咨询有限公司", kind=OrganizationKind.FIRM)
    bureau = Organization.objects.create(name="某某县财政局", kind=OrganizationKind.BUREAU)
    assert sorted(ReportProfile.objects.filter(firm=firm).values_list("slug", flat=True)) == sorted(
        b.slug for b in profiles.builtin_profiles()
    )
    assert not ReportProfile.objects.filter(firm=bureau).exists()
    assert profile_services.install_builtin_profiles(firm)  # again: nothing new
    assert ReportProfile.objects.filter(firm=firm).count() == 3
    profile = ReportProfile.objects.get(firm=firm, slug=SEED_002)
    profile.definition = {**profile.definition, "annex1_columns": ["level1"]}
    with pytest.raises(ValidationError) as error:
        profile.save()
    assert "附件1必须包含这些列：二级指标、三级指标、权重、得分" in error.value.messages


@pytest.mark.django_db
def test_a_builtin_profile_is_copied_not_edited_and_a_used_one_is_not_deleted():
    evaluation = EvaluationFactory()
    builtin = ReportProfile.objects.get(firm=evaluation.firm, slug=SEED_000)
    with pytest.raises(ValidationError, match="内置的报告格式不能修改"):
        profile_services.save_profile(builtin, name="x", definition=builtin.definition)
    mine = profile_services.copy_profile(builtin)
    assert (mine.name, mine.builtin, mine.definition) == (f"{builtin.name}（副本）", False, builtin.definition)
    assert profile_services.copy_profile(builtin).name == f"{builtin.name}（副本）（2）"
    changed = {**mine.definition, "front": ["cover", "basic_info"]}
    profile_services.save_profile(mine, name="某县格式", definition=changed)
    mine.refresh_from_db()
    assert (mine.name, mine.outline.front, mine.revision) == ("某县格式", ("cover", "basic_info"), 2)
    profile_services.choose_profile(evaluation, mine)
    with pytest.raises(ValidationError, match="选用了此报告格式，不能删除"):
        profile_services.delete_profile(mine)


@pytest.mark.django_db
def test_an_evaluation_follows_its_choice_else_its_bureaus_default_else_the_reference_outline():
    evaluation = EvaluationFactory()
    firm_profiles = {p.slug: p for p in ReportProfile.objects.filter(firm=evaluation.firm)}
    assert profile_of(evaluation) == (firm_profiles[profiles.FALLBACK_SLUG], FALLBACK)
    profile_services.set_default_bureaus(firm_profiles[SEED_002], [evaluation.bureau])
    assert profile_of(evaluation) == (firm_profiles[SEED_002], BUREAU_DEFAULT)
    profile_services.choose_profile(evaluation, firm_profiles[SEED_000])
    assert profile_of(evaluation) == (firm_profiles[SEED_000], CHOSEN)
    assert report_data(evaluation).profile.headings() == firm_profiles[SEED_000].outline.headings()
    profile_services.choose_profile(evaluation, None)
    assert profile_of(evaluation) == (firm_profiles[SEED_002], BUREAU_DEFAULT)
    # another firm's profile is never chosen, and a bureau has one default per firm
    stranger = ReportProfile.objects.exclude(firm=evaluation.firm).filter(slug=SEED_000).first() or ReportProfile.objects.get(
        firm=EvaluationFactory().firm, slug=SEED_000
    )
    with pytest.raises(ValidationError, match="只能选用本机构的报告格式"):
        profile_services.choose_profile(evaluation, stranger)
    profile_services.set_default_bureaus(firm_profiles[SEED_000], [evaluation.bureau])
    assert profile_of(evaluation) == (firm_profiles[SEED_000], BUREAU_DEFAULT)
    assert not EvaluationProfile.objects.filter(evaluation=evaluation).exists()


@pytest.mark.django_db
def test_a_chapter_left_out_and_one_renamed_change_the_report_built():
    evaluation = small_rubric(EvaluationFactory())
    mine = profile_services.copy_profile(ReportProfile.objects.get(firm=evaluation.firm, slug=SEED_002))
    changed = copy.deepcopy(mine.definition)
    changed["chapters"] = [c for c in changed["chapters"] if c["kind"] != "budget"]
    changed["chapters"][0]["heading"] = "部门基本情况"
    profile_services.save_profile(mine, name=mine.name, definition=changed)
    profile_services.choose_profile(evaluation, mine)
    document = build_report(report_data(evaluation), charts=False)
    level1 = [h.text for h in document.headings() if h.level == 1]
    assert level1[1:4] == ["一、部门基本情况", "二、绩效评价开展情况", "三、综合评价情况及评价结论"]
    assert not [t for t in document.tables() if t.key in ("income", "expenditure")]


# ---------------------------------------------------------------------------
# The two demos, opened with python-docx


def chapter_headings(word) -> list[str]:
    """The Heading 1 paragraphs of the body: numbered chapters without their number, then 附件N."""
    texts = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    return [text.split("、", 1)[1] if "、" in text[:3] else text for text in texts if text != "摘  要"]


def annex_header(word) -> list[str]:
    table = next(t for t in word.tables if {"一级指标", "三级指标", "得分"} <= {c.text for c in t.rows[0].cells})
    return [cell.text for cell in table.rows[0].cells]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "slug"), [(SHAWAN, SEED_000), (YANJIN, SEED_002)])
def test_each_demo_docx_has_its_profiles_chapters_in_order_and_its_annex_columns(demo_reports, name, slug):
    rendered = demo_reports[name]
    outline = rendered.data.profile
    assert outline.key.startswith("profile:") and outline.headings() == profiles.outline_of(definition(slug)).headings()
    word = open_docx(rendered.docx)
    annexes = [f"附件{n}" for n in range(1, len(outline.annexes) + 1)]
    assert chapter_headings(word) == outline.headings() + annexes
    assert annex_header(word) == [indicator_sheet.COLUMN[key].header for key in outline.annex1_columns]


@pytest.mark.django_db
def test_the_shawan_report_opens_on_its_basic_information_table_and_prints_the_process_in_its_annex(shawan):
    word = open_docx(shawan.docx)
    assert word.paragraphs[0].text == "绩效评价基本信息表"
    assert chapter_headings(word)[:2] == ["基本概况", "评价结论与绩效分析"]
    levels2 = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert levels2[3:6] == ["（一）评价结论", "（二）评分结果", "（三）绩效分析"]
    annex = next(t for t in word.tables if "评分过程" in {c.text for c in t.rows[0].cells})
    c13 = next(row for row in annex.rows if row.cells[3].text.startswith("C13"))
    # the annex prints the adjusted score's reason as chapter 五 would (the 000 outline has no chapter 五)
    assert "评价组调整为3.50分，理由：" in c13.cells[9].text and c13.cells[10].text == "3.50"
    # seed 000 writes "各部分得分情况详见下表"; the text names the table by its number in this outline
    assert any("各部分得分情况详见表2-1。" in p.text for p in word.paragraphs)
    assert "表2-1 沙湾市政务服务中心部门整体评价得分表" in [p.text for p in word.paragraphs]


@pytest.mark.django_db
def test_a_reference_to_a_table_the_profile_does_not_print_is_reported(shawan):
    outline = profiles.outline_of({**definition(SEED_000), "tables": ["goals"]})
    document = build_report(replace(shawan.data, profile=outline), charts=False)
    assert "正文引用了{得分表}，但本报告格式不输出该表，按“—”输出。" in document.warnings
    assert any("各部分得分情况详见—。" in text for text in document.texts())
