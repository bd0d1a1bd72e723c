"""Convert a DOCX to PDF with headless LibreOffice, refreshing its indexes (the TOC) first.

``soffice --convert-to pdf`` keeps a TOC field's cached text; Word refreshes
it on opening (the DOCX asks for ``updateFields``), LibreOffice only when told.
A throwaway user profile holds one Basic macro that loads the file hidden,
updates every index and field, and exports the PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub ToPdf(source As String, target As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, args())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  doc.getTextFields().refresh()
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(ConvertToURL(target), out())
  doc.close(True)
End Sub
</script:module>
"""


def soffice() -> str:
    """The LibreOffice binary; skip when absent unless the test run requires it (scripts/test.sh)."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("WITH_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice is required (WITH_LIBREOFFICE=1) but soffice is not installed")
        pytest.skip("LibreOffice (libreoffice-writer-nogui) is not installed; scripts/test.sh installs it")
    return path


def make_profile(directory: Path) -> str:
    binary = soffice()
    url = directory.resolve().as_uri()
    subprocess.run(
        [binary, f"-env:UserInstallation={url}", "--headless", "--terminate_after_init"],
        check=True, capture_output=True, timeout=120,
    )
    module = directory / "user" / "basic" / "Standard" / "Module1.xba"
    module.write_text(MACRO, encoding="utf-8")
    return url


def docx_to_pdf(docx: Path, pdf: Path, profile_url: str) -> subprocess.CompletedProcess:
    macro = f'macro:///Standard.Module1.ToPdf("{docx.resolve()}","{pdf.resolve()}")'
    return subprocess.run(
        [soffice(), f"-env:UserInstallation={profile_url}", "--headless", "--norestore", macro],
        capture_output=True, timeout=180,
    )


def plain_convert(docx: Path, outdir: Path) -> subprocess.CompletedProcess:
    """The ordinary ``--convert-to pdf`` (no index refresh): opening and converting must work as is."""
    return subprocess.run(
        [soffice(), f"-env:UserInstallation={(outdir / 'profile').resolve().as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
        capture_output=True, timeout=180,
    )
