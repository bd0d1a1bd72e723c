"""Every URL, walked by every role: who sees what, who may do what, and which links each page offers.

The expectations come from the README's permissions table (the document people read); a test holds
the code's table (``evaluations.permissions.HOLDERS``) equal to it, and the matrix below names the
capability each evaluation URL declares.
"""

import re
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from evaluations.permissions import (
    AFTER_SIGN_OFF,
    BUREAU,
    DURING_REVIEW,
    HOLDERS,
    Capabilities,
    Capability,
    UnknownCapability,
    role_capabilities,
)
from evaluations.services import locked_message
from reports.models import Notification, Problem, ReportProfile, ReviewComment, Suggestion
from reports.profiles import FALLBACK_SLUG
from reports.render_jobs import request_render
from rubrics import services
from rubrics.models import Evidence, Judgment, ProjectForm
from surveys.services import copy_builtin
from tests.audits.factories import stored_review
from tests.factories import SMALL_TREE, EvaluationFactory, member, small_rubric, stored_signed_files, team

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["staff", "lead", "reviewer", "quality", "head", "outsider", "bureau", "anonymous"]
TEAM_ROLES = {"staff": TeamRole.STAFF, "lead": TeamRole.LEAD, "reviewer": TeamRole.REVIEWER,
              "quality": TeamRole.QUALITY, "head": TeamRole.HEAD}
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
C = Capability

