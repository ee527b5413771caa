"""Wards of a city (DESIGN §11): names as staff type them, and ward-qualified theme codes.

A ward is named by its plan (`若松区`); staff may type it without 区, in full-width, or
with spaces (`若松`, `若松 区`). A city-wide team (全市) belongs to no single ward.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bot.domain.themes import normalize_theme_code

CITY_WIDE = "全市"
WARD_NAME_MAX = 20  # 北九州市八幡東区 is 8; `Northside Ward` 14
_CITY_WORDS = frozenset({"全市", "city"})  # `ward:city` in English mode
_QUALIFIERS = ("/", "／")


def ward_key(name: str) -> str:
    """What two spellings of one ward share: NFKC, no spaces, no trailing 区."""
    key = "".join(unicodedata.normalize("NFKC", name).split())
    return key.removesuffix("区") if key != "区" else key


def match_ward(text: str, wards: Iterable[str]) -> str | None:
    """The ward among `wards` that `text` names (or CITY_WIDE), else None."""
    key = ward_key(text)
    if key.casefold() in _CITY_WORDS:
        return CITY_WIDE
    for ward in wards:
        if ward_key(ward) == key:
            return ward
    return None


def ward_name_problem(name: str) -> str | None:
    """Why a plan's ward cannot be named so (a catalogue key), or None: one line, short,
    without `/` (it would split `八幡東区/A(1)`), not the city-wide word."""
    if len(name) > WARD_NAME_MAX:
        return "plan.ward_long"
    line_breaks_or_controls = ("Cc", "Cs", "Zl", "Zp")
    if any(unicodedata.category(ch) in line_breaks_or_controls for ch in name) or any(
        q in name for q in _QUALIFIERS
    ):
        return "plan.ward_bad"
    if match_ward(name, ()) == CITY_WIDE:
        return "plan.ward_city"
    return None


def split_theme_ref(text: str) -> tuple[str | None, str]:
    """`八幡東区/A(1)` → (`八幡東区`, `A(1)`); `A(1)` → (None, `A(1)`)."""
    for mark in _QUALIFIERS:
        ward, sep, code = text.partition(mark)
        if sep and ward.strip() and code.strip():
            return ward.strip(), code.strip()
    return None, text


def theme_ref(ward: str, code: str) -> str:
    """How a theme of another ward is written: `八幡東区/A(1)`."""
    return f"{ward}/{code}"


def is_theme_ref(text: str) -> bool:
    """Whether `text` names a theme: `A(2)`, or another ward's `八幡東区/A(2)`."""
    return normalize_theme_code(split_theme_ref(text)[1]) is not None
