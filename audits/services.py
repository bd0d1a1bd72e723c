"""Every write of the 复核: a new record from uploaded files, a resubmission, accepting the report.

Each runs in one transaction: the files are read and checked before anything is
saved, so a file that cannot be read leaves nothing behind (the error names it).
The uploaded files are stored as received, with their SHA-256; the 复核意见书
is rendered once and stored with the version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audits import checklist
from audits.checks import Outcome, check_facts
from audits.checks.base import Finding, Note, Settings
from audits.compare import Comparison, compare
from audits.enums import FileKind, ReviewStatus
from audits.facts.report import read_facts
from audits.models import Review, ReviewFile, ReviewSettings, ReviewVersion
from audits.opinion import OpinionData, render_opinion
from audits.outline import REFERENCE_OUTLINE, outline_from_data
from audits.read import UnreadableUpload, read_files
from evalsite.accounts.models import Organization
from reports.archive import sha256
from rubrics import scoring

MAX_UPLOAD = 50 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def settings_of(bureau: Organization) -> tuple[Settings, dict]:
    """The bureau's grade bands and outline for the checks, and its checklist points."""
    row = ReviewSettings.objects.filter(bureau=bureau).first()
    if row is None:
        return Settings(outline=REFERENCE_OUTLINE), {}
    bands = tuple(scoring.GradeBand(low, str(grade)) for low, grade in row.grade_bands) or scoring.DEFAULT_GRADE_BANDS
    outline = outline_from_data(row.outline) if row.outline else REFERENCE_OUTLINE
    return Settings(grade_bands=bands, outline=outline), row.points()


def check_uploads(uploads: list[Upload], settings: Settings):
    """The read report's facts and what the checks find; refuses a file that cannot be read (ValidationError)."""
    for upload in uploads:
        if len(upload.data) > MAX_UPLOAD:
            raise ValidationError(f"“{upload.name}”超过{MAX_UPLOAD // 1024 // 1024}MB，不能上传")
        if not upload.data:
            raise ValidationError(f"“{upload.name}”是空文件")
    try:
        report = read_files([(upload.name, upload.data) for upload in uploads])
    except UnreadableUpload as error:
        raise ValidationError(str(error)) from None
    return report, check_facts(read_facts(report), settings)


def status_of(outcome: Outcome) -> str:
    if outcome.errors:
        return ReviewStatus.TO_FIX
    return ReviewStatus.TO_EXPLAIN if outcome.warnings else ReviewStatus.CLEAN


def _store(version: ReviewVersion, kind: str, name: str, data: bytes) -> ReviewFile:
    record = ReviewFile(version=version, kind=kind, name=name, sha256=sha256(data), size=len(data))
    record.file.save(name, ContentFile(data), save=False)
    record.save()
    return record


def _add_version(review: Review, user, uploads: list[Upload], previous: ReviewVersion | None) -> ReviewVersion:
    settings, points = settings_of(review.bureau)
    report, outcome = check_uploads(uploads, settings)
    score, items = checklist.grade_quality(outcome.findings, points)
    comparison = compare(stored_findings(previous), outcome.findings) if previous is not None else None
    version = ReviewVersion.objects.create(
        review=review,
        number=1 if previous is None else previous.number + 1,
        created_by=user,
        findings=[finding.stored() for finding in outcome.findings],
        notes=[note.stored() for note in outcome.notes],
        reading_notes=list(report.notes),
        checklist=[item.stored() for item in items],
        quality_score=score,
        errors=len(outcome.errors),
        warnings=len(outcome.warnings),
        comparison=comparison.stored() if comparison is not None else {},
    )
    files = [_store(version, FileKind.REPORT, upload.name, upload.data) for upload in uploads]
    opinion = render_opinion(opinion_data(review, version, [(f.name, f.sha256) for f in files]))
    _store(version, FileKind.OPINION, opinion_filename(review, version), opinion)
    review.status = status_of(outcome)
    review.save(update_fields=["status"])
    return version


@transaction.atomic
def create_review(bureau: Organization, user, *, firm_name: str, department_name: str, year: int,
                  uploads: list[Upload]) -> Review:
    review = Review.objects.create(bureau=bureau, firm_name=firm_name.strip(), department_name=department_name.strip(),
                                   year=year, created_by=user)
    _add_version(review, user, uploads, None)
    return review


@transaction.atomic
def resubmit(review: Review, user, uploads: list[Upload]) -> ReviewVersion:
    """The firm's corrected report, checked and compared with the version before."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status == ReviewStatus.ACCEPTED:
        raise ValidationError("该报告已接受，不能再上传新版本。")
    return _add_version(review, user, uploads, latest_version(review))


@transaction.atomic
def accept(review: Review, user) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    version = latest_version(review)
    if version is not None and version.errors:
        raise ValidationError(f"第{version.number}版还有{version.errors}项须更正的问题，不能接受。")
    review.status = ReviewStatus.ACCEPTED
    review.accepted_by = user
    review.accepted_at = timezone.now()
    review.save(update_fields=["status", "accepted_by", "accepted_at"])
    return review


def latest_version(review: Review) -> ReviewVersion | None:
    return review.versions.order_by("-number").first()


def stored_findings(version: ReviewVersion | None) -> list[Finding]:
    return [] if version is None else [Finding.from_stored(item) for item in version.findings]


def opinion_filename(review: Review, version: ReviewVersion) -> str:
    return f"{review.year}年度{review.department_name}绩效评价报告复核意见书（第{version.number}版）.docx"


def opinion_data(review: Review, version: ReviewVersion, files: list[tuple[str, str]]) -> OpinionData:
    return OpinionData(
        bureau=review.bureau.name,
        firm=review.firm_name,
        department=review.department_name,
        year=review.year,
        version=version.number,
        files=tuple(files),
        findings=tuple(stored_findings(version)),
        notes=tuple(Note(**item) for item in version.notes),
        reading_notes=tuple(version.reading_notes),
        checklist=tuple(checklist.ItemResult.from_stored(item) for item in version.checklist),
        score=version.quality_score,
        comparison=Comparison.from_stored(version.comparison) if version.comparison else None,
        day=timezone.localdate(version.created_at) if version.created_at else timezone.localdate(),
    )


def save_settings(bureau: Organization, points: dict[str, str]) -> ReviewSettings:
    row, _ = ReviewSettings.objects.get_or_create(bureau=bureau)
    row.checklist_points = {key: str(value) for key, value in points.items()}
    row.save(update_fields=["checklist_points"])
    return row


