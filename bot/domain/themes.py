"""Theme codes as the plan writes them: `A(2)`, `A2`, `a2`, `Ａ（２）` are one theme."""

from __future__ import annotations

import re
import unicodedata

_CODE = re.compile(r"^([A-Za-z])\s*[\(]?\s*(\d{1,2})\s*[\)]?$")


def normalize_theme_code(text: str) -> str | None:
    """Canonical `A(2)` form, or None when the text is not a theme code."""
    norm = unicodedata.normalize("NFKC", text).strip()
    m = _CODE.match(norm)
    if not m:
        return None
    return f"{m.group(1).upper()}({int(m.group(2))})"


def area_of(code: str) -> str:
    """The area letter of a canonical code."""
    return code[0]
