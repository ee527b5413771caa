"""The month-end progress report (進捗状況 令和6年11月末時点) as plain data (DESIGN §9).

build_report only arranges what staff recorded: notes, milestones, task counts
and indicator values. Nothing here writes a sentence of its own; the renderers
in bot/render turn the Report into Markdown, DOCX, XLSX/CSV and a chart, all
from the same ThemeSection lists.

A report as of a day says what stood on that day (DESIGN §9): a milestone
recorded later is left out, one done or cancelled later was still open, and a
status confirmed later is not shown (only the proposed one). Dates given as
None are "known from the start" (data without that record).

The plan's own form (bot.domain.plan_form.PlanForm) travels on the report: its
section labels for the renderers and the order of its areas and pillars for the
groups. On 31 March, the fiscal year's end, ⑤ reports the year's result and the
lead's final grade (given by that day) stands beside the status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from bot.domain.dates import format_as_of
from bot.domain.plan_form import PlanForm

STATUS_LABELS = {"A": "順調", "B": "一定の進捗", "C": "遅れ", "D": "大幅な遅れ"}
NO_STATUS = "—"
AREA_ORDER = ("A", "B", "C")
NO_PILLAR = "その他"
LONG_OVERDUE_DAYS = 30
GROUP_BY = ("area", "pillar")


@dataclass(frozen=True)
class NoteInput:
    theme_code: str
    as_of: date
    text: str
    author: str


@dataclass(frozen=True)
class MilestoneInput:
    theme_code: str
    title: str
    due: date | None
    done_on: date | None
    cancelled: bool = False
    created_on: date | None = None  # office date it was recorded
    cancelled_on: date | None = None  # office date it was cancelled


@dataclass(frozen=True)
class IndicatorInput:
    theme_code: str
    name: str
    unit: str
    baseline: float | None
    target: float | None
    values: tuple[tuple[date, float], ...]


@dataclass(frozen=True)
class ThemeInput:
    code: str
    area: str
    title: str
    content: str
    background: str
    approach: str
    pillar: str | None = None
    subgoal: str | None = None
    # Open at the end of the as-of day, milestones included (storage counts every kind);
    # the section takes the theme's open milestones out to count tasks alone.
    open_tasks: int = 0
    overdue_tasks: int = 0
    confirmed_status: str | None = None
    status_reason: str | None = None
    status_on: date | None = None  # office date the status was confirmed
    team_name: str | None = None
    final_status: str | None = None  # the lead's year-end grade A–D (取組結果)
    final_reason: str | None = None
    final_on: date | None = None  # office date the final grade was given


@dataclass(frozen=True)
class PlanInput:
    ward: str
    fiscal_year: int
    mission: str
    themes: tuple[ThemeInput, ...]
    form: PlanForm = field(default_factory=PlanForm)


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    unit: str
    baseline: float | None
    target: float | None
    latest: float | None
    latest_on: date | None
    direction: str  # "up" or "down"
    achieved: bool | None


@dataclass
class ThemeSection:
    code: str
    area: str
    title: str
    content: str
    background: str
    approach: str
    pillar: str | None
    subgoal: str | None
    team_name: str | None
    notes: list[NoteInput]
    reached: list[MilestoneInput]
    overdue: list[MilestoneInput]  # open at the as-of date and past due
    upcoming: list[MilestoneInput]  # open at the as-of date, due on it or later (or undated)
    planned_to_date: int
    open_tasks: int  # tasks only: the open milestones are `overdue` and `upcoming`
    overdue_tasks: int
    indicators: list[IndicatorLine]
    proposed_status: str
    confirmed_status: str | None
    status_reason: str | None
    missing_note: bool
    final_status: str | None = None  # the year-end grade, if given by the as-of date
    final_reason: str | None = None

    @property
    def open_milestones(self) -> int:
        """Milestones not reached by the as-of date (past due or ahead)."""
        return len(self.overdue) + len(self.upcoming)

    @property
    def overdue_milestones(self) -> int:
        """Milestones past due and not reached by the as-of date."""
        return len(self.overdue)


@dataclass
class ReportGroup:
    key: str
    label: str
    sections: list[ThemeSection]


@dataclass
class Report:
    ward: str
    fiscal_year: int
    as_of: date
    as_of_label: str
    mission: str
    groups: list[ReportGroup]
    themes_without_note: list[str]
    group_by: str = "area"
    form: PlanForm = field(default_factory=PlanForm)

    def sections(self) -> list[ThemeSection]:
        """Every theme section in report order."""
        return [s for g in self.groups for s in g.sections]

    @property
    def year_end(self) -> bool:
        """As of 31 March: ⑤ reports the year's result (取組結果)."""
        return is_year_end(self.as_of)

    def label(self, key: str) -> str:
        """The plan's heading for a section (PlanForm.LABEL_KEYS), or the default."""
        return self.form.label(key)


