"""Nothing typed is lost: the 评分过程 being written is kept on the server per user and offered again on return."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from evaluations.enums import EvaluationStatus, TeamRole
from evaluations.models import Evaluation
from rubrics.models import Judgment, ProcessDraft
from tests.factories import EvaluationFactory, revision_of, small_rubric, team

pytestmark = pytest.mark.django_db

TYPED = "查阅了2022年度部门整体绩效目标申报表，目标与三定方案职能对应，但缺少"


@pytest.fixture
def scoring():
    evaluation = small_rubric(EvaluationFactory())
    return evaluation, team(evaluation)


def page(client, evaluation, code="A11") -> str:
    return client.get(reverse("judgment_edit", args=[evaluation.pk, code])).content.decode()


def log_in(client, user):
    """Through the login page, as a person does (a new session each time)."""
    response = client.post(reverse("login"), {"username": user.username, "password": "pw-123456"})
    assert response.status_code == 302


def banner(html: str) -> str | None:
    found = re.search(r'data-testid="draft-banner".*?</div>', html, re.S)
    return found.group(0) if found else None


def test_a_draft_survives_a_new_session_and_is_offered_on_return(scoring):
    evaluation, people = scoring
    lead = people[TeamRole.LEAD]
    first = Client()
    log_in(first, lead)
    answer = first.post(reverse("judgment_draft", args=[evaluation.pk, "A11"]), {"process": TYPED})
    assert answer.status_code == 200
    assert re.fullmatch(r"草稿已自动保存（\d\d:\d\d:\d\d）", answer.content.decode())
    first_session = first.session.session_key
    first.post(reverse("logout"))  # the tab is closed, the session ends

    again = Client()
    log_in(again, lead)
    assert again.session.session_key != first_session
    offered = banner(page(again, evaluation))

    assert offered is not None
    assert re.search(r"您有未保存的草稿（\d{4}-\d\d-\d\d \d\d:\d\d）：", offered)
    assert f'data-draft="{TYPED}"' in offered and 'data-fill="textarea[name=process]"' in offered
    assert ">恢复</button>" in offered and ">丢弃</button>" in offered
    assert Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11").process == "符合。"


def test_a_draft_belongs_to_its_writer(client, scoring):
    evaluation, people = scoring
    client.force_login(people[TeamRole.LEAD])
    client.post(reverse("judgment_draft", args=[evaluation.pk, "A11"]), {"process": TYPED})

    client.force_login(people[TeamRole.STAFF])

    assert banner(page(client, evaluation)) is None


def test_discarding_drops_the_draft(client, scoring):
    evaluation, people = scoring
    client.force_login(people[TeamRole.LEAD])
    client.post(reverse("judgment_draft", args=[evaluation.pk, "A11"]), {"process": TYPED})

    response = client.post(reverse("judgment_draft_discard", args=[evaluation.pk, "A11"]), follow=True)

    assert banner(response.content.decode()) is None
    assert not ProcessDraft.objects.exists()


def test_saving_the_judgment_drops_the_draft(client, scoring):
    evaluation, people = scoring
    client.force_login(people[TeamRole.LEAD])
    client.post(reverse("judgment_draft", args=[evaluation.pk, "A11"]), {"process": TYPED})

    client.post(reverse("judgment_edit", args=[evaluation.pk, "A11"]),
                {"revision": revision_of(evaluation, "A11"), "applicable": "on", "yes": "1", "process": TYPED + "年度分解。"})

    assert not ProcessDraft.objects.exists()
    assert banner(page(client, evaluation)) is None


def test_a_draft_equal_to_the_saved_text_is_not_offered_and_an_empty_one_is_dropped(client, scoring):
    evaluation, people = scoring
    client.force_login(people[TeamRole.LEAD])
    url = reverse("judgment_draft", args=[evaluation.pk, "A11"])

    client.post(url, {"process": "符合。"})  # what is saved already (an autosave arriving after the save)
    assert banner(page(client, evaluation)) is None
    client.post(url, {"process": "  "})
    assert not ProcessDraft.objects.exists()


def test_the_page_wires_the_autosave_without_inline_script(client, scoring):
    evaluation, people = scoring
    client.force_login(people[TeamRole.STAFF])

    html = page(client, evaluation)

    url = reverse("judgment_draft", args=[evaluation.pk, "A11"])
    assert re.search(rf'<textarea name="process"[^>]*data-autosave-url="{url}"', html)
    assert "data-autosave-status" in html
    assert "<script>" not in html and "onclick" not in html


def test_no_draft_is_kept_once_the_report_is_signed(client, scoring):
    evaluation, people = scoring
    client.force_login(people[TeamRole.LEAD])
    Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.SIGNED)

    response = client.post(reverse("judgment_draft", args=[evaluation.pk, "A11"]), {"process": TYPED})

    assert response.status_code == 403
    assert not ProcessDraft.objects.exists()
    assert "data-autosave-url" not in page(client, evaluation)
