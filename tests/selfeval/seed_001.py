"""Seed 001 (甘肃 武威市政府政务服务中心 2022): its four self-evaluation forms transcribed as XLSX, built in code.

The seed's text lost its cell boundaries; the transcription below restores
them as the forms print them (a funds block, 年度总体目标, the indicator table,
总分, 说明, the notes), with these readings, each the only one the figures
allow:

* department form: the row "政务快速通道免费送达率 | 群众来电咨询接听率100% |
  87% | 5 | 4" is two indicators (the project form has both); the first's
  values were lost, 100%/100%/5/5 is the only reading that gives 履职效果 the
  50 points its note sets. 实际支出数 (lost) is 全年预算数, as 执行率 100% says.
  Its 合计 of 88 is printed beside rows (with 预算执行率) worth 98.
* project forms: 总分 prints the indicator rows without the funds block's 10
  points: 89 beside 99 for the first, 88 beside 98 for the other two. The
  third form's stray row "及时 | 及时 | 6 | 6" (no name, and 6 points more
  than 产出指标's 50) is left out.

Every form keeps the seed's own wording of labels (``指标1: …``, ``全年支出``,
``其中:当年财政拨款``) and layout quirks (a 绩效指标 column merged down the
left of a project's table, with or without its own header cell).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from openpyxl import Workbook

from tests.indicator_xlsx.builders import to_bytes

D = Decimal
DEPARTMENT_NAME = "武威市政府政务服务中心"
SUPERVISOR = "武威市人民政府办公室"
NOTE_PROMPT = "请在此处简要说明中央和省委巡视、市委巡察、各级审计和财政监督中发现的问题及其所涉及的金额，如没有填无。"


@dataclass
class Form:
    kind: str  # "department" or "project"
    title: str
    funds: list[tuple]  # (label, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分)
    goals: str
    outcome: str
    rows: list[tuple]  # (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因); 一级/二级 None below their first row
    total: tuple  # (label, 分值, 得分)
    note: str
    notes: list[str] = field(default_factory=list)
    project: str = ""
    lead_column: str = ""  # "header": 绩效指标 heads a column merged down the table; "data": merged beside the rows only

    @property
    def execution_weight(self) -> Decimal:
        return self.funds[0][4]

    def leaves(self) -> list[tuple]:
        return list(self.rows)

    def row_total(self) -> Decimal:
        """The rows' scores with the funds block's: what the engine gives."""
        return sum((row[6] for row in self.rows), D(0)) + self.funds[0][6]


NO_DEVIATION = "无偏差"

DEPARTMENT = Form(
    kind="department",
    title="2022年武威市政府政务服务中心整体支出绩效自评表",
    funds=[
        ("全年支出", D("361.95"), D("494.39"), D("494.39"), D(10), "100%", D(10)),
        ("其中:基本支出", D("116.95"), D("150.85"), D("150.85"), "—", "100%", "—"),
        ("项目支出", D("245"), D("343.54"), D("343.54"), "—", "100%", "—"),
    ],
    goals="目标1：推行“一窗受理、集成改革”\n目标2：“12345”便民热线实行24小时人工接电\n"
    "目标3：按照省级统一标准，规范事项名称、类型、依据、编码\n目标4：拓展政务服务移动应用",
    outcome="目标1完成情况：持续规范窗口设置，统一设置综合咨询、帮办代办、“跨省通办”“省内通办”“一件事一次办”“办不成事”反映等服务专区，"
    "及时解决企业和群众办事过程中的困难和问题。\n"
    "目标2完成情况：2022年，受理群众诉求16.68万件，热线接通率87.15%，按时办结率99.92%，群众满意率99.94%。\n"
    "目标3完成情况：编制公开政务服务事项市级1338项、县区级5946项、乡镇（街道）16586项、村（社区）31509项。\n"
    "目标4完成情况：将“甘快办”APP作为移动政务服务的主要提供渠道和总入口。",
    rows=[
        ("部门管理", "资金投入", "基本支出预算执行率", "100%", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "项目支出预算执行率", "100%", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "“三公经费”控制率", "下降", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "结转结余变动率", "≤2%", "0%", D(2), D(2), NO_DEVIATION),
        (None, "财务管理", "财务管理制度健全性", "健全", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "资金使用规范性", "规范", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "政府采购规范性", "规范", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "资产管理规范性", "规范", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "人力资源管理", "100%", "100%", D(2), D(2), NO_DEVIATION),
        (None, "重点工作管理", "重点工作管理制度健全性", "健全", "100%", D(2), D(2), NO_DEVIATION),
        ("履职效果", "部门履职目标", "年办件量", "≥80000", "69.76万件", D(5), D(5),
         "1755名代征社保费人员，在税费互认系统下，各以各自职责进行征收管理，其业务处理能力、征收准确率均达到规定要求。"),
        (None, None, "政务快速通道免费送达率", "100%", "100%", D(5), D(5), NO_DEVIATION),
        (None, None, "群众来电咨询接听率", "100%", "87%", D(5), D(4), ""),
        (None, "产出质量指标", "服务质量提升", "100%", "100%", D(5), D(5), NO_DEVIATION),
        (None, "产出时效指标", "办事效率提高", "100%", "100%", D(5), D(5), NO_DEVIATION),
        (None, "经济效益指标", "节约成本", "降低", "降低", D(5), D(5), NO_DEVIATION),
        (None, "社会效益指标", "服务便利化水平", "100%", "95%", D(5), D(4),
         "服务对象信息化程度提高，办税环节、办税流程、办税方式、办税渠道不断优化。"),
        (None, "生态效益指标", "志愿服务水平", "100%", "100%", D(5), D(5), NO_DEVIATION),
        (None, "社会影响", "单位获奖情况", "市级以上", "无", D(5), D(5), NO_DEVIATION),
        (None, None, "违法违纪情况", "无", "无", D(5), D(5), NO_DEVIATION),
        ("能力建设", "长效管理", "窗口服务长效管理", "健全", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "党建工作开展规范性", "规范", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "信息化管理覆盖率", "100%", "100%", D(2), D(2), NO_DEVIATION),
        (None, "人力资源管理", "人员培训机制完备性", "完备", "100%", D(2), D(2), NO_DEVIATION),
        (None, None, "档案管理完备性", "完备", "100%", D(2), D(2), NO_DEVIATION),
        ("服务对象满意度", "服务对象满意度", "服务对象1的满意度", "群众满意度≥95%", "100%", D(5), D(5), NO_DEVIATION),
        (None, None, "服务对象2的满意度", "企业满意度≥95%", "100%", D(5), D(5), NO_DEVIATION),
    ],
    total=("合 计", None, D(88)),
    note="无",
    notes=[
        "注：1. 部门（单位）整体支出绩效自评采取打分评价形式，满分为100分，原则上一级指标分值统一设置为：预算执行率10分、"
        "部门管理指标20分、履职效果指标50分、能力建设指标10分、服务对象满意度指标10分。",
        "2. 定性指标根据指标完成情况分为三类，分别按照100%-80%（含）、80%-60%（含）、60%-0%合理填写完成比例。",
    ],
)

PROJECT_NOTES = [
    "注: 1. 其他资金包括中央补助、各级财政资金共同投入到同一项目的自有资金、社会资金等。",
    "2. 绩效自评采取打分评价形式, 满分为100分, 原则上一级指标分值统一设置为: 产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分。",
    "3. 定性指标根据指标完成情况分为三档, 分别按照100%-80%(含)、80%-60%(含)、60%-0%合理填写完成比例。",
]
SATISFACTION = [
    ("满意度指标", "服务对象满意度指标", "指标1: 群众满意度", "≥95%", "≥95%", D(5), D(5), NO_DEVIATION),
    (None, None, "指标2: 企业满意度", "≥95%", "≥95%", D(5), D(5), NO_DEVIATION),
]


def _funds(total: tuple[str, str, str]) -> list[tuple]:
    initial, adjusted, final = (D(v) for v in total)
    return [
        ("年度资金总额", initial, adjusted, final, D(10), "100%", D(10)),
        ("其中:当年财政拨款", initial, adjusted, final, "—", "100%", "—"),
        ("上年结转资金", None, None, None, "—", None, "—"),
        ("其他资金", None, None, None, "—", None, "—"),
    ]


SERVICE_FUNDS = Form(
    kind="project",
    title="2022年武威市政府政务服务中心预算项目支出绩效自评表",
    project="政务服务经费",
    funds=_funds(("245", "291.54", "291.54")),
    goals="一是推行“一窗受理、集成服务”改革；二是“12345”便民服务热线实行24小时人工接听；"
    "三是按照省级统一标准，规范事项名称、类型、依据、编码；四是拓展政务服务移动应用。",
    outcome="目标1完成情况：率先在全省推行“一窗受理、集成服务”，服务模式被省政府确定为深化“放管服”改革主样板在全省各市州推广。\n"
    "目标2完成情况：2022年，受理群众诉求16.68万件，热线接通率87.15%，按时办结率99.92%，群众满意率99.94%。",
    rows=[
        ("产出指标", "数量指标", "指标1: 保安保洁人员", "11人", "11人", D(3), D(3), NO_DEVIATION),
        (None, None, "指标2: 供暖面积", "5544.13m²", "5544.13m²", D(3), D(3), NO_DEVIATION),
        (None, None, "指标3: 劳务派遣人员", "30人", "30人", D(3), D(3), NO_DEVIATION),
        (None, None, "指标4: 软件平台维护个数", "3", "3", D(3), D(3), NO_DEVIATION),
        (None, None, "指标5: 水电供应", "12个月", "12个月", D(3), D(3), NO_DEVIATION),
        (None, None, "指标6: 政务服务快速免费送达", "1.5万件", "2.97万", D(3), D(3), NO_DEVIATION),
        (None, "质量指标", "指标1: 保安保洁服务水平", "优", "优", D(3), D(3), NO_DEVIATION),
        (None, None, "指标2: 供暖情况", "正常", "正常", D(3), D(3), NO_DEVIATION),
        (None, None, "指标3: 劳务派遣人员服务水平", "优", "优", D(3), D(3), NO_DEVIATION),
        (None, None, "指标4: 软件平台维护验收通过率", "100%", "100%", D(3), D(3), NO_DEVIATION),
        (None, None, "指标5: 水电供应率", "100%", "100%", D(3), D(3), NO_DEVIATION),
        (None, None, "指标6: 政务服务快速免费送达率", "100%", "100%", D(3), D(3), NO_DEVIATION),
        (None, None, "指标7: 群众来电咨询接听率", "100%", "87%", D(4), D(3),
         "12345便民热线接通率、在线答复率还不高，答复质量和效率还有待提高。改进措施：加强话务人员队伍建设，合理设置话务席位，持续提升热线接通率。"),
        (None, "时效指标", "指标1: 工作完成及时性", "及时", "及时", D(5), D(5), NO_DEVIATION),
        (None, "成本指标", "指标1: 和社会成本相比较", "≦平均成本", "≦平均成本", D(5), D(5), NO_DEVIATION),
        ("效益指标", "社会效益指标", "指标1: 政务服务水平", "≧95%", "≧95%", D(15), D(15), NO_DEVIATION),
        (None, "生态效益指标", "指标1: 志愿服务水平", "提升", "提升", D(15), D(15), NO_DEVIATION),
        *SATISFACTION,
    ],
    total=("总分", D(100), D(89)),
    note=NOTE_PROMPT,
    notes=PROJECT_NOTES,
    lead_column="data",
)

PLATFORM = Form(
    kind="project",
    title="2022年武威市政府政务服务中心预算项目支出绩效自评表",
    project="武威市市级政务服务平台对接改造项目",
    funds=_funds(("0", "50", "50")),
    goals="建设完善我市政务服务门户及移动端、政务服务事项管理系统、身份认证系统、电子证照系统、电子印章系统、政务数据资源共享服务中心，"
    "与省级政务服务平台深度对接融合，加快实现“一网通办”、全城通办、就近能办、异地可办。",
    outcome="完成市级政务服务平台门户、政务服务移动端、政务服务事项管理库、身份认证系统、电子证照系统、电子印章应用系统、"
    "政务数据资源共享服务中心、运维管理体系、安全保障体系和政务服务“好差评”系统建设改造，并与省级政务服务平台完成对接。",
    rows=[
        ("产出指标", "数量指标", "指标1: 系统建设完成数量", "10个", "10个", D(3), D(3), NO_DEVIATION),
        (None, None, "指标2: 年办件量", "≥10万件", "14.9万", D(3), D(3), NO_DEVIATION),
        (None, None, "指标3: 事项公布数量", "≥4000", "4854", D(3), D(3), NO_DEVIATION),
        (None, None, "指标4: 电子印章制作数量", "≥1000", "1588", D(3), D(3), NO_DEVIATION),
        (None, None, "指标5: 数据信息交换数量", "≥10亿", "10.44亿", D(3), D(3), NO_DEVIATION),
        (None, None, "指标6: 用户注册数量", "≥10万", "14.90万", D(3), D(3), NO_DEVIATION),
        (None, "质量指标", "指标1: 系统建设功能指标", "优", "优", D(4), D(4), NO_DEVIATION),
        (None, None, "指标2: 系统运行稳定性", "稳定", "稳定", D(4), D(4), NO_DEVIATION),
        (None, None, "指标3: 数据共享率", "100%", "100%", D(4), D(4), NO_DEVIATION),
        (None, None, "指标4: 系统验收通过率", "100%", "100%", D(4), D(4), NO_DEVIATION),
        (None, None, "指标5: 服务效能", "提升", "提升", D(4), D(4), NO_DEVIATION),
        (None, None, "指标6: 服务平台支撑能力", "提升", "有待提升", D(4), D(2),
         "原因：一体化政务服务平台支撑能力有待提升。改进措施：全面提升网办服务，依托政务服务平台建设，规范网上办事指引。"),
        (None, "时效指标", "指标1: 工作完成及时性", "及时", "及时", D(4), D(4), NO_DEVIATION),
        (None, "成本指标", "指标1: 和社会成本相比较", "≤平均成本", "≤平均成本", D(4), D(4), NO_DEVIATION),
        ("效益指标", "社会效益指标", "指标1: 政务服务水平", "≥95%", "≥95%", D(30), D(30), NO_DEVIATION),
        *SATISFACTION,
    ],
    total=("总分", D(100), D(88)),
    note="请在此处简要说明中央和省委巡视、市委巡察、各级审计和财政监督中发现的问题及其所涉及金额，如没有填写。",
    notes=PROJECT_NOTES,
    lead_column="header",
)

PARTY = Form(
    kind="project",
    title="2022年武威市政府政务服务中心预算项目支出绩效自评表",
    project="党支部标准化建设项目",
    funds=_funds(("2", "2", "2")),
    goals="加强党的政治建设，充分发挥党员先锋引领和支部堡垒作用；规范组织生活，持续推进党支部规范化标准化建设；"
    "坚持全面从严治党，不断加强党风廉政建设和作风建设。",
    outcome="一是开展集中学习42次、专题读书班3次，专题研讨4次，组织理论知识测试8次。二是持续推进“支部建在窗口、先锋亮在岗位”。"
    "三是完善《落实主体责任制度》等30项工作制度。四是制定廉政风险防范措施40条。五是集体谈话工作人员300人次。",
    rows=[
        ("产出指标", "数量指标", "指标1: 党支部集中学习次数", "≥12", "42", D(3), D(3), NO_DEVIATION),
        (None, None, "指标2: 组织生活会开展次数", "≥12", "38", D(3), D(3), NO_DEVIATION),
        (None, None, "指标3: 党风廉政建设覆盖面", "10人", "10人", D(3), D(3), NO_DEVIATION),
        (None, None, "指标4: 党费缴纳情况", "足额缴纳", "足额缴纳", D(3), D(3), NO_DEVIATION),
        (None, None, "指标5: 党建带群建活动开展次数", "≥2", "5", D(3), D(3), NO_DEVIATION),
        (None, "质量指标", "指标1: 党支部集中学习质量", "优", "优", D(4), D(4), NO_DEVIATION),
        (None, None, "指标2: 工作制度机制完善情况", "完善", "完善", D(4), D(4), NO_DEVIATION),
        (None, None, "指标3: 党风廉政建设覆盖率", "100%", "100%", D(4), D(4), NO_DEVIATION),
        (None, None, "指标4: “学习强国”等平台学用情况", "100%", "100%", D(4), D(4), NO_DEVIATION),
        (None, None, "指标5: 帮办代办服务质量", "优", "优", D(4), D(4), NO_DEVIATION),
        (None, None, "指标6: 党建工作创新能力", "优", "良好", D(4), D(2),
         "原因：党建工作思路不宽，党建和业务工作结合创新举措不够多。改进措施：始终把党的政治建设摆在首位。"),
        (None, None, "指标6: 党支部标准化阵地建设情况", "标准", "标准", D(5), D(5), NO_DEVIATION),
        (None, "时效指标", "指标1: 工作完成及时性", "及时", "及时", D(6), D(6), NO_DEVIATION),
        ("效益指标", "社会效益指标", "指标1: 政务服务水平", "≥95%", "≥95%", D(30), D(30), NO_DEVIATION),
        *SATISFACTION,
    ],
    total=("总分", D(100), D(88)),
    note="请在此处简要说明中央和省巡视、市委巡察、各级审计和财政监督中发现的问题及其所涉及的金额，如没有填无。(无)",
    notes=PROJECT_NOTES,
    lead_column="data",
)

PROJECTS = (SERVICE_FUNDS, PLATFORM, PARTY)
TABLE_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


def _put(sheet, row: int, column: int, value, *, until: int | None = None, down: int | None = None) -> None:
    sheet.cell(row, column, value)
    if (until and until > column) or (down and down > row):
        sheet.merge_cells(start_row=row, start_column=column, end_row=down or row, end_column=until or column)


def workbook(form: Form, *, sheet_title: str = "自评表"):
    """The form laid out as the seed prints it."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    fill(sheet, form)
    return book


