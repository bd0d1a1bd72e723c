"""Sign-off freezes the report: its files rendered once, stored with their SHA-256, served only as stored.

The workflow's sign-off (``reports.workflow``) calls :func:`freeze` inside its
transaction, once the evaluation's state is 已签发. :func:`render_signed_files`
renders every file of the version from one read of the data (DOCX; PDF/A-3b
with the firm's PAdES seal; XLSX; the 自评表 where the indicator system has
one) and takes the facts the report was built from (``evaluations.facts``);
it is the one function a background worker will run to take rendering off the
request path. :func:`freeze` stores the files through Django's storage API and
writes the :class:`~reports.models.SignedVersion` and its
:class:`~reports.models.ReportFile` rows, which are never changed afterwards.

Every download of a signed report goes through :func:`verified_content`: the
stored bytes are hashed again and refused (:class:`StoredFileChanged`) if they
are not the bytes that were signed. A version is superseded (已被新版本替代)
once a later version of the same evaluation has been signed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from evalsite.accounts.enums import OrganizationKind
from evalsite.accounts.models import Organization
from evalsite.lib.numbers import format_amount
from evaluations.facts import snapshot
from evaluations.models import Department, Evaluation
from reports.enums import ReportFormat
from reports.exports import EXPORTERS, render_data
from reports.models import FirmSigningKey, ReportFile, SignedVersion
from reports.queries import ReportData, report_data
from reports.selfeval import execution_node
from reports.signing import SealError, check_key_pair, encrypt_private_key, load_private_key, seal_pdf

logger = logging.getLogger(__name__)

#: What every signed version stores; the 自评表 is added where the indicator system has one.
REPORT_FORMATS = (ReportFormat.DOCX, ReportFormat.PDF, ReportFormat.XLSX)
SELFEVAL_FORMATS = (ReportFormat.SELFEVAL_XLSX, ReportFormat.SELFEVAL_DOCX)
NO_SEAL = "{firm}尚未配置电子签章证书，不能签发：请运维人员用 manage.py set_signing_key 安装本机构的证书和私钥。"


class StoredFileChanged(Exception):
    """A stored file is missing or its bytes are not those signed; it is never served."""

    def __init__(self, report_file: ReportFile, reason: str) -> None:
        self.report_file = report_file
        super().__init__(
            f"第{report_file.version}版的{report_file.get_format_display()}文件{reason}，不能下载。"
            "此事已记入服务器日志，请联系评价机构。"
        )


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def signing_key_of(firm: Organization) -> FirmSigningKey:
    """The firm's seal, checked to open with the configured passphrase; refuses the sign-off if there is none."""
    key = FirmSigningKey.objects.filter(firm=firm).first()
    if key is None:
        raise SealError(NO_SEAL.format(firm=firm.name))
    check_key_pair(key.certificate, key.private_key)
    return key


def install_seal(firm: Organization, certificate_pem: str, private_key_pem: str, *, key_password: bytes | None = None):
    """Store the firm's certificate and key (re-encrypted with ``SIGNING_KEY_PASSPHRASE``), replacing any before."""
    from cryptography import x509

    if firm.kind != OrganizationKind.FIRM:
        raise ValidationError(f"“{firm.name}”不是评价机构。")
    try:
        x509.load_pem_x509_certificate(certificate_pem.encode("ascii"))
    except ValueError:
        raise SealError("证书不是PEM格式的X.509证书。") from None
    encrypted = encrypt_private_key(load_private_key(private_key_pem, password=key_password))
    check_key_pair(certificate_pem, encrypted)
    key, _ = FirmSigningKey.objects.update_or_create(
        firm=firm, defaults={"certificate": certificate_pem, "private_key": encrypted}
    )
    return key


def frozen_formats(data: ReportData) -> tuple[ReportFormat, ...]:
    """The report's formats, and the 自评表's where the indicator system has one (a first level bound to 预算执行率)."""
    return REPORT_FORMATS + (SELFEVAL_FORMATS if execution_node(data) is not None else ())


@dataclass(frozen=True)
class SignedFile:
    format: ReportFormat
    filename: str
    content: bytes


@dataclass(frozen=True)
class SignedFiles:
    files: tuple[SignedFile, ...]
    facts: dict


def frozen_facts(data: ReportData) -> dict:
    """``evaluations.facts.snapshot`` plus what the delivery desk shows of the result."""
    result = data.scored.result
    return {
        **snapshot(data.evaluation),
        "year": data.evaluation.year,
        "title": data.evaluation.title,
        "lead": data.lead_name,
        "total": None if result is None else format_amount(result.total),
        "grade": None if result is None else result.grade,
    }


