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

Exports "按选项序号" (answers written 1–5 or A–E) are read into an existing
questionnaire through its options' order. Multiple-choice questions come as
one cell per respondent holding every choice (``A┋C``, ``网站┋电视``) or as
one column per option (``3、渠道(网站)`` holding 1/0); they never count toward
satisfaction. The platforms' own columns (序号, 提交时间, 总分, 填写人信息…)
are skipped wherever they stand. A question whose answers are the five-level
scale but for a few other words stays a satisfaction question: the other
words are kept as options of their own (weight 0, out of the top-two
denominator) and the preview says so.

Every problem names the sheet, the row and the column; a :class:`Tally` is
returned only when the whole sheet reads cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from evalsite.lib.sheet_cells import cell_text
from evalsite.lib.sheet_problems import SheetImportError, SheetProblem, column_letter
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
    "用户id", "答题人", "提交人", "填写人信息", "填写人", "填写人姓名", "姓名", "手机", "手机号", "手机号码", "联系电话",
    "联系方式", "备注", "答题设备", "填写设备", "设备", "浏览器", "操作系统", "地理位置", "来源渠道", "自定义字段",
    "外部用户", "测评分数", "考试分数", "答题序号",
}
#: Separators of the options chosen in one cell of a multiple-choice answer (问卷星 writes “A┋C”).
MULTI_SEPARATORS = re.compile(r"[┋|｜]")
#: Cells of a one-column-per-option export that mean "chosen" or "not chosen".
CHOSEN = {"1", "√", "✓", "✔", "是", "选中", "已选", "已选择", "y", "yes", "true"}
NOT_CHOSEN = {"0", "否", "未选中", "未选", "未选择", "n", "no", "false"}
#: ``3、您通过哪些渠道了解(网站)`` / ``…:网站`` / ``…—网站``: one column of a multiple-choice question.
OPTION_COLUMN = re.compile(r"^(?P<title>.+?)\s*(?:[（(](?P<inner>[^（()）]+)[)）]|[:：—_|｜]\s*(?P<tail>[^:：—_|｜]+))\s*$")
TYPE_WORDS = {"单选题", "单选", "多选题", "多选", "必答题", "必答", "可多选", "多选题，最多选3项"}
#: An answer written as the option's number (1–20) or letter (A–T): an export "按选项序号".
CODE = re.compile(r"^(?:[1-9]|1[0-9]|20|[A-Ta-t])$")


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
    multiple: bool = False
    answered: int = 0  # a multiple-choice question's answers (at least one option chosen)
    option_columns: list[int] = field(default_factory=list)  # one column per option (a multiple-choice export)

    @property
    def total(self) -> int:
        return self.answered if self.multiple else sum(option.count for option in self.options)

    @property
    def columns(self) -> list[int]:
        return [column for column in self.option_columns if column] or [self.column]


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
                    q.counted and not q.multiple,
                    q.multiple,
                    q.answered if q.multiple else None,
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
                    "multiple": q.multiple,
                    "answered": q.answered,
                    "option_columns": list(q.option_columns),
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
                    multiple=q.get("multiple", False),
                    answered=q.get("answered", 0),
                    option_columns=list(q.get("option_columns") or []),
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
        self.problems: list[SheetProblem] = []
        self.warnings: list[str] = []

    def problem(self, row: int | None, column: int | None, message: str) -> None:
        self.problems.append(SheetProblem(self.sheet, row, column, message))

    def cell(self, row: int, column: int):
        values = self.rows[row - 1]
        return values[column - 1] if column - 1 < len(values) else None


@dataclass
class _Candidate:
    """A question as the header shows it: one column, or one column per option of a multiple-choice question."""

    header: str
    column: int
    option_columns: list[tuple[int, str]] = field(default_factory=list)  # (column, option label)


