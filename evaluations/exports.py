"""The files this layer renders for download (see :mod:`evalsite.exports`)."""

from __future__ import annotations

from evalsite.exports import EvaluationFile
from evaluations.models import Evaluation
from evaluations.queries import figures_for


class BudgetWorkbook(EvaluationFile):
    """The budget tables in the import shape: a template to fill in, or a copy to keep."""

    identifier = "budget-xlsx"
    extension = "xlsx"
    what = "预算数据"

    def render(self, evaluation: Evaluation) -> bytes:
        from evaluations.budget_xlsx import write_budget_workbook

        department = evaluation.department_facts
        prefix = f"{evaluation.year}年度{department.short_name or department.name}"
        return write_budget_workbook(figures_for(evaluation), prefix)


BUDGET_WORKBOOK = BudgetWorkbook()
