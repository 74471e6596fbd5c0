"""What every request goes through: a size limit, a safety net and an access log line.

Why one pure-ASGI middleware: these three wrap the whole application, and each layer of
Starlette's `BaseHTTPMiddleware` costs tens of microseconds a request, more than the engine's
own check. Kept together they cost one function call.

- **Size limit**: a body larger than `max_body_bytes` gets 413 before the application reads
  it (by its Content-Length) or as soon as the count passes the limit (chunked bodies).
- **Safety net**: an exception that escapes the application is a bug; the client gets a plain
  500 and the log gets the exception's type and where it was raised, never its message or the
  request's body, which may carry personal data (names, document numbers, MRZ text).
- **Access log**: method, path and status only. Query strings are left out on purpose: the
  `where can I go` page and API take nationality and document dates in them. The path is
  logged as it was sent, percent-encoded (`raw_path`): the decoded path may hold a newline
  (`%0a`) or terminal escapes that would forge or hide log lines.
"""

from __future__ import annotations

import json
import logging
import traceback
import urllib.parse
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("admit.access")
error_log = logging.getLogger("admit.error")

MAX_BODY_BYTES = 1_000_000


class BodyTooLarge(Exception):
    """Raised from `receive` when a chunked body passes the limit; turned into a 413."""


class Guard:
    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0
        started = False

        async def send_logged(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
            await send(message)

        try:
            length = _content_length(scope)
            if length is not None and length > self.max_body_bytes:
                status = await _too_large(send, self.max_body_bytes)
            else:
                await self.app(scope, self._counting(receive), send_logged)
        except BodyTooLarge:
            if not started:
                status = await _too_large(send, self.max_body_bytes)
        except Exception as exc:
            _log_bug(scope, exc)
            if not started:
                status = await _respond(send, 500, {"detail": "internal error"})
        access_log.info("%s %s %d", scope.get("method", "-"), logged_path(scope), status)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0
        limit = self.max_body_bytes

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        return counted


# What stays as it is in a logged path: RFC 3986's path characters, and `%` (the path is
# already percent-encoded). Everything else, control characters first, is percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def logged_path(scope: Scope) -> str:
    """The request's path as a log line may carry it: percent-encoded, printable ASCII."""
    raw = scope.get("raw_path")
    if isinstance(raw, bytes):
        return urllib.parse.quote(raw, safe=_PATH_SAFE)
    path = scope.get("path")
    if not isinstance(path, str):
        return "-"
    return urllib.parse.quote(path.encode("utf-8", "backslashreplace"), safe=_PATH_SAFE[:-1])


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int) -> int:
    return await _respond(send, 413, {"detail": [{
        "field": "body", "value": None,
        "message": f"body: the request is larger than the limit of {limit} bytes"}]})


async def _respond(send: Send, status: int, body: dict[str, Any]) -> int:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})
    return status


def _log_bug(scope: Scope, exc: BaseException) -> None:
    # The frames say where the bug is; the exception's message and the locals are left out,
    # since either may hold what the user sent.
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                        for f in reversed(frames[-6:]))
    error_log.error("unhandled %s in %s %s at %s", type(exc).__name__, scope.get("method"),
                    logged_path(scope), where)
