"""`wgbot`: run the bot, migrate, import a plan, report, digest, tick, demo, console."""

from __future__ import annotations

import argparse
import getpass
import io
import logging
import os
import sys
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from bot.clock import Clock, FixedClock, SystemClock, office_datetime
from bot.config import Settings, load_settings, require
from bot.domain.masking import mask
from bot.errors import InvalidInput
from bot.failures import EnvFileError, failure_line, output_closed, quiet_exit
from bot.logs import setup_logging
from bot.render.messages import as_of_text, joined, t_plain
from bot.render.text import quoted
from bot.services.context import Ctx
from storage.db import make_engine, upgrade

if TYPE_CHECKING:
    from datetime import date

    from bot.services.reminder_actions import Verdict
    from bot.services.role_groups import RoleGroup
    from storage.models import Membership, Reminder


def build_ctx(settings: Settings, *, clock: Clock | None = None, with_gateway: bool = False) -> Ctx:
    """The services' context from settings; the gateway only when a token is needed."""
    from bot.gateway import Gateway, make_client

    engine = make_engine(settings.database_url)
    gateway = None
    if with_gateway:
        token = require(settings, "SLACK_BOT_TOKEN")
        gateway = Gateway(make_client(token, settings.slack_api_url))
    return Ctx(
        engine=engine,
        clock=clock or SystemClock(settings.tz),
        lang=settings.wgbot_language,
        command=settings.wgbot_command,
        gateway=gateway,
        report_channel=settings.wgbot_report_channel,
        operator_channel=settings.wgbot_operator_channel,
        tick_seconds=settings.wgbot_tick_seconds,
        case_retention_years=settings.wgbot_case_retention_years,
    )


def _parser(lang: str) -> argparse.ArgumentParser:
    p = _Parser(prog="wgbot", description=t_plain(lang, "cli.description"))
    sub = p.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="the bot (Socket Mode when SLACK_APP_TOKEN is set)")
    run.add_argument("--http", action="store_true")
    run.add_argument("--port", type=int)
    run.add_argument("--no-scheduler", action="store_true", help=argparse.SUPPRESS)
    db = sub.add_parser("db", help="database")
    db.add_argument("action", choices=["upgrade"])
    demo = sub.add_parser("demo", help="simulated month for the sample ward, no Slack")
    demo.add_argument("--out", default="demo-out")
    plan = sub.add_parser("plan", help="policy plan")
    plan.add_argument("action", choices=["import", "rollover"])
    plan.add_argument("file", nargs="?")
    plan.add_argument("--from", dest="from_year", type=int)  # rollover: the years, a ward,
    plan.add_argument("--to", dest="to_year", type=int)  # a code map, and --apply to do it
    plan.add_argument("--ward")
    plan.add_argument("--map")
    plan.add_argument("--apply", action="store_true")
    rep = sub.add_parser("report", help="month-end progress report")
    rep.add_argument("--as-of")
    rep.add_argument("--format")  # md,docx,xlsx for a ward; xlsx,docx,png with --city
    rep.add_argument("--group-by", choices=["area", "pillar"], default="area")
    rep.add_argument("--out", default=".")
    rep.add_argument("--ward", help="the ward's report (needed when there are several)")
    rep.add_argument("--city", action="store_true", help="every ward: the city roll-up")
    dig = sub.add_parser("digest", help="weekly digest")
    dig.add_argument("--team")
    dig.add_argument("--week")
    dig.add_argument("--post", action="store_true")
    tick = sub.add_parser("tick", help="run due reminders once")
    tick.add_argument("--now")
    tick.add_argument("--dry-run", action="store_true")
    adm = sub.add_parser(
        "case-admin", help="add, remove or list case admins by Slack member id (operator only)"
    )
    adm.add_argument("verb", help="add | remove | list")
    adm.add_argument("users", nargs="*", help="Slack member ids (U…)")
    city = sub.add_parser(
        "city-planning",
        help="add, remove or list who may build the city roll-up, by Slack member id",
    )
    city.add_argument("verb", help="add | remove | list")
    city.add_argument("users", nargs="*", help="Slack member ids (U…)")
    case = sub.add_parser(
        "case", help="case log upkeep: `case audit verify`, `case retention --dry-run|--apply`"
    )
    case.add_argument("what", choices=["audit", "retention"])
    case.add_argument("verb", nargs="?", choices=["verify"])
    case.add_argument("--apply", action="store_true")
    case.add_argument("--dry-run", action="store_true")
    about = (
        "import the staff list (CSV or XLSX: user id or e-mail, name, ward, section);"
        " people in the file get their row replaced, rows of people not in it stay"
    )
    staff = sub.add_parser("staff", help=about, description=about)
    staff.add_argument("action", choices=["import"])
    staff.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM or Shift_JIS) or XLSX")
    con = sub.add_parser("console", help="type /wg lines as a user, no Slack needed")
    con.add_argument("--user", default="U_CONSOLE")
    return p


