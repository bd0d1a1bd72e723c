from decimal import Decimal

import pytest

from rubrics.consistency import process_mismatch, stated_score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依据评分细则，本项指标得2分。", Decimal("2")),
        ("全年预算数487.29万元，执行率=100% 得分=3×100%=3分", Decimal("3")),
        ("4项均符合要求，按标准得 2分。", Decimal("2")),
        ("扣减2.5分，本项指标得2.5分。", Decimal("2.5")),
        ("因此得分=4分", Decimal("4")),
        ("评价组查阅了相关资料。", None),
    ],
)
def test_stated_score_is_the_last_score_the_text_states(text, expected):
    assert stated_score(text) == expected


def test_mismatch_names_both_scores():
    assert process_mismatch("依据评分细则，本项指标得0.5分。", Decimal("1.50")) == (
        "评分过程中写的得分（0.5分）与当前得分（1.50分）不一致，请修改评分过程。"
    )
    assert process_mismatch("本项指标得2分。", Decimal("2.00")) is None
    assert process_mismatch("", Decimal("2.00")) is None
