"""A confirmed import preview is applied once: posting its token again is refused and changes nothing.

(The helper is imported inside the tests that call it, so that the page tests also run, and fail, against
code without it.)

One helper (``evaluations.previews``) serves the budget, survey and indicator
imports and the template library; a double click or the back button must not
import the same file twice over what was changed since.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures
from rubrics.models import IndicatorSystem, Judgment
from surveys import services as survey_services
from surveys.models import Option
from tests.factories import EvaluationFactory, team
from tests.indicator_xlsx.builders import seed_002_workbook as indicator_workbook
from tests.indicator_xlsx.builders import to_bytes
from tests.surveys.seed import STAFF, export_workbook
from tests.test_budget_xlsx import seed_002_workbook as budget_workbook
from tests.test_budget_xlsx import workbook_bytes

pytestmark = pytest.mark.django_db

REFUSED = "这份导入预览已经确认导入过，不能再次导入"


def upload(data: bytes, name: str = "导入.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def confirm_twice(client, url: str, token: str, change_between) -> str:
    """Confirm, change something by hand, confirm the same token again; the page after the second try."""
    first = client.post(url, {"token": token})
    assert first.status_code == 302
    change_between()
    again = client.post(url, {"token": token}, follow=True)
    return again.content.decode()


@pytest.fixture
def evaluation():
    return EvaluationFactory()


@pytest.fixture
def people(evaluation):
    return team(evaluation)


def test_a_budget_preview_applied_twice_keeps_the_later_edit(client, evaluation, people):
    client.force_login(people[TeamRole.STAFF])
    preview = client.post(reverse("budget_import", args=[evaluation.pk]), {"file": upload(workbook_bytes(budget_workbook()))})

    page = confirm_twice(
        client, reverse("budget_import_confirm", args=[evaluation.pk]), preview.context["token"],
        lambda: BudgetFigures.objects.filter(evaluation=evaluation).update(general_final=Decimal("1.00")),
    )

    assert REFUSED in page
    assert BudgetFigures.objects.get(evaluation=evaluation).general_final == Decimal("1.00")


def test_a_survey_preview_applied_twice_keeps_the_later_counts(client, evaluation, people):
    questionnaire = survey_services.copy_builtin(evaluation, "hall-staff")
    client.force_login(people[TeamRole.STAFF])
    preview = client.post(
        reverse("survey_import", args=[evaluation.pk]),
        {"questionnaire": questionnaire.pk, "new_group": "", "file": upload(export_workbook(STAFF), "答卷.xlsx")},
    )
    options = Option.objects.filter(question__questionnaire=questionnaire)

    page = confirm_twice(
        client, reverse("survey_import_confirm", args=[evaluation.pk]), preview.context["token"],
        lambda: options.update(count=7),
    )

    assert REFUSED in page
    assert set(options.values_list("count", flat=True)) == {7}


def test_an_indicator_preview_applied_twice_is_refused_before_anything_runs(client, evaluation, people):
    client.force_login(people[TeamRole.LEAD])
    preview = client.post(
        reverse("rubric_import", args=[evaluation.pk]), {"file": upload(to_bytes(indicator_workbook())), "with_scores": "on"}
    )
    judgments = Judgment.objects.filter(indicator__evaluation=evaluation)

    page = confirm_twice(
        client, reverse("rubric_import_confirm", args=[evaluation.pk]), preview.context["token"],
        lambda: judgments.update(process="改过的评分过程"),
    )

    assert REFUSED in page
    assert set(judgments.values_list("process", flat=True)) == {"改过的评分过程"}


def test_a_template_preview_applied_twice_makes_one_template(client, evaluation, people):
    client.force_login(people[TeamRole.LEAD])
    preview = client.post(reverse("system_import"), {"file": upload(to_bytes(indicator_workbook())), "name": "河南模板"})

    page = confirm_twice(client, reverse("system_import_confirm"), preview.context["token"], lambda: None)

    assert REFUSED in page
    assert IndicatorSystem.objects.filter(firm=evaluation.firm, name__startswith="河南模板").count() == 1


def test_an_import_that_fails_leaves_its_preview_usable(evaluation):
    from evaluations.models import AppliedPreview
    from evaluations.previews import ALREADY_APPLIED, PreviewRefused, apply_preview, sign_preview

    token = sign_preview("budget", {"amount": "1"}, owner=evaluation)

    def refuse(payload):
        raise ValidationError("金额有误")

    with pytest.raises(ValidationError):
        apply_preview("budget", token, owner=evaluation, apply=refuse)
    assert not AppliedPreview.objects.exists()
    assert apply_preview("budget", token, owner=evaluation, apply=lambda payload: payload["amount"]) == "1"
    with pytest.raises(PreviewRefused) as refused:
        apply_preview("budget", token, owner=evaluation, apply=lambda payload: payload["amount"])
    assert refused.value.message == ALREADY_APPLIED


def test_a_preview_is_bound_to_its_kind_and_owner(evaluation):
    from django.core.exceptions import PermissionDenied

    from evaluations.models import AppliedPreview
    from evaluations.previews import PreviewRefused, apply_preview, sign_preview

    token = sign_preview("budget", {}, owner=evaluation)
    with pytest.raises(PreviewRefused):
        apply_preview("survey", token, owner=evaluation, apply=dict)
    with pytest.raises(PermissionDenied):
        apply_preview("budget", token, owner=EvaluationFactory(), apply=dict)
    assert not AppliedPreview.objects.exists()