class UsageError(Exception):
    """The command line itself is wrong (argparse's message)."""


class _Parser(argparse.ArgumentParser):
    # argparse prints usage plus an English error on two lines; we want our one line.
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: every failure is one line and exit code 2."""
    lang = os.environ.get("WGBOT_LANGUAGE", "ja").strip().lower()
    database_url = os.environ.get("DATABASE_URL", "")
    command = "/wg"
    try:
        args = _parser(lang).parse_args(argv)
    except UsageError as exc:
        return _fail(t_plain(lang, "cli.bad_args", problem=exc))
    setup_logging(logging.INFO if args.cmd == "run" else logging.WARNING)
    try:
        check_env_file(Path(".env"))
        settings = load_settings()
        lang, database_url = settings.wgbot_language, settings.database_url
        command = settings.wgbot_command
        code = _dispatch(args, settings)
        sys.stdout.flush()  # inside the boundary: a reader gone (`| head`) is seen here
        return code
    except KeyboardInterrupt:
        _fail(t_plain(lang, "cli.interrupted"))
        return 130
    except Exception as exc:  # the one boundary of the CLI: one line, never a traceback
        if output_closed(exc):  # `wgbot console … | head -2`: the reader left, not Slack
            return quiet_exit()
        return _fail(failure_line(exc, lang=lang, database_url=database_url, command=command))


def _fail(line: str) -> int:
    # Under systemd stderr goes to the journal: a bad value quoted from a plan file or an
    # argument may hold a My Number, a phone number or an e-mail address; mask them there.
    print(f"wgbot: {mask(line).text}", file=sys.stderr)
    return 2


def check_env_file(path: Path) -> None:
    """Refuse a `.env` that is not UTF-8 NAME=value lines (python-dotenv would skip them)."""
    from dotenv.parser import parse_stream

    if not path.exists():
        return
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise EnvFileError("encoding") from None
    except OSError:
        raise EnvFileError("access") from None
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise EnvFileError("line", line=binding.original.line)


def _read_now(text: str, settings: Settings) -> datetime:
    """`--now 2024-12-05 09:00` as office time, or InvalidInput (one line, exit 2)."""
    try:
        return office_datetime(text, settings.tz)
    except ValueError:
        raise InvalidInput("cli.bad_now", value=quoted(text)) from None


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.cmd == "run":
        from bot.runner import run

        ctx = build_ctx(settings, with_gateway=True)
        return run(
            settings, ctx=ctx, http=args.http, port=args.port, scheduler=not args.no_scheduler
        )
    if args.cmd == "demo":
        from bot.demo import run_demo

        return run_demo(Path(args.out))
    clock = FixedClock(_read_now(args.now, settings)) if getattr(args, "now", None) else None
    needs_slack = (args.cmd == "digest" and args.post) or (args.cmd == "tick" and not args.dry_run)
    ctx = build_ctx(settings, clock=clock, with_gateway=needs_slack)
    upgrade(ctx.engine)
    if args.cmd == "db":
        print(t_plain(ctx.lang, "cli.db_ready"))
        return 0
    if args.cmd == "plan" and args.action == "rollover":
        return rollover_cli(ctx, args)
    if args.cmd == "plan":
        if not args.file:
            return _fail(t_plain(ctx.lang, "cli.bad_args", problem="plan import FILE"))
        return _plan_import(ctx, Path(args.file))
    if args.cmd == "case-admin":
        return case_admin_cli(ctx, args.verb, args.users)
    if args.cmd == "city-planning":
        return city_planning_cli(ctx, args.verb, args.users)
    if args.cmd == "staff":
        return staff_import_cli(ctx, Path(args.file), settings=settings)
    if args.cmd == "case":
        return _case_upkeep(ctx, args, settings)
    if args.cmd == "console":
        from bot.console import console

        # The console speaks for a Slack user; case audit rows also name the operator.
        return console(replace(ctx, via=f"console:{_os_user()}"), user=args.user)
    if args.cmd == "report":
        return _report(ctx, args)
    if args.cmd == "digest":
        return digest_cli(ctx, team=args.team, week=args.week, post=args.post)
    if args.cmd == "tick":
        return tick_cli(ctx, dry_run=args.dry_run)
    return 1


def _report(ctx: Ctx, args: argparse.Namespace) -> int:
    """`wgbot report [--ward|--city] [--as-of] [--format md,docx,xlsx] [--group-by] [--out]`."""
    from bot.commands.core import read_date
    from bot.services.reports import build_files

    # A refusal (WgbotError) goes up to main(): one line on stderr, exit 2.
    as_of = args.as_of
    day = read_date(ctx, as_of, year_rule="recent", month_day="last").value if as_of else None
    if args.city:
        return _city_report(ctx, args, day)
    wanted = tuple(f.strip() for f in (args.format or "md,docx,xlsx").split(",") if f.strip())
    built = build_files(ctx, as_of=day, formats=wanted, group_by=args.group_by, ward=args.ward)
    _write_files(Path(args.out), built.files)
    report, missing = built.report, built.report.themes_without_note
    label = as_of_text(ctx.lang, report.as_of, report.as_of_label)
    if built.several_wards:
        label = f"{report.ward} {label}"
    n = sum(len(g.sections) for g in report.groups)
    gaps = (
        t_plain(ctx.lang, "report.cli_missing", n=len(missing), codes=joined(ctx.lang, missing))
        if missing
        else ""
    )
    print(t_plain(ctx.lang, "report.cli_done", label=label, n=n) + gaps)
    return 0


def _write_files(out: Path, files: dict[str, bytes]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(out / name)


def _city_report(ctx: Ctx, args: argparse.Namespace, day: date | None) -> int:
    """`wgbot report --city`: the roll-up's XLSX, DOCX and PNG (the operator may always)."""
    from bot.services.reports import CITY_FORMATS, build_city_files

    if args.ward:
        raise InvalidInput("city.cli_ward_and_city")
    given = tuple(f.strip() for f in (args.format or "").split(",") if f.strip())
    wanted = given or CITY_FORMATS
    unknown = [f for f in wanted if f not in CITY_FORMATS]
    if unknown:  # the ward report's formats (md, csv) are not the roll-up's
        allowed = ", ".join(CITY_FORMATS)
        raise InvalidInput("city.bad_format", formats=",".join(unknown), allowed=allowed)
    built = build_city_files(ctx, as_of=day, formats=wanted)
    _write_files(Path(args.out), built.files)
    city = built.city
    label = as_of_text(ctx.lang, city.as_of, city.as_of_label)
    names = joined(ctx.lang, [r.ward for r in city.wards])
    n = len(city.rows)
    print(t_plain(ctx.lang, "city.cli_done", label=label, wards=len(city.wards), names=names, n=n))
    return 0


