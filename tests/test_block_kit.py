"""Every Block Kit surface the bot sends is one Slack accepts, even with oversized content.

slack_sdk's models know Slack's limits (3,000 characters in a section, 75 on a button, 100
blocks in a Home tab, 24 in a modal title): each surface, read back into them, must pass
their checks and turn into the same JSON.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.domain.digest import Digest, DigestNote, DigestTask
from bot.render import cases_view, digest_view, modals, reminder_blocks
from bot.services.home import HomeData
from bot.services.reminder_actions import NoteTarget, ReminderCard
from storage.models import HarassmentCase

TZ = ZoneInfo("Asia/Tokyo")
TODAY = date(2024, 11, 29)
LONG = "案内表示 <改善> & 調整 " * 40


def _card(task_id: int = 12, **changes: Any) -> ReminderCard:
    base: dict[str, Any] = {
        "kind": "task",
        "task_id": task_id,
        "title": LONG,
        "team": "案内表示WG",
        "theme_code": "A(2)",
        "due": TODAY + timedelta(days=3),
        "days_left": 2,
        "assignee": "U1",
        "today": TODAY,
    }
    return ReminderCard(**(base | changes))


def _case(**changes: Any) -> HarassmentCase:
    return HarassmentCase(
        **{
            "id": 7,
            "reporter": "U5",
            "occurred_at": datetime(2024, 11, 28, 10, 30, tzinfo=TZ),
            "place": "counter",
            "section": "市民課 & <窓口>",
            "kinds": "verbal,long",
            "minutes": 45,
            "staff_count": 2,
            "what_happened": "長い記述 & <b> " * 900,  # 9,900 characters
            "police": True,
            "status": "open",
        }
        | changes
    )


def _digest() -> Digest:
    def task(i: int, kind: str = "task") -> DigestTask:
        due = TODAY + timedelta(days=i % 9)
        return DigestTask(i, kind, LONG, due, "open", "U9", None)

    note = DigestNote(TODAY, TODAY, "U3", "A(2)", "メモ&" * 120)
    return Digest(
        team="案内 <表示> & WG" * 10,
        week_start=date(2024, 12, 2),
        today=TODAY,
        due_this_week=[task(i) for i in range(40)],
        milestones=[task(i, "milestone") for i in range(20)],
        notes=[note] * 30,
        new_cases=4,
    )


def _messages(lang: str) -> list[list[dict[str, Any]]]:
    kinds = ["task", "milestone", "overdue", "month_end_note", "done"]
    cards = [_card(kind=k, status="done" if k == "done" else "open", done_by="U2") for k in kinds]
    case = _case()
    return [
        *(reminder_blocks.reminder_message(lang, c)[1] for c in cards),
        reminder_blocks.theme_blocks(lang, "\n".join([LONG] * 40), "A(2)"),
        digest_view.digest_message(lang, _digest())[1],
        cases_view.case_detail(lang, case, TZ, today=TODAY, edits=2)[1],
    ]


def _views(lang: str) -> list[dict[str, Any]]:
    at = datetime(2024, 11, 29, 9, 0, tzinfo=TZ)
    many = [_card(i) for i in range(1, 150)]
    home = HomeData("U1", at, many[:90], many[90:], tasks_total=300, milestones_total=80)
    target = NoteTarget(ref="task:12", label=LONG)
    return [
        reminder_blocks.home_view(lang, home),
        reminder_blocks.note_modal(lang, target, channel="C1", ts="1.2", today=TODAY),
        cases_view.case_modal(lang, today=TODAY),
        cases_view.case_modal(lang, today=TODAY, case=_case(), tz=TZ),
        modals.team_new_modal(lang),
        modals.task_add_modal(lang),
    ]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_messages_pass_slack_limits_and_round_trip(lang: str) -> None:
    for blocks in _messages(lang):
        assert 0 < len(blocks) <= 50
        assert [b.to_dict() for b in Block.parse_all(blocks)] == blocks


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_modals_and_home_pass_slack_limits_and_round_trip(lang: str) -> None:
    for view in _views(lang):
        again = View(**view).to_dict()  # raises SlackObjectFormationError past a limit
        assert again == {k: v for k, v in view.items() if v != ""}
    home = _views(lang)[0]
    assert len(home["blocks"]) == 100
    assert home["blocks"][-1]["type"] == "context"  # 「…ほか N件」
