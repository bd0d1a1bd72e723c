"""Every URL, walked by every role: who sees what, and who may change what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from rubrics import services
from rubrics.models import Evidence, Judgment
from surveys.models import Questionnaire
from surveys.services import copy_builtin
from tests.factories import SMALL_TREE, EvaluationFactory, small_rubric, team

ROLES = ["staff", "lead", "reviewer", "outsider", "bureau", "anonymous"]
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# (url name, method) → expected status per role in ROLES order while the evaluation is in progress.
MATRIX = {
    ("dashboard", "get"): [OK, OK, OK, OK, OK, REDIRECT],
    ("evaluation_create", "get"): [OK, OK, OK, OK, FORBIDDEN, REDIRECT],
    ("evaluation_detail", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("evaluation_edit", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("evaluation_team", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("evaluation_team_remove", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("budget_detail", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("budget_edit", "get"): [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("budget_import", "get"): [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("budget_import_confirm", "post"): [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("budget_xlsx", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("department_list", "get"): [OK, OK, OK, OK, FORBIDDEN, REDIRECT],
    ("department_create", "get"): [OK, OK, OK, OK, FORBIDDEN, REDIRECT],
    ("department_edit", "get"): [OK, OK, OK, FORBIDDEN, NOT_FOUND, REDIRECT],
    ("rubric_overview", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("rubric_choose", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("judgment_edit", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("judgment_edit", "post"): [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("judgment_preview", "post"): [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("evidence_upload", "post"): [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("evidence_download", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("rubric_import", "get"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("rubric_import_confirm", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("rubric_xlsx", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("system_list", "get"): [OK, OK, OK, OK, FORBIDDEN, REDIRECT],
    ("system_import", "get"): [OK, OK, OK, OK, FORBIDDEN, REDIRECT],
    ("system_import_confirm", "post"): [REDIRECT, REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, REDIRECT],
    ("system_xlsx", "get"): [OK, OK, OK, OK, FORBIDDEN, REDIRECT],
    ("system_detail", "get"): [OK, OK, OK, OK, FORBIDDEN, REDIRECT],
    ("system_node_save", "post"): [REDIRECT, REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, REDIRECT],
    ("system_node_action", "post"): [REDIRECT, REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, REDIRECT],
    ("survey_list", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_create", "get"): [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_create", "post"): [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_detail", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_structure", "get"): [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_question_add", "post"): [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_counts", "get"): [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_import", "get"): [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_import_confirm", "post"): [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_delete", "post"): [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_chart", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_template_xlsx", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("survey_annex_xlsx", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_overview", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_preview", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_download", "get"): [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_section_edit", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_section_edit", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_targets_edit", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_targets_edit", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_problem_create", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_problem_create", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_problem_edit", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_problem_edit", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_problem_delete", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_suggestion_create", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_suggestion_create", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_suggestion_edit", "get"): [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_suggestion_edit", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
    ("report_suggestion_delete", "post"): [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT],
}

# After sign-off: read-only for the team, visible to the client bureau, changed by nobody.
SIGNED = {
    ("evaluation_detail", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("evaluation_edit", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("evaluation_team", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("evaluation_team_remove", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("budget_detail", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("department_edit", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT],
    ("budget_edit", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("budget_import", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("budget_import_confirm", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("budget_xlsx", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("rubric_overview", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("rubric_choose", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("rubric_import", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("rubric_xlsx", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("judgment_edit", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("judgment_edit", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("judgment_preview", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("evidence_upload", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_list", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("survey_create", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_create", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_detail", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("survey_structure", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_question_add", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_counts", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_import", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_import_confirm", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_delete", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("survey_chart", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("survey_template_xlsx", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("survey_annex_xlsx", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("report_overview", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("report_preview", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("report_download", "get"): [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    ("report_section_edit", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_section_edit", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_targets_edit", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_targets_edit", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_problem_create", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_problem_create", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_problem_edit", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_problem_edit", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_problem_delete", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_suggestion_create", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_suggestion_create", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_suggestion_edit", "get"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_suggestion_edit", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    ("report_suggestion_delete", "post"): [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
}

IGNORED_URL_NAMES = {"login", "logout"}


def url_for(name, evaluation, people):
    if name == "evaluation_team_remove":
        membership = evaluation.memberships.get(user=people[TeamRole.STAFF])
        return reverse(name, args=[evaluation.pk, membership.pk])
    if name == "department_edit":
        return reverse(name, args=[evaluation.department.pk])
    if name in {"judgment_edit", "judgment_preview", "evidence_upload"}:
        return reverse(name, args=[evaluation.pk, "A11"])
    if name == "evidence_download":
        return reverse(name, args=[evaluation.pk, Evidence.objects.get(judgment__indicator__evaluation=evaluation).pk])
    if name in {"system_detail", "system_node_save", "system_xlsx"}:
        return reverse(name, args=[system_of(evaluation).pk])
    if name == "system_node_action":
        return reverse(name, args=[system_of(evaluation).pk, "A"])
    if name in {"dashboard", "evaluation_create", "department_list", "department_create", "system_list",
                "system_import", "system_import_confirm"}:
        return reverse(name)
    if name in SURVEY_URLS:
        return reverse(name, args=[evaluation.pk, questionnaire_of(evaluation).pk, *SURVEY_URLS[name]])
    if name in REPORT_URLS:
        return reverse(name, args=[evaluation.pk, *REPORT_URLS[name](evaluation)])
    return reverse(name, args=[evaluation.pk])


def system_of(evaluation):
    return services.save_system(evaluation.firm, slug="test", name="测试模板", tree=SMALL_TREE)


#: Survey URLs under one questionnaire, with their arguments after (evaluation, questionnaire).
SURVEY_URLS = {
    "survey_detail": [], "survey_structure": [], "survey_question_add": [], "survey_counts": [],
    "survey_delete": [], "survey_template_xlsx": [], "survey_chart": [1, "png"],
}


def questionnaire_of(evaluation):
    existing = Questionnaire.objects.filter(evaluation=evaluation).first()
    return existing or copy_builtin(evaluation, "hall-staff")


#: Report URLs with their arguments after the evaluation.
REPORT_URLS = {
    "report_download": lambda evaluation: ["docx"],
    "report_section_edit": lambda evaluation: ["overall"],
    "report_problem_edit": lambda evaluation: [problem_of(evaluation).pk],
    "report_problem_delete": lambda evaluation: [problem_of(evaluation).pk],
    "report_suggestion_edit": lambda evaluation: [suggestion_of(evaluation).pk],
    "report_suggestion_delete": lambda evaluation: [suggestion_of(evaluation).pk],
}


def problem_of(evaluation):
    from reports.models import Problem

    return Problem.objects.filter(evaluation=evaluation).first() or Problem.objects.create(evaluation=evaluation, title="问题")


def suggestion_of(evaluation):
    from reports.models import Suggestion

    return Suggestion.objects.filter(evaluation=evaluation).first() or Suggestion.objects.create(
        evaluation=evaluation, title="建议", problem=problem_of(evaluation)
    )


POST_DATA = {
    "judgment_edit": {"applicable": "on", "yes": "1", "process": "符合。"},
    "judgment_preview": {"applicable": "on", "yes": "1"},
    "system_node_save": {"adding_under": "A1", "code": "A12", "name": "新指标", "weight": "1", "kind": "normal",
                         "rule_kind": "yes_no", "rule_params": "{}"},
    "system_node_action": {"action": "up"},
    "rubric_choose": {"system": ""},
    "survey_create": {"source": "blank", "group": "窗口工作人员"},
    "survey_question_add": {"title": "您对自助服务区是否满意？", "preset": "standard", "counted": "on"},
    "survey_import_confirm": {"token": "expired"},
    "report_section_edit": {"text": "{年度}年度，总分{总分}分。"},
    "report_targets_edit": {"rows": "产出指标\t数量指标\t办件量\t≥1000件"},
    "report_problem_create": {"title": "年度工作计划不够细化", "text": "未分解到科室。"},
    "report_problem_edit": {"title": "年度工作计划不够细化", "text": "未分解到科室。"},
    "report_suggestion_create": {"title": "细化年度工作计划", "text": "建议分解到科室。"},
    "report_suggestion_edit": {"title": "细化年度工作计划", "text": "建议分解到科室。"},
}


def scored_evaluation(status):
    evaluation = small_rubric(EvaluationFactory(status=EvaluationStatus.DRAFT))
    judgment = Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11")
    Evidence.objects.create(judgment=judgment, file=SimpleUploadedFile("底稿.txt", b"evidence"), title="底稿")
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    return evaluation


def request(client, method, url, name):
    if method == "get":
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
            response.close()
        return response
    data = dict(POST_DATA.get(name, {}))
    if name == "evidence_upload":
        data = {"file": SimpleUploadedFile("照片.txt", b"x"), "title": "照片"}
    return client.post(url, data)


def client_for(client, role, people):
    if role != "anonymous":
        key = {"staff": TeamRole.STAFF, "lead": TeamRole.LEAD, "reviewer": TeamRole.REVIEWER}.get(role, role)
        client.force_login(people[key])
    return client


def named_urls(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from named_urls(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


def test_matrix_covers_every_named_url():
    assert set(named_urls(get_resolver().url_patterns)) - IGNORED_URL_NAMES == {name for name, _ in MATRIX}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), sorted(MATRIX))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_while_in_progress(client, settings, tmp_path, name, method, role_index):
    settings.MEDIA_ROOT = tmp_path
    evaluation = scored_evaluation(EvaluationStatus.SCORING)
    people = team(evaluation)
    response = request(client_for(client, ROLES[role_index], people), method, url_for(name, evaluation, people), name)
    assert response.status_code == MATRIX[(name, method)][role_index]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), sorted(SIGNED))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_after_sign_off(client, settings, tmp_path, name, method, role_index):
    settings.MEDIA_ROOT = tmp_path
    evaluation = scored_evaluation(EvaluationStatus.SIGNED)
    people = team(evaluation)
    response = request(client_for(client, ROLES[role_index], people), method, url_for(name, evaluation, people), name)
    assert response.status_code == SIGNED[(name, method)][role_index]


@pytest.mark.django_db
def test_bureau_of_another_evaluation_sees_nothing_even_when_signed(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SIGNED)
    stranger = team(EvaluationFactory())["bureau"]
    client.force_login(stranger)
    assert client.get(reverse("evaluation_detail", args=[evaluation.pk])).status_code == NOT_FOUND
    assert evaluation.department.name not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_staff_of_another_firm_cannot_reach_an_evaluation(client):
    evaluation = EvaluationFactory()
    other = team(EvaluationFactory())[TeamRole.LEAD]
    client.force_login(other)
    assert client.get(reverse("budget_detail", args=[evaluation.pk])).status_code == NOT_FOUND
    assert client.get(reverse("department_edit", args=[evaluation.department.pk])).status_code == NOT_FOUND
