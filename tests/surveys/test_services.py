"""Writes with rules: the demo, templates, structure edits, counts, imports; refused writes save nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from surveys import services
from surveys.models import Option, Questionnaire
from surveys.queries import composite_rates, result_of, spec_of, survey_facts, with_questions
from surveys.survey_xlsx import read_responses
from tests.factories import EvaluationFactory
from tests.surveys.helpers import counts_of, snapshot
from tests.surveys.seed import PUBLIC, STAFF, export_workbook, survey_data

pytestmark = pytest.mark.django_db


def fresh(questionnaire):
    return with_questions(Questionnaire.objects.filter(pk=questionnaire.pk)).get()


def test_demo_surveys_carry_the_seed_counts_and_composites():
    evaluation = EvaluationFactory()

    public, staff = services.load_demo_surveys(evaluation)

    assert (public.group, staff.group) == (PUBLIC, STAFF)
    assert counts_of(public)[0] == [57, 18, 3, 0, 0]
    assert result_of(fresh(public)).composite_text == "90.43%"
    assert result_of(fresh(staff)).composite_text == "97.88%"
    assert (staff.method, staff.aggregation) == ("top_two", "mean")


def test_loading_the_demo_twice_restores_it_without_duplicates():
    evaluation = EvaluationFactory()
    first = services.load_demo_surveys(evaluation)
    Option.objects.filter(question__questionnaire=first[0]).update(count=1)
    Questionnaire.objects.filter(pk=first[1].pk).update(method="weighted")

    second = services.load_demo_surveys(evaluation)

    assert [q.pk for q in second] == [q.pk for q in first]
    assert Questionnaire.objects.filter(evaluation=evaluation).count() == 2
    assert composite_rates(evaluation)[PUBLIC].quantize(Decimal("0.01")) == Decimal("90.43")
    assert fresh(second[1]).method == "top_two"


def test_composite_rates_and_facts_for_the_binding_and_the_basic_information_table():
    evaluation = EvaluationFactory()
    services.load_demo_surveys(evaluation)

    rates = composite_rates(evaluation)
    facts = survey_facts(evaluation)

    assert set(rates) == {PUBLIC, STAFF}
    assert rates[STAFF] > Decimal("97.8787878787")  # full precision, rounded only for display
    assert (facts.issued, facts.returned, facts.valid) == (133, 133, 133)
    assert [(g.group, g.valid, g.composite_text) for g in facts.groups] == [(PUBLIC, 78, "90.43%"), (STAFF, 55, "97.88%")]
    assert facts.satisfaction_text == "企业和办事群众90.43%，大厅入驻单位工作人员97.88%"


def test_an_evaluation_without_surveys_has_no_rates():
    evaluation = EvaluationFactory()

    assert composite_rates(evaluation) == {}
    assert survey_facts(evaluation).satisfaction_text == "—"
    assert survey_facts(evaluation).has_surveys is False


def test_a_group_without_answers_has_no_rate():
    evaluation = EvaluationFactory()
    services.copy_builtin(evaluation, "hall-staff")

    assert composite_rates(evaluation) == {STAFF: None}


def test_copying_a_builtin_questionnaire_copies_its_structure_without_counts():
    evaluation = EvaluationFactory()

    questionnaire = services.copy_builtin(evaluation, "public-service", group="办事群众")

    spec = spec_of(fresh(questionnaire))
    assert spec.group == "办事群众"
    assert spec.title == "办事群众满意度调查"  # the template's title names another group
    assert [q.title for q in spec.questions] == [q["title"] for q in survey_data(PUBLIC)["questions"]]
    assert all(o.count == 0 for q in spec.questions for o in q.options)
    assert [q.counted for q in spec.questions] == [True, True, True, False, True, False, False, False, False, True, True]


def test_builtin_templates_match_the_demo_surveys():
    from surveys.builtin import builtin_questionnaires

    for template in builtin_questionnaires():
        demo = survey_data(template.group)
        strip = [{"title": q["title"], "counted": q["counted"],
                  "options": [{k: o[k] for k in ("label", "weight", "excluded")} for o in q["options"]]}
                 for q in demo["questions"]]
        assert template.data["questions"] == strip
        assert (template.data["method"], template.data["aggregation"]) == (demo["method"], demo["aggregation"])


def test_a_group_name_is_unique_within_an_evaluation():
    evaluation = EvaluationFactory()
    services.copy_builtin(evaluation, "hall-staff")
    before = snapshot()

    with pytest.raises(ValidationError, match="已有调查对象为“大厅入驻单位工作人员”的问卷"):
        services.copy_builtin(evaluation, "hall-staff")
    assert snapshot() == before
    services.copy_builtin(EvaluationFactory(), "hall-staff")  # another evaluation may


def test_counts_are_checked_against_valid_and_nothing_is_saved_on_error():
    evaluation = EvaluationFactory()
    _, staff = services.load_demo_surveys(evaluation)
    staff = fresh(staff)
    first_option = staff.questions.all()[0].options.all()[0]
    before = snapshot()

    with pytest.raises(ValidationError) as caught:
        services.save_counts(staff, {first_option.pk: 49}, issued=50, returned=55, valid=55)

    assert caught.value.messages == [
        "回收问卷（55份）不能多于发放问卷（50份）",
    ]
    with pytest.raises(ValidationError) as caught:
        services.save_counts(staff, {first_option.pk: 50}, issued=55, returned=55, valid=55)
    assert caught.value.messages == [
        "第1题合计56份，多于有效问卷55份：请核对份数，或修改有效问卷份数",
    ]
    assert snapshot() == before


def test_counts_are_saved_with_the_totals():
    evaluation = EvaluationFactory()
    questionnaire = fresh(services.copy_builtin(evaluation, "hall-staff"))
    data = survey_data(STAFF)
    counts = {
        option.pk: data["questions"][n]["options"][i]["count"]
        for n, question in enumerate(questionnaire.questions.all())
        for i, option in enumerate(question.options.all())
    }

    services.save_counts(questionnaire, counts, issued=60, returned=57, valid=55)

    result = result_of(fresh(questionnaire))
    assert result.composite_text == "97.88%"
    assert (result.issued, result.returned, result.valid, result.recovery_rate_text) == (60, 57, 55, "91.67%")
    assert fresh(questionnaire).source == "手工录入"


def test_structure_edits_keep_counts_and_refuse_to_drop_an_answered_option():
    evaluation = EvaluationFactory()
    public, _ = services.load_demo_surveys(evaluation)
    public = fresh(public)
    entries = [
        services.QuestionEntry(
            q.title,
            tuple(services.OptionEntry(o.label, o.weight, o.excluded, pk=o.pk) for o in q.options.all()),
            q.counted,
            pk=q.pk,
        )
        for q in public.questions.all()
    ]
    q1 = entries[0]
    harsher = services.QuestionEntry(
        q1.title, tuple(services.OptionEntry(o.label, Decimal(30) if o.label == "不满意" else o.weight, pk=o.pk) for o in q1.options),
        q1.counted, pk=q1.pk,
    )
    before = snapshot()

    with pytest.raises(ValidationError, match="第1题选项“一般”已有3份回答，不能删除"):
        dropped = services.QuestionEntry(q1.title, tuple(o for o in q1.options if o.label != "一般"), q1.counted, pk=q1.pk)
        services.save_structure(public, [dropped, *entries[1:]])
    assert snapshot() == before

    services.save_structure(public, [entries[3], harsher, *entries[1:3], *entries[4:]])

    spec = spec_of(fresh(public))
    assert spec.questions[0].title == entries[3].title
    assert spec.questions[1].options[3].weight == Decimal(30)
    assert [o.count for o in spec.questions[1].options] == [57, 18, 3, 0, 0]


def test_structure_errors_name_the_question_and_option():
    evaluation = EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "hall-staff")
    bad = [
        services.QuestionEntry("", (services.OptionEntry("好", Decimal(100)),)),
        services.QuestionEntry("乙", (services.OptionEntry("满意", Decimal(120)), services.OptionEntry("满意 ", Decimal(80)))),
    ]

    with pytest.raises(ValidationError) as caught:
        services.save_structure(questionnaire, bad)

    assert caught.value.messages == [
        "第1题：题目不能为空",
        "第1题：至少要有两个选项",
        "第2题选项A“满意”：权重应在0到100之间",
        "第2题：选项“满意 ”重复",
    ]


def test_importing_rows_replaces_the_counts_and_sets_the_totals():
    evaluation = EvaluationFactory()
    questionnaire = fresh(services.copy_builtin(evaluation, "public-service"))
    Questionnaire.objects.filter(pk=questionnaire.pk).update(issued=100, returned=80)
    questionnaire = fresh(questionnaire)
    tally = read_responses(export_workbook(PUBLIC), spec_of(questionnaire))

    services.apply_tally(evaluation, PUBLIC, tally, source="导入：a.xlsx")
    services.apply_tally(evaluation, PUBLIC, tally, source="导入：a.xlsx")  # the same file twice: the same counts

    stored = fresh(questionnaire)
    assert counts_of(stored)[0] == [57, 18, 3, 0, 0]
    assert (stored.issued, stored.returned, stored.valid) == (100, 80, 78)
    assert result_of(stored).composite_text == "90.43%"


def test_an_import_previewed_before_the_questions_changed_is_refused():
    evaluation = EvaluationFactory()
    questionnaire = fresh(services.copy_builtin(evaluation, "hall-staff"))
    tally = read_responses(export_workbook(STAFF), spec_of(questionnaire))
    services.add_question(questionnaire, services.QuestionEntry("新题", services.standard_options()))
    before = snapshot()

    with pytest.raises(ValidationError, match="在预览后已修改"):
        services.apply_tally(evaluation, STAFF, tally)
    assert snapshot() == before


def test_an_import_creates_the_questionnaire_when_the_group_is_new():
    evaluation = EvaluationFactory()
    tally = read_responses(export_workbook(STAFF))

    questionnaire = services.apply_tally(evaluation, "窗口工作人员", tally, source="导入：staff.xlsx")

    stored = fresh(questionnaire)
    assert (stored.group, stored.title, stored.valid, stored.issued) == ("窗口工作人员", "窗口工作人员满意度调查", 55, 55)
    assert len(stored.questions.all()) == 6
    assert stored.method == "weighted"
