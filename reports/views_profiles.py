"""Report profiles: the firm's library (list, look, copy, edit, delete, bureau defaults) and an evaluation's choice.

The library is open to every staff member of the firm (``reports.permissions``);
choosing an evaluation's profile needs ``Capability.EDIT_ENGAGEMENT``, like
choosing its indicator system. Views connect: access helper → form → service →
redirect or render. No GET writes anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from evalsite.accounts.queries import client_bureaus
from evaluations.permissions import Capability, get_evaluation_for_user
from reports import profile_services, profiles
from reports.models import BureauDefaultProfile, ReportProfile
from reports.permissions import get_profile_for_user, profiles_for_user, require_firm_staff
from reports.profile_forms import BureauDefaultsForm, ProfileChoiceForm, ProfileForm
from reports.queries import CHOSEN, profile_of


def outline_summary(profile: ReportProfile) -> dict:
    """What a profile prints, in words, for the list and the detail page."""
    outline = profile.outline
    return {
        "front": [profiles.FRONT_LABELS[key] for key in outline.front],
        "chapters": outline.chapters,
        "tables": [choice.label for choice in profiles.TABLES if outline.has_table(choice.key)],
        "annex1": [profiles.ANNEX1_LABELS[key] for key in outline.annex1_columns],
        "annexes": [profiles.ANNEX_LABELS[key] for key in outline.annexes],
        "cover": [profiles.COVER_LABELS[key] for key in outline.cover_fields],
        "signature": [profiles.SIGNATURE_LABELS[key] for key in outline.signature],
    }


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    require_firm_staff(request.user)
    rows = (
        profiles_for_user(request.user)
        .annotate(used_by=Count("evaluations", distinct=True))
        .prefetch_related("bureau_defaults__bureau")
    )
    return render(
        request,
        "reports/profile_list.html",
        {"rows": [(profile, profile.outline) for profile in rows]},
    )


def _detail_page(request, profile: ReportProfile, bureaus_form=None) -> HttpResponse:
    defaults = BureauDefaultProfile.objects.filter(profile=profile).select_related("bureau")
    bureaus_form = bureaus_form or BureauDefaultsForm(
        bureaus=client_bureaus(profile.firm), initial={"bureaus": [default.bureau for default in defaults]}
    )
    return render(
        request,
        "reports/profile_detail.html",
        {
            "profile": profile,
            "summary": outline_summary(profile),
            "bureaus_form": bureaus_form,
            "defaults": defaults,
            "used_by": profile.evaluations.select_related("evaluation__department").order_by("evaluation__year"),
        },
    )


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_profile_for_user(request, pk))


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_profile_for_user(request, pk)
    if profile.builtin:
        messages.info(request, "内置的报告格式不能修改：请复制一份，在副本上修改。")
        return redirect("report_profile_detail", pk=profile.pk)
    form = ProfileForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_services.save_profile(profile, name=data["name"], definition=data["definition"], source=data["source"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"报告格式“{profile.name}”已保存；选用它的评价项目按新的格式生成报告。")
            return redirect("report_profile_detail", pk=profile.pk)
    return render(request, "reports/profile_form.html", {"profile": profile, "form": form})


@login_required
@require_POST
def profile_copy(request: HttpRequest, pk: int) -> HttpResponse:
    copy = profile_services.copy_profile(get_profile_for_user(request, pk))
    messages.success(request, f"已复制为“{copy.name}”，可以修改了。")
    return redirect("report_profile_edit", pk=copy.pk)


@login_required
@require_POST
def profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_profile_for_user(request, pk)
    try:
        profile_services.delete_profile(profile)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("report_profile_detail", pk=profile.pk)
    messages.success(request, f"已删除报告格式“{profile.name}”。")
    return redirect("report_profile_list")


@login_required
@require_POST
def profile_bureaus(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_profile_for_user(request, pk)
    form = BureauDefaultsForm(request.POST, bureaus=client_bureaus(profile.firm))
    if form.is_valid():
        try:
            profile_services.set_default_bureaus(profile, form.cleaned_data["bureaus"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = "、".join(bureau.name for bureau in form.cleaned_data["bureaus"]) or "无"
            messages.success(request, f"“{profile.name}”的默认委托单位：{names}。")
            return redirect("report_profile_detail", pk=profile.pk)
    return _detail_page(request, profile, bureaus_form=form)


def choice_context(evaluation) -> dict:
    """The report page's 报告格式 panel: the profile followed, why, and the form to change it."""
    profile, origin = profile_of(evaluation)
    chosen = profile if origin == CHOSEN else None
    form = ProfileChoiceForm(
        profiles_queryset=ReportProfile.objects.filter(firm_id=evaluation.firm_id), initial={"profile": chosen}
    )
    outline = profile.outline if profile is not None else profiles.fallback_outline()
    return {"profile": profile, "outline": outline, "origin": origin, "form": form}


@login_required
@require_POST
def report_profile_choose(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)
    form = ProfileChoiceForm(request.POST, profiles_queryset=ReportProfile.objects.filter(firm_id=evaluation.firm_id))
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("profile", ["报告格式无效"])))
        return redirect("report_overview", pk=evaluation.pk)
    profile = form.cleaned_data["profile"]
    try:
        profile_services.choose_profile(evaluation, profile)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        followed, origin = profile_of(evaluation)
        name = followed.name if followed is not None else profiles.fallback_outline().name
        messages.success(request, f"报告按“{name}”的格式生成（{origin}）。")
    return redirect("report_overview", pk=evaluation.pk)
