"""`wgbot demo`: a city's November 2024, simulated, with no Slack.

Two wards share one database: the sample ward (bot/samples/wakamatsu-fy2024.yaml) and a
FICTIONAL second ward, 東港区 (bot/samples/higashiminato-fy2024.yaml), whose theme
codes overlap the first's, plus one city-wide (全市) team with members of both.
Staff type their `/wg` lines and press buttons on dated days; the real scheduler
jobs (reminder tick, month-end note planning, weekly digest) fire under a simulated
clock and "send" through a recording gateway. The outputs go to a folder: each
ward's report, and the city's roll-up beside them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot import demo_scenario_city as city
from bot.clock import FixedClock
from bot.commands import run_command
from bot.demo_scenario import PEOPLE as WARD_PEOPLE
from bot.demo_scenario import PRESSES, STEPS
from bot.domain.wards import CITY_WIDE
from bot.gateway import RecordingGateway
from bot.render import core_text
from bot.render.messages import t
from bot.render.text import unescape
from bot.scheduler import build_scheduler
from bot.services import reminder_actions
from bot.services.context import Ctx
from bot.services.plans import import_plan, read_plan_file
from bot.services.reports import build_city_files, build_files
from bot.services.staff import import_staff, read_staff_file
from bot.simulation import Fired, simulate
from storage.db import make_engine, upgrade

TZ = ZoneInfo("Asia/Tokyo")
SAMPLE = Path(__file__).parent / "samples" / "wakamatsu-fy2024.yaml"
SECOND = Path(__file__).parent / "samples" / "higashiminato-fy2024.yaml"  # fictional
STAFF = Path(__file__).parent / "samples" / "demo-staff.csv"  # who is in which ward
PEOPLE = {**WARD_PEOPLE, **city.PEOPLE}
# Each team's list as one of its members asks for it (another ward's team is not shown).
TEAMS = {
    "案内表示・情報紙WG": "U01SATO",
    "カスハラ事例共有PT": "U04TANAKA",
    "若松北海岸観光PT": "U06WATANABE",
    "自治会長研修担当": "U08KOBAYASHI",
    "窓口混雑予報WG": "U11NAKAMURA",
    city.CITY_TEAM: "U04TANAKA",
}
CHANNELS = {
    "C01SIGNAGE": "wg-signage",
    "C02CASES": "pt-kasuhara",
    "C03COAST": "pt-kitakaigan",
    "C04CENTER": "wg-jichikai",
    **city.CHANNELS,
}
START = datetime(2024, 11, 1, 0, 0, tzinfo=TZ)
END = datetime(2024, 11, 30, 23, 59, tzinfo=TZ)
AS_OF = date(2024, 11, 30)
FORMATS = ("md", "docx", "xlsx", "csv", "png")
WARDS = (city.SAMPLE_WARD, city.SECOND_WARD)
# Every reminder of DESIGN §7 is due at 09:00, and a tick every three hours from 00:00
# meets it (one an hour sent the same messages at the same times, at thrice the cost).
DEMO_TICK_SECONDS = 3 * 3600.0
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")


# The emoji codes our messages use, as Slack draws them.
_EMOJI = {
    ":alarm_clock:": "⏰",
    ":date:": "📅",
    ":memo:": "📝",
    ":no_entry_sign:": "🚫",
    ":triangular_flag_on_post:": "🚩",
    ":warning:": "⚠️",
    ":white_check_mark:": "✅",
}


def readable(text: str) -> str:
    """Slack markup to what a person reads: names and emoji instead of codes, & < > unescaped."""
    for code, emoji in _EMOJI.items():
        text = text.replace(code, emoji)
    text = _MENTION.sub(lambda m: "@" + PEOPLE.get(m.group(1), m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or CHANNELS.get(m.group(1), m.group(1))), text)
    return unescape(text)


def where(channel: str) -> str:
    """A recorded channel as a person names it: a DM to someone or #channel."""
    if channel.startswith("D") and channel[1:] in PEOPLE:
        return f"DM → {PEOPLE[channel[1:]]}"
    return f"#{CHANNELS.get(channel, channel)}"


