"""Reports made here pass: the 复核's checks on a report this product rendered or signed, read from its DOCX.

The Word file goes through the same reader as a firm's upload
(:func:`audits.read.docx_file.read_docx`), so what is tested is what a bureau
would receive. The sign-off (``reports.workflow``) sits below this app and
cannot import it: :class:`audits.apps.AuditsConfig` registers
:func:`sign_off_findings` with ``reports.checks.register_check``, so every
report this product signs has passed the 复核 first (its errors block the step).
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


#: Part of the cache key of the sign-off's 复核: raise it when the checks change what they find.
SIGN_OFF_REVIEW_SHAPE = 1


def sign_off_findings(ctx) -> list:
    """The 复核's errors on the report about to be signed (``ctx`` is a ``reports.checks.CheckContext``).

    The check context's document is rendered to Word and read back as a bureau would read it; each error becomes
    a blocking finding of the sign-off. Warnings are left to the firm's own checks (which name the same omissions).
    The messages are kept in the shared cache under the evaluation's content version and report profile (every
    write moves the version), so the review page, shown again and again while it awaits sign-off, renders the
    Word file once per change, not on every visit.
    """
    from django.core.cache import cache

    from reports.checks import error
    from reports.render_docx import render_docx

    evaluation = ctx.data.evaluation
    key = f"signoff-review:{SIGN_OFF_REVIEW_SHAPE}:{evaluation.pk}:{evaluation.content_version}:{ctx.data.profile.key}"
    messages = cache.get(key)
    if messages is None:
        outcome = check_docx(render_docx(ctx.document))
        messages = [f"财政局复核将指出：{finding.message}（{finding.place}）" for finding in outcome.errors]
        cache.set(key, messages)
    return [error(message, ctx.url("report_preview")) for message in messages]
