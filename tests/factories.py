"""Factories that build a whole small evaluation in one call."""

import functools
from decimal import Decimal

import factory

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization, User
from evaluations.enums import EconomicCategory, TeamRole
from evaluations.models import BudgetFigures, Department, EconomicLine, Evaluation, Membership, Project


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试评价机构{n}")
    kind = OrganizationKind.FIRM

    @factory.post_generation
    def seal(obj, create, extracted, **kwargs):
        """A firm signs its reports with its own certificate (``seal=False`` for none)."""
        if create and extracted is not False and obj.kind == OrganizationKind.FIRM:
            signing_key(obj)


class BureauFactory(FirmFactory):
    name = factory.Sequence(lambda n: f"测试县财政局{n}")
    kind = OrganizationKind.BUREAU


@functools.cache
def _test_signing_key():
    """One RSA key for every test firm's certificate (making a key takes far longer than a certificate)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(65537, 2048)


def signing_key(firm):
    """The firm's self-signed seal (kept when it has one)."""
    from reports.models import FirmSigningKey
    from reports.signing import generate_self_signed

    existing = FirmSigningKey.objects.filter(firm=firm).first()
    if existing is not None:
        return existing
    certificate, key = generate_self_signed(firm.name, key=_test_signing_key())
    return FirmSigningKey.objects.create(firm=firm, certificate=certificate, private_key=key)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    organization = factory.SubFactory(FirmFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-123456")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    firm = factory.SubFactory(FirmFactory)
    name = factory.Sequence(lambda n: f"测试县第{n}局")
    admin_authorized = 8
    admin_actual = 7
    institution_authorized = 13
    institution_actual = 13


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    firm = factory.SubFactory(FirmFactory)
    department = factory.SubFactory(DepartmentFactory, firm=factory.SelfAttribute("..firm"))
    year = 2022
    bureau = factory.SubFactory(BureauFactory)
    methods = ["比较法", "因素分析法"]

    @factory.post_generation
    def budget(obj, create, extracted, **kwargs):
        if create:
            BudgetFigures.objects.create(evaluation=obj, **(extracted or {}))


YANJIN_BUDGET = {
    "general_initial": Decimal("322.31"), "general_adjusted": Decimal("278.64"), "general_final": Decimal("278.64"),
    "fund_initial": Decimal("32.00"), "fund_adjusted": Decimal("32.00"), "fund_final": Decimal("32.00"),
    "carry_in_adjusted": Decimal("25.32"), "carry_in_final": Decimal("25.32"),
    "personnel_initial": Decimal("117.72"), "personnel_adjusted": Decimal("161.75"), "personnel_final": Decimal("161.75"),
    "public_initial": Decimal("8.63"), "public_adjusted": Decimal("18.35"), "public_final": Decimal("18.35"),
    "project_initial": Decimal("227.96"), "project_adjusted": Decimal("155.86"), "project_final": Decimal("155.86"),
}


def member(evaluation, role, **user_kwargs):
    user = UserFactory(organization=evaluation.firm, **user_kwargs)
    Membership.objects.create(evaluation=evaluation, user=user, role=role)
    return user


def team(evaluation):
    """One user per role plus an outsider of the same firm and a user of the client bureau."""
    return {
        TeamRole.STAFF: member(evaluation, TeamRole.STAFF),
        TeamRole.LEAD: member(evaluation, TeamRole.LEAD),
        TeamRole.REVIEWER: member(evaluation, TeamRole.REVIEWER),
        "outsider": UserFactory(organization=evaluation.firm),
        "bureau": UserFactory(organization=evaluation.bureau),
    }


def economic_line(evaluation, name="基本工资", amount="10.00", category=EconomicCategory.WAGES, position=1):
    return EconomicLine.objects.create(
        evaluation=evaluation, category=category, name=name, amount=Decimal(amount), position=position
    )


def project(evaluation, name="信息化建设", initial="10.00", adjusted="12.00", final="11.00", position=1):
    return Project.objects.create(
        evaluation=evaluation, name=name, initial=Decimal(initial), adjusted=Decimal(adjusted), final=Decimal(final), position=position
    )


SMALL_TREE = [
    {"code": "A", "name": "部门决策", "weight": "40", "children": [
        {"code": "A1", "name": "目标设定", "weight": "40", "children": [
            {"code": "A11", "name": "绩效目标合理性", "weight": "40", "rule": {"kind": "yes_no"}},
        ]},
    ]},
    {"code": "B", "name": "部门管理", "weight": "60", "children": [
        {"code": "B1", "name": "预算执行", "weight": "60", "children": [
            {"code": "B11", "name": "预算执行率", "weight": "60",
             "rule": {"kind": "rate_deviation", "threshold": "95", "direction": "at_least", "step": "5/100",
                      "unit": "share", "per": "1"},
             "binding": {"ratio": "budget_execution_rate"}},
        ]},
    ]},
]


def small_rubric(evaluation, *, yes=True):
    """A two-indicator system copied into ``evaluation``: A11 judged ``yes``, B11 bound to 预算执行率 and saved
    as read from the budget (nothing is saved for it without figures); ``yes=None`` leaves both unjudged."""
    from rubrics import services

    services.copy_system_into(evaluation, SMALL_TREE, source_name="测试体系")
    if yes is not None:
        services.import_judgments(
            evaluation, {"A11": {"inputs": {"yes": yes}, "process": "符合。"}, "B11": {"inputs": {}}}
        )
    return evaluation


def stored_signed_files(evaluation, signer, *, version=1, formats=("docx", "pdf", "xlsx")):
    """The records of a signed version whose stored files are small stand-ins with their true SHA-256.

    For tests of who reaches which file; tests/reports/test_archive.py freezes real reports.
    """
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import ReportFile, SignedVersion

    signed = SignedVersion.objects.create(
        evaluation=evaluation, version=version, signed_by=signer, signed_at=timezone.now(),
        facts={"total": "100.00", "grade": "优"},
    )
    files = []
    for fmt in formats:
        content = f"第{version}版{fmt}".encode()
        report_file = ReportFile(
            signed_version=signed, format=fmt, filename=f"报告.{fmt}", sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )
        report_file.file.save(f"{fmt}.{fmt}", ContentFile(content), save=False)
        report_file.save()
        files.append(report_file)
    return files


def revision_of(evaluation, code: str) -> str:
    """The revision the judgment page of ``code`` carries now, as its form posts it back (0: no judgment yet)."""
    from rubrics.models import Judgment

    judgment = Judgment.objects.filter(indicator__evaluation=evaluation, indicator__code=code).first()
    return str(judgment.revision if judgment else 0)
