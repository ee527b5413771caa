"""Weekly digest content and once-per-week posting (both databases)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import FixedClock
from bot.render.digest_view import digest_text
from bot.services import digests
from bot.services.context import Ctx
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg


def _at(ctx: Ctx, y: int, m: int, d: int, hour: int = 9) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(y, m, d, hour, 0, tzinfo=JST))


def _november(ctx: Ctx) -> None:
    _at(ctx, 2024, 11, 25)
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add 先週終わった点検 due:11/27")
    wg(ctx, "task add 来週の確認会 due:12/04 milestone")
    wg(ctx, "task add 遅れている配置図 due:11/26 <@U2>")
    wg(ctx, "task add ずっと先の現地確認 due:2025-03-14 milestone")
    wg(ctx, "task add 再来週の報告会 due:12/13 milestone")
    _at(ctx, 2024, 11, 27)
    wg(ctx, "task done #1")
    wg(ctx, "note A(2) ラック19台のうち6台を点検した")


def test_monday_digest_shows_last_weeks_work(ctx: Ctx) -> None:
    _november(ctx)
    _at(ctx, 2024, 12, 2)
    d = digests.preview(ctx, user="U1", team_name="案内表示WG")
    assert [t.title for t in d.done_last_week] == ["先週終わった点検"]
    assert [t.title for t in d.due_this_week] == ["来週の確認会"]
    assert [(t.title, t.assignee) for t in d.overdue] == [("遅れている配置図", "U2")]
    # Due this week is listed once; the 30-day outlook starts next week.
    assert [t.title for t in d.milestones] == ["再来週の報告会"]
    assert [n.text for n in d.notes] == ["ラック19台のうち6台を点検した"]
    text = digest_text("ja", d)
    assert "12月2日（月）の週" in text and "<@U2>" in text
    assert "先週新たに記録された事例" not in text


def test_empty_week_says_so_in_one_line(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    text = digest_text("ja", digests.preview(ctx, user="U1", team_name="案内表示WG"))
    assert text.splitlines()[-1] == "今週お知らせすることはありません。"


def test_digest_escapes_task_titles(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    wg(ctx, "task add &lt;!here&gt; 確認 due:11/29")  # as Slack sends a typed `<!here>`
    text = digest_text("ja", digests.preview(ctx, user="U1", team_name="案内表示WG"))
    assert "<!here>" not in text and "&lt;!here&gt;" in text


def test_digest_week_that_does_not_parse_is_refused(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    assert "週「そのうち」が読めません" in wg(ctx, "digest team:案内表示WG week:そのうち").text


def test_digest_preview_needs_a_team_when_user_has_none(ctx: Ctx) -> None:
    assert "team:" in wg(ctx, "digest", user="U_NOBODY").text


def test_old_done_tasks_stay_out_of_the_digest(ctx: Ctx) -> None:
    _november(ctx)
    _at(ctx, 2024, 12, 2)
    later = digests.preview(ctx, user="U1", team_name="案内表示WG", week="2024-12-09")
    assert later.done_last_week == []
    assert later.week_start == (later.week_start - timedelta(days=later.week_start.weekday()))
