"""The sample ward's November 2024, as the `/wg` lines its staff would type.

Each step is (office date, user, text). Dates follow the ward's real plan
(see README); names are invented sample staff.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")

PEOPLE = {
    "U01SATO": "佐藤（総務企画課）",
    "U02SUZUKI": "鈴木（市民課）",
    "U03TAKAHASHI": "高橋（保護課）",
    "U04TANAKA": "田中（保健福祉課）",
    "U05ITO": "伊藤（まちづくり整備課）",
    "U06WATANABE": "渡辺（総務企画課・若手）",
    "U07YAMAMOTO": "山本（コミュニティ支援課・若手）",
    "U08KOBAYASHI": "小林（コミュニティ支援課）",
}

Step = tuple[date, str, str]
D = date

STEPS: list[Step] = [
    # 11月1日: the three teams are set up by their leads.
    (
        D(2024, 11, 1),
        "U01SATO",
        "team new 案内表示・情報紙WG kind:WG theme:A(2) <#C01SIGNAGE|wg-signage>",
    ),
    (
        D(2024, 11, 1),
        "U01SATO",
        "team add 案内表示・情報紙WG <@U02SUZUKI> <@U03TAKAHASHI> <@U04TANAKA>",
    ),
    (
        D(2024, 11, 1),
        "U04TANAKA",
        "team new カスハラ事例共有PT kind:PT theme:A(5) <#C02CASES|pt-kasuhara>",
    ),
    (D(2024, 11, 1), "U04TANAKA", "team add カスハラ事例共有PT <@U02SUZUKI> <@U03TAKAHASHI>"),
    (
        D(2024, 11, 1),
        "U06WATANABE",
        "team new 若松北海岸観光PT kind:PT theme:C(1) <#C03COAST|pt-kitakaigan>",
    ),
    (D(2024, 11, 1), "U06WATANABE", "team add 若松北海岸観光PT <@U05ITO> <@U07YAMAMOTO>"),
    # Tasks and milestones of the signage WG.
    (
        D(2024, 11, 5),
        "U01SATO",
        "task add WG始動会議 due:2024-11-05 team:案内表示・情報紙WG milestone",
    ),
    (
        D(2024, 11, 5),
        "U01SATO",
        "task add 市民課の自己点検 due:12/13 <@U02SUZUKI> team:案内表示・情報紙WG",
    ),
    (
        D(2024, 11, 5),
        "U01SATO",
        "task add 保護課の自己点検 due:12/13 <@U03TAKAHASHI> team:案内表示・情報紙WG",
    ),
    (
        D(2024, 11, 5),
        "U01SATO",
        "task add 各課の自己点検の完了 due:年内 team:案内表示・情報紙WG milestone",
    ),
    (
        D(2024, 11, 5),
        "U01SATO",
        "task add WGによる合同現地確認 due:令和7年1月 team:案内表示・情報紙WG milestone",
    ),
    (D(2024, 11, 5), "U01SATO", "task done #1"),
    (
        D(2024, 11, 6),
        "U01SATO",
        "task add ラック19台の配置図を作る due:11/22 <@U04TANAKA> team:案内表示・情報紙WG",
    ),
    # The harassment PT.
    (
        D(2024, 11, 7),
        "U04TANAKA",
        "task add 各区の事例の取りまとめ due:11/29 team:カスハラ事例共有PT milestone",
    ),
    (
        D(2024, 11, 7),
        "U04TANAKA",
        "task add 共通の判断基準（案） due:2025-01-31 <@U02SUZUKI> team:カスハラ事例共有PT milestone",
    ),
    (
        D(2024, 11, 7),
        "U04TANAKA",
        "task add 統一的な対応指針 due:年度末 team:カスハラ事例共有PT milestone",
    ),
    # The north-coast tourism PT.
    (
        D(2024, 11, 8),
        "U06WATANABE",
        "task add 駐車場・トイレの現況調査 due:11/27 <@U05ITO> team:若松北海岸観光PT",
    ),
    (
        D(2024, 11, 8),
        "U06WATANABE",
        "task add 他都市の事例調査 due:12/20 <@U07YAMAMOTO> team:若松北海岸観光PT",
    ),
    (
        D(2024, 11, 8),
        "U06WATANABE",
        "task add 地元事業者の合同イベント due:2025/3/15 team:若松北海岸観光PT milestone",
    ),
    (
        D(2024, 11, 8),
        "U06WATANABE",
        "task add 施設整備の提案書 due:今年度中 team:若松北海岸観光PT milestone",
    ),
    # The community-centre section schedules its training for association heads.
    (
        D(2024, 11, 11),
        "U08KOBAYASHI",
        "team new 自治会長研修担当 kind:WG theme:C(2) <#C04CENTER|wg-jichikai>",
    ),
    (
        D(2024, 11, 11),
        "U08KOBAYASHI",
        "task add 第2回 自治会長研修 due:11/19 team:自治会長研修担当 milestone",
    ),
    (
        D(2024, 11, 11),
        "U08KOBAYASHI",
        "task add 第3回 自治会長研修 due:12/10 team:自治会長研修担当 milestone",
    ),
    # Indicators of the plan (anyone may record those of a theme with no team).
    (
        D(2024, 11, 12),
        "U01SATO",
        "kpi add A(1) コンビニ交付の割合 unit:% baseline:30 target:40",
    ),
    (D(2024, 11, 12), "U01SATO", "kpi set 1 ４２ as-of:2024-10-31"),
    (
        D(2024, 11, 12),
        "U03TAKAHASHI",
        "kpi add A(4) 定例支払の事務時間 unit:時間/月 baseline:27 target:12",
    ),
    # Work during the month.
    (D(2024, 11, 15), "U02SUZUKI", "note A(2) 市民課のラックを確認し、古いチラシ42種類を撤去した"),
    (D(2024, 11, 19), "U08KOBAYASHI", "task done #14"),
    (
        D(2024, 11, 19),
        "U08KOBAYASHI",
        "note C(2) 第2回研修に自治会長18名が参加。次回は会計の実務を扱う",
    ),
    (D(2024, 11, 22), "U04TANAKA", "note A(5) 7区から事例31件が集まり、類型ごとに整理を始めた"),
    (D(2024, 11, 25), "U01SATO", "task due #6 11/29"),
    (D(2024, 11, 27), "U04TANAKA", "task done #6"),
    (
        D(2024, 11, 28),
        "U01SATO",
        "note A(2) ラックの配置図ができ、情報紙コーナーの候補を2か所に絞った",
    ),
    (D(2024, 11, 28), "U03TAKAHASHI", "kpi set 2 21 as-of:11/28"),
    (
        D(2024, 11, 29),
        "U01SATO",
        "theme status A(2) B reason:各課の自己点検が12月中旬までかかる見込み",
    ),
]

# Buttons pressed on the messages the bot sent: (office time, user, action, value, note text).
PRESSES: list[tuple[datetime, str, str, str, str]] = [
    (datetime(2024, 11, 25, 10, 0, tzinfo=JST), "U05ITO", "done", "10", ""),
    (
        datetime(2024, 11, 27, 16, 0, tzinfo=JST),
        "U06WATANABE",
        "note",
        "theme:C(1)",
        "駐車場とトイレの現況調査を終え、トイレ2か所の改修が必要と分かった。他都市の事例調査に着手",
    ),
]
