"""Property: the vectorised screener gives `engine.check`'s answer for every row of any
manifest — status, board, codes, main reason, each leg's status — and refuses the same rows.

Manifests are random: nationalities the data covers and some it does not (plus unknown codes),
every document type, expiry and issue dates placed on and around the engine's thresholds
(arrival, months of validity beyond arrival or departure, years since issue, expired-document
agreements), arrival dates across rule changes, one to three legs with stays, transits and
purposes. Both the fictional fixture world and the shipped data set are screened.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admit.batch.columns import ROW, input_columns, leg_column
from admit.batch.reference import screen_rows
from admit.batch.vectorised import Screener
from admit.model import DocumentType, Purpose
from admit.rules import Rules, load_rules
from tests.unit.test_engine import FIXTURE

FIXTURE_RULES = load_rules(FIXTURE)
EMBEDDED_RULES = load_rules()
LEGS = 3
FIXTURE_CODES = ["UTO", "ZZA", "ZZB", "ZZC", "ZZD", "ZZE", "XXA", "XXB", "USA", "DEU"]
EMBEDDED_CODES = ["RUS", "DEU", "FRA", "ESP", "MNG", "KAZ", "USA", "GBR", "TUR", "CHN", "IND",
                  "UKR", "GEO", "ISR", "IRL", "CYP", "HRV", "SRB", "THA", "BRA", "NGA", "XXA",
                  "XXB", "D", "GBD", "JPN", "EGY", "MDA", "ALB", "ARE", "SAU", "PSE"]
# Arrival dates on and around rule changes of both data sets.
PIVOTS = [date(2005, 1, 1), date(2010, 1, 1), date(2013, 7, 19), date(2014, 1, 1),
          date(2019, 12, 31), date(2020, 1, 1), date(2020, 2, 29), date(2022, 6, 30),
          date(2022, 7, 1), date(2022, 12, 31), date(2023, 1, 1), date(2023, 2, 27),
          date(2024, 2, 29), date(2024, 3, 21), date(2025, 1, 1), date(2026, 6, 1)]
# Offsets of an expiry date from arrival or departure that sit on the engine's thresholds.
SPANS = [relativedelta(), relativedelta(months=3), relativedelta(months=6),
         relativedelta(days=90), relativedelta(years=-5), relativedelta(years=-1),
         relativedelta(years=-10), relativedelta(years=10), relativedelta(months=1)]


def dates_near(anchor: date) -> st.SearchStrategy[date]:
    return st.builds(lambda span, shift: anchor + span + timedelta(days=shift),
                     st.sampled_from(SPANS), st.integers(-2, 2))


def spelled(code: str, variant: int) -> str:
    """A code as manifests write it: as is, in lower case, padded, with MRZ fillers."""
    return [code, code, code, code.lower(), f" {code} ", f"{code}<<", f"\t{code}\x1c"][variant]


@st.composite
def rows(draw: st.DrawFn, countries: list[str]) -> dict[str, str | None]:
    pool = st.sampled_from([*countries, "ZZZ", "XYZ"]) if draw(st.integers(0, 30)) == 0 \
        else st.sampled_from(countries)
    code = st.builds(spelled, pool, st.integers(0, 6))
    ref = draw(st.sampled_from(["P{}", " P{} ", "P{}\x1c", "\u3000P{}", ""]))
    row: dict[str, str | None] = {"ref": ref.format(draw(st.integers(0, 999))),
                                  "nationality": draw(code)}
    if draw(st.booleans()):
        row["document_type"] = draw(st.sampled_from([t.value for t in DocumentType]
                                                    + [" passport", "Passport", ""]))
    if draw(st.integers(0, 3)) == 0:
        row["issuer"] = draw(code)
    day = draw(st.sampled_from(PIVOTS)) + timedelta(days=draw(st.integers(-3, 3)))
    legs = draw(st.integers(1, LEGS))
    ends = []
    for leg in range(1, legs + 1):
        until = day + timedelta(days=draw(st.sampled_from([0, 1, 6, 29, 30, 31, 89, 90, 91,
                                                           200])))
        row[leg_column(leg, "from")] = draw(code)
        row[leg_column(leg, "to")] = draw(code)
        row[leg_column(leg, "date")] = day.isoformat()
        if draw(st.integers(0, 3)) > 0:
            row[leg_column(leg, "until")] = until.isoformat()
            ends.append(until)
        if draw(st.integers(0, 3)) == 0:
            row[leg_column(leg, "transit")] = draw(st.sampled_from(["true", "false", "yes",
                                                                    "0", " TRUE", "maybe"]))
        if draw(st.integers(0, 3)) == 0:
            row[leg_column(leg, "purpose")] = draw(st.sampled_from([p.value for p in Purpose]))
        day = until + timedelta(days=draw(st.integers(0, 120)))
    first = date.fromisoformat(row[leg_column(1, "date")] or "")
    if draw(st.integers(0, 5)) > 0:
        anchor = draw(st.sampled_from([first, *ends]))
        row["expires"] = draw(dates_near(anchor)).isoformat()
    if draw(st.integers(0, 2)) > 0:
        row["issued"] = draw(dates_near(first)).isoformat()
    if draw(st.integers(0, 8)) == 0:  # the parser trims cells; a blank cell is missing
        row["expires"] = f" {row['expires']} " if row.get("expires") else "  "
    if draw(st.integers(0, 40)) == 0:
        row[draw(st.sampled_from(["expires", leg_column(1, "date"), "birth_date"]))] = \
            draw(st.sampled_from(["2023-02-30", "2023-13-01", "23-02-01", "soon"]))
    return row


@st.composite
def flights(draw: st.DrawFn, countries: list[str]) -> list[dict[str, str | None]]:
    """A planeload: everyone on the same leg, of few nationalities, so rows share keys and
    differ only in stay, transit and document dates — where the cuts must be right."""
    to = draw(st.sampled_from(countries))
    day = draw(st.sampled_from(PIVOTS)) + timedelta(days=draw(st.integers(-2, 2)))
    aboard = draw(st.lists(st.sampled_from(countries), min_size=1, max_size=3))
    manifest = []
    for _ in range(draw(st.integers(1, 60))):
        row: dict[str, str | None] = {"nationality": draw(st.sampled_from(aboard)),
                                      "leg1_from": "USA", "leg1_to": to,
                                      "leg1_date": day.isoformat()}
        if draw(st.integers(0, 3)) == 0:
            row["document_type"] = draw(st.sampled_from([t.value for t in DocumentType]))
        stay = draw(st.none() | st.integers(0, 200))
        if stay is not None:
            row["leg1_until"] = (day + timedelta(days=stay)).isoformat()
        if draw(st.integers(0, 4)) == 0:
            row["leg1_transit"] = "true"
        anchor = day if stay is None or draw(st.booleans()) else day + timedelta(days=stay)
        if draw(st.integers(0, 6)) > 0:
            row["expires"] = draw(dates_near(anchor)).isoformat()
        if draw(st.booleans()):
            row["issued"] = draw(dates_near(day)).isoformat()
        manifest.append(row)
    return manifest


def frame(manifest: list[dict[str, str | None]]) -> pl.DataFrame:
    columns = input_columns(LEGS)
    data: dict[str, Any] = {c: [r.get(c) for r in manifest] for c in columns}
    return pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String)).with_columns(
        pl.Series(ROW, range(1, len(manifest) + 1), dtype=pl.Int64))


def assert_same(manifest: list[dict[str, str | None]], rules: Rules, on: date | None) -> None:
    screened, errors = Screener(rules, LEGS, on=on).screen(frame(manifest))
    fast = {r[ROW]: r for r in screened.iter_rows(named=True)}
    bad = {number for number, _ in errors}
    for out, error in screen_rows(manifest, LEGS, rules, on=on):
        number = out[ROW]
        if error is not None:
            assert number in bad, f"row {number}: the reference refused it: {error}"
            continue
        assert number in fast, f"row {number} refused: {dict(errors).get(number)}"
        assert fast[number] == out, f"row {number}: {manifest[number - 1]}"
    assert set(fast) | bad == set(range(1, len(manifest) + 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(FIXTURE_CODES), min_size=1, max_size=40),
       st.none() | st.sampled_from(PIVOTS))
def test_vectorised_equals_engine_on_the_fixture_world(
        manifest: list[dict[str, str | None]], on: date | None) -> None:
    assert_same(manifest, FIXTURE_RULES, on)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(EMBEDDED_CODES), min_size=1, max_size=40))
def test_vectorised_equals_engine_on_the_shipped_data(
        manifest: list[dict[str, str | None]]) -> None:
    assert_same(manifest, EMBEDDED_RULES, None)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flights(FIXTURE_CODES))
def test_vectorised_equals_engine_on_fixture_planeloads(
        manifest: list[dict[str, str | None]]) -> None:
    assert_same(manifest, FIXTURE_RULES, None)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flights(EMBEDDED_CODES))
def test_vectorised_equals_engine_on_shipped_planeloads(
        manifest: list[dict[str, str | None]]) -> None:
    assert_same(manifest, EMBEDDED_RULES, None)
