"""The XLSX shape of the budget tables (表2-1 to 表2-3, 项目支出, 其他), read and written.

Reading is forgiving about layout (header rows found wherever they are,
labels with numbering or stray spaces, merged category cells) and strict
about content: every problem names the sheet, the row and the column, and
nothing is returned unless the whole workbook reads cleanly. Subtotals and
totals found in a file are never stored; they are checked against the sum of
their rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from evalsite.lib import write_xlsx
from evalsite.lib.numbers import AMOUNT_FORMAT, PERCENT_FORMAT, NumberError, format_amount, round_half_up
from evalsite.lib.open_xlsx import open_workbook
from evalsite.lib.sheet_cells import cell_number, compact_label, shown
from evalsite.lib.sheet_problems import SheetImportError, SheetProblem
from evalsite.lib.text_limits import too_long
from evaluations import fiscal
from evaluations.enums import EconomicCategory
from evaluations.models import EconomicLine, Project

# ---------------------------------------------------------------------------
# Reading




class BudgetImportError(SheetImportError):
    """Every problem of a workbook that could not be imported."""


@dataclass
class ParsedBudget:
    """What a workbook says; ``None`` lists mean the sheet was absent."""

    amounts: dict[str, Decimal | None] = field(default_factory=dict)
    economic: list[tuple[str, str, Decimal]] | None = None
    projects: list[tuple[str, Decimal | None, Decimal | None, Decimal | None]] | None = None
    sheets: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        def text(value):
            return None if value is None else str(value)

        return {
            "amounts": {k: text(v) for k, v in self.amounts.items()},
            "economic": None if self.economic is None else [[c, n, str(a)] for c, n, a in self.economic],
            "projects": None
            if self.projects is None
            else [[n, text(i), text(a), text(f)] for n, i, a, f in self.projects],
            "sheets": self.sheets,
        }

    @classmethod
    def from_json(cls, data: dict) -> ParsedBudget:
        def number(value):
            return None if value is None else Decimal(value)

        return cls(
            amounts={k: number(v) for k, v in data["amounts"].items()},
            economic=None
            if data["economic"] is None
            else [(c, n, Decimal(a)) for c, n, a in data["economic"]],
            projects=None
            if data["projects"] is None
            else [(n, number(i), number(a), number(f)) for n, i, a, f in data["projects"]],
            sheets=list(data["sheets"]),
        )


MAX_AMOUNT = Decimal(10) ** 12  # the model stores 14 digits, 2 of them decimals
#: The names a workbook brings are stored in these fields; their lengths are the fields' own.
PROJECT_NAME_LENGTH = Project._meta.get_field("name").max_length
ECONOMIC_NAME_LENGTH = EconomicLine._meta.get_field("name").max_length


class SheetReader:
    """One worksheet with its problems collected as it is read."""

    def __init__(self, sheet, problems: list[SheetProblem]):
        self.sheet = sheet
        self.name = sheet.title
        self.problems = problems
        self.rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    def problem(self, row: int | None, column: int | None, message: str) -> None:
        self.problems.append(SheetProblem(self.name, row, column, message))

    def cell(self, row: int, column: int):
        """1-based access; ``None`` outside the used range."""
        if row - 1 < len(self.rows) and column - 1 < len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return None

    def labels(self, row: int) -> list[str]:
        return [compact_label(value) for value in self.rows[row - 1]]

    def find_row(self, predicate, start: int = 1) -> int | None:
        for index in range(start, len(self.rows) + 1):
            if predicate(self.labels(index)):
                return index
        return None

    def amount(self, row: int, column: int, what: str) -> Decimal | None:
        value = self.cell(row, column)
        try:
            number = cell_number(value, unit="万元")
        except NumberError:
            self.problem(row, column, f"{what}“{shown(value)}”不是数字")
            return None
        if number is None:
            return None
        if number < 0:
            self.problem(row, column, f"{what}不能为负数（{format_amount(number)}）")
            return None
        if abs(number) >= MAX_AMOUNT:
            self.problem(row, column, f"{what}{number}超出范围（万元金额最多12位整数）")
            return None
        if number != round_half_up(number):
            self.problem(row, column, f"{what}{number}超过两位小数（金额以万元计，保留两位小数）")
            return None
        return number

    def fits(self, row: int, column: int, what: str, text: str, limit: int) -> bool:
        """Whether ``text`` fits the model field it will be stored in; if not, the cell is named."""
        problem = too_long(text, limit)
        if problem:
            self.problem(row, column, f"{what}{problem}")
        return problem is None

    def text_contains(self, *needles: str, rows: int = 40) -> bool:
        for row in self.rows[:rows]:
            for value in row:
                label = compact_label(value)
                if any(needle in label for needle in needles):
                    return True
        return False

    def first_column_has(self, needle: str) -> bool:
        return any(needle in compact_label(row[0] if row else None) for row in self.rows)


def header_columns(labels: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map each wanted key to the 1-based column whose label contains one of its needles."""
    found: dict[str, int] = {}
    for key, needles in wanted.items():
        for index, label in enumerate(labels, start=1):
            if label and any(needle in label for needle in needles):
                found[key] = index
                break
    return found


