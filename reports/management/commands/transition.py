from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from reports.workflow import TransitionRefused, step_to, take_step


class Command(BaseCommand):
    help = (
        "以某个用户的身份推进评价项目一步（与页面上的按钮相同的规则和检查）："
        "--to review 提交审核或复核通过，--to signed 签发，--to scoring 退回修改或重新打开。"
        "被规则或须修改的检查拒绝时列出原因并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("evaluation_id", type=int)
        parser.add_argument("--to", required=True, dest="target", help="目标状态：" + "、".join(EvaluationStatus.values))
        parser.add_argument("--as", required=True, dest="username", help="以该用户的身份操作")
        parser.add_argument("--comment", default="", help="意见或理由（退回修改、重新打开时必填）")
        parser.add_argument("--acknowledge", action="store_true", help="确认检查中“需确认”的提示")

    def handle(self, *args, evaluation_id, target, username, comment, acknowledge, **options):
        evaluation = Evaluation.objects.filter(pk=evaluation_id).first()
        if evaluation is None:
            raise CommandError(f"评价项目 {evaluation_id} 不存在")
        if target not in EvaluationStatus.values:
            raise CommandError(f"不认识的状态“{target}”：可用 {'、'.join(EvaluationStatus.values)}")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在")
        step = step_to(evaluation.status, target)
        if step is None:
            raise CommandError(
                f"评价项目 {evaluation_id} 当前为“{evaluation.get_status_display()}”，"
                f"不能转为“{EvaluationStatus(target).label}”。"
            )
        try:
            event = take_step(evaluation, step, user, comment=comment, acknowledge=acknowledge)
        except TransitionRefused as refused:
            for finding in refused.findings:
                where = f"  → {finding.url}" if finding.url else ""
                self.stdout.write(f"[{finding.label}] {finding.message}{where}")
            if refused.needs_acknowledgement:
                raise CommandError(f"有{len(refused.warnings)}条提示需要确认：确认后加 --acknowledge 再执行。") from None
            raise CommandError(refused.summary) from None
        self.stdout.write(
            f"已{step.label}：{EvaluationStatus(event.from_status).label} → {EvaluationStatus(event.to_status).label}"
            f"（第{event.version}版，{user.display_name}）"
        )
