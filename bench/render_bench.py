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
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated import large_evaluation, setup_django


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
