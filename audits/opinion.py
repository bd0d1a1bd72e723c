"""The 复核意见书: the findings as a document the bureau sends to the firm, in the report's own document model.

Built from what a version stored (nothing is checked again) and laid out by
the product's Word renderer (:func:`reports.render_docx.render_docx`), so it
has the report's fonts and tables. Sections: the conclusion and the quality
score; what must be corrected; what needs an explanation; against the previous
version (fixed, remaining, new); the checklist; what was checked and agrees;
what could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audits.checklist import ItemResult
from audits.checks.base import ERROR, WARNING, Finding, Note
from audits.compare import Comparison
from evalsite.lib.chinese import chinese_numeral
from evalsite.lib.numbers import format_amount
from reports.document_model import PLAIN, TITLE, Document, Heading, Signature, Table, paragraph
from reports.report_tables import head, text_cell

NO_FINDINGS = "无。"


@dataclass(frozen=True)
class OpinionData:
    bureau: str
    firm: str
    department: str
    year: int
    version: int
    files: tuple[tuple[str, str], ...]  # name, SHA-256
    findings: tuple[Finding, ...]
    notes: tuple[Note, ...]
    reading_notes: tuple[str, ...]
    checklist: tuple[ItemResult, ...]
    score: object
    comparison: Comparison | None
    day: date

    @property
    def report_title(self) -> str:
        return f"{self.year}年度{self.department}部门整体支出绩效评价报告"

    @property
    def title(self) -> str:
        return f"关于《{self.report_title}》的复核意见"


def findings_table(findings: list[Finding], key: str) -> Table:
    header = (tuple(head(text) for text in ("序号", "位置", "问题", "应为", "报告中为")),)
    rows = tuple(
        (text_cell(str(number)), text_cell(finding.place, align="left"), text_cell(finding.message, align="left"),
         text_cell(finding.expected), text_cell(finding.found))
        for number, finding in enumerate(findings, start=1)
    )
    return Table("", header, rows, widths=(1.0, 5.0, 6.0, 2.6, 2.2), key=key, compact=True)


def checklist_table(items: tuple[ItemResult, ...], score) -> Table:
    header = (tuple(head(text) for text in ("复核项目", "分值", "发现问题", "扣分")),)
    rows = tuple(
        (text_cell(item.title, align="left"), text_cell(format_amount(item.points)), text_cell(str(item.findings)),
         text_cell(format_amount(item.deducted)))
        for item in items
    )
    rows += ((text_cell("报告质量得分（100分减扣分）", align="left", bold=True), text_cell(""), text_cell(""),
              text_cell(format_amount(score), bold=True)),)
    return Table("", header, rows, widths=(10.0, 1.8, 2.2, 1.8), key="checklist", compact=True)


def opinion_document(data: OpinionData) -> Document:
    errors = [f for f in data.findings if f.severity == ERROR]
    warnings = [f for f in data.findings if f.severity == WARNING]
    blocks: list = [paragraph(data.title, TITLE), paragraph(f"{data.firm}：", PLAIN)]
    files = "、".join(f"“{name}”（SHA-256 {sha[:12]}…）" for name, sha in data.files)
    blocks.append(paragraph(
        f"我局对你单位报送的《{data.report_title}》（第{data.version}版：{files}）进行了复核，"
        f"发现须更正的问题{len(errors)}项、需说明的问题{len(warnings)}项，按本局复核清单评定报告质量得分"
        f"{format_amount(data.score)}分。具体意见如下："
    ))
    sections: list[tuple[str, list]] = [
        ("须更正的问题", [findings_table(errors, "errors")] if errors else [paragraph(NO_FINDINGS)]),
        ("需说明的问题", [findings_table(warnings, "warnings")] if warnings else [paragraph(NO_FINDINGS)]),
    ]
    if data.comparison is not None:
        comparison = data.comparison
        lines = [paragraph(
            f"与第{data.version - 1}版相比：已更正{len(comparison.fixed)}项，仍存在{len(comparison.remaining)}项，"
            f"新出现{len(comparison.new)}项。"
        )]
        if comparison.fixed:
            lines.append(paragraph("已更正：" + "；".join(f.message for f in comparison.fixed) + "。"))
        if comparison.remaining:
            lines.append(paragraph("仍存在：" + "；".join(f.message for f in comparison.remaining) + "。"))
        sections.append(("与上一版比较", lines))
    sections.append(("报告质量评分", [checklist_table(data.checklist, data.score)]))
    if data.notes:
        sections.append(("已核对一致的项目", [paragraph(f"{note.message}。") for note in data.notes]))
    if data.reading_notes:
        sections.append(("读取说明", [paragraph(f"{note}。") for note in data.reading_notes]))
    for number, (title, content) in enumerate(sections, start=1):
        blocks.append(Heading(1, f"{chinese_numeral(number)}、{title}", anchor=f"o{number}", in_toc=False))
        blocks.extend(content)
    blocks.append(paragraph("请你单位对上述问题逐项核实、修改或书面说明后重新报送。"))
    blocks.append(Signature((data.bureau, f"{data.day.year}年{data.day.month}月{data.day.day}日")))
    return Document(title=data.title, blocks=tuple(blocks), draft=False, author=data.bureau)


def render_opinion(data: OpinionData) -> bytes:
    from reports.render_docx import render_docx

    return render_docx(opinion_document(data))
