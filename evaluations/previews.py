"""A signed import preview, applied at most once: one helper for the budget, indicator and survey imports.

The upload page reads the file, saves nothing and shows what would change; its
confirm form posts back a token carrying the parsed data, signed so that
nobody can alter it, valid for an hour and bound to its owner (the evaluation,
or the firm whose library receives a template). :func:`apply_preview` checks
the token, records its digest (:class:`evaluations.models.AppliedPreview`) and
applies the import in one transaction: a token already applied is refused (a
double click, the back button, a replayed form), and an import that fails
leaves no record, so the same preview may be confirmed again.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from evaluations.models import AppliedPreview

MAX_AGE = 3600  # seconds a preview stays valid
EXPIRED = "导入预览已失效或被修改，请重新上传文件。"
ALREADY_APPLIED = "这份导入预览已经确认导入过，不能再次导入；如需重新导入，请重新上传文件。"
NOT_YOURS = "导入数据不属于本评价项目（或本机构的模板库）。"

T = TypeVar("T")


class PreviewRefused(ValidationError):
    """The token cannot be applied (expired, altered, already applied); ``message`` says why, in Chinese.

    A ``ValidationError``, so a confirm view reports it like any refusal of the import itself.
    """


def _owner_key(owner: models.Model) -> str:
    return f"{owner._meta.label_lower}:{owner.pk}"


def _salt(kind: str) -> str:
    return f"import-preview:{kind}"


def sign_preview(kind: str, payload: dict[str, Any], *, owner: models.Model) -> str:
    """The token the preview page puts in its confirm form."""
    return signing.dumps({"owner": _owner_key(owner), "data": payload}, salt=_salt(kind), compress=True)


def _loads(token: str, salt: str, owner: models.Model) -> dict[str, Any]:
    """A token's content when it is intact, recent and the owner's; raise :class:`PreviewRefused` or ``PermissionDenied``."""
    try:
        signed = signing.loads(token or "", salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        raise PreviewRefused(EXPIRED) from None
    if signed.get("owner") != _owner_key(owner):
        raise PermissionDenied(NOT_YOURS)
    return signed


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def apply_preview(kind: str, token: str, *, owner: models.Model, apply: Callable[[dict[str, Any]], T], user=None) -> T:
    """Apply the previewed payload through ``apply`` once; raise :class:`PreviewRefused` or ``PermissionDenied``.

    Whatever ``apply`` raises (a ``ValidationError`` of the service) rolls the
    record back with the import.
    """
    signed = _loads(token, _salt(kind), owner)
    digest = _digest(token)
    if AppliedPreview.objects.filter(digest=digest).exists():
        raise PreviewRefused(ALREADY_APPLIED)
    with transaction.atomic():
        try:
            with transaction.atomic():
                AppliedPreview.objects.create(digest=digest, kind=kind, applied_by=user)
        except IntegrityError:  # the same token confirmed a moment ago in another request
            raise PreviewRefused(ALREADY_APPLIED) from None
        return apply(signed["data"])


# ---------------------------------------------------------------------------
# The uploaded file itself, for reading it again with the user's corrections


def _upload_salt(kind: str) -> str:
    return f"import-upload:{kind}"


def sign_upload(kind: str, data: bytes, *, owner: models.Model, **options: Any) -> str:
    """A token carrying the uploaded file, so the preview can read it again (another sheet, corrected columns).

    It applies nothing: only the preview token built from the new reading can be confirmed, once.
    """
    payload = {"owner": _owner_key(owner), "file": base64.b64encode(data).decode("ascii"), "options": options}
    return signing.dumps(payload, salt=_upload_salt(kind), compress=True)


def read_upload(kind: str, token: str, *, owner: models.Model) -> tuple[bytes, dict[str, Any]]:
    """The file and the options of :func:`sign_upload`; raise :class:`PreviewRefused` or ``PermissionDenied``."""
    signed = _loads(token, _upload_salt(kind), owner)
    return base64.b64decode(signed["file"]), dict(signed.get("options") or {})