def blocks_text(blocks: list[dict[str, Any]] | None) -> str:
    """The words of a Block Kit message, roughly as Slack shows them (buttons in [ ])."""
    lines: list[str] = []
    for block in blocks or []:
        if isinstance(block.get("text"), dict):
            lines.append(block["text"].get("text", ""))
        lines.extend(f.get("text", "") for f in block.get("fields", []))
        elements = block.get("elements", [])
        buttons = [e["text"]["text"] for e in elements if e.get("type") == "button"]
        if buttons:
            lines.append("  ".join(f"[{b}]" for b in buttons))
        lines.extend(e.get("text", "") for e in elements if e.get("type") == "mrkdwn")
    return readable("\n".join(line for line in lines if line))


@dataclass
class DemoRun:
    """What the simulated month produced."""

    ctx: Ctx
    gateway: RecordingGateway
    commands: list[str] = field(default_factory=list)
    fired: list[Fired] = field(default_factory=list)


def build_demo_ctx(out: Path) -> tuple[Ctx, RecordingGateway]:
    """A fresh embedded SQLite in the output folder, migrated, with both wards' plans
    and the operator's staff list."""
    out.mkdir(parents=True, exist_ok=True)
    db = out / "wgbot-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    gateway = RecordingGateway()
    ctx = Ctx(
        engine=engine,
        clock=FixedClock(START),
        gateway=gateway,
        instance_id="demo",
        tick_seconds=DEMO_TICK_SECONDS,
    )
    import_plan(ctx, data=read_plan_file(SAMPLE), user="demo")
    import_plan(ctx, data=read_plan_file(SECOND), user="demo")
    # The operator's staff list, through `wgbot staff import`'s own service.
    import_staff(ctx, rows=read_staff_file(STAFF), by="demo")
    return ctx, gateway


def _typed(ctx: Ctx, log: list[str], user: str, text: str) -> Callable[[], None]:
    def step() -> None:
        reply = run_command(ctx, user=user, text=text)
        day = ctx.clock.now()
        log.append(
            f"[{day:%m/%d %H:%M}] {PEOPLE[user]}: /wg {readable(text)}\n"
            f"    → {readable(reply.text)}"
        )

    return step


def _pressed(
    ctx: Ctx, log: list[str], user: str, action: str, value: str, text: str
) -> Callable[[], None]:
    def step() -> None:
        # The same services the button and modal handlers call.
        if action == "done":
            result = reminder_actions.complete(ctx, user=user, value=value)
            answer = t(ctx.lang, result.key, id=result.card.task_id, due="")
            label, shown = "［完了］", f"#{value}"
        else:
            saved = reminder_actions.save_note(ctx, user=user, ref=value, text=text).saved
            answer = core_text.note_saved(ctx.lang, saved, cmd=ctx.command)
            label, shown = "［進捗を書く］", value
        day = ctx.clock.now()
        log.append(f"[{day:%m/%d %H:%M}] {PEOPLE[user]}: {label} {shown}\n    → {readable(answer)}")

    return step


def simulate_month(out: Path) -> DemoRun:
    """Play November 2024: typed lines, pressed buttons and the scheduler's jobs."""
    ctx, gateway = build_demo_ctx(out)
    run = DemoRun(ctx, gateway)
    steps = [
        (datetime.combine(day, time(9, 30), tzinfo=TZ), text, _typed(ctx, run.commands, user, text))
        for day, user, text in [*STEPS, *city.STEPS]
    ]
    steps += [
        (at, action, _pressed(ctx, run.commands, user, action, value, text))
        for at, user, action, value, text in PRESSES
    ]
    assert isinstance(ctx.clock, FixedClock)
    sched = build_scheduler(ctx)
    run.fired = simulate(sched, ctx.clock, until=END, steps=steps, sent=gateway.sent)
    return run


def _messages(fired: list[Fired], job: str) -> list[tuple[datetime, dict[str, Any]]]:
    return [(f.at, m) for f in fired if f.name == job for m in f.sent if m.get("kind") == "message"]


