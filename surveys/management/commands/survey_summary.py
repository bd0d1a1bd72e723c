import json

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Questionnaire
from surveys.queries import result_of, with_questions
from surveys.results import summary_dict


class Command(BaseCommand):
    help = "打印问卷的发放/回收/有效份数、每题各选项份数与占比、每题满意度和综合满意度；--json 输出一个JSON对象。"

    def add_arguments(self, parser):
        parser.add_argument("questionnaire_id", type=int)
        parser.add_argument("--json", action="store_true", help="输出JSON")

    def handle(self, *args, questionnaire_id, **options):
        questionnaire = with_questions(Questionnaire.objects.filter(pk=questionnaire_id)).first()
        if questionnaire is None:
            raise CommandError(f"问卷 {questionnaire_id} 不存在")
        result = result_of(questionnaire)
        if options["json"]:
            self.stdout.write(json.dumps(summary_dict(result), ensure_ascii=False))
            return
        self.stdout.write(f"{result.title}（{result.group}）")
        self.stdout.write(
            f"发放{result.issued}份 回收{result.returned}份 有效{result.valid}份 有效回收率{result.recovery_rate_text}"
        )
        for question in result.questions:
            flag = f"满意度 {question.satisfaction_text}" if question.counted else "不计入满意度"
            self.stdout.write(f"{question.heading}  [{flag}]")
            for option in question.options:
                self.stdout.write(f"    {option.heading:<16}{option.count:>6}{option.share_text:>10}")
            self.stdout.write(f"    {'合计':<16}{question.total:>6}{question.total_share_text:>10}")
        self.stdout.write(f"综合满意度 {result.composite_text}")
        self.stdout.write(result.method_text)
        for note in result.notes:
            self.stdout.write(f"提示：{note}")
