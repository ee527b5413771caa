"""Punctuation, joins and the words inside usage forms: key -> (Japanese, English).

Japanese text uses full-width brackets and separators; English must not (WGBOT_LANGUAGE=en
shows no Japanese but what people typed), so renderers join pieces through these keys.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "fmt.paren": ("（{x}）", " ({x})"),
    "fmt.gap": ("　{x}", "  {x}"),
    "fmt.sep": ("、", ", "),
    "fmt.dot": ("・", " · "),
    "fmt.minutes": ("{n}分", "{n} min"),
    "fmt.as_of": ("{date}時点", "as of {date}"),
    "fmt.fiscal_year": ("{label}", "FY{fy}"),
}

# Usage forms are written once, where the command is, in Japanese (`task done <番号>`);
# the English answer swaps the placeholder words through this table.
FORM_WORDS_EN: dict[str, str] = {
    "名前": "name",
    "チーム名": "team",
    "チーム": "team",
    "件名": "title",
    "日付": "date",
    "番号": "id",
    "人": "user",
    "課題コード": "theme code",
    "コード": "code",
    "本文": "text",
    "進捗番号": "note id",
    "課題": "theme",
    "単位": "unit",
    "値": "value",
    "指標番号": "indicator id",
    "理由": "reason",
    "担当": "assignee",
}

# Field names services put into `error.too_long`.
FIELD_NAMES_EN: dict[str, str] = {
    "件名": "The title",
    "チーム名": "The team name",
    "進捗": "The note",
    "指標名": "The indicator name",
    "理由": "The reason",
    "単位": "The unit",
}
