import json

from django.core.management.base import BaseCommand, CommandError

from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from reports.enums import Step
from reports.workflow import status_dict


class Command(BaseCommand):
    help = "打印评价项目的状态、版本、审核记录和签发时保存的文件；--json 输出一个JSON对象。"

    def add_arguments(self, parser):
        parser.add_argument("evaluation_id", type=int)
        parser.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, evaluation_id, **options):
        evaluation = Evaluation.objects.select_related("department", "firm").filter(pk=evaluation_id).first()
        if evaluation is None:
            raise CommandError(f"评价项目 {evaluation_id} 不存在")
        data = status_dict(evaluation)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        level = f"，第{data['review_level']}级复核" if data["review_level"] else ""
        self.stdout.write(evaluation.title)
        self.stdout.write(f"状态：{EvaluationStatus(data['state']).label}（{data['state']}{level}），第{data['version']}版")
        self.stdout.write("审核记录：" if data["events"] else "审核记录：无")
        for event in data["events"]:
            line = (
                f"  {event['at']}  {Step(event['step']).label}  {event['from']} → {event['to']}"
                f"  第{event['version']}版  {event['by_name']}（{event['by']}）"
            )
            if event["comment"]:
                line += f"  意见：{event['comment']}"
            if event["acknowledged"]:
                line += f"  确认提示{len(event['acknowledged'])}条"
            self.stdout.write(line)
        self.stdout.write("签发文件：" if data["files"] else "签发文件：无")
        for stored in data["files"]:
            self.stdout.write(f"  {stored['format']}  第{stored['version']}版  SHA-256 {stored['sha256']}  {stored['path']}")
