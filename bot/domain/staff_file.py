"""The operator's staff list as a table: headings, rows, and what is wrong with them.

One row per person: a Slack member id or an e-mail address (or both), the name, the ward
and the section (課). Headings may be English or as a Japanese office writes them
(ユーザーID, メールアドレス, 氏名, 所属区, 所属課). A problem names the row as Excel numbers
it (the heading is row 1) and never quotes a cell: the row number says which person is
meant, and the operator's terminal may be a journal. Columns get shifted, so any cell may
hold a name; the one value a problem quotes is a ward that looks like one (`八幡東区`).

Pure: decoding bytes and checking rows. Resolving e-mails (Slack) and knowing the wards
(the database) are the caller's; it passes the known wards in and the resolved ids back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain import csv_file
from bot.domain.masking import has_my_number
from bot.domain.text import bad_character
from bot.domain.wards import CITY_WIDE, match_ward
from bot.errors import InvalidInput

COLUMNS = ("user_id", "email", "name", "ward", "section")
REQUIRED = ("name", "ward", "section")  # and one of user_id, email
LIMITS = {"name": 100, "section": 100, "ward": 100, "email": 254}
# A city has some 3,000 staff: a file far bigger is another file, and reading it would
# only make the operator wait for a list of problems nobody reads.
MAX_ROWS = 20_000  # rows under the heading
MAX_BYTES = 10 * 1024 * 1024
MAX_LISTED = 50  # problems printed one a line; the rest are counted
_WARD_NAME_MAX = 8  # 八幡東区, 北九州市八幡東区: longer than this, it is not only a ward
HEADINGS = {
    "user_id": (
        *("userid", "slackid", "slackuserid", "memberid"),
        *("ユーザーid", "ユーザid", "slackユーザーid", "メンバーid", "slackメンバーid"),
    ),
    "email": (
        *("email", "mail", "emailaddress"),
        *("メール", "メールアドレス", "eメール", "電子メール", "電子メールアドレス"),
    ),
    "name": ("name", "fullname", "氏名", "名前", "職員名", "お名前"),
    "ward": ("ward", "区", "所属区", "区名", "区役所"),
    "section": ("section", "division", "課", "所属課", "課名"),
}
# The headings a missing column is named by, in its problem line.
SHOWN_HEADINGS = {
    "user_id|email": "ユーザーID / メールアドレス / user_id / email",
    "name": "氏名 / 名前 / name",
    "ward": "区 / 所属区 / ward",
    "section": "課 / 所属課 / section",
}
_HEADING_OF = {alias: column for column, aliases in HEADINGS.items() for alias in aliases}
_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,31}$")  # as a mention carries it (domain/command)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LINE_BREAKS = ("\n", "\r", "\t")
SPACES = " \t\r\n\u3000"  # what is taken off both ends of a cell


@dataclass(frozen=True)
class Problem:
    """One thing wrong: a catalogue key, the row (header = 1), the column, the values."""

    key: str
    row: int
    column: str = ""  # one of COLUMNS, or "" for the whole row
    params: Mapping[str, object] = field(default_factory=dict)


class StaffFileError(InvalidInput):
    """The staff list cannot be imported: every problem, in row order; nothing was written."""

    def __init__(self, problems: Sequence[Problem], *, wards: Sequence[str] = ()) -> None:
        super().__init__("staff.failed", n=len(problems))
        self.wards = tuple(wards)  # the known wards, for a problem that names an unknown one
        # Stable: within a row, problems stay in the order they were found.
        self.problems = sorted(problems, key=lambda p: p.row)


@dataclass(frozen=True)
class StaffRow:
    """A row as written (trimmed), with the row number Excel shows."""

    row: int
    user_id: str = ""
    email: str = ""
    name: str = ""
    ward: str = ""
    section: str = ""


@dataclass(frozen=True)
class StaffEntry:
    """A good row: who (resolved id), the name and section as written, the plan's ward name."""

    row: int
    user_id: str
    name: str
    ward: str
    section: str
    email: str | None


def decode_csv(raw: bytes) -> str:
    """The text of a CSV as Excel saves it (csv_file.decode), or InvalidInput."""
    try:
        text = csv_file.decode(raw)
    except csv_file.CsvUnreadable:
        raise InvalidInput("staff.csv_encoding") from None
    if not text.strip(SPACES):  # 0 bytes, or only a BOM and line breaks
        raise InvalidInput("staff.empty")
    return text


def csv_records(text: str) -> list[list[str]]:
    """The cells of a CSV (or tab-separated) text, row by row (csv_file.records)."""
    try:
        return csv_file.records(text)
    except csv_file.CsvBroken as broken:
        raise InvalidInput("staff.csv_broken", row=broken.row) from None