COLUMN_NEEDLES = {
    "initial": ("年初预算",),
    "adjusted": ("调整预算", "全年预算", "调整后预算"),
    "final": ("决算", "执行数", "实际支出"),
}
COLUMN_LABELS = dict(fiscal.COLUMNS)


def check_total(reader: SheetReader, row: int, column: int, label: str, offered, computed) -> None:
    if offered is None:
        return
    computed = computed if computed is not None else Decimal("0")
    if offered != computed:
        reader.problem(
            row, column,
            f"“{label}”为{format_amount(offered)}，按各行计算应为{format_amount(computed)}，请核对",
        )


def read_income(reader: SheetReader, parsed: ParsedBudget) -> None:
    header = reader.find_row(lambda labels: any("年初预算" in x for x in labels) and any("决算" in x or "执行" in x for x in labels))
    if header is None:
        reader.problem(None, None, "找不到表头行（应含“年初预算数”“调整预算数”“决算数”）")
        return
    columns = header_columns(reader.labels(header), COLUMN_NEEDLES)
    for key, label in fiscal.COLUMNS:
        if key not in columns:
            reader.problem(header, None, f"缺少“{label}”列")
    if len(columns) < 3:
        return
    first_value_column = min(columns.values())
    offered_totals: list[tuple[int, str, dict[str, Decimal | None]]] = []
    seen: set[str] = set()
    for row in range(header + 1, len(reader.rows) + 1):
        label = next((x for x in reader.labels(row)[: first_value_column - 1] if x), "")
        if not label or label.startswith("单位"):
            continue
        values = {key: reader.amount(row, col, f"“{label}”的{COLUMN_LABELS[key]}") for key, col in columns.items()}
        line = income_line_for(label)
        if line == "total" or line == "grand_total":
            offered_totals.append((row, line, values))
            continue
        if line is None:
            if any(v is not None for v in values.values()):
                reader.problem(row, 1, f"无法识别的收入项目“{label}”（应为一般公共预算财政拨款收入、政府性基金预算财政拨款收入、其他收入或年初结转结余）")
            continue
        if line in seen:
            reader.problem(row, 1, f"“{label}”重复出现")
            continue
        seen.add(line)
        for key, value in values.items():
            parsed.amounts[f"{line}_{key}"] = value
    for line, _ in fiscal.INCOME_SOURCES + (fiscal.CARRY_IN,):
        if line not in seen:
            for key, _ in fiscal.COLUMNS:
                parsed.amounts.setdefault(f"{line}_{key}", None)
    figures = fiscal.Figures(lines=lines_from_amounts(parsed.amounts))
    for row, kind, values in offered_totals:
        computed = figures.income_total if kind == "total" else figures.income_grand_total
        label = "本年收入合计" if kind == "total" else "总计"
        for key, value in values.items():
            check_total(reader, row, columns[key], f"{label}·{COLUMN_LABELS[key]}", value, computed.column(key))


def income_line_for(label: str) -> str | None:
    if "一般公共预算" in label:
        return "general"
    if "政府性基金" in label:
        return "fund"
    if "年初结转" in label or "上年结转" in label:
        return "carry_in"
    if "其他" in label:
        return "other"
    if "收入合计" in label or label == "合计":
        return "total"
    if label.startswith("总计"):
        return "grand_total"
    return None


def lines_from_amounts(amounts: dict[str, Decimal | None]) -> dict[str, fiscal.Triple]:
    return {
        line: fiscal.Triple(*(amounts.get(f"{line}_{key}") for key, _ in fiscal.COLUMNS))
        for line in fiscal.TRIPLE_LINES
    }


