"""The dashboard's charts as geometry for inline SVG: no chart library, no script.

Each function takes counts (from ``selectors.py``) and returns plain numbers in the chart's
own coordinate system (its ``viewBox``); the template draws rectangles and text from them and
styles them by CSS class, so the content security policy needs no inline styles.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from console.dashboard.selectors import DailySeries


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass
class Label:
    x: float
    y: float
    text: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    values: list[Label] = field(default_factory=list)
    rows: list[Label] = field(default_factory=list)
    left: float = 0
    right: float = 0
    baseline: float = 0


def nice_top(value: int, *, steps: int = 4) -> tuple[int, int]:
    """A round top for the y axis at or above ``value`` and its step (1, 2 or 5 times 10^n)."""
    if value <= steps:
        return max(value, 1), 1
    raw = value / steps
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step), step


def _day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def stacked_days(data: DailySeries, *, names: dict[str, str], width: int = 600, height: int = 250) -> Chart:
    """One bar per day, a segment per series stacked bottom up, the day's total on top."""
    left, right, top, bottom = 36, width - 16, 18, height - 28
    totals = [sum(values[n] for values in data.series.values()) for n in range(len(data.days))]
    peak, step = nice_top(max(totals, default=0))
    scale = (bottom - top) / peak
    chart = Chart(width=width, height=height, left=left, right=right, baseline=bottom)
    chart.ticks = [Tick(y=bottom - v * scale, label=f"{v:,}") for v in range(0, peak + 1, step)]
    slot = (right - left) / max(len(data.days), 1)
    bar_width = slot * 0.68
    # Every day labelled when there is room, else every other day (ending with today).
    every = 1 if slot >= 44 else 2
    for n, day in enumerate(data.days):
        x = left + n * slot + (slot - bar_width) / 2
        y = bottom
        for name, values in data.series.items():
            if values[n]:
                h = values[n] * scale
                y -= h
                title = f"{names.get(name, name)}, {_day_label(day)}: {values[n]}"
                chart.bars.append(Bar(x, y, bar_width, h, f"series-{name}", title))
        if totals[n]:
            chart.values.append(Label(x + bar_width / 2, y - 4, f"{totals[n]:,}"))
        if (len(data.days) - 1 - n) % every == 0:
            chart.labels.append(Label(x + bar_width / 2, bottom + 16, _day_label(day)))
    return chart


def small_multiples(
    data: DailySeries, *, levels: list[str], names: dict[str, str], width: int = 600, row_height: int = 40
) -> Chart:
    """One row of day bars per level, all on one scale, so a jump stands out in any row."""
    left, right, label_height = 180, width - 24, 22
    height = row_height * len(levels) + label_height
    peak = max((max(data.series.get(level, [0])) for level in levels), default=0) or 1
    chart = Chart(width=width, height=height, left=left, right=right, baseline=row_height * len(levels))
    slot = (right - left) / max(len(data.days), 1)
    bar_width = max(slot * 0.7, 1)
    for r, level in enumerate(levels):
        values = data.series.get(level, [0] * len(data.days))
        floor = (r + 1) * row_height - 6
        usable = row_height - 16
        chart.rows.append(Label(0, floor - usable / 2 + 4, f"{names[level]}: {sum(values):,}"))
        chart.ticks.append(Tick(y=floor, label=""))
        for n, day in enumerate(data.days):
            if values[n]:
                h = max(values[n] / peak * usable, 2)
                chart.bars.append(
                    Bar(
                        left + n * slot + (slot - bar_width) / 2,
                        floor - h,
                        bar_width,
                        h,
                        f"series-{level}",
                        f"{names[level]}, {_day_label(day)}: {values[n]}",
                    )
                )
    for n, day in enumerate(data.days):
        if (len(data.days) - 1 - n) % 7 == 0:
            chart.labels.append(Label(left + n * slot + slot / 2, chart.baseline + 16, _day_label(day)))
    return chart


def horizontal_bars(counts: list[tuple[str, int]], *, width: int = 600, row_height: int = 32) -> Chart:
    """One labelled bar per bucket with its count at the end."""
    left, right = 90, width - 50
    height = row_height * len(counts) + 4
    peak = max((n for _, n in counts), default=0) or 1
    chart = Chart(width=width, height=height, left=left, right=right, baseline=height)
    for r, (label, n) in enumerate(counts):
        y = r * row_height + 6
        bar_height = row_height - 12
        w = n / peak * (right - left)
        chart.rows.append(Label(left - 8, y + bar_height / 2 + 5, label))
        chart.bars.append(Bar(left, y, max(w, 1 if n else 0), bar_height, f"age-{r}", f"{label}: {n}"))
        chart.values.append(Label(left + w + 6, y + bar_height / 2 + 5, f"{n:,}"))
    return chart
