"""The plan's own form: its section labels and the order of its pillars and areas.

A ward's plan file may state how its sections are headed (②課題の内容, ③課題の背景,
…) and in which order its pillars (重点項目) and areas come; the report uses them.
Stored as JSON on `plan.form`; None or a missing key means the defaults below.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

# ①–⑤ as the sample ward's plan heads them; ⑤ at the year's end is 取組結果.
DEFAULT_LABELS = {
    "title": "① 課題名",
    "content": "② 内容",
    "background": "③ 背景",
    "approach": "④ 取組み",
    "progress": "⑤ 進捗状況",
    "result": "⑤ 取組結果",
}
LABEL_KEYS = tuple(DEFAULT_LABELS)


@dataclass(frozen=True)
class PlanForm:
    """Section labels by key (LABEL_KEYS) and the plan's pillar and area order."""

    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    pillar_order: tuple[str, ...] = ()
    area_order: tuple[str, ...] = ()

    def label(self, key: str) -> str:
        return self.labels.get(key) or DEFAULT_LABELS[key]

    def to_json(self) -> str | None:
        """JSON for `plan.form`, or None when everything is the default."""
        if self == PlanForm():
            return None
        data = asdict(self)
        data["labels"] = {k: v for k, v in self.labels.items() if DEFAULT_LABELS.get(k) != v}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> PlanForm:
        if not text:
            return cls()
        data = json.loads(text)
        labels = {**DEFAULT_LABELS, **{k: v for k, v in data.get("labels", {}).items() if v}}
        return cls(
            labels=labels,
            pillar_order=tuple(data.get("pillar_order", ())),
            area_order=tuple(data.get("area_order", ())),
        )
