"""The files this layer renders for download (see :mod:`evalsite.exports`): the 工作底稿 index."""

from __future__ import annotations

from django.utils import timezone

from evalsite.exports import EvaluationFile
from evaluations.models import Evaluation
from rubrics.queries import evidence_of

INDEX_COLUMNS = ("编号", "指标", "资料名称", "资料日期", "上传人", "上传时间")
REMOVED_COLUMNS = (*INDEX_COLUMNS, "移除人", "移除时间")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def index_row(paper) -> tuple[str, ...]:
    """One paper as the index lists it (the page and the workbook alike)."""
    return (
        paper.code,
        f"{paper.indicator.code} {paper.indicator.name}",
        paper.title,
        paper.document_date.isoformat() if paper.document_date else "",
        paper.uploaded_by.display_name if paper.uploaded_by else "",
        _when(paper.uploaded_at),
    )


class WorkingPaperIndex(EvaluationFile):
    """底稿索引: every working paper with its 编号, indicator, title, date and uploader; removed ones on a second sheet."""

    identifier = "working-papers-xlsx"
    extension = "xlsx"
    what = "工作底稿索引"

    def render(self, evaluation: Evaluation) -> bytes:
        from evalsite.lib import write_xlsx

        papers = list(evidence_of(evaluation))
        workbook = write_xlsx.new_workbook()
        sheets = [("底稿索引", INDEX_COLUMNS, [index_row(p) for p in papers if not p.removed], f"{self.name(evaluation)}")]
        removed = [p for p in papers if p.removed]
        if removed:
            rows = [(*index_row(p), p.removed_by.display_name if p.removed_by else "", _when(p.removed_at)) for p in removed]
            sheets.append(("已移除", REMOVED_COLUMNS, rows, "已移除的底稿（保留记录）"))
        for name, columns, rows, heading in sheets:
            sheet = workbook.create_sheet(name)
            write_xlsx.title(sheet, 1, heading, len(columns))
            for column, header in enumerate(columns, start=1):
                write_xlsx.put(sheet, 2, column, header, header=True)
            for row_number, row in enumerate(rows, start=3):
                for column, value in enumerate(row, start=1):
                    write_xlsx.put(sheet, row_number, column, value, align="left" if column in (2, 3) else "center")
            write_xlsx.set_widths(sheet, (10, 30, 36, 12, 10, 17, 10, 17)[: len(columns)])
        return write_xlsx.save(workbook)


WORKING_PAPER_INDEX = WorkingPaperIndex()
