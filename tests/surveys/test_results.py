"""The results engine, pure: seed 002's printed shares and composites, the two methods, the settings."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalsite.lib.numbers import round_half_up
from surveys import results
from surveys.results import MEAN, POOLED, TOP_TWO, WEIGHTED, OptionSpec, QuestionSpec, SurveySpec, compute
from tests.surveys.seed import PUBLIC, STAFF, seed_spec, survey_data


def printed(text: str) -> str:
    """The seed prints 64.1% for 64.10%: the two-decimal form of the printed number (no rounding involved)."""
    return f"{Decimal(text.rstrip('%')):.2f}%"


def seed_cases():
    for group in (PUBLIC, STAFF):
        for number, question in enumerate(survey_data(group)["questions"], start=1):
            for index, option in enumerate(question["options"]):
                yield pytest.param(group, number, index, printed(option["printed_share"]), id=f"{group}-Q{number}-{option['label']}")


@pytest.mark.parametrize(("group", "number", "index", "expected"), list(seed_cases()))
def test_every_share_printed_in_seed_002_is_reproduced(group, number, index, expected):
    result = compute(seed_spec(group))

    assert result.questions[number - 1].options[index].share_text == expected


def test_public_q1_shares_are_rounded_each_on_its_own():
    q1 = compute(seed_spec(PUBLIC)).questions[0]

    assert [o.share_text for o in q1.options] == ["73.08%", "23.08%", "3.85%", "0.00%", "0.00%"]
    assert q1.total == 78
    assert q1.total_share_text == "100.00%"
    assert sum(round_half_up(o.share) for o in q1.options) == Decimal("100.01")  # never "fixed" to 100


def test_public_composite_is_the_weighted_mean_of_six_questions():
    result = compute(seed_spec(PUBLIC))

    assert [q.number for q in result.counted_questions] == [1, 2, 3, 5, 10, 11]
    assert result.questions[0].numerator == Decimal(7320)
    assert result.questions[0].satisfaction_text == "93.85%"
    assert round_half_up(result.composite, 20) == round_half_up(Decimal(42320) / 78 / 6, 20)
    assert result.composite_text == "90.43%"
    assert result.notes == ()


def test_public_q10_unknown_keeps_weight_zero_in_the_weighted_denominator():
    q10 = compute(seed_spec(PUBLIC)).questions[9]

    assert q10.options[4].label == "不了解"
    assert q10.options[4].excluded is True  # only the top-two method leaves it out
    assert (q10.numerator, q10.denominator) == (Decimal(6720), 78)
    assert q10.satisfaction_text == "86.15%"


def test_staff_composite_is_the_mean_of_top_two_shares():
    result = compute(seed_spec(STAFF))

    assert [q.satisfaction_text for q in result.questions] == ["98.18%", "98.18%", "98.18%", "96.36%", "98.18%", "98.18%"]
    assert round_half_up(result.composite, 20) == round_half_up(Decimal(32300) / 330, 20)
    assert result.composite_text == "97.88%"


def test_pooled_equals_mean_when_every_question_has_the_same_answers():
    mean = compute(seed_spec(PUBLIC))
    pooled = compute(seed_spec(PUBLIC, aggregation=POOLED))

    assert pooled.composite_text == mean.composite_text == "90.43%"


def test_pooled_differs_from_mean_when_questions_have_different_answers():
    spec = SurveySpec(
        group="群众",
        valid=10,
        returned=10,
        issued=10,
        aggregation=POOLED,
        questions=(
            QuestionSpec("甲", (OptionSpec("很满意", Decimal(100), 10), OptionSpec("不满意", Decimal(0), 0))),
            QuestionSpec("乙", (OptionSpec("很满意", Decimal(100), 0), OptionSpec("不满意", Decimal(0), 2))),
        ),
    )

    assert compute(spec).composite == Decimal(1000) / 12
    assert compute(replace(spec, aggregation=MEAN)).composite == Decimal(50)


def test_top_two_leaves_excluded_options_out_of_the_denominator():
    public_top_two = compute(seed_spec(PUBLIC, method=TOP_TWO))
    q10 = public_top_two.questions[9]

    assert (q10.numerator, q10.denominator) == (Decimal(66), 74)
    assert q10.satisfaction == Decimal(6600) / 74
    assert public_top_two.composite_text == "91.79%"


def test_top_two_skips_an_excluded_option_when_choosing_the_top_two():
    question = QuestionSpec(
        "您对…是否满意",
        (
            OptionSpec("不了解", Decimal(0), 5, excluded=True),
            OptionSpec("很满意", Decimal(100), 3),
            OptionSpec("满意", Decimal(80), 1),
            OptionSpec("不满意", Decimal(40), 1),
        ),
    )
    result = compute(SurveySpec("群众", (question,), method=TOP_TWO, issued=10, returned=10, valid=10))

    assert [o.top for o in result.questions[0].options] == [False, True, True, False]
    assert result.composite == Decimal(80)


def test_a_composite_exactly_on_a_half_rounds_up():
    """3/3, 5/6, 6/12, 1/3, 26/78, 3/80 average exactly 50.625%: summing rounded rates would give 50.6249…→50.62."""
    questions = tuple(
        QuestionSpec(f"第{n}题", (
            OptionSpec("很满意", Decimal(100), top), OptionSpec("满意", Decimal(80), 0),
            OptionSpec("不满意", Decimal(40), total - top),
        ))
        for n, (top, total) in enumerate([(3, 3), (5, 6), (6, 12), (1, 3), (26, 78), (3, 80)], start=1)
    )

    result = compute(SurveySpec("群众", questions, method=TOP_TWO, issued=80, returned=80, valid=80))

    assert result.composite == Decimal("50.625")
    assert result.composite_text == "50.63%"


def test_questions_not_counted_have_no_satisfaction_and_do_not_move_the_composite():
    spec = seed_spec(PUBLIC)
    all_counted = replace(spec, questions=tuple(replace(q, counted=True) for q in spec.questions))

    assert compute(spec).questions[3].satisfaction is None
    assert compute(all_counted).composite != compute(spec).composite


def test_weights_are_editable_per_option():
    spec = seed_spec(PUBLIC)
    harsher = replace(spec, questions=tuple(
        replace(q, options=tuple(replace(o, weight=Decimal(30)) if o.weight == 40 else o for o in q.options))
        for q in spec.questions))

    assert compute(harsher).composite_text == "90.38%"


def test_recovery_rate_is_valid_over_issued():
    result = compute(seed_spec(PUBLIC, issued=80, returned=79))

    assert result.recovery_rate_text == "97.50%"
    assert result.recovery_rate == Decimal("97.5")


def test_an_empty_questionnaire_has_no_rates_and_says_why():
    spec = SurveySpec("群众", (QuestionSpec("甲", (OptionSpec("很满意", Decimal(100)), OptionSpec("满意", Decimal(80)))),))
    result = compute(spec)

    assert result.composite is None
    assert result.composite_text == "—"
    assert result.recovery_rate_text == "—"
    assert result.questions[0].options[0].share_text == "—"
    assert result.questions[0].total_share_text == "—"
    assert result.notes == ("第1题没有回答，未计入综合满意度",)


def test_inconsistent_numbers_are_noted():
    spec = seed_spec(STAFF, issued=50, returned=55, valid=60)

    notes = compute(spec).notes

    assert "回收问卷55份，多于发放的50份" in notes
    assert "有效问卷60份，多于回收的55份" in notes
    assert "第1题合计55份，少于有效问卷60份（有5份未作答）" in notes


def test_top_two_needs_two_countable_options():
    question = QuestionSpec("甲", (OptionSpec("满意", Decimal(100), 3), OptionSpec("不了解", Decimal(0), 1, excluded=True)))
    result = compute(SurveySpec("群众", (question,), method=TOP_TWO, issued=4, returned=4, valid=4))

    assert result.composite is None
    assert "第1题可计入的选项不足两项，无法按前两项占比计算满意度" in result.notes


def test_method_text_states_the_method_and_the_questions():
    public = compute(seed_spec(PUBLIC)).method_text
    staff = compute(seed_spec(STAFF)).method_text

    assert "加权得分法" in public and "很满意100、满意80、一般60、不满意40、很不满意0、不了解0" in public
    assert "第1、2、3、5、10、11题满意度的算术平均值，为90.43%" in public
    assert "第4、6、7、8、9题为情况调查，不计入满意度" in public
    assert "有效回收率100.00%" in public
    assert "前两项占比法" in staff and "（非常满意、满意）" in staff and "97.88%" in staff
    assert "合并计算" in compute(seed_spec(PUBLIC, aggregation=POOLED)).method_text
    assert "“不了解”的回答不计入分母" in compute(seed_spec(PUBLIC, method=TOP_TWO)).method_text


def test_summary_dict_is_the_json_shape():
    data = results.summary_dict(compute(seed_spec(PUBLIC)))

    assert {k: data[k] for k in ("group", "issued", "returned", "valid", "composite")} == {
        "group": PUBLIC, "issued": 78, "returned": 78, "valid": 78, "composite": "90.43",
    }
    assert data["questions"][0] == {
        "title": "您对大厅服务人员接待及协助是否满意?",
        "counted": True,
        "satisfaction": "93.85",
        "options": [
            {"label": "很满意", "count": 57, "share": "73.08"},
            {"label": "满意", "count": 18, "share": "23.08"},
            {"label": "一般", "count": 3, "share": "3.85"},
            {"label": "不满意", "count": 0, "share": "0.00"},
            {"label": "很不满意", "count": 0, "share": "0.00"},
        ],
    }
    assert data["questions"][3]["satisfaction"] is None


def test_option_headings_carry_letters():
    q7 = compute(seed_spec(PUBLIC)).questions[6]

    assert [o.heading for o in q7.options] == ["A.30分钟以内", "B.1小时以内", "C.等候一上午或者一下午，却办不成事"]


@pytest.mark.parametrize(("method", "aggregation"), [(WEIGHTED, "median"), ("bogus", MEAN)])
def test_unknown_settings_are_refused(method, aggregation):
    with pytest.raises(ValueError, match="unknown"):
        compute(seed_spec(PUBLIC, method=method, aggregation=aggregation))


option_counts = st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=7)
weights = st.lists(st.integers(min_value=0, max_value=100), min_size=7, max_size=7)


@given(questions=st.lists(st.tuples(option_counts, weights, st.booleans()), min_size=1, max_size=6),
       method=st.sampled_from([WEIGHTED, TOP_TWO]), aggregation=st.sampled_from([MEAN, POOLED]))
def test_rates_stay_within_bounds_and_shares_near_100(questions, method, aggregation):
    spec = SurveySpec(
        group="群众",
        method=method,
        aggregation=aggregation,
        issued=3500, returned=3500, valid=3500,
        questions=tuple(
            QuestionSpec(f"第{n}题", tuple(
                OptionSpec(f"选项{i}", Decimal(w), c, excluded=(unknown and i == len(counts) - 1))
                for i, (c, w) in enumerate(zip(counts, ws, strict=False))
            ))
            for n, (counts, ws, unknown) in enumerate(questions, start=1)
        ),
    )

    result = compute(spec)

    for question in result.questions:
        if question.total:
            rounded = sum(round_half_up(o.share) for o in question.options)
            assert abs(rounded - 100) <= Decimal("0.005") * len(question.options)
        if question.satisfaction is not None:
            assert 0 <= question.satisfaction <= 100
    rates = [q.satisfaction for q in result.questions if q.satisfaction is not None]
    if result.composite is not None:
        assert 0 <= result.composite <= 100
        if aggregation == MEAN:
            assert min(rates) <= result.composite <= max(rates)
    else:
        assert rates == []