EXPENSE_ROW_KEYS = {"initial": ("年初预算",), "adjusted": ("调整预算", "全年预算"), "final": ("决算", "执行数")}


def read_expenditure(reader: SheetReader, parsed: ParsedBudget) -> None:
    top = reader.find_row(lambda labels: any("基本支出" in x or "人员经费" in x for x in labels))
    if top is None:
        reader.problem(None, None, "找不到表头（应含“基本支出”“人员经费”“公用经费”“项目支出”）")
        return
    header_rows = [top, top + 1] if top + 1 <= len(reader.rows) else [top]
    columns: dict[str, int] = {}
    subtotal_columns: list[int] = []
    for header in header_rows:
        labels = reader.labels(header)
        for index, label in enumerate(labels, start=1):
            if "人员经费" in label:
                columns["personnel"] = index
            elif "公用经费" in label:
                columns["public"] = index
            elif label.startswith("基本支出"):
                columns.setdefault("basic_block", index)
            elif label.startswith("项目支出"):
                columns["project"] = index
            elif "本年支出合计" in label or label == "支出合计":
                columns["total"] = index
            elif "年末结转" in label:
                columns["carry_out"] = index
            elif label.startswith("总计"):
                columns["grand_total"] = index
            elif label == "小计":
                subtotal_columns.append(index)
    for index in subtotal_columns:
        if index != columns.get("project"):
            columns.setdefault("basic_subtotal", index)
    split = "personnel" in columns or "public" in columns
    if not split and "basic_block" in columns:
        columns.setdefault("basic_subtotal", columns["basic_block"])
    required = {"project": "项目支出"}
    if split:
        required.update({"personnel": "人员经费", "public": "公用经费"})
    elif "basic_subtotal" not in columns:
        required["basic_subtotal"] = "基本支出"
    for key, label in required.items():
        if key not in columns:
            reader.problem(top, None, f"缺少“{label}”列")
    if any(key not in columns for key in required):
        return
    rows_seen: dict[str, int] = {}
    offered: dict[str, dict[str, Decimal | None]] = {}
    for row in range(top + 1, len(reader.rows) + 1):
        label = compact_label(reader.cell(row, 1))
        key = next((k for k, needles in EXPENSE_ROW_KEYS.items() if any(n in label for n in needles)), None)
        if key is None:
            continue
        if key in rows_seen:
            reader.problem(row, 1, f"“{label}”行重复出现")
            continue
        rows_seen[key] = row
        what = COLUMN_LABELS[key]
        values = {
            name: reader.amount(row, col, f"{what}的“{name_label}”")
            for name, name_label, col in (
                (n, EXPENSE_COLUMN_NAMES[n], columns[n]) for n in EXPENSE_COLUMN_NAMES if n in columns
            )
        }
        offered[key] = values
        if split:
            parsed.amounts[f"personnel_{key}"] = values.get("personnel")
            parsed.amounts[f"public_{key}"] = values.get("public")
            parsed.amounts[f"basic_{key}"] = None
        else:
            parsed.amounts[f"personnel_{key}"] = None
            parsed.amounts[f"public_{key}"] = None
            parsed.amounts[f"basic_{key}"] = values.get("basic_subtotal")
        parsed.amounts[f"project_{key}"] = values.get("project")
        parsed.amounts[f"carry_out_{key}"] = values.get("carry_out")
    for key, label in fiscal.COLUMNS:
        if key not in rows_seen:
            reader.problem(None, 1, f"缺少“{label}”行")
    if len(rows_seen) < 3:
        return
    if split and all(values.get(name) is None for values in offered.values() for name in ("personnel", "public")):
        # 人员经费 and 公用经费 left blank: the 基本支出 is the unsplit figure in its 小计 (as the report prints it)
        split = False
        for key, values in offered.items():
            parsed.amounts[f"basic_{key}"] = values.get("basic_subtotal")
    figures = fiscal.Figures(lines=lines_from_amounts(parsed.amounts))
    computed = {"basic_subtotal": figures.basic, "total": figures.expense_total, "grand_total": figures.expense_grand_total}
    for key, row in rows_seen.items():
        for name, triple in computed.items():
            if name == "basic_subtotal" and not split:
                continue
            if name in columns:
                check_total(
                    reader, row, columns[name], f"{COLUMN_LABELS[key]}·{EXPENSE_COLUMN_NAMES[name]}",
                    offered[key].get(name), triple.column(key),
                )


