"""Scoring routing against a labelled set: the numbers behind `familieveiviser nlu eval`.

A labelled line is `{"text", "expected": [slug or meta intent, ...], "crisis"}`. Top-1 counts when
the first suggested service is one of the expected slugs, top-3 when any of the first three is;
meta lines count when the predicted intent is the expected meta intent.
"""

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.routing import Route
from nlu.interpretation import CrisisLevel, MetaIntent

_META = frozenset(MetaIntent)


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    expected: tuple[str, ...]
    crisis: CrisisLevel

    @property
    def is_meta(self) -> bool:
        return bool(self.expected) and self.expected[0] in _META


class LabelledSetError(ValueError):
    """A labelled file that cannot be read; the message names the line."""


def read_labelled(path: Path) -> list[Labelled]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(
                Labelled(str(raw["text"]), tuple(raw["expected"]), CrisisLevel(raw["crisis"]))
            )
        except (ValueError, KeyError, TypeError) as error:
            raise LabelledSetError(f"{path}:{number}: {error}") from error
    return items


@dataclass(frozen=True, slots=True)
class Scores:
    messages: int
    top1: float
    top3: float
    meta_accuracy: float
    acute_recall: float
    any_risk_recall: float
    false_acute_rate: float
    confusions: list[tuple[str, str, int]] = field(default_factory=list)

    def lines(self, engine: str) -> list[str]:
        rows = [
            f"engine            {engine}",
            f"messages          {self.messages}",
            f"top-1 accuracy    {self.top1:.3f}",
            f"top-3 accuracy    {self.top3:.3f}",
            f"meta accuracy     {self.meta_accuracy:.3f}",
            f"acute recall      {self.acute_recall:.3f}",
            f"any-risk recall   {self.any_risk_recall:.3f}",
            f"false-acute rate  {self.false_acute_rate:.3f}  (on calm messages)",
            "most common confusions (expected -> got: count):",
        ]
        rows += [f"  {want} -> {got}: {count}" for want, got, count in self.confusions]
        return rows


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def _level(route: Route) -> CrisisLevel:
    return route.interpretation.crisis.level


def _answer(route: Route) -> str:
    return route.services[0] if route.services else route.interpretation.intent


def score(items: Sequence[Labelled], routes: Sequence[Route], most: int = 10) -> Scores:
    """Compare each labelled line with the route produced for its text."""
    pairs = list(zip(items, routes, strict=True))
    services = [(item, r) for item, r in pairs if not item.is_meta]
    meta = [(item, r) for item, r in pairs if item.is_meta]
    acute = [r for item, r in pairs if item.crisis == CrisisLevel.ACUTE]
    risky = [r for item, r in pairs if item.crisis != CrisisLevel.NONE]
    calm = [r for item, r in pairs if item.crisis == CrisisLevel.NONE]
    confusions: Counter[tuple[str, str]] = Counter()
    for item, r in services:
        if not r.services or r.services[0] not in item.expected:
            confusions[(item.expected[0], _answer(r))] += 1
    for item, r in meta:
        if r.interpretation.intent != item.expected[0]:
            confusions[(item.expected[0], r.interpretation.intent)] += 1
    return Scores(
        messages=len(pairs),
        top1=_ratio(
            sum(bool(r.services) and r.services[0] in i.expected for i, r in services),
            len(services),
        ),
        top3=_ratio(
            sum(bool(set(r.services[:3]) & set(i.expected)) for i, r in services), len(services)
        ),
        meta_accuracy=_ratio(
            sum(r.interpretation.intent == i.expected[0] for i, r in meta), len(meta)
        ),
        acute_recall=_ratio(sum(_level(r) == CrisisLevel.ACUTE for r in acute), len(acute)),
        any_risk_recall=_ratio(sum(_level(r) != CrisisLevel.NONE for r in risky), len(risky)),
        false_acute_rate=_ratio(sum(_level(r) == CrisisLevel.ACUTE for r in calm), len(calm))
        if calm
        else 0.0,
        confusions=[(w, g, n) for (w, g), n in confusions.most_common(most)],
    )


def texts_of(items: Iterable[Labelled]) -> list[str]:
    return [item.text for item in items]
