"""Logging setup, and the rule that no log line carries what people typed.

What is logged: ids (task #, reminder id, team id, Slack user and channel ids), event
types, command names, Slack error codes and the class of an exception with the code
line it came from. What is never logged: request bodies, message and note text, case
records, an exception's message (SQLAlchemy, bolt and our own errors quote the values
they failed on) or a traceback's text.

How: a LogRecord factory, installed once, rewrites every record as it is created, so
every handler sees the clean record (the CLI's stderr handler, pytest's caplog, a
syslog handler an operator adds later). A filter on the root handlers would miss
handlers added after setup and records sent to a library logger's own handler.

- An exception attached to a record (`log.exception`, bolt's and APScheduler's error
  logs) is replaced by one line: its class chain and where it was raised.
- Records of libraries (slack_bolt, slack_sdk, waitress, SQLAlchemy, APScheduler …)
  lose structured arguments (dicts, lists, tuples: bodies, SQL parameters) and are cut
  where a body is dumped into the text (`body:`, `headers:`, `message:`, a `{` …;
  bolt and slack_sdk format bodies into f-strings, so the text itself must be cut).
- Every message then passes the personal-data masker (My Number, phone, e-mail …)
  as a last net for what the rules above did not foresee.
"""

from __future__ import annotations

import datetime
import logging
import re
import sysconfig
import threading
import traceback
from collections.abc import Callable
from pathlib import Path, PurePath
from types import TracebackType
from typing import Any

from bot.domain.masking import mask
from bot.domain.slack_error import error_code

# Our own code logs ids only (kept in review); everything else is a library.
PROJECT_LOGGERS = ("bot", "handlers", "storage", "__main__")
# Where a library formats a body, parameters or a payload into its message text.
_BODY_KEYS = (
    "body|body_params|json_body|query_params|params|parameters|headers|payload|message"
    "|messages|error|data|request|response|event|files|text|signature|value|values|form"
)
_CUT = re.compile(rf"[\s(,;\[]*(?:\b(?:{_BODY_KEYS})\b\s*[:=]|[{{]|\n)", re.IGNORECASE)
WITHHELD = "[withheld]"
PLAIN = (str, int, float, datetime.date, datetime.time, datetime.timedelta, PurePath)
_ROOT = str(Path(__file__).resolve().parents[1]) + "/"
_STDLIB = sysconfig.get_paths()["stdlib"] + "/"
_MARK = "_wgbot_scrubbed"

RecordFactory = Callable[..., logging.LogRecord]


def setup_logging(level: int = logging.WARNING) -> None:
    """Log to stderr at `level`, with records scrubbed of bodies and typed text."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Alembic says "Context impl SQLiteImpl" on every start; only its warnings matter.
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
    install_scrubbing()


def install_scrubbing() -> None:
    """Make every log record scrubbed at creation (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, _MARK, False):
        return
    logging.setLogRecordFactory(_scrubbing_factory(current))
    threading.excepthook = _thread_died


def _scrubbing_factory(base: RecordFactory) -> RecordFactory:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        scrub(record)
        return record

    setattr(make, _MARK, True)
    return make


def scrub(record: logging.LogRecord) -> None:
    """Rewrite `record` in place: message cut and masked, exception reduced to one line."""
    library = not _is_project(record.name)
    if library and record.args:
        record.args = _plain_args(record.args)
    try:
        text = record.getMessage()
    except Exception:  # a broken format string must not echo its arguments either
        text = f"{record.msg if isinstance(record.msg, str) and not record.args else ''}"
    if library:
        text = _cut(text)
    if record.exc_info and record.exc_info[1] is not None:
        text = f"{text} — {describe_exception(record.exc_info[1])}"
    record.msg, record.args = mask(text).text, ()
    record.exc_info, record.exc_text = None, None


def _is_project(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in PROJECT_LOGGERS)


def _plain_args(args: Any) -> Any:
    # Only plain values pass: a dict, tuple, SQLAlchemy Row or request object may hold a
    # body or a row of what people typed.
    if isinstance(args, dict):  # logging's "%(name)s" form
        return {k: _plain(v) for k, v in args.items()}
    return tuple(_plain(a) for a in args)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, PLAIN):
        return value
    if type(value).__module__.startswith("apscheduler."):
        return value  # its Job and trigger objects: our job names and times only
    return WITHHELD


def _cut(text: str) -> str:
    found = _CUT.search(text)
    if found is None:
        return text
    return f"{text[: found.start()].rstrip(' ,;:-(')} {WITHHELD}".lstrip()


def describe_exception(exc: BaseException) -> str:
    """`OperationalError <- ConnectionRefusedError at storage/db.py:40 in upgrade`: no message."""
    chain: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < 5:
        seen.add(id(current))
        chain.append(_kind(current))
        current = current.__cause__ or current.__context__
    return f"{' <- '.join(chain)}{_where(exc.__traceback__)}"


def _kind(exc: BaseException) -> str:
    # Slack's error code ("invalid_auth") is an enum, never text a person typed.
    code = error_code(getattr(getattr(exc, "response", None), "data", None))
    return f"{type(exc).__name__}({code})" if code else type(exc).__name__


def _where(tb: TracebackType | None) -> str:
    frames = traceback.extract_tb(tb) if tb is not None else []
    if not frames:
        return ""
    ours = [f for f in frames if f.filename.startswith(_ROOT) and "/.venv/" not in f.filename]
    last = frames[-1]
    text = f" at {_short(last.filename)}:{last.lineno} in {last.name}"
    if ours and ours[-1] is not last:
        text += f" (from {_short(ours[-1].filename)}:{ours[-1].lineno} in {ours[-1].name})"
    return text


def _short(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    return filename.removeprefix(_ROOT).removeprefix(_STDLIB)


def _thread_died(args: threading.ExceptHookArgs) -> None:
    # Python's default hook prints the full traceback, messages included, to stderr.
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    exc = args.exc_value
    what = describe_exception(exc) if exc is not None else args.exc_type.__name__
    logging.getLogger("bot.logs").error("thread %s stopped: %s", name, what)
