"""The budget tables and ratios, computed from seed figures, as the seeds print them."""

from decimal import Decimal

import pytest

from evaluations import fiscal
from evaluations.fiscal import EconomicItem, Figures, Triple

D = Decimal


def yanjin() -> Figures:
    return Figures(
        lines={
            "general": Triple(D("322.31"), D("278.64"), D("278.64")),
            "fund": Triple(D("32.00"), D("32.00"), D("32.00")),
            "carry_in": Triple(None, D("25.32"), D("25.32")),
            "personnel": Triple(D("117.72"), D("161.75"), D("161.75")),
            "public": Triple(D("8.63"), D("18.35"), D("18.35")),
            "project": Triple(D("227.96"), D("155.86"), D("155.86")),
        },
        staff_authorized=21,
        staff_actual=20,
        three_public_budget=D("0"),
        three_public_actual=D("0"),
        economic=(
            EconomicItem("wages", "工资福利支出", "基本工资", D("82.60")),
            EconomicItem("wages", "工资福利支出", "津贴补贴", D("21.69")),
            EconomicItem("wages", "工资福利支出", "奖金", D("10.03")),
            EconomicItem("wages", "工资福利支出", "绩效工资", D("11.21")),
            EconomicItem("wages", "工资福利支出", "机关事业单位基本养老保险", D("19.44")),
            EconomicItem("wages", "工资福利支出", "职工基本医疗保险缴费", D("5.84")),
            EconomicItem("wages", "工资福利支出", "其他社会保障缴费", D("1.13")),
            EconomicItem("wages", "工资福利支出", "住房公积金", D("9.81")),
            EconomicItem("goods", "商品和服务支出", "办公费", D("0.18")),
            EconomicItem("goods", "商品和服务支出", "水费", D("0.16")),
            EconomicItem("goods", "商品和服务支出", "电费", D("6.43")),
            EconomicItem("goods", "商品和服务支出", "物业管理费", D("1.82")),
            EconomicItem("goods", "商品和服务支出", "差旅费", D("1.17")),
            EconomicItem("goods", "商品和服务支出", "维修（护）费", D("7.38")),
            EconomicItem("goods", "商品和服务支出", "福利费", D("1.21")),
        ),
    )


def test_yanjin_income_table_matches_seed_table_2_1():
    table = fiscal.income_table(yanjin())
    assert table.row("本年收入合计").cells == ["354.31", "310.64", "310.64"]
    assert table.row("年初结转结余").cells == ["-", "25.32", "25.32"]
    assert table.row("总计").cells == ["354.31", "335.96", "335.96"]


def test_yanjin_expenditure_table_matches_seed_table_2_2():
    table = fiscal.expenditure_table(yanjin())
    assert table.row("年初预算数").cells == ["117.72", "8.63", "126.35", "227.96", "354.31", "-", "354.31"]
    assert table.row("调整预算数").cells == ["161.75", "18.35", "180.10", "155.86", "335.96", "-", "335.96"]
    assert table.row("决算数").cells == ["161.75", "18.35", "180.10", "155.86", "335.96", "-", "335.96"]
    assert table.row("预算完成率").cells[:5] == ["100.00%"] * 5


def test_yanjin_economic_table_matches_seed_table_2_3():
    rows = fiscal.economic_table(yanjin())
    by_name = {(row.category_label, row.name): row for row in rows}
    assert by_name[("工资福利支出", "基本工资")].share.quantize(D("0.01")) == D("45.86")
    wages = by_name[("工资福利支出", "小计")]
    assert (wages.amount, fiscal.format_percent(wages.share)) == (D("161.75"), "89.81%")
    goods = by_name[("商品和服务支出", "小计")]
    assert (goods.amount, fiscal.format_percent(goods.share)) == (D("18.35"), "10.19%")
    assert fiscal.format_percent(by_name[("商品和服务支出", "办公费")].share) == "0.10%"
    assert rows[-1].is_total and rows[-1].amount == D("180.10")


