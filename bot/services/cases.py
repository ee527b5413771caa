"""Use cases of the harassment case log (DESIGN §10): record, list, show, close, stats, export.

Every read goes through storage.cases' default-deny filter, and every view,
list, stats call, export and audit read appends an audit row. A case the
user may not see raises the very same NotFound as an id that does not exist.
Who is a case admin is decided by the operator alone (`wgbot case-admin`), and
three refused attempts by one user within an hour DM the case admins once.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from bot.domain import cases as rules
from bot.domain.case_privacy import (
    MAX_RANGES_PER_DAY,
    OutsideRow,
    Range,
    Shown,
    earlier_overlapping,
    form_names,
    k_anonymise,
    read_range,
    suppress,
)
from bot.domain.masking import mask
from bot.domain.text import check_free_text
from bot.errors import InvalidInput, NotFound, PermissionDenied
from bot.services import access, case_history, role_groups
from bot.services.case_alerts import alert_if_due
from bot.services.context import Ctx
from storage import cases as store
from storage.models import AuditLog, HarassmentCase, Membership

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Saved:
    case: HarassmentCase
    masked: dict[str, int]  # kind -> how many were replaced


@dataclass(frozen=True)
class CaseDetail:
    case: HarassmentCase
    admin: bool
    can_edit: bool
    edits: int = 0  # how many times it was edited (each kept an earlier version)


@dataclass(frozen=True)
class CaseList:
    cases: list[HarassmentCase]
    admin: bool
    total: int = 0  # all the viewer may see; more than len(cases) when the list was cut


@dataclass(frozen=True)
class StatsResult:
    stats: rules.CaseStats
    admin: bool
    start: date | None
    end: date | None
    shown: Shown | None = None  # which cells may not be shown (3件未満)


def is_case_admin(session: Session, user: str) -> bool:
    """True for present members of a team with role case_admin (storage.cases' one rule)."""
    return access.is_case_admin(session, user=user)


def _viewer(s: Session, user: str) -> store.Viewer:
    return access.case_viewer(s, user=user)


def _audit(
    s: Session, ctx: Ctx, *, user: str, action: str, case_id: int | None = None, detail: str = ""
) -> None:
    store.add_audit(
        s,
        actor=user,
        action=action,
        at=ctx.clock.now(),
        case_id=case_id,
        detail=detail or None,
        via=ctx.via,
    )


# The form's field (block id) of each free-text column, to show a refusal under it.
_FORM_FIELD = {
    "section": "section",
    "staff_involved": "staff",
    "what_happened": "what",
    "response": "response",
}


def _masked_fields(form: rules.CaseForm) -> tuple[dict[str, str], dict[str, int]]:
    """Mask every free-text field; nothing unmasked reaches the database."""
    out: dict[str, str] = {}
    found: dict[str, int] = {}
    fields = {
        "section": form.section,
        "staff_involved": form.staff_involved,
        "what_happened": form.what_happened,
        "response": form.response,
    }
    for name, text in fields.items():
        # The case log masks a My Number on save instead of refusing it (docs/cases.md).
        check_free_text(_FORM_FIELD[name], text, my_number=False)
        result = mask(text)
        out[name] = result.text
        for kind, n in result.found.items():
            found[kind] = found.get(kind, 0) + n
    return out, found


def _fields(form: rules.CaseForm, texts: dict[str, str]) -> dict[str, Any]:
    return {
        "occurred_at": form.occurred_at,
        "place": form.place,
        "section": texts["section"][: rules.SECTION_LIMIT],
        "kinds": ",".join(form.kinds),
        "minutes": form.minutes,
        "staff_count": form.staff_count,
        "staff_involved": texts["staff_involved"] or None,
        "what_happened": texts["what_happened"],
        "response": texts["response"] or None,
        "police": form.police,
        "follow_up": form.follow_up,
    }


def create_case(ctx: Ctx, *, user: str, form: rules.CaseForm) -> Saved:
    """Record a new case, masked; the reporter is the user."""
    texts, found = _masked_fields(form)
    now = ctx.clock.now()
    with ctx.session() as s:
        row = HarassmentCase(reporter=user, created_at=now, **_fields(form, texts))
        s.add(row)
        s.flush()
        _audit(s, ctx, user=user, action="create", case_id=row.id, detail=_found_detail(found))
        _audit_name_override(s, ctx, user=user, case_id=row.id, form=form)
    return Saved(row, found)


def _audit_name_override(
    s: Session, ctx: Ctx, *, user: str, case_id: int | None, form: rules.CaseForm
) -> None:
    """The reporter saved despite the name warning: the fields, never the text."""
    named = form_names(form)
    if form.names_ok and named:
        fields = ",".join(named)
        _audit(s, ctx, user=user, action="name_warning_overridden", case_id=case_id, detail=fields)


def update_case(ctx: Ctx, *, user: str, case_id: int, form: rules.CaseForm) -> Saved:
    """Rewrite a case: its reporter only, and only while open."""
    texts, found = _masked_fields(form)
    with ctx.session() as s:
        row = _visible_or_none(s, ctx, user=user, case_id=case_id, action="edit")
        if row is not None and not access.may_edit_case(row.reporter, user):
            raise PermissionDenied("case.err.edit_reporter_only", id=case_id)
        if row is not None and row.status != rules.OPEN:
            raise PermissionDenied("case.err.closed", id=case_id)
        if row is not None:
            new = _fields(form, texts)
            # The earlier values are kept before anything is rewritten (case_version).
            if case_history.keep_version(s, row=row, new=new, user=user, at=ctx.clock.now()):
                for name, value in new.items():
                    setattr(row, name, value)
                row.updated_at = ctx.clock.now()
                s.add(row)
            _audit_name_override(s, ctx, user=user, case_id=case_id, form=form)
    if row is None:
        alert_if_due(ctx, user=user)
        raise NotFound("case.not_found", id=case_id)
    return Saved(row, found)


def _visible_or_none(
    s: Session, ctx: Ctx, *, user: str, case_id: int, action: str
) -> HarassmentCase | None:
    """The case if the user may see it; audits the attempt either way."""
    row = store.get_case(s, viewer=_viewer(s, user), case_id=case_id)
    done = action if row else refused_action(s, action, case_id=case_id)
    _audit(s, ctx, user=user, action=done, case_id=case_id)
    return row


def refused_action(s: Session, action: str, *, case_id: int) -> str:
    """`show_refused` for a case that exists, `show_missing` for a number that names none.

    Only the first counts towards the refused-attempt alert: a reporter's typo
    (`case show 9999`) three times is no attempt on anyone's case. The user is told
    the same "not found" either way.
    """
    return f"{action}_refused" if store.case_exists(s, case_id=case_id) else f"{action}_missing"


def show_case(ctx: Ctx, *, user: str, case_id: int, action: str = "view") -> CaseDetail:
    """One case, for its reporter or a case admin; NotFound for anyone else."""
    with ctx.session() as s:
        row = _visible_or_none(s, ctx, user=user, case_id=case_id, action=action)
        admin = access.is_case_admin(s, user=user)
        edits = case_history.edit_count(s, case_id=case_id) if row is not None else 0
    if row is None:
        alert_if_due(ctx, user=user)
        raise NotFound("case.not_found", id=case_id)
    can_edit = access.may_edit_case(row.reporter, user)
    return CaseDetail(row, admin=admin, can_edit=can_edit, edits=edits)


def case_for_edit(ctx: Ctx, *, user: str, case_id: int) -> HarassmentCase:
    """The case to prefill the form with: its reporter only, while open."""
    detail = show_case(ctx, user=user, case_id=case_id, action="view_for_edit")
    if not detail.can_edit:
        raise PermissionDenied("case.err.edit_reporter_only", id=case_id)
    if detail.case.status != rules.OPEN:
        raise PermissionDenied("case.err.closed", id=case_id)
    return detail.case


def list_cases(ctx: Ctx, *, user: str, limit: int = 50) -> CaseList:
    """The user's own cases; every case for case admins."""
    with ctx.session() as s:
        viewer = _viewer(s, user)
        rows = list(store.list_cases(s, viewer=viewer, limit=limit))
        total = store.count_cases(s, viewer=viewer) if len(rows) >= limit else len(rows)
        _audit(s, ctx, user=user, action="list", detail=f"rows={len(rows)}")
    return CaseList(rows, admin=viewer.admin, total=total)


def close_case(ctx: Ctx, *, user: str, case_id: int) -> tuple[HarassmentCase, bool]:
    """Close (archive) a case: reporter or case admin; never deleted. Returns (case, changed)."""
    with ctx.session() as s:
        row = _visible_or_none(s, ctx, user=user, case_id=case_id, action="close")
        changed = row is not None and row.status == rules.OPEN
        if row is not None and changed:
            row.status = rules.CLOSED
            row.closed_at = ctx.clock.now()
            row.closed_by = user
            s.add(row)
    if row is None:
        alert_if_due(ctx, user=user)
        raise NotFound("case.not_found", id=case_id)
    return row, changed


def _local_midnight(ctx: Ctx, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ctx.clock.tz)


def _bounds(ctx: Ctx, rng: Range) -> tuple[datetime | None, datetime | None]:
    """A range's office days as [start, end) instants (`end` day included)."""
    start = _local_midnight(ctx, rng.start) if rng.start else None
    end = _local_midnight(ctx, rng.end + timedelta(days=1)) if rng.end else None
    return start, end


def _stats_of(
    s: Session, ctx: Ctx, viewer: store.Viewer, ranges: list[Range]
) -> list[rules.CaseStats]:
    """The raw counts over each range, all in one pass over the cases."""
    raws = store.stats_ranges(
        s,
        viewer=viewer,
        ranges=[_bounds(ctx, r) for r in ranges],
        tz_name=str(ctx.clock.tz),
        offset=ctx.clock.now().utcoffset() or timedelta(0),
    )
    return [_case_stats(raw) for raw in raws]


def _case_stats(raw: store.StatsRows) -> rules.CaseStats:
    stats = rules.CaseStats(total=raw.total, minutes=raw.minutes, staff_minutes=raw.staff_minutes)
    return rules.ordered(
        stats,
        months=raw.months,
        kinds=rules.kind_counts(raw.kind_combos),
        places=raw.places,
        sections=raw.sections,
    )


def case_stats(
    ctx: Ctx, *, user: str, start: date | None = None, end: date | None = None
) -> StatsResult:
    """Counts over what the user may see; cells under 3 and revealing differences hidden."""
    current = Range(start, end)
    with ctx.session() as s:
        viewer = _viewer(s, user)
        today = _local_midnight(ctx, ctx.clock.today())
        asked = [r for d in store.stats_details(s, actor=user, since=today) if (r := read_range(d))]
        refused = current not in asked and len(set(asked)) >= MAX_RANGES_PER_DAY
        if refused:
            _audit(s, ctx, user=user, action="stats_refused", detail=current.detail())
        else:
            # Earlier ranges are recounted now, so a case added since does not count as a
            # difference the user could not have seen; all ranges share one pass.
            counted = _stats_of(s, ctx, viewer, [current, *earlier_overlapping(current, asked)])
            stats, earlier = counted[0], counted[1:]
            _audit(s, ctx, user=user, action="stats", detail=current.detail())
    if refused:
        raise InvalidInput("case.stats.too_many_ranges", n=MAX_RANGES_PER_DAY)
    shown = suppress(stats, earlier=earlier)
    return StatsResult(stats, admin=viewer.admin, start=start, end=end, shown=shown)


def export_outside(ctx: Ctx, *, user: str) -> tuple[list[OutsideRow], int]:
    """The k-anonymised table for outside use (case admins only); (rows, rows left out)."""
    return k_anonymise(export_rows(ctx, user=user, purpose="outside"))


def export_rows(ctx: Ctx, *, user: str, purpose: str = "full") -> list[rules.ExportRow]:
    """The pseudonymised table (case admins only): no free text, no reporter."""
    with ctx.session() as s:
        viewer = _viewer(s, user)
        if not viewer.admin:
            _audit(s, ctx, user=user, action="export_refused")
        else:
            cases = store.export_cases(s, viewer=viewer)
            rows = [_export_row(ctx, n, c) for n, c in enumerate(cases, start=1)]
            _audit(s, ctx, user=user, action="export", detail=f"{purpose} rows={len(rows)}")
    if not viewer.admin:
        alert_if_due(ctx, user=user)
        raise PermissionDenied("case.err.admin_only")
    return rows


def _export_row(ctx: Ctx, number: int, c: HarassmentCase) -> rules.ExportRow:
    assert c.occurred_at is not None
    local = c.occurred_at.astimezone(ctx.clock.tz)
    return rules.ExportRow(
        number=number,
        day=local.date(),
        hour=local.hour,
        place=c.place,
        section=c.section,
        kinds=tuple(k for k in c.kinds.split(",") if k),
        minutes=c.minutes,
        staff_count=c.staff_count,
        police=c.police,
        follow_up=c.follow_up,
        status=c.status,
    )


def audit_entries(ctx: Ctx, *, user: str, limit: int = 50) -> list[AuditLog]:
    """The newest audit rows (case admins only); reading them is audited too."""
    with ctx.session() as s:
        admin = access.is_case_admin(s, user=user)
        rows = list(store.audit_entries(s, limit=limit)) if admin else []
        _audit(s, ctx, user=user, action="audit" if admin else "audit_refused")
    if not admin:
        alert_if_due(ctx, user=user)
        raise PermissionDenied("case.err.admin_only")
    return rows


def count_new_cases(session: Session, *, since: datetime, until: datetime) -> int:
    """How many cases were logged in [since, until): the only case figure a digest carries."""
    return store.count_created(session, since=since, until=until)


# --- case admins: decided by the operator on the command line, never from Slack ---

ADMIN_GROUP_NAME = "事例管理者"


def operator_actor() -> str:
    """`operator:<OS user>` for the audit log: the account that ran the command."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in a bare container
        name = ""
    return f"operator:{name}"[:32] if name else "operator"


def _audit_admin_change(s: Session, ctx: Ctx, change: role_groups.Change) -> None:
    """A case admin added or removed: one row in the case audit chain."""
    action = {"add": "admin_add", "remove": "admin_remove"}[change.verb]
    _audit(s, ctx, user=change.actor, action=action, detail=change.user)


CASE_ADMINS = role_groups.RoleGroup(
    role=store.CASE_ADMIN,
    name=ADMIN_GROUP_NAME,
    ward=None,
    keys="case.admin",
    record=_audit_admin_change,
)


def add_case_admins(ctx: Ctx, *, users: list[str], actor: str) -> role_groups.RoleChange:
    """Make people case admins (a removed one's membership is re-activated); audited."""
    return role_groups.add(ctx, CASE_ADMINS, users=users, actor=actor)


def remove_case_admins(ctx: Ctx, *, users: list[str], actor: str) -> role_groups.RoleChange:
    """Take the role back: memberships get removed_at/removed_by, nothing is deleted."""
    return role_groups.remove(ctx, CASE_ADMINS, users=users, actor=actor)


def list_case_admins(ctx: Ctx) -> list[Membership]:
    """The present case admins, oldest first."""
    return role_groups.members(ctx, CASE_ADMINS)


# --- refused attempts: three within an hour tell the case admins, once an hour ---


def record_refused(ctx: Ctx, *, user: str, what: str) -> None:
    """Audit a refused attempt that reached no case query (a forged form); may alert."""
    with ctx.session() as s:
        _audit(s, ctx, user=user, action=f"{what}_refused")
    alert_if_due(ctx, user=user)


def _found_detail(found: dict[str, int]) -> str:
    return " ".join(f"masked:{k}={n}" for k, n in found.items())
