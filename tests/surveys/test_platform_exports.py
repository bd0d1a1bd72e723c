"""Survey exports as the platforms write them: 按选项序号, multiple choice, trailing columns, punctuation, odd answers.

Seed 002's 企业和办事群众 answers (78 respondents, composite 90.43%) are the
oracle: written another way, they must count the same.
"""

from decimal import Decimal

import pytest

from surveys.results import OptionSpec, QuestionSpec, SurveySpec, compute
from surveys.tally import SurveyImportError, tally_rows
from tests.surveys.seed import PUBLIC, export_rows, seed_spec, survey_data


def zero(spec: SurveySpec) -> SurveySpec:
    return SurveySpec(
        spec.group,
        tuple(QuestionSpec(q.title, tuple(OptionSpec(o.label, o.weight, 0, o.excluded) for o in q.options), q.counted,
                           q.multiple) for q in spec.questions),
        spec.method, spec.aggregation,
    )


def by_number(rows: list[list], *, letters: bool = False) -> list[list]:
    """The same answers "按选项序号": each option as its position in the question (1…, or A…)."""
    questions = survey_data(PUBLIC)["questions"]
    header, *body = rows
    converted = [header]
    for row in body:
        new = row[:2]
        for question, answer in zip(questions, row[2:], strict=True):
            index = [o["label"] for o in question["options"]].index(answer)
            new.append("ABCDEFG"[index] if letters else index + 1)
        converted.append(new)
    return converted


@pytest.mark.parametrize("letters", [False, True], ids=["1-5", "A-E"])
def test_an_export_by_option_number_counts_the_same(letters):
    rows = by_number(export_rows(PUBLIC), letters=letters)

    tally = tally_rows("Sheet1", rows, zero(seed_spec(PUBLIC)))

    result = compute(tally.spec(PUBLIC, method="weighted", aggregation="mean"))
    assert result.composite_text == "90.43%"
    assert [o.count for o in tally.questions[3].options] == [66, 10, 2]  # 1次 / 2次 / 3次及以上
    assert tally.warnings == [
        "第1、2、3、4、5、6、7、8、9、10、11题的回答是选项序号（按选项序号导出），已按问卷中选项的顺序对应（1或A为第一个选项）"
    ]


def test_an_export_by_option_number_cannot_create_a_questionnaire():
    with pytest.raises(SurveyImportError) as caught:
        tally_rows("Sheet1", by_number(export_rows(PUBLIC)))
    assert "文件按选项序号导出" in str(caught.value)
    assert "请先建立问卷" in str(caught.value)


def test_the_platforms_trailing_columns_are_ignored():
    rows = export_rows(PUBLIC)
    rows[0] += ["总分", "填写人信息", "IP属地"]
    for number, row in enumerate(rows[1:], start=1):
        row += [number % 7, f"手机尾号{1000 + number}", "河南新乡"]

    tally = tally_rows("Sheet1", rows)

    assert len(tally.questions) == 11
    assert compute(tally.spec(PUBLIC, method="weighted", aggregation="mean")).composite_text == "90.43%"


def test_titles_keep_their_punctuation_as_written():
    tally = tally_rows("Sheet1", export_rows(PUBLIC))

    assert tally.questions[3].title == "您到窗口申请办理的业务，一般需要多少次才能完成?"
    assert tally.questions[6].title == "您在政务服务中心大厅办事等待最长时间是？"


def test_scale_options_nobody_chose_are_kept():
    tally = tally_rows("Sheet1", export_rows(PUBLIC))

    q1 = tally.questions[0]  # nobody answered 不满意 or 很不满意
    assert [(o.label, o.count) for o in q1.options] == [("很满意", 57), ("满意", 18), ("一般", 3), ("不满意", 0), ("很不满意", 0)]


