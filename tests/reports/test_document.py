"""The 延津 demo as a document tree: every chapter, table and annex of seed 002, number for number."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from reports.document import build_report
from reports.document_model import Cover, Heading, Image, Paragraph, Signature, TableOfContents
from reports.profiles import builtin_profile, outline_of
from reports.queries import report_data
from tests.factories import YANJIN_BUDGET, EvaluationFactory, small_rubric

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "摘  要",
    "一、部门概况",
    "二、部门预算及资金安排情况",
    "三、绩效评价开展情况",
    "四、综合评价情况及评价结论",
    "五、绩效评价指标分析",
    "六、主要经验做法",
    "七、存在的问题及原因分析",
    "八、有关建议",
    "附件1",
    "附件2",
]

# Seed 002, 表4-1 (and 表1 of the 摘要).
SUMMARY = [
    ["部门决策", "10.00", "7.50", "75.00%"],
    ["部门管理", "25.00", "22.00", "88.00%"],
    ["部门产出", "40.00", "31.50", "78.75%"],
    ["部门效益", "25.00", "25.00", "100.00%"],
    ["合计", "100.00", "86.00", "86.00%"],
]

# Seed 002, 表5-1 … 表5-4: (code, weight, score, rate); second-level rows first in each group.
LEVEL1_TABLES = {
    "A": [
        ("A1", "4.00", "4.00", "100.00%"), ("A11", "2.00", "2.00", "100.00%"), ("A12", "2.00", "2.00", "100.00%"),
        ("A2", "6.00", "3.50", "58.33%"), ("A21", "2.00", "0.50", "25.00%"), ("A22", "2.00", "2.00", "100.00%"),
        ("A23", "2.00", "1.00", "50.00%"), ("合计", "10.00", "7.50", "75.00%"),
    ],
    "B": [
        ("B1", "5.00", "5.00", "100.00%"), ("B11", "2.00", "2.00", "100.00%"), ("B12", "2.00", "2.00", "100.00%"),
        ("B13", "1.00", "1.00", "100.00%"), ("B2", "5.00", "5.00", "100.00%"), ("B21", "2.00", "2.00", "100.00%"),
        ("B22", "2.00", "2.00", "100.00%"), ("B23", "1.00", "1.00", "100.00%"), ("B3", "4.00", "2.00", "50.00%"),
        ("B31", "2.00", "2.00", "100.00%"), ("B32", "2.00", "0.00", "0.00%"), ("B4", "4.00", "4.00", "100.00%"),
        ("B41", "2.00", "2.00", "100.00%"), ("B42", "2.00", "2.00", "100.00%"), ("B5", "2.00", "2.00", "100.00%"),
        ("B51", "2.00", "2.00", "100.00%"), ("B6", "2.00", "1.00", "50.00%"), ("B61", "2.00", "1.00", "50.00%"),
        ("B7", "3.00", "3.00", "100.00%"), ("B71", "1.00", "1.00", "100.00%"), ("B72", "1.00", "1.00", "100.00%"),
        ("B73", "1.00", "1.00", "100.00%"), ("合计", "25.00", "22.00", "88.00%"),
    ],
    "C": [
        ("C1", "20.00", "15.00", "75.00%"), ("C11", "5.00", "5.00", "100.00%"), ("C12", "5.00", "2.50", "50.00%"),
        ("C13", "5.00", "2.50", "50.00%"), ("C14", "5.00", "5.00", "100.00%"), ("C2", "20.00", "16.50", "82.50%"),
        ("C21", "10.00", "10.00", "100.00%"), ("C22", "10.00", "6.50", "65.00%"), ("合计", "40.00", "31.50", "78.75%"),
    ],
    "D": [
        ("D1", "8.00", "8.00", "100.00%"), ("D11", "8.00", "8.00", "100.00%"), ("D2", "6.00", "6.00", "100.00%"),
        ("D21", "6.00", "6.00", "100.00%"), ("D3", "11.00", "11.00", "100.00%"), ("D31", "6.00", "6.00", "100.00%"),
        ("D32", "5.00", "5.00", "100.00%"), ("合计", "25.00", "25.00", "100.00%"),
    ],
}


def paragraphs(document):
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]


@pytest.fixture(scope="module")
def shawan_chapters(shawan):
    """沙湾's data in the 河南 outline: chapters 三 and 五 (the indicator system sentence, a paragraph per
    indicator), which seed 000's outline, the one 沙湾 prints in, leaves out."""
    henan = outline_of(builtin_profile("henan-seed-002").definition)
    return replace(shawan, document=build_report(replace(shawan.data, profile=henan), charts=False))