def _option_part(header: str) -> tuple[str, str] | None:
    """``3、渠道(网站)`` → (``3、渠道``, ``网站``); ``None`` when the header names no option (or only a type mark)."""
    match = OPTION_COLUMN.match(header.strip())
    if not match:
        return None
    option = (match.group("inner") or match.group("tail") or "").strip()
    if not option or scale.plain(option) in TYPE_WORDS:
        return None
    return match.group("title").strip(), option


def _candidates(headers: dict[int, str]) -> list[_Candidate]:
    """Question columns, consecutive columns naming the options of one question grouped together."""
    found: list[_Candidate] = []
    columns = sorted(headers)
    index = 0
    while index < len(columns):
        column = columns[index]
        part = _option_part(headers[column])
        group: list[tuple[int, str]] = []
        if part is not None:
            title = scale.title_key(part[0])
            following = index
            while following < len(columns) and columns[following] == column + (following - index):
                other = _option_part(headers[columns[following]])
                if other is None or scale.title_key(other[0]) != title:
                    break
                group.append((columns[following], other[1]))
                following += 1
        if len(group) >= 2:
            found.append(_Candidate(part[0], column, group))
            index += len(group)
        else:
            found.append(_Candidate(headers[column], column))
            index += 1
    return found


def tally_rows(sheet: str, rows: list[list], existing: SurveySpec | None = None) -> Tally:
    """Count the respondent rows of one sheet; ``rows`` start at row 1, column A.

    Raise :class:`SurveyImportError` listing every problem; nothing is returned then.
    """
    reader = _Reader(sheet, [list(row) for row in rows])
    header_row = next((i for i, row in enumerate(reader.rows, start=1) if any(cell_text(v) for v in row)), None)
    if header_row is None:
        raise SurveyImportError([SheetProblem(sheet, None, None, "工作表没有内容：第一行应为各题题目，其后每行一份答卷")])
    headers = {c: cell_text(v) for c, v in enumerate(reader.rows[header_row - 1], start=1)}
    named: dict[int, str] = {}
    for column, header in headers.items():
        if not header:
            if any(cell_text(reader.cell(r, column)) for r in range(header_row + 1, len(reader.rows) + 1)):
                reader.warnings.append(f"{column_letter(column)}列没有标题，已忽略")
        elif isinstance(reader.cell(header_row, column), datetime | date | time) or _is_meta(header):
            continue
        else:
            named[column] = header
    candidates = _candidates(named)
    if existing is not None:
        questions = _map_columns(reader, header_row, candidates, existing)
    else:
        questions = [
            TalliedQuestion(
                scale.clean_title(c.header), c.column,
                [TalliedOption(label, Decimal(0)) for _, label in c.option_columns],
                counted=not c.option_columns, multiple=bool(c.option_columns),
                option_columns=[column for column, _ in c.option_columns],
            )
            for c in candidates
        ]
        for question in questions:
            if problem := too_long(question.title, limits.QUESTION):
                reader.problem(header_row, question.column, f"题目{problem}")
            for option in question.options:
                if problem := too_long(option.label, limits.OPTION):
                    reader.problem(header_row, question.column, f"选项“{option.label[:20]}…”{problem}")
        if not questions:
            reader.problem(header_row, None, "没有找到题目列：第一行应为各题题目（可在前面保留序号、提交时间等列）")
    if reader.problems:
        raise SurveyImportError(reader.problems)
    data_rows = [
        r for r in range(header_row + 1, len(reader.rows) + 1)
        if any(cell_text(reader.cell(r, column)) not in SKIPPED for q in questions for column in q.columns)
    ]
    if not data_rows:
        raise SurveyImportError([SheetProblem(sheet, header_row + 1, None, "只有题目行，没有答卷：每份答卷应占一行")])
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


