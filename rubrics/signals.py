"""A new evaluation firm starts with the built-in templates in its library.

The templates are installed when the firm is created (here), for firms that
existed before by the migration ``0003_builtin_systems_for_existing_firms``,
and again on demand by ``manage.py load_indicator_systems``; never while a
page is being looked at.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization


@receiver(post_save, sender=Organization, dispatch_uid="rubrics.install_builtin_systems")
def install_templates_for_new_firm(sender, instance: Organization, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.kind == OrganizationKind.FIRM:
        from rubrics.services import install_builtin_systems

        install_builtin_systems(instance)
