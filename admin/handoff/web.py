"""Plugging the handoff screens into the app: one router (with the queue watcher as its
lifespan) that `admin.app.create_app` includes."""

from fastapi import APIRouter

from admin.handoff import actions, conversation_routes, queue_routes
from admin.handoff.live import queue_watcher

router = APIRouter(lifespan=queue_watcher)
for module in (queue_routes, conversation_routes, actions):
    router.include_router(module.router)
