"""Age and writer role: every way people write a child's age, and who is writing."""

import pytest

from nlu.entities import Entities, extract_entities
from nlu.interpretation import Role


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Sønnen min på 8 blir mobbet", 8),
        ("jenta mi på snart 13 vil ikke spise", 12),
        ("Jeg har en 8-åring som ikke sover", 8),
        ("min 8åring", 8),
        ("Vi har en åtteåring som sliter", 8),
        ("eg har ein femåring", 5),
        ("tolvåringen vår gråter hver dag", 12),
        ("Datteren min er 15 år", 15),
        ("han er 15 år gammel", 15),
        ("gutten er 15 år gml", 15),
        ("Hun går i 3. klasse", 8),
        ("sønnen min går i 3.klasse", 8),
        ("hun går i tredje klasse", 8),
        ("Han går i tiende", 15),
        ("dattera mi går i 10. klasse", 15),
        ("eleven går på 8. trinn", 13),
        ("sønnen min går på ungdomsskolen", 14),
        ("dottera mi går på ungdomsskulen", 14),
        ("datteren min går på vgs", 17),
        ("han går på videregående", 17),
        ("hun går vg2", 17),
        ("gutten min går på barneskolen", 9),
        ("Jeg har en baby på 4 mnd som gråter mye", 0),
        ("babyen er 4 måneder", 0),
        ("han er 18 måneder gammel", 1),
        ("sønnen vår på 6 uker", 0),
        ("hun er 2,5 år", 2),
        ("jenta mi er 2.5 år og biter", 2),
        ("han er nesten 13", 12),
        ("datteren min er snart 16 år", 15),
        ("jeg er 15", 15),
        ("Jeg er 15 år og blir mobbet", 15),
        ("eg er 14 og ho mora mi drikk", 14),
        ("æ e 16 år", 16),
        ("I'm 15 and I need help", 15),
        ("my 8 year old son is being bullied", 8),
        ("my son is 8 years old", 8),
        ("my daughter is 12", 12),
        ("she is in 3rd grade", 8),
        ("fjortisen min er sur hele tiden", 14),
        ("ho er åtte år", 8),
        ("han er fjorten år gammel", 14),
        ("hvordan snakker jeg med tenåringen min om alkohol", 15),
        ("my teenager never leaves his room", 15),
        ("vi har en tenåring på 13 som", 13),
        ("a ten-year-old who cannot sleep", 10),
    ],
)
def test_age_forms(text: str, age: int) -> None:
    assert extract_entities(text).age == age


@pytest.mark.parametrize(
    "text",
    [
        "Vi har ventet på svar i 8 uker",
        "Jeg har ringt 3 ganger",
        "kan jeg få time på 2 dager",
        "klassen har 25 elever",
        "hei",
        "",
        "Jeg er 45 og lurer på hvor jeg kan få hjelp til økonomi",
        "på en måte er det vanskelig",
        "det koster 500 kr",
        "for 2 år siden flyttet vi",
    ],
)
def test_no_age_where_there_is_none(text: str) -> None:
    assert extract_entities(text).age is None


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Sønnen min blir mobbet", Role.PARENT),
        ("dattera mi er lei seg", Role.PARENT),
        ("barnet mitt sover ikke", Role.PARENT),
        ("jeg er mamma til en gutt på 7", Role.PARENT),
        ("jeg har to barn og lite penger", Role.PARENT),
        ("Min datter vil ikke på skolen", Role.PARENT),
        ("my son is being bullied", Role.PARENT),
        ("jeg er 15", Role.YOUTH),
        ("jeg går på ungdomsskolen og har ingen venner", Role.YOUTH),
        ("eg går på vgs", Role.YOUTH),
        ("I'm 16 and pregnant", Role.YOUTH),
        ("jeg er 10 år", Role.CHILD),
        ("jeg går i 4. klasse", Role.CHILD),
        ("mamma slår meg", Role.CHILD),
        ("pappa er full og kjefter på meg", Role.CHILD),
        ("jeg er 14 og mamma slår meg", Role.YOUTH),
        ("Jeg er lærer og bekymret for en elev", Role.PROFESSIONAL),
        ("en elev i klassen min har blåmerker", Role.PROFESSIONAL),
        ("jeg er barnehagelærer", Role.PROFESSIONAL),
        ("Jeg er trener for et fotballag", Role.PROFESSIONAL),
        ("vi på skolen er bekymret for en gutt", Role.PROFESSIONAL),
        ("jeg jobber som helsesykepleier", Role.PROFESSIONAL),
        ("læreren min er slem", Role.YOUTH),
    ],
)
def test_writer_role(text: str, role: Role) -> None:
    assert extract_entities(text).role == role


