"""Looking never writes: no GET request inserts, updates or deletes a row (the session and queued renders aside).

The built-in templates used to be installed when someone opened the template
list or an empty indicator page; a firm now gets them when it is created
(``rubrics.signals``), existing firms through a migration, and
``load_indicator_systems`` on demand.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from evaluations.enums import TeamRole
from reports import profiles
from reports.models import Notification, Problem, ReportProfile, ReviewComment, Suggestion
from rubrics import services
from rubrics.models import IndicatorSystem, ProjectForm
from surveys.services import load_demo_surveys
from tests.audits.factories import stored_review
from tests.factories import SMALL_TREE, EvaluationFactory, FirmFactory, UserFactory, small_rubric, team
from tests.test_permissions import named_urls

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
#: Not data: the session, and a draft's render queued by looking at it (the rows of the background renders
#: and of the task queue are a cache of files keyed by the content they are built from).
NOT_DATA = ('"django_session"', '"reports_renderjob"', '"django_tasks_db_dbtaskresult"')
BUILTIN_SLUGS = {
    "decision-management-performance", "decision-management-output-benefit", "input-process-output-effect",
    "self-eval-output-benefit", "self-eval-management-capacity",
}
#: Pages whose GET renders several megabytes or seconds of work; their XLSX sibling is walked instead.
SLOW = {("report_download", "docx"), ("report_download", "pdf"), ("report_download", "selfeval-docx")}


def writes_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
            response.close()
    assert response.status_code < 500, (url, response.status_code)
    return [
        sql
        for query in captured.captured_queries
        if (sql := query["sql"]).lstrip().upper().startswith(WRITES) and not any(table in sql for table in NOT_DATA)
    ]


def test_a_new_firm_starts_with_the_builtin_templates_and_a_bureau_does_not():
    firm = FirmFactory()
    bureau = FirmFactory(kind="bureau")
    assert set(IndicatorSystem.objects.filter(firm=firm).values_list("slug", flat=True)) == BUILTIN_SLUGS
    assert not IndicatorSystem.objects.filter(firm=bureau).exists()


def test_the_migration_gives_existing_firms_the_templates_and_keeps_their_edits():
    firm = FirmFactory()
    IndicatorSystem.objects.filter(firm=firm).exclude(slug="input-process-output-effect").delete()
    IndicatorSystem.objects.filter(firm=firm).update(name="本所通用框架")
    migration = import_module("rubrics.migrations.0003_builtin_systems_for_existing_firms")
    migration.install(apps, None)
    migration.install(apps, None)
    assert set(IndicatorSystem.objects.filter(firm=firm).values_list("slug", flat=True)) == BUILTIN_SLUGS
    assert IndicatorSystem.objects.get(firm=firm, slug="input-process-output-effect").name == "本所通用框架"


def test_the_migration_gives_existing_firms_the_report_profiles_and_keeps_their_own():
    firm = FirmFactory()
    ReportProfile.objects.filter(firm=firm).exclude(slug=profiles.FALLBACK_SLUG).delete()
    ReportProfile.objects.filter(firm=firm).update(definition={**profiles.builtin_profile(profiles.FALLBACK_SLUG).definition,
                                                              "front": ["cover"]})
    own = ReportProfile.objects.create(firm=firm, name=profiles.builtin_profile("henan-seed-002").name,
                                       definition=profiles.builtin_profile("henan-seed-002").definition)
    migration = import_module("reports.migrations.0008_builtin_report_profiles_for_existing_firms")
    migration.install(apps, None)
    migration.install(apps, None)
    slugs = sorted(ReportProfile.objects.filter(firm=firm).values_list("slug", flat=True))
    assert slugs == sorted(["", *(builtin.slug for builtin in profiles.builtin_profiles())])
    assert ReportProfile.objects.get(firm=firm, slug=profiles.FALLBACK_SLUG).definition["front"] == ["cover"]
    assert ReportProfile.objects.get(firm=firm, slug="henan-seed-002").name == f"{own.name}（内置）"


def test_the_profile_list_and_the_report_page_write_nothing_for_a_firm_without_profiles(client):
    evaluation = EvaluationFactory()
    ReportProfile.objects.filter(firm=evaluation.firm).delete()  # a firm from before the profiles
    client.force_login(team(evaluation)[TeamRole.LEAD])
    assert writes_of(client, reverse("report_profile_list")) == []
    assert writes_of(client, reverse("report_overview", args=[evaluation.pk])) == []
    assert not ReportProfile.objects.filter(firm=evaluation.firm).exists()


def test_the_template_list_and_an_empty_indicator_page_write_nothing(client):
    evaluation = EvaluationFactory()
    IndicatorSystem.objects.filter(firm=evaluation.firm).delete()  # a firm from before the templates
    client.force_login(team(evaluation)[TeamRole.LEAD])

    assert writes_of(client, reverse("system_list")) == []
    assert writes_of(client, reverse("rubric_overview", args=[evaluation.pk])) == []
    assert not IndicatorSystem.objects.filter(firm=evaluation.firm).exists()


def parameters(name: str) -> list[str]:
    """The names of a URL's parameters (``pk``, ``sid``…), from the resolver."""
    (bits, *_), *_ = get_resolver().reverse_dict.getlist(name)
    return list(bits[0][1])