# Evaluation URLs: (url name, method) → the capability the view declares and its answer to a holder.
EVALUATION_URLS = {
    ("evaluation_detail", "get"): (C.VIEW, OK),
    ("evaluation_edit", "get"): (C.EDIT_ENGAGEMENT, OK),
    ("evaluation_edit", "post"): (C.EDIT_ENGAGEMENT, OK),  # the empty form comes back with its errors
    ("evaluation_department", "get"): (C.VIEW, OK),
    ("evaluation_department", "post"): (C.ENTER_FIGURES, OK),  # the empty form comes back with its errors
    ("evaluation_team", "get"): (C.MANAGE_TEAM, OK),
    ("evaluation_team", "post"): (C.MANAGE_TEAM, OK),
    ("evaluation_team_remove", "post"): (C.MANAGE_TEAM, REDIRECT),
    ("budget_detail", "get"): (C.VIEW, OK),
    ("budget_edit", "get"): (C.ENTER_FIGURES, OK),
    ("budget_edit", "post"): (C.ENTER_FIGURES, OK),
    ("budget_import", "get"): (C.ENTER_FIGURES, OK),
    ("budget_import", "post"): (C.ENTER_FIGURES, OK),
    ("budget_import_confirm", "post"): (C.ENTER_FIGURES, REDIRECT),
    ("budget_xlsx", "get"): (C.VIEW, OK),
    ("rubric_overview", "get"): (C.VIEW, OK),
    ("rubric_overview_section", "get"): (C.VIEW, OK),
    ("rubric_choose", "post"): (C.EDIT_ENGAGEMENT, REDIRECT),
    ("rubric_import", "get"): (C.EDIT_ENGAGEMENT, REDIRECT),  # the evaluation has a system already
    ("rubric_import_confirm", "post"): (C.EDIT_ENGAGEMENT, REDIRECT),
    ("rubric_xlsx", "get"): (C.DOWNLOAD_REPORT, OK),
    ("judgment_edit", "get"): (C.VIEW, OK),
    ("judgment_edit", "post"): (C.SCORE, REDIRECT),
    ("judgment_preview", "post"): (C.SCORE, OK),
    ("judgment_draft", "post"): (C.SCORE, OK),
    ("judgment_draft_discard", "post"): (C.SCORE, REDIRECT),
    ("evidence_upload", "post"): (C.SCORE, REDIRECT),
    ("evidence_download", "get"): (C.SEE_WORKING_PAPERS, OK),
    ("evidence_share", "post"): (C.SCORE, REDIRECT),
    ("evidence_remove", "post"): (C.SCORE, REDIRECT),  # refused with a message unless the uploader asks
    ("evidence_index", "get"): (C.SEE_WORKING_PAPERS, OK),
    ("evidence_index_xlsx", "get"): (C.SEE_WORKING_PAPERS, OK),
    ("survey_list", "get"): (C.VIEW, OK),
    ("survey_create", "get"): (C.ENTER_SURVEYS, OK),
    ("survey_create", "post"): (C.ENTER_SURVEYS, REDIRECT),
    ("survey_detail", "get"): (C.VIEW, OK),
    ("survey_structure", "get"): (C.ENTER_SURVEYS, OK),
    ("survey_structure", "post"): (C.ENTER_SURVEYS, OK),
    ("survey_question_add", "post"): (C.ENTER_SURVEYS, REDIRECT),
    ("survey_counts", "get"): (C.ENTER_SURVEYS, OK),
    ("survey_counts", "post"): (C.ENTER_SURVEYS, OK),
    ("survey_import", "get"): (C.ENTER_SURVEYS, OK),
    ("survey_import", "post"): (C.ENTER_SURVEYS, OK),
    ("survey_import_confirm", "post"): (C.ENTER_SURVEYS, REDIRECT),
    ("survey_delete", "post"): (C.ENTER_SURVEYS, REDIRECT),
    ("survey_chart", "get"): (C.VIEW, OK),
    ("survey_template_xlsx", "get"): (C.VIEW, OK),
    ("survey_annex_xlsx", "get"): (C.VIEW, OK),
    ("report_overview", "get"): (C.VIEW, OK),
    ("report_preview", "get"): (C.VIEW, OK),
    ("report_download", "get"): (C.DOWNLOAD_REPORT, OK),
    ("report_file", "get"): (C.DOWNLOAD_REPORT, OK),  # version 1's file (the evaluation in progress is a reopened one)
    ("delivery_desk", "get"): (C.VIEW_DELIVERED, OK),
    ("delivery_file", "get"): (C.VIEW_DELIVERED, OK),
    ("delivery_evidence", "get"): (C.VIEW_DELIVERED, OK),
    ("delivery_receipt", "post"): (C.CONFIRM_RECEIPT, REDIRECT),
    ("delivery_opinion", "post"): (C.CONFIRM_RECEIPT, OK),  # the empty form comes back with its errors
    ("report_render_status", "get"): (C.DOWNLOAD_REPORT, OK),
    ("report_render_file", "get"): (C.DOWNLOAD_REPORT, OK),
    ("report_chart", "get"): (C.VIEW, OK),
    ("report_section_edit", "get"): (C.WRITE_REPORT, OK),
    ("report_section_edit", "post"): (C.WRITE_REPORT, REDIRECT),
    ("report_goals_edit", "get"): (C.WRITE_REPORT, OK),
    ("report_goals_edit", "post"): (C.WRITE_REPORT, REDIRECT),
    ("report_problem_create", "get"): (C.WRITE_REPORT, OK),
    ("report_problem_create", "post"): (C.WRITE_REPORT, REDIRECT),
    ("report_problem_edit", "get"): (C.WRITE_REPORT, OK),
    ("report_problem_edit", "post"): (C.WRITE_REPORT, REDIRECT),
    ("report_problem_delete", "post"): (C.WRITE_REPORT, REDIRECT),
    ("report_suggestion_create", "get"): (C.WRITE_REPORT, OK),
    ("report_suggestion_create", "post"): (C.WRITE_REPORT, REDIRECT),
    ("report_suggestion_edit", "get"): (C.WRITE_REPORT, OK),
    ("report_suggestion_edit", "post"): (C.WRITE_REPORT, REDIRECT),
    ("report_suggestion_delete", "post"): (C.WRITE_REPORT, REDIRECT),
    ("project_forms", "get"): (C.VIEW, OK),
    ("project_form_import", "get"): (C.EDIT_ENGAGEMENT, OK),
    ("project_form_import", "post"): (C.EDIT_ENGAGEMENT, OK),  # the empty form comes back with its errors
    ("project_form_import_confirm", "post"): (C.EDIT_ENGAGEMENT, REDIRECT),
    ("project_form_delete", "post"): (C.EDIT_ENGAGEMENT, REDIRECT),
    ("project_form_in_report", "post"): (C.EDIT_ENGAGEMENT, REDIRECT),
    ("project_form_download", "get"): (C.DOWNLOAD_REPORT, OK),
    # Review and sign-off: a step answers a holder with the review page (and a message if it refused).
    ("evaluation_review", "get"): (C.SEE_WORKING_PAPERS, OK),
    ("evaluation_start", "post"): (C.EDIT_ENGAGEMENT, REDIRECT),
    ("evaluation_submit", "post"): (C.SUBMIT, REDIRECT),
    ("evaluation_approve", "post"): (C.REVIEW, REDIRECT),
    ("evaluation_return", "post"): (C.REVIEW, REDIRECT),
    ("evaluation_sign_off", "post"): (C.SIGN_OFF, REDIRECT),
    ("evaluation_reopen", "post"): (C.REOPEN, REDIRECT),
    ("review_comments", "get"): (C.SEE_WORKING_PAPERS, OK),
    ("review_comment_create", "post"): (C.COMMENT, REDIRECT),
    ("review_comment_reply", "post"): (C.REPLY_COMMENT, REDIRECT),
    ("review_comment_close", "post"): (C.COMMENT, REDIRECT),
    ("report_profile_choose", "post"): (C.EDIT_ENGAGEMENT, REDIRECT),
}

