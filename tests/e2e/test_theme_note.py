"""`/wg theme show` → 進捗を書く → the note modal with its date, over signed HTTP."""

from __future__ import annotations

import json
import time
from datetime import date

from sqlmodel import select

from storage.models import ProgressNote
from tests.e2e.conftest import Running
from tests.factories import load_sample_plan, signage_team
from tests.payloads import field
from tests.signed import Response


def _open_modal(run: Running, user: str) -> dict:
    before = len(run.slack.responses)
    assert run.client.command("theme show A(2)", user=user).status == 200
    run.slack.wait_for_responses(before + 1, timeout=5)
    blocks = run.slack.responses[before].json["blocks"]
    (button,) = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    resp = run.client.block_action(
        user=user,
        action_id=button["action_id"],
        value=button["value"],
        channel="C1",
        message_ts="1.0",
        trigger_id=f"trig-{user}",
        response_url=run.slack.response_url(f"theme-{user}"),
        container={
            "type": "message",
            "message_ts": "1.0",
            "channel_id": "C1",
            "is_ephemeral": True,
        },
    )
    assert resp.status == 200
    (call,) = run.slack.wait_for("views.open")
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def _submit(run: Running, view: dict, text: str, as_of: str) -> Response:
    return run.client.view_submission(
        user="U2",
        callback_id=view["callback_id"],
        private_metadata=view["private_metadata"],
        state_values={
            "note": field("plain_text_input", text),
            "as_of": field("datepicker", as_of),
        },
    )


def test_member_writes_a_theme_note_with_an_earlier_date(running: Running) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    view = _open_modal(running, "U2")
    pickers = [b["element"] for b in view["blocks"] if b.get("block_id") == "as_of"]
    assert pickers == [{"type": "datepicker", "action_id": "as_of", "initial_date": "2024-11-29"}]
    bad = _submit(running, view, "ラックを点検", "11/28")
    assert bad.json()["response_action"] == "errors"
    assert "11/28" in bad.json()["errors"]["as_of"]
    future = _submit(running, view, "来月の予定", "2024-12-10")
    assert "まだ来ていない日" in future.json()["errors"]["as_of"]
    ok = _submit(running, view, "ロビーのラックを点検した", "2024-11-28")
    assert ok.status == 200 and not ok.body
    time.sleep(0.3)
    with running.ctx.session() as s:
        (note,) = s.exec(select(ProgressNote)).all()
    assert (note.text, note.as_of, note.author) == (
        "ロビーのラックを点検した",
        date(2024, 11, 28),
        "U2",
    )
    # The ephemeral `theme show` cannot be updated: the confirmation comes as its own line.
    (said,) = running.slack.wait_for("chat.postEphemeral")
    assert (said.params["channel"], said.params["user"]) == ("C1", "U2")
    assert "A(2) に進捗 #1 を記録しました（11月28日時点）" in said.params["text"]


def test_stranger_cannot_write_on_a_theme_with_a_team(running: Running) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    before = len(running.slack.responses)
    assert running.client.command("theme show A(2)", user="U9").status == 200
    running.slack.wait_for_responses(before + 1, timeout=5)
    resp = running.client.block_action(
        user="U9",
        action_id="reminder_note",
        value="theme:A(2)",
        channel="C1",
        message_ts="1.0",
        trigger_id="trig-U9",
        response_url=running.slack.response_url("theme-U9"),
    )
    assert resp.status == 200
    running.slack.wait_for_responses(before + 2, timeout=5)
    assert "メンバー" in running.slack.responses[before + 1].json["text"]
    assert [c for c in running.slack.calls if c.method == "views.open"] == []
