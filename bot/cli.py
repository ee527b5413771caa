"""`wgbot`: run the bot, migrate, import a plan, report, digest, tick, demo, console."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.clock import Clock, FixedClock, SystemClock, office_datetime
from bot.config import Settings, SettingsError, load_settings, require
from bot.services.context import Ctx
from storage.db import make_engine, upgrade


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
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wgbot", description="ワーキンググループ・PT の進捗管理ボット")
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
    plan.add_argument("action", choices=["import"])
    plan.add_argument("file")
    rep = sub.add_parser("report", help="month-end progress report")
    rep.add_argument("--as-of")
    rep.add_argument("--format", default="md,docx,xlsx")
    rep.add_argument("--group-by", choices=["area", "pillar"], default="area")
    rep.add_argument("--out", default=".")
    dig = sub.add_parser("digest", help="weekly digest")
    dig.add_argument("--team")
    dig.add_argument("--week")
    dig.add_argument("--post", action="store_true")
    tick = sub.add_parser("tick", help="run due reminders once")
    tick.add_argument("--now")
    tick.add_argument("--dry-run", action="store_true")
    adm = sub.add_parser("case-admin", help="make a team the case-admin group (operator only)")
    adm.add_argument("team")
    con = sub.add_parser("console", help="type /wg lines as a user, no Slack needed")
    con.add_argument("--user", default="U_CONSOLE")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    level = logging.INFO if args.cmd == "run" else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        return _dispatch(args, settings)
    except SettingsError as exc:
        print(f"wgbot: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.cmd == "run":
        from bot.runner import run

        return run(settings, http=args.http, port=args.port, scheduler=not args.no_scheduler)
    if args.cmd == "demo":
        from bot.demo import run_demo

        return run_demo(Path(args.out))
    clock = (
        FixedClock(office_datetime(args.now, settings.tz)) if getattr(args, "now", None) else None
    )
    needs_slack = (args.cmd == "digest" and args.post) or (args.cmd == "tick" and not args.dry_run)
    ctx = build_ctx(settings, clock=clock, with_gateway=needs_slack)
    upgrade(ctx.engine)
    if args.cmd == "db":
        print("database is up to date")
        return 0
    if args.cmd == "plan":
        return _plan_import(ctx, Path(args.file))
    if args.cmd == "case-admin":
        from bot.services.cases import case_admin_cli

        return case_admin_cli(ctx, args.team)
    if args.cmd == "console":
        from bot.console import console

        return console(ctx, user=args.user)
    if args.cmd == "report":
        from bot.services.reports import report_cli

        return report_cli(
            ctx, as_of=args.as_of, formats=args.format, group_by=args.group_by, out=Path(args.out)
        )
    if args.cmd == "digest":
        from bot.services.digests import digest_cli

        return digest_cli(ctx, team=args.team, week=args.week, post=args.post)
    if args.cmd == "tick":
        from bot.services.outbox import tick_cli

        return tick_cli(ctx, dry_run=args.dry_run)
    return 1


def _plan_import(ctx: Ctx, path: Path) -> int:
    from bot.services.plans import PlanImportError, import_plan, read_plan_file

    if not path.exists():
        print(f"wgbot: ファイルがありません: {path}", file=sys.stderr)
        return 2
    try:
        result = import_plan(ctx, data=read_plan_file(path))
    except PlanImportError as exc:
        print("取り込めませんでした（何も保存していません）:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        f"{result.ward} {result.fiscal_year}年度: 課題 {result.created}件を追加、"
        f"{result.updated}件を更新しました"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
