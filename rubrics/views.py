"""Indicator pages of an evaluation, the judgment form, and the firm's template library."""

from __future__ import annotations

from dataclasses import replace

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
from evaluations.previews import apply_preview, read_upload, sign_preview, sign_upload
from evaluations.revisions import EditConflict, conflict_context, rebased
from rubrics import result_cache, scoring, selfeval_form, services
from rubrics.consistency import process_mismatch
from rubrics.exports import WORKING_PAPER_INDEX
from rubrics.forms import ChooseSystemForm, EvaluationImportForm, EvidenceForm, JudgmentForm, NodeForm, SystemImportForm
from rubrics.indicator_columns import KEY_CHOICES
from rubrics.judgment_changes import compared, judgment_history, judgment_texts
from rubrics.models import Evidence, Indicator, Judgment, ProcessDraft
from rubrics.permissions import get_system_for_user, require_firm_staff, systems_for_user
from rubrics.queries import (
    NO_SOURCES,
    Scored,
    engine_indicator,
    evidence_of,
    fed_inputs,
    judgment_entry,
    judgment_of,
    part_rules,
    rubric_of,
    scoring_context,
    stored_entry,
)

#: A tree with more third-level indicators than this shows its overview folded: first- and second-level
#: rows, each first-level indicator's leaves opened on demand (the page stays small at 3,000 indicators).
FOLD_ABOVE = 120


def _overview_lines(cached: result_cache.Overview, nodes) -> list[dict]:
    return [
        {"node": node, "review": node.is_leaf and node.code in cached.review, "mismatch": cached.mismatches.get(node.code)}
        for node in nodes
    ]


def _first_level(cached: result_cache.Overview, code: str):
    node = next((node for node in cached.result.nodes if node.code == code), None)
    if node is None:
        raise Http404("没有这个一级指标")
    return node


