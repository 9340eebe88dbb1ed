"""The learned second opinion on crisis: its examples file, what it catches, how it combines.

The fresh phrasings here are written for this test and are not in the examples file (a test
checks that), so they show whether the model generalises beyond what it was trained on.
"""

from collections import Counter
from pathlib import Path

import httpx
import pytest

from nlu.crisis import detect_crises, detect_crisis, with_second_opinion
from nlu.crisis_examples import CrisisExamplesError, load_crisis_examples
from nlu.crisis_model import (
    EXAMPLES_FILE,
    MAX_FALSE_ACUTE,
    CrisisModel,
    CrisisOpinion,
    load_crisis_model,
)
from nlu.interpretation import Crisis, CrisisKind, CrisisLevel
from nlu.normalisation import normalise
from nlu.rasa_engine import RasaEngine

FRESH_RISK = [
    "jeg orker ikke å være til bry lenger, snart er dere kvitt meg",
    "har skrevet et siste brev og lagt det under puta",
    "vil bare at alt skal bli stille for alltid",
    "jeg har sagt unnskyld til alle og nå er jeg klar",
    "tenker å gå ut i sjøen i natt",
    "min datter har gitt bort alle smykkene sine og sier hun ikke trenger dem",
    "føler meg som en byrde, det hadde vært lettere for alle uten meg",
    "han drikker og kaster stoler etter mamma akkurat nå",
    "kjæresten slår meg og jeg har gjemt meg på do",
    "vennen min har svelget en hel pakke sovetabletter",
    "i dont wanna wake up tomorrow",
    "eg orkar ikkje vere til lenger",
    "det er ingen vits å fortsette sånn",
    "jeg har ikke lyst til å leve mer",
]
FRESH_IDIOMS = [
    "haha jeg døde da jeg så den memen",
    "vi dreper litt tid før trening",
    "husk å slå av mobilen i timen",
    "han skjøt seg selv i foten i debatten",
    "det tar livet av meg hvor kjedelig det er å vente",
    "jeg brenner for håndball",
    "jeg kommer til å dø av kjedsomhet i mattetimen lol",
    "vi skal skrive en oppgave om selvmordsforebygging",
    "hvordan får jeg plass i barnehagen til sønnen min",
    "ser mamma det jeg skriver her?",
]


@pytest.fixture(scope="module")
def model() -> CrisisModel:
    return load_crisis_model()


def test_fresh_phrasings_are_not_in_the_examples_file() -> None:
    known = {normalise(example.text) for example in load_crisis_examples(EXAMPLES_FILE)}
    assert not known & {normalise(text) for text in FRESH_RISK + FRESH_IDIOMS}


def test_the_examples_file_has_the_promised_variety() -> None:
    examples = load_crisis_examples(EXAMPLES_FILE)
    counts = {level: sum(e.level is level for e in examples) for level in CrisisLevel}
    assert counts[CrisisLevel.ACUTE] >= 600
    assert counts[CrisisLevel.CONCERN] >= 400
    assert counts[CrisisLevel.NONE] >= 900
    # Every kind has enough examples of its own, so no kind is learned from a handful of lines.
    per_kind = Counter((e.level, e.kind) for e in examples if e.kind is not None)
    assert min(per_kind.values()) >= 45, per_kind


def test_model_raises_fresh_indirect_phrasings_to_at_least_concern(model: CrisisModel) -> None:
    missed = [
        text
        for text, opinion in zip(FRESH_RISK, model.assess(FRESH_RISK), strict=True)
        if opinion.level is CrisisLevel.NONE
    ]
    # One miss in fourteen is what the model does today; more means it got worse.
    assert len(missed) <= 1, missed


def test_model_keeps_idioms_and_ordinary_questions_at_none(model: CrisisModel) -> None:
    opinions = model.assess(FRESH_IDIOMS)
    raised = [
        t for t, o in zip(FRESH_IDIOMS, opinions, strict=True) if o.level is not CrisisLevel.NONE
    ]
    assert raised == []


def test_model_names_the_kind_it_raises(model: CrisisModel) -> None:
    violence, overdose = model.assess(
        [
            "han drikker og kaster stoler etter mamma akkurat nå",
            "vennen min har svelget en hel pakke sovetabletter",
        ]
    )
    assert violence.kind is CrisisKind.VIOLENCE_NOW
    assert overdose.kind is CrisisKind.OVERDOSE


def test_engine_level_detection_adds_what_the_rules_miss(model: CrisisModel) -> None:
    text = "har skrevet et siste brev og lagt det under puta"
    assert detect_crisis(text).level is CrisisLevel.NONE  # the rules alone
    combined = detect_crisis(text, model=model)
    assert combined.level is not CrisisLevel.NONE
    assert combined.kinds


