"""The month-end progress report: gather what staff recorded, build, render (DESIGN §9)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from bot.domain.calendar import fiscal_year, fiscal_year_bounds, month_end
from bot.domain.dates import format_fiscal_year
from bot.domain.report import (
    IndicatorInput,
    MilestoneInput,
    NoteInput,
    PlanInput,
    Report,
    ThemeInput,
    build_report,
)
from bot.errors import InvalidInput, NotFound
from bot.services.context import Ctx
from storage import plans, queries, reports
from storage.models import Plan, Theme


@dataclass
class BuiltReport:
    report: Report
    files: dict[str, bytes] = field(default_factory=dict)


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


def gather(ctx: Ctx, *, as_of: date | None = None, group_by: str = "area") -> Report:
    """Build the report from the database in a fixed number of queries."""
    as_of = as_of or month_end(ctx.clock.today())
    with ctx.session() as s:
        plan = queries.current_plan(s, fiscal_year=fiscal_year(as_of))
        if plan is None:
            raise NotFound("error.no_plan")
        require_in_plan_year(as_of, plan.fiscal_year)
        themes = plans.themes_of_plan(s, plan_id=plan.id)
        if not themes:
            raise InvalidInput("report.no_themes")
        return build_report(
            _plan_input(s, ctx, plan, themes, as_of),
            as_of=as_of,
            group_by=group_by,
            notes=_notes(s, themes, plan.fiscal_year, as_of),
            milestones=_milestones(s, ctx, themes, as_of),
            indicators=_indicators(s, ctx, themes, plan.fiscal_year, as_of),
        )


def _plan_input(s: Session, ctx: Ctx, plan: Plan, themes: list[Theme], as_of: date) -> PlanInput:
    ids = [t.id for t in themes]
    team_of: dict[int, str] = {}
    for team in reports.teams_of_themes(s, theme_ids=ids):
        team_of.setdefault(team.theme_id or 0, team.name)
    # Counted as they stood at the end of the as-of day, so a report rebuilt later agrees.
    end = _end_of_day(ctx, as_of)
    counts = reports.open_task_counts(s, theme_ids=ids, end=end, due_before=as_of)
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
                confirmed_status=t.status,
                status_reason=t.status_reason,
                status_on=_office_date(ctx, t.status_at),
                team_name=team_of.get(t.id or 0),
            )
            for t in themes
        ),
    )


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


def _milestones(s: Session, ctx: Ctx, themes: list[Theme], as_of: date) -> list[MilestoneInput]:
    """The themes' milestones recorded by the end of the as-of day (the domain judges the rest)."""
    codes = _codes(themes)
    found = reports.milestones(s, theme_ids=codes, created_before=_end_of_day(ctx, as_of))
    return [
        MilestoneInput(
            theme_code=codes[m.theme_id or 0],
            title=m.title,
            due=m.due,
            done_on=_office_date(ctx, m.done_at) if m.status == "done" else None,
            cancelled=m.status == "cancelled",
            created_on=_office_date(ctx, m.created_at),
            cancelled_on=_office_date(ctx, m.cancelled_at) if m.status == "cancelled" else None,
        )
        for m in found
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


def render_files(report: Report, *, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The report in each asked format, keyed by file name."""
    from bot.render.chart import report_chart_png
    from bot.render.report_docx import report_docx
    from bot.render.report_md import report_markdown
    from bot.render.report_xlsx import report_csv, report_xlsx

    stem = f"progress-report-{report.as_of:%Y-%m-%d}"
    renderers = {
        "md": (f"{stem}.md", lambda: report_markdown(report).encode("utf-8")),
        "docx": (f"{stem}.docx", lambda: report_docx(report)),
        "xlsx": (f"{stem}.xlsx", lambda: report_xlsx(report)),
        "csv": (f"{stem}.csv", lambda: report_csv(report)),
        "png": (f"{stem}.png", lambda: report_chart_png(report)),
    }
    unknown = [f for f in formats if f not in renderers]
    if unknown:
        raise InvalidInput("report.bad_format", formats=",".join(unknown))
    return {renderers[f][0]: renderers[f][1]() for f in formats}


def build_files(
    ctx: Ctx, *, as_of: date | None, formats: tuple[str, ...], group_by: str = "area"
) -> BuiltReport:
    """Gather and render in one step (the slash command and the CLI)."""
    if group_by not in ("area", "pillar"):
        raise InvalidInput("report.bad_group", value=group_by)
    report = gather(ctx, as_of=as_of, group_by=group_by)
    return BuiltReport(report, render_files(report, formats=formats))
