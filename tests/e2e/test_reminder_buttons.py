"""Reminder buttons over HTTP: 完了 / 1営業日延期 / 進捗を書く, by whom, twice, and bad input."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.clock import FixedClock
from storage.db import make_engine
from storage.models import ProgressNote, Reminder, Task
from tests.conftest import JST
from tests.e2e.conftest import SECRET, Running, press_button, reminder_sent_on_12_5, start_app
from tests.factories import load_sample_plan, signage_team, wg
from tests.payloads import field
from tests.signed import SignedClient, SlackRequestSigner


@pytest.fixture
def reminded(running: Running) -> tuple[str, str]:
    """Task #1 (assignee U2, member U1) reminded on 12/5; returns (channel, ts) of the DM."""
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    wg(running.ctx, "task add 自己点検 due:12/10 <@U2>")
    return reminder_sent_on_12_5(running)


def _task(run: Running) -> Task:
    with run.ctx.session() as s:
        task = s.get(Task, 1)
        assert task is not None
        return task


def _ephemeral(run: Running, before: int) -> str:
    run.slack.wait_for_responses(before + 1, timeout=5)
    body = run.slack.responses[before].json
    assert body["response_type"] == "ephemeral" and body.get("replace_original") is False
    return str(body["text"])


def _updates(run: Running) -> list[dict]:
    return [c.params for c in run.slack.calls if c.method == "chat.update"]


def _blocks(params: dict) -> list[dict]:
    blocks = params["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _notes(run: Running, *, at_least: int = 1, timeout: float = 5.0) -> list[ProgressNote]:
    """The saved progress notes, once at least `at_least` are there (or the deadline passed)."""
    deadline = time.monotonic() + timeout
    while True:
        with run.ctx.session() as s:
            notes = list(s.exec(select(ProgressNote)).all())
        if len(notes) >= at_least or time.monotonic() > deadline:
            return notes
        time.sleep(0.02)


def test_done_by_assignee_updates_the_message_and_twice_is_idempotent(
    running: Running, reminded: tuple[str, str]
) -> None:
    press_button(running, reminded, "reminder_done", "1", user="U2")
    running.slack.wait_for("chat.update")
    assert _task(running).status == "done" and _task(running).done_by == "U2"
    update = _updates(running)[-1]
    assert (update["channel"], update["ts"]) == reminded
    assert not [b for b in _blocks(update) if b["type"] == "actions"]
    before = len(running.slack.responses)
    press_button(running, reminded, "reminder_done", "1", user="U2")
    assert "すでに完了" in _ephemeral(running, before)
    assert _task(running).status == "done"


def test_done_by_team_member(running: Running, reminded: tuple[str, str]) -> None:
    press_button(running, reminded, "reminder_done", "1", user="U1")
    running.slack.wait_for("chat.update")
    assert _task(running).done_by == "U1"


def test_stranger_is_refused_ephemerally_and_nothing_changes(
    running: Running, reminded: tuple[str, str]
) -> None:
    for n, action in enumerate(("reminder_done", "reminder_postpone", "reminder_note")):
        before = len(running.slack.responses)
        value = {"reminder_postpone": "1:2024-12-10", "reminder_note": "task:1"}.get(action, "1")
        press_button(running, reminded, action, value, user="U9")
        assert "#1" in _ephemeral(running, before), n
    task = _task(running)
    assert (task.status, task.due) == ("open", date(2024, 12, 10))
    assert _updates(running) == []
    assert not [c for c in running.slack.calls if c.method == "views.open"]


def test_postpone_moves_one_business_day_once(running: Running, reminded: tuple[str, str]) -> None:
    press_button(running, reminded, "reminder_postpone", "1:2024-12-10", user="U1")
    running.slack.wait_for("chat.update")
    assert _task(running).due == date(2024, 12, 11)
    assert "12月11日（水）" in json.dumps(_blocks(_updates(running)[-1]), ensure_ascii=False)
    with running.ctx.session() as s:
        fires = s.exec(select(Reminder.fire_at).where(Reminder.status == "pending")).all()
    assert date(2024, 12, 11) in {f.astimezone(JST).date() for f in fires}
    before = len(running.slack.responses)
    press_button(running, reminded, "reminder_postpone", "1:2024-12-10", user="U2")  # the old card
    assert "すでに延期" in _ephemeral(running, before)
    assert _task(running).due == date(2024, 12, 11)


def test_note_button_opens_modal_and_saves_a_progress_note(
    running: Running, reminded: tuple[str, str]
) -> None:
    press_button(running, reminded, "reminder_note", "task:1", user="U2")
    (call,) = running.slack.wait_for("views.open")
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "note_modal"
    meta = view["private_metadata"]
    empty = running.client.view_submission(
        user="U2",
        callback_id="note_modal",
        private_metadata=meta,
        state_values={"note": field("plain_text_input", "  ")},
    )
    assert empty.json()["response_action"] == "errors" and "note" in empty.json()["errors"]
    too_long = running.client.view_submission(
        user="U2",
        callback_id="note_modal",
        private_metadata=meta,
        state_values={"note": field("plain_text_input", "あ" * 3001)},
    )
    assert too_long.json()["response_action"] == "errors"
    with running.ctx.session() as s:
        assert s.exec(select(ProgressNote)).all() == []
    ok = running.client.view_submission(
        user="U2",
        callback_id="note_modal",
        private_metadata=meta,
        state_values={"note": field("plain_text_input", "看板の試作を発注した")},
    )
    assert ok.status == 200
    (note,) = _notes(running)
    assert (note.task_id, note.author, note.text) == (1, "U2", "看板の試作を発注した")
    running.slack.wait_for("chat.update")


@pytest.mark.parametrize("value", ["abc", "999", "", "1:not-a-date"])
def test_unknown_ids_behind_a_button_get_a_clear_message(
    running: Running, reminded: tuple[str, str], value: str
) -> None:
    before = len(running.slack.responses)
    press_button(running, reminded, "reminder_postpone", value, user="U2")
    assert _ephemeral(running, before)
    assert _task(running).due == date(2024, 12, 10)


def test_button_for_a_deleted_task(running: Running, reminded: tuple[str, str]) -> None:
    with running.ctx.engine.begin() as conn:  # a task removed behind the bot's back
        conn.execute(text("DELETE FROM reminder"))
        conn.execute(text("DELETE FROM task"))
    before = len(running.slack.responses)
    press_button(running, reminded, "reminder_done", "1", user="U2")
    assert "見つかりません" in _ephemeral(running, before)


def test_app_home_opened_publishes_tasks(running: Running, reminded: tuple[str, str]) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": "Ev1",
            "event_time": 1,
            "event": {"type": "app_home_opened", "user": "U2", "tab": "home", "channel": "D2"},
        }
    ).encode()
    headers = SlackRequestSigner("test-signing-secret").headers(body)
    headers["Content-Type"] = "application/json"
    running.slack.calls.clear()
    assert running.client.post_raw(body, headers).status == 200
    (call,) = running.slack.wait_for("views.publish")
    assert call.params["user_id"] == "U2" and "自己点検" in str(call.params["view"])