def city_planning_cli(ctx: Ctx, verb: str, users: list[str]) -> int:
    """`wgbot city-planning add|remove|list [U…]`: one line; 0 done, 1 nothing to remove, 2 bad."""
    from bot.services.reports import CITY_PLANNERS

    return _role_group_cli(ctx, CITY_PLANNERS, verb, users, absent="city.not_member")


def digest_cli(ctx: Ctx, *, team: str | None, week: str | None, post: bool) -> int:
    """`wgbot digest [--team] [--week] [--post]`: print the digests, or post them."""
    from bot.render.digest_view import digest_text
    from bot.services.digests import parse_week, post_digests, team_digests

    # A refusal (WgbotError) goes up to main(): one line on stderr, exit 2.
    day = parse_week(ctx, week) if week else ctx.clock.today()
    if post:
        for item in post_digests(ctx, today=day, team_name=team):
            name, channel = item.team.name, item.team.channel_id
            print(t_plain(ctx.lang, "digest.posted", team=name, channel=channel))
        return 0
    for digest in team_digests(ctx, team_name=team, today=day):
        print(digest_text(ctx.lang, digest))
        print()
    return 0


def tick_cli(ctx: Ctx, *, dry_run: bool) -> int:
    """`wgbot tick [--now] [--dry-run]`: send what is due once, or print it and the failures."""
    from bot.services.outbox import run_tick

    if dry_run:
        return _tick_dry_run(ctx)
    if ctx.instance_id == "local":
        ctx.instance_id = f"tick-{threading.get_native_id()}-{id(ctx):x}"
    result = run_tick(ctx)
    if result.halted:
        # One line: what went out, and how many of those may go out again next time.
        recorded = (
            t_plain(ctx.lang, "tick.unrecorded", n=result.unrecorded)
            if result.unrecorded
            else t_plain(ctx.lang, "tick.all_recorded")
        )
        print(t_plain(ctx.lang, "tick.halted", sent=result.sent, recorded=recorded))
        return 2
    counts = {k: getattr(result, k) for k in ("sent", "retried", "failed", "skipped", "deferred")}
    print(t_plain(ctx.lang, "tick.done", **counts))
    for error in result.errors:
        print(t_plain(ctx.lang, "tick.error", error=error))
    # A cron job must see a tick that could not send what was due (Slack down: every row
    # waits for a retry) as a failure, not only rows failed for good.
    return 1 if result.failed or result.retried else 0


