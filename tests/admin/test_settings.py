"""Settings: environment prefix, `.env`, and production's refusal of placeholder secrets."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from admin.settings import Environment, InsecureSettingsError, Settings

STRONG = "x" * 40


def test_reads_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILIEVEIVISER_RETENTION_DAYS", "14")
    monkeypatch.setenv("FAMILIEVEIVISER_DEFAULT_LANGUAGE", "nn")
    settings = Settings(_env_file=None)
    assert settings.retention_days == 14
    assert settings.default_language == "nn"
    assert settings.timezone == "Europe/Oslo"


def test_reads_dot_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text("FAMILIEVEIVISER_DATABASE_URL=postgresql+asyncpg://u@h/db\n")
    settings = Settings(_env_file=env)
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


def test_telegram_is_off_without_token() -> None:
    assert not Settings(_env_file=None).telegram_enabled
    assert Settings(_env_file=None, telegram_token="123:abc").telegram_enabled


@pytest.mark.parametrize("secret", ["", "change-me", "dev-secret-not-for-production"])
def test_production_refuses_placeholder_secret_and_names_it(secret: str) -> None:
    settings = Settings(
        _env_file=None, environment=Environment.PRODUCTION, secret_key=secret, demo=False
    )
    with pytest.raises(InsecureSettingsError, match="FAMILIEVEIVISER_SECRET_KEY"):
        settings.check_production_secrets()


def test_production_refuses_telegram_without_webhook_secret() -> None:
    settings = Settings(
        _env_file=None,
        environment=Environment.PRODUCTION,
        secret_key=STRONG,
        demo=False,
        telegram_token="123:abc",
    )
    with pytest.raises(InsecureSettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
        settings.check_production_secrets()


def test_production_with_real_secrets_starts() -> None:
    Settings(
        _env_file=None,
        environment=Environment.PRODUCTION,
        secret_key=STRONG,
        demo=False,
        telegram_token="123:abc",
        telegram_webhook_secret="y" * 32,
    ).check_production_secrets()


def test_development_accepts_the_placeholder() -> None:
    Settings(_env_file=None).check_production_secrets()


@pytest.mark.parametrize(
    ("name", "value"), [("timezone", "Europe/Berlin"), ("default_language", "se")]
)
def test_unsupported_time_zone_or_language_is_refused(name: str, value: str) -> None:
    with pytest.raises(ValidationError, match=name):
        Settings(_env_file=None, **{name: value})
