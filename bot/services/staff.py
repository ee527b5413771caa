"""The operator's staff list (`wgbot staff import`) and a person's own ward (`/wg me`).

A staff list gives each person's ward (DESIGN §11). It is imported whole or not at all:
every problem of every row is found first (e-mails Slack does not know and people listed
twice included), and only a file without problems is written. Importing again replaces
the rows of the people in the file and keeps everyone else's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from bot.domain.staff_file import (
    MAX_BYTES,
    MAX_ROWS,
    Problem,
    StaffEntry,
    StaffFileError,
    StaffRow,
    check_rows,
    csv_records,
    decode_csv,
    duplicates,
    email_key,
    read_rows,
    user_id_of,
)
from bot.domain.wards import match_ward
from bot.errors import InvalidInput
from bot.services.context import Ctx
from bot.services.wards import known_wards, read_ward, ward_and_source
from storage import staff as staff_rows
from storage import wards as ward_rows
from storage.models import Staff, UserPref


@dataclass(frozen=True)
class StaffImport:
    """How many people were added to the list and how many rows were replaced."""

    created: int
    updated: int


@dataclass(frozen=True)
class MyWard:
    """A person's ward and what says it: "staff", "team", "own", "only" (one ward) or "none"."""

    ward: str | None
    source: str
    section: str = ""
    own: str | None = None  # what `/wg me ward:` stored, even when something else wins
    wards: tuple[str, ...] = ()


def read_staff_file(path: Path) -> list[StaffRow]:
    """The rows of a CSV (UTF-8, UTF-8 with BOM, Shift_JIS) or XLSX (first sheet) file."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InvalidInput("staff.file_missing", path=path)
    if path.is_dir() or suffix not in (".csv", ".txt", ".xlsx"):
        raise InvalidInput("staff.bad_format", name=path.name)
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput("staff.too_big", limit=f"{MAX_BYTES // (1024 * 1024)} MB")
    if suffix == ".xlsx":
        return read_rows(_xlsx_records(path))
    return read_rows(csv_records(decode_csv(path.read_bytes())))


def _xlsx_records(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        records: list[list[object]] = []
        filled = 0
        for row in sheet.iter_rows(values_only=True):
            records.append(list(row))
            filled += any(v is not None and str(v).strip() for v in row)
            if filled > MAX_ROWS + 1:  # the heading and one row too many: read_rows refuses
                break
        return records
    except OSError:
        raise
    except Exception:  # openpyxl raises a dozen types (zip, XML, KeyError) for a broken file
        raise InvalidInput("staff.xlsx_unreadable") from None


def import_staff(ctx: Ctx, *, rows: list[StaffRow], by: str) -> StaffImport:
    """Check every row, resolve e-mails with Slack, then write all rows or none."""
    with ctx.session() as s:
        wards = known_wards(s)
    if not wards:
        raise InvalidInput("staff.no_wards")
    problems = check_rows(rows, wards=wards)
    bad = {(p.row, p.column) for p in problems}
    to_find = [r for r in rows if r.email and not r.user_id and (r.row, "email") not in bad]
    found = _resolve(ctx, [r.email for r in to_find])
    finding = {r.row for r in to_find}
    ids: dict[int, str] = {}
    for row in rows:
        if row.user_id and (row.row, "user_id") not in bad:
            ids[row.row] = user_id_of(row.user_id)
        elif row.row in finding:
            if (user := found.get(email_key(row.email))) is None:
                problems.append(Problem("staff.email_unknown", row=row.row, column="email"))
            else:
                ids[row.row] = user
    problems += duplicates(rows, ids)
    if problems:
        raise StaffFileError(problems, wards=wards)
    return _write(ctx, [_entry(row, ids[row.row], wards) for row in rows], by=by)


def _resolve(ctx: Ctx, emails: list[str]) -> dict[str, str | None]:
    """Member id by e-mail key (users.lookupByEmail), each address asked once."""
    if not emails:
        return {}
    if ctx.gateway is None:
        raise InvalidInput("staff.needs_token")
    found: dict[str, str | None] = {}
    for email in emails:
        key = email_key(email)
        if key not in found:
            found[key] = ctx.gateway.user_by_email(email)
    return found


def _entry(row: StaffRow, user_id: str, wards: list[str]) -> StaffEntry:
    ward = match_ward(row.ward, wards) or row.ward  # a bad ward is already a problem
    email = row.email or None
    return StaffEntry(row.row, user_id, row.name, ward, row.section, email)


def _write(ctx: Ctx, entries: list[StaffEntry], *, by: str) -> StaffImport:
    now = ctx.clock.now()
    created = 0
    with ctx.session() as s:
        held = staff_rows.staff_of(s, user_ids=[e.user_id for e in entries])
        for e in entries:
            created += staff_rows.put_staff(
                s,
                user_id=e.user_id,
                name=e.name,
                ward=e.ward,
                section=e.section,
                email=e.email,
                at=now,
                by=by,
                held=held.get(e.user_id),
            )
    return StaffImport(created=created, updated=len(entries) - created)


def my_ward(ctx: Ctx, *, user: str) -> MyWard:
    """The person's ward and where it comes from (staff list, teams, own setting)."""
    with ctx.session() as s:
        return _my_ward(s, user)


def set_my_ward(ctx: Ctx, *, user: str, text: str) -> MyWard:
    """Store the ward a person gives for themselves (`/wg me ward:若松`), or InvalidInput."""
    with ctx.session() as s:
        ward = read_ward(s, text)
        pref = s.get(UserPref, user)
        if pref is None:
            pref = UserPref(user_id=user)
            s.add(pref)
        pref.ward = ward
        s.flush()
        return _my_ward(s, user)


def _my_ward(s: Session, user: str) -> MyWard:
    ward, source = ward_and_source(s, user=user)
    staff = s.get(Staff, user) if source == "staff" else None  # read by ward_and_source
    return MyWard(
        ward,
        source,
        section=staff.section if staff else "",
        own=ward_rows.own_ward(s, user_id=user),
        wards=tuple(known_wards(s)),
    )
