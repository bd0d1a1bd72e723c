"""Load bench: the app under gunicorn on PostgreSQL, 50 evaluators working as people do, 10 people downloading.

    scripts/with-postgres.sh .venv/bin/python bench/load.py                # 60 s with pauses, 30 s without
    .venv/bin/python bench/load.py --seconds 120 --saturation-seconds 60   # starts PostgreSQL itself

Everything runs on this machine and talks only to 127.0.0.1. The app is
served as in production (``DJANGO_DEBUG=0``, collectstatic, gunicorn, the
background worker ``db_worker`` beside it) on a throwaway PostgreSQL
(``scripts/with-postgres.sh``; the script starts it when ``DATABASE_URL`` does
not name one). The demo is loaded and each evaluator gets a copy of the 延津
evaluation of his own, so no two of them write the same rows.

Phase 1, for ``--seconds``: every evaluator arrives within one pause and repeats
dashboard → indicator overview → a judgment page → 保存并下一项 (the form as the
page gives it, with a 评分过程 of its own), pausing 2–5 s between actions; the
first dashboard (no cached total yet) is counted apart; meanwhile each
downloader asks for the PDF of one of those evaluations (changing as its
evaluator saves), polls its progress every second and downloads the file.
Phase 2, for ``--saturation-seconds``: the same evaluators with no pause, to
find the throughput at saturation. Prints requests per second, p50/p95/p99 per
kind of request and the errors, and checks that every acknowledged save is in
the database. Exits non-zero when a target is missed: no error, no lost save,
in phase 1 the evaluators' p95 < 300 ms over all their requests and for each
kind of request, saturation ≥ 52 requests/s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generated import ROOT  # puts the project on the path

from tests.serving import VENV_BIN, Browser, clean_environment, form_fields, free_port, running

PASSWORD = "Load-test-2026"
EVALUATOR_KINDS = ("dashboard (first)", "dashboard", "overview", "judgment page", "judgment save")
TARGET_P95_MS = 300
TARGET_SATURATION = 52  # twice the 26 requests/s measured before this work


@dataclass
class Record:
    """What the threads saw: latencies by kind, errors, acknowledged saves."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    saves: dict[tuple[int, str], str] = field(default_factory=dict)  # last acknowledged 评分过程 per indicator
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, problem: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if problem:
                self.errors.append(f"{kind}: {problem}")


def timed(record: Record, kind: str, call, ok=(200,)):
    started = time.perf_counter()
    try:
        response = call()
    except Exception as error:  # a refused or dropped connection is an error, not a crash of the bench
        record.add(kind, time.perf_counter() - started, repr(error))
        return None
    record.add(kind, time.perf_counter() - started,
               None if response.status in ok else f"HTTP {response.status} {response.text[:200]!r}")
    return response if response.status in ok else None


def browser_for(port: int, username: str) -> Browser:
    # Behind the TLS proxy we play: HTTPS as far as the app knows, and a same-origin Referer for CSRF.
    browser = Browser(port, extra_headers={"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{port}/"},
                      timeout=120)
    response = browser.log_in(username, PASSWORD)
    if response.status != 302:
        raise RuntimeError(f"{username} cannot log in: {response.status} {response.text[:300]}")
    return browser


def evaluator(port: int, person: dict, record: Record, until: float, pause: bool, stop: threading.Event,
              browser: Browser) -> None:
    rng = random.Random(person["username"])
    pk, leaves = person["evaluation"], person["leaves"]
    position = rng.randrange(len(leaves))
    saved = 0

    def rest():
        if pause:
            stop.wait(rng.uniform(2, 5))

    rest()  # people do not all open the app in the same millisecond: each arrives within one pause
    first = True
    while time.monotonic() < until and not stop.is_set():
        timed(record, "dashboard (first)" if first else "dashboard", lambda: browser.get("/"))
        first = False
        rest()
        timed(record, "overview", lambda: browser.get(f"/evaluations/{pk}/indicators/"))
        rest()
        code = leaves[position]
        path = f"/evaluations/{pk}/indicators/{code}/"
        page = timed(record, "judgment page", lambda path=path: browser.get(path))
        rest()
        if page is None or time.monotonic() >= until:
            continue
        saved += 1
        text = f"{person['username']}第{saved}次保存：查阅了{code}的佐证材料。"
        fields = [(name, value) for name, value in form_fields(page.text) if name != "process"]
        following = leaves[(position + 1) % len(leaves)]
        form = [*fields, ("process", text), ("next_code", following)]
        headers = {"Referer": f"https://127.0.0.1:{port}{path}"}
        response = timed(record, "judgment save",
                         lambda path=path, form=form, headers=headers: browser.post(path, form, headers=headers), ok=(302,))
        if response is not None:
            with record.lock:
                record.saves[(pk, code)] = text
        position = (position + 1) % len(leaves)
        rest()


