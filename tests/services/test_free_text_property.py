"""Property: whatever Japanese or mixed text a person types reaches storage and the report as is.

Each example is a list of pieces (words, option-like words, mentions, emoji, brackets)
joined by spaces, full-width spaces, line breaks or tabs. `typed` is what the person
sees in Slack's box; `wire` is what Slack sends (`&`, `<`, `>` escaped, mentions as
`<@U…|name>`). SQLite only: the property is about the reader, not the database.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.clock import FixedClock
from bot.domain.command import canonical, tokenize
from bot.domain.masking import has_my_number
from bot.render.core_text import quote
from bot.render.report_md import progress_lines
from bot.services.context import Ctx
from bot.services.reports import gather
from storage.models import ProgressNote, Task
from tests.conftest import CALENDAR, NOW
from tests.factories import load_sample_plan, signage_team, wg

Piece = tuple[str, str]  # (typed, wire)

JAPANESE = "あいうえおかきくけこアイウエオ職員研修実施参加者名予算理由期限課題点検済"
MARKS = "「」『』()（）:：、。・ー～!?！？#＃%％&<>\"'“”[]{}/\\@=+-*_"
LETTERS = "abcXYZ0123456789０１２３ＡＢ"
OPTION_LIKE = [
    "参加者：32名",
    "note:",
    "http://x.jp/a?b=c&d=e",
    "理由：予算",
    "期限：12月",
    "due:明日",
    "team:観光PT",
    "unit:%",
    "12:00",
    "：",
    ":",
    "A(1)",
    "#12",
]
EMOJI = ["👍", "👨‍👩‍👧", ":smile:", "🇯🇵", "⚠️"]
MENTIONS: list[Piece] = [
    ("@sato", "<@U0SATO|sato>"),
    ("@田中 一郎", "<@U0TANAKA|田中 一郎>"),
    ("#wg-案内", "<#C0WG|wg-案内>"),
    ("@here", "<!here>"),
]
SEPARATORS = [" ", "\u3000", "  ", "\n", "\t", " \u3000 "]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str) -> Piece:
    return text, _escape(text)


WORD = st.text(alphabet=JAPANESE + MARKS + LETTERS, min_size=1, max_size=8)
PLAIN: st.SearchStrategy[Piece] = st.one_of(
    WORD, st.sampled_from(OPTION_LIKE), st.sampled_from(EMOJI)
).map(_plain)


def _text(pieces: st.SearchStrategy[Piece]) -> st.SearchStrategy[Piece]:
    """Pieces joined by separators as typed, and as Slack sends them."""

    def join(parts: list[tuple[Piece, str]]) -> Piece:
        typed = "".join(p[0] + sep for p, sep in parts).rstrip(" \u3000\n\t")
        wire = "".join(p[1] + sep for p, sep in parts).rstrip(" \u3000\n\t")
        return typed, wire

    return st.lists(st.tuples(pieces, st.sampled_from(SEPARATORS)), min_size=1, max_size=8).map(
        join
    )


def _no_my_number(text: Piece) -> bool:
    # Digits joined by one space can make twelve with a valid check digit by chance: such
    # a text is refused by design (tests/e2e/test_my_number_refused.py), not stored.
    return not has_my_number(text[0])


NOTE_TEXT = _text(st.one_of(PLAIN, st.sampled_from(MENTIONS))).filter(_no_my_number)
# A title's @mentions name the assignee, so titles are generated without them.
TITLE_TEXT = _text(st.one_of(PLAIN, st.sampled_from(MENTIONS[2:]))).filter(_no_my_number)
# A few seconds each on SQLite; no example database in the checkout (failures print their input).
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _reads_as(wire: str, command_options: tuple[str, ...]) -> bool:
    """Whether a word of the text is an option this command reads (then it is not text)."""
    return any(t.kind == "option" and t.key in command_options for t in tokenize(wire).tokens)


@pytest.fixture
def office(sqlite_engine: Engine) -> Ctx:
    """The sample plan and the signage WG on SQLite, shared by a property's examples."""
    ctx = Ctx(engine=sqlite_engine, clock=FixedClock(NOW), calendar=CALENDAR)
    load_sample_plan(ctx)
    signage_team(ctx)
    return ctx


def _last_note(ctx: Ctx) -> str | None:
    with ctx.session() as s:
        note = s.exec(select(ProgressNote).order_by(col(ProgressNote.id).desc())).first()
        return note.text if note else None


@PROPERTY
@given(text=NOTE_TEXT)
def test_note_is_stored_quoted_and_reported_as_typed(office: Ctx, text: Piece) -> None:
    typed, wire = text
    assume(not _reads_as(wire, ("as-of",)))
    reply = wg(office, f"note A(2) {wire} as-of:2024-11-27")
    assert _last_note(office) == typed
    assert quote(typed) in reply.text
    report = gather(office)
    (section,) = [th for th in report.sections() if th.code == "A(2)"]
    lines = progress_lines(report, section)  # ⑤ of the month-end report
    assert any(line.startswith("・") and line.endswith(f"日 {typed}") for line in lines)


@PROPERTY
@given(text=TITLE_TEXT)
def test_task_title_is_stored_and_quoted_as_typed(office: Ctx, text: Piece) -> None:
    typed, wire = text
    assume(not _reads_as(wire, ("due", "team", "theme")))
    assume(canonical(typed.split()[-1]) != "milestone")  # the flag that makes a milestone
    reply = wg(office, f"task add {wire} due:12/10")
    with office.session() as s:
        task = s.exec(select(Task).order_by(col(Task.id).desc())).first()
    assert task is not None and task.title == typed
    assert quote(typed) in reply.text
