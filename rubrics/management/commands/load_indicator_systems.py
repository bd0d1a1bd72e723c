from django.core.management.base import BaseCommand, CommandError

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from rubrics.services import install_builtin_systems


class Command(BaseCommand):
    help = "把内置指标体系模板（rubrics/systems/*.json）载入评价机构的模板库（已有的模板保持不变）。"

    def add_arguments(self, parser):
        parser.add_argument("--firm", help="评价机构名称（默认：所有评价机构）")

    def handle(self, *args, **options):
        firms = Organization.objects.filter(kind=OrganizationKind.FIRM)
        if options["firm"]:
            firms = firms.filter(name=options["firm"])
            if not firms.exists():
                raise CommandError(f"评价机构“{options['firm']}”不存在")
        for firm in firms:
            systems = install_builtin_systems(firm)
            self.stdout.write(f"{firm.name}：{'、'.join(system.name for system in systems)}")
