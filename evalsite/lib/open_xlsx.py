"""Open an uploaded workbook the same way for every importer, or say plainly why not.

Before openpyxl parses anything, the zip itself is checked (:mod:`evalsite.lib.xlsx_zip`):
parts that unpack too large or compress implausibly well (a zip bomb is refused
in well under a second, in bounded memory), sheets with too many cells, and
formula cells without a saved result. Django-free; openpyxl is imported here
because this module reads spreadsheets.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib

from openpyxl import load_workbook

from evalsite.lib.sheet_problems import SheetImportError, SheetProblem, refuse_oversized
from evalsite.lib.xlsx_zip import sheet_names, sheet_problems, size_problems

EMPTY = "文件是空的"
NOT_XLSX = "文件不是有效的XLSX工作簿（旧版.xls或.csv等格式请在Excel中另存为.xlsx后再导入）"
WORD_RENAMED = "文件不是有效的XLSX工作簿：这是一个Word文档（.docx），请上传Excel文件"
UNREADABLE = "文件不是有效的XLSX工作簿：无法读取其中的工作表，请在Excel中另存为.xlsx后再导入"


def open_workbook(data: bytes, error: type[SheetImportError]):
    """The workbook in ``data`` (values, not formulas); ``error`` carries the one reason it cannot be read."""

    def fail(message: str) -> SheetImportError:
        return error([SheetProblem("", None, None, message)])

    if not data:
        raise fail(EMPTY)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                raise fail(WORD_RENAMED)
            if not any(name.startswith("xl/") for name in names):
                raise fail(UNREADABLE)
            sheets = sheet_names(archive)
            problems = size_problems(archive, sheets) or sheet_problems(archive, sheets)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise fail(NOT_XLSX) from None
    if problems:
        raise error(problems)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise fail(UNREADABLE) from None
    refuse_oversized(workbook, error)
    return workbook
