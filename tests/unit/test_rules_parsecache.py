"""The parse cache: an entry gives back exactly what the YAML parser gave, lines included; an
edited file misses; a damaged or foreign entry is ignored and rewritten; `off` writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from admit.errors import RuleDataError
from admit.rules import parsecache
from admit.rules.loading import data_files
from admit.rules.yamlload import LDict, LList, load_yaml

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


def same(a: Any, b: Any) -> bool:
    """Equal values, and equal lines on every mapping and sequence."""
    if isinstance(a, LDict):
        return (isinstance(b, LDict) and a.line == b.line and a.lines == b.lines
                and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a))
    if isinstance(a, LList):
        return (isinstance(b, LList) and a.line == b.line and a.lines == b.lines
                and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True)))
    return type(a) is type(b) and a == b


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(parsecache.ENV, str(where))
    return where


@pytest.mark.parametrize("rel", data_files(FIXTURE))
def test_an_entry_gives_back_what_the_parser_gave(cache: Path, rel: str) -> None:
    raw = (FIXTURE / rel).read_bytes()
    first = parsecache.load(raw, rel)  # parsed and stored
    assert len(list(cache.glob("*.json"))) == 1
    second = parsecache.load(raw, rel)  # read back
    assert same(second, load_yaml(raw, rel)) and same(first, second)


def test_an_edited_file_misses_and_its_errors_are_reported(cache: Path) -> None:
    good = b"verified: 2026-11-24\ngroups: {}\n"
    parsecache.load(good, "groups.yaml")
    with pytest.raises(RuleDataError, match="duplicate key"):
        parsecache.load(good + b"groups: {}\n", "groups.yaml")
    assert len(list(cache.glob("*.json"))) == 1  # nothing stored for a file that fails


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"a": 1}', b'["X", 1]', b'["M", 1, 2, 3]'])
def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(cache: Path, damage: bytes) -> None:
    raw = b"verified: 2026-11-24\nitems: [a, b]\n"
    parsecache.load(raw, "x.yaml")
    (entry,) = cache.glob("*.json")
    entry.write_bytes(damage)
    assert same(parsecache.load(raw, "x.yaml"), load_yaml(raw, "x.yaml"))
    assert same(parsecache.decode(__import__("json").loads(entry.read_bytes())),
                load_yaml(raw, "x.yaml"))


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parsecache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    raw = b"a: 1\n"
    assert parsecache.load(raw, "x.yaml") == {"a": 1}
    assert not any(tmp_path.rglob("*"))


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(parsecache.ENV, str(blocker / "cache"))
    assert parsecache.load(b"a: 1\n", "x.yaml") == {"a": 1}


def test_dates_and_scalars_round_trip(cache: Path) -> None:
    raw = b"d: 2024-02-29\nn: 3\nf: 1.5\nb: true\nz: null\ns: '2024-02-29'\n"
    parsecache.load(raw, "x.yaml")
    assert same(parsecache.load(raw, "x.yaml"), load_yaml(raw, "x.yaml"))
