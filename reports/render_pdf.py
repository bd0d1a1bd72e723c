"""The report as PDF: the HTML of ``render_html`` printed by WeasyPrint.

WeasyPrint gets a base URL that resolves nowhere (``.invalid``) and a URL
fetcher that serves only our own static files (the report's stylesheet),
``data:`` URIs (the charts) and the system's font files that the stylesheet's
``local()`` fonts resolve to; any other URL, another ``file:`` path or the
network, is refused. Fonts come from the system (Noto CJK and Liberation Serif
through fontconfig).
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

from reports.document_model import Document
from reports.render_html import page_runs, render_html

BASE_URL = "https://evalsite.invalid/"
#: Where fontconfig keeps the system's fonts (WeasyPrint reads a ``local()`` font through a ``file:`` URL).
FONT_DIRECTORIES = ("/usr/share/fonts/", "/usr/local/share/fonts/")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


class RefusedURL(ValueError):
    """The report asked for something outside our static files."""


def static_prefix() -> str:
    return BASE_URL + settings.STATIC_URL.lstrip("/")


def static_bytes(url: str) -> tuple[bytes, str]:
    """The content and MIME type of one of our static files named by its URL under :data:`BASE_URL`."""
    prefix = static_prefix()
    if not url.startswith(prefix):
        raise RefusedURL(f"报告只能读取本系统的静态文件：{url}")
    name = posixpath.normpath(url[len(prefix) :].split("?")[0].split("#")[0])
    if name.startswith(("..", "/")) or name == ".":
        raise RefusedURL(f"报告只能读取本系统的静态文件：{url}")
    path = finders.find(name)
    if path is None and staticfiles_storage.exists(name):
        path = staticfiles_storage.path(name)
    if path is None:
        raise RefusedURL(f"静态文件不存在：{name}")
    with open(path, "rb") as handle:
        content = handle.read()
    return content, mimetypes.guess_type(name)[0] or "application/octet-stream"


def font_path(url: str) -> str | None:
    """The path of a system font file named by a ``file:`` URL, or None for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = os.path.realpath(unquote(parts.path))
    if path.startswith(FONT_DIRECTORIES) and path.lower().endswith(FONT_SUFFIXES) and os.path.isfile(path):
        return path
    return None


def url_fetcher():
    """A WeasyPrint fetcher for our static files, ``data:`` URIs and system font files only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            font = font_path(url)
            if font is not None:
                with open(font, "rb") as handle:
                    return URLFetcherResponse(url, handle.read(), {"Content-Type": "font/ttf"})
            content, mime_type = static_bytes(url)
            return URLFetcherResponse(url, content, {"Content-Type": mime_type})

    return StaticFilesFetcher()


#: The archival variant of the files stored at sign-off: PDF/A-3b (fonts embedded, XMP metadata, sRGB output intent).
ARCHIVAL_VARIANT = "pdf/a-3b"


def html_to_pdf(html: str, *, variant: str | None = None) -> bytes:
    """WeasyPrint on one HTML page, with our base URL and fetcher (the benchmark times this alone).

    ``variant`` is WeasyPrint's ``pdf_variant`` (:data:`ARCHIVAL_VARIANT` for the signed report).
    """
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf(pdf_variant=variant)


def render_pdf(document: Document, *, archival: bool = False) -> bytes:
    """The report's PDF; a long one printed in parts (:mod:`reports.pdf_parts`), so its memory stays bounded."""
    from reports import pdf_parts

    variant = ARCHIVAL_VARIANT if archival else None
    runs = page_runs(document)  # laid out once (tables measured), for the count and the printing
    if pdf_parts.count_items(runs) > pdf_parts.part_items():
        return pdf_parts.render_in_parts(document, variant=variant, runs=runs)
    return html_to_pdf(render_html(document, runs=runs), variant=variant)