def _tick_dry_run(ctx: Ctx) -> int:
    from bot.services.outbox_report import due_and_failed, error_code
    from bot.services.reminder_actions import check_rows

    due, failed = due_and_failed(ctx)
    verdicts = check_rows(ctx, due)
    print(t_plain(ctx.lang, "tick.due", now=f"{ctx.clock.now():%Y-%m-%d %H:%M}", n=len(due)))
    for row in due:
        print(_reminder_line(ctx, row) + _due_note(ctx, row, verdicts[row.id or 0]))
    print(t_plain(ctx.lang, "tick.failed_rows", n=len(failed)))
    for row in failed:
        code = error_code(row)
        print(
            _reminder_line(ctx, row)
            + t_plain(ctx.lang, "tick.failed_row", n=row.attempts, code=code)
        )
    return 0


def _reminder_line(ctx: Ctx, row: Reminder) -> str:
    at = row.fire_at.astimezone(ctx.clock.tz) if row.fire_at else None
    target = row.channel_id or f"@{row.user_id}"
    what = f"#{row.task_id}" if row.task_id else t_plain(ctx.lang, "tick.theme", id=row.theme_id)
    kind = _word(ctx, "tick.kind", row.kind)
    return f"  {at:%Y-%m-%d %H:%M} [{row.id}] {kind}  {target:<14} {what}"


def _word(ctx: Ctx, group: str, code: str) -> str:
    """A reminder kind or skip reason in the reader's language (the code if it has none)."""
    key = f"{group}.{code}"
    text = t_plain(ctx.lang, key)
    return code if text == key else text


def _due_note(ctx: Ctx, row: Reminder, verdict: Verdict) -> str:
    """Why a due row would not go out now, or after how many failed tries."""
    if verdict.skip:
        return t_plain(ctx.lang, "tick.not_sent", reason=_word(ctx, "tick.skip", verdict.skip))
    if verdict.quiet:
        return t_plain(ctx.lang, "tick.quiet")
    return t_plain(ctx.lang, "tick.retrying", n=row.attempts) if row.attempts else ""


def case_admin_cli(ctx: Ctx, verb: str, users: list[str]) -> int:
    """`wgbot case-admin add|remove|list [U…]`: one line; 0 done, 1 nothing to remove, 2 bad."""
    from bot.services.cases import CASE_ADMINS

    return _role_group_cli(ctx, CASE_ADMINS, verb, users, absent="case.admin.not_admin")


