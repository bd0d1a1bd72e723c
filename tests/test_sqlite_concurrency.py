"""The embedded SQLite under concurrency: 20 people saving at once all succeed, and every save is kept.

gunicorn (several processes, several threads each) serves a temporary SQLite
file with the demo loaded; 20 sessions log in at once, each opens the judgment
page of its own indicator and, released together, submits it with a 评分过程 of
its own. Every answer must be the redirect that acknowledges the save, and the
database must then hold every acknowledged text.
"""

from __future__ import annotations

import json
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.serving import VENV_BIN, Browser, clean_environment, form_fields, free_port, fresh_copy, running

pytestmark = pytest.mark.server

WRITERS = 20
DEMO = "延津县政务服务和大数据管理局"


def manage(app, environment, *args) -> str:
    result = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=app, env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_twenty_concurrent_writers_on_sqlite_all_succeed_and_are_kept(tmp_path):
    app = fresh_copy(tmp_path / "app")
    environment = clean_environment(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                                    MEDIA_ROOT=str(tmp_path / "media"))
    manage(app, environment, "migrate", "--noinput")
    manage(app, environment, "load_demo")
    listing = manage(app, environment, "shell", "-c", (
        "import json; from rubrics.models import Indicator; "
        f"print(json.dumps(list(Indicator.objects.filter(evaluation__department__name='{DEMO}', children__isnull=True)"
        ".order_by('position', 'code').values_list('evaluation_id', 'code'))))"
    ))
    leaves = json.loads(listing.strip().splitlines()[-1])
    assert len(leaves) >= WRITERS
    evaluation = leaves[0][0]
    codes = [code for _, code in leaves[:WRITERS]]

    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), "evalsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3",
               "--threads", "4", "--timeout", "120"]
    barrier = threading.Barrier(WRITERS)

    def writer(number: int) -> tuple[str, int, str]:
        code = codes[number]
        browser = Browser(port)
        login = browser.log_in("staff" if number % 2 else "lead", "demo12345")
        assert login.status == 302, login.text[:500]
        path = f"/evaluations/{evaluation}/indicators/{code}/"
        page = browser.get(path)
        assert page.status == 200, page.text[:500]
        fields = [(name, value) for name, value in form_fields(page.text) if name != "process"]
        text = f"并发保存第{number}份：{code}"
        barrier.wait(timeout=120)
        response = browser.request("POST", path, form=[*fields, ("process", text)],
                                   headers={"Referer": f"http://127.0.0.1:{port}{path}"})
        return code, response.status, text if response.status == 302 else response.text[:800]

    with running(command, cwd=app, env=environment, port=port, log=tmp_path / "gunicorn.log"):
        with ThreadPoolExecutor(WRITERS) as pool:
            outcomes = list(pool.map(writer, range(WRITERS)))

    errors = [(code, status, detail) for code, status, detail in outcomes if status != 302]
    assert errors == [], (tmp_path / "gunicorn.log").read_text(errors="replace")[-3000:]
    stored = json.loads(manage(app, environment, "shell", "-c", (
        "import json; from rubrics.models import Judgment; "
        f"print(json.dumps(dict(Judgment.objects.filter(indicator__evaluation_id={evaluation}).values_list('indicator__code', 'process'))))"
    )).strip().splitlines()[-1])
    assert {code: stored[code] for code, _, _ in outcomes} == {code: text for code, _, text in outcomes}
