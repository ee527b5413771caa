"""Sentences of the plan's own form and a task's completion day: key -> (Japanese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "task.done_on": ("完了日: {date}", "Completed on {date}."),
    "task.done_on_future": (
        "完了日 {date} はまだ来ていない日です。今日以前の日付を `on:11/15` のように書いてください。",
        "The completion day {date} has not come yet. Give today or an earlier day, "
        "like `on:11/15`.",
    ),
    "task.done_on_before_created": (
        "完了日 {date} は #{id} を登録した日（{created}）より前です。登録した日以降の日付を書いてください。",
        "The completion day {date} is before #{id} was recorded ({created}). "
        "Give that day or a later one.",
    ),
    # The plan file's own form (labels, pillars, areas): where, then what is wrong.
    "plan.at_line": ("{n}行目 {field}: ", "line {n} {field}: "),
    "plan.form_label_key": (
        "「{word}」は見出しの名前ではありません（使えるのは {keys}）",
        "“{word}” is not a heading name (use {keys}).",
    ),
    "plan.form_labels_map": (
        "labels は「content: ②課題の内容」のように名前と見出しの組で書いてください（名前: {keys}）",
        "labels must map names to headings, like “content: ②課題の内容” (names: {keys}).",
    ),
    "plan.form_not_text": (
        "見出しは1行の文字で書いてください",
        "a heading must be one line of text.",
    ),
    "plan.form_one_line": (
        "見出しに改行は入れられません",
        "a heading cannot hold a line break.",
    ),
    "plan.form_list": (
        "名前を順に並べたリストにしてください（例: [感動区役所, 働きがいのある職場]）",
        "must be a list of names in order (e.g. [感動区役所, 働きがいのある職場]).",
    ),
    "plan.form_conflict": (
        "{n}行目と違う値です（1か所に書くか、同じ値にしてください）",
        "differs from row {n} (give it once, or the same value).",
    ),
    "plan.form_duplicate": ("「{name}」が2回あります", "“{name}” appears twice."),
    "plan.form_pillar_unknown": (
        "重点項目「{name}」はどの課題の pillar にもありません",
        "no theme has the pillar “{name}”.",
    ),
    "plan.form_area_bad": (
        "「{name}」は分野ではありません（A、B、C）",
        "“{name}” is not an area (A, B, C).",
    ),
}
