"""Convert a DOCX to PDF with headless LibreOffice, as it is: no macro, no index refresh.

``soffice --convert-to pdf`` opens the file as a reader would and prints it.
The contents' page numbers are PAGEREF fields, which LibreOffice computes when
it lays the document out; nothing needs updating.

:func:`as_word_breaks_lines` prepares a copy for comparing LibreOffice's pages
with the page estimate, which follows Word: LibreOffice 7.4 reads
``w:overflowPunct`` the wrong way round (``ParaIsHangingPunctuation`` is set to
``overflowPunct == 0`` in writerfilter's DomainMapper), so a Word file that
lets a full stop hang in the margin (Word's default) stops it from hanging in
LibreOffice. The copy states the opposite value, so LibreOffice hangs
punctuation as Word does.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest


def soffice() -> str:
    """The LibreOffice binary; skip when absent unless the test run requires it (scripts/test.sh)."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("WITH_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice is required (WITH_LIBREOFFICE=1) but soffice is not installed")
        pytest.skip("LibreOffice (libreoffice-writer-nogui) is not installed; scripts/test.sh installs it")
    return path


def convert(docx: bytes, directory: Path, name: str = "report") -> bytes:
    """The PDF LibreOffice prints from ``docx`` (a throwaway user profile, the ordinary ``--convert-to pdf``)."""
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / f"{name}.docx"
    source.write_bytes(docx)
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation={(directory / 'profile').resolve().as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(directory), str(source)],
        capture_output=True, timeout=240,
    )
    target = directory / f"{name}.pdf"
    assert result.returncode == 0 and target.exists(), result.stderr.decode()
    return target.read_bytes()


def as_word_breaks_lines(docx: bytes) -> bytes:
    """A copy whose ``w:overflowPunct`` LibreOffice reads as Word reads the original (see the module doc)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                assert data.count(b"<w:overflowPunct/>") == 1, "the document defaults state overflowPunct once"
                data = data.replace(b"<w:overflowPunct/>", b'<w:overflowPunct w:val="0"/>')
            target.writestr(item, data)
    return buffer.getvalue()
