"""Indicator pages of an evaluation, the judgment form, and the firm's template library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evalsite.exports import download
from evaluations.permissions import Capability, denial_message, get_evaluation_for_user
from evaluations.previews import apply_preview, sign_preview
from evaluations.revisions import EditConflict, conflict_context, rebased
from rubrics import scoring, services
from rubrics.consistency import process_mismatch
from rubrics.exports import WORKING_PAPER_INDEX
from rubrics.forms import ChooseSystemForm, EvaluationImportForm, EvidenceForm, JudgmentForm, NodeForm, SystemImportForm
from rubrics.judgment_changes import compared, judgment_history, judgment_texts
from rubrics.models import Evidence, Indicator, Judgment, ProcessDraft
from rubrics.permissions import get_system_for_user, require_firm_staff, systems_for_user
from rubrics.queries import (
    NO_SOURCES,
    engine_indicator,
    evaluation_result,
    evidence_of,
    fed_inputs,
    judgment_entry,
    judgment_of,
    part_rules,
    rubric_of,
)


@login_required
def rubric_overview(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    scored = evaluation_result(evaluation)
    context = {"evaluation": evaluation, "scored": scored}
    if scored.result is None:
        if Capability.EDIT_ENGAGEMENT in evaluation.can:
            context["choose_form"] = ChooseSystemForm(systems=systems_for_user(request.user).filter(firm=evaluation.firm))
        else:
            context["who_chooses"] = denial_message(Capability.EDIT_ENGAGEMENT, evaluation)
        return render(request, "rubrics/rubric_empty.html", context)
    rows = {row.code: row for row in scored.rows}
    lines = [
        {"node": node, "row": rows[node.code], "review": node.is_leaf and scored.needs_review(node.code)}
        for node in scored.result.walk()
    ]
    leaves = [line for line in lines if line["node"].is_leaf and line["node"].applicable]
    for line in leaves:
        judgment = judgment_of(line["row"])
        line["mismatch"] = process_mismatch(judgment.process, line["node"].score, line["node"].kind) if judgment else None
    context.update(
        lines=lines,
        result=scored.result,
        progress_done=scored.result.scored_count,
        progress_total=scored.result.applicable_leaf_count,
        progress_percent=scored.result.progress_percent,
        rubric=rubric_of(evaluation),
        review_flags=scored.review_flags,
        mismatches=[line for line in leaves if line["mismatch"]],
        flagged=[scored.result.node(code) for code in scored.result.flagged],
    )
    return render(request, "rubrics/rubric_overview.html", context)


@login_required
@require_POST
def rubric_choose(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)
    form = ChooseSystemForm(request.POST, systems=systems_for_user(request.user).filter(firm=evaluation.firm))
    if not form.is_valid():
        messages.error(request, "请选择一个指标体系模板。")
        return redirect("rubric_overview", pk=evaluation.pk)
    system = form.cleaned_data["system"]
    try:
        services.copy_system_into(evaluation, system.tree, source_name=system.name, settings=system.settings)
    except ValidationError as error:
        messages.error(request, "模板有问题，不能使用：" + "；".join(error.messages))
    else:
        messages.success(request, f"已采用“{system.name}”。以后修改模板不会影响本项目。")
    return redirect("rubric_overview", pk=evaluation.pk)


def _leaf(evaluation, code: str) -> Indicator:
    indicator = (
        Indicator.objects.select_related("evaluation", "parent__parent").filter(evaluation=evaluation, code=code).first()
    )
    if indicator is None or indicator.children.exists():
        raise Http404("指标不存在或不是三级指标")
    indicator.evaluation = evaluation
    return indicator


def _judgment_form(request, indicator, scored, data=None):
    node = scored.result.node(indicator.code) if scored.result else None
    leaf = engine_indicator(indicator)
    rule = leaf.rule or scoring.JudgmentRule()
    sources = scored.bound.get(indicator.code) or NO_SOURCES
    evaluation = indicator.evaluation
    form = JudgmentForm(
        data,
        rule=rule,
        weight=indicator.weight,
        points=leaf.points,
        fed=fed_inputs(indicator, sources),
        tiers=scored.settings.tiers,
        initial=JudgmentForm.initial_from(judgment_of(indicator), indicator, rule),
        autosave_url=reverse("judgment_draft", args=[evaluation.pk, indicator.code])
        if Capability.SCORE in evaluation.can else "",
    )
    return form, node, sources


def _bound_cards(indicator, sources) -> list[dict]:
    """What the page shows of each value taken from data: the leaf's own, or each part's with the part's name."""
    cards = [{"part": "", "value": sources.own}] if sources.own is not None else []
    names = [part.get("name", "") for part in part_rules(indicator)]
    cards += [
        {"part": names[index] if index < len(names) else "", "value": value}
        for index, value in enumerate(sources.parts)
        if value is not None
    ]
    return cards


