from decimal import Decimal

import pytest

from rubrics.consistency import process_mismatch, stated_score


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("依据评分细则，本项指标得2分。", "normal", ("得", Decimal("2"), True)),
        ("全年预算数487.29万元，执行率=100% 得分=3×100%=3分", "normal", ("得", Decimal("3"), False)),
        ("4项均符合要求，按标准得 2分。", "normal", ("得", Decimal("2"), False)),
        ("扣减2.5分，本项指标得2.5分。", "normal", ("得", Decimal("2.5"), True)),
        ("因此得分=4分", "normal", ("得", Decimal("4"), False)),
        ("经核查，本项指标得1分。该单位2项制度未及时更新。", "normal", ("得", Decimal("1"), False)),
        ("评价组查阅了相关资料。", "normal", None),
        # a deduction from W is not the score of a normal indicator
        ("存在1处不符，扣1分。", "normal", None),
        # 减分项: the score is the amount taken off, stated with 扣
        ("存在违规情况，扣1分。", "deduction", ("扣", Decimal("1"), False)),
        ("依据评分细则，本项指标扣2分。", "deduction", ("扣", Decimal("2"), True)),
        ("不存在扣分情况，不扣分。", "deduction", None),
        # 加分项: 加 or 得
        ("获得省级嘉奖，加1分。", "bonus", ("加", Decimal("1"), False)),
        ("本项指标得2分。", "bonus", ("得", Decimal("2"), True)),
        ("不存在加分情况", "bonus", None),
    ],
)
def test_stated_score_is_the_last_score_the_text_states_with_the_kinds_verb(text, kind, expected):
    stated = stated_score(text, kind)
    assert (None if stated is None else (stated.verb, stated.number, stated.closing)) == expected


def test_stated_score_says_where_the_number_is():
    text = "资料齐全。依据评分细则，本项指标得2.50分。"
    stated = stated_score(text)
    assert text[stated.start : stated.end] == "2.50"
    assert stated.text == "2.5"


def test_mismatch_names_both_scores():
    assert process_mismatch("依据评分细则，本项指标得0.5分。", Decimal("1.50")) == (
        "评分过程中写的得分（0.5分）与当前得分（1.50分）不一致，请修改评分过程。"
    )
    assert process_mismatch("本项指标得2分。", Decimal("2.00")) is None
    assert process_mismatch("", Decimal("2.00")) is None
    assert process_mismatch("存在违规情况，扣1分。", Decimal("2.00"), "deduction") == (
        "评分过程中写的得分（1分）与当前得分（2.00分）不一致，请修改评分过程。"
    )
