"""`/wg help` is made from the command registry, and a usage error quotes the same form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.commands import REGISTRY
from bot.services.context import Ctx
from tests.conftest import CALENDAR
from tests.factories import wg

LANGS = ("ja", "en")
# Lines that answer with the command's form: bad or missing words, an unknown verb, and a
# form-opening command typed where no form can open (the console).
BAD_LINES = [
    "team new",
    "team show",
    "team add",
    "team remove",
    "team frob",
    "task add",
    "task add due:12/10",
    "task list bogus",
    "task done",
    "task due #1",
    "task assign #1",
    "task frob",
    "note",
    "note #1",
    "note fix",
    "theme show",
    "theme status A(1)",
    "theme frob",
    "kpi add",
    "kpi set #1",
    "kpi frob",
    "remind quiet",
    "remind bogus",
    "case new",
    "case show",
    "case edit",
    "case history",
    "case close",
    "case stats from:2024-12-10 to:2024-12-01",
    "case frob",
]
FORM_ANSWER = re.compile(r": `/wg ([^`]+)`")


@pytest.fixture
def ctx(sqlite_engine: Engine, clock: FixedClock) -> Ctx:
    """No data needed: help and usage errors read nothing."""
    return Ctx(engine=sqlite_engine, clock=clock, calendar=CALENDAR)


def _help_forms(ctx: Ctx, lang: str) -> list[str]:
    """Every `form` on a bullet line of the help, in order."""
    ctx.lang = lang
    text = wg(ctx, "help").text
    bullets = [line for line in text.splitlines() if line.startswith("•")]
    return [form for line in bullets for form in re.findall(r"`([^`]+)`", line)]


@pytest.mark.parametrize("lang", LANGS)
def test_help_lists_every_registered_command(ctx: Ctx, lang: str) -> None:
    forms = _help_forms(ctx, lang)
    for group, verb in REGISTRY:
        name = f"{group} {verb}".strip()
        assert any(f == name or f.startswith(name + " ") for f in forms), (name, forms)


@pytest.mark.parametrize("lang", LANGS)
def test_help_lists_no_command_that_is_not_registered(ctx: Ctx, lang: str) -> None:
    for form in _help_forms(ctx, lang):
        words = form.split()
        verb = words[1] if len(words) > 1 else ""
        assert (words[0], verb) in REGISTRY or (words[0], "") in REGISTRY, form


@pytest.mark.parametrize("lang", LANGS)
def test_usage_error_quotes_the_form_the_help_lists(ctx: Ctx, lang: str) -> None:
    forms = _help_forms(ctx, lang)
    for line in BAD_LINES:
        answer = wg(ctx, line).text
        quoted = FORM_ANSWER.search(answer)
        assert quoted, (line, answer)
        for form in quoted[1].split(" | "):  # an unknown verb lists its group's forms
            assert form in forms, (line, form)
