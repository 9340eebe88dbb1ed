"""Import and export from the editor's web page: dry run first, then all-or-nothing apply;
malformed files list their problems by record and field and write nothing; exports parse back."""

import re
from html import unescape
from importlib.resources import files

import httpx
import yaml
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory
from admin.staff.models import AuditAction, AuditEvent, Role
from services_catalog.datafile import load_datafile
from services_catalog.hsds_reading import load_hsds
from services_catalog.importing import export_catalogue
from services_catalog.models import ServiceChange
from services_catalog.records import CatalogueRecord
from tests.admin.catalogue_factories import catalogue_counts, fix_clock
from tests.admin.staff_factories import add_staff, log_in

IMPORT = "/admin/catalogue/import"
DEMO_YAML = files("services_catalog").joinpath("data", "eksempel-kommune.yml").read_text("utf-8")
HIDDEN = re.compile(r'<input type="hidden" name="(content|format)" value="([^"]*)">')


async def redaktor(app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient) -> str:
    fix_clock(app)
    await add_staff(engine, "rita", Role.REDAKTOR)
    return await log_in(client, "rita")


async def upload(
    client: httpx.AsyncClient, token: str, name: str, text: str, file_format: str = "auto"
) -> httpx.Response:
    return await client.post(
        IMPORT,
        data={"csrf_token": token, "format": file_format},
        files={"file": (name, text.encode("utf-8"), "application/octet-stream")},
    )


async def confirm(client: httpx.AsyncClient, token: str, dry_run: httpx.Response) -> httpx.Response:
    """Press «Importer» on the dry-run page: send back its hidden fields."""
    fields = dict(HIDDEN.findall(dry_run.text))
    assert set(fields) == {"content", "format"}, "the dry-run page offers the confirmation"
    return await client.post(
        f"{IMPORT}/apply", data={"csrf_token": token, **fields}, files={"x": ("", b"")}
    )


def canonical(catalogue: CatalogueRecord) -> CatalogueRecord:
    return CatalogueRecord(
        organizations=sorted(catalogue.organizations, key=lambda o: o.name),
        services=sorted(catalogue.services, key=lambda s: s.slug),
    )


def problems(page: str) -> list[tuple[str, str, str]]:
    """The rows of the problem table: (record, field, message)."""
    rows = re.findall(
        r"<tr><td>([^<]*)</td><td><code>([^<]*)</code></td><td>([^<]*)</td></tr>", page
    )
    return [(unescape(a), unescape(b), unescape(c)) for a, b, c in rows]


async def test_an_upload_is_a_dry_run_and_only_the_confirmation_imports_it(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    dry_run = await upload(client, token, "eksempel-kommune.yml", DEMO_YAML)
    assert dry_run.status_code == 200
    assert "Nye tjenester (23)" in dry_run.text and "ingenting er lagret ennå" in dry_run.text
    assert await catalogue_counts(engine) == (0, 0, 0)

    applied = await confirm(client, token, dry_run)
    assert applied.status_code == 200 and "Importert" in applied.text
    services, _changes, audits = await catalogue_counts(engine)
    assert (services, audits) == (23, 23)
    async with create_session_factory(engine)() as session:
        editors = set(await session.scalars(select(ServiceChange.changed_by)))
        events = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == AuditAction.CATALOGUE_CHANGED)
            )
        )
    assert editors == {"rita"}
    assert {e.target_id for e in events} >= {"helsestasjon", "alarmtelefonen"}
    assert all(e.details == {"change": "created"} for e in events)

    again = await upload(client, token, "eksempel-kommune.yml", DEMO_YAML)
    assert "Filen er lik katalogen" in again.text and "Uendret (23)" in again.text


async def test_a_changed_service_is_reported_by_field_and_updated(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    await confirm(client, token, await upload(client, token, "demo.yml", DEMO_YAML))
    data = yaml.safe_load(DEMO_YAML)
    ppt = next(s for s in data["services"] if s["slug"] == "ppt")
    ppt["name"]["nb"] = "PPT – pedagogisk-psykologisk tjeneste"
    changed = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    dry_run = await upload(client, token, "endret.yml", changed)
    assert "Endres (1)" in dry_run.text and "<code>ppt</code>: Navn" in dry_run.text
    before = await catalogue_counts(engine)
    await confirm(client, token, dry_run)
    after = await catalogue_counts(engine)
    assert (after[1] - before[1], after[2] - before[2]) == (1, 1)  # one history row, one audit


async def test_a_malformed_file_names_record_and_field_and_writes_nothing(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    data = yaml.safe_load(DEMO_YAML)
    data["services"][0]["contacts"][0]["value"] = "12ab"
    data["services"][1]["topics"] = ["astrologi"]
    data["services"][2]["contacts"][0]["hours"][0]["closes"] = "25:00"
    broken = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    response = await upload(client, token, "katalog.yml", broken)
    assert response.status_code == 400
    assert "ingenting er endret" in response.text
    found = {(record, field) for record, field, _ in problems(response.text)}
    assert ("helsestasjon", "contacts[0].value") in found
    assert ("skolehelsetjenesten", "topics[0].topic") in found
    assert ("helsestasjon-for-ungdom", "contacts[0].hours[0].closes") in found
    assert 'name="content"' not in response.text  # nothing to confirm
    assert await catalogue_counts(engine) == (0, 0, 0)


async def test_broken_yaml_json_and_a_tampered_confirmation_write_nothing(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    not_yaml = await upload(client, token, "katalog.yml", "services: [\n  - slug: a\n  b")
    assert not_yaml.status_code == 400
    assert any("not valid YAML" in message for _, _, message in problems(not_yaml.text))
    not_json = await upload(client, token, "katalog.json", "{not json")
    assert not_json.status_code == 400 and problems(not_json.text)
    dry_run = await upload(client, token, "demo.yml", DEMO_YAML)
    tampered = dry_run.text.replace('name="format" value="yaml"', 'name="format" value="hsds"')
    refused = await confirm(client, token, httpx.Response(200, text=tampered))
    assert refused.status_code == 400
    assert await catalogue_counts(engine) == (0, 0, 0)


async def test_exports_download_and_parse_back_to_the_catalogue(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    token = await redaktor(app, engine, client)
    await confirm(client, token, await upload(client, token, "demo.yml", DEMO_YAML))
    async with create_session_factory(engine)() as session:
        stored = await export_catalogue(session)
    as_yaml = await client.get("/admin/catalogue/export", params={"format": "yaml"})
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-disposition"] == 'attachment; filename="katalog-2026-03-10.yml"'
    assert load_datafile(as_yaml.text) == stored
    as_hsds = await client.get("/admin/catalogue/export", params={"format": "hsds"})
    assert as_hsds.headers["content-type"].startswith("application/json")
    assert canonical(load_hsds(as_hsds.text)) == canonical(stored)  # HSDS orders by id
    # And the HSDS file imports through the page as "nothing to change".
    dry_run = await upload(client, token, "katalog.hsds.json", as_hsds.text)
    assert "Uendret (23)" in dry_run.text


async def test_a_veileder_can_neither_import_nor_export(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    await add_staff(engine, "vera", Role.VEILEDER)
    token = await log_in(client, "vera")
    assert (await client.get("/admin/catalogue/export")).status_code == 403
    assert (await upload(client, token, "demo.yml", DEMO_YAML)).status_code == 403
    assert await catalogue_counts(engine) == (0, 0, 0)
