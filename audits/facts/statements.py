"""Figures stated in words: the score a 评分过程 gives, the total and grade, a level's 满分/得分/得分率,
a ratio's value, a satisfaction rate, and arithmetic worked out in the text. Pure.

The score a 评分过程 states is read by the product's one reader of it
(:func:`rubrics.consistency.stated_score`); a later "调整为N分" (a score the
team adjusted, as our own report prints it) is the score finally stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from audits.facts.numbers import Number, read_number
from evaluations import fiscal
from rubrics import scoring
from rubrics.consistency import stated_score

ADJUSTED = re.compile(r"调整为\s*(\d+(?:\.\d+)?)\s*分")
NUMBER = r"(-?\d+(?:\.\d+)?)"

TOTAL = re.compile(
    r"(?:总体得分|总得分|总分|综合得分|最终评分结果|最终得分|评价得分|评分结果)(?:为|是|：|:)?\s*" + NUMBER + r"\s*分"
)
GRADE = re.compile(r"(?:评价等级|绩效评级|等级|评级|评定为|评为)(?:为|是|：|:)?\s*[“\"「『]?\s*(优秀|优|良好|良|中等|中|差)")
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中"}

LEVEL_SENTENCE = re.compile(r"该二级指标满分\s*" + NUMBER + r"\s*分[，,]\s*得分\s*" + NUMBER + r"\s*分")
LEVEL_RATE = re.compile(r"得分率(?:为)?\s*" + NUMBER + r"\s*[%％]")
LEVEL_COUNT = re.compile(r"(\d+)\s*个三级指标")
FIRST_LEVEL = re.compile(r"([\u4e00-\u9fff“”]{2,12}?)类指标")
FIRST_WEIGHT = re.compile(r"权重(?:分)?(?:为)?\s*" + NUMBER + r"\s*分")
FIRST_SCORE = re.compile(r"(?<!权重)得分(?:为)?\s*" + NUMBER + r"\s*分")
COUNTS = re.compile(r"(\d+)\s*个(一|二|三)级指标")
LEAF_LEAD = re.compile(r"^([A-Z]\d{1,3})\s*([^（(：:]{1,60}?)\s*[（(](?:[^）)]{0,8}?[，,])?\s*" + NUMBER + r"\s*分\s*[)）]\s*[：:]")
SATISFACTION = re.compile(r"满意(?:度|率)(?!调查|比率)[^。；;，,\d%％≥≤<>＜＞]{0,6}?(?:为|是|达|：|:)?\s*" + NUMBER + r"\s*[%％](?!以上)")
COUNT_VALID = re.compile(r"(?:回收)?有效问卷\s*(\d+)\s*份")
COUNT_ISSUED = re.compile(r"发放(?:调查)?问卷\s*(\d+)\s*份")

SENTENCE_END = re.compile(r"[。；;]")


@dataclass(frozen=True)
class StatedScore:
    number: Decimal
    phrase: str


def stated_process_score(text: str, kind: str = scoring.NORMAL) -> StatedScore | None:
    """The score a 评分过程 finally states (``得分=3×100%=3分`` → 3; "…，评价组调整为3.50分" → 3.50)."""
    kind = scoring.NORMAL if kind == scoring.ADJUSTMENT else kind
    stated = stated_score(text, kind)
    adjusted = list(ADJUSTED.finditer(text))
    if adjusted and (stated is None or adjusted[-1].start() > stated.start):
        match = adjusted[-1]
        return StatedScore(Decimal(match.group(1)), match.group(0))
    if stated is None:
        return None
    start = max(text.rfind(stated.verb, 0, stated.start), 0)
    return StatedScore(stated.number, text[start : stated.end] + "分")


def grade_word(text: str) -> str:
    return GRADE_WORDS.get(text, text)


def sentences(text: str) -> list[tuple[int, str]]:
    """(start, sentence) of each sentence, split at 。 and ；."""
    found, start = [], 0
    for match in SENTENCE_END.finditer(text):
        found.append((start, text[start : match.end()]))
        start = match.end()
    if start < len(text):
        found.append((start, text[start:]))
    return found


# ---------------------------------------------------------------------------
# Ratios


@dataclass(frozen=True)
class RatioQuote:
    name: str  # as written (预算调整率)
    value: Number
    start: int
    sentence: str


RATIO_NAMES = sorted({ratio.name for ratio in fiscal.RATIO_SPECS}, key=len, reverse=True)
RATIO_VALUE = re.compile(r"^\s*(?:为|是|：|:|达到|达)\s*" + NUMBER + r"\s*[%％]")
WORKED_VALUE = re.compile(r"[=＝]\s*" + NUMBER + r"\s*[%％]")


def ratio_quotes(text: str) -> list[RatioQuote]:
    """``预算执行率为95.24%``, ``预算调整率=(…)/…×100%=-5.18%``: a ratio's name followed by its value."""
    quotes = []
    for start, sentence in sentences(text):
        for clause_start, clause in _clauses(sentence):
            taken: set[int] = set()
            for name in RATIO_NAMES:
                for match in re.finditer(re.escape(name), clause):
                    if any(position in taken for position in range(match.start(), match.end())):
                        continue
                    taken.update(range(match.start(), match.end()))
                    rest = clause[match.end() :]
                    value = RATIO_VALUE.match(rest)
                    if value is None and rest.lstrip().startswith(("=", "＝")):
                        values = list(WORKED_VALUE.finditer(rest))
                        value = values[-1] if values else None
                    number = read_number(value.group(1) + "%") if value else None
                    if number is not None:
                        quotes.append(RatioQuote(name, number, start + clause_start + match.start(), sentence))
    return quotes


