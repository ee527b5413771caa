"""`wgbot demo`: the sample ward's November 2024 with no Slack, outputs to a folder."""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.commands import run_command
from bot.demo_scenario import PEOPLE, STEPS
from bot.services.context import Ctx
from bot.services.plans import import_plan, read_plan_file
from storage.db import make_engine, upgrade

TZ = ZoneInfo("Asia/Tokyo")
SAMPLE = Path(__file__).parent / "samples" / "wakamatsu-fy2024.yaml"
TEAMS = ("案内表示・情報紙WG", "カスハラ事例共有PT", "若松北海岸観光PT")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")


def readable(text: str) -> str:
    """Slack markup to what a person reads: names instead of ids, & < > unescaped."""
    text = _MENTION.sub(lambda m: "@" + PEOPLE.get(m.group(1), m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def build_demo_ctx(out: Path) -> Ctx:
    """A fresh embedded SQLite in the output folder, migrated, with the sample plan."""
    out.mkdir(parents=True, exist_ok=True)
    db = out / "wgbot-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    clock = FixedClock(datetime(2024, 11, 1, 9, 0, tzinfo=TZ))
    ctx = Ctx(engine=engine, clock=clock)
    import_plan(ctx, data=read_plan_file(SAMPLE), user="demo")
    return ctx


def play(ctx: Ctx, log: list[str]) -> None:
    """Type the scenario's lines on their days, recording each answer."""
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    for day, user, text in STEPS:
        clock.set(datetime.combine(day, time(9, 30), tzinfo=TZ))
        reply = run_command(ctx, user=user, text=text)
        log.append(
            f"[{day:%m/%d}] {PEOPLE[user]}: /wg {readable(text)}\n    → {readable(reply.text)}"
        )


def run_demo(out: Path) -> int:
    """Run the simulated month and write the outputs; print a summary."""
    ctx = build_demo_ctx(out)
    log: list[str] = []
    play(ctx, log)
    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime(2024, 11, 29, 9, 0, tzinfo=TZ))
    lists = []
    for team in TEAMS:
        reply = run_command(ctx, user="U01SATO", text=f"task list team:{team}")
        lists.append(readable(reply.text))
    (out / "commands.log").write_text("\n".join(log) + "\n", encoding="utf-8")
    (out / "team-tasks.md").write_text("\n\n".join(lists) + "\n", encoding="utf-8")
    print("若松区 令和6年11月のデモ（Slack なし、埋め込み SQLite）")
    print(f"  入力したコマンド {len(log)} 件 → {out / 'commands.log'}")
    print()
    for text in lists:
        print(text)
        print()
    print(f"出力フォルダ: {out.resolve()}")
    return 0
