"""Run the scheduler's own jobs under a simulated clock (the demo, tests).

APScheduler waits in real time, so a month cannot pass in seconds through
`BackgroundScheduler.start()`. Instead we ask each job's own trigger for its next
fire time, move the FixedClock there and call the job's own function: the same
triggers and callables `wgbot run` schedules (lease check included), without the
thread pool. APScheduler has no virtual-time mode, hence this small loop.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.job import Job
from apscheduler.schedulers.base import BaseScheduler

from bot.clock import FixedClock


@dataclass(frozen=True)
class Fired:
    """One thing that happened at a simulated instant: a job run or a scripted step."""

    at: datetime
    name: str
    sent: list[dict[str, object]] = field(default_factory=list)


def _first_fire(job: Job, start: datetime) -> datetime | None:
    # A job added with next_run_time keeps it; cron jobs ask their trigger. An interval
    # trigger's own start date is the wall clock at creation, so it needs the explicit one.
    explicit = getattr(job, "next_run_time", None)
    if explicit is not None:
        return explicit if explicit >= start else job.trigger.get_next_fire_time(explicit, start)
    return job.trigger.get_next_fire_time(None, start)


def simulate(
    sched: BaseScheduler,
    clock: FixedClock,
    *,
    until: datetime,
    steps: Iterable[tuple[datetime, str, Callable[[], object]]] = (),
    sent: list[dict[str, object]] | None = None,
) -> list[Fired]:
    """Fire the scheduler's jobs and the scripted steps in time order up to `until`.

    `sent` is the recording gateway's list: each Fired carries what its run sent.
    Steps and jobs at the same instant run jobs first (a 09:00 tick before 09:00 typing).
    """
    start = clock.now()
    queue: list[tuple[datetime, int, int, str, Callable[[], object], Job | None]] = []
    order = 0
    for job in sched.get_jobs():
        first = _first_fire(job, start)
        if first is not None:
            queue.append((first, 0, order, job.id, job.func, job))
            order += 1
    for at, name, action in steps:
        queue.append((at, 1, order, name, action, None))
        order += 1
    heapq.heapify(queue)
    fired: list[Fired] = []
    while queue and queue[0][0] <= until:
        at, rank, n, name, action, job = heapq.heappop(queue)
        clock.set(at)
        before = len(sent) if sent is not None else 0
        action()
        fired.append(Fired(at, name, list(sent[before:]) if sent is not None else []))
        if job is not None:
            nxt = job.trigger.get_next_fire_time(at, at)
            if nxt is not None:
                heapq.heappush(queue, (nxt, rank, n, name, action, job))
    clock.set(until)
    return fired
