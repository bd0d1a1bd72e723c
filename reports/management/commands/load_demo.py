from django.core.management.base import BaseCommand

from reports.demo import demo_logins, load_demo


class Command(BaseCommand):
    help = "载入演示数据：两个评价机构、各角色用户，以及延津2022、沙湾2024两个评价项目（可重复执行；已提交审核或签发的项目保持不变）。"

    def handle(self, *args, **options):
        result = load_demo()
        for name, evaluation in result.evaluations.items():
            kept = f"（{evaluation.get_status_display()}，保持不变）" if name in result.kept else ""
            self.stdout.write(f"评价项目 #{evaluation.pk}：{evaluation.title}{kept}")
        self.stdout.write("演示账号（用户名 密码 角色）：")
        for line in demo_logins():
            self.stdout.write(line)
