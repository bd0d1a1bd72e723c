"""The address a request came from, as login throttling counts it.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies the client is the address the
outermost trusted proxy saw: that many entries from the right of
``X-Forwarded-For``. Entries further left are written by the client itself and
could be anything, so they are never used.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
