"""Cross-checking admit against a visa matrix: reading the matrix, the two scales, the
comparison on the fixture world, explanations, the Markdown page, and docs/data-crosscheck.md
kept current (only where the shared matrix is present: it is not part of the repository).

Nothing here asserts that admit agrees with the shared matrix: it is a lead, not the truth."""

from __future__ import annotations

import difflib
import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from admit.errors import InputError, RuleDataError
from admit.model import Code, Finding, LegDecision, Status
from admit.rules import load_rules
from admit.rules.compare import (
    Answer,
    Board,
    Kind,
    Level,
    Report,
    answer,
    classify,
    compare,
    parse_matrix,
    to_json,
)
from admit.rules.compare_markdown import render
from admit.rules.compare_notes import Explanation, read_explanations
from tests.shared import require_shared

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "rules"
MATRIX = ROOT / "tests" / "fixtures" / "crosscheck-matrix.csv"
DAY = date(2026, 2, 17)
FICTIONAL = frozenset({"ZZA", "ZZB", "ZZC", "ZZD", "ZZE"})
HEADER = "Passport,Destination,Requirement\n"


def tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_tool", ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixture_report(on: date = DAY, explanations: tuple[Explanation, ...] = (),
                   destinations: set[str] | None = None) -> Report:
    rules = load_rules(FIXTURE)
    cells = parse_matrix(MATRIX.read_text(encoding="utf-8"), rules.extra_codes)
    return compare(rules, cells, on, destinations, explanations)


def kinds(report: Report) -> dict[tuple[str, str], Kind]:
    return {(r.code, p.passport): p.kind for r in report.destinations for p in r.pairs}


NOTES = """\
- destination: UTO
  passports: [ZZE]
  reason: matrix-wrong
  note: >-
    The Annex lists ZZE
    as visa-free.
  sources:
    - {url: https://example.org/area-code, title: Common visa area code, kind: treaty}
- destination: ZZA
  passports: all
  reason: no-source-found
  note: Zedland publishes only its list for UTO and ZZB.
- destination: ZZB
  passports: [ZZE]
  reason: admit-newer
  note: Agrees now; kept to show an unused explanation.
  sources:
    - {url: https://example.org/zzb-visas, title: Yonderland visa regulation, kind: official}
"""


# --- the two scales ---------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("7", (Level.VISA_FREE, 7)),
    ("90", (Level.VISA_FREE, 90)),
    ("360", (Level.VISA_FREE, 360)),
    ("visa free", (Level.VISA_FREE, None)),
    ("Visa  Free ", (Level.VISA_FREE, None)),
    ("visa on arrival", (Level.VISA_ON_ARRIVAL, None)),
    ("eta", (Level.ETA, None)),
    ("e-visa", (Level.EVISA, None)),
    ("visa required", (Level.VISA_REQUIRED, None)),
    ("no admission", (Level.NOT_ADMITTED, None)),
    ("-1", None),
])
def test_every_matrix_value_is_classified(value: str,
                                          expected: tuple[Level, int | None] | None) -> None:
    assert classify(value) == expected


@pytest.mark.parametrize("value", ["6", "361", "0", "maybe", "visa", "", "-2", "90 days"])
def test_values_the_matrix_does_not_use_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="7-360"):
        classify(value)


def test_board_levels() -> None:
    assert {level: level.board for level in Level} == {
        Level.VISA_FREE: Board.FREE, Level.VISA_ON_ARRIVAL: Board.FREE,
        Level.ETA: Board.AUTHORIZATION, Level.EVISA: Board.AUTHORIZATION,
        Level.VISA_REQUIRED: Board.AUTHORIZATION, Level.NOT_ADMITTED: Board.REFUSED,
        Level.UNKNOWN: Board.UNKNOWN}


def _leg(status: Status, *findings: Finding, days: int | None = None) -> LegDecision:
    return LegDecision(country="ZZA", date=DAY, role="destination", status=status,
                       document=None, max_stay_days=days, findings=findings)