@pytest.mark.parametrize("rule_level", list(CrisisLevel))
@pytest.mark.parametrize("model_level", list(CrisisLevel))
def test_combination_never_lowers_a_rules_level(
    rule_level: CrisisLevel, model_level: CrisisLevel
) -> None:
    rules = Crisis(rule_level, () if rule_level is CrisisLevel.NONE else (CrisisKind.ABUSE,))
    kind = None if model_level is CrisisLevel.NONE else CrisisKind.VIOLENCE_NOW
    combined = with_second_opinion(rules, CrisisOpinion(model_level, kind))
    order = list(CrisisLevel).index  # none, concern, acute
    assert order(combined.level) == max(order(rule_level), order(model_level))
    assert set(rules.kinds) <= set(combined.kinds)


def test_combination_never_lowers_rules_on_real_texts(model: CrisisModel) -> None:
    texts = [
        "jeg vil ta livet mitt",
        "pappa er full og slår mamma nå",
        "har tatt masse piller",
        "jeg døde av latter",
        "orker ikke mer",
        *FRESH_IDIOMS,
    ]
    order = list(CrisisLevel).index
    for text, alone, combined in zip(
        texts, detect_crises(texts), detect_crises(texts, model=model), strict=True
    ):
        assert order(combined.level) >= order(alone.level), text


def test_a_crisis_line_at_the_end_of_a_long_message_is_not_drowned(model: CrisisModel) -> None:
    calm = "Vi har hatt en fin helg med fotball og kino. " * 60
    (opinion,) = model.assess([calm + "Jeg har skrevet et siste brev og lagt det under puta."])
    assert opinion.level is not CrisisLevel.NONE
    assert model.assess([calm])[0].level is CrisisLevel.NONE


def test_bad_input_gives_no_opinion_rather_than_an_error(model: CrisisModel) -> None:
    for text in ["", "   ", "🙂🙂🙂", "\x00\x01", "x" * 20_000, "<script>alert(1)</script>"]:
        assert model.assess([text])[0].level in set(CrisisLevel)


def test_cross_validated_false_acute_stays_within_budget(model: CrisisModel) -> None:
    assert model.cross_validated.false_acute <= MAX_FALSE_ACUTE
    assert model.cross_validated.acute_recall > 0.3


def test_model_is_cached_and_reused(tmp_path: Path) -> None:
    examples = tmp_path / "examples.yml"
    examples.write_text(EXAMPLES_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_crisis_model(examples, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("crisis-*.joblib"))) == 1
    load_crisis_model.cache_clear()
    again = load_crisis_model(examples, tmp_path / "cache")
    assert again.acute_threshold == first.acute_threshold
    assert again is not first
    assert again.assess(FRESH_RISK) == first.assess(FRESH_RISK)  # rebuilt from the file alone


def test_rasa_engine_gets_the_second_opinion(model: CrisisModel) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"intent": {"name": "nlu_fallback", "confidence": 0.2}})

    transport = httpx.MockTransport(answer)
    with RasaEngine(transport=transport, crisis_model=model) as engine:
        result = engine.interpret("har skrevet et siste brev og lagt det under puta")
    assert result.crisis.level is not CrisisLevel.NONE


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "examples.yml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_TAIL = "concern:\n  distress:\n    - trist\nnone:\n  - hei\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("acute:\n  suicide:\n    - vil dø\n  - oops: [\n", 4, "not valid YAML"),
        ("acute:\n  sucide:\n    - vil dø\n" + GOOD_TAIL, 2, "unknown crisis kind 'sucide'"),
        ("acute:\n  suicide:\n    - [vil, dø]\n" + GOOD_TAIL, 3, "plain text"),
        ("acute:\n  suicide: vil dø\n" + GOOD_TAIL, 2, "list of messages"),
        (
            "acute:\n  suicide:\n    - vil dø\n" + GOOD_TAIL + "maybe:\n  - x\n",
            9,
            "unknown section",
        ),
        ("acute:\n  suicide:\n    - vil dø\nnone:\n  - hei\n", 1, "`concern:` is missing"),
        ("acute:\n  suicide:\n    - hei\n" + GOOD_TAIL, 8, "same message as line 3"),
        ("- just a list\n", 1, "expected `acute:`"),
    ],
)
def test_malformed_examples_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CrisisExamplesError, match=message) as raised:
        load_crisis_examples(path)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"{path}:{line}:")


def test_well_formed_examples_file_loads_with_kinds_and_lines(tmp_path: Path) -> None:
    examples = load_crisis_examples(
        write(tmp_path, "acute:\n  suicide:\n    - vil dø\n" + GOOD_TAIL)
    )
    assert [(e.text, e.level, e.kind, e.line) for e in examples] == [
        ("vil dø", CrisisLevel.ACUTE, CrisisKind.SUICIDE, 3),
        ("trist", CrisisLevel.CONCERN, CrisisKind.DISTRESS, 6),
        ("hei", CrisisLevel.NONE, None, 8),
    ]
