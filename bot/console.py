"""`wgbot console`: type `/wg …` lines as a user and read the answers, no Slack."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bot.commands import OutFile, run_command
from bot.render.messages import t_plain
from bot.render.text import unescape
from bot.services.context import Ctx

OUT = Path("console-out")  # relative: beside where the operator runs `wgbot console`
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
        if reply.files:
            # The reply's text says "sent by DM"; the console sends nothing, so say where.
            print(_save_files(ctx, reply.files))
        else:
            shown = unescape(reply.text)
            print(shown + (t_plain(ctx.lang, "console.no_modal") if reply.modal else ""))
        print()
    return 0


def _save_files(ctx: Ctx, files: list[OutFile]) -> str:
    """Write a reply's files to ./console-out/ and say so."""
    OUT.mkdir(exist_ok=True)
    for f in files:
        (OUT / Path(f.filename).name).write_bytes(f.content)
    names = ", ".join(Path(f.filename).name for f in files)
    return t_plain(ctx.lang, "console.files_saved", count=len(files), folder=f"{OUT}/", names=names)