def _clauses(sentence: str) -> list[tuple[int, str]]:
    found, start = [], 0
    for match in re.finditer(r"[，,]", sentence):
        found.append((start, sentence[start : match.start()]))
        start = match.end()
    found.append((start, sentence[start:]))
    return found


# ---------------------------------------------------------------------------
# Arithmetic worked out in the text


@dataclass(frozen=True)
class Worked:
    expression: str
    result: Number
    computed: Decimal
    start: int


EXPRESSION = re.compile(r"([0-9０-９.()（）+\-−×*/÷%％\s]{3,})[=＝]\s*(-?\d+(?:\.\d+)?\s*[%％]?)(?![\d.])")
OPERATOR = re.compile(r"\d\s*[)）%％]?\s*[+\-−×*/÷]\s*[(（]?\s*\d")


def worked_arithmetic(text: str) -> list[Worked]:
    """``(20/21)×100%=95.24%``, ``10*65%*100%=6.5``: expressions the text works out, with what they give."""
    found = []
    for match in EXPRESSION.finditer(text):
        expression = match.group(1).strip()
        if not OPERATOR.search(expression):
            continue
        result = read_number(match.group(2))
        computed = evaluate(expression)
        if result is None or computed is None:
            continue
        if result.percent:
            computed = computed * 100
        found.append(Worked(expression, result, computed, match.start(1)))
    return found


TOKENS = re.compile(r"\s*(\d+(?:\.\d+)?%?|[()+\-*/])")


def evaluate(expression: str) -> Decimal | None:
    """A small arithmetic expression (numbers, % as hundredths, + − × ÷ and brackets), or None when it is not one."""
    text = (
        expression.replace("（", "(").replace("）", ")").replace("×", "*").replace("÷", "/").replace("−", "-")
        .replace("％", "%").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    )
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKENS.match(text, position)
        if match is None:
            return None
        tokens.append(match.group(1))
        position = match.end()
    try:
        value, rest = _sum(tokens)
    except (IndexError, InvalidOperation, DivisionByZero, ValueError):
        return None
    return value if not rest else None


def _sum(tokens):
    value, tokens = _product(tokens)
    while tokens and tokens[0] in "+-":
        operator, (other, tokens) = tokens[0], _product(tokens[1:])
        value = value + other if operator == "+" else value - other
    return value, tokens


def _product(tokens):
    value, tokens = _atom(tokens)
    while tokens and tokens[0] in "*/":
        operator, (other, tokens) = tokens[0], _atom(tokens[1:])
        if operator == "/" and other == 0:
            raise DivisionByZero
        value = value * other if operator == "*" else value / other
    return value, tokens


def _atom(tokens):
    token = tokens[0]
    if token == "(":
        value, rest = _sum(tokens[1:])
        if not rest or rest[0] != ")":
            raise ValueError("unbalanced")
        return value, rest[1:]
    if token == "-":
        value, rest = _atom(tokens[1:])
        return -value, rest
    if token.endswith("%"):
        return Decimal(token[:-1]) / 100, tokens[1:]
    return Decimal(token), tokens[1:]