def _role_group_cli(ctx: Ctx, group: RoleGroup, verb: str, users: list[str], *, absent: str) -> int:
    """add|remove|list of an operator-run group, in its words (`<keys>.added`, …; `absent`
    for "not in the group"): one line; 0 done, 1 nothing to remove, 2 bad."""
    from bot.services import role_groups
    from bot.services.cases import operator_actor

    keys = group.keys
    try:
        if verb == "list" and not users:
            print(_members_line(ctx, keys, role_groups.members(ctx, group)))
            return 0
        if verb == "add":
            change = role_groups.add(ctx, group, users=users, actor=operator_actor())
        elif verb == "remove":
            change = role_groups.remove(ctx, group, users=users, actor=operator_actor())
        else:
            raise InvalidInput(f"{keys}.usage")
    except InvalidInput as exc:
        print(f"wgbot: {t_plain(ctx.lang, exc.key, **exc.params)}", file=sys.stderr)
        return 2
    parts = []
    if change.changed:
        key = f"{keys}.added" if verb == "add" else f"{keys}.removed"
        parts.append(t_plain(ctx.lang, key, users=", ".join(change.changed)))
    if change.unchanged:
        key = f"{keys}.already" if verb == "add" else absent
        parts.append(t_plain(ctx.lang, key, users=", ".join(change.unchanged)))
    print(" ".join(parts))
    return 1 if verb == "remove" and change.unchanged else 0


def _members_line(ctx: Ctx, keys: str, members: list[Membership]) -> str:
    from bot.services.case_alerts import local_minute

    if not members:
        return t_plain(ctx.lang, f"{keys}.none")
    people = ", ".join(
        t_plain(
            ctx.lang,
            f"{keys}.person",
            user=m.user_id,
            since=local_minute(ctx, m.added_at),
            by=m.added_by,
        )
        for m in members
    )
    return t_plain(ctx.lang, f"{keys}.list", n=len(members), people=people)


def retention_cli(ctx: Ctx, *, apply: bool, years: int) -> int:
    """`wgbot case retention --dry-run|--apply`: list or dispose; returns the exit code."""
    from bot.services.case_retention import dispose_expired, find_expired

    result = dispose_expired(ctx, years=years) if apply else find_expired(ctx, years=years)
    key = "case.retention.applied" if apply else "case.retention.dry_run"
    limit = result.cutoff.date().isoformat()
    print(t_plain(ctx.lang, key, n=len(result.cases), before=limit, years=years))
    if not apply:
        for c in result.cases:
            closed = c.closed_at.astimezone(ctx.clock.tz).date().isoformat()
            print(t_plain(ctx.lang, "case.retention.line", id=c.id, closed=closed))
    return 0


def verify_cli(ctx: Ctx) -> int:
    """`wgbot case audit verify`: OK with the row count and last hash (0), or the break (2)."""
    from bot.services.case_audit import verify_audit

    walk = verify_audit(ctx)
    if walk.broken is None:
        print(t_plain(ctx.lang, "case.verify.ok", rows=walk.rows, hash=walk.last_hash))
        return 0
    key = f"case.verify.{walk.broken.problem}"
    print(f"wgbot: {t_plain(ctx.lang, key, id=walk.broken.row_id or '-')}", file=sys.stderr)
    return 2