def test_the_report_has_every_chapter_of_seed_002_in_order(yanjin):
    level1 = [h.text for h in yanjin.document.headings() if h.level == 1]
    assert level1 == CHAPTERS
    kinds = [type(block) for block in yanjin.document.blocks]
    assert kinds[0] is Cover
    assert TableOfContents in kinds and Signature in kinds


def test_sub_sections_are_numbered_consecutively(yanjin):
    headings = yanjin.document.headings()
    start = next(i for i, h in enumerate(headings) if h.text == "一、部门概况")
    chapter_one = [h.text for h in headings[start + 1 :] if h.level == 2][:6]
    assert chapter_one == [
        "（一）部门简介", "（二）部门主要职责", "（三）部门预算单位机构设置", "（四）部门人员编制总体情况",
        "（五）主要工作任务", "（六）部门绩效目标",
    ]
    assert [h.text for h in headings if h.level == 2 and "类指标分析" in h.text] == [
        "（一）部门决策类指标分析", "（二）部门管理类指标分析", "（三）部门产出类指标分析", "（四）部门效益类指标分析",
    ]


def test_tables_are_numbered_by_chapter(yanjin):
    numbers = [t.caption.split(" ")[0] for t in yanjin.document.tables() if t.caption]
    assert numbers == ["表1", "表1-1", "表2-1", "表2-2", "表2-3", "表4-1", "表5-1", "表5-2", "表5-3", "表5-4"]


def test_score_tables_equal_seed_table_4_1(yanjin):
    assert yanjin.document.table("summary").texts()[1:] == SUMMARY
    assert yanjin.document.table("summary_abstract").texts()[1:] == SUMMARY


@pytest.mark.parametrize("code", sorted(LEVEL1_TABLES))
def test_first_level_tables_equal_seed_tables_5_n(yanjin, code):
    rows = yanjin.document.table(f"level1_{code}").texts()[1:]
    got = [(row[0] if row[0] == "合计" else row[0][: len(expected[0])], *row[1:]) for row, expected in zip(rows, LEVEL1_TABLES[code], strict=True)]
    assert got == LEVEL1_TABLES[code]


def test_budget_tables_equal_seed_tables_2_1_to_2_3(yanjin):
    income = yanjin.document.table("income").texts()
    assert ["一、一般公共预算财政拨款收入", "322.31", "278.64", "278.64"] in income
    assert ["二、政府性基金预算财政拨款收入", "32.00", "32.00", "32.00"] in income
    assert income[-3:] == [
        ["本年收入合计", "354.31", "310.64", "310.64"], ["年初结转结余", "—", "25.32", "25.32"], ["总计", "354.31", "335.96", "335.96"],
    ]
    expenditure = yanjin.document.table("expenditure").texts()
    assert expenditure[0] == ["类别", "基本支出", "项目支出", "本年支出合计", "年末结转和结余", "总计"]
    assert expenditure[2:5] == [
        ["年初预算数", "117.72", "8.63", "126.35", "227.96", "354.31", "—", "354.31"],
        ["调整预算数", "161.75", "18.35", "180.10", "155.86", "335.96", "—", "335.96"],
        ["决算数", "161.75", "18.35", "180.10", "155.86", "335.96", "—", "335.96"],
    ]
    # Seed 002 prints 100.00% for 年末结转和结余, whose budget is "-": the rate is undefined.
    assert expenditure[5] == ["预算完成率", *["100.00%"] * 5, "—", "100.00%"]
    economic = yanjin.document.table("economic").texts()
    assert economic[1] == ["工资福利支出", "基本工资", "82.60", "45.86%"]
    assert ["小计", "161.75", "89.81%"] in economic and ["小计", "18.35", "10.19%"] in economic
    assert ["维修（护）费", "7.38", "4.10%"] in economic
    assert economic[-1] == ["总计", "180.10", "100.00%"]


