"""Views connect: access helper → form → service → redirect or render."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from evalsite.accounts.models import Organization
from evalsite.accounts.queries import client_bureaus
from evalsite.exports import download
from evalsite.lib.numbers import NO_VALUE, format_amount
from evaluations import fiscal, services
from evaluations.budget_xlsx import (
    BudgetImportError,
    ParsedBudget,
    lines_from_amounts,
    parse_budget_workbook,
)
from evaluations.enums import EconomicCategory, TeamRole
from evaluations.exports import BUDGET_WORKBOOK
from evaluations.forms import (
    BudgetForm,
    BudgetImportForm,
    DepartmentFactsForm,
    DepartmentForm,
    EvaluationForm,
    MemberForm,
    economic_formset,
    kept_rows,
    project_formset,
)
from evaluations.models import Membership
from evaluations.permissions import (
    Capability,
    departments_for_user,
    get_department_for_user,
    get_evaluation_for_user,
    permission_rows,
)
from evaluations.previews import apply_preview, sign_preview
from evaluations.queries import budget_history, budget_of, evaluation_history, figures_for
from evaluations.revisions import EditConflict, conflict_context, rebased

IMPORT_KIND = "budget"


def _firm_of(user) -> Organization:
    if user.is_firm_staff:
        return user.organization
    raise PermissionDenied("只有评价机构的工作人员可以执行此操作。")


@login_required
def evaluation_create(request: HttpRequest) -> HttpResponse:
    firm = _firm_of(request.user)
    departments = departments_for_user(request.user)
    form = EvaluationForm(request.POST or None, departments=departments, bureaus=client_bureaus(firm))
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.create_evaluation(firm=firm, creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已创建评价项目：{evaluation.title}")
            return redirect("evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluations/evaluation_form.html", {"form": form, "creating": True})


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    figures = figures_for(evaluation)
    key_ratios = [r for r in fiscal.ratios(figures) if r.key in {"budget_execution_rate", "budget_adjustment_rate", "staff_control_rate"}]
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "figures": figures,
            "key_ratios": key_ratios,
            "memberships": evaluation.memberships.all(),
            "bureau_changes": evaluation.bureau_changes.select_related("changed_by", "from_bureau", "to_bureau"),
            "history": evaluation_history(evaluation) if Capability.SEE_WORKING_PAPERS in evaluation.can else [],
        },
    )


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)
    may_change_bureau = Capability.CHANGE_BUREAU in evaluation.can
    form = EvaluationForm(
        request.POST or None,
        instance=evaluation,
        departments=departments_for_user(request.user) | type(evaluation.department).objects.filter(pk=evaluation.department_id),
        bureaus=client_bureaus(evaluation.firm),
        bureau_editable=may_change_bureau,
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            if not may_change_bureau:  # the field is shown disabled; only the 项目负责人 changes it, before submission
                data.pop("bureau", None)
                data.pop("new_bureau", None)
            services.update_evaluation(evaluation, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "评价项目信息已保存。")
            return redirect("evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluations/evaluation_form.html", {"form": form, "evaluation": evaluation})


@login_required
def evaluation_department(request: HttpRequest, pk: int) -> HttpResponse:
    """页签“部门情况”: the department as this evaluation's report prints it; its team edits it here."""
    capability = Capability.ENTER_FIGURES if request.method == "POST" else Capability.VIEW
    evaluation = get_evaluation_for_user(request, pk, capability)
    facts = evaluation.department_facts
    editing = Capability.ENTER_FIGURES in evaluation.can
    form = DepartmentFactsForm(request.POST or None, instance=facts) if editing else None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_department_facts(evaluation, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "部门情况已保存；本项目的报告、比率和基本信息表随之更新。")
            return redirect("evaluation_department", pk=evaluation.pk)
    return render(
        request,
        "evaluations/department_facts.html",
        {"evaluation": evaluation, "facts": facts, "form": form, "starting_point": evaluation.department},
    )


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.MANAGE_TEAM)
    candidates = get_user_model().objects.filter(organization_id=evaluation.firm_id, is_active=True).order_by("username")
    form = MemberForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(evaluation, form.cleaned_data["user"], form.cleaned_data["role"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "团队已更新。")
            return redirect("evaluation_team", pk=evaluation.pk)
    return render(
        request,
        "evaluations/team.html",
        {
            "evaluation": evaluation,
            "form": form,
            "memberships": evaluation.memberships.all(),
            "roles": TeamRole,
            "permission_rows": permission_rows(tuple(TeamRole)),
        },
    )


@login_required
@require_POST
def team_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.MANAGE_TEAM)
    membership = get_object_or_404(Membership, pk=membership_pk, evaluation=evaluation)
    try:
        services.remove_member(evaluation, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已将{membership.user.display_name}移出团队。")
    return redirect("evaluation_team", pk=evaluation.pk)


def _budget_context(figures: fiscal.Figures) -> dict:
    return {
        "income": fiscal.income_table(figures),
        "expenditure": fiscal.expenditure_table(figures),
        "economic": fiscal.economic_table(figures),
        "projects": fiscal.project_table(figures),
        "ratios": fiscal.ratios(figures),
        "warnings": fiscal.consistency_warnings(figures),
        "figures": figures,
    }


@login_required
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    context = {"evaluation": evaluation, **_budget_context(figures_for(evaluation))}
    context["history"] = budget_history(evaluation) if Capability.SEE_WORKING_PAPERS in evaluation.can else []
    return render(request, "evaluations/budget_detail.html", context)


BUDGET_GRID = {
    "income_rows": [(key, label) for key, label in fiscal.INCOME_SOURCES + (fiscal.CARRY_IN,)],
    "expense_rows": [(key, label) for key, label in fiscal.EXPENSE_LINES],
    "columns": fiscal.COLUMNS,
}


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_FIGURES)
    budget = budget_of(evaluation)
    data = request.POST if request.method == "POST" else None
    form, economic, projects = _budget_forms(data, evaluation, budget)
    conflict = None
    if request.method == "POST" and form.is_valid() and economic.is_valid() and projects.is_valid():
        try:
            services.save_budget(
                evaluation,
                {name: form.cleaned_data[name] for name in services.BUDGET_AMOUNT_FIELDS},
                economic=[services.EconomicEntry(r["category"], r["name"], r["amount"]) for r in kept_rows(economic)],
                projects=[
                    services.ProjectEntry(r["name"], r.get("initial"), r.get("adjusted"), r.get("final"))
                    for r in kept_rows(projects)
                ],
                base_revision=form.cleaned_data["revision"],
            )
        except EditConflict as error:
            conflict = conflict_context(
                error, _budget_conflict_rows(error.record, form, economic, projects),
                reverse("budget_edit", args=[evaluation.pk]),
            )
            form, economic, projects = _budget_forms(rebased(request.POST, error.revision), evaluation, error.record)
            form.is_valid(), economic.is_valid(), projects.is_valid()
        else:
            messages.success(request, "预算数据已保存，合计与比率已重新计算。")
            return redirect("budget_detail", pk=evaluation.pk)
    elif request.method == "POST":
        messages.error(request, "有数据未通过校验，请按红色提示修改后再保存；已填写的内容都保留在表单中。")
    grid_income = [(label, [form[f"{key}_{col}"] for col, _ in fiscal.COLUMNS]) for key, label in BUDGET_GRID["income_rows"]]
    grid_expense = [(label, [form[f"{key}_{col}"] for col, _ in fiscal.COLUMNS]) for key, label in BUDGET_GRID["expense_rows"]]
    extras = [form[name] for name in services.BUDGET_AMOUNT_FIELDS[len(fiscal.TRIPLE_LINES) * 3 :]]
    return render(
        request,
        "evaluations/budget_edit.html",
        {
            "evaluation": evaluation,
            "form": form,
            "economic": economic,
            "projects": projects,
            "grid_income": grid_income,
            "grid_expense": grid_expense,
            "extras": extras,
            "columns": fiscal.COLUMNS,
            "categories": EconomicCategory,
            "conflict": conflict,
        },
    )


