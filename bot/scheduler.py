"""APScheduler jobs with stable ids; each job only calls a service.

Cron decides when to wake; the services decide whether to act (the first business
day of the week, the month-end note day). Every instance wakes; only the holder of
the `scheduler` lease runs the jobs, and another instance takes the lease over when
the holder stops renewing it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.services import lease
from bot.services.case_retention import dispose_expired
from bot.services.context import Ctx
from bot.services.digests import catch_up_digests, post_weekly_digests
from bot.services.outage import MONITOR, is_outage
from bot.services.outbox import run_tick
from bot.services.reminder_planning import plan_month_end

log = logging.getLogger(__name__)
GRACE_SECONDS = 300


def holds_lease(ctx: Ctx) -> bool:
    """Renew this instance's heartbeat and try to take or renew the scheduler lease."""
    lease.heartbeat(ctx)
    return lease.acquire(ctx, name=lease.SCHEDULER)


class LeaseKeeper:
    """Renews the scheduler lease while a job runs, so a long burst keeps it.

    Without this a tick longer than the lease (three tick periods) lets another instance
    take the lease and tick at the same time: claims keep rows apart, but each process
    paces Slack on its own, so the two together draw more 429s.
    """

    def __init__(self, ctx: Ctx) -> None:
        self.ctx, self.done = ctx, threading.Event()
        self.thread = threading.Thread(target=self._renew, daemon=True, name="scheduler-lease")

    def _renew(self) -> None:
        interval = lease.lease_ttl(self.ctx).total_seconds() / 3
        while not self.done.wait(interval):
            try:
                # The instance lease keeps our in-flight claims ours during a long drain.
                lease.heartbeat(self.ctx)
                if self.ctx.stopping.is_set():
                    continue  # handed over: never take the scheduler lease back
                if not lease.acquire(self.ctx, name=lease.SCHEDULER):
                    # Only after the database was away longer than the lease; claims still
                    # keep the two instances' rows apart.
                    log.warning("scheduler lease taken over by another instance during a job")
                    return
            except Exception as exc:  # the database is away: the job itself will notice
                report_failure(exc, where="scheduler lease")

    def __enter__(self) -> LeaseKeeper:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()


def report_failure(exc: Exception, *, where: str) -> None:
    """A database outage is counted (one line a minute); anything else is logged in full."""
    if is_outage(exc):
        MONITOR.failed(exc, where=where)
    else:
        log.exception("scheduled job %s failed", where)


def _guarded(ctx: Ctx, name: str, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        if ctx.stopping.is_set():
            return  # shutting down: the next holder runs it
        try:
            if holds_lease(ctx):
                with LeaseKeeper(ctx):
                    job()
            MONITOR.recovered()
        except Exception as exc:  # a failed run is reported; the next wake-up tries again
            report_failure(exc, where=name)

    return run


def reminder_tick(ctx: Ctx) -> None:
    """Send the due reminders."""
    result = run_tick(ctx)
    if result.claimed or result.recovered:
        log.info("reminder tick: %s", result)
    if not ctx.stopping.is_set():  # a drain ends with the tick; the next holder catches up
        catch_up_digests(ctx)  # a digest whose poster died goes out now, not at the next 09:00


def month_end_notes(ctx: Ctx) -> None:
    """Plan this month's note reminders (the service knows the day)."""
    plan_month_end(ctx)


def weekly_digest(ctx: Ctx) -> None:
    """Post the weekly digests (the service knows the week's first business day)."""
    post_weekly_digests(ctx)


def case_retention(ctx: Ctx) -> None:
    """Dispose of the free text of cases past retention (batches; audited)."""
    dispose_expired(ctx, years=ctx.case_retention_years)


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
    sched.add_job(
        _guarded(ctx, "case_retention", lambda: case_retention(ctx)),
        "cron",
        day=1,
        hour=3,
        id="case_retention",
    )
    return sched


def _skip_busy_warnings(record: logging.LogRecord) -> bool:
    # A tick still sending when the next wake-up comes is normal (a burst, a slow Slack);
    # APScheduler warns at every skipped wake-up, once a tick period, all through it.
    return "maximum number of running instances reached" not in record.getMessage()


def start_scheduler(ctx: Ctx) -> BackgroundScheduler:
    """Start the background scheduler in office time with a grace of minutes."""
    # APScheduler logs two INFO lines per run: 2,880 a day of "tick ran"; ours say more.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_skip_busy_warnings)
    sched = build_scheduler(ctx)
    sched.start()
    # Month-end rows are planned at start too, so a restart after 08:30 misses nothing,
    # and a week's digest missed while the bot was down goes out now.
    sched.add_job(_guarded(ctx, "month_end_notes_start", lambda: month_end_notes(ctx)))
    sched.add_job(_guarded(ctx, "weekly_digest_start", lambda: weekly_digest(ctx)))
    return sched


def hand_over(ctx: Ctx) -> None:
    """Stop claiming and give the scheduler lease up before draining (a deploy's first step).

    The other instance takes the scheduler over at its next tick instead of after our
    drain; what we still hold stays `claimed` under our instance lease, which we keep
    renewing until the drain ends, so it claims only pending rows.
    """
    ctx.stopping.set()  # a running tick stops claiming; LeaseKeeper stops renewing
    try:
        lease.release(ctx, name=lease.SCHEDULER)
    except Exception as exc:  # the database is away: the lease runs out by itself
        report_failure(exc, where="scheduler hand-over")


def stop_scheduler(ctx: Ctx, sched: BackgroundScheduler, *, wait: bool = False) -> None:
    """Stop the jobs (`wait`: let a running one drain) and hand the leases over at once."""
    hand_over(ctx)
    sched.shutdown(wait=wait)
    # Again, in case a renewal raced the first release (only ours is ever expired); the
    # instance lease goes last: the other instance then knows nothing of ours is in flight.
    lease.release(ctx, name=lease.SCHEDULER)
    lease.release(ctx, name=lease.instance_lease_name(ctx.instance_id))