def test_answer_takes_the_governing_entry_rule_or_the_refusal() -> None:
    entry = Finding(Code.FREEDOM_OF_MOVEMENT, Status.ADMISSIBLE, "m", "UTO#union")
    assert answer(_leg(Status.ADMISSIBLE, entry)) == Answer(Level.VISA_FREE, None, "UTO#union")
    eta = Finding(Code.ETA_REQUIRED, Status.AUTHORIZATION_REQUIRED, "m", "UTO#zzd-eta")
    assert answer(_leg(Status.AUTHORIZATION_REQUIRED, eta, days=90)) == Answer(
        Level.ETA, 90, "UTO#zzd-eta")
    # A document the destination does not accept refuses before any entry rule is read.
    refused = Finding(Code.DOCUMENT_NOT_ACCEPTED, Status.INADMISSIBLE, "m", "ZZA#documents")
    assert answer(_leg(Status.INADMISSIBLE, refused)) == Answer(
        Level.NOT_ADMITTED, None, "ZZA#documents")
    # A regime that admits, with a passport too short-lived, still refuses boarding.
    short = Finding(Code.VALIDITY_TOO_SHORT, Status.INADMISSIBLE, "m", "ZZB#six-months")
    visa_free = Finding(Code.VISA_FREE, Status.ADMISSIBLE, "m", "ZZB#zze-short-stays")
    assert answer(_leg(Status.INADMISSIBLE, short, visa_free, days=30)).level == (
        Level.NOT_ADMITTED)
    missing = Finding(Code.NO_RULE, Status.UNKNOWN, "m")
    assert answer(_leg(Status.UNKNOWN, missing)) == Answer(Level.UNKNOWN, None, None)


# --- reading the matrix -----------------------------------------------------------------

def test_matrix_cells_skip_own_country_and_read_kosovo_as_rks() -> None:
    cells = parse_matrix(MATRIX.read_text(encoding="utf-8"), FICTIONAL)
    assert len(cells) == 16  # 17 rows, one own country
    assert ("UTO", "UTO") not in {(c.passport, c.destination) for c in cells}
    kosovo = [c for c in cells if "RKS" in (c.passport, c.destination)]
    assert [(c.row, c.passport, c.destination) for c in kosovo] == [
        (8, "RKS", "UTO"), (18, "ZZA", "RKS")]
    ninety = next(c for c in cells if c.passport == "ZZB" and c.destination == "UTO")
    assert (ninety.row, ninety.value, ninety.level, ninety.days) == (4, "90", Level.VISA_FREE, 90)


def test_matrix_tolerates_a_byte_order_mark_and_blank_lines() -> None:
    cells = parse_matrix("\ufeff" + HEADER + "\nZZA,UTO,eta\n\n", FICTIONAL)
    assert [(c.row, c.level) for c in cells] == [(3, Level.ETA)]


