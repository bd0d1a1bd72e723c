"""How wide a line of report text is and where it breaks: table columns that fit, titles and the page estimate. Pure Python.

The report sets Chinese in full-width fonts (仿宋, 宋体, 黑体: every ideograph
and Chinese punctuation mark is one em wide) and Latin letters and digits in
Times New Roman; the advance widths below are Times New Roman's (the same as
Liberation Serif, its metric-compatible twin), in 1/2048 em. Both programs add a
little space between a Chinese character and a Latin letter or digit
(:data:`AUTOSPACE`). Lines break as Word and LibreOffice break Chinese:
between any two Chinese characters, at spaces inside Latin text, never before
a closing mark (，。）” …) nor after an opening one (（“ …); a comma or full
stop that does not fit hangs in the margin (both programs' default); a Latin
word longer than the line is cut where it overflows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Advance widths of the printable ASCII characters U+0020…U+007E in Times New Roman, units of 1/2048 em.
_REGULAR = (
    512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569, 1024, 1024, 1024, 1024,
    1024, 1024, 1024, 1024, 1024, 1024, 569, 569, 1155, 1155, 1155, 909, 1886, 1479, 1366, 1366, 1479, 1251, 1139,
    1479, 1479, 682, 797, 1479, 1251, 1821, 1479, 1479, 1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479,
    1251, 682, 569, 682, 961, 1024, 682, 909, 1024, 909, 1024, 909, 682, 1024, 1024, 569, 569, 1024, 569, 1593, 1024,
    1024, 1024, 1024, 682, 797, 569, 1024, 1024, 1479, 1024, 1024, 909, 983, 410, 983, 1108,
)
_BOLD = (
    512, 682, 1137, 1024, 1024, 2048, 1706, 569, 682, 682, 1024, 1167, 512, 682, 512, 569, 1024, 1024, 1024, 1024,
    1024, 1024, 1024, 1024, 1024, 1024, 682, 682, 1167, 1167, 1167, 1024, 1905, 1479, 1366, 1479, 1479, 1366, 1251,
    1593, 1593, 797, 1024, 1593, 1366, 1933, 1479, 1593, 1251, 1593, 1479, 1139, 1366, 1479, 1479, 2048, 1479, 1479,
    1366, 682, 569, 682, 1190, 1024, 682, 1024, 1139, 909, 1139, 909, 682, 1024, 1139, 569, 682, 1139, 569, 1706, 1139,
    1024, 1139, 1139, 909, 797, 682, 1139, 1024, 1479, 1024, 1024, 909, 807, 451, 807, 1065,
)
_UNITS = 2048

#: Marks a line may not start with (they close something or end a clause) and may not end with (they open):
#: Word's lists for Simplified Chinese.
NO_LINE_START = set("!%),.:;?]}°·ˇˉ―‖’”…‰′″℃∶、。〃〉》」』】〕〗！＂％＇），．：；？］｝～")
NO_LINE_END = set("$([{£¥·‘“〈《「『【〔〖（．［｛￡￥")
EPSILON = 0.01
#: What a cell's borders (half of each rule) and rounding take from its width, in points.
CELL_FRAME = 1.0
#: The space Word and LibreOffice add between a Chinese character and a Latin letter or digit, in em.
AUTOSPACE = 0.25
#: Marks that may hang past the end of a full line instead of taking the last character down with them.
HANGING = set("、。，．")


def char_em(char: str, bold: bool = False) -> float:
    """Width of one character in em: Times New Roman for ASCII and Latin-1 letters, one em for the rest."""
    code = ord(char)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32] / _UNITS
    if code < 0x250 and char not in "×÷·":
        return 0.5  # accented Latin letters: about a digit's width
    return 1.0


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` set at ``size`` points, in points."""
    return sum(char_em(char, bold) for char in text) * size


def _is_latin(char: str) -> bool:
    return ord(char) < 0x250 and not char.isspace()