def _budget_forms(data, evaluation, budget):
    return BudgetForm(data, instance=budget), economic_formset(data, evaluation), project_formset(data, evaluation)


def _line_texts(rows, economic: bool) -> str:
    """表2-3 lines or projects as one printed value, for comparing two versions of the budget form."""
    labels = dict(EconomicCategory.choices)
    if economic:
        texts = [f"{labels.get(r['category'], r['category'])}·{r['name']} {format_amount(r['amount'])}" for r in rows]
    else:
        texts = [
            f"{r['name']} {'/'.join(format_amount(r.get(c)) for c in ('initial', 'adjusted', 'final'))}" for r in rows
        ]
    return "；".join(texts) or NO_VALUE


def _budget_conflict_rows(stored, form, economic, projects) -> list[tuple[str, str, str]]:
    """(label, stored now, typed in the refused form) for every amount and for the two lists of lines."""
    rows = [
        (str(stored._meta.get_field(name).verbose_name), format_amount(getattr(stored, name)),
         format_amount(form.cleaned_data[name]))
        for name in services.BUDGET_AMOUNT_FIELDS
    ]
    evaluation = stored.evaluation
    stored_economic = evaluation.economic_lines.values("category", "name", "amount")
    stored_projects = evaluation.projects.values("name", "initial", "adjusted", "final")
    rows.append(("表2-3 基本支出明细", _line_texts(stored_economic, True), _line_texts(kept_rows(economic), True)))
    rows.append(("项目支出明细", _line_texts(stored_projects, False), _line_texts(kept_rows(projects), False)))
    return rows


