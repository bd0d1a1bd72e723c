"""Reusable reads: an evaluation's figures as the pure ``fiscal.Figures``."""

from __future__ import annotations

from evaluations import fiscal
from evaluations.enums import EconomicCategory
from evaluations.models import BudgetFigures, Evaluation

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
