"""The wards compared in one PNG: each ward's themes stacked by grade A–D (and not judged).

A ward's bar is as long as its number of themes; the grade is the lead's confirmed one,
else the proposed one (bot.domain.city.status_of), as the DOCX summary counts them.
The Japanese font is the report chart's (bot.render.chart); same report, same bytes.
"""

from __future__ import annotations

import io

import matplotlib_fontja  # noqa: F401  (IPAexGothic, as bot/render/chart.py uses)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.city import STATUS_ORDER, CityReport
from bot.domain.report import NO_STATUS, STATUS_LABELS
from bot.render.report_md import mention_text

STATUS_COLORS = {
    "A": "#4a78b5",
    "B": "#8fb3de",
    "C": "#e6a23c",
    "D": "#c0504d",
    NO_STATUS: "#c9c9c9",
}
_PNG_METADATA = {"Software": None}


def legend_label(key: str) -> str:
    return "未判定" if key == NO_STATUS else f"{key} {STATUS_LABELS[key]}"


def city_chart(city: CityReport) -> Figure:
    """Horizontal stacked bars, wards top to bottom in ward order."""
    wards = [mention_text(t.ward) for t in city.totals][::-1]
    counts = [dict(t.statuses) for t in city.totals][::-1]
    fig = Figure(figsize=(10, max(3.0, 1.4 + 0.5 * len(wards))))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_title(f"全市 区ごとの評価（{city.as_of_label}）")
    y = list(range(len(wards)))
    left = [0] * len(wards)
    for key in STATUS_ORDER:
        values = [c.get(key, 0) for c in counts]
        bars = ax.barh(y, values, left=left, height=0.6, color=STATUS_COLORS[key])
        bars.set_label(legend_label(key))
        for yi, start, n in zip(y, left, values, strict=True):
            if n:
                ax.text(start + n / 2, yi, str(n), ha="center", va="center", fontsize=8)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(y, wards)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max([1, *left]) * 1.35)  # room for the legend
    ax.set_xlabel("課題数")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def city_chart_png(city: CityReport) -> bytes:
    """The chart as PNG bytes (the same bytes for the same roll-up)."""
    buf = io.BytesIO()
    city_chart(city).savefig(buf, format="png", dpi=100, metadata=_PNG_METADATA)
    return buf.getvalue()
