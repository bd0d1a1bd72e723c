"""附件2's counts against its shares, and the satisfaction rates the text quotes from it. Pure.

* each share printed in 附件2 is its count ÷ the question's answers, each 合计 the sum;
* each satisfaction rate the text quotes for a questionnaire is reproduced by one
  of the methods :mod:`surveys.results` knows (加权得分法 or 前两项占比法,
  averaged over the questions or pooled): the method is named in a note, or the
  finding says no method gives it, with what each gives;
* where the annex names its method, that method is the one that reproduces it;
* the 有效问卷 count the text gives is the count the annex shows.

A quote belongs to a questionnaire when its sentence names the questionnaire's
group, or gives its count of questionnaires, or the report has one questionnaire.
"""

from __future__ import annotations

from decimal import Decimal

from audits.checks.base import ERROR, Finding, Note, Settings
from audits.checks.sources import statements
from audits.facts import statements as said
from audits.facts.numbers import read_number, shown_percent
from audits.facts.report import ReportFacts
from audits.facts.survey_annex import Questionnaire, method_name
from audits.read.model import squeeze
from evalsite.lib.numbers import percent
from surveys import results


def annex_shares(facts: ReportFacts, settings: Settings) -> list[Finding]:
    findings = []
    for questionnaire in facts.surveys:
        for question in questionnaire.questions:
            answers = question.answers
            place = f"附件2（{questionnaire.group or '问卷'}）第{question.heading.split('.', 1)[0]}题"
            if question.total is not None and question.total.value != answers:
                findings.append(Finding(
                    "survey_counts", ERROR, place, f"“{question.heading}”合计{question.total.text}份，各选项份数之和为{answers}",
                    str(answers), question.total.text, key=f"survey_total|{questionnaire.group}|{question.heading}",
                ))
            if not answers:
                continue
            for label, count, share in zip(question.labels, question.counts, question.shares, strict=True):
                computed = percent(count, answers)
                if share is None or not share.percent or share.agrees(computed):
                    continue
                findings.append(Finding(
                    "survey_counts", ERROR, place,
                    f"“{question.heading}”选项{label}的比率{share.text}与{count}÷{answers}不符",
                    shown_percent(computed), share.text, key=f"survey_share|{questionnaire.group}|{question.heading}|{label}",
                ))
    return findings


def _belongs(text: str, questionnaire: Questionnaire, all_of: list[Questionnaire]) -> bool:
    words = squeeze(text)
    if questionnaire.group and questionnaire.group in words:
        return True
    if any(other.group and other.group in words for other in all_of if other is not questionnaire):
        return False
    counts = {int(match.group(1)) for pattern in (said.COUNT_VALID, said.COUNT_ISSUED) for match in pattern.finditer(words)}
    if counts:
        return questionnaire.valid in counts and sum(1 for other in all_of if other.valid in counts) == 1
    return len(all_of) == 1


def _quotes(text: str, questionnaire: Questionnaire) -> list[tuple[int, str]]:
    """(position, rate text) of each rate the text gives: after 满意度, or right after the group's name."""
    found = [(match.start(1), match.group(1)) for match in said.SATISFACTION.finditer(text)]
    if questionnaire.group:
        for match in _group_rate(questionnaire.group).finditer(text):
            found.append((match.start(1), match.group(1)))
    return sorted(set(found))


def _group_rate(group: str):
    import re

    return re.compile(re.escape(group) + r"[^。；，,\d%％]{0,8}?(\d+(?:\.\d+)?)\s*[%％]")


def quoted_rates(facts: ReportFacts, settings: Settings) -> tuple[list[Finding], list[Note]]:
    findings: list[Finding] = []
    notes: list[Note] = []
    if not facts.surveys:
        return findings, notes
    computed = {id(q): q.rates() for q in facts.surveys}
    for source in statements(facts):
        for questionnaire in facts.surveys:
            texts = [(start, sentence) for start, sentence in said.sentences(source.text)
                     if _belongs(sentence, questionnaire, facts.surveys)]
            if not texts and source.grid is not None and questionnaire.group and questionnaire.group in source.text:
                texts = [(0, source.text)]
            for start, sentence in texts:
                for position, value in _quotes(sentence, questionnaire):
                    number = read_number(value + "%")
                    if number is None:
                        continue
                    rate_findings, rate_notes = _rate(questionnaire, number, computed[id(questionnaire)],
                                                      source.place(start + position))
                    findings += rate_findings
                    notes += rate_notes
                for match in said.COUNT_VALID.finditer(sentence):
                    if int(match.group(1)) != questionnaire.valid and _belongs(sentence, questionnaire, facts.surveys):
                        findings.append(Finding(
                            "surveys", ERROR, source.place(start + match.start()),
                            f"文字写有效问卷{match.group(1)}份，附件2（{questionnaire.group}）每题回答{questionnaire.valid}份",
                            str(questionnaire.valid), match.group(1), key=f"survey_valid|{questionnaire.group}|{match.group(1)}",
                        ))
    return findings, _unique(notes)


def _rate(questionnaire: Questionnaire, number, rates: list[tuple[str, str, Decimal]], place: str):
    group = questionnaire.group or "问卷"
    matching = [(method, aggregation) for method, aggregation, value in rates if number.agrees(value)]
    stated = questionnaire.stated_method
    if matching and (stated is None or any(method == stated for method, _ in matching)):
        names = "或".join(method_name(m, a) for m, a in matching)
        return [], [Note("surveys", place, f"{group}满意度{number.text}可由附件2的份数按{names}复算")]
    given = "；".join(f"{method_name(m, a)}{shown_percent(v)}" for m, a, v in rates)
    if matching:
        names = "或".join(method_name(m, a) for m, a in matching)
        message = f"{group}满意度{number.text}只能按{names}复算，与附件2写明的{results.METHOD_LABELS[stated]}不符"
    else:
        message = f"{group}满意度{number.text}无法由附件2的份数按任何常见方法复算"
    return [Finding("surveys", ERROR, place, message, given, number.text, key=f"survey_rate|{group}|{number.text}")], []


def _unique(notes: list[Note]) -> list[Note]:
    seen, unique = set(), []
    for note in notes:
        if note.message not in seen:
            seen.add(note.message)
            unique.append(note)
    return unique
