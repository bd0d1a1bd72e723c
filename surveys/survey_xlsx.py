"""Survey workbooks: respondent rows read in, the respondent template and the 附件2 tables written out.

Reading checks the file itself here (empty, not an XLSX, unreadable) and
leaves the counting to :mod:`surveys.tally`; every problem names its place.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evalsite.lib.numbers import round_half_up
from evalsite.lib.open_xlsx import open_workbook
from surveys.results import SurveyResult, SurveySpec, letter
from surveys.tally import Problem, SurveyImportError, Tally, tally_rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
        raise SurveyImportError([Problem(workbook.worksheets[0].title, None, None, "工作表没有内容：第一行应为各题题目，其后每行一份答卷")])
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
# Writing

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
PERCENT_FORMAT = "0.00%"
VALIDATION_ROWS = 2000


def _put(sheet, row: int, column: int, value, *, bold=False, number_format=None, align=CENTER):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.border = BORDER
    cell.alignment = align
    if bold:
        cell.font = BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_respondent_template(spec: SurveySpec) -> bytes:
    """A sheet to type paper answers into: 序号, then one column per question with a drop-down of its options."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "答卷"
    _put(sheet, 1, 1, "序号", bold=True)
    sheet.column_dimensions["A"].width = 8
    for number, question in enumerate(spec.questions, start=1):
        column = number + 1
        _put(sheet, 1, column, f"{number}、{question.title}", bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = 22
        labels = [option.label for option in question.options]
        formula = '"' + ",".join(labels) + '"'
        if labels and len(formula) <= 255 and not any("," in label or '"' in label for label in labels):
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.error = f"请从第{number}题的选项中选择"
            validation.errorTitle = "不是选项"
            sheet.add_data_validation(validation)
            column_name = get_column_letter(column)
            validation.add(f"{column_name}2:{column_name}{VALIDATION_ROWS}")
    sheet.row_dimensions[1].height = 60
    sheet.freeze_panes = "B2"
    guide = workbook.create_sheet("选项说明")
    for column, label in enumerate(["题号", "题目", "选项", "计入满意度"], start=1):
        _put(guide, 1, column, label, bold=True)
    for number, question in enumerate(spec.questions, start=1):
        options = "、".join(f"{letter(i)}.{o.label}" for i, o in enumerate(question.options))
        for column, value in enumerate([number, question.title, options, "是" if question.counted else "否"], start=1):
            _put(guide, number + 1, column, value, align=LEFT if column in (2, 3) else CENTER)
    for column, width in zip("ABCD", (6, 50, 50, 10), strict=True):
        guide.column_dimensions[column].width = width
    return _save(workbook)


def _rate_cell(value: Decimal | None):
    """A share as the cell's value: already rounded half up, so the cell holds what it shows."""
    return "-" if value is None else round_half_up(value) / 100


def write_annex_workbook(results: list[SurveyResult]) -> bytes:
    """附件2 绩效评价调查问卷结果分析: per questionnaire a sheet, per question options, 比率, 份数, 合计."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, result in enumerate(results, start=1):
        name = (result.group or f"问卷{index}")[:28]
        sheet = workbook.create_sheet(name)
        _write_annex_sheet(sheet, result)
    if not results:
        workbook.create_sheet("附件2").cell(1, 1, "本项目没有满意度问卷。")
    return _save(workbook)


def _write_annex_sheet(sheet, result: SurveyResult) -> None:
    width = max([len(q.options) for q in result.questions] + [2]) + 2
    sheet.cell(1, 1, "绩效评价调查问卷结果分析").font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = CENTER
    sheet.cell(2, 1, f"（{result.title or result.group + '满意度调查'}）").alignment = CENTER
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    row = 4
    for question in result.questions:
        sheet.cell(row, 1, question.heading).font = BOLD
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row, 1).alignment = LEFT
        row += 1
        _put(sheet, row, 1, "项 目", bold=True)
        _put(sheet, row + 1, 1, "比率", bold=True)
        _put(sheet, row + 2, 1, "份数", bold=True)
        for column, option in enumerate(question.options, start=2):
            _put(sheet, row, column, option.heading, bold=True)
            _put(sheet, row + 1, column, _rate_cell(option.share), number_format=PERCENT_FORMAT)
            _put(sheet, row + 2, column, option.count)
        total_column = len(question.options) + 2
        _put(sheet, row, total_column, "合 计", bold=True)
        _put(sheet, row + 1, total_column, _rate_cell(Decimal(100) if question.total else None), number_format=PERCENT_FORMAT)
        _put(sheet, row + 2, total_column, question.total)
        row += 3
        if question.counted:
            sheet.cell(row, 1, f"本题满意度（{result.method_label}）：{question.satisfaction_text}")
            row += 1
        row += 1
    sheet.cell(row, 1, f"综合满意度：{result.composite_text}").font = BOLD
    sheet.cell(row + 1, 1, result.method_text).alignment = LEFT
    sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=width)
    sheet.row_dimensions[row + 1].height = 75
    sheet.column_dimensions["A"].width = 10
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
