"""The one settings object: every configurable value, read from the environment and `.env`.

Only the composition root reads configuration; inner packages get plain arguments.
"""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset(
    {"", "change-me", "changeme", "secret", "dev-secret-not-for-production", "placeholder", "xxx"}
)
DEV_SECRET_KEY = "dev-secret-not-for-production"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class NluEngineName(StrEnum):
    EMBEDDED = "embedded"
    RASA = "rasa"


class InsecureSettingsError(RuntimeError):
    """Production was asked to start with a missing or placeholder secret."""


class Settings(BaseSettings):
    """Every setting; environment variables carry the `FAMILIEVEIVISER_` prefix."""

    model_config = SettingsConfigDict(
        env_prefix="FAMILIEVEIVISER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Environment = Field(
        Environment.DEVELOPMENT, description="development or production"
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///var/familieveiviser.sqlite3",
        description="SQLAlchemy async URL (sqlite+aiosqlite:///… or postgresql+asyncpg://…)",
    )
    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET_KEY),
        description="Server secret for pseudonymous user keys and sessions",
    )
    telegram_token: SecretStr = Field(
        SecretStr(""), description="Telegram bot token; empty turns Telegram off"
    )
    telegram_webhook_secret: SecretStr = Field(
        SecretStr(""), description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token"
    )
    telegram_mode: str = Field("webhook", description="webhook (production) or polling (demo)")
    telegram_api_base_url: str = Field(
        "", description="Bot API base URL override (tests and self-hosted Bot API servers)"
    )
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="Public URL of this server (webhook, widget)"
    )
    retention_days: int = Field(30, ge=1, description="Days before a conversation is deleted")
    timezone: Literal["Europe/Oslo"] = Field(
        "Europe/Oslo",
        description="Time zone of opening hours, duty hours and statistics (Europe/Oslo only)",
    )
    default_language: Literal["nb", "nn", "en"] = Field(
        "nb", description="The language a new conversation starts in: nb, nn or en"
    )
    municipality: str = Field("9999", description="Kommunenummer this deployment serves first")
    demo: bool = Field(
        True, description="Seed the demo catalogue and a demo staff account on start"
    )
    nlu_engine: NluEngineName = Field(NluEngineName.EMBEDDED, description="embedded or rasa")
    rasa_url: str = Field("http://127.0.0.1:5005", description="Rasa server for the rasa engine")
    cache_dir: Path = Field(Path("var/cache"), description="Where the trained NLU model is cached")

    def check_production_secrets(self) -> None:
        """Refuse to run in production with a missing or placeholder secret, naming it."""
        if self.environment is not Environment.PRODUCTION:
            return
        problems = []
        if self.secret_key.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
            problems.append("FAMILIEVEIVISER_SECRET_KEY is missing or a placeholder")
        elif len(self.secret_key.get_secret_value()) < 32:
            problems.append("FAMILIEVEIVISER_SECRET_KEY is shorter than 32 characters")
        token = self.telegram_token.get_secret_value()
        webhook_secret = self.telegram_webhook_secret.get_secret_value()
        if token and webhook_secret.strip().lower() in PLACEHOLDER_SECRETS:
            problems.append(
                "FAMILIEVEIVISER_TELEGRAM_WEBHOOK_SECRET is missing or a placeholder "
                "while Telegram is on"
            )
        if self.demo:
            problems.append("FAMILIEVEIVISER_DEMO must be false in production")
        if problems:
            raise InsecureSettingsError("; ".join(problems))

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token.get_secret_value())


@lru_cache
def get_settings() -> Settings:
    return Settings()
