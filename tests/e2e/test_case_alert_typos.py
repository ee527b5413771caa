"""A reporter's typo is no attempt on a case: only refusals of cases that exist alert.

`case show 9999` (no such case) three times within the hour sends no DM to the case
admins; the user is told the same "not found" as for a case they may not see.
"""

from __future__ import annotations

import time

from sqlmodel import select

from storage.models import AuditLog
from tests.e2e.conftest import Running
from tests.e2e.test_cases_access import STRANGER, _alerts, _wait_alerts, answer, logged, running

__all__ = ["logged", "running"]  # fixtures, imported for pytest


def test_three_shows_of_a_missing_case_send_no_alert(logged: Running) -> None:
    run = logged
    said = [answer(run, "case show 9999", user=STRANGER)["text"] for _ in range(3)]
    hidden = answer(run, "case show 1", user=STRANGER)["text"]  # exists, not theirs
    # The same words: a typo and a refusal look alike.
    assert said == [hidden.replace("#1 ", "#9999 ")] * 3
    answer(run, "case history 9998", user=STRANGER)
    time.sleep(0.3)
    assert _alerts(run) == []
    answer(run, "case show 1", user=STRANGER)
    answer(run, "case close 1", user=STRANGER)
    assert len(_wait_alerts(run, 1)) == 1  # three refusals of a case that exists
    with run.ctx.session() as s:
        rows = [a for a in s.exec(select(AuditLog)).all() if a.actor == STRANGER]
    assert [a.action for a in rows[:4]] == ["view_missing"] * 3 + ["view_refused"]