def write_outputs(run: DemoRun, out: Path) -> dict[str, Path]:
    """Digests, reminders, commands and team lists (the reports: write_reports)."""
    paths: dict[str, Path] = {}
    digests = _messages(run.fired, "weekly_digest")
    text = "\n\n".join(
        f"## {at:%Y-%m-%d (%a) %H:%M} {where(str(m['channel']))}\n\n{readable(str(m['text']))}"
        for at, m in digests
    )
    paths["digests"] = out / "digests.md"
    paths["digests"].write_text(f"# 週間まとめ（投稿 {len(digests)}件）\n\n{text}\n", "utf-8")
    reminders = _messages(run.fired, "reminder_tick")
    text = "\n\n".join(
        f"## {at:%m/%d %H:%M} {where(str(m['channel']))}\n\n{blocks_text(m.get('blocks'))}"  # type: ignore[arg-type]
        for at, m in reminders
    )
    paths["reminders"] = out / "reminders.md"
    paths["reminders"].write_text(f"# リマインダー（送信 {len(reminders)}件）\n\n{text}\n", "utf-8")
    paths["commands"] = out / "commands.log"
    paths["commands"].write_text("\n".join(run.commands) + "\n", encoding="utf-8")
    lists = [
        readable(run_command(run.ctx, user=member, text=f"task list team:{team}").text)
        for team, member in TEAMS.items()
    ]
    paths["tasks"] = out / "team-tasks.md"
    paths["tasks"].write_text("\n\n".join(lists) + "\n", encoding="utf-8")
    return paths


def _write(out: Path, files: dict[str, bytes]) -> list[Path]:
    for name, data in files.items():
        (out / name).write_bytes(data)
    return [out / name for name in files]


def write_reports(run: DemoRun, out: Path) -> dict[str, list[Path]]:
    """Each ward's month-end report (its files carry the ward's name), and beside them the
    city's roll-up (as the operator's `wgbot report --city` writes it)."""
    written = {
        ward: _write(out, build_files(run.ctx, as_of=AS_OF, formats=FORMATS, ward=ward).files)
        for ward in WARDS
    }
    written[CITY_WIDE] = _write(out, build_city_files(run.ctx, as_of=AS_OF).files)
    return written


def run_demo(out: Path) -> int:
    """Run the simulated month, write the outputs and print a short summary."""
    run = simulate_month(out)
    paths = write_outputs(run, out)
    reports = write_reports(run, out)
    reminders = _messages(run.fired, "reminder_tick")
    digests = _messages(run.fired, "weekly_digest")
    per_day = Counter(f"{at:%m/%d}" for at, _ in reminders)
    digest_days = sorted({f"{at:%m/%d(%a)}" for at, _ in digests})
    print(
        f"{city.SAMPLE_WARD}と{city.SECOND_WARD_LABEL}、令和6年11月のシミュレーション"
        "（Slack なし、埋め込み SQLite）"
    )
    print(
        f"  {city.SECOND_WARD}は架空の区です（方針: {SECOND.name}）。全市のチーム: {city.CITY_TEAM}"
    )
    print(f"  入力・ボタン操作 {len(run.commands)} 件           → {paths['commands'].name}")
    print(
        f"  リマインダー {len(reminders)} 件（"
        + "、".join(f"{d} {n}件" for d, n in sorted(per_day.items()))
        + f"） → {paths['reminders'].name}"
    )
    print(f"  週間まとめ {len(digests)} 件（{'、'.join(digest_days)}） → {paths['digests'].name}")
    print(f"  チーム別タスク一覧                → {paths['tasks'].name}")
    print("  令和6年11月末時点の進捗報告")
    labels = {city.SECOND_WARD: city.SECOND_WARD_LABEL, CITY_WIDE: f"全市の集計（{len(WARDS)}区）"}
    for ward, files in reports.items():
        label = labels.get(ward, ward)
        print(f"    {label} → {', '.join(p.name for p in files)}")
    print()
    print(paths["tasks"].read_text("utf-8").rstrip())
    print()
    print(f"出力フォルダ: {out.resolve()}")
    return 0
