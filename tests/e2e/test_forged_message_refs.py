"""A button's container and the note form's metadata cannot make the bot edit another message.

A validly signed but forged payload names another team's channel and message: the
change is saved (the user may make it), but only a reminder the bot sent for that task
to that user is redrawn with chat.update.
"""

from __future__ import annotations

import json
import time

import pytest
from sqlmodel import select

from storage.models import AuditLog, ProgressNote
from tests.e2e.conftest import Running, press_button
from tests.e2e.test_reminder_buttons import _task, _updates, reminded
from tests.payloads import field

__all__ = ["reminded"]  # the fixture, imported for pytest
OTHER_TEAM = ("C0OTHERTEAM", "1700000000.000100")
SKIPPED = "a reminder update named a message the bot did not send for it; skipped"


def _wait_until_skipped(caplog: pytest.LogCaptureFixture, timeout: float = 5.0) -> None:
    """Wait (bounded) until the listener has decided not to redraw the forged message."""
    deadline = time.monotonic() + timeout
    while SKIPPED not in caplog.messages:
        assert time.monotonic() < deadline, "the listener never got to the redraw"
        time.sleep(0.02)


def test_a_note_form_with_forged_metadata_saves_the_note_and_edits_no_other_message(
    running: Running, reminded: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    press_button(running, reminded, "reminder_note", "task:1", user="U2")
    (call,) = running.slack.wait_for("views.open")
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    meta = json.loads(view["private_metadata"])
    assert (meta["channel"], meta["ts"]) == reminded
    forged = {**meta, "channel": OTHER_TEAM[0], "ts": OTHER_TEAM[1]}
    ok = running.client.view_submission(
        user="U2",
        callback_id="note_modal",
        private_metadata=json.dumps(forged),
        state_values={"note": field("plain_text_input", "看板の試作を発注した")},
    )
    assert ok.status == 200
    _wait_until_skipped(caplog)
    with running.ctx.session() as s:
        assert [n.text for n in s.exec(select(ProgressNote)).all()] == ["看板の試作を発注した"]
        assert s.exec(select(AuditLog)).all() == []
    assert [(u["channel"], u["ts"]) for u in _updates(running)] == []


def test_a_button_pressed_under_a_forged_container_edits_no_other_message(
    running: Running, reminded: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    press_button(running, OTHER_TEAM, "reminder_postpone", "1:2024-12-10", user="U2")
    _wait_until_skipped(caplog)
    assert _task(running).due.isoformat() == "2024-12-11"  # saved: U2 may postpone it
    assert _updates(running) == []
    press_button(running, reminded, "reminder_done", "1", user="U2")  # the real message still is
    running.slack.wait_for("chat.update")
    assert [(u["channel"], u["ts"]) for u in _updates(running)] == [reminded]
