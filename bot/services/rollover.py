"""The fiscal year's turn (DESIGN §11): open work moves to the new plan's themes on request.

`wgbot plan rollover --from 2024 --to 2025` finds, for each ward with a plan of the
from-year, the open tasks and active teams on that plan's themes, and the theme of the
to-year plan each one goes to: the theme with the same code in the same ward's plan, or
the one a mapping file names (`from_code,to_code`; a to_code of another ward is written
`区/コード`). What has no such theme is listed, not moved; a map row that names a code
the from-year plan lacks, a ward not turning, or a code the to-year plan lacks stops the
whole turn, every such row named. Without `apply` nothing is
written; with it every move is made in one short transaction of bulk statements (100,000
tasks in seconds), with the month-end and year-end reminders of the teams' themes planned
again; a task's own reminders do not depend on its theme and stay as they are. Done and
cancelled tasks stay on last year's themes, so last year's report keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from bot.domain import csv_file
from bot.domain.themes import normalize_theme_code
from bot.domain.wards import split_theme_ref, theme_ref
from bot.errors import InvalidInput, NotFound
from bot.render.messages import joined, t_plain
from bot.render.text import quoted
from bot.services import reminder_planning
from bot.services.context import Ctx
from bot.services.wards import read_ward
from storage import rollover as rows
from storage.models import Theme

MAP_COLUMNS = ("from_code", "to_code")
MAX_PROBLEMS = 10  # map problems shown on the one line; the rest are counted


@dataclass(frozen=True)
class MapEntry:
    """One row of the mapping file: a from-year code (maybe of one ward) and where it goes."""

    row: int  # as Excel shows it (header = 1)
    from_ward: str | None  # None: the code in every ward rolled over
    from_code: str
    to_ward: str | None  # None: the same ward as the task
    to_code: str


@dataclass(frozen=True)
class MapScope:
    """What the map's rows are checked against: the years, the wards turning, both years'
    theme codes by ward."""

    from_year: int
    to_year: int
    wards: list[str]  # the wards turning, in plan order
    only: str | None  # the ward of `--ward`, when given
    old: frozenset[tuple[str, str]]  # (ward, code) of the from-year plans
    new: frozenset[tuple[str, str]]  # (ward, code) of every to-year plan


@dataclass(frozen=True)
class Move:
    """A task or team, the theme it is on and the theme it goes to (or why none)."""

    kind: str  # task | team
    id: int
    name: str  # the task's title or the team's name, as typed
    ward: str
    from_code: str
    to: str | None  # `A(2)`, or `八幡東区/A(2)` in another ward; None: not placed
    why: str = ""  # not placed: "no_code" (no such code) or "map_unknown" (the map's code)
    wanted: str = ""  # not placed: the code looked for
    by_map: bool = False  # placed by a row of the mapping file


@dataclass
class RolloverResult:
    """What a rollover did, or would do without `apply`."""

    from_year: int
    to_year: int
    wards: list[str]
    moves: list[Move] = field(default_factory=list)
    applied: bool = False
    by: str = ""

    @property
    def replanned(self) -> int:
        """Moved tasks, whose reminders stand as planned: none depends on the theme, so
        none is planned again (the CLI's summary counts them)."""
        return len(self.placed("task")) if self.applied else 0

    def placed(self, kind: str) -> list[Move]:
        """The tasks or teams that move."""
        return [m for m in self.moves if m.kind == kind and m.to is not None]

    def unplaced(self, kind: str) -> list[Move]:
        """The tasks or teams that have no theme to go to."""
        return [m for m in self.moves if m.kind == kind and m.to is None]


def rollover(
    ctx: Ctx,
    *,
    from_year: int,
    to_year: int,
    ward: str | None = None,
    map_file: Path | None = None,
    apply: bool = False,
    by: str = "cli",
) -> RolloverResult:
    """Work out (and with `apply`, make) the moves from one fiscal year's plans to the next's."""
    if to_year <= from_year:
        raise InvalidInput("rollover.bad_years", from_year=from_year, to_year=to_year)
    raw = read_map_file(map_file) if map_file is not None else None
    with ctx.session() as s:
        wanted = read_ward(s, ward) if ward else None
        from_plans = rows.plans_of(s, fiscal_year=from_year, ward=wanted)
        if not from_plans:
            raise NotFound("rollover.no_plan", year=from_year, ward=_ward_note(ctx, wanted))
        to_plans = {p.ward: p for p in rows.plans_of(s, fiscal_year=to_year)}
        missing = [p.ward for p in from_plans if p.ward not in to_plans]
        if missing:
            raise NotFound(
                "rollover.no_plan", year=to_year, ward=_ward_note(ctx, joined(ctx.lang, missing))
            )
        result = RolloverResult(from_year, to_year, [p.ward for p in from_plans], by=by)
        ward_of_plan = {p.id: p.ward for p in (*from_plans, *to_plans.values())}
        old = rows.themes_of_plans(s, plan_ids=[p.id for p in from_plans])
        new = rows.themes_of_plans(s, plan_ids=[p.id for p in to_plans.values()])
        scope = MapScope(
            from_year,
            to_year,
            wards=result.wards,
            only=wanted,
            old=frozenset((ward_of_plan[t.plan_id], t.code) for t in old),
            new=frozenset((ward_of_plan[t.plan_id], t.code) for t in new),
        )
        entries = check_map(s, raw, lang=ctx.lang, scope=scope) if raw is not None else []
        targets = {(ward_of_plan[t.plan_id], t.code): t for t in new}
        routes = {
            t.id: _route(
                ward_of_plan,
                t,
                _place(ward_of_plan[t.plan_id], t.code, targets=targets, entries=entries),
            )
            for t in old
        }
        workers = {
            "task": rows.open_tasks_of_themes(s, theme_ids=list(routes)),
            "team": rows.active_teams_of_themes(s, theme_ids=list(routes)),
        }
        for kind, items in workers.items():
            to_move: list[tuple[int, int, int]] = []  # id, from theme, to theme
            for item in items:
                r = routes[item.theme_id]
                if r.target_id is not None:
                    to_move.append((item.id, item.theme_id, r.target_id))
                result.moves.append(
                    Move(kind, item.id, item.name, r.ward, r.code, r.to, r.why, r.wanted, r.by_map)
                )
            if apply:
                # theme_move rows: reports of dates before now still count it where it was.
                rows.move(s, kind=kind, moves=to_move, at=ctx.clock.now(), by=by)
        # A task's reminders depend on its due date, kind, assignee (their quiet hours and
        # switch) and team (days, channel), never on its theme: the moved tasks' rows
        # already are what a replan would give, so they are not planned again
        # (docs/reminders.md, "Rollover"). Month-end note and year-end grade rows go to the
        # leads of a theme's teams: those of the moved teams' themes are.
        if apply and result.placed("team"):
            reminder_planning.replan_themes(s, ctx=ctx)
        result.applied = apply
        return result


def _ward_note(ctx: Ctx, ward: str | None) -> str:
    return t_plain(ctx.lang, "rollover.no_plan_ward", ward=ward) if ward else ""


Place = tuple[Theme | None, str, str, bool]  # the theme, why none, the code wanted, by the map


@dataclass(frozen=True)
class Route:
    """Where the work on one from-year theme goes (worked out once per theme)."""

    ward: str
    code: str
    to: str | None
    target_id: int | None
    why: str
    wanted: str
    by_map: bool


def _route(ward_of_plan: dict[int | None, str], theme: Theme, place: Place) -> Route:
    target, why, wanted, by_map = place
    here = ward_of_plan[theme.plan_id]
    if target is None:
        return Route(here, theme.code, None, None, why, wanted, by_map)
    there = ward_of_plan[target.plan_id]
    to = target.code if there == here else theme_ref(there, target.code)
    return Route(here, theme.code, to, target.id, why, wanted, by_map)


def _place(
    ward: str, code: str, *, targets: dict[tuple[str, str], Theme], entries: list[MapEntry]
) -> Place:
    """Where a from-year theme's work goes: the map's row for it, else the same code."""
    mine = [e for e in entries if e.from_code == code and e.from_ward in (ward, None)]
    entry = min(mine, key=lambda e: e.from_ward is None, default=None)  # the ward's own first
    if entry is None:
        found = targets.get((ward, code))
        return found, "" if found else "no_code", code, False
    to_ward = entry.to_ward or ward
    found = targets.get((to_ward, entry.to_code))
    shown = entry.to_code if to_ward == ward else theme_ref(to_ward, entry.to_code)
    return found, "" if found else "map_unknown", shown, True


def read_map_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The mapping CSV's rows under its header, as (row number Excel shows, {column: value})."""
    if not path.exists():
        raise InvalidInput("cli.file_missing", path=path)
    if path.is_dir():
        raise InvalidInput("cli.file_is_dir", path=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("cli.file_access", path=path, kind=type(exc).__name__) from None
    try:
        records = csv_file.records(csv_file.decode(raw))
    except csv_file.CsvUnreadable:
        raise InvalidInput("rollover.map_encoding") from None
    except csv_file.CsvBroken as broken:
        raise InvalidInput("rollover.map_broken", row=broken.row) from None
    header = [h.strip().lower() for h in records[0]] if records else []
    if any(c not in header for c in MAP_COLUMNS):
        raise InvalidInput("rollover.map_header", columns=",".join(MAP_COLUMNS))
    return [
        (number, {h: v.strip() for h, v in zip(header, record, strict=False) if h})
        for number, record in enumerate(records[1:], start=2)
        if any(v.strip() for v in record)
    ]


Problem = tuple[int, str, dict[str, object]]  # row, catalogue key, its parameters


def check_map(
    s: Session, raw: list[tuple[int, dict[str, str]]], *, lang: str, scope: MapScope
) -> list[MapEntry]:
    """The mapping rows, or InvalidInput naming every bad row (nothing is moved then)."""
    problems: list[Problem] = []
    entries: list[MapEntry] = []
    seen: dict[tuple[str | None, str], int] = {}
    for number, row in raw:
        found: list[Problem] = []
        sides = [
            _side(s, row.get(c, ""), column=c, row=number, problems=found) for c in MAP_COLUMNS
        ]
        (from_ward, from_code), (to_ward, to_code) = sides
        if not found and (from_ward, from_code) in seen:
            code = row["from_code"] if from_ward else from_code
            key: dict[str, object] = {"code": code, "first": seen[(from_ward, from_code)]}
            found.append((number, "rollover.map_duplicate", key))
        problems += found
        if not found:
            seen[(from_ward, from_code)] = number
            entries.append(MapEntry(number, from_ward, from_code, to_ward, to_code))
    problems += _check_codes(entries, scope=scope, lang=lang)
    if problems:
        problems.sort(key=lambda p: p[0])  # stable: a row's own problems keep their order
        raise InvalidInput("rollover.map_bad", problems=_problem_text(lang, problems))
    return entries


def _check_codes(entries: list[MapEntry], *, scope: MapScope, lang: str) -> list[Problem]:
    """Rows whose from_code is not on a turning ward's from-year plan, whose ward is not
    turning, or whose to_code is not on the to-year plan it would go to."""
    problems: list[Problem] = []
    own_rows = {(e.from_ward, e.from_code) for e in entries if e.from_ward is not None}
    for e in entries:
        if e.from_ward is not None and scope.only is not None and e.from_ward != scope.only:
            turning: dict[str, object] = {"column": "from_code", "ward": e.from_ward}
            problems.append((e.row, "rollover.map_not_turning", turning | {"only": scope.only}))
            continue
        wards = [e.from_ward] if e.from_ward is not None else scope.wards
        froms = [w for w in wards if (w, e.from_code) in scope.old]
        if not froms:
            where = e.from_ward or joined(lang, scope.wards)
            problems.append(_no_code(e.row, "from_code", scope.from_year, where, e.from_code))
            continue
        if e.from_ward is None:  # a ward's own row for the code goes first (see _place)
            froms = [w for w in froms if (w, e.from_code) not in own_rows]
        for there in dict.fromkeys(e.to_ward or w for w in froms):
            if (there, e.to_code) not in scope.new:
                problems.append(_no_code(e.row, "to_code", scope.to_year, there, e.to_code))
    return problems


def _no_code(row: int, column: str, year: int, ward: str, code: str) -> Problem:
    """The year's plan of the ward has no such code."""
    params: dict[str, object] = {"column": column, "year": year, "ward": ward, "code": code}
    return row, "rollover.map_no_code", params


def _side(
    s: Session,
    text: str,
    *,
    column: str,
    row: int,
    problems: list[Problem],
) -> tuple[str | None, str]:
    """(ward or None, normalised code) of `A(2)` or `八幡東区/A(2)`; a problem when unreadable."""
    ward_text, code_text = split_theme_ref(text)
    code = normalize_theme_code(code_text) if code_text else None
    if code is None:
        code_shown = quoted(text)  # a cell may be a whole swallowed file
        problems.append((row, "rollover.map_code", {"column": column, "code": code_shown}))
        return None, ""
    if ward_text is None:
        return None, code
    try:
        return read_ward(s, ward_text), code
    except InvalidInput:
        ward_shown = quoted(ward_text)
        problems.append((row, "rollover.map_ward", {"column": column, "ward": ward_shown}))
        return None, ""


def _problem_text(lang: str, problems: list[Problem]) -> str:
    """Every bad row on one line, each with its row number (the first ten, then a count)."""
    lines = [
        t_plain(lang, "plan.at_row", n=row, field=params.get("column", "from_code"))
        + t_plain(lang, key, **params)
        for row, key, params in problems
    ]
    shown = lines[:MAX_PROBLEMS]
    if len(lines) > MAX_PROBLEMS:
        shown.append(t_plain(lang, "plan.more", n=len(lines) - MAX_PROBLEMS))
    return t_plain(lang, "plan.sep").join(shown)
