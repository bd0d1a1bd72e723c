"""``python manage.py review_report FILE --bureau NAME [--json]``: 复核 a report file into a new record."""

import json
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audits import services
from audits.checks.base import Finding
from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization, User

TITLE = re.compile(r"^(\d{4})\s*年度?\s*(.+?)(?:部门整体支出|部门整体|整体支出|$)")


class Command(BaseCommand):
    help = "复核一份报告文件（.docx、附件1 .xlsx 或 .pdf），建立复核记录，输出发现的问题；最后一行为复核记录ID。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="报告文件（可同时给出Word报告和附件1工作簿）")
        parser.add_argument("--bureau", required=True, help="财政局名称（复核记录属于该局）")
        parser.add_argument("--firm", default="", help="评价机构名称（默认取报告封面的评价单位）")
        parser.add_argument("--department", default="", help="被评价部门（默认取报告标题）")
        parser.add_argument("--year", type=int, help="评价年度（默认取报告标题）")
        parser.add_argument("--user", default="", help="记为建立人的用户名（默认该局的第一个用户）")
        parser.add_argument("--json", action="store_true", help="以JSON输出问题列表")

    def handle(self, *args, **options):
        bureau = Organization.objects.filter(name=options["bureau"], kind=OrganizationKind.BUREAU).first()
        if bureau is None:
            raise CommandError(f"没有名为“{options['bureau']}”的财政局。")
        user = self.user(bureau, options["user"])
        uploads = []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"文件不存在：{name}")
            uploads.append(services.Upload(path.name, path.read_bytes()))
        firm, department, year = self.identity(uploads, options)
        try:
            review = services.create_review(bureau, user, firm_name=firm, department_name=department, year=year,
                                            uploads=uploads)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        findings = services.stored_findings(services.latest_version(review))
        if options["json"]:
            self.stdout.write(json.dumps([finding.as_dict() for finding in findings], ensure_ascii=False, indent=2))
        else:
            for line in self.lines(findings, services.latest_version(review)):
                self.stdout.write(line)
        self.stdout.write(str(review.pk))

    @staticmethod
    def user(bureau, username: str) -> User:
        users = User.objects.filter(organization=bureau, is_active=True)
        user = users.filter(username=username).first() if username else users.order_by("pk").first()
        if user is None:
            raise CommandError(f"{bureau.name}没有{'名为“' + username + '”的' if username else ''}用户，无法记录建立人。")
        return user

    @staticmethod
    def identity(uploads, options) -> tuple[str, str, int]:
        """Firm, department and year: from the options, else from the report's cover, 基本信息表 and title."""
        from audits.facts.report import read_facts
        from audits.read import read_files

        firm, department, year = options["firm"], options["department"], options["year"]
        if not (firm and department and year):
            try:
                facts = read_facts(read_files([(upload.name, upload.data) for upload in uploads]))
            except ValueError as error:
                raise CommandError(str(error)) from None
            lines = [re.sub(r"\s+", "", p.text) for p in facts.paragraphs[:40]]
            lines += [re.sub(r"\s+", "", "：".join(dict.fromkeys(t for t in row if t)))
                      for grid in facts.text_grids[:2] for row in grid.rows]
            fields = dict(
                line.split("：", 1) for line in lines if "：" in line and len(line.split("：", 1)[0]) <= 12
            )
            firm = firm or fields.get("评价单位") or fields.get("评价机构全称（盖章）") or fields.get("评价机构", "")
            department = department or fields.get("项目单位") or fields.get("被评价单位", "")
            for line in lines:
                match = TITLE.search(line)
                if match:
                    year = year or int(match.group(1))
                    department = department or match.group(2)
                    break
        if not (department and year):
            raise CommandError("无法从报告读出被评价部门和年度，请用 --department 和 --year 给出。")
        return (firm or "（未注明）").split("：")[0], department.split("：")[0], year

    @staticmethod
    def lines(findings: list[Finding], version) -> list[str]:
        lines = [f"须更正{version.errors}项，需说明{version.warnings}项；报告质量得分{version.quality_score}。"]
        for number, finding in enumerate(findings, start=1):
            lines.append(f"{number}. [{finding.severity_label}] {finding.place}")
            lines.append(f"   {finding.message}（应为：{finding.expected}；报告中为：{finding.found}）")
        return lines
