"""What the benches share: a throwaway database with the demo, and generated evaluations of any size.

Every bench works on a temporary SQLite database (or the PostgreSQL that
``DATABASE_URL`` names, for the load bench), so the development database is
never touched.
"""

from __future__ import annotations

import io
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

YANJIN = "延津县政务服务和大数据管理局"


def setup_django(database: Path | None = None) -> None:
    """Django on ``database`` (SQLite), migrated, with the demo loaded."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "evalsite.settings"
    if database is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


#: Indicator counts the page bench measures, as (first, second per first, leaves per second).
SHAPES = {30: (10, 1, 3), 300: (10, 3, 10), 3000: (10, 10, 30)}


def _split(total_cents: int, parts: int) -> list[Decimal]:
    """``total_cents`` shared over ``parts`` in whole cents (the remainder goes to the first ones)."""
    base, extra = divmod(total_cents, parts)
    return [Decimal(base + (1 if index < extra else 0)) / 100 for index in range(parts)]


def generated_tree(first: int = 10, second: int = 3, leaves: int = 10) -> list[dict]:
    """``first × second × leaves`` third-level yes/no indicators; the first level weighs 100 in all."""
    tree = []
    for a, first_weight in enumerate(_split(10000, first)):
        first_code = chr(ord("A") + a)
        children = []
        for b, second_weight in enumerate(_split(int(first_weight * 100), second)):
            second_code = f"{first_code}{b + 1}"
            children.append(
                {
                    "code": second_code,
                    "name": f"第{b + 1}组二级指标",
                    "weight": str(second_weight),
                    "children": [
                        {
                            "code": f"{second_code}{c + 1:02d}",
                            "name": f"三级指标{first_code}{b + 1}-{c + 1}",
                            "weight": str(leaf_weight),
                            "explanation": "考察部门相关工作的开展情况、制度执行情况及目标完成程度。" * 2,
                            "criteria": "符合评价要点，得满分；反之，不得分。",
                            "rule": {"kind": "yes_no"},
                        }
                        for c, leaf_weight in enumerate(_split(int(second_weight * 100), leaves))
                    ],
                }
            )
        tree.append({"code": first_code, "name": f"一级指标{first_code}", "weight": str(first_weight), "children": children})
    return tree


def leaves_of(tree: list[dict]) -> list[dict]:
    return [leaf for a in tree for b in a["children"] for leaf in b["children"]]


def large_evaluation(size: int = 300, *, name: str | None = None, judged: bool = True):
    """A copy of the 延津 engagement, budget and team with a generated system of ``size`` indicators.

    Every indicator is judged (unless ``judged`` is false) and three chapters
    have text, so the report has something to print. Made once per name.
    """
    from evaluations.models import Department, Evaluation
    from reports import services as report_services
    from reports.enums import SectionKey
    from rubrics import services

    yanjin = Evaluation.objects.get(department__name=YANJIN)
    department, _ = Department.objects.get_or_create(firm=yanjin.firm, name=name or f"基准测试县{size}项指标部门")
    evaluation = Evaluation.objects.filter(department=department).first()
    if evaluation is not None:
        return evaluation
    evaluation = Evaluation.objects.create(
        firm=yanjin.firm, department=department, year=yanjin.year, bureau=yanjin.bureau,
        methods=yanjin.methods, standards=yanjin.standards, basis=yanjin.basis, report_date=yanjin.report_date,
    )
    budget = yanjin.budget
    budget.pk, budget.evaluation = None, evaluation
    budget.save()
    for membership in yanjin.memberships.all():
        evaluation.memberships.create(user=membership.user, role=membership.role)
    tree = generated_tree(*SHAPES.get(size, (10, 3, max(1, size // 30))))
    services.copy_system_into(evaluation, tree, source_name="基准测试体系")
    if judged:
        judgments = {
            leaf["code"]: {
                "inputs": {"yes": index % 7 != 0},
                "process": f"评价组查阅了相关制度文件、台账和会议记录，并对经办人员进行访谈（第{index}项）。" * 3,
            }
            for index, leaf in enumerate(leaves_of(tree), start=1)
        }
        services.import_judgments(evaluation, judgments)
        for key in (SectionKey.OVERALL, SectionKey.EXPERIENCE, SectionKey.TASKS):
            report_services.save_section(evaluation, key, "{年度}年度，部门总体得分{总分}分，等级为“{等级}”。\n" * 20)
    return evaluation


def copy_of_yanjin(index: int, *, password: str):
    """A copy of the 延津 evaluation (engagement, budget, indicator system, judgments, surveys) for one
    load-test evaluator, who leads it: fifty of them never touch the same rows."""
    from django.contrib.auth import get_user_model

    from evaluations import services
    from evaluations.models import Department, Evaluation
    from rubrics import services as rubric_services
    from rubrics.queries import indicator_rows, judgment_of
    from surveys.services import load_demo_surveys

    yanjin = Evaluation.objects.get(department__name=YANJIN)
    user, _ = get_user_model().objects.get_or_create(
        username=f"load{index:02d}",
        defaults={"organization": yanjin.firm, "full_name": f"负载测试{index}", "email": f"load{index}@example.com"},
    )
    user.set_password(password)
    user.save()
    department, _ = Department.objects.get_or_create(firm=yanjin.firm, name=f"负载测试部门{index:02d}")
    evaluation = Evaluation.objects.filter(department=department).first()
    if evaluation is not None:
        return evaluation, user
    evaluation = services.create_evaluation(
        firm=yanjin.firm, department=department, creator=user, year=yanjin.year, bureau=yanjin.bureau,
        methods=yanjin.methods, standards=yanjin.standards, basis=yanjin.basis, report_date=yanjin.report_date,
    )
    budget = yanjin.budget
    services.save_budget(
        evaluation, {name: getattr(budget, name) for name in services.BUDGET_AMOUNT_FIELDS},
        economic=[services.EconomicEntry(line.category, line.name, line.amount) for line in yanjin.economic_lines.all()],
        projects=[services.ProjectEntry(p.name, p.initial, p.adjusted, p.final) for p in yanjin.projects.all()],
    )
    rows = indicator_rows(yanjin)
    rubric_services.copy_system_into(
        evaluation, rubric_services.tree_as_dicts(rows), source_name="延津（负载测试副本）", settings=yanjin.rubric.settings
    )
    judgments = {}
    for row in rows:
        if (judgment := judgment_of(row)) is not None:
            override = {"score": str(judgment.override_score), "reason": judgment.override_reason} if judgment.override_score is not None else {}
            judgments[row.code] = {"inputs": judgment.inputs, "process": judgment.process, "override": override}
    rubric_services.import_judgments(evaluation, judgments)
    load_demo_surveys(evaluation)
    return evaluation, user


def prepare_load(evaluators: int, downloaders: int, password: str) -> dict:
    """The people of the load bench: evaluators with an evaluation each, downloaders (项目负责人) on the first
    ``downloaders`` of those evaluations; their leaves to judge."""
    from django.contrib.auth import get_user_model

    from evaluations import services
    from evaluations.enums import TeamRole

    people = {"evaluators": [], "downloaders": []}
    for index in range(evaluators):
        evaluation, user = copy_of_yanjin(index, password=password)
        leaves = list(
            evaluation.indicators.filter(children__isnull=True).order_by("position").values_list("code", flat=True)
        )
        people["evaluators"].append({"username": user.username, "evaluation": evaluation.pk, "leaves": leaves})
        if index < downloaders:
            reader, _ = get_user_model().objects.get_or_create(
                username=f"reader{index:02d}", defaults={"organization": evaluation.firm, "full_name": f"下载{index}"}
            )
            reader.set_password(password)
            reader.save()
            if not evaluation.memberships.filter(user=reader).exists():
                services.add_member(evaluation, reader, TeamRole.REVIEWER)
            people["downloaders"].append({"username": reader.username, "evaluation": evaluation.pk})
    return people
