"""Progress notes and indicator values follow one rule: dated within their plan's fiscal year."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from bot.clock import FixedClock
from bot.render.report_md import report_markdown
from bot.services.context import Ctx
from bot.services.reports import gather
from storage.models import KpiValue, ProgressNote, Theme
from tests.conftest import JST
from tests.factories import load_sample_plan, signage_team, wg

BEFORE = "令和5年11月1日は方針の年度（令和6年度）より前です。"
AFTER = "令和8年12月1日は方針の年度（令和6年度）が終わった後です。"


@pytest.fixture
def ward(ctx: Ctx) -> Ctx:
    """The sample plan (令和6年度), the signage WG on A(2), a task and an indicator."""
    load_sample_plan(ctx)
    signage_team(ctx)
    assert "#1" in wg(ctx, "task add 掲示の点検 due:12/10 team:案内表示WG").text
    assert "#1" in wg(ctx, "kpi add A(2) 撤去したチラシ unit:種類 target:50").text
    return ctx


def _stored(ctx: Ctx) -> tuple[list[ProgressNote], list[KpiValue]]:
    with ctx.session() as s:
        return list(s.exec(select(ProgressNote)).all()), list(s.exec(select(KpiValue)).all())


@pytest.mark.parametrize(
    "line",
    [
        "note A(2) 古い話 as-of:2023-11-01",
        "note #1 古い話 as-of:2023-11-01",
        "kpi set #1 40 as-of:2023-11-01",
    ],
)
def test_a_date_before_the_plan_year_is_refused_alike(ward: Ctx, line: str) -> None:
    assert BEFORE in wg(ward, line).text
    assert _stored(ward) == ([], [])


@pytest.mark.parametrize("line", ["note A(2) 2年後の話", "note #1 2年後の話", "kpi set #1 40"])
def test_today_after_the_plan_year_is_refused_alike(ward: Ctx, line: str) -> None:
    """Two years on, with only the 令和6年度 plan imported, nothing lands on it silently."""
    assert isinstance(ward.clock, FixedClock)
    ward.clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=JST))
    assert AFTER in wg(ward, line).text
    assert _stored(ward) == ([], [])


def test_dates_within_the_plan_year_are_kept(ward: Ctx) -> None:
    assert "進捗 #1" in wg(ward, "note A(2) 年度初めの話 as-of:2024-04-01").text
    assert "進捗 #2" in wg(ward, "note #1 年度末の予定を確認 as-of:11/28").text
    notes, _ = _stored(ward)
    assert [n.as_of for n in notes] == [date(2024, 4, 1), date(2024, 11, 28)]


def test_a_note_stored_before_the_rule_outside_the_year_stays_out_of_the_report(
    ward: Ctx,
) -> None:
    with ward.session() as s:  # as an earlier release let it be stored
        theme = s.exec(select(Theme).where(Theme.code == "A(2)")).one()
        s.add(
            ProgressNote(
                theme_id=theme.id,
                author="U1",
                text="前年度のメモ",
                as_of=date(2023, 11, 1),
                created_at=ward.clock.now(),
            )
        )
    assert "前年度のメモ" not in report_markdown(gather(ward, as_of=date(2024, 11, 30)))
