"""Reminders (and weekly digests) that failed for good are never silent: reported daily.

Once a day, the first tick that finds rows failed since the last report tells the
operator's channel (`WGBOT_OPERATOR_CHANNEL`) how many, with their ids, kinds and error
codes (no task titles, no names), or without that setting logs one WARNING line. The
report is itself an outbox row (kind `ops_failed`, key `ops_failed:<date>`), so two
instances or a restart report a day once; a report Slack refused is tried again later.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from bot.render.messages import t
from bot.services import lease
from bot.services.context import Ctx
from bot.services.digests import RETRY_UNTIL
from bot.services.outbox_rows import finish
from storage import digests, outbox
from storage.models import DigestPost, Reminder
from storage.outbox import OPS_KIND

log = logging.getLogger(__name__)
REPORT_RETRY = timedelta(minutes=5)
SHOWN = 30  # rows listed in one report; the rest are counted


def failed_since_report(ctx: Ctx) -> tuple[int, list[Reminder]]:
    """Rows failed since the last daily report: their count and the first SHOWN."""
    with ctx.session() as s:
        return outbox.failed_since_report(s, shown=SHOWN)


def error_code(row: Reminder) -> str:
    """`user_not_found` for a Slack error, else the exception's class: never free text."""
    kind, _, detail = (row.last_error or "").partition(": ")
    return detail.split()[0] if kind == "SlackApiError" and detail else kind or "?"


def failed_digests(ctx: Ctx) -> list[DigestPost]:
    """Weekly digests that stayed failed after their day's retries, since the last report."""
    now = ctx.clock.now()
    local = now.astimezone(ctx.clock.tz)
    # Before RETRY_UNTIL today's failures are still being retried: only earlier days count.
    settled = (
        now
        if local.time() >= RETRY_UNTIL
        else datetime.combine(local.date(), time(0), tzinfo=ctx.clock.tz)
    )
    with ctx.session() as s:
        return digests.failed_for_report(s, settled_before=settled)


def report_text(
    lang: str, total: int, rows: list[Reminder], posts: list[DigestPost] | None = None
) -> str:
    """The operator's message (ids, kinds, error codes, team ids and weeks: no free text)."""
    lines = []
    if total:
        lines.append(t(lang, "ops.failed", n=total))
        lines += [f"• #{r.id} {r.kind} {error_code(r)}" for r in rows]
        if total > len(rows):
            lines.append(t(lang, "ops.more", n=total - len(rows)))
    if posts:
        lines.append(t(lang, "ops.digests_failed", n=len(posts)))
        lines += [f"• team {p.team_id} {p.week_start.isoformat()}" for p in posts]
    return "\n".join(lines)


def _claim_today(ctx: Ctx, *, now: datetime) -> int | None:
    key = f"{OPS_KIND}:{now.astimezone(ctx.clock.tz).date().isoformat()}"
    with ctx.session() as s:
        return outbox.claim_report(
            s, key=key, channel=ctx.operator_channel, holder=lease.holder_id(ctx), now=now
        )


def report_failures(ctx: Ctx) -> bool:
    """Tell the operator about new failures, once a day; True when a report was made."""
    total, rows = failed_since_report(ctx)
    posts = failed_digests(ctx)
    if not total and not posts:
        return False
    now = ctx.clock.now()
    row_id = _claim_today(ctx, now=now)
    if row_id is None:
        return False
    channel = ctx.operator_channel
    if not channel or ctx.gateway is None:
        log.warning(
            "outbox: %s reminders failed since the last report (and %s weekly digests); see "
            "`wgbot tick --dry-run` (set WGBOT_OPERATOR_CHANNEL to be told in Slack)",
            total,
            len(posts),
        )
        finish(ctx, row_id, status="sent", sent_at=now)
        return True
    try:
        ts = ctx.gateway.post(channel, report_text(ctx.lang, total, rows, posts))
    except Exception as exc:  # Slack refused: the next tick after REPORT_RETRY tries again
        log.warning("outbox: failure report to the operator not sent (%s)", type(exc).__name__)
        finish(ctx, row_id, status="pending", claimed_by=None, claimed_at=None,
               retry_at=now + REPORT_RETRY, last_error=type(exc).__name__)  # fmt: skip
        return False
    finish(ctx, row_id, status="sent", sent_at=now, message_ts=ts, message_channel=channel)
    return True


def due_and_failed(ctx: Ctx, *, limit: int = 200) -> tuple[list[Reminder], list[Reminder]]:
    """Rows that would be sent now, and rows that failed (for `tick --dry-run`)."""
    with ctx.session() as s:
        return outbox.due_and_failed(s, now=ctx.clock.now(), limit=limit)