def test_parent_writer_gives_the_childs_age_not_their_own() -> None:
    entities = extract_entities("Jeg er 19 og har en baby på 4 mnd")
    assert entities == extract_entities("jeg er 19 og har en baby på 4 mnd")
    assert entities.role is Role.PARENT
    assert entities.age == 0


def test_parents_own_age_is_not_the_age() -> None:
    entities = extract_entities("jeg er 38 og sønnen min på 9 blir mobbet")
    assert (entities.age, entities.role) == (9, Role.PARENT)


def test_professional_keeps_the_pupils_age() -> None:
    entities = extract_entities("Jeg er lærer for en elev på 12 som ikke spiser")
    assert (entities.age, entities.role) == (12, Role.PROFESSIONAL)


def test_bare_years_count_but_durations_do_not() -> None:
    assert extract_entities("jeg er gravid og 16 år").age == 16
    assert extract_entities("jeg er gravid og 16 år").role is Role.YOUTH
    assert extract_entities("vi har bodd her i 2 år").age is None
    assert extract_entities("om 3 år skal vi flytte").age is None


def test_writer_mentioning_own_parents_is_young() -> None:
    assert extract_entities("får foreldrene mine vite det?").role is Role.YOUTH


@pytest.mark.parametrize(
    ("text", "age", "role"),
    [
        ("noen har delt bilder av meg. er 17", 17, Role.YOUTH),
        ("hva gjør jeg nå?? er 15", 15, Role.YOUTH),
        ("Er 16 og lurer på noe", 16, Role.YOUTH),
        ("gutt 14, lurer på en ting", 14, Role.YOUTH),
        ("hei. e 9 år. storebror e slem", 9, Role.CHILD),
        ("sønnen min er 15, er det normalt?", 15, Role.PARENT),
        ("jenta vår er 8 og vil ikke sove", 8, Role.PARENT),
        ("datteren vår (10) snakker ikke på skolen", 10, Role.PARENT),
        ("where can my daughter (15) meet other teens", 15, Role.PARENT),
        ("dattera mi, 12, har eksem", 12, Role.PARENT),
        ("One of my pupils (9) seems very tired", 9, Role.PROFESSIONAL),
    ],
)
def test_own_age_without_jeg_and_a_childs_age_after_min(text: str, age: int, role: Role) -> None:
    assert extract_entities(text) == Entities(age, role)


@pytest.mark.parametrize(
    "text",
    [
        "det er 15 minutter siden",
        "Klokka er 17 nå",
        "vi er 5 i familien",
        "har ringt om gutten min 3 ganger",
    ],
)
def test_numbers_after_er_that_are_not_ages(text: str) -> None:
    assert extract_entities(text).age is None


@pytest.mark.parametrize(
    "text",
    [
        "I lost my job and I have a 4 year old",
        "jeg har en 4-åring som ikke vil sove",
        "vi har ei 3-åring",
        "baby 3 weeks old, fever since this morning",
    ],
)
def test_someone_writing_about_a_preschooler_is_a_parent(text: str) -> None:
    assert extract_entities(text).role is Role.PARENT
