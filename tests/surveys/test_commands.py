"""The scripting commands: import_survey prints the questionnaire id last; survey_summary --json is one exact object."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from surveys import services
from surveys.models import Questionnaire
from tests.factories import EvaluationFactory
from tests.surveys.helpers import docx_bytes, snapshot
from tests.surveys.seed import PUBLIC, STAFF, export_rows, export_workbook, workbook_bytes

pytestmark = pytest.mark.django_db


def options(*rows):
    return [{"label": label, "count": count, "share": share} for label, count, share in rows]


FIVE = ("很满意", "满意", "一般", "不满意", "很不满意")


def five(counts, shares, labels=FIVE):
    return options(*zip(labels, counts, shares, strict=True))


PUBLIC_SUMMARY = {
    "group": "企业和办事群众", "issued": 78, "returned": 78, "valid": 78, "composite": "90.43",
    "questions": [
        {"title": "您对大厅服务人员接待及协助是否满意?", "counted": True, "satisfaction": "93.85",
         "options": five([57, 18, 3, 0, 0], ["73.08", "23.08", "3.85", "0.00", "0.00"])},
        {"title": "您对为您提供服务的窗口单位工作人员业务能力是否满意?", "counted": True, "satisfaction": "91.79",
         "options": five([50, 25, 2, 1, 0], ["64.10", "32.05", "2.56", "1.28", "0.00"])},
        {"title": "您对为您提供服务的窗口单位工作人员服务态度是否满意?", "counted": True, "satisfaction": "90.00",
         "options": five([50, 20, 7, 0, 1], ["64.10", "25.64", "8.97", "0.00", "1.28"])},
        {"title": "您到窗口申请办理的业务，一般需要多少次才能完成?", "counted": False, "satisfaction": None,
         "options": options(("1次", 66, "84.62"), ("2次", 10, "12.82"), ("3次及以上", 2, "2.56"))},
        {"title": "您是否通过电话咨询业务?对目前话务总机的接听及时率及回答准确率是否满意?", "counted": True,
         "satisfaction": "89.74", "options": five([49, 18, 11, 0, 0], ["62.82", "23.08", "14.10", "0.00", "0.00"])},
        {"title": "您在窗口办理业务时，是否有按办事指南要求准备的材料用不上或没有准备材料的材料又被要求提交的经历?",
         "counted": False, "satisfaction": None,
         "options": options(("没有", 62, "79.49"), ("偶尔有", 15, "19.23"), ("经常是", 1, "1.28"))},
        {"title": "您在政务服务中心大厅办事等待最长时间是？", "counted": False, "satisfaction": None,
         "options": options(("30分钟以内", 63, "80.77"), ("1小时以内", 15, "19.23"),
                            ("等候一上午或者一下午，却办不成事", 0, "0.00"))},
        {"title": "您如何评价政务服务大厅窗口的办事效率?", "counted": False, "satisfaction": None,
         "options": options(("效率高", 63, "80.77"), ("效率一般", 15, "19.23"), ("效率较低", 0, "0.00"),
                            ("效率差、拖拉", 0, "0.00"))},
        {"title": "您是否了解政务服务大厅设立的投诉机制?", "counted": False, "satisfaction": None,
         "options": options(("了解", 58, "74.36"), ("不了解", 20, "25.64"))},
        {"title": "您对政务服务大厅投诉问题处理的及时性是否满意?", "counted": True, "satisfaction": "86.15",
         "options": five([48, 18, 8, 0, 4], ["61.54", "23.08", "10.26", "0.00", "5.13"],
                         ("很满意", "满意", "一般", "不满意", "不了解"))},
        {"title": "您对政务服务中心大厅的总体评价", "counted": True, "satisfaction": "91.03",
         "options": five([49, 24, 4, 1, 0], ["62.82", "30.77", "5.13", "1.28", "0.00"])},
    ],
}

STAFF_LABELS = ("非常满意", "满意", "一般", "不满意", "很不满意")
STAFF_SUMMARY = {
    "group": "大厅入驻单位工作人员", "issued": 55, "returned": 55, "valid": 55, "composite": "97.88",
    "questions": [
        {"title": title, "counted": True, "satisfaction": satisfaction,
         "options": five(counts, shares, STAFF_LABELS)}
        for title, satisfaction, counts, shares in [
            ("您对目前大厅的整体办公环境是否满意?", "98.18", [49, 5, 1, 0, 0], ["89.09", "9.09", "1.82", "0.00", "0.00"]),
            ("您对目前大厅提供的办公设施设备是否满意?", "98.18", [45, 9, 1, 0, 0], ["81.82", "16.36", "1.82", "0.00", "0.00"]),
            ("您对大厅的服务考评制度是否满意?", "98.18", [47, 7, 1, 0, 0], ["85.45", "12.73", "1.82", "0.00", "0.00"]),
            ("您对大厅所制定、实施的各项规章制度及其效果的满意程度?", "96.36", [46, 7, 2, 0, 0],
             ["83.64", "12.73", "3.64", "0.00", "0.00"]),
            ("您对大数据局开展的各类培训活动的满意程度?", "98.18", [47, 7, 1, 0, 0], ["85.45", "12.73", "1.82", "0.00", "0.00"]),
            ("您对与大数据局的沟通交流以及协作配合的满意程度?", "98.18", [46, 8, 1, 0, 0],
             ["83.64", "14.55", "1.82", "0.00", "0.00"]),
        ]
    ],
}


def summary(questionnaire_id) -> dict:
    out = io.StringIO()
    call_command("survey_summary", str(questionnaire_id), "--json", stdout=out)
    return json.loads(out.getvalue())


def import_survey(path, evaluation, group) -> list[str]:
    out = io.StringIO()
    call_command("import_survey", str(path), "--evaluation", str(evaluation.pk), "--group", group, stdout=out, stderr=io.StringIO())
    return out.getvalue().splitlines()


def test_survey_summary_json_of_both_seed_surveys_entered_as_counts():
    public, staff = services.load_demo_surveys(EvaluationFactory())

    assert summary(public.pk) == PUBLIC_SUMMARY
    assert summary(staff.pk) == STAFF_SUMMARY


def test_import_survey_into_a_questionnaire_gives_the_same_summary_as_the_counts(tmp_path):
    evaluation = EvaluationFactory()
    services.copy_builtin(evaluation, "public-service")
    services.copy_builtin(evaluation, "hall-staff")
    (tmp_path / "public.xlsx").write_bytes(export_workbook(PUBLIC))
    (tmp_path / "staff.xlsx").write_bytes(export_workbook(STAFF, letters=True))

    public_lines = import_survey(tmp_path / "public.xlsx", evaluation, PUBLIC)
    staff_lines = import_survey(tmp_path / "staff.xlsx", evaluation, STAFF)

    public = Questionnaire.objects.get(evaluation=evaluation, group=PUBLIC)
    assert public_lines[-1] == str(public.pk)
    assert public_lines[0] == "已导入78份答卷：企业和办事群众（11题）"
    assert summary(public.pk) == PUBLIC_SUMMARY
    assert summary(int(staff_lines[-1])) == STAFF_SUMMARY


def test_import_survey_creates_the_questionnaire_from_the_file(tmp_path):
    evaluation = EvaluationFactory()
    path = tmp_path / "问卷星导出.xlsx"
    path.write_bytes(export_workbook(PUBLIC))

    lines = import_survey(path, evaluation, "办事群众")

    questionnaire = Questionnaire.objects.get(pk=int(lines[-1]))
    assert questionnaire.group == "办事群众"
    assert lines[0] == "新建问卷并导入78份答卷：办事群众（11题）"
    data = summary(questionnaire.pk)
    assert data["composite"] == "90.43"
    assert [q["counted"] for q in data["questions"]] == [True, True, True, False, True, False, False, False, False, True, True]
    assert data["questions"][0] == PUBLIC_SUMMARY["questions"][0]


def test_import_survey_refuses_a_bad_file_naming_the_place_and_saves_nothing(tmp_path):
    evaluation = EvaluationFactory()
    services.copy_builtin(evaluation, "hall-staff")
    rows = export_rows(STAFF)
    rows[3][4] = "凑合"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes(rows))
    before = snapshot()

    with pytest.raises(CommandError) as caught:
        import_survey(path, evaluation, STAFF)

    assert "工作表“Sheet1”第4行E列：“凑合”不是第3题的选项" in str(caught.value)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "文件是空的"), (None, "这是一个Word文档")],
    ids=["empty", "docx-renamed"],
)
def test_import_survey_refuses_files_that_are_no_workbook(tmp_path, content, message):
    evaluation = EvaluationFactory()
    path = tmp_path / "答卷.xlsx"
    path.write_bytes(docx_bytes() if content is None else content)

    with pytest.raises(CommandError, match=message):
        import_survey(path, evaluation, "群众")
    assert not Questionnaire.objects.exists()


def test_commands_refuse_unknown_ids(tmp_path):
    with pytest.raises(CommandError, match="问卷 999 不存在"):
        summary(999)
    with pytest.raises(CommandError, match="评价项目 999 不存在"):
        call_command("import_survey", str(tmp_path / "x.xlsx"), "--evaluation", "999", "--group", "群众")


def test_survey_summary_text_lists_the_annex_and_the_method():
    public, _ = services.load_demo_surveys(EvaluationFactory())
    out = io.StringIO()

    call_command("survey_summary", str(public.pk), stdout=out)

    text = out.getvalue()
    assert "A.很满意" in text and "73.08%" in text
    assert "综合满意度 90.43%" in text
    assert "加权得分法" in text
