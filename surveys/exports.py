"""The files this layer renders for download (see :mod:`evalsite.exports`).

附件2 is not here: its download is the report's own annex (``reports.exports``).
"""

from __future__ import annotations

from evalsite.exports import Exporter
from surveys.models import Questionnaire
from surveys.queries import spec_of


class RespondentSheet(Exporter):
    """A blank sheet to type paper answers into (the import format), with a drop-down per question."""

    identifier = "respondent-xlsx"
    extension = "xlsx"

    def name(self, questionnaire: Questionnaire) -> str:
        return f"{questionnaire.display_title}答卷录入表"

    def render(self, questionnaire: Questionnaire) -> bytes:
        from surveys.survey_xlsx import write_respondent_template

        return write_respondent_template(spec_of(questionnaire))


RESPONDENT_SHEET = RespondentSheet()
