"""The Django admin: nothing in it changes a signed evaluation or anything under it.

Every admin of a model under an evaluation says how to reach the evaluation
(``evaluation_path``); once that evaluation is signed the object is view-only:
change and delete are refused (403), and a new object cannot be attached to it.
The state itself is never edited here: only the workflow moves an evaluation.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from evaluations.models import BudgetFigures, Department, EconomicLine, Evaluation, Membership, Project
from evaluations.services import SIGNED_MESSAGE


def evaluation_at(start, path: str):
    """Follow ``path`` (``"evaluation"``, ``"questionnaire__evaluation"``; ``""`` for the evaluation itself)."""
    target = start
    for name in filter(None, path.split("__")):
        target = getattr(target, name, None) if target is not None else None
    return target


def signed(evaluation) -> bool:
    """Whether the evaluation is locked now (read afresh: the admin's objects may be stale)."""
    if evaluation is None or evaluation.pk is None:
        return False
    current = Evaluation.objects.only("status").filter(pk=evaluation.pk).first()
    return current is not None and current.is_locked


class SignedReadOnly:
    """Mixed into a ModelAdmin or an inline of a model under an evaluation."""

    evaluation_path = "evaluation"

    def _locked(self, obj) -> bool:
        return obj is not None and obj.pk is not None and signed(evaluation_at(obj, self.evaluation_path))

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        """A new or moved object may not be attached to a signed evaluation either."""
        form = super().get_form(request, obj, **kwargs)
        path = self.evaluation_path

        class Guarded(form):
            def clean(self):
                cleaned = super().clean()
                first, _, rest = path.partition("__")
                if first and signed(evaluation_at(cleaned.get(first), rest)):
                    raise ValidationError(SIGNED_MESSAGE)
                return cleaned

        return Guarded


class SignedReadOnlyInline(SignedReadOnly):
    """Mixed into an inline: Django asks an inline's permissions with the parent object, so ``evaluation_path``
    leads from the parent; no rows are added under a signed evaluation either."""

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)


class MembershipInline(SignedReadOnlyInline, admin.TabularInline):
    model = Membership
    extra = 0
    evaluation_path = ""


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "contact_person"]
    search_fields = ["name"]


@admin.register(Evaluation)
class EvaluationAdmin(SignedReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "year", "bureau", "status", "version"]
    list_filter = ["status", "year"]
    # Only the workflow (reports.workflow: the review page or the transition command) moves an evaluation between states.
    readonly_fields = ["status", "version", "review_level"]
    inlines = [MembershipInline]
    evaluation_path = ""


@admin.register(BudgetFigures, EconomicLine, Project)
class EvaluationPartAdmin(SignedReadOnly, admin.ModelAdmin):
    pass
