"""Telegram updates as the Bot API sends them (JSON dicts), one factory per kind of message."""

import itertools
import time
from typing import Any

from tests.fakes.bot_api import BOT_USER, TelegramUser

_message_ids = itertools.count(1)


def _message(user: TelegramUser, **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": user.chat(),
        "from": user.as_json(),
        **content,
    }


def text(user: TelegramUser, words: str) -> dict[str, Any]:
    entities = []
    if words.startswith("/"):
        entities = [{"type": "bot_command", "offset": 0, "length": len(words.split()[0])}]
    return {"message": _message(user, text=words, entities=entities)}


def edited(user: TelegramUser, words: str) -> dict[str, Any]:
    message = _message(user, text=words)
    message["edit_date"] = int(time.time())
    return {"edited_message": message}


def sticker(user: TelegramUser) -> dict[str, Any]:
    return {
        "message": _message(
            user,
            sticker={
                "file_id": "sticker-1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            },
        )
    }


def photo(user: TelegramUser, caption: str = "") -> dict[str, Any]:
    sizes = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
    extra = {"caption": caption} if caption else {}
    return {"message": _message(user, photo=sizes, **extra)}


def voice(user: TelegramUser) -> dict[str, Any]:
    return {
        "message": _message(user, voice={"file_id": "v1", "file_unique_id": "v1", "duration": 3})
    }


def location(user: TelegramUser) -> dict[str, Any]:
    return {"message": _message(user, location={"latitude": 59.91, "longitude": 10.75})}


def contact(user: TelegramUser) -> dict[str, Any]:
    """The user shares their own contact card: the phone number must never be stored."""
    card = {
        "phone_number": user.phone_number,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "user_id": user.id,
    }
    return {"message": _message(user, contact=card)}


def button(user: TelegramUser, data: str, message_id: int = 1000) -> dict[str, Any]:
    """A tap on one of the bot's inline buttons."""
    shown = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": user.chat(),
        "from": BOT_USER,
        "text": "…",
    }
    return {
        "callback_query": {
            "id": f"cb-{next(_message_ids)}",
            "from": user.as_json(),
            "chat_instance": "ci-1",
            "message": shown,
            "data": data,
        }
    }
