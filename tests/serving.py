"""Run the app as it is served (gunicorn in its own process group) and talk to it over HTTP.

Used by the tests that start real servers: the README's production steps and the
concurrent writers on SQLite. Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
#: Variables of the developer's or CI's environment that must not leak into a server under test.
PROJECT_VARIABLES = {
    "SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "ALLOWED_HOSTS", "MEDIA_ROOT",
    "STATIC_ROOT", "STORAGE_BACKEND", "EMAIL_HOST", "EMAIL_BACKEND", "DEFAULT_FROM_EMAIL", "DJANGO_SETTINGS_MODULE",
    "SIGNING_KEY_PASSPHRASE",
}


def clean_environment(**overrides: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in PROJECT_VARIABLES}
    environment.update(overrides)
    return environment


def fresh_copy(destination: Path) -> Path:
    """The repository's files as a fresh clone has them (tracked and new, nothing ignored), with local edits."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(command: list[str], *, cwd: Path, env: dict[str, str], port: int, log: Path, timeout: float = 60):
    """Start ``command`` (a server listening on ``port``), wait until it accepts connections, stop it after."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"server did not listen within {timeout} s:\n{log.read_text(errors='replace')}") from None
                    time.sleep(0.2)
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One user's HTTP session: keeps cookies (``Secure`` ones too: TLS ends at the proxy we play)."""

    port: int
    extra_headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            sent = {"Host": f"127.0.0.1:{self.port}", **self.extra_headers, **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if form is not None:
                body = urlencode(form, doseq=True)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict, **kwargs) -> Response:
        return self.request("POST", path, form=form, **kwargs)

    def csrf_form(self, path: str) -> tuple[Response, str]:
        """GET a page and return it with the CSRF token of its (first) form."""
        page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if match is None:
            raise AssertionError(f"no CSRF token on {path} ({page.status}):\n{page.text[:2000]}")
        return page, match.group(1)

    def log_in(self, username: str, password: str) -> Response:
        _, token = self.csrf_form("/login/")
        return self.post("/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password})


class FormFields(HTMLParser):
    """The fields a browser would submit, unchanged, from the page's form marked ``data-testid=testid``."""

    def __init__(self, testid: str = "judgment-form") -> None:
        super().__init__()
        self.testid = testid
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("data-testid") == self.testid:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit", "button", "file"}:
            if attributes.get("type") in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            else:
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._first_option, self._chosen = name, None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attributes.get("value", "")
            if "selected" in attributes and not self._chosen:
                self.fields.append((self._select, attributes.get("value", "")))
                self._chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._chosen and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None


def form_fields(html: str, testid: str = "judgment-form") -> list[tuple[str, str]]:
    """The fields of the page's form marked ``data-testid=testid``, as a browser would submit them."""
    parser = FormFields(testid)
    parser.feed(html)
    return parser.fields
