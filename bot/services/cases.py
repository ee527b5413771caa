"""Use cases of the harassment case log (DESIGN §10): record, list, show, close, stats, export.

Every read goes through storage.cases' default-deny filter, and every view,
list, stats call, export and audit read appends an audit row. A case the
user may not see raises the very same NotFound as an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from bot.domain import cases as rules
from bot.domain.masking import mask
from bot.domain.text import check_free_text
from bot.errors import NotFound, PermissionDenied
from bot.services.context import Ctx
from storage import cases as store
from storage import queries
from storage.models import AuditLog, HarassmentCase, Team


@dataclass(frozen=True)
class Saved:
    case: HarassmentCase
    masked: dict[str, int]  # kind -> how many were replaced


@dataclass(frozen=True)
class CaseDetail:
    case: HarassmentCase
    admin: bool
    can_edit: bool


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


def is_case_admin(session: Session, user: str) -> bool:
    """True for members of a team with role case_admin."""
    return store.is_case_admin(session, user=user)


def _viewer(s: Session, user: str) -> store.Viewer:
    return store.Viewer(user=user, admin=store.is_case_admin(s, user=user))


def _audit(
    s: Session, ctx: Ctx, *, user: str, action: str, case_id: int | None = None, detail: str = ""
) -> None:
    store.add_audit(
        s, actor=user, action=action, at=ctx.clock.now(), case_id=case_id, detail=detail or None
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
        check_free_text(_FORM_FIELD[name], text)
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
    return Saved(row, found)


def update_case(ctx: Ctx, *, user: str, case_id: int, form: rules.CaseForm) -> Saved:
    """Rewrite a case: its reporter only, and only while open."""
    texts, found = _masked_fields(form)
    with ctx.session() as s:
        row = _visible_or_none(s, ctx, user=user, case_id=case_id, action="edit")
        if row is not None and not rules.can_edit(row.reporter, user):
            raise PermissionDenied("case.err.edit_reporter_only", id=case_id)
        if row is not None and row.status != rules.OPEN:
            raise PermissionDenied("case.err.closed", id=case_id)
        if row is not None:
            for name, value in _fields(form, texts).items():
                setattr(row, name, value)
            row.updated_at = ctx.clock.now()
            s.add(row)
    if row is None:
        raise NotFound("case.not_found", id=case_id)
    return Saved(row, found)


def _visible_or_none(
    s: Session, ctx: Ctx, *, user: str, case_id: int, action: str
) -> HarassmentCase | None:
    """The case if the user may see it; audits the attempt either way."""
    row = store.get_case(s, viewer=_viewer(s, user), case_id=case_id)
    _audit(s, ctx, user=user, action=action if row else f"{action}_refused", case_id=case_id)
    return row


def show_case(ctx: Ctx, *, user: str, case_id: int, action: str = "view") -> CaseDetail:
    """One case, for its reporter or a case admin; NotFound for anyone else."""
    with ctx.session() as s:
        row = _visible_or_none(s, ctx, user=user, case_id=case_id, action=action)
        admin = store.is_case_admin(s, user=user)
    if row is None:
        raise NotFound("case.not_found", id=case_id)
    return CaseDetail(row, admin=admin, can_edit=rules.can_edit(row.reporter, user))


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
        raise NotFound("case.not_found", id=case_id)
    return row, changed


def _local_midnight(ctx: Ctx, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ctx.clock.tz)


def case_stats(
    ctx: Ctx, *, user: str, start: date | None = None, end: date | None = None
) -> StatsResult:
    """Counts by month, kind, place, section and time spent, over what the user may see."""
    offset = ctx.clock.now().utcoffset() or timedelta(0)
    with ctx.session() as s:
        viewer = _viewer(s, user)
        raw = store.stats(
            s,
            viewer=viewer,
            start=_local_midnight(ctx, start) if start else None,
            end=_local_midnight(ctx, end + timedelta(days=1)) if end else None,
            tz_name=str(ctx.clock.tz),
            offset=offset,
        )
        _audit(s, ctx, user=user, action="stats", detail=f"from={start or ''} to={end or ''}")
    stats = rules.CaseStats(total=raw.total, minutes=raw.minutes, staff_minutes=raw.staff_minutes)
    rules.ordered(
        stats,
        months=raw.months,
        kinds=rules.kind_counts(raw.kind_combos),
        places=raw.places,
        sections=raw.sections,
    )
    return StatsResult(stats, admin=viewer.admin, start=start, end=end)


def export_rows(ctx: Ctx, *, user: str) -> list[rules.ExportRow]:
    """The anonymised table for the 7-ward PT (case admins only): no free text, no reporter."""
    with ctx.session() as s:
        viewer = _viewer(s, user)
        if not viewer.admin:
            _audit(s, ctx, user=user, action="export_refused")
        else:
            cases = store.export_cases(s, viewer=viewer)
            rows = [_export_row(ctx, n, c) for n, c in enumerate(cases, start=1)]
            _audit(s, ctx, user=user, action="export", detail=f"rows={len(rows)}")
    if not viewer.admin:
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
        admin = store.is_case_admin(s, user=user)
        rows = list(store.audit_entries(s, limit=limit)) if admin else []
        _audit(s, ctx, user=user, action="audit" if admin else "audit_refused")
    if not admin:
        raise PermissionDenied("case.err.admin_only")
    return rows


def count_new_cases(session: Session, *, since: datetime, until: datetime) -> int:
    """How many cases were logged in [since, until): the only case figure a digest carries."""
    return store.count_created(session, since=since, until=until)


def set_case_admin_team(ctx: Ctx, *, team_name: str) -> Team:
    """Make a team the case-admin group (operator only: never reachable from Slack)."""
    with ctx.session() as s:
        team = queries.team_by_name(s, name=team_name)
        if team is None:
            raise NotFound("error.team_not_found", name=team_name, cmd=ctx.command)
        team.role = store.CASE_ADMIN
        s.add(team)
        _audit(s, ctx, user="operator", action="case_admin_team", detail=team.name)
    return team


def case_admin_cli(ctx: Ctx, team_name: str) -> int:
    """`wgbot case-admin <team>`: designate the case-admin team; returns the exit code."""
    from bot.render.messages import t_plain

    try:
        team = set_case_admin_team(ctx, team_name=team_name)
    except NotFound:
        print(t_plain(ctx.lang, "case.admin_team_unknown", team=team_name))
        return 1
    print(t_plain(ctx.lang, "case.admin_team_set", team=team.name, role=team.role))
    return 0


def _found_detail(found: dict[str, int]) -> str:
    return " ".join(f"masked:{k}={n}" for k, n in found.items())
