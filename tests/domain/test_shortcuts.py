"""Short Japanese commands, hints for an unknown word, an `@name` that is no mention."""

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


def test_an_at_name_that_is_no_slack_mention_is_kept_in_the_title_and_explained(
    ctx: Ctx,
) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    reply = wg(ctx, "task add 佐藤さんへ依頼 @佐藤").text
    assert "「佐藤さんへ依頼 @佐藤」を追加しました" in reply
    assert reply.endswith(
        "@佐藤 はSlackのメンションになっていないため担当者にしていません"
        "（入力中に出る候補から選んでください）。題名には入力どおり残しています。"
    )
    assigned = wg(ctx, "task add 確認 <@U2|sato>").text
    assert "担当: <@U2>" in assigned and "メンション" not in assigned


def test_keywords_typed_in_full_width_are_read_like_ascii(ctx: Ctx) -> None:
    # An IME often leaves letters full-width: ＳＴＯＰ and ＦＵＬＬ are stop and full.
    assert wg(ctx, "remind ＳＴＯＰ").text == wg(ctx, "remind off").text
    from bot.services.cases import add_case_admins

    add_case_admins(ctx, users=["U9"], actor="operator:test")
    reply = wg(ctx, "case export ＦＵＬＬ", user="U9")
    assert [f.filename for f in reply.files] == [
        f.filename for f in wg(ctx, "case export full", user="U9").files
    ]
    assert "内部用" in reply.files[0].filename