FIRM_PAGE = [OK, OK, OK, OK, OK, OK, FORBIDDEN, REDIRECT]
FIRM_POST = [REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, REDIRECT]
SIGNED_IN = [OK] * 7 + [REDIRECT]
FIRM_ADMIN_ONLY = [FORBIDDEN] * 7 + [REDIRECT]
BUREAU_ONLY = [NOT_FOUND] * 6 + [OK, REDIRECT]  # the 复核台: the bureau's own records; every firm user gets 404
# URLs outside one evaluation: expected status per role in ROLES order (the same in every state unless listed below).
OTHER_URLS = {
    ("dashboard", "get"): [OK, OK, OK, OK, OK, OK, OK, REDIRECT],
    ("evaluation_create", "get"): FIRM_PAGE,
    ("evaluation_create", "post"): FIRM_PAGE,  # the empty form comes back with its errors
    ("department_list", "get"): FIRM_PAGE,
    ("department_create", "get"): FIRM_PAGE,
    ("department_create", "post"): FIRM_PAGE,
    # the firm's list is where a new evaluation's facts start; each evaluation edits its own copy
    ("department_edit", "get"): [OK, OK, OK, OK, OK, OK, NOT_FOUND, REDIRECT],
    ("department_edit", "post"): [OK, OK, OK, OK, OK, OK, NOT_FOUND, REDIRECT],
    ("system_list", "get"): FIRM_PAGE,
    ("system_import", "get"): FIRM_PAGE,
    ("system_import", "post"): FIRM_PAGE,
    ("system_import_confirm", "post"): FIRM_POST,
    ("system_xlsx", "get"): FIRM_PAGE,
    ("system_detail", "get"): FIRM_PAGE,
    ("system_node_save", "post"): FIRM_POST,
    ("system_node_action", "post"): FIRM_POST,
    ("report_profile_list", "get"): FIRM_PAGE,
    ("report_profile_detail", "get"): FIRM_PAGE,
    ("report_profile_edit", "get"): FIRM_PAGE,
    ("report_profile_edit", "post"): FIRM_PAGE,  # the empty form comes back with its errors
    ("report_profile_copy", "post"): FIRM_POST,
    ("report_profile_delete", "post"): FIRM_POST,
    ("report_profile_bureaus", "post"): FIRM_POST,
    # accounts: everyone changes his own password; only a firm administrator (none of these roles) manages users
    # (tests/test_accounts.py walks those pages with the administrators of this firm and another)
    ("password_change", "get"): SIGNED_IN,
    ("password_change", "post"): SIGNED_IN,  # the empty form comes back with its errors
    ("password_change_done", "get"): SIGNED_IN,
    ("password_reset", "get"): [OK] * 8,
    ("password_reset", "post"): [OK] * 8,
    ("password_reset_done", "get"): [OK] * 8,
    ("password_reset_complete", "get"): [OK] * 8,
    ("account_users", "get"): FIRM_ADMIN_ONLY,
    ("account_user_create", "get"): FIRM_ADMIN_ONLY,
    ("account_user_create", "post"): FIRM_ADMIN_ONLY,
    ("account_user_active", "post"): FIRM_ADMIN_ONLY,
    ("account_user_password_mail", "post"): FIRM_ADMIN_ONLY,
    ("account_client_add", "post"): FIRM_ADMIN_ONLY,
    ("notification_list", "get"): SIGNED_IN,
    ("notification_read", "post"): [REDIRECT] + [NOT_FOUND] * 6 + [REDIRECT],  # the notification is the 评价人员's
    ("notifications_read_all", "post"): [REDIRECT] * 8,
    ("review_list", "get"): BUREAU_ONLY,
    ("review_create", "post"): BUREAU_ONLY,  # the empty form comes back with its errors
    ("review_settings", "get"): BUREAU_ONLY,
    ("review_settings", "post"): BUREAU_ONLY,
    ("review_detail", "get"): BUREAU_ONLY,
    ("review_resubmit", "post"): BUREAU_ONLY,
    ("review_accept", "post"): [NOT_FOUND] * 6 + [REDIRECT, REDIRECT],
    ("review_file", "get"): BUREAU_ONLY,
    ("review_opinion", "get"): BUREAU_ONLY,
}
# Answers that differ once the evaluation is submitted or signed (none: the firm's list of departments never
# reaches an evaluation, which keeps its own copy of the facts).
OTHER_URLS_LOCKED: dict = {}

PROFILE_URLS = {"report_profile_detail", "report_profile_edit", "report_profile_copy", "report_profile_delete",
                "report_profile_bureaus"}
IGNORED_URL_NAMES = {"login", "logout", "password_reset_confirm"}  # the last needs a mailed token: tests/test_accounts.py
#: Pages that answer with a file, not HTML: requested by the matrix, not read for links.
DOWNLOADS = {"budget_xlsx", "rubric_xlsx", "evidence_download", "evidence_index_xlsx", "survey_chart",
             "survey_template_xlsx", "survey_annex_xlsx", "report_download", "system_xlsx", "report_file", "delivery_file",
             "delivery_evidence", "project_form_download", "report_render_file", "report_chart", "review_file",
             "review_opinion"}
