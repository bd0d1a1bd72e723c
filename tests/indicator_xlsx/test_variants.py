"""A corpus of generated 附件1 variants: each imports with its scores to the seed's total and grade.

Seeds 000 and 002 rewritten 24 ways each (``tests/indicator_xlsx/variants.py``):
column order, header wordings, one or two header rows, weights in a column or
only in the labels, merged/blank/repeated cells, title rows, trailing
合计/备注/填表人 rows, full-width digits, line breaks, codes given or not. A
variant that fails names itself: its test id and every assertion message
carry :attr:`Variant.name`.
"""

from __future__ import annotations

import pytest

from rubrics import scoring
from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook
from tests.indicator_xlsx.builders import load_system, walk
from tests.indicator_xlsx.variants import SEEDS, generate, workbook

VARIANTS = generate()


def test_the_corpus_has_at_least_forty_distinct_variants():
    names = [variant.name for variant in VARIANTS]
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    for dimension in ("layout", "weights", "two_rows", "codes", "full_width", "line_breaks", "trailing", "titles"):
        assert len({getattr(variant, dimension) for variant in VARIANTS}) > 1, dimension
    assert any(variant.generic for variant in VARIANTS)
    assert any(variant.order != SEEDS[variant.seed]["fields"] for variant in VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"seed{v.seed}-{v.number:02d}" for v in VARIANTS])
def test_variant_imports_to_the_seed_total_and_grade(variant):
    try:
        imported = read_indicator_workbook(workbook(variant))
    except IndicatorImportError as error:
        pytest.fail(f"{variant.name}：导入失败：" + "；".join(error.messages))
    columns = {use.column: use.key for use in imported.understanding.columns}
    assert columns == dict(enumerate(variant.order, start=1)), variant.name
    system = load_system(SEEDS[variant.seed]["slug"])
    leaves = [node for level, node in walk(imported.system["indicators"]) if level == 3]
    expected_leaves = [node for level, node in walk(system["indicators"]) if level == 3]
    assert [(leaf["name"], leaf["weight"]) for leaf in leaves] == [
        (leaf["name"], leaf["weight"]) for leaf in expected_leaves
    ], variant.name
    assert [(node["name"], node["weight"]) for node in imported.system["indicators"]] == [
        (node["name"], node["weight"]) for node in system["indicators"]
    ], variant.name
    tree = scoring.indicators_from_dicts(imported.system["indicators"])
    result = scoring.score(
        tree, scoring.judgments_from_dict(imported.judgments), scoring.settings_from_dict(system.get("settings"))
    )
    assert result.errors == (), variant.name
    assert (result.total, result.grade) == variant.expected, variant.name
