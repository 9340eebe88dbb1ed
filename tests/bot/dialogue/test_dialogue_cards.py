"""Service cards and phone lines: tap-ready contacts, Norwegian number format, opening state."""

from datetime import date

import pytest
from dialogue_fakes import DUTY_OPENS, NOW, phone

from bot.dialogue.cards import build_card, describe_phones, format_phone
from nlu.interpretation import Language
from services_catalog.matching import ContactKind, ContactOpening, ServiceMatch, Urgency


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("+47113", "113"),
        ("+47116111", "116 111"),
        ("+4780033321", "800 33 321"),
        ("+4722400040", "22 40 00 40"),
        ("02800", "02800"),
    ],
)
def test_numbers_are_shown_the_norwegian_way(value: str, shown: str) -> None:
    assert format_phone(value) == shown


def service(*contacts: ContactOpening, open_now: bool = False) -> ServiceMatch:
    return ServiceMatch(
        slug="x",
        name="Alarmtelefonen",
        summary="s",
        score=1.0,
        reason="r",
        topics=(),
        urgency=Urgency.URGENT,
        free=True,
        anonymous=True,
        referral_required=True,
        open_now=open_now,
        next_opening=None if open_now else DUTY_OPENS,
        contacts=contacts,
        last_verified=date(2025, 2, 1),
    )


def test_a_phone_line_is_named_by_its_label_or_the_service() -> None:
    lines = describe_phones(
        [
            service(
                phone("+47113", "Ring 113 – medisinsk nødhjelp"), phone("+47116111", "Ring 116 111")
            )
        ]
    )

    assert lines == ["113 (medisinsk nødhjelp)", "116 111 (Alarmtelefonen)"]


def test_a_card_has_tap_ready_actions_badges_and_when_it_opens() -> None:
    chat = ContactOpening(
        ContactKind.CHAT, "https://www.116111.no/chat/", "Chat", False, False, DUTY_OPENS
    )
    sms = ContactOpening(ContactKind.SMS, "+47 41 71 61 11", "SMS", False, False, DUTY_OPENS)
    card = build_card(service(chat, sms), Language.ENGLISH, NOW)

    assert [action.url for action in card.actions] == [
        "https://www.116111.no/chat/",
        "sms:+4741716111",
    ]
    assert card.actions[0].display == "116111.no/chat"
    assert card.availability == "Opens tomorrow at 08:00"
    assert card.badges == ("Free", "You can stay anonymous", "Referral needed")
    assert card.verified_note == "Last checked 01.02.2025"


def test_a_line_open_day_and_night_says_so() -> None:
    card = build_card(
        service(phone("+47116123", "Ring", always=True), open_now=True), Language.BOKMAAL, NOW
    )

    assert card.availability == "Åpen hele døgnet"
