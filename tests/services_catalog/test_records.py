"""Validation of service records: every mistake names the record and the field."""

import re
from pathlib import Path
from typing import Any

import pytest
from catalog_factories import catalogue_data, service_data

from services_catalog.datafile import load_datafile
from services_catalog.problems import CatalogueError, Problem, parse_catalogue
from services_catalog.topics import Topic, topic_label


def problems_for(**overrides: Any) -> list[Problem]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(catalogue_data(service_data("ppt") | overrides))
    return caught.value.problems


def hours(opens: str, closes: str, **extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": "phone",
            "value": "116 111",
            "label": {"nb": "Ring"},
            "hours": [{"days": ["mon"], "opens": opens, "closes": closes, **extra}],
        }
    ]


def test_valid_service_parses() -> None:
    parsed = parse_catalogue(catalogue_data(service_data("ppt")))
    assert parsed.services[0].contacts[0].value == "+4721234599"


@pytest.mark.parametrize("number", ["113", "116 111", "116 123", "800 33 321", "02800", "116 006"])
def test_norwegian_short_and_service_numbers_are_accepted(number: str) -> None:
    contact = {"kind": "phone", "value": number, "label": {"nb": "Ring"}, "always_open": True}
    parse_catalogue(catalogue_data(service_data("ppt", contacts=[contact])))


def test_bad_phone_number_names_record_and_field() -> None:
    contact = {"kind": "phone", "value": "12 34", "label": {"nb": "Ring"}}
    [problem] = problems_for(contacts=[contact])
    assert problem.record == "ppt"
    assert problem.field == "contacts[0].value"
    assert "phone number" in problem.message


def test_unknown_topic_names_the_topic() -> None:
    [problem] = problems_for(topics=["mental-health", "astrology"])
    assert problem.record == "ppt"
    assert problem.field.startswith("topics[1]")
    assert "unknown topic 'astrology'" in problem.message


def test_hour_25_is_impossible() -> None:
    [problem] = problems_for(contacts=hours("08:00", "25:00"))
    assert problem.field == "contacts[0].hours[0].closes"
    assert "does not exist" in problem.message


def test_closing_before_opening_needs_an_explicit_past_midnight() -> None:
    [problem] = problems_for(contacts=hours("22:00", "02:00"))
    assert problem.field == "contacts[0].hours[0]"
    assert "past_midnight" in problem.message
    parse_catalogue(
        catalogue_data(service_data("ppt", contacts=hours("22:00", "02:00", past_midnight=True)))
    )


def test_end_of_day_is_written_as_24() -> None:
    parse_catalogue(catalogue_data(service_data("ppt", contacts=hours("00:00", "24:00"))))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"min_age": 12, "max_age": 6}, ""),
        ({"slug": "Helse Stasjon"}, "slug"),
        (
            {"contacts": [{"kind": "web", "value": "http://x.no", "label": {"nb": "Les"}}]},
            "contacts[0].value",
        ),
        (
            {"contacts": [{"kind": "email", "value": "not-an-address", "label": {"nb": "Skriv"}}]},
            "contacts[0].value",
        ),
        ({"status": "temporarily_closed"}, ""),
        ({"areas": []}, ""),
        ({"roles": ["grandparent"]}, "roles[0]"),
        ({"summery": {"nb": "typo"}}, "summery"),
    ],
)
def test_each_mistake_is_reported_on_its_field(overrides: dict[str, Any], field: str) -> None:
    problems = problems_for(**overrides)
    assert problems and all(problem.field == field for problem in problems), problems


def test_every_problem_in_a_file_is_listed_at_once() -> None:
    data = catalogue_data(
        service_data("ppt", topics=["nope"]),
        service_data("barnevern", contacts=hours("08:00", "25:00")),
        service_data("ppt"),
    )
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data)
    records = [problem.record for problem in caught.value.problems]
    assert records == ["ppt", "barnevern", "ppt"]
    assert "barnevern: contacts[0].hours[0].closes" in str(caught.value)


def test_service_of_an_unknown_organization_is_refused() -> None:
    data = {"organizations": [], "services": [service_data("ppt")]}
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data)
    assert caught.value.problems == [
        Problem("ppt", "organization", "unknown organization 'Eksempel kommune'")
    ]


def test_equal_opening_rules_are_merged_into_one_canonical_entry() -> None:
    contact = {
        "kind": "phone",
        "value": "116 111",
        "label": {"nb": "Ring"},
        "hours": [
            {"days": ["fri", "mon"], "opens": "08:00", "closes": "15:30"},
            {"days": ["wed"], "opens": "08:00", "closes": "15:30"},
        ],
    }
    parsed = parse_catalogue(catalogue_data(service_data("ppt", contacts=[contact])))
    [entry] = parsed.services[0].contacts[0].hours
    assert [day.value for day in entry.days] == ["mon", "wed", "fri"]


def test_every_topic_has_a_label_in_each_language() -> None:
    for topic in Topic:
        labels = {topic_label(topic, language) for language in ("nb", "nn", "en")}
        assert all(labels)
    assert topic_label("self-harm", "nn") == "Sjølvskading"
    assert topic_label("self-harm", "other") == "Selvskading"


def test_the_data_file_example_in_the_readme_is_valid() -> None:
    readme = Path(__file__).parents[2] / "services_catalog" / "README.md"
    example = re.search(r"```yaml\n(.*?)```", readme.read_text("utf-8"), re.DOTALL)
    assert example is not None
    [service] = load_datafile(example[1]).services
    assert service.contacts[0].hours[1].past_midnight
