"""The whole handoff loop in a real headless Chromium: a parent asks for a person in the web chat,
a veileder (another browser profile) sees the request arrive in the queue without reloading,
takes it, replies, closes with an outcome, and the parent sees it all and rates the talk.

Uses the live server and Chromium fixtures of `tests/e2e/conftest.py` (real app under uvicorn on
loopback, keyword NLU, Debian's Chromium). The duty is staffed the real way: a duty exception
covering today and a veileder marked available.
"""

import asyncio
import os
import re
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from admin.database import create_engine, create_session_factory, unit_of_work
from admin.staff.accounts import create_user, set_availability
from admin.staff.canned_replies import create_canned_reply
from admin.staff.duty import add_exception
from admin.staff.models import Role
from admin.staff.pages import OSLO
from bot import handoff
from bot.conversations import start_conversation
from bot.dialogue.turn import Priority
from bot.models import Channel, Conversation, Outcome
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("FAMILIEVEIVISER_SCREENSHOTS")  # a folder: keep screenshots for a look
T = TypeVar("T")

USERNAME = "kari"
PASSWORD = "riktig-hest-batteri-stift"
DESKTOP = {"width": 1280, "height": 900}
CANNED = "Hei! Du skriver nå med en veileder i kommunen."
REPLY = "Hei, jeg heter Kari og jobber i kommunen. Fortell gjerne mer."


async def _staff_the_duty(database_url: str) -> None:
    engine = create_engine(database_url)
    today = datetime.now(UTC).astimezone(OSLO).date()
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            user = await create_user(session, USERNAME, PASSWORD, Role.VEILEDER, actor="system")
            await set_availability(session, user, True)
            await create_canned_reply(session, "Hilsen", CANNED, actor="system")
            await add_exception(
                session,
                today - timedelta(days=1),
                today + timedelta(days=1),
                (datetime.min.time(), datetime.max.time().replace(microsecond=0)),
                "nettlesertest",
                actor="system",
            )
    finally:
        await engine.dispose()


async def _conversation(database_url: str, conversation_id: uuid.UUID) -> Conversation:
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            found = await session.scalar(
                select(Conversation).where(Conversation.id == conversation_id)
            )
            assert found is not None
            return found
    finally:
        await engine.dispose()


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run database code from a test whose thread already runs Playwright's event loop."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def staffed_server(live_server: LiveServer) -> LiveServer:
    run_async(_staff_the_duty(live_server.database_url))
    return live_server


# Counts the beeps instead of playing them (headless Chromium has no speakers to check).
RECORD_BEEPS = """
window.__beeps = 0;
window.AudioContext = class {
  constructor() { this.state = "running"; this.currentTime = 0; this.destination = {}; }
  resume() { return Promise.resolve(); }
  createOscillator() {
    return { type: "", frequency: { value: 0 }, connect: (next) => next,
             start: () => { window.__beeps += 1; }, stop: () => {} };
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} },
             connect: (next) => next };
  }
};
"""


@pytest.fixture
def veileder_page(browser: Any, staffed_server: LiveServer) -> Iterator[Any]:
    """A logged-in veileder in a browser profile of their own."""
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO", service_workers="block")
    context.add_init_script(RECORD_BEEPS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(staffed_server.url + "/admin/login")
    page.get_by_label("Brukernavn").fill(USERNAME)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name=f"Hei, {USERNAME}")).to_be_visible()
    try:
        yield page
    finally:
        context.close()


def snap(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"handoff-{name}.png"), full_page=True)


def write(page: Any, text: str) -> None:
    page.get_by_label("Skriv en melding").fill(text)
    page.keyboard.press("Enter")