@login_required
def budget_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: upload and preview. Nothing is saved here."""
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_FIGURES)
    form = BudgetImportForm(request.POST or None, request.FILES or None)
    context = {"evaluation": evaluation, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            parsed = parse_budget_workbook(form.cleaned_data["file"].read())
        except BudgetImportError as error:
            context["problems"] = [str(problem) for problem in error.problems]
        else:
            preview = _preview_figures(figures_for(evaluation), parsed)
            context.update(
                parsed=parsed,
                token=sign_preview(IMPORT_KIND, {"parsed": parsed.to_json()}, owner=evaluation),
                **_budget_context(preview),
            )
            return render(request, "evaluations/budget_import_preview.html", context)
    return render(request, "evaluations/budget_import.html", context)


def _preview_figures(current: fiscal.Figures, parsed: ParsedBudget) -> fiscal.Figures:
    amounts = {
        f"{line}_{key}": current.line(line).column(key) for line in fiscal.TRIPLE_LINES for key, _ in fiscal.COLUMNS
    }
    amounts.update({k: v for k, v in parsed.amounts.items() if k in amounts})
    extras = {k: v for k, v in parsed.amounts.items() if k not in amounts}
    labels = dict(EconomicCategory.choices)
    changes = {"lines": lines_from_amounts(amounts), **extras}
    if parsed.economic is not None:
        changes["economic"] = tuple(fiscal.EconomicItem(c, labels[c], n, a) for c, n, a in parsed.economic)
    if parsed.projects is not None:
        changes["projects"] = tuple(fiscal.ProjectItem(n, fiscal.Triple(i, a, f)) for n, i, a, f in parsed.projects)
    return dataclasses.replace(current, **changes)


@login_required
@require_POST
def budget_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: apply a previewed import in one transaction."""
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_FIGURES)

    def apply(payload: dict) -> ParsedBudget:
        parsed = ParsedBudget.from_json(payload["parsed"])
        services.save_budget(
            evaluation,
            parsed.amounts,
            economic=None if parsed.economic is None else [services.EconomicEntry(*line) for line in parsed.economic],
            projects=None if parsed.projects is None else [services.ProjectEntry(*p) for p in parsed.projects],
        )
        return parsed

    try:
        parsed = apply_preview(IMPORT_KIND, request.POST.get("token", ""), owner=evaluation, apply=apply, user=request.user)
    except ValidationError as error:
        messages.error(request, "导入失败，未保存任何数据：" + "；".join(error.messages))
        return redirect("budget_import", pk=evaluation.pk)
    messages.success(request, f"已导入：{'；'.join(parsed.sheets)}。")
    return redirect("budget_detail", pk=evaluation.pk)


@login_required
def budget_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The current figures in the import shape: a template to fill in, or a copy to keep."""
    return download(BUDGET_WORKBOOK, get_evaluation_for_user(request, pk))


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        _firm_of(request.user)
    departments = departments_for_user(request.user).order_by("name")
    return render(request, "evaluations/department_list.html", {"departments": departments})


@login_required
def department_create(request: HttpRequest) -> HttpResponse:
    firm = _firm_of(request.user)
    form = DepartmentForm(request.POST or None, firm=firm)
    if request.method == "POST" and form.is_valid():
        department = form.save(commit=False)
        department.firm = firm
        department.save()
        messages.success(request, f"已新增部门：{department.name}")
        return redirect("department_list")
    return render(request, "evaluations/department_form.html", {"form": form, "creating": True})


@login_required
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_department_for_user(request, pk)
    form = DepartmentForm(request.POST or None, instance=department, firm=department.firm)
    if request.method == "POST" and form.is_valid():
        services.save_department(form.save(commit=False))
        messages.success(request, f"部门信息已保存：{department.name}")
        return redirect("department_list")
    return render(request, "evaluations/department_form.html", {"form": form, "department": department})
