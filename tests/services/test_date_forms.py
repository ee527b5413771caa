"""Dates as ward staff type them in `/wg`: a month's end, a weekday after a space, and
the refusals, in both languages (both databases)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from bot.services.context import Ctx
from storage.models import Task
from tests.factories import wg

JAPANESE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"


def _task(ctx: Ctx) -> Task:
    with ctx.session() as s:
        return s.exec(select(Task)).one()


@pytest.mark.parametrize(
    ("line", "due"),
    [
        ("task add 予算要求資料 期限：12月末", date(2024, 12, 27)),
        ("task add 予算要求資料 due:来月末", date(2024, 12, 27)),
        ("task add 予算要求資料 due:令和7年3月末", date(2025, 3, 31)),
        ("task add 予算要求資料 due:12月10日 （火）", date(2024, 12, 10)),
    ],
)
def test_the_title_is_what_was_typed_and_the_due_date_is_read(
    team_ctx: Ctx, line: str, due: date
) -> None:
    reply = wg(team_ctx, line)
    task = _task(team_ctx)
    assert (task.title, task.due) == ("予算要求資料", due)
    assert "（火）" not in reply.text.split("予算要求資料")[0]


def test_changing_a_due_date_with_a_weekday_after_a_space(team_ctx: Ctx) -> None:
    wg(team_ctx, "task add 予算要求資料")
    wg(team_ctx, "task due #1 12月10日 （火）")
    assert _task(team_ctx).due == date(2024, 12, 10)
    wg(team_ctx, "task due #1 due:12月11日 （水）")
    assert _task(team_ctx).due == date(2024, 12, 11)
    reply = wg(team_ctx, "task due #1 due:12月12日 （金）")
    assert "12月12日は木曜日です（金と書かれています）" in reply.text
    assert _task(team_ctx).due == date(2024, 12, 11)


def test_a_part_of_a_month_is_refused_and_nothing_is_stored(team_ctx: Ctx) -> None:
    reply = wg(team_ctx, "task add 予算要求資料 due:12月上旬")
    assert "上旬・中旬・下旬では日が決まりません" in reply.text and "12月末" in reply.text
    with team_ctx.session() as s:
        assert s.exec(select(Task)).all() == []


@pytest.mark.parametrize(
    ("line", "english"),
    [
        ("task add x due:2月30日", "is not a real date"),
        ("task add x due:12月上旬", "Cannot read the date"),
        ("task add x due:令和7年12月10日 （火）", "10 Dec 2025 is a Wednesday"),
    ],
)
def test_date_refusals_in_english_have_no_japanese_but_the_typed_text(
    team_ctx: Ctx, line: str, english: str
) -> None:
    team_ctx.lang = "en"
    reply = wg(team_ctx, line)
    assert english in reply.text
    typed = line.split("due:")[1]  # quoted back in part (the weekday as written) or whole
    assert not re.search(f"[{JAPANESE}]", "".join(ch for ch in reply.text if ch not in typed))
