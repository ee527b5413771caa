"""The progress report's chart: milestones per theme and indicators against targets (PNG).

Built with `Figure` rather than pyplot: pyplot keeps global state and the bot
renders on several threads. The Japanese font (IPAexGothic) ships inside the
matplotlib-fontja package, so nothing is fetched at run time.
"""

from __future__ import annotations

import io

import matplotlib_fontja  # noqa: F401  (registers IPAexGothic as the default family)
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.report import IndicatorLine, Report
from bot.render.report_md import for_files, grouped

JA_FONT = "IPAexGothic"
_REACHED, _PLANNED, _TARGET = "#4a78b5", "#c9c9c9", "#c0504d"
_OVERDUE = "#e6a23c"
# The same three lists the Markdown, DOCX and XLSX print under ⑤, so every format agrees.
MILESTONE_BARS = (
    ("達成済み", _REACHED),
    ("期限を過ぎた未達成", _OVERDUE),
    ("今後の予定", _PLANNED),
)
# Fixed metadata keeps the bytes the same for the same report.
_PNG_METADATA = {"Software": None}


def indicator_progress(line: IndicatorLine) -> float | None:
    """How far the latest value has come from baseline (0%) to target (100%); None if unknown."""
    if line.latest is None or line.target is None:
        return None
    baseline = line.baseline if line.baseline is not None else 0.0
    if line.target == baseline:
        return 100.0 if line.achieved else None
    return (line.latest - baseline) / (line.target - baseline) * 100


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])


def milestone_counts(report: Report) -> list[tuple[str, int, int, int]]:
    """(code, reached, overdue, planned next) per theme with any milestone, in report order."""
    rows = [(s.code, len(s.reached), len(s.overdue), len(s.upcoming)) for s in report.sections()]
    return [r for r in rows if any(r[1:])]


def _milestones(ax: Axes, report: Report) -> None:
    ax.set_title(f"マイルストーン（{report.as_of_label}）")
    rows = milestone_counts(report)[::-1]
    if not rows:
        _empty(ax, "マイルストーンの登録なし")
        return
    y = range(len(rows))
    for k, (label, color) in enumerate(MILESTONE_BARS):
        counts = [row[k + 1] for row in rows]
        ax.barh([i + 0.27 * (1 - k) for i in y], counts, height=0.27, color=color, label=label)
    ax.set_yticks(list(y), [row[0] for row in rows])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(n for row in rows for n in row[1:]) * 1.6)  # room for the legend
    ax.set_xlabel("件数")
    ax.legend(loc="lower right", fontsize=8)


def _indicators(ax: Axes, report: Report) -> None:
    ax.set_title("指標の達成度（基準値 0% → 目標値 100%）")
    lines = [(s.code, i) for s in report.sections() for i in s.indicators]
    if not lines:
        _empty(ax, "指標の登録なし")
        return
    labels = [f"{code} {i.name}" for code, i in lines][::-1]
    progress = [indicator_progress(i) for _, i in lines][::-1]
    y = list(range(len(labels)))
    ax.barh(y, [p or 0.0 for p in progress], height=0.5, color=_REACHED)
    ax.axvline(100, color=_TARGET, linestyle="--", linewidth=1.2, label="目標")
    for yi, (_, line), p in zip(y, lines[::-1], progress, strict=True):
        unit = line.unit
        text = (
            f"{grouped(line.latest)}{unit} / 目標 {grouped(line.target)}{unit}"
            if p is not None
            else "値なし"
        )
        ax.text(max(p or 0.0, 0.0) + 2, yi, text, va="center", fontsize=8)
    ax.set_yticks(y, labels)
    top = max([100.0, *(p for p in progress if p is not None)])
    ax.set_xlim(min([0.0, *(p for p in progress if p is not None)]), top * 1.45)
    ax.set_xlabel("%")
    ax.legend(loc="lower right", fontsize=8)


def report_chart(report: Report) -> Figure:
    """Two panels: milestones reached, overdue and planned per theme; indicators vs targets."""
    report = for_files(report)
    rows = max(len(report.sections()), 1)
    fig = Figure(figsize=(13, max(3.5, 1.2 + rows * 0.35)))
    FigureCanvasAgg(fig)
    fig.suptitle(f"{report.ward} 進捗状況（{report.as_of_label}）")
    left, right = fig.subplots(1, 2)
    _milestones(left, report)
    _indicators(right, report)
    fig.tight_layout()
    return fig


def report_chart_png(report: Report) -> bytes:
    """The chart as PNG bytes (the same bytes for the same report)."""
    fig = report_chart(report)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata=_PNG_METADATA)
    return buf.getvalue()
