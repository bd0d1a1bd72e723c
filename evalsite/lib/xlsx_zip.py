"""What an uploaded XLSX holds, checked on its zip before any spreadsheet parser reads a sheet.

Django-free and openpyxl-free. An XLSX is a zip of XML parts; a 1.5 MB file
can unpack to 400 MB, and a parser that loads it holds a worker for minutes
and gigabytes. The zip's directory states each part's unpacked size (Python's
``zipfile`` never yields more than that: a part that would is a CRC error),
so :func:`size_problems` refuses oversized parts and implausible compression
ratios before one byte is inflated. :func:`sheet_problems` then reads each
sheet part (bounded by that check) once: too many cells, and formula cells
without a saved result (``data_only`` reading gives ``None`` for those, which
an import would take for an empty cell: a "缺少权重" that is not missing, a
score silently dropped).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from xml.etree import ElementTree

from evalsite.lib.sheet_problems import MAX_SHEET_CELLS, SheetProblem

#: The largest unpacked size of one part (a sheet, the shared strings): a few hundred indicators or
#: thousands of respondents take a few megabytes.
MAX_PART_BYTES = 25 * 1024 * 1024
#: The largest unpacked size of the whole workbook.
MAX_TOTAL_BYTES = 60 * 1024 * 1024
#: Spreadsheet XML compresses about 5–30 times; a part above this ratio is a zip bomb, not a table.
MAX_RATIO = 100
#: Parts smaller than this are not judged by their ratio (a tiny repetitive part compresses very well).
RATIO_FLOOR = 1024 * 1024
#: Formula cells without a result listed per sheet; the rest are counted.
FORMULAS_LISTED = 20

UNSAVED_FORMULA = "是公式且没有计算结果，请在Excel中打开并保存后再导入"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DOCUMENT_RELS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_REFERENCE = re.compile(r"([A-Z]+)([0-9]+)")


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's path in the zip → the sheet's name; empty when the workbook part cannot be read."""
    try:
        if any(archive.getinfo(part).file_size > MAX_PART_BYTES for part in (WORKBOOK, WORKBOOK_RELS)):
            return {}  # refused by size_problems, without a name
        workbook = ElementTree.fromstring(archive.read(WORKBOOK))
        relations = ElementTree.fromstring(archive.read(WORKBOOK_RELS))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, zlib.error):
        return {}
    targets = {}
    for relation in relations.iter(f"{PACKAGE_RELS_NS}Relationship"):
        target = relation.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[relation.get("Id")] = path
    names = {}
    for sheet in workbook.iter(f"{MAIN_NS}sheet"):
        path = targets.get(sheet.get(f"{DOCUMENT_RELS_NS}id"))
        if path:
            names[path] = sheet.get("name", path)
    return names


def _part_label(info: zipfile.ZipInfo, names: dict[str, str]) -> tuple[str, str]:
    """(sheet for the SheetProblem, what to call the part in the message)."""
    if info.filename in names:
        return names[info.filename], "工作表"
    return "", f"文件中的“{info.filename}”"


def size_problems(archive: zipfile.ZipFile, names: dict[str, str]) -> list[SheetProblem]:
    """Parts that unpack too large or compress implausibly well, from the zip's directory alone."""
    problems = []
    total = 0
    for info in archive.infolist():
        total += info.file_size
        sheet, what = _part_label(info, names)
        if info.file_size > MAX_PART_BYTES:
            problems.append(SheetProblem(sheet, None, None,
                                    f"{what}解压后有{megabytes(info.file_size)}，超过上限{megabytes(MAX_PART_BYTES)}"
                                    "（可能是损坏或恶意构造的文件）；请删除表格之外的内容，或分成几个文件后再导入"))
        elif info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            problems.append(SheetProblem(sheet, None, None,
                                    f"{what}的压缩比异常（{ratio}倍，正常的表格不超过{MAX_RATIO}倍），"
                                    "可能是损坏或恶意构造的文件，未读取"))
    if not problems and total > MAX_TOTAL_BYTES:
        problems.append(SheetProblem("", None, None, f"工作簿解压后共有{megabytes(total)}，超过上限{megabytes(MAX_TOTAL_BYTES)}；"
                                                "请删除多余的工作表和内容后再导入"))
    return problems


def sheet_problems(archive: zipfile.ZipFile, names: dict[str, str]) -> list[SheetProblem]:
    """Per worksheet (read once, its size already checked): too many cells, formulas without a saved result."""
    problems = []
    for path, sheet in names.items():
        try:
            data = archive.read(path)
        except KeyError:
            continue  # a sheet the workbook names but the zip lacks: the parser says so
        cells = sum(1 for _ in _CELL_TAG.finditer(data))
        if cells > MAX_SHEET_CELLS:
            problems.append(SheetProblem(sheet, None, None, f"工作表有{cells:,}个单元格，超过{MAX_SHEET_CELLS:,}个；"
                                                       "请删除表格之外多余的行和列后再导入"))
            continue
        if _FORMULA_TAG.search(data):
            problems.extend(unsaved_formulas(data, sheet))
    return problems


def unsaved_formulas(data: bytes, sheet: str) -> list[SheetProblem]:
    """Formula cells that carry no saved result (no ``<v>``, or an empty one on a cell that is not a text result)."""
    found: list[tuple[int, int]] = []
    row_number, column_number = 0, 0
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    row_number = int(element.get("r") or row_number + 1)
                    column_number = 0
                continue
            if tag == "c":
                row_number, column_number = _place(element.get("r"), row_number, column_number)
                formula = element.find(f"{MAIN_NS}f")
                value = element.find(f"{MAIN_NS}v")
                saved = value is not None and (bool(value.text) or element.get("t") == "str")
                if formula is not None and not saved:
                    found.append((row_number, column_number))
                element.clear()
            elif tag == "row":
                element.clear()
    except (ElementTree.ParseError, ValueError):
        return []  # not readable as a sheet: the parser that follows says so
    problems = [SheetProblem(sheet, row, column, UNSAVED_FORMULA) for row, column in found[:FORMULAS_LISTED]]
    if len(found) > FORMULAS_LISTED:
        problems.append(SheetProblem(sheet, None, None, f"另有{len(found) - FORMULAS_LISTED}个公式单元格没有计算结果"))
    return problems


def _place(reference: str | None, row: int, column: int) -> tuple[int, int]:
    """A cell's (row, column) from its ``r`` attribute (``D5``), or the next column when it has none."""
    match = _REFERENCE.fullmatch(reference or "")
    if not match:
        return row, column + 1
    letters, digits = match.groups()
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return int(digits), number
