"""App Home data: my open tasks by due date, my teams' next milestones."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.render.reminder_blocks import home_view
from bot.results import HomeData
from bot.services.cards import task_card
from bot.services.context import Ctx
from storage import queries
from storage.models import Task

log = logging.getLogger(__name__)
TASK_LIMIT = 30
MILESTONE_LIMIT = 10


def home_data(ctx: Ctx, *, user: str) -> HomeData:
    """Open tasks assigned to the user, and open milestones of the user's teams from today."""
    today = ctx.clock.today()
    with ctx.session() as s:
        mine_q = select(Task).where(Task.assignee == user, Task.status == "open")
        mine = s.exec(
            mine_q.order_by(col(Task.due).is_(None), col(Task.due), col(Task.id)).limit(TASK_LIMIT)
        ).all()
        my_teams = queries.team_ids_of_user(user)
        milestones_q = select(Task).where(
            Task.kind == "milestone",
            Task.status == "open",
            col(Task.team_id).in_(my_teams),
            col(Task.due) >= today,
        )
        milestones = s.exec(
            milestones_q.order_by(col(Task.due), col(Task.id)).limit(MILESTONE_LIMIT)
        ).all()
        return HomeData(
            user=user,
            at=ctx.clock.now(),
            tasks=[task_card(s, ctx=ctx, task=t, kind=t.kind) for t in mine],
            milestones=[task_card(s, ctx=ctx, task=t, kind=t.kind) for t in milestones],
            tasks_total=_count(s, mine_q),
            milestones_total=_count(s, milestones_q),
        )


def _count(s: Session, stmt: SelectOfScalar[Task]) -> int:
    return int(s.exec(select(func.count()).select_from(stmt.subquery())).one())


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