def _save_from_form(form, indicator, user):
    return services.save_judgment(
        indicator,
        inputs=form.inputs(),
        user=user,
        process=form.cleaned_data["process"],
        override_score=form.cleaned_data["override_score"],
        override_reason=form.cleaned_data["override_reason"],
        actual=form.cleaned_data["actual_text"],
        deviation_reason=form.cleaned_data["deviation_reason"],
        applicable=form.cleaned_data["applicable"],
        not_applicable_reason=form.cleaned_data["not_applicable_reason"],
        base_revision=form.cleaned_data["revision"],
    )


def _judgment_conflict(error, form, indicator, sources, settings) -> dict:
    """The refused save beside the judgment stored now; taking theirs also drops the user's draft."""
    typed = Judgment(indicator=indicator, **services.judgment_values(
        indicator, sources, inputs=form.inputs(), override_score=form.cleaned_data["override_score"],
        override_reason=form.cleaned_data["override_reason"], process=form.cleaned_data["process"],
        actual=form.cleaned_data["actual_text"], deviation_reason=form.cleaned_data["deviation_reason"],
    ))
    stored = judgment_texts(indicator, error.record, sources, settings) if error.record is not None else {}
    rows = compared(stored, judgment_texts(indicator, typed, sources, settings))  # (label, theirs, yours)
    context = conflict_context(error, rows, reverse("judgment_draft_discard", args=[indicator.evaluation.pk, indicator.code]))
    context["theirs_post"] = True
    return context


