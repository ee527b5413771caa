"""Rules of the harassment case log: places, kinds, what a valid case is, who may see it.

Pure: the form comes in as plain values (from a modal or a test), errors go
out as message keys per field, so Slack shows them under the right input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

# code -> (ja, en)
PLACES: dict[str, tuple[str, str]] = {
    "counter": ("窓口", "Counter"),
    "phone": ("電話", "Phone"),
    "mail": ("メール", "Mail"),
    "visit": ("訪問", "Visit"),
    "other": ("その他", "Other"),
}
KINDS: dict[str, tuple[str, str]] = {
    "abusive": ("暴言", "Abusive language"),
    "intimidation": ("威圧・大声", "Intimidation / shouting"),
    "detention": ("長時間拘束", "Long detention"),
    "repeated": ("繰り返しの要求", "Repeated demands"),
    "excessive": ("サービスを超える要求", "Demands beyond the service"),
    "personal": ("人格攻撃", "Personal attacks"),
    "online": ("ネット上への投稿", "Posting online"),
    "other": ("その他", "Other"),
}
MAX_MINUTES = 24 * 60
MAX_STAFF = 99
TEXT_LIMIT = 2000
SECTION_LIMIT = 100
STAFF_LIMIT = 200
OPEN, CLOSED = "open", "closed"


def label(table: Mapping[str, tuple[str, str]], code: str, lang: str = "ja") -> str:
    """The ja/en label of a place or kind code (the code itself if unknown)."""
    ja, en = table.get(code, (code, code))
    return en if lang == "en" else ja


@dataclass(frozen=True)
class CaseForm:
    """A validated case, before masking."""

    occurred_at: datetime
    place: str
    section: str
    kinds: tuple[str, ...]
    minutes: int
    staff_count: int
    staff_involved: str
    what_happened: str
    response: str
    police: bool
    follow_up: bool
    names_ok: bool = False  # 「このまま保存する」: saved despite a name warning


def read_form(
    values: Mapping[str, Any], *, now: datetime
) -> tuple[CaseForm | None, dict[str, str]]:
    """Check the modal's values; returns (form, {}) or (None, {field: message key})."""
    errors: dict[str, str] = {}
    occurred = _occurred_at(values, now=now, errors=errors)
    place = _text(values.get("place"))
    if place not in PLACES:
        errors["place"] = "case.err.place" if place else "field.required"
    kinds = _kinds(values.get("kinds"), errors)
    minutes = _int(values.get("minutes"), "minutes", 1, MAX_MINUTES, errors)
    staff_count = _int(values.get("staff_count") or "1", "staff_count", 1, MAX_STAFF, errors)
    section = _limited(values, "section", SECTION_LIMIT, errors, required=True)
    staff = _limited(values, "staff", STAFF_LIMIT, errors)
    what = _limited(values, "what", TEXT_LIMIT, errors, required=True)
    response = _limited(values, "response", TEXT_LIMIT, errors)
    flags = values.get("flags") or []
    flags = flags if isinstance(flags, list) else []
    if errors or occurred is None or minutes is None or staff_count is None:
        return None, errors
    form = CaseForm(
        occurred_at=occurred,
        place=place,
        section=section,
        kinds=kinds,
        minutes=minutes,
        staff_count=staff_count,
        staff_involved=staff,
        what_happened=what,
        response=response,
        police="police" in flags,
        follow_up="follow_up" in flags,
        names_ok=_ticked(values.get("names_ok"), "names_ok"),
    )
    return form, {}


def _ticked(value: Any, option: str) -> bool:
    return isinstance(value, list) and option in value


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _occurred_at(
    values: Mapping[str, Any], *, now: datetime, errors: dict[str, str]
) -> datetime | None:
    try:
        day = date.fromisoformat(_text(values.get("date")))
    except ValueError:
        errors["date"] = "case.err.date" if values.get("date") else "field.required"
        return None
    try:
        at = time.fromisoformat(_text(values.get("time")))
    except ValueError:
        errors["time"] = "case.err.time" if values.get("time") else "field.required"
        return None
    occurred = datetime.combine(day, at, tzinfo=now.tzinfo)
    if day > now.date():
        errors["date"] = "case.err.future"
    elif occurred > now:
        errors["time"] = "case.err.future"
    elif day.year < 2000:
        errors["date"] = "case.err.date"
    return occurred


