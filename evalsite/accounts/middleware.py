"""Sessions that end after a working day of inactivity without a database write on every page."""

import time

from django.conf import settings

SEEN_KEY = "_seen"


def mark_seen(sender, request, user, **kwargs) -> None:
    """On login (``user_logged_in``): the new session counts as just refreshed, so the next page is no write."""
    request.session[SEEN_KEY] = int(time.time())


class SlidingSessionMiddleware:
    """Push a signed-in session's expiry forward at most every ``SESSION_REFRESH_SECONDS``.

    Django moves the expiry (``SESSION_COOKIE_AGE`` from now) whenever the session is saved;
    touching ``_seen`` saves it. A session idle for longer than ``SESSION_COOKIE_AGE`` expires.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SEEN_KEY] = now
        return self.get_response(request)
