"""Office files (XLSX, DOCX) with the same bytes for the same content.

openpyxl stamps the save time into docProps/core.xml and zipfile stamps every member with
the clock; python-docx does the same for the members. A report for a past date must come
out byte for byte the same however late it is rebuilt, so the package is written again
with one fixed moment (the report's as-of date) in both places.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

_CORE = "docProps/core.xml"
_STAMP = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def pin_package(data: bytes, *, on: date) -> bytes:
    """The same package with every timestamp set to the start of `on` (UTC)."""
    stamp = f"{on:%Y-%m-%d}T00:00:00Z".encode("ascii")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == _CORE:
                body = _STAMP.sub(lambda m: m[1] + stamp + m[3], body)
            info = zipfile.ZipInfo(item.filename, date_time=(on.year, on.month, on.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            dst.writestr(info, body)
    return out.getvalue()
