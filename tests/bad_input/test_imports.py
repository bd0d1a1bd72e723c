"""Every import's nastiest files, through the pages people use: a clear message at preview, nothing saved, no 500.

Each file goes to its upload page (budget, indicator system of an evaluation,
template library, survey answers); a refused one lists the sheet, row and
column and leaves every table as it was; an accepted one is previewed with its
texts escaped, and the confirmation stores exactly what fits. Stale and forged
confirmations are refused with a message.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from evaluations.models import Project
from rubrics import services as rubric_services
from rubrics.models import Indicator, Judgment
from surveys.models import Option, Question
from tests.bad_input.conftest import NASTY_TEXT, UNESCAPED
from tests.bad_input.storage import changed_tables, overflowing, snapshot
from tests.zip_parts import rewrite_parts

pytestmark = pytest.mark.django_db

HTML = NASTY_TEXT["html"]
TEMPLATE = NASTY_TEXT["template"]


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cell_xml(data: bytes, old: bytes, new: bytes) -> bytes:
    """``data`` with one piece of its first sheet's XML replaced (values no spreadsheet program would write)."""

    def change(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        assert old in content
        return content.replace(old, new)

    return rewrite_parts(data, change)


def refused(client, url: str, data: bytes, extra: dict | None = None) -> list[str]:
    """Upload ``data`` to ``url``; it must be refused with nothing saved. The problems listed on the page."""
    before = snapshot()
    response = client.post(url, {"file": SimpleUploadedFile("导入.xlsx", data), **(extra or {})})
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    page = response.content.decode()
    assert "token" not in re.findall(r'name="(\w+)"', page), "a refused file must not be offered for confirmation"
    listed = page.split('data-testid="import-problems"', 1)[-1].split("</div>", 1)[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", listed, re.S)]


def preview(client, url: str, data: bytes, extra: dict | None = None) -> tuple[str, str]:
    """Upload ``data``; it must be previewed. (the page, its confirmation token)."""
    before = snapshot()
    response = client.post(url, {"file": SimpleUploadedFile("导入.xlsx", data), **(extra or {})})
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    page = response.content.decode()
    tokens = re.findall(r'name="token" value="([^"]+)"', page)
    assert len(tokens) == 1, page[-2000:]
    return page, tokens[0]


def assert_escaped(page: str) -> None:
    assert [raw for raw in UNESCAPED if raw in page] == []


# ---------------------------------------------------------------------------
# Budget

PROJECT_HEADER = ["项目名称", "年初预算数", "调整预算数", "决算数"]
BUDGET_CASES = {
    "a 5,000-character project name": (
        [["名" * 5000, 1, 1, 1]], "工作表“项目支出”第2行A列：项目名称内容过长（5,000字），最多200字"),
    "a negative amount": ([["信息化", -1, 1, 1]], "工作表“项目支出”第2行B列：“信息化”的年初预算数不能为负数（-1.00）"),
    "1e30": ([["信息化", 1e30, 1, 1]], "工作表“项目支出”第2行B列：“信息化”的年初预算数1E+30超出范围（万元金额最多12位整数）"),
    "NaN typed": ([["信息化", "NaN", 1, 1]], "工作表“项目支出”第2行B列：“信息化”的年初预算数“NaN”不是数字"),
    "text in a number cell": ([["信息化", "约一百万", 1, 1]], "工作表“项目支出”第2行B列：“信息化”的年初预算数“约一百万”不是数字"),
    "three decimals": ([["信息化", 1.234, 1, 1]], "工作表“项目支出”第2行B列：“信息化”的年初预算数1.234超过两位小数（金额以万元计，保留两位小数）"),
}


@pytest.mark.parametrize("case", BUDGET_CASES, ids=list(BUDGET_CASES))
def test_a_bad_budget_file_is_refused_at_preview_naming_the_cell(client, world, case):
    rows, message = BUDGET_CASES[case]
    client.force_login(world.staff)
    problems = refused(client, reverse("budget_import", args=[world.evaluation.pk]), xlsx(("项目支出", [PROJECT_HEADER, *rows])))
    assert message in problems


def test_an_economic_line_name_longer_than_its_column_is_refused(client, world):
    client.force_login(world.staff)
    data = xlsx(("表2-3", [["类别", "科目", "支出金额（万元）", "结构占比"], ["工资福利支出", "工" * 51, 10, None]]))
    problems = refused(client, reverse("budget_import", args=[world.evaluation.pk]), data)
    assert "工作表“表2-3”第2行B列：科目名称内容过长（51字），最多50字" in problems


def test_an_infinite_number_crafted_into_the_xml_is_refused_not_a_500(client, world):
    client.force_login(world.staff)
    data = with_cell_xml(xlsx(("项目支出", [PROJECT_HEADER, ["信息化", 7, 1, 1]])), b"<v>7</v>", b"<v>1E999</v>")
    problems = refused(client, reverse("budget_import", args=[world.evaluation.pk]), data)
    assert problems == ["工作表“项目支出”第2行B列：“信息化”的年初预算数“inf”不是数字"]


def test_full_width_digits_html_and_template_syntax_are_stored_as_typed(client, world):
    client.force_login(world.staff)
    url = reverse("budget_import", args=[world.evaluation.pk])
    data = xlsx(("项目支出", [PROJECT_HEADER, [HTML, "１２３.４５", "1,000.00", 2], [TEMPLATE, 1, 1, "１"]]))
    page, token = preview(client, url, data)
    assert_escaped(page)
    response = client.post(reverse("budget_import_confirm", args=[world.evaluation.pk]), {"token": token})
    assert response.status_code == 302
    stored = list(Project.objects.filter(evaluation=world.evaluation).values_list("name", "initial", "adjusted", "final"))
    assert [(name, str(a), str(b), str(c)) for name, a, b, c in stored] == [
        (HTML, "123.45", "1000.00", "2.00"), (TEMPLATE, "1.00", "1.00", "1.00")
    ]
    assert overflowing() == []
    assert_escaped(client.get(reverse("budget_detail", args=[world.evaluation.pk])).content.decode())


@pytest.mark.parametrize("token", ["", "forged", "a" * 5000])
def test_a_forged_confirmation_saves_nothing(client, world, token):
    client.force_login(world.lead)
    for name in ("budget_import_confirm", "rubric_import_confirm", "survey_import_confirm"):
        evaluation = world.empty if name == "rubric_import_confirm" else world.evaluation
        before = snapshot()
        response = client.post(reverse(name, args=[evaluation.pk]), {"token": token}, follow=True)
        assert response.status_code in (200, 403)
        assert changed_tables(before, snapshot()) == []


def test_a_preview_of_another_evaluation_is_refused(client, world):
    client.force_login(world.lead)
    _page, token = preview(client, reverse("budget_import", args=[world.evaluation.pk]),
                           xlsx(("项目支出", [PROJECT_HEADER, ["信息化", 1, 1, 1]])))
    before = snapshot()
    response = client.post(reverse("budget_import_confirm", args=[world.empty.pk]), {"token": token})
    assert response.status_code == 403
    assert "导入数据不属于本评价项目" in response.content.decode()
    assert changed_tables(before, snapshot()) == []


# ---------------------------------------------------------------------------
# Indicator systems

HEADER = ["一级指标", "二级指标", "三级指标", "权重", "指标解释", "评分标准", "评分过程", "得分"]


def system_rows(**change) -> list[list]:
    rows = [
        ["A决策（40）", "A1目标（40）", "A11目标合理性", 40, "目标是否合理", "符合得满分", "符合。", 40],
        ["B管理（60）", "B1执行（60）", "B11预算执行率", 60, "执行率", "按比例", "执行率95%。", 57],
    ]
    for (row, column), value in change.get("cells", {}).items():
        rows[row][column] = value
    return rows


INDICATOR_CASES = {
    "a 5,000-character indicator name": (
        {(0, 2): "A11" + "名" * 5000}, "工作表“指标”第2行C列：三级指标名称内容过长（5,000字），最多200字"),
    "a first level named at length": (
        {(0, 0): "A" + "决" * 300 + "（40）"}, "工作表“指标”第2行A列：一级指标名称内容过长（300字），最多200字"),
    "a weight of 0": ({(0, 3): 0}, "工作表“指标”第2行D列：权重必须大于0（现为0）"),
    "a weight of 1e30": ({(0, 3): 1e30}, "工作表“指标”第2行D列：权重1000000000000000000000000000000超出范围（最多5位整数）"),
    "NaN as a weight": ({(0, 3): "NaN"}, "工作表“指标”第2行D列：权重“NaN”不是数字"),
    "a 评分过程 of 25,000 characters": ({(0, 6): "过" * 25_000}, "工作表“指标”第2行G列：评分过程内容过长（25,000字），最多20,000字"),
    "a duplicate code": ({(1, 2): "A11预算执行率"}, "工作表“指标”第3行C列：编码A11重复（第2行已使用）"),
    "a weight with three decimals": (
        {(0, 3): 39.999, (1, 3): 60.001}, "工作表“指标”第2行D列：权重39.999超过两位小数"),
}


@pytest.mark.parametrize("case", INDICATOR_CASES, ids=list(INDICATOR_CASES))
def test_a_bad_indicator_file_is_refused_at_preview_naming_the_cell(client, world, case):
    cells, message = INDICATOR_CASES[case]
    client.force_login(world.lead)
    data = xlsx(("指标", [HEADER, *system_rows(cells=cells)]))
    problems = refused(client, reverse("rubric_import", args=[world.empty.pk]), data, {"with_scores": "on"})
    assert any(problem.startswith(message) for problem in problems), problems


def test_a_title_row_longer_than_a_template_name_is_refused(client, world):
    client.force_login(world.lead)
    data = xlsx(("指标", [["题" * 201], HEADER, *system_rows()]))
    problems = refused(client, reverse("system_import"), data)
    assert "工作表“指标”第1行A列：标题内容过长（201字），最多200字" in problems


def deep_tree(levels: int) -> list[dict]:
    node: dict = {"code": f"A{'1' * (levels - 1)}", "name": "最下级", "weight": "100", "rule": {"kind": "yes_no"}}
    for level in range(levels - 1, 0, -1):
        node = {"code": f"A{'1' * (level - 1)}", "name": f"第{level}级", "weight": "100", "children": [node]}
    return [node]


def test_a_ten_level_deep_tree_is_refused_everywhere(client, world):
    client.force_login(world.lead)
    before = snapshot()
    response = client.post(reverse("system_node_save", args=[world.system.pk]), {
        "adding_under": "A11", "code": "A111", "name": "第四级", "weight": "1", "kind": "normal",
        "rule_kind": "yes_no", "rule_params": "{}"})
    assert "三级指标下不能再添加下级指标。" in response.content.decode()
    with pytest.raises(ValidationError) as caught:
        rubric_services.save_system(world.evaluation.firm, slug="deep", name="十级", tree=deep_tree(10))
    assert any("层级" in message or "三级" in message for message in caught.value.messages), caught.value.messages
    with pytest.raises(ValidationError):
        rubric_services.copy_system_into(world.empty, deep_tree(10), source_name="十级")
    assert changed_tables(before, snapshot()) == []


def test_html_and_template_syntax_in_an_indicator_file_are_shown_as_text_and_stored_as_typed(client, world):
    client.force_login(world.lead)
    rows = system_rows(cells={(0, 4): HTML, (0, 5): TEMPLATE, (1, 6): HTML})
    page, token = preview(client, reverse("rubric_import", args=[world.empty.pk]), xlsx(("指标", [HEADER, *rows])),
                          {"with_scores": "on"})
    assert_escaped(page)
    response = client.post(reverse("rubric_import_confirm", args=[world.empty.pk]), {"token": token})
    assert response.status_code == 302
    leaf = Indicator.objects.get(evaluation=world.empty, code="A11")
    assert (leaf.explanation, leaf.criteria) == (HTML, TEMPLATE)
    assert Judgment.objects.get(indicator__evaluation=world.empty, indicator__code="B11").process == HTML
    for name in ("rubric_overview", "report_preview"):
        assert_escaped(client.get(reverse(name, args=[world.empty.pk])).content.decode())
    assert_escaped(client.get(reverse("judgment_edit", args=[world.empty.pk, "B11"])).content.decode())


# ---------------------------------------------------------------------------
# Survey answers


def answers(*rows: list) -> bytes:
    return xlsx(("答卷", [["序号", "您对服务是否满意", "您对环境是否满意"], *rows]))


def test_a_question_title_longer_than_its_column_is_refused(client, world):
    client.force_login(world.staff)
    data = xlsx(("答卷", [["序号", "问" * 301], [1, "满意"]]))
    problems = refused(client, reverse("survey_import", args=[world.evaluation.pk]), data, {"new_group": "窗口工作人员"})
    assert "工作表“答卷”第1行B列：题目内容过长（301字），最多300字" in problems


def test_an_answer_longer_than_an_option_is_refused(client, world):
    client.force_login(world.staff)
    data = answers([1, "满意", "满意"], [2, "答" * 101, "满意"])
    problems = refused(client, reverse("survey_import", args=[world.evaluation.pk]), data, {"new_group": "窗口工作人员"})
    assert "工作表“答卷”第3行B列：回答（作为第1题的选项）内容过长（101字），最多100字" in problems


def test_html_in_answers_is_stored_as_typed_and_shown_as_text(client, world):
    client.force_login(world.staff)
    url = reverse("survey_import", args=[world.evaluation.pk])
    page, token = preview(client, url, answers([1, HTML, TEMPLATE], [2, "满意", "一般般"]), {"new_group": "窗口工作人员"})
    assert_escaped(page)
    response = client.post(reverse("survey_import_confirm", args=[world.evaluation.pk]), {"token": token})
    assert response.status_code == 302
    labels = set(Option.objects.filter(question__questionnaire__group="窗口工作人员").values_list("label", flat=True))
    # "|" separates the choices of a multiple-choice answer (survey platforms' exports): the template text is read
    # as two choices, each stored as typed
    assert {HTML, *(part.strip() for part in TEMPLATE.split("|"))} <= labels
    assert Question.objects.filter(questionnaire__group="窗口工作人员").count() == 2
    assert overflowing() == []
    assert_escaped(client.get(response["Location"]).content.decode())
    annex = client.get(reverse("survey_annex_xlsx", args=[world.evaluation.pk]))
    assert annex.status_code == 200


# ---------------------------------------------------------------------------
# Evidence files and the score preview (not forms of a page: an upload, and htmx)


@pytest.mark.parametrize(("name", "title", "message"), [
    ("纪" * 101 + ".pdf", "纪要", "上传失败：确保该文件名长度不超过 100 字符(目前字符数 105)"),
    ("纪要.exe", "纪要", "不支持这种文件类型"),
    ("纪要.pdf", "说" * 201, "确保该变量包含不超过 200 字符"),
])
def test_a_bad_evidence_upload_is_refused_with_a_message(client, world, name, title, message):
    client.force_login(world.staff)
    before = snapshot()
    response = client.post(reverse("evidence_upload", args=[world.evaluation.pk, "A11"]),
                           {"file": SimpleUploadedFile(name, b"%PDF-1.4"), "title": title}, follow=True)
    assert message in response.content.decode()
    assert changed_tables(before, snapshot()) == []


def test_html_in_an_evidence_title_is_stored_as_typed_and_shown_as_text(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("evidence_upload", args=[world.evaluation.pk, "A11"]),
                           {"file": SimpleUploadedFile("纪" * 96 + ".pdf", b"%PDF-1.4"), "title": HTML}, follow=True)
    assert response.status_code == 200
    assert_escaped(response.content.decode())
    assert overflowing() == []


@pytest.mark.parametrize("value", ["-1", "1e30", "NaN", "１２３", "abc", "99999999999999999999", "inf"])
def test_the_score_preview_answers_nasty_numbers_with_a_message(client, world, value):
    client.force_login(world.staff)
    before = snapshot()
    response = client.post(reverse("judgment_preview", args=[world.evaluation.pk, "B11"]),
                           {"applicable": "on", "rate": value, "override_score": value, "override_reason": HTML})
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    assert_escaped(response.content.decode())