def fill(sheet, form: Form) -> None:
    lead = 1 if form.kind == "project" else 0  # a project's table has the 绩效指标 column on its left
    last = 8 + lead
    row = 1
    _put(sheet, row, 1, form.title, until=last)
    row += 1
    if form.kind == "department":
        _put(sheet, row, 1, DEPARTMENT_NAME, until=last)
        row += 1
        header = ("部门(单位)名称", None, "年初预算数", "全年预算数(A)", "实际支出数(B)", "执行率(B/A)", "分值", "得分")
        for column, value in enumerate(header, start=1):
            sheet.cell(row, column, value)
        block = "部门(单位)整体支出 (万元)"
    else:
        _put(sheet, row, 1, "项目名称")
        _put(sheet, row, 2, form.project, until=last)
        row += 1
        sheet.cell(row, 1, "主管部门")
        _put(sheet, row, 2, SUPERVISOR, until=4)
        sheet.cell(row, 5, "实施单位")
        _put(sheet, row, 6, DEPARTMENT_NAME, until=last)
        row += 1
        header = ("项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
        for column, value in enumerate(header, start=1):
            sheet.cell(row, column, value)
        block = None
    block_top = row
    for line in form.funds:
        row += 1
        label, initial, adjusted, final, weight, rate, score = line
        values = (label, initial, adjusted, final)
        if form.kind == "department":
            values += (rate, weight, score)
        else:
            values += (weight, rate, score)
        for column, value in enumerate(values, start=2):
            sheet.cell(row, column, value)
    if block:
        _put(sheet, block_top + 1, 1, block, down=row)
    else:
        sheet.merge_cells(start_row=block_top, start_column=1, end_row=row, end_column=1)
    row += 1
    _put(sheet, row, 1, "年度总体目标", down=row + 1)
    _put(sheet, row, 2, "预期目标", until=4 + lead)
    _put(sheet, row, 5 + lead, "实际完成情况" if form.kind == "project" else "目标实际完成情况", until=last)
    _put(sheet, row + 1, 2, form.goals, until=4 + lead)
    _put(sheet, row + 1, 5 + lead, form.outcome, until=last)
    row += 3  # a blank row between the blocks and the table, as in the seed
    header_row = row
    if form.lead_column == "header":
        sheet.cell(row, 1, "绩效指标")
    for column, value in enumerate(TABLE_HEADER, start=1 + lead):
        sheet.cell(row, column, value)
    first_rows: dict[int, list[int]] = {1: [], 2: []}
    for values in form.rows:
        row += 1
        for column, value in enumerate(values, start=1 + lead):
            sheet.cell(row, column, value)
        for level in (1, 2):
            if values[level - 1] is not None:
                first_rows[level].append(row)
    last_data = row
    for level in (1, 2):
        starts = first_rows[level] + [last_data + 1]
        for top, nxt in pairwise(starts):
            if nxt - 1 > top:
                sheet.merge_cells(start_row=top, start_column=level + lead, end_row=nxt - 1, end_column=level + lead)
    if form.lead_column == "header":
        sheet.merge_cells(start_row=header_row, start_column=1, end_row=last_data, end_column=1)
    elif form.lead_column == "data":
        _put(sheet, header_row + 1, 1, "绩效指标", down=last_data)
    row += 1
    label, weight, score = form.total
    _put(sheet, row, 1, label, until=5 + lead)
    if weight is not None:
        sheet.cell(row, 6 + lead, weight)
    sheet.cell(row, 7 + lead, score)
    row += 1
    if form.kind == "project":
        sheet.cell(row, 1, "说明")
        _put(sheet, row, 2, form.note, until=last)
    else:
        _put(sheet, row, 1, f"其他需要说明的问题：{form.note}", until=last)
    row += 1
    for note in form.notes:
        row += 1
        _put(sheet, row, 1, note, until=last)


def form_bytes(form: Form, **options) -> bytes:
    return to_bytes(workbook(form, **options))


def projects_workbook() -> bytes:
    """The three project forms as three sheets of one workbook, as a department sends them."""
    book = Workbook()
    for index, form in enumerate(PROJECTS):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = form.project[:20]
        fill(sheet, form)
    return to_bytes(book)