@login_required
def judgment_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    capability = Capability.SCORE if request.method == "POST" else Capability.VIEW
    evaluation = get_evaluation_for_user(request, pk, capability)
    indicator = _leaf(evaluation, code)
    scored = evaluation_result(evaluation)
    form, node, sources = _judgment_form(request, indicator, scored, request.POST if request.method == "POST" else None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_from_form(form, indicator, request.user)
        except EditConflict as error:
            conflict = _judgment_conflict(error, form, indicator, sources, scored.settings)
            form, node, sources = _judgment_form(request, indicator, scored, rebased(request.POST, error.revision))
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if saved is None:
                messages.info(request, f"{indicator.code}{indicator.name}：未填写任何内容，未保存，仍为未评分。")
            else:
                messages.success(request, f"{indicator.code}{indicator.name}：已保存。")
            target = request.POST.get("next_code") or indicator.code
            return redirect("judgment_edit", pk=evaluation.pk, code=target)
    leaves = [line.code for line in scored.result.walk() if line.is_leaf]
    index = leaves.index(indicator.code)
    judgment = judgment_of(indicator)
    unsaved = judgment is None and sources.any and indicator.applicable
    if unsaved:  # what the figures would give, shown as not yet saved (a leaf nobody saved stays unscored)
        node = scoring.score_indicator(engine_indicator(indicator), judgment_entry({}, sources), scored.settings)
    working_papers = Capability.SEE_WORKING_PAPERS in evaluation.can
    context = {
        "evaluation": evaluation,
        "indicator": indicator,
        "node": node,
        "unsaved": unsaved,
        "bound_cards": _bound_cards(indicator, sources),
        "form": form,
        "judgment": judgment,
        "changed": scored.changed(indicator.code),
        "mismatch": process_mismatch(judgment.process, node.score, node.kind) if judgment and node else None,
        "previous_code": leaves[index - 1] if index > 0 else None,
        "next_code": leaves[index + 1] if index + 1 < len(leaves) else None,
        "position": index + 1,
        "count": len(leaves),
        "progress_done": scored.result.scored_count,
        "progress_percent": scored.result.progress_percent,
        "evidence": _evidence_rows(indicator, request.user) if working_papers else [],
        "evidence_form": EvidenceForm(),
        "history": judgment_history(indicator, judgment, sources, scored.settings) if judgment and working_papers else [],
        "conflict": conflict,
        "draft": _offered_draft(indicator, judgment, request.user) if Capability.SCORE in evaluation.can else None,
    }
    return render(request, "rubrics/judgment.html", context)


def _offered_draft(indicator, judgment, user) -> ProcessDraft | None:
    """The user's kept draft of the 评分过程, when it says something the saved judgment does not."""
    draft = ProcessDraft.objects.filter(indicator=indicator, user=user).first()
    saved = judgment.process if judgment is not None else ""
    return draft if draft is not None and draft.text != saved else None


def _evidence_rows(indicator, user) -> list[dict]:
    return [
        {"paper": paper, "removable": services.removal_refusal(paper, user) is None}
        for paper in indicator.evidence.select_related("uploaded_by", "removed_by").order_by("number")
    ]


@login_required
@require_POST
def judgment_preview(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """htmx: the score the engine would give for the inputs typed so far (nothing is saved)."""
    evaluation = get_evaluation_for_user(request, pk, Capability.SCORE)
    indicator = _leaf(evaluation, code)
    scored = evaluation_result(evaluation)
    form, _node, sources = _judgment_form(request, indicator, scored, request.POST)
    preview = None
    problem = None
    if form.is_valid():
        entry = judgment_entry(
            form.inputs(), sources, form.cleaned_data["override_score"], form.cleaned_data["override_reason"]
        )
        if form.cleaned_data["applicable"]:
            preview = scoring.score_indicator(engine_indicator(indicator), entry, scored.settings)
        else:
            problem = "本指标标记为不适用，不参与评分。"
    else:
        problem = "；".join(str(e) for errors in form.errors.values() for e in errors)
    return render(request, "rubrics/_judgment_result.html", {"node": preview, "problem": problem, "indicator": indicator})


@login_required
@require_POST
def judgment_draft(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Autosave (static/js/app.js): keep the 评分过程 being typed as this user's draft; answers the time it was kept."""
    evaluation = get_evaluation_for_user(request, pk, Capability.SCORE)
    indicator = _leaf(evaluation, code)
    draft = services.save_process_draft(indicator, request.user, request.POST.get("process", ""))
    when = timezone.localtime(draft.saved_at if draft else timezone.now())
    return HttpResponse(f"草稿已自动保存（{when:%H:%M:%S}）", content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def judgment_draft_discard(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Drop this user's draft of the 评分过程 and show the judgment as stored."""
    evaluation = get_evaluation_for_user(request, pk, Capability.SCORE)
    indicator = _leaf(evaluation, code)
    services.discard_process_draft(indicator, request.user)
    messages.info(request, "已丢弃草稿，页面显示已保存的内容。")
    return redirect("judgment_edit", pk=evaluation.pk, code=indicator.code)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Attach a working paper to an indicator, scored or not."""
    evaluation = get_evaluation_for_user(request, pk, Capability.SCORE)
    indicator = _leaf(evaluation, code)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = services.add_evidence(
                indicator, file=form.cleaned_data["file"], title=form.cleaned_data["title"],
                document_date=form.cleaned_data["document_date"], user=request.user,
                shared_with_bureau=form.cleaned_data["shared_with_bureau"],
            )
        except ValidationError as error:
            messages.error(request, "上传失败：" + "；".join(error.messages))
        else:
            messages.success(request, f"已上传：{evidence.code} {evidence.title}")
    else:
        messages.error(request, "上传失败：" + "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("judgment_edit", pk=evaluation.pk, code=code)


@login_required
@require_POST
def evidence_share(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Share a working paper with the client bureau (shown on its delivery desk once signed), or stop sharing it."""
    evaluation = get_evaluation_for_user(request, pk, Capability.SCORE)
    evidence = _paper(evaluation, evidence_pk)
    shared = request.POST.get("shared") == "1"
    try:
        services.set_evidence_shared(evaluation, evidence, shared)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{evidence.title}”{'已共享给委托单位' if shared else '不再共享给委托单位'}。")
    return redirect("judgment_edit", pk=evaluation.pk, code=evidence.indicator.code)


def _paper(evaluation, evidence_pk: int) -> Evidence:
    """A working paper of ``evaluation`` (404 otherwise), its indicator read with it."""
    evidence = get_object_or_404(Evidence.objects.select_related("indicator"), pk=evidence_pk, indicator__evaluation=evaluation)
    evidence.indicator.evaluation = evaluation
    return evidence


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Remove a paper (its uploader, before 提交审核); it stays listed as removed."""
    evaluation = get_evaluation_for_user(request, pk, Capability.SCORE)
    evidence = _paper(evaluation, evidence_pk)
    try:
        services.remove_evidence(evidence, request.user)
    except ValidationError as error:
        messages.error(request, "不能移除：" + "；".join(error.messages))
    else:
        messages.success(request, f"已移除：{evidence.code} {evidence.title}（仍保留在底稿索引的移除记录中）")
    return redirect("judgment_edit", pk=evaluation.pk, code=evidence.indicator.code)


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.SEE_WORKING_PAPERS)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, indicator__evaluation=evaluation)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
def evidence_index(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation's 工作底稿 index: every paper with its 编号, indicator, title, date and uploader."""
    evaluation = get_evaluation_for_user(request, pk, Capability.SEE_WORKING_PAPERS)
    papers = list(evidence_of(evaluation))
    return render(
        request,
        "rubrics/evidence_index.html",
        {
            "evaluation": evaluation,
            "papers": [paper for paper in papers if not paper.removed],
            "removed": [paper for paper in papers if paper.removed],
        },
    )


@login_required
def evidence_index_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return download(WORKING_PAPER_INDEX, get_evaluation_for_user(request, pk, Capability.SEE_WORKING_PAPERS))


# ---------------------------------------------------------------------------
# Template library


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    require_firm_staff(request.user)
    systems = systems_for_user(request.user)
    rows = [{"system": s, "problems": services.tree_problems(s.tree), "count": services.leaf_count(s.tree)} for s in systems]
    return render(request, "rubrics/system_list.html", {"rows": rows})


@login_required
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for_user(request, pk)
    editing = request.GET.get("edit")
    adding_under = request.GET.get("add")
    form = None
    if editing:
        node = services.find_node(system.tree, editing)
        form = NodeForm(initial=NodeForm.initial_from(node))
    elif adding_under is not None:
        form = NodeForm()
    return render(request, "rubrics/system_detail.html", _system_context(system, form, editing, adding_under))


def _system_context(system, form, editing, adding_under):
    lines = [
        {"node": node, "level": level, "is_leaf": not node.get("children")}
        for node, level, _parent in services.walk_dicts(system.tree)
    ]
    return {
        "system": system,
        "lines": lines,
        "problems": services.tree_problems(system.tree),
        "form": form,
        "editing": editing,
        "adding_under": adding_under,
        "first_level_total": services.first_level_total(system.tree),
    }


@login_required
@require_POST
def system_node_save(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_system_for_user(request, pk)
    form = NodeForm(request.POST)
    editing = request.POST.get("editing") or None
    adding_under = request.POST.get("adding_under")
    if form.is_valid():
        try:
            if editing:
                services.update_node(system, editing, form.node_data())
            else:
                services.add_node(system, adding_under or None, form.node_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存指标 {form.cleaned_data['code']}。")
            return redirect("system_detail", pk=system.pk)
    context = _system_context(system, form, editing, adding_under if not editing else None)
    return render(request, "rubrics/system_detail.html", context, status=200)


@login_required
@require_POST
def system_node_action(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    system = get_system_for_user(request, pk)
    action = request.POST.get("action")
    try:
        if action == "up":
            services.move_node(system, code, offset=-1)
        elif action == "down":
            services.move_node(system, code, offset=1)
        elif action == "move":
            services.move_node(system, code, parent_code=request.POST.get("parent_code") or None)
        elif action == "delete":
            services.delete_node(system, code)
            messages.success(request, f"已删除指标 {code}。")
        else:
            raise ValidationError("未知操作。")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("system_detail", pk=system.pk)


# ---------------------------------------------------------------------------
# Spreadsheets: import with preview (the 附件1 export is the report's annex: reports.views_downloads)

IMPORT_KIND = "indicators"
LIBRARY_IMPORT_KIND = "indicator-template"


def _preview_context(imported, with_scores: bool) -> dict:
    """The imported tree scored by the engine, so the preview shows the weight check and the totals."""
    tree = scoring.indicators_from_dicts(imported.system["indicators"])
    judgments = imported.judgments if with_scores else {}
    result = scoring.score(tree, {code: judgment_entry(entry["inputs"], None) for code, entry in judgments.items()})
    return {
        "imported": imported,
        "result": result,
        "lines": list(result.walk()),
        "leaf_count": sum(1 for node in result.walk() if node.is_leaf),
        "with_scores": with_scores,
        "warnings": [str(w) for w in imported.warnings],
    }


def _read_upload(form):
    from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook

    try:
        return read_indicator_workbook(form.cleaned_data["file"].read(), with_scores=form.cleaned_data.get("with_scores", True)), None
    except IndicatorImportError as error:
        return None, error.messages


@login_required
def rubric_import(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)
    form = EvaluationImportForm(request.POST or None, request.FILES or None)
    context = {"evaluation": evaluation, "form": form}
    if evaluation.indicators.exists():
        messages.error(request, "本项目已有指标体系，不能再导入。")
        return redirect("rubric_overview", pk=evaluation.pk)
    if request.method == "POST" and form.is_valid():
        imported, problems = _read_upload(form)
        if problems:
            context["problems"] = problems
        else:
            with_scores = form.cleaned_data["with_scores"]
            payload = {"system": imported.system, "judgments": imported.judgments if with_scores else None}
            context.update(_preview_context(imported, with_scores), token=sign_preview(IMPORT_KIND, payload, owner=evaluation))
            return render(request, "rubrics/import_preview.html", context)
    return render(request, "rubrics/import_upload.html", context)


@login_required
@require_POST
def rubric_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)

    def apply(payload: dict) -> dict:
        services.import_into_evaluation(evaluation, payload["system"], payload["judgments"], user=request.user)
        return payload

    try:
        payload = apply_preview(IMPORT_KIND, request.POST.get("token", ""), owner=evaluation, apply=apply, user=request.user)
    except ValidationError as error:
        messages.error(request, "导入失败，未保存任何数据：" + "；".join(error.messages))
        return redirect("rubric_import", pk=evaluation.pk)
    messages.success(request, "指标体系已导入。" + ("得分和评分过程已一并导入。" if payload["judgments"] else ""))
    return redirect("rubric_overview", pk=evaluation.pk)


def _library_firm(request):
    """The firm whose library receives an imported template."""
    require_firm_staff(request.user)
    if request.user.organization is None:
        raise PermissionDenied("请用评价机构的账号导入模板。")
    return request.user.organization


@login_required
def system_import(request: HttpRequest) -> HttpResponse:
    firm = _library_firm(request)
    form = SystemImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        imported, problems = _read_upload(form)
        if problems:
            context["problems"] = problems
        else:
            name = form.cleaned_data["name"] or imported.system.get("name") or form.cleaned_data["file"].name.rsplit(".", 1)[0]
            payload = {"name": name, "system": imported.system}
            context.update(_preview_context(imported, False), template_name=name,
                           token=sign_preview(LIBRARY_IMPORT_KIND, payload, owner=firm))
            return render(request, "rubrics/import_preview.html", context)
    return render(request, "rubrics/import_upload.html", context)


@login_required
@require_POST
def system_import_confirm(request: HttpRequest) -> HttpResponse:
    firm = _library_firm(request)

    def apply(payload: dict):
        return services.save_system(
            firm, slug=services.slug_for(payload["name"], firm), name=payload["name"],
            tree=payload["system"]["indicators"], source=payload["system"].get("source") or "Excel导入",
        )

    try:
        system = apply_preview(LIBRARY_IMPORT_KIND, request.POST.get("token", ""), owner=firm, apply=apply, user=request.user)
    except ValidationError as error:
        messages.error(request, "导入失败：" + "；".join(error.messages))
        return redirect("system_import")
    messages.success(request, f"已导入模板“{system.name}”。各三级指标的评分规则默认为“评价人员综合判断”，可逐项改为计算规则。")
    return redirect("system_detail", pk=system.pk)