def test_a_button_pressed_while_the_database_is_away_says_so_and_changes_nothing(
    running: Running, reminded: tuple[str, str], tmp_path: Path
) -> None:
    working = running.ctx.engine
    running.ctx.engine = make_engine(f"sqlite:///{tmp_path}/missing/wgbot.db")
    before = len(running.slack.responses)
    press_button(running, reminded, "reminder_done", "1", user="U2")
    assert "一時的に保存できません" in _ephemeral(running, before)
    running.ctx.engine = working
    assert _task(running).status != "done"


FRESH_APPS = 40


def test_a_refused_press_on_a_busy_machine_gets_our_answer_not_slacks_404(
    running: Running, reminded: tuple[str, str]
) -> None:
    # A refused press fails fast on bolt's pool. bolt 1.30 then wrote None over the ack
    # the middleware had given; a request thread that had not read it yet (on a fresh app
    # it waits while bolt starts the pool thread) waited 3 s and answered Slack 404
    # "didn't call ack()". Each round is a fresh app's first press, as in the tests above.
    assert isinstance(running.ctx.clock, FixedClock)
    answered = len(running.slack.responses)
    statuses = []
    for n in range(FRESH_APPS):
        _, server, url = start_app(running.ctx.engine, running.ctx.clock, running.slack)
        client = SignedClient(url, SECRET, response_url_base=running.slack.response_url("r"))
        try:
            resp = client.block_action(
                user="U9",
                action_id="reminder_postpone",
                value="1:2024-12-10",
                channel=reminded[0],
                message_ts=reminded[1],
                trigger_id=f"trig-{n}",
            )
        finally:
            server.close()  # type: ignore[attr-defined]
        statuses.append((resp.status, resp.elapsed < 2.5))
    assert statuses == [(200, True)] * FRESH_APPS
    running.slack.wait_for_responses(answered + FRESH_APPS, timeout=10)
    assert _task(running).due == date(2024, 12, 10)