#: URLs that serve a file stored at sign-off: the world has a signed version for them.
STORED_FILES = {"report_download", "report_file", "delivery_file"}


# ---------------------------------------------------------------------------
# The README's table: what people are told, and what the tests expect.

README_COLUMNS = {"评价人员": TeamRole.STAFF, "主评人": TeamRole.LEAD, "项目负责人": TeamRole.REVIEWER,
                  "质控复核人": TeamRole.QUALITY, "机构负责人": TeamRole.HEAD, "财政局": BUREAU,
                  "机构内非团队成员": "outsider", "待审核时仍可": "during_review", "签发后仍可": "after_sign_off"}
STATES = [EvaluationStatus.SCORING, EvaluationStatus.REVIEW, EvaluationStatus.SIGNED]
STILL = {EvaluationStatus.REVIEW: "during_review", EvaluationStatus.SIGNED: "after_sign_off"}


def readme_table() -> dict[str, dict[str, str]]:
    """The permissions table of README.md: capability label → column key → cell."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## 权限\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[0] == "能力" and [README_COLUMNS[name] for name in header[1:]] == list(README_COLUMNS.values())
    table = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(README_COLUMNS.values(), cells[1:], strict=True))
    return table


def held_in_readme(cell: str, signed: bool) -> bool:
    if cell.startswith("✓"):
        return True
    if cell.startswith("✗"):
        return False
    if cell.startswith("仅签发后"):
        return signed
    raise AssertionError(f"README权限表中不认识的格子：{cell}")


README = readme_table()


def readme_holds(role: str, capability: Capability, state: str) -> bool:
    """Whether the README says ``role`` (a ROLES entry) may do ``capability`` on an evaluation in ``state``."""
    if role == "anonymous":
        return False
    row = README[capability.label]
    key = TEAM_ROLES.get(role, role)
    signed = state == EvaluationStatus.SIGNED
    if state in STILL and not held_in_readme(row[STILL[state]], signed):
        return False
    return held_in_readme(row[key], signed)


def expected_status(name, method, role, state):
    if (name, method) in EVALUATION_URLS:
        capability, allowed = EVALUATION_URLS[(name, method)]
        if role == "anonymous":
            return REDIRECT
        if not readme_holds(role, C.VIEW, state) and not readme_holds(role, C.VIEW_DELIVERED, state):
            return NOT_FOUND  # he sees neither the workshop nor the delivery desk
        return allowed if readme_holds(role, capability, state) else FORBIDDEN
    locked = state in STILL and (name, method) in OTHER_URLS_LOCKED
    return (OTHER_URLS_LOCKED if locked else OTHER_URLS)[(name, method)][ROLES.index(role)]


def test_role_table_is_the_readme_table():
    assert list(README) == [capability.label for capability in Capability]
    for capability in Capability:
        row = README[capability.label]
        for column, key in README_COLUMNS.items():
            if key == "outsider":
                assert not held_in_readme(row[key], signed=True), (capability.label, column)
            elif key == "after_sign_off":
                assert held_in_readme(row[key], signed=True) == (capability in AFTER_SIGN_OFF), capability.label
            elif key == "during_review":
                assert held_in_readme(row[key], signed=False) == (capability in DURING_REVIEW), capability.label
            else:
                assert held_in_readme(row[key], signed=True) == (key in HOLDERS[capability]), (capability.label, column)
                # Only the bureau's cells depend on the state: it sees nothing before sign-off.
                assert held_in_readme(row[key], signed=False) == (key in HOLDERS[capability] and key != BUREAU)


def test_every_capability_has_a_holder_and_every_role_a_row():
    assert set(HOLDERS) == set(Capability)
    assert all(HOLDERS[capability] for capability in Capability)
    assert {role for holders in HOLDERS.values() for role in holders} == {*TeamRole.values, BUREAU}


def test_report_is_written_by_the_lead_and_reviewed_by_others():
    """Nobody reviews what he wrote: the writers of the report hold no review step."""
    writers = set(HOLDERS[C.WRITE_REPORT]) | set(HOLDERS[C.SUBMIT])
    assert writers == {TeamRole.LEAD}
    for step in (C.REVIEW, C.SIGN_OFF, C.REOPEN):
        assert writers.isdisjoint(HOLDERS[step])


def test_templates_ask_only_for_capabilities_that_exist():
    asked = set()
    for path in (ROOT / "templates").rglob("*.html"):
        asked |= set(re.findall(r"\.can\.(\w+)", path.read_text(encoding="utf-8")))
    assert asked, "templates ask evaluation.can"
    assert asked <= set(Capability.values)
    with pytest.raises(UnknownCapability):
        Capabilities(role_capabilities(TeamRole.LEAD))["scroe"]


# ---------------------------------------------------------------------------
# The matrix


class World:
    """A scored evaluation with evidence and one user per role, and what the URLs ``names`` need
    (a questionnaire, a problem, a suggestion, a 复核意见, a notification, a template of the firm),
    all made before it takes ``status``."""

    def __init__(self, status, names):
        evaluation = small_rubric(EvaluationFactory(status=EvaluationStatus.DRAFT))
        indicator = Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11").indicator
        self.evidence = Evidence.objects.create(
            indicator=indicator, number=1, file=SimpleUploadedFile("底稿.txt", b"evidence"), title="底稿",
            shared_with_bureau=True,
        )
        self.people = team(evaluation)
        self.people[TeamRole.QUALITY] = member(evaluation, TeamRole.QUALITY)
        self.people[TeamRole.HEAD] = member(evaluation, TeamRole.HEAD)
        self.evaluation = evaluation
        if STORED_FILES & set(names):
            stored_signed_files(evaluation, self.people[TeamRole.REVIEWER])
        self.urls = {name: self.url(name) for name in names}
        Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
        self.evaluation = Evaluation.objects.get(pk=evaluation.pk)

    @cached_property
    def questionnaire(self):
        return copy_builtin(self.evaluation, "hall-staff")

    @cached_property
    def chart(self):
        """A stored chart's file name (a digest and its extension)."""
        default_storage.save(f"charts/{'a' * 64}.png", ContentFile(b"\x89PNG"))
        return f"{'a' * 64}.png"

    @cached_property
    def problem(self):
        return Problem.objects.create(evaluation=self.evaluation, title="问题")

    @cached_property
    def suggestion(self):
        return Suggestion.objects.create(evaluation=self.evaluation, title="建议", problem=self.problem)

    @cached_property
    def project(self):
        return ProjectForm.objects.create(
            evaluation=self.evaluation, name="政务服务经费", tree=SMALL_TREE,
            funds=[{"label": "年度资金总额", "initial": "245", "adjusted": "291.54", "final": "291.54"}],
        )

    @cached_property
    def comment(self):
        return ReviewComment.objects.create(
            evaluation=self.evaluation, version=1, target_kind="indicator", target_key="A11", target_label="A11绩效目标合理性",
            text="请补充佐证材料。", author=self.people[TeamRole.REVIEWER],
        )

    @cached_property
    def notification(self):
        return Notification.objects.create(
            user=self.people[TeamRole.STAFF], evaluation=self.evaluation, kind="returned", message="退回修改",
            url=reverse("evaluation_review", args=[self.evaluation.pk]),
        )

    @cached_property
    def profile(self):
        """A profile of the firm's own (a copy of a built-in one: built-ins are not edited or deleted)."""
        from reports.profile_services import copy_profile

        return copy_profile(ReportProfile.objects.get(firm=self.evaluation.firm, slug=FALLBACK_SLUG))

    @cached_property
    def review(self):
        return stored_review(self.evaluation.bureau, self.people["bureau"])

    @cached_property
    def system(self):
        return services.save_system(self.evaluation.firm, slug="test", name="测试模板", tree=SMALL_TREE)

    def url(self, name):
        e = self.evaluation
        lazy = {
            "survey_chart": lambda: [e.pk, self.questionnaire.pk, 1, "png"],
            "report_render_file": lambda: [e.pk, request_render(e, "xlsx").pk],
            "report_chart": lambda: [e.pk, self.chart],
            "report_problem_edit": lambda: [e.pk, self.problem.pk],
            "report_problem_delete": lambda: [e.pk, self.problem.pk],
            "report_suggestion_edit": lambda: [e.pk, self.suggestion.pk],
            "report_suggestion_delete": lambda: [e.pk, self.suggestion.pk],
            "project_form_delete": lambda: [e.pk, self.project.pk],
            "project_form_in_report": lambda: [e.pk, self.project.pk],
            "project_form_download": lambda: [e.pk, self.project.pk, "xlsx"],
            "system_detail": lambda: [self.system.pk], "system_node_save": lambda: [self.system.pk],
            "system_xlsx": lambda: [self.system.pk], "system_node_action": lambda: [self.system.pk, "A"],
            "review_comment_reply": lambda: [e.pk, self.comment.pk],
            "review_comment_close": lambda: [e.pk, self.comment.pk],
            "notification_read": lambda: [self.notification.pk],
            **{name: (lambda: [self.profile.pk]) for name in PROFILE_URLS},
            "review_file": lambda: [self.review.pk, self.review.versions.get().files.first().pk],
            "review_opinion": lambda: [self.review.pk, 1],
            **{name: (lambda: [self.review.pk]) for name in ("review_detail", "review_resubmit", "review_accept")},
        }
        if name in lazy:
            return reverse(name, args=lazy[name]())
        args = {
            "evaluation_team_remove": [e.pk, e.memberships.get(user=self.people[TeamRole.STAFF]).pk],
            "department_edit": [e.department.pk],
            "judgment_edit": [e.pk, "A11"], "judgment_preview": [e.pk, "A11"], "evidence_upload": [e.pk, "A11"],
            "judgment_draft": [e.pk, "A11"], "judgment_draft_discard": [e.pk, "A11"],
            "evidence_download": [e.pk, self.evidence.pk], "evidence_share": [e.pk, self.evidence.pk],
            "evidence_remove": [e.pk, self.evidence.pk], "delivery_evidence": [e.pk, self.evidence.pk],
            "report_download": [e.pk, "docx"], "report_file": [e.pk, 1, "pdf"], "delivery_file": [e.pk, 1, "pdf"],
            "rubric_overview_section": [e.pk, "A"],
            "report_render_status": [e.pk, "docx"],
            "report_section_edit": [e.pk, "overall"],
            "account_user_active": [self.people[TeamRole.STAFF].pk],
            "account_user_password_mail": [self.people[TeamRole.STAFF].pk],
        }
        if name in args:
            return reverse(name, args=args[name])
        if name in {"survey_detail", "survey_structure", "survey_question_add", "survey_counts", "survey_delete",
                    "survey_template_xlsx"}:
            return reverse(name, args=[e.pk, self.questionnaire.pk])
        if name in {"dashboard", "evaluation_create", "department_list", "department_create", "system_list",
                    "system_import", "system_import_confirm", "notification_list", "notifications_read_all",
                    "report_profile_list", "review_list", "review_create", "review_settings"} or \
                name.startswith(("password_", "account_")):
            return reverse(name)
        return reverse(name, args=[e.pk])

    def login(self, client, role):
        if role != "anonymous":
            client.force_login(self.people[TEAM_ROLES.get(role, role)])
        return client


