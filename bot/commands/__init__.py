"""Route `/wg` text to a command function; shared by Slack, the console and tests.

A command function parses its words, calls one service and renders a Reply.
Domain errors are turned into messages by `run_command`, the one boundary.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.command import ALIASES, ParsedCommand, tokenize
from bot.errors import InvalidInput, WgbotError
from bot.render.messages import error_text, joined, t
from bot.render.text import esc
from bot.services.context import Ctx
from bot.services.outage import MONITOR, is_outage

log = logging.getLogger(__name__)


@dataclass
class OutFile:
    filename: str
    content: bytes
    title: str = ""


@dataclass
class Reply:
    """What the bot answers: ephemeral unless in_channel; maybe a modal or files."""

    text: str
    blocks: list[dict[str, Any]] | None = None
    in_channel: bool = False
    modal: dict[str, Any] | None = None
    files: list[OutFile] = field(default_factory=list)
    file_channel: str | None = None  # None: the asking user's DM


@dataclass
class Invocation:
    user: str
    text: str
    cmd: ParsedCommand
    channel: str | None = None
    trigger_id: str | None = None
    key: tuple[str, str] = ("", "")  # the registry entry it was routed to


Command = Callable[[Ctx, Invocation], Reply]


@dataclass(frozen=True)
class Entry:
    """A registered command: its function and the `/wg help` line that lists it."""

    fn: Command
    line: str


REGISTRY: dict[tuple[str, str], Entry] = {}
# The lines of `/wg help`, in order; a line lists its commands in registry order.
HELP_LINES = (
    *("team.new", "team", "task.add", "task.list", "task", "note", "theme", "reports"),
    *("case", "remind", "me", "help"),
)


def usage_key(group: str, verb: str = "") -> str:
    """The catalogue key of a command's usage form (`summary.…` is its optional gloss)."""
    return f"usage.{group}.{verb}" if verb else f"usage.{group}"


def command(group: str, verb: str = "", *, line: str = "") -> Callable[[Command], Command]:
    """Record a command function under (group, verb), listed on help `line` (its group)."""

    def wrap(fn: Command) -> Command:
        assert (line or group) in HELP_LINES, f"no help line for {group} {verb}"
        REGISTRY[(group, verb)] = Entry(fn, line or group)
        return fn

    return wrap


def usage(inv: Invocation) -> InvalidInput:
    """An error that shows the right form of the command being run."""
    return InvalidInput("error.usage", usage_keys=(usage_key(*inv.key),))


def group_usage(group: str) -> InvalidInput:
    """An error that shows every form of a group's commands (`team frob`)."""
    keys = tuple(usage_key(g, v) for g, v in REGISTRY if g == group)
    return InvalidInput("error.usage", usage_keys=keys)


def run_command(
    ctx: Ctx, *, user: str, text: str, channel: str | None = None, trigger_id: str | None = None
) -> Reply:
    """Answer one line of `/wg` text; never raises."""
    name = "?"  # the command function, for the log: never the typed text
    try:
        cmd = tokenize(text or "")
        inv = Invocation(
            user=user, text=text or "", cmd=cmd, channel=channel, trigger_id=trigger_id
        )
        fn = _route(inv)
        name = fn.__name__
        reply = fn(ctx, inv)
        MONITOR.recovered()
        return reply
    except WgbotError as exc:
        return Reply(text=error_text(ctx.lang, exc, cmd=ctx.command))
    except Exception as exc:
        if is_outage(exc):  # counted, logged once a minute; the user may simply retry
            MONITOR.failed(exc, where="command")
            return Reply(text=t(ctx.lang, "error.db_unavailable"))
        log.exception("command %s failed", name)
        return Reply(text=t(ctx.lang, "error.internal"))


# A verb on its own that means one command only: `/wg 完了 #3`, `/wg 一覧 自分`. `追加`
# (add) is not one: it adds a task, people to a team or an indicator, so it gets hints.
SHORTCUTS = {"done": ("task", "done"), "list": ("task", "list")}


def _route(inv: Invocation) -> Command:
    group, verb = inv.cmd.word(0) or "help", inv.cmd.word(1)
    for key, skip in (((group, verb), 2), ((group, ""), 1)):
        if key in REGISTRY:
            inv.cmd.words = inv.cmd.words[skip:]
            inv.key = key
            return REGISTRY[key].fn
    if any(g == group for g, _ in REGISTRY):
        raise group_usage(group)
    if group in SHORTCUTS:
        inv.cmd.words = inv.cmd.words[1:]
        inv.key = SHORTCUTS[group]
        return REGISTRY[inv.key].fn
    return unknown


def unknown(ctx: Ctx, inv: Invocation) -> Reply:
    """Answer for a word we do not know, with the commands it may have meant."""
    word = inv.cmd.words[0] if inv.cmd.words else inv.text
    text = t(ctx.lang, "error.unknown_command", word=esc(word[:50]), cmd=ctx.command)
    forms = suggestions(inv.cmd.word(0), inv.cmd.word(1))
    if forms:
        shown = joined(ctx.lang, [f"`{ctx.command} {f}`" for f in forms])
        text += "\n" + t(ctx.lang, "error.did_you_mean", forms=shown)
    return Reply(text=text)


def suggestions(word: str, next_word: str = "") -> list[str]:
    """Commands (`task add`…) close to an unknown first word, English or an alias.

    The closest by difflib's ratio among the command words and their aliases: `taks` finds `task`,
    `追加` (a verb several groups have) lists each group's `add`.
    """
    groups = list(dict.fromkeys(g for g, _ in REGISTRY))
    verbs = list(dict.fromkeys(v for _, v in REGISTRY if v))
    vocabulary = {w: w for w in groups + verbs}
    vocabulary.update({a: c for a, c in ALIASES.items() if c in vocabulary})
    ratios = {w: difflib.SequenceMatcher(None, word, w).ratio() for w in vocabulary}
    best = max(ratios.values(), default=0.0)
    forms: list[str] = []
    # Only the closest words, and only when close: `repot` is `report`, not `export` too.
    for close in [w for w, r in ratios.items() if r >= max(best, 0.7)]:
        target = vocabulary[close]
        if target in groups:
            has_verb = next_word and (target, next_word) in REGISTRY
            forms.append(f"{target} {next_word}" if has_verb else target)
        else:
            forms += [f"{g} {v}" for g, v in REGISTRY if v == target]
    return list(dict.fromkeys(forms))[:4]


def _load() -> None:
    # The command modules register themselves on import, and import this module for that.
    from bot.commands import cases, core, me, reminders, reports  # noqa: F401


_load()
