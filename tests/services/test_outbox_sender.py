"""One tick's sender: many claims flow as one paced queue per channel, shares, failures."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from bot.gateway import RecordingClient, RecordingGateway
from bot.services import outbox
from bot.services.context import Ctx
from storage.models import Reminder, Task, Team

TASK = re.compile(r"#(\d+)")


def seed(ctx: Ctx, per_user: dict[str, int]) -> None:
    """Open tasks with one reminder each, due a minute ago, for each user in turn."""
    due = ctx.clock.now() - timedelta(minutes=1)
    with Session(ctx.engine) as s:
        team = Team(name="負荷WG", created_by="U0", created_at=due)
        s.add(team)
        s.flush()
        for user, n in per_user.items():
            for i in range(n):
                task = Task(title=f"{user} の作業 {i}", team_id=team.id, assignee=user,
                            due=due.date() + timedelta(days=30), created_by="U0",
                            created_at=due)  # fmt: skip
                s.add(task)
                s.flush()
                s.add(Reminder(dedupe_key=f"t{task.id}", kind="task", task_id=task.id,
                               user_id=user, fire_at=due))  # fmt: skip
        s.commit()


def sent_per_user(gw: RecordingGateway) -> dict[str, list[int]]:
    """Task ids in the order each user's DM received them."""
    out: dict[str, list[int]] = defaultdict(list)
    for m in gw.sent:
        if m["kind"] == "message":
            found = TASK.search(str(m["text"]))
            assert found
            out[str(m["channel"])[1:]].append(int(found.group(1)))
    return out


def statuses(ctx: Ctx) -> Counter[str]:
    with ctx.session() as s:
        return Counter(r.status for r in s.exec(select(Reminder)).all())


def test_a_burst_larger_than_one_claim_goes_out_once_in_order(ctx: Ctx) -> None:
    ctx.gateway = gw = RecordingGateway()
    seed(ctx, {f"U{n}": 10 for n in range(13)})
    result = outbox.run_tick(ctx, limit=20)
    assert result.sent == result.claimed == 130
    got = sent_per_user(gw)
    assert sorted(got) == sorted(f"U{n}" for n in range(13))
    assert all(len(ids) == 10 and ids == sorted(ids) for ids in got.values())
    assert statuses(ctx) == {"sent": 130}


def test_a_crowded_dm_takes_its_share_and_the_others_still_go_out(ctx: Ctx) -> None:
    ctx.gateway = gw = RecordingGateway()
    seed(ctx, {"U0": outbox.PER_CHANNEL + 40} | {f"U{n}": 1 for n in range(1, 21)})
    first = outbox.run_tick(ctx, limit=30)
    assert first.claimed == first.sent == outbox.PER_CHANNEL + 20  # the put-back not counted
    got = sent_per_user(gw)
    assert len(got["U0"]) == outbox.PER_CHANNEL
    assert all(len(got[f"U{n}"]) == 1 for n in range(1, 21))
    assert statuses(ctx) == {"sent": outbox.PER_CHANNEL + 20, "pending": 40}
    outbox.run_tick(ctx, limit=30)  # the next tick takes the rest
    assert len(sent_per_user(gw)["U0"]) == outbox.PER_CHANNEL + 40
    assert statuses(ctx) == {"sent": outbox.PER_CHANNEL + 60}


class _BrokenForU3(RecordingClient):
    """Slack's client failing in an unexpected way for one DM."""

    def chat_postMessage(self, *, channel: str, **kwargs: Any) -> dict[str, Any]:
        if channel == "DU3":
            raise RuntimeError("connection pool exploded")
        return super().chat_postMessage(channel=channel, **kwargs)


def test_an_unexpected_error_for_one_dm_neither_hangs_the_tick_nor_stops_the_rest(
    ctx: Ctx,
) -> None:
    gw = RecordingGateway()
    gw.client = gw.recorder = _BrokenForU3()
    ctx.gateway = gw
    seed(ctx, {f"U{n}": 5 for n in range(6)})
    result = outbox.run_tick(ctx, limit=4)
    assert result.sent == 25 and result.retried == 5
    assert "U3" not in sent_per_user(gw)
    with ctx.session() as s:
        left = s.exec(select(Reminder).where(Reminder.user_id == "U3")).all()
    assert {(r.status, r.attempts) for r in left} == {("pending", 1)}
    # Recorded as the exception's class, not its text (which may quote anything).
    assert {r.last_error for r in left} == {"RuntimeError"}
