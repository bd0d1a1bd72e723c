"""Questionnaire pages of an evaluation. Views connect: access helper → form → service → redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from evalsite.exports import download
from evaluations.permissions import Capability, get_evaluation_for_user
from evaluations.previews import apply_preview, sign_preview
from evaluations.revisions import EditConflict, conflict_context, rebased
from surveys import charts, results, services
from surveys.enums import Aggregation, Method
from surveys.exports import RESPONDENT_SHEET
from surveys.forms import (
    BLANK,
    TOTALS,
    AddQuestionForm,
    CountFormSet,
    QuestionBlock,
    QuestionnaireCreateForm,
    QuestionnaireSettingsForm,
    SurveyImportForm,
    TotalsForm,
    TotalsOnlyForm,
)
from surveys.models import Questionnaire
from surveys.queries import (
    facts_from,
    questionnaire_history,
    questionnaire_queryset,
    result_of,
    spec_of,
    survey_results,
)
from surveys.survey_xlsx import read_responses
from surveys.tally import SurveyImportError, Tally

IMPORT_KIND = "survey"
#: Problems listed on the page; the rest are counted.
PROBLEMS_SHOWN = 30


def _questionnaire(evaluation, sid: int) -> Questionnaire:
    """The evaluation's questionnaire ``sid`` with questions and options prefetched; 404 otherwise."""
    questionnaire = questionnaire_queryset(evaluation).filter(pk=sid).first()
    if questionnaire is None:
        raise Http404("问卷不存在")
    questionnaire.evaluation = evaluation
    return questionnaire


def _context(request, evaluation, **extra) -> dict:
    return {"evaluation": evaluation, "tab": "surveys", **extra}


