"""Messages of reports per ward and the city roll-up (DESIGN §11). key -> (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "city.which_ward": (
        "どの区の報告か分かりません。`{cmd} me ward:<区>` で自分の区を設定してください"
        "（区: {wards}。全市集計の担当は `{cmd} report ward:<区>` で区を指定できます）。",
        "Which ward's report? Set yours with `{cmd} me ward:<ward>` (wards: {wards}; city"
        " planning staff may name one with `{cmd} report ward:<ward>`).",
    ),
    "city.other_ward": (
        "{ward}の報告は、全市集計の担当（運用担当者が `wgbot city-planning add` で登録）だけが"
        "作れます。自分の区（{own}）の報告は `{cmd} report` で作れます。",
        "Only the city planning staff (registered by the operator with"
        " `wgbot city-planning add`) may build {ward}'s report. `{cmd} report` builds your"
        " ward's ({own}).",
    ),
    "city.other_ward_no_ward": (
        "{ward}の報告は、全市集計の担当（運用担当者が `wgbot city-planning add` で登録）だけが"
        "作れます。`{cmd} me ward:<区>` で自分の区を設定すると、その区の報告を"
        " `{cmd} report` で作れます。",
        "Only the city planning staff (registered by the operator with"
        " `wgbot city-planning add`) may build {ward}'s report. Set your ward with"
        " `{cmd} me ward:<ward>`, then `{cmd} report` builds its report.",
    ),
    "city.cli_which_ward": (
        "区が複数あります。--ward <区> で区を指定するか、--city で全市の集計を作ってください"
        "（区: {wards}）",
        "There are several wards: name one with --ward <ward>, or use --city for the city"
        " roll-up (wards: {wards}).",
    ),
    "city.not_planner": (
        "全市の集計は、全市集計の担当（運用担当者が `wgbot city-planning add` で登録）だけが"
        "作れます。自分の区の報告は `{cmd} report` で作れます。",
        "Only the city planning staff (registered by the operator with"
        " `wgbot city-planning add`) may build the city roll-up. `{cmd} report` builds your"
        " ward's report.",
    ),
    "city.cli_ward_and_city": (
        "--ward と --city は一緒に使えません。",
        "--ward and --city cannot be used together.",
    ),
    "city.bad_format": (
        "全市の集計は形式「{formats}」では作れません（作れる形式: {allowed}）。",
        "The city roll-up has no format “{formats}” (it comes as {allowed}).",
    ),
    "city.ward_done": (
        "{ward}の{as_of}の進捗状況報告を作りました（課題 {themes}件、今月の記録がない課題 {missing}件）。{where}",
        "Built {ward}'s progress report {as_of} ({themes} themes, {missing} without a note this"
        " month). {where}",
    ),
    "city.done": (
        "{as_of}の全市の集計を作りました（{wards}区、課題 {themes}件、今月の記録がない課題 {missing}件）。{where}",
        "Built the city roll-up {as_of} ({wards} wards, {themes} themes, {missing} without a note"
        " this month). {where}",
    ),
    "city.cli_done": (
        "{label}: 全市 {wards}区（{names}）、課題 {n}件",
        "{label}: city, {wards} wards ({names}), {n} themes",
    ),
    "city.usage": (
        "使い方: wgbot city-planning add U… / wgbot city-planning remove U… / wgbot city-planning list",
        "Usage: wgbot city-planning add U… / wgbot city-planning remove U… / wgbot city-planning list",
    ),
    "city.bad_id": (
        "Slack のメンバーID（U で始まる英大文字と数字、例 U012AB3CD）で指定してください: {given}",
        "Name people by their Slack member id (U and capital letters or digits, e.g. U012AB3CD): {given}",
    ),
    "city.name_taken": (
        "全市集計の担当グループを作れません: 「{team}」という名前の普通のチームがあります。",
        "Cannot create the city planning group: an ordinary team is already named “{team}”.",
    ),
    "city.added": (
        "全市集計の担当に追加しました: {users}。",
        "Made city planning staff: {users}.",
    ),
    "city.removed": (
        "全市集計の担当から外しました: {users}（記録は残ります）。",
        "No longer city planning staff: {users} (the records stay).",
    ),
    "city.already": (
        "すでに全市集計の担当です: {users}。",
        "Already city planning staff: {users}.",
    ),
    "city.not_member": (
        "全市集計の担当ではありません（変更なし）: {users}。",
        "Not city planning staff (nothing changed): {users}.",
    ),
    "city.none": (
        "全市集計の担当はいません。wgbot city-planning add U… で追加します。",
        "There are no city planning staff. wgbot city-planning add U… adds one.",
    ),
    "city.person": ("{user}（{since} から、{by}）", "{user} (since {since}, by {by})"),
    "city.list": ("全市集計の担当 {n}人: {people}", "City planning staff ({n}): {people}"),
}
