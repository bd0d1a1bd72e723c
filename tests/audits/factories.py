"""A 复核 record with a version and its two files, made directly (for tests of who reaches what)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from audits.enums import FileKind
from audits.models import Review, ReviewFile, ReviewVersion


def stored_review(bureau, user) -> Review:
    review = Review.objects.create(bureau=bureau, firm_name="某评价机构", department_name="某部门", year=2022,
                                   created_by=user)
    version = ReviewVersion.objects.create(review=review, number=1, created_by=user, quality_score=100, errors=0,
                                           warnings=0)
    for kind, name in ((FileKind.REPORT, "报告.docx"), (FileKind.OPINION, "复核意见书.docx")):
        content = f"{name}".encode()
        record = ReviewFile(version=version, kind=kind, name=name, sha256=hashlib.sha256(content).hexdigest(),
                            size=len(content))
        record.file.save(name, ContentFile(content), save=False)
        record.save()
    return review