@pytest.mark.parametrize(("text", "field", "value", "reason"), [
    ("", "row 1 (header)", "", "expected the columns Passport, Destination, Requirement"),
    ("Pass,Dest,Req\n", "row 1 (header)", "Pass,Dest,Req", "expected the columns"),
    (HEADER + "ZZA,UTO,eta\nZZB,UTO,maybe\n", "row 3, Requirement", "maybe",
     "expected a number of days (7-360)"),
    (HEADER + "ZZA,UTO,400\n", "row 2, Requirement", "400", "must be 7-360"),
    (HEADER + "QQQ,UTO,eta\n", "row 2, Passport", "QQQ", "not a country code"),
    (HEADER + "ZZA,XKV,eta\n", "row 2, Destination", "XKV", "not a country code"),
    (HEADER + "ZZA,UTO\n", "row 2", "ZZA,UTO", "expected 3 values"),
    (HEADER + "ZZA,UTO,eta\nZZA,UTO,e-visa\n", "row 3", "ZZA,UTO", "already on row 2"),
])
def test_bad_matrix_names_the_row_the_field_and_the_value(text: str, field: str, value: str,
                                                          reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_matrix(text, FICTIONAL)
    assert caught.value.field == field
    assert caught.value.value == value
    assert reason in caught.value.reason


def test_fictional_codes_only_where_the_data_set_declares_them() -> None:
    with pytest.raises(InputError, match="row 2, Passport"):
        parse_matrix(HEADER + "ZZA,UTO,eta\n")


# --- the comparison on the fixture world --------------------------------------------------

def test_each_pair_is_classified_against_the_engine() -> None:
    assert kinds(fixture_report()) == {
        ("UTO", "RKS"): Kind.EXACT,  # eta against visa_required: both need an authorization
        ("UTO", "USA"): Kind.AGREE,
        ("UTO", "ZZA"): Kind.AGREE,  # freedom of movement is visa_free
        ("UTO", "ZZB"): Kind.AGREE,  # 90 days is visa_free
        ("UTO", "ZZC"): Kind.AGREE,
        ("UTO", "ZZD"): Kind.BOARD,  # on arrival against an ETA
        ("UTO", "ZZE"): Kind.WORST,  # e-visa against visa-free
        ("ZZA", "UTO"): Kind.EXACT,  # 360 days against on arrival: both board
        ("ZZA", "ZZB"): Kind.BOARD,  # visa required against refused
        ("ZZA", "ZZD"): Kind.UNKNOWN,
        ("ZZB", "UTO"): Kind.EXACT,
        ("ZZB", "ZZC"): Kind.BOARD,  # refused against an eVisa
        ("ZZB", "ZZE"): Kind.AGREE,
        ("ZZD", "UTO"): Kind.WORST,  # visa required against on arrival
        ("ZZD", "ZZE"): Kind.AGREE,
    }


def test_disagreements_cite_the_rule_admit_applied_worst_first() -> None:
    by_code = {r.code: r for r in fixture_report().destinations}
    uto = [(p.passport, p.kind, p.admit.level, p.admit.days, p.admit.rule)
           for p in by_code["UTO"].disagreements()]
    assert uto == [
        ("ZZE", Kind.WORST, Level.VISA_FREE, 90, "AREA#annex-free"),
        ("ZZD", Kind.BOARD, Level.ETA, 90, "UTO#zzd-eta"),
        ("RKS", Kind.EXACT, Level.VISA_REQUIRED, None, "AREA#annex-visa"),
    ]
    zza = by_code["ZZA"].disagreements()
    assert [(p.passport, p.admit.rule) for p in zza] == [
        ("ZZB", "ZZA#zzb-barred"), ("UTO", "ZZA#uto-on-arrival"), ("ZZD", None)]
    assert [p.passport for p in by_code["ZZD"].disagreements(Kind.WORST)] == ["UTO"]
    assert by_code["ZZD"].disagreements(Kind.WORST)[0].admit.rule == "ZZD#default-on-arrival"


def test_tallies_and_confusion_matrix() -> None:
    report = fixture_report()
    by_code = {r.code: r.tally for r in report.destinations}
    uto = by_code["UTO"]
    assert (uto.pairs, uto.exact, uto.board, uto.unknown, uto.worst) == (7, 4, 5, 0, 1)
    assert dict(uto.confusion) == {
        (Board.FREE, Board.FREE): 2, (Board.FREE, Board.AUTHORIZATION): 1,
        (Board.AUTHORIZATION, Board.FREE): 1, (Board.AUTHORIZATION, Board.AUTHORIZATION): 2,
        (Board.REFUSED, Board.REFUSED): 1}
    zza = by_code["ZZA"]
    assert (zza.pairs, zza.exact, zza.board, zza.unknown, zza.worst) == (3, 0, 1, 1, 0)
    assert zza.percent(zza.unknown) == 33.3
    total = report.tally
    assert (total.pairs, total.exact, total.board, total.unknown, total.worst) == (15, 6, 9, 1, 2)
    assert total.unexplained == 9
    assert sum(total.confusion.values()) == 15
    assert total.confusion[Board.FREE, Board.UNKNOWN] == 1
    assert (total.percent(total.exact), total.percent(total.board)) == (40.0, 60.0)
    assert report.no_rule_file == ("RKS",)
    assert report.not_in_matrix == ()


def test_the_date_of_the_rules_changes_the_answer() -> None:
    # UTO#zzd-visa-free is in force 2015-2022, UTO#zzd-eta from 2023; ZZC was a member of the
    # Union until 2019 and is barred from 2020.
    before = {(r.code, p.passport): p for r in fixture_report(date(2019, 6, 1)).destinations
              for p in r.pairs}
    assert before["UTO", "ZZD"].admit == Answer(Level.VISA_FREE, 30, "UTO#zzd-visa-free")
    assert before["UTO", "ZZD"].kind == Kind.EXACT
    assert before["UTO", "ZZC"].admit == Answer(Level.VISA_FREE, None, "UTO#union")
    assert before["UTO", "ZZC"].kind == Kind.WORST
    after = {(r.code, p.passport): p for r in fixture_report().destinations for p in r.pairs}
    assert after["UTO", "ZZD"].admit == Answer(Level.ETA, 90, "UTO#zzd-eta")
    assert after["UTO", "ZZC"].admit.level == Level.NOT_ADMITTED


def test_destination_filter() -> None:
    report = fixture_report(destinations={"ZZB"})
    assert [r.code for r in report.destinations] == ["ZZB"]
    assert report.tally.pairs == 3
    assert report.no_rule_file == ()  # RKS was not asked for


# --- explanations -----------------------------------------------------------------------

def test_explanations_cover_pairs_and_count_what_is_left() -> None:
    notes = read_explanations(NOTES, "notes.yaml", FICTIONAL)
    assert [(n.line, n.destination, n.passports, n.reason) for n in notes] == [
        (1, "UTO", ("ZZE",), "matrix-wrong"), (9, "ZZA", None, "no-source-found"),
        (13, "ZZB", ("ZZE",), "admit-newer")]
    assert notes[0].note == "The Annex lists ZZE as visa-free."
    assert notes[0].sources[0].kind == "treaty"
    report = fixture_report(explanations=notes)
    pairs = {(r.code, p.passport): p for r in report.destinations for p in r.pairs}
    assert pairs["UTO", "ZZE"].explanation == notes[0]
    assert pairs["UTO", "ZZD"].explanation is None
    assert {pairs["ZZA", p].explanation for p in ("UTO", "ZZB", "ZZD")} == {notes[1]}
    assert pairs["ZZB", "ZZE"].explanation is None  # it agrees: nothing to explain
    assert report.unused == (notes[2],)
    by_code = {r.code: r.tally for r in report.destinations}
    assert (by_code["UTO"].unexplained, by_code["ZZA"].unexplained) == (2, 0)
    assert report.tally.unexplained == 9 - 4


def test_empty_explanations_file() -> None:
    assert read_explanations("# nothing yet\n[]\n", "notes.yaml") == ()
    assert read_explanations("# nothing yet\n", "notes.yaml") == ()


def test_shipped_explanations_file_reads() -> None:
    path = ROOT / "docs" / "data-crosscheck-notes.yaml"
    read_explanations(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(("text", "line", "message"), [
    ("destination: UTO\n", 1, "explanations: expected a list"),
    ("- destination: UTO\n  passports: all\n  reason: vibes\n  note: x\n", 3,
     "[0].reason: expected one of admit-newer, matrix-wrong, no-source-found, "
     "condition-not-flattened, got 'vibes'"),
    ("- destination: QQQ\n  passports: all\n  reason: no-source-found\n  note: x\n", 1,
     "[0].destination: expected a country code, got 'QQQ'"),
    ("- destination: UTO\n  passports: [ZZA, 12]\n  reason: no-source-found\n  note: x\n", 2,
     "[0].passports[1]: expected a country code, got 12"),
    ("- destination: UTO\n  passports: some\n  reason: no-source-found\n  note: x\n", 2,
     "[0].passports (a list or all): expected a list, got 'some'"),
    ("- destination: UTO\n  passports: []\n  reason: no-source-found\n  note: x\n", 2,
     "[0].passports: expected at least one code or all"),
    ("- destination: UTO\n  passports: all\n  reason: admit-newer\n  note: x\n", 1,
     "[0].sources: reason admit-newer needs at least one source"),
    ("- destination: UTO\n  passports: all\n  reason: matrix-wrong\n  note: x\n  sources:\n"
     "    - {url: ftp://x, title: X, kind: official}\n", 6,
     "[0].sources[0].url: expected an http(s) URL, got 'ftp://x'"),
    ("- destination: UTO\n  passports: all\n  reason: matrix-wrong\n  note: x\n  sources:\n"
     "    - {url: https://x.org, title: X, kind: blog}\n", 6, "[0].sources[0].kind"),
    ("- destination: UTO\n  passports: all\n  reason: no-source-found\n", 1,
     "[0]: missing required field 'note'"),
    ("- destination: UTO\n  passports: all\n  reason: no-source-found\n  note: x\n"
     "  why: y\n", 5, "[0]: unknown field 'why'"),
    ("- [UTO]\n", 1, "[0]: expected a mapping, got a list"),
    ("- destination: [UTO\n", 2, "not valid YAML"),
])
def test_bad_explanations_name_file_line_field_and_value(text: str, line: int,
                                                         message: str) -> None:
    with pytest.raises(RuleDataError) as caught:
        read_explanations(text, "notes.yaml", FICTIONAL)
    assert caught.value.file == "notes.yaml"
    assert caught.value.line == line
    assert message in caught.value.message


# --- machine-readable and Markdown forms ------------------------------------------------

def test_json_report() -> None:
    notes = read_explanations(NOTES, "notes.yaml", FICTIONAL)
    found = to_json(fixture_report(explanations=notes))
    assert found["on"] == "2026-02-17"
    overall = found["overall"]
    assert (overall["pairs"], overall["exact_agree"], overall["board_agree"],
            overall["unknown"], overall["admit_boards_matrix_needs_authorization"],
            overall["unexplained"]) == (15, 6, 9, 1, 2, 5)
    assert overall["exact_agree_pct"] == 40.0
    assert overall["confusion"]["authorization"] == {
        "free": 2, "authorization": 3, "refused": 1, "unknown": 0}
    uto = next(d for d in found["destinations"] if d["code"] == "UTO")
    assert uto["disagreements"][0] == {
        "passport": "ZZE", "row": 6, "kind": "worst",
        "matrix": {"value": "e-visa", "level": "evisa", "board": "authorization", "days": None},
        "admit": {"level": "visa_free", "board": "free", "days": 90,
                  "rule": "AREA#annex-free"},
        "explanation": notes[0].to_json()}
    assert found["no_rule_file"] == ["RKS"]
    assert [e["line"] for e in found["unused_explanations"]] == [13]


def test_markdown_page_lists_figures_and_disagreements_with_explanations() -> None:
    notes = read_explanations(NOTES, "notes.yaml", FICTIONAL)
    text = render(fixture_report(explanations=notes), "the fixture matrix")
    lines = text.splitlines()
    assert "> **The matrix is a lead, never a source.** It is scraped from a commercial " \
           "ranking site and" in lines
    assert "Matrix: the fixture matrix." in lines
    assert "- exact agreement 40.0%, board-level agreement 60.0%, admit unknown 6.7%" in lines
    assert "- **2 pairs where admit boards (free) and the matrix needs an authorization or " \
           "refuses**" in lines
    assert "- 5 of 9 disagreements unexplained" in lines
    assert "| authorization | 2 | 3 | 1 | 0 |" in lines
    assert "| UTO | Utopia | 7 | 57.1% | 71.4% | 0.0% | 1 | 2 |" in lines
    uto = lines[lines.index("### UTO — Utopia"):lines.index("### ZZA — Zedland")]
    assert "| ZZE | e-visa | visa_free (90 days) | AREA#annex-free | note 1 |" in uto
    assert "| ZZD | visa on arrival | eta (90 days) | UTO#zzd-eta | unexplained |" in uto
    assert "| eta | visa_required | AREA#annex-visa | unexplained | RKS |" in uto
    assert ("1. **matrix-wrong**: The Annex lists ZZE as visa-free. Sources: [Common visa "
            "area code](https://example.org/area-code) (treaty).") in uto
    assert "**admit unknown** (1): ZZD (note 1)" in lines
    assert "Not compared, no rule file (1): RKS." in lines
    assert "- line 13: ZZB ZZE — **admit-newer**: Agrees now; kept to show an unused " \
           "explanation. Sources: [Yonderland visa regulation](https://example.org/zzb-visas) " \
           "(official)." in lines
    assert "### ZZB — Yonderland" in lines
    assert text == render(fixture_report(explanations=notes), "the fixture matrix")


# --- the generated page -----------------------------------------------------------------

def test_crosscheck_doc_fails_clearly_without_the_matrix(tmp_path: Path) -> None:
    page = tool("crosscheck_doc")
    with pytest.raises(page.MatrixMissing, match=r"\.\./shared/reference/passport-index/"):
        page.document(tmp_path / "passport-index-tidy-iso3.csv")


def test_crosscheck_doc_is_current() -> None:
    page = tool("crosscheck_doc")
    matrix = require_shared("reference/passport-index/passport-index-tidy-iso3.csv")
    assert page.MATRIX.resolve() == matrix.resolve()  # the tool reads the copy the test found
    committed = page.OUTPUT.read_text(encoding="utf-8") if page.OUTPUT.exists() else ""
    fresh = page.document()
    if committed != fresh:
        diff = list(difflib.unified_diff(committed.splitlines(), fresh.splitlines(),
                                         "committed", "fresh", lineterm="", n=0))
        shown = "\n".join(diff[:40])
        raise AssertionError(f"docs/data-crosscheck.md is stale: run `make crosscheck-doc`\n"
                             f"{shown}")