def _map_columns(reader: _Reader, header_row: int, candidates: list[_Candidate], existing: SurveySpec) -> list[TalliedQuestion]:
    by_key = {scale.title_key(q.title): i for i, q in enumerate(existing.questions)}
    found: dict[int, _Candidate] = {}
    for candidate in candidates:
        index = by_key.get(scale.title_key(candidate.header))
        column = candidate.column
        if index is None:
            reader.warnings.append(f"{column_letter(column)}列“{candidate.header}”不是问卷中的题目，已忽略")
        elif index in found:
            reader.problem(header_row, column, f"与{column_letter(found[index].column)}列重复，都是第{index + 1}题")
        else:
            found[index] = candidate
    for index, question in enumerate(existing.questions):
        if index not in found:
            reader.problem(header_row, None, f"缺少第{index + 1}题“{question.title}”的列")
    tallied = []
    for index, question in enumerate(existing.questions):
        candidate = found.get(index)
        option_columns: list[int] = []  # by option, 0 where the file has no column for it
        if candidate is not None and candidate.option_columns:
            keys = [scale.option_key(o.label) for o in question.options]
            by_key = {scale.option_key(label): column for column, label in candidate.option_columns}
            option_columns = [by_key.get(key, 0) for key in keys]
            for column, label in candidate.option_columns:
                if scale.option_key(label) not in keys:
                    reader.problem(header_row, column, f"“{label}”不是第{index + 1}题的选项")
        tallied.append(
            TalliedQuestion(
                question.title,
                candidate.column if candidate else 0,
                [TalliedOption(o.label, o.weight, o.excluded) for o in question.options],
                question.counted and not question.multiple,
                multiple=question.multiple or bool(option_columns),
                option_columns=option_columns,
            )
        )
    return tallied


def _is_code(value) -> bool:
    return bool(CODE.match(scale.plain(cell_text(value))))


def _infer_options(reader: _Reader, header_row: int, questions: list[TalliedQuestion], data_rows: list[int]) -> None:
    answered = [
        cell_text(reader.cell(row, q.column)) for q in questions if not q.option_columns for row in data_rows
        if cell_text(reader.cell(row, q.column)) not in SKIPPED
    ]
    if answered and all(CODE.match(scale.plain(part)) for value in answered for part in MULTI_SEPARATORS.split(value)):
        reader.problem(
            header_row, None,
            "文件按选项序号导出（回答都是1、2…或A、B…）：新建问卷时无法知道序号对应哪个选项。请先建立问卷"
            "（可复制现成问卷）再导入到该问卷，序号按问卷中选项的顺序对应；或在问卷平台选择“按选项文本”导出",
        )
        return
    for number, question in enumerate(questions, start=1):
        if question.option_columns:
            continue
        seen: dict[str, str] = {}
        counts: dict[str, int] = {}
        multiple = False
        for row in data_rows:
            value = cell_text(reader.cell(row, question.column))
            if value in SKIPPED:
                continue
            parts = [part.strip() for part in MULTI_SEPARATORS.split(value) if part.strip()]
            multiple = multiple or len(parts) > 1 or bool(MULTI_SEPARATORS.search(value))
            for part in parts:
                key = scale.option_key(part)
                if key not in seen and (problem := too_long(scale.clean_label(part), limits.OPTION)):
                    reader.problem(row, question.column, f"回答（作为第{number}题的选项）{problem}")
                seen.setdefault(key, scale.clean_label(part))
                counts[key] = counts.get(key, 0) + 1
        if len(seen) > MAX_OPTIONS:
            reader.problem(
                header_row, question.column,
                f"“{question.title}”有{len(seen)}种不同的回答，不像单选题；如为填空题、时间或编号列，请删除该列后再导入",
            )
            continue
        if multiple:
            question.multiple, question.counted = True, False
            question.options = [TalliedOption(label, Decimal(0)) for label in seen.values()]
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
            continue
        odd = [key for key in seen if scale.level_of(seen[key]) is None]
        on_scale = [key for key in seen if key not in odd]
        scale_answers = sum(counts[key] for key in on_scale)
        odd_answers = sum(counts[key] for key in odd)
        recognised = scale.recognise([seen[key] for key in on_scale]) if on_scale else None
        if recognised is not None and scale_answers > odd_answers:
            question.options = [TalliedOption(o.label, o.weight, o.excluded) for o in recognised]
            question.options += [TalliedOption(seen[key], Decimal(0), True) for key in odd]
            question.counted = True
            words = "、".join(f"“{seen[key]}”{counts[key]}份" for key in odd)
            reader.warnings.append(
                f"第{number}题“{question.title}”有回答不是五级满意度用语：{words}。该题仍计入满意度，"
                "这些回答作为单独的选项保留（权重0，不计入前两项占比的分母）；如应归入某一级，请在问卷结构中修改后重新导入"
            )
            continue
        question.options = [
            TalliedOption(label, scale.default_weight(i), scale.level_of(label) == len(scale.LEVEL_WORDS))
            for i, label in enumerate(seen.values())
        ]
        question.counted = False


