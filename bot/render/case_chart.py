"""The case statistics as a PNG chart (matplotlib, Agg, Japanese font).

Built with `Figure` rather than pyplot: pyplot keeps global state and the
HTTP server answers requests on several threads. Cells that may not be shown
(bot.domain.case_privacy.suppress) get no bar, only the label 「3件未満」.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib_fontja  # noqa: F401  (registers IPAexGothic for Japanese labels)
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.case_privacy import TOTAL, Shown
from bot.domain.cases import KINDS, PLACES, CaseStats, label


def _bars(
    ax: Axes,
    counts: dict[str, int],
    *,
    name: str,
    shown: Shown,
    small: str,
    label_of: Callable[[str], str],
    color: str,
    horizontal: bool = False,
) -> None:
    keys = list(counts)[::-1] if horizontal else list(counts)
    labels = [label_of(k) for k in keys]
    values = [0 if shown.is_hidden(name, k) else counts[k] for k in keys]
    bars = (
        ax.barh(labels, values, color=color) if horizontal else ax.bar(labels, values, color=color)
    )
    for bar, key in zip(bars, keys, strict=True):
        if shown.is_hidden(name, key):
            x, y = (0, bar.get_y() + bar.get_height() / 2) if horizontal else (bar.get_x(), 0)
            ax.text(
                x, y, small, fontsize=7, color="#666666", va="center" if horizontal else "bottom"
            )


def stats_png(
    stats: CaseStats,
    *,
    title: str = "カスハラ事例の件数",
    lang: str = "ja",
    shown: Shown | None = None,
) -> bytes:
    """Three panels: cases by month, by kind and by place (counts only, cells under 3 hidden)."""
    ja = lang != "en"
    hidden = shown or Shown(stats, frozenset())
    small = "3件未満" if ja else "fewer than 3"
    fig = Figure(figsize=(13, 4.2))
    FigureCanvasAgg(fig)
    if hidden.is_hidden(*TOTAL):
        total = f"（{small}）" if ja else f" ({small})"
    else:
        total = f"（{stats.total}件・延べ{stats.staff_hours}時間）" if ja else f" ({stats.total})"
    fig.suptitle(title + total)
    by_month, by_kind, by_place = fig.subplots(1, 3)
    _bars(
        by_month,
        stats.by_month,
        name="by_month",
        label_of=str,
        color="#4a78b5",
        shown=hidden,
        small=small,
    )
    by_month.set_title("月別" if ja else "By month")
    by_month.tick_params(axis="x", rotation=45)

    def kind(k: str) -> str:
        return label(KINDS, k, lang)

    def place(p: str) -> str:
        return label(PLACES, p, lang)

    _bars(
        by_kind, stats.by_kind, name="by_kind", label_of=kind, color="#c0504d", horizontal=True,
        shown=hidden,
        small=small,
    )  # fmt: skip
    by_kind.set_title("行為の種類別" if ja else "By kind")
    _bars(
        by_place,
        stats.by_place,
        name="by_place",
        label_of=place,
        color="#9bbb59",
        shown=hidden,
        small=small,
    )
    by_place.set_title("場所別" if ja else "By place")
    for axis in (by_month.yaxis, by_kind.xaxis, by_place.yaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()
