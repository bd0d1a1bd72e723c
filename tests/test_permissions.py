"""Every URL, walked by every role: who sees what, and who may change what."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from evaluations.enums import EvaluationStatus, TeamRole
from tests.factories import EvaluationFactory, team

ROLES = ["staff", "lead", "reviewer", "outsider", "bureau", "anonymous"]
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# url name → (method, expected status per role in ROLES order) while the evaluation is in progress.
MATRIX = {
    "dashboard": ("get", [OK, OK, OK, OK, OK, REDIRECT]),
    "evaluation_create": ("get", [OK, OK, OK, OK, FORBIDDEN, REDIRECT]),
    "evaluation_detail": ("get", [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "evaluation_edit": ("get", [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "evaluation_team": ("get", [FORBIDDEN, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "evaluation_team_remove": ("post", [FORBIDDEN, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "budget_detail": ("get", [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "budget_edit": ("get", [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "budget_import": ("get", [OK, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "budget_import_confirm": ("post", [REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "budget_xlsx": ("get", [OK, OK, OK, NOT_FOUND, NOT_FOUND, REDIRECT]),
    "department_list": ("get", [OK, OK, OK, OK, FORBIDDEN, REDIRECT]),
    "department_create": ("get", [OK, OK, OK, OK, FORBIDDEN, REDIRECT]),
    "department_edit": ("get", [OK, OK, OK, OK, NOT_FOUND, REDIRECT]),
}

# After sign-off: read-only for the team, visible to the client bureau, changed by nobody.
SIGNED = {
    "evaluation_detail": [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    "evaluation_edit": [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    "evaluation_team": [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    "evaluation_team_remove": [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    "budget_detail": [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
    "budget_edit": [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    "budget_import": [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    "budget_import_confirm": [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, REDIRECT],
    "budget_xlsx": [OK, OK, OK, NOT_FOUND, OK, REDIRECT],
}

IGNORED_URL_NAMES = {"login", "logout"}


def url_for(name, evaluation, people):
    if name == "evaluation_team_remove":
        membership = evaluation.memberships.get(user=people[TeamRole.STAFF])
        return reverse(name, args=[evaluation.pk, membership.pk])
    if name.startswith("department_edit"):
        return reverse(name, args=[evaluation.department.pk])
    if name in {"dashboard", "evaluation_create", "department_list", "department_create"}:
        return reverse(name)
    return reverse(name, args=[evaluation.pk])


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
    assert set(named_urls(get_resolver().url_patterns)) - IGNORED_URL_NAMES == set(MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_while_in_progress(client, name, role_index):
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    people = team(evaluation)
    method, expected = MATRIX[name]
    response = getattr(client_for(client, ROLES[role_index], people), method)(url_for(name, evaluation, people))
    assert response.status_code == expected[role_index]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SIGNED))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_after_sign_off(client, name, role_index):
    evaluation = EvaluationFactory(status=EvaluationStatus.SIGNED)
    people = team(evaluation)
    method = MATRIX[name][0]
    response = getattr(client_for(client, ROLES[role_index], people), method)(url_for(name, evaluation, people))
    assert response.status_code == SIGNED[name][role_index]


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
