"""A new evaluation takes its own copy of the department's facts from the firm's list.

Whatever creates the evaluation (the form, ``import_indicators``, the demo,
the admin, a restored archive), the copy exists from the first moment, so
every reader can rely on ``evaluation.department_facts``. Existing evaluations
got theirs from the migration ``0004_department_facts_per_evaluation``.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from evaluations.models import DepartmentFacts, Evaluation


@receiver(post_save, sender=Evaluation, dispatch_uid="evaluations.copy_department_facts")
def copy_department_facts(sender, instance: Evaluation, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        DepartmentFacts.objects.create(evaluation=instance, **instance.department.profile_values())