def url_arguments(evaluation, user) -> dict[str, list[list]]:
    """Every named URL with the arguments of each page walked (several for the downloads)."""
    system = services.save_system(evaluation.firm, slug="test", name="测试模板", tree=SMALL_TREE)
    profile = ReportProfile.objects.filter(firm=evaluation.firm).first()
    questionnaire = evaluation.questionnaires.first()
    problem = Problem.objects.create(evaluation=evaluation, title="问题")
    suggestion = Suggestion.objects.create(evaluation=evaluation, title="建议", problem=problem)
    project = ProjectForm.objects.create(
        evaluation=evaluation, name="政务服务经费", tree=SMALL_TREE,
        funds=[{"label": "年度资金总额", "initial": "245", "adjusted": "291.54", "final": "291.54"}],
    )
    comment = ReviewComment.objects.create(
        evaluation=evaluation, version=1, target_kind="indicator", target_key="A11", target_label="A11", text="意见",
        author=user,
    )
    notification = Notification.objects.create(user=user, kind="submitted", message="通知", url="/")
    pk = evaluation.pk
    review = stored_review(evaluation.bureau, user)
    special = {
        "evaluation_team_remove": [[pk, evaluation.memberships.first().pk]],
        "department_edit": [[evaluation.department.pk]],
        "judgment_edit": [[pk, "A11"]],
        "judgment_preview": [[pk, "A11"]],
        "rubric_overview_section": [[pk, "A"]],
        "evidence_upload": [[pk, "A11"]],
        "evidence_download": [],  # a stored file, not a page
        "evidence_share": [],  # POST only
        "evidence_remove": [],  # POST only
        "judgment_draft": [],  # POST only (autosave)
        "judgment_draft_discard": [],  # POST only
        "report_file": [[pk, 1, "pdf"]],
        "delivery_file": [[pk, 1, "pdf"]],
        "delivery_evidence": [],  # a stored file, not a page
        "password_reset_confirm": [],  # needs a mailed token
        "account_user_active": [[user.pk]],
        "account_user_password_mail": [[user.pk]],
        "system_detail": [[system.pk]],
        "system_node_save": [[system.pk]],
        "system_xlsx": [[system.pk]],
        "system_node_action": [[system.pk, "A"]],
        "survey_chart": [[pk, questionnaire.pk, 1, "png"]],
        "report_download": [[pk, fmt] for fmt in ("docx", "pdf", "xlsx", "selfeval-xlsx", "selfeval-docx")],
        "report_render_status": [[pk, "xlsx"]],
        "report_render_file": [],  # a stored file, not a page
        "report_chart": [],  # a stored file, not a page
        "report_section_edit": [[pk, "overall"]],
        **{name: [[profile.pk]] for name in ("report_profile_detail", "report_profile_edit", "report_profile_copy",
                                              "report_profile_delete", "report_profile_bureaus")},
        "report_problem_edit": [[pk, problem.pk]],
        "report_problem_delete": [[pk, problem.pk]],
        "report_suggestion_edit": [[pk, suggestion.pk]],
        "report_suggestion_delete": [[pk, suggestion.pk]],
        "project_form_download": [[pk, project.pk, fmt] for fmt in ("xlsx", "docx")],
        "project_form_delete": [[pk, project.pk]],
        "project_form_in_report": [[pk, project.pk]],
        "review_comment_reply": [[pk, comment.pk]],
        "review_comment_close": [[pk, comment.pk]],
        "notification_read": [[notification.pk]],
        "review_detail": [[review.pk]],
        "review_resubmit": [[review.pk]],
        "review_accept": [[review.pk]],
        "review_file": [[review.pk, file.pk] for file in review.versions.get().files.all()],
        "review_opinion": [[review.pk, 1]],
    }
    arguments = {}
    for name in set(named_urls(get_resolver().url_patterns)):
        if name in special:
            arguments[name] = special[name]
        elif not parameters(name):
            arguments[name] = [[]]
        elif parameters(name) == ["pk", "sid"]:
            arguments[name] = [[pk, questionnaire.pk]]
        else:
            assert parameters(name) == ["pk"], f"{name} takes {parameters(name)}: say which page to walk"
            arguments[name] = [[pk]]
    return arguments


@pytest.mark.parametrize("role", [TeamRole.LEAD, TeamRole.STAFF, "bureau"])
def test_no_get_request_writes_a_row(client, settings, tmp_path, role):
    settings.MEDIA_ROOT = tmp_path  # the 复核 record's stored files
    evaluation = small_rubric(EvaluationFactory())
    load_demo_surveys(evaluation)
    people = team(evaluation)
    client.force_login(people[role])
    written = {}
    for name, argument_lists in sorted(url_arguments(evaluation, people[TeamRole.STAFF]).items()):
        for arguments in argument_lists:
            if (name, *arguments[1:2]) in SLOW or name == "logout":
                continue
            url = reverse(name, args=arguments)
            if sql := writes_of(client, url):
                written[url] = sql
    assert written == {}


def test_a_user_of_another_firm_opening_the_template_list_writes_nothing(client):
    client.force_login(UserFactory())
    assert writes_of(client, reverse("system_list")) == []
