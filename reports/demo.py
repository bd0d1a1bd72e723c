"""The demo: two firms, one user per role, and the two seed evaluations, number for number.

Loading is idempotent: running it again restores the demo data and the
passwords without creating duplicates. A demo evaluation that has been
submitted or signed meanwhile is left as it is (nothing changes a locked
evaluation, not even the demo loader); one just loaded is put 评分中 by its 主评人.
Each demo firm gets a self-signed seal for its signed reports (kept while the
configured passphrase opens it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from evaluations import services
from evaluations.enums import LOCKED_STATUSES, EvaluationStatus, TeamRole
from evaluations.models import Department, Evaluation, Membership
from reports import profile_services
from reports.demo_report import load_demo_report
from reports.enums import Step
from reports.models import FirmSigningKey, ReportProfile
from reports.signing import SealError, check_key_pair, generate_self_signed
from reports.workflow import take_step
from rubrics import services as rubric_services
from surveys.services import load_demo_surveys

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_PASSWORD = "demo12345"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    organization: str
    role: str  # a TeamRole value, "bureau", "outsider" or "firm_admin"
    evaluation: str  # the demo file whose evaluation the user works on


DEMO_EVALUATIONS = ("yanjin_2022", "shawan_2024")

DEMO_USERS = (
    DemoUser("staff", "王敏", "新乡市方政财务咨询有限公司", TeamRole.STAFF, "yanjin_2022"),
    DemoUser("lead", "李军", "新乡市方政财务咨询有限公司", TeamRole.LEAD, "yanjin_2022"),
    DemoUser("reviewer", "张华", "新乡市方政财务咨询有限公司", TeamRole.REVIEWER, "yanjin_2022"),
    DemoUser("outsider", "赵强", "新乡市方政财务咨询有限公司", "outsider", "yanjin_2022"),
    DemoUser("bureau", "延津县财政局用户", "延津县财政局", "bureau", "yanjin_2022"),
    DemoUser("firm_admin", "刘洋", "新乡市方政财务咨询有限公司", "firm_admin", "yanjin_2022"),
    DemoUser("xj_staff", "阿依古丽", "新疆智汇铭宸科技咨询有限公司", TeamRole.STAFF, "shawan_2024"),
    DemoUser("xj_lead", "马天明", "新疆智汇铭宸科技咨询有限公司", TeamRole.LEAD, "shawan_2024"),
    DemoUser("xj_reviewer", "陈静", "新疆智汇铭宸科技咨询有限公司", TeamRole.REVIEWER, "shawan_2024"),
    DemoUser("xj_bureau", "沙湾市财政局用户", "沙湾市财政局", "bureau", "shawan_2024"),
    DemoUser("xj_admin", "古丽娜", "新疆智汇铭宸科技咨询有限公司", "firm_admin", "shawan_2024"),
)

ROLE_LABELS = {
    **dict(TeamRole.choices),
    "bureau": "财政局",
    "outsider": "评价机构人员（不在团队中）",
    "firm_admin": "机构管理员（管理本机构和委托单位的用户）",
}


def read_demo(name: str) -> dict:
    return json.loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _organization(name: str, kind: str) -> Organization:
    organization, _ = Organization.objects.update_or_create(name=name, defaults={"kind": kind})
    return organization


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@dataclass
class DemoResult:
    evaluations: dict[str, Evaluation]
    kept: set[str] = field(default_factory=set)  # names of the demo evaluations left alone (under review or signed)


def demo_seal(firm: Organization) -> None:
    """A self-signed seal for a demo firm (kept while the configured passphrase opens it)."""
    key = FirmSigningKey.objects.filter(firm=firm).first()
    if key is not None:
        try:
            check_key_pair(key.certificate, key.private_key)
        except SealError:
            pass
        else:
            return
    certificate, private_key = generate_self_signed(firm.name)
    FirmSigningKey.objects.update_or_create(firm=firm, defaults={"certificate": certificate, "private_key": private_key})


def locked_demo_evaluation(name: str) -> Evaluation | None:
    """The demo evaluation ``name`` if it exists and is under review or signed off."""
    data = read_demo(name)
    return (
        Evaluation.objects.select_related("department")
        .filter(
            firm__name=data["firm"],
            department__name=data["department"]["name"],
            year=data["evaluation"]["year"],
            status__in=LOCKED_STATUSES,
        )
        .first()
    )


def load_evaluation(name: str) -> Evaluation:
    data = read_demo(name)
    firm = _organization(data["firm"], OrganizationKind.FIRM)
    bureau = _organization(data["bureau"], OrganizationKind.BUREAU)
    firm.clients.add(bureau)
    department, _ = Department.objects.update_or_create(firm=firm, name=data["department"]["name"], defaults=data["department"])
    engagement = dict(data["evaluation"])
    for key in ("start_date", "end_date", "report_date"):
        engagement[key] = _date(engagement[key])
    evaluation = Evaluation.objects.filter(department=department, year=engagement["year"]).first()
    if evaluation is None:
        evaluation = services.create_evaluation(firm=firm, department=department, creator=None, bureau=bureau, **engagement)
    else:
        Evaluation.objects.filter(pk=evaluation.pk).update(bureau=bureau, firm=firm, **engagement)
        evaluation.refresh_from_db()
        services.save_department_facts(evaluation, department.profile_values())
    amounts = {name: None for name in services.BUDGET_AMOUNT_FIELDS}
    amounts.update({key: _amount(value) for key, value in data["budget"].items()})
    services.save_budget(
        evaluation,
        amounts,
        economic=[services.EconomicEntry(c, n, Decimal(a)) for c, n, a in data["economic"]],
        projects=[services.ProjectEntry(p[0], *(_amount(x) for x in p[1:])) for p in data["projects"]],
    )
    return evaluation


def load_scores(evaluation: Evaluation, name: str) -> None:
    """Copy the seed's indicator system into the evaluation (once) and store the seed's judgments."""
    scores = read_demo(f"{name}_scores")
    systems = {system.slug: system for system in rubric_services.install_builtin_systems(evaluation.firm)}
    system = systems[scores["system"]]
    if not evaluation.indicators.exists():
        rubric_services.copy_system_into(evaluation, system.tree, source_name=system.name, settings=system.settings)
    rubric_services.import_judgments(evaluation, scores["judgments"])


def load_profile(evaluation: Evaluation, name: str) -> None:
    """The seed's outline becomes its bureau's default profile for the firm; the evaluation follows it."""
    profile_services.install_builtin_profiles(evaluation.firm)
    profile = ReportProfile.objects.get(firm=evaluation.firm, slug=read_demo(name)["report_profile"])
    current = {default.bureau for default in profile.bureau_defaults.select_related("bureau")}
    profile_services.set_default_bureaus(profile, current | {evaluation.bureau})
    profile_services.choose_profile(evaluation, None)


@transaction.atomic
def load_demo() -> DemoResult:
    result = DemoResult(evaluations={})
    for name in DEMO_EVALUATIONS:
        kept = locked_demo_evaluation(name)
        if kept is not None:
            result.evaluations[name] = kept
            result.kept.add(name)
            continue
        evaluation = result.evaluations[name] = load_evaluation(name)
        if (DEMO_DIR / f"{name}_surveys.json").exists():
            load_demo_surveys(evaluation, name)
        load_scores(evaluation, name)
        load_demo_report(evaluation, name)
        load_profile(evaluation, name)
    evaluations = result.evaluations
    for evaluation in evaluations.values():
        demo_seal(evaluation.firm)
    user_model = get_user_model()
    for demo in DEMO_USERS:
        kind = OrganizationKind.BUREAU if demo.role == "bureau" else OrganizationKind.FIRM
        organization = _organization(demo.organization, kind)
        user, _ = user_model.objects.update_or_create(
            username=demo.username,
            defaults={
                "full_name": demo.full_name,
                "organization": organization,
                "email": f"{demo.username}@example.com",
                "is_firm_admin": demo.role == "firm_admin",
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        reset_login_failures(username=demo.username)
        evaluation = evaluations[demo.evaluation]
        if demo.role in TeamRole.values and demo.evaluation not in result.kept:
            Membership.objects.filter(evaluation=evaluation, role=demo.role).exclude(user=user).delete()
            Membership.objects.update_or_create(evaluation=evaluation, user=user, defaults={"role": demo.role})
    for evaluation in evaluations.values():
        if evaluation.status == EvaluationStatus.DRAFT:
            lead = evaluation.memberships.get(role=TeamRole.LEAD).user
            take_step(evaluation, Step.START, lead)
            evaluation.refresh_from_db()
    return result


def demo_logins() -> list[str]:
    return [
        f"  {demo.username:<12} {DEMO_PASSWORD}  {ROLE_LABELS[demo.role]} · {demo.organization}"
        for demo in DEMO_USERS
    ]
