"""Every bad file gives the exact Chinese message, naming sheet, row and column; nothing partial is returned."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook
from tests.indicator_xlsx.builders import VALID_ROWS, replace, small_rows, to_bytes


def problems(data: bytes, **options) -> list[str]:
    with pytest.raises(IndicatorImportError) as caught:
        read_indicator_workbook(data, **options)
    return [str(problem) for problem in caught.value.problems]


def test_the_valid_small_table_imports():
    imported = read_indicator_workbook(small_rows(*VALID_ROWS))
    assert [(n["code"], n["weight"]) for n in imported.system["indicators"]] == [("A", "60"), ("B", "40")]
    assert imported.judgments["B11"]["inputs"] == {"score": "38.5"}


class TestNotAWorkbook:
    def test_empty_bytes(self):
        assert problems(b"") == ["工作簿：文件是空的"]

    def test_not_a_zip(self):
        assert problems(b"\xd0\xcf\x11\xe0 an old .xls") == [
            "工作簿：文件不是有效的XLSX工作簿（旧版.xls或.csv等格式请在Excel中另存为.xlsx后再导入）"
        ]

    def test_a_word_document_renamed(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        assert problems(buffer.getvalue()) == [
            "工作簿：文件不是有效的XLSX工作簿：这是一个Word文档（.docx），请上传Excel文件"
        ]

    def test_some_other_zip(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        assert problems(buffer.getvalue()) == [
            "工作簿：文件不是有效的XLSX工作簿：无法读取其中的工作表，请在Excel中另存为.xlsx后再导入"
        ]

    def test_an_empty_sheet(self):
        assert problems(to_bytes(Workbook())) == ["工作表“Sheet”：工作表为空"]


class TestHeader:
    def test_no_header_row(self):
        workbook = Workbook()
        workbook.active.append(["部门整体支出绩效评价"])
        workbook.active.append(["一级", "二级", "分数"])
        assert problems(to_bytes(workbook)) == ["工作表“Sheet”：找不到表头行：应包含“三级指标”和“权重/分值”列"]

    def test_header_below_row_15_is_not_found(self):
        data = small_rows(*VALID_ROWS, above=[("说明",)] * 15)
        assert problems(data) == ["工作表“指标”：找不到表头行：应包含“三级指标”和“权重/分值”列"]

    def test_missing_weight_column(self):
        rows = [row[:4] + row[5:] for row in VALID_ROWS]
        data = small_rows(*rows, header=("序号", "一级指标", "二级指标", "三级指标", "评分标准", "得分"))
        assert problems(data) == ["工作表“指标”第1行：缺少“权重/分值”列"]

    def test_only_a_third_level_column(self):
        rows = [(row[0], row[3], row[4]) for row in VALID_ROWS]
        data = small_rows(*rows, header=("序号", "三级指标", "权重"))
        assert problems(data) == ["工作表“指标”第1行：缺少“一级指标”列"]


class TestCells:
    def test_weight_that_is_text(self):
        # header on row 3 (a title and a blank row above), the bad weight on row 7, column E
        rows = [*replace(replace(VALID_ROWS, 2, 4, 38), 2, 6, 38), (4, None, None, "B12 结转结余率", "两分", "", None)]
        data = small_rows(*rows, above=[("指标体系",), ()])
        assert problems(data) == ["工作表“指标”第7行E列：权重“两分”不是数字"]

    def test_weight_zero_for_a_normal_indicator(self):
        data = small_rows(*replace(VALID_ROWS, 1, 4, 0))
        assert "工作表“指标”第3行E列：权重必须大于0（现为0）" in problems(data)

    def test_negative_weight_for_a_normal_indicator(self):
        data = small_rows(*replace(VALID_ROWS, 1, 4, -20))
        assert problems(data) == ["工作表“指标”第3行E列：权重必须大于0（现为-20）"]

    def test_missing_weight(self):
        data = small_rows(*replace(VALID_ROWS, 2, 4, None))
        assert problems(data) == ["工作表“指标”第4行E列：缺少权重"]

    def test_score_that_is_text(self):
        data = small_rows(*replace(VALID_ROWS, 0, 6, "满分"))
        assert problems(data) == ["工作表“指标”第2行G列：得分“满分”不是数字"]

    def test_score_above_the_weight(self):
        data = small_rows(*replace(VALID_ROWS, 1, 6, 25))
        assert problems(data) == ["工作表“指标”第3行G列：得分25超过权重20"]

    def test_negative_score(self):
        data = small_rows(*replace(VALID_ROWS, 1, 6, -1))
        assert problems(data) == ["工作表“指标”第3行G列：得分不能为负数（现为-1）"]

    def test_score_problems_are_warnings_when_importing_the_system_only(self):
        data = small_rows(*replace(replace(VALID_ROWS, 1, 6, 25), 0, 6, "满分"))
        imported = read_indicator_workbook(data, with_scores=False)
        assert [str(w) for w in imported.warnings] == [
            "工作表“指标”第2行G列：得分“满分”不是数字（得分未导入）",
            "工作表“指标”第3行G列：得分25超过权重20（得分未导入）",
            "工作表“指标”G列：以下三级指标未填写得分：A11、A12",
        ]
        assert list(imported.judgments) == ["B11"]

    def test_third_level_row_without_a_name(self):
        rows = [*VALID_ROWS[:2], (None, None, None, None, 5, "按完成情况评分", None), VALID_ROWS[2]]
        assert problems(small_rows(*rows)) == ["工作表“指标”第4行D列：缺少三级指标名称"]


class TestTree:
    def test_children_that_do_not_sum_to_the_weight_in_the_label(self):
        data = small_rows(*replace(replace(VALID_ROWS, 1, 4, 14), 1, 6, 14))
        found = problems(data)
        assert found == [
            "工作表“指标”第2行C列：A1目标设定（60）的下级权重合计为54，与标注的60不一致",
        ]

    def test_first_level_label_mismatch_names_the_parent_row(self):
        rows = replace(VALID_ROWS, 0, 1, "A部门决策（15）")
        rows = replace(rows, 0, 2, "A1目标设定")
        rows = replace(rows, 1, 4, 14)
        rows = replace(rows, 1, 6, 14)
        rows = replace(rows, 0, 4, 0.5)
        rows = replace(rows, 0, 6, 0.5)
        rows = replace(replace(replace(rows, 2, 1, "B过程（85）"), 2, 4, 85), 2, 6, 80)
        assert problems(small_rows(*rows)) == [
            "工作表“指标”第2行B列：A部门决策（15）的下级权重合计为14.5，与标注的15不一致"
        ]

    def test_first_level_weights_not_summing_to_100(self):
        rows = replace(replace(replace(VALID_ROWS, 2, 1, "B过程"), 2, 4, 35), 2, 6, 30)
        assert problems(small_rows(*rows)) == ["工作表“指标”第1行E列：一级指标权重合计为95，应为100"]

    def test_duplicate_codes(self):
        rows = replace(VALID_ROWS, 1, 3, "A11 绩效指标明确性")
        assert problems(small_rows(*rows)) == ["工作表“指标”第3行D列：编码A11重复（第2行已使用）"]

    def test_a_weight_with_three_decimals_is_placed_at_its_cell(self):
        rows = replace(replace(VALID_ROWS, 0, 4, Decimal("40.125")), 1, 4, Decimal("19.875"))
        rows = replace(replace(rows, 0, 6, None), 1, 6, None)
        assert problems(small_rows(*rows)) == [
            "工作表“指标”第2行E列：权重40.125超过两位小数",
            "工作表“指标”第3行E列：权重19.875超过两位小数",
        ]

    def test_every_problem_is_listed_and_nothing_is_returned(self):
        rows = replace(replace(VALID_ROWS, 0, 4, "四十"), 2, 6, "优")
        assert problems(small_rows(*rows)) == [
            "工作表“指标”第2行E列：权重“四十”不是数字",
            "工作表“指标”第4行G列：得分“优”不是数字",
        ]

    def test_a_row_before_any_first_level_label(self):
        rows = [(1, None, "A1目标设定", "A11 绩效目标合理性", 40, "", None), *VALID_ROWS]
        assert problems(small_rows(*rows))[0] == "工作表“指标”第2行B列：缺少一级指标"

    def test_a_new_first_level_without_its_second_level(self):
        rows = replace(VALID_ROWS, 2, 2, None)
        assert problems(small_rows(*rows)) == [
            "工作表“指标”第4行C列：缺少二级指标",
            "工作表“指标”第4行B列：一级指标“过程”下没有三级指标",
        ]

    def test_a_label_stating_two_weights(self):
        rows = [*VALID_ROWS, (4, "A投入（50）", "A2预算配置", "A21 在职人员控制率", 10, "", None)]
        found = problems(small_rows(*rows))
        assert found[0] == "工作表“指标”第5行B列：“A投入”标注的权重为50，与第2行标注的60不一致"
