"""Collect the data-driven scenarios: `tests/scenarios/XXX.yaml`, one file per destination.

Why a loader of its own: each scenario file is written by whoever writes that destination's
rule file, so a malformed scenario must show up as a failing test that names the file and the
case, never as a collection crash that hides every other country, and never as a skip.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CASE_KEYS = {"name", "source", "trip", "expect", "note", "on"}
EXPECT_KEYS = {"status", "board", "codes", "max_stay_days"}


@dataclass(frozen=True)
class Scenario:
    """One case of one file; `problem` is set when the case itself is malformed."""

    file: str
    destination: str
    name: str
    raw: dict[str, Any]
    problem: str | None = None

    @property
    def id(self) -> str:
        return f"{self.destination}:{self.name}"


def load_scenarios(folder: Path = HERE) -> list[Scenario]:
    found: list[Scenario] = []
    for path in sorted(folder.glob("*.yaml")):
        found += _read(path)
    return found


def _read(path: Path) -> list[Scenario]:
    file = path.name
    stem = path.stem
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [Scenario(file, stem, "(file)", {}, f"{file}: not valid YAML: {exc}")]
    if not isinstance(data, dict) or set(data) - {"destination", "cases"}:
        return [Scenario(file, stem, "(file)", {}, f"{file}: expected the keys destination "
                         "and cases only")]
    destination = data.get("destination")
    if destination != stem:
        return [Scenario(file, stem, "(file)", {}, f"{file}: destination must be {stem!r}, "
                         f"got {destination!r}")]
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        return [Scenario(file, stem, "(file)", {}, f"{file}: cases must be a non-empty list")]
    out: list[Scenario] = []
    seen: set[str] = set()
    for index, case in enumerate(cases):
        name = case.get("name") if isinstance(case, dict) else None
        label = name if isinstance(name, str) and name else f"case-{index}"
        problem = _problem(case, label, seen)
        seen.add(label)
        out.append(Scenario(file, stem, label, case if isinstance(case, dict) else {},
                            f"{file} {label}: {problem}" if problem else None))
    return out


def _problem(case: object, label: str, seen: set[str]) -> str | None:
    if not isinstance(case, dict):
        return "a case must be a mapping"
    if label in seen:
        return "duplicate case name"
    missing = {"name", "source", "trip", "expect"} - set(case)
    if missing:
        return f"missing {', '.join(sorted(missing))}"
    if set(case) - CASE_KEYS:
        return f"unknown keys {sorted(set(case) - CASE_KEYS)}"
    source = case["source"]
    if not isinstance(source, dict) or not source.get("url") or not source.get("title"):
        return "source must give url and title"
    expect = case["expect"]
    if not isinstance(expect, dict) or "status" not in expect:
        return "expect must give at least status"
    if set(expect) - EXPECT_KEYS:
        return f"unknown expect keys {sorted(set(expect) - EXPECT_KEYS)}"
    return None
