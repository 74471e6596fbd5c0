"""`admit stay --country --nationality`: the rule taken from the embedded data set, and stays
in other countries of an area counted only while those countries applied its rule."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from admit.cli import app
from admit.engine.stay import stay_terms
from admit.errors import InputError
from admit.rules import load_rules

runner = CliRunner()


def test_schengen_rule_comes_from_the_shared_policy() -> None:
    terms = stay_terms(load_rules(), "FRA", "USA", date(2025, 6, 1))
    assert (terms.rule.max_days, terms.rule.window_days) == (90, 180)
    assert terms.ref.startswith("SCHENGEN#") and terms.sources
    assert "DEU" in terms.periods and "FRA" in terms.periods


def test_a_stay_in_croatia_counts_for_schengen_only_from_2023() -> None:
    # 2022-12-01..2023-01-15 in Croatia: only the 15 days from 2023-01-01 count; with 42 days
    # in France that is 57 of 90 used on 2023-02-25 (window 2022-08-30..2023-02-25).
    result = runner.invoke(app, ["stay", "--country", "FRA", "--nationality", "USA",
                                 "--stay", "2022-10-01:2022-11-11",
                                 "--stay", "HRV:2022-12-01:2023-01-15", "--on", "2023-02-25"])
    assert result.exit_code == 0, result.output
    assert "57 of 90 days used, 33 left" in result.stdout
    assert "SCHENGEN#" in result.stdout


def test_stays_outside_the_area_do_not_count() -> None:
    result = runner.invoke(app, ["stay", "--country", "FRA", "--nationality", "USA",
                                 "--stay", "GBR:2025-01-10:2025-02-20", "--on", "2025-03-01"])
    assert result.exit_code == 0, result.output
    assert "0 of 90 days used" in result.stdout


def test_a_national_rule_counts_only_its_own_country() -> None:
    result = runner.invoke(app, ["stay", "--country", "KAZ", "--nationality", "RUS",
                                 "--stay", "2023-02-01:2023-04-01", "--enter", "2023-05-01"])
    assert result.exit_code == 0, result.output
    assert "KAZ#" in result.stdout and "Before entering on 2023-05-01: 60 days used" in (
        result.stdout)


def test_a_regime_without_a_day_limit_is_refused_by_name() -> None:
    result = runner.invoke(app, ["stay", "--country", "FRA", "--nationality", "RUS",
                                 "--on", "2025-01-01"])
    assert result.exit_code == 2
    assert "--nationality" in result.stderr and "visa_required" in result.stderr


def test_bad_codes_and_missing_dates_exit_two() -> None:
    for args, word in ((["--country", "FRX", "--nationality", "USA", "--on", "2025-01-01"],
                        "--country"),
                       (["--country", "FRA", "--nationality", "USA"], "--on"),
                       (["--country", "FRA", "--on", "2025-01-01"], "--nationality")):
        result = runner.invoke(app, ["stay", *args])
        assert result.exit_code == 2 and word in result.stderr, result.output


def test_stay_terms_errors_name_the_field() -> None:
    with pytest.raises(InputError) as err:
        stay_terms(load_rules(), "UTO", "USA", date(2025, 1, 1))
    assert err.value.field == "country"
