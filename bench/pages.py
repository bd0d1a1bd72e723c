"""Benchmark: the scoring pages at 30, 300 and 3,000 third-level indicators.

    .venv/bin/python bench/pages.py              # 7 runs of each, medians
    .venv/bin/python bench/pages.py --runs 11

On a throwaway SQLite database with the demo loaded, one generated
evaluation per size (every indicator judged), worked by its own evaluator
through Django's test client (the whole request: middleware, view, template).
Times, per size: the dashboard and the indicator overview as read again (the
result cached under the evaluation's version) and right after a save (the new
version scored once), the judgment page, and 保存并下一项 (the POST alone, and
with the next indicator's page it leads to). Prints medians in milliseconds
and the 3,000/300 ratio of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated import setup_django  # puts the project on the path

from tests.serving import form_fields

SIZES = (30, 300, 3000)
KINDS = ("dashboard", "dashboard (after a save)", "overview", "overview (after a save)", "judgment page",
         "save (POST)", "保存并下一项 (POST + next page)")
TARGET_MS = {"judgment page": 100, "save (POST)": 100, "保存并下一项 (POST + next page)": 100}


def evaluator_for(evaluation):
    """A 评价人员 on this evaluation only, so the dashboard lists one evaluation whatever the size."""
    from django.contrib.auth import get_user_model

    from evaluations.enums import TeamRole

    user, _ = get_user_model().objects.get_or_create(
        username=f"bench{evaluation.pk}", defaults={"organization": evaluation.firm, "full_name": "基准测试"}
    )
    evaluation.memberships.get_or_create(user=user, defaults={"role": TeamRole.STAFF})
    return user


def judgment_post(client, url: str, flip: bool) -> dict:
    page = client.get(url)
    fields = dict(form_fields(page.content.decode()))
    fields["yes"] = "0" if flip else "1"
    fields["process"] = f"评价组查阅了相关资料（基准测试，{'不' if flip else ''}符合）。"
    return fields


def measure(evaluation, runs: int) -> dict[str, float]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(evaluator_for(evaluation))
    leaves = list(
        evaluation.indicators.filter(children__isnull=True).order_by("position").values_list("code", flat=True)
    )
    middle = len(leaves) // 2
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}

    def timed(kind, function):
        start = time.perf_counter()
        response = function()
        times[kind].append(time.perf_counter() - start)
        assert response.status_code in (200, 302), (kind, response.status_code)
        return response

    dashboard, overview = reverse("dashboard"), reverse("rubric_overview", args=[evaluation.pk])
    for run in range(runs):
        code, following = leaves[middle + 2 * run], leaves[middle + 2 * run + 1]
        url = reverse("judgment_edit", args=[evaluation.pk, code])
        data = judgment_post(client, url, flip=run % 2 == 0)
        data["next_code"] = following
        client.get(reverse("judgment_edit", args=[evaluation.pk, following]))  # as the page shown before
        start = time.perf_counter()
        response = timed("save (POST)", lambda: client.post(url, data))  # noqa: B023
        assert response.status_code == 302, response.content[:500]
        timed("judgment page", lambda: client.get(response["Location"]))  # noqa: B023
        times["保存并下一项 (POST + next page)"].append(time.perf_counter() - start)
        timed("overview (after a save)", lambda: client.get(overview))
        timed("overview", lambda: client.get(overview))
        client.post(url, {**data, "process": data["process"] + "。"})  # a new version again
        timed("dashboard (after a save)", lambda: client.get(dashboard))
        timed("dashboard", lambda: client.get(dashboard))
    medians = {kind: statistics.median(values) * 1000 for kind, values in times.items()}
    medians["overview KB"] = len(client.get(overview).content) / 1024
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median is printed)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        import os

        os.environ.setdefault("CACHE_DIR", str(Path(directory) / "cache"))
        setup_django(Path(directory) / "bench.sqlite3")
        from generated import large_evaluation

        results = {}
        for size in SIZES:
            started = time.perf_counter()
            evaluation = large_evaluation(size)
            print(f"{size}个三级指标：生成 {time.perf_counter() - started:.1f} s", flush=True)
            results[size] = measure(evaluation, options.runs)
    print(f"\n中位耗时（ms，每项 {options.runs} 次）")
    print(f"{'':<34}" + "".join(f"{size:>10}" for size in SIZES) + f"{'3000/300':>10}")
    failed = []
    for kind in KINDS:
        ratio = results[3000][kind] / results[300][kind]
        print(f"{kind:<34}" + "".join(f"{results[size][kind]:>10.1f}" for size in SIZES) + f"{ratio:>10.2f}")
        if ratio > 10:
            failed.append(f"{kind}: 3000/300 = {ratio:.1f} > 10")
        if kind in TARGET_MS and results[3000][kind] > TARGET_MS[kind]:
            failed.append(f"{kind}: {results[3000][kind]:.0f} ms > {TARGET_MS[kind]} ms at 3,000")
    print(f"{'overview page (KB)':<34}" + "".join(f"{results[size]['overview KB']:>10.0f}" for size in SIZES))
    print("目标：每项 3000/300 ≤ 10；3,000项时评分页与保存 < 100 ms。" + ("全部达到。" if not failed else "未达到：" + "；".join(failed)))


if __name__ == "__main__":
    main()
