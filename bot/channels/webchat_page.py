"""The web chat's page and widget: `/` (a page a municipality can link to), `/chat/embed` (the same
page inside the widget's iframe), `/widget.js` (the one `<script>` a municipality adds to its
site) and the page's static files under `/chat/static/`.

Everything is plain files: HTML, CSS and one small vanilla JS file, no build step, no inline
script or style (a strict CSP applies), no third-party anything and no cookies.
"""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from bot.channels.webchat import router as api_router

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PATH = "/chat/static"
EMBED_PATH = "/chat/embed"

page_router = APIRouter(tags=["web chat page"], include_in_schema=False)


@page_router.get("/")
async def chat_page() -> FileResponse:
    """The chat as a page of its own."""
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


@page_router.get(EMBED_PATH)
async def embedded_chat_page() -> FileResponse:
    """The same page, framed by the widget on the municipality's site."""
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


@page_router.get("/widget.js")
async def widget_script() -> FileResponse:
    return FileResponse(
        STATIC_DIR / "widget.js",
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )


def install_webchat(app: FastAPI) -> None:
    """Mount the page, the widget, the static files and the JSON API on the app."""
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="chat-static")
    app.include_router(page_router)
    app.include_router(api_router)
