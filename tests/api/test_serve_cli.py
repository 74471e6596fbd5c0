"""`admit serve`: what `make run` starts — refused options, and a real server's access log."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from admit.cli import app
from admit.cli.serve import _listening_socket


def test_bad_options_exit_2() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "--port" in result.output
    result = runner.invoke(app, ["serve", "--rules", "/nonexistent/rules"])
    assert result.exit_code == 2 and "rule data" in result.output


def test_the_workers_socket_sends_small_answers_at_once() -> None:
    sock = _listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()


def test_a_served_request_is_logged_without_its_query(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "stderr").open("w+")
    env = {k: v for k, v in os.environ.items() if k != "ADMIT_RULES"}
    server = subprocess.Popen([sys.executable, "-c", "from admit.cli import main; main()",
                               "serve", "--port", str(port)], stderr=log, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/v1/version", timeout=1) as answer:
                    assert answer.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        query = "nationality=RUS&document=passport:RUS:2031-05-01&date=2023-02-27"
        with urllib.request.urlopen(f"{url}/v1/destinations?{query}", timeout=10) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        server.wait(10)
    log.seek(0)
    text = log.read()
    assert "GET /v1/destinations 200" in text
    assert "RUS" not in text and "passport" not in text and "nationality" not in text
