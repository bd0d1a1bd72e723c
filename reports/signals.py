"""A new evaluation firm starts with the built-in report profiles in its library.

Installed when the firm is created (here), for firms that existed before by
the migration ``0008_builtin_report_profiles_for_existing_firms``, and by
``load_demo``; never while a page is being looked at.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization


@receiver(post_save, sender=Organization, dispatch_uid="reports.install_builtin_profiles")
def install_profiles_for_new_firm(sender, instance: Organization, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.kind == OrganizationKind.FIRM:
        from reports.profile_services import install_builtin_profiles

        install_builtin_profiles(instance)
