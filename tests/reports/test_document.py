"""The 延津 demo as a document tree: every chapter, table and annex of seed 002, number for number."""

import pytest

from reports.document_model import Cover, Heading, Image, Paragraph, Signature, TableOfContents

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
    ["部门决策", "10", "7.5", "75.00%"],
    ["部门管理", "25", "22", "88.00%"],
    ["部门产出", "40", "31.5", "78.75%"],
    ["部门效益", "25", "25", "100.00%"],
    ["合计", "100", "86", "86.00%"],
]

# Seed 002, 表5-1 … 表5-4: (code, weight, score, rate); second-level rows first in each group.
LEVEL1_TABLES = {
    "A": [
        ("A1", "4", "4", "100.00%"), ("A11", "2", "2", "100.00%"), ("A12", "2", "2", "100.00%"),
        ("A2", "6", "3.5", "58.33%"), ("A21", "2", "0.5", "25.00%"), ("A22", "2", "2", "100.00%"),
        ("A23", "2", "1", "50.00%"), ("合计", "10", "7.5", "75.00%"),
    ],
    "B": [
        ("B1", "5", "5", "100.00%"), ("B11", "2", "2", "100.00%"), ("B12", "2", "2", "100.00%"),
        ("B13", "1", "1", "100.00%"), ("B2", "5", "5", "100.00%"), ("B21", "2", "2", "100.00%"),
        ("B22", "2", "2", "100.00%"), ("B23", "1", "1", "100.00%"), ("B3", "4", "2", "50.00%"),
        ("B31", "2", "2", "100.00%"), ("B32", "2", "0", "0.00%"), ("B4", "4", "4", "100.00%"),
        ("B41", "2", "2", "100.00%"), ("B42", "2", "2", "100.00%"), ("B5", "2", "2", "100.00%"),
        ("B51", "2", "2", "100.00%"), ("B6", "2", "1", "50.00%"), ("B61", "2", "1", "50.00%"),
        ("B7", "3", "3", "100.00%"), ("B71", "1", "1", "100.00%"), ("B72", "1", "1", "100.00%"),
        ("B73", "1", "1", "100.00%"), ("合计", "25", "22", "88.00%"),
    ],
    "C": [
        ("C1", "20", "15", "75.00%"), ("C11", "5", "5", "100.00%"), ("C12", "5", "2.5", "50.00%"),
        ("C13", "5", "2.5", "50.00%"), ("C14", "5", "5", "100.00%"), ("C2", "20", "16.5", "82.50%"),
        ("C21", "10", "10", "100.00%"), ("C22", "10", "6.5", "65.00%"), ("合计", "40", "31.5", "78.75%"),
    ],
    "D": [
        ("D1", "8", "8", "100.00%"), ("D11", "8", "8", "100.00%"), ("D2", "6", "6", "100.00%"),
        ("D21", "6", "6", "100.00%"), ("D3", "11", "11", "100.00%"), ("D31", "6", "6", "100.00%"),
        ("D32", "5", "5", "100.00%"), ("合计", "25", "25", "100.00%"),
    ],
}


