"""The navbar's unread count, read only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from reports.notifications import unread


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread(user).count())}