def render_signed_files(evaluation: Evaluation, *, seal: FirmSigningKey) -> SignedFiles:
    """Every file of a signed version from one read of the data, the PDF as PDF/A with the firm's seal.

    ``evaluation`` must already be 已签发 (so no file carries the draft mark).
    The department, bureau and firm are read afresh from the records, which
    is what the report of this version is built from.
    """
    if not evaluation.is_signed:
        raise ValueError("render_signed_files() renders an evaluation whose state is already 已签发")
    evaluation.department = Department.objects.get(pk=evaluation.department_id)
    evaluation.bureau = Organization.objects.get(pk=evaluation.bureau_id)
    evaluation.firm = Organization.objects.get(pk=evaluation.firm_id)
    data = report_data(evaluation)
    files = []
    for fmt in frozen_formats(data):
        content = render_data(data, fmt, archival=True)
        if fmt == ReportFormat.PDF:
            content = seal_pdf(content, certificate_pem=seal.certificate, encrypted_key_pem=seal.private_key)
        files.append(SignedFile(fmt, EXPORTERS[fmt].filename(evaluation), content))
    return SignedFiles(tuple(files), frozen_facts(data))


def freeze(evaluation: Evaluation, *, version: int, signed_by, signed_at) -> list[ReportFile]:
    """Render and store the files and the frozen facts of ``version`` of the signed ``evaluation``.

    Called by the sign-off inside its transaction; raises (and so cancels the
    sign-off) when the firm has no usable seal or the version is stored already.
    Earlier versions become superseded by this one.
    """
    if SignedVersion.objects.filter(evaluation=evaluation, version=version).exists():
        raise ValidationError(f"第{version}版已经签发并保存，不能再次签发同一版本。")
    seal = signing_key_of(evaluation.firm)
    rendered = render_signed_files(evaluation, seal=seal)
    stored: list[ReportFile] = []
    try:
        with transaction.atomic():
            signed = SignedVersion.objects.create(
                evaluation=evaluation, version=version, signed_by=signed_by, signed_at=signed_at,
                facts=rendered.facts, certificate=seal.certificate,
            )
            for item in rendered.files:
                report_file = ReportFile(
                    signed_version=signed, format=item.format, filename=item.filename,
                    sha256=sha256(item.content), size=len(item.content),
                )
                name = f"{item.format}.{EXPORTERS[item.format].extension}"
                report_file.file.save(name, ContentFile(item.content), save=False)
                stored.append(report_file)
                report_file.save()
            Evaluation.objects.filter(pk=evaluation.pk).update(facts=rendered.facts)
    except BaseException:
        for report_file in stored:
            report_file.file.storage.delete(report_file.file.name)
        raise
    evaluation.facts = rendered.facts
    return stored


# ---------------------------------------------------------------------------
# Reading what was frozen


def _superseded():
    return Exists(
        SignedVersion.objects.filter(evaluation=OuterRef("evaluation"), version__gt=OuterRef("version"))
    )


def in_format_order(files) -> list[ReportFile]:
    """Files in the order of ``ReportFormat`` (report DOCX, PDF, XLSX, then the 自评表)."""
    order = {fmt: index for index, fmt in enumerate(ReportFormat.values)}
    return sorted(files, key=lambda f: order[f.format])


def signed_versions(evaluation: Evaluation) -> list[SignedVersion]:
    """Every signed version, newest first, with ``superseded`` and ``ordered_files``."""
    versions = list(
        SignedVersion.objects.filter(evaluation=evaluation)
        .annotate(superseded=_superseded())
        .select_related("signed_by")
        .prefetch_related("files")
        .order_by("-version")
    )
    for version in versions:
        version.ordered_files = in_format_order(version.files.all())
    return versions


def files_for(evaluation: Evaluation) -> QuerySet[ReportFile]:
    """All stored files of all versions, newest version first; each with ``superseded`` (format, version, sha256, path)."""
    return (
        ReportFile.objects.filter(signed_version__evaluation=evaluation)
        .annotate(
            superseded=Exists(
                SignedVersion.objects.filter(
                    evaluation=OuterRef("signed_version__evaluation"), version__gt=OuterRef("signed_version__version")
                )
            )
        )
        .select_related("signed_version__signed_by")
        .order_by("-signed_version__version", "pk")
    )


def latest_version(evaluation: Evaluation) -> SignedVersion | None:
    return SignedVersion.objects.filter(evaluation=evaluation).order_by("-version").first()


def current_files(evaluation: Evaluation) -> list[ReportFile]:
    """The files of the latest signed version (none when nothing was stored)."""
    version = latest_version(evaluation)
    return [] if version is None else in_format_order(version.files.all())


def stored_file(evaluation: Evaluation, fmt: str, version: int | None = None) -> ReportFile | None:
    """The stored ``fmt`` file of ``version`` (the latest signed version when None), or None."""
    files = files_for(evaluation).filter(format=fmt)
    if version is not None:
        files = files.filter(signed_version__version=version)
    return files.first()


def verified_content(report_file: ReportFile) -> bytes:
    """The stored bytes, if their SHA-256 and size are those recorded at sign-off; else :class:`StoredFileChanged`."""
    try:
        with report_file.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as error:
        logger.error("Signed file %s (id %s) cannot be read: %s", report_file.path, report_file.pk, error)
        raise StoredFileChanged(report_file, "已不在存储中") from None
    if len(content) != report_file.size or sha256(content) != report_file.sha256:
        logger.error(
            "Signed file %s (id %s) does not match its SHA-256 %s: refused", report_file.path, report_file.pk,
            report_file.sha256,
        )
        raise StoredFileChanged(report_file, "与签发时记录的SHA-256校验值不符，可能已被改动或损坏")
    return content
