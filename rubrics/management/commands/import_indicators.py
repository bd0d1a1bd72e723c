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
from rubrics import selfeval_form, services
from rubrics.indicator_xlsx import IndicatorImportError, read_indicator_workbook
from rubrics.limits import SYSTEM_SOURCE

DEFAULT_BUREAU = "委托单位（待补充）"
NO_FIRM = (
    "系统中还没有评价机构：用 --firm 名称 --create-firm 新建（例如 --firm \"某某咨询有限公司\" --create-firm），"
    "或先载入演示数据（manage.py load_demo）"
)


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
        parser.add_argument(
            "--create-firm", action="store_true", help="--firm 指定的评价机构不存在时新建（新库上第一次导入时用）"
        )
        parser.add_argument("--bureau", default=DEFAULT_BUREAU, help="委托单位（财政局）名称；不存在时新建")
        parser.add_argument("--sheet", help="读取哪个工作表（默认：第一个含指标表的工作表）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            imported = read_indicator_workbook(
                path.read_bytes(), with_scores=options["with_scores"], sheet=options["sheet"]
            )
        except IndicatorImportError as error:
            raise CommandError("导入失败，未保存任何数据：\n" + "\n".join(error.messages)) from None
        if imported.form is not None and imported.form.kind == selfeval_form.PROJECT:
            raise CommandError("这是一张项目支出绩效自评表：请在评价项目的“项目自评表”页面导入。")
        others = [name for name in imported.understanding.sheets if name != imported.sheet]
        if others and not options["sheet"]:
            self.stderr.write(f"提示：读取了工作表“{imported.sheet}”；其他含指标表的工作表：{'、'.join(others)}（用 --sheet 选择）")
        for warning in imported.warnings:
            self.stderr.write(f"提示：{warning}")
        if not options["template"] and (not options["department"] or not options["year"]):
            raise CommandError("请用 --department 和 --year 指定被评价部门和评价年度（或用 --template 保存为模板）")
        try:
            with transaction.atomic():  # a firm created here is kept only with what is imported into it
                firm = self.firm(options["firm"], options["create_firm"])
                if options["template"]:
                    name = options["template"]
                    system = services.save_system(
                        firm, slug=services.slug_for(name, firm), name=name, tree=imported.system["indicators"],
                        source=f"导入自 {path.name}"[:SYSTEM_SOURCE],
                    )
                    self.stdout.write(f"已保存模板“{system.name}”")
                    self.stdout.write(str(system.pk))
                    return
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
        existed = Organization.objects.filter(name=options["bureau"].strip()).exists()
        bureau = add_client(firm, options["bureau"])  # the operator's command makes it one of the firm's clients
        if not existed:
            self.stdout.write(f"已新建委托单位“{bureau.name}”")
        evaluation = evaluation_services.create_evaluation(
            firm=firm, department=department, creator=None, bureau=bureau, year=options["year"]
        )
        judgments = imported.judgments if options["with_scores"] else None
        form = imported.form.to_json() if imported.form is not None else None
        services.import_into_evaluation(evaluation, imported.system, judgments, form=form)
        return evaluation

    def firm(self, name, create: bool):
        firms = Organization.objects.filter(kind=OrganizationKind.FIRM).order_by("pk")
        if create and not name:
            raise CommandError("--create-firm 需要同时用 --firm 写明评价机构名称")
        if name:
            name = name.strip()
            firm = firms.filter(name=name).first()
            if firm is not None:
                return firm
            if Organization.objects.filter(name=name).exists():
                raise CommandError(f"“{name}”已登记为委托单位，不能作为评价机构")
            if not create:
                raise CommandError(f"评价机构“{name}”不存在；如需新建，请加 --create-firm")
            firm = Organization.objects.create(name=name, kind=OrganizationKind.FIRM)
            self.stdout.write(f"已新建评价机构“{firm.name}”（内置指标体系模板已放入其模板库）")
            return firm
        firm = firms.first()
        if firm is None:
            raise CommandError(NO_FIRM)
        return firm
