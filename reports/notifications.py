"""Telling people: a notification in the app (listed with an unread count) and the same by e-mail.

The rows are written in the caller's transaction, so a refused step leaves
none; the e-mails leave only after the transaction commits
(``transaction.on_commit``), so nobody is told of a step that did not happen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from evalsite.lib.text_limits import shortened
from reports.models import Notification

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "【绩效评价工作台】"


def notify(users: Iterable, *, kind: str, message: str, evaluation=None, url: str = "", exclude=None) -> list[Notification]:
    """One notification per user (each once, active users only, ``exclude`` left out), e-mailed after commit."""
    recipients = {}
    for user in users:
        if user is not None and user.is_active and (exclude is None or user.pk != exclude.pk):
            recipients.setdefault(user.pk, user)
    # a step's comment is quoted whole in the mail, cut short in the app
    message_in_app = shortened(message, Notification._meta.get_field("message").max_length)
    rows = Notification.objects.bulk_create(
        Notification(user=user, evaluation=evaluation, kind=kind, message=message_in_app, url=url)
        for user in recipients.values()
    )
    mails = [
        EmailMessage(
            subject=f"{SUBJECT_PREFIX}{' '.join(message.split())[:60]}",  # a header holds no line break
            body=f"{user.display_name}：\n\n{message}\n\n{settings.SITE_URL}{url}\n",
            to=[user.email],
        )
        for user in recipients.values()
        if user.email
    ]
    if mails:
        transaction.on_commit(lambda: _send(mails), robust=True)
    return rows


def _send(mails: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(mails)
    except OSError:
        logger.exception("通知邮件发送失败")


def unread(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(user, notification: Notification | None = None) -> int:
    """Mark one notification (or all of ``user``'s) read; returns how many changed."""
    rows = unread(user)
    if notification is not None:
        rows = rows.filter(pk=notification.pk)
    return rows.update(read_at=timezone.now())
