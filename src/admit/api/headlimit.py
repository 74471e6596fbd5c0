"""The limit `admit serve` puts on a request's head (request line and headers): 16 KiB.

Why: uvicorn parses HTTP with httptools when it is installed (as `uvicorn[standard]` does), and
that parser has no limit: a client may send header bytes without end and the server keeps them
all. uvicorn's `h11_max_incomplete_event_size` bounds only its pure-Python h11 parser, which
would cost /v1/check a good part of its throughput. This subclass of uvicorn's httptools
protocol counts each request's head instead and answers **431 Request Header Fields Too
Large**, closing the connection: at once when a head still incomplete passes the limit (so
the bytes kept stay bounded), or when a complete head is larger than it.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 16 * 1024  # as h11's default and Node's; nginx allows 8 KiB a line
# What `admit serve` passes to uvicorn (a name, so worker processes import it themselves).
SERVER_OPTIONS: dict[str, Any] = {"http": f"{__name__}:HeadLimitedHttpTools"}


class HeadLimitedHttpTools(HttpToolsProtocol):
    max_head_bytes = MAX_HEAD_BYTES
    # Per connection, reset for each request.
    _in_head = False  # between the request's first byte and the end of its headers
    _head_bytes = 0  # bytes received while in the head, counted per chunk
    _finished_in_chunk = False  # a request ended in the chunk being read (pipelining)
    _too_large = False

    def data_received(self, data: bytes) -> None:
        self._finished_in_chunk = False
        super().data_received(data)
        # Counted only when the whole chunk belongs to a head still incomplete: a chunk that
        # also ended the previous request would count that one's bytes too.
        if self._in_head and not self._finished_in_chunk and not self._too_large:
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes:
                self._refuse()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._head_bytes = True, 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > self.max_head_bytes:
            self._too_large = True
            raise HeadTooLarge  # the parser stops; uvicorn answers through send_400_response
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._finished_in_chunk = True
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        if self._too_large:
            self._refuse()
        else:
            super().send_400_response(msg)

    def _refuse(self) -> None:
        self._too_large = True
        if self.transport.is_closing():
            return
        body = (f"The request's line and headers are larger than the limit of "
                f"{self.max_head_bytes} bytes.").encode("ascii")
        self.transport.write(b"".join([
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: ", str(len(body)).encode("ascii"), b"\r\n",
            b"connection: close\r\n\r\n", body]))
        self.transport.close()
        self.logger.warning("Request head over %d bytes refused (431).", self.max_head_bytes)


class HeadTooLarge(Exception):
    """Raised in the parser's callback to stop it; answered as 431."""
