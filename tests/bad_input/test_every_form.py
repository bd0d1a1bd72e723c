"""Every form of every page, posted as a browser would with its nastiest inputs.

Each page is read as its user sees it; each POST form on it is submitted
unchanged, then with one text at a time 5,000 characters long, with HTML,
template syntax and a NUL byte in every text at once, with each nasty number
in every number input, and with nasty values in its hidden inputs (stale
formsets, foreign ids, forged codes), selects and dates. Each case runs in a
transaction rolled back afterwards, so each starts from the same data.

Every case must answer without a server error; a refused post changes nothing
at all (every table of the project compared) and says why on the page; an
accepted one stores only values that fit their columns (SQLite would keep a
5,000-character name that PostgreSQL refuses at the same spot), and the pages
show what was typed as text: no markup, no evaluated template.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import pytest
from django.db import transaction
from django.urls import resolve, reverse

from tests.bad_input.conftest import (
    LONG_TEXT,
    NASTY_CHOICES,
    NASTY_DATES,
    NASTY_HIDDEN,
    NASTY_NUMBERS,
    NASTY_TEXT,
    UNESCAPED,
    World,
)
from tests.bad_input.pages import Form, post_forms
from tests.bad_input.storage import changed_tables, overflowing, snapshot

ERROR_MARKERS = ("invalid-feedback", "alert-danger", "errorlist", "is-invalid", "text-danger")
#: Forms whose posting ends the session.
SKIPPED_ACTIONS = {"logout"}
#: Every URL that takes a POST and is not a form of the pages below, with the test that posts its nasty cases.
POSTED_ELSEWHERE = {
    "budget_import": "test_imports", "budget_import_confirm": "test_imports",
    "rubric_import_confirm": "test_imports", "survey_import": "test_imports", "survey_import_confirm": "test_imports",
    "system_import": "test_imports", "system_import_confirm": "test_imports",
    "evidence_upload": "test_imports", "judgment_preview": "test_imports (htmx, not a form)",
    "judgment_draft": "test_named_500s (autosave, not a form)", "judgment_draft_discard": "test_named_500s",
    "review_create": "tests/audits/test_views.py (upload)", "review_resubmit": "tests/audits/test_views.py (upload)",
    "project_form_import": "tests/selfeval/test_project_forms.py", "project_form_import_confirm": "tests/selfeval/test_project_forms.py",
}


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # attribute of World
    url: Callable[[World], str]


def _evaluation(name: str, *extra) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.evaluation.pk, *(extra[0](w) if extra else ())])


PAGES = [
    Page("evaluation_create", "lead", lambda w: reverse("evaluation_create")),
    Page("evaluation_edit", "lead", _evaluation("evaluation_edit")),
    Page("evaluation_department", "staff", _evaluation("evaluation_department")),
    Page("evaluation_team", "lead", _evaluation("evaluation_team")),
    Page("budget_edit", "staff", _evaluation("budget_edit")),
    Page("rubric_choose", "lead", lambda w: reverse("rubric_overview", args=[w.empty.pk])),
    Page("judgment_edit_yes_no", "staff", lambda w: reverse("judgment_edit", args=[w.evaluation.pk, "A11"])),
    Page("judgment_edit_bound", "staff", lambda w: reverse("judgment_edit", args=[w.evaluation.pk, "B11"])),
    Page("survey_detail", "staff", lambda w: reverse("survey_detail", args=[w.evaluation.pk, w.questionnaire.pk])),
    Page("survey_create", "staff", _evaluation("survey_create")),
    Page("survey_structure", "staff", lambda w: reverse("survey_structure", args=[w.evaluation.pk, w.questionnaire.pk])),
    Page("survey_counts", "staff", lambda w: reverse("survey_counts", args=[w.evaluation.pk, w.questionnaire.pk])),
    Page("report_overview", "lead", _evaluation("report_overview")),
    Page("report_section_edit", "lead", lambda w: reverse("report_section_edit", args=[w.evaluation.pk, "overall"])),
    Page("report_goals_edit", "lead", _evaluation("report_goals_edit")),
    Page("report_problem_create", "lead", _evaluation("report_problem_create")),
    Page("report_problem_edit", "lead", lambda w: reverse("report_problem_edit", args=[w.evaluation.pk, w.problem.pk])),
    Page("report_suggestion_create", "lead", _evaluation("report_suggestion_create")),
    Page("report_suggestion_edit", "lead",
         lambda w: reverse("report_suggestion_edit", args=[w.evaluation.pk, w.suggestion.pk])),
    Page("department_create", "lead", lambda w: reverse("department_create")),
    Page("department_edit", "lead", lambda w: reverse("department_edit", args=[w.evaluation.department_id])),
    Page("system_detail", "lead", lambda w: reverse("system_detail", args=[w.system.pk])),
    Page("system_node_edit", "lead", lambda w: reverse("system_detail", args=[w.system.pk]) + "?edit=A11"),
    Page("system_node_add", "lead", lambda w: reverse("system_detail", args=[w.system.pk]) + "?add=A1"),
    Page("password_change", "staff", lambda w: reverse("password_change")),
    Page("account_users", "admin", lambda w: reverse("account_users")),
    Page("account_user_create", "admin", lambda w: reverse("account_user_create")),
    Page("delivery_desk", "bureau_user", lambda w: reverse("delivery_desk", args=[w.signed.pk])),
    Page("review_draft", "lead", lambda w: reverse("evaluation_review", args=[w.empty.pk])),
    Page("review_scoring", "lead", _evaluation("evaluation_review")),
    Page("review_last_level", "reviewer", lambda w: reverse("evaluation_review", args=[w.under_review.pk])),
    Page("review_first_of_two", "first_of_two_levels.first_reviewer",
         lambda w: reverse("evaluation_review", args=[w.first_of_two_levels.pk])),
    Page("review_signed", "signed_reviewer", lambda w: reverse("evaluation_review", args=[w.signed.pk])),
    Page("judgment_under_review", "reviewer", lambda w: reverse("judgment_edit", args=[w.under_review.pk, "A11"])),
    Page("review_comments", "reviewer", lambda w: w.comment and reverse("review_comments", args=[w.evaluation.pk])),
    Page("notifications", "staff", lambda w: w.notification and reverse("notification_list")),
    Page("project_forms", "lead", lambda w: w.project_form and reverse("project_forms", args=[w.evaluation.pk])),
    Page("report_profile_list", "lead", lambda w: reverse("report_profile_list")),
    Page("report_profile_detail", "lead", lambda w: reverse("report_profile_detail", args=[w.profile.pk])),
    Page("report_profile_edit", "lead", lambda w: reverse("report_profile_edit", args=[w.profile.pk])),
    Page("review_detail", "bureau_user", lambda w: reverse("review_detail", args=[w.review.pk])),
    Page("review_settings", "bureau_user", lambda w: reverse("review_settings")),
    Page("login", "", lambda w: reverse("login")),
    Page("password_reset", "", lambda w: reverse("password_reset")),
]


def representatives(names: list[str]) -> list[str]:
    """One field per kind: ``economic-0-name`` stands for every row's name, ``q12-o-3-label`` for every option's."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(re.sub(r"\d+", "N", name), name)
    return list(seen.values())


