from decimal import Decimal

import pytest

from evalsite.lib.chinese import chinese_numeral
from evalsite.lib.numbers import NumberError, format_percent, percent, round_half_up, to_decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "0.13"), ("2.675", "2.68"), ("0.005", "0.01"), ("-5.175", "-5.18"), ("89.995", "90.00"), (2.675, "2.68")],
)
def test_round_half_up_never_rounds_to_even(value, expected):
    assert round_half_up(value) == Decimal(expected)


def test_percent_is_exact_until_displayed():
    rate = percent(20, 21)
    assert rate == Decimal(2000) / Decimal(21)
    assert format_percent(rate) == "95.24%"


def test_percent_of_zero_denominator_is_undefined():
    assert percent(1, 0) is None
    assert format_percent(None) == "—"


@pytest.mark.parametrize("bad", ["abc", "", "-", True, None, "nan", "inf"])
def test_to_decimal_rejects_non_numbers(bad):
    with pytest.raises(NumberError):
        to_decimal(bad)


def test_to_decimal_reads_thousand_separators():
    assert to_decimal("1,429.99") == Decimal("1429.99")


@pytest.mark.parametrize(("number", "text"), [(1, "一"), (8, "八"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")])
def test_chinese_numeral(number, text):
    assert chinese_numeral(number) == text
