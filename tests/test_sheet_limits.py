"""A tiny file that declares a huge sheet is refused at once by every importer, naming the sheet."""

import io

import pytest
from openpyxl import Workbook

from evaluations.budget_xlsx import BudgetImportError, parse_budget_workbook
from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook
from surveys.survey_xlsx import read_responses
from surveys.tally import SurveyImportError


def sparse_giant() -> bytes:
    workbook = Workbook()
    workbook.active.title = "答卷"
    workbook.active["A1"] = "序号"
    workbook.active.cell(row=20000, column=500, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("read", "error"),
    [
        (parse_budget_workbook, BudgetImportError),
        (read_indicator_workbook, IndicatorImportError),
        (lambda data: read_responses(data, None), SurveyImportError),
    ],
    ids=["budget", "indicators", "survey"],
)
def test_a_sparse_giant_sheet_is_refused_quickly(read, error):
    data = sparse_giant()
    assert len(data) < 10_000
    with pytest.raises(error) as caught:
        read(data)
    assert [str(p) for p in caught.value.problems] == [
        "工作表“答卷”：工作表过大（20000行×500列），超过300,000个单元格；请删除表格之外多余的行和列后再导入"
    ]
