"""Two people, one record: a save based on an older revision is refused with both versions side by side,
for a judgment, the budget figures and a questionnaire's counts; nothing is silently overwritten."""

import re
import threading
import time
from decimal import Decimal

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from evaluations import services as evaluation_services
from evaluations.enums import TeamRole
from evaluations.models import BudgetFigures, EconomicLine
from evaluations.revisions import EditConflict
from rubrics import services
from rubrics.models import Indicator, Judgment
from surveys import services as survey_services
from surveys.models import Questionnaire
from tests.factories import YANJIN_BUDGET, EvaluationFactory, economic_line, small_rubric, team
from tests.surveys.helpers import counts_of
from tests.test_budget_views import edit_payload

pytestmark = pytest.mark.django_db


def revision_on(page: str) -> str:
    """The revision a page's form was loaded with (the hidden field it posts back)."""
    return re.search(r'name="revision" value="(\d+)"', page).group(1)


def conflict_rows(page: str) -> dict[str, tuple[str, str]]:
    """The conflict table: label → (theirs, yours)."""
    table = re.search(r'data-testid="conflict-table">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(
        r'<th class="fw-normal">(.*?)</th><td data-testid="theirs">(.*?)</td><td data-testid="yours">(.*?)</td>', table, re.S
    )
    return {label: (theirs, yours) for label, theirs, yours in rows}


@pytest.fixture
def two(db):
    """An evaluation with A11 judged 符合 (revision 1), and two logged-in clients: 评价人员 and 主评人."""
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    people = team(evaluation)
    staff, lead = Client(), Client()
    staff.force_login(people[TeamRole.STAFF])
    lead.force_login(people[TeamRole.LEAD])
    return evaluation, people, staff, lead


# --------------------------------------------------------------------------
# A judgment


def test_the_second_of_two_judgment_saves_is_refused_with_both_versions(two):
    evaluation, people, staff, lead = two
    url = reverse("judgment_edit", args=[evaluation.pk, "A11"])
    staff_revision = revision_on(staff.get(url).content.decode())
    lead_revision = revision_on(lead.get(url).content.decode())

    first = staff.post(url, {"revision": staff_revision, "applicable": "on", "yes": "0", "process": "未见年度绩效目标。"})
    second = lead.post(url, {"revision": lead_revision, "applicable": "on", "yes": "1", "process": "目标明确，符合要求。"})

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    staff_name = people[TeamRole.STAFF].display_name
    assert re.search(f"本指标的评分已由{staff_name}于[-0-9 :]+修改并保存（第2版），你的修改尚未保存。", page)
    rows = conflict_rows(page)
    assert rows["是否符合评价要点"] == ("不符合", "符合")
    assert rows["本项得分"] == ("0.00", "40.00")
    assert rows["评分过程"] == ("未见年度绩效目标。", "目标明确，符合要求。")
    stored = Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11")
    assert (stored.inputs, stored.process, stored.revision) == ({"yes": False}, "未见年度绩效目标。", 2)
    # The form below still holds what the 主评人 typed, now based on the stored revision.
    assert revision_on(page) == "2"
    assert "目标明确，符合要求。</textarea>" in page
    assert 'data-testid="keep-mine"' in page and 'form="judgment-form"' in page


def test_keeping_mine_after_a_conflict_saves_it_on_the_new_revision(two):
    evaluation, _, staff, lead = two
    url = reverse("judgment_edit", args=[evaluation.pk, "A11"])
    old = revision_on(lead.get(url).content.decode())
    staff.post(url, {"revision": old, "applicable": "on", "yes": "0", "process": "未见年度绩效目标。"})
    refused = lead.post(url, {"revision": old, "applicable": "on", "yes": "1", "process": "目标明确。"}).content.decode()

    kept = lead.post(url, {"revision": revision_on(refused), "applicable": "on", "yes": "1", "process": "目标明确。"})

    assert kept.status_code == 302
    stored = Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11")
    assert (stored.inputs, stored.process, stored.revision) == ({"yes": True}, "目标明确。", 3)


