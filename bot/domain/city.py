"""The city's roll-up (DESIGN §11): every ward's month-end report side by side, as plain data.

build_city only lays out what each ward's Report already holds: one row per ward and
theme in the plan's order (ward order, then report order), and one total per ward.
Nothing is recomputed here: statuses, task counts and notes are the ward report's own,
so the roll-up and the ward reports can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.dates import format_as_of
from bot.domain.report import NO_STATUS, STATUS_LABELS, IndicatorLine, Report, ThemeSection

# The columns of the comparison: the city's four grades, then "not judged yet".
STATUS_ORDER = (*STATUS_LABELS, NO_STATUS)


@dataclass(frozen=True)
class Achievement:
    """One indicator's latest value against its target, as a percentage (None: unknown)."""

    name: str
    percent: float | None


@dataclass(frozen=True)
class CityRow:
    ward: str
    code: str
    title: str
    proposed_status: str
    confirmed_status: str | None
    achievements: tuple[Achievement, ...]
    open_tasks: int
    overdue_tasks: int
    noted_this_month: bool


@dataclass(frozen=True)
class WardTotal:
    ward: str
    themes: int
    statuses: tuple[tuple[str, int], ...]  # (A/B/C/D/—, count) in STATUS_ORDER
    open_tasks: int
    overdue_tasks: int
    without_note: int


@dataclass(frozen=True)
class CityReport:
    fiscal_year: int
    as_of: date
    as_of_label: str
    wards: tuple[Report, ...]
    rows: tuple[CityRow, ...]
    totals: tuple[WardTotal, ...]


def achievement(line: IndicatorLine) -> float | None:
    """Latest value against target in %: latest ÷ target, or target ÷ latest for an
    indicator meant to go down (a lower value is better); None without both values."""
    if line.latest is None or line.target is None:
        return None
    if line.direction == "down":
        return line.target / line.latest * 100 if line.latest else None
    return line.latest / line.target * 100 if line.target else None


def status_of(section: ThemeSection) -> str:
    """The grade a theme stands at: the lead's confirmed one, else the proposed one."""
    return section.confirmed_status or section.proposed_status


def _row(ward: str, section: ThemeSection) -> CityRow:
    return CityRow(
        ward=ward,
        code=section.code,
        title=section.title,
        proposed_status=section.proposed_status,
        confirmed_status=section.confirmed_status,
        achievements=tuple(Achievement(i.name, achievement(i)) for i in section.indicators),
        open_tasks=section.open_tasks,
        overdue_tasks=section.overdue_tasks,
        noted_this_month=not section.missing_note,
    )


def _total(report: Report) -> WardTotal:
    sections = report.sections()
    grades = [status_of(s) for s in sections]
    return WardTotal(
        ward=report.ward,
        themes=len(sections),
        statuses=tuple(
            (k, sum(1 for g in grades if g == k or (k == NO_STATUS and g not in STATUS_LABELS)))
            for k in STATUS_ORDER
        ),
        open_tasks=sum(s.open_tasks for s in sections),
        overdue_tasks=sum(s.overdue_tasks for s in sections),
        without_note=len(report.themes_without_note),
    )


def build_city(reports: Sequence[Report], *, fiscal_year: int, as_of: date) -> CityReport:
    """The roll-up of the wards' reports (already in ward order) as of one date."""
    return CityReport(
        fiscal_year=fiscal_year,
        as_of=as_of,
        as_of_label=format_as_of(as_of),
        wards=tuple(reports),
        rows=tuple(_row(r.ward, s) for r in reports for s in r.sections()),
        totals=tuple(_total(r) for r in reports),
    )
