"""The year-end result (取組結果): a lead's final A–D grade, and March's reminders to give it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlmodel import col, select

from bot import scheduler
from bot.clock import FixedClock
from bot.domain.reminder_plan import year_end_grade_days
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.services import outbox
from bot.services.context import Ctx
from storage.models import Reminder, Theme
from tests.conftest import CALENDAR, JST
from tests.factories import load_sample_plan, signage_team, wg
from tests.fakeslack import FakeSlack

LEAD, MEMBER, CENTER_LEAD = "U1", "U2", "U3"
REASON = "自己点検は全課で完了【12/20】、配置換え: 来年度へ（予算の都合）"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def march(ctx: Ctx, fake_slack: FakeSlack) -> Ctx:
    """FY2024: the signage WG on A(2) (lead U1) and the center WG on C(2) (lead U3)."""
    load_sample_plan(ctx)
    signage_team(ctx, lead=LEAD, members=(MEMBER,))
    wg(ctx, "team new 市民センター支援WG kind:WG theme:C(2) <#C0CENTER|c>", user=CENTER_LEAD)
    ctx.gateway = Gateway(make_client("xoxb-test", fake_slack.base_url, timeout=1),
                          pacer=ChannelPacer(0.0))  # fmt: skip
    at(ctx, 2025, 3, 3, 8, 30)  # a Monday
    return ctx


def at(ctx: Ctx, y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(y, m, d, hh, mm, tzinfo=JST))


def theme(ctx: Ctx, code: str) -> Theme:
    with ctx.session() as s:
        found = s.exec(select(Theme).where(Theme.code == code)).one()
        s.expunge(found)
        return found


def pending(ctx: Ctx) -> list[tuple[date, str | None, int | None]]:
    """(day, lead, theme) of each pending year-end grade reminder."""
    with ctx.session() as s:
        stmt = (
            select(Reminder)
            .where(Reminder.kind == "year_end_grade", Reminder.status == "pending")
            .order_by(col(Reminder.fire_at), col(Reminder.user_id))
        )
        return [(r.fire_at.astimezone(JST).date(), r.user_id, r.theme_id) for r in s.exec(stmt)]


def dms(fake: FakeSlack) -> list[str]:
    """The blocks of every DM Slack took, as text."""
    return [
        str(c.params.get("blocks"))
        for c in fake.ok_calls("chat.postMessage")
        if str(c.params.get("channel", "")).startswith("D")
    ]


def test_lead_gives_the_final_grade_and_the_reason_is_kept_as_typed(march: Ctx) -> None:
    at(march, 2025, 3, 10, 14)
    answer = wg(march, f"theme status A(2) final:ｂ {REASON}", user=LEAD).text
    assert "B（一定の進捗）" in answer and "自己点検は全課で完了【12/20】" in answer
    a2 = theme(march, "A(2)")
    assert (a2.final_status, a2.final_reason, a2.final_by) == ("B", REASON, LEAD)
    assert a2.final_at == datetime(2025, 3, 10, 14, tzinfo=JST)
    assert a2.status is None  # the month's confirmed status is another thing


def test_final_grade_from_anyone_but_a_lead_or_malformed_is_refused(march: Ctx) -> None:
    refusals = {
        MEMBER: f"theme status A(2) final:B {REASON}",
        "U9": f"theme status A(2) final:B {REASON}",
        LEAD: "theme status A(2) final:E 理由",
    }
    for user, line in refusals.items():
        answer = wg(march, line, user=user).text
        assert "リーダー" in answer or "A・B・C・D" in answer, answer
    assert "理由を書いてください" in wg(march, "theme status A(2) final:A", user=LEAD).text
    assert "制御文字" in wg(march, "theme status A(2) final:A 理由\x07", user=LEAD).text
    a2 = theme(march, "A(2)")
    assert (a2.final_status, a2.final_reason, a2.final_by, a2.final_at) == (None,) * 4


def test_grade_days_are_the_first_business_day_of_each_week_of_march() -> None:
    assert year_end_grade_days(2024, CALENDAR) == [date(2025, 3, d) for d in (3, 10, 17, 24, 31)]
    # 2024-03-01 is a Friday: that week's first day in March; then the Mondays.
    assert year_end_grade_days(2023, CALENDAR) == [date(2024, 3, d) for d in (1, 4, 11, 18, 25)]
    # 2028-03-20 is 春分の日, a Monday: that week's reminder goes on Tuesday.
    assert date(2028, 3, 21) in year_end_grade_days(2027, CALENDAR)
    for fy in range(2023, 2030):
        assert all(CALENDAR.is_business_day(d) for d in year_end_grade_days(fy, CALENDAR))


def test_march_reminders_are_planned_for_each_lead_and_none_outside_march(march: Ctx) -> None:
    at(march, 2025, 2, 28, 8, 30)
    scheduler.month_end_notes(march)  # the daily 08:30 job
    assert pending(march) == []
    at(march, 2025, 3, 3, 8, 30)
    scheduler.month_end_notes(march)
    scheduler.month_end_notes(march)  # daily: no second row
    a2, c2 = theme(march, "A(2)").id, theme(march, "C(2)").id
    days = [date(2025, 3, d) for d in (3, 10, 17, 24, 31)]
    assert pending(march) == sorted(
        [(d, LEAD, a2) for d in days] + [(d, CENTER_LEAD, c2) for d in days]
    )


def test_reminder_goes_out_once_and_stops_when_the_grade_is_given(
    march: Ctx, fake_slack: FakeSlack
) -> None:
    scheduler.month_end_notes(march)
    at(march, 2025, 3, 3, 9, 0)
    assert outbox.run_tick(march).sent == 2
    at(march, 2025, 3, 3, 9, 1)
    assert outbox.run_tick(march).sent == 0  # sent once
    (to_lead,) = [b for b in dms(fake_slack) if "A(2)" in b]
    assert (
        "取組結果" in to_lead and "/wg theme status A(2) final:&lt;A〜D&gt; &lt;理由&gt;" in to_lead
    )
    at(march, 2025, 3, 5, 15)
    wg(march, f"theme status A(2) final:A {REASON}", user=LEAD)
    assert {lead for _, lead, _ in pending(march)} == {CENTER_LEAD}
    scheduler.month_end_notes(march)
    assert {lead for _, lead, _ in pending(march)} == {CENTER_LEAD}
    at(march, 2025, 3, 10, 9, 0)
    fake_slack.clear()
    assert outbox.run_tick(march).sent == 1
    assert ["C(2)" in b for b in dms(fake_slack)] == [True]


def test_a_grade_given_behind_the_planners_back_cancels_the_row_at_send_time(
    march: Ctx, fake_slack: FakeSlack
) -> None:
    scheduler.month_end_notes(march)
    with march.session() as s:  # graded by another tool after the rows were planned
        for found in s.exec(select(Theme).where(col(Theme.code).in_(["A(2)", "C(2)"]))):
            found.final_status, found.final_reason = "C", "遅れ"
    at(march, 2025, 3, 3, 9, 0)
    result = outbox.run_tick(march)
    assert (result.sent, result.skipped) == (0, 2)
    assert dms(fake_slack) == []


def test_with_several_wards_the_reminder_names_the_themes_ward(
    march: Ctx, fake_slack: FakeSlack
) -> None:
    """A city-wide team's lead is asked about another ward's theme by its full name, so the
    command they copy grades that theme, not their own ward's theme of the same code."""
    from tests.services.test_wards import load_fictional_ward

    load_fictional_ward(march)
    wg(march, "team new カスハラPT kind:PT ward:全市 theme:架空区/A(1)", user=LEAD)
    scheduler.month_end_notes(march)
    at(march, 2025, 3, 3, 9, 0)
    outbox.run_tick(march)
    (asked,) = [b for b in dms(fake_slack) if "架空の窓口案内の改善" in b]
    assert "/wg theme status 架空区/A(1) final:" in asked
    wg(march, f"theme status 架空区/A(1) final:B {REASON}", user=LEAD)
    with march.session() as s:
        grades = {
            t.title: t.final_status for t in s.exec(select(Theme).where(Theme.code == "A(1)"))
        }
    assert grades == {"架空の窓口案内の改善": "B", "コンビニ交付の利用促進": None}
