"""Two people, one record: a save made from an older revision is refused, never silently applied.

A record people edit in a form (a judgment, the budget figures, a
questionnaire's counts) carries ``revision``, a counter that every stored
change moves on. The page sends back the revision it was loaded with; the
write service locks the row (``select_for_update``, so two simultaneous saves
cannot both pass), compares, and raises :class:`EditConflict` when someone
else saved in between. The view then shows the other person's values beside
the refused ones and lets the user take either.

A record's ``revision`` is its own; it is not the evaluation's content
version under which computed results are kept.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone


class EditConflict(ValidationError):
    """A save based on an older revision of ``record``; nothing was stored.

    ``who`` and ``when`` name the last change (from the record's history),
    ``revision`` is the one the page must be based on to save.
    """

    def __init__(self, what: str, record, revision: int):
        self.what = what
        self.record = record
        self.revision = revision
        self.who, self.when = last_change(record)
        when = timezone.localtime(self.when).strftime("%Y-%m-%d %H:%M") if self.when else "刚才"
        super().__init__(
            f"{what}已由{self.who}于{when}修改并保存（第{revision}版），你的修改尚未保存。"
            "请对照双方的内容，选择保留哪一份。"
        )


def last_change(record) -> tuple[str, object]:
    """Who stored ``record`` last and when, from its history (``"他人"`` when it has none)."""
    history = getattr(record, "history", None)
    last = history.select_related("history_user").first() if history is not None else None
    if last is None:
        return "他人", getattr(record, "updated_at", None)
    user = last.history_user
    return (user.display_name if user else "系统"), last.history_date


def check_revision(what: str, record, current: int, base: int | None) -> None:
    """Refuse a save based on ``base`` when ``record`` (locked by the caller) is now at ``current``.

    ``base`` None means the caller edits without a page (an import, a command): no check.
    """
    if base is not None and base != current:
        raise EditConflict(what, record, current)


def conflict_context(error: EditConflict, rows, theirs_url: str) -> dict:
    """What a page shows of a refused save: the message, each differing value (theirs, yours), and where taking theirs leads.

    ``rows`` are (label, their value, your value) as printed; only those that differ are shown.
    """
    return {
        "message": error.message,
        "rows": [(label, theirs, yours) for label, theirs, yours in rows if theirs != yours],
        "revision": error.revision,
        "theirs_url": theirs_url,
    }


def rebased(data, revision: int, field: str = "revision"):
    """The refused form's data based on ``revision``: submitting it again keeps the user's values."""
    data = data.copy()
    data[field] = str(revision)
    return data