@login_required
def rubric_overview(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    cached = result_cache.overview(evaluation)
    context = {"evaluation": evaluation}
    if cached is None:
        if Capability.EDIT_ENGAGEMENT in evaluation.can:
            context["choose_form"] = ChooseSystemForm(systems=systems_for_user(request.user).filter(firm=evaluation.firm))
        else:
            context["who_chooses"] = denial_message(Capability.EDIT_ENGAGEMENT, evaluation)
        return render(request, "rubrics/rubric_empty.html", context)
    result = cached.result
    nodes = {node.code: node for node in result.walk()}
    folded = sum(1 for node in nodes.values() if node.is_leaf) > FOLD_ABOVE
    opened = request.GET.get("open", "")
    sections = [
        {
            "code": first.code,
            "open": not folded or first.code == opened,
            "leaves": sum(1 for node in first.walk() if node.is_leaf),
            "lines": _overview_lines(cached, first.walk() if not folded or first.code == opened else (first, *first.children)),
        }
        for first in result.nodes
    ]
    context.update(
        sections=sections,
        folded=folded,
        result=result,
        progress_done=result.scored_count,
        progress_total=result.applicable_leaf_count,
        progress_percent=result.progress_percent,
        rubric=rubric_of(evaluation),
        review_flags=cached.review_flags,
        mismatches=[{"node": nodes[code], "mismatch": text} for code, text in cached.mismatches.items()],
        flagged=[nodes[code] for code in result.flagged],
    )
    return render(request, "rubrics/rubric_overview.html", context)


@login_required
def rubric_overview_section(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """htmx: one first-level indicator of a folded overview, opened with all its rows."""
    evaluation = get_evaluation_for_user(request, pk)
    cached = result_cache.overview(evaluation)
    if cached is None:
        raise Http404("本项目尚未设置指标体系")
    first = _first_level(cached, code)
    section = {"code": first.code, "open": True, "leaves": sum(1 for node in first.walk() if node.is_leaf),
               "lines": _overview_lines(cached, first.walk())}
    return render(request, "rubrics/_overview_section.html", {"evaluation": evaluation, "section": section, "folded": True})


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


def _one_leaf(evaluation, indicator: Indicator, *, applies: bool = True) -> tuple[Scored, scoring.NodeResult]:
    """The leaf alone, scored as the whole tree scores it: its page never scores the other leaves."""
    context = scoring_context(evaluation, [indicator])
    scored = Scored(None, [indicator], context.bound, context.settings)
    leaf = replace(engine_indicator(indicator), applicable=indicator.applicable and applies)
    entry = stored_entry(indicator, context.bound.get(indicator.code))
    return scored, scoring.score_indicator(leaf, entry, context.settings, level=indicator.level)


def _judgment_form(request, indicator, scored, data=None):
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
    return form, sources


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
    walk = result_cache.walk(evaluation)
    scored, node = _one_leaf(evaluation, indicator, applies=walk.applies(indicator.code))
    form, sources = _judgment_form(request, indicator, scored, request.POST if request.method == "POST" else None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_from_form(form, indicator, request.user)
        except EditConflict as error:
            conflict = _judgment_conflict(error, form, indicator, sources, scored.settings)
            scored, node = _one_leaf(evaluation, indicator, applies=walk.applies(indicator.code))  # as stored now
            form, sources = _judgment_form(request, indicator, scored, rebased(request.POST, error.revision))
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if saved is None:
                messages.info(request, f"{indicator.code}{indicator.name}：未填写任何内容，未保存，仍为未评分。")
            else:
                messages.success(request, f"{indicator.code}{indicator.name}：已保存。")
            target = request.POST.get("next_code", "")
            # only another indicator of this evaluation: never an address from the request ("a/b", "//evil.example")
            return redirect("judgment_edit", pk=evaluation.pk, code=target if target in walk.codes else indicator.code)
    previous_code, next_code = walk.neighbours(indicator.code)
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
        "previous_code": previous_code,
        "next_code": next_code,
        "position": walk.position(indicator.code),
        "count": len(walk.codes),
        "progress_done": walk.scored_count,
        "progress_percent": walk.progress_percent,
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
    scored, _node = _one_leaf(evaluation, indicator)
    form, sources = _judgment_form(request, indicator, scored, request.POST)
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
    try:
        draft = services.save_process_draft(indicator, request.user, request.POST.get("process", ""))
    except ValidationError as error:
        return HttpResponse("；".join(error.messages), status=400, content_type="text/plain; charset=utf-8")
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
        try:
            node = services.find_node(system.tree, editing)
        except ValidationError:
            raise Http404("指标体系中没有该编码的指标") from None
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
    known = {node["code"] for node, _level, _parent in services.walk_dicts(system.tree)}
    if (editing and editing not in known) or (adding_under and adding_under not in known):
        messages.error(request, "要修改的指标已不在模板中（可能已被删除或改了编码），请重新打开后再修改。")
        return redirect("system_detail", pk=system.pk)
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
COLUMN_FIELD = "col_"


def _preview_context(imported, with_scores: bool) -> dict:
    """The imported tree scored by the engine, so the preview shows the weight check and the totals."""
    tree = scoring.indicators_from_dicts(imported.system["indicators"])
    judgments = imported.engine_judgments(with_scores)
    result = scoring.score(tree, {code: scoring.judgment_from_dict(entry, code) for code, entry in judgments.items()})
    return {
        "imported": imported,
        "result": result,
        "lines": list(result.walk()),
        "leaf_count": sum(1 for node in result.walk() if node.is_leaf),
        "with_scores": with_scores,
        "warnings": [str(w) for w in imported.warnings],
        "understanding": imported.understanding,
    }


def posted_columns(post) -> dict[int, str] | None:
    """The user's correction of the column guess (``col_3=score``), or ``None`` when the form carried none."""
    columns = {
        int(name[len(COLUMN_FIELD) :]): value
        for name, value in post.items()
        if name.startswith(COLUMN_FIELD) and name[len(COLUMN_FIELD) :].isdigit()
    }
    return columns or None


def read_indicator_upload(request, kind: str, owner, form, *, accept=None, refusal: str = "") -> dict:
    """Read an uploaded table, or read it again from the source token with the sheet and columns the user chose.

    Returns the context of the page to show: ``imported`` (and ``source``, the
    token to read again) when the file reads and ``accept(imported)`` agrees,
    ``problems`` (``refusal`` when ``accept`` does not) and perhaps
    ``understanding`` when it does not, nothing when nothing was posted yet.
    """
    try:
        read = _read_indicator_upload(request, kind, owner, form)
    except ValidationError as error:
        return {"problems": error.messages}
    imported = read.get("imported")
    if imported is not None and accept is not None and not accept(imported):
        read.pop("imported")
        read["problems"] = [refusal]
    return read


def _read_indicator_upload(request, kind: str, owner, form) -> dict:
    from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook

    if request.POST.get("source"):
        data, options = read_upload(kind, request.POST["source"], owner=owner)
        with_scores = bool(options.get("with_scores", True))
        sheet = request.POST.get("sheet") or None
        columns = posted_columns(request.POST) if request.POST.get("sheet_read") == sheet else None
    elif form.is_valid():
        data = form.cleaned_data["file"].read()
        with_scores = form.cleaned_data.get("with_scores", False)
        sheet, columns = None, None
    else:
        return {}
    source = sign_upload(kind, data, owner=owner, with_scores=with_scores)
    read = {"source": source, "column_choices": KEY_CHOICES}
    try:
        imported = read_indicator_workbook(data, with_scores=with_scores, sheet=sheet, columns=columns)
    except IndicatorImportError as error:
        return {**read, "problems": error.messages, "understanding": error.understanding}
    return {**read, "imported": imported, "with_scores": with_scores}


def _upload_form(form_class, request):
    """The upload form, bound to a new upload; unbound while the user reads the same file again."""
    if request.method == "POST" and not request.POST.get("source"):
        return form_class(request.POST, request.FILES)
    return form_class()


def import_payload(imported, with_scores: bool) -> dict:
    """What the confirm token carries: the tree, its judgments, the form's blocks, and how the file was read."""
    understanding = imported.understanding
    return {
        "system": imported.system,
        "judgments": imported.judgments if with_scores else None,
        "form": imported.form.to_json() if imported.form is not None else None,
        "sheet": imported.sheet,
        "columns": {str(k): v for k, v in understanding.mapping.items()} if understanding else {},
    }


@login_required
def rubric_import(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)
    form = _upload_form(EvaluationImportForm, request)
    context = {"evaluation": evaluation, "form": form}
    if evaluation.indicators.exists():
        messages.error(request, "本项目已有指标体系，不能再导入。")
        return redirect("rubric_overview", pk=evaluation.pk)
    if request.method == "POST":
        read = read_indicator_upload(
            request, IMPORT_KIND, evaluation, form,
            accept=lambda imported: imported.form is None or imported.form.kind != selfeval_form.PROJECT,
            refusal=PROJECT_FORM_HERE,
        )
        context.update(read)
        imported = read.get("imported")
        if imported is not None:
            with_scores = read["with_scores"]
            context.update(_preview_context(imported, with_scores))
            context["form_notes"] = services.form_notes(evaluation, imported.form)
            token = sign_preview(IMPORT_KIND, import_payload(imported, with_scores), owner=evaluation)
            context["token"] = token
            return render(request, "rubrics/import_preview.html", context)
    return render(request, "rubrics/import_upload.html", context)


PROJECT_FORM_HERE = "这是一张项目支出绩效自评表：请在本项目的“项目自评表”页面导入，作为该项目的自评表。"


@login_required
@require_POST
def rubric_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.EDIT_ENGAGEMENT)

    def apply(payload: dict) -> dict:
        services.import_into_evaluation(
            evaluation, payload["system"], payload["judgments"], user=request.user, form=payload.get("form")
        )
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
    form = _upload_form(SystemImportForm, request)
    context = {"form": form}
    if request.method == "POST":
        read = read_indicator_upload(request, LIBRARY_IMPORT_KIND, firm, form)
        context.update(read)
        imported = read.get("imported")
        if imported is not None:
            name = request.POST.get("template_name", "")
            if not name and form.is_bound and form.is_valid():
                name = form.cleaned_data["name"] or imported.system.get("name") or form.cleaned_data["file"].name.rsplit(".", 1)[0]
            name = name or imported.system.get("name") or "导入的指标体系"
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