def test_formulaic_sentences_equal_seed_002(yanjin):
    texts = paragraphs(yanjin.document)
    assert (
        "此次评价指标体系共由4个一级指标、14个二级指标、30个三级指标构成。一是部门决策，权重分10.00分，主要从部门职能、目标设定2个方面加以考察；"
        "二是部门管理，权重分25.00分，主要从预算执行、财务管理、制度管理、资产管理、人员管理、采购管理、预算管理7个方面加以考察；"
        "三是部门产出，权重分40.00分，主要从重点工作任务完成情况、履职目标实现情况2个方面加以考察；"
        "四是部门效益，权重分25.00分，主要从社会效益、可持续影响、满意度3个方面加以考察。"
    ) in texts
    assert (
        "依据设定的部门整体预算绩效评价指标体系及评分标准，结合评价组实地调研情况分析，2022年度延津县政务大数据局部门整体绩效评价"
        "总体得分为86.00分，评价等级为“良”。具体各类指标得分情况详见表4-1："
    ) in texts
    assert any(t.startswith("2022年度延津县政务大数据局年初收入预算354.31万元，收入决算数为335.96万元。") for t in texts)
    assert any(
        "基本支出预算安排126.35万元，调整预算数为180.10万元，决算数180.10万元，预算调整率为42.54%。其中包括人员经费161.75万元，公用经费18.35万元。" in t
        for t in texts
    )
    assert "评价对象：对2022年度延津县政务大数据局部门整体支出进行绩效评价。" in "".join(texts)
    assert "年末实有人数20人，其中：行政7人，事业13人。" in "".join(texts)


def test_indicator_analysis_sentences_come_from_the_engine(yanjin):
    texts = paragraphs(yanjin.document)
    assert "部门决策类指标共包含2个二级指标，5个三级指标，权重分10.00分，得分7.50分，得分率为75.00%。各指标得分情况详见表5-1：" in texts
    assert "该二级指标满分4.00分，得分4.00分，得分率100.00%。包括部门职能明确性、中长期规划合理性2个三级指标。" in texts
    # Seed 002 writes "满分2分，得分2分，得分率50.00%" for 采购管理; the score is 1.
    assert "该二级指标满分2.00分，得分1.00分，得分率50.00%。包括政府采购规范性1个三级指标。" in texts


def test_third_level_paragraphs_end_with_the_engine_score_once(yanjin):
    texts = paragraphs(yanjin.document)
    a11 = next(t for t in texts if t.startswith("A11部门职能明确性（2.00分）："))
    assert a11.endswith("与三定方案一致。依据评分细则，本项指标得2.00分。")
    assert a11.count("依据评分细则") == 1
    a21 = next(t for t in texts if t.startswith("A21年度工作计划明确性（2.00分）："))
    assert a21.endswith("依据评分细则，扣减1.5分，本项指标得0.50分。")  # the engine's score replaces the text's "0.5"
    first = next(b for b in yanjin.document.blocks if isinstance(b, Paragraph) and b.text.startswith("A11"))
    assert first.runs[0].bold and first.runs[0].text == "A11部门职能明确性（2.00分）："
    # B32's 评分过程 has three paragraphs: the lead is on the first, the score sentence on the last.
    start = texts.index(next(t for t in texts if t.startswith("B32管理制度执行情况（2.00分）：")))
    assert texts[start + 2].endswith("依据评分细则，扣减2分，本项指标得0.00分。")


