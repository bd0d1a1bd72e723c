"""The operators' commands and the demos: 延津 can be submitted and signed as loaded, 沙湾 not until its texts are fixed."""

import hashlib
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command, execute_from_command_line

from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from reports.archive import files_for
from reports.models import TransitionEvent
from rubrics import services as rubric_services
from rubrics.models import Judgment

pytestmark = pytest.mark.django_db

YANJIN = "延津县政务服务和大数据管理局"
SHAWAN = "沙湾市政务服务中心"
SHAWAN_CONTRADICTIONS = {"B31": ("3×100%=3分", "4×100%=4分"), "C21": ("得分=3分", "得分=4分"),
                         "C31": ("得分=3分", "得分=4分"), "C53": ("得分=3分", "得分=4分")}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return {name: Evaluation.objects.get(department__name=name) for name in (YANJIN, SHAWAN)}


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue(), str(caught.value)


def test_yanjin_as_loaded_is_submitted_and_signed(demo):
    pk = str(demo[YANJIN].pk)
    assert demo[YANJIN].status == EvaluationStatus.SCORING  # load_demo started it as its 主评人
    printed, error = refused("transition", pk, "--to", "review", "--as", "lead")
    assert "[须修改]" not in printed
    assert "[需确认] A23绩效指标明确性有扣分，但没有关联到任何存在的问题。" in printed
    assert error == "有2条提示需要确认：确认后加 --acknowledge 再执行。"
    assert run("transition", pk, "--to", "review", "--as", "lead", "--acknowledge") == "已提交审核：评分中 → 待审核（第1版，李军）\n"
    assert run("transition", pk, "--to", "signed", "--as", "reviewer", "--acknowledge") == "已签发：待审核 → 已签发（第1版，张华）\n"
    status = json.loads(run("evaluation_status", pk, "--json"))
    assert (status["state"], status["version"]) == ("signed", 1)
    assert [(f["format"], f["version"], f["superseded"]) for f in status["files"]] == [
        ("docx", 1, False), ("pdf", 1, False), ("xlsx", 1, False)
    ]
    stored = {f.format: f for f in files_for(demo[YANJIN])}
    assert all(f["sha256"] == stored[f["format"]].sha256 and f["path"] == stored[f["format"]].path for f in status["files"])
    assert all(len(f["sha256"]) == 64 and f["path"].startswith(f"signed/{pk}/v1/") for f in status["files"])
    for report_file in files_for(demo[YANJIN]):  # the bytes on disk are the bytes hashed at sign-off
        with default_storage.open(report_file.path, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == report_file.sha256
    lines = run("evaluation_status", pk).splitlines()
    docx = stored["docx"]
    assert f"  docx  第1版  SHA-256 {docx.sha256}  {docx.path}" in lines
    assert [(e["step"], e["from"], e["to"], e["by"]) for e in status["events"]] == [
        ("start", "draft", "scoring", "lead"), ("submit", "scoring", "review", "lead"),
        ("sign_off", "review", "signed", "reviewer"),
    ]
    assert len(status["events"][2]["acknowledged"]) == 2 and status["events"][2]["at"].endswith("+08:00")


def test_shawan_cannot_be_signed_until_its_contradicting_processes_are_fixed(demo):
    pk = str(demo[SHAWAN].pk)
    printed, error = refused("transition", pk, "--to", "review", "--as", "xj_lead", "--acknowledge")
    errors = [line for line in printed.splitlines() if line.startswith("[须修改]")]
    assert errors == [
        f"[须修改] {code}{name}：评分过程写得3分，计算得分为4.00分，请修改评分过程。  → /evaluations/{pk}/indicators/{code}/"
        for code, name in [("B31", "支出预算执行率"), ("C21", "“三公”经费控制率"), ("C31", "重点工作完成率"),
                           ("C53", "部门投诉及有效处置情况")]
    ]
    assert error.startswith("不能提交审核：B31支出预算执行率")
    assert Evaluation.objects.get(pk=pk).status == EvaluationStatus.SCORING
    for code, (wrong, right) in SHAWAN_CONTRADICTIONS.items():
        judgment = Judgment.objects.select_related("indicator").get(indicator__evaluation_id=pk, indicator__code=code)
        rubric_services.save_judgment(
            judgment.indicator, inputs=judgment.inputs, user=None, process=judgment.process.replace(wrong, right),
            override_score=judgment.override_score, override_reason=judgment.override_reason,
            actual=judgment.actual, deviation_reason=judgment.deviation_reason,
        )
    run("transition", pk, "--to", "review", "--as", "xj_lead", "--acknowledge")
    assert run("transition", pk, "--to", "signed", "--as", "xj_reviewer", "--acknowledge").startswith("已签发")


def test_the_commands_refuse_and_exit_non_zero(demo, capsys):
    pk = str(demo[YANJIN].pk)
    printed, error = refused("transition", pk, "--to", "review", "--as", "staff", "--acknowledge")
    assert printed == "[须修改] 只有主评人可以提交审核。\n" and error == "不能提交审核：只有主评人可以提交审核。"
    assert refused("transition", pk, "--to", "signed", "--as", "reviewer")[1] == (
        f"评价项目 {pk} 当前为“评分中”，不能转为“已签发”。"
    )
    assert refused("transition", pk, "--to", "done", "--as", "lead")[1] == "不认识的状态“done”：可用 draft、scoring、review、signed"
    assert refused("transition", pk, "--to", "review", "--as", "nobody")[1] == "用户 nobody 不存在"
    assert refused("evaluation_status", "999")[1] == "评价项目 999 不存在"
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_code:
        execute_from_command_line(["manage.py", "transition", pk, "--to", "review", "--as", "reviewer"])
    assert exit_code.value.code == 1
    assert "只有主评人可以提交审核" in capsys.readouterr().out


def test_after_sign_off_the_commands_change_nothing(demo):
    pk = str(demo[YANJIN].pk)
    run("transition", pk, "--to", "review", "--as", "lead", "--acknowledge")
    run("transition", pk, "--to", "signed", "--as", "reviewer", "--acknowledge")
    events = TransitionEvent.objects.count()
    assert refused("transition", pk, "--to", "review", "--as", "lead")[1] == f"评价项目 {pk} 当前为“已签发”，不能转为“待审核”。"
    assert refused("transition", pk, "--to", "scoring", "--as", "lead", "--comment", "改")[1] == (
        "不能重新打开：只有项目负责人可以重新打开（本机构实行1级复核）。"
    )
    out = run("load_demo")
    assert f"评价项目 #{pk}：2022年度延津县政务服务和大数据管理局部门整体支出绩效评价（已签发，保持不变）" in out
    assert Evaluation.objects.get(pk=pk).status == EvaluationStatus.SIGNED
    assert TransitionEvent.objects.count() == events


def test_evaluation_status_prints_the_record(demo):
    pk = str(demo[YANJIN].pk)
    run("transition", pk, "--to", "review", "--as", "lead", "--acknowledge")
    run("transition", pk, "--to", "scoring", "--as", "reviewer", "--comment", "A23请补充说明。")
    lines = run("evaluation_status", pk).splitlines()
    assert lines[0] == "2022年度延津县政务服务和大数据管理局部门整体支出绩效评价"
    assert lines[1] == "状态：评分中（scoring），第1版"
    assert lines[2] == "审核记录："
    assert "开始评分  draft → scoring  第1版  李军（lead）" in lines[3]
    assert "提交审核  scoring → review  第1版  李军（lead）  确认提示2条" in lines[4]
    assert "退回修改  review → scoring  第1版  张华（reviewer）  意见：A23请补充说明。" in lines[5]
    assert lines[-1] == "签发文件：无"


def test_reopening_makes_version_2_and_keeps_version_1s_files(demo):
    pk = str(demo[YANJIN].pk)
    run("transition", pk, "--to", "review", "--as", "lead", "--acknowledge")
    run("transition", pk, "--to", "signed", "--as", "reviewer", "--acknowledge")
    first = {f.format: (f.sha256, f.path) for f in files_for(demo[YANJIN])}
    assert run("transition", pk, "--to", "scoring", "--as", "reviewer", "--comment", "第三章有笔误。") == (
        "已重新打开：已签发 → 评分中（第2版，张华）\n"
    )
    run("transition", pk, "--to", "review", "--as", "lead", "--acknowledge")
    run("transition", pk, "--to", "signed", "--as", "reviewer", "--acknowledge")
    status = json.loads(run("evaluation_status", pk, "--json"))
    assert status["version"] == 2
    assert [(f["format"], f["version"], f["superseded"]) for f in status["files"]] == [
        ("docx", 2, False), ("pdf", 2, False), ("xlsx", 2, False), ("docx", 1, True), ("pdf", 1, True), ("xlsx", 1, True)
    ]
    assert {f["format"]: (f["sha256"], f["path"]) for f in status["files"] if f["version"] == 1} == first
