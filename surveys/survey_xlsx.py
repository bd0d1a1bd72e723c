"""Survey workbooks: respondent rows read in, the respondent template written out.

Reading checks the file itself here (empty, not an XLSX, unreadable) and
leaves the counting to :mod:`surveys.tally`; every problem names its place.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evalsite.lib import write_xlsx
from evalsite.lib.open_xlsx import open_workbook
from surveys.results import SurveySpec, letter
from surveys.tally import SheetProblem, SurveyImportError, Tally, tally_rows

# ---------------------------------------------------------------------------
# Reading


def read_responses(data: bytes, existing: SurveySpec | None = None) -> Tally:
    """Count the respondent rows of the workbook's first non-empty sheet.

    ``existing`` is the questionnaire the answers go into; ``None`` infers a
    new questionnaire from the file. Raise :class:`SurveyImportError`.
    """
    workbook = open_workbook(data, SurveyImportError)
    filled = [sheet for sheet in workbook.worksheets if sheet.max_row > 1 or sheet.cell(1, 1).value is not None]
    if not filled:
        raise SurveyImportError([SheetProblem(workbook.worksheets[0].title, None, None, "工作表没有内容：第一行应为各题题目，其后每行一份答卷")])
    sheet = filled[0]
    rows = [
        list(row)
        for row in sheet.iter_rows(min_row=1, min_col=1, max_row=sheet.max_row, max_col=sheet.max_column, values_only=True)
    ]
    tally = tally_rows(sheet.title, rows, existing)
    if len(filled) > 1:
        tally.warnings.insert(0, f"文件有{len(filled)}个工作表，只读取了第一个（“{sheet.title}”）")
    return tally


# ---------------------------------------------------------------------------
# Writing (附件2 is the report's own annex: ``reports.survey_annex``)

VALIDATION_ROWS = 2000


def write_respondent_template(spec: SurveySpec) -> bytes:
    """A sheet to type paper answers into: 序号, then one column per question with a drop-down of its options."""
    workbook = write_xlsx.new_workbook()
    sheet = workbook.create_sheet("答卷")
    write_xlsx.put(sheet, 1, 1, "序号", header=True)
    for number, question in enumerate(spec.questions, start=1):
        column = number + 1
        write_xlsx.put(sheet, 1, column, f"{number}、{question.title}", header=True)
        labels = [option.label for option in question.options]
        formula = '"' + ",".join(labels) + '"'
        if labels and len(formula) <= 255 and not any("," in label or '"' in label for label in labels):
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.error = f"请从第{number}题的选项中选择"
            validation.errorTitle = "不是选项"
            sheet.add_data_validation(validation)
            column_name = get_column_letter(column)
            validation.add(f"{column_name}2:{column_name}{VALIDATION_ROWS}")
    write_xlsx.set_widths(sheet, [8] + [22] * len(spec.questions))
    sheet.row_dimensions[1].height = 60
    sheet.freeze_panes = "B2"
    guide = workbook.create_sheet("选项说明")
    for column, label in enumerate(["题号", "题目", "选项", "计入满意度"], start=1):
        write_xlsx.put(guide, 1, column, label, header=True)
    for number, question in enumerate(spec.questions, start=1):
        options = "、".join(f"{letter(i)}.{o.label}" for i, o in enumerate(question.options))
        for column, value in enumerate([number, question.title, options, "是" if question.counted else "否"], start=1):
            write_xlsx.put(guide, number + 1, column, value, align="left" if column in (2, 3) else "center")
    write_xlsx.set_widths(guide, [6, 50, 50, 10])
    return write_xlsx.save(workbook)
