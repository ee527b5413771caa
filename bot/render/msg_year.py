"""Sentences of the fiscal year's turn and the year-end grade: key -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # wgbot plan rollover
    "rollover.usage": (
        "wgbot plan rollover --from <年度> --to <年度> [--ward <区>] [--map <対応表.csv>] [--apply]",
        "wgbot plan rollover --from <year> --to <year> [--ward <ward>] [--map <map.csv>] [--apply]",
    ),
    "rollover.bad_years": (
        "--to {to_year} は --from {from_year} より後の年度にしてください。",
        "--to {to_year} must be a later fiscal year than --from {from_year}.",
    ),
    "rollover.no_plan": (
        "{year}年度の計画がありません{ward}。先に wgbot plan import で取り込んでください。",
        "There is no plan for FY{year}{ward}. Import it first with wgbot plan import.",
    ),
    "rollover.no_plan_ward": ("（{ward}）", " ({ward})"),
    "rollover.map_header": (
        "対応表の1行目（見出し）に列 {columns} が必要です。",
        "The map's first row (the header) must name the columns {columns}.",
    ),
    "rollover.map_encoding": (
        "対応表の文字コードが読めません。UTF-8 か Shift_JIS の CSV で保存してください。",
        "Cannot read the map's encoding. Save it as a UTF-8 or Shift_JIS CSV.",
    ),
    "rollover.map_broken": (
        '対応表を {row}行目から CSV として読めません（閉じていない引用符 " や、" の後の文字が'
        "ないか確かめてください）。何も移していません。",
        'Cannot read the map as CSV from row {row} on (look for an unclosed quote ", or text '
        "after a closing one). Nothing was moved.",
    ),
    "rollover.map_code": (
        "課題コード「{code}」が読めません（例: A(2)、八幡東区/A(2)）",
        "cannot read the theme code “{code}” (e.g. A(2), 八幡東区/A(2))",
    ),
    "rollover.map_ward": ("区「{ward}」は登録されていません", "no ward “{ward}” is known"),
    "rollover.map_duplicate": (
        "{code} は{first}行目にもあります",
        "{code} is already on row {first}",
    ),
    "rollover.map_no_code": (
        "{year}年度の{ward}の計画に {code} がありません",
        "the FY{year} plan of {ward} has no {code}",
    ),
    "rollover.map_not_turning": (
        "{ward} は今回移す区（{only}）ではありません",
        "{ward} is not the ward being turned ({only})",
    ),
    "rollover.map_bad": (
        "対応表に誤りがあります（何も移していません）: {problems}",
        "The map has errors (nothing was moved): {problems}",
    ),
    "rollover.head_dry": (
        "{from_year}年度 → {to_year}年度（{wards}）の確認です。まだ何も変えていません"
        "（--apply で実行します）。",
        "FY{from_year} → FY{to_year} ({wards}), a check only: nothing is changed yet "
        "(--apply does it).",
    ),
    "rollover.head_applied": (
        "{from_year}年度 → {to_year}年度（{wards}）: 移しました（実行: {by}）。",
        "FY{from_year} → FY{to_year} ({wards}): moved (by {by}).",
    ),
    "rollover.tasks": ("移すタスク {n}件:", "Tasks to move: {n}"),
    "rollover.teams": (
        "移すチーム {n}件（チームの課題も新しい年度の課題にします）:",
        "Teams to move: {n} (their theme becomes the new year's theme):",
    ),
    "rollover.tasks_applied": ("移したタスク {n}件:", "Tasks moved: {n}"),
    "rollover.teams_applied": (
        "移したチーム {n}件（チームの課題も新しい年度の課題にしました）:",
        "Teams moved: {n} (their theme is now the new year's theme):",
    ),
    "rollover.unplaced": (
        "移せないもの {n}件（元の課題に残します）:",
        "Not placed: {n} (left where they are):",
    ),
    "rollover.task_line": (
        "  #{id} {title}: {ward} {from_code} → {to}",
        "  #{id} {title}: {ward} {from_code} → {to}",
    ),
    "rollover.team_line": (
        "  チーム「{name}」: {ward} {from_code} → {to}",
        "  team “{name}”: {ward} {from_code} → {to}",
    ),
    "rollover.by_map": ("（対応表）", " (map)"),
    "rollover.why.no_code": (
        "{to_year}年度の{ward}の計画に {code} がありません",
        "the FY{to_year} plan of {ward} has no {code}",
    ),
    "rollover.why.map_unknown": (
        "対応表の移し先 {code} が{to_year}年度の計画にありません",
        "the map's target {code} is not in a FY{to_year} plan",
    ),
    "rollover.unplaced_task": (
        "  #{id} {title}: {ward} {from_code} — {why}",
        "  #{id} {title}: {ward} {from_code} — {why}",
    ),
    "rollover.unplaced_team": (
        "  チーム「{name}」: {ward} {from_code} — {why}",
        "  team “{name}”: {ward} {from_code} — {why}",
    ),
    "rollover.summary_dry": (
        "タスク {tasks}件とチーム {teams}件を移せます。移せないもの {unplaced}件。",
        "Can move: tasks {tasks}, teams {teams}; not placed: {unplaced}.",
    ),
    "rollover.summary_applied": (
        "タスク {tasks}件とチーム {teams}件を移しました（移したタスク{replanned}件のリマインダーは"
        "そのまま有効です）。移せなかったもの {unplaced}件。",
        "Moved: tasks {tasks}, teams {teams} (the reminders of the {replanned} moved tasks stand "
        "as planned); not placed: {unplaced}.",
    ),
    # the year-end grade (取組結果)
    "final.set": (
        "課題 {code} の取組結果（年度末の評価）を {status}（{label}）としました。理由：「{reason}」",
        "Recorded the year-end result of {code} as {status} ({label}). Reason: “{reason}”",
    ),
    "final.bad": (
        "年度末の評価は A・B・C・D のいずれかで `final:A` のように書いてください。",
        "Give the year-end grade as one of A, B, C, D, like `final:A`.",
    ),
    "final.need_reason": (
        "年度末の評価には理由を書いてください（例: `final:B 研修は予定どおり、配置換えは来年度へ`）。",
        "The year-end grade needs a reason (e.g. `final:B training done, the move left for next year`).",
    ),
    "reminder.head.year_end_grade": ("取組結果の評価をお願いします", "Year-end result wanted"),
    "reminder.year_end_body": (
        "課題 *{code}* {title} の取組結果（年度末の A〜D の評価）がまだです。"
        "チームのリーダーとして、理由を添えて入力してください:\n`{command}`",
        "Theme *{code}* {title} has no year-end result (the A–D grade for the year) yet. "
        "As the team's lead, please give it with a reason:\n`{command}`",
    ),
    "reminder.year_end_command": (
        "{cmd} theme status {code} final:<A〜D> <理由>",
        "{cmd} theme status {code} final:<A-D> <reason>",
    ),
}
