"""Benchmark: render the 延津 demo and a generated 3,000-indicator evaluation to every format.

    .venv/bin/python bench/render_bench.py                       # 延津 3 runs, the large one once
    .venv/bin/python bench/render_bench.py --runs 5 --size 300 --large-runs 3

Works on a throwaway SQLite database (the demo is loaded into it), so the
development database is never touched. Prints, for each evaluation, the
median time of each format; the HTML preview and DOCX / preview (target ≤ 3
for the large one); for the PDF the split between our part (reading the data,
building the document, the HTML) and WeasyPrint printing that same HTML alone
(target: the whole ≤ 1.1 × WeasyPrint), and for a report printed in parts
(``reports.pdf_parts``, the large one) its time against WeasyPrint printing
it whole; the preview page once rendered (target ≤ 0.5 s for 延津); and the time and peak memory of ``render_report`` in a
process of its own for the PDF and the DOCX (what the background worker holds).
Charts are drawn on the first run and read from storage afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated import ROOT, YANJIN, large_evaluation, setup_django


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


def peak_memory(evaluation_pk: int, fmt: str, directory: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of ``render_report`` in a process of its own (as the worker renders).

    The process reads its own high-water mark (``VmHWM``, reset by ``exec``; a child's ``ru_maxrss``
    would count the benchmark's own memory at the fork).
    """
    output = directory / f"render-{evaluation_pk}.{fmt}"
    code = (
        "from django.core.management import call_command; "
        f"call_command('render_report', '{evaluation_pk}', '--format', '{fmt}', '--output', {str(output)!r}); "
        "print(next(line for line in open('/proc/self/status') if line.startswith('VmHWM')))"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "shell", "-c", code], cwd=ROOT,
                            env=os.environ.copy(), capture_output=True, text=True, check=True)
    kilobytes = int(result.stdout.strip().splitlines()[-1].split()[1])
    return time.perf_counter() - started, kilobytes / 1024


def preview_page(evaluation, runs: int) -> float:
    """The preview page as a user gets it once the worker has rendered it (the stored render read back)."""
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username="lead"))
    url = reverse("report_preview", args=[evaluation.pk])
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        first = client.get(url)  # renders it (the worker's part, run at once here)
        assert first.status_code == 200 and b"report-document" in first.content, first.content[:300]
    seconds, page = timed(lambda: client.get(url), runs)
    assert page.status_code == 200
    return seconds


def bench(evaluation, runs: int, directory: Path) -> dict[str, float]:
    from reports.exports import document_for, render_data
    from reports.queries import report_data
    from reports.render_html import page_runs, render_body, render_html
    from reports.render_jobs import chart_prefix
    from reports.render_pdf import html_to_pdf

    indicators = evaluation.indicators.filter(children__isnull=True).count()
    print(f"\n{evaluation.title}（{indicators}个三级指标，每项 {runs} 次的中位数）", flush=True)
    figures = {}
    for fmt in ("docx", "pdf", "xlsx", "selfeval-xlsx", "selfeval-docx"):
        seconds, content = timed(lambda fmt=fmt: render_data(report_data(fetched(evaluation.pk)), fmt), runs)
        figures[fmt] = seconds
        print(f"  {fmt:<14} {seconds:7.2f} s  {len(content) / 1024:8.0f} KB", flush=True)

    def preview_html():
        document = document_for(report_data(fetched(evaluation.pk)), "pdf")
        return render_body(document, chart_prefix(evaluation.pk))

    figures["preview"], body = timed(preview_html, runs)
    print(f"  {'HTML预览':<12} {figures['preview']:7.2f} s  {len(body.encode()) / 1024:8.0f} KB（图表为链接）")
    print(f"  DOCX / HTML预览 = {figures['docx'] / figures['preview']:.2f}（目标 ≤ 3）")

    def ours():
        return render_html(document_for(report_data(fetched(evaluation.pk)), "pdf"))

    ours_seconds, html = timed(ours, runs)
    weasy_seconds, pdf = timed(lambda: html_to_pdf(html), runs)
    total = ours_seconds + weasy_seconds
    figures["pdf_ratio"] = total / weasy_seconds
    print(
        f"  PDF: 数据与文档树+HTML {ours_seconds:.2f} s，WeasyPrint 单独打印同一HTML {weasy_seconds:.2f} s；"
        f"我们的开销占 {ours_seconds / total:.0%}（合计/WeasyPrint = {figures['pdf_ratio']:.2f}×，目标 ≤ 1.1），PDF {len(pdf) / 1024:.0f} KB",
        flush=True,
    )
    from reports import pdf_parts

    items = pdf_parts.count_items(page_runs(document_for(report_data(fetched(evaluation.pk)), "pdf")))
    if items > pdf_parts.part_items():
        print(f"  PDF 分段打印（{items}个段落与表格行，每段约{pdf_parts.part_items()}个）："
              f"{figures['pdf']:.2f} s = {figures['pdf'] / weasy_seconds:.2f}× WeasyPrint 一次打印整份")
    figures["preview_page"] = preview_page(evaluation, runs)
    print(f"  预览页面（已生成过，读取存储的结果）{figures['preview_page'] * 1000:.0f} ms（延津目标 ≤ 500 ms）")
    for fmt in ("pdf", "docx"):
        seconds, megabytes = peak_memory(evaluation.pk, fmt, directory)
        figures[f"{fmt}_rss"] = megabytes
        print(f"  {fmt.upper()} 单独进程（render_report）：{seconds:.1f} s，峰值内存 {megabytes:.0f} MB", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement of 延津 (median is printed)")
    parser.add_argument("--size", type=int, default=3000, help="third-level indicators of the generated evaluation")
    parser.add_argument("--large-runs", type=int, default=1, help="runs per measurement of the generated evaluation")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        os.environ.setdefault("CACHE_DIR", str(Path(directory) / "cache"))
        os.environ.setdefault("MEDIA_ROOT", str(Path(directory) / "media"))
        setup_django(Path(directory) / "bench.sqlite3")
        from evaluations.models import Evaluation

        print(f"机器：{os.cpu_count()} 核；负载 {os.getloadavg()[0]:.2f}")
        yanjin = Evaluation.objects.get(department__name=YANJIN)
        bench(yanjin, options.runs, Path(directory))
        bench(large_evaluation(options.size), options.large_runs, Path(directory))
        print(f"\n结束时负载 {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
