"""The web chat page over HTTP: its language, its words and the catalogue's emergency numbers.

The whole app runs on a real database with the demo catalogue (see `conftest.py`).
"""

import json
import re
from html import unescape
from typing import Any

import httpx
import pytest

from bot.channels.context import ChannelContext
from services_catalog.editing import update_service
from services_catalog.models import CatalogBase
from services_catalog.queries import get_service
from services_catalog.records import ServiceRecord
from services_catalog.rows import service_record

# A sentence of each language's page that the others do not have.
WELCOME = {
    "nb": "Hei! Hva lurer du på?",
    "nn": "Hei! Kva lurer du på?",
    "en": "Hi! What's on your mind?",
}


def html_lang(page: httpx.Response) -> str:
    found = re.search(r'<html lang="([a-z]+)">', page.text)
    assert found, page.text[:200]
    return found.group(1)


def urgent_line(page: httpx.Response) -> str:
    found = re.search(r'<p class="urgent" id="urgent">(.*?)</p>', page.text, re.DOTALL)
    assert found
    return unescape(found.group(1))


def page_texts(page: httpx.Response) -> dict[str, Any]:
    found = re.search(r"data-texts='([^']*)'", page.text)
    assert found
    texts: dict[str, Any] = json.loads(unescape(found.group(1)))
    return texts


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
async def test_the_page_speaks_the_asked_language(client: httpx.AsyncClient, lang: str) -> None:
    for path in ("/", "/chat/embed"):
        page = await client.get(path, params={"lang": lang})

        assert page.status_code == 200
        assert html_lang(page) == lang
        assert unescape(page.text).count(WELCOME[lang]) == 1
        others = [text for code, text in WELCOME.items() if code != lang]
        assert not any(text in page.text for text in others)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nn-NO,nn;q=0.9,nb;q=0.8", "nn"),
        ("no-nyn", "nn"),
        ("en-US,en;q=0.9", "en"),
        ("nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        ("en;q=0.5,nn;q=0.8", "nn"),
        ("no", "nb"),
        ("de-DE,sv;q=0.9", "nb"),
        ("*", "nb"),
    ],
)
async def test_without_lang_the_browsers_languages_decide(
    client: httpx.AsyncClient, header: str, expected: str
) -> None:
    page = await client.get("/", headers={"Accept-Language": header})

    assert html_lang(page) == expected
    assert WELCOME[expected] in unescape(page.text)
    assert "Accept-Language" in page.headers["vary"]


async def test_lang_wins_over_the_browser_and_an_unknown_lang_falls_back(
    client: httpx.AsyncClient,
) -> None:
    asked = await client.get("/?lang=en", headers={"Accept-Language": "nn"})
    unknown = await client.get("/?lang=klingon")
    unknown_with_browser = await client.get("/?lang=sv", headers={"Accept-Language": "nn"})

    assert html_lang(asked) == "en"
    assert unknown.status_code == 200 and html_lang(unknown) == "nb"
    assert html_lang(unknown_with_browser) == "nn"


