"""The shipped JSON Schema: valid, documented field by field, and in agreement with the loader."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from admit.errors import RuleDataError
from admit.rules import default_data_dir, load_rules
from admit.rules.fields import schema
from admit.rules.loading import data_files
from admit.rules.yamlload import load_yaml
from tests.unit.test_rules_loader import BROKEN, FIXTURE, data_set

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
# Loader cases a schema can see too (the rest need the data set: codes, groups, references…).
STRUCTURAL = {"unknown-field", "bad-regime", "missing-regime", "missing-sources",
              "empty-sources", "source-without-url", "bool-as-number",
              "validity-without-requirement", "agreement-without-years", "empty-file"}


def _plain(value: Any) -> Any:
    """YAML values as JSON would hold them: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def field_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= field_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= field_names(value)
    return names


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_schema_field_is_documented() -> None:
    documented = set(re.findall(r"`([a-z_]+)", DOCS.read_text(encoding="utf-8")))
    missing = sorted(field_names(schema()) - documented)
    assert not missing, f"fields in schema.json not described in docs/rules.md: {missing}"


@pytest.mark.parametrize("root", [FIXTURE, default_data_dir()], ids=["fixture", "embedded"])
def test_data_sets_validate_against_the_schema(root: Path) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    for rel in data_files(root):
        document = _plain(load_yaml((root / rel).read_bytes(), rel))
        errors = [e.message for e in validator.iter_errors(document)]
        assert not errors, f"{rel}: {errors}"


@pytest.mark.parametrize("case", [c for c in BROKEN if c[0] in STRUCTURAL],
                         ids=[c[0] for c in BROKEN if c[0] in STRUCTURAL])
def test_schema_and_loader_reject_the_same_structure(tmp_path: Path, case: Any) -> None:
    _, files, _, _ = case
    root = data_set(tmp_path, files)
    with pytest.raises(RuleDataError):
        load_rules(root)
    validator = jsonschema.Draft202012Validator(schema())
    (rel,) = files
    document = _plain(load_yaml((root / rel).read_bytes(), rel))
    assert list(validator.iter_errors(document)), f"the schema accepts {rel} of {case[0]}"
