"""The committed golden decision table matches a fresh generation from the shipped data."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path
from types import ModuleType

from admit.rules import load_rules

TOOL = Path(__file__).resolve().parents[2] / "tools" / "golden.py"


def golden() -> ModuleType:
    spec = importlib.util.spec_from_file_location("golden_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_golden_table_is_current() -> None:
    tool = golden()
    committed = tool.OUTPUT.read_text(encoding="utf-8") if tool.OUTPUT.exists() else ""
    fresh = tool.table(load_rules())
    if committed != fresh:
        diff = list(difflib.unified_diff(committed.splitlines(), fresh.splitlines(),
                                         "committed", "fresh", lineterm="", n=0))
        shown = "\n".join(diff[:40])
        raise AssertionError(f"tests/golden/decisions.csv is stale: run `make golden`\n{shown}")


def test_table_shape() -> None:
    tool = golden()
    rules = load_rules()
    lines = tool.table(rules).splitlines()
    assert lines[0] == "destination,nationality,2019-06-01,2023-02-27,2026-06-01"
    assert len(lines) == 1 + len(rules.destinations) * len(tool.NATIONALITIES)
    assert lines[1:] == sorted(lines[1:])
    cells = {c.split(":")[0] for line in lines[1:] for c in line.split(",")[2:]}
    assert cells <= {"ok", "arrival", "auth", "unknown", "refused"}