def _by_position(value: str, options: list[TalliedOption]) -> TalliedOption | None:
    """An answer "按选项序号": 1 or A is the first option, when no option is itself a number or a letter."""
    text = scale.plain(value)
    if not CODE.match(text) or any(CODE.match(scale.option_key(o.label)) for o in options):
        return None
    index = int(text) - 1 if text.isdigit() else ord(text.upper()) - ord("A")
    return options[index] if 0 <= index < len(options) else None


def _count(reader: _Reader, questions: list[TalliedQuestion], data_rows: list[int]) -> None:
    by_code: list[int] = []
    for number, question in enumerate(questions, start=1):
        keys = {scale.option_key(o.label): o for o in question.options}
        choices = "、".join(f"{letter(i)}.{o.label}" for i, o in enumerate(question.options))
        coded = False
        if question.option_columns:
            _count_option_columns(reader, number, question, data_rows)
            continue
        for row in data_rows:
            raw = reader.cell(row, question.column)
            value = cell_text(raw)
            if value in SKIPPED:
                question.blanks += 1
                continue
            parts = [part.strip() for part in MULTI_SEPARATORS.split(value) if part.strip()] if question.multiple else [value]
            chosen = []
            for part in parts:
                option = keys.get(scale.option_key(part))
                if option is None:
                    option = _by_position(part, question.options)
                    coded = coded or option is not None
                if option is None:
                    hint = ""
                    if _is_number_like(part) and not any(_is_number_like(o.label) for o in question.options):
                        hint = "；文件似乎按选项序号导出，但序号超出了本题的选项"
                    reader.problem(row, question.column, f"“{part}”不是第{number}题的选项（可选：{choices}）{hint}")
                    continue
                chosen.append(option)
            if len(chosen) > 1 and not question.multiple:
                reader.problem(row, question.column, f"第{number}题是单选题，这份答卷选了{len(chosen)}项")
                continue
            for option in dict.fromkeys(map(id, chosen)):
                next(o for o in chosen if id(o) == option).count += 1
            if chosen:
                question.answered += 1
        if coded:
            by_code.append(number)
    if by_code:
        numbers = "、".join(str(n) for n in by_code)
        reader.warnings.append(f"第{numbers}题的回答是选项序号（按选项序号导出），已按问卷中选项的顺序对应（1或A为第一个选项）")


def _count_option_columns(reader: _Reader, number: int, question: TalliedQuestion, data_rows: list[int]) -> None:
    """A multiple-choice question exported one column per option: 1/0, 选中/未选中, or the option's own text."""
    for row in data_rows:
        chosen = 0
        blank = True
        for option, column in zip(question.options, question.option_columns, strict=False):
            if not column:
                continue
            value = scale.plain(cell_text(reader.cell(row, column))).lower()
            if value in SKIPPED or value in NOT_CHOSEN:
                blank = blank and value in SKIPPED
                continue
            blank = False
            if value in CHOSEN or value == scale.option_key(option.label).lower():
                option.count += 1
                chosen += 1
            else:
                reader.problem(row, column, f"第{number}题“{option.label}”列应为1（选中）或0（未选中），现为“{cell_text(reader.cell(row, column))}”")
        if chosen:
            question.answered += 1
        elif blank:
            question.blanks += 1
