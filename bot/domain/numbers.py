"""Numbers as staff type them: `40`, `40%`, `４０．５％`, `1,234`."""

from __future__ import annotations

import math
import re
import unicodedata

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(text: str) -> float | None:
    """A finite float, or None when the text is not a number."""
    norm = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("−", "-")
    norm = norm.removesuffix("%").removesuffix("件").removesuffix("人").strip()
    if not _NUMBER.match(norm):
        return None
    value = float(norm)
    return value if math.isfinite(value) else None


def format_number(value: float | None) -> str:
    """`40` rather than `40.0`; `—` for none."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