def test_annex_1_has_every_indicator_with_merged_levels_and_the_total(yanjin):
    annex = yanjin.document.table("annex1")
    assert annex.texts()[0] == ["一级指标", "二级指标", "三级指标", "权重", "指标解释", "评分标准", "得分", "得分率"]
    first_row = annex.rows[0]
    assert (first_row[0].text, first_row[0].rowspan) == ("A部门决策（10分）", 5)
    assert (first_row[1].text, first_row[1].rowspan) == ("A1部门职能（4分）", 2)
    assert len(annex.rows) == 31
    assert annex.texts()[-1] == ["合计", "100.00", "", "86.00", "86.00%"]
    assert sum(1 for row in annex.rows[:-1] for cell in row if cell.text[:1] in "ABCD" and cell.text[1:3].isdigit()) == 30
    c22 = next(row for row in annex.rows if any(cell.text.startswith("C22") for cell in row))
    assert [cell.text for cell in c22][-2:] == ["6.50", "65.00%"]


def test_survey_annex_has_seed_002_counts_and_shares(yanjin):
    question = yanjin.document.table("survey1_q1").texts()
    assert question[1] == ["满意度比率", "73.08%", "23.08%", "3.85%", "0.00%", "0.00%", "100.00%"]
    assert question[2] == ["份数", "57", "18", "3", "0", "0", "78"]
    staff = yanjin.document.table("survey2_q1").texts()
    assert staff[2] == ["份数", "49", "5", "1", "0", "0", "55"]
    assert any(isinstance(block, Image) for block in yanjin.document.blocks)


def test_signature_and_cover_carry_the_firm_and_the_dates(yanjin):
    signature = next(b for b in yanjin.document.blocks if isinstance(b, Signature))
    assert signature.lines == ("新乡市方政财务咨询有限公司", "2023年11月28日", "项目主评人：李军")
    cover = yanjin.document.blocks[0]
    assert cover.fields == (
        ("项目单位", "延津县政务服务和大数据管理局"), ("委托单位", "延津县财政局"),
        ("评价单位", "新乡市方政财务咨询有限公司"), ("评价日期", "2023年11月"),
    )


def test_shawan_report_has_the_basic_information_table_and_adjustment_rows(shawan, shawan_chapters):
    document = shawan.document
    info = document.table("basic_info").texts()
    assert info[0] == ["评价项目名称", "2024年度沙湾市政务服务中心部门整体支出绩效评价", "评价年度", "2024年"]
    assert info[1] == ["财政局分管科室", "行政政法科"]
    assert info[2] == ["项目单位", "沙湾市政务服务中心", "联系人及联系方式", "裴富华"]
    assert ["部门资金投入总额（万元）", "487.29", "部门全年预算执行数（万元）", "487.29", "预算执行率", "100.00%"] in info
    # seed 000's survey is known by its totals only: 发放65份，回收65份，满意度100%
    assert ["发放调查问卷（份）", "65", "回收有效问卷（份）", "65", "满意度情况", "100.00%"] in info
    assert "最终评分结果为89.50分，评价等级为“良”。" in info[-2][1]
    signature = next(b for b in document.blocks if isinstance(b, Signature))
    assert signature.lines == ("新疆智汇铭宸科技咨询有限公司", "2025年5月20日", "项目主评人：马天明")
    assert document.table("summary").texts()[1:] == [
        ["部门决策", "15.00", "15.00", "100.00%"], ["部门管理", "25.00", "20.00", "80.00%"],
        ["部门绩效", "60.00", "54.50", "90.83%"], ["加减分项目", "—", "0.00", "—"], ["合计", "100.00", "89.50", "89.50%"],
    ]
    adjustments = shawan_chapters.document.table("level1_D").texts()
    assert ["F1部门受到国务院、省级嘉奖情况", "2.00", "0.00", "—"] in adjustments
    assert ["F2部门或工作人员违法违纪情况", "-2.00", "0.00", "—"] in adjustments
    annex = document.table("annex1").texts()
    assert annex[-1][-2:] == ["89.50", "89.50%"]
    f1 = next(row for row in annex if "F1部门受到国务院、省级嘉奖情况" in row)
    f2 = next(row for row in annex if "F2部门或工作人员违法违纪情况" in row)
    assert f2[f2.index("F2部门或工作人员违法违纪情况") + 1] == "-2.00"
    # 加减分项 have no 得分率, in the annex as in 表4-1 and 表5-4
    assert f1[-1] == f2[-1] == "—"


