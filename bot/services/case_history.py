"""Edit history of a case: every earlier version kept with who, when and what changed.

`keep_version` is called by the edit inside its transaction, before the case row is
rewritten; `case_history` reads the versions back for whoever may see the case.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from bot.errors import NotFound
from bot.results import History, Version
from bot.services import access
from bot.services.case_alerts import alert_if_due
from bot.services.context import Ctx
from storage import case_versions
from storage import cases as store
from storage.models import CaseVersion, HarassmentCase

# Fields an edit may change, in the form's order; free text among them is scrubbed
# from earlier versions at disposal (bot.services.case_retention).
TRACKED = (
    "occurred_at",
    "place",
    "section",
    "kinds",
    "minutes",
    "staff_count",
    "staff_involved",
    "what_happened",
    "response",
    "police",
    "follow_up",
)


def _plain(value: Any) -> Any:
    # Stored times come back in UTC, the form's in office time: compare the instant.
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def keep_version(
    s: Session, *, row: HarassmentCase, new: dict[str, Any], user: str, at: datetime
) -> bool:
    """Store the fields about to change (their current values); False when nothing changes."""
    changed = [f for f in TRACKED if f in new and _plain(getattr(row, f)) != _plain(new[f])]
    if not changed or row.id is None:
        return False
    before = {f: _plain(getattr(row, f)) for f in changed}
    s.add(
        CaseVersion(
            case_id=row.id,
            version=case_versions.count(s, case_id=row.id) + 1,
            edited_by=user,
            edited_at=at,
            changed=",".join(changed),
            before=json.dumps(before, ensure_ascii=False),
        )
    )
    return True


def _version(v: CaseVersion) -> Version:
    assert v.edited_at is not None
    return Version(v.version, v.edited_by, v.edited_at, json.loads(v.before))


def case_history(ctx: Ctx, *, user: str, case_id: int) -> History:
    """The versions of a case, oldest first: for its reporter and the case admins only."""
    with ctx.session() as s:
        viewer = access.case_viewer(s, user=user)
        row = store.get_case(s, viewer=viewer, case_id=case_id)
        action = "history"
        if row is None:  # only a case that exists counts towards the alert (cases.py)
            exists = store.case_exists(s, case_id=case_id)
            action = "history_refused" if exists else "history_missing"
        now = ctx.clock.now()
        store.add_audit(s, actor=user, action=action, at=now, case_id=case_id, via=ctx.via)
        versions = [_version(v) for v in case_versions.of_case(s, case_id=case_id)] if row else []
    if row is None:
        alert_if_due(ctx, user=user)
        raise NotFound("case.not_found", id=case_id)
    return History(row, versions)


def edit_count(s: Session, *, case_id: int) -> int:
    """How many times the case was edited (each edit kept one earlier version)."""
    return case_versions.count(s, case_id=case_id)
