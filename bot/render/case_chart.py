"""The case statistics as a PNG chart (matplotlib, Agg, Japanese font).

Built with `Figure` rather than pyplot: pyplot keeps global state and the
HTTP server answers requests on several threads.
"""

from __future__ import annotations

import io

import matplotlib_fontja  # noqa: F401  (registers IPAexGothic for Japanese labels)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.cases import KINDS, PLACES, CaseStats, label


def stats_png(stats: CaseStats, *, title: str = "カスハラ事例の件数", lang: str = "ja") -> bytes:
    """Three panels: cases by month, by kind and by place (counts only)."""
    ja = lang != "en"
    fig = Figure(figsize=(13, 4.2))
    FigureCanvasAgg(fig)
    hours = f"（{stats.total}件・延べ{stats.staff_hours}時間）" if ja else f" ({stats.total})"
    fig.suptitle(title + hours)
    by_month, by_kind, by_place = fig.subplots(1, 3)
    months = list(stats.by_month)
    by_month.bar(months, [stats.by_month[m] for m in months], color="#4a78b5")
    by_month.set_title("月別" if ja else "By month")
    by_month.tick_params(axis="x", rotation=45)
    kinds = [label(KINDS, k, lang) for k in stats.by_kind]
    by_kind.barh(kinds[::-1], list(stats.by_kind.values())[::-1], color="#c0504d")
    by_kind.set_title("行為の種類別" if ja else "By kind")
    places = [label(PLACES, p, lang) for p in stats.by_place]
    by_place.bar(places, list(stats.by_place.values()), color="#9bbb59")
    by_place.set_title("場所別" if ja else "By place")
    for axis in (by_month.yaxis, by_kind.xaxis, by_place.yaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()
