"""Messages of digests, reports, indicators and status. key -> (ja, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "digest.title": ("{team} 週間まとめ（{week}の週）", "{team} weekly digest (week of {week})"),
    "digest.done": ("先週完了したこと", "Done last week"),
    "digest.due": ("今週が期限", "Due this week"),
    "digest.overdue": ("期限を過ぎているもの", "Overdue"),
    "digest.milestones": ("30日以内のマイルストーン", "Milestones in the next 30 days"),
    "digest.notes": ("先週の進捗記録", "Progress notes written last week"),
    "digest.cases": (
        "先週新たに記録された事例: {count}件",
        "New cases recorded last week: {count}",
    ),
    "digest.empty": ("今週お知らせすることはありません。", "Nothing to report this week."),
    "digest.more": ("…ほか {more}件", "…and {more} more"),
    "digest.no_channel": (
        "チーム「{team}」にはチャンネルが設定されていないため、まとめを投稿できません。",
        "Team “{team}” has no channel, so its digest cannot be posted.",
    ),
    "digest.no_team": (
        "どのチームのまとめかを `team:<チーム名>` で指定してください。",
        "Name the team with `team:<name>`.",
    ),
    "digest.bad_week": (
        "週「{text}」が読めません。日付で指定してください（例: 2024-12-02）。",
        "Cannot read the week “{text}”. Give a date (e.g. 2024-12-02).",
    ),
    "kpi.added": (
        "課題 {code} に指標 #{id}「{name}」を登録しました（基準 {baseline} → 目標 {target}）。",
        "Added indicator #{id} “{name}” to {code} (baseline {baseline} → target {target}).",
    ),
    "kpi.set": (
        "指標 #{id}「{name}」に {value}{unit}（{date}時点）を記録しました。",
        "Recorded {value}{unit} for indicator #{id} “{name}” (as of {date}).",
    ),
    "kpi.bad_number": (
        "「{text}」は数値として読めません（例: 40、40%、４０．５）。",
        "“{text}” is not a number (e.g. 40, 40%, 40.5).",
    ),
    "kpi.not_found": ("指標 #{id} は見つかりません。", "Indicator #{id} not found."),
    "status.set": (
        "課題 {code} の評価を {status}（{label}）に確定しました。理由：「{reason}」",
        "Confirmed the status of {code} as {status} ({label}). Reason: “{reason}”",
    ),
    "status.label.A": ("順調", "on track"),
    "status.label.B": ("一定の進捗", "some progress"),
    "status.label.C": ("遅れ", "behind"),
    "status.label.D": ("大幅な遅れ", "far behind"),
    "status.bad": (
        "評価は A（順調）・B（一定の進捗）・C（遅れ）・D（大幅な遅れ）のいずれかです。",
        "Status is A, B, C or D.",
    ),
    "status.need_reason": (
        "評価を確定するには理由を `reason:<理由>` で書いてください。",
        "Give a reason with `reason:<text>`.",
    ),
    "report.done": (
        "{as_of}の進捗状況報告を作りました（課題 {themes}件、今月の記録がない課題 {missing}件）。{where}",
        "Built the progress report {as_of} ({themes} themes, {missing} without a note this month). {where}",
    ),
    "report.sent_dm": ("報告書をDMで送りました。", "The files were sent to you by DM."),
    "report.sent_channel": (
        "報告書を {channel} に投稿しました。",
        "The files were posted to {channel}.",
    ),
    "report.before_plan": (
        "{date}は方針の年度（{fy_label}）より前です。",
        "{date} is before the plan's fiscal year (FY{fy}).",
    ),
    "report.after_plan": (
        "{date}は方針の年度（{fy_label}）が終わった後です。新しい年度の方針を取り込むか、"
        "年度内の日付（例: {end}）を指定してください。",
        "{date} is after the plan's fiscal year (FY{fy}). Import the new year's plan, "
        "or give a date within it (e.g. {end}).",
    ),
    "report.no_themes": (
        "方針に課題が1件もないため、報告を作れません。",
        "The plan has no themes, so there is nothing to report.",
    ),
}
MESSAGES["report.bad_format"] = (
    "形式「{formats}」は使えません（md, docx, xlsx, csv, png）。",
    "Unknown format “{formats}” (md, docx, xlsx, csv, png).",
)
MESSAGES["report.bad_group"] = (
    "まとめ方「{value}」は使えません（area か pillar）。",
    "Group by “{value}” is unknown (area or pillar).",
)
