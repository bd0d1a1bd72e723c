"""The seeds' report texts for the demo evaluations (``demo/<name>_report.json``).

Loading replaces the evaluation's narrative (sections, 绩效目标申报表, problems
and suggestions) with the file's, so running it again changes nothing. Every
text goes through the same services as the edit pages: a placeholder the
evaluation does not know stops the load with its name.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from evaluations.models import Evaluation
from reports import services
from reports.models import Problem, Section, Suggestion
from reports.services import GoalLine


def read_report_file(name: str) -> dict:
    path = Path(settings.BASE_DIR) / "demo" / f"{name}_report.json"
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_demo_report(evaluation: Evaluation, name: str) -> None:
    data = read_report_file(name)
    Section.objects.filter(evaluation=evaluation).delete()
    Suggestion.objects.filter(evaluation=evaluation).delete()
    Problem.objects.filter(evaluation=evaluation).delete()
    for key, text in data.get("sections", {}).items():
        services.save_section(evaluation, key, "\n".join(text) if isinstance(text, list) else text)
    services.save_goals(evaluation, [GoalLine(*row) for row in data.get("goals", [])])
    indicators = {indicator.code: indicator for indicator in evaluation.indicators.all()}
    problems = []
    for item in data.get("problems", []):
        problems.append(
            services.save_problem(
                evaluation,
                title=item["title"],
                text="\n".join(item["text"]) if isinstance(item["text"], list) else item["text"],
                indicators=[indicators[code] for code in item.get("indicators", [])],
            )
        )
    for item in data.get("suggestions", []):
        number = item.get("problem")
        services.save_suggestion(
            evaluation,
            title=item["title"],
            text="\n".join(item["text"]) if isinstance(item["text"], list) else item["text"],
            problem=problems[number - 1] if number else None,
        )
