"""Who reaches the 复核: the users of the bureau that made the record, nobody else (any other user: 404).

Every view goes through :func:`bureau_of` or :func:`get_review_for_user`. A
firm's staff never learns a 复核 exists; a user of another bureau neither.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from audits.models import Review
from evalsite.accounts.models import Organization

NOT_FOUND = "复核记录不存在"


def bureau_of(request) -> Organization:
    """The bureau of the signed-in user; a user who is not a bureau's gets 404."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_bureau_user):
        raise Http404(NOT_FOUND)
    return user.organization


def reviews_for_user(user) -> QuerySet[Review]:
    if not (user.is_authenticated and user.is_active and user.is_bureau_user):
        return Review.objects.none()
    return Review.objects.filter(bureau_id=user.organization_id)


def get_review_for_user(request, pk: int) -> Review:
    review = reviews_for_user(request.user).select_related("bureau").filter(pk=pk).first()
    if review is None:
        raise Http404(NOT_FOUND)
    return review
