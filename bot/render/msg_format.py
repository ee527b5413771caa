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

# Each command's usage form (`usage.<group>[.<verb>]`, one per registered command) and an
# optional gloss (`summary.…`): `/wg help` lists them and a usage error quotes them.
MESSAGES.update(
    {
        "usage.help": ("help", "help"),
        "usage.team.new": (
            "team new <名前> [kind:WG|PT] [theme:A(2)] [ward:区|全市] [#チャンネル]",
            "team new <name> [kind:WG|PT] [theme:A(2)] [ward:<ward>|ward:city] [#channel]",
        ),
        "summary.team.new": ("チームを作る（引数なしで入力画面）", "(no args: a form)"),
        "usage.team.list": ("team list", "team list"),
        "usage.team.show": ("team show <チーム>", "team show <team>"),
        "usage.team.add": ("team add <チーム> @人… [lead]", "team add <team> @user… [lead]"),
        "usage.team.remove": ("team remove <チーム> @人…", "team remove <team> @user…"),
        "usage.task.add": (
            "task add <件名> [due:<日付>] [@担当] [team:<チーム>] [theme:<コード>] [milestone]",
            "task add <title> [due:<date>] [@assignee] [team:<team>] [theme:<code>] [milestone]",
        ),
        "usage.task.list": (
            "task list [mine|overdue|team:<チーム>|theme:<コード>]",
            "task list [mine|overdue|team:<team>|theme:<code>]",
        ),
        "usage.task.done": ("task done <番号> [on:<完了日>]", "task done <id> [on:<date>]"),
        "summary.task.done": ("完了にする（on: は実際に終えた日）", "(on: the day it was done)"),
        "usage.task.due": ("task due <番号> <日付>", "task due <id> <date>"),
        "usage.task.assign": ("task assign <番号> @人", "task assign <id> @user"),
        "usage.note": (
            "note <番号|課題コード> <本文> [as-of:<日付>]",
            "note <id|theme code> <text> [as-of:<date>]",
        ),
        "summary.note": ("進捗を記録", "writes a progress note"),
        "usage.note.fix": ("note fix <進捗番号> <本文>", "note fix <note id> <text>"),
        "summary.note.fix": ("直す", "corrects it"),
        "usage.theme.list": ("theme list", "theme list"),
        "usage.theme.show": ("theme show <コード>", "theme show <code>"),
        "usage.theme.status": (
            "theme status <コード> <A〜D> reason:<理由>",
            "theme status <code> <A-D> reason:<why>",
        ),
        "summary.theme.status": (
            "評価を確定（年度末の取組結果は final:<A〜D> <理由>）",
            "(the year-end result: final:<A-D> <why>)",
        ),
        "usage.digest": (
            "digest [team:<チーム>] [week:<日付>]",
            "digest [team:<team>] [week:<date>]",
        ),
        "usage.kpi.add": (
            "kpi add <課題コード> <名前> unit:<単位> baseline:<値> target:<値>",
            "kpi add <theme code> <name> unit:<unit> baseline:<value> target:<value>",
        ),
        "usage.kpi.set": (
            "kpi set <指標番号> <値> [as-of:<日付>]",
            "kpi set <indicator id> <value> [as-of:<date>]",
        ),
        "usage.report": (
            "report [ward:<区>] [as-of:<日付>] [format:md,docx,xlsx,csv,png] [group-by:area|pillar]",
            "report [ward:<ward>] [as-of:<date>] [format:md,docx,xlsx,csv,png] [group-by:area|pillar]",
        ),
        "usage.report.city": ("report city [as-of:<日付>]", "report city [as-of:<date>]"),
        "summary.report.city": (
            "全市の集計（全市集計の担当のみ）",
            "the city roll-up (city planning staff)",
        ),
        "usage.case.new": ("case new", "case new"),
        "usage.case.list": ("case list", "case list"),
        "usage.case.show": ("case show <番号>", "case show <id>"),
        "usage.case.edit": ("case edit <番号>", "case edit <id>"),
        "usage.case.history": ("case history <番号>", "case history <id>"),
        "usage.case.close": ("case close <番号>", "case close <id>"),
        "usage.case.stats": (
            "case stats [from:<日付>] [to:<日付>]",
            "case stats [from:<date>] [to:<date>]",
        ),
        "usage.case.export": ("case export [full] [cp932]", "case export [full] [cp932]"),
        "usage.case.audit": ("case audit", "case audit"),
        "usage.remind": (
            "remind [team:<チーム> [task:3,1,0] [milestone:5,0]]",
            "remind [team:<team> [task:3,1,0] [milestone:5,0]]",
        ),
        "usage.remind.on": ("remind on", "remind on"),
        "usage.remind.off": ("remind off", "remind off"),
        "usage.remind.quiet": ("remind quiet 18:00-08:00", "remind quiet 18:00-08:00"),
        "usage.me": ("me [ward:<区>]", "me [ward:<ward>]"),
        "summary.me": ("自分の区を表示・設定", "shows or sets your ward"),
    }
)

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
    "完了日": "date",
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
