"""What a failed `wgbot` command says: one line per kind of failure, never a traceback.

`bot.cli.main` catches everything and prints `failure_line(...)`; this module only
words it. A command refuses by raising a `WgbotError` (bot/errors.py) up to main(), never
by printing and returning a code of its own, so every refusal is one line and exit 2.
The line names the problem and what to check, in the operator's language.
It never quotes an exception's text, which can hold a password (a database URL) or
what a person typed (SQL parameters), and shows a database only by host and port or
file path.
"""

from __future__ import annotations

import errno
import os
import re
import select
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from bot.config import SettingsError
from bot.domain.slack_error import error_code
from bot.errors import WgbotError
from bot.logs import describe_exception
from bot.preflight import PreflightError
from bot.render.messages import error_text, t_plain
from bot.services.plans import PlanImportError

CLOSED_OUTPUT = 141  # 128 + SIGPIPE: what `cat` or `grep` exit with when their reader goes
MAX_PROBLEMS = 10  # plan problems shown on the one line; the rest are counted
# psycopg puts the server's refusal in its message ("FATAL: role … does not exist",
# "password authentication failed"); no error code is set while connecting.
_REFUSED = re.compile(r"FATAL|authentication failed|does not exist|no pg_hba", re.IGNORECASE)


class EnvFileError(Exception):
    """The `.env` file cannot be read: kind "encoding", "line" (with its number) or "access"."""

    def __init__(self, kind: str, *, line: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.line = line


def failure_line(exc: BaseException, *, lang: str, database_url: str, command: str = "/wg") -> str:
    """One line saying what went wrong and what to check."""
    if isinstance(exc, KeyboardInterrupt):
        return t_plain(lang, "cli.interrupted")
    if isinstance(exc, WgbotError):  # a command's own refusal: bad input, no such record
        return " ".join(error_text(lang, exc, cmd=command, mrkdwn=False).split())
    if isinstance(exc, SettingsError):
        if exc.problem == "required":
            return t_plain(lang, "cli.setting_required", name=exc.name)
        return t_plain(lang, "cli.setting", name=exc.name or "?", problem=exc.problem)
    if isinstance(exc, EnvFileError):
        problem = t_plain(lang, f"cli.env_file.{exc.kind}", line=exc.line)
        return t_plain(lang, "cli.env_file", problem=problem)
    if isinstance(exc, PlanImportError):
        return plan_failure(exc, lang=lang)
    if isinstance(exc, PreflightError):
        if exc.unreachable:
            return t_plain(lang, "cli.slack_unreachable", where="SLACK_API_URL")
        return t_plain(lang, "cli.slack_refused", name=exc.setting, error=exc.error)
    line = _database(exc, lang=lang, url=database_url) or _slack(exc, lang=lang)
    if line:
        return line
    if isinstance(exc, OSError) and exc.filename is not None:
        return t_plain(lang, "cli.file_access", path=exc.filename, kind=type(exc).__name__)
    return t_plain(lang, "cli.internal", kind=describe_exception(exc))


def output_closed(exc: BaseException) -> bool:
    """Our own standard output lost its reader (`wgbot console … | head -2`): nothing failed.

    EPIPE alone does not say whose pipe broke: a socket to Slack or the database raises
    the same error, and that is a network failure. Only when stdout itself has no reader
    (poll reports an error on it) is the broken pipe ours.
    """
    if not (isinstance(exc, OSError) and exc.errno == errno.EPIPE):
        return False
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), 0)  # errors and hang-ups are always reported
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll (Windows), stdout not a file
        return False


def quiet_exit() -> int:
    """Stop writing to a stdout nobody reads: the exit code of a pipe's writer, no message."""
    # Python flushes stdout again at exit; pointing it at /dev/null keeps that flush from
    # printing "Exception ignored … BrokenPipeError" on stderr.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return CLOSED_OUTPUT


def plan_failure(exc: PlanImportError, *, lang: str) -> str:
    """Every problem of a plan file on one line (the first ten, then how many more)."""
    lines = [" ".join(p.split()) for p in exc.lines(lang)]
    shown = lines[:MAX_PROBLEMS]
    if len(lines) > MAX_PROBLEMS:
        shown.append(t_plain(lang, "plan.more", n=len(lines) - MAX_PROBLEMS))
    return t_plain(lang, "plan.failed", problems=t_plain(lang, "plan.sep").join(shown))


def database_place(url: str) -> str:
    """`127.0.0.1:5432/wgbot` or the SQLite file: never the user or the password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "DATABASE_URL"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{host}{port}/{parsed.database or ''}"


def _database(exc: BaseException, *, lang: str, url: str) -> str | None:
    where = database_place(url)
    if isinstance(exc, ArgumentError) and "URL" in str(exc):
        return t_plain(lang, "cli.db_url")
    if isinstance(exc, NoSuchModuleError) or (
        isinstance(exc, ImportError) and _scheme(url) not in ("", "sqlite")
    ):
        return t_plain(lang, "cli.db_driver", scheme=_scheme(url))
    if isinstance(exc, DBAPIError):
        reason = str(exc.orig) if exc.orig is not None else ""
        if "unable to open database file" in reason:
            return t_plain(lang, "cli.db_file", where=where)
        if exc.__class__.__name__ in ("OperationalError", "InterfaceError"):
            key = "cli.db_refused" if _REFUSED.search(reason) else "cli.db_unreachable"
            return t_plain(lang, key, where=where)
    if isinstance(exc, SQLAlchemyError):
        return t_plain(lang, "cli.db_failed", where=where, kind=type(exc).__name__)
    return None


def _scheme(url: str) -> str:
    return url.split(":", 1)[0] if ":" in url else ""


def _slack(exc: BaseException, *, lang: str) -> str | None:
    from urllib.error import URLError

    from slack_sdk.errors import SlackApiError

    if isinstance(exc, SlackApiError):
        error = error_code(exc.response.data)  # a code, never the page a proxy answered
        if error in ("invalid_auth", "not_authed", "token_revoked", "account_inactive"):
            return t_plain(lang, "cli.slack_refused", name="SLACK_BOT_TOKEN", error=error)
        return t_plain(lang, "cli.slack_failed", error=error or exc.response.status_code)
    if isinstance(exc, URLError | TimeoutError | ConnectionError):
        return t_plain(lang, "cli.slack_unreachable", where="SLACK_API_URL")
    return None
