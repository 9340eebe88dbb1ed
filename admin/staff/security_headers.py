"""Security headers on every response, chosen per path prefix (longest prefix wins).

The staff app may never be framed; the public web chat will be embedded in the municipality's
own site, so its `frame-ancestors` is a setting of its own policy.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class HeaderPolicy:
    """The headers for one part of the site."""

    frame_ancestors: str = "'none'"
    no_store: bool = False  # pages with personal data must not stay in caches
    hsts: bool = False  # only where the site is served over HTTPS

    def content_security_policy(self) -> str:
        return "; ".join(
            (
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' data:",
                f"frame-ancestors {self.frame_ancestors}",
                "base-uri 'none'",
                "form-action 'self'",
            )
        )

    def headers(self) -> dict[str, str]:
        headers = {
            "Content-Security-Policy": self.content_security_policy(),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            "Cross-Origin-Opener-Policy": "same-origin",
        }
        if self.frame_ancestors == "'none'":
            headers["X-Frame-Options"] = "DENY"
        if self.no_store:
            headers["Cache-Control"] = "no-store"
        if self.hsts:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return headers


class SecurityHeadersMiddleware:
    """Pure ASGI middleware (works with streaming responses and server-sent events)."""

    def __init__(
        self,
        app: ASGIApp,
        policies: Sequence[tuple[str, HeaderPolicy]] = (),
        default: HeaderPolicy | None = None,
    ) -> None:
        self.app = app
        self.policies = sorted(policies, key=lambda item: len(item[0]), reverse=True)
        self.default = default or HeaderPolicy()

    def policy_for(self, path: str) -> HeaderPolicy:
        for prefix, policy in self.policies:
            if path == prefix.rstrip("/") or path.startswith(prefix):
                return policy
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.policy_for(scope.get("path", "")).headers()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
