"""Writes with rules on report profiles: install the built-ins, copy, edit, delete, set bureau defaults, choose.

Every function runs in one transaction and raises ``ValidationError`` with a
Chinese message; nothing is saved then. A built-in profile is never edited
(a firm copies it); a profile an evaluation follows is never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from evalsite.accounts.models import Organization
from evalsite.accounts.queries import client_bureaus
from evaluations.models import Evaluation
from evaluations.services import refuse_if_locked
from reports import profiles
from reports.models import BureauDefaultProfile, EvaluationProfile, ReportProfile

NAME_MAX = 100


def _free_name(firm: Organization, wanted: str, exclude_pk: int | None = None) -> str:
    """``wanted``, or ``wanted（2）``… when the firm has a profile of that name."""
    taken = set(ReportProfile.objects.filter(firm=firm).exclude(pk=exclude_pk).values_list("name", flat=True))
    name, number = wanted[:NAME_MAX], 1
    while name in taken:
        number += 1
        suffix = f"（{number}）"
        name = wanted[: NAME_MAX - len(suffix)] + suffix
    return name


@transaction.atomic
def install_builtin_profiles(firm: Organization) -> list[ReportProfile]:
    """Put the shipped profiles into the firm's library (idempotent; never touches a firm's own profiles).

    Called when a firm is created (``reports.signals``) and by ``load_demo``; never while a page is looked at.
    """
    existing = {profile.slug: profile for profile in ReportProfile.objects.filter(firm=firm).exclude(slug="")}
    installed = []
    for builtin in profiles.builtin_profiles():
        profile = existing.get(builtin.slug)
        if profile is None:
            profile = ReportProfile.objects.create(
                firm=firm, slug=builtin.slug, name=_free_name(firm, builtin.name), builtin=True,
                source=builtin.source, definition=builtin.definition,
            )
        installed.append(profile)
    return installed


@transaction.atomic
def copy_profile(profile: ReportProfile, *, name: str = "") -> ReportProfile:
    """An editable copy in the same firm's library, named ``<name>（副本）`` unless a name is given."""
    wanted = name.strip() or f"{profile.name}（副本）"
    return ReportProfile.objects.create(
        firm=profile.firm, name=_free_name(profile.firm, wanted), builtin=False,
        source=f"复制自“{profile.name}”", definition=profile.definition,
    )


@transaction.atomic
def save_profile(profile: ReportProfile, *, name: str, definition: dict[str, Any], source: str | None = None) -> ReportProfile:
    """Store a firm's own profile; a built-in one is copied first, never changed."""
    if profile.builtin:
        raise ValidationError("内置的报告格式不能修改，请先复制一份再修改。")
    name = name.strip()
    errors = []
    if not name:
        errors.append("请填写报告格式的名称。")
    elif len(name) > NAME_MAX:
        errors.append(f"名称不能超过{NAME_MAX}个字。")
    elif ReportProfile.objects.filter(firm=profile.firm, name=name).exclude(pk=profile.pk).exists():
        errors.append(f"本机构已有名为“{name}”的报告格式。")
    errors += profiles.definition_errors(definition)
    if errors:
        raise ValidationError(errors)
    ReportProfile.objects.select_for_update().filter(pk=profile.pk).first()
    profile.name, profile.definition = name, definition
    if source is not None:
        profile.source = source.strip()
    profile.save()
    return profile


@transaction.atomic
def set_default_bureaus(profile: ReportProfile, bureaus: Iterable[Organization]) -> None:
    """Make ``profile`` the firm's default for exactly these bureaus (a bureau has one default per firm)."""
    bureaus = list(bureaus)
    allowed = set(client_bureaus(profile.firm).values_list("pk", flat=True))
    strangers = [bureau.name for bureau in bureaus if bureau.pk not in allowed]
    if strangers:
        raise ValidationError(f"不是本机构的委托单位：{'、'.join(strangers)}")
    BureauDefaultProfile.objects.filter(profile=profile).exclude(bureau__in=bureaus).delete()
    for bureau in bureaus:
        BureauDefaultProfile.objects.update_or_create(firm=profile.firm, bureau=bureau, defaults={"profile": profile})


@transaction.atomic
def delete_profile(profile: ReportProfile) -> None:
    if profile.builtin:
        raise ValidationError("内置的报告格式不能删除。")
    users = list(
        EvaluationProfile.objects.filter(profile=profile).select_related("evaluation__department")[:6]
    )
    if users:
        titles = "、".join(choice.evaluation.title for choice in users[:5]) + ("等" if len(users) > 5 else "")
        raise ValidationError(f"以下评价项目选用了此报告格式，不能删除：{titles}。请先为它们改选其他格式。")
    profile.delete()


@transaction.atomic
def choose_profile(evaluation: Evaluation, profile: ReportProfile | None) -> None:
    """The profile the evaluation's report follows; ``None`` goes back to the bureau's default."""
    refuse_if_locked(evaluation)
    if profile is None:
        EvaluationProfile.objects.filter(evaluation=evaluation).delete()
        return
    if profile.firm_id != evaluation.firm_id:
        raise ValidationError("只能选用本机构的报告格式。")
    EvaluationProfile.objects.update_or_create(evaluation=evaluation, defaults={"profile": profile})
