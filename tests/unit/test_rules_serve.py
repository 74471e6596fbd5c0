"""`admit serve` validates the rule data it will serve — `--rules`, else `ADMIT_RULES`, else the
shipped set — before it starts, and hands its workers that same resolved directory; a broken
data set stops the start with exit 2 instead of a worker crash loop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import uvicorn.supervisors
from typer.testing import CliRunner, Result

from admit.cli import app
from admit.cli import serve as serve_module
from admit.rules import default_data_dir, load_rules
from tests.unit.test_rules_loader import country, data_set

RULES_ENV = "ADMIT_RULES"


class Started:
    """Stands in for uvicorn: records what would have been served, starts nothing."""

    def __init__(self) -> None:
        self.single: Any = None
        self.workers: list[Any] = []

    def run(self, application: Any, **_: Any) -> None:
        self.single = application

    def supervisor(self, config: Any, sockets: Any) -> Any:
        started = self

        class Supervisor:
            def run(self) -> None:
                # What each worker process does: build its app from the environment.
                started.workers.append(serve_module.create_app_from_env())

        return Supervisor()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Started:
    fake = Started()
    monkeypatch.setattr(uvicorn, "run", fake.run)
    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", fake.supervisor)
    monkeypatch.setattr(serve_module, "_listening_socket", lambda host, port: None)
    monkeypatch.delenv(RULES_ENV, raising=False)
    return fake


def serve(*args: str) -> Result:
    with socket.socket() as probe:  # a free port: the command checks it can listen there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return CliRunner().invoke(app, ["serve", "--port", str(port), *args])


def unwrapped(text: str) -> str:
    """The console folds long lines (inside a path, too): compare without any whitespace."""
    return "".join(text.split())


def broken(tmp_path: Path) -> Path:
    return data_set(tmp_path, {"countries/ZZA.yaml": country("", code="ZZB")})


def test_a_broken_admit_rules_stops_a_multi_worker_start(tmp_path: Path, started: Started,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = broken(tmp_path)
    monkeypatch.setenv(RULES_ENV, str(root))
    result = serve("--workers", "2")
    assert result.exit_code == 2, result.output
    assert f"{root}/countries/ZZA.yaml:1:country:thefileisnamedZZA.yaml" in unwrapped(
        result.stderr), result.stderr
    assert started.workers == [] and started.single is None
    assert "serving" not in result.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_admit_rules_is_what_is_validated_and_served(tmp_path: Path, started: Started,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     workers: int) -> None:
    root = data_set(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(RULES_ENV, "rules")  # relative: resolved once, in the parent
    result = serve("--workers", str(workers))
    assert result.exit_code == 0, result.output
    served = [started.single] if workers == 1 else started.workers
    assert len(served) == 1 and served[0].state.rules.path == root.resolve()
    version = load_rules(root).data_version
    assert f"ruledata{root.resolve()}(dataversion{version})" in unwrapped(
        result.stderr), result.stderr
    if workers > 1:
        assert os.environ[RULES_ENV] == str(root.resolve())


def test_the_rules_option_beats_admit_rules(tmp_path: Path, started: Started,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RULES_ENV, str(broken(tmp_path / "env")))
    good = data_set(tmp_path / "option", {})
    result = serve("--workers", "2", "--rules", str(good))
    assert result.exit_code == 0, result.output
    assert [w.state.rules.path for w in started.workers] == [good.resolve()]


def test_without_either_the_shipped_set_is_served(started: Started) -> None:
    result = serve("--workers", "2")
    assert result.exit_code == 0, result.output
    assert [w.state.rules.path for w in started.workers] == [default_data_dir().resolve()]
    assert os.environ[RULES_ENV] == str(default_data_dir().resolve())


def test_a_real_multi_worker_start_on_broken_data_exits_2(tmp_path: Path) -> None:
    root = broken(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, RULES_ENV: str(root)}
    server = subprocess.Popen([sys.executable, "-c", "from admit.cli import main; main()",
                               "serve", "--port", str(port), "--workers", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _, stderr = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
        pytest.fail("admit serve kept running on a broken data set")
    assert server.returncode == 2, stderr
    assert f"{root}/countries/ZZA.yaml:1:" in unwrapped(stderr), stderr
    assert "Traceback" not in stderr
