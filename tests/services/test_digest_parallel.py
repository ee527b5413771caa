"""Monday's digests go out in parallel, one channel at Slack's pace: each once, each recorded.

Thirty team channels, posted by several threads at once (both databases): every channel
gets its digest exactly once and every (team, week) row ends `sent`, also when Slack
answers 429 to some posts, when two posters run at the same time, and when a shutdown
stops the poster half-way. A posted digest says what the preview says, to the byte.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.clock import FixedClock
from bot.gateway import ChannelPacer, Gateway, RecordingGateway, make_client
from bot.render.digest_view import digest_message
from bot.services import digests
from bot.services.context import Ctx
from bot.services.digests import post_digests
from storage.db import make_engine
from storage.models import DigestPost, Task, Team
from tests.conftest import CALENDAR, JST
from tests.factories import load_sample_plan, signage_team, wg
from tests.fakeslack import FakeSlack
from tests.services.test_report_commands import database_url

MONDAY = date(2024, 12, 2)
NINE = datetime(2024, 12, 2, 9, 0, tzinfo=JST)
TEAMS = 30


def _channel(n: int) -> str:
    return f"C{n:04d}"


@pytest.fixture
def city(ctx: Ctx) -> Ctx:
    """Thirty teams, each with its channel and a few tasks in every digest section."""
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(NINE)
    created = NINE - timedelta(days=60)
    with ctx.session() as s:
        teams = [
            Team(name=f"第{n}WG", channel_id=_channel(n), created_by="U1", created_at=created)
            for n in range(TEAMS)
        ]
        s.add_all(teams)
        s.flush()
        for team in teams:
            s.add_all(_tasks(team.id or 0))
    ctx.instance_id = "poster-1"
    return ctx


def _tasks(team_id: int) -> list[Task]:
    done = datetime(2024, 11, 27, 10, 0, tzinfo=JST)
    made = {"team_id": team_id, "created_by": "U1", "created_at": done - timedelta(days=30)}
    rows = [
        Task(title=f"点検 {i}", assignee="U2", due=MONDAY + timedelta(days=i), **made)
        for i in range(-3, 5)
    ]
    rows.append(Task(title="報告会", kind="milestone", due=MONDAY + timedelta(days=20), **made))
    rows.append(Task(title="配置図", status="done", done_at=done, done_by="U2", **made))
    return rows


def _slack_ctx(ctx: Ctx, fake: FakeSlack) -> Ctx:
    """Posting through the production client (its 429 handling) at one message a second."""
    ctx.gateway = Gateway(make_client("xoxb-test", fake.base_url, timeout=5),
                          pacer=ChannelPacer(1.0))  # fmt: skip
    return ctx


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def another_instance(engine: Engine, clock: FixedClock, name: str, fake: FakeSlack) -> Ctx:
    """A second process on the same database: its own engine, gateway and instance id."""
    other = Ctx(
        engine=make_engine(database_url(engine)), clock=clock, calendar=CALENDAR, instance_id=name
    )
    return _slack_ctx(other, fake)


def _delivered(fake: FakeSlack) -> Counter[str]:
    """Digests Slack took, per channel."""
    return Counter(str(c.params.get("channel")) for c in fake.ok_calls("chat.postMessage"))


def _rows(ctx: Ctx) -> dict[int, tuple[str, str | None]]:
    with ctx.session() as s:
        found = s.exec(select(DigestPost).where(DigestPost.week_start == MONDAY)).all()
        return {row.team_id: (row.status, row.message_ts) for row in found}


def _all_sent_once(ctx: Ctx, fake: FakeSlack) -> None:
    assert _delivered(fake) == {_channel(n): 1 for n in range(TEAMS)}
    rows = _rows(ctx)
    assert len(rows) == TEAMS
    assert all(status == "sent" and ts for status, ts in rows.values()), rows


def test_a_weeks_digests_posted_in_parallel_go_out_once_each_and_end_sent(
    city: Ctx, fake_slack: FakeSlack
) -> None:
    fake_slack.rate_limit_per_channel(1.0)  # a second post to a channel within 1 s: 429
    posted = post_digests(_slack_ctx(city, fake_slack), today=MONDAY)
    assert len(posted) == TEAMS
    _all_sent_once(city, fake_slack)
    assert [c for c in fake_slack.calls_to("chat.postMessage") if not c.ok] == []
    # A second run the same week posts nothing.
    assert post_digests(city, today=MONDAY) == []
    assert sum(_delivered(fake_slack).values()) == TEAMS


def test_channels_slack_answers_429_get_their_digest_once_after_retry_after(
    city: Ctx, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next(6, "429", methods=["chat.postMessage"], retry_after=1)
    posted = post_digests(_slack_ctx(city, fake_slack), today=MONDAY)
    assert len(posted) == TEAMS
    _all_sent_once(city, fake_slack)
    calls = fake_slack.calls_to("chat.postMessage")
    refused = [c for c in calls if not c.ok]
    assert len(refused) == 6
    for no in refused:
        (later,) = [c for c in calls if c.ok and c.params["channel"] == no.params["channel"]]
        assert later.time - no.time >= 0.95  # Retry-After: 1 obeyed (the fake's clock)


def test_two_posters_at_once_post_each_team_once(
    city: Ctx, fake_slack: FakeSlack, engine: Engine
) -> None:
    assert isinstance(city.clock, FixedClock)
    posters = [another_instance(engine, city.clock, f"poster-{n}", fake_slack) for n in (2, 3)]
    fake_slack.fail_next(3, "429", methods=["chat.postMessage"], retry_after=1)
    start = threading.Barrier(len(posters))
    counts: list[int] = []

    def run(c: Ctx) -> None:
        start.wait()
        counts.append(len(post_digests(c, today=MONDAY)))

    threads = [threading.Thread(target=run, args=(c,)) for c in posters]
    try:
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
        assert sorted(counts) != [] and sum(counts) == TEAMS
        _all_sent_once(city, fake_slack)
    finally:
        for c in posters:
            c.engine.dispose()


def test_a_shutdown_half_way_gives_the_rest_back_and_the_next_poster_sends_them_once(
    city: Ctx, fake_slack: FakeSlack, engine: Engine
) -> None:
    ctx = _slack_ctx(city, fake_slack)
    gateway = ctx.gateway
    assert gateway is not None
    post = gateway.post
    sent: list[str] = []

    def post_then_stop(channel: str, text: str, blocks: list[dict[str, Any]] | None = None) -> str:
        ts = post(channel, text, blocks)
        sent.append(channel)
        if len(sent) == 5:
            ctx.stopping.set()  # SIGTERM: posts in flight finish, no new one starts
        return ts

    gateway.post = post_then_stop  # type: ignore[method-assign]
    first = post_digests(ctx, today=MONDAY)
    assert 5 <= len(first) < TEAMS
    rows = _rows(ctx)
    assert len(rows) == len(first) and all(s == "sent" for s, _ in rows.values())
    assert isinstance(ctx.clock, FixedClock)
    nxt = another_instance(engine, ctx.clock, "poster-2", fake_slack)
    try:
        assert len(post_digests(nxt, today=MONDAY)) == TEAMS - len(first)
    finally:
        nxt.engine.dispose()
    _all_sent_once(ctx, fake_slack)


def test_a_posted_digest_says_what_the_preview_says_to_the_byte(ctx: Ctx) -> None:
    """Posting lists the first tasks of each section and only counts the rest (ほか N件)."""
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 11, 20, 10, 0, tzinfo=JST))
    load_sample_plan(ctx)
    signage_team(ctx)
    for i in range(60):
        wg(ctx, f"task add 点検{i:02d} due:11/2{1 + i % 9}")
    for i in range(20):
        wg(ctx, f"task add 今週の確認{i:02d} due:12/0{3 + i % 5}")
        wg(ctx, f"task add 報告会{i:02d} due:12/{10 + i} milestone")
    for task_id in range(1, 61, 3):
        ctx.clock.set(datetime(2024, 11, 26, 9, task_id, tzinfo=JST))
        wg(ctx, f"task done #{task_id}")
        wg(ctx, f"note #{task_id + 1} 先週の記録{task_id}")
    ctx.clock.set(NINE)
    preview = digests.preview(ctx, user="U1", team_name="案内表示WG")
    sections = (preview.done_last_week, preview.due_this_week, preview.overdue)
    assert min(map(len, (*sections, preview.milestones))) > 15
    ctx.gateway = RecordingGateway()
    (item,) = post_digests(ctx, today=MONDAY)
    assert len(item.digest.overdue) == 15  # only what a digest shows was read
    (msg,) = [m for m in ctx.gateway.sent if m["kind"] == "message"]
    text, blocks = digest_message("ja", preview)
    assert "ほか" in text
    assert (msg["text"], msg["blocks"]) == (text, blocks)