def downloader(port: int, person: dict, record: Record, until: float, stop: threading.Event, browser: Browser) -> None:
    rng = random.Random(person["username"])
    pk = person["evaluation"]
    while time.monotonic() < until and not stop.is_set():
        started = time.perf_counter()
        response = timed(record, "download request", lambda: browser.get(f"/evaluations/{pk}/report/download/pdf/"))
        if response is not None and not response.headers.get("Content-Type", "").startswith("application/pdf"):
            link = None
            while link is None and time.monotonic() < until + 120 and not stop.is_set():
                stop.wait(1)
                status = timed(record, "download poll", lambda: browser.get(f"/evaluations/{pk}/report/render/pdf/"))
                if status is None:
                    break
                if 'data-state="failed"' in status.text and "已修改" not in status.text:
                    record.add("download file", 0, "render failed: " + re.sub(r"\s+", " ", status.text)[:300])
                    break
                found = re.search(r'href="(/evaluations/\d+/report/files/\d+/)"', status.text)
                link = found.group(1) if found else None
            if link is not None:
                pdf = timed(record, "download file", lambda link=link: browser.get(link))
                if pdf is not None and not pdf.body.startswith(b"%PDF"):
                    record.add("download file", 0, "not a PDF")
        record.add("download (whole)", time.perf_counter() - started)
        stop.wait(rng.uniform(2, 5))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(title: str, record: Record, seconds: float, kinds) -> float:
    evaluator_requests = sum(len(record.latencies[k]) for k in EVALUATOR_KINDS)
    total = sum(len(values) for kind, values in record.latencies.items() if kind != "download (whole)")
    print(f"\n{title}：{seconds:.0f} s，全部请求 {total / seconds:.1f} 次/秒，评价人员的请求 {evaluator_requests / seconds:.1f} 次/秒")
    print(f"  {'请求':<18}{'次数':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'错误':>6}")
    for kind in kinds:
        values = record.latencies.get(kind) or []
        errors = sum(1 for error in record.errors if error.startswith(kind + ":"))
        if values:
            print(f"  {kind:<18}{len(values):>7}{percentile(values, .5) * 1000:>9.0f}{percentile(values, .95) * 1000:>9.0f}"
                  f"{percentile(values, .99) * 1000:>9.0f}{errors:>6}")
    for error in record.errors[:10]:
        print("  错误：", error)
    return evaluator_requests / seconds


def manage(environment: dict, *args: str, timeout: float = 900) -> str:
    result = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def stored_processes(environment: dict, evaluations: list[int]) -> dict[tuple[int, str], str]:
    code = (
        "import json; from rubrics.models import Judgment; "
        f"print(json.dumps([[j.indicator.evaluation_id, j.indicator.code, j.process] for j in "
        f"Judgment.objects.filter(indicator__evaluation_id__in={evaluations!r}).select_related('indicator')]))"
    )
    rows = json.loads(manage(environment, "shell", "-c", code).strip().splitlines()[-1])
    return {(pk, code): process for pk, code, process in rows}


