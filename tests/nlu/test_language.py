"""Language detection: Bokmål by default, Nynorsk and English by their markers, other otherwise."""

import pytest

from nlu.interpretation import Language
from nlu.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sønnen min blir mobbet på skolen, hva gjør jeg?", Language.BOKMAAL),
        ("hei", Language.BOKMAAL),
        ("", Language.BOKMAAL),
        ("🙂", Language.BOKMAAL),
        ("Eg veit ikkje kva eg skal gjere", Language.NYNORSK),
        ("Korleis kan eg få hjelp heime?", Language.NYNORSK),
        ("Dottera mi er berre 12 og har det vondt", Language.NYNORSK),
        ("My son is being bullied at school, what can I do?", Language.ENGLISH),
        ("I'm 15 and I need help", Language.ENGLISH),
        ("hi", Language.ENGLISH),
        ("Mein Sohn wird in der Schule gemobbt, ich weiss nicht was ich tun soll", Language.OTHER),
        ("Mój syn jest w szkole, nie wiem co robić", Language.OTHER),
        ("Мой сын в школе", Language.OTHER),
        ("ابني يتعرض للتنمر في المدرسة", Language.OTHER),
        ("我的孩子在学校被欺负", Language.OTHER),
        ("Jag vet inte vad jag ska göra", Language.BOKMAAL),
        ("min sønn is bullied at skolen, hjelp", Language.BOKMAAL),
    ],
)
def test_detect_language(text: str, language: Language) -> None:
    assert detect_language(text) == language


def test_a_bokmaal_message_with_og_stays_bokmaal() -> None:
    # «og» must not count as Nynorsk «òg»: the answer would switch to Nynorsk for no reason.
    assert (
        detect_language("datteren min på 14 sover veldig dårlig og er lei seg") == Language.BOKMAAL
    )