EXPENSE_COLUMN_NAMES = {
    "personnel": "人员经费",
    "public": "公用经费",
    "basic_subtotal": "基本支出小计",
    "project": "项目支出",
    "total": "本年支出合计",
    "carry_out": "年末结转和结余",
    "grand_total": "总计",
}
CATEGORY_BY_LABEL = {label: value for value, label in EconomicCategory.choices}


def read_economic(reader: SheetReader, parsed: ParsedBudget) -> None:
    header = reader.find_row(lambda labels: any("金额" in x for x in labels))
    if header is None:
        reader.problem(None, None, "找不到表头行（应含“支出金额（万元）”列）")
        return
    labels = reader.labels(header)
    amount_column = next(i for i, x in enumerate(labels, start=1) if "金额" in x)
    if amount_column < 3:
        reader.problem(header, amount_column, "“支出金额”列之前应有“类别”和“科目”两列")
        return
    lines: list[tuple[str, str, Decimal]] = []
    category: str | None = None
    totals_offered: list[tuple[int, Decimal | None]] = []
    for row in range(header + 1, len(reader.rows) + 1):
        category_label = compact_label(reader.cell(row, 1))
        name = compact_label(reader.cell(row, 2))
        if category_label.startswith(("总计", "合计")) or name.startswith(("总计", "合计")):
            totals_offered.append((row, reader.amount(row, amount_column, "总计")))
            continue
        if category_label:
            if category_label not in CATEGORY_BY_LABEL:
                reader.problem(row, 1, f"无法识别的支出类别“{category_label}”（应为{'、'.join(CATEGORY_BY_LABEL)}）")
                category = None
                continue
            category = CATEGORY_BY_LABEL[category_label]
        if not name:
            continue
        if category is None:
            reader.problem(row, 1, f"“{name}”缺少所属类别")
            continue
        if not reader.fits(row, 2, "科目名称", name, ECONOMIC_NAME_LENGTH):
            continue
        amount = reader.amount(row, amount_column, f"“{name}”的支出金额")
        if name == "小计":
            computed = sum((a for c, _, a in lines if c == category), Decimal("0"))
            check_total(reader, row, amount_column, f"{EconomicCategory(category).label}小计", amount, computed)
            continue
        if amount is None:
            if reader.cell(row, amount_column) in (None, ""):
                reader.problem(row, amount_column, f"“{name}”缺少支出金额")
            continue
        lines.append((category, name, amount))
    total = sum((a for _, _, a in lines), Decimal("0"))
    for row, offered in totals_offered:
        check_total(reader, row, amount_column, "总计", offered, total)
    parsed.economic = lines


def read_projects(reader: SheetReader, parsed: ParsedBudget) -> None:
    header = reader.find_row(lambda labels: any("项目名称" in x for x in labels))
    if header is None:
        reader.problem(None, None, "找不到表头行（应含“项目名称”列）")
        return
    labels = reader.labels(header)
    name_column = next(i for i, x in enumerate(labels, start=1) if "项目名称" in x)
    columns = header_columns(labels, COLUMN_NEEDLES)
    for key, label in fiscal.COLUMNS:
        if key not in columns:
            reader.problem(header, None, f"缺少“{label}”列")
    if len(columns) < 3:
        return
    projects = []
    for row in range(header + 1, len(reader.rows) + 1):
        name = str(reader.cell(row, name_column) or "").strip()
        if not name or compact_label(name) in {"合计", "总计"}:
            continue
        if not reader.fits(row, name_column, "项目名称", name, PROJECT_NAME_LENGTH):
            continue
        values = [reader.amount(row, columns[key], f"“{name}”的{label}") for key, label in fiscal.COLUMNS]
        projects.append((name, *values))
    parsed.projects = projects


OTHER_FIELDS = (
    ("prev_three_public_budget", ("上年", "三公", "预算")),
    ("prev_three_public_actual", ("上年", "三公", "决算")),
    ("three_public_budget", ("三公", "预算")),
    ("three_public_actual", ("三公", "决算")),
    ("prev_carryover", ("上年", "结转")),
    ("procurement_budget", ("采购", "预算")),
    ("procurement_actual", ("采购", "实际")),
)


