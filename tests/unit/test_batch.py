"""Manifest screening, piece by piece: columns, the row reference, cut points, the vectorised
checks of bad rows, PAXLST reading, streaming readers and writers, and `screen_file`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from admit.batch.columns import ROW, input_columns, leg_count
from admit.batch.outcomes import LegKey, cuts, first_reaching
from admit.batch.paxlst import read_airports, read_paxlst
from admit.batch.reference import row_trip, screen_rows
from admit.batch.screen import screen_file
from admit.batch.vectorised import Screener
from admit.errors import InputError
from admit.model import DocumentType
from admit.rules import load_rules
from tests.unit.test_engine import FIXTURE

RULES = load_rules(FIXTURE)
PAXLST = Path(__file__).resolve().parents[1] / "fixtures" / "paxlst"
AIRPORTS = read_airports((PAXLST / "airports.csv").read_text(), "airports.csv")
HEADER = "ref,nationality,expires,issued,leg1_from,leg1_to,leg1_date,leg1_until\n"


def frame(rows: list[dict[str, str | None]], legs: int = 1) -> pl.DataFrame:
    columns = input_columns(legs)
    return pl.DataFrame({c: [r.get(c) for r in rows] for c in columns},
                        schema=dict.fromkeys(columns, pl.String)).with_columns(
        pl.Series(ROW, range(1, len(rows) + 1), dtype=pl.Int64))


def test_leg_count_reads_the_header_and_names_a_missing_column() -> None:
    assert leg_count(["nationality", "leg1_from", "leg1_to", "leg1_date", "leg2_from",
                      "leg2_to", "leg2_date"]) == 2
    with pytest.raises(InputError, match="leg2_from"):
        leg_count(["nationality", "leg1_from", "leg1_to", "leg1_date", "leg2_to"])
    with pytest.raises(InputError, match="unknown column"):
        leg_count(["nationality", "leg1_from", "leg1_to", "leg1_date", "passport_no"])


def test_a_row_becomes_the_trip_it_stands_for() -> None:
    trip = row_trip({"nationality": "D", "expires": "2030-01-01", "leg1_from": "UTO",
                     "leg1_to": "ZZA", "leg1_date": "2023-02-27", "leg1_transit": "yes"}, 1,
                    RULES.extra_codes)
    document = trip.traveller.documents[0]
    assert (document.issuer, document.nationality, document.expires) == (
        "DEU", "DEU", date(2030, 1, 1))
    assert trip.itinerary[0].transit is True


def test_a_bad_cell_is_named_by_its_column() -> None:
    with pytest.raises(InputError) as error:
        row_trip({"nationality": "UTO", "leg1_from": "UTO", "leg1_to": "ZZA",
                  "leg1_date": "2023-02-27", "leg1_until": "2023-02-01"}, 1, RULES.extra_codes)
    assert error.value.field == "leg1_until"
    assert str(error.value) == ("leg1_until: is before the leg's date 2023-02-27 "
                                "(got '2023-02-01')")


def test_first_reaching_follows_calendar_years_over_leap_days() -> None:
    # 2019-02-28 + 5 years = 2024-02-28; 2019-03-01 + 5 years = 2024-03-01.
    assert first_reaching(date(2019, 2, 1), 5, date(2024, 2, 29)) == date(2019, 3, 1)
    assert first_reaching(date(2019, 6, 1), 5, date(2024, 2, 28)) == date(2019, 2, 28)


def test_cuts_hold_the_agreement_and_validity_thresholds() -> None:
    key = LegKey(to="UTO", date=date(2023, 2, 27), transit=False, purpose=None,
                 nationality="ZZA", document_type=DocumentType.PASSPORT, issuer="ZZA")
    found = cuts(key, RULES)
    assert date(2023, 2, 27) in found.expiry  # expired on arrival
    assert date(2018, 2, 27) in found.expiry  # EXPIRED-5 accepts up to five years


def test_vectorised_reports_bad_rows_by_number_and_keeps_the_rest() -> None:
    rows: list[dict[str, str | None]] = [
        {"nationality": "ZZA", "expires": "2030-01-01", "leg1_from": "UTO", "leg1_to": "UTO",
         "leg1_date": "2023-02-27"},
        {"nationality": "QQQ", "leg1_from": "UTO", "leg1_to": "UTO", "leg1_date": "2023-02-27"},
        {"nationality": "ZZA", "leg1_from": "UTO", "leg1_to": "UTO", "leg1_date": "2023-02-30"},
        {"nationality": "ZZA", "expires": "2017-01-01", "leg1_from": "UTO", "leg1_to": "UTO",
         "leg1_date": "2023-02-27"},
    ]
    out, errors = Screener(RULES, 1).screen(frame(rows))
    assert [(n, e.field) for n, e in errors] == [(2, "nationality"), (3, "leg1_date")]
    assert str(errors[1][1]) == "leg1_date: not a date (got '2023-02-30')"
    assert out.get_column(ROW).to_list() == [1, 4]
    reference = {r[ROW]: r for r, error in screen_rows(rows, 1, RULES) if error is None}
    assert out.to_dicts() == [reference[1], reference[4]]


def test_paxlst_message_reads_into_rows() -> None:
    rows = read_paxlst((PAXLST / "arrival.edi").read_bytes(), AIRPORTS).to_dicts()
    assert [r["ref"] for r in rows] == ["BOOK01", "BOOK02", "BOOK03", "PAX4"]
    first = rows[0]
    assert (first["nationality"], first["document_type"], first["issuer"]) == (
        "RUS", "passport", "RUS")
    assert (first["expires"], first["issued"], first["birth_date"]) == (
        "2023-02-20", "2013-02-20", "1975-05-01")
    assert (first["leg1_from"], first["leg1_to"], first["leg1_date"]) == (
        "KAZ", "MNG", "2023-02-27")
    # The visa's expiry and issuer (DOC+V) do not replace the passport's.
    assert (rows[1]["expires"], rows[1]["issuer"]) == ("2030-01-15", "RUS")
    assert rows[3]["leg1_transit"] == "true"  # NAD+DDU: in transit


@pytest.mark.parametrize(("name", "segment"), [
    ("bad-date.edi", "PAXLST segment 21 (DTM)"),
    ("bad-count.edi", "PAXLST segment 49 (CNT)"),
    ("bad-trailer.edi", "PAXLST segment 50 (UNT)"),
    ("truncated.edi", "PAXLST"),
])
def test_a_malformed_paxlst_names_the_segment(name: str, segment: str) -> None:
    with pytest.raises(InputError) as error:
        read_paxlst((PAXLST / name).read_bytes(), AIRPORTS)
    assert error.value.field == segment


def test_an_airport_without_a_country_is_an_error() -> None:
    with pytest.raises(InputError, match="--airports"):
        read_paxlst((PAXLST / "arrival.edi").read_bytes(), {})


@pytest.mark.parametrize("engine", ["vectorised", "rows"])
@pytest.mark.parametrize("mode", ["skip", "fail"])
def test_screen_file_streams_batches_and_handles_bad_rows(tmp_path: Path, engine: str,
                                                          mode: str) -> None:
    lines = [f"P{i},ZZA,2030-01-01,2020-01-01,UTO,UTO,2023-02-{1 + i % 27:02d},"
             for i in range(25)]
    lines[7] = "P7,ZZA,2030-01-01,2020-01-01,UTO,UTO,2023-02-31,"
    source = tmp_path / "manifest.csv"
    source.write_text(HEADER + "\n".join(lines) + "\n")
    target = tmp_path / "out.parquet"
    summary = screen_file(source, str(target), "parquet", RULES, batch_size=4,
                          bad_rows=mode, engine=engine)
    out = pl.read_parquet(target)
    assert (summary.rows, summary.bad_rows) == (25, 1)
    assert summary.errors == [(8, "leg1_date: not a date (got '2023-02-31')")]
    assert out.height == (25 if mode == "fail" else 24)
    assert out.get_column(ROW).to_list() == [n for n in range(1, 26) if mode == "fail" or n != 8]
    if mode == "fail":
        bad = out.filter(pl.col(ROW) == 8).to_dicts()[0]
        assert (bad["status"], bad["board"], bad["ref"]) == ("error", False, "P7")
    assert set(out.filter(pl.col("status") != "error").get_column("status")) == {"admissible"}
