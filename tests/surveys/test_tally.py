"""Respondent rows counted into option counts, pure: matching, inference, every problem with its place."""

from dataclasses import replace
from decimal import Decimal

import pytest

from surveys import scale
from surveys.results import compute, summary_dict
from surveys.tally import SurveyImportError, tally_rows
from tests.surveys.seed import PUBLIC, STAFF, export_rows, seed_spec


def zero_counts(spec):
    return replace(spec, questions=tuple(
        replace(q, options=tuple(replace(o, count=0) for o in q.options)) for q in spec.questions))


def problems_of(rows, existing=None):
    with pytest.raises(SurveyImportError) as caught:
        tally_rows("Sheet1", rows, existing)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("group", [PUBLIC, STAFF])
def test_respondent_rows_into_the_questionnaire_give_the_counts_results(group):
    counted = seed_spec(group)
    tally = tally_rows("Sheet1", export_rows(group), zero_counts(counted))

    imported = tally.spec(group, method=counted.method, aggregation=counted.aggregation, title=counted.title)

    assert tally.respondents == counted.valid
    assert tally.creates is False
    assert tally.warnings == []
    assert summary_dict(compute(imported)) == summary_dict(compute(counted))
    assert compute(imported).method_text == compute(counted).method_text


def test_letter_prefixes_spacing_and_width_are_ignored_when_matching():
    rows = export_rows(STAFF, letters=True)
    rows[1][2] = " A．非常满意 "

    tally = tally_rows("Sheet1", rows, zero_counts(seed_spec(STAFF)))

    assert [o.count for o in tally.questions[0].options] == [49, 5, 1, 0, 0]


def test_titles_match_without_numbering_marks_or_final_punctuation():
    rows = export_rows(STAFF, meta=False, numbering=False)
    rows[0] = [f"Q{n}. {title.rstrip('?')}？(单选题)" for n, title in enumerate(rows[0], start=1)]

    tally = tally_rows("Sheet1", rows, zero_counts(seed_spec(STAFF)))

    assert tally.respondents == 55


def test_an_answer_that_is_no_option_is_named_with_its_row_and_column():
    rows = export_rows(PUBLIC)
    rows[4][4] = "非常好"  # sheet row 5, column E = question 3

    problems = problems_of(rows, zero_counts(seed_spec(PUBLIC)))

    assert problems == [
        "工作表“Sheet1”第5行E列：“非常好”不是第3题的选项（可选：A.很满意、B.满意、C.一般、D.不满意、E.很不满意）"
    ]


def test_every_bad_answer_is_listed():
    rows = export_rows(STAFF)
    rows[2][2] = "还行"
    rows[9][7] = "差"

    problems = problems_of(rows, zero_counts(seed_spec(STAFF)))

    assert [p.split("：")[0] for p in problems] == ["工作表“Sheet1”第3行C列", "工作表“Sheet1”第10行H列"]


def test_an_answer_written_as_the_option_number_is_read_through_the_options_order():
    rows = export_rows(STAFF)
    rows[1][2] = 1  # respondent 1 chose 非常满意 (A) on question 1

    tally = tally_rows("Sheet1", rows, zero_counts(seed_spec(STAFF)))

    assert [o.count for o in tally.questions[0].options] == [49, 5, 1, 0, 0]
    assert tally.warnings == ["第1题的回答是选项序号（按选项序号导出），已按问卷中选项的顺序对应（1或A为第一个选项）"]


def test_an_option_number_beyond_the_options_is_named():
    rows = export_rows(STAFF)
    rows[1][2] = 7

    (problem,) = problems_of(rows, zero_counts(seed_spec(STAFF)))

    assert problem.startswith("工作表“Sheet1”第2行C列：“7”不是第1题的选项")


def test_a_missing_question_column_is_named():
    rows = [row[:4] + row[5:] for row in export_rows(STAFF)]  # drop column E = question 3

    problems = problems_of(rows, zero_counts(seed_spec(STAFF)))

    assert problems == ["工作表“Sheet1”第1行：缺少第3题“您对大厅的服务考评制度是否满意?”的列"]


def test_a_question_given_twice_is_refused():
    rows = [row + [row[2]] for row in export_rows(STAFF)]

    problems = problems_of(rows, zero_counts(seed_spec(STAFF)))

    assert problems == ["工作表“Sheet1”第1行I列：与C列重复，都是第1题"]


def test_extra_columns_are_ignored_with_a_warning():
    rows = export_rows(STAFF)
    rows[0] = [*rows[0], "您的建议", "来自IP"]
    for row in rows[1:]:
        row += ["无", "1.2.3.4"]

    tally = tally_rows("Sheet1", rows, zero_counts(seed_spec(STAFF)))

    assert tally.warnings == ["I列“您的建议”不是问卷中的题目，已忽略"]


