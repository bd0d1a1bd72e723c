"""A multiple-choice question imported into the database, shown and printed with shares of its answers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.enums import TeamRole
from reports.queries import survey_part
from reports.survey_annex import survey_annex_blocks
from surveys.models import Question
from surveys.queries import result_of, with_questions
from tests.factories import EvaluationFactory, team
from tests.surveys.seed import workbook_bytes
from tests.surveys.test_platform_exports import multiple_rows

pytestmark = pytest.mark.django_db


def test_a_multiple_choice_export_creates_a_questionnaire_with_its_answers(client):
    evaluation = EvaluationFactory()
    client.force_login(team(evaluation)[TeamRole.STAFF])
    url = reverse("survey_import", args=[evaluation.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("答卷.xlsx", workbook_bytes(multiple_rows("columns"))),
                                "new_group": "企业和办事群众"})
    page = preview.content.decode()
    assert preview.status_code == 200
    token = page.split('name="token" value="')[1].split('"')[0]
    assert client.post(reverse("survey_import_confirm", args=[evaluation.pk]), {"token": token}).status_code == 302
    question = Question.objects.get(title="您通过哪些渠道了解办事指南？")
    assert (question.multiple, question.counted, question.answered) == (True, False, 5)
    questionnaire = with_questions(evaluation.questionnaires.all()).get()
    result = result_of(questionnaire)
    assert result.composite_text == "86.67%"  # the satisfaction question alone: (100+80+100+60+80+100) ÷ 6
    channels = result.questions[1]
    assert ([o.share_text for o in channels.options], channels.total) == (["60.00%", "40.00%", "40.00%", "20.00%"], 5)
    blocks = survey_annex_blocks(survey_part(evaluation), charts=False)
    texts = [run.text for block in blocks if getattr(block, "kind", "") == "paragraph" for run in block.runs]
    assert "2.您通过哪些渠道了解办事指南？（多选题，比率为选择该项的份数÷作答份数，不计入满意度）" in texts
    table = next(block for block in blocks if getattr(block, "kind", "") == "table" and "政务服务网" in str(block.texts()))
    assert table.texts()[-1][-1] == "5"
