"""Sending paced per channel on a few threads: the machinery the outbox and digests share.

A queue per channel; a heap of (time, tie, channel) of the channels ready to go; up to
`senders` daemon threads, started as channels arrive. A thread takes the channel whose
time comes first, sleeps until then, does one job, and puts the channel back at the
time its pacer (`bot.gateway.ChannelPacer`, the one pacing rule: a full interval after
Slack answered) gives. So each channel is sent to one job at a time at Slack's pace,
while the threads serve other channels meanwhile.
"""

from __future__ import annotations

import heapq
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from typing import Generic, Protocol, TypeVar

Job = TypeVar("Job")


class Pacer(Protocol):
    def ready_at(self, channel: str) -> float:
        """The monotonic time from which this channel may be sent to."""
        ...


class ChannelPool(Generic[Job]):
    """Jobs queued per channel, each channel's next job when its pacer allows.

    `send(job)` does one job and returns the channel the pacer knows it by (a user's DM
    channel for a key `@user`), or None for the key it was queued under. Once `stopped()`
    is true nothing more is sent: the jobs not tried stay queued (`left`). An exception
    of a job is handed to `on_error(job)` inside the `except`, so `log.exception` there
    names it; the thread goes on with the next job.
    """

    def __init__(
        self,
        *,
        pacer: Pacer,
        send: Callable[[Job], str | None],
        stopped: Callable[[], bool],
        on_error: Callable[[Job], None],
        senders: int,
        name: str,
        pace_first: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`pace_first`: a channel's first job also waits for the pacer (else it goes at
        once, and the gateway's own wait holds it if the channel was just sent to).
        `name`: the threads are called `name-0`, `name-1`, ...
        """
        self.pacer, self.send, self.stopped, self.on_error = pacer, send, stopped, on_error
        self.senders, self.name, self.pace_first = senders, name, pace_first
        self.clock, self.sleep = clock, sleep
        self.queues: dict[str, deque[Job]] = defaultdict(deque)
        self.ready: list[tuple[float, int, str]] = []  # (monotonic time, tie, channel)
        self.order: dict[str, int] = {}
        self.scheduled: set[str] = set()  # channels in `ready` or being sent to
        self.waiting = 0  # queued jobs not yet tried
        self.busy = 0
        self.closed = False
        self.cond = threading.Condition()
        self.threads: list[threading.Thread] = []

    def add(self, jobs: Iterable[tuple[str, Job]]) -> None:
        """Queue (channel, job) pairs; the threads start on them at once."""
        with self.cond:
            for channel, job in jobs:
                self.waiting += 1
                self.order.setdefault(channel, len(self.order))
                self.queues[channel].append(job)
                if channel not in self.scheduled:
                    self.scheduled.add(channel)
                    at = self.pacer.ready_at(channel) if self.pace_first else 0.0
                    heapq.heappush(self.ready, (at, self.order[channel], channel))
            want = min(self.senders, len(self.order))
            while len(self.threads) < want:
                th = threading.Thread(target=self._work, name=f"{self.name}-{len(self.threads)}",
                                      daemon=True)  # fmt: skip
                self.threads.append(th)
                th.start()
            self.cond.notify_all()

    def wake(self) -> None:
        """Let idle threads look at `stopped()` again now (not at their next timeout)."""
        with self.cond:
            self.cond.notify_all()

    def _work(self) -> None:
        while True:
            with self.cond:
                while not self.ready and not (self.closed and self.busy == 0):
                    if self.stopped():
                        return
                    self.cond.wait(timeout=1.0)
                if not self.ready or self.stopped():
                    return
                at, n, channel = heapq.heappop(self.ready)
                job = self.queues[channel].popleft()
                self.busy += 1
            if at > self.clock():  # no sleep(0): under load it gives the GIL away for ~10 ms
                self.sleep(max(0.0, at - self.clock()))
            paced_as, tried = channel, False
            try:
                if not self.stopped():  # checked again after the pacing pause
                    tried = True
                    paced_as = self.send(job) or channel
            except Exception:  # a sender thread must outlive any one job (close waits on it)
                self.on_error(job)
            finally:
                with self.cond:
                    self.busy -= 1
                    if tried:
                        self.waiting -= 1
                    else:
                        self.queues[channel].appendleft(job)
                    if self.queues[channel]:
                        at = self.pacer.ready_at(paced_as)
                        heapq.heappush(self.ready, (at, n, channel))
                    else:
                        self.scheduled.discard(channel)
                    self.cond.notify_all()

    def wait_below(self, count: int) -> None:
        """Block while more than `count` queued jobs are still to be tried."""
        with self.cond:
            while self.waiting > count and any(th.is_alive() for th in self.threads):
                if self.stopped():
                    return
                self.cond.wait(timeout=1.0)

    def close(self, *, every: Callable[[], None] = lambda: None) -> list[Job]:
        """Send what is queued (unless stopped), stop the threads; the jobs never tried.

        `every` runs about once a second while waiting (the digests' lease heartbeat).
        """
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        for th in self.threads:
            while th.is_alive():
                th.join(timeout=1.0)
                every()
        return [job for queue in self.queues.values() for job in queue]
