from django.core.management.base import BaseCommand

from reports.demo import demo_logins, load_demo


class Command(BaseCommand):
    help = "载入演示数据：两个评价机构、各角色用户，以及延津2022、沙湾2024两个评价项目（可重复执行）。"

    def handle(self, *args, **options):
        evaluations = load_demo()
        for evaluation in evaluations.values():
            self.stdout.write(f"评价项目 #{evaluation.pk}：{evaluation.title}")
        self.stdout.write("演示账号（用户名 密码 角色）：")
        for line in demo_logins():
            self.stdout.write(line)
