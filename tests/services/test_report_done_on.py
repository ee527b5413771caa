"""A milestone done with its day given (`task done #5 on:11/15`) counts from that day."""

from __future__ import annotations

from datetime import date

from bot.render.report_md import report_markdown
from bot.services.context import Ctx
from bot.services.reports import gather
from tests.factories import load_sample_plan, signage_team, wg
from tests.services.test_report_service import at, section_text


def _milestone_from_november(ctx: Ctx) -> None:
    """The signage WG's milestone #1, recorded on 1 November."""
    at(ctx, 2024, 11, 1)
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 配置図の完成 due:11/20 milestone")


def test_report_counts_the_milestone_reached_on_its_completion_day(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    at(ctx, 2024, 12, 2, 10)  # ticked off in December, done in November
    wg(ctx, "task done #1 on:11/18")
    a2 = section_text(report_markdown(gather(ctx, as_of=date(2024, 11, 30))), "A(2)")
    assert "- 達成したマイルストーン: 11月18日 配置図の完成" in a2
    assert "・未達成のマイルストーン 0件（うち期限超過 0件）" in a2


def test_task_done_on_a_given_day_is_not_open_at_that_months_end(ctx: Ctx) -> None:
    _milestone_from_november(ctx)
    wg(ctx, "task add 掲示の点検 due:11/22")
    at(ctx, 2024, 12, 2, 10)
    wg(ctx, "task done #2 on:11/21")
    a2 = section_text(report_markdown(gather(ctx, as_of=date(2024, 11, 30))), "A(2)")
    assert "- 未完了タスク 0件（うち期限超過 0件）" in a2
