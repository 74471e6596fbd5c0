"""Coverage of the rule data: the computation on the fixture set, the `admit rules coverage`
command, and docs/data-coverage.md kept current with the shipped data."""

from __future__ import annotations

import difflib
import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from admit.cli import app
from admit.cli.app import stdout
from admit.cli.rules import NATIONALITIES, nationalities_covered
from admit.rules import load_rules
from admit.rules.coverage import Coverage, Gap, is_gap_note, primary_share, report
from tests.unit.test_rules_loader import FIXTURE, SRC, country, data_set

TOOLS = Path(__file__).resolve().parents[2] / "tools"
DAY = date(2026, 6, 1)
runner = CliRunner()


def tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_tool", TOOLS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(path: Path, on: date = DAY) -> dict[str, Coverage]:
    return {row.code: row for row in report(path, on).destinations}


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables fold long cells at 80 columns; the tests read whole rows."""
    monkeypatch.setattr(stdout, "width", 200)


def test_fixture_parts_count_own_and_policy_rules() -> None:
    found = rows(FIXTURE)
    assert list(found) == ["UTO", "ZZA", "ZZB", "ZZD"]
    uto = found["UTO"]
    assert uto.name == "Utopia" and uto.policies == ("AREA",)
    # UTO's own rules plus those of the AREA policy it applies
    assert dict(uto.rules) == {"entry": 7 + 2, "documents": 3 + 1, "validity": 1 + 1,
                               "transit": 0 + 2, "exemptions": 1 + 1}
    zza = found["ZZA"]
    assert dict(zza.rules) == {"entry": 2, "documents": 0, "validity": 0, "transit": 0,
                               "exemptions": 0}
    assert zza.has("entry") and not zza.has("documents") and not zza.has("transit")
    assert all(row.unsourced == 0 and row.problems == 0 for row in found.values())
    assert {row.verified for row in found.values()} == {date(2026, 11, 24)}


def test_default_entry_rule() -> None:
    found = rows(FIXTURE)
    assert not found["ZZA"].default_entry  # names UTO and ZZB only
    assert found["ZZB"].default_entry  # its own default
    assert found["UTO"].default_entry  # the AREA policy's default


def test_default_through_a_policy_counts_only_while_a_member(tmp_path: Path) -> None:
    own = ("policies: [AREA]\nentry:\n  - id: named\n    nationalities: [ZZE]\n"
           "    regime: visa_free\n" + SRC)
    root = data_set(tmp_path, {"countries/ZZD.yaml": country(own, "ZZD")})
    assert not rows(root, date(2009, 12, 31))["ZZD"].default_entry  # joins AREA in 2010
    assert rows(root, date(2010, 1, 1))["ZZD"].default_entry


@pytest.mark.parametrize(("extra", "day", "expected"), [
    ("    until: 2020-12-31\n", date(2020, 12, 31), True),
    ("    until: 2020-12-31\n", date(2021, 1, 1), False),
    ("    from: 2024-01-01\n", date(2023, 12, 31), False),
    ("    documents: [diplomatic_passport]\n", DAY, False),
    ("    purposes: [tourism]\n", DAY, False),
    ("", DAY, True),
])
def test_own_default_must_be_in_force_and_unrestricted(tmp_path: Path, extra: str, day: date,
                                                       expected: bool) -> None:
    body = ("entry:\n  - id: default\n    nationalities: default\n    regime: visa_required\n"
            + extra + SRC)
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(body)})
    assert rows(root, day)["ZZA"].default_entry is expected


def test_oldest_verified_of_file_and_policies(tmp_path: Path) -> None:
    uto = (FIXTURE / "countries" / "UTO.yaml").read_text()
    root = data_set(tmp_path, {"countries/UTO.yaml": uto.replace("verified: 2026-11-24",
                                                                 "verified: 2025-03-01")})
    found = rows(root)
    assert found["UTO"].verified == date(2025, 3, 1)
    policy = (FIXTURE / "policies" / "AREA.yaml").read_text()
    root = data_set(tmp_path / "older-policy", {
        "policies/AREA.yaml": policy.replace("verified: 2026-11-24", "verified: 2024-02-02")})
    found = rows(root)
    assert found["UTO"].verified == found["ZZD"].verified == date(2024, 2, 2)
    assert found["ZZB"].verified == date(2026, 11, 24)  # applies no policy


def test_rules_without_sources_are_counted_on_a_data_set_that_does_not_load(
        tmp_path: Path) -> None:
    body = ("entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
            "  - id: b\n    nationalities: [ZZB]\n    regime: visa_free\n    sources: []\n"
            "  - id: c\n    nationalities: [ZZD]\n    regime: visa_free\n" + SRC)
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(body)})
    found = report(root, DAY)
    zza = {row.code: row for row in found.destinations}["ZZA"]
    assert zza.unsourced == 2 and zza.rules["entry"] == 3 and zza.problems == 2
    assert found.problems == 2


def test_unreadable_file_still_has_a_row(tmp_path: Path) -> None:
    root = data_set(tmp_path, {"countries/ZZA.yaml": "country: ZZA\nname: [unclosed\n"})
    zza = rows(root)["ZZA"]
    assert zza.problems == 1 and zza.verified is None and not zza.default_entry
    assert not any(zza.has(part) for part in zza.rules)


def test_gaps_are_the_file_note_and_rule_notes_that_name_what_is_missing(
        tmp_path: Path) -> None:
    body = ("note: No transit rules.\nentry:\n"
            "  - id: found\n    nationalities: [UTO]\n    regime: visa_free\n"
            "    note: Start date not found.\n" + SRC +
            "  - id: explained\n    nationalities: [ZZB]\n    regime: visa_free\n"
            "    note: Ninety days, written as 90.\n" + SRC +
            "  - id: modelled\n    nationalities: [ZZD]\n    regime: visa_free\n"
            "    note: >-\n      The invitation they need is\n      not modelled.\n" + SRC)
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(body)})
    assert rows(root)["ZZA"].gaps == (
        Gap("ZZA", "No transit rules."), Gap("ZZA#found", "Start date not found."),
        Gap("ZZA#modelled", "The invitation they need is not modelled."))


@pytest.mark.parametrize(("note", "expected"), [
    ("Its entry-into-force date was not in the source read.", True),
    ("The list read was cut off after Japan.", True),
    ("The format cannot express entry points.", True),
    ("Transitional arrangements are not modelled.", True),
    ("This default states its law, not a gap.", False),
    ("The trials were extended without a gap.", False),
    ("Visa-free from 1 May 2005, made permanent from 1 September 2005.", False),
    ("Four months, encoded as 120 days.", False),
])
def test_gap_notes(note: str, expected: bool) -> None:
    assert is_gap_note(note) is expected


def test_nationalities_covered_on_the_fixture_agree_with_the_golden_table() -> None:
    rules = load_rules(FIXTURE)
    counts = nationalities_covered(rules, DAY)
    # ZZA names only fictional nationalities; ZZB has no documents rule, so the refugee and
    # stateless travel documents (XXA, XXB) are unknown there; UTO and ZZD answer everyone.
    assert counts == {"UTO": 251, "ZZA": 0, "ZZB": 249, "ZZD": 251}
    golden = tool("golden")
    assert golden.NATIONALITIES == NATIONALITIES
    for code, count in counts.items():
        assert count == sum(golden.cell(rules, code, n, DAY).split(":")[0] != "unknown"
                            for n in NATIONALITIES)


def test_document_renders_a_row_and_the_gaps_of_each_destination() -> None:
    page = tool("data_coverage")
    rules = load_rules(FIXTURE)
    text = page.render(report(FIXTURE, DAY), nationalities_covered(rules, DAY))
    lines = text.splitlines()
    # ZZA's ban rests on a press report only: half its rules have a primary source.
    assert ("| ZZA | Zedland | 0 / 251 | 2, no default | — | — | — | — | 0 | 50% | 2026-11-24 "
            "|  |" in lines)
    assert ("| UTO | Utopia | 251 / 251 | 9, default | 4 | 2 | 2 | 2 | 0 | 100% | 2026-11-24 "
            "| AREA |" in lines)
    share = primary_share(report(FIXTURE, DAY).destinations)
    assert share is not None and 0.9 < share < 1
    assert "4 destinations; 3 have a default entry rule on 2026-06-01; 2 answer for all 251 " \
           f"nationalities; {share:.0%} of their rules have a primary source." in lines
    gaps = lines[lines.index("### ZZA — Zedland"):]
    assert gaps[2] == "- No documents or validity section, and no default entry rule."
    assert "### AREA — Common visa area policy" in lines
    assert "### ZZB — Yonderland" not in lines  # no note, so no known gaps


def test_data_coverage_doc_is_current() -> None:
    page = tool("data_coverage")
    committed = page.OUTPUT.read_text(encoding="utf-8") if page.OUTPUT.exists() else ""
    fresh = page.document()
    if committed != fresh:
        diff = list(difflib.unified_diff(committed.splitlines(), fresh.splitlines(),
                                         "committed", "fresh", lineterm="", n=0))
        shown = "\n".join(diff[:40])
        raise AssertionError(f"docs/data-coverage.md is stale: run `make coverage-doc`\n{shown}")


def test_cli_coverage_prints_each_destination() -> None:
    result = runner.invoke(app, ["rules", "coverage", "--rules", str(FIXTURE), "--on",
                                 "2026-06-01", "--gaps"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    zza = next(line for line in lines if line.startswith("ZZA"))
    assert zza.split() == ["ZZA", "Zedland", "0", "2", "—", "—", "—", "—", "50%", "2026-11-24"]
    uto = next(line for line in lines if line.startswith("UTO"))
    assert uto.split() == ["UTO", "Utopia", "251", "9*", "4", "2", "2", "2", "100%",
                           "2026-11-24"]
    assert "  ZZA: No documents or validity section, and no default entry rule." in lines
    assert "Policy AREA Common visa area policy" in lines


def test_cli_coverage_reports_problems_instead_of_counting(tmp_path: Path) -> None:
    body = "entry:\n  - id: a\n    nationalities: [UTO]\n    regime: visa_free\n"
    root = data_set(tmp_path, {"countries/ZZA.yaml": country(body)})
    result = runner.invoke(app, ["rules", "coverage", "--rules", str(root)])
    assert result.exit_code == 0, result.output
    zza = next(line for line in result.stdout.splitlines() if line.startswith("ZZA"))
    assert zza.split()[2:4] == ["?", "1"] and zza.split()[-3:-1] == ["1", "?"]
    assert "1 problem(s) in the data set" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--on", "June"], "--on: not a date (got 'June')"),
    (["--rules", "/nowhere/at/all"], "no such data directory"),
])
def test_cli_coverage_bad_input_exits_two(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["rules", "coverage", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
