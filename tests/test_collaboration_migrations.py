"""evaluations 0005, surveys 0002, rubrics 0006–0007 on a database with data: every existing record gets a
baseline history row (its first change then shows old → new), judgments start at revision 1, and each paper
moves from its judgment to the judgment's indicator, numbered there in upload order."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evaluations.models import BudgetFigures
from evaluations.queries import budget_history
from rubrics.models import Evidence, Judgment

BEFORE = [("evaluations", "0007_department_facts_per_evaluation"), ("surveys", "0002_multiple_choice_questions"),
          ("rubrics", "0008_bounded_review_and_project_texts"), ("accounts", "0003_firm_review_levels")]


def migrate(target=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(target).apps if target else None


@pytest.mark.django_db(transaction=True)
def test_existing_records_get_history_baselines_revisions_and_papers_their_indicator():
    try:
        old = migrate(BEFORE)
        firm = old.get_model("accounts", "Organization").objects.create(name="旧机构", kind="firm")
        bureau = old.get_model("accounts", "Organization").objects.create(name="旧财政局", kind="bureau")
        department = old.get_model("evaluations", "Department").objects.create(firm=firm, name="旧部门")
        evaluation = old.get_model("evaluations", "Evaluation").objects.create(
            firm=firm, department=department, bureau=bureau, year=2021
        )
        old.get_model("evaluations", "BudgetFigures").objects.create(evaluation=evaluation, personnel_final=Decimal("100.00"))
        Indicator = old.get_model("rubrics", "Indicator")
        rows = {code: Indicator.objects.create(evaluation=evaluation, level=3, position=n, code=code, name=code, weight=1,
                                               rule={"kind": "yes_no"})
                for n, code in enumerate(("A11", "A12"), start=1)}
        OldJudgment = old.get_model("rubrics", "Judgment")
        judgments = {code: OldJudgment.objects.create(indicator=row, inputs={"yes": True}) for code, row in rows.items()}
        OldEvidence = old.get_model("rubrics", "Evidence")
        for code, title in (("A12", "甲"), ("A11", "乙"), ("A12", "丙")):
            OldEvidence.objects.create(judgment=judgments[code], file=f"evidence/{title}.pdf", title=title)

        migrate()

        assert {(e.indicator.code, e.number, e.title) for e in Evidence.objects.all()} == {
            ("A12", 1, "甲"), ("A11", 1, "乙"), ("A12", 2, "丙")
        }
        assert set(Judgment.objects.values_list("revision", flat=True)) == {1}
        budget = BudgetFigures.objects.get(evaluation_id=evaluation.pk)
        assert budget.history.count() == 1  # the baseline, which shows nothing
        assert budget_history(budget.evaluation) == []
        budget.personnel_final = Decimal("120.00")
        budget.save()
        [change] = budget_history(budget.evaluation)
        assert [(f.label, f.old, f.new) for f in change.fields] == [("人员经费·决算数", "100.00", "120.00")]
    finally:
        migrate()

