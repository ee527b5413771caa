"""Messages of this feature: key -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "reminder.head.task": (
        ":alarm_clock: タスクの期限が近づいています",
        ":alarm_clock: A task is coming due",
    ),
    "reminder.head.today": (":date: 今日が期限です", ":date: Due today"),
    "reminder.head.milestone": (
        ":triangular_flag_on_post: マイルストーンが近づいています",
        ":triangular_flag_on_post: A milestone is coming up",
    ),
    "reminder.head.milestone_channel": (
        ":triangular_flag_on_post: チームのマイルストーン",
        ":triangular_flag_on_post: Team milestone",
    ),
    "reminder.head.overdue": (":warning: 期限を過ぎています", ":warning: Overdue"),
    "reminder.head.month_end_note": (
        ":memo: 今月の進捗がまだ書かれていません",
        ":memo: No progress note this month yet",
    ),
    "reminder.head.done": (":white_check_mark: 完了しました", ":white_check_mark: Done"),
    "reminder.head.closed": (
        ":no_entry_sign: このタスクは終了しています",
        ":no_entry_sign: This task is closed",
    ),
    "reminder.left.future": ("あと{n}営業日", "{n} business days left"),
    "reminder.left.today": ("今日が期限", "due today"),
    "reminder.left.overdue": ("{n}営業日超過", "{n} business days overdue"),
    "reminder.field.due": ("*期限*\n{due}", "*Due*\n{due}"),
    "reminder.field.team": ("*チーム*\n{team}", "*Team*\n{team}"),
    "reminder.field.theme": ("*課題*\n{theme}", "*Theme*\n{theme}"),
    "reminder.field.assignee": ("*担当*\n{assignee}", "*Assignee*\n{assignee}"),
    "reminder.month_end_body": (
        "課題 *{code} {title}* に今月の進捗メモがありません。月末の進捗報告のため、今月の進み具合を書いてください。",
        "Theme *{code} {title}* has no progress note this month. Please write one for the month-end report.",
    ),
    "reminder.done_by": ("{user} が完了にしました。", "Marked done by {user}."),
    "reminder.button.done": ("完了", "Done"),
    "reminder.button.postpone": ("1営業日延期", "Postpone 1 business day"),
    "reminder.button.note": ("進捗を書く", "Write a note"),
    "reminder.done_ok": ("#{id} を完了にしました。", "Marked #{id} as done."),
    "reminder.postponed": ("#{id} の期限を {due} に延ばしました。", "Moved #{id} to {due}."),
    "reminder.already_postponed": (
        "#{id} はすでに延期されています（期限 {due}）。",
        "#{id} was already postponed (due {due}).",
    ),
    "reminder.note_saved_line": (
        ":memo: {user} が進捗を記録しました。",
        ":memo: {user} wrote a progress note.",
    ),
    "error.bad_button": (
        "このボタンは使えません（{value}）。`/wg task list mine` で確かめてください。",
        "This button cannot be used ({value}). Check with `/wg task list mine`.",
    ),
    "error.not_allowed_task": (
        "#{id} の担当者かチームのメンバーだけが操作できます。",
        "Only the assignee or a team member can act on #{id}.",
    ),
    "error.no_due": ("#{id} には期限がありません。", "#{id} has no due date."),
    "modal.note.title": ("進捗を書く", "Progress note"),
    "modal.note.target": ("対象: {label}", "For: {label}"),
    "modal.note.as_of": ("何日時点の進捗ですか", "As of which day"),
    "error.bad_picked_date": (
        "日付「{text}」が読めません。カレンダーから選んでください。",
        "Cannot read the date “{text}”. Pick it from the calendar.",
    ),
    "modal.note.text": ("進捗（{limit}字まで）", "Progress (up to {limit} characters)"),
    "remind.on": ("リマインダーを受け取ります。{detail}", "Reminders are on. {detail}"),
    "remind.off": (
        "リマインダーを止めました。チャンネルへのマイルストーン投稿は続きます。",
        "Reminders are off. Milestone posts in team channels continue.",
    ),
    "remind.quiet_set": (
        "お休み時間を {quiet} にしました。この時間に当たるリマインダーは終わりの時刻に届きます。",
        "Quiet hours set to {quiet}. Reminders falling inside arrive when they end.",
    ),
    "remind.quiet_off": ("お休み時間を解除しました。", "Quiet hours cleared."),
    "remind.status": (
        "リマインダー: {state}　お休み時間: {quiet}",
        "Reminders: {state}  Quiet hours: {quiet}",
    ),
    "remind.state.on": ("受け取る", "on"),
    "remind.state.off": ("止めている", "off"),
    "remind.none": ("なし", "none"),
    "remind.team_set": (
        "チーム「{team}」のリマインダー: タスクは期限の {task} 営業日前、マイルストーンは {milestone} 営業日前（09:00）。{n}件を計画し直しました。",
        "Team “{team}” reminders: tasks {task} business days before due, milestones {milestone}, at 09:00. Replanned {n}.",
    ),
    "remind.team_show": (
        "チーム「{team}」のリマインダー: タスク {task} 営業日前、マイルストーン {milestone} 営業日前。",
        "Team “{team}” reminders: tasks {task}, milestones {milestone} business days before.",
    ),
    "error.bad_quiet": (
        "お休み時間「{text}」は読めません。`/wg remind quiet 18:00-08:00` や `18時～8時` の形（00:00〜23:59、始まりと終わりは別の時刻）で書いてください。",
        "Cannot read quiet hours “{text}”. Write `/wg remind quiet 18:00-08:00` (00:00–23:59, start and end differ).",
    ),
    "error.bad_days": (
        "日数「{text}」は読めません。`task:3,1,0` のように 0〜60 の数をカンマで区切って書いてください。",
        "Cannot read “{text}”. Write numbers 0–60 separated by commas, like `task:3,1,0`.",
    ),
    "home.title": ("*自分のタスク*（期限順）", "*My open tasks* (by due date)"),
    "home.none": ("未完了のタスクはありません。", "No open tasks."),
    "home.milestones": ("*チームの次のマイルストーン*", "*Next milestones of my teams*"),
    "home.no_milestones": ("予定されたマイルストーンはありません。", "No upcoming milestones."),
    "home.more": ("…ほか {more}件", "…and {more} more"),
    "home.updated": ("{at} 更新", "Updated {at}"),
}
