"""Importing respondent rows: files refused with their place named, preview then confirm, nothing saved on error."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from evaluations.enums import TeamRole
from surveys import services
from surveys.models import Questionnaire
from surveys.queries import result_of, with_questions
from surveys.results import summary_dict
from surveys.survey_xlsx import read_responses
from surveys.tally import SurveyImportError
from tests.factories import EvaluationFactory, team
from tests.surveys.helpers import counts_of, docx_bytes, snapshot
from tests.surveys.seed import PUBLIC, STAFF, export_rows, export_workbook, workbook_bytes

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def problems_of(data, existing=None):
    with pytest.raises(SurveyImportError) as caught:
        read_responses(data, existing)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "工作簿：文件是空的"),
        ("序号,您对大厅是否满意\n1,满意\n".encode(), "工作簿：文件不是有效的XLSX工作簿（旧版.xls或.csv等格式请在Excel中另存为.xlsx后再导入）"),
        (None, "工作簿：文件不是有效的XLSX工作簿：这是一个Word文档（.docx），请上传Excel文件"),
        (workbook_bytes([]), "工作表“Sheet1”：工作表没有内容：第一行应为各题题目，其后每行一份答卷"),
    ],
    ids=["empty", "csv", "docx", "blank-sheet"],
)
def test_files_that_are_no_respondent_workbook_are_refused(data, expected):
    assert problems_of(docx_bytes() if data is None else data) == [expected]


def test_only_the_first_filled_sheet_is_read():
    workbook = Workbook()
    workbook.active.title = "答卷"
    for row in export_rows(STAFF):
        workbook.active.append(row)
    workbook.create_sheet("统计").append(["合计", 55])
    buffer = io.BytesIO()
    workbook.save(buffer)

    tally = read_responses(buffer.getvalue())

    assert tally.sheet == "答卷"
    assert tally.warnings[0] == "文件有2个工作表，只读取了第一个（“答卷”）"


# --------------------------------------------------------------------------
# Through the pages


@pytest.fixture
def staff_client(client):
    def login(evaluation):
        client.force_login(team(evaluation)[TeamRole.STAFF])
        return client

    return login


def upload(client, evaluation, data, *, name="答卷.xlsx", questionnaire=None, new_group=""):
    return client.post(
        reverse("survey_import", args=[evaluation.pk]),
        {
            "questionnaire": questionnaire.pk if questionnaire else "",
            "new_group": new_group,
            "file": SimpleUploadedFile(name, data, content_type=XLSX),
        },
    )


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_a_good_file_of_78_rows_previews_then_confirms_equal_to_the_counts(staff_client):
    evaluation = EvaluationFactory()
    counted = services.load_demo_surveys(EvaluationFactory())[0]
    empty = services.copy_builtin(evaluation, "public-service")
    client = staff_client(evaluation)
    before = snapshot()

    preview = upload(client, evaluation, export_workbook(PUBLIC), questionnaire=empty)

    assert preview.status_code == 200
    assert "确认导入" in preview.content.decode()
    assert preview.context["result"].composite_text == "90.43%"
    assert snapshot() == before  # the preview saves nothing
    response = client.post(reverse("survey_import_confirm", args=[evaluation.pk]), {"token": token_of(preview)})
    assert response.status_code == 302
    stored = with_questions(Questionnaire.objects.filter(pk=empty.pk)).get()
    expected = with_questions(Questionnaire.objects.filter(pk=counted.pk)).get()
    assert counts_of(stored) == counts_of(expected)
    assert summary_dict(result_of(stored)) == summary_dict(result_of(expected))
    assert stored.source.startswith("导入：答卷.xlsx（78份答卷，")


def test_an_unknown_option_is_named_with_row_and_column_and_nothing_is_saved(staff_client):
    evaluation = EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "public-service")
    rows = export_rows(PUBLIC)
    rows[10][12] = "挺好的"
    client = staff_client(evaluation)
    before = snapshot()

    response = upload(client, evaluation, workbook_bytes(rows), questionnaire=questionnaire)

    assert response.status_code == 200
    assert response.context["problems"] == [
        "工作表“Sheet1”第11行M列：“挺好的”不是第11题的选项（可选：A.很满意、B.满意、C.一般、D.不满意、E.很不满意）"
    ]
    assert "未导入任何数据" in response.content.decode()
    assert snapshot() == before


def test_a_missing_column_is_named_and_nothing_is_saved(staff_client):
    evaluation = EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "hall-staff")
    rows = [row[:-1] for row in export_rows(STAFF)]
    client = staff_client(evaluation)
    before = snapshot()

    response = upload(client, evaluation, workbook_bytes(rows), questionnaire=questionnaire)

    assert response.context["problems"] == [
        "工作表“Sheet1”第1行：缺少第6题“您对与大数据局的沟通交流以及协作配合的满意程度?”的列"
    ]
    assert snapshot() == before


def test_an_empty_upload_is_refused_and_nothing_is_saved(staff_client):
    evaluation = EvaluationFactory()
    services.copy_builtin(evaluation, "hall-staff")
    client = staff_client(evaluation)
    before = snapshot()

    response = upload(client, evaluation, b"", name="空.xlsx", new_group="新对象")

    assert response.context["form"].errors["file"] == ["文件是空的，请选择问卷平台导出的Excel文件。"]
    assert "文件是空的" in response.content.decode()
    assert snapshot() == before


def test_a_word_document_renamed_xlsx_is_refused_and_nothing_is_saved(staff_client):
    evaluation = EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "hall-staff")
    client = staff_client(evaluation)
    before = snapshot()

    response = upload(client, evaluation, docx_bytes(), name="报告.xlsx", questionnaire=questionnaire)

    assert response.context["problems"] == [
        "工作簿：文件不是有效的XLSX工作簿：这是一个Word文档（.docx），请上传Excel文件"
    ]
    assert snapshot() == before


def test_a_file_that_is_not_xlsx_by_name_is_refused_by_the_form(staff_client):
    evaluation = EvaluationFactory()
    client = staff_client(evaluation)

    response = upload(client, evaluation, docx_bytes(), name="问卷.docx", new_group="群众")

    assert response.context["form"].errors["file"] == ["请上传.xlsx格式的Excel文件（.xls或.csv请先在Excel中另存为.xlsx）。"]
    assert not Questionnaire.objects.exists()


def test_an_import_can_create_the_questionnaire(staff_client):
    evaluation = EvaluationFactory()
    client = staff_client(evaluation)

    preview = upload(client, evaluation, export_workbook(PUBLIC), new_group=PUBLIC)

    assert "将<strong>新建</strong>“企业和办事群众”问卷" in preview.content.decode()
    assert not Questionnaire.objects.exists()
    client.post(reverse("survey_import_confirm", args=[evaluation.pk]), {"token": token_of(preview)})
    questionnaire = with_questions(Questionnaire.objects.filter(evaluation=evaluation, group=PUBLIC)).get()
    assert result_of(questionnaire).composite_text == "90.43%"


def test_a_new_group_name_that_exists_imports_into_that_questionnaire(staff_client):
    evaluation = EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "hall-staff")
    client = staff_client(evaluation)

    preview = upload(client, evaluation, export_workbook(STAFF), new_group=STAFF)

    assert preview.context["target"] == questionnaire


def test_a_tampered_token_is_refused_and_nothing_is_saved(staff_client):
    evaluation = EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "hall-staff")
    client = staff_client(evaluation)
    token = token_of(upload(client, evaluation, export_workbook(STAFF), questionnaire=questionnaire))
    before = snapshot()

    response = client.post(reverse("survey_import_confirm", args=[evaluation.pk]), {"token": token[:-2] + "xx"}, follow=True)

    assert "导入预览已失效或被修改" in response.content.decode()
    assert snapshot() == before


def test_a_token_of_another_evaluation_is_refused(staff_client):
    evaluation, other = EvaluationFactory(), EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "hall-staff")
    client = staff_client(evaluation)
    token = token_of(upload(client, evaluation, export_workbook(STAFF), questionnaire=questionnaire))
    client.force_login(team(other)[TeamRole.STAFF])
    before = snapshot()

    response = client.post(reverse("survey_import_confirm", args=[other.pk]), {"token": token})

    assert response.status_code == 403
    assert snapshot() == before


def test_the_preview_page_lists_warnings(staff_client):
    evaluation = EvaluationFactory()
    questionnaire = services.copy_builtin(evaluation, "hall-staff")
    rows = export_rows(STAFF)
    rows[5][3] = "(跳过)"
    client = staff_client(evaluation)

    response = upload(client, evaluation, workbook_bytes(rows), questionnaire=questionnaire)

    assert "第2题有1份答卷未作答（不计入该题）" in response.content.decode()