def cases(form: Form) -> list[tuple[str, dict[str, list[str]]]]:
    """(description, data) for every nasty variation of ``form``."""
    shown = form.data()
    out = [("as shown", shown)]

    def changed(values: dict[str, str]) -> dict[str, list[str]]:
        data = {name: list(items) for name, items in shown.items()}
        for name, value in values.items():
            data[name] = [value] * max(1, len(data.get(name, [])))
        return data

    texts = form.named("text", "textarea")
    for name in representatives(texts):
        out.append((f"{name}=5000字", changed({name: LONG_TEXT})))
    for label, payload in NASTY_TEXT.items():
        if texts:
            out.append((f"每个文字={label}", changed(dict.fromkeys(texts, payload))))
    numbers = form.named("number")
    for value in NASTY_NUMBERS if numbers else ():
        out.append((f"每个数字={value!r}", changed(dict.fromkeys(numbers, value))))
    for name in representatives(form.named("hidden")):
        if name == "csrfmiddlewaretoken" or name.endswith(("-MIN_NUM_FORMS", "-MAX_NUM_FORMS")):
            continue
        out += [(f"{name}={value!r}", changed({name: value})) for value in NASTY_HIDDEN]
    for name in representatives(form.named("select", "radio")):
        out += [(f"{name}={value!r}", changed({name: value})) for value in NASTY_CHOICES]
    for name in form.named("date"):
        out += [(f"{name}={value!r}", changed({name: value})) for value in NASTY_DATES]
    return out


