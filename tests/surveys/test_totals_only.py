"""A questionnaire known only by its totals (seed 000: "发放65份，回收65份，满意度100%"): recorded, marked, and used
by the 基本信息表, a bound 满意度 indicator and 附件2."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.enums import TeamRole
from reports.document import build_report
from reports.profiles import builtin_profile, outline_of
from reports.queries import report_data
from reports.survey_annex import survey_annex_blocks
from rubrics import services as rubric_services
from rubrics.queries import evaluation_result
from surveys import results, services
from surveys.models import Questionnaire
from surveys.queries import composite_rates, result_of, survey_facts
from tests.factories import EvaluationFactory, team

pytestmark = pytest.mark.django_db

SEED_000_SURVEY = {"group": "办事群众", "title": "办事群众满意度调查", "totals_only": True}


def totals_only(evaluation, rate="100", **counts) -> Questionnaire:
    questionnaire = services.create_questionnaire(evaluation, **SEED_000_SURVEY)
    numbers = {"issued": 65, "returned": 65, "valid": 65, **counts}
    services.save_totals(questionnaire, stated_rate=Decimal(rate), source="原报告基本信息表", **numbers)
    return Questionnaire.objects.get(pk=questionnaire.pk)


def test_the_result_is_the_stated_rate_marked_and_not_recomputable():
    spec = results.SurveySpec("办事群众", (), issued=65, returned=65, valid=65, totals_only=True,
                              stated_rate=Decimal("100"), title="办事群众满意度调查")
    result = results.compute(spec)
    assert (result.composite_text, result.method_label, result.questions) == ("100.00%", "仅有汇总数", ())
    assert result.method_text == (
        "办事群众满意度调查共发放问卷65份，回收65份，其中有效问卷65份，有效回收率100.00%。"
        "满意度为100.00%（仅有汇总数：评价组取得的是问卷的汇总结果，没有各题的份数，满意度按汇总结果录入，无法由份数复算）。"
    )


def test_totals_feed_the_binding_rates_and_the_basic_information_facts():
    evaluation = EvaluationFactory()
    totals_only(evaluation, rate="96.5", issued=70, returned=66, valid=65)
    assert composite_rates(evaluation) == {"办事群众": Decimal("96.50")}
    facts = survey_facts(evaluation)
    assert (facts.issued, facts.returned, facts.valid, facts.satisfaction_text) == (70, 66, 65, "96.50%")
    assert facts.groups[0].totals_only


@pytest.mark.parametrize(
    ("numbers", "rate", "message"),
    [
        ({"issued": 60, "returned": 65, "valid": 65}, "100", "回收问卷（65份）不能多于发放问卷（60份）"),
        ({"issued": 65, "returned": 65, "valid": 65}, "100.5", "满意度应在0到100之间（填写的是100.5）"),
        ({"issued": 65, "returned": 65, "valid": 65}, "99.125", "满意度最多两位小数"),
        ({"issued": 65, "returned": 65, "valid": 65}, None, "请填写满意度（百分数，如 100 表示100%）"),
    ],
)
def test_wrong_totals_are_refused_with_the_reason_and_nothing_changes(numbers, rate, message):
    questionnaire = totals_only(EvaluationFactory())
    with pytest.raises(ValidationError) as error:
        services.save_totals(questionnaire, stated_rate=None if rate is None else Decimal(rate), **numbers)
    assert message in error.value.messages
    questionnaire.refresh_from_db()
    assert (questionnaire.issued, questionnaire.stated_rate) == (65, Decimal("100.00"))


def test_a_totals_only_questionnaire_takes_no_questions_or_counts():
    questionnaire = totals_only(EvaluationFactory())
    entry = services.QuestionEntry("您对窗口服务是否满意？", services.standard_options())
    with pytest.raises(ValidationError, match="仅有汇总数的问卷"):
        services.add_question(questionnaire, entry)
    with pytest.raises(ValidationError, match="仅有汇总数的问卷"):
        services.save_counts(questionnaire, {}, issued=1, returned=1, valid=1)
    assert not questionnaire.questions.exists()


def test_a_bound_satisfaction_indicator_scores_from_the_totals():
    """Seed 000's C52: ≥90% full marks, −0.2 per point below; bound to the questionnaire 办事群众."""
    evaluation = EvaluationFactory()
    systems = {system.slug: system for system in rubric_services.install_builtin_systems(evaluation.firm)}
    system = systems["decision-management-performance"]  # seed 000's system: C52 is bound to 办事群众
    rubric_services.copy_system_into(evaluation, system.tree, source_name=system.name, settings=system.settings)
    totals_only(evaluation, rate="88")
    rubric_services.import_judgments(evaluation, {"C52": {"inputs": {}, "process": "", "override": None}})
    scored = evaluation_result(evaluation)
    node = next(n for n in scored.result.walk() if n.code == "C52")
    assert node.score == Decimal("3.60")  # 4 − 2 points × 0.2


def test_the_annex_and_the_basic_information_table_print_the_totals():
    evaluation = EvaluationFactory()
    totals_only(evaluation)
    data = report_data(evaluation)
    texts = [block.text for block in survey_annex_blocks(data.surveys, charts=False)]
    assert texts[1] == "（办事群众满意度调查）"
    assert "仅有汇总数" in texts[2] and "有效问卷65份" in texts[2]
    document = build_report(replace(data, profile=outline_of(builtin_profile("xinjiang-seed-000").definition)), charts=False)
    info = [row for row in document.table("basic_info").texts() if row[0] == "发放调查问卷（份）"]
    assert info == [["发放调查问卷（份）", "65", "回收有效问卷（份）", "65", "满意度情况", "100.00%"]]


def test_the_pages_create_a_totals_only_questionnaire_and_save_its_totals(client):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.STAFF])
    response = client.post(
        reverse("survey_create", args=[evaluation.pk]), {"source": "totals", "group": "办事群众", "title": ""}
    )
    questionnaire = Questionnaire.objects.get(evaluation=evaluation)
    assert response.url == reverse("survey_counts", args=[evaluation.pk, questionnaire.pk])
    assert questionnaire.totals_only and not questionnaire.questions.exists()
    page = client.get(response.url).content.decode()
    assert "录入汇总数" in page and "满意度（%）" in page

    wrong = client.post(response.url, {"issued": "65", "returned": "65", "valid": "65", "stated_rate": "101"})
    assert "满意度（%）不能大于100" in wrong.content.decode()
    saved = client.post(
        response.url, {"issued": "65", "returned": "65", "valid": "65", "stated_rate": "100", "source": "原报告"}
    )
    assert saved.status_code == 302
    assert result_of(Questionnaire.objects.get(pk=questionnaire.pk)).composite == Decimal("100.00")
    listing = client.get(reverse("survey_list", args=[evaluation.pk])).content.decode()
    assert "仅有汇总数" in listing and "100.00%" in listing
    detail = client.get(reverse("survey_detail", args=[evaluation.pk, questionnaire.pk])).content.decode()
    assert 'data-testid="totals-only"' in detail and "survey_template" not in detail
