"""Messages of the command line: failures (one line each) and plan import. key -> (ja, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.db_unreachable": (
        "データベースに接続できません（{where}）。DATABASE_URL とデータベースが動いているかを確認してください",
        "Cannot connect to the database ({where}). Check DATABASE_URL and that the database is running.",
    ),
    "cli.db_refused": (
        "データベースが接続を拒否しました（{where}）。DATABASE_URL のユーザー名・パスワード・データベース名を確認してください",
        "The database refused the connection ({where}). Check the user, password and database name in DATABASE_URL.",
    ),
    "cli.db_file": (
        "データベースファイルを開けません（{where}）。DATABASE_URL のパスとフォルダがあるかを確認してください",
        "Cannot open the database file ({where}). Check the path in DATABASE_URL and that its folder exists.",
    ),
    "cli.db_url": (
        "DATABASE_URL が読めません。例: postgresql+psycopg://ユーザー@ホスト:5432/データベース名 または sqlite:///wgbot.db",
        "Cannot read DATABASE_URL. Examples: postgresql+psycopg://user@host:5432/dbname or sqlite:///wgbot.db",
    ),
    "cli.db_driver": (
        "DATABASE_URL のデータベース種別「{scheme}」は使えません。postgresql+psycopg:// か sqlite:/// で始めてください",
        "The database kind “{scheme}” in DATABASE_URL is not supported. Start it with postgresql+psycopg:// or sqlite:///",
    ),
    "cli.db_failed": (
        "データベースの処理に失敗しました（{where}、{kind}）。DATABASE_URL とデータベースの状態を確認してください",
        "A database operation failed ({where}, {kind}). Check DATABASE_URL and the database.",
    ),
    "cli.setting": (
        "設定 {name} が正しくありません（{problem}）。環境変数か .env を確認してください",
        "Setting {name} is not valid ({problem}). Check the environment or .env.",
    ),
    "cli.setting_required": (
        "設定 {name} がありません。このコマンドに必要です（環境変数か .env に書いてください）",
        "Setting {name} is missing; this command needs it (set it in the environment or .env).",
    ),
    "cli.env_file": (
        ".env を読めません（{problem}）。UTF-8 で、1行に1つ「名前=値」と書いてください",
        "Cannot read .env ({problem}). Write it in UTF-8, one NAME=value per line.",
    ),
    "cli.env_file.encoding": ("UTF-8 ではありません", "it is not UTF-8"),
    "cli.env_file.line": (
        "{line}行目が「名前=値」の形ではありません",
        "line {line} is not NAME=value",
    ),
    "cli.env_file.access": ("ファイルとして開けません", "it cannot be opened as a file"),
    "cli.slack_refused": (
        "Slack が {name} を受け付けませんでした（{error}）。トークンが取り消されていないか、正しく写したかを確認してください",
        "Slack refused {name} ({error}). Check that the token was copied whole and has not been revoked.",
    ),
    "cli.slack_unreachable": (
        "Slack に接続できません（{where}）。ネットワークと SLACK_API_URL を確認してください",
        "Cannot reach Slack ({where}). Check the network and SLACK_API_URL.",
    ),
    "cli.slack_failed": (
        "Slack の呼び出しに失敗しました（{error}）。しばらくしてからもう一度実行してください",
        "A Slack call failed ({error}). Please run the command again in a moment.",
    ),
    "cli.file_missing": ("ファイルがありません: {path}", "No such file: {path}"),
    "cli.file_is_dir": (
        "ファイルではなくフォルダです: {path}",
        "This is a folder, not a file: {path}",
    ),
    "cli.file_access": (
        "ファイルを読み書きできません: {path}（{kind}）",
        "Cannot read or write the file {path} ({kind}).",
    ),
    "cli.bad_args": (
        "コマンドの書き方が正しくありません（{problem}）。wgbot --help で使い方を表示します",
        "The command line is not valid ({problem}). wgbot --help shows the usage.",
    ),
    "cli.bad_now": (
        '--now の日時「{value}」が読めません（例: --now "2024-12-05 09:00"）',
        'Cannot read the --now time “{value}” (e.g. --now "2024-12-05 09:00").',
    ),
    "cli.interrupted": ("中断しました", "Interrupted."),
    "cli.internal": (
        "予期しないエラーで止まりました（{kind}）。管理者に連絡してください",
        "Stopped by an unexpected error ({kind}). Please tell the administrator.",
    ),
    "plan.done": (
        "{ward} {year}年度: 課題 {created}件を追加、{updated}件を更新しました",
        "{ward} FY{year}: {created} themes added, {updated} updated.",
    ),
    "plan.failed": (
        "取り込めませんでした（何も保存していません）: {problems}",
        "Nothing was imported: {problems}",
    ),
    "plan.sep": ("／", "; "),
    "plan.more": ("ほか {n}件", "and {n} more"),
    "plan.at_row": ("{n}行目 {field}: ", "row {n} {field}: "),
    "plan.at_item": ("{n}件目の課題 {field}: ", "theme {n} {field}: "),
    "plan.bad_format": (
        "{name}: 形式がわかりません（.yaml / .csv / .txt / .xlsx のいずれかにしてください）",
        "{name}: unknown format (use .yaml, .csv, .txt or .xlsx).",
    ),
    "plan.csv_encoding": (
        "CSV の文字コードが読めません（UTF-8 か Shift_JIS で保存してください）",
        "Cannot read the CSV's encoding (save it as UTF-8 or Shift_JIS).",
    ),
    "plan.csv_broken": (
        '{row}行目から CSV として読めません（閉じていない引用符 " や、" の後の文字がないか'
        "確かめてください）",
        'Cannot read the file as CSV from row {row} on (look for an unclosed quote ", or text '
        "after a closing one).",
    ),
    "plan.yaml_encoding": (
        "YAML の文字コードが読めません（UTF-8 で保存してください）",
        "Cannot read the YAML file's encoding (save it as UTF-8).",
    ),
    "plan.yaml_syntax": (
        "YAML の書き方が正しくありません（{line}行目あたり）。字下げと「:」のあとの空白を確認してください",
        "The YAML is not well formed (near line {line}). Check the indentation and the space after “:”.",
    ),
    "plan.yaml_top": (
        "YAML の最上位は ward / fiscal_year / themes を持つ辞書にしてください",
        "The top of the YAML must be a mapping with ward, fiscal_year and themes.",
    ),
    "plan.yaml_themes": ("themes はリストにしてください", "themes must be a list."),
    "plan.xlsx_unreadable": (
        "Excel ファイル（.xlsx）として読めません。Excel で開いて .xlsx 形式で保存し直してください",
        "Cannot read this as an Excel file (.xlsx). Open it in Excel and save it as .xlsx again.",
    ),
    "plan.no_header": (
        "1行目に見出し {missing} がありません（見出しの行: {header}）",
        "Row 1 lacks the heading(s) {missing} (headings: {header}).",
    ),
    "plan.ward_missing": ("ward（区名）がありません", "ward (the ward's name) is missing."),
    "plan.ward_long": (
        "ward（区名）が長すぎます（{limit}文字まで）",
        "ward (the ward's name) is too long ({limit} characters at most).",
    ),
    "plan.ward_bad": (
        "ward（区名）は1行で、/ を含まない名前にしてください",
        "ward (the ward's name) must be one line, without /.",
    ),
    "plan.ward_city": (
        "ward（区名）に「全市」は使えません（全市のチームは team new … ward:全市 で作ります）",
        "ward cannot be the city as a whole (a city-wide team is made with team new … ward:city).",
    ),
    "plan.ward_spelling": (
        "ward（区名）は取り込み済みの「{ward}」と同じ区です。「{ward}」と書いてください",
        "ward names the ward already imported as “{ward}”; write it “{ward}”.",
    ),
    "plan.fiscal_year_bad": (
        "fiscal_year（年度、例: 2024）がないか、正しくありません",
        "fiscal_year (e.g. 2024) is missing or not valid.",
    ),
    "plan.no_themes": ("themes（課題）が1件もありません", "There are no themes."),
    "plan.code_bad": (
        "「{code}」は課題コードではありません（例: A(2)）",
        "“{code}” is not a theme code (e.g. A(2)).",
    ),
    "plan.code_duplicate": ("{code} が重複しています", "{code} appears twice."),
    "plan.code_area": (
        "分野は A・B・C のいずれかです（{code}）",
        "The area must be A, B or C ({code}).",
    ),
    "plan.title_missing": ("課題名がありません", "The title is missing."),
    "plan.too_long": ("{limit}文字を超えています", "longer than {limit} characters."),
    # wgbot's own lines outside failures: every sentence here, so English mode is whole.
    "cli.description": (
        "ワーキンググループ・PT の進捗管理ボット",
        "Progress tracking bot for working groups and project teams",
    ),
    "cli.db_ready": ("データベースは最新です", "The database is up to date."),
    "tick.due": (
        "{now} 時点で送る予定のリマインダー: {n}件",
        "Reminders due at {now}: {n}",
    ),
    "tick.not_sent": ("  （送らない: {reason}）", "  (not sent: {reason})"),
    "tick.quiet": ("  （お休み時間のため後で）", "  (later: quiet hours)"),
    "tick.retrying": ("  （再試行 {n}回目の後）", "  (after {n} failed tries)"),
    "tick.failed_rows": ("送信に失敗したリマインダー: {n}件", "Reminders that failed: {n}"),
    "tick.failed_row": ("  失敗 {n}回 {code}", "  failed {n} times {code}"),
    "tick.theme": ("課題 {id}", "theme {id}"),
    # Reminder kinds and why one is not sent, as `wgbot tick --dry-run` lists them.
    "tick.kind.task": ("タスク期限", "task due"),
    "tick.kind.milestone": ("マイルストーン", "milestone"),
    "tick.kind.milestone_channel": ("マイルストーン（チャンネル）", "milestone (channel)"),
    "tick.kind.overdue": ("期限超過", "overdue"),
    "tick.kind.month_end_note": ("月末の進捗記録", "month-end note"),
    "tick.kind.year_end_grade": ("年度末の評価", "year-end grade"),
    "tick.skip.reminders off": ("本人がリマインダーを止めています", "reminders turned off"),
    "tick.skip.superseded": ("より新しいリマインダーがあります", "a newer reminder replaces it"),
    "tick.skip.theme gone": ("課題がありません", "the theme is gone"),
    "tick.skip.graded": ("評価済みです", "already graded"),
    "tick.skip.note written": ("今月の記録があります", "this month's note is written"),
    "tick.skip.task gone": ("タスクがありません", "the task is gone"),
    "tick.skip.task done": ("タスクは完了しています", "the task is done"),
    "tick.skip.task cancelled": ("タスクは取りやめです", "the task is cancelled"),
    "tick.done": (
        "送信 {sent}件、再試行待ち {retried}件、失敗 {failed}件、取りやめ {skipped}件、"
        "お休み時間で延期 {deferred}件",
        "Sent {sent}, waiting to retry {retried}, failed {failed}, dropped {skipped}, "
        "put off for quiet hours {deferred}.",
    ),
    "tick.error": ("  失敗 {error}", "  failed {error}"),
    "tick.halted": (
        "送信 {sent}件、{recorded}。データベースに書けなくなったため残りは次回送ります",
        "Sent {sent}; {recorded}. The database stopped taking writes: the rest go out next time.",
    ),
    "tick.unrecorded": (
        "うち {n}件は送信を記録できませんでした（次回重複の可能性）",
        "{n} of them could not be recorded (they may go out twice)",
    ),
    "tick.all_recorded": ("送信はすべて記録済み", "every send recorded"),
    "ops.failed": (
        "リマインダーの送信に失敗しました: {n}件（前回の報告以降）。"
        "一覧は `wgbot tick --dry-run` で確認できます。",
        "Reminders that failed since the last report: {n}. `wgbot tick --dry-run` lists them.",
    ),
    "ops.more": ("ほか {n}件", "and {n} more"),
    "ops.digests_failed": (
        "週報の投稿に失敗したままです: {n}件（その日の再試行後、前回の報告以降）。",
        "Weekly digests still failed after their day's retries, since the last report: {n}.",
    ),
    "report.cli_done": ("{label}: 課題 {n}件", "{label}: {n} themes"),
    "report.cli_missing": (
        "、今月の記録なし {n}件（{codes}）",
        "; {n} without a note this month ({codes})",
    ),
    "digest.posted": ("投稿しました: {team} → <#{channel}>", "posted: {team} → <#{channel}>"),
    "console.hello": (
        "wgbot console as {user}. `{cmd} help` でヘルプ、exit で終了します。",
        "wgbot console as {user}. `{cmd} help` shows help; exit ends.",
    ),
    "console.files_saved": (
        "{count}件のファイルを {folder} に保存しました（コンソールはDMを送りません）: {names}",
        "Saved {count} file(s) in {folder} (the console sends no DMs): {names}",
    ),
    "console.no_modal": (
        "（コンソールでは入力画面を開けません）",
        " (the console cannot open forms)",
    ),
}
