"""Benchmark: render the 延津 demo and a generated 300-indicator evaluation to every format.

    .venv/bin/python bench/render_bench.py            # 3 runs of each, medians
    .venv/bin/python bench/render_bench.py --runs 5

Works on a throwaway SQLite database (the demo is loaded into it), so the
development database is never touched. Prints the median time of each
format for each evaluation, and for the PDF the split between our part
(reading the data, building the document, the HTML) and WeasyPrint printing
that same HTML, with our overhead as a ratio of the whole.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "evalsite.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


def generated_tree(first: int = 10, second: int = 3, leaves: int = 10) -> list[dict]:
    """10 × 3 × 10 = 300 third-level indicators; weights 10 per first level, 3/3/4 per second level."""
    tree = []
    for a in range(first):
        first_code = chr(ord("A") + a)
        children = []
        for b in range(second):
            leaf_weight = "0.4" if b == second - 1 else "0.3"
            second_code = f"{first_code}{b + 1}"
            children.append(
                {
                    "code": second_code,
                    "name": f"第{b + 1}组二级指标",
                    "weight": "4" if b == second - 1 else "3",
                    "children": [
                        {
                            "code": f"{second_code}{c + 1:02d}",
                            "name": f"三级指标{first_code}{b + 1}-{c + 1}",
                            "weight": leaf_weight,
                            "explanation": "考察部门相关工作的开展情况、制度执行情况及目标完成程度。" * 2,
                            "criteria": "符合评价要点，得满分；反之，不得分。",
                            "rule": {"kind": "yes_no"},
                        }
                        for c in range(leaves)
                    ],
                }
            )
        tree.append({"code": first_code, "name": f"一级指标{first_code}", "weight": "10", "children": children})
    return tree


def large_evaluation():
    """A copy of the 延津 engagement and budget with a 300-indicator system, every indicator judged."""
    from evaluations.models import Department, Evaluation
    from reports import services as report_services
    from reports.enums import SectionKey
    from rubrics import services

    yanjin = Evaluation.objects.get(department__name="延津县政务服务和大数据管理局")
    department, _ = Department.objects.get_or_create(firm=yanjin.firm, name="基准测试县大型部门")
    evaluation = Evaluation.objects.filter(department=department).first()
    if evaluation is None:
        evaluation = Evaluation.objects.create(
            firm=yanjin.firm, department=department, year=yanjin.year, bureau=yanjin.bureau,
            methods=yanjin.methods, standards=yanjin.standards, basis=yanjin.basis, report_date=yanjin.report_date,
        )
        budget = yanjin.budget
        budget.pk, budget.evaluation = None, evaluation
        budget.save()
        tree = generated_tree()
        services.copy_system_into(evaluation, tree, source_name="基准测试体系")
        judgments = {
            leaf["code"]: {
                "inputs": {"yes": index % 7 != 0},
                "process": f"评价组查阅了相关制度文件、台账和会议记录，并对经办人员进行访谈（第{index}项）。" * 3,
            }
            for index, leaf in enumerate((leaf for a in tree for b in a["children"] for leaf in b["children"]), start=1)
        }
        services.import_judgments(evaluation, judgments)
        for key in (SectionKey.OVERALL, SectionKey.EXPERIENCE, SectionKey.TASKS):
            report_services.save_section(evaluation, key, "{年度}年度，部门总体得分{总分}分，等级为“{等级}”。\n" * 20)
    return evaluation


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def fetched(evaluation_pk: int):
    from evaluations.models import Evaluation
    from evaluations.permissions import team_prefetch

    return (
        Evaluation.objects.select_related("department", "bureau", "firm")
        .prefetch_related(team_prefetch())
        .get(pk=evaluation_pk)
    )


def bench(evaluation, runs: int) -> None:
    from reports.document import build_report
    from reports.exports import render_data
    from reports.queries import report_data
    from reports.render_html import render_html
    from reports.render_pdf import html_to_pdf

    indicators = evaluation.indicators.filter(children__isnull=True).count()
    print(f"\n{evaluation.title}（{indicators}个三级指标）")
    for fmt in ("docx", "pdf", "xlsx", "selfeval-xlsx", "selfeval-docx"):
        seconds, content = timed(lambda fmt=fmt: render_data(report_data(fetched(evaluation.pk)), fmt), runs)
        print(f"  {fmt:<14} {seconds:7.2f} s  {len(content) / 1024:8.0f} KB")

    def ours():
        document = build_report(report_data(fetched(evaluation.pk)))
        return render_html(document)

    ours_seconds, html = timed(ours, runs)
    weasy_seconds, pdf = timed(lambda: html_to_pdf(html), runs)
    total = ours_seconds + weasy_seconds
    print(
        f"  PDF: 数据与文档树+HTML {ours_seconds:.2f} s，WeasyPrint 单独打印同一HTML {weasy_seconds:.2f} s；"
        f"我们的开销占 {ours_seconds / total:.0%}（合计/WeasyPrint = {total / weasy_seconds:.2f}×），PDF {len(pdf) / 1024:.0f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median is printed)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        from evaluations.models import Evaluation

        yanjin = Evaluation.objects.get(department__name="延津县政务服务和大数据管理局")
        print(f"每项取 {options.runs} 次运行的中位数。")
        bench(yanjin, options.runs)
        bench(large_evaluation(), options.runs)


if __name__ == "__main__":
    main()
