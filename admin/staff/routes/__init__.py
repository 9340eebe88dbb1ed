"""The staff app's routes, assembled into one router that `install_staff_app` mounts."""

from fastapi import APIRouter

from admin.staff.routes import audit, auth, canned, dashboard, duty, users

router = APIRouter()
router.include_router(auth.public)
for module in (auth, dashboard, users, duty, audit, canned):
    router.include_router(module.router)
