"""Every destination with a rule file has a scenario file that shows the three outcomes a user
meets most (docs/adding-a-destination.md): admitted, needing an authorization, refused on
documents — each case with the source that justifies it. Adding a country is one rule file
plus this scenario file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES = sorted(p.stem for p in (ROOT / "src" / "admit" / "data" / "countries").glob("*.yaml"))
DOCUMENT_CODES = {"DOCUMENT_EXPIRED", "VALIDITY_TOO_SHORT", "DOCUMENT_NOT_ACCEPTED",
                  "DOCUMENT_TOO_OLD"}


@pytest.mark.parametrize("code", COUNTRIES)
def test_scenario_file_shows_the_three_outcomes(code: str) -> None:
    path = ROOT / "tests" / "scenarios" / f"{code}.yaml"
    assert path.exists(), f"{code} has a rule file but no tests/scenarios/{code}.yaml"
    cases: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 3
    statuses = [case["expect"]["status"] for case in cases]
    assert {"admissible", "admissible_on_arrival"} & set(statuses), "no admitted case"
    assert "authorization_required" in statuses, "no case needing a visa or other authorization"
    assert any(case["expect"]["status"] == "inadmissible"
               and DOCUMENT_CODES & set(case["expect"].get("codes", [])) for case in cases), (
        "no case refused on documents")
    for case in cases:
        source = case.get("source")
        assert isinstance(source, dict) and source.get("url") and source.get("title"), case["name"]
