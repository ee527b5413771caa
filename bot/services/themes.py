"""Read the plan's themes (課題) from Slack."""

from __future__ import annotations

from bot.errors import NotFound
from bot.results import ThemeDetail, ThemeList
from bot.services import wards
from bot.services.context import Ctx
from bot.services.notes import recent_theme_notes
from bot.services.wards import resolve_theme
from storage import plans, queries


def list_themes(ctx: Ctx, *, user: str | None = None, ward_text: str | None = None) -> ThemeList:
    """The current plan of the user's ward (or of `ward_text`) with its themes in plan order."""
    with ctx.session() as s:
        if ward_text is not None:
            plan = wards.plan_of(s, ctx=ctx, ward=wards.read_ward(s, ward_text))
            if plan is None:
                raise NotFound("error.no_plan")
        else:
            plan = wards.user_plan(s, ctx=ctx, user=user)
        return ThemeList(plan, plans.themes_of_plan(s, plan_id=plan.id))


def show_theme(ctx: Ctx, *, code: str, user: str | None = None) -> ThemeDetail:
    """One theme with its teams, task counts and newest notes."""
    with ctx.session() as s:
        theme = resolve_theme(s, ctx=ctx, code_text=code, user=user)
        teams = [team.name for team in queries.teams_of_theme(s, theme_id=theme.id)]
        open_n, overdue_n = queries.task_counts(s, today=ctx.clock.today(), theme_id=theme.id)
        notes = recent_theme_notes(s, theme_id=theme.id or 0)
        ref = wards.theme_refs(s, themes=[theme])[theme.id]
        return ThemeDetail(theme, teams, open_n, overdue_n, notes, ctx.clock.today(), ref)
