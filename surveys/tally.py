"""Respondent rows counted into a questionnaire's option counts: pure Python, no Django.

The input is what an online survey tool exports "按选项文本": a header row of
question titles (perhaps after a 序号 and a time column), then one row per
respondent holding the chosen option's text in each question's column.

* Into an existing questionnaire: every question must have its column (matched
  by title, numbering and final punctuation ignored) and every answer must be
  one of that question's options (an ``A.`` letter prefix and spacing ignored).
* For a new questionnaire: the questions are the header's columns; each
  question's options are its distinct answers, ordered and weighted by the
  standard five-level scale when all are scale words (then it counts toward
  satisfaction), otherwise in order of first appearance (then it does not
  count until someone says so).

Every problem names the sheet, the row and the column; a :class:`Tally` is
returned only when the whole sheet reads cleanly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from evalsite.lib.sheet_cells import cell_text
from evalsite.lib.sheet_problems import Problem, SheetImportError, column_letter
from evalsite.lib.text_limits import too_long
from surveys import limits, scale
from surveys.results import OptionSpec, QuestionSpec, SurveySpec, letter

#: More distinct answers than this in one column is not a single-choice question.
MAX_OPTIONS = limits.MAX_OPTIONS
#: Cells that mean "no answer" (a skipped question).
SKIPPED = {"", "(跳过)", "跳过", "(空)", "-", "—", "/", "未作答", "(未作答)"}
#: Header cells of columns that are not questions (export metadata), compared lower-case.
META_HEADERS = {
    "序号", "编号", "答卷编号", "答卷序号", "问卷编号", "id", "no", "no.", "提交答卷时间", "提交时间", "开始时间",
    "结束时间", "答题时间", "填写时间", "作答时间", "时间", "所用时间", "答题时长", "用时", "来源", "来源详情",
    "来自ip", "ip", "ip地址", "ip属地", "地区", "省份", "城市", "微信昵称", "昵称", "总分", "得分", "用户名",
    "用户id", "答题人", "提交人",
}


class SurveyImportError(SheetImportError):
    """Every problem of a workbook that could not be imported."""


@dataclass
class TalliedOption:
    label: str
    weight: Decimal
    excluded: bool = False
    count: int = 0


@dataclass
class TalliedQuestion:
    title: str
    column: int
    options: list[TalliedOption]
    counted: bool = True
    blanks: int = 0

    @property
    def total(self) -> int:
        return sum(option.count for option in self.options)


@dataclass
class Tally:
    """The counts read from a sheet, ready to preview and to store."""

    sheet: str
    respondents: int
    questions: list[TalliedQuestion]
    creates: bool  # the questions and options were inferred from the file
    warnings: list[str] = field(default_factory=list)

    def spec(self, group: str, *, method: str, aggregation: str, issued: int = 0, returned: int = 0, title: str = "") -> SurveySpec:
        """The questionnaire as it will be after the import (valid = respondents)."""
        valid = self.respondents
        returned = max(returned, valid)
        return SurveySpec(
            group=group,
            title=title,
            questions=tuple(
                QuestionSpec(
                    q.title,
                    tuple(OptionSpec(o.label, o.weight, o.count, o.excluded) for o in q.options),
                    q.counted,
                )
                for q in self.questions
            ),
            method=method,
            aggregation=aggregation,
            issued=max(issued, returned),
            returned=returned,
            valid=valid,
        )

    def to_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "respondents": self.respondents,
            "creates": self.creates,
            "warnings": list(self.warnings),
            "questions": [
                {
                    "title": q.title,
                    "column": q.column,
                    "counted": q.counted,
                    "blanks": q.blanks,
                    "options": [[o.label, str(o.weight), o.excluded, o.count] for o in q.options],
                }
                for q in self.questions
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> Tally:
        return cls(
            sheet=data["sheet"],
            respondents=data["respondents"],
            creates=data["creates"],
            warnings=list(data["warnings"]),
            questions=[
                TalliedQuestion(
                    title=q["title"],
                    column=q["column"],
                    counted=q["counted"],
                    blanks=q["blanks"],
                    options=[TalliedOption(label, Decimal(weight), excluded, count) for label, weight, excluded, count in q["options"]],
                )
                for q in data["questions"]
            ],
        )


def _is_meta(header: str) -> bool:
    return scale.plain(header).lower().rstrip(":") in META_HEADERS


def _is_number_like(value) -> bool:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return True
    return cell_text(value).isdigit()


class _Reader:
    def __init__(self, sheet: str, rows: list[list]):
        self.sheet = sheet
        self.rows = rows
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def problem(self, row: int | None, column: int | None, message: str) -> None:
        self.problems.append(Problem(self.sheet, row, column, message))

    def cell(self, row: int, column: int):
        values = self.rows[row - 1]
        return values[column - 1] if column - 1 < len(values) else None


def tally_rows(sheet: str, rows: list[list], existing: SurveySpec | None = None) -> Tally:
    """Count the respondent rows of one sheet; ``rows`` start at row 1, column A.

    Raise :class:`SurveyImportError` listing every problem; nothing is returned then.
    """
    reader = _Reader(sheet, [list(row) for row in rows])
    header_row = next((i for i, row in enumerate(reader.rows, start=1) if any(cell_text(v) for v in row)), None)
    if header_row is None:
        raise SurveyImportError([Problem(sheet, None, None, "工作表没有内容：第一行应为各题题目，其后每行一份答卷")])
    headers = {c: cell_text(v) for c, v in enumerate(reader.rows[header_row - 1], start=1)}
    candidates: dict[int, str] = {}
    for column, header in headers.items():
        if not header:
            if any(cell_text(reader.cell(r, column)) for r in range(header_row + 1, len(reader.rows) + 1)):
                reader.warnings.append(f"{column_letter(column)}列没有标题，已忽略")
        elif isinstance(reader.cell(header_row, column), datetime | date | time) or _is_meta(header):
            continue
        else:
            candidates[column] = header
    if existing is not None:
        questions = _map_columns(reader, header_row, candidates, existing)
    else:
        questions = [TalliedQuestion(scale.clean_title(h), c, []) for c, h in candidates.items()]
        for question in questions:
            if problem := too_long(question.title, limits.QUESTION):
                reader.problem(header_row, question.column, f"题目{problem}")
        if not questions:
            reader.problem(header_row, None, "没有找到题目列：第一行应为各题题目（可在前面保留序号、提交时间等列）")
    if reader.problems:
        raise SurveyImportError(reader.problems)
    data_rows = [
        r for r in range(header_row + 1, len(reader.rows) + 1)
        if any(cell_text(reader.cell(r, q.column)) not in SKIPPED for q in questions)
    ]
    if not data_rows:
        raise SurveyImportError([Problem(sheet, header_row + 1, None, "只有题目行，没有答卷：每份答卷应占一行")])
    if existing is None:
        _infer_options(reader, header_row, questions, data_rows)
        if reader.problems:
            raise SurveyImportError(reader.problems)
    _count(reader, questions, data_rows)
    if reader.problems:
        raise SurveyImportError(reader.problems)
    for number, question in enumerate(questions, start=1):
        if question.blanks:
            reader.warnings.append(f"第{number}题有{question.blanks}份答卷未作答（不计入该题）")
    return Tally(sheet, len(data_rows), questions, creates=existing is None, warnings=reader.warnings)


def _map_columns(reader: _Reader, header_row: int, candidates: dict[int, str], existing: SurveySpec) -> list[TalliedQuestion]:
    by_key = {scale.title_key(q.title): i for i, q in enumerate(existing.questions)}
    found: dict[int, int] = {}
    for column, header in candidates.items():
        index = by_key.get(scale.title_key(header))
        if index is None:
            reader.warnings.append(f"{column_letter(column)}列“{header}”不是问卷中的题目，已忽略")
        elif index in found:
            reader.problem(header_row, column, f"与{column_letter(found[index])}列重复，都是第{index + 1}题")
        else:
            found[index] = column
    for index, question in enumerate(existing.questions):
        if index not in found:
            reader.problem(header_row, None, f"缺少第{index + 1}题“{question.title}”的列")
    return [
        TalliedQuestion(
            question.title,
            found.get(index, 0),
            [TalliedOption(o.label, o.weight, o.excluded) for o in question.options],
            question.counted,
        )
        for index, question in enumerate(existing.questions)
    ]


def _infer_options(reader: _Reader, header_row: int, questions: list[TalliedQuestion], data_rows: list[int]) -> None:
    for question in questions:
        seen: dict[str, str] = {}
        for row in data_rows:
            value = cell_text(reader.cell(row, question.column))
            if value not in SKIPPED:
                key = scale.option_key(value)
                if key not in seen and (problem := too_long(scale.clean_label(value), limits.OPTION)):
                    reader.problem(row, question.column, f"回答（作为第{questions.index(question) + 1}题的选项）{problem}")
                seen.setdefault(key, scale.clean_label(value))
        if len(seen) > MAX_OPTIONS:
            reader.problem(
                header_row, question.column,
                f"“{question.title}”有{len(seen)}种不同的回答，不像单选题；如为填空题、时间或编号列，请删除该列后再导入",
            )
            continue
        recognised = scale.recognise(list(seen.values()))
        if recognised is None and len(seen) < 2:
            only = "、".join(f"“{label}”" for label in seen.values()) or "没有回答"
            reader.problem(
                header_row, question.column,
                f"“{question.title}”只有一种回答（{only}），无法由答卷确定它的选项；请先在系统中新建这份问卷（含全部选项）再导入",
            )
            continue
        if recognised is not None:
            question.options = [TalliedOption(o.label, o.weight, o.excluded) for o in recognised]
            question.counted = True
        else:
            question.options = [
                TalliedOption(label, scale.default_weight(i), scale.level_of(label) == len(scale.LEVEL_WORDS))
                for i, label in enumerate(seen.values())
            ]
            question.counted = False


def _count(reader: _Reader, questions: list[TalliedQuestion], data_rows: list[int]) -> None:
    for number, question in enumerate(questions, start=1):
        keys = {scale.option_key(o.label): o for o in question.options}
        choices = "、".join(f"{letter(i)}.{o.label}" for i, o in enumerate(question.options))
        for row in data_rows:
            raw = reader.cell(row, question.column)
            value = cell_text(raw)
            if value in SKIPPED:
                question.blanks += 1
                continue
            option = keys.get(scale.option_key(value))
            if option is None:
                hint = ""
                if _is_number_like(raw) and not any(_is_number_like(o.label) for o in question.options):
                    hint = "；文件似乎按选项序号导出，请在问卷平台选择“按选项文本”导出"
                reader.problem(row, question.column, f"“{value}”不是第{number}题的选项（可选：{choices}）{hint}")
                continue
            option.count += 1
