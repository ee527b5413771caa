"""`/wg team remove <team> @user…`: leads only, nothing deleted, a removed member is
no longer a member anywhere (tasks, reminders, App Home); a re-add brings them back."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from bot.clock import FixedClock
from bot.services.context import Ctx
from bot.services.home import home_data
from bot.services.reminder_planning import plan_month_end
from storage.models import Membership, Reminder, Task, TeamHistory
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg

TEAM = "案内表示WG"


def _history(ctx: Ctx) -> list[tuple[str, str, str]]:
    with ctx.session() as s:
        rows = s.exec(select(TeamHistory).order_by(col(TeamHistory.id))).all()
        return [(r.action, r.user_id, r.actor) for r in rows]


def test_only_a_lead_removes_and_nothing_is_deleted(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx, lead="U1", members=("U2", "U3"))
    for user in ("U2", "U5"):  # a member who does not lead, and a stranger
        said = wg(ctx, f"team remove {TEAM} <@U3>", user=user).text
        assert said == f"この操作はチーム「{TEAM}」のリーダーだけができます。"
    said = wg(ctx, f"team remove {TEAM} <@U3> <@U7>", user="U1").text
    assert said == (
        f"チーム「{TEAM}」から <@U3> を外しました（記録は残ります）。\n"
        f"チーム「{TEAM}」のメンバーではありません（変更なし）: <@U7>"
    )
    assert "<@U3>" not in wg(ctx, f"team show {TEAM}").text
    with ctx.session() as s:
        rows = s.exec(select(Membership).order_by(col(Membership.id))).all()
    assert [(m.user_id, m.removed_by) for m in rows] == [("U1", None), ("U2", None), ("U3", "U1")]
    assert rows[2].removed_at == ctx.clock.now()
    assert _history(ctx) == [
        ("member_add", "U1", "U1"),
        ("member_add", "U2", "U1"),
        ("member_add", "U3", "U1"),
        ("member_remove", "U3", "U1"),
    ]
    wg(ctx, f"team add {TEAM} <@U3>", user="U1")  # re-activated, the removal stays in history
    with ctx.session() as s:
        rows = s.exec(select(Membership).where(Membership.user_id == "U3")).all()
    assert [(m.removed_at, m.removed_by) for m in rows] == [(None, None)]
    assert _history(ctx)[-1] == ("member_add", "U3", "U1")
    assert "<@U3>" in wg(ctx, f"team show {TEAM}").text


def test_the_last_lead_stays(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx, lead="U1", members=("U2",))
    said = wg(ctx, f"team remove {TEAM} <@U1>", user="U1").text
    assert said.startswith(f"チーム「{TEAM}」のリーダーが一人もいなくなるため外せません。")
    wg(ctx, f"team add {TEAM} <@U2> lead", user="U1")
    assert "外しました" in wg(ctx, f"team remove {TEAM} <@U1>", user="U1").text
    assert "リーダーだけ" in wg(ctx, f"team add {TEAM} <@U5>", user="U1").text


def test_a_removed_member_no_longer_acts_or_sees_as_a_member(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx, lead="U1", members=("U2",))
    wg(ctx, f"task add 看板の発注 due:12/2 team:{TEAM} @U1", user="U1")
    wg(ctx, f"task add 試作の展示 due:12/20 team:{TEAM} milestone", user="U1")
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 12, 3, 9, 0, tzinfo=JST))  # the first task is overdue
    assert "看板の発注" in wg(ctx, "task list overdue", user="U2").text
    assert [c.title for c in home_data(ctx, user="U2").milestones] == ["試作の展示"]
    wg(ctx, f"team remove {TEAM} <@U2>", user="U1")
    assert "看板の発注" not in wg(ctx, "task list overdue", user="U2").text
    assert home_data(ctx, user="U2").milestones == []
    said = wg(ctx, "task done 1", user="U2").text
    assert said == f"チーム「{TEAM}」のメンバーではないため、この操作はできません。"
    assert "メンバーではない" in wg(ctx, f"task add 勝手な追加 team:{TEAM}", user="U2").text
    with ctx.session() as s:
        assert [t.status for t in s.exec(select(Task).order_by(col(Task.id))).all()] == [
            "open",
            "open",
        ]


def test_a_removed_lead_gets_no_month_end_reminder(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx, lead="U1", members=("U2",))
    wg(ctx, f"team add {TEAM} <@U2> lead", user="U1")
    wg(ctx, f"team remove {TEAM} <@U1>", user="U2")
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 12, 2, 8, 30, tzinfo=JST))
    assert plan_month_end(ctx) == 1
    with ctx.session() as s:
        rows = s.exec(select(Reminder).where(Reminder.kind == "month_end_note")).all()
    assert [r.user_id for r in rows] == ["U2"]