def _kinds(value: Any, errors: dict[str, str]) -> tuple[str, ...]:
    items = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    if not items:
        errors["kinds"] = "field.required"
    elif any(k not in KINDS for k in items):
        errors["kinds"] = "case.err.kind"
    return tuple(k for k in KINDS if k in items)  # catalogue order, no duplicates


def _int(value: Any, name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    text = _text(value) if not isinstance(value, int) else str(value)
    try:
        number = int(text)
    except ValueError:
        errors[name] = f"case.err.{name}" if text else "field.required"
        return None
    if not low <= number <= high:
        errors[name] = f"case.err.{name}"
        return None
    return number


def _limited(
    values: Mapping[str, Any],
    name: str,
    limit: int,
    errors: dict[str, str],
    *,
    required: bool = False,
) -> str:
    text = _text(values.get(name))
    if required and not text:
        errors[name] = "field.required"
    elif len(text) > limit:
        errors[name] = "case.err.too_long"
    return text


def can_edit(reporter: str, user: str) -> bool:
    """Only the reporter rewrites a case (admins close, they do not rewrite)."""
    return bool(user) and reporter == user


@dataclass(frozen=True)
class CaseRow:
    """What statistics need of a case; no free text."""

    month: str  # "2024-11" in office time
    place: str
    section: str
    kinds: tuple[str, ...]
    minutes: int
    staff_count: int


@dataclass
class CaseStats:
    total: int = 0
    minutes: int = 0
    staff_minutes: int = 0
    by_month: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_place: dict[str, int] = field(default_factory=dict)
    by_section: dict[str, int] = field(default_factory=dict)

    @property
    def staff_hours(self) -> float:
        """Staff-hours spent (minutes x staff involved, in hours)."""
        return round(self.staff_minutes / 60, 1)


def summarise(rows: Iterable[CaseRow]) -> CaseStats:
    """Counts by month, kind, place and section; minutes and staff-minutes spent."""
    stats = CaseStats()
    months: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    places: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    for row in rows:
        stats.total += 1
        stats.minutes += row.minutes
        stats.staff_minutes += row.minutes * row.staff_count
        months[row.month] += 1
        places[row.place] += 1
        sections[row.section] += 1
        kinds.update(set(row.kinds))
    return ordered(stats, months=months, kinds=kinds, places=places, sections=sections)


def kind_counts(combos: Mapping[str, int]) -> dict[str, int]:
    """Cases per kind from counts per stored kind list ("abusive,detention" -> 3)."""
    counts: Counter[str] = Counter()
    for combo, n in combos.items():
        for kind in set(combo.split(",")):
            if kind:
                counts[kind] += n
    return dict(counts)


def ordered(
    stats: CaseStats,
    *,
    months: Mapping[str, int],
    kinds: Mapping[str, int],
    places: Mapping[str, int],
    sections: Mapping[str, int],
) -> CaseStats:
    """Fill the breakdowns in reading order (months up, catalogue order, sections by count)."""
    stats.by_month = dict(sorted(months.items()))
    stats.by_kind = {k: kinds[k] for k in KINDS if kinds.get(k)}
    stats.by_place = {p: places[p] for p in PLACES if places.get(p)}
    stats.by_section = dict(sorted(sections.items(), key=lambda kv: (-kv[1], kv[0])))
    return stats


@dataclass(frozen=True)
class ExportRow:
    """One line of the anonymised export: no free text, no reporter, no staff names."""

    number: int
    day: date
    hour: int
    place: str
    section: str
    kinds: tuple[str, ...]
    minutes: int
    staff_count: int
    police: bool
    follow_up: bool
    status: str
