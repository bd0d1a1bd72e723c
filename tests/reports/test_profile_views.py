"""The profile pages: the library, a copy edited through the form (messages in Chinese), bureau defaults, the choice."""

import pytest
from django.urls import reverse

from evaluations.enums import TeamRole
from reports.models import BureauDefaultProfile, EvaluationProfile, ReportProfile
from reports.profile_forms import ProfileForm
from reports.queries import report_data
from tests.factories import EvaluationFactory, team

pytestmark = pytest.mark.django_db

SEED_002 = "henan-seed-002"


@pytest.fixture
def lead(client):
    evaluation = EvaluationFactory()
    people = team(evaluation)
    client.force_login(people[TeamRole.LEAD])
    return evaluation, people


def form_data(profile: ReportProfile, **changes) -> dict:
    """What the edit page posts for ``profile`` unchanged, then ``changes`` (field name → value)."""
    form = ProfileForm(profile=profile)
    data: dict = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_library_lists_the_builtin_profiles_with_their_chapters(client, lead):
    page = client.get(reverse("report_profile_list")).content.decode()
    assert "财预〔2020〕10号参考提纲" in page and "新疆格式" in page and "河南格式" in page
    assert "部门概况 · 部门预算及资金安排情况 · 绩效评价开展情况" in page


def test_a_builtin_profile_is_shown_read_only_and_its_edit_page_sends_to_the_copy_button(client, lead):
    evaluation, _ = lead
    builtin = ReportProfile.objects.get(firm=evaluation.firm, slug=SEED_002)
    page = client.get(reverse("report_profile_detail", args=[builtin.pk])).content.decode()
    assert "附件1的列：</span>一级指标、二级指标、三级指标、权重、指标解释、评分标准、得分、得分率" in page
    response = client.get(reverse("report_profile_edit", args=[builtin.pk]))
    assert response.url == reverse("report_profile_detail", args=[builtin.pk])


def test_a_copy_edited_in_the_form_reorders_renames_and_leaves_out(client, lead):
    evaluation, _ = lead
    builtin = ReportProfile.objects.get(firm=evaluation.firm, slug=SEED_002)
    response = client.post(reverse("report_profile_copy", args=[builtin.pk]))
    copy = ReportProfile.objects.get(firm=evaluation.firm, builtin=False)
    assert response.url == reverse("report_profile_edit", args=[copy.pk])
    data = form_data(
        copy,
        name="某县财政局格式",
        **{
            "conclusion-order": 1, "department-order": 2, "conclusion-heading": "评价结论",
            "conclusion-part-conclusion": "评分结果", "budget-included": None,
            "annex1_columns": ["level1", "level2", "level3", "weight", "score"], "front": ["cover"],
        },
    )
    response = client.post(reverse("report_profile_edit", args=[copy.pk]), data)
    assert response.status_code == 302
    copy.refresh_from_db()
    outline = copy.outline
    assert copy.name == "某县财政局格式"
    assert outline.headings()[:3] == ["评价结论", "部门概况", "绩效评价开展情况"]
    assert "部门预算及资金安排情况" not in outline.headings()
    assert outline.chapters[0].part("conclusion") == "评分结果"
    assert (outline.front, outline.annex1_columns) == (("cover",), ("level1", "level2", "level3", "weight", "score"))
    # a chapter left out keeps its heading for later
    assert next(c for c in copy.definition["chapters"] if c["kind"] == "budget") == {
        "kind": "budget", "heading": "部门预算及资金安排情况", "included": False,
        "parts": {"income": "部门收入预决算情况", "expense": "部门支出预决算情况", "three_public": "“三公经费”预算安排及执行情况"},
    }


def test_wrong_input_comes_back_with_chinese_messages_and_nothing_saved(client, lead):
    evaluation, _ = lead
    copy = ReportProfile.objects.create(
        firm=evaluation.firm, name="副本", definition=ReportProfile.objects.get(firm=evaluation.firm, slug=SEED_002).definition
    )
    before = copy.definition
    data = form_data(
        copy, name="",
        **{"overview-included": "on", "analysis-heading": "", "department-order": "x", "annex1_columns": ["level1"]},
    )
    page = client.post(reverse("report_profile_edit", args=[copy.pk]), data).content.decode()
    assert "请填写报告格式的名称" in page
    assert "“部门概况”的顺序应为整数" in page
    data = form_data(copy, **{"overview-included": "on", "analysis-heading": "", "annex1_columns": ["level1"]})
    page = client.post(reverse("report_profile_edit", args=[copy.pk]), data).content.decode()
    assert "第5章（绩效评价指标分析）的标题不能为空" in page
    assert "“部门概况”和“基本概况”内容重复，只能选用其一" in page
    assert "附件1必须包含这些列：二级指标、三级指标、权重、得分" in page
    copy.refresh_from_db()
    assert (copy.name, copy.definition, copy.revision) == ("副本", before, 1)


def test_bureau_defaults_and_the_evaluations_choice_decide_its_report(client, lead):
    evaluation, _ = lead
    builtin = ReportProfile.objects.get(firm=evaluation.firm, slug=SEED_002)
    response = client.post(reverse("report_profile_bureaus", args=[builtin.pk]), {"bureaus": [evaluation.bureau.pk]})
    assert response.status_code == 302
    assert BureauDefaultProfile.objects.get(firm=evaluation.firm, bureau=evaluation.bureau).profile == builtin
    page = client.get(reverse("report_overview", args=[evaluation.pk])).content.decode()
    assert "（委托单位的默认格式）" in page and builtin.name in page
    xinjiang = ReportProfile.objects.get(firm=evaluation.firm, slug="xinjiang-seed-000")
    response = client.post(reverse("report_profile_choose", args=[evaluation.pk]), {"profile": xinjiang.pk})
    assert response.url == reverse("report_overview", args=[evaluation.pk])
    assert EvaluationProfile.objects.get(evaluation=evaluation).profile == xinjiang
    assert report_data(evaluation).profile.name == xinjiang.name
    page = client.get(reverse("report_overview", args=[evaluation.pk])).content.decode()
    assert "（本项目选定）" in page


def test_a_profile_of_another_firm_is_not_found_nor_chosen(client, lead):
    evaluation, _ = lead
    foreign = ReportProfile.objects.get(firm=EvaluationFactory().firm, slug=SEED_002)
    assert client.get(reverse("report_profile_detail", args=[foreign.pk])).status_code == 404
    client.post(reverse("report_profile_choose", args=[evaluation.pk]), {"profile": foreign.pk})
    assert not EvaluationProfile.objects.filter(evaluation=evaluation).exists()


def test_the_profile_pages_read_in_a_fixed_number_of_queries(client, lead, django_assert_max_num_queries):
    evaluation, _ = lead
    for number in range(3):
        ReportProfile.objects.create(
            firm=evaluation.firm, name=f"格式{number}",
            definition=ReportProfile.objects.get(firm=evaluation.firm, slug=SEED_002).definition,
        )
    with django_assert_max_num_queries(8):
        client.get(reverse("report_profile_list"))
