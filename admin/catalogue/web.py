"""The catalogue editor's routes in one router, for `create_app` to include."""

from fastapi import APIRouter

from admin.catalogue import routes, transfer

router = APIRouter()
router.include_router(transfer.router)
router.include_router(routes.router)
