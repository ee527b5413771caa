"""One error boundary for every listener: what a user is told when a request fails.

A refusal of a service reaches the user as its own message (ephemeral, or under the
form's field); anything unexpected (here a database that refuses writes, or a row it
cannot read) as the generic 「処理中に問題が起きました」, and the log names the error's
kind only, never its text. Surfaces: slash command, button, form, App Home.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from sqlalchemy import text

from tests.e2e.conftest import Running
from tests.factories import load_sample_plan, signage_team, wg

INTERNAL = "処理中に問題が起きました"
REFUSAL = "refused by the test"  # the database's error text: never shown, never logged


def refuse(run: Running, table: str, op: str = "INSERT") -> None:
    """The database refuses every `op` on `table` (a forced fault, as a full disk would)."""
    with run.ctx.engine.begin() as conn:
        conn.execute(
            text(
                f"CREATE TRIGGER refuse_{op}_{table} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
        )


def logged_kind_only(caplog: pytest.LogCaptureFixture, kind: str) -> None:
    """One error line naming the exception's class and the request; no error text."""
    lines = [caplog.handler.format(r) for r in caplog.records]
    failed = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(kind in line and "listener failed: IntegrityError" in line for line in failed)
    assert not [line for line in lines if REFUSAL in line]


@pytest.fixture
def task(running: Running) -> Running:
    """Task #1 of the signage team (member U1, assignee U2)."""
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    wg(running.ctx, "task add 自己点検 due:12/10 <@U2>")
    return running


def press(run: Running, action: str, value: str, *, user: str, where: str | None) -> None:
    """Press a button on a message answered through a response_url, or on App Home."""
    if where:
        resp = run.client.block_action(
            user=user,
            action_id=action,
            value=value,
            channel="D2",
            message_ts="1.000",
            response_url=run.slack.response_url(where),
        )
    else:  # App Home: no channel, no message, no response_url
        resp = run.client.block_action(
            user=user, action_id=action, value=value, view={"type": "home"}
        )
    assert resp.status == 200


def answer(run: Running, name: str) -> dict[str, Any]:
    """The one answer posted to response_url `name`."""
    deadline = time.monotonic() + 5
    while not run.slack.responses_to(name) and time.monotonic() < deadline:
        time.sleep(0.02)
    (posted,) = run.slack.responses_to(name)
    return dict(posted.json)


def dm_texts(run: Running, *, wait: int = 1) -> list[str]:
    """Texts posted by chat.postMessage (DMs), once `wait` of them arrived."""
    calls = run.slack.wait_for("chat.postMessage", count=wait)
    return [str(c.params.get("text")) for c in calls]


def test_slash_command_refusal_is_answered_ephemerally(running: Running, task: Running) -> None:
    url = running.slack.response_url("cmd")
    assert running.client.command("task done 99", user="U1", response_url=url).status == 200
    got = answer(running, "cmd")
    assert got["text"] == "タスク #99 は見つかりません。"
    assert got["response_type"] == "ephemeral"


def test_slash_command_failure_gets_the_generic_answer(
    running: Running, task: Running, caplog: pytest.LogCaptureFixture
) -> None:
    refuse(running, "task", "UPDATE")
    url = running.slack.response_url("cmd")
    assert running.client.command("task done 1", user="U2", response_url=url).status == 200
    got = answer(running, "cmd")
    assert INTERNAL in got["text"] and REFUSAL not in got["text"]
    assert any(r.levelno >= logging.ERROR for r in caplog.records)
    assert not [r for r in caplog.records if REFUSAL in caplog.handler.format(r)]


def test_button_refusal_is_answered_ephemerally(running: Running, task: Running) -> None:
    press(running, "reminder_done", "99", user="U2", where="done")
    got = answer(running, "done")
    assert got["text"] == "タスク #99 は見つかりません。"
    assert got["response_type"] == "ephemeral" and got["replace_original"] is False


def test_button_failure_gets_the_generic_answer_and_logs_the_kind_only(
    running: Running, task: Running, caplog: pytest.LogCaptureFixture
) -> None:
    refuse(running, "task", "UPDATE")
    press(running, "reminder_done", "1", user="U2", where="done")
    got = answer(running, "done")
    assert INTERNAL in got["text"] and REFUSAL not in got["text"]
    assert got["response_type"] == "ephemeral"
    logged_kind_only(caplog, "type=block_actions reminder_done")


def test_app_home_button_refusal_reaches_the_user_by_dm(running: Running, task: Running) -> None:
    press(running, "reminder_postpone", "99", user="U2", where=None)
    (dm,) = dm_texts(running)
    assert dm == "タスク #99 は見つかりません。"
    (opened,) = running.slack.wait_for("conversations.open")
    assert opened.params["users"] == "U2"


def test_form_refusal_shows_under_its_field(running: Running, task: Running) -> None:
    resp = running.client.view_submission(
        user="U1", callback_id="team_new", state_values={"name": "案内表示WG"}
    )
    assert resp.status == 200
    assert resp.json() == {
        "response_action": "errors",
        "errors": {"name": "チーム「案内表示WG」はすでにあります。"},
    }


def test_form_failure_shows_the_generic_message_under_the_main_field(
    running: Running, task: Running, caplog: pytest.LogCaptureFixture
) -> None:
    refuse(running, "team")
    resp = running.client.view_submission(
        user="U1", callback_id="team_new", state_values={"name": "広報PT", "kind": "PT"}
    )
    assert resp.status == 200
    body = resp.json()
    assert body["response_action"] == "errors" and list(body["errors"]) == ["name"]
    assert INTERNAL in body["errors"]["name"]
    logged_kind_only(caplog, "type=view_submission team_new")
    with running.ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM team WHERE name = '広報PT'")).scalar() == 0


def test_app_home_failure_is_told_by_dm_and_logged_as_its_kind(
    running: Running, task: Running, caplog: pytest.LogCaptureFixture
) -> None:
    refuse(running, "slack_event")  # the event cannot be recorded as handled
    running.slack.calls.clear()
    event = {"type": "app_home_opened", "user": "U2", "tab": "home", "channel": "D2"}
    running.client.event(event)
    (dm,) = dm_texts(running)
    assert INTERNAL in dm
    assert running.slack.wait_for("conversations.open")[0].params["users"] == "U2"
    logged_kind_only(caplog, "type=event_callback app_home_opened")
