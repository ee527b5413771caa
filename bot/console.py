"""`wgbot console`: type `/wg …` lines as a user and read the answers, no Slack."""

from __future__ import annotations

import re
import sys

from bot.commands import run_command
from bot.render.messages import t_plain
from bot.render.text import unescape
from bot.services.context import Ctx

_MENTION = re.compile(r"(?<![<\w])@([UW][A-Z0-9]+)")


def console(ctx: Ctx, *, user: str) -> int:
    """Read lines from stdin until EOF or `exit`; print each answer."""
    interactive = sys.stdin.isatty()
    if interactive:
        print(t_plain(ctx.lang, "console.hello", user=user, cmd=ctx.command))
    for line in sys.stdin:
        text = line.strip()
        if text in ("exit", "quit"):
            break
        if not text:
            continue
        if text.startswith(ctx.command):
            text = text[len(ctx.command) :].strip()
        # A person types @U123; Slack would send it escaped as <@U123>.
        text = _MENTION.sub(r"<@\1>", text)
        reply = run_command(ctx, user=user, text=text)
        shown = unescape(reply.text)
        print(shown + (t_plain(ctx.lang, "console.no_modal") if reply.modal else ""))
        print()
    return 0
