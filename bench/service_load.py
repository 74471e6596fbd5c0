"""Load on loopback: checks per second and latency of POST /v1/check, and /v1/destinations time.

Why: a carrier's departure control calls the service once per passenger, in bursts; the targets
on this 2-core machine are at least 1,500 checks/s with a 99th percentile of at most 20 ms for
the story's trip, and at most 20 ms of server time for "where can I go" over every destination.
Run by hand (`python -m bench.service_load`), never as a timed test.

The server is `admit serve` in a subprocess on a free 127.0.0.1 port, as `make run` starts it
(access log on). The load generator is a bounded asyncio client written on raw streams, because
a general HTTP client in Python costs more per request than the service does: it keeps
`--connections` HTTP/1.1 keep-alive connections busy (a closed loop: each sends its next request
when the last answer arrives), stops after `--requests` requests or `--seconds` seconds, and
only ever talks to the loopback address it started the server on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlencode

HOST = "127.0.0.1"
STORY = {
    "traveller": {"nationalities": ["RUS"], "documents": [
        {"type": "passport", "issuer": "RUS", "issued": "2013-02-20", "expires": "2023-02-20"}]},
    "itinerary": [{"from": "KAZ", "to": "MNG", "date": "2023-02-27", "until": "2023-03-20"}],
}
WHERE = {"nationality": "RUS", "document": "passport:RUS:2030-01-01:2020-01-01",
         "date": "2023-02-27"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from admit.cli import main; main()", "serve",
               "--host", HOST, "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/v1/version", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def request_bytes(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: keep-alive\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
              payload: bytes) -> tuple[int, dict[str, str], bytes]:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def load(port: int, payload: bytes, connections: int, requests: int,
               seconds: float) -> tuple[list[int], float, int]:
    """Latencies in ns, the elapsed seconds, and the number of non-200 answers."""
    latencies: list[int] = []
    errors = 0
    remaining = requests
    stop_at = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal remaining, errors
        reader, writer = await asyncio.open_connection(HOST, port)
        clock = time.perf_counter_ns
        while remaining > 0 and time.monotonic() < stop_at:
            remaining -= 1
            start = clock()
            status, _, _ = await one(reader, writer, payload)
            latencies.append(clock() - start)
            errors += status != 200
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies, time.perf_counter() - started, errors


async def server_times(port: int, count: int) -> tuple[list[float], list[int]]:
    """Server-Timing of /v1/destinations (ms) and the client's latency (ns), one at a time."""
    reader, writer = await asyncio.open_connection(HOST, port)
    payload = request_bytes("GET", "/v1/destinations?" + urlencode(WHERE))
    server, client = [], []
    for _ in range(count):
        start = time.perf_counter_ns()
        status, headers, body = await one(reader, writer, payload)
        client.append(time.perf_counter_ns() - start)
        assert status == 200, body[:200]
        server.append(float(headers["server-timing"].split("dur=")[1]))
    writer.close()
    return server, client


def percentile(values: list[int] | list[float], share: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(len(ordered) * share))])


def event_loop() -> str:
    """uvloop for the client when it is installed (it halves the client's own cost); the server
    picks uvloop and httptools by itself when they are installed."""
    try:
        import uvloop  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return "asyncio"
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return "uvloop"


def server_stack() -> str:
    from importlib.util import find_spec

    loop = "uvloop" if find_spec("uvloop") else "asyncio"
    http = "httptools" if find_spec("httptools") else "h11"
    return f"uvicorn ({loop}, {http})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--requests", type=int, default=30000)
    parser.add_argument("--seconds", type=float, default=30.0, help="upper bound per phase")
    args = parser.parse_args()
    client_loop = event_loop()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        payload = request_bytes("POST", "/v1/check", json.dumps(STORY).encode())
        check = asyncio.run(one_check(port, payload))
        asyncio.run(load(port, payload, args.connections, 1000, 10))  # warm up
        latencies, elapsed, errors = asyncio.run(
            load(port, payload, args.connections, args.requests, args.seconds))
        timings, clients = asyncio.run(server_times(port, 300))
        destinations = json.loads(asyncio.run(destinations_body(port)))["destinations"]
    finally:
        server.terminate()
        server.wait(10)
    print(f"server {server_stack()}, {args.workers} worker(s); client {client_loop}, "
          f"{args.connections} connections")
    print(f"POST /v1/check, story trip ({check})")
    print(f"  {len(latencies)} requests in {elapsed:.2f} s: {len(latencies) / elapsed:,.0f} "
          f"checks/s, {errors} not 200")
    print(f"  latency p50 {statistics.median(latencies) / 1e6:.2f} ms, "
          f"p99 {percentile(latencies, 0.99) / 1e6:.2f} ms, "
          f"max {max(latencies) / 1e6:.2f} ms")
    print(f"GET /v1/destinations, {len(destinations)} destinations, 300 requests one at a time")
    print(f"  server time p50 {statistics.median(timings):.2f} ms, "
          f"p99 {percentile(timings, 0.99):.2f} ms; client latency p50 "
          f"{statistics.median(clients) / 1e6:.2f} ms, "
          f"p99 {percentile(clients, 0.99) / 1e6:.2f} ms")


async def one_check(port: int, payload: bytes) -> str:
    reader, writer = await asyncio.open_connection(HOST, port)
    status, _, body = await one(reader, writer, payload)
    writer.close()
    assert status == 200, body[:200]
    return str(json.loads(body)["status"])


async def destinations_body(port: int) -> bytes:
    reader, writer = await asyncio.open_connection(HOST, port)
    _, _, body = await one(reader, writer,
                           request_bytes("GET", "/v1/destinations?" + urlencode(WHERE)))
    writer.close()
    return body


if __name__ == "__main__":
    main()
