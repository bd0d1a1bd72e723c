from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Evaluation
from surveys import services
from surveys.queries import questionnaire_queryset, spec_of
from surveys.survey_xlsx import read_responses
from surveys.tally import SurveyImportError


class Command(BaseCommand):
    help = (
        "导入问卷平台“按选项文本”导出的答卷（每行一份答卷、每列一道题）到评价项目中该调查对象的问卷；"
        "没有该问卷时由文件生成题目和选项。最后一行输出问卷ID。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX文件")
        parser.add_argument("--evaluation", type=int, required=True, help="评价项目ID")
        parser.add_argument("--group", required=True, help="调查对象，如：企业和办事群众")

    def handle(self, *args, file, evaluation, group, **options):
        target = Evaluation.objects.filter(pk=evaluation).first()
        if target is None:
            raise CommandError(f"评价项目 {evaluation} 不存在")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        group = group.strip()
        questionnaire = questionnaire_queryset(target).filter(group=group).first()
        try:
            tally = read_responses(path.read_bytes(), spec_of(questionnaire) if questionnaire else None)
        except SurveyImportError as error:
            raise CommandError("未导入任何数据：\n" + "\n".join(str(p) for p in error.problems)) from None
        for warning in tally.warnings:
            self.stderr.write(f"提示：{warning}")
        try:
            questionnaire = services.apply_tally(
                target, group, tally, source=f"导入：{path.name}（{tally.respondents}份答卷，命令行）"
            )
        except ValidationError as error:
            raise CommandError("未导入任何数据：" + "；".join(error.messages)) from None
        action = "新建问卷并导入" if tally.creates else "已导入"
        self.stdout.write(f"{action}{tally.respondents}份答卷：{questionnaire.group}（{len(tally.questions)}题）")
        self.stdout.write(str(questionnaire.pk))
