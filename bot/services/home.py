"""App Home data: my open tasks by due date, my teams' next milestones."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.render.reminder_blocks import home_view
from bot.results import HomeData
from bot.services.cards import task_card
from bot.services.context import Ctx
from storage import tasks as task_rows

log = logging.getLogger(__name__)
TASK_LIMIT = 30
MILESTONE_LIMIT = 10


def home_data(ctx: Ctx, *, user: str) -> HomeData:
    """Open tasks assigned to the user, and open milestones of the user's teams from today."""
    today = ctx.clock.today()
    with ctx.session() as s:
        mine = task_rows.open_of_assignee(s, user=user, limit=TASK_LIMIT)
        milestones = task_rows.next_milestones(s, user=user, today=today, limit=MILESTONE_LIMIT)
        return HomeData(
            user=user,
            at=ctx.clock.now(),
            tasks=[task_card(s, ctx=ctx, task=t, kind=t.kind) for t in mine.rows],
            milestones=[task_card(s, ctx=ctx, task=t, kind=t.kind) for t in milestones.rows],
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