POST_DATA = {
    "judgment_edit": {"applicable": "on", "yes": "1", "process": "符合。", "revision": "1"},
    "judgment_draft": {"process": "查阅了年度工作计划"},
    "judgment_preview": {"applicable": "on", "yes": "1"},
    "system_node_save": {"adding_under": "A1", "code": "A12", "name": "新指标", "weight": "1", "kind": "normal",
                         "rule_kind": "yes_no"},
    "system_node_action": {"action": "up"},
    "rubric_choose": {"system": ""},
    "report_profile_choose": {"profile": ""},
    "survey_create": {"source": "blank", "group": "窗口工作人员"},
    "survey_question_add": {"title": "您对自助服务区是否满意？", "preset": "standard", "counted": "on"},
    "survey_import_confirm": {"token": "expired"},
    "report_section_edit": {"text": "{年度}年度，总分{总分}分。"},
    "report_goals_edit": {"rows": "产出指标\t数量指标\t办件量\t≥1000件"},
    "report_problem_create": {"title": "年度工作计划不够细化", "text": "未分解到科室。"},
    "report_problem_edit": {"title": "年度工作计划不够细化", "text": "未分解到科室。"},
    "report_suggestion_create": {"title": "细化年度工作计划", "text": "建议分解到科室。"},
    "report_suggestion_edit": {"title": "细化年度工作计划", "text": "建议分解到科室。"},
    "account_user_create": {"username": "newcomer", "password_mode": "password", "password1": "Qz8-long-enough!",
                            "password2": "Qz8-long-enough!"},
    "account_user_active": {"active": "0"},
    "account_client_add": {"name": "某某县财政局"},
    "evidence_share": {"shared": "0"},
    "evaluation_return": {"comment": "请补充佐证材料。"},
    "evaluation_reopen": {"comment": "发现笔误，需要更正。"},
    "review_comment_create": {"kind": "indicator", "key": "A11", "text": "请补充佐证材料。"},
    "review_comment_reply": {"text": "已补充。"},
}


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