def read_other(reader: SheetReader, parsed: ParsedBudget) -> None:
    for row in range(1, len(reader.rows) + 1):
        label = compact_label(reader.cell(row, 1))
        if not label:
            continue
        key = next((k for k, needles in OTHER_FIELDS if all(n in label for n in needles)), None)
        if key is None:
            continue
        parsed.amounts[key] = reader.amount(row, 2, f"“{label}”")


def classify(reader: SheetReader) -> str | None:
    if reader.text_contains("人员经费", "基本支出") and reader.first_column_has("年初预算"):
        return "expenditure"
    if reader.first_column_has("一般公共预算") or reader.first_column_has("政府性基金"):
        return "income"
    if reader.text_contains("工资福利支出", "商品和服务支出", "结构占比"):
        return "economic"
    if reader.text_contains("项目名称"):
        return "projects"
    if reader.text_contains("三公", "政府采购"):
        return "other"
    return None


READERS = {
    "income": read_income,
    "expenditure": read_expenditure,
    "economic": read_economic,
    "projects": read_projects,
    "other": read_other,
}
KIND_LABELS = {
    "income": "表2-1 收入",
    "expenditure": "表2-2 支出",
    "economic": "表2-3 基本支出",
    "projects": "项目支出",
    "other": "三公经费及其他",
}


def parse_budget_workbook(data: bytes) -> ParsedBudget:
    """Read a workbook; raise :class:`BudgetImportError` listing every problem."""
    workbook = open_workbook(data, BudgetImportError)
    problems: list[SheetProblem] = []
    parsed = ParsedBudget()
    found: dict[str, str] = {}
    for sheet in workbook.worksheets:
        reader = SheetReader(sheet, problems)
        kind = classify(reader)
        if kind is None:
            continue
        if kind in found:
            problems.append(SheetProblem(sheet.title, None, None, f"与工作表“{found[kind]}”重复（都是{KIND_LABELS[kind]}）"))
            continue
        found[kind] = sheet.title
        READERS[kind](reader, parsed)
        parsed.sheets.append(f"{KIND_LABELS[kind]}（工作表“{sheet.title}”）")
    if not found and not problems:
        problems.append(
            SheetProblem("", None, None, "未找到表2-1、表2-2或表2-3：请按“下载导入模板”中的格式填写")
        )
    if problems:
        raise BudgetImportError(problems)
    return parsed


# ---------------------------------------------------------------------------
# Writing

def _amount_value(value: Decimal | None):
    return "-" if value is None else value


def _rate_value(value: Decimal | None):
    return "-" if value is None else value / 100


def _title(sheet, title: str, width: int) -> None:
    write_xlsx.title(sheet, 1, title, width)
    write_xlsx.unit(sheet, 2, "单位：万元", width)


def write_budget_workbook(figures: fiscal.Figures, year_department: str = "") -> bytes:
    """The budget tables as a workbook in the import shape (values only, no formulas)."""
    workbook = write_xlsx.new_workbook()
    _write_income(workbook.create_sheet(), figures, year_department)
    _write_expenditure(workbook.create_sheet(), figures, year_department)
    _write_economic(workbook.create_sheet(), figures, year_department)
    _write_projects(workbook.create_sheet(), figures)
    _write_other(workbook.create_sheet(), figures)
    return write_xlsx.save(workbook)


def _write_income(sheet, figures: fiscal.Figures, prefix: str) -> None:
    sheet.title = "表2-1 收入"
    _title(sheet, f"表2-1 {prefix}收入预算执行情况表", 4)
    for column, label in enumerate(["类别"] + [label for _, label in fiscal.COLUMNS], start=1):
        write_xlsx.put(sheet, 3, column, label, header=True)
    for offset, row in enumerate(fiscal.income_table(figures).rows, start=4):
        write_xlsx.put(sheet, offset, 1, row.label, bold=row.is_total)
        for column, value in enumerate(row.values, start=2):
            write_xlsx.put(sheet, offset, column, _amount_value(value), bold=row.is_total, number_format=AMOUNT_FORMAT)
    write_xlsx.set_widths(sheet, [34, 14, 14, 14])