def test_one_answer_outside_the_scale_is_a_warning_and_the_question_stays_counted():
    rows = export_rows(PUBLIC)
    rows[4][4] = "非常好"  # one respondent wrote 非常好 on question 3

    tally = tally_rows("Sheet1", rows)

    q3 = tally.questions[2]
    assert q3.counted is True
    assert [(o.label, o.weight, o.excluded, o.count) for o in q3.options][-1] == ("非常好", Decimal(0), True, 1)
    assert [o.label for o in q3.options][:5] == ["很满意", "满意", "一般", "不满意", "很不满意"]
    assert tally.warnings == [
        "第3题“您对为您提供服务的窗口单位工作人员服务态度是否满意?”有回答不是五级满意度用语：“非常好”1份。该题仍计入满意度，"
        "这些回答作为单独的选项保留（权重0，不计入前两项占比的分母）；如应归入某一级，请在问卷结构中修改后重新导入"
    ]
    result = compute(tally.spec(PUBLIC, method="weighted", aggregation="mean"))
    assert [q.number for q in result.counted_questions] == [1, 2, 3, 5, 10, 11]


CHANNELS = ("政务服务网", "“甘快办”APP", "窗口咨询", "12345热线")


def multiple_rows(style: str) -> list[list]:
    """Six respondents, a satisfaction question and a multiple-choice one (渠道), as a platform exports them."""
    chosen = [(0, 2), (1,), (0, 1, 3), (2,), (), (0,)]
    satisfaction = ["很满意", "满意", "很满意", "一般", "满意", "很满意"]
    if style == "cell":
        header = ["序号", "1、您对办事大厅是否满意？", "2、您通过哪些渠道了解办事指南？(多选题)"]
        body = [[n, s, "┋".join(CHANNELS[i] for i in c) or None] for n, (s, c) in enumerate(zip(satisfaction, chosen, strict=True), 1)]
    else:
        header = ["序号", "1、您对办事大厅是否满意？", *(f"2、您通过哪些渠道了解办事指南？({c})" for c in CHANNELS)]
        body = [
            [n, s, *(None if not c else (1 if i in c else 0) for i in range(len(CHANNELS)))]
            for n, (s, c) in enumerate(zip(satisfaction, chosen, strict=True), 1)
        ]
    return [header, *body]


@pytest.mark.parametrize("style", ["cell", "columns"])
def test_a_multiple_choice_question_counts_every_choice(style):
    tally = tally_rows("Sheet1", multiple_rows(style))

    question = tally.questions[1]
    assert (question.title, question.multiple, question.counted) == ("您通过哪些渠道了解办事指南？", True, False)
    counts = {"政务服务网": 3, "“甘快办”APP": 2, "窗口咨询": 2, "12345热线": 1}
    assert {o.label: o.count for o in question.options} == counts
    if style == "columns":  # the columns give the options' order; a cell gives them in order of first appearance
        assert [o.label for o in question.options] == list(CHANNELS)
    assert (question.answered, question.blanks) == (5, 1)
    result = compute(tally.spec("群众", method="weighted", aggregation="mean"))
    channels = result.questions[1]
    assert channels.multiple and channels.total == 5
    assert {o.label: o.share_text for o in channels.options} == {
        "政务服务网": "60.00%", "“甘快办”APP": "40.00%", "窗口咨询": "40.00%", "12345热线": "20.00%",
    }
    assert channels.total_share_text == "—"  # shares of a multiple-choice question do not add up to 100
    assert [q.number for q in result.counted_questions] == [1]


@pytest.mark.parametrize("style", ["cell", "columns"])
def test_a_multiple_choice_question_imports_into_its_questionnaire(style):
    created = tally_rows("Sheet1", multiple_rows("cell")).spec("群众", method="weighted", aggregation="mean")

    tally = tally_rows("Sheet1", multiple_rows(style), zero(created))

    assert [o.count for o in tally.questions[1].options] == [3, 2, 2, 1]
    assert tally.questions[1].answered == 5
