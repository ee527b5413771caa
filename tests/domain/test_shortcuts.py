"""Short Japanese commands, and hints for a word the bot does not know."""

from __future__ import annotations

from bot.services.context import Ctx
from tests.factories import load_sample_plan, signage_team, wg


def test_kanryo_and_ichiran_alone_mean_task_done_and_task_list(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 掲示の更新")
    assert "完了にしました" in wg(ctx, "完了 #1").text
    wg(ctx, "task add 配置図 due:12/10")
    listed = wg(ctx, "一覧 自分").text
    assert listed.startswith("*自分のタスク*") and "配置図" in listed


def test_an_unknown_word_gets_the_commands_it_may_have_meant(ctx: Ctx) -> None:
    reply = wg(ctx, "taks list").text
    assert reply.endswith("もしかして: `/wg task list`")
    added = wg(ctx, "追加 掲示").text
    assert "もしかして: " in added and "`/wg task add`" in added and "`/wg team add`" in added
    assert "もしかして" not in wg(ctx, "xyzzy").text
    ctx.lang = "en"
    assert wg(ctx, "repot").text.endswith("Did you mean: `/wg report`")
