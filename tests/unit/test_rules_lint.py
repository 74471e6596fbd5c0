"""`lint`: every problem at once, overlapping rules, schema findings, and the data sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from admit.rules.linter import lint
from tests.unit.test_rules_loader import FIXTURE, SRC, country, data_set


def entry(rule_id: str, nationalities: str, extra: str = "") -> str:
    return (f"  - id: {rule_id}\n    nationalities: {nationalities}\n    regime: visa_free\n"
            f"{extra}" + SRC)


def test_fixture_is_clean() -> None:
    assert lint(FIXTURE) == []


def test_embedded_data_set_is_clean() -> None:
    problems = lint()
    assert not problems, "\n".join(str(p) for p in problems)


def test_reports_every_problem_at_once(tmp_path: Path) -> None:
    bad = "entry:\n" + entry("a", "[XYZ]") + entry("b", "[QQQ]")
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(bad)})
    found = [str(p) for p in lint(root)]
    assert any(p.startswith("countries/ZZA.yaml:6:") and "'XYZ'" in p for p in found), found
    assert any(p.startswith("countries/ZZA.yaml:10:") and "'QQQ'" in p for p in found), found


def test_field_problems_carry_lines(tmp_path: Path) -> None:
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(
        "entry:\n" + entry("a", "[UTO]", "    max_stay_days: thirty\n"))})
    found = [str(p) for p in lint(root)]
    assert len(found) == 1 and found[0].startswith("countries/ZZA.yaml:8: entry[0]"), found
    assert "max_stay_days: expected a whole number >= 1, got 'thirty'" in found[0]


@pytest.mark.parametrize(("rules", "clash"), [
    (entry("a", "[ZZD]") + entry("b", "[ZZD]"), "rule 'b' overlaps rule 'a' (line 5) for ZZD"),
    (entry("a", "[ZZD]", "    until: 2019-12-31\n")
     + entry("b", "[ZZD]", "    from: 2020-01-01\n"), None),
    (entry("a", "[ZZD]", "    until: 2020-01-01\n")
     + entry("b", "[ZZD]", "    from: 2020-01-01\n"), "for ZZD from 2020-01-01 to 2020-01-01"),
    (entry("a", "default") + entry("b", "default"), "overlaps rule 'a' (line 5) for default"),
    (entry("a", "[ZZD]") + entry("b", "[ZZD]", "    documents: [diplomatic_passport]\n"), None),
    (entry("a", "[ZZD]", "    documents: [passport]\n")
     + entry("b", "[ZZD]", "    documents: [passport, diplomatic_passport]\n"),
     "overlaps rule 'a'"),
    (entry("a", "[ZZD]", "    purposes: [business]\n")
     + entry("b", "[ZZD]", "    purposes: [tourism]\n"), None),
    (entry("a", "[UNION]") + entry("b", "[ZZB]", "    until: 2019-12-31\n"), None),
    (entry("a", "[UNION]") + entry("b", "[ZZB]", "    until: 2020-06-30\n"),
     "for ZZB (through UNION) from 2020-01-01 to 2020-06-30"),
])
def test_overlaps(tmp_path: Path, rules: str, clash: str | None) -> None:
    root = data_set(tmp_path, {"countries/ZZA.yaml": country("entry:\n" + rules)})
    found = [str(p) for p in lint(root)]
    if clash is None:
        assert found == []
    else:
        assert len(found) == 1 and clash in found[0], found


def test_overlapping_documents_rules_are_reported_too(tmp_path: Path) -> None:
    docs = ("documents:\n  - id: a\n    nationalities: [UTO]\n    accept: [passport]\n" + SRC
            + "  - id: b\n    nationalities: [UTO]\n    accept: [national_id]\n" + SRC)
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(docs)})
    assert [p.line for p in lint(root)] == [9]


def test_lint_one_file_reports_only_it(tmp_path: Path) -> None:
    bad = "entry:\n" + entry("a", "[XYZ]")
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(bad),
                               "countries/ZZB.yaml": country(bad, code="ZZB")})
    assert {p.file for p in lint(root)} == {"countries/ZZA.yaml", "countries/ZZB.yaml"}
    assert {p.file for p in lint(root / "countries" / "ZZB.yaml")} == {"countries/ZZB.yaml"}
