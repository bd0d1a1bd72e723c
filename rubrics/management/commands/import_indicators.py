from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from evalsite.accounts.services import add_client
from evalsite.lib.text_limits import too_long
from evaluations import services as evaluation_services
from evaluations.models import Department
from rubrics import services
from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook
from rubrics.limits import SYSTEM_SOURCE

DEFAULT_BUREAU = "委托单位（待补充）"


class Command(BaseCommand):
    help = (
        "从XLSX导入指标体系：新建部门（如需要）和评价项目，最后一行打印新项目的ID；"
        "--with-scores 同时导入得分和评分过程；--template NAME 则保存为模板库中的模板。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--department", help="被评价部门名称")
        parser.add_argument("--year", type=int, help="评价年度")
        parser.add_argument("--with-scores", action="store_true", help="同时导入得分与评分过程")
        parser.add_argument("--template", help="保存为模板（模板名称），不新建评价项目")
        parser.add_argument("--firm", help="评价机构名称（默认：系统中第一个评价机构）")
        parser.add_argument("--bureau", default=DEFAULT_BUREAU, help="委托单位（财政局）名称")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        firm = self.firm(options["firm"])
        try:
            imported = read_indicator_workbook(path.read_bytes(), with_scores=options["with_scores"])
        except IndicatorImportError as error:
            raise CommandError("导入失败，未保存任何数据：\n" + "\n".join(error.messages)) from None
        for warning in imported.warnings:
            self.stderr.write(f"提示：{warning}")
        if options["template"]:
            name = options["template"]
            try:
                system = services.save_system(
                    firm, slug=services.slug_for(name, firm), name=name, tree=imported.system["indicators"],
                    source=f"导入自 {path.name}"[:SYSTEM_SOURCE],
                )
            except ValidationError as error:
                raise CommandError("导入失败，未保存任何数据：\n" + "\n".join(error.messages)) from None
            self.stdout.write(f"已保存模板“{system.name}”")
            self.stdout.write(str(system.pk))
            return
        if not options["department"] or not options["year"]:
            raise CommandError("请用 --department 和 --year 指定被评价部门和评价年度（或用 --template 保存为模板）")
        try:
            evaluation = self.create(firm, options, imported)
        except ValidationError as error:
            raise CommandError("导入失败，未保存任何数据：\n" + "\n".join(error.messages)) from None
        self.stdout.write(f"已创建评价项目：{evaluation.title}")
        self.stdout.write(str(evaluation.pk))

    @transaction.atomic
    def create(self, firm, options, imported):
        name = options["department"].strip()
        if problem := too_long(name, Department._meta.get_field("name").max_length):
            raise ValidationError(f"部门名称{problem}")
        department, _ = Department.objects.get_or_create(firm=firm, name=name)
        bureau = add_client(firm, options["bureau"])  # the operator's command makes it one of the firm's clients
        evaluation = evaluation_services.create_evaluation(
            firm=firm, department=department, creator=None, bureau=bureau, year=options["year"]
        )
        judgments = imported.judgments if options["with_scores"] else None
        services.import_into_evaluation(evaluation, imported.system, judgments)
        return evaluation

    def firm(self, name):
        firms = Organization.objects.filter(kind=OrganizationKind.FIRM).order_by("pk")
        if name:
            firm = firms.filter(name=name).first()
            if firm is None:
                raise CommandError(f"评价机构“{name}”不存在")
            return firm
        firm = firms.first()
        if firm is None:
            raise CommandError("系统中还没有评价机构：请先载入演示数据或在管理后台创建，或用 --firm 指定")
        return firm
