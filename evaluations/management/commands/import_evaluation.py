from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.backup import ArchiveError, restore_archive


class Command(BaseCommand):
    help = (
        "从 export_evaluation 写出的存档恢复一个评价项目（可以是另一个数据库，如 SQLite → PostgreSQL）；"
        "先核对清单中每个文件的SHA-256，被改动的存档不恢复。最后一行打印新项目的ID。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="存档文件（.zip）")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            restored = restore_archive(path.read_bytes())
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        evaluation = restored.evaluation
        self.stdout.write(f"已恢复：{evaluation.title}（{evaluation.get_status_display()}）")
        for label, count in restored.counts.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
        if restored.skipped_history:
            self.stdout.write(f"  未恢复已删除对象的历史记录 {restored.skipped_history} 条")
        if restored.created_users:
            self.stdout.write(f"  新建的用户（已停用，需由机构管理员启用并设置密码）：{'、'.join(restored.created_users)}")
        self.stdout.write(str(evaluation.pk))