def test_skipped_answers_are_not_counted_and_are_reported():
    rows = export_rows(PUBLIC)
    rows[3][11] = "(跳过)"  # question 10
    rows[4][11] = None

    tally = tally_rows("Sheet1", rows, zero_counts(seed_spec(PUBLIC)))

    assert tally.respondents == 78
    assert tally.questions[9].total == 76
    assert tally.warnings == ["第10题有2份答卷未作答（不计入该题）"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], "工作表“Sheet1”：工作表没有内容：第一行应为各题题目，其后每行一份答卷"),
        ([[None, None], [None]], "工作表“Sheet1”：工作表没有内容：第一行应为各题题目，其后每行一份答卷"),
        ([["序号", "您对大厅是否满意?"]], "工作表“Sheet1”第2行：只有题目行，没有答卷：每份答卷应占一行"),
        ([["序号", "提交答卷时间"], [1, "2023-10-09"]], "工作表“Sheet1”第1行：没有找到题目列：第一行应为各题题目（可在前面保留序号、提交时间等列）"),
    ],
)
def test_sheets_without_answers_are_refused(rows, expected):
    assert problems_of(rows) == [expected]


def test_a_new_questionnaire_is_inferred_from_the_file():
    tally = tally_rows("Sheet1", export_rows(PUBLIC))

    assert tally.creates is True
    assert [q.title for q in tally.questions][:2] == [
        "您对大厅服务人员接待及协助是否满意?", "您对为您提供服务的窗口单位工作人员业务能力是否满意?",
    ]
    q1, q4, q9, q10 = (tally.questions[i] for i in (0, 3, 8, 9))
    assert [(o.label, o.weight, o.count) for o in q1.options] == [
        ("很满意", 100, 57), ("满意", 80, 18), ("一般", 60, 3), ("不满意", 40, 0), ("很不满意", 0, 0),
    ]
    assert q1.counted is True
    assert [o.label for o in q10.options] == ["很满意", "满意", "一般", "不满意", "很不满意", "不了解"]
    assert [(o.weight, o.excluded, o.count) for o in q10.options][-1] == (Decimal(0), True, 4)
    assert q4.counted is False
    assert sorted(o.label for o in q4.options) == ["1次", "2次", "3次及以上"]
    assert q4.options[0].label == export_rows(PUBLIC)[1][5]  # order of first appearance
    assert q9.counted is False
    assert {o.label: o.excluded for o in q9.options} == {"了解": False, "不了解": True}


def test_a_new_questionnaire_from_78_rows_reproduces_the_seed_composite_and_shares():
    tally = tally_rows("Sheet1", export_rows(PUBLIC))

    result = compute(tally.spec(PUBLIC, method="weighted", aggregation="mean"))
    counted = compute(seed_spec(PUBLIC))

    assert result.composite_text == "90.43%"
    assert [q.number for q in result.counted_questions] == [1, 2, 3, 5, 10, 11]
    for mine, seed in zip(result.questions, counted.questions, strict=True):
        shares = {o.label: o.share_text for o in mine.options if o.count}
        assert shares == {o.label: o.share_text for o in seed.options if o.count}


def test_a_free_text_column_is_not_taken_for_a_question():
    rows = [["序号", "您对大厅是否满意", "您的建议"]] + [[n, "满意", f"建议{n}"] for n in range(1, 20)]

    problems = problems_of(rows)

    assert problems == [
        "工作表“Sheet1”第1行C列：“您的建议”有19种不同的回答，不像单选题；如为填空题、时间或编号列，请删除该列后再导入"
    ]


def test_the_tally_survives_its_json_round_trip():
    tally = tally_rows("Sheet1", export_rows(PUBLIC))

    again = type(tally).from_json(tally.to_json())

    assert again == tally


@pytest.mark.parametrize(
    ("label", "key"),
    [("A.很满意", "很满意"), ("C一般", "一般"), ("B、 满意", "满意"), ("很满意", "很满意"), ("ＡＢ", "AB"), ("1次", "1次")],
)
def test_option_keys(label, key):
    assert scale.option_key(label) == key


@pytest.mark.parametrize(
    ("title", "key"),
    [("1、您是否满意?", "您是否满意"), ("Q2. 您是否满意？", "您是否满意"), ("第3题 您是否满意(单选题)", "您是否满意"),
     ("2022年您是否满意", "2022年您是否满意")],
)
def test_title_keys(title, key):
    assert scale.title_key(title) == key


def test_scale_recognition_needs_every_answer_to_be_a_scale_word():
    assert scale.recognise(["满意", "效率高"]) is None
    assert scale.recognise(["很满意", "非常满意"]) is None  # two words for one level
    assert [o.label for o in scale.recognise(["非常满意", "满意"])] == ["非常满意", "满意", "一般", "不满意", "很不满意"]
