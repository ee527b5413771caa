"""App Home data: my open tasks by due date, my teams' next milestones."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from bot.render.reminder_blocks import home_view
from bot.results import HomeData, ReminderCard
from bot.services.cards import make_card
from bot.services.context import Ctx
from storage import tasks as task_rows
from storage import teams as team_rows
from storage.models import Task

log = logging.getLogger(__name__)
TASK_LIMIT = 30
MILESTONE_LIMIT = 10


def home_data(ctx: Ctx, *, user: str) -> HomeData:
    """Open tasks assigned to the user, and open milestones of the user's teams from today."""
    today = ctx.clock.today()
    with ctx.session() as s:
        mine = task_rows.open_of_assignee(s, user=user, limit=TASK_LIMIT)
        milestones = task_rows.next_milestones(s, user=user, today=today, limit=MILESTONE_LIMIT)
        # The teams and themes of all the cards in two queries, not two a card.
        shown = [*mine.rows, *milestones.rows]
        teams = team_rows.teams_by_ids(s, team_ids={t.team_id for t in shown if t.team_id})
        themes = team_rows.themes_by_ids(s, theme_ids={t.theme_id for t in shown if t.theme_id})
        left_of: dict[date, int] = {}

        def card(t: Task) -> ReminderCard:
            team, theme = teams.get(t.team_id), themes.get(t.theme_id)
            return make_card(ctx, task=t, kind=t.kind, team=team, theme=theme, left_of=left_of)

        return HomeData(
            user=user,
            at=ctx.clock.now(),
            tasks=[card(t) for t in mine.rows],
            milestones=[card(t) for t in milestones.rows],
            tasks_total=mine.total,
            milestones_total=milestones.total,
        )


def publish_home(ctx: Ctx, *, user: str) -> bool:
    """Build and publish the user's App Home; False (logged) when Slack refuses."""
    if ctx.gateway is None:
        return False
    try:
        ctx.gateway.publish_home(user, home_view(ctx.lang, home_data(ctx, user=user)))
    except Exception:
        log.exception("could not publish the App Home of %s", user)
        return False
    return True


def publish_homes(ctx: Ctx, *, users: Iterable[str]) -> None:
    """Publish these users' App Home; a service calls it after committing a task change."""
    for user in sorted(set(users)):
        publish_home(ctx, user=user)
