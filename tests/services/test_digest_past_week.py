"""A digest previewed for a past week: its notes by their as-of date, its dates with the year."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot import cli
from bot.clock import FixedClock
from bot.render.digest_view import digest_text
from bot.services import digests
from bot.services.context import Ctx
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg


def _at(ctx: Ctx, y: int, m: int, d: int, hour: int = 10) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(y, m, d, hour, 0, tzinfo=JST))


@pytest.fixture
def two_years_on(ctx: Ctx) -> Ctx:
    """The 令和6年度 plan and the signage WG; on 1 December 2026 staff record November 2024."""
    _at(ctx, 2024, 11, 1)
    load_sample_plan(ctx)
    signage_team(ctx)
    _at(ctx, 2026, 12, 1)
    for line in (
        "note A(2) 市民課のラックを点検した as-of:2024-11-19",
        "note A(2) 配置図の案ができた as-of:2024-11-22",
        "note A(2) 翌週の打合せ as-of:2024-11-26",
    ):
        assert "を記録しました" in wg(ctx, line).text
    return ctx


def test_past_week_lists_the_notes_dated_in_the_week_before_it(
    two_years_on: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.digest_cli(two_years_on, team="案内表示WG", week="2024-11-25", post=False)
    out = capsys.readouterr().out
    assert "今週お知らせすることはありません" not in out
    assert "令和6年11月19日（火） A(2) 市民課のラックを点検した" in out
    assert "令和6年11月22日（金） A(2) 配置図の案ができた" in out
    assert "翌週の打合せ" not in out  # dated in the week itself: the next week's digest
    nxt = digests.preview(two_years_on, user="U1", team_name="案内表示WG", week="2024-12-02")
    assert [n.text for n in nxt.notes] == ["翌週の打合せ"]


def test_past_week_title_shows_its_year_to_todays_reader(two_years_on: Ctx) -> None:
    d = digests.preview(two_years_on, user="U1", team_name="案内表示WG", week="2024-11-25")
    text = digest_text("ja", d)
    assert "週間まとめ（令和6年11月25日（月）の週）" in text
    assert "週間まとめ（11月25日（月）の週）" not in text