def _is_ideograph(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3040 <= code <= 0x30FF or 0xF900 <= code <= 0xFAFF


def _autospaced(left: str, right: str) -> bool:
    return (_is_ideograph(left) and _is_latin(right)) or (_is_latin(left) and _is_ideograph(right))


@dataclass(frozen=True)
class Segment:
    """A piece of text that is never broken inside (a Chinese character, a Latin word) and what follows it."""

    text: str
    width: float
    space_after: float = 0.0  # the width of the spaces that follow (dropped at a line end)
    lead: float = 0.0  # the auto-space before it, when it does not start a line


def segments(text: str, size: float, bold: bool = False) -> list[Segment]:
    """Break opportunities of ``text``: one segment per Chinese character, one per Latin word; kinsoku applied."""
    pieces: list[list] = []  # [text, width, space_after]
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            if pieces:
                pieces[-1][2] += char_em(" ", bold) * size
            index += 1
            continue
        if _is_latin(char) and char not in NO_LINE_START and char not in NO_LINE_END:
            end = index
            while end < len(text) and _is_latin(text[end]) and not text[end].isspace():
                end += 1
            word = text[index:end]
            pieces.append([word, text_width(word, size, bold), 0.0])
            index = end
            continue
        pieces.append([char, char_em(char, bold) * size, 0.0])
        index += 1
    merged: list[list] = []  # [text, width, space_after, lead]
    for piece in pieces:
        gap = 0.0
        if merged and not merged[-1][2] and _autospaced(merged[-1][0][-1], piece[0][0]):
            gap = AUTOSPACE * size
        glue = merged and not merged[-1][2] and (piece[0][0] in NO_LINE_START or merged[-1][0][-1] in NO_LINE_END)
        if glue:
            merged[-1][0] += piece[0]
            merged[-1][1] += gap + piece[1]
            merged[-1][2] = piece[2]
        else:
            merged.append([*piece, gap])
    return [Segment(text, width, space, lead) for text, width, space, lead in merged]


def wrap(text: str, width: float, size: float, *, bold: bool = False, first_indent: float = 0.0) -> list[str]:
    """The lines ``text`` takes in a column ``width`` points wide (at least one line, even when empty)."""
    lines: list[str] = []
    current = ""
    used = first_indent
    space = 0.0  # the spaces after the previous segment
    for segment in segments(text, size, bold):
        separator = " " if space and current else ""
        gap = (space or segment.lead) if current else 0.0
        hang = char_em(segment.text[-1], bold) * size if segment.text[-1] in HANGING else 0.0
        if current and used + gap + segment.width - hang > width + EPSILON:
            lines.append(current)
            current, used, gap, separator = "", 0.0, 0.0, ""
        if not current and segment.width > width - used + EPSILON:
            for char in segment.text:  # a word longer than the line: cut it where it overflows
                char_width = char_em(char, bold) * size
                if current and used + char_width > width + EPSILON:
                    lines.append(current)
                    current, used = "", 0.0
                current += char
                used += char_width
        else:
            current += separator + segment.text
            used += gap + segment.width
        space = segment.space_after
    lines.append(current)
    return lines


def line_count(text: str, width: float, size: float, *, bold: bool = False, first_indent: float = 0.0) -> int:
    return len(wrap(text, width, size, bold=bold, first_indent=first_indent))


def phrase_lines(phrases: Sequence[str], width: float, size: float, bold: bool = False) -> list[str]:
    """Phrases joined on as few lines as fit, broken only between phrases (a title never leaves "报告" alone).

    A phrase wider than the line stays one entry (the renderer lets it wrap).
    """
    lines: list[str] = []
    for phrase in phrases:
        if lines and text_width(lines[-1] + phrase, size, bold) <= width + EPSILON:
            lines[-1] += phrase
        else:
            lines.append(phrase)
    return lines


# ---------------------------------------------------------------------------
# Table columns


@dataclass(frozen=True)
class ColumnNeed:
    """What a column's cells need, in points: ``least`` keeps numbers and short labels on one line and longer
    labels on two; ``most`` sets every text on one line; ``text`` says the column holds running text."""

    least: float
    most: float
    text: bool = False


def cell_needs(text: str, size: float, bold: bool) -> ColumnNeed:
    """The narrowest and widest useful widths of one cell's text (without padding)."""
    lines = text.split("\n") if text else [""]
    most = max(text_width(line, size, bold) for line in lines)
    least = 0.0
    running = False
    for line in lines:
        chinese = sum(1 for char in line if not _is_latin(char) and not char.isspace())
        full = text_width(line, size, bold)
        if chinese <= 4:
            need = full  # a number, a code, a short label: one line
        elif chinese <= 12:
            need = full / 2 + size  # a label: at most two lines
        else:
            running = True  # running text takes what the other columns leave
            longest_word = max((text_width(seg.text, size, bold) for seg in segments(line, size, bold)), default=0.0)
            need = max(longest_word, 4 * size)
        least = max(least, need)
    return ColumnNeed(least, max(most, least), running)


def fit_columns(needs: Sequence[ColumnNeed], hints: Sequence[float], available: float) -> list[float]:
    """Column widths summing to ``available``.

    Every column first gets its ``least``; labels that would wrap are then set on one line, cheapest
    first, while room remains (a label is on one line or on two, never with one character left over)
    and the columns of running text keep at least their share of the ``hints`` (a wide table of many
    text columns, such as a 12-column 附件1, wraps its labels rather than squeeze its texts);
    columns of running text share what is left in proportion to their text; any room beyond every
    column's ``most`` goes by the builder's ``hints``. When even the least widths do not fit, they are
    scaled down together.
    """
    widths = [need.least for need in needs]
    total = sum(widths)
    if total >= available:
        return [available * width / total for width in widths] if total else [available / len(needs)] * len(needs)
    spare = available - total
    texts = [i for i, need in enumerate(needs) if need.text]
    hinted = sum(hints)
    text_share = available * sum(hints[i] for i in texts) / hinted if hinted else 0.0
    reserved = max(0.0, min(text_share, sum(needs[i].most for i in texts)) - sum(widths[i] for i in texts))
    label_room = max(0.0, spare - reserved)
    labels = sorted((i for i, need in enumerate(needs) if not need.text and need.most > need.least),
                    key=lambda i: needs[i].most - needs[i].least)
    for i in labels:
        want = needs[i].most - needs[i].least
        if want <= label_room:
            widths[i] = needs[i].most
            spare -= want
            label_room -= want
    wanted = {i: needs[i].most - widths[i] for i in texts}
    if texts and sum(wanted.values()) > 0:
        share = min(1.0, spare / sum(wanted.values()))
        for i in texts:
            widths[i] += wanted[i] * share
        spare -= sum(wanted.values()) * share
    if spare > 1e-9:
        hint_total = sum(hints)
        shares = [hint / hint_total for hint in hints] if hint_total else [1 / len(hints)] * len(hints)
        widths = [width + spare * share for width, share in zip(widths, shares, strict=True)]
    return widths


def column_widths(
    rows: Iterable[Sequence], width: int, hints: Sequence[float], available: float, size: float, padding: float,
    *, header_rows: int = 0, placed=None,
) -> list[float]:
    """Widths in points of a table's columns, fitted to the texts of its single-column cells.

    ``placed`` are the cells with their grid positions (:func:`reports.table_grid.place`); a cell spanning
    several columns only asks that the columns it spans together hold its ``least``.
    """
    frame = 2 * padding + CELL_FRAME  # padding both sides and the cell's share of the rules around it
    needs = [ColumnNeed(frame + size, frame + size) for _ in range(width)]
    spanning = []
    for item in placed or ():
        cell = item.cell
        bold = cell.bold or item.row < header_rows
        need = cell_needs(cell.text, size, bold)
        if cell.colspan == 1:
            current = needs[item.column]
            needs[item.column] = ColumnNeed(
                max(current.least, need.least + frame), max(current.most, need.most + frame),
                current.text or need.text,
            )
        else:
            spanning.append((item.column, cell.colspan, need))
    widths = fit_columns(needs, hints, available)
    for column, span, need in spanning:  # widen a spanned group that is too narrow, from its widest column
        group = range(column, column + span)
        short = need.least + frame - sum(widths[i] for i in group)
        if short > 0:
            others = [i for i in range(width) if i not in group]
            if not others:
                break
            for i in group:
                widths[i] += short / span
            for i in others:
                widths[i] -= short * widths[i] / sum(widths[j] for j in others)
    return widths


def ceil_lines(height: float, pitch: float) -> int:
    return max(1, math.ceil(height / pitch - 1e-9))
