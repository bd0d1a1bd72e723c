"""评价要点 read from printed 评分标准 / 指标解释 (no database)."""

import pytest

from rubrics.points import points_from_text, points_from_texts


@pytest.mark.parametrize(
    ("text", "points"),
    [
        pytest.param("①具有年度工作计划；\n②计划分解到各科室。", ["具有年度工作计划", "计划分解到各科室"], id="circled"),
        pytest.param("（1）制度健全；（2）执行到位。以上各占50%。", ["制度健全", "执行到位"], id="parenthesised"),
        pytest.param(
            "1.是否公开预算；2.是否按时公开。以上2项各占1/2的权重分，符合条件即得分。",
            ["是否公开预算", "是否按时公开"],
            id="numbered-with-tail",
        ),
        pytest.param("①占权重分的 20%；②③各占权重的40%。", [], id="shares-not-points"),
        pytest.param("①占权重分的 50%；资产配置各占12.5%。", [], id="a-single-marker"),
        pytest.param("预算执行率≥95%得满分，每偏离1%扣除权重分的2.5%", [], id="no-list"),
        pytest.param("2.是否公开；3.是否按时。", [], id="not-from-one"),
    ],
)
def test_points_from_text(text, points):
    assert points_from_text(text) == points


def test_the_criteria_come_before_the_explanation():
    assert points_from_texts(["每存在一点不符扣1分", "①甲要点；②乙要点"]) == ["甲要点", "乙要点"]
    assert points_from_texts(["1.丙要点；2.丁要点", "①甲要点；②乙要点"]) == ["丙要点", "丁要点"]
