"""The vectorised screener's machinery, each piece against the row-by-row reference: the cell
dictionary (and its restart), keys and answers kept across batches (and forgotten), rows sent
to the reference, output types, and the trimming of cells."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from admit.batch import cells, validate
from admit.batch.cells import WHITESPACE, Cells
from admit.batch.columns import ROW, STATUS_TYPE, output_schema
from admit.batch.reference import screen_rows
from admit.batch.screen import screen_file
from admit.batch.vectorised import Screener
from admit.model import DocumentType
from admit.rules import Rules
from tests.unit.test_batch_properties import EMBEDDED_RULES, FIXTURE_RULES, LEGS, frame

Rows = list[dict[str, str | None]]


def manifest(count: int) -> Rows:
    """Varied rows of the fixture world: nationalities, document types, stays, transits,
    expiries on and around arrival, a history-bearing second leg, and a few bad cells."""
    codes = ["UTO", "ZZA", "ZZB", "ZZC", "ZZD", "XXA", "D", " zza "]
    kinds = [kind.value for kind in DocumentType]
    out: Rows = []
    for i in range(count):
        day = date(2023, 2, 20) + timedelta(days=i % 9)
        row: dict[str, str | None] = {
            "ref": f" R{i} ", "nationality": codes[i % len(codes)],
            "document_type": kinds[i % len(kinds)] if i % 3 else None,
            "expires": (day + timedelta(days=(i * 37) % 900 - 300)).isoformat(),
            "issued": (day - timedelta(days=(i * 53) % 4000)).isoformat() if i % 4 else None,
            "leg1_from": "USA", "leg1_to": codes[(i // 3) % 5], "leg1_date": day.isoformat(),
            "leg1_until": (day + timedelta(days=i % 40)).isoformat() if i % 5 else None,
            "leg1_transit": "true" if i % 11 == 0 else None}
        if i % 2:
            later = day + timedelta(days=i % 40 + 3)
            row |= {"leg2_from": row["leg1_to"], "leg2_to": codes[(i // 7) % 5],
                    "leg2_date": later.isoformat(),
                    "leg2_until": (later + timedelta(days=i % 13)).isoformat()}
        if i % 29 == 0:
            row["leg1_date"] = "2023-02-30"
        out.append(row)
    return out


def batches(rows: Rows, size: int) -> Iterator[pl.DataFrame]:
    whole = frame(rows)
    for start in range(0, len(rows), size):
        yield whole.slice(start, size)


Screened = tuple[dict[int, dict[str, object]], set[int]]


def reference(rows: Rows, rules: Rules = FIXTURE_RULES) -> Screened:
    good: dict[int, dict[str, object]] = {}
    bad: set[int] = set()
    for out, error in screen_rows(rows, LEGS, rules):
        if error is None:
            good[out[ROW]] = out
        else:
            bad.add(out[ROW])
    return good, bad


def screened(screener: Screener, rows: Rows, size: int) -> Screened:
    good: dict[int, dict[str, object]] = {}
    bad: set[int] = set()
    for batch in batches(rows, size):
        out, errors = screener.screen(batch)
        good |= {row[ROW]: row for row in out.iter_rows(named=True)}
        bad |= {number for number, _ in errors}
    return good, bad


def test_whitespace_is_what_str_strip_removes() -> None:
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


@pytest.mark.parametrize("size", [3, 37])
def test_keys_and_answers_carry_across_batches(size: int) -> None:
    rows = manifest(300)
    screener = Screener(FIXTURE_RULES, LEGS)
    assert screened(screener, rows, size) == reference(rows)
    calls = screener.engine_calls
    assert screened(screener, rows, 50) == reference(rows)
    assert screener.engine_calls == calls  # the second pass asks the engine nothing new


def test_forgetting_keys_keeps_the_answers() -> None:
    rows = manifest(200)
    assert screened(Screener(FIXTURE_RULES, LEGS, max_keys=3), rows, 23) == reference(rows)


def test_a_restarted_cell_dictionary_keeps_the_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cells, "MAX_STRINGS", 10)  # start afresh at nearly every batch
    rows = manifest(200)
    screener = Screener(FIXTURE_RULES, LEGS)
    assert screened(screener, rows, 30) == reference(rows)


def test_suspect_rows_are_decided_by_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    original = validate.typed_batch

    def suspicious(raw: pl.DataFrame, legs: int, cells: Cells) -> pl.DataFrame:
        typed = original(raw, legs, cells)
        return typed.with_columns(pl.col(validate.SUSPECT) | (pl.col(ROW) % 3 == 0))

    monkeypatch.setattr("admit.batch.vectorised.typed_batch", suspicious)
    rows = manifest(120)
    assert screened(Screener(FIXTURE_RULES, LEGS), rows, 40) == reference(rows)


def test_the_shipped_data_across_batches() -> None:
    pairs = [(code, to) for code in ("RUS", "DEU", "USA", "CHN", "GBD", "XXB")
             for to in ("DEU", "FRA", "MNG", "TUR", "USA")]
    rows = [row | {"nationality": code, "leg1_to": to}
            for row, (code, to) in zip(manifest(180), pairs * 6, strict=True)]
    screener = Screener(EMBEDDED_RULES, LEGS)
    assert screened(screener, rows, 31) == reference(rows, EMBEDDED_RULES)


def test_both_engines_write_the_same_typed_parquet(tmp_path: Path) -> None:
    source = tmp_path / "manifest.parquet"
    frame(manifest(90)).drop(ROW).write_parquet(source)
    outputs = []
    for engine in ("vectorised", "rows"):
        target = tmp_path / f"{engine}.parquet"
        screen_file(source, str(target), "parquet", FIXTURE_RULES, engine=engine,
                    bad_rows="fail", batch_size=25)
        outputs.append(pl.read_parquet(target))
    fast, slow = outputs
    assert fast.schema == slow.schema
    assert fast.schema["status"] == STATUS_TYPE
    assert fast.schema["codes"] == pl.Categorical()
    assert fast.to_dicts() == slow.to_dicts()
    assert set(output_schema(LEGS)) == set(fast.columns)


@pytest.mark.parametrize("dense", [0, 200_000])
def test_validity_beyond_departure_with_and_without_the_dense_table(
        monkeypatch: pytest.MonkeyPatch, dense: int) -> None:
    monkeypatch.setattr("admit.batch.vectorised.DENSE_REACH", dense)
    rows = []
    for i in range(150):  # Schengen: three months beyond the departure
        day = date(2024, 1, 10) + timedelta(days=i % 5)
        until = day + timedelta(days=i % 60)
        rows.append({"nationality": ["USA", "GBR", "BRA"][i % 3], "leg1_from": "USA",
                     "leg1_to": ["DEU", "FRA", "ESP"][i % 3], "leg1_date": day.isoformat(),
                     "leg1_until": until.isoformat() if i % 7 else None,
                     "expires": (until + timedelta(days=80 + i % 25)).isoformat()})
    screener = Screener(EMBEDDED_RULES, LEGS)
    found = screened(screener, rows, 40)
    assert found == reference(rows, EMBEDDED_RULES)
    assert {row["reason"] for row in found[0].values()} >= {"VALIDITY_TOO_SHORT"}


def test_a_refused_document_is_asked_once_whatever_its_dates() -> None:
    # UTO accepts from UNION members only passports and national ID cards: an internal
    # passport is refused at the documents step, before its dates or the stay are read.
    rows: Rows = [{"nationality": "ZZA", "document_type": "internal_passport",
                   "leg1_from": "USA", "leg1_to": "UTO", "leg1_date": "2023-02-27",
                   "leg1_until": f"2023-03-{1 + i % 28:02d}" if i % 3 else None,
                   "expires": (date(2022, 1, 1) + timedelta(days=97 * i)).isoformat()
                   if i % 5 else None}
                  for i in range(60)]
    screener = Screener(FIXTURE_RULES, LEGS)
    found = screened(screener, rows, 60)
    assert found == reference(rows)
    assert {row["reason"] for row in found[0].values()} == {"DOCUMENT_NOT_ACCEPTED"}
    assert screener.engine_calls == 1


def test_earlier_stays_count_only_where_the_stay_rule_reads_them() -> None:
    # Schengen's 90 days in any 180 count a stay in Germany before France; a stay in
    # Turkey does not count, so those passengers' second legs share keys with no history.
    rows: Rows = []
    arrival = date(2024, 5, 1)
    for i in range(120):
        rows.append({"nationality": ["USA", "BRA", "JPN"][i % 3], "leg1_from": "USA",
                     "leg1_to": "DEU" if i % 2 else "TUR", "leg1_date": "2024-02-01",
                     "leg1_until": (arrival - timedelta(days=i % 60)).isoformat(),
                     "leg2_from": "DEU", "leg2_to": "FRA", "leg2_date": arrival.isoformat(),
                     "leg2_until": (arrival + timedelta(days=i % 45)).isoformat(),
                     "expires": "2030-01-01", "issued": "2020-01-01"})
    screener = Screener(EMBEDDED_RULES, LEGS)
    found = screened(screener, rows, 120)
    assert found == reference(rows, EMBEDDED_RULES)
    reasons = {row["reason"] for row in found[0].values()}
    assert {"STAY_TOO_LONG", "STAY_LIMIT_EXCEEDED"} & reasons
    french = [key for key in screener.keys.examples if key.to == "FRA"]
    assert all(country == "DEU" for key in french for country, _, _ in key.history)
    assert 3 >= sum(1 for key in french if not key.history) >= 1  # Turkish stays: no history
    assert sum(1 for key in french if key.history) > 20  # German stays: one key per history


def test_the_collector_resumes_after_screening(tmp_path: Path) -> None:
    source = tmp_path / "manifest.parquet"
    frame(manifest(20)).drop(ROW).write_parquet(source)
    assert gc.isenabled()
    screen_file(source, str(tmp_path / "out.csv"), "csv", FIXTURE_RULES)
    assert gc.isenabled()
    gc.disable()
    try:
        screen_file(source, str(tmp_path / "out.csv"), "csv", FIXTURE_RULES)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_days_of_one_rule_epoch_share_answers() -> None:
    # Thirty arrival days on which no rule, agreement or membership changes: thirty keys,
    # but one set of answers, the cuts being the same thresholds at other dates.
    epochs = Screener(EMBEDDED_RULES, LEGS).holders.epochs
    # The shipped data changes often; take the first thirty days of one epoch from 2020 on.
    first = date(2020, 1, 1)
    while epochs.start(first) != epochs.start(first + timedelta(days=29)):
        first += timedelta(days=1)
        assert first.year < 2030, "no epoch of thirty days in the shipped data"
    rows: Rows = []
    for i in range(300):
        day = first + timedelta(days=i % 30)
        rows.append({"nationality": "USA", "leg1_from": "USA", "leg1_to": "DEU",
                     "leg1_date": day.isoformat(),
                     "leg1_until": (day + timedelta(days=i % 100)).isoformat(),
                     "expires": (day + timedelta(days=(i * 7) % 200 - 20)).isoformat(),
                     "issued": "2020-01-01"})
    screener = Screener(EMBEDDED_RULES, LEGS)
    found = screened(screener, rows, 300)
    assert found == reference(rows, EMBEDDED_RULES)
    assert screener.keys_seen == 30
    assert len({row["reason"] for row in found[0].values()}) >= 3
    assert screener.engine_calls <= 8
