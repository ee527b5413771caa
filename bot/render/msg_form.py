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
}