@login_required
def survey_list(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    rows = survey_results(evaluation)
    return render(request, "surveys/survey_list.html", _context(request, evaluation, rows=rows, facts=facts_from(rows)))


@login_required
def survey_create(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_SURVEYS)
    form = QuestionnaireCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["source"] == BLANK:
                questionnaire = services.create_questionnaire(evaluation, group=data["group"], title=data["title"])
            elif data["source"] == TOTALS:
                questionnaire = services.create_questionnaire(
                    evaluation, group=data["group"], title=data["title"], totals_only=True
                )
            else:
                questionnaire = services.copy_builtin(
                    evaluation, data["source"], group=data["group"], title=data["title"] or None
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已创建问卷：{questionnaire.display_title}。")
            if data["source"] == BLANK:
                return redirect("survey_structure", pk=evaluation.pk, sid=questionnaire.pk)
            return redirect("survey_counts", pk=evaluation.pk, sid=questionnaire.pk)
    return render(request, "surveys/survey_create.html", _context(request, evaluation, form=form))


@login_required
def survey_detail(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk)
    questionnaire = _questionnaire(evaluation, sid)
    result = result_of(questionnaire)
    return render(
        request,
        "surveys/survey_detail.html",
        _context(
            request, evaluation, questionnaire=questionnaire, result=result, version=int(questionnaire.updated_at.timestamp()),
            history=questionnaire_history(questionnaire) if Capability.SEE_WORKING_PAPERS in evaluation.can else [],
        ),
    )


def _structure_page(request, evaluation, questionnaire, *, settings_form=None, blocks=None, add_form=None, status=200):
    questions = list(questionnaire.questions.all())
    context = _context(
        request,
        evaluation,
        questionnaire=questionnaire,
        settings_form=settings_form or QuestionnaireSettingsForm(instance=questionnaire),
        blocks=blocks if blocks is not None else [QuestionBlock(q, n) for n, q in enumerate(questions, start=1)],
        add_form=add_form or AddQuestionForm(),
    )
    return render(request, "surveys/survey_structure.html", context, status=status)


@login_required
def survey_structure(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_SURVEYS)
    questionnaire = _questionnaire(evaluation, sid)
    if request.method != "POST":
        return _structure_page(request, evaluation, questionnaire)
    settings_form = QuestionnaireSettingsForm(request.POST, instance=Questionnaire.objects.get(pk=questionnaire.pk))
    blocks = [QuestionBlock(q, n, request.POST) for n, q in enumerate(questionnaire.questions.all(), start=1)]
    valid = settings_form.is_valid()
    for block in blocks:
        valid = block.is_valid() and valid
    if valid:
        kept = sorted((b for b in blocks if not b.deleted), key=lambda b: (b.form.cleaned_data["order"], b.number))
        try:
            with transaction.atomic():
                data = settings_form.cleaned_data
                services.save_settings(
                    questionnaire, group=data["group"], title=data["title"], mode=data["mode"],
                    method=data["method"], aggregation=data["aggregation"],
                )
                if not questionnaire.totals_only:  # a questionnaire known by its totals has no questions
                    services.save_structure(questionnaire, [b.entry() for b in kept])
        except ValidationError as error:
            settings_form.add_error(None, error)
        else:
            messages.success(request, "问卷的题目、选项和计算方法已保存，结果已重新计算。")
            return redirect("survey_detail", pk=evaluation.pk, sid=questionnaire.pk)
    messages.error(request, "有内容未通过校验，请按红色提示修改后再保存；已填写的内容都保留在表单中。")
    return _structure_page(request, evaluation, questionnaire, settings_form=settings_form, blocks=blocks)


@login_required
@require_POST
def survey_question_add(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_SURVEYS)
    questionnaire = _questionnaire(evaluation, sid)
    form = AddQuestionForm(request.POST)
    if form.is_valid():
        try:
            question = services.add_question(questionnaire, form.entry())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已添加题目：{question.title}")
            return redirect(reverse("survey_structure", args=[evaluation.pk, questionnaire.pk]) + "#add-question")
    return _structure_page(request, evaluation, questionnaire, add_form=form)


def _count_rows(questionnaire, formset):
    """Per question: its number, title and (option, form) pairs, in formset order."""
    forms = iter(formset.forms)
    rows = []
    for number, question in enumerate(questionnaire.questions.all(), start=1):
        cells = []
        for index, option in enumerate(question.options.all()):
            form = next(forms)
            errors = form.errors.get("count") if formset.is_bound else None
            cells.append((results.letter(index), option, form, errors[0].rsplit("：", 1)[-1] if errors else ""))
        rows.append({"number": number, "question": question, "cells": cells, "invalid": any(c[3] for c in cells)})
    return rows


def _totals_page(request, evaluation, questionnaire) -> HttpResponse:
    """The counts page of a questionnaire known only by its totals: 发放/回收/有效 and the stated rate."""
    initial = {
        "issued": questionnaire.issued, "returned": questionnaire.returned, "valid": questionnaire.valid,
        "stated_rate": questionnaire.stated_rate, "source": questionnaire.source,
    }
    form = TotalsOnlyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_totals(questionnaire, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "汇总数已保存；绑定此问卷的满意度指标按新的满意度计分。")
            return redirect("survey_detail", pk=evaluation.pk, sid=questionnaire.pk)
    return render(request, "surveys/survey_totals.html", _context(request, evaluation, questionnaire=questionnaire, form=form))


@login_required
def survey_counts(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_SURVEYS)
    questionnaire = _questionnaire(evaluation, sid)
    if questionnaire.totals_only:
        return _totals_page(request, evaluation, questionnaire)
    places, initial = [], []
    for number, question in enumerate(questionnaire.questions.all(), start=1):
        for index, option in enumerate(question.options.all()):
            places.append(f"第{number}题“{question.title[:20]}”的选项{results.letter(index)}“{option.label}”")
            initial.append({"option": option.pk, "count": option.count})
    data = request.POST if request.method == "POST" else None
    stored_totals = {"issued": questionnaire.issued, "returned": questionnaire.returned, "valid": questionnaire.valid}
    totals = TotalsForm(data, initial={**stored_totals, "revision": questionnaire.revision})
    formset = CountFormSet(data, initial=initial, places=places, prefix="counts")
    problems: list[str] = []
    conflict = None
    if request.method == "POST":
        # posted from a page older than the questionnaire (a question added or removed since): its forms no longer match
        stale = bool(formset.management_form.errors) or len(formset.forms) != len(places)
        if not stale and totals.is_valid() and formset.is_valid():
            counts = {f.cleaned_data["option"]: f.cleaned_data["count"] for f in formset.forms}
            per_question = [sum(counts.get(o.pk, 0) for o in q.options.all()) for q in questionnaire.questions.all()]
            issued, returned, valid = totals.totals(max(per_question, default=0))
            try:
                services.save_counts(
                    questionnaire, counts, issued=issued, returned=returned, valid=valid,
                    base_revision=totals.cleaned_data["revision"],
                )
            except EditConflict as error:
                typed = {"issued": issued, "returned": returned, "valid": valid}
                conflict = conflict_context(
                    error, _counts_conflict_rows(questionnaire, places, counts, stored_totals, typed, totals),
                    reverse("survey_counts", args=[evaluation.pk, questionnaire.pk]),
                )
                data = rebased(request.POST, error.revision)
                totals = TotalsForm(data)
                formset = CountFormSet(data, initial=initial, places=places, prefix="counts")
                totals.is_valid(), formset.is_valid()
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, "份数已保存，占比和满意度已重新计算。")
                return redirect("survey_detail", pk=evaluation.pk, sid=questionnaire.pk)
        else:
            problems = [e for f in formset.forms for e in f.errors.get("count", [])]
            problems += [e for field in totals for e in field.errors]
            problems += [e for e in formset.non_form_errors()] if not stale else []
            if stale or any(f.errors.get("option") for f in formset.forms):
                problems.append("表单已过期，请刷新页面后重新录入")
            if stale:  # the posted forms no longer match the options: show the saved counts again
                formset = CountFormSet(None, initial=initial, places=places, prefix="counts")
    context = _context(
        request, evaluation, questionnaire=questionnaire, totals=totals, formset=formset,
        rows=_count_rows(questionnaire, formset), problems=problems, conflict=conflict,
    )
    return render(request, "surveys/survey_counts.html", context)


def _counts_conflict_rows(questionnaire, places, counts, stored_totals, typed, totals) -> list[tuple[str, str, str]]:
    """(what, stored now, typed in the refused form) for each option and for 发放/回收/有效."""
    options = [option for question in questionnaire.questions.all() for option in question.options.all()]
    rows = [(place, str(option.count), str(counts.get(option.pk, option.count))) for place, option in zip(places, options, strict=True)]
    rows += [(str(totals.fields[name].label), str(stored_totals[name]), str(typed[name])) for name in typed]
    return rows


@login_required
def survey_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: upload and preview. Nothing is saved here."""
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_SURVEYS)
    questionnaires = questionnaire_queryset(evaluation).filter(totals_only=False)
    initial = {}
    if request.GET.get("questionnaire", "").isdigit():
        initial["questionnaire"] = questionnaires.filter(pk=request.GET["questionnaire"]).first()
    form = SurveyImportForm(request.POST or None, request.FILES or None, questionnaires=questionnaires, initial=initial)
    context = _context(request, evaluation, form=form)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["questionnaire"]
        upload = form.cleaned_data["file"]
        try:
            tally = read_responses(upload.read(), spec_of(target) if target else None)
        except SurveyImportError as error:
            shown = [str(p) for p in error.problems[:PROBLEMS_SHOWN]]
            context.update(problems=shown, more_problems=len(error.problems) - len(shown))
        else:
            group = form.cleaned_data["group"]
            spec = tally.spec(
                group,
                method=target.method if target else Method.WEIGHTED,
                aggregation=target.aggregation if target else Aggregation.MEAN,
                issued=target.issued if target else 0,
                returned=target.returned if target else 0,
                title=target.display_title if target else f"{group}满意度调查",
            )
            payload = {"group": group, "tally": tally.to_json(), "source": upload.name}
            context.update(
                tally=tally, target=target, group=group, result=results.compute(spec),
                token=sign_preview(IMPORT_KIND, payload, owner=evaluation),
            )
            return render(request, "surveys/survey_import_preview.html", context)
    return render(request, "surveys/survey_import.html", context)


@login_required
@require_POST
def survey_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: store a previewed import in one transaction."""
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_SURVEYS)

    def apply(payload: dict):
        tally = Tally.from_json(payload["tally"])
        source = f"导入：{payload['source']}（{tally.respondents}份答卷，{timezone.localtime():%Y-%m-%d %H:%M}）"
        return tally, services.apply_tally(evaluation, payload["group"], tally, source=source)

    try:
        tally, questionnaire = apply_preview(
            IMPORT_KIND, request.POST.get("token", ""), owner=evaluation, apply=apply, user=request.user
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("survey_import", pk=evaluation.pk)
    messages.success(request, f"已导入{tally.respondents}份答卷到“{questionnaire.group}”问卷。")
    return redirect("survey_detail", pk=evaluation.pk, sid=questionnaire.pk)


@login_required
@require_POST
def survey_delete(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    evaluation = get_evaluation_for_user(request, pk, Capability.ENTER_SURVEYS)
    questionnaire = _questionnaire(evaluation, sid)
    services.delete_questionnaire(questionnaire)
    messages.success(request, f"已删除问卷：{questionnaire.display_title}。")
    return redirect("survey_list", pk=evaluation.pk)


@login_required
def survey_chart(request: HttpRequest, pk: int, sid: int, number: int, fmt: str) -> HttpResponse:
    """The bar chart of question ``number`` (1-based) as PNG or SVG."""
    evaluation = get_evaluation_for_user(request, pk)
    if fmt not in charts.FORMATS:
        raise Http404("不支持的图片格式")
    result = result_of(_questionnaire(evaluation, sid))
    if not 1 <= number <= len(result.questions):
        raise Http404("题目不存在")
    digest, content = charts.stored_chart(result.questions[number - 1], fmt)
    return chart_response(request, digest, lambda: content, fmt, immutable=False)


def chart_response(request: HttpRequest, digest: str, content, fmt: str, *, immutable: bool) -> HttpResponse:
    """A stored chart with its digest as ETag (``content`` is called only when the browser lacks it).

    ``immutable``: the URL names the digest, so the picture never changes; otherwise (a question's chart
    by its number) the browser asks again each time and gets 304 while the counts are unchanged.
    """
    etag = f'"{digest}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content(), content_type=charts.FORMATS[fmt])
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=31536000, immutable" if immutable else "private, no-cache"
    return response


@login_required
def survey_template_xlsx(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    """A blank respondent sheet for the questionnaire (the import format), with a drop-down per question."""
    evaluation = get_evaluation_for_user(request, pk)
    return download(RESPONDENT_SHEET, _questionnaire(evaluation, sid))
