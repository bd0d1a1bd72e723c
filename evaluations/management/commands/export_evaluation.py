from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.backup import ArchiveError, export_evaluation
from evaluations.models import Evaluation


class Command(BaseCommand):
    help = (
        "把一个评价项目写成一个完整的存档（ZIP）：全部数据（JSON）、佐证材料和签发的报告文件，"
        "以及每个文件的SHA-256清单；可用 import_evaluation 恢复到另一个数据库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("evaluation_id", type=int)
        parser.add_argument("--output", required=True, help="存档文件路径（.zip）")

    def handle(self, *args, evaluation_id, output, **options):
        evaluation = Evaluation.objects.filter(pk=evaluation_id).first()
        if evaluation is None:
            raise CommandError(f"评价项目 {evaluation_id} 不存在")
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"{output} 是一个目录，请给出存档文件的路径（如 {path / '评价项目.zip'}）")
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在：{path.parent}")
        try:
            data, counts = export_evaluation(evaluation)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        path.write_bytes(data)
        self.stdout.write(f"已导出：{evaluation.title}（评价项目 #{evaluation.pk}）")
        for label, count in counts.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(str(path))
