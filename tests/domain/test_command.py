"""Tokenising `/wg` text, theme codes and numbers as staff type them."""

from __future__ import annotations

import pytest

from bot.domain.command import ParsedCommand, canonical, drop_option_name, parse_id, tokenize
from bot.domain.numbers import format_number, parse_number
from bot.domain.themes import normalize_theme_code


def test_slack_mentions_channels_and_options_are_pulled_out() -> None:
    cmd = tokenize("task add 点検 due:12/10 <@U123|sato> <#C9|wg> team:案内表示WG")
    assert cmd.words == ["task", "add", "点検"]
    assert cmd.users == ["U123"] and cmd.channels == ["C9"]
    assert cmd.options == {"due": "12/10", "team": "案内表示WG"}


def test_japanese_option_names_and_full_width_colon() -> None:
    assert tokenize("期限：明日 チーム:観光PT").options == {"due": "明日", "team": "観光PT"}


def test_only_documented_option_names_make_options() -> None:
    cmd = tokenize("note A(1) 職員向け接遇研修を実施した　参加者：32名 as-of:2024-11-27")
    assert cmd.options == {"as-of": "2024-11-27"}
    assert cmd.words == ["note", "A(1)", "職員向け接遇研修を実施した", "参加者：32名"]
    assert tokenize("x http://example.jp note:a 18:00-08:00").options == {}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('task add "two words" x', ["task", "add", '"two', 'words"', "x"]),
        ("task add 「かぎ かっこ」", ["task", "add", "「かぎ", "かっこ」"]),
        ("task\u3000add", ["task", "add"]),
        ("", []),
    ],
)
def test_words_split_at_any_space_and_keep_their_quotes(text: str, words: list[str]) -> None:
    assert tokenize(text).words == words


def test_an_option_value_may_be_quoted_to_hold_spaces() -> None:
    cmd = tokenize('task list team:"観光 PT" theme：「A 2」')
    assert cmd.options == {"team": "観光 PT", "theme": "A 2"}
    assert tokenize("x <@U1|sato taro> y").users == ["U1"]


def _routed(text: str, drop: int) -> ParsedCommand:
    """The line as a command sees it once the router dropped its command words."""
    cmd = tokenize(text)
    cmd.words = cmd.words[drop:]
    return cmd


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("note A(1) 研修を実施した　参加者：32名 as-of:11/27", "研修を実施した　参加者：32名"),
        ("note A(1) 「接遇」研修  (第2回)：済 as-of:11/27", "「接遇」研修  (第2回)：済"),
        (
            "note A(1) 期限：12月末 理由：予算\n次回 http://x.jp",
            "期限：12月末 理由：予算\n次回 http://x.jp",
        ),
        ("note A(1) a &amp;lt; b &lt;&gt; &amp;", "a &lt; b <> &"),
        (
            "note A(1) <@U1|sato> と <#C1|wg> で <!here> <http://x.jp|x.jp>",
            "@sato と #wg で @here x.jp",
        ),
        ("note as-of:11/27 A(1) 先頭に日付", "先頭に日付"),
        ("note A(1) 途中 as-of:11/27 日付", "途中 日付"),
    ],
)
def test_free_text_is_the_line_as_typed(text: str, typed: str) -> None:
    assert _routed(text, 1).free_text(1, options=("as-of",)) == typed


def test_a_command_takes_out_only_what_it_reads() -> None:
    cmd = _routed("task add 点検 <@U2|sato>　会場 due:12/10 team:案内表示WG milestone", 2)
    tokens = cmd.rest(options=("due", "team", "theme"), people=True)
    assert cmd.text_of(tokens) == "点検 会場 milestone"  # the space after the mention goes
    assert cmd.users == ["U2"]
    assert drop_option_name("理由：予算 不足", "reason") == "予算 不足"
    assert drop_option_name("参加者：32名", "reason") == "参加者：32名"


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


@pytest.mark.parametrize(
    ("text", "due", "typed", "words"),
    [
        ("task add 会議資料 due:12月10日 （火） 作成", "12月10日 (火)", "12月10日 （火）",
         ["task", "add", "会議資料", "作成"]),
        ("task add 会議資料 期限：12/10　(Tue)", "12/10 (Tue)", "12/10　(Tue)",
         ["task", "add", "会議資料"]),
        ("task due #3 due:12月10日 （火曜日）", "12月10日 (火曜日)", "12月10日 （火曜日）",
         ["task", "due", "#3"]),
    ],
)  # fmt: skip
def test_a_weekday_typed_after_a_date_option_belongs_to_the_date(
    text: str, due: str, typed: str, words: list[str]
) -> None:
    cmd = tokenize(text)
    assert cmd.options["due"] == due and cmd.raw_options["due"] == typed
    assert cmd.words == words


def test_a_weekday_elsewhere_stays_in_the_text() -> None:
    cmd = _routed("note A(1) 定例会 （火） 開催 as-of:11/27", 1)
    assert cmd.free_text(1, options=("as-of",)) == "定例会 （火） 開催"
    assert tokenize("task add x team:A （火）").words == ["task", "add", "x", "（火）"]
    assert tokenize("task add x due:12/10 （第2回）").words == ["task", "add", "x", "（第2回）"]
