"""Messages of the core: teams, tasks, notes, themes, help. key -> (ja, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error.internal": (
        "処理中に問題が起きました。もう一度お試しください。変更は保存されていません。",
        "Something went wrong. Please try again; nothing was changed.",
    ),
    "error.db_unavailable": (
        "一時的に保存できません。しばらくしてからもう一度お試しください。",
        "Cannot save right now. Please try again in a little while.",
    ),
    "error.unknown_command": (
        "「{word}」は知らないコマンドです。`{cmd} help` で使い方を表示します。",
        "Unknown command “{word}”. `{cmd} help` shows what you can do.",
    ),
    "error.did_you_mean": ("もしかして: {forms}", "Did you mean: {forms}"),
    "error.usage": ("使い方: `{usage}`", "Usage: `{usage}`"),
    "error.too_long": (
        "{field}が長すぎます（{limit}文字まで、いま{length}文字）。",
        "{field} is too long ({limit} characters at most, got {length}).",
    ),
    "error.bad_date": (
        "{message}",
        "Cannot read the date “{text}”. Write it like 2024-12-10, 2024/12/10, 12/10 or R6.12.10.",
    ),
    "error.no_such_date": ("{message}", "“{text}” is not a real date."),
    "error.weekday_mismatch": (
        "{date}は{weekday}曜日です（{written}と書かれています）。日付か曜日を確かめてください。",
        "{date} is a {weekday} (the text says {written}). Please check the date or the weekday.",
    ),
    "error.bad_id": (
        "番号「{text}」が読めません。`#12` のように書いてください。",
        "Cannot read the id “{text}”. Write it like `#12`.",
    ),
    "error.team_not_found": (
        "チーム「{name}」は見つかりません。`{cmd} team list` で一覧を表示します。",
        "No team “{name}”. `{cmd} team list` lists the teams.",
    ),
    "error.team_exists": ("チーム「{name}」はすでにあります。", "Team “{name}” already exists."),
    "error.team_exists_as": (
        "「{name}」は既存のチーム「{existing}」と同じ名前とみなします"
        "（全角・半角、大文字・小文字、空白の違いは区別しません）。別の名前にしてください。",
        "“{name}” counts as the same name as the existing team “{existing}” (full-width and"
        " half-width letters, case and spacing are not told apart). Choose another name.",
    ),
    "error.bad_kind": (
        "種別は WG か PT です（「{kind}」は使えません）。",
        "Kind is WG or PT (not “{kind}”).",
    ),
    "error.theme_not_found": (
        "課題「{code}」は見つかりません。`{cmd} theme list` で一覧を表示します。",
        "No theme “{code}”. `{cmd} theme list` lists the themes.",
    ),
    "error.unknown_ward": (
        "「{ward}」という区は見つかりません。方針が取り込まれている区: {wards}",
        "No ward “{ward}”. Wards with a plan: {wards}",
    ),
    "error.no_ward": (
        "どの区の方針か分かりません。`{cmd} me ward:<区>` で自分の区を設定するか、"
        "区を付けて指定してください（区: {wards}）。",
        "Which ward's plan? Set yours with `{cmd} me ward:<ward>` or name the ward"
        " (wards: {wards}).",
    ),
    "error.theme_ambiguous": (
        "課題「{code}」は複数の区にあります。どちらですか: {choices}",
        "Theme “{code}” exists in several wards. Which one: {choices}",
    ),
    "error.team_other_ward": (
        "チーム「{name}」は別の区のチームです。メンバーでない人には作業を表示しません。",
        "Team “{name}” belongs to another ward; its work is shown to its members only.",
    ),
    "error.team_city_wide": (
        "全市のチーム「{name}」の作業はメンバーにだけ表示します。"
        "見るにはチームのリーダーに加えてもらってください。",
        "City-wide team “{name}” shows its work to its members only; ask its lead to add you.",
    ),
    "error.no_plan": (
        "方針（課題一覧）がまだ取り込まれていません。`wgbot plan import` で取り込んでください。",
        "No policy plan has been imported yet (`wgbot plan import`).",
    ),
    "error.task_not_found": ("タスク #{id} は見つかりません。", "Task #{id} not found."),
    "error.task_done": ("#{id} はすでに完了しています。", "#{id} is already done."),
    "error.task_cancelled": ("#{id} は取り消されています。", "#{id} has been cancelled."),
    "error.not_member": (
        "チーム「{team}」のメンバーではないため、この操作はできません。",
        "You are not a member of team “{team}”, so you cannot do this.",
    ),
    "error.not_lead": (
        "この操作はチーム「{team}」のリーダーだけができます。",
        "Only a lead of team “{team}” can do this.",
    ),
    "error.no_users": ("ユーザーを @ で指定してください。", "Name the users with @."),
    "team.err.case_admin_group": (
        "事例管理者の追加・解除は運用担当者が wgbot case-admin で行います。チーム「{team}」のメンバーは Slack からは変えられません。",
        "Case admins are added and removed by the operator with wgbot case-admin; the members of team “{team}” cannot be changed from Slack.",
    ),
    "team.err.last_lead": (
        "チーム「{team}」のリーダーが一人もいなくなるため外せません。先に別の人を `{cmd} team add {team} @人 lead` でリーダーにしてください。",
        "Cannot remove the last lead of team “{team}”. Make someone else a lead first with `{cmd} team add {team} @user lead`.",
    ),
    "team.members_removed": (
        "チーム「{name}」から {users} を外しました（記録は残ります）。",
        "Removed {users} from team “{name}” (the records stay).",
    ),
    "team.not_members": (
        "チーム「{name}」のメンバーではありません（変更なし）: {users}",
        "Not members of team “{name}” (nothing changed): {users}",
    ),
    "error.empty_note": ("進捗の本文を書いてください。", "Please write the note's text."),
    "error.no_team_for_task": (
        "チームを `team:<チーム名>` で指定してください（所属チームが複数か、ありません）。",
        "Name the team with `team:<name>` (you belong to several teams or none).",
    ),
    "status.done": ("完了", "done"),
    "status.cancelled": ("取消", "cancelled"),
    "status.open": ("未完了", "open"),
    "closed_day": (
        "{day}は閉庁日です（{reason}）",
        "The office is closed on {day} ({reason}).",
    ),
    "closed.weekend.5": ("土曜日", "Saturday"),
    "closed.weekend.6": ("日曜日", "Sunday"),
    "closed.year_end": ("年末年始", "year-end holidays"),
    "team.channel_extra": (" チャンネル: {channel}", " Channel: {channel}"),
    "team.line": (
        "• *{name}*（{kind}{theme}） {people}人・未完了 {open}件",
        "• *{name}* ({kind}{theme}) members: {people}, open tasks: {open}",
    ),
    "team.created": (
        "チーム「{name}」（{kind}）を作りました。あなたがリーダーです。{extra}",
        "Created team “{name}” ({kind}). You are its lead.{extra}",
    ),
    "team.members_added": (
        "チーム「{name}」に {users} を追加しました。",
        "Added {users} to team “{name}”.",
    ),
    "team.list_header": ("*チーム一覧*", "*Teams*"),
    "team.none": (
        "チームはまだありません。`{cmd} team new <名前>` で作ります。",
        "No teams yet. `{cmd} team new <name>` creates one.",
    ),
    "team.show": (
        "*{name}*（{kind}）　課題: {theme}　チャンネル: {channel}\nリーダー: {leads}\nメンバー: {members}\n未完了タスク {open}件（期限超過 {overdue}件）",
        "*{name}* ({kind})  theme: {theme}  channel: {channel}\nLeads: {leads}\nMembers: {members}\nOpen tasks {open} (overdue {overdue})",
    ),
    "task.added": (
        "{kind} {id} 「{title}」を追加しました（チーム: {team}{theme}、期限: {due}、担当: {assignee}）。",
        "Added {kind} {id} “{title}” (team: {team}{theme}, due: {due}, assignee: {assignee}).",
    ),
    "error.theme_other_ward": (
        "{ward}の課題 {code} に進捗を書けるのは、{ward}の職員とその課題のチームのメンバーです。",
        "Progress on {ward}'s theme {code} is written by {ward}'s staff and its teams' members.",
    ),
    "task.theme_part": ("、課題: {code}", ", theme: {code}"),
    "task.not_a_mention": (
        "{name} はSlackのメンションになっていないため担当者にしていません"
        "（入力中に出る候補から選んでください）。題名には入力どおり残しています。",
        "{name} is not a Slack mention, so no one was assigned by it (pick the person from"
        " the suggestions while typing). The title keeps it as typed.",
    ),
    "task.kind.task": ("タスク", "Task"),
    "task.kind.milestone": ("マイルストーン", "Milestone"),
    "task.done": ("{id} 「{title}」を完了にしました。", "Marked {id} “{title}” as done."),
    "task.due_changed": (
        "{id} 「{title}」の期限を {due} に変更しました。",
        "Moved the due date of {id} “{title}” to {due}.",
    ),
    "task.assigned": (
        "{id} 「{title}」の担当を {user} にしました。",
        "Assigned {id} “{title}” to {user}.",
    ),
    "task.list_header": ("*{title}*（{count}件）", "*{title}* ({count})"),
    "task.list_more": (
        "…ほか {more}件。`team:` や `theme:` で絞り込めます。",
        "…and {more} more. Narrow with `team:` or `theme:`.",
    ),
    "task.list_empty": ("該当するタスクはありません。", "No matching tasks."),
    "task.list.mine": ("自分のタスク", "My tasks"),
    "task.list.overdue": ("期限超過のタスク", "Overdue tasks"),
    "task.list.team": ("チーム「{team}」のタスク", "Tasks of team “{team}”"),
    "task.list.theme": ("課題 {code} のタスク", "Tasks of theme {code}"),
    "task.list.all": ("未完了のタスク", "Open tasks"),
    "task.no_due": ("期限なし", "no due date"),
    "task.overdue_mark": ("期限超過", "overdue"),
    "note.saved": (
        "{target} に進捗 #{id} を記録しました（{date}時点）：「{text}」\n直すときは `{cmd} note fix {id} <本文>`。",
        "Saved progress note #{id} on {target} (as of {date}): “{text}”\nTo correct it: `{cmd} note fix {id} <text>`.",
    ),
    "note.fixed": (
        "進捗 #{old} を直しました（新しい番号 #{id}、{target}、{date}時点）：「{text}」\n元の記録は履歴に残ります。",
        "Corrected note #{old} (now #{id}, {target}, as of {date}): “{text}”\nThe old text stays in the history.",
    ),
    "theme.list_header": ("*{plan} の課題*", "*Themes of {plan}*"),
    "theme.show": (
        "*{code} {title}*\n② 内容: {content}\n③ 背景: {background}\n④ 取組み: {approach}\nチーム: {teams}\n未完了タスク {open}件（期限超過 {overdue}件）",
        "*{code} {title}*\n② Content: {content}\n③ Background: {background}\n④ Approach: {approach}\nTeams: {teams}\nOpen tasks {open} (overdue {overdue})",
    ),
    "theme.recent_notes": ("最近の進捗:", "Recent notes:"),
    "modal.team.title": ("チームを作る", "New team"),
    "modal.task.title": ("タスクを追加", "Add a task"),
    "modal.submit": ("保存", "Save"),
    "modal.cancel": ("やめる", "Cancel"),
    "modal.field.name": ("チーム名", "Team name"),
    "modal.field.kind": ("種別", "Kind"),
    "modal.field.theme": ("課題コード（例: A(2)）", "Theme code (e.g. A(2))"),
    "modal.field.channel": ("チームのチャンネル", "Team channel"),
    "modal.field.title": ("件名", "Title"),
    "modal.field.due": ("期限", "Due date"),
    "modal.field.assignee": ("担当者", "Assignee"),
    "modal.field.team": ("チーム名", "Team"),
    "modal.field.milestone": ("マイルストーンにする", "This is a milestone"),
    "modal.opened": ("入力画面を開きました。", "Opened a form."),
    "modal.form_only": (
        "コンソールでは入力画面を開けません。Slackで入力してください: `{usage}`",
        "The console cannot open forms. Type it in Slack: `{usage}`",
    ),
    "modal.no_trigger": (
        "入力画面を開けませんでした。引数付きで入力してください: `{usage}`",
        "Could not open a form. Type the command with arguments: `{usage}`",
    ),
    "modal.failed.expired": (
        "入力画面を開けませんでした（有効期限切れ）。もう一度 `{again}` を入力してください。",
        "Could not open the form (the request expired). Please type `{again}` again.",
    ),
    "modal.failed.other": (
        "入力画面を開けませんでした（Slack の応答: {error}）。しばらくしてからもう一度 `{again}` を入力してください。",
        "Could not open the form (Slack answered: {error}). Please type `{again}` again in a moment.",
    ),
    "modal.failed_button.expired": (
        "入力画面を開けませんでした（有効期限切れ）。もう一度ボタンを押してください。",
        "Could not open the form (the request expired). Please press the button again.",
    ),
    "modal.failed_button.other": (
        "入力画面を開けませんでした（Slack の応答: {error}）。しばらくしてからもう一度ボタンを押してください。",
        "Could not open the form (Slack answered: {error}). Please press the button again in a moment.",
    ),
    "files.failed": (
        ":warning: ファイルを送れませんでした（Slack の応答: {error}）。しばらくしてからもう一度お試しください。",
        ":warning: The files could not be sent (Slack answered: {error}). Please try again in a moment.",
    ),
    "field.required": ("入力してください。", "Required."),
    "help": (
        "*wgbot の使い方*（`{cmd}` のあとに入力）\n{commands}\n"
        "日付の書き方: {forms}\n"
        "日本語でも書けます（例: `タスク 追加`、`タスク 一覧 自分`、`タスク 完了 #12`）。",
        "*How to use wgbot* (type after `{cmd}`)\n{commands}\n"
        "Dates: 2024-12-10, 2024/12/10, 12/10, R6.12.10 (Reiwa), 2024-12-10(Tue); "
        "the Japanese forms work too (see the Japanese help).",
    ),
    "help.line": ("• {forms}", "• {forms}"),
}
MESSAGES["error.future_as_of"] = (
    "{date}はまだ来ていない日です。進捗や数値は、その時点までに分かったことを今日以前の日付で記録してください。",
    "{date} has not come yet. Record progress and figures as of today or an earlier day.",
)
MESSAGES["error.note_already_fixed"] = (
    "進捗 #{id} はすでに直されています。今の記録と番号は `{cmd} theme show <課題コード>` で確かめられます。",
    "Note #{id} was already corrected. `{cmd} theme show <code>` shows the current notes and their numbers.",
)
MESSAGES["error.note_not_found"] = (
    "進捗 #{id} は見つからないか、あなたが書いたものではありません。",
    "Note #{id} not found, or not written by you.",
)
MESSAGES["error.control_char"] = (
    "見えない制御文字（{char}）が含まれているため保存しませんでした。改行とタブ以外の制御文字は使えません。文字を消してもう一度入力してください。",
    "Not saved: the text holds an invisible control character ({char}). Only line breaks and tabs are allowed; remove it and try again.",
)
MESSAGES["error.my_number"] = (
    "マイナンバー（個人番号）と思われる12桁の番号が含まれています。保存できません。番号を消してから入力してください。",
    "Not saved: the text holds a 12-digit number that looks like a My Number (individual number), which this tool must never store. Remove the number and try again.",
)
MESSAGES["plan.control_char"] = (
    "改行とタブ以外の制御文字（{char}）が含まれています",
    "holds a control character ({char}); only line breaks and tabs are allowed.",
)