async def test_the_language_switch_is_links_with_the_current_one_marked(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/?lang=nn")

    links = re.findall(
        r'<a href="\?lang=(\w+)" hreflang="\w+" lang="(\w+)"[^>]*>([^<]+)</a>', page.text
    )
    assert links == [("nb", "nb", "Bokmål"), ("nn", "nn", "Nynorsk"), ("en", "en", "English")]
    assert re.search(r'data-lang-link="nn" aria-current="true"', page.text)
    assert len(re.findall("aria-current", page.text)) == 1


async def test_every_label_comes_in_all_three_languages_for_the_script(
    client: httpx.AsyncClient,
) -> None:
    texts = page_texts(await client.get("/"))

    assert sorted(texts) == ["en", "nb", "nn"]
    assert texts["nn"]["words"]["page.send"] == "Send"
    assert texts["en"]["words"]["page.delete"] == "Delete conversation"
    assert texts["nb"]["words"]["api.nothing_to_delete"] == "Det er ingen samtale å slette."
    for language in texts.values():  # the welcome's numbers, in each language's words
        assert [line["url"] for line in language["urgent"]["lines"]][:2] == ["tel:113", "tel:112"]


async def test_the_welcome_gives_the_catalogues_emergency_numbers(
    client: httpx.AsyncClient,
) -> None:
    bokmaal = urgent_line(await client.get("/?lang=nb"))
    english = urgent_line(await client.get("/?lang=en"))

    assert bokmaal.startswith("Haster det? Ring ")  # the bot's own sentence
    assert '<a href="tel:113">113</a> (medisinsk nødhjelp)' in bokmaal
    assert '<a href="tel:116111">116 111</a> (Alarmtelefonen for barn og unge)' in bokmaal
    assert '<a href="tel:113">113</a> (medical emergency)' in english
    assert english.startswith("Is it urgent? Call ")


async def test_a_number_corrected_in_the_catalogue_is_the_one_the_page_shows(
    client: httpx.AsyncClient, sessions: ChannelContext
) -> None:
    assert "116 111" in urgent_line(await client.get("/"))
    async with sessions.sessions() as session:
        service = await get_service(session, "alarmtelefonen")
        assert service is not None
        record = service_record(service).model_dump(mode="json")
        for contact in record["contacts"]:
            if contact["kind"] == "phone":
                contact["value"] = "116 117"
                contact["label"] = {
                    "nb": "Ring 116 117",
                    "nn": "Ring 116 117",
                    "en": "Call 116 117",
                }
        corrected = ServiceRecord.model_validate(record)
        await update_service(session, "alarmtelefonen", corrected, changed_by="redaktor")
        await session.commit()

    line = urgent_line(await client.get("/"))

    assert '<a href="tel:116117">116 117</a> (Alarmtelefonen for barn og unge)' in line
    assert "116 111" not in line and "116111" not in line


async def test_without_a_readable_catalogue_the_page_opens_and_names_no_number(
    client: httpx.AsyncClient, sessions: ChannelContext, seeded: Any
) -> None:
    async with seeded.begin() as connection:  # the catalogue's tables are gone
        await connection.run_sync(CatalogBase.metadata.drop_all)

    page = await client.get("/?lang=nn")

    assert page.status_code == 200
    assert WELCOME["nn"] in page.text
    assert urgent_line(page) == "Hastar det? Ring naudnummeret."  # the bot's words, no number
    assert "tel:" not in page.text
    assert all(not language["urgent"]["lines"] for language in page_texts(page).values())


async def test_the_api_speaks_the_pages_language(client: httpx.AsyncClient) -> None:
    key = {"Authorization": "Bearer " + (await client.post("/api/chat/keys")).json()["key"]}

    def in_(language: str) -> dict[str, str]:
        return key | {"Accept-Language": language}

    empty_nn = await client.post("/api/chat/messages", json={"text": " "}, headers=in_("nn"))
    empty_en = await client.post("/api/chat/messages", json={"text": " "}, headers=in_("en-GB"))
    empty_plain = await client.post("/api/chat/messages", json={"text": " "}, headers=key)
    no_code = await client.post("/api/chat/samtalekode", headers=in_("en"))
    nothing = await client.delete("/api/chat/conversation", headers=in_("nn"))
    unknown_key = await client.get(
        "/api/chat/conversation", headers={"Authorization": "Bearer x", "Accept-Language": "en"}
    )

    assert empty_nn.json()["detail"] == "Meldinga er tom. Skriv noko før du sender."
    assert empty_en.json()["detail"] == "The message is empty. Write something before you send."
    assert empty_plain.json()["detail"] == "Meldingen er tom. Skriv noe før du sender."
    assert no_code.json()["detail"].startswith("Write a message first")
    assert nothing.json()["message"] == "Det er ingen samtale å slette."
    assert unknown_key.status_code == 401
    assert unknown_key.json()["detail"].startswith("The conversation was not found")


async def test_the_api_documents_its_language_header(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()

    parameters = spec["paths"]["/api/chat/messages"]["post"]["parameters"]
    header = next(p for p in parameters if p["name"].lower() == "accept-language")
    assert header["in"] == "header" and "nn" in header["description"]
    problem = spec["components"]["schemas"]["Problem"]["properties"]["detail"]
    assert "Accept-Language" in problem["description"]
