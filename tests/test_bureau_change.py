"""The 委托单位: picked from the firm's own clients, changed only before submission, only by the 项目负责人, logged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evalsite.accounts.models import Organization
from evaluations import services
from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import BureauChange, Evaluation
from tests.factories import BureauFactory, DepartmentFactory, EvaluationFactory, UserFactory, team

pytestmark = pytest.mark.django_db


def form_data(evaluation, **changes):
    data = {"department": evaluation.department.pk, "year": str(evaluation.year), "fund_source": "一般公共预算",
            "bureau": str(evaluation.bureau_id), "bureau_section": "绩效科"}
    data.update(changes)
    return data


@pytest.fixture
def firm_world():
    """An evaluation of our firm, a second client of ours, and another firm's client bureau."""
    evaluation = EvaluationFactory(status=EvaluationStatus.SCORING)
    people = team(evaluation)
    our_other_client = BureauFactory(name="本机构的另一个委托单位")
    evaluation.firm.clients.add(our_other_client)
    stranger = EvaluationFactory(bureau=BureauFactory(name="别家机构的委托单位"))  # another firm's client
    return evaluation, people, our_other_client, stranger.bureau


def test_the_create_form_offers_only_the_firms_clients_and_refuses_another_firms(client, firm_world):
    evaluation, people, our_other_client, foreign = firm_world
    client.force_login(people[TeamRole.LEAD])
    page = client.get(reverse("evaluation_create")).content.decode()
    assert our_other_client.name in page and evaluation.bureau.name in page and foreign.name not in page

    department = DepartmentFactory(firm=evaluation.firm)
    base = {"department": department.pk, "year": "2023", "fund_source": "一般公共预算"}
    chosen = client.post(reverse("evaluation_create"), {**base, "bureau": foreign.pk})
    assert chosen.status_code == 200 and not Evaluation.objects.filter(department=department).exists()
    typed = client.post(reverse("evaluation_create"), {**base, "new_bureau": foreign.name})
    assert "不是本机构的委托单位" in typed.content.decode()
    assert not Evaluation.objects.filter(department=department).exists()

    created = client.post(reverse("evaluation_create"), {**base, "new_bureau": "新设的某县财政局"})
    assert created.status_code == 302
    new = Evaluation.objects.get(department=department)
    assert new.bureau.name == "新设的某县财政局" and new.bureau in evaluation.firm.clients.all()
    log = BureauChange.objects.get(evaluation=new)
    assert (log.changed_by, log.from_bureau, log.to_bureau) == (people[TeamRole.LEAD], None, new.bureau)


def test_the_project_lead_changes_the_bureau_before_submission_and_it_is_logged(client, firm_world):
    evaluation, people, our_other_client, foreign = firm_world
    before = evaluation.bureau
    client.force_login(people[TeamRole.REVIEWER])
    refused = client.post(reverse("evaluation_edit", args=[evaluation.pk]), form_data(evaluation, bureau=foreign.pk))
    assert refused.status_code == 200 and Evaluation.objects.get(pk=evaluation.pk).bureau == before

    response = client.post(reverse("evaluation_edit", args=[evaluation.pk]), form_data(evaluation, bureau=our_other_client.pk))
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).bureau == our_other_client
    change = BureauChange.objects.get(evaluation=evaluation)
    assert (change.changed_by, change.from_bureau, change.to_bureau) == (people[TeamRole.REVIEWER], before, our_other_client)
    detail = client.get(reverse("evaluation_detail", args=[evaluation.pk])).content.decode()
    log = detail.split('data-testid="bureau-changes"', 1)[1].split("</details>", 1)[0]
    assert f"{before.name} → {our_other_client.name}" in log and people[TeamRole.REVIEWER].display_name in log


def test_the_lead_evaluator_edits_the_engagement_but_not_the_bureau(client, firm_world):
    evaluation, people, our_other_client, _ = firm_world
    client.force_login(people[TeamRole.LEAD])
    page = client.get(reverse("evaluation_edit", args=[evaluation.pk])).content.decode()
    assert "只有项目负责人可以在提交审核前更改委托单位。" in page and 'name="new_bureau"' not in page
    response = client.post(
        reverse("evaluation_edit", args=[evaluation.pk]), form_data(evaluation, bureau=our_other_client.pk, bureau_section="预算科")
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.bureau != our_other_client and evaluation.bureau_section == "预算科"
    assert not BureauChange.objects.filter(evaluation=evaluation).exists()


@pytest.mark.parametrize("status", [EvaluationStatus.REVIEW, EvaluationStatus.SIGNED])
def test_after_submission_nobody_changes_the_bureau(client, firm_world, status):
    evaluation, people, our_other_client, _ = firm_world
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    with pytest.raises(ValidationError, match=r"已提交审核|审核中|已签发"):
        services.change_bureau(evaluation, our_other_client, actor=people[TeamRole.REVIEWER])
    client.force_login(people[TeamRole.REVIEWER])
    client.post(reverse("evaluation_edit", args=[evaluation.pk]), form_data(evaluation, bureau=our_other_client.pk))
    assert Evaluation.objects.get(pk=evaluation.pk).bureau != our_other_client
    assert not BureauChange.objects.filter(evaluation=evaluation).exists()


def test_the_service_refuses_a_bureau_that_is_not_the_firms_client(firm_world):
    evaluation, people, our_other_client, foreign = firm_world
    with pytest.raises(ValidationError, match="不是本机构的委托单位"):
        services.change_bureau(evaluation, foreign, actor=people[TeamRole.REVIEWER])
    assert services.change_bureau(evaluation, evaluation.bureau, actor=people[TeamRole.REVIEWER]) is None
    assert services.change_bureau(evaluation, our_other_client, actor=people[TeamRole.REVIEWER]).to_bureau == our_other_client
    firm = Organization.objects.get(pk=evaluation.firm_id)
    with pytest.raises(ValidationError, match="已登记为评价机构"):
        services.client_bureau_named(firm, UserFactory().organization.name)
