"""The month-end progress report: gather what staff recorded, build, render (DESIGN §9)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlmodel import Session

from bot.domain.calendar import fiscal_year, fiscal_year_bounds, month_end
from bot.domain.city import CityReport, build_city
from bot.domain.dates import format_fiscal_year
from bot.domain.plan_form import PlanForm
from bot.domain.report import (
    IndicatorInput,
    MilestoneInput,
    NoteInput,
    PlanInput,
    Report,
    ThemeInput,
    build_report,
)
from bot.domain.wards import CITY_WIDE
from bot.errors import InvalidInput, NotFound
from bot.services import access, role_groups
from bot.services.context import Ctx
from bot.services.wards import plan_meant, read_ward
from storage import grades, plans, reports
from storage import wards as ward_rows
from storage.models import Plan, TeamHistory, Theme, ThemeGrade

# Characters a file name on Windows or in a path cannot hold.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class BuiltReport:
    report: Report
    files: dict[str, bytes] = field(default_factory=dict)
    several_wards: bool = False  # then the answer and the file names say the ward


def outside_plan(day: date, fy: int) -> dict[str, object]:
    """The words of "that date is outside the plan's fiscal year", with the year shown."""
    # Dates go to the catalogue as dates: error_text shows them with date_label (show_date).
    return {"date": day, "fy": fy, "fy_label": format_fiscal_year(fy)}


def require_in_plan_year(day: date, fy: int) -> None:
    """A report, a progress note or an indicator value is dated within its plan's fiscal year."""
    start, end = fiscal_year_bounds(fy)
    if day < start:
        raise InvalidInput("report.before_plan", **outside_plan(day, fy))
    if day > end:
        raise InvalidInput("report.after_plan", **outside_plan(day, fy), end=end)


def require_in_theme_year(s: Session, *, theme_id: int | None, day: date) -> None:
    """A note or indicator value on a theme lies within its plan's fiscal year (if it has one)."""
    plan = plans.plan_of_theme(s, theme_id=theme_id)
    if plan is not None:
        require_in_plan_year(day, plan.fiscal_year)


def _end_of_day(ctx: Ctx, day: date) -> datetime:
    """The first instant after `day` in office time: what was recorded before it stood on day."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=ctx.clock.tz)


def _office_date(ctx: Ctx, at: datetime | None) -> date | None:
    return at.astimezone(ctx.clock.tz).date() if at is not None else None


def gather(
    ctx: Ctx,
    *,
    as_of: date | None = None,
    group_by: str = "area",
    ward: str | None = None,
    user: str | None = None,
) -> Report:
    """Build a ward's report (the one typed, else the user's, else the only one)."""
    return _gather(ctx, as_of=as_of, group_by=group_by, ward=ward, user=user)[0]


def _gather(
    ctx: Ctx, *, as_of: date | None, group_by: str, ward: str | None, user: str | None
) -> tuple[Report, bool]:
    """The report and whether the city has several wards (then its files name the ward)."""
    as_of = as_of or month_end(ctx.clock.today())
    with ctx.session() as s:
        year_plans = ward_rows.plans_of_year(s, fiscal_year=fiscal_year(as_of))
        plan = _report_plan(s, ctx, plans=year_plans, ward=ward, user=user)
        return _build(s, ctx, plan, as_of=as_of, group_by=group_by), len(year_plans) > 1


def _report_plan(
    s: Session, ctx: Ctx, *, plans: Sequence[Plan], ward: str | None, user: str | None
) -> Plan:
    """The plan a report is about: the ward typed, else the asker's, else the only one."""
    if not plans:
        raise NotFound("error.no_plan")
    if ward is not None:
        name = read_ward(s, ward)
        if user is not None:
            access.require_ward_report(s, ward=name, user=user, cmd=ctx.command)
        found = next((p for p in plans if p.ward == name), None)
        if found is None:
            raise NotFound("error.no_plan")
        return found
    if (found := plan_meant(s, plans=plans, user=user)) is not None:
        return found
    wards = [p.ward for p in plans]
    if user is None:  # the operator at the command line
        raise InvalidInput("city.cli_which_ward", wards=wards)
    raise InvalidInput("city.which_ward", wards=wards, cmd=ctx.command)


