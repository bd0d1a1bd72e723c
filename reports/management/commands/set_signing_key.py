import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from reports.archive import install_seal
from reports.signing import fingerprint, generate_self_signed, passphrase


class Command(BaseCommand):
    help = (
        "安装评价机构的电子签章证书和私钥（PEM），签发的PDF报告用它加盖电子签章；私钥用环境变量 "
        "SIGNING_KEY_PASSPHRASE 加密保存。--self-signed 则生成一对自签名证书（仅供演示和测试）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--firm", required=True, help="评价机构名称")
        parser.add_argument("--cert", help="证书文件（PEM）")
        parser.add_argument("--key", help="私钥文件（PEM，可加密）")
        parser.add_argument("--key-password-env", help="私钥文件已加密时，存放其密码的环境变量名")
        parser.add_argument("--self-signed", action="store_true", help="生成自签名证书和私钥")

    def handle(self, *args, **options):
        firm = Organization.objects.filter(name=options["firm"], kind=OrganizationKind.FIRM).first()
        if firm is None:
            raise CommandError(f"评价机构“{options['firm']}”不存在。")
        if options["self_signed"]:
            certificate, key = generate_self_signed(firm.name)  # the key comes encrypted with the passphrase
            key_password = passphrase()
        else:
            if not options["cert"] or not options["key"]:
                raise CommandError("请用 --cert 和 --key 指定证书和私钥文件，或用 --self-signed 生成。")
            certificate, key = pem_text(options["cert"], "证书"), pem_text(options["key"], "私钥")
            env = options["key_password_env"]
            if env and env not in os.environ:
                raise CommandError(f"环境变量 {env} 没有设置（应存放私钥文件的密码）。")
            key_password = os.environ[env].encode() if env else None
        try:
            install_seal(firm, certificate, key, key_password=key_password)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"已为{firm.name}安装电子签章证书，SHA-256 指纹：{fingerprint(certificate)}")


def pem_text(path: str, what: str) -> str:
    """A PEM file's text, or a CommandError saying why it cannot be read."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{what}文件不存在：{path}")
    try:
        return file.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise CommandError(f"{what}文件不是PEM格式的文本：{path}") from None
