"""The indicator import preview shows how the file was understood, and a wrong column guess is corrected in place.

The correction is posted with the source token (the file itself, signed), read
again, and the confirm token carries what the corrected reading found: it is
applied once, like every preview.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from evaluations.enums import TeamRole
from rubrics.models import Judgment
from rubrics.queries import evaluation_result
from tests.factories import EvaluationFactory, team
from tests.indicator_xlsx.builders import seed_002_workbook, small_rows, to_bytes

pytestmark = pytest.mark.django_db

# 评分 holds the scoring rule in words, 得分 the score: the reader takes 评分 for the score (a common wording) and fails.
HEADER = ("一级指标", "二级指标", "三级指标", "分值", "评分", "得分")
ROWS = (
    ("A投入（60分）", "A1目标设定", "A11 绩效目标合理性", 40, "符合得满分，不符合不得分", 36),
    (None, None, "A12 绩效指标明确性", 20, "每有一处不明确扣5分", 15),
    ("B过程（40分）", "B1预算执行", "B11 预算执行率", 40, "执行率×分值", 38.5),
)


@pytest.fixture
def evaluation():
    return EvaluationFactory()


@pytest.fixture
def lead_client(client, evaluation):
    client.force_login(team(evaluation)[TeamRole.LEAD])
    return client


def upload(client, evaluation, data: bytes, **extra):
    url = reverse("rubric_import", args=[evaluation.pk])
    return client.post(url, {"file": SimpleUploadedFile("指标.xlsx", data), "with_scores": "on", **extra})


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def mapping(page: str) -> dict[str, str]:
    """Column letter → the option selected in its 读作 drop-down."""
    found = {}
    for letter, select in re.findall(r'<tr data-column="([A-Z]+)">(.*?)</tr>', page, re.S):
        found[letter] = re.search(r'<option value="[^"]*" selected>([^<]*)</option>', select).group(1)
    return found


def test_a_wrong_guess_fails_with_the_mapping_shown(lead_client, evaluation):
    page = upload(lead_client, evaluation, small_rows(*ROWS, header=HEADER)).content.decode()
    assert "得分“符合得满分，不符合不得分”不是数字" in page
    assert mapping(page) == {"A": "一级指标", "B": "二级指标", "C": "三级指标", "D": "权重/分值", "E": "得分", "F": "不导入"}
    assert 'data-testid="column-correction"' in page


def test_the_corrected_columns_are_read_and_confirmed(lead_client, evaluation):
    url = reverse("rubric_import", args=[evaluation.pk])
    failed = upload(lead_client, evaluation, small_rows(*ROWS, header=HEADER)).content.decode()
    columns = {"col_1": "level1", "col_2": "level2", "col_3": "level3", "col_4": "weight", "col_5": "criteria", "col_6": "score"}
    preview = lead_client.post(url, {"source": hidden(failed, "source"), "sheet": "指标", "sheet_read": "指标", **columns})
    page = preview.content.decode()
    assert 'data-testid="preview-total">89.50<' in page
    assert mapping(page)["E"] == "评分标准"
    assert "已按您选择的列读取" in page
    confirm = lead_client.post(reverse("rubric_import_confirm", args=[evaluation.pk]), {"token": hidden(page, "token")})
    assert confirm.status_code == 302
    assert evaluation_result(evaluation).result.total == 89.5
    assert evaluation.indicators.get(code="A12").criteria == "每有一处不明确扣5分"
    assert Judgment.objects.get(indicator__code="A12").inputs == {"score": "15"}


def test_the_same_kind_chosen_for_two_columns_is_refused(lead_client, evaluation):
    url = reverse("rubric_import", args=[evaluation.pk])
    failed = upload(lead_client, evaluation, small_rows(*ROWS, header=HEADER)).content.decode()
    columns = {"col_1": "level1", "col_2": "level2", "col_3": "level3", "col_4": "weight", "col_5": "score", "col_6": "score"}
    page = lead_client.post(url, {"source": hidden(failed, "source"), "sheet": "指标", "sheet_read": "指标", **columns})
    assert "E列和F列都选了“得分”，每种只能选一列" in page.content.decode()
    assert not evaluation.indicators.exists()


def test_the_preview_shows_columns_skipped_rows_and_weights_per_level(lead_client, evaluation):
    page = upload(lead_client, evaluation, to_bytes(seed_002_workbook())).content.decode()
    assert mapping(page) == {
        "A": "一级指标", "B": "二级指标", "C": "三级指标", "D": "权重/分值", "E": "指标解释", "F": "评分标准", "G": "得分",
        "H": "得分率",
    }
    skipped = re.search(r'data-testid="skipped-rows".*?</details>', page, re.S).group(0)
    assert "第1行</td><td class=\"text-nowrap\">表头上方的标题或说明" in skipped
    assert "第4行</td><td class=\"text-nowrap\">表头" in skipped
    assert "合计行（只用于核对，不导入）" in skipped
    levels = re.search(r'data-testid="level-weights".*?</table>', page, re.S).group(0)
    assert "✓ 合计100分" in levels
    assert "“权重/分值”列（D列）" in levels


def test_another_sheet_is_chosen_in_the_preview(lead_client, evaluation):
    book = Workbook()
    first = book.active
    first.title = "模板"
    for row in ((HEADER[:4]), ("A投入（100）", "A1目标", "A11 目标", 100)):
        first.append(row)
    second = book.create_sheet("2022年评分")
    for row in (("一级指标", "二级指标", "三级指标", "分值", "得分"), ("A投入（100）", "A1目标", "A11 目标", 100, 92)):
        second.append(row)
    page = upload(lead_client, evaluation, to_bytes(book)).content.decode()
    assert 'data-testid="sheet-choice"' in page
    assert "工作表“模板”" in page
    again = lead_client.post(
        reverse("rubric_import", args=[evaluation.pk]), {"source": hidden(page, "source"), "sheet": "2022年评分"}
    ).content.decode()
    assert "工作表“2022年评分”" in again
    assert 'data-testid="preview-total">92.00<' in again


def test_a_source_token_of_another_evaluation_is_refused(lead_client, evaluation, client):
    other = EvaluationFactory(firm=evaluation.firm)
    page = upload(lead_client, evaluation, small_rows(*ROWS, header=HEADER)).content.decode()
    client.force_login(team(other)[TeamRole.LEAD])
    answer = client.post(reverse("rubric_import", args=[other.pk]), {"source": hidden(page, "source"), "sheet": "指标"})
    assert answer.status_code == 403
