from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Evaluation
from evaluations.permissions import team_prefetch
from reports.archive import StoredFileChanged, stored_file, verified_content
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
            Evaluation.objects.select_related("department_facts", "bureau", "firm")
            .prefetch_related(team_prefetch())
            .filter(pk=options["evaluation_id"])
            .first()
        )
        if evaluation is None:
            raise CommandError(f"评价项目 #{options['evaluation_id']} 不存在。")
        if evaluation.is_signed:
            content, filename, mark = self.stored(evaluation, options["format"])
        else:
            exporter = EXPORTERS[options["format"]]
            content, filename, mark = exporter.render(evaluation), exporter.filename(evaluation), "（草稿）"
        output = Path(options["output"]) if options["output"] else Path(filename)
        if output.is_dir():
            output = output / filename
        if not output.parent.is_dir():
            raise CommandError(f"目录不存在：{output.parent}")
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"无法写出 {output}：{error.strerror}") from None
        self.stdout.write(f"已写出{mark}：{output}（{len(content):,} 字节）")

    def stored(self, evaluation, fmt):
        """A signed report is never rendered again: the file stored at sign-off, checked against its SHA-256."""
        report_file = stored_file(evaluation, fmt)
        if report_file is None:
            raise CommandError(f"评价项目 #{evaluation.pk} 已签发，签发时没有保存 {fmt} 格式的文件。")
        try:
            content = verified_content(report_file)
        except StoredFileChanged as error:
            raise CommandError(str(error)) from None
        return content, report_file.filename, f"（第{report_file.version}版签发文件，SHA-256 {report_file.sha256}）"