def _os_user() -> str:
    """The operator's login name, or their uid where none is known (a bare container)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid{os.getuid()}"


def _case_upkeep(ctx: Ctx, args: argparse.Namespace, settings: Settings) -> int:
    if args.what == "audit":
        if args.verb != "verify":
            return _fail(t_plain(ctx.lang, "cli.bad_args", problem="case audit verify"))
        return verify_cli(ctx)
    if args.apply == args.dry_run:  # exactly one: disposal is never the silent default
        problem = "case retention --dry-run | --apply"
        return _fail(t_plain(ctx.lang, "cli.bad_args", problem=problem))
    return retention_cli(ctx, apply=args.apply, years=settings.wgbot_case_retention_years)


def _plan_import(ctx: Ctx, path: Path) -> int:
    from bot.services.plans import import_plan, read_plan_file

    # A bad file raises PlanImportError: main() prints all its problems on one line.
    result = import_plan(ctx, data=read_plan_file(path))
    print(
        t_plain(
            ctx.lang,
            "plan.done",
            ward=result.ward,
            year=result.fiscal_year,
            created=result.created,
            updated=result.updated,
        )
    )
    return 0


def rollover_cli(ctx: Ctx, args: argparse.Namespace) -> int:
    """`wgbot plan rollover --from Y --to Y [--ward] [--map] [--apply]`: list, or move."""
    from bot.services.rollover import Move, rollover

    if args.from_year is None or args.to_year is None or args.file:
        return _fail(t_plain(ctx.lang, "cli.bad_args", problem=t_plain(ctx.lang, "rollover.usage")))
    # A refusal (WgbotError) goes up to main(): one line on stderr, exit 2.
    result = rollover(
        ctx,
        from_year=args.from_year,
        to_year=args.to_year,
        ward=args.ward,
        map_file=Path(args.map) if args.map else None,
        apply=args.apply,
        by=f"cli:{_os_user()}",
    )
    lang, years = ctx.lang, {"from_year": result.from_year, "to_year": result.to_year}
    wards = "、".join(result.wards)
    head = "rollover.head_applied" if result.applied else "rollover.head_dry"
    print(t_plain(lang, head, **years, wards=wards, by=result.by))

    def line(m: Move) -> str:
        where = {"id": m.id, "ward": m.ward, "from_code": m.from_code, "title": m.name}
        where["name"] = m.name
        if m.to is None:
            why = t_plain(lang, f"rollover.why.{m.why}", **years, ward=m.ward, code=m.wanted)
            return t_plain(lang, f"rollover.unplaced_{m.kind}", **where, why=why)
        shown = t_plain(lang, f"rollover.{m.kind}_line", **where, to=m.to)
        return shown + (t_plain(lang, "rollover.by_map") if m.by_map else "")

    done = "_applied" if result.applied else ""
    for key, moves in (
        (f"rollover.tasks{done}", result.placed("task")),
        (f"rollover.teams{done}", result.placed("team")),
        ("rollover.unplaced", result.unplaced("task") + result.unplaced("team")),
    ):
        if moves:
            print(t_plain(lang, key, n=len(moves)))
            for m in moves:
                print(line(m))
    counts = {
        "tasks": len(result.placed("task")),
        "teams": len(result.placed("team")),
        "unplaced": len(result.unplaced("task")) + len(result.unplaced("team")),
        "replanned": result.replanned,
    }
    summary = "rollover.summary_applied" if result.applied else "rollover.summary_dry"
    print(t_plain(lang, summary, **counts))
    return 0


def staff_import_cli(ctx: Ctx, path: Path, *, settings: Settings) -> int:
    """`wgbot staff import FILE`: one line with the count (0), or every problem (2)."""
    from bot.domain.staff_file import MAX_LISTED, StaffFileError
    from bot.gateway import Gateway, make_client
    from bot.services.staff import import_staff, read_staff_file

    if settings.slack_bot_token is not None:  # e-mails are looked up only with a token
        token = require(settings, "SLACK_BOT_TOKEN")
        ctx = replace(ctx, gateway=Gateway(make_client(token, settings.slack_api_url)))
    # A file that cannot be read, or e-mails without a token: one line from main(), exit 2.
    try:
        done = import_staff(ctx, rows=read_staff_file(path), by=f"cli:{_os_user()}")
    except StaffFileError as exc:  # bad rows: a headline, then each problem on its own line
        print(f"wgbot: {t_plain(ctx.lang, exc.key, **exc.params)}", file=sys.stderr)
        wards = joined(ctx.lang, list(exc.wards)) or "-"
        for problem in exc.problems[:MAX_LISTED]:
            where = t_plain(ctx.lang, f"staff.col.{problem.column}") if problem.column else ""
            at = "staff.at_cell" if where else "staff.at_row"
            line = t_plain(ctx.lang, at, n=problem.row, field=where)
            line += t_plain(ctx.lang, problem.key, wards=wards, **problem.params)
            print(f"  {mask(line).text}", file=sys.stderr)
        if len(exc.problems) > MAX_LISTED:
            more = t_plain(ctx.lang, "staff.more", n=len(exc.problems) - MAX_LISTED)
            print(f"  {more}", file=sys.stderr)
        return 2
    n = done.created + done.updated
    print(t_plain(ctx.lang, "staff.done", n=n, created=done.created, updated=done.updated))
    return 0


if __name__ == "__main__":
    sys.exit(main())
