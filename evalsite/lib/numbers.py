"""Exact numbers for money, scores and rates.

Every rounding in the product goes through :func:`round_half_up` (四舍五入);
banker's rounding never appears. Rates are kept as percentages (``95.2381``
means 95.2381 %) at full precision and rounded only for display.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

ZERO = Decimal("0")
#: What every report, table and sentence prints where a number is absent or does not apply (one dash, never "-").
NO_VALUE = "—"
HUNDRED = Decimal("100")
TWO_PLACES = 2

#: The Excel number formats that show a written cell as the functions below print it.
AMOUNT_FORMAT = "0.00"  # format_amount
PERCENT_FORMAT = "0.00%"  # format_percent (the cell holds the rate / 100)
GENERAL_FORMAT = "General"  # format_plain
COUNT_FORMAT = "0"


class NumberError(ValueError):
    """A value that cannot be read as an exact decimal number."""


def to_decimal(value) -> Decimal:
    """Read ``value`` as an exact Decimal; floats go through ``str`` so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise NumberError(f"不是数字：{value!r}")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if text in {"", "-", "—", "－"}:
            raise NumberError("空值")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise NumberError(f"不是数字：{value!r}") from None
    else:
        raise NumberError(f"不是数字：{value!r}")
    if not result.is_finite():
        raise NumberError(f"不是有限数字：{value!r}")
    return result


def round_half_up(value, places: int = TWO_PLACES) -> Decimal:
    """The one rounding helper: half up (四舍五入) to ``places`` decimals, however large the value (1e30 included)."""
    quantum = Decimal(1).scaleb(-places)
    number = to_decimal(value)
    with localcontext() as context:
        context.prec = max(context.prec, number.adjusted() + places + 2)
        return number.quantize(quantum, rounding=ROUND_HALF_UP)


def percent(numerator, denominator) -> Decimal | None:
    """``numerator / denominator × 100`` at full precision; ``None`` when the denominator is 0."""
    denominator = to_decimal(denominator)
    if denominator == ZERO:
        return None
    return to_decimal(numerator) * HUNDRED / denominator


def format_percent(rate: Decimal | None, places: int = TWO_PLACES) -> str:
    """A percentage as the reports print it: ``95.24%``; :data:`NO_VALUE` when undefined."""
    if rate is None:
        return NO_VALUE
    return f"{round_half_up(rate, places)}%"


def format_amount(value: Decimal | None, places: int = TWO_PLACES) -> str:
    """An amount (万元), a score or a weight with two decimals (``4.00``, ``2.50``); :data:`NO_VALUE` when absent.

    Reports print every score and weight through this, in tables and in sentences alike.
    """
    if value is None:
        return NO_VALUE
    return str(round_half_up(value, places))


def format_plain(value: Decimal | None) -> str:
    """A number without trailing zeros (``4``, ``2.5``): inputs and rule thresholds, never a printed score."""
    if value is None:
        return NO_VALUE
    value = to_decimal(value)
    text = format(value.normalize(), "f")
    return text
