"""Reading an uploaded report into :class:`audits.read.model.ReadReport`: DOCX, XLSX (附件1) or PDF.

:func:`read_files` reads every file of one submission and puts them together
in the order a reader meets them: the Word report, then the workbook's
tables; a PDF is read only when no Word report came with it (it is the same
report, and Word keeps more of it).
"""

from __future__ import annotations

from audits.read.docx_file import UnreadableFile, read_docx
from audits.read.model import ReadReport
from audits.read.pdf_file import read_pdf
from audits.read.xlsx_file import UnreadableWorkbook, read_xlsx

KINDS = {"docx": "Word文档", "xlsx": "Excel工作簿（附件1）", "pdf": "PDF文件"}
ORDER = ("docx", "xlsx", "pdf")


class UnreadableUpload(ValueError):
    """A file that cannot be read; the message names it."""


def kind_of(name: str, data: bytes) -> str:
    """``docx``, ``xlsx`` or ``pdf`` from the file's name, checked against its first bytes."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise UnreadableUpload(f"“{name}”：只能上传Word（.docx）、Excel（.xlsx）或PDF文件")
    looks_zip, looks_pdf = data[:2] == b"PK", data[:5] == b"%PDF-"
    if (extension == "pdf" and not looks_pdf) or (extension != "pdf" and not looks_zip):
        raise UnreadableUpload(f"“{name}”：文件内容不是{KINDS[extension]}")
    return extension


def read_file(name: str, data: bytes) -> ReadReport:
    kind = kind_of(name, data)
    try:
        if kind == "docx":
            return read_docx(data, name)
        if kind == "xlsx":
            return read_xlsx(data, name)
        return read_pdf(data, name)
    except (UnreadableFile, UnreadableWorkbook) as error:
        raise UnreadableUpload(f"“{name}”：{error}") from None


def read_files(files: list[tuple[str, bytes]]) -> ReadReport:
    """One submission's files as one read report (``files``: name and bytes)."""
    if not files:
        raise UnreadableUpload("请选择要复核的报告文件")
    read = sorted(((kind_of(name, data), name, data) for name, data in files), key=lambda item: ORDER.index(item[0]))
    kinds = {kind for kind, _, _ in read}
    blocks, notes, sources = [], [], []
    for kind, name, data in read:
        if kind == "pdf" and "docx" in kinds:
            notes.append(f"“{name}”：已有Word文档，PDF未再读取")
            continue
        report = read_file(name, data)
        offset = len(blocks)
        blocks += [_shifted(block, offset) for block in report.blocks]
        notes += [f"“{name}”：{note}" for note in report.notes]
        sources.append(name)
    return ReadReport(tuple(blocks), "、".join(sources), tuple(notes))


def _shifted(block, offset: int):
    from dataclasses import replace

    return replace(block, index=block.index + offset)
