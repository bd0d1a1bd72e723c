"""Change a part inside a zip file (an XLSX, a DOCX) the way no office program would: for tests of what readers refuse."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable


def rewrite_parts(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """A copy of the zip ``data`` whose every part is ``change(name, content)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info.filename)))
    return buffer.getvalue()
