"""Import and export of the whole catalogue from the editor (HSDS 3.0 JSON or our YAML file).

An import is two steps: the upload is validated completely and shown as a dry run (what would be
created and changed); only the redaktor's confirmation applies it, in one transaction. The file
travels with the confirmation form (base64), so the server keeps no state between the steps and
validates it again before writing. A file with any problem writes nothing and lists them all.
"""

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from admin.catalogue.field_errors import norwegian_message
from admin.catalogue.labels import LABELS
from admin.catalogue.saving import SERVICE_TARGET
from admin.staff.audit import record_event
from admin.staff.dependencies import CurrentSession, DbSession, Now, RedaktorUser, staff_router
from admin.staff.models import AuditAction
from admin.staff.pages import OSLO, render
from admin.staff.sessions import ActiveSession
from services_catalog.formats import CatalogueFormat, read_catalogue, write_catalogue
from services_catalog.importing import export_catalogue, import_catalogue, plan_import
from services_catalog.problems import CatalogueError, Problem
from services_catalog.records import CatalogueRecord

router = staff_router()
IMPORT_PATH = "/admin/catalogue/import"
EXPORT_PATH = "/admin/catalogue/export"
# The confirmation form carries the file as base64 in one multipart field (1 MB at most).
MAX_UPLOAD_BYTES = 700_000
FORMAT_CHOICES = ("auto", *CatalogueFormat)
MEDIA_TYPES = {CatalogueFormat.YAML: "application/yaml", CatalogueFormat.HSDS: "application/json"}
SUFFIXES = {CatalogueFormat.YAML: "yml", CatalogueFormat.HSDS: "hsds.json"}


def _page(
    request: Request, active: ActiveSession, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return render(
        request,
        "catalogue/transfer.html",
        active,
        status_code=status_code,
        labels=LABELS,
        formats=FORMAT_CHOICES,
        **context,
    )


def _problem_rows(problems: list[Problem]) -> list[tuple[str, str, str]]:
    return [
        (problem.record, problem.field, norwegian_message("value_error", problem.message, {}, ""))
        for problem in problems
    ]


def _rejected(request: Request, active: ActiveSession, problems: list[Problem]) -> HTMLResponse:
    return _page(request, active, status_code=400, problems=_problem_rows(problems))


def _chosen_format(choice: str, filename: str) -> CatalogueFormat:
    return CatalogueFormat.for_path(filename) if choice == "auto" else CatalogueFormat(choice)


def _parse(data: bytes, file_format: CatalogueFormat) -> CatalogueRecord | list[Problem]:
    if len(data) > MAX_UPLOAD_BYTES:
        return [Problem("file", "", f"the file is larger than {MAX_UPLOAD_BYTES // 1000} kB")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [Problem("file", "", "the file is not UTF-8 text")]
    try:
        return read_catalogue(text, file_format)
    except CatalogueError as error:
        return error.problems


@router.get(IMPORT_PATH)
async def transfer_page(
    request: Request, active: CurrentSession, user: RedaktorUser
) -> HTMLResponse:
    """Download the catalogue, or upload one to check and import."""
    return _page(request, active)


@router.post(IMPORT_PATH, response_model=None)
async def check_import(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    user: RedaktorUser,
    file: Annotated[UploadFile, File()],
    file_format: Annotated[str, Form(alias="format", pattern="^(auto|yaml|hsds)$")] = "auto",
) -> Response:
    """Validate an uploaded file and show what importing it would do; nothing is written."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    chosen = _chosen_format(file_format, file.filename or "")
    parsed = _parse(data, chosen)
    if isinstance(parsed, list):
        return _rejected(request, active, parsed)
    report = await plan_import(db, parsed)
    return _page(
        request,
        active,
        report=report,
        chosen_format=chosen,
        filename=file.filename or "",
        content=base64.b64encode(data).decode("ascii"),
    )


@router.post(f"{IMPORT_PATH}/apply", response_model=None)
async def apply_import(
    request: Request,
    db: DbSession,
    active: CurrentSession,
    user: RedaktorUser,
    content: Annotated[str, Form(max_length=MAX_UPLOAD_BYTES * 2)],
    file_format: Annotated[str, Form(alias="format", pattern="^(yaml|hsds)$")],
) -> Response:
    """Apply a checked file: all of it in this request's transaction, with history and audit."""
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return _rejected(request, active, [Problem("file", "", "the upload was damaged")])
    parsed = _parse(data, CatalogueFormat(file_format))
    if isinstance(parsed, list):
        return _rejected(request, active, parsed)
    report = await import_catalogue(db, parsed, changed_by=user.username)
    changes = [(slug, "created", 0) for slug in report.created]
    changes += [(slug, "imported", len(fields)) for slug, fields in report.updated.items()]
    for slug, change, fields in changes:
        details: dict[str, str | int] = {"change": change}
        if fields:
            details["fields"] = fields
        await record_event(
            db, user.username, AuditAction.CATALOGUE_CHANGED, SERVICE_TARGET, slug, details
        )
    return _page(request, active, applied=report)


@router.get(EXPORT_PATH)
async def export_file(
    db: DbSession,
    user: RedaktorUser,
    now: Now,
    file_format: Annotated[CatalogueFormat, Query(alias="format")] = CatalogueFormat.YAML,
) -> Response:
    """The whole catalogue as a file to download."""
    text = write_catalogue(await export_catalogue(db), file_format)
    filename = f"katalog-{_local_day(now)}.{SUFFIXES[file_format]}"
    return Response(
        text,
        media_type=f"{MEDIA_TYPES[file_format]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _local_day(now: datetime) -> str:
    return now.astimezone(OSLO).date().isoformat()
