"""`/wg task done #5 on:11/15`: the day a task was really completed (both databases)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.render.report_md import report_markdown
from bot.services.context import Ctx
from bot.services.reports import gather
from storage.models import Task
from tests.factories import load_sample_plan, signage_team, wg
from tests.services.test_report_service import at, section_text


def _milestone_from_november(ctx: Ctx) -> None:
    """The signage WG's milestone #1, recorded on 1 November; the clock back at 11/29."""
    at(ctx, 2024, 11, 1)
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 配置図の完成 due:11/20 milestone")
    at(ctx, 2024, 11, 29, 9)


def _task(ctx: Ctx) -> Task:
    with ctx.session() as s:
        return s.exec(select(Task)).one()


def test_task_done_on_a_past_day_keeps_that_day_and_says_it(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    reply = wg(ctx, "task done #1 on:11/15")
    assert "を完了にしました" in reply.text
    assert "完了日: 11月15日（金）" in reply.text
    task = _task(ctx)
    assert task.status == "done" and task.done_on == date(2024, 11, 15)


def test_japanese_alias_kanryoubi_reads_the_same_day(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    wg(ctx, "タスク 完了 #1 完了日：11月15日")
    assert _task(ctx).done_on == date(2024, 11, 15)


def test_task_done_without_on_leaves_the_day_to_done_at(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    reply = wg(ctx, "task done #1")
    assert "完了日" not in reply.text
    assert _task(ctx).done_on is None


def test_completion_day_after_today_is_refused_and_nothing_changes(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    reply = wg(ctx, "task done #1 on:2024-12-05")
    assert "まだ来ていない日" in reply.text and "12月5日" in reply.text
    task = _task(ctx)
    assert task.status == "open" and task.done_on is None


def test_completion_day_typed_without_a_year_after_today_is_refused_as_future(
    ctx: Ctx,
) -> None:
    """`on:12/1` typed on 29 November is this 1 December, not last year's (which gave a
    message about the day the task was recorded)."""
    _milestone_from_november(ctx)
    reply = wg(ctx, "task done #1 on:12/1")
    assert "まだ来ていない日" in reply.text and "登録した日" not in reply.text
    assert _task(ctx).status == "open"


def test_completion_day_before_the_task_was_recorded_is_refused(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    reply = wg(ctx, "task done #1 on:10/31")
    assert "登録した日" in reply.text and "10月31日" in reply.text
    assert _task(ctx).status == "open"


def test_completion_day_refused_in_english_too(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    ctx.lang = "en"
    reply = wg(ctx, "task done #1 on:2024-12-05")
    assert "has not come yet" in reply.text


def test_report_without_completion_day_uses_the_day_it_was_ticked_off(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    at(ctx, 2024, 12, 2, 10)
    wg(ctx, "task done #1")
    november = section_text(report_markdown(gather(ctx, as_of=date(2024, 11, 30))), "A(2)")
    assert "達成したマイルストーン" not in november
    december = section_text(report_markdown(gather(ctx, as_of=date(2024, 12, 31))), "A(2)")
    assert "- 達成したマイルストーン: 12月2日 配置図の完成" in december
