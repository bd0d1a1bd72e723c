from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Evaluation
from evaluations.permissions import team_prefetch
from reports.enums import ReportFormat
from reports.exports import EXPORTERS


class Command(BaseCommand):
    help = "把一个评价项目的绩效评价报告（或自评表）输出为 DOCX、PDF 或 XLSX 文件。"

    def add_arguments(self, parser):
        parser.add_argument("evaluation_id", type=int, help="评价项目编号")
        parser.add_argument(
            "--format", required=True, choices=ReportFormat.values,
            help="docx / pdf / xlsx（附件1与预算表）/ selfeval-xlsx / selfeval-docx（自评表）",
        )
        parser.add_argument("--output", help="输出文件路径；省略时用下载文件名写在当前目录；是目录时写在该目录下")

    def handle(self, *args, **options):
        evaluation = (
            Evaluation.objects.select_related("department", "bureau", "firm")
            .prefetch_related(team_prefetch())
            .filter(pk=options["evaluation_id"])
            .first()
        )
        if evaluation is None:
            raise CommandError(f"评价项目 #{options['evaluation_id']} 不存在。")
        exporter = EXPORTERS[options["format"]]
        content = exporter.render(evaluation)
        filename = exporter.filename(evaluation)
        output = Path(options["output"]) if options["output"] else Path(filename)
        if output.is_dir():
            output = output / filename
        output.write_bytes(content)
        mark = "（草稿）" if not evaluation.is_locked else ""
        self.stdout.write(f"已写出{mark}：{output}（{len(content):,} 字节）")
