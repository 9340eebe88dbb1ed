"""The FastAPI application: the composition root wiring settings, database, NLU and channels."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from admin.catalogue.web import router as catalogue_router
from admin.database import create_engine, create_session_factory
from admin.handoff.web import router as handoff_router
from admin.settings import Settings, get_settings
from admin.staff.security_headers import SecurityHeadersMiddleware
from admin.staff.web import header_policies, install_staff_app
from admin.statistics.routes import router as statistics_router


@dataclass
class Runtime:
    """What the running app holds for its whole life; stored on `app.state.runtime`."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production_secrets()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        app.state.runtime = Runtime(settings, engine, create_session_factory(engine))
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="Familieveiviser",
        description="Veiledningstjeneste for familier, barn og unge",
        lifespan=lifespan,
    )

    @app.get("/healthz", tags=["drift"])
    async def healthz() -> dict[str, str]:
        """Liveness and database reachability, for the municipality's monitoring."""
        runtime: Runtime = app.state.runtime
        async with runtime.sessions() as session:
            await session.execute(text("SELECT 1"))
        return {"status": "ok"}

    # The staff app at /admin (admin/staff), and security headers on every response: strict
    # under /admin; the public chat's own policy (framable by the municipality) goes in the list.
    install_staff_app(app, settings)
    app.include_router(handoff_router)  # /admin/queue, /admin/conversations/… (admin/handoff)
    app.include_router(catalogue_router)  # /admin/catalogue… (admin/catalogue)
    app.include_router(statistics_router)  # /admin/statistics… (admin/statistics)
    app.add_middleware(SecurityHeadersMiddleware, policies=header_policies(settings))

    return app
