"""Teams, tasks and notes as a user drives them with `/wg` lines (both databases)."""

from __future__ import annotations

from sqlmodel import select

from bot.services.context import Ctx
from storage.models import ProgressNote, Task
from tests.factories import load_sample_plan, signage_team, wg


def _setup(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)


def test_task_add_answers_with_id_and_office_date(ctx: Ctx) -> None:
    _setup(ctx)
    reply = wg(ctx, "task add 各課の自己点検 due:2024-12-10")
    assert "#1" in reply.text
    assert "12月10日（火）" in reply.text
    assert "案内表示WG" in reply.text


def test_task_due_on_closed_day_is_kept_and_flagged(ctx: Ctx) -> None:
    _setup(ctx)
    reply = wg(ctx, "task add 年末の片付け due:12/29")
    assert "12月29日は閉庁日です" in reply.text
    with ctx.session() as s:
        assert str(s.exec(select(Task)).one().due) == "2024-12-29"


def test_japanese_aliases_work_like_english(ctx: Ctx) -> None:
    _setup(ctx)
    wg(ctx, "タスク 追加 ラックの配置図 期限:令和6年12月20日")
    reply = wg(ctx, "タスク 一覧 自分")
    assert "ラックの配置図" in reply.text
    assert "12月20日（金）" in reply.text


def test_task_list_mine_is_sorted_by_due_date(ctx: Ctx) -> None:
    _setup(ctx)
    wg(ctx, "task add 後のタスク due:12/20")
    wg(ctx, "task add 先のタスク due:12/05")
    text = wg(ctx, "task list mine").text
    assert text.index("先のタスク") < text.index("後のタスク")


def test_overdue_list_shows_only_late_open_tasks(ctx: Ctx) -> None:
    _setup(ctx)
    wg(ctx, "task add 遅れているタスク due:2024-11-20")
    wg(ctx, "task add 間に合うタスク due:2024-12-20")
    text = wg(ctx, "task list overdue").text
    assert "遅れているタスク" in text
    assert "間に合うタスク" not in text


def test_overdue_list_holds_my_teams_late_tasks_and_mine_elsewhere_and_no_others(
    ctx: Ctx,
) -> None:
    """`task list overdue`: late open tasks of my teams (whoever has them) and late tasks
    assigned to me in a team I am not on; never a stranger's late task in another team."""
    _setup(ctx)
    wg(ctx, "task add 同僚の遅れ due:2024-11-20 <@U2>")
    wg(ctx, "team new 別のWG", user="U8")
    wg(ctx, "task add 私に頼まれた遅れ due:2024-11-21 team:別のWG <@U1>", user="U8")
    wg(ctx, "task add 他人の遅れ due:2024-11-22 team:別のWG <@U8>", user="U8")
    text = wg(ctx, "task list overdue").text
    assert "同僚の遅れ" in text and "私に頼まれた遅れ" in text
    assert "他人の遅れ" not in text
    assert text.index("同僚の遅れ") < text.index("私に頼まれた遅れ")


def test_task_title_is_escaped_so_it_cannot_ping_the_channel(ctx: Ctx) -> None:
    _setup(ctx)
    reply = wg(ctx, "task add &lt;!channel&gt; 緊急 &amp; <@U9>")  # as Slack sends it
    assert "<!channel>" not in reply.text
    assert "&lt;!channel&gt;" in reply.text


def test_stranger_cannot_complete_a_team_task(ctx: Ctx) -> None:
    _setup(ctx)
    wg(ctx, "task add 点検表の配布 due:12/10")
    reply = wg(ctx, "task done #1", user="U_STRANGER")
    assert "メンバーではない" in reply.text
    with ctx.session() as s:
        assert s.exec(select(Task)).one().status == "open"


def test_team_member_completes_and_done_twice_is_refused(ctx: Ctx) -> None:
    _setup(ctx)
    wg(ctx, "task add 点検表の配布 due:12/10")
    assert "完了にしました" in wg(ctx, "task done #1", user="U2").text
    assert "すでに完了" in wg(ctx, "task done 1", user="U2").text
    with ctx.session() as s:
        task = s.exec(select(Task)).one()
        assert (task.status, task.done_by) == ("done", "U2")


def test_unknown_task_id_says_not_found(ctx: Ctx) -> None:
    _setup(ctx)
    assert "#99 は見つかりません" in wg(ctx, "task done #99").text


def test_bad_date_lists_the_forms_and_writes_nothing(ctx: Ctx) -> None:
    _setup(ctx)
    reply = wg(ctx, "task add 何か due:そのうち")
    assert "令和6年12月10日" in reply.text
    with ctx.session() as s:
        assert s.exec(select(Task)).all() == []


def test_due_change_and_assign(ctx: Ctx) -> None:
    _setup(ctx)
    wg(ctx, "task add 現地確認 due:12/10")
    assert "12月13日（金）" in wg(ctx, "task due #1 12月13日").text
    assert "<@U2>" in wg(ctx, "task assign #1 <@U2>").text
    with ctx.session() as s:
        assert s.exec(select(Task)).one().assignee == "U2"


def test_theme_codes_are_written_many_ways(ctx: Ctx) -> None:
    _setup(ctx)
    for code in ("A(2)", "A2", "a2", "Ａ（２）"):
        assert "庁舎内の案内表示" in wg(ctx, f"theme show {code}").text


def test_unknown_theme_and_team_name_the_problem(ctx: Ctx) -> None:
    _setup(ctx)
    assert "Z(9)" in wg(ctx, "theme show Z(9)").text
    assert "存在しないチーム" in wg(ctx, "task list team:存在しないチーム").text


def test_only_a_lead_adds_members(ctx: Ctx) -> None:
    _setup(ctx)
    reply = wg(ctx, "team add 案内表示WG <@U7>", user="U2")
    assert "リーダーだけ" in reply.text
    assert "<@U7>" not in wg(ctx, "team show 案内表示WG").text


def test_notes_on_task_and_theme_are_kept(ctx: Ctx) -> None:
    _setup(ctx)
    wg(ctx, "task add 自己点検 due:12/10")
    assert "#1 に進捗 #1 を記録" in wg(ctx, "note #1 3課が点検を終えた").text
    assert "A(2) に進捗 #2 を記録" in wg(ctx, "note a2 ラックの配置案を作成").text
    assert "ラックの配置案" in wg(ctx, "theme show A(2)").text
    with ctx.session() as s:
        assert len(s.exec(select(ProgressNote)).all()) == 2


def test_unknown_subcommand_and_empty_text_get_help(ctx: Ctx) -> None:
    assert "help" in wg(ctx, "frobnicate").text
    assert "task add" in wg(ctx, "").text


def test_team_new_without_arguments_opens_a_modal(ctx: Ctx) -> None:
    reply = wg(ctx, "team new", trigger_id="trig")
    assert reply.modal is not None and reply.modal["callback_id"] == "team_new"


def test_english_messages_with_language_en(ctx: Ctx) -> None:
    ctx.lang = "en"
    load_sample_plan(ctx)
    reply = wg(ctx, "team new Signage kind:WG theme:A2")
    assert "Created team" in reply.text


def test_overlong_title_is_refused(ctx: Ctx) -> None:
    _setup(ctx)
    assert "長すぎます" in wg(ctx, "task add " + "あ" * 301).text