def unescaped_on(client, *urls: str) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.get("Content-Type", "").split(";")[0] != "text/html":
            continue
        page = response.content.decode()
        found += [f"{url}: {raw}" for raw in UNESCAPED if raw in page]
    return found


def post_case(client, page_url: str, form: Form, description: str, data: dict, before: dict) -> list[str]:
    """Post one case in a transaction that is rolled back; return what went wrong (empty: all well).

    ``before`` is the database as every case starts (each is rolled back): a refusal must leave it so; an
    acceptance must store only what fits (checked only then: a refusal that changes nothing cannot overflow).
    """
    problems = []
    with transaction.atomic():
        response = client.post(form.action, data)
        where = f"{form.action} [{description}]"
        if response.status_code not in (200, 302, 400, 403, 404):
            problems.append(f"{where}: 状态码 {response.status_code}")
        if response.status_code != 302:
            if changed := changed_tables(before, snapshot()):
                problems.append(f"{where}: 被拒绝（{response.status_code}）却改动了 {changed}")
            page = response.content.decode()
            if response.status_code == 200 and not any(marker in page for marker in ERROR_MARKERS):
                problems.append(f"{where}: 被拒绝却没有说明原因")
        else:
            if overflow := overflowing():
                problems.append(f"{where}: 超出字段长度或范围却已保存：{overflow}")
            if description.startswith("每个文字="):
                target = response["Location"]
                problems += [f"{where}: 未转义 {item}" for item in unescaped_on(client, target, page_url)]
        transaction.set_rollback(True)
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("form_page", PAGES, ids=[page.name for page in PAGES])
def test_every_form_refuses_or_safely_stores_its_nastiest_input(client, world, form_page):
    if form_page.user:
        client.force_login(attrgetter(form_page.user)(world))
    page_url = form_page.url(world)
    response = client.get(page_url)
    assert response.status_code == 200, page_url
    forms = [form for form in post_forms(response.content.decode(), page_url) if not form.multipart]
    forms = [form for form in forms if action_name(form) not in SKIPPED_ACTIONS]
    assert forms, f"{page_url} 没有可提交的表单"
    before = snapshot()
    problems = []
    for form in forms:
        for description, data in cases(form):
            problems += post_case(client, page_url, form, description, data, before)
    assert problems == []


def action_name(form: Form) -> str:
    return resolve(form.action.split("?")[0].replace("http://testserver", "")).url_name


@pytest.mark.django_db
def test_every_url_that_takes_a_post_is_posted_with_nasty_input(client, world):
    """A new form is covered as soon as a page of PAGES shows it; a URL no page shows must be named above."""
    from tests.test_permissions import MATRIX

    posted = set(POSTED_ELSEWHERE)
    for form_page in PAGES:
        if form_page.user:
            client.force_login(attrgetter(form_page.user)(world))
        else:
            client.logout()
        url = form_page.url(world)
        posted |= {action_name(form) for form in post_forms(client.get(url).content.decode(), url) if not form.multipart}
    assert sorted({name for name, method in MATRIX if method == "post"} - posted) == []
