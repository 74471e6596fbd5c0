"""The embedded store's files on disk: the data directory, the SQLite files and the key are
private to the user admit runs as, whatever the umask; the key may live elsewhere."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from admit.cases import CaseService, StoreError
from admit.cases.crypto import KEY_FILE, load_key
from admit.rules import Rules
from tests.cases.conftest import OFFICER, refusal


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask, under which files are created world-readable unless asked not to."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("loose_umask")
def test_the_data_directory_database_and_key_are_private(tmp_path: Path,
                                                         fixture_rules: Rules) -> None:
    data = tmp_path / "var"
    svc = CaseService.from_env({"ADMIT_DATA_DIR": str(data)}, rules=fixture_rules)
    try:
        svc.open(OFFICER, refusal())
        files = sorted(p.name for p in data.iterdir())
        assert {"admit.db", "admit.db-wal", "admit.db-shm", KEY_FILE} <= set(files)
        assert _mode(data) == 0o700
        for name in files:
            assert _mode(data / name) == 0o600, name
    finally:
        svc.close()


@pytest.mark.usefixtures("loose_umask")
def test_a_database_file_left_readable_by_others_is_made_private(
        tmp_path: Path, fixture_rules: Rules) -> None:
    data = tmp_path / "var"
    data.mkdir()
    svc = CaseService.from_env({"ADMIT_DATA_DIR": str(data)}, rules=fixture_rules)
    svc.open(OFFICER, refusal())
    svc.close()
    for name in ("admit.db", "admit.db-wal", "admit.db-shm"):
        if (data / name).exists():
            (data / name).chmod(0o644)
    again = CaseService.from_env({"ADMIT_DATA_DIR": str(data)}, rules=fixture_rules)
    try:
        assert again.get(OFFICER, 1).version == 1
        for name in ("admit.db", "admit.db-wal", "admit.db-shm"):
            if (data / name).exists():
                assert _mode(data / name) == 0o600, name
    finally:
        again.close()


@pytest.mark.usefixtures("loose_umask")
def test_the_key_file_can_live_outside_the_data_directory(tmp_path: Path,
                                                          fixture_rules: Rules) -> None:
    keys = tmp_path / "secrets" / "admit"
    env = {"ADMIT_DATA_DIR": str(tmp_path / "var"),
           "ADMIT_CASES_KEY_FILE": str(keys / "cases.key")}
    svc = CaseService.from_env(env, rules=fixture_rules)
    try:
        svc.open(OFFICER, refusal())
    finally:
        svc.close()
    assert not (tmp_path / "var" / KEY_FILE).exists()
    assert _mode(keys / "cases.key") == 0o600 and _mode(keys) == 0o700
    assert load_key(tmp_path / "var", env) == load_key(tmp_path / "elsewhere", env)
    (keys / "cases.key").chmod(0o640)
    with pytest.raises(StoreError, match="readable by others"):
        load_key(tmp_path / "var", env)
