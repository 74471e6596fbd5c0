"""Crash safety: kill -9 the server in the middle of a burst of writes; after a restart every
write it acknowledged is there and the audit trail verifies (SQLite: WAL + synchronous=FULL;
PostgreSQL: its own durable commit)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from admit.cases import CaseService
from tests.cases.conftest import key_text, refusal

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 6
KILL_AFTER = 60  # acknowledged writes before the kill


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, token: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.cases.server",
                                         str(self.port)], cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{self.url}/v1/cases", headers=auth(token), timeout=2)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, "the server exited on start"
            time.sleep(0.1)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def auth(token: str, version: int | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if version is not None:
        headers["If-Match"] = str(version)
    return headers


@pytest.fixture
def server(database_url: str, key: bytes) -> Iterator[Server]:
    env = {**os.environ, "ADMIT_DATABASE_URL": database_url, "ADMIT_CASES_KEY": key_text(key),
           "PYTHONPATH": str(ROOT)}
    running = Server(env)
    try:
        yield running
    finally:
        running.stop()


def test_kill_9_during_a_burst_loses_no_acknowledged_write(
        server: Server, service: CaseService) -> None:
    token = service.add_user("burst", "officer")
    server.start(token)
    cases = [httpx.post(f"{server.url}/v1/cases", json=refusal(), headers=auth(token),
                        timeout=10).json()["id"] for _ in range(3)]
    acknowledged: list[tuple[int, str]] = []
    lock = threading.Lock()
    killed = threading.Event()

    def writer(index: int) -> None:
        case_id = cases[index % len(cases)]  # two writers per case: conflicts happen too
        n = 0
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while not killed.is_set():
                text = f"w{index}-{n}"
                try:
                    seen = client.get(f"/v1/cases/{case_id}/events",
                                      headers=auth(token)).json()["events"][-1]["version"]
                    answer = client.post(f"/v1/cases/{case_id}/note", json={"text": text},
                                         headers=auth(token, seen))
                except httpx.TransportError:
                    return
                if answer.status_code == 200:
                    with lock:
                        acknowledged.append((case_id, text))
                    n += 1
                else:
                    assert answer.status_code == 409, answer.text

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    while len(acknowledged) < KILL_AFTER and all(t.is_alive() for t in threads):
        time.sleep(0.005)
    server.kill()
    killed.set()
    for t in threads:
        t.join(timeout=30)
    assert len(acknowledged) >= KILL_AFTER

    server.start(token)
    for case_id in cases:
        case = httpx.get(f"{server.url}/v1/cases/{case_id}", headers=auth(token),
                         timeout=30).json()
        stored = {n["text"] for n in case["notes"]}
        mine = {text for cid, text in acknowledged if cid == case_id}
        assert mine <= stored, sorted(mine - stored)
    report = httpx.get(f"{server.url}/v1/cases/verify", headers=auth(token), timeout=60).json()
    assert report["ok"], report
