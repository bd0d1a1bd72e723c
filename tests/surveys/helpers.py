"""Database helpers for the survey tests: a snapshot to prove nothing was saved, ready questionnaires."""

from __future__ import annotations

import io

from surveys.models import Option, Question, Questionnaire


def snapshot() -> tuple:
    """Everything the survey tables hold, to compare before and after a refused write."""
    return (
        list(Questionnaire.objects.order_by("pk").values_list(
            "pk", "group", "title", "method", "aggregation", "issued", "returned", "valid", "source")),
        list(Question.objects.order_by("pk").values_list("pk", "questionnaire_id", "position", "title", "counted")),
        list(Option.objects.order_by("pk").values_list("pk", "question_id", "position", "label", "weight", "excluded", "count")),
    )


def counts_of(questionnaire: Questionnaire) -> list[list[int]]:
    return [
        list(question.options.order_by("position").values_list("count", flat=True))
        for question in questionnaire.questions.order_by("position")
    ]


def docx_bytes() -> bytes:
    """A real Word document, to be uploaded under an .xlsx name."""
    import docx

    document = docx.Document()
    document.add_paragraph("满意度调查问卷")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

