"""The paced pool both senders run on: one job at a time per channel, at the pacer's pace."""

from __future__ import annotations

import itertools
import threading

from bot.services.paced_pool import ChannelPool

INTERVAL = 1.0


class FakeTime:
    """A monotonic clock that moves only when a thread sleeps; nothing really waits."""

    def __init__(self) -> None:
        self.now = 100.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


class FakePacer:
    """As `ChannelPacer`: a channel is ready a full interval after its last send."""

    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.next: dict[str, float] = {}

    def ready_at(self, channel: str) -> float:
        return self.next.get(channel, 0.0)

    def answered(self, channel: str) -> None:
        self.next[channel] = self.time.clock() + INTERVAL


class Recorder:
    """The jobs' sends: (fake time, channel, job), and the most in flight per channel."""

    def __init__(self, time: FakeTime, pacer: FakePacer) -> None:
        self.time, self.pacer = time, pacer
        self.sent: list[tuple[float, str, str]] = []
        self.errors: list[str] = []
        self.in_flight: dict[str, int] = {}
        self.most: dict[str, int] = {}
        self.lock = threading.Lock()

    def send(self, job: tuple[str, str]) -> str | None:
        channel, name = job
        with self.lock:
            self.in_flight[channel] = self.in_flight.get(channel, 0) + 1
            self.most[channel] = max(self.most.get(channel, 0), self.in_flight[channel])
            self.sent.append((self.time.clock(), channel, name))
        try:
            if name == "boom":
                raise RuntimeError("a job that fails")
            return None
        finally:
            with self.lock:
                self.in_flight[channel] -= 1
            self.pacer.answered(channel)


def make_pool(
    rec: Recorder, *, senders: int = 4, stopped: threading.Event | None = None
) -> ChannelPool[tuple[str, str]]:
    stop = stopped or threading.Event()
    return ChannelPool(
        pacer=rec.pacer,
        send=rec.send,
        stopped=stop.is_set,
        on_error=lambda job: rec.errors.append(job[1]),
        senders=senders,
        name="test",
        clock=rec.time.clock,
        sleep=rec.time.sleep,
    )


def recorder() -> Recorder:
    time = FakeTime()
    return Recorder(time, FakePacer(time))


def test_jobs_of_one_channel_go_one_at_a_time_an_interval_apart() -> None:
    rec = recorder()
    pool = make_pool(rec)
    pool.add(("C1", ("C1", f"m{n}")) for n in range(5))
    assert pool.close() == []
    times = [at for at, channel, _ in rec.sent if channel == "C1"]
    assert [name for _, _, name in rec.sent] == ["m0", "m1", "m2", "m3", "m4"]
    assert all(later - earlier >= INTERVAL for earlier, later in itertools.pairwise(times))
    assert rec.most["C1"] == 1


def test_channels_are_sent_to_in_parallel() -> None:
    rec = recorder()
    both = threading.Barrier(2, timeout=10)

    def send(job: tuple[str, str]) -> str | None:
        both.wait()  # passes only while the other channel's job is in flight too
        return rec.send(job)

    pool: ChannelPool[tuple[str, str]] = ChannelPool(
        pacer=rec.pacer,
        send=send,
        stopped=lambda: False,
        on_error=lambda job: rec.errors.append(job[1]),
        senders=2,
        name="test",
        clock=rec.time.clock,
        sleep=rec.time.sleep,
    )
    pool.add([("C1", ("C1", "a")), ("C2", ("C2", "b"))])
    pool.close()
    assert rec.errors == []
    assert sorted(name for _, _, name in rec.sent) == ["a", "b"]
    assert sorted(th.name for th in pool.threads) == ["test-0", "test-1"]


def test_a_failing_job_does_not_stop_its_channel() -> None:
    rec = recorder()
    pool = make_pool(rec, senders=1)
    pool.add([("C1", ("C1", "boom")), ("C1", ("C1", "after"))])
    pool.close()
    assert rec.errors == ["boom"]
    assert [name for _, _, name in rec.sent] == ["boom", "after"]


def test_nothing_is_sent_once_stopped_and_the_jobs_are_left() -> None:
    rec = recorder()
    stop = threading.Event()
    stop.set()
    pool = make_pool(rec, stopped=stop)
    pool.add([("C1", ("C1", "a")), ("C2", ("C2", "b"))])
    left = pool.close()
    assert rec.sent == []
    assert sorted(left) == [("C1", "a"), ("C2", "b")]


def test_no_more_threads_than_senders() -> None:
    rec = recorder()
    pool = make_pool(rec, senders=3)
    pool.add((f"C{n}", (f"C{n}", "m")) for n in range(10))
    pool.wait_below(0)
    pool.close()
    assert len(pool.threads) == 3
    assert len(rec.sent) == 10


def test_a_channels_first_job_waits_for_the_pacer_when_asked() -> None:
    rec = recorder()
    rec.pacer.next["C1"] = 105.0  # posted to a moment ago by someone else
    pool: ChannelPool[tuple[str, str]] = ChannelPool(
        pacer=rec.pacer,
        send=rec.send,
        stopped=lambda: False,
        on_error=lambda job: rec.errors.append(job[1]),
        senders=1,
        name="test",
        pace_first=True,
        clock=rec.time.clock,
        sleep=rec.time.sleep,
    )
    pool.add([("C1", ("C1", "a"))])
    pool.close()
    assert rec.sent[0][0] >= 105.0


def test_a_users_queue_is_paced_by_the_dm_channel_its_send_reports() -> None:
    rec = recorder()

    def send(job: tuple[str, str]) -> str | None:
        rec.send(("D1", job[1]))  # the pacer learns the DM channel, not the key "@U1"
        return "D1"

    pool = make_pool(rec)
    pool.send = send
    pool.add([("@U1", ("@U1", "a")), ("@U1", ("@U1", "b"))])
    pool.close()
    first, second = (at for at, _, _ in rec.sent)
    assert second - first >= INTERVAL
