"""Messages of the staff list (`wgbot staff import`) and `/wg me`: key -> (Japanese, English).

A problem of the staff list never quotes a cell (any cell may hold a name when columns are
shifted): its row says who. Only a ward that looks like one is quoted (staff.unknown_ward).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "staff.done": (
        "職員名簿を取り込みました: {n}人（新規 {created}人、更新 {updated}人）。"
        "ファイルにない人の行はそのまま残ります。",
        "Staff list imported: {n} people ({created} new, {updated} updated)."
        " People not in the file keep their rows.",
    ),
    "staff.failed": (
        "職員名簿に問題が{n}件あります。何も取り込んでいません"
        "（すべての行を直してから、もう一度取り込んでください）:",
        "The staff list has {n} problem(s); nothing was imported"
        " (fix every row, then import again):",
    ),
    "staff.more": ("ほか {n}件", "and {n} more"),
    "staff.at_row": ("{n}行目: ", "row {n}: "),
    "staff.at_cell": ("{n}行目 {field}: ", "row {n}, {field}: "),
    "staff.col.user_id": ("ユーザーID", "user id"),
    "staff.col.email": ("メールアドレス", "e-mail"),
    "staff.col.name": ("氏名", "name"),
    "staff.col.ward": ("区", "ward"),
    "staff.col.section": ("課", "section"),
    "staff.col.user_id|email": ("ユーザーIDかメールアドレス", "user id or e-mail"),
    "staff.no_header": (
        "見出しの行がありません。1行目に ユーザーID（またはメールアドレス）、氏名、区、課 の"
        "見出しを書いてください。",
        "No heading row. Row 1 must name the columns: user_id (or email), name, ward, section.",
    ),
    "staff.missing_column": (
        "列がありません（見出しは {names} のどれか）",
        "no such column (heading: one of {names})",
    ),
    "staff.no_user": (
        "ユーザーIDもメールアドレスもありません",
        "neither a user id nor an e-mail address",
    ),
    "staff.bad_user_id": (
        "SlackのメンバーID（U で始まる英数字、例 U012AB3CD）ではありません",
        "not a Slack member id (U followed by letters and digits, e.g. U012AB3CD)",
    ),
    "staff.bad_email": ("メールアドレスの形ではありません", "not an e-mail address"),
    "staff.no_name": ("氏名がありません", "the name is empty"),
    "staff.no_ward": ("区がありません", "the ward is empty"),
    "staff.unknown_ward": (
        "「{ward}」という区は方針にありません（方針が取り込まれている区: {wards}）",
        "no ward “{ward}” has a plan (wards with a plan: {wards})",
    ),
    "staff.not_a_ward": (
        "方針が取り込まれている区の名前ではありません（区: {wards}）。列がずれていないか"
        "確かめてください",
        "not the name of a ward with a plan (wards: {wards}); check the columns are not shifted",
    ),
    "staff.city_wide": (
        "全市は人の区になりません。その人の区を書いてください（区: {wards}）",
        "the city as a whole is no one's ward; give the person's ward (wards: {wards})",
    ),
    "staff.control_char": (
        "見えない制御文字（{char}）が含まれています",
        "holds an invisible control character ({char})",
    ),
    "staff.line_break": (
        "改行やタブは使えません（1行で書いてください）",
        "line breaks and tabs are not allowed (one line)",
    ),
    "staff.too_long": ("{limit}文字を超えています", "longer than {limit} characters"),
    "staff.my_number": (
        "マイナンバー（個人番号）と思われる12桁の番号が含まれています",
        "holds a 12-digit number that looks like a My Number",
    ),
    "staff.email_unknown": (
        "このメールアドレスの利用者は Slack のワークスペースにいません（無効化された人を含む）",
        "Slack knows no active member of the workspace with this e-mail address",
    ),
    "staff.same_user": (
        "{first}行目と同じ利用者（{user}）です",
        "the same member ({user}) as row {first}",
    ),
    "staff.same_email": (
        "{first}行目と同じメールアドレスです",
        "the same e-mail address as row {first}",
    ),
    "staff.needs_token": (
        "メールアドレスから Slack の利用者を探すには SLACK_BOT_TOKEN"
        "（users:read.email の権限付き）が必要です。設定するか、ユーザーIDの列で取り込んでください。",
        "Finding members by e-mail needs SLACK_BOT_TOKEN (with the users:read.email scope);"
        " set it, or import by user id.",
    ),
    "staff.no_wards": (
        "方針がまだ取り込まれていないので、区が分かりません。"
        "先に `wgbot plan import` で各区の方針を取り込んでください。",
        "No plan has been imported, so no ward is known yet; import each ward's plan first"
        " (`wgbot plan import`).",
    ),
    "staff.file_missing": ("ファイルがありません: {path}", "No such file: {path}"),
    "staff.bad_format": (
        "職員名簿は CSV か XLSX で渡してください（{name}）。",
        "The staff list must be a CSV or XLSX file ({name}).",
    ),
    "staff.csv_encoding": (
        "CSV の文字コードが読めません。UTF-8 か Shift_JIS（Excel の「CSV（コンマ区切り）」）で"
        "保存してください。",
        "Cannot read the CSV's encoding; save it as UTF-8 or Shift_JIS (Excel's “CSV”).",
    ),
    "staff.csv_broken": (
        '{row}行目から CSV として読めません（閉じていない引用符 " や、" の後の文字がないか'
        "確かめてください）。",
        'Cannot read the file as CSV from row {row} on (look for an unclosed quote ", or text '
        "after a closing one).",
    ),
    "staff.empty": (
        "職員名簿のファイルが空です（見出しの行も職員の行もありません）。何も取り込んでいません。",
        "The staff list file is empty (no heading, no rows); nothing was imported.",
    ),
    "staff.no_rows": (
        "職員名簿に見出しの行しかありません（職員の行がありません）。何も取り込んでいません。",
        "The staff list has a heading but no rows; nothing was imported.",
    ),
    "staff.too_many_rows": (
        "職員名簿は{limit}行までです（見出しを除く）。このファイルはそれより多いので、"
        "何も取り込んでいません。別のファイルでないか確かめてください。",
        "A staff list has at most {limit} rows besides the heading; this file has more,"
        " so nothing was imported. Check it is the right file.",
    ),
    "staff.too_big": (
        "職員名簿のファイルは{limit}までです。何も取り込んでいません。"
        "別のファイルでないか確かめてください。",
        "A staff list file is at most {limit}; nothing was imported. Check it is the right file.",
    ),
    "staff.xlsx_unreadable": (
        "XLSX として読めません（壊れているか、別の形式のファイルです）。",
        "Cannot read the file as XLSX (broken, or another kind of file).",
    ),
    # `/wg me`
    "me.ward": ("あなたの区: *{ward}*（{source}）", "Your ward: *{ward}* ({source})"),
    "me.source.staff": ("職員名簿", "staff list"),
    "me.source.team": ("チーム", "your teams"),
    "me.source.own": ("自分で設定", "set by you"),
    "me.source.only": ("この環境の区はひとつだけです", "the only ward here"),
    "me.section": ("所属: {section}", "Section: {section}"),
    "me.none": (
        "あなたの区はまだ決まっていません。`{cmd} me ward:<区>` で設定できます（区: {wards}）。",
        "Your ward is not known yet. Set it with `{cmd} me ward:<ward>` (wards: {wards}).",
    ),
    "me.change": (
        "`{cmd} me ward:<区>` で変えられます（区: {wards}）。",
        "Change it with `{cmd} me ward:<ward>` (wards: {wards}).",
    ),
    "me.staff_wins": (
        "職員名簿の区が優先されます。名簿の誤りは運用担当者に伝えてください。",
        "The staff list's ward comes first; tell the operator if it is wrong.",
    ),
    "me.team_wins": (
        "チームの区から決まっています（`{cmd} me ward:` で設定した区より優先されます）。"
        "違う場合は、運用担当者に職員名簿への登録を頼んでください（名簿の区が最優先です）。",
        "It comes from your teams, which come before a ward set with `{cmd} me ward:`;"
        " if it is wrong, ask the operator to put you on the staff list (that comes first).",
    ),
    "me.set": ("あなたの区を「{ward}」に設定しました。", "Your ward is now “{ward}”."),
    "me.own_ignored.staff": (
        "ただし職員名簿の区「{ward}」が優先されます。",
        "But the staff list says “{ward}”, and that comes first.",
    ),
    "me.own_ignored.team": (
        "ただしチームの区「{ward}」が優先されます。",
        "But your teams are in “{ward}”, and that comes first.",
    ),
}
