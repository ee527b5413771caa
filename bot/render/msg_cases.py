"""Messages of the harassment case log: key -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "case.not_found": ("事例 #{id} は見つかりません。", "Case #{id} not found."),
    "case.err.admin_only": (
        "この操作は事例管理者だけができます。",
        "Only case admins can do this.",
    ),
    "case.err.edit_reporter_only": (
        "事例 #{id} を書き直せるのは記録した本人だけです。",
        "Only the reporter can rewrite case #{id}.",
    ),
    "case.err.closed": (
        "事例 #{id} は終了しているため書き直せません。",
        "Case #{id} is closed and cannot be rewritten.",
    ),
    "case.err.place": ("場所を一覧から選んでください。", "Choose a place from the list."),
    "case.err.kind": (
        "一覧にない行為の種類が含まれています。",
        "An unknown kind of conduct was given.",
    ),
    "case.err.minutes": (
        "対応時間は1〜1440分（24時間まで）の整数で入力してください。",
        "Minutes must be a whole number from 1 to 1440 (24 hours).",
    ),
    "case.err.staff_count": (
        "対応職員数は1〜99の整数で入力してください。",
        "Staff count must be a whole number from 1 to 99.",
    ),
    "case.err.date": ("日付を読み取れません。", "Cannot read the date."),
    "case.err.time": ("時刻を読み取れません。", "Cannot read the time."),
    "case.err.future": (
        "未来の日時は記録できません。",
        "The date and time cannot be in the future.",
    ),
    "case.err.too_long": ("{limit}文字までで入力してください。", "At most {limit} characters."),
    "case.err.forged": (
        "この入力は受け付けられません。もう一度 `{cmd} case new` から入力してください。",
        "This submission cannot be accepted. Start again with `{cmd} case new`.",
    ),
    "case.saved": (
        "事例 #{id} を記録しました。内容を見られるのはあなたと事例管理者だけです。",
        "Recorded case #{id}. Only you and the case admins can see it.",
    ),
    "case.updated": ("事例 #{id} を書き直しました。", "Rewrote case #{id}."),
    "case.masked": (
        "個人情報の保護のため、次を伏せ字にして保存しました: {what}",
        "To protect personal data these were masked before saving: {what}",
    ),
    "case.closed": (
        "事例 #{id} を終了にしました（記録は残ります）。",
        "Closed case #{id} (the record is kept).",
    ),
    "case.already_closed": ("事例 #{id} はすでに終了しています。", "Case #{id} is already closed."),
    "case.list.more": (
        "…ほか {more}件（古いもの）。件数は `{cmd} case stats` で見られます。",
        "…and {more} more (older). `{cmd} case stats` counts them all.",
    ),
    "case.list.own": ("*あなたが記録した事例*", "*Cases you recorded*"),
    "case.list.all": ("*すべての事例（事例管理者）*", "*All cases (case admin)*"),
    "case.list.none": (
        "見られる事例はありません。`{cmd} case new` で記録できます。",
        "No cases to show. `{cmd} case new` records one.",
    ),
    "case.status.open": ("対応中", "open"),
    "case.status.closed": ("終了", "closed"),
    "case.show.title": ("*事例 #{id}*（{status}）", "*Case #{id}* ({status})"),
    "case.show.when": ("日時", "When"),
    "case.show.place": ("場所", "Place"),
    "case.show.section": ("担当課", "Section"),
    "case.show.kinds": ("行為の種類", "Kinds of conduct"),
    "case.show.minutes": ("対応時間", "Time spent"),
    "case.show.staff": ("対応職員", "Staff"),
    "case.show.what": ("概要", "What happened"),
    "case.show.response": ("対応", "Response"),
    "case.show.police": ("警察への相談・通報", "Police involved"),
    "case.show.follow_up": ("要フォローアップ", "Follow-up needed"),
    "case.show.reporter": ("記録者", "Reporter"),
    "case.show.closed_by": ("終了: {who}（{when}）", "Closed by {who} ({when})"),
    "case.minutes": ("{minutes}分（職員{staff}名）", "{minutes} min ({staff} staff)"),
    "case.yes": ("あり", "yes"),
    "case.no": ("なし", "no"),
    "case.button.close": ("終了にする", "Close"),
    "case.stats.header_own": (
        "*事例の統計（あなたが記録した事例）*",
        "*Case statistics (your cases)*",
    ),
    "case.stats.header_all": ("*事例の統計（全事例）*", "*Case statistics (all cases)*"),
    "case.stats.range": ("期間: {start}〜{end}", "Period: {start} to {end}"),
    "case.stats.total": (
        "件数: {total}件　対応時間の合計: {minutes}分　延べ職員時間: {hours}時間",
        "Cases: {total}  Minutes spent: {minutes}  Staff-hours: {hours}",
    ),
    "case.stats.total_small": (
        "件数: {total}（対応時間・延べ職員時間は表示しません）",
        "Cases: {total} (minutes and staff-hours not shown)",
    ),
    "case.stats.by_month": ("月別", "By month"),
    "case.stats.by_kind": ("行為の種類別", "By kind"),
    "case.stats.by_place": ("場所別", "By place"),
    "case.stats.by_section": ("担当課別", "By section"),
    "case.stats.none": ("この期間の事例はありません。", "No cases in this period."),
    "case.stats.chart_sent": ("グラフ（PNG）をDMで送りました。", "Sent the chart (PNG) by DM."),
    "case.chart.title": ("カスハラ事例の件数", "Harassment cases"),
    "case.export.done": (
        "匿名化した一覧（XLSX と CSV、{rows}件、自由記述なし）をDMで送りました。",
        "Sent the anonymised table (XLSX and CSV, {rows} rows, no free text) by DM.",
    ),
    "case.audit.header": ("*監査ログ（新しい順、{n}件）*", "*Audit log (newest first, {n} rows)*"),
    "case.modal.title": ("カスハラ事例の記録", "Harassment case"),
    "case.modal.intro": (
        "この記録を見られるのは、あなたと事例管理者だけです。電話番号・個人番号・メールアドレス・郵便番号・番地は保存前に自動で伏せ字になります。",
        "Only you and the case admins can see this record. Phone numbers, personal numbers, e-mail addresses, postal codes and house numbers are masked before saving.",
    ),
    "case.field.date": ("発生日", "Date"),
    "case.field.time": ("発生時刻", "Time"),
    "case.field.place": ("場所・手段", "Place"),
    "case.field.section": ("担当課・係", "Section"),
    "case.field.kinds": ("行為の種類（複数可）", "Kinds of conduct"),
    "case.field.minutes": ("対応時間（分）", "Minutes spent"),
    "case.field.staff_count": ("対応した職員の人数", "Number of staff"),
    "case.field.staff": ("対応した職員（役職など）", "Staff involved (roles)"),
    "case.field.what": ("概要（何があったか）", "What happened"),
    "case.field.what_hint": (
        "氏名など個人が特定できる情報は書かないでください",
        "Do not write names or anything that identifies a person",
    ),
    "case.field.response": ("対応内容", "Response"),
    "case.field.flags": ("その他", "Other"),
    "case.field.police": ("警察に相談・通報した", "Police involved"),
    "case.field.follow_up": ("フォローアップが必要", "Follow-up needed"),
    "case.admin.usage": (
        "使い方: wgbot case-admin add U… / wgbot case-admin remove U… / wgbot case-admin list（チーム名で指定する形は廃止しました）",
        "Usage: wgbot case-admin add U… / wgbot case-admin remove U… / wgbot case-admin list (naming a team is no longer supported)",
    ),
    "case.admin.bad_id": (
        "Slack のメンバーID（U で始まる英大文字と数字、例 U012AB3CD）で指定してください: {given}",
        "Name people by their Slack member id (U and capital letters or digits, e.g. U012AB3CD): {given}",
    ),
    "case.admin.name_taken": (
        "事例管理者のグループを作れません: 「{team}」という名前の普通のチームがあります。",
        "Cannot create the case-admin group: an ordinary team is already named “{team}”.",
    ),
    "case.admin.added": (
        "事例管理者に追加しました: {users}（監査ログに記録しました）。",
        "Made case admins: {users} (written to the audit log).",
    ),
    "case.admin.removed": (
        "事例管理者から外しました: {users}（次の操作から事例は見えません。記録は残ります）。",
        "No longer case admins: {users} (they see no case from their next request; the records stay).",
    ),
    "case.admin.already": ("すでに事例管理者です: {users}。", "Already case admins: {users}."),
    "case.admin.not_admin": (
        "事例管理者ではありません（変更なし）: {users}。",
        "Not case admins (nothing changed): {users}.",
    ),
    "case.admin.none": (
        "事例管理者はいません。wgbot case-admin add U… で追加します。",
        "There are no case admins. wgbot case-admin add U… adds one.",
    ),
    "case.admin.person": ("{user}（{since} から、{by}）", "{user} (since {since}, by {by})"),
    "case.admin.list": ("事例管理者 {n}人: {people}", "Case admins ({n}): {people}"),
    "case.alert": (
        "事例ログへの許可のない操作が続いています: {user} が直近1時間に {count} 回拒否されました（最後 {at}）。事例の内容は含みません。`{cmd} case audit` で確認できます。",
        "Repeated refused access to the case log: {user} was refused {count} times within an hour (latest {at}). No case content is included. See `{cmd} case audit`.",
    ),
    "case.field.staff_hint": (
        "氏名ではなく役職・人数で（例: 係長、窓口担当2名）",
        "Roles, not names (e.g. supervisor, 2 counter staff)",
    ),
    "case.show.edited": (
        "編集あり（{n}回）: 以前の版は `{cmd} case history {id}`",
        "Edited ({n}×): earlier versions with `{cmd} case history {id}`",
    ),
    "case.show.disposed": (
        "保存期間満了により記述を廃棄しました（{when}）。件数のための項目だけが残っています。",
        "Past retention: the free text was disposed of ({when}); only the counting fields remain.",
    ),
    "case.history.header": (
        "*事例 #{id} の編集履歴*（{n}回編集、古い順）",
        "*Edit history of case #{id}* ({n} edits, oldest first)",
    ),
    "case.history.none": (
        "*事例 #{id}* は記録後に編集されていません。",
        "*Case #{id}* has not been edited since it was recorded.",
    ),
    "case.history.version": (
        "第{n}版 → 第{next}版: {who} が {when} に編集（変更: {fields}）",
        "Version {n} → {next}: edited by {who} on {when} (changed: {fields})",
    ),
    "case.history.before": ("　以前の{field}: {value}", "  {field} before: {value}"),
    "case.history.scrubbed": ("（廃棄済み）", "(disposed of)"),
    "case.err.name": (
        "「{names}」は氏名のようです。相談者・来庁者A など役割に置き換えてください。そのまま保存するときは「このまま保存する」にチェックしてください。",
        "“{names}” looks like a name. Replace it with a role (the resident, visitor A), or tick “Save anyway”.",
    ),
    "case.field.names_ok": ("氏名の確認", "Names"),
    "case.field.names_ok_option": (
        "このまま保存する（氏名ではない・置き換えられない）",
        "Save anyway (not a name, or cannot be replaced)",
    ),
    "case.stats.small": ("3件未満", "fewer than 3"),
    "case.stats.small_note": (
        "※ 個人が特定されないよう、3件未満の値（他の期間との差で分かるものを含む）は「3件未満」と表示します。",
        "Values under 3 (including those a difference with another period would reveal) show as “fewer than 3”, so no figure points at a person.",
    ),
    "case.stats.too_many_ranges": (
        "本日はこれ以上別の期間を指定できません（1日{n}通りまで）。すでに使った期間か、明日もう一度どうぞ。",
        "No more different periods today (at most {n} a day). Use a period you already asked for, or try tomorrow.",
    ),
    "case.export.done_outside": (
        "外部提供用の一覧（XLSX と CSV、{rows}件、k=3 の匿名化済み: 日付は月、時刻は時間帯、課は分類まで。{left}件は3件未満の組合せのため除外）をDMで送りました。",
        "Sent the table for outside use by DM (XLSX and CSV, {rows} rows, k-anonymised with k = 3: month, time band and section category only; {left} rows left out as their combination occurs fewer than 3 times).",
    ),
    "case.export.done_full": (
        "内部用（仮名化）の一覧（XLSX と CSV、{rows}件、自由記述なし・記録者なし）をDMで送りました。外部には出さないでください。",
        "Sent the internal pseudonymised table by DM (XLSX and CSV, {rows} rows, no free text, no reporter). Do not pass it outside.",
    ),
    "case.verify.ok": (
        "OK: 監査ログ {rows}件、ハッシュの連鎖は壊れていません（最後のハッシュ {hash}）",
        "OK: {rows} audit rows, hash chain intact (last hash {hash})",
    ),
    "case.verify.changed": (
        "監査ログの行 {id} の内容が書き換えられています（ハッシュが一致しません）",
        "audit row {id} was changed (its content no longer matches its hash)",
    ),
    "case.verify.deleted_or_inserted": (
        "監査ログの行 {id} の直前で行が削除または挿入されています（前の行のハッシュと一致しません）",
        "a row was deleted or inserted before audit row {id} (its link to the row before is broken)",
    ),
    "case.verify.tail": (
        "監査ログの末尾（行 {id} より後）の行が失われています（連鎖の先頭と一致しません）",
        "audit rows are missing at the end, after row {id} (the chain's head does not match)",
    ),
    "case.retention.dry_run": (
        "保存期間（閉じた年度の翌年度から{years}年）を過ぎた事例: {n}件（{before} より前に終了したもの）。廃棄されるのは次の事例です（内容は表示しません）:",
        "Cases past retention ({years} fiscal years after the year they were closed): {n} (closed before {before}). These would be disposed of (no content shown):",
    ),
    "case.retention.line": ("#{id} 終了 {closed}", "#{id} closed {closed}"),
    "case.retention.applied": (
        "保存期間を過ぎた事例 {n}件の記述を廃棄しました（{before} より前に終了、件数の項目は残し、監査ログに記録）。",
        "Disposed of the free text of {n} cases past retention (closed before {before}); counting fields kept, each recorded in the audit log.",
    ),
}
