"""Chart geometry for the statistics page: plain numbers the template turns into inline SVG.

No JavaScript and no chart library: bars are rectangles computed here, so the template only
draws them. Every chart also has its numbers in a table next to it (the SVG is a picture of
the table, with a <title> and <desc> for screen readers).
"""

import math
from dataclasses import dataclass
from datetime import date

from admin.statistics.figures import DayCount
from bot.models import Channel

DAILY_WIDTH, DAILY_HEIGHT = 720, 260
DAILY_LEFT, DAILY_BOTTOM, DAILY_TOP = 40, 28, 10
TOPIC_WIDTH, TOPIC_ROW, TOPIC_LABEL = 720, 26, 300
MAX_X_LABELS = 10


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css_class: str
    tooltip: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    rects: list[Rect]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    labels: list[Tick]  # horizontal charts: the row labels (position = baseline y)
    values: list[Tick]  # horizontal charts: the value after each bar


def nice_ceiling(value: int) -> int:
    """A round axis maximum at or above `value`: 1, 2, 5, 10, 20, 50, …"""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _short_date(day: date) -> str:
    return day.strftime("%d.%m")


def daily_chart(per_day: list[DayCount], channels: list[Channel]) -> BarChart:
    """Conversations per day as bars stacked by channel."""
    top = nice_ceiling(max((entry.total for entry in per_day), default=0))
    plot_width = DAILY_WIDTH - DAILY_LEFT
    plot_height = DAILY_HEIGHT - DAILY_BOTTOM - DAILY_TOP
    slot = plot_width / max(len(per_day), 1)
    rects: list[Rect] = []
    for index, entry in enumerate(per_day):
        base: float = DAILY_HEIGHT - DAILY_BOTTOM
        for channel in channels:
            count = entry.by_channel.get(channel, 0)
            if not count:
                continue
            height = plot_height * count / top
            base -= height
            tip = f"{_short_date(entry.day)}: {count} ({channel.value})"
            x = DAILY_LEFT + index * slot + slot * 0.1
            rects.append(Rect(x, base, slot * 0.8, height, f"bar-{channel.value}", tip))
    every = math.ceil(len(per_day) / MAX_X_LABELS) or 1
    x_ticks = [
        Tick(DAILY_LEFT + (index + 0.5) * slot, _short_date(entry.day))
        for index, entry in enumerate(per_day)
        if index % every == 0
    ]
    y_ticks = [
        Tick(DAILY_HEIGHT - DAILY_BOTTOM - plot_height * share, str(round(top * share)))
        for share in (0, 0.5, 1)
        if top * share == round(top * share)
    ]
    return BarChart(DAILY_WIDTH, DAILY_HEIGHT, rects, x_ticks, y_ticks, [], [])


def topic_chart(rows: list[tuple[str, int]]) -> BarChart:
    """Horizontal bars, one per (label, count) row, longest first as given."""
    top = max((count for _, count in rows), default=0) or 1
    bar_space = TOPIC_WIDTH - TOPIC_LABEL - 50
    rects, labels, values = [], [], []
    for index, (label, count) in enumerate(rows):
        y = index * TOPIC_ROW + 4
        width = bar_space * count / top
        rects.append(Rect(TOPIC_LABEL, y, width, TOPIC_ROW - 8, "bar-topic", f"{label}: {count}"))
        labels.append(Tick(y + TOPIC_ROW / 2, label))
        values.append(Tick(TOPIC_LABEL + width + 6, str(count)))
    height = max(len(rows), 1) * TOPIC_ROW
    return BarChart(TOPIC_WIDTH, height, rects, [], [], labels, values)
