"""The web chat in a real headless Chromium: what a parent on a phone sees and does.

Set FAMILIEVEIVISER_SCREENSHOTS=<folder> to keep screenshots of the phone screen for a look.
"""

import asyncio
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from admin.database import create_engine, create_session_factory
from bot import handoff
from bot.inbound import handle_staff_reply
from bot.models import Conversation, ConversationMode
from tests.e2e.conftest import PHONE, LiveServer, municipality_site

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("FAMILIEVEIVISER_SCREENSHOTS")
STAFF_ID = 7


def snap(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


def write(page: Any, text: str, label: str = "Skriv en melding") -> None:
    page.get_by_label(label).fill(text)
    page.keyboard.press("Enter")


def stored_key(page: Any) -> str | None:
    key: str | None = page.evaluate("() => localStorage.getItem('familieveiviser.samtale')")
    return key


def test_a_parent_gets_cards_taps_a_reply_reloads_and_deletes(
    live_server: LiveServer, phone_page: Any
) -> None:
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    log = page.get_by_role("log")
    snap(page, "1-empty")

    write(page, "Sønnen min på 13 blir mobbet på skolen")

    expect(log.locator(".msg.user")).to_have_count(1)
    expect(log.locator(".card").first).to_be_visible()
    expect(log.locator(".card h3").first).to_have_text("Mobbing og skolemiljø")
    expect(log.locator(".card a[href^='tel:']").first).to_be_visible()
    expect(page.get_by_role("button", name="Ja", exact=True)).to_be_visible()
    snap(page, "2-cards")

    page.get_by_role("button", name="Ja", exact=True).click()  # «Hjalp dette?» – ja
    expect(log.locator(".msg.user").nth(1)).to_contain_text("Ja")
    expect(log.locator(".msg.bot").last).to_contain_text("Så bra")
    bubbles = log.locator(".msg").count()

    page.reload()
    expect(log.locator(".msg")).to_have_count(bubbles)
    expect(log.locator(".msg.user").nth(1)).to_contain_text("Ja")  # the label, not «helped:yes»
    expect(log.locator(".card").first).to_be_visible()

    page.get_by_role("button", name="Slett samtalen").click()
    page.get_by_role("button", name="Ja, slett").click()
    expect(log.locator(".msg")).to_have_count(1)
    expect(log).to_contain_text("Samtalen er slettet")
    assert stored_key(page) is None
    page.reload()
    expect(log.locator(".msg")).to_have_count(0)


def test_quick_exit_leaves_for_a_neutral_page_and_clears_the_chat(
    live_server: LiveServer, phone_page: Any
) -> None:
    page = phone_page
    # The neutral site is answered by the browser itself: the test never reaches the internet.
    page.route(
        re.compile(r"https://www\.yr\.no/.*"),
        lambda route: route.fulfill(body="<title>Yr</title><p>Været</p>", content_type="text/html"),
    )
    page.goto(live_server.url + "/")
    write(page, "Hei")
    expect(page.get_by_role("log").locator(".msg.bot").first).to_be_visible()
    assert stored_key(page)

    page.get_by_role("button", name="Lukk raskt").click()

    page.wait_for_url(re.compile(r"https://www\.yr\.no/"))
    page.go_back()  # location.replace: Back does not lead back to the chat
    assert not page.url.startswith(live_server.url)
    page.goto(live_server.url + "/")
    assert stored_key(page) is None
    expect(page.get_by_role("log").locator(".msg")).to_have_count(0)


def test_escape_twice_is_a_quick_exit_too(live_server: LiveServer, phone_page: Any) -> None:
    page = phone_page
    page.route(
        re.compile(r"https://www\.yr\.no/.*"),
        lambda route: route.fulfill(body="<p>Været</p>", content_type="text/html"),
    )
    page.goto(live_server.url + "/")
    write(page, "Hei")
    expect(page.get_by_role("log").locator(".msg.bot").first).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"https://www\.yr\.no/"))


async def _staff_answers_latest_waiting(database_url: str, text: str) -> None:
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            waiting = await session.scalar(
                select(Conversation)
                .where(Conversation.mode == ConversationMode.WAITING_FOR_STAFF)
                .order_by(Conversation.last_activity_at.desc())
                .limit(1)
            )
            assert waiting is not None
            now = datetime.now(UTC)
            await handoff.take_over(session, waiting.id, STAFF_ID, now=now)
            await handle_staff_reply(session, waiting.id, STAFF_ID, text, now=now)
            await session.commit()
    finally:
        await engine.dispose()


