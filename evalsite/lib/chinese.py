"""Chinese numerals for chapter and list numbering (一、二、… 十一)."""

DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九."""
    if not 0 < number < 100:
        raise ValueError(f"只支持1到99：{number}")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return DIGITS[ones]
    prefix = "" if tens == 1 else DIGITS[tens]
    return prefix + "十" + (DIGITS[ones] if ones else "")


def join_and(items: list[str] | tuple[str, ...]) -> str:
    """A list in a sentence: 甲 · 甲和乙 · 甲、乙和丙."""
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]