def test_a_parent_asks_for_a_person_and_a_veileder_takes_over_replies_and_closes(
    staffed_server: LiveServer, phone_page: Any, veileder_page: Any
) -> None:
    staff, parent = veileder_page, phone_page
    staff.goto(staffed_server.url + "/admin/queue")
    expect(staff.get_by_text("Ingen venter nå.")).to_be_visible()
    queue = staff.locator(".queue-row")

    parent.goto(staffed_server.url + "/")
    write(parent, "Jeg vil snakke med en person om sønnen min")
    chat = parent.get_by_role("log")
    expect(chat.locator(".msg.bot").last).to_contain_text("i køen")
    asked = time.monotonic()

    # The request appears in the open queue page without a reload, highlighted as new.
    expect(queue).to_have_count(1, timeout=2_500)
    appeared = time.monotonic() - asked
    assert appeared < 2.5, appeared
    print(f"queue latency {appeared:.2f} s")
    expect(queue.first).to_have_class(re.compile(r"\bqueue-row-new\b"))
    staff.wait_for_function("window.__beeps > 0")
    expect(queue.first).to_contain_text("Nettchat")
    expect(queue.first).to_contain_text("sønnen min")
    expect(queue.first).to_contain_text("Vanlig")
    conversation_id = uuid.UUID(queue.first.get_attribute("data-id"))
    snap(staff, "1-queue")

    staff.get_by_role("button", name="Ta samtalen").click()
    expect(staff.get_by_role("heading", name="Samtale på nettchat")).to_be_visible()
    expect(staff.get_by_role("log")).to_contain_text("sønnen min")
    expect(chat).to_contain_text("En veileder fra kommunen har kommet inn i samtalen.")

    staff.get_by_text("Standardsvar").click()
    staff.get_by_role("button", name="Hilsen").click()
    expect(staff.get_by_label("Svar til brukeren")).to_have_value(CANNED)
    staff.get_by_label("Svar til brukeren").fill(REPLY)
    staff.get_by_role("button", name="Send svar").click()
    expect(staff.get_by_label("Svar til brukeren")).to_have_value("")

    sent = time.monotonic()
    expect(chat.locator(".msg.staff")).to_contain_text(REPLY, timeout=3_000)
    delivered = time.monotonic() - sent
    print(f"reply latency {delivered:.2f} s")
    assert delivered < 3.0
    # The chat fetched it, so the veileder's page shows it as sent, live.
    expect(staff.locator(".msg-staff .delivery")).to_have_text("Sendt")

    write(parent, "Takk, det var fint")
    expect(staff.get_by_role("log")).to_contain_text("Takk, det var fint")
    snap(staff, "2-conversation")

    staff.get_by_label("Utfall").select_option(Outcome.ADVICE_GIVEN.value)
    staff.get_by_role("button", name="Avslutt samtalen").click()
    expect(staff.get_by_role("status").first).to_contain_text("Samtalen er avsluttet")

    expect(chat).to_contain_text(
        "Samtalen med veilederen er avsluttet. Takk for at du tok kontakt!"
    )
    rating = parent.locator("form.rating")
    expect(rating).to_contain_text("karakter fra 1 til 5")
    rating.get_by_text("4", exact=True).click()
    rating.get_by_label("Vil du si noe mer? (frivillig)").fill("Rask hjelp")
    rating.get_by_role("button", name="Send vurdering").click()
    expect(chat.locator(".msg").last).to_contain_text("Ha det bra!")
    snap(staff, "3-closed")
    snap(parent, "4-parent")

    closed = run_async(_conversation(staffed_server.database_url, conversation_id))
    assert (closed.outcome, closed.rating, closed.rating_comment) == (
        Outcome.ADVICE_GIVEN,
        4,
        "Rask hjelp",
    )


def test_the_sound_alert_can_be_switched_off_and_stays_off(
    staffed_server: LiveServer, veileder_page: Any
) -> None:
    staff = veileder_page
    staff.goto(staffed_server.url + "/admin/queue")
    toggle = staff.get_by_role("button", name="Lydvarsel på")
    expect(toggle).to_have_attribute("aria-pressed", "true")

    toggle.click()
    staff.reload()

    expect(staff.get_by_role("button", name="Lydvarsel av")).to_have_attribute(
        "aria-pressed", "false"
    )
    run_async(_someone_waits(staffed_server.database_url))
    expect(staff.locator(".queue-row-new")).to_have_count(1, timeout=2_500)
    staff.wait_for_timeout(300)
    assert staff.evaluate("window.__beeps") == 0  # seen, not heard


async def _someone_waits(database_url: str) -> None:
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    try:
        async with unit_of_work(create_session_factory(engine)) as session:
            conversation = await start_conversation(
                session, channel=Channel.WEB, user_key=uuid.uuid4().hex, now=now
            )
            await session.flush()
            await handoff.request_person(
                session, conversation.id, priority=Priority.NORMAL, now=now
            )
    finally:
        await engine.dispose()
