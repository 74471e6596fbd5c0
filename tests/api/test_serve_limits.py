"""`admit serve` against odd requests on the wire: heads over the limit are 431 whether they
come at once, byte by byte or as many small headers; bodies are not counted; pipelined requests
still work; a path cannot forge an access log line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import IO

import pytest

from admit.api.headlimit import MAX_HEAD_BYTES
from tests.api.conftest import FIXTURE


class Server:
    def __init__(self, port: int, log: IO[str]) -> None:
        self.port, self.log = port, log

    def exchange(self, *parts: bytes, pause: float = 0.0) -> bytes:
        """Send `parts` (waiting `pause` between them) and read until the server closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            try:
                for part in parts:
                    sock.sendall(part)
                    if pause:
                        time.sleep(pause)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed before the rest was sent
            answer = b""
            while True:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                answer += chunk
            return answer

    def log_text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    where = tmp_path_factory.mktemp("serve")
    log = (where / "stderr").open("w+")
    env = {k: v for k, v in os.environ.items() if k != "ADMIT_RULES"}
    process = subprocess.Popen([sys.executable, "-c", "from admit.cli import main; main()",
                                "serve", "--port", str(port), "--rules", str(FIXTURE)],
                               stderr=log, env=env, cwd=where)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/version", timeout=1):
                    break
            except OSError:
                assert process.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield Server(port, log)
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def request(path: str = "/v1/version", headers: bytes = b"", body: bytes = b"",
            method: bytes = b"GET", close: bool = True) -> bytes:
    head = method + b" " + path.encode() + b" HTTP/1.1\r\nHost: t\r\n" + headers
    if body:
        head += b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
    if close:
        head += b"Connection: close\r\n"
    return head + b"\r\n" + body


def status(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer[9:12])


def test_a_head_under_the_limit_is_served(server: Server) -> None:
    answer = server.exchange(request(headers=b"X-Pad: " + b"a" * (MAX_HEAD_BYTES - 500) + b"\r\n"))
    assert status(answer) == 200


def test_a_header_over_the_limit_is_431(server: Server) -> None:
    answer = server.exchange(request(headers=b"X-Pad: " + b"a" * 100_000 + b"\r\n"))
    assert status(answer) == 431


def test_many_small_headers_over_the_limit_are_431(server: Server) -> None:
    answer = server.exchange(request(headers=b"".join(b"X-%d: b\r\n" % i for i in range(3000))))
    assert status(answer) == 431


def test_a_long_path_is_431(server: Server) -> None:
    assert status(server.exchange(request(path="/v1/" + "a" * 40_000))) == 431


def test_a_head_that_never_ends_is_refused_while_it_comes(server: Server) -> None:
    # 64 chunks of 1 KiB without the blank line that ends the head: the server answers and
    # closes once it has had the limit, without waiting for the end.
    start = b"GET /v1/version HTTP/1.1\r\nHost: t\r\nX-Pad: "
    answer = server.exchange(start, *[b"a" * 1024] * 64, pause=0.005)
    assert status(answer) == 431


def test_a_body_is_not_counted_as_head(server: Server) -> None:
    answer = server.exchange(request("/v1/stay", body=b'{"pad": "' + b"x" * 200_000 + b'"}',
                                     method=b"POST"))
    assert status(answer) == 422


def test_pipelined_requests_are_all_answered(server: Server) -> None:
    answer = server.exchange(request(close=False) * 20 + request())
    assert answer.count(b"HTTP/1.1 200 OK") == 21


def test_odd_header_values_are_a_4xx_or_served(server: Server) -> None:
    for header in (b"If-Match: \xb2\xb3\r\n", b"Content-Type: \xff\xfe\r\n",
                   b"Authorization: Bearer \x80\x81\r\n", b"X-Odd: " + b"\xe9" * 5000 + b"\r\n"):
        assert status(server.exchange(request(headers=header))) in (200, 400)
    assert status(server.exchange(request(headers=b"Content-Length: 99999999999999999999\r\n"
                                          ))) in (400, 413)
    assert status(server.exchange(request(headers=b"Bad Header: x\r\n"))) == 400


def test_a_path_cannot_forge_a_log_line(server: Server) -> None:
    answer = server.exchange(request("/v1/countries/UTO%0d%0a2099-01-01%20INFO%20admit.access:"
                                     "%20GET%20/forged%20200"))
    assert status(answer) in (404, 422)
    lines = server.log_text().splitlines()
    assert not any(line.startswith("2099-01-01") for line in lines)
    assert any("GET /v1/countries/UTO%0d%0a2099-01-01%20INFO" in line for line in lines)