def is_year_end(day: date) -> bool:
    """31 March, the last day of the fiscal year."""
    return (day.month, day.day) == (3, 31)


def stood(m: MilestoneInput, as_of: date) -> bool:
    """Recorded by the end of as_of and not cancelled by then."""
    if m.created_on is not None and m.created_on > as_of:
        return False
    return not (m.cancelled and (m.cancelled_on is None or m.cancelled_on <= as_of))


def is_reached(m: MilestoneInput, as_of: date) -> bool:
    """Done on or before as_of (a milestone ticked off later was still open then)."""
    return stood(m, as_of) and m.done_on is not None and m.done_on <= as_of


def is_overdue(m: MilestoneInput, as_of: date) -> bool:
    """Standing and not reached by as_of, and its due date is already behind it."""
    return stood(m, as_of) and not is_reached(m, as_of) and m.due is not None and m.due < as_of


def confirmed_at(theme: ThemeInput, as_of: date) -> tuple[str | None, str | None]:
    """The lead's status and reason if confirmed by as_of; a later one is not shown."""
    if theme.status_on is not None and theme.status_on > as_of:
        return None, None
    return theme.confirmed_status, theme.status_reason


def final_at(theme: ThemeInput, as_of: date) -> tuple[str | None, str | None]:
    """The lead's year-end grade and reason, shown from the day it was given (like a status)."""
    if theme.final_status is None or (theme.final_on is not None and theme.final_on > as_of):
        return None, None
    return theme.final_status, theme.final_reason


def propose_status(milestones: Iterable[MilestoneInput], *, as_of: date) -> str:
    """The city's A–D scale proposed from a theme's milestones as of a date.

    Milestones not standing at as_of (recorded later, cancelled by then) and those
    without a due date are not judged. A milestone
    counts once it is reached or its due date is past (due < as_of; one due on
    as_of itself still has the day):
    - nothing counts: "A" if milestones lie ahead, else "—" (nothing to judge);
    - an unreached one more than 30 days past due, or two or more unreached: "D";
    - exactly one unreached: "C";
    - all reached, some after their due date: "B";
    - all reached on or before their due dates: "A".
    The lead confirms or overrides this with a reason.
    """
    dated = [m for m in milestones if stood(m, as_of) and m.due is not None]
    counted = [m for m in dated if is_reached(m, as_of) or is_overdue(m, as_of)]
    if not counted:
        return "A" if dated else NO_STATUS
    late = [m for m in counted if not is_reached(m, as_of)]
    if len(late) >= 2 or any((as_of - m.due).days > LONG_OVERDUE_DAYS for m in late if m.due):
        return "D"
    if late:
        return "C"
    if any(m.done_on and m.due and m.done_on > m.due for m in counted):
        return "B"
    return "A"


def indicator_line(ind: IndicatorInput, *, as_of: date) -> IndicatorLine:
    """The latest value on or before as_of against the target, in the target's direction."""
    known = sorted((d, v) for d, v in ind.values if d <= as_of)
    latest_on, latest = known[-1] if known else (None, None)
    up = ind.baseline is None or ind.target is None or ind.target >= ind.baseline
    achieved: bool | None = None
    if latest is not None and ind.target is not None:
        achieved = latest >= ind.target if up else latest <= ind.target
    return IndicatorLine(
        name=ind.name,
        unit=ind.unit,
        baseline=ind.baseline,
        target=ind.target,
        latest=latest,
        latest_on=latest_on,
        direction="up" if up else "down",
        achieved=achieved,
    )


