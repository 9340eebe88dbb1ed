"""The statistics as CSV for spreadsheets: one row per figure (section; key; value).

Semicolon-separated with decimal commas, as Norwegian spreadsheet programs expect. Keys are
the stable codes (topic slugs, service slugs, channel and outcome values), not display names,
so a municipality can compare exports over time.
"""

import csv
import io
from collections.abc import Iterator

from admin.statistics.figures import Statistics

CSV_HEADER = ("seksjon", "nøkkel", "verdi")
Row = tuple[str, str, str]


def decimal(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}".replace(".", ",")


def _rows(stats: Statistics) -> Iterator[Row]:
    yield ("periode", "fra", stats.period.first.isoformat())
    yield ("periode", "til", stats.period.last.isoformat())
    yield ("samtaler", "totalt", str(stats.conversations))
    for entry in stats.per_day:
        yield ("samtaler_per_dag", entry.day.isoformat(), str(entry.total))
        for channel, count in sorted(entry.by_channel.items()):
            yield ("samtaler_per_dag_og_kanal", f"{entry.day.isoformat()} {channel}", str(count))
    for channel, count in stats.per_channel.items():
        yield ("kanal", channel.value, str(count))
    for section, ranked in (
        ("tema", stats.topics),
        ("foreslatt_tjeneste", stats.services_suggested),
        ("udekket_behov", stats.unmet_needs),
    ):
        for key, count in ranked:
            yield (section, key, str(count))
    for level, count in stats.crisis.items():
        yield ("krise", level.value, str(count))
    yield ("overforing_til_ansatt", "antall", str(stats.handoffs))
    yield ("overforing_til_ansatt", "andel", decimal(stats.handoff_rate, 4))
    yield ("ventetid_sekunder", "antall", str(stats.waiting.count))
    yield ("ventetid_sekunder", "median", decimal(stats.waiting.median, 1))
    yield ("ventetid_sekunder", "p90", "" if stats.waiting.p90 is None else str(stats.waiting.p90))
    for outcome, count in stats.outcomes.items():
        yield ("utfall", outcome.value, str(count))
    yield ("vurdering", "antall", str(stats.ratings.count))
    yield ("vurdering", "snitt", decimal(stats.ratings.average))
    for score, count in stats.ratings.distribution.items():
        yield ("vurdering", str(score), str(count))
    for answer, label in ((True, "ja"), (False, "nei")):
        yield ("hjalp_dette", label, str(stats.helpful.get(answer, 0)))


def _safe(cell: str) -> str:
    # Spreadsheets run cells starting with these as formulas; keys come from stored lists.
    return "'" + cell if cell[:1] in {"=", "+", "@", "\t", "\r"} else cell


def render_statistics_csv(stats: Statistics) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(tuple(_safe(cell) for cell in row) for row in _rows(stats))
    return buffer.getvalue()
