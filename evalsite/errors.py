"""Error pages that say why and offer a way back (the 500 and 400 pages are Django's, from templates/)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

DEFAULT_DENIAL = "您没有执行此操作的权限。"
DEFAULT_NOT_FOUND = "您要打开的页面不存在，或者您没有查看它的权限。"
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _reason(exception: Exception | None, default: str) -> str:
    """The exception's own message when it is one of ours (written in Chinese for the user), else ``default``.

    Django's own messages (``No Problem matches the given query.``, the resolver's
    list of patterns tried) are for developers and are not shown.
    """
    message = exception.args[0] if exception is not None and exception.args else None
    return message if isinstance(message, str) and _CHINESE.search(message) else default


def _back(request: HttpRequest) -> str | None:
    """The page the user came from, if it is on this site and is not this page."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return None if referer.split("?", 1)[0].endswith(request.path) else referer


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"reason": _reason(exception, DEFAULT_DENIAL), "back": _back(request)}
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"reason": _reason(exception, DEFAULT_NOT_FOUND), "back": _back(request), "path": request.path}
    return render(request, "404.html", context, status=404)