def _section(
    theme: ThemeInput,
    *,
    notes: list[NoteInput],
    milestones: list[MilestoneInput],
    indicators: list[IndicatorInput],
    as_of: date,
) -> ThemeSection:
    notes = sorted((n for n in notes if n.as_of <= as_of), key=lambda n: n.as_of)
    live = [m for m in milestones if stood(m, as_of)]
    reached = sorted((m for m in live if is_reached(m, as_of)), key=lambda m: m.done_on or as_of)
    open_ = sorted(
        (m for m in live if not is_reached(m, as_of)),
        key=lambda m: (m.due is None, m.due or as_of),
    )
    confirmed, reason = confirmed_at(theme, as_of)
    final, final_reason = final_at(theme, as_of)
    overdue = [m for m in open_ if is_overdue(m, as_of)]
    upcoming = [m for m in open_ if not is_overdue(m, as_of)]
    this_month = [n for n in notes if (n.as_of.year, n.as_of.month) == (as_of.year, as_of.month)]
    return ThemeSection(
        code=theme.code,
        area=theme.area,
        title=theme.title,
        content=theme.content,
        background=theme.background,
        approach=theme.approach,
        pillar=theme.pillar,
        subgoal=theme.subgoal,
        team_name=theme.team_name,
        notes=notes,
        reached=reached,
        overdue=overdue,
        upcoming=upcoming,
        planned_to_date=sum(1 for m in live if m.due is not None and m.due <= as_of),
        # Storage counts the open milestones among the open tasks; they are shown apart.
        open_tasks=max(theme.open_tasks - len(open_), 0),
        overdue_tasks=max(theme.overdue_tasks - len(overdue), 0),
        indicators=[indicator_line(i, as_of=as_of) for i in indicators],
        proposed_status=propose_status(milestones, as_of=as_of),
        confirmed_status=confirmed,
        status_reason=reason,
        missing_note=not this_month,
        final_status=final,
        final_reason=final_reason,
    )


def _group_key(theme: ThemeInput, group_by: str) -> str:
    if group_by == "pillar":
        return theme.pillar or NO_PILLAR
    return theme.area


def _group_order(keys: list[str], group_by: str, form: PlanForm) -> list[str]:
    """The plan's order of pillars or areas first, then the rest as before.

    Pillars the plan does not order keep the order they first appear in, and themes
    without a pillar come last; areas it does not order follow in A, B, C order.
    """
    seen = list(dict.fromkeys(keys))
    if group_by == "pillar":
        given = [p for p in form.pillar_order if p in seen and p != NO_PILLAR]
        rest = [k for k in seen if k not in given and k != NO_PILLAR]
        return given + rest + [k for k in seen if k == NO_PILLAR]
    given = [a for a in form.area_order if a in seen]
    rest = [a for a in AREA_ORDER if a in seen and a not in given]
    return given + rest + [k for k in seen if k not in AREA_ORDER and k not in given]


def build_report(
    plan: PlanInput,
    *,
    notes: Iterable[NoteInput],
    milestones: Iterable[MilestoneInput],
    indicators: Iterable[IndicatorInput],
    as_of: date,
    group_by: str = "area",
) -> Report:
    """Arrange the plan's themes and what staff recorded into the report as of a date."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {GROUP_BY}: {group_by!r}")
    by_code: dict[str, tuple[list, list, list]] = {t.code: ([], [], []) for t in plan.themes}
    for items, slot in ((notes, 0), (milestones, 1), (indicators, 2)):
        for item in items:
            if item.theme_code in by_code:  # records of themes outside the plan are not shown
                by_code[item.theme_code][slot].append(item)
    sections = {
        t.code: _section(
            t,
            notes=by_code[t.code][0],
            milestones=by_code[t.code][1],
            indicators=by_code[t.code][2],
            as_of=as_of,
        )
        for t in plan.themes
    }
    keys = [_group_key(t, group_by) for t in plan.themes]
    groups = [
        ReportGroup(
            key=key,
            label=key,
            sections=[sections[t.code] for t in plan.themes if _group_key(t, group_by) == key],
        )
        for key in _group_order(keys, group_by, plan.form)
    ]
    return Report(
        ward=plan.ward,
        fiscal_year=plan.fiscal_year,
        as_of=as_of,
        as_of_label=format_as_of(as_of),
        mission=plan.mission,
        groups=groups,
        themes_without_note=[s.code for g in groups for s in g.sections if s.missing_note],
        group_by=group_by,
        form=plan.form,
    )
