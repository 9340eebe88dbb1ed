"""`familieveiviser catalogue …` and `db upgrade`: what an operator sees on the command line."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from admin.cli import app
from admin.settings import get_settings

DEMO = Path(__file__).parents[2] / "services_catalog" / "data" / "eksempel-kommune.yml"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("FAMILIEVEIVISER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/c.sqlite3")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _slugs(cli: CliRunner) -> list[str]:
    result = cli.invoke(app, ["catalogue", "list"])
    assert result.exit_code == 0, result.output
    return [line.split()[0] for line in result.stdout.splitlines() if line.strip()]


def test_db_upgrade_reports_the_revision(cli: CliRunner) -> None:
    result = cli.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Database at revision" in result.stdout
    assert "None" not in result.stdout


def test_dry_run_writes_nothing_then_import_writes_everything(cli: CliRunner) -> None:
    dry = cli.invoke(app, ["catalogue", "import", str(DEMO), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "23 created" in dry.stdout and "dry run" in dry.stdout
    assert _slugs(cli) == []
    real = cli.invoke(app, ["catalogue", "import", str(DEMO)])
    assert real.exit_code == 0, real.output
    assert len(_slugs(cli)) == 23
    again = cli.invoke(app, ["catalogue", "import", str(DEMO)])
    assert "0 created, 0 updated, 23 unchanged" in again.stdout


def test_show_prints_one_service_and_refuses_an_unknown_slug(cli: CliRunner) -> None:
    cli.invoke(app, ["catalogue", "import", str(DEMO)])
    shown = cli.invoke(app, ["catalogue", "show", "alarmtelefonen"])
    assert shown.exit_code == 0
    assert "116111" in shown.stdout and "violence-abuse" in shown.stdout
    missing = cli.invoke(app, ["catalogue", "show", "finnes-ikke"])
    assert missing.exit_code == 1
    assert "finnes-ikke" in missing.stderr


@pytest.mark.parametrize("file_format", ["hsds", "yaml"])
def test_export_then_import_round_trips(cli: CliRunner, tmp_path: Path, file_format: str) -> None:
    cli.invoke(app, ["catalogue", "import", str(DEMO)])
    target = tmp_path / ("out.json" if file_format == "hsds" else "out.yml")
    exported = cli.invoke(app, ["catalogue", "export", "--format", file_format, str(target)])
    assert exported.exit_code == 0, exported.output
    if file_format == "hsds":
        assert json.loads(target.read_text())["total_items"] == 23  # an HSDS page of services
    again = cli.invoke(app, ["catalogue", "import", str(target)])
    assert again.exit_code == 0, again.output
    assert "23 unchanged" in again.stdout


def test_malformed_import_names_record_and_field_and_writes_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    cli.invoke(app, ["catalogue", "import", str(DEMO)])
    before = cli.invoke(app, ["catalogue", "show", "ppt"]).stdout
    broken = DEMO.read_text(encoding="utf-8").replace(
        "topics: [learning-school, disability]", "topics: [hagearbeid, disability]", 1
    )
    assert "hagearbeid" in broken
    bad = tmp_path / "bad.yml"
    bad.write_text(broken, encoding="utf-8")
    result = cli.invoke(app, ["catalogue", "import", str(bad)])
    assert result.exit_code == 1
    assert "topics" in result.stderr and "hagearbeid" in result.stderr
    assert cli.invoke(app, ["catalogue", "show", "ppt"]).stdout == before


def test_binary_file_gets_a_clear_error(cli: CliRunner, tmp_path: Path) -> None:
    junk = tmp_path / "junk.yml"
    junk.write_bytes(b"\xff\xfe\x00\x01binary")
    result = cli.invoke(app, ["catalogue", "import", str(junk)])
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr
