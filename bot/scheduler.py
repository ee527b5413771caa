"""APScheduler jobs with stable ids; each job only calls a service.

Cron decides when to wake; the services decide whether to act (the first business
day of the week, the month-end note day). Every instance wakes; only the holder of
the `scheduler` lease runs the jobs, and another instance takes the lease over when
the holder stops renewing it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.services import lease
from bot.services.context import Ctx

log = logging.getLogger(__name__)
GRACE_SECONDS = 300


def holds_lease(ctx: Ctx) -> bool:
    """Renew this instance's heartbeat and try to take or renew the scheduler lease."""
    lease.heartbeat(ctx)
    return lease.acquire(ctx, name=lease.SCHEDULER)


def _guarded(ctx: Ctx, name: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            if holds_lease(ctx):
                job()
        except Exception:  # a failed run is logged; the next wake-up tries again
            log.exception("scheduled job %s failed", name)

    return run


def reminder_tick(ctx: Ctx) -> None:
    """Send the due reminders."""
    from bot.services.outbox import run_tick

    result = run_tick(ctx)
    if result.claimed or result.recovered:
        log.info("reminder tick: %s", result)


def month_end_notes(ctx: Ctx) -> None:
    """Plan this month's note reminders (the service knows the day)."""
    from bot.services.reminder_planning import plan_month_end

    plan_month_end(ctx)


def weekly_digest(ctx: Ctx) -> None:
    """Post the weekly digests (the service knows the week's first business day)."""
    from bot.services.digests import post_weekly_digests

    post_weekly_digests(ctx)


def build_scheduler(ctx: Ctx) -> BackgroundScheduler:
    """The scheduler with its jobs, not started."""
    sched = BackgroundScheduler(
        timezone=ctx.clock.tz,
        job_defaults={"misfire_grace_time": GRACE_SECONDS, "coalesce": True, "max_instances": 1},
    )
    now = ctx.clock.now()
    sched.add_job(
        _guarded(ctx, "reminder_tick", lambda: reminder_tick(ctx)),
        "interval",
        seconds=ctx.tick_seconds,
        id="reminder_tick",
        next_run_time=now + timedelta(seconds=min(1.0, ctx.tick_seconds)),
    )
    sched.add_job(
        _guarded(ctx, "month_end_notes", lambda: month_end_notes(ctx)),
        "cron",
        hour=8,
        minute=30,
        id="month_end_notes",
    )
    sched.add_job(
        _guarded(ctx, "weekly_digest", lambda: weekly_digest(ctx)),
        "cron",
        day_of_week="mon-fri",
        hour=9,
        id="weekly_digest",
    )
    return sched


def start_scheduler(ctx: Ctx) -> BackgroundScheduler:
    """Start the background scheduler in office time with a grace of minutes."""
    sched = build_scheduler(ctx)
    sched.start()
    # Month-end rows are planned at start too, so a restart after 08:30 misses nothing,
    # and a week's digest missed while the bot was down goes out now.
    sched.add_job(_guarded(ctx, "month_end_notes_start", lambda: month_end_notes(ctx)))
    sched.add_job(_guarded(ctx, "weekly_digest_start", lambda: weekly_digest(ctx)))
    return sched


def stop_scheduler(ctx: Ctx, sched: BackgroundScheduler, *, wait: bool = False) -> None:
    """Stop the jobs (`wait`: let a running one finish) and hand the lease over at once."""
    sched.shutdown(wait=wait)
    lease.release(ctx, name=lease.SCHEDULER)
