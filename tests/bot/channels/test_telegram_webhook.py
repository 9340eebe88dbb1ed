"""Telegram webhook mode inside the app: the secret-token header decides, nothing else.

The real app (`create_app`) runs PTB in its lifespan against the fake Bot API; updates are posted
to `POST /telegram/webhook` the way Telegram posts them.
"""

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.app import create_app
from admin.database import create_engine
from admin.settings import Settings
from bot.models import Conversation
from tests.bot.channels.telegram_setup import KARI, OLA, PRIVACY, family_deps, texts
from tests.bot.factories import SECRET
from tests.fakes import telegram_updates as tg
from tests.fakes.bot_api import FakeBotApi

WEBHOOK_SECRET = "webhook-secret-for-tests-0123456789"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
WRITTEN = "Sønnen min på 2 år sover dårlig om natta"


@pytest.fixture
def client(fake: FakeBotApi, db_url: str, engine: AsyncEngine) -> Iterator[TestClient]:
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        secret_key=SECRET.decode(),
        demo=False,
        telegram_token=fake.token,
        telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_mode="webhook",
        telegram_api_base_url=fake.api_root,
        public_base_url="https://veiviser.kommune.example",
    )  # type: ignore[call-arg]
    app = create_app(settings)
    with TestClient(app) as test_client:
        app.state.channel_context.deps = family_deps()  # the keyword NLU instead of the real one
        yield test_client


def test_the_webhook_is_registered_with_the_secret_on_start(
    fake: FakeBotApi, client: TestClient
) -> None:
    assert fake.calls_to("setWebhook")[-1]["url"] == (
        "https://veiviser.kommune.example/telegram/webhook"
    )
    assert fake.calls_to("setWebhook")[-1]["secret_token"] == WEBHOOK_SECRET
    assert fake.calls_to("getUpdates") == []  # no polling in webhook mode


def test_an_update_with_the_right_secret_is_answered(fake: FakeBotApi, client: TestClient) -> None:
    response = client.post(
        "/telegram/webhook",
        json=fake.stamp(tg.text(KARI, WRITTEN)),
        headers={HEADER: WEBHOOK_SECRET},
    )

    assert response.status_code == 200
    fake.wait(lambda: PRIVACY in texts(fake.sent_to(KARI.id)), what="the answer")
    assert any("<b>Hjelp Small Children</b>" in t for t in texts(fake.sent_to(KARI.id)))


@pytest.mark.parametrize("secret", [None, "wrong-secret", WEBHOOK_SECRET[:-1], ""])
def test_an_update_without_the_right_secret_is_refused_and_not_processed(
    fake: FakeBotApi,
    client: TestClient,
    db_url: str,
    caplog: pytest.LogCaptureFixture,
    secret: str | None,
) -> None:
    caplog.set_level(logging.INFO)
    headers = {} if secret is None else {HEADER: secret}

    response = client.post(
        "/telegram/webhook", json=fake.stamp(tg.text(OLA, WRITTEN)), headers=headers
    )

    assert response.status_code == 403
    refused = [
        r.getMessage() for r in caplog.records if "webhook request refused" in r.getMessage()
    ]
    assert len(refused) == 1 and WRITTEN not in refused[0] and OLA.first_name not in refused[0]
    client.post(
        "/telegram/webhook", json=fake.stamp(tg.text(KARI, "hei")), headers={HEADER: WEBHOOK_SECRET}
    )
    fake.wait(lambda: len(fake.sent_to(KARI.id)) > 0, what="the good update's answer")
    assert fake.sent_to(OLA.id) == []
    assert client.portal.call(count_conversations, db_url) == 1  # type: ignore[union-attr]


def test_a_body_that_is_not_an_update_is_refused(client: TestClient) -> None:
    response = client.post(
        "/telegram/webhook", content=b"not json", headers={HEADER: WEBHOOK_SECRET}
    )

    assert response.status_code == 400


async def count_conversations(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(select(func.count()).select_from(Conversation))
    finally:
        await engine.dispose()
    return int(count or 0)
