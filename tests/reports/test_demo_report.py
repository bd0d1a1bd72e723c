"""The seeds' narrative loads into the demo evaluations, idempotently, with every placeholder known."""

import io

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation
from reports.demo_report import load_demo_report, read_report_file
from reports.models import GoalRow, Problem, Section, Suggestion
from reports.placeholder_values import INDICATOR_SUFFIXES, SURVEY_SUFFIXES, placeholder_values, static_names
from reports.placeholders import CATALOG

pytestmark = pytest.mark.django_db


def test_demo_loads_the_report_texts_twice_without_duplicates():
    call_command("load_demo", stdout=io.StringIO())
    counts = (Section.objects.count(), Problem.objects.count(), Suggestion.objects.count(), GoalRow.objects.count())
    yanjin = Evaluation.objects.get(department__name="延津县政务服务和大数据管理局")
    load_demo_report(yanjin, "yanjin_2022")
    assert (Section.objects.count(), Problem.objects.count(), Suggestion.objects.count(), GoalRow.objects.count()) == counts
    assert counts[1:] == (5, 5, 41)
    problem = Problem.objects.get(evaluation=yanjin, title="内部控制制度执行不到位")
    assert sorted(problem.indicators.values_list("code", flat=True)) == ["B32", "B61"]
    assert Suggestion.objects.get(evaluation=yanjin, title="重视内控制度执行情况").problem == problem


def test_demo_files_name_every_section_by_its_key():
    from reports.enums import SectionKey

    for name in ("yanjin_2022", "shawan_2024"):
        assert set(read_report_file(name)["sections"]) <= set(SectionKey.values)


def test_placeholder_values_for_yanjin_equal_seed_002(yanjin):
    values = placeholder_values(yanjin.data)
    expected = {
        "总分": "86.00", "等级": "良", "一级指标数": "4", "二级指标数": "14", "三级指标数": "30", "满分指标数": "23",
        "收入总计年初预算数": "354.31", "收入总计决算数": "335.96", "支出合计决算数": "335.96", "年初结转结余决算数": "25.32",
        "基本支出年初预算数": "126.35", "基本支出调整预算数": "180.10", "人员经费决算数": "161.75", "公用经费决算数": "18.35",
        "项目支出年初预算数": "227.96", "项目支出决算数": "155.86", "预算调整率": "-5.18%", "预算执行率": "100.00%",
        "基本支出预算调整率": "42.54%", "在职人员控制率": "95.24%", "三公经费控制率": "—", "年末结转和结余决算数": "0.00",
        "编制数": "21", "实有人数": "20", "内设机构数": "4", "B6得分": "1.00", "B6得分率": "50.00%", "C权重": "40.00",
        "部门简称": "延津县政务大数据局", "评价日期": "2023年11月", "问卷发放数": "133", "有效问卷数": "133",
    }
    assert {name: values[name] for name in expected} == expected


def test_placeholder_names_cover_exactly_the_values(yanjin):
    values = placeholder_values(yanjin.data)
    codes = [row.code for row in yanjin.data.scored.rows]
    indicator_names = {f"{code}{suffix}" for code in codes for suffix in INDICATOR_SUFFIXES}
    groups = [group.group for group in yanjin.data.surveys.facts.groups]
    survey_names = {f"{group}{suffix}" for group in groups for suffix in SURVEY_SUFFIXES}
    assert set(values) == static_names() | indicator_names | survey_names
    assert values["大厅入驻单位工作人员满意度"] == "97.88%"
    assert static_names() < {p.name for p in CATALOG}