def paragraphs(document):
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]


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
        ["本年收入合计", "354.31", "310.64", "310.64"], ["年初结转结余", "-", "25.32", "25.32"], ["总计", "354.31", "335.96", "335.96"],
    ]
    expenditure = yanjin.document.table("expenditure").texts()
    assert expenditure[0] == ["类别", "基本支出", "项目支出", "本年支出合计", "年末结转和结余", "总计"]
    assert expenditure[2:5] == [
        ["年初预算数", "117.72", "8.63", "126.35", "227.96", "354.31", "-", "354.31"],
        ["调整预算数", "161.75", "18.35", "180.10", "155.86", "335.96", "-", "335.96"],
        ["决算数", "161.75", "18.35", "180.10", "155.86", "335.96", "-", "335.96"],
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
        "此次评价指标体系共由4个一级指标、14个二级指标、30个三级指标构成。一是部门决策，权重分10分，主要从部门职能、目标设定2个方面加以考察；"
        "二是部门管理，权重分25分，主要从预算执行、财务管理、制度管理、资产管理、人员管理、采购管理、预算管理7个方面加以考察；"
        "三是部门产出，权重分40分，主要从重点工作任务完成情况、履职目标实现情况2个方面加以考察；"
        "四是部门效益，权重分25分，主要从社会效益、可持续影响、满意度3个方面加以考察。"
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
    assert "部门决策类指标共包含2个二级指标，5个三级指标，权重分10分，得分7.5分，得分率为75.00%。各指标得分情况详见表5-1：" in texts
    assert "该二级指标满分4分，得分4分，得分率100.00%。包括部门职能明确性、中长期规划合理性2个三级指标。" in texts
    # Seed 002 writes "满分2分，得分2分，得分率50.00%" for 采购管理; the score is 1.
    assert "该二级指标满分2分，得分1分，得分率50.00%。包括政府采购规范性1个三级指标。" in texts


def test_third_level_paragraphs_end_with_the_engine_score_once(yanjin):
    texts = paragraphs(yanjin.document)
    a11 = next(t for t in texts if t.startswith("A11部门职能明确性（2分）："))
    assert a11.endswith("与三定方案一致。依据评分细则，本项指标得2分。")
    assert a11.count("依据评分细则") == 1
    a21 = next(t for t in texts if t.startswith("A21年度工作计划明确性（2分）："))
    assert a21.endswith("依据评分细则，扣减1.5分，本项指标得0.5分。")
    first = next(b for b in yanjin.document.blocks if isinstance(b, Paragraph) and b.text.startswith("A11"))
    assert first.runs[0].bold and first.runs[0].text == "A11部门职能明确性（2分）："
    # B32's 评分过程 has three paragraphs: the lead is on the first, the score sentence on the last.
    start = texts.index(next(t for t in texts if t.startswith("B32管理制度执行情况（2分）：")))
    assert texts[start + 2].endswith("依据评分细则，扣减2分，本项指标得0分。")


def test_annex_1_has_every_indicator_with_merged_levels_and_the_total(yanjin):
    annex = yanjin.document.table("annex1")
    assert annex.texts()[0] == ["一级指标", "二级指标", "三级指标", "权重", "指标解释", "评分标准", "得分", "得分率"]
    first_row = annex.rows[0]
    assert (first_row[0].text, first_row[0].rowspan) == ("A部门决策（10分）", 5)
    assert (first_row[1].text, first_row[1].rowspan) == ("A1部门职能（4分）", 2)
    assert len(annex.rows) == 31
    assert annex.texts()[-1] == ["合计", "100", "", "86.00", "86.00%"]
    assert sum(1 for row in annex.rows[:-1] for cell in row if cell.text[:1] in "ABCD" and cell.text[1:3].isdigit()) == 30
    c22 = next(row for row in annex.rows if any(cell.text.startswith("C22") for cell in row))
    assert [cell.text for cell in c22][-2:] == ["6.5", "65.00%"]


def test_survey_annex_has_seed_002_counts_and_shares(yanjin):
    question = yanjin.document.table("survey1_q1").texts()
    assert question[1] == ["满意度比率", "73.08%", "23.08%", "3.85%", "0.00%", "0.00%", "100.00%"]
    assert question[2] == ["份数", "57", "18", "3", "0", "0", "78"]
    staff = yanjin.document.table("survey2_q1").texts()
    assert staff[2] == ["份数", "49", "5", "1", "0", "0", "55"]
    assert any(isinstance(block, Image) for block in yanjin.document.blocks)


def test_basic_information_table_and_signature(yanjin):
    info = yanjin.document.table("basic_info").texts()
    assert info[4] == ["部门资金投入总额（万元）", "335.96", "部门全年预算执行数（万元）", "335.96", "预算执行率", "100.00%"]
    assert info[5][:4] == ["发放调查问卷（份）", "133", "回收有效问卷（份）", "133"]
    assert "最终评分结果为86.00分，评价等级为“良”。" in info[7][1]
    signature = next(b for b in yanjin.document.blocks if isinstance(b, Signature))
    assert signature.lines == ("新乡市方政财务咨询有限公司", "2023年11月28日", "项目主评人：李军")


def test_shawan_report_has_the_basic_information_table_and_adjustment_rows(shawan):
    document = shawan.document
    info = document.table("basic_info").texts()
    assert info[0] == ["评价项目名称", "2024年度沙湾市政务服务中心部门整体支出绩效评价", "评价年度", "2024年"]
    assert info[1] == ["财政局分管科室", "行政政法科"]
    assert info[2] == ["项目单位", "沙湾市政务服务中心", "联系人及联系方式", "裴富华"]
    assert ["部门资金投入总额（万元）", "487.29", "部门全年预算执行数（万元）", "487.29", "预算执行率", "100.00%"] in info
    assert "最终评分结果为89.50分，评价等级为“良”。" in info[-2][1]
    assert document.table("summary").texts()[1:] == [
        ["部门决策", "15", "15", "100.00%"], ["部门管理", "25", "20", "80.00%"], ["部门绩效", "60", "54.5", "90.83%"],
        ["加减分项目", "0", "0", "—"], ["合计", "100", "89.5", "89.50%"],
    ]
    adjustments = document.table("level1_D").texts()
    assert ["F1部门受到国务院、省级嘉奖情况", "2", "0", "—"] in adjustments
    assert ["F2部门或工作人员违法违纪情况", "-2", "0", "—"] in adjustments
    annex = document.table("annex1").texts()
    assert annex[-1][-2:] == ["89.50", "89.50%"]
    f2 = next(row for row in annex if "F2部门或工作人员违法违纪情况" in row)
    assert f2[f2.index("F2部门或工作人员违法违纪情况") + 1] == "-2"


def test_shawan_process_texts_that_state_another_score_are_reported(shawan):
    assert "B31支出预算执行率：评分过程写得3分，计算得分为4分，报告按计算得分输出。" in shawan.document.warnings
    b31 = next(t for t in paragraphs(shawan.document) if t.startswith("B31支出预算执行率（4分）："))
    assert b31.endswith("得分=3×100%=3分。依据评分细则，本项指标得4分。")


def test_headings_carry_anchors_for_the_contents(yanjin):
    anchors = [h.anchor for h in yanjin.document.headings()]
    assert all(anchors) and len(set(anchors)) == len(anchors)
    assert all(isinstance(h, Heading) and 1 <= h.level <= 3 for h in yanjin.document.headings())
