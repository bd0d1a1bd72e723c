"""Every file a user can download: an exporter names it, renders it and gives its type; one response builds it.

pretalx's ``BaseExporter``: an exporter has an ``identifier``, an
``extension``, a file name for its subject and :meth:`Exporter.render` for the
bytes. Each layer declares the exporters of the files it renders
(``evaluations.exports``: the budget workbook; ``surveys.exports``: the
respondent sheet; ``reports.exports``: the report, the 自评表, 附件1 and
附件2) and ``reports.exports.EXPORTERS``, at the top of the layers, registers
them all. Every download view answers with :func:`download`, so file names,
content types and the ``Content-Disposition`` header are built in one place.
The registry lives down here so that a lower layer never imports ``reports``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Exporter:
    """One kind of downloadable file; subclasses set ``identifier`` and ``extension`` and define ``name`` and ``render``."""

    identifier: ClassVar[str]
    extension: ClassVar[str]

    def name(self, subject: Any) -> str:
        """The file name without its extension (``2022年度…绩效评价报告``)."""
        raise NotImplementedError

    def render(self, subject: Any) -> bytes:
        raise NotImplementedError

    def filename(self, subject: Any) -> str:
        return f"{self.name(subject)}.{self.extension}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


class EvaluationFile(Exporter):
    """A file of one evaluation named ``<year><department><what>`` (``2022延津县政务服务和大数据管理局预算数据``)."""

    what: ClassVar[str]

    def name(self, evaluation: Any) -> str:
        return f"{evaluation.year}{evaluation.department_name}{self.what}"


class Registry:
    """Exporters by identifier; an identifier is used once."""

    def __init__(self, *exporters: Exporter) -> None:
        self._exporters: dict[str, Exporter] = {}
        for exporter in exporters:
            if exporter.identifier in self._exporters:
                raise ValueError(f"exporter {exporter.identifier!r} registered twice")
            self._exporters[exporter.identifier] = exporter

    def __getitem__(self, identifier: str) -> Exporter:
        return self._exporters[identifier]

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._exporters

    def __iter__(self) -> Iterator[Exporter]:
        return iter(self._exporters.values())


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """``content`` as a download named ``filename`` (also the files stored at sign-off, ``reports.archive``)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def download(exporter: Exporter, subject: Any) -> HttpResponse:
    """The rendered file as an attachment named by its exporter."""
    return attachment(exporter.render(subject), exporter.filename(subject), exporter.content_type)
