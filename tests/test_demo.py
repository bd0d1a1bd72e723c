"""The demo loads idempotently and carries the seeds' figures to the cent."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from evalsite.accounts.models import Organization, User
from evaluations import fiscal
from evaluations.enums import EvaluationStatus
from evaluations.models import BudgetFigures, Department, EconomicLine, Evaluation, Membership
from evaluations.queries import figures_for

pytestmark = pytest.mark.django_db


def demo(name):
    return Evaluation.objects.select_related("department").get(department__name=name)


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    counts = (Evaluation.objects.count(), User.objects.count(), Membership.objects.count(), EconomicLine.objects.count())
    call_command("load_demo")
    assert counts == (2, 11, 6, 15)
    assert (Evaluation.objects.count(), User.objects.count(), Membership.objects.count(), EconomicLine.objects.count()) == counts
    assert "demo12345" in capsys.readouterr().out


def test_load_demo_leaves_a_signed_evaluation_alone_and_says_so(capsys):
    call_command("load_demo")
    yanjin = demo("延津县政务服务和大数据管理局")
    Evaluation.objects.filter(pk=yanjin.pk).update(status=EvaluationStatus.SIGNED)
    # what was signed stays as signed, even where it differs from the demo files
    BudgetFigures.objects.filter(evaluation=yanjin).update(general_final=Decimal("1.23"))
    Department.objects.filter(pk=yanjin.department_id).update(short_name="签发时的简称")
    Membership.objects.filter(evaluation=yanjin, user__username="staff").delete()
    User.objects.filter(username="staff").update(password="!")
    capsys.readouterr()

    call_command("load_demo")
    call_command("load_demo")

    out = capsys.readouterr().out
    assert out.count(f"评价项目 #{yanjin.pk}：{yanjin.title}（已签发，保持不变）") == 2
    assert "沙湾市政务服务中心部门整体支出绩效评价\n" in out
    yanjin.refresh_from_db()
    assert yanjin.status == EvaluationStatus.SIGNED
    assert BudgetFigures.objects.get(evaluation=yanjin).general_final == Decimal("1.23")
    assert Department.objects.get(pk=yanjin.department_id).short_name == "签发时的简称"
    assert not Membership.objects.filter(evaluation=yanjin, user__username="staff").exists()
    assert User.objects.get(username="staff").check_password("demo12345")  # the logins are restored
    assert Evaluation.objects.count() == 2


def test_yanjin_ratios_match_seed_002():
    call_command("load_demo")
    figures = figures_for(demo("延津县政务服务和大数据管理局"))
    ratios = fiscal.ratio_by_key(figures)
    assert ratios["budget_adjustment_rate"].display == "-5.18%"
    assert ratios["budget_execution_rate"].display == "100.00%"
    assert ratios["staff_control_rate"].display == "95.24%"
    assert ratios["personnel_share"].display == "89.81%"
    assert fiscal.income_table(figures).row("总计").cells == ["354.31", "335.96", "335.96"]
    assert fiscal.economic_table(figures)[-1].amount == figures.basic.final
    assert fiscal.consistency_warnings(figures) == []


def test_shawan_ratios_match_seed_000():
    call_command("load_demo")
    figures = figures_for(demo("沙湾市政务服务中心"))
    ratios = fiscal.ratio_by_key(figures)
    assert ratios["budget_execution_rate"].display == "100.00%"
    assert ratios["budget_adjustment_rate"].display == "-65.92%"
    assert ratios["project_adjustment_rate"].display == "-83.36%"
    assert ratios["staff_control_rate"].display == "100.00%"
    assert fiscal.expenditure_table(figures).row("决算数").cells[2:5] == ["284.29", "203.00", "487.29"]


def test_demo_users_have_one_role_each_on_their_evaluation():
    call_command("load_demo")
    yanjin = demo("延津县政务服务和大数据管理局")
    roles = dict(Membership.objects.filter(evaluation=yanjin).values_list("user__username", "role"))
    assert roles == {"staff": "staff", "lead": "lead", "reviewer": "reviewer"}
    assert User.objects.get(username="bureau").organization == Organization.objects.get(name="延津县财政局")
    assert yanjin.bureau.name == "延津县财政局"


def test_yanjin_carries_both_surveys_and_d31_takes_the_public_rate():
    from rubrics.queries import evaluation_result
    from surveys.models import Option
    from surveys.queries import composite_rates

    call_command("load_demo")
    yanjin = demo("延津县政务服务和大数据管理局")
    rates = {group: f"{rate:.2f}" for group, rate in composite_rates(yanjin).items()}
    assert rates == {"企业和办事群众": "90.43", "大厅入驻单位工作人员": "97.88"}
    scored = evaluation_result(yanjin)
    assert scored.bound["D31"].own.value == Decimal("90.43")
    assert scored.result.node("D31").sentence == "满意度90.43%，处于≥90%区间，得6.00分。"
    assert scored.result.total == Decimal("86.00")
    # fewer satisfied answers pull the rate under 85%: the score follows and the judgment asks for review
    Option.objects.filter(question__questionnaire__group="企业和办事群众", label__contains="很满意").update(count=0)
    scored = evaluation_result(Evaluation.objects.get(pk=yanjin.pk))
    assert scored.bound["D31"].own.value < Decimal("85")
    assert scored.result.node("D31").score < Decimal("6")
    assert "D31" in scored.review_codes


def test_each_demo_firm_gets_a_seal_that_opens_and_keeps_it_on_reloading(settings):
    from reports.models import FirmSigningKey
    from reports.signing import check_key_pair, subject_name

    call_command("load_demo")
    seals = {key.firm.name: key for key in FirmSigningKey.objects.select_related("firm")}
    assert set(seals) == {"新乡市方政财务咨询有限公司", "新疆智汇铭宸科技咨询有限公司"}
    for name, key in seals.items():
        check_key_pair(key.certificate, key.private_key)
        assert subject_name(key.certificate) == name
    call_command("load_demo")
    assert {k.firm.name: k.certificate for k in FirmSigningKey.objects.select_related("firm")} == {
        name: key.certificate for name, key in seals.items()
    }
    settings.SIGNING_KEY_PASSPHRASE = "a-new-passphrase"  # keys the passphrase cannot open are made anew
    call_command("load_demo")
    for key in FirmSigningKey.objects.all():
        check_key_pair(key.certificate, key.private_key)
        assert key.certificate != seals[key.firm.name].certificate
