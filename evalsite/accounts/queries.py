"""Reads about organisations and their people."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization, User


def client_bureaus(firm: Organization) -> QuerySet[Organization]:
    """The firm's clients: bureaus it added as clients or that commissioned one of its evaluations."""
    return (
        Organization.objects.filter(kind=OrganizationKind.BUREAU)
        .filter(Q(firms=firm) | Q(commissioned_evaluations__firm=firm))
        .distinct()
        .order_by("name")
    )


def managed_organizations(firm: Organization) -> list[Organization]:
    """The firm first, then its client bureaus: whose users the firm's administrator manages."""
    return [firm, *client_bureaus(firm)]


def managed_users(firm: Organization) -> QuerySet[User]:
    return (
        User.objects.filter(Q(organization=firm) | Q(organization__in=client_bureaus(firm)))
        .select_related("organization")
        .order_by("organization__kind", "organization__name", "username")
    )