def test_a_staff_reply_appears_within_two_seconds_without_a_reload(
    live_server: LiveServer, phone_page: Any
) -> None:
    page = phone_page
    page.goto(live_server.url + "/")
    write(page, "Kan jeg få snakke med en person?")
    status = page.get_by_role("status").filter(has_text="i køen")
    expect(status).to_contain_text("nummer 1 i køen")

    reply = _staff_answers_latest_waiting(live_server.database_url, "Hei, jeg heter Kari.")
    with ThreadPoolExecutor(1) as worker:  # Playwright's sync API owns this thread's loop
        worker.submit(asyncio.run, reply).result()
    started = time.monotonic()

    staff = page.get_by_role("log").locator(".msg.staff")
    expect(staff).to_contain_text("Hei, jeg heter Kari.", timeout=2_000)
    assert time.monotonic() - started < 2.0
    expect(page.get_by_role("log")).to_contain_text("En veileder fra kommunen har kommet inn")
    snap(page, "3-staff")


def test_the_widget_opens_the_chat_on_the_municipalitys_site(
    live_server: LiveServer, phone_page: Any, tmp_path: Path
) -> None:
    page = phone_page
    snippet = f'<script src="{live_server.url}/widget.js" async></script>'
    (tmp_path / "index.html").write_text(
        f"<!doctype html><html lang='nb'><title>Kommunen</title><h1>Kommunen</h1>{snippet}",
        encoding="utf-8",
    )
    page.route(
        re.compile(r"https://www\.yr\.no/.*"),
        lambda route: route.fulfill(body="<p>Været</p>", content_type="text/html"),
    )
    with municipality_site(tmp_path) as host:
        page.goto(host)

        page.get_by_role("button", name="Chat med oss").click()
        chat = page.frame_locator("iframe[title='Chat med kommunen']")
        chat.get_by_label("Skriv en melding").fill("Sønnen min på 13 blir mobbet")
        chat.get_by_role("button", name="Send").click()
        expect(chat.locator(".card").first).to_be_visible()
        snap(page, "4-widget")

        chat.get_by_role("button", name="Lukk raskt").click()
        page.wait_for_url(re.compile(r"https://www\.yr\.no/"))


def test_a_samtalekode_continues_the_conversation_in_another_browser(
    live_server: LiveServer, browser: Any
) -> None:
    laptop = browser.new_context(viewport={"width": 1024, "height": 768}, locale="nb-NO")
    phone = browser.new_context(viewport=PHONE, locale="nb-NO")
    try:
        first = laptop.new_page()
        first.goto(live_server.url + "/")
        write(first, "Sønnen min på 13 blir mobbet")
        expect(first.locator(".card").first).to_be_visible()
        first.get_by_role("button", name="Samtalekode", exact=True).click()
        code = first.locator("#code-value")
        expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))

        second = phone.new_page()
        second.goto(live_server.url + "/")
        second.get_by_role("button", name="Har du en samtalekode?").click()
        second.get_by_label("Har du en kode? Skriv den her:").fill(code.inner_text().lower())
        second.get_by_role("button", name="Fortsett samtalen").click()

        log = second.get_by_role("log")
        expect(log.locator(".msg.user").first).to_contain_text("Sønnen min på 13 blir mobbet")
        expect(log.locator(".card").first).to_be_visible()
        expect(second.get_by_role("dialog")).to_be_hidden()
    finally:
        laptop.close()
        phone.close()


def test_the_language_switch_and_the_conversation_change_the_pages_words(
    live_server: LiveServer, phone_page: Any
) -> None:
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    nynorsk = page.get_by_role("link", name="Nynorsk")

    nynorsk.focus()  # from the keyboard: the switch is plain links
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", name="Hei! Kva lurer du på?")).to_be_visible()
    expect(page.get_by_label("Skriv ei melding")).to_have_attribute("placeholder", "Skriv her …")
    expect(page.get_by_role("log")).to_have_attribute("aria-label", "Meldingar i samtalen")
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#urgent")).to_contain_text("Hastar det? Ring 113 (medisinsk naudhjelp)")
    expect(page.locator("#urgent a[href='tel:116111']")).to_have_text("116 111")
    expect(nynorsk).to_have_attribute("aria-current", "true")
    expect(nynorsk).to_be_focused()  # no reload: focus, draft and log stay where they were
    assert page.url.endswith("/?lang=nn")
    snap(page, "5-nynorsk")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "nn")

    write(page, "/english", label="Skriv ei melding")  # the conversation switches language

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Quick exit")).to_be_visible()
    expect(page.get_by_label("Write a message")).to_have_attribute("placeholder", "Write here …")
    expect(page.locator("#urgent")).to_contain_text("Is it urgent? Call 113 (medical emergency)")
    expect(page.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    page.get_by_role("button", name="Do you have a conversation code?").click()
    page.get_by_label("Do you have a code? Type it here:").fill("AAAA-BBBB")
    page.get_by_role("button", name="Continue the conversation").click()
    expect(page.get_by_role("alert")).to_contain_text("No open conversation has that code")


def test_an_english_browser_gets_the_english_page(live_server: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Hi! What's on your mind?")).to_be_visible()
        expect(page.locator("#urgent a[href='tel:113']")).to_have_text("113")
        write(page, "Hei", label="Write a message")
        expect(page.get_by_role("log").locator(".msg.bot").first).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")  # a Bokmål answer: no flip
    finally:
        context.close()
