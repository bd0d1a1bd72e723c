"""What a reviewer should look at before sign-off, listed on the report page.

Nothing here changes a number: it compares what the data says with what the
words say (a 评分过程 stating another score, a placeholder nobody knows),
and points at what is missing (未评分, empty chapters, deductions no problem
explains).
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluations import fiscal
from reports import narrative
from reports.defaults import section_text
from reports.document_model import Document
from reports.enums import SectionKey
from reports.queries import ReportData
from reports.selfeval_values import missing_values
from rubrics import scoring

REQUIRED_SECTIONS = (SectionKey.OVERALL, SectionKey.EXPERIENCE)


@dataclass(frozen=True)
class Check:
    level: str  # "danger" blocks a clean report, "warning" deserves a look
    message: str


def report_checks(data: ReportData, document: Document) -> list[Check]:
    checks: list[Check] = []
    result = data.scored.result
    if result is None:
        return [Check("danger", "尚未选定指标体系，报告中没有得分。")]
    if result.unscored:
        checks.append(Check("danger", f"尚有{len(result.unscored)}项指标未评分：{'、'.join(result.unscored)}。"))
    checks += [Check("danger", f"评分有误：{error}") for error in result.errors]
    checks += [Check("warning", warning) for warning in document.warnings]
    checks += [Check("warning", warning) for warning in fiscal.consistency_warnings(data.figures)]
    for key in REQUIRED_SECTIONS:
        if not narrative.lines_of(section_text(key, data)):
            checks.append(Check("warning", f"“{SectionKey(key).label}”尚未填写。"))
    if not data.problems:
        checks.append(Check("warning", "尚未填写存在的问题。"))
    linked = {code for problem in data.problems for code in problem.indicator_codes}
    deducted = [
        node
        for node in result.walk()
        if node.is_leaf and node.kind == scoring.NORMAL and node.applicable and node.score is not None and node.score < node.weight
    ]
    missing = [f"{node.code}{node.name}" for node in deducted if node.code not in linked]
    if data.problems and missing:
        checks.append(Check("warning", f"以下扣分指标没有关联到任何问题：{'、'.join(missing)}。"))
    for problem in data.problems:
        if not problem.indicator_codes:
            checks.append(Check("warning", f"问题“{problem.title}”没有关联指标。"))
    answered = {suggestion.problem_pk for suggestion in data.suggestions}
    for problem in data.problems:
        if problem.pk not in answered:
            checks.append(Check("warning", f"问题“{problem.title}”还没有对应的建议。"))
    checks += selfeval_checks(data)
    return checks


def selfeval_checks(data: ReportData) -> list[Check]:
    """The 自评表 prints “—” where the data holds no 年度指标值 or 实际完成值: say which."""
    no_target, no_actual = missing_values(data)
    checks = []
    if no_target:
        checks.append(Check("warning", f"自评表：以下指标没有年度指标值（标杆值或绩效目标申报表中同名指标的指标值）：{'、'.join(no_target)}。"))
    if no_actual:
        checks.append(Check("warning", f"自评表：以下指标没有实际完成值（评分时填写，或由取自数据的值给出）：{'、'.join(no_actual)}。"))
    return checks
