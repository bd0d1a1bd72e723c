"""Reports made here pass: the 复核's checks on a report this product rendered or signed, read from its DOCX.

The Word file goes through the same reader as a firm's upload
(:func:`audits.read.docx_file.read_docx`), so what is tested is what a bureau
would receive. The sign-off (``reports.workflow``) sits below this app and
cannot import it; it can run these checks through a hook this app registers,
or the lead wires :func:`rendered_report_errors` in (see the README).
"""

from __future__ import annotations

from audits.checks import Outcome, review
from audits.checks.base import Finding, Settings
from audits.outline import REFERENCE_OUTLINE
from audits.read.docx_file import read_docx


def check_docx(content: bytes, settings: Settings | None = None) -> Outcome:
    """Every finding on a Word report (the bureau's defaults: national grade bands, 财预〔2020〕10号 outline)."""
    return review(read_docx(content, "报告.docx"), settings or Settings(outline=REFERENCE_OUTLINE))


def rendered_report_errors(evaluation) -> list[Finding]:
    """The errors (须更正) the 复核 finds in the evaluation's report as rendered now (DOCX)."""
    from reports.exports import render_data
    from reports.queries import report_data

    return check_docx(render_data(report_data(evaluation), "docx", charts=False)).errors


def signed_report_errors(evaluation) -> list[Finding]:
    """The errors the 复核 finds in the DOCX stored at the evaluation's latest sign-off (checked against its SHA-256)."""
    from reports.archive import stored_file, verified_content

    stored = stored_file(evaluation, "docx")
    if stored is None:
        raise ValueError("该评价项目没有签发保存的Word报告")
    return check_docx(verified_content(stored)).errors
