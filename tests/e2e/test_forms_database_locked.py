"""A form submitted while the SQLite database is locked is answered under its field.

Another connection holds `BEGIN EXCLUSIVE` on the file: the case form and the note form
wait out the busy timeout, then say 一時的に保存できません under the field (not Slack's
generic error from a 404 "unhandled request"), and nothing is saved.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import select

from bot import cli
from storage.models import HarassmentCase, ProgressNote
from tests.e2e.conftest import Running, press_button
from tests.e2e.test_cases_access import state
from tests.e2e.test_reminder_buttons import reminded
from tests.factories import wg
from tests.payloads import field

__all__ = ["reminded"]  # the fixture, imported for pytest
OUTAGE = "一時的に保存できません"


@contextmanager
def locked(run: Running) -> Iterator[None]:
    """Hold an exclusive lock on the app's SQLite file."""
    path = run.ctx.engine.url.database
    assert path
    conn = sqlite3.connect(path, isolation_level=None, timeout=1)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_case_and_note_forms_say_the_database_is_away(
    running: Running, reminded: tuple[str, str]
) -> None:
    wg(running.ctx, "team new カスハラPT kind:PT", user="U9")
    assert cli.case_admin_cli(running.ctx, "add", ["U9"]) == 0
    press_button(running, reminded, "reminder_note", "task:1", user="U2")
    (call,) = running.slack.wait_for("views.open")
    view = call.params["view"]
    meta = (json.loads(view) if isinstance(view, str) else view)["private_metadata"]
    with locked(running):
        case = running.client.view_submission(
            user="U1", callback_id="case_form", state_values=state()
        )
        note = running.client.view_submission(
            user="U2",
            callback_id="note_modal",
            private_metadata=meta,
            state_values={"note": field("plain_text_input", "看板の試作を発注した")},
        )
    assert (case.status, note.status) == (200, 200)
    assert OUTAGE in " ".join(case.json()["errors"].values())
    assert OUTAGE in " ".join(note.json()["errors"].values())
    with running.ctx.session() as s:
        assert s.exec(select(HarassmentCase)).all() == []
        assert s.exec(select(ProgressNote)).all() == []
