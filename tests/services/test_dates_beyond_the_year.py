"""A date outside the current fiscal year is shown with its year, wherever the bot writes it;
a date typed with its weekday is read, and a wrong weekday refused (both databases)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from docx import Document
from sqlmodel import select

from bot.clock import FixedClock
from bot.domain.report import MilestoneInput, build_report
from bot.gateway import RecordingGateway
from bot.render.digest_view import digest_text
from bot.render.reminder_blocks import home_view
from bot.render.report_docx import report_docx
from bot.render.report_md import report_markdown
from bot.render.report_xlsx import report_csv
from bot.services import digests, home, outbox
from bot.services.context import Ctx
from storage.models import Task
from tests.conftest import JST
from tests.domain.test_report import AS_OF, INDICATORS, MILESTONES, NOTES, PLAN
from tests.factories import wg

NEXT_YEAR = "今後の予定: 令和7年12月1日（月） 次年度の全館点検"


def _at(ctx: Ctx, y: int, m: int, d: int) -> None:
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(y, m, d, 9, 0, tzinfo=JST))


def _due(ctx: Ctx) -> date | None:
    with ctx.session() as s:
        return s.exec(select(Task)).one().due


def test_november_report_shows_the_year_of_a_milestone_due_next_december() -> None:
    far = MilestoneInput("A(2)", "次年度の全館点検", date(2025, 12, 1), None)
    report = build_report(
        PLAN, notes=NOTES, milestones=(*MILESTONES, far), indicators=INDICATORS, as_of=AS_OF
    )
    md = report_markdown(report)
    assert f"- {NEXT_YEAR}" in md
    assert "今後の予定: 令和7年1月31日（金） WGによる現地確認" not in md  # this FY: no year
    assert "今後の予定: 1月31日（金） WGによる現地確認" in md
    texts = [p.text for p in Document(io.BytesIO(report_docx(report))).paragraphs]
    assert NEXT_YEAR in texts
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert any(NEXT_YEAR in cell for row in rows for cell in row)


def test_answers_show_the_year_of_a_due_date_next_fiscal_year(team_ctx: Ctx) -> None:
    reply = wg(team_ctx, "task add 次年度の全館点検 due:2025-12-01")
    assert "令和7年12月1日（月）" in reply.text
    assert "令和7年12月1日（月）" in wg(team_ctx, "task list mine").text
    wg(team_ctx, "task due #1 12/10")
    assert "12月10日（火）" in wg(team_ctx, "task list mine").text
    assert "令和6年12月10日" not in wg(team_ctx, "task list mine").text


def test_closed_day_next_fiscal_year_is_noted_with_its_year(team_ctx: Ctx) -> None:
    reply = wg(team_ctx, "task add 年末の片付け due:2025-12-29")
    assert "令和7年12月29日は閉庁日です（年末年始）" in reply.text
    assert "令和6年12月29日は閉庁日です" not in wg(team_ctx, "task due #1 12/29").text
    assert "12月29日は閉庁日です（年末年始）" in wg(team_ctx, "task due #1 12/29").text


def test_reminder_in_march_shows_the_year_of_an_april_due_date(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 新年度の掲示替え due:2025-04-02 <@U2>")
    _at(team_ctx, 2025, 3, 28)  # 3 business days before
    assert outbox.run_tick(team_ctx).sent == 1
    gw = team_ctx.gateway
    assert isinstance(gw, RecordingGateway)
    (msg,) = [m for m in gw.sent if m["kind"] == "message"]
    assert "令和7年4月2日（水）（あと3営業日）" in str(msg["blocks"])
    assert "令和7年4月2日（水）" in msg["text"]


def test_digest_and_home_show_the_year_of_a_milestone_next_fiscal_year(team_ctx: Ctx) -> None:
    _at(team_ctx, 2025, 3, 24)
    wg(team_ctx, "task add 新年度の説明会 due:2025-04-10 milestone")
    wg(team_ctx, "task add 年度末の締め due:2025-03-31 milestone")
    d = digests.preview(team_ctx, user="U1", team_name="案内表示WG")
    text = digest_text("ja", d)
    assert "新年度の説明会（令和7年4月10日（木））" in text
    assert "年度末の締め（3月31日（月））" in text
    assert "Thu 10 Apr 2025" in digest_text("en", d)
    view = str(home_view("ja", home.home_data(team_ctx, user="U1")))
    assert "令和7年4月10日（木）" in view and "3月31日（月）" in view


@pytest.mark.parametrize(
    "text",
    [
        "task add 点検 due:12月10日（火）",
        "task add 点検 due:12月10日(火)",
        "task add 点検 期限：１２月１０日（火）",
        "task add 点検 due:令和6年12月10日（火）",
        "task add 点検 due:2024-12-10（火）",
        "task add 点検 due:12/10(火)",
    ],
)
def test_due_date_typed_with_its_weekday_is_read(team_ctx: Ctx, text: str) -> None:
    assert "12月10日（火）" in wg(team_ctx, text).text
    assert _due(team_ctx) == date(2024, 12, 10)


def test_new_due_date_typed_with_its_weekday_is_read(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 点検 due:12/20")
    assert "12月10日（火）" in wg(team_ctx, "task due #1 12月10日（火）").text
    assert _due(team_ctx) == date(2024, 12, 10)


def test_wrong_weekday_is_refused_and_changes_nothing(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 点検 due:12/20")
    reply = wg(team_ctx, "task due #1 12月10日（水）")
    assert "12月10日は火曜日です（水と書かれています）" in reply.text
    assert _due(team_ctx) == date(2024, 12, 20)
    reply = wg(team_ctx, "task add 別の点検 due:令和7年12月10日(火)")
    assert "令和7年12月10日は水曜日です（火と書かれています）" in reply.text
    with team_ctx.session() as s:
        assert len(s.exec(select(Task)).all()) == 1


def test_wrong_weekday_is_refused_in_english(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 点検 due:12/20")
    team_ctx.lang = "en"
    reply = wg(team_ctx, "task due #1 12/10(Wed)")
    assert "10 Dec is a Tuesday (the text says Wed)" in reply.text
    assert "Mon 1 Dec 2025" in wg(team_ctx, "task due #1 2025-12-01").text