def test_taking_theirs_keeps_the_stored_judgment_and_drops_my_draft(two):
    evaluation, _, staff, lead = two
    url = reverse("judgment_edit", args=[evaluation.pk, "A11"])
    old = revision_on(lead.get(url).content.decode())
    lead.post(reverse("judgment_draft", args=[evaluation.pk, "A11"]), {"process": "目标明确。"})
    staff.post(url, {"revision": old, "applicable": "on", "yes": "0", "process": "未见年度绩效目标。"})
    refused = lead.post(url, {"revision": old, "applicable": "on", "yes": "1", "process": "目标明确。"}).content.decode()
    take_theirs = reverse("judgment_draft_discard", args=[evaluation.pk, "A11"])
    assert f'action="{take_theirs}"' in refused

    page = lead.post(take_theirs, follow=True).content.decode()

    assert "未见年度绩效目标。</textarea>" in page
    assert 'data-testid="draft-banner"' not in page
    assert Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11").process == "未见年度绩效目标。"


def test_a_page_loaded_before_the_first_judgment_is_refused_once_someone_scored(two):
    evaluation, _, staff, lead = two
    Judgment.objects.filter(indicator__evaluation=evaluation).delete()
    url = reverse("judgment_edit", args=[evaluation.pk, "A11"])
    assert revision_on(staff.get(url).content.decode()) == "0" == revision_on(lead.get(url).content.decode())

    staff.post(url, {"revision": "0", "applicable": "on", "yes": "1"})
    refused = lead.post(url, {"revision": "0", "applicable": "on", "yes": "0"})

    assert conflict_rows(refused.content.decode())["是否符合评价要点"] == ("符合", "不符合")
    assert Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11").inputs == {"yes": True}