def test_shawan_process_texts_that_state_another_score_are_reported(shawan, shawan_chapters):
    assert "B31支出预算执行率：评分过程写得3分，计算得分为4.00分，报告按计算得分输出。" in shawan.document.warnings
    b31 = next(t for t in paragraphs(shawan_chapters.document) if t.startswith("B31支出预算执行率（4.00分）："))
    assert b31.endswith("得分=3×100%=3分。依据评分细则，本项指标得4.00分。")


def test_headings_carry_anchors_for_the_contents(yanjin):
    anchors = [h.anchor for h in yanjin.document.headings()]
    assert all(anchors) and len(set(anchors)) == len(anchors)
    assert all(isinstance(h, Heading) and 1 <= h.level <= 3 for h in yanjin.document.headings())


def test_an_adjusted_score_prints_the_reason_and_the_score_once(shawan_chapters):
    # 沙湾 C13: the rule gives 4 (174 against 116, capped); the team kept the seed's 3.5 and wrote why.
    c13 = next(t for t in paragraphs(shawan_chapters.document) if t.startswith("C13全力推进政务服务向行政村延伸（4.00分）："))
    assert "实际完成值：174个，得分=3.5分。按评分标准计算得4.00分，评价组调整为3.50分，理由：按评分标准" in c13
    assert "依据评分细则" not in c13
    assert not c13.endswith("）。")


def test_a_stated_score_is_not_repeated_by_the_closing_sentence(yanjin, shawan_chapters):
    repeated = re.compile(r"得分?\s*=?\s*(\d+(?:\.\d+)?)\s*分[。，]?依据评分细则，本项指标得(\d+(?:\.\d+)?)分")
    for document in (yanjin.document, shawan_chapters.document):
        doubles = [t for t in paragraphs(document) if (m := repeated.search(t)) and Decimal(m[1]) == Decimal(m[2])]
        assert doubles == []
    c12 = next(t for t in paragraphs(shawan_chapters.document) if t.startswith("C12"))
    assert c12.endswith("实际完成值：11个，得分=4分")


def test_a_drafted_paragraph_states_its_score_once():
    evaluation = small_rubric(EvaluationFactory(budget=YANJIN_BUDGET))  # B11 is bound to 预算执行率: no text written
    document = build_report(report_data(evaluation), charts=False)
    b11 = next(t for t in paragraphs(document) if t.startswith("B11预算执行率（60.00分）："))
    assert b11 == "B11预算执行率（60.00分）：预算执行率100.00%，不低于95%，得满分60.00分。"


def test_the_indicator_system_sentence_counts_what_it_lists(shawan_chapters):
    text = next(t for t in paragraphs(shawan_chapters.document) if t.startswith("此次评价指标体系共由"))
    assert text.startswith("此次评价指标体系共由3个一级指标、12个二级指标、29个三级指标构成。")
    assert "三是部门绩效，权重分60.00分" in text and "四是" not in text
    assert text.endswith("另设加减分项目，主要从加分项、减分项2个方面加以考察。")


def test_adjustment_items_say_what_they_add_or_take(shawan_chapters):
    texts = paragraphs(shawan_chapters.document)
    assert "加分项加0.00分。" in texts and "减分项扣0.00分。" in texts
