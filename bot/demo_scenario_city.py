"""The demo's second ward and its city-wide team, as the `/wg` lines staff would type.

東港区 is FICTIONAL (bot/samples/higashiminato-fy2024.yaml): it shows a city of several
wards whose theme codes overlap. The city-wide harassment PT (全市) has members from
both wards and works on each ward's harassment theme, named with its ward
(`theme:若松区/A(5)`, `theme:東港区/A(2)`). Names are invented sample staff.
"""

from __future__ import annotations

from datetime import date

SAMPLE_WARD = "若松区"
SECOND_WARD = "東港区"
SECOND_WARD_LABEL = "東港区（デモ用の架空の区）"
CITY_TEAM = "カスハラ対策全市PT"

# The operator's staff list (whose ward is which) is bot/samples/demo-staff.csv.

PEOPLE = {
    "U11NAKAMURA": "中村（東港区・総務企画課）",
    "U12KATO": "加藤（東港区・市民課）",
    "U13YOSHIDA": "吉田（東港区・保健福祉課）",
}

CHANNELS = {
    "C11WAITING": "higashiminato-madoguchi",
    "C12CITYPT": "zenshi-kasuhara-pt",
}

D = date

# Tasks are added from 11/12 on, after the sample ward's last task (#15), so the sample
# ward's lines keep their task numbers; these become #16-#20.
STEPS: list[tuple[date, str, str]] = [
    # 東港区 (fictional): its own codes, resolved in the typist's ward.
    (
        D(2024, 11, 1),
        "U11NAKAMURA",
        "team new 窓口混雑予報WG kind:WG theme:A(1) <#C11WAITING|higashiminato-madoguchi>",
    ),
    (D(2024, 11, 1), "U11NAKAMURA", "team add 窓口混雑予報WG <@U12KATO>"),
    # The city-wide harassment PT: members of both wards, a theme in each ward.
    (
        D(2024, 11, 7),
        "U04TANAKA",
        f"team new {CITY_TEAM} kind:PT ward:全市 <#C12CITYPT|zenshi-kasuhara-pt>",
    ),
    (D(2024, 11, 7), "U04TANAKA", f"team add {CITY_TEAM} <@U13YOSHIDA> <@U02SUZUKI>"),
    (
        D(2024, 11, 12),
        "U11NAKAMURA",
        "task add 待ち人数の掲載方法を決める due:11/26 <@U12KATO> team:窓口混雑予報WG",
    ),
    (
        D(2024, 11, 12),
        "U11NAKAMURA",
        "task add 混雑予報の試行開始 due:令和7年1月 team:窓口混雑予報WG milestone",
    ),
    (
        D(2024, 11, 12),
        "U04TANAKA",
        f"task add 若松区の事例の類型整理 due:12/13 <@U02SUZUKI> team:{CITY_TEAM}"
        f" theme:{SAMPLE_WARD}/A(5)",
    ),
    (
        D(2024, 11, 12),
        "U04TANAKA",
        f"task add 東港区の事例の類型整理 due:11/29 <@U13YOSHIDA> team:{CITY_TEAM}"
        f" theme:{SECOND_WARD}/A(2)",
    ),
    (
        D(2024, 11, 12),
        "U13YOSHIDA",
        f"task add 録音の運用案を両区で揃える due:2025-01-31 team:{CITY_TEAM}"
        f" theme:{SECOND_WARD}/A(2) milestone",
    ),
    (D(2024, 11, 13), "U12KATO", "kpi add A(1) 平均待ち時間 unit:分 baseline:35 target:20"),
    (
        D(2024, 11, 14),
        "U12KATO",
        "note A(1) 番号札の発券データから曜日・時間帯ごとの待ち人数を集計した",
    ),
    (
        D(2024, 11, 20),
        "U13YOSHIDA",
        "note A(2) 上期の12件を類型ごとに分け、全市PTの様式に移した",
    ),
    (D(2024, 11, 26), "U12KATO", "task done #16"),
    (D(2024, 11, 28), "U12KATO", "kpi set 3 28 as-of:11/28"),
    (D(2024, 11, 29), "U13YOSHIDA", "task done #19"),
]