def test_the_service_refuses_a_stale_revision_without_storing_anything(two):
    evaluation, people, *_ = two
    row = Indicator.objects.select_related("evaluation").get(evaluation=evaluation, code="A11")
    services.save_judgment(row, inputs={"yes": False}, user=people[TeamRole.STAFF], base_revision=1)

    with pytest.raises(EditConflict) as caught:
        services.save_judgment(row, inputs={"yes": True}, user=people[TeamRole.LEAD], base_revision=1, process="迟到的保存")

    assert caught.value.revision == 2
    assert caught.value.who == people[TeamRole.STAFF].display_name
    stored = Judgment.objects.get(indicator=row)
    assert (stored.inputs, stored.process, stored.revision) == ({"yes": False}, "", 2)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_on_one_revision_cannot_both_pass():
    """Released together, two saves based on revision 1 race through the row lock: one is stored, one refused."""
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))
    people = team(evaluation)
    release = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(role, yes):
        try:
            row = Indicator.objects.select_related("evaluation").get(evaluation=evaluation, code="A11")
            release.wait(timeout=10)
            for _attempt in range(200):
                try:
                    services.save_judgment(row, inputs={"yes": yes}, user=people[role], base_revision=1, process=str(role))
                except OperationalError as error:
                    # The test database is SQLite in memory (shared cache), which answers "table is locked" at
                    # once where a database file waits (SQLITE_TIMEOUT): wait here as the file would.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.02)
                    continue
                outcomes[role] = "saved"
                break
        except EditConflict:
            outcomes[role] = "refused"
        except Exception as error:  # shown in the assertion below
            outcomes[role] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(role, yes)) for role, yes in ((TeamRole.STAFF, False), (TeamRole.LEAD, True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(role for role, outcome in outcomes.items() if outcome == "saved")
    stored = Judgment.objects.get(indicator__evaluation=evaluation, indicator__code="A11")
    assert (stored.process, stored.revision) == (str(winner), 2)


# --------------------------------------------------------------------------
# The budget figures


def test_the_second_of_two_budget_saves_is_refused_with_both_versions_in_red_and_kept(two):
    evaluation, people, staff, lead = two
    economic_line(evaluation, name="基本工资", amount="82.60")
    url = reverse("budget_edit", args=[evaluation.pk])
    staff_revision = revision_on(staff.get(url).content.decode())
    lead_revision = revision_on(lead.get(url).content.decode())

    first = staff.post(url, edit_payload(evaluation, personnel_final="150.00", revision=staff_revision))
    second = lead.post(url, edit_payload(
        evaluation, personnel_final="170.00", revision=lead_revision, **{"economic-0-amount": "90.00"}
    ))

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert f"预算数据已由{people[TeamRole.STAFF].display_name}于" in page
    assert "请按红色提示修改" not in page
    rows = conflict_rows(page)
    assert rows["人员经费·决算数"] == ("150.00", "170.00")
    assert rows["表2-3 基本支出明细"] == ("工资福利支出·基本工资 82.60", "工资福利支出·基本工资 90.00")
    assert "项目支出明细" not in rows  # the same on both sides
    assert BudgetFigures.objects.get(evaluation=evaluation).personnel_final == Decimal("150.00")
    assert 'value="170.00"' in page  # the refused form keeps what was typed

    kept = lead.post(url, edit_payload(
        evaluation, personnel_final="170.00", revision=revision_on(page), **{"economic-0-amount": "90.00"}
    ))

    assert kept.status_code == 302
    assert BudgetFigures.objects.get(evaluation=evaluation).personnel_final == Decimal("170.00")
    assert list(EconomicLine.objects.filter(evaluation=evaluation).values_list("amount", flat=True)) == [Decimal("90.00")]


def test_a_budget_form_loaded_before_lines_changed_is_refused_not_failed_on_hidden_ids(two):
    """Today's form rows carry no database ids: a stale page is answered by the revision, never by an invisible error."""
    evaluation, _, staff, lead = two
    economic_line(evaluation, name="基本工资", amount="82.60")
    url = reverse("budget_edit", args=[evaluation.pk])
    old = revision_on(lead.get(url).content.decode())
    staff.post(url, edit_payload(evaluation, revision=old, **{"economic-0-name": "津贴补贴"}))

    refused = lead.post(url, edit_payload(evaluation, revision=old, personnel_final="170.00"))

    page = refused.content.decode()
    assert 'data-testid="edit-conflict"' in page
    assert conflict_rows(page)["表2-3 基本支出明细"] == ("工资福利支出·津贴补贴 82.60", "工资福利支出·基本工资 82.60")


def test_the_budget_service_refuses_a_stale_revision(two):
    evaluation, *_ = two
    evaluation_services.save_budget(evaluation, {"personnel_final": Decimal("150.00")}, base_revision=0)
    with pytest.raises(EditConflict):
        evaluation_services.save_budget(evaluation, {"personnel_final": Decimal("170.00")}, base_revision=0)
    assert BudgetFigures.objects.get(evaluation=evaluation).personnel_final == Decimal("150.00")


# --------------------------------------------------------------------------
# A questionnaire's counts


def counts_form(page: str) -> dict[str, str]:
    """The counts form's fields as the page fills them."""
    fields = dict(re.findall(r'name="(counts-[^"]+)"[^>]*?value="([^"]*)"', page))
    fields.update(re.findall(r'name="(counts-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*?value="([^"]*)"', page))
    fields.update(re.findall(r'name="(issued|returned|valid)"[^>]*?value="([^"]*)"', page))
    fields["revision"] = revision_on(page)
    return fields


def test_the_second_of_two_count_saves_is_refused_with_both_versions(two):
    evaluation, people, staff, lead = two
    questionnaire = survey_services.copy_builtin(evaluation, "hall-staff")
    url = reverse("survey_counts", args=[evaluation.pk, questionnaire.pk])
    staff_form = counts_form(staff.get(url).content.decode())
    lead_form = counts_form(lead.get(url).content.decode())
    assert staff_form["counts-0-count"] == "0"

    first = staff.post(url, {**staff_form, "counts-0-count": "49", "valid": "55", "returned": "55", "issued": "55"})
    second = lead.post(url, {**lead_form, "counts-0-count": "47", "valid": "55", "returned": "55", "issued": "55"})

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert f"问卷“大厅入驻单位工作人员”的份数已由{people[TeamRole.STAFF].display_name}于" in page
    rows = conflict_rows(page)
    assert rows["第1题“您对目前大厅的整体办公环境是否满意?”的选项A“非常满意”"] == ("49", "47")
    assert counts_of(Questionnaire.objects.get(pk=questionnaire.pk))[0][0] == 49
    assert re.search(r'name="counts-0-count"[^>]*value="47"', page)

    kept = lead.post(url, {**lead_form, "revision": revision_on(page), "counts-0-count": "47", "valid": "55",
                           "returned": "55", "issued": "55"})

    assert kept.status_code == 302
    assert counts_of(Questionnaire.objects.get(pk=questionnaire.pk))[0][0] == 47


def test_the_counts_service_refuses_a_stale_revision(two):
    evaluation, *_ = two
    questionnaire = survey_services.copy_builtin(evaluation, "hall-staff")
    option = questionnaire.questions.first().options.first()
    survey_services.save_counts(questionnaire, {option.pk: 5}, issued=5, returned=5, valid=5, base_revision=0)
    with pytest.raises(EditConflict):
        survey_services.save_counts(questionnaire, {option.pk: 7}, issued=7, returned=7, valid=7, base_revision=0)
    option.refresh_from_db()
    assert option.count == 5