def _write_expenditure(sheet, figures: fiscal.Figures, prefix: str) -> None:
    sheet.title = "表2-2 支出"
    _title(sheet, f"表2-2 {prefix}支出预算执行情况表", 8)
    top = ["类别", "基本支出", None, None, "项目支出", "本年支出合计", "年末结转和结余", "总计"]
    second = [None, "人员经费", "公用经费", "小计", "小计", None, None, None]
    for column, (a, b) in enumerate(zip(top, second, strict=True), start=1):
        write_xlsx.put(sheet, 3, column, a, header=True)
        write_xlsx.put(sheet, 4, column, b, header=True)
    sheet.merge_cells("B3:D3")
    for column in (1, 6, 7, 8):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    table = fiscal.expenditure_table(figures)
    for offset, row in enumerate(table.rows, start=5):
        write_xlsx.put(sheet, offset, 1, row.label, bold=True)
        for column, value in enumerate(row.values, start=2):
            if row.is_rate:
                write_xlsx.put(sheet, offset, column, _rate_value(value), number_format=PERCENT_FORMAT)
            else:
                write_xlsx.put(sheet, offset, column, _amount_value(value), number_format=AMOUNT_FORMAT)
    write_xlsx.set_widths(sheet, [14, 12, 12, 12, 12, 14, 16, 12])


def _write_economic(sheet, figures: fiscal.Figures, prefix: str) -> None:
    sheet.title = "表2-3 基本支出"
    _title(sheet, f"表2-3 {prefix}基本支出情况表", 4)
    for column, label in enumerate(["支出类别", "科目", "支出金额（万元）", "结构占比"], start=1):
        write_xlsx.put(sheet, 3, column, label, header=True)
    row_number = 4
    block_start = None
    previous = None
    for row in fiscal.economic_table(figures):
        bold = row.is_subtotal or row.is_total
        if row.category_label != previous:
            if block_start is not None and row_number - 1 > block_start:
                sheet.merge_cells(start_row=block_start, start_column=1, end_row=row_number - 1, end_column=1)
            block_start, previous = row_number, row.category_label
            write_xlsx.put(sheet, row_number, 1, row.category_label, bold=row.is_total)
        else:
            write_xlsx.put(sheet, row_number, 1, None)
        write_xlsx.put(sheet, row_number, 2, row.name, bold=bold)
        write_xlsx.put(sheet, row_number, 3, row.amount, bold=bold, number_format=AMOUNT_FORMAT)
        write_xlsx.put(sheet, row_number, 4, _rate_value(row.share), bold=bold, number_format=PERCENT_FORMAT)
        row_number += 1
    write_xlsx.set_widths(sheet, [18, 28, 16, 12])


def _write_projects(sheet, figures: fiscal.Figures) -> None:
    sheet.title = "项目支出"
    _title(sheet, "项目支出情况表", 5)
    for column, label in enumerate(["项目名称", "年初预算数", "调整预算数", "决算数", "执行率"], start=1):
        write_xlsx.put(sheet, 3, column, label, header=True)
    for offset, row in enumerate(fiscal.project_table(figures), start=4):
        write_xlsx.put(sheet, offset, 1, row.name, bold=row.is_total)
        for column, key in enumerate(("initial", "adjusted", "final"), start=2):
            write_xlsx.put(sheet, offset, column, _amount_value(row.budget.column(key)), bold=row.is_total, number_format=AMOUNT_FORMAT)
        write_xlsx.put(sheet, offset, 5, _rate_value(row.execution_rate), bold=row.is_total, number_format=PERCENT_FORMAT)
    write_xlsx.set_widths(sheet, [36, 14, 14, 14, 12])


OTHER_LABELS = (
    ("three_public_budget", "本年“三公”经费预算数"),
    ("three_public_actual", "本年“三公”经费决算数"),
    ("prev_three_public_budget", "上年“三公”经费预算数"),
    ("prev_three_public_actual", "上年“三公”经费决算数"),
    ("prev_carryover", "上年末结转结余"),
    ("procurement_budget", "政府采购预算数"),
    ("procurement_actual", "政府采购实际数"),
)


def _write_other(sheet, figures: fiscal.Figures) -> None:
    sheet.title = "三公经费及其他"
    _title(sheet, "“三公”经费、上年结转结余及政府采购", 2)
    write_xlsx.put(sheet, 3, 1, "项目", header=True)
    write_xlsx.put(sheet, 3, 2, "金额（万元）", header=True)
    for offset, (name, label) in enumerate(OTHER_LABELS, start=4):
        write_xlsx.put(sheet, offset, 1, label)
        write_xlsx.put(sheet, offset, 2, _amount_value(getattr(figures, name)), number_format=AMOUNT_FORMAT)
    write_xlsx.set_widths(sheet, [30, 16])