def heading_key(text: str) -> str:
    """How a heading is compared: NFKC, lower case, no spaces, `_`, `-` or `・`."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-・.]", "", folded)


def read_rows(records: Sequence[Sequence[object]]) -> list[StaffRow]:
    """The rows under the heading; a missing column is a StaffFileError on row 1; a file
    without rows, or with more than MAX_ROWS, is InvalidInput (nothing to list by row)."""
    if not any(_cell(v) for record in records for v in record):
        raise InvalidInput("staff.empty")
    if not any(_cell(v) for v in records[0]):
        raise StaffFileError([Problem("staff.no_header", row=1)])
    places: dict[str, int] = {}
    for index, heading in enumerate(records[0]):
        column = _HEADING_OF.get(heading_key(_cell(heading)))
        if column is not None and column not in places:
            places[column] = index
    missing = [c for c in REQUIRED if c not in places]
    if "user_id" not in places and "email" not in places:
        missing.insert(0, "user_id|email")
    if missing:
        raise StaffFileError(
            [
                Problem(
                    "staff.missing_column", row=1, column=c, params={"names": SHOWN_HEADINGS[c]}
                )
                for c in missing
            ]
        )
    rows: list[StaffRow] = []
    for number, record in enumerate(records[1:], start=2):  # the heading is row 1
        if not any(_cell(v) for v in record):
            continue
        if len(rows) == MAX_ROWS:
            raise InvalidInput("staff.too_many_rows", limit=f"{MAX_ROWS:,}")
        cells = {c: _cell(record[i]) if i < len(record) else "" for c, i in places.items()}
        rows.append(StaffRow(row=number, **cells))
    if not rows:
        raise InvalidInput("staff.no_rows")
    return rows


def _cell(value: object) -> str:
    # Only spaces and line breaks around a value go (a control character there is refused,
    # not dropped, as str.strip() would drop U+001C..U+001F).
    return "" if value is None else str(value).strip(SPACES)


def check_rows(rows: Iterable[StaffRow], *, wards: Sequence[str]) -> list[Problem]:
    """Everything wrong with each row on its own: ids, e-mails, names, wards, characters."""
    problems: list[Problem] = []
    for row in rows:
        problems += _check_row(row, wards)
    return problems


def _check_row(row: StaffRow, wards: Sequence[str]) -> list[Problem]:
    problems = []
    if not row.user_id and not row.email:
        problems.append(Problem("staff.no_user", row=row.row, column="user_id"))
    if row.user_id and not _USER_ID.match(user_id_of(row.user_id)):
        problems.append(Problem("staff.bad_user_id", row=row.row, column="user_id"))
    if row.email and not _EMAIL.match(row.email):
        problems.append(Problem("staff.bad_email", row=row.row, column="email"))
    for column in ("name", "ward"):
        if not getattr(row, column):
            problems.append(Problem(f"staff.no_{column}", row=row.row, column=column))
    for column in ("email", "name", "ward", "section"):
        problems += _text_problems(row.row, column, getattr(row, column))
    if row.ward and not bad_character(row.ward):
        problems += _ward_problems(row, wards)
    return problems


def _ward_problems(row: StaffRow, wards: Sequence[str]) -> list[Problem]:
    ward = match_ward(row.ward, wards)
    if ward == CITY_WIDE:
        return [Problem("staff.city_wide", row=row.row, column="ward")]
    if ward is not None:
        return []
    if looks_like_ward(row.ward):  # safe to quote, and the operator sees the typo
        params = {"ward": row.ward}
        return [Problem("staff.unknown_ward", row=row.row, column="ward", params=params)]
    return [Problem("staff.not_a_ward", row=row.row, column="ward")]


def looks_like_ward(text: str) -> bool:
    """A short name ending in 区 (`八幡東区`), which may be quoted; a name of a person, a
    section or an address in the ward column (columns shifted) is not."""
    folded = unicodedata.normalize("NFKC", text)
    return (
        folded.endswith("区")
        and 1 < len(folded) <= _WARD_NAME_MAX
        and not any(c.isspace() or c.isdigit() or c in "@＠" for c in folded)
    )


def _text_problems(row: int, column: str, value: str) -> list[Problem]:
    if char := bad_character(value):
        return [Problem("staff.control_char", row=row, column=column, params={"char": char})]
    if any(mark in value for mark in _LINE_BREAKS):
        return [Problem("staff.line_break", row=row, column=column)]
    if len(value) > LIMITS[column]:
        return [Problem("staff.too_long", row=row, column=column, params={"limit": LIMITS[column]})]
    if column in ("name", "section") and has_my_number(value):
        return [Problem("staff.my_number", row=row, column=column)]
    return []


def user_id_of(text: str) -> str:
    """A member id as typed in a cell (full-width letters too): `Ｕ０１２` is `U012`."""
    return unicodedata.normalize("NFKC", text).strip()


def email_key(email: str) -> str:
    """Two spellings of one address: Slack's addresses do not tell case apart."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def duplicates(rows: Iterable[StaffRow], ids: Mapping[int, str]) -> list[Problem]:
    """A person twice: the same e-mail, or the same member id (`ids`: row -> id found), as an
    earlier row, which the problem names."""
    problems = []
    by_id: dict[str, int] = {}
    by_email: dict[str, int] = {}
    for row in rows:
        key = email_key(row.email) if row.email else ""
        user = ids.get(row.row)
        if key and key in by_email:
            params: dict[str, object] = {"first": by_email[key]}
            problems.append(Problem("staff.same_email", row=row.row, column="email", params=params))
        elif user and user in by_id:
            params = {"first": by_id[user], "user": user}
            problems.append(
                Problem("staff.same_user", row=row.row, column="user_id", params=params)
            )
        if key:
            by_email.setdefault(key, row.row)
        if user:
            by_id.setdefault(user, row.row)
    return problems