def named_urls(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from named_urls(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


MATRIX = sorted({*EVALUATION_URLS, *OTHER_URLS})


def test_matrix_covers_every_named_url():
    assert set(named_urls(get_resolver().url_patterns)) - IGNORED_URL_NAMES == {name for name, _ in MATRIX}
    assert set(OTHER_URLS_LOCKED) <= set(OTHER_URLS)
    assert all(len(statuses) == len(ROLES) for statuses in [*OTHER_URLS.values(), *OTHER_URLS_LOCKED.values()])


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("name", "method"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_access(client, settings, tmp_path, name, method, role, state):
    settings.MEDIA_ROOT = tmp_path
    world = World(state, names=[name])
    response = request(world.login(client, role), method, world.urls[name], name)
    assert response.status_code == expected_status(name, method, role, state)
    if response.status_code == FORBIDDEN and (name, method) in EVALUATION_URLS:
        # The refusal names what the view declared (or that the report is under review or signed).
        capability = EVALUATION_URLS[(name, method)][0]
        still = {EvaluationStatus.REVIEW: DURING_REVIEW, EvaluationStatus.SIGNED: AFTER_SIGN_OFF}.get(state)
        reason = locked_message(state) if still is not None and capability not in still else capability.label
        assert reason in response.content.decode()


@pytest.mark.django_db
def test_bureau_of_another_evaluation_sees_nothing_even_when_signed(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SIGNED)
    stranger = team(EvaluationFactory())["bureau"]
    client.force_login(stranger)
    assert client.get(reverse("evaluation_detail", args=[evaluation.pk])).status_code == NOT_FOUND
    assert evaluation.department.name not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_a_user_of_another_bureau_gets_404_on_every_url_of_a_signed_evaluation(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World(EvaluationStatus.SIGNED, names={name for name, _ in EVALUATION_URLS})
    client.force_login(team(EvaluationFactory(status=EvaluationStatus.SIGNED))["bureau"])
    for name, method in sorted(EVALUATION_URLS):
        assert request(client, method, world.urls[name], name).status_code == NOT_FOUND, (name, method)
    client.force_login(world.people["bureau"])  # while his own bureau's user reaches the desk
    assert client.get(world.urls["delivery_desk"]).status_code == OK


@pytest.mark.django_db
def test_staff_of_another_firm_cannot_reach_an_evaluation(client):
    evaluation = EvaluationFactory()
    other = team(EvaluationFactory())[TeamRole.LEAD]
    client.force_login(other)
    assert client.get(reverse("budget_detail", args=[evaluation.pk])).status_code == NOT_FOUND
    assert client.get(reverse("department_edit", args=[evaluation.department.pk])).status_code == NOT_FOUND


@pytest.mark.django_db
def test_refusal_names_who_may(client):
    world = World(EvaluationStatus.SCORING, names=["report_section_edit", "evaluation_department"])
    world.login(client, "reviewer")
    page = client.get(world.urls["report_section_edit"]).content.decode()
    assert "只有主评人可以编写报告文字、绩效目标、问题与建议。" in page
    page = client.post(world.urls["evaluation_department"], {}).content.decode()
    assert "只有评价人员和主评人可以录入、导入预算数据，修改部门情况。" in page


# ---------------------------------------------------------------------------
# Links: a page offers what its reader may do, and nothing he may not.


class Links(HTMLParser):
    """The (method, url) pairs a page lets its reader follow: links, htmx requests, forms with a submit button."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.found: set[tuple[str, str]] = set()
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self._add("get", attrs["href"])
        for verb in ("get", "post"):
            if attrs.get(f"hx-{verb}"):
                self._add(verb, attrs[f"hx-{verb}"])
        if tag == "form":
            self._form = [(attrs.get("method") or "get").lower(), attrs.get("action") or self.page_url, False]
        submit = (tag == "button" and attrs.get("type", "submit") == "submit") or (
            tag == "input" and attrs.get("type") in {"submit", "image"}
        )
        if submit and self._form is not None:
            self._form[2] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            method, action, submits = self._form
            if submits:
                self._add(method, action)
            self._form = None

    def _add(self, method, href):
        url = urljoin(self.page_url, href)
        parts = urlsplit(url)
        if parts.scheme in {"javascript", "mailto"} or (parts.netloc and parts.netloc != "testserver"):
            return
        if parts.path.startswith(("/" + django_settings.STATIC_URL.strip("/") + "/", "/" + django_settings.MEDIA_URL.strip("/") + "/")):
            return
        try:
            match = resolve(parts.path)
        except Resolver404:
            raise AssertionError(f"{self.page_url} 链接到不存在的地址 {href}") from None
        if match.url_name not in IGNORED_URL_NAMES and match.namespace != "admin":
            self.found.add((match.url_name, method))


def links_on(client, url):
    response = client.get(url)
    assert response.status_code == OK, url
    parser = Links(url)
    parser.feed(response.content.decode())
    return parser.found


#: (page, link): the link on that page is offered exactly to those who may follow it.
OFFERED = [
    ("dashboard", ("evaluation_detail", "get")),
    ("dashboard", ("delivery_desk", "get")),
    ("dashboard", ("evaluation_create", "get")),
    ("department_list", ("department_edit", "get")),
    ("department_list", ("department_create", "get")),
    ("evaluation_detail", ("evaluation_edit", "get")),
    ("evaluation_department", ("evaluation_department", "post")),
    ("evaluation_detail", ("evaluation_team", "get")),
    ("evaluation_detail", ("report_download", "get")),
    ("budget_detail", ("budget_edit", "get")),
    ("budget_detail", ("budget_import", "get")),
    ("rubric_overview", ("rubric_xlsx", "get")),
    ("judgment_edit", ("judgment_edit", "post")),
    ("judgment_edit", ("judgment_preview", "post")),
    ("judgment_edit", ("evidence_upload", "post")),
    ("judgment_edit", ("evidence_download", "get")),
    ("judgment_edit", ("evidence_share", "post")),
    ("survey_list", ("survey_create", "get")),
    ("survey_list", ("survey_import", "get")),
    ("survey_list", ("survey_counts", "get")),
    ("survey_detail", ("survey_structure", "get")),
    ("survey_detail", ("survey_delete", "post")),
    ("report_overview", ("report_section_edit", "get")),
    ("report_overview", ("report_goals_edit", "get")),
    ("report_overview", ("report_problem_create", "get")),
    ("report_overview", ("report_problem_edit", "get")),
    ("report_overview", ("report_problem_delete", "post")),
    ("report_overview", ("report_suggestion_create", "get")),
    ("report_overview", ("report_suggestion_edit", "get")),
    ("report_overview", ("report_suggestion_delete", "post")),
    ("report_overview", ("report_download", "get")),
    ("report_overview", ("report_file", "get")),
    ("delivery_desk", ("delivery_file", "get")),
    ("delivery_desk", ("delivery_evidence", "get")),
    ("delivery_desk", ("delivery_receipt", "post")),
    ("delivery_desk", ("delivery_opinion", "post")),
    ("evaluation_team", ("evaluation_team_remove", "post")),
    ("evaluation_detail", ("evaluation_review", "get")),
    ("evaluation_review", ("evaluation_submit", "post")),
    ("evaluation_review", ("review_comments", "get")),
    ("judgment_edit", ("review_comment_create", "post")),
    ("report_overview", ("review_comment_create", "post")),
    ("budget_detail", ("review_comment_create", "post")),
    ("survey_detail", ("review_comment_create", "post")),
    ("review_comments", ("review_comment_reply", "post")),
    ("review_comments", ("review_comment_close", "post")),
    ("notification_list", ("notification_read", "post")),
]


def may_follow(name, method, role, state):
    return expected_status(name, method, role, state) in {OK, REDIRECT}


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_pages_link_only_where_the_reader_may_go(client, settings, tmp_path, role, state):
    settings.MEDIA_ROOT = tmp_path
    world = World(state, names={name for name, _ in MATRIX})
    world.login(client, role)
    pages = [name for name, method in MATRIX
             if method == "get" and name not in DOWNLOADS and expected_status(name, "get", role, state) == OK]
    links = {name: links_on(client, world.urls[name]) for name in pages}
    refused = sorted(
        (page, link) for page, found in links.items() for link in found
        if link not in {*EVALUATION_URLS, *OTHER_URLS} or not may_follow(*link, role, state)
    )
    assert refused == [], refused
    for page, link in OFFERED:
        if page in links:
            assert (link in links[page]) == may_follow(*link, role, state), (page, link)


def test_offered_links_are_seen_by_someone():
    """Each OFFERED pair is shown to at least one role in some state, so the check above cannot pass vacuously."""
    for page, link in OFFERED:
        assert any(
            may_follow(*link, role, state) and expected_status(page, "get", role, state) == OK
            for role in ROLES for state in STATES
        ), (page, link)


@pytest.mark.django_db
def test_who_may_not_choose_the_indicator_system_is_told_who_may(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    people = team(evaluation)
    url = reverse("rubric_overview", args=[evaluation.pk])
    client.force_login(people[TeamRole.STAFF])
    page = client.get(url).content.decode()
    assert "只有主评人和项目负责人可以修改项目信息、选定或导入指标体系、选定报告格式。" in page
    assert reverse("rubric_choose", args=[evaluation.pk]) not in page
    assert reverse("rubric_import", args=[evaluation.pk]) not in page
    client.force_login(people[TeamRole.LEAD])
    page = client.get(url).content.decode()
    assert reverse("rubric_choose", args=[evaluation.pk]) in page
    assert reverse("rubric_import", args=[evaluation.pk]) in page


@pytest.mark.django_db
def test_team_page_shows_each_role_what_it_may_do(client):
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    client.force_login(team(evaluation)[TeamRole.LEAD])
    page = client.get(reverse("evaluation_team", args=[evaluation.pk])).content.decode()
    table = page.split('data-testid="role-table"', 1)[1].split("</details>", 1)[0]
    assert [label for label in TeamRole.labels if label in table] == TeamRole.labels
    row = table.split("编写报告文字、绩效目标、问题与建议", 1)[1].split("</tr>", 1)[0]
    assert row.count("✓") == 1
    assert "查看交付的报告" not in table  # the bureau's own steps are not a team role's