def _build(s: Session, ctx: Ctx, plan: Plan, *, as_of: date, group_by: str) -> Report:
    """One plan's report as of a date, in a fixed number of queries."""
    require_in_plan_year(as_of, plan.fiscal_year)
    themes = plans.themes_of_plan(s, plan_id=plan.id)
    if not themes:
        raise InvalidInput("report.no_themes")
    # What a rollover moved to next year's themes after the as-of day counts where it was.
    moves = reports.moves_since(s, end=_end_of_day(ctx, as_of), theme_ids=[t.id for t in themes])
    return build_report(
        _plan_input(s, ctx, plan, themes, as_of, moves),
        as_of=as_of,
        group_by=group_by,
        notes=_notes(s, themes, plan.fiscal_year, as_of),
        milestones=_milestones(s, ctx, themes, as_of, moves),
        indicators=_indicators(s, ctx, themes, plan.fiscal_year, as_of),
    )


def _plan_input(
    s: Session, ctx: Ctx, plan: Plan, themes: list[Theme], as_of: date, moves: reports.Moves
) -> PlanInput:
    ids = [t.id for t in themes]
    # Counted as they stood at the end of the as-of day, so a report rebuilt later agrees.
    end = _end_of_day(ctx, as_of)
    team_of: dict[int, str] = {}
    for theme_id, team in reports.teams_of_themes(s, theme_ids=ids, moves=moves):
        team_of.setdefault(theme_id or 0, team.name)
    counts = reports.open_task_counts(s, theme_ids=ids, end=end, due_before=as_of, moves=moves)
    # The status and final grade last given by then, not the latest (confirmed again later).
    given = grades.grades_before(s, theme_ids=ids, end=end)
    status = {i: _given(ctx, given.get((i or 0, grades.STATUS))) for i in ids}
    final = {i: _given(ctx, given.get((i or 0, grades.FINAL))) for i in ids}
    return PlanInput(
        ward=plan.ward,
        fiscal_year=plan.fiscal_year,
        mission=plan.mission or "",
        themes=tuple(
            ThemeInput(
                code=t.code,
                area=t.area,
                title=t.title,
                content=t.content or "",
                background=t.background or "",
                approach=t.approach or "",
                pillar=t.pillar,
                subgoal=t.subgoal,
                open_tasks=counts.get(t.id or 0, (0, 0))[0],
                overdue_tasks=counts.get(t.id or 0, (0, 0))[1],
                confirmed_status=status[t.id].grade,
                status_reason=status[t.id].reason,
                status_on=status[t.id].on,
                team_name=team_of.get(t.id or 0),
                final_status=final[t.id].grade,
                final_reason=final[t.id].reason,
                final_on=final[t.id].on,
            )
            for t in themes
        ),
        form=PlanForm.from_json(plan.form),
    )


class Given(NamedTuple):
    """A status or final grade as a report shows it: grade, reason, office day given."""

    grade: str | None = None
    reason: str | None = None
    on: date | None = None


def _given(ctx: Ctx, row: ThemeGrade | None) -> Given:
    return Given(row.grade, row.reason, _office_date(ctx, row.given_at)) if row else Given()


def _codes(themes: list[Theme]) -> dict[int, str]:
    return {t.id or 0: t.code for t in themes}


def _notes(s: Session, themes: list[Theme], fy: int, as_of: date) -> list[NoteInput]:
    codes = _codes(themes)
    # Notes stored before the plan-year rule (require_in_plan_year) stay out too.
    found = reports.theme_notes(s, theme_ids=codes, first=fiscal_year_bounds(fy)[0], last=as_of)
    return [
        NoteInput(theme_code=codes[n.theme_id or 0], as_of=n.as_of, text=n.text, author=n.author)
        for n in found
    ]


