"""Refused attempts at the case log: three within an hour tell the case admins, once an hour.

Its own module because both the case use cases (`cases`) and the edit history
(`case_history`) count a refusal, and neither may import the other both ways.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.render.messages import t
from bot.services.context import Ctx
from storage import cases as store

log = logging.getLogger(__name__)
ALERT_THRESHOLD = 3
ALERT_WINDOW = timedelta(hours=1)


def alert_if_due(ctx: Ctx, *, user: str) -> bool:
    """DM the case admins when the user has 3 refused attempts within the hour, once."""
    if not user:
        return False
    now = ctx.clock.now()
    since = now - ALERT_WINDOW
    with ctx.session() as s:
        count = store.count_actions(s, actor=user, since=since, like="%_refused")
        if count < ALERT_THRESHOLD:
            return False
        if store.count_actions(s, actor=user, since=since, action="refused_alert"):
            return False
        admins = [m.user_id for m in store.case_admins(s)]
        store.add_audit(
            s,
            actor=user,
            action="refused_alert",
            at=ctx.clock.now(),
            detail=f"count={count}",
            via=ctx.via,
        )
    _send_alert(ctx, admins=admins, user=user, count=count, at=now)
    return True


def local_minute(ctx: Ctx, at: datetime | None) -> str:
    """`2024-11-29 09:00` in office time, as the alert and the admin list show a moment."""
    return at.astimezone(ctx.clock.tz).strftime("%Y-%m-%d %H:%M") if at else "?"


def _send_alert(ctx: Ctx, *, admins: list[str], user: str, count: int, at: datetime) -> None:
    if ctx.gateway is None or not admins:
        log.warning("a refused-attempt alert found no case admin to tell")
        return
    text = t(
        ctx.lang,
        "case.alert",
        user=f"<@{user}>",
        count=count,
        at=local_minute(ctx, at),
        cmd=ctx.command,
    )
    for admin in admins:
        try:  # a DM, never a channel; one admin's failure does not keep it from the others
            ctx.gateway.post_dm(admin, text)
        except Exception:
            log.exception("could not send a refused-attempt alert")
