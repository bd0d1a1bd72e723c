import json

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Evaluation
from rubrics.queries import evaluation_result
from rubrics.summary import summary_dict


class Command(BaseCommand):
    help = "打印评价项目的一级指标得分表、总分和等级；--json 输出一个JSON对象。"

    def add_arguments(self, parser):
        parser.add_argument("evaluation_id", type=int)
        parser.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, evaluation_id, **options):
        evaluation = Evaluation.objects.select_related("department_facts").filter(pk=evaluation_id).first()
        if evaluation is None:
            raise CommandError(f"评价项目 {evaluation_id} 不存在")
        scored = evaluation_result(evaluation)
        if scored.result is None:
            raise CommandError(f"评价项目 {evaluation_id} 尚未设置指标体系")
        data = summary_dict(scored.result)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(evaluation.title)
        self.stdout.write(f"{'编码':<4}{'一级指标':<14}{'权重':>8}{'得分':>8}{'得分率':>10}")
        for row in data["first_level"]:
            rate = f"{row['rate']}%" if row["rate"] else "—"
            self.stdout.write(f"{row['code']:<6}{row['name']:<12}{row['weight']:>10}{row['score']:>10}{rate:>10}")
        self.stdout.write(f"{scored.result.total_label} {data['total']}  等级 {scored.result.grade_text}")
        if scored.result.unscored:
            self.stdout.write(f"未评分指标：{'、'.join(scored.result.unscored)}")
        for error in scored.result.errors:
            self.stdout.write(f"问题：{error}")
