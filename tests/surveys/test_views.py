"""The questionnaire pages: list, results with charts, create, edit, counts grid, downloads, query counts."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from surveys import services
from surveys.models import Option, Question, Questionnaire
from surveys.queries import result_of, spec_of, with_questions
from surveys.survey_xlsx import read_responses, write_respondent_template
from tests.factories import EvaluationFactory, team
from tests.surveys.helpers import counts_of, snapshot
from tests.surveys.seed import PUBLIC, STAFF, respondent_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def yanjin(client):
    evaluation = EvaluationFactory()
    public, staff = services.load_demo_surveys(evaluation)
    people = team(evaluation)
    client.force_login(people[TeamRole.STAFF])
    return evaluation, public, staff, people


def fresh(questionnaire):
    return with_questions(Questionnaire.objects.filter(pk=questionnaire.pk)).get()


def test_the_list_shows_each_questionnaire_with_its_rates_and_the_facts(client, yanjin):
    evaluation, *_ = yanjin

    response = client.get(reverse("survey_list", args=[evaluation.pk]))

    page = response.content.decode()
    rows = re.findall(r'<tr data-group="([^"]+)">(.*?)</tr>', page, re.S)
    assert [group for group, _ in rows] == [PUBLIC, STAFF]
    public_row = rows[0][1]
    for text in ("78", "100.00%", "90.43%", "加权得分法", "计入题目的算术平均"):
        assert text in public_row
    assert "97.88%" in rows[1][1] and "前两项占比法" in rows[1][1]
    assert "发放调查问卷 <strong>133</strong> 份；回收有效问卷 <strong>133</strong> 份" in page
    assert "企业和办事群众90.43%，大厅入驻单位工作人员97.88%" in page
    assert f'class="nav-link active" href="/evaluations/{evaluation.pk}/surveys/"' in page


def test_an_empty_list_invites_to_create_or_import(client):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.LEAD])

    page = client.get(reverse("survey_list", args=[evaluation.pk])).content.decode()

    assert "本项目还没有满意度问卷" in page
    assert reverse("survey_create", args=[evaluation.pk]) in page


def questionnaires(evaluation, count):
    for index in range(count):
        services.copy_builtin(evaluation, "public-service" if index % 2 == 0 else "hall-staff", group=f"对象{index}")


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow_with_questionnaires(client, django_assert_num_queries, count):
    evaluation = EvaluationFactory()
    questionnaires(evaluation, count)
    client.force_login(team(evaluation)[TeamRole.STAFF])

    # session, user, evaluation, memberships, organisation, questionnaires, questions, options, unread notifications
    with django_assert_num_queries(9):
        response = client.get(reverse("survey_list", args=[evaluation.pk]))
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_results_query_count_does_not_grow_with_questions(client, django_assert_num_queries, count):
    evaluation = EvaluationFactory()
    questionnaire = services.create_questionnaire(
        evaluation, group="群众",
        questions=[services.QuestionEntry(f"第{n}题", services.standard_options()) for n in range(count)],
    )
    client.force_login(team(evaluation)[TeamRole.STAFF])

    # 8, the navbar's unread notifications, the 复核意见 panel, and the 修改记录: the questionnaire's history and
    # its options' history with their users
    with django_assert_num_queries(12):
        response = client.get(reverse("survey_detail", args=[evaluation.pk, questionnaire.pk]))
    assert len(response.context["result"].questions) == count


@pytest.mark.parametrize("count", [1, 3])
def test_counts_grid_query_count_does_not_grow_with_questions(client, django_assert_num_queries, count):
    evaluation = EvaluationFactory()
    questionnaire = services.create_questionnaire(
        evaluation, group="群众",
        questions=[services.QuestionEntry(f"第{n}题", services.standard_options()) for n in range(count)],
    )
    client.force_login(team(evaluation)[TeamRole.STAFF])

    # … the page's 8 and the navbar's unread notifications
    with django_assert_num_queries(9):
        client.get(reverse("survey_counts", args=[evaluation.pk, questionnaire.pk]))


def test_results_page_shows_the_annex_tables_charts_and_method(client, yanjin):
    evaluation, public, *_ = yanjin

    response = client.get(reverse("survey_detail", args=[evaluation.pk, public.pk]))

    page = response.content.decode()
    q1 = re.search(r'data-testid="annex-q1">(.*?)</table>', page, re.S).group(1)
    assert re.findall(r'data-share="[A-Z]">([^<]+)<', q1) == ["73.08%", "23.08%", "3.85%", "0.00%", "0.00%"]
    assert 'data-share="total">100.00%<' in q1 and 'data-count="total">78<' in q1
    assert ">A.很满意<" in q1
    assert "本题满意度 <strong>93.85%</strong>" in page
    assert "综合满意度取计入满意度的第1、2、3、5、10、11题满意度的算术平均值，为90.43%" in page
    assert page.count('data-testid="chart-q') == 11
    assert reverse("survey_chart", args=[evaluation.pk, public.pk, 1, "png"]) in page


def test_chart_view_serves_a_png(client, yanjin):
    evaluation, public, *_ = yanjin

    response = client.get(reverse("survey_chart", args=[evaluation.pk, public.pk, 7, "png"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    svg = client.get(reverse("survey_chart", args=[evaluation.pk, public.pk, 7, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert client.get(reverse("survey_chart", args=[evaluation.pk, public.pk, 12, "png"])).status_code == 404
    assert client.get(reverse("survey_chart", args=[evaluation.pk, public.pk, 1, "gif"])).status_code == 404


def test_a_questionnaire_of_another_evaluation_is_not_found(client, yanjin):
    evaluation, *_ = yanjin
    _, foreign = services.load_demo_surveys(EvaluationFactory())

    assert client.get(reverse("survey_detail", args=[evaluation.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("survey_chart", args=[evaluation.pk, foreign.pk, 1, "png"])).status_code == 404


def test_create_from_a_builtin_template_then_go_to_the_counts(client):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.STAFF])

    response = client.post(reverse("survey_create", args=[evaluation.pk]), {"source": "hall-staff", "group": "", "title": ""})

    questionnaire = Questionnaire.objects.get(evaluation=evaluation)
    assert response.url == reverse("survey_counts", args=[evaluation.pk, questionnaire.pk])
    assert (questionnaire.group, questionnaire.method) == (STAFF, "top_two")
    assert questionnaire.questions.count() == 6


def test_create_blank_needs_a_group_and_refuses_a_duplicate(client):
    evaluation = EvaluationFactory()
    services.copy_builtin(evaluation, "hall-staff")
    client.force_login(team(evaluation)[TeamRole.STAFF])

    missing = client.post(reverse("survey_create", args=[evaluation.pk]), {"source": "blank", "group": ""})
    duplicate = client.post(reverse("survey_create", args=[evaluation.pk]), {"source": "blank", "group": STAFF})
    created = client.post(reverse("survey_create", args=[evaluation.pk]), {"source": "blank", "group": "窗口工作人员"})

    assert missing.context["form"].errors["group"] == ["请填写调查对象（如：企业和办事群众）。"]
    assert "本项目已有调查对象为“大厅入驻单位工作人员”的问卷" in duplicate.content.decode()
    questionnaire = Questionnaire.objects.get(group="窗口工作人员")
    assert created.url == reverse("survey_structure", args=[evaluation.pk, questionnaire.pk])


def count_post(questionnaire, counts=None, **totals):
    """The counts form as the browser posts it; ``counts`` maps (question index, option index) → text."""
    counts = counts or {}
    data = {"counts-TOTAL_FORMS": "0", "counts-INITIAL_FORMS": "0"}
    index = 0
    for q, question in enumerate(questionnaire.questions.all()):
        for o, option in enumerate(question.options.all()):
            data[f"counts-{index}-option"] = str(option.pk)
            data[f"counts-{index}-count"] = counts.get((q, o), str(option.count))
            index += 1
    data["counts-TOTAL_FORMS"] = data["counts-INITIAL_FORMS"] = str(index)
    data["revision"] = str(questionnaire.revision)  # the page was loaded at the questionnaire's current revision
    data.update({name: str(value) for name, value in totals.items()})
    return data


def test_counts_typed_from_paper_are_saved_and_totals_default(client):
    evaluation = EvaluationFactory()
    questionnaire = fresh(services.copy_builtin(evaluation, "hall-staff"))
    client.force_login(team(evaluation)[TeamRole.STAFF])
    seed = [[49, 5, 1, 0, 0], [45, 9, 1, 0, 0], [47, 7, 1, 0, 0], [46, 7, 2, 0, 0], [47, 7, 1, 0, 0], [46, 8, 1, 0, 0]]
    typed = {(q, o): str(n) for q, row in enumerate(seed) for o, n in enumerate(row) if n}
    data = count_post(questionnaire, typed, issued="", returned="", valid="")
    for key in [k for k, v in data.items() if k.endswith("-count") and v == "0"]:
        data[key] = ""  # blank cells mean 0

    response = client.post(reverse("survey_counts", args=[evaluation.pk, questionnaire.pk]), data)

    assert response.status_code == 302
    stored = fresh(questionnaire)
    assert counts_of(stored) == seed
    assert (stored.issued, stored.returned, stored.valid) == (55, 55, 55)
    assert result_of(stored).composite_text == "97.88%"


def test_a_bad_count_is_named_by_question_and_option_and_the_typing_is_kept(client, yanjin):
    evaluation, _, staff, _ = yanjin
    staff = fresh(staff)
    before = snapshot()

    response = client.post(
        reverse("survey_counts", args=[evaluation.pk, staff.pk]),
        count_post(staff, {(1, 0): "-3", (2, 1): "七", (3, 0): "44"}, issued=55, returned=55, valid=55),
    )

    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems == [
        "第2题“您对目前大厅提供的办公设施设备是否满意?”的选项A“非常满意”：份数不能为负数",
        "第3题“您对大厅的服务考评制度是否满意?”的选项B“满意”：份数应为整数",
    ]
    page = response.content.decode()
    assert 'value="-3"' in page and 'value="七"' in page and 'value="44"' in page
    assert snapshot() == before


def test_a_question_total_above_valid_is_refused_naming_the_question(client, yanjin):
    evaluation, _, staff, _ = yanjin
    staff = fresh(staff)
    before = snapshot()

    response = client.post(
        reverse("survey_counts", args=[evaluation.pk, staff.pk]),
        count_post(staff, {(4, 0): "50"}, issued=55, returned=55, valid=55),
    )

    assert response.context["problems"] == ["第5题合计58份，多于有效问卷55份：请核对份数，或修改有效问卷份数"]
    assert 'value="50"' in response.content.decode()
    assert snapshot() == before


def structure_post(questionnaire, **changes):
    """The edit page as the browser posts it, with ``changes`` laid over."""
    data = {
        "group": questionnaire.group, "title": questionnaire.title, "mode": questionnaire.mode,
        "method": questionnaire.method, "aggregation": questionnaire.aggregation,
    }
    for number, question in enumerate(questionnaire.questions.all(), start=1):
        prefix = f"q{question.pk}"
        data.update({f"{prefix}-order": str(number), f"{prefix}-title": question.title})
        if question.counted:
            data[f"{prefix}-counted"] = "on"
        options = list(question.options.all())
        data.update({f"{prefix}-o-TOTAL_FORMS": str(len(options) + 1), f"{prefix}-o-INITIAL_FORMS": str(len(options))})
        for index, option in enumerate(options):
            data.update({
                f"{prefix}-o-{index}-option": str(option.pk), f"{prefix}-o-{index}-label": option.label,
                f"{prefix}-o-{index}-weight": str(option.weight),
            })
            if option.excluded:
                data[f"{prefix}-o-{index}-excluded"] = "on"
        data.update({f"{prefix}-o-{len(options)}-option": "", f"{prefix}-o-{len(options)}-label": "",
                     f"{prefix}-o-{len(options)}-weight": ""})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_editing_weights_flags_and_method_recomputes_the_composite(client, yanjin):
    evaluation, public, *_ = yanjin
    public = fresh(public)
    q1, q4 = public.questions.all()[0], public.questions.all()[3]
    data = structure_post(
        public,
        **{f"q{q1.pk}-o-3-weight": "30", f"q{q4.pk}-counted": None, "aggregation": "pooled", "mode": "纸质问卷"},
    )

    response = client.post(reverse("survey_structure", args=[evaluation.pk, public.pk]), data)

    assert response.status_code == 302
    stored = fresh(public)
    assert stored.questions.all()[0].options.all()[3].weight == Decimal(30)
    assert (stored.aggregation, stored.mode) == ("pooled", "纸质问卷")
    assert result_of(stored).composite_text == "90.43%"  # 不满意 had no answers in Q1; pooled = mean here


def test_options_can_be_added_renamed_and_questions_reordered_or_deleted(client, yanjin):
    evaluation, _, staff, _ = yanjin
    staff = fresh(staff)
    first, second, last = staff.questions.all()[0], staff.questions.all()[1], staff.questions.all()[5]
    data = structure_post(staff, **{
        f"q{first.pk}-order": "2", f"q{second.pk}-order": "1",
        f"q{first.pk}-o-5-label": "不了解", f"q{first.pk}-o-5-weight": "", f"q{first.pk}-o-5-excluded": "on",
        f"q{second.pk}-o-2-label": "基本满意", f"q{last.pk}-delete": "on",
    })

    response = client.post(reverse("survey_structure", args=[evaluation.pk, staff.pk]), data)

    assert response.status_code == 302
    stored = fresh(staff)
    titles = [q.title for q in stored.questions.all()]
    assert titles[:2] == [second.title, first.title] and len(titles) == 5
    moved = stored.questions.all()[1]
    assert [(o.label, o.weight, o.excluded, o.count) for o in moved.options.all()][-1] == ("不了解", Decimal(0), True, 0)
    assert [o.label for o in stored.questions.all()[0].options.all()][2] == "基本满意"
    assert counts_of(stored)[0] == [45, 9, 1, 0, 0]


def test_a_bad_weight_or_dropping_an_answered_option_is_refused_and_the_typing_kept(client, yanjin):
    evaluation, public, *_ = yanjin
    public = fresh(public)
    q1 = public.questions.all()[0]
    before = snapshot()

    weight = client.post(reverse("survey_structure", args=[evaluation.pk, public.pk]),
                         structure_post(public, **{f"q{q1.pk}-o-0-weight": "120", f"q{q1.pk}-title": "改过的题目"}))
    dropped = client.post(reverse("survey_structure", args=[evaluation.pk, public.pk]),
                          structure_post(public, **{f"q{q1.pk}-o-2-delete": "on"}))

    assert weight.status_code == 200
    assert "第1题：权重不能大于100" in weight.content.decode()
    assert 'value="改过的题目"' in weight.content.decode()
    assert "第1题选项“一般”已有3份回答，不能删除" in dropped.content.decode()
    assert snapshot() == before


def test_a_question_is_added_with_a_preset_or_custom_options(client, yanjin):
    evaluation, public, *_ = yanjin
    url = reverse("survey_question_add", args=[evaluation.pk, public.pk])

    client.post(url, {"title": "您对自助服务区是否满意？", "preset": "standard_unknown", "counted": "on"})
    client.post(url, {"title": "您来办理什么业务？", "preset": "custom", "options_text": "企业开办\n不动产登记\n\n社保"})
    refused = client.post(url, {"title": "只有一项", "preset": "custom", "options_text": "是"})

    stored = fresh(public)
    added = list(stored.questions.all())[-2:]
    assert [(o.label, o.weight, o.excluded) for o in added[0].options.all()][-1] == ("不了解", Decimal(0), True)
    assert added[0].counted is True
    assert [o.label for o in added[1].options.all()] == ["企业开办", "不动产登记", "社保"]
    assert added[1].counted is False
    assert refused.context["add_form"].errors["options_text"] == ["自定义选项至少两行，每行一个选项。"]


def test_delete_a_questionnaire(client, yanjin):
    evaluation, public, *_ = yanjin

    response = client.post(reverse("survey_delete", args=[evaluation.pk, public.pk]))

    assert response.url == reverse("survey_list", args=[evaluation.pk])
    assert list(Questionnaire.objects.filter(evaluation=evaluation).values_list("group", flat=True)) == [STAFF]
    assert not Question.objects.filter(questionnaire_id=public.pk).exists()
    assert Option.objects.filter(question__questionnaire__evaluation=evaluation).count() == 30


def test_respondent_template_has_the_questions_and_drop_downs(client, yanjin):
    evaluation, _, staff, _ = yanjin

    response = client.get(reverse("survey_template_xlsx", args=[evaluation.pk, staff.pk]))

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["答卷"]
    assert [c.value for c in sheet[1]][:3] == ["序号", "1、您对目前大厅的整体办公环境是否满意?", "2、您对目前大厅提供的办公设施设备是否满意?"]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 6
    assert validations[0].formula1 == '"非常满意,满意,一般,不满意,很不满意"'
    assert workbook["选项说明"]["C2"].value == "A.非常满意、B.满意、C.一般、D.不满意、E.很不满意"


def test_the_respondent_template_filled_in_imports_back(client, yanjin):
    _, _, staff, _ = yanjin
    spec = spec_of(fresh(staff))
    workbook = load_workbook(io.BytesIO(write_respondent_template(spec)))
    for number, answers in enumerate(respondent_rows(STAFF), start=1):
        workbook["答卷"].append([number, *answers])
    buffer = io.BytesIO()
    workbook.save(buffer)

    tally = read_responses(buffer.getvalue(), spec)

    assert [[o.count for o in q.options] for q in tally.questions] == [[o.count for o in q.options] for q in spec.questions]


def test_annex_workbook_holds_the_tables_as_printed(client, yanjin):
    evaluation, *_ = yanjin

    response = client.get(reverse("survey_annex_xlsx", args=[evaluation.pk]))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [PUBLIC, STAFF]
    sheet = workbook[PUBLIC]
    assert sheet["A1"].value == "绩效评价调查问卷结果分析"
    assert sheet["A2"].value == "（企业和办事群众满意度调查）"
    assert sheet["A4"].value == "1.您对大厅服务人员接待及协助是否满意?"
    assert [c.value for c in sheet[5]][:7] == ["项 目", "A.很满意", "B.满意", "C.一般", "D.不满意", "E.很不满意", "合 计"]
    assert [c.value for c in sheet[6]][:7] == ["满意度比率", 0.7308, 0.2308, 0.0385, 0, 0, 1]
    assert sheet["B6"].number_format == "0.00%"
    assert [c.value for c in sheet[7]][:7] == ["份数", 57, 18, 3, 0, 0, 78]
    assert "综合满意度取计入满意度的第1、2、3、5、10、11题满意度的算术平均值，为90.43%" in sheet["A3"].value


def test_signed_off_evaluations_show_no_editing(client, yanjin):
    evaluation, public, _, people = yanjin
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)

    page = client.get(reverse("survey_detail", args=[evaluation.pk, public.pk])).content.decode()

    assert "录入份数" not in page and "删除本问卷" not in page
    assert client.get(reverse("survey_counts", args=[evaluation.pk, public.pk])).status_code == 403
    client.force_login(people["bureau"])  # the bureau receives the signed report on its desk, not the workshop
    assert client.get(reverse("survey_detail", args=[evaluation.pk, public.pk])).status_code == 403


def test_a_counts_form_without_its_grid_is_refused_as_expired(client):
    evaluation = EvaluationFactory()
    questionnaire = fresh(services.copy_builtin(evaluation, "hall-staff"))
    client.force_login(team(evaluation)[TeamRole.STAFF])
    before = snapshot()

    response = client.post(reverse("survey_counts", args=[evaluation.pk, questionnaire.pk]), {"issued": "55"})

    assert response.status_code == 200
    assert "表单已过期，请刷新页面后重新录入" in response.context["problems"]
    assert len(response.context["rows"]) == questionnaire.questions.count()
    assert snapshot() == before
