"""Tokenising `/wg` text, theme codes and numbers as staff type them."""

from __future__ import annotations

import pytest

from bot.domain.command import canonical, parse_id, tokenize
from bot.domain.numbers import format_number, parse_number
from bot.domain.themes import normalize_theme_code


def test_slack_mentions_channels_and_options_are_pulled_out() -> None:
    cmd = tokenize("task add 点検 due:12/10 <@U123|sato> <#C9|wg> team:案内表示WG")
    assert cmd.words == ["task", "add", "点検"]
    assert cmd.users == ["U123"] and cmd.channels == ["C9"]
    assert cmd.options == {"due": "12/10", "team": "案内表示WG"}


def test_japanese_option_names_and_full_width_colon() -> None:
    assert tokenize("期限：明日 チーム:観光PT").options == {"due": "明日", "team": "観光PT"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('task add "two words" x', ["task", "add", "two words", "x"]),
        ("task add 「かぎ かっこ」", ["task", "add", "かぎ かっこ"]),
        ("task\u3000add", ["task", "add"]),
        ("", []),
    ],
)
def test_quotes_group_words(text: str, words: list[str]) -> None:
    assert tokenize(text).words == words


@pytest.mark.parametrize(
    ("word", "english"),
    [("タスク", "task"), ("追加", "add"), ("一覧", "list"), ("完了", "done"), ("TASK", "task")],
)
def test_aliases(word: str, english: str) -> None:
    assert canonical(word) == english


@pytest.mark.parametrize(
    ("text", "value"), [("#12", 12), ("12", 12), ("＃１２", 12), ("#", None), ("12a", None)]
)
def test_ids(text: str, value: int | None) -> None:
    assert parse_id(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A(2)", "A(2)"),
        ("A2", "A(2)"),
        ("a2", "A(2)"),
        ("Ａ（２）", "A(2)"),
        ("c 1", "C(1)"),
        ("A", None),
        ("2", None),
        ("AB2", None),
    ],
)
def test_theme_codes(text: str, code: str | None) -> None:
    assert normalize_theme_code(text) == code


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("40", 40.0),
        ("40%", 40.0),
        ("４０．５％", 40.5),
        ("1,234", 1234.0),
        ("-3", -3.0),
        ("abc", None),
        ("", None),
        ("nan", None),
        ("inf", None),
        ("1e309", None),
    ],
)
def test_numbers_as_typed(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_numbers_print_without_trailing_zero() -> None:
    assert (format_number(40.0), format_number(40.5), format_number(None)) == ("40", "40.5", "—")
