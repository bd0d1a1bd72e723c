"""The outline a bureau prescribes, until report profiles carry it: 财预〔2020〕10号's reference outline as data.

Each chapter lists the words reports use for it (a 河南 report's 部门概况 is the
outline's 基本情况); a chapter is present when a chapter heading of the report
contains one of them. A bureau's outline replaces this one when it has its own
(``audits.models.ReviewSettings.outline``).
"""

from __future__ import annotations

from audits.checks.base import OutlineChapter

REFERENCE_NAME = "财预〔2020〕10号参考提纲"

REFERENCE_OUTLINE: tuple[OutlineChapter, ...] = (
    OutlineChapter("基本情况", ("基本情况", "部门概况", "基本概况", "单位概况", "项目概况")),
    OutlineChapter("绩效评价工作开展情况", ("评价工作开展情况", "评价开展情况", "评价工作情况")),
    OutlineChapter("综合评价情况及评价结论", ("综合评价", "评价结论")),
    OutlineChapter("绩效评价指标分析", ("指标分析", "绩效分析")),
    OutlineChapter("主要经验及做法", ("经验",)),
    OutlineChapter("存在的问题及原因分析", ("存在的问题", "存在问题", "问题及原因")),
    OutlineChapter("有关建议", ("建议",)),
    OutlineChapter("其他需要说明的问题", ("其他需要说明", "其他说明"), required=False),
)


def outline_from_data(chapters: list[dict]) -> tuple[OutlineChapter, ...]:
    """A bureau's own outline as stored (``[{"title": …, "words": […], "required": true}, …]``)."""
    return tuple(
        OutlineChapter(item["title"], tuple(item.get("words") or (item["title"],)), bool(item.get("required", True)))
        for item in chapters
    )
