"""The README's production steps, run as written on a fresh copy of the repository.

A copy of the repository's files (what a clone has, plus uncommitted edits) in a
temporary folder; the commands of the README's ``## 生产部署`` block run there
one by one with ``DJANGO_DEBUG=0`` (a temporary SQLite file as the database);
gunicorn then serves the login page, the hashed static files and a login, with
the security headers, behind the HTTPS proxy the test plays.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from tests.serving import ROOT, VENV_BIN, Browser, clean_environment, free_port, fresh_copy, running

pytestmark = pytest.mark.server


def readme_production_block() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 生产部署"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.strip() for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def as_run_here(command: str, port: int) -> list[str]:
    """A README command with ``.venv/bin/`` pointing at this virtualenv and gunicorn bound to ``port``."""
    words = shlex.split(command)
    words[0] = str(VENV_BIN / words[0].removeprefix(".venv/bin/"))
    if "--bind" in words:
        words[words.index("--bind") + 1] = f"127.0.0.1:{port}"
    return words


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The copy, the environment, the README's commands: run up to gunicorn, which the tests share."""
    base = tmp_path_factory.mktemp("production")
    app = fresh_copy(base / "app")
    port = free_port()
    environment = clean_environment(
        DJANGO_DEBUG="0",
        SECRET_KEY="test-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}",
        MEDIA_ROOT=str(base / "media"),
        EMAIL_HOST="localhost",
        DEFAULT_FROM_EMAIL="noreply@example.cn",
        SIGNING_KEY_PASSPHRASE="test-signing-passphrase",
    )
    lines = readme_production_block()
    exported = {name for line in lines if line.startswith("export ") for name in re.findall(r"(\w+)=", line)}
    missing = exported - environment.keys()
    assert not missing, f"the README exports {missing}, which this test does not set"
    commands = [line for line in lines if not line.startswith("export ")]
    assert [c.split()[0] for c in commands] == [".venv/bin/python", ".venv/bin/python", ".venv/bin/gunicorn"]

    for command in commands[:-1]:
        result = subprocess.run(as_run_here(command, port), cwd=app, env=environment, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    user = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "createsuperuser", "--noinput"], cwd=app, capture_output=True, text=True,
        env={**environment, "DJANGO_SUPERUSER_USERNAME": "ops", "DJANGO_SUPERUSER_EMAIL": "ops@example.cn",
             "DJANGO_SUPERUSER_PASSWORD": "Ops-password-2026"}, timeout=120,
    )
    assert user.returncode == 0, user.stderr
    with running(as_run_here(commands[-1], port), cwd=app, env=environment, port=port, log=base / "gunicorn.log"):
        yield {"port": port, "app": app, "log": base / "gunicorn.log"}


def behind_https_proxy(port: int) -> Browser:
    return Browser(port, extra_headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})


def test_collectstatic_wrote_a_manifest_of_hashed_files(production):
    manifest = (production["app"] / "staticfiles" / "staticfiles.json").read_text()
    for name in ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
                 "vendor/htmx/htmx.min.js", "css/app.css", "js/app.js"]:
        assert f'"{name}"' in manifest


def test_login_page_and_its_static_files_answer_200(production):
    browser = behind_https_proxy(production["port"])
    page = browser.get("/login/")
    assert page.status == 200, page.text[:3000] + production["log"].read_text()
    assert "登录" in page.text and "忘记密码" in page.text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    assert any(re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", asset) for asset in assets), assets
    assert len(assets) == 5  # bootstrap css and js, app.css, htmx, app.js
    for asset in assets:
        response = browser.get(asset)
        assert response.status == 200, asset
        assert "immutable" in response.headers["Cache-Control"]
    css = next(asset for asset in assets if "/css/app." in asset)
    assert browser.get(css).headers["Content-Type"].startswith("text/css")


def test_security_headers_and_secure_cookies(production):
    page = behind_https_proxy(production["port"]).get("/login/")
    csp = page.headers["Content-Security-Policy"]
    for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "same-origin"
    csrf_cookie = next(c for c in page.headers.get_all("Set-Cookie") if c.startswith("__Host-csrftoken="))
    assert "Secure" in csrf_cookie and "HttpOnly" in csrf_cookie


def test_plain_http_is_sent_to_https(production):
    response = Browser(production["port"]).get("/login/")
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{production['port']}/login/"


def test_a_user_logs_in_and_sees_the_dashboard(production):
    browser = behind_https_proxy(production["port"])
    origin = f"https://127.0.0.1:{production['port']}"
    browser.extra_headers["Referer"] = f"{origin}/login/"
    response = browser.log_in("ops", "Ops-password-2026")
    assert response.status == 302, response.text[:2000]
    assert "__Host-sessionid" in browser.cookies
    dashboard = browser.get("/")
    assert dashboard.status == 200
    assert "评价项目" in dashboard.text


def test_unknown_pages_answer_404_without_details(production):
    response = behind_https_proxy(production["port"]).get("/no-such-page/")
    assert response.status == 404
    assert "Traceback" not in response.text and "urlpatterns" not in response.text

