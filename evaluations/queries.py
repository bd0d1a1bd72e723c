"""Reusable reads: an evaluation's figures as the pure ``fiscal.Figures``."""

from __future__ import annotations

from evaluations import fiscal
from evaluations.enums import EconomicCategory
from evaluations.history import SHOWN, Change, changes_of, editable_fields, newest_first
from evaluations.models import BudgetFigures, EconomicLine, Evaluation, Membership, Project

FIGURE_FIELDS: tuple[str, ...] = (
    "three_public_budget",
    "three_public_actual",
    "prev_three_public_budget",
    "prev_three_public_actual",
    "prev_carryover",
    "procurement_budget",
    "procurement_actual",
)


def triple_field(line: str, column: str) -> str:
    return f"{line}_{column}"


#: Every amount of the budget form and the import: 表2-1/2-2 lines by column, then the extras.
BUDGET_AMOUNT_FIELDS: tuple[str, ...] = tuple(
    triple_field(line, column) for line in fiscal.TRIPLE_LINES for column, _ in fiscal.COLUMNS
) + FIGURE_FIELDS


def budget_of(evaluation: Evaluation) -> BudgetFigures:
    """The evaluation's figures row, unsaved and empty when none was entered yet."""
    try:
        return evaluation.budget
    except BudgetFigures.DoesNotExist:
        return BudgetFigures(evaluation=evaluation)


def figures_for(evaluation: Evaluation) -> fiscal.Figures:
    """Read the budget, the 表2-3 lines, the projects and the staffing in three queries."""
    budget = budget_of(evaluation)
    lines = {
        line: fiscal.Triple(
            *(getattr(budget, triple_field(line, column)) for column, _ in fiscal.COLUMNS)
        )
        for line in fiscal.TRIPLE_LINES
    }
    labels = dict(EconomicCategory.choices)
    economic = tuple(
        fiscal.EconomicItem(line.category, labels[line.category], line.name, line.amount)
        for line in _ordered_economic_lines(evaluation)
    )
    projects = tuple(
        fiscal.ProjectItem(project.name, fiscal.Triple(project.initial, project.adjusted, project.final))
        for project in evaluation.projects.all()
    )
    department = evaluation.department_facts
    return fiscal.Figures(
        lines=lines,
        **{name: getattr(budget, name) for name in FIGURE_FIELDS},
        staff_authorized=department.authorized_total,
        staff_actual=department.actual_total,
        economic=economic,
        projects=projects,
    )


def _ordered_economic_lines(evaluation: Evaluation):
    """表2-3 lines grouped in the official class order, then by position."""
    order = {value: index for index, value in enumerate(EconomicCategory.values)}
    return sorted(evaluation.economic_lines.all(), key=lambda line: (order[line.category], line.position, line.pk or 0))


# ---------------------------------------------------------------------------
# History (shown to the team, never to the bureau)

ECONOMIC_HISTORY_FIELDS = ("category", "name", "amount")
PROJECT_HISTORY_FIELDS = ("name", "initial", "adjusted", "final")
TEAM_HISTORY_FIELDS = ("user", "role")
#: The engagement's own fields. The firm and the department never change once it exists, and the 委托单位 has its
#: own log (``BureauChange``); a related row would also print under its name of today, not of then.
ENGAGEMENT_HISTORY_FIELDS = editable_fields(Evaluation, ("firm", "department", "bureau"))


def budget_history(evaluation: Evaluation) -> list[Change]:
    """Every stored change of the figures, the 表2-3 lines and the projects, newest first."""
    return newest_first(
        changes_of(BudgetFigures.history.filter(evaluation_id=evaluation.pk), BUDGET_AMOUNT_FIELDS, lambda r: "预算数据"),
        changes_of(
            EconomicLine.history.filter(evaluation_id=evaluation.pk), ECONOMIC_HISTORY_FIELDS,
            lambda r: f"表2-3 基本支出明细“{r.name}”",
        ),
        changes_of(
            Project.history.filter(evaluation_id=evaluation.pk), PROJECT_HISTORY_FIELDS, lambda r: f"项目支出“{r.name}”"
        ),
    )[:SHOWN]


def evaluation_history(evaluation: Evaluation) -> list[Change]:
    """Every stored change of the engagement's own fields and of its team, newest first."""
    return newest_first(
        changes_of(Evaluation.history.filter(id=evaluation.pk), ENGAGEMENT_HISTORY_FIELDS, lambda r: "项目信息"),
        changes_of(
            Membership.history.filter(evaluation_id=evaluation.pk).select_related("user"), TEAM_HISTORY_FIELDS,
            lambda r: f"团队成员{r.user.display_name}",
        ),
    )[:SHOWN]
