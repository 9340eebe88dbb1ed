"""Migrations: a fresh database upgraded to head has exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Connection

from admin.database import all_metadata, create_engine
from admin.schema import current_revision, head_revision, upgrade_database


def _differences(connection: Connection) -> list[object]:
    """Differences between the database and every package's models taken together."""
    combined = MetaData()
    for metadata in all_metadata():
        for table in metadata.tables.values():
            table.to_metadata(combined)
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, combined))


async def test_upgrade_to_head_matches_the_models(db_url: str) -> None:
    await upgrade_database(db_url)
    assert await current_revision(db_url) == head_revision()
    engine = create_engine(db_url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    assert differences == []
    expected = {table for metadata in all_metadata() for table in metadata.tables}
    assert expected <= tables


async def test_upgrade_twice_is_harmless(db_url: str) -> None:
    await upgrade_database(db_url)
    await upgrade_database(db_url)
    assert await current_revision(db_url) == head_revision()