def _milestones(
    s: Session, ctx: Ctx, themes: list[Theme], as_of: date, moves: reports.Moves
) -> list[MilestoneInput]:
    """The themes' milestones recorded by the end of the as-of day (the domain judges the rest)."""
    codes = _codes(themes)
    end = _end_of_day(ctx, as_of)
    found = reports.milestones(s, theme_ids=codes, created_before=end, moves=moves)
    return [
        MilestoneInput(
            theme_code=codes[theme_id or 0],
            title=m.title,
            due=m.due,
            # The day it was completed, when given (`task done #5 on:11/15`), else ticked off.
            done_on=(m.done_on or _office_date(ctx, m.done_at)) if m.status == "done" else None,
            cancelled=m.status == "cancelled",
            created_on=_office_date(ctx, m.created_at),
            cancelled_on=_office_date(ctx, m.cancelled_at) if m.status == "cancelled" else None,
        )
        for theme_id, m in found
    ]


def _indicators(
    s: Session, ctx: Ctx, themes: list[Theme], fy: int, as_of: date
) -> list[IndicatorInput]:
    """Indicators with their values as of the day; one registered later shows only if a value
    recorded for an earlier day makes it part of what stood then."""
    codes = _codes(themes)
    kpis = reports.kpis_of_themes(s, theme_ids=codes)
    values: dict[int, list[tuple[date, float]]] = defaultdict(list)
    ids = [k.id for k in kpis]
    for v in reports.kpi_values(s, kpi_ids=ids, first=fiscal_year_bounds(fy)[0], last=as_of):
        values[v.kpi_id].append((v.as_of, v.value))
    return [
        IndicatorInput(
            theme_code=codes[k.theme_id],
            name=k.name,
            unit=k.unit,
            baseline=k.baseline,
            target=k.target,
            values=tuple(values.get(k.id or 0, [])),
        )
        for k in kpis
        if values.get(k.id or 0) or (k.created_at and k.created_at < _end_of_day(ctx, as_of))
    ]


def report_stem(report: Report, *, named: bool = False) -> str:
    """`progress-report-2024-11-30`, with the ward when the city has several."""
    stem = f"progress-report-{report.as_of:%Y-%m-%d}"
    return f"{stem}-{file_word(report.ward)}" if named else stem


def file_word(text: str) -> str:
    """A ward's name as a file name part: no path separators or characters Windows refuses."""
    return _NOT_IN_NAMES.sub("_", text).strip(" .") or "_"


def render_files(
    report: Report, *, formats: tuple[str, ...], stem: str | None = None
) -> dict[str, bytes]:
    """The report in each asked format, keyed by file name."""
    from bot.render.chart import report_chart_png
    from bot.render.ooxml import pin_package
    from bot.render.report_docx import report_docx
    from bot.render.report_md import report_markdown
    from bot.render.report_xlsx import report_csv, report_xlsx

    stem = stem or report_stem(report)
    renderers = {
        "md": (f"{stem}.md", lambda: report_markdown(report).encode("utf-8")),
        "docx": (f"{stem}.docx", lambda: report_docx(report)),
        # Pinned to the as-of date: the same report gives the same bytes, however late.
        "xlsx": (f"{stem}.xlsx", lambda: pin_package(report_xlsx(report), on=report.as_of)),
        "csv": (f"{stem}.csv", lambda: report_csv(report)),
        "png": (f"{stem}.png", lambda: report_chart_png(report)),
    }
    unknown = [f for f in formats if f not in renderers]
    if unknown:
        raise InvalidInput("report.bad_format", formats=",".join(unknown))
    return {renderers[f][0]: renderers[f][1]() for f in formats}


def build_files(
    ctx: Ctx,
    *,
    as_of: date | None,
    formats: tuple[str, ...],
    group_by: str = "area",
    ward: str | None = None,
    user: str | None = None,
) -> BuiltReport:
    """Gather and render in one step (the slash command and the CLI)."""
    if group_by not in ("area", "pillar"):
        raise InvalidInput("report.bad_group", value=group_by)
    report, several = _gather(ctx, as_of=as_of, group_by=group_by, ward=ward, user=user)
    stem = report_stem(report, named=several)
    files = render_files(report, formats=formats, stem=stem)
    return BuiltReport(report, files, several_wards=several)


# --- the city's roll-up (DESIGN §11) ---

CITY_FORMATS = ("xlsx", "docx", "png")


@dataclass
class BuiltCity:
    city: CityReport
    files: dict[str, bytes] = field(default_factory=dict)


def gather_city(ctx: Ctx, *, as_of: date | None = None, user: str | None = None) -> CityReport:
    """Every ward's report of the as-of date's fiscal year, in ward order.

    `user` None is the operator at the command line; a Slack user must be a member of a
    city-planning team (role city_planning, given by the operator only).
    """
    as_of = as_of or month_end(ctx.clock.today())
    fy = fiscal_year(as_of)
    with ctx.session() as s:
        if user is not None:
            access.require_city_planner(s, user=user, cmd=ctx.command)
        year_plans = ward_rows.plans_of_year(s, fiscal_year=fy)
        if not year_plans:
            raise NotFound("error.no_plan")
        # Only the plans of that very year: a ward whose plan for it was never imported
        # is left out rather than shown with another year's themes.
        of_year = [p for p in year_plans if p.fiscal_year == fy]
        if not of_year:
            require_in_plan_year(as_of, year_plans[0].fiscal_year)
        with_themes = [p for p in of_year if plans.themes_of_plan(s, plan_id=p.id)]
        if not with_themes:
            raise InvalidInput("report.no_themes")
        wards = [_build(s, ctx, p, as_of=as_of, group_by="area") for p in with_themes]
    return build_city(wards, fiscal_year=fy, as_of=as_of)


def city_stem(city: CityReport) -> str:
    return f"progress-report-{city.as_of:%Y-%m-%d}-{CITY_WIDE}"


def build_city_files(
    ctx: Ctx,
    *,
    as_of: date | None,
    user: str | None = None,
    formats: tuple[str, ...] = CITY_FORMATS,
) -> BuiltCity:
    """The roll-up as one XLSX, one DOCX and one PNG (the slash command and the CLI)."""
    from bot.render.city_chart import city_chart_png
    from bot.render.city_docx import city_docx
    from bot.render.city_xlsx import city_xlsx

    unknown = [f for f in formats if f not in CITY_FORMATS]
    if unknown:
        raise InvalidInput("report.bad_format", formats=",".join(unknown))
    city = gather_city(ctx, as_of=as_of, user=user)
    stem = city_stem(city)
    renderers = {"xlsx": city_xlsx, "docx": city_docx, "png": city_chart_png}
    return BuiltCity(city, {f"{stem}.{f}": renderers[f](city) for f in formats})


# --- who may ask for the roll-up: the operator's city-planning group ---

CITY_GROUP_NAME = "全市集計"


def _history(s: Session, ctx: Ctx, change: role_groups.Change) -> None:
    """A city planner added or removed: a team_history row per team it touched."""
    action = {"add": "member_add", "remove": "member_remove"}[change.verb]
    for team_id in change.team_ids:
        s.add(
            TeamHistory(
                team_id=team_id,
                user_id=change.user,
                action=action,
                actor=change.actor,
                at=change.now,
            )
        )


CITY_PLANNERS = role_groups.RoleGroup(
    role=reports.CITY_PLANNING, name=CITY_GROUP_NAME, ward=CITY_WIDE, keys="city", record=_history
)


def add_city_planners(ctx: Ctx, *, users: list[str], actor: str) -> role_groups.RoleChange:
    """Let people ask for the city roll-up (a removed one's membership comes back)."""
    return role_groups.add(ctx, CITY_PLANNERS, users=users, actor=actor)