def run_phase(port, people, record, seconds, *, pause, downloads, browsers):
    stop = threading.Event()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=evaluator, args=(port, person, record, until, pause, stop, browsers[person["username"]]))
        for person in people["evaluators"]
    ]
    if downloads:
        threads += [
            threading.Thread(target=downloader, args=(port, person, record, until, stop, browsers[person["username"]]))
            for person in people["downloaders"]
        ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    stop.set()
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="phase 1 (people's pauses, downloads) duration")
    parser.add_argument("--saturation-seconds", type=float, default=30, help="phase 2 (no pauses) duration")
    parser.add_argument("--evaluators", type=int, default=50)
    parser.add_argument("--downloaders", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        script = ROOT / "scripts" / "with-postgres.sh"
        os.execv(str(script), [str(script), sys.executable, *sys.argv])

    with tempfile.TemporaryDirectory() as directory:
        base = Path(directory)
        port = free_port()
        environment = clean_environment(
            DJANGO_DEBUG="0", SECRET_KEY="load-" + "k" * 60, ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=os.environ["DATABASE_URL"], MEDIA_ROOT=str(base / "media"), STATIC_ROOT=str(base / "static"),
            CACHE_DIR=str(base / "cache"), EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            DEFAULT_FROM_EMAIL="noreply@example.cn", LOG_LEVEL="ERROR", SIGNING_KEY_PASSPHRASE="load-bench-passphrase",
        )
        started = time.perf_counter()
        manage(environment, "migrate", "--noinput")
        manage(environment, "collectstatic", "--noinput")
        manage(environment, "load_demo")
        prepare = (f"import json, sys; sys.path.insert(0, 'bench'); from generated import prepare_load; "
                   f"print(json.dumps(prepare_load({options.evaluators}, {options.downloaders}, {PASSWORD!r})))")
        people = json.loads(manage(environment, "shell", "-c", prepare).strip().splitlines()[-1])
        print(f"准备：迁移、载入演示数据、{options.evaluators}个评价项目副本 {time.perf_counter() - started:.0f} s", flush=True)

        gunicorn = [str(VENV_BIN / "gunicorn"), "evalsite.wsgi", "--bind", f"127.0.0.1:{port}",
                    "--workers", str(options.workers), "--threads", str(options.threads), "--timeout", "120"]
        # The worker shares the machine with the app servers here: at a lower priority, as the README advises.
        worker = subprocess.Popen(["nice", "-n", "10", str(VENV_BIN / "python"), "manage.py", "db_worker", "--no-reload",
                                   "--interval", "0.5"],
                                  cwd=ROOT, env=environment, stdout=(base / "worker.log").open("wb"),
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            with running(gunicorn, cwd=ROOT, env=environment, port=port, log=base / "gunicorn.log"):
                everyone = [*people["evaluators"], *people["downloaders"]]
                browsers = {person["username"]: browser_for(port, person["username"]) for person in everyone}
                print(f"gunicorn {options.workers} 个进程 × {options.threads} 线程，后台工作进程 1 个（nice 10）；"
                      f"{len(browsers)} 人已登录；负载 {os.getloadavg()[0]:.2f}", flush=True)

                paced = Record()
                seconds = run_phase(port, people, paced, options.seconds, pause=True, downloads=True, browsers=browsers)
                report(f"第一阶段：{options.evaluators}名评价人员（每步间隔2–5秒）+ {options.downloaders}人下载PDF",
                       paced, seconds, (*EVALUATOR_KINDS, "download request", "download poll", "download file",
                                        "download (whole)"))
                saturated = Record()
                seconds = run_phase(port, people, saturated, options.saturation_seconds, pause=False, downloads=False,
                                    browsers=browsers)
                throughput = report(f"第二阶段：{options.evaluators}名评价人员不停顿（饱和吞吐量）", saturated, seconds,
                                    EVALUATOR_KINDS)
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=60)

        acknowledged = {**paced.saves, **saturated.saves}
        stored = stored_processes(environment, [person["evaluation"] for person in people["evaluators"]])
        lost = [key for key, text in acknowledged.items() if stored.get(key) != text]
        evaluator_p95 = percentile([v for k in EVALUATOR_KINDS for v in paced.latencies[k]], .95) * 1000
        errors = len(paced.errors) + len(saturated.errors)
        print(f"\n已确认的保存 {len(acknowledged)} 项，数据库中缺失或不同 {len(lost)} 项；错误 {errors} 个；"
              f"第一阶段评价人员请求 p95 {evaluator_p95:.0f} ms；饱和吞吐量 {throughput:.1f} 次/秒；"
              f"结束时负载 {os.getloadavg()[0]:.2f}")
        missed = []
        if errors:
            missed.append(f"{errors} 个错误")
        if lost:
            missed.append(f"{len(lost)} 项保存丢失")
        if evaluator_p95 >= TARGET_P95_MS:
            missed.append(f"p95 {evaluator_p95:.0f} ms ≥ {TARGET_P95_MS} ms")
        for kind in EVALUATOR_KINDS:
            kind_p95 = percentile(paced.latencies[kind], .95) * 1000 if paced.latencies[kind] else 0
            if kind_p95 >= TARGET_P95_MS:
                missed.append(f"{kind} p95 {kind_p95:.0f} ms ≥ {TARGET_P95_MS} ms")
        if throughput < TARGET_SATURATION:
            missed.append(f"饱和吞吐量 {throughput:.1f} < {TARGET_SATURATION} 次/秒")
        print("目标全部达到。" if not missed else "未达到：" + "；".join(missed))
        sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
