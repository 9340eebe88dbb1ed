"""Plugging the staff app into the FastAPI application: routes, static files, error answers and
the security-header policies per part of the site."""

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from admin.settings import Environment, Settings
from admin.staff.dependencies import (
    SESSION_COOKIE,
    CsrfRejected,
    Forbidden,
    NotAuthenticated,
    wants_html,
)
from admin.staff.login import LoginThrottle
from admin.staff.pages import STATIC_DIR, render
from admin.staff.routes import router
from admin.staff.routes.auth import LOGIN_PATH
from admin.staff.security_headers import HeaderPolicy

NOT_LOGGED_IN = "Du er ikke logget inn."
NOT_ALLOWED = "Du har ikke tilgang til dette."
CSRF_FAILED = "Skjemaet var utløpt eller ugyldig. Last siden på nytt og prøv igjen."


def install_staff_app(app: FastAPI, settings: Settings) -> None:
    """Mount the staff app at /admin."""
    app.state.login_throttle = LoginThrottle()
    app.mount("/admin/static", StaticFiles(directory=STATIC_DIR), name="admin-static")
    app.include_router(router)
    app.add_exception_handler(NotAuthenticated, _not_authenticated)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(CsrfRejected, _csrf_rejected)


def header_policies(settings: Settings) -> list[tuple[str, HeaderPolicy]]:
    """Strict everywhere under /admin (never framed, never cached); static files may be cached."""
    https = settings.environment is Environment.PRODUCTION
    return [
        ("/admin/static/", HeaderPolicy(hsts=https)),
        ("/admin/", HeaderPolicy(no_store=True, hsts=https)),
    ]


async def _not_authenticated(request: Request, _error: Exception) -> Response:
    if not wants_html(request):
        response: Response = JSONResponse({"detail": NOT_LOGGED_IN}, status_code=401)
        response.headers["HX-Redirect"] = LOGIN_PATH
    else:
        target = request.url.path if request.method == "GET" else "/admin/"
        response = RedirectResponse(f"{LOGIN_PATH}?next={quote(target)}", status_code=303)
    if SESSION_COOKIE in request.cookies:
        response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response


async def _forbidden(request: Request, _error: Exception) -> Response:
    if not wants_html(request):
        return JSONResponse({"detail": NOT_ALLOWED}, status_code=403)
    return render(request, "error.html", None, status_code=403, message=NOT_ALLOWED)


async def _csrf_rejected(request: Request, _error: Exception) -> Response:
    if not wants_html(request):
        return JSONResponse({"detail": CSRF_FAILED}, status_code=403)
    return render(request, "error.html", None, status_code=403, message=CSRF_FAILED)