@pytest.mark.parametrize(
    ("key", "display", "worked"),
    [
        ("budget_adjustment_rate", "-5.18%", "预算调整率 = (335.96 − 354.31) / 354.31 = -5.18%"),
        ("budget_execution_rate", "100.00%", "预算执行率 = 335.96 / 335.96 = 100.00%"),
        ("staff_control_rate", "95.24%", "在职人员控制率 = 20 / 21 = 95.24%"),
        ("personnel_share", "89.81%", "人员经费占基本支出比例 = 161.75 / 180.10 = 89.81%"),
        ("carryover_rate", "—", "结转结余率 = 年末结转和结余 / 调整预算数：年末结转和结余决算数未填写，无法计算"),
    ],
)
def test_yanjin_ratios_match_seed(key, display, worked):
    ratio = fiscal.ratio_by_key(yanjin())[key]
    assert ratio.display == display
    assert ratio.worked == worked


def test_ratio_with_zero_budget_is_undefined_and_says_why():
    ratio = fiscal.ratio_by_key(yanjin())["three_public_control_rate"]
    assert ratio.value is None
    assert ratio.display == "—"
    assert ratio.note == "“三公”经费预算数为0，无法计算"


def test_ratio_with_a_blank_operand_is_undefined_and_names_it_never_zero():
    """沙湾 stores 基本支出 unsplit: 人员经费 is blank, so its share of 基本支出 is "—", not 0.00%."""
    figures = Figures(lines={"basic": Triple(D("209.99"), D("284.29"), D("284.29"))})
    ratio = fiscal.ratio_by_key(figures)["personnel_share"]
    assert (ratio.value, ratio.display) == (None, "—")
    assert ratio.note == "人员经费决算数未填写，无法计算"
    assert ratio.worked == "人员经费占基本支出比例 = 人员经费决算数 / 基本支出决算数：人员经费决算数未填写，无法计算"
    both = fiscal.ratio_by_key(Figures())["public_expense_adjustment_rate"]
    assert both.note == "公用经费调整预算数、公用经费年初预算数未填写，无法计算"


def test_completion_rate_of_a_column_without_its_final_figure_is_a_dash():
    figures = Figures(lines={"project": Triple(D("100"), D("80"), None)})
    assert fiscal.expenditure_table(figures).row("预算完成率").cells[3] == "—"
    assert fiscal.project_table(Figures(projects=(fiscal.ProjectItem("甲", Triple(D("1"), D("2"), None)),)))[0].execution_rate is None


def test_shawan_unsplit_basic_and_ratios_match_seed():
    figures = Figures(
        lines={
            "general": Triple(D("1429.99"), D("484.29"), D("484.29")),
            "other": Triple(None, D("3.00"), D("3.00")),
            "basic": Triple(D("209.99"), D("284.29"), D("284.29")),
            "project": Triple(D("1220.00"), D("203.00"), D("203.00")),
        }
    )
    ratios = fiscal.ratio_by_key(figures)
    assert ratios["budget_adjustment_rate"].display == "-65.92%"
    assert ratios["budget_execution_rate"].display == "100.00%"
    assert ratios["project_adjustment_rate"].display == "-83.36%"
    assert fiscal.expenditure_table(figures).row("调整预算数").cells[2:5] == ["284.29", "203.00", "487.29"]
    assert fiscal.consistency_warnings(figures) == []


def test_consistency_warnings_name_the_disagreeing_tables():
    figures = Figures(
        lines={"general": Triple(D("100"), D("100"), D("100")), "personnel": Triple(D("90"), D("90"), D("90"))},
        economic=(EconomicItem("wages", "工资福利支出", "基本工资", D("80")),),
    )
    warnings = fiscal.consistency_warnings(figures)
    assert "收入总计与支出总计不一致（年初预算数）：收入100.00万元，支出90.00万元。" in warnings
    assert "表2-3基本支出明细合计80.00万元，与表2-2基本支出决算数90.00万元不一致。" in warnings


def test_sum_of_nothing_stays_not_given():
    assert fiscal.add([None, None]) is None
    assert fiscal.add([None, D("1.5")]) == D("1.5")


def test_basic_adjustment_rate_matches_seed_002_text():
    # "基本支出预算安排126.35万元，调整预算数为180.10万元 … 预算调整率为42.54%"
    assert fiscal.ratio_by_key(yanjin())["basic_adjustment_rate"].display == "42.54%"
