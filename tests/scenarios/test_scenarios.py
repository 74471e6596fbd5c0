"""Run every scenario against the embedded data set: one pytest case per scenario.

A scenario passes when the decision's status (and `board`, if given) match, every expected code
appears among the findings, and `max_stay_days` (if given) is that of the leg whose country is
the file's destination. A destination without a rule file is a failure, not a skip.
"""

from __future__ import annotations

from datetime import date

import pytest

from admit.engine import check
from admit.errors import InputError
from admit.model import Status, Trip
from admit.rules import Rules, load_rules
from tests.scenarios.conftest import Scenario, load_scenarios

SCENARIOS = load_scenarios()


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


def test_there_are_scenarios() -> None:
    assert SCENARIOS, "no tests/scenarios/*.yaml files found"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(scenario: Scenario, rules: Rules) -> None:
    if scenario.problem:
        pytest.fail(scenario.problem)
    assert scenario.destination in rules.destinations, (
        f"{scenario.file}: no rule file countries/{scenario.destination}.yaml in the data set")
    raw = scenario.raw
    try:
        trip = Trip.from_json(raw["trip"])
    except InputError as exc:
        pytest.fail(f"{scenario.file} {scenario.name}: bad trip: {exc}")
    on = raw.get("on")
    if isinstance(on, str):
        on = date.fromisoformat(on)
    decision = check(trip, rules, on=on)
    expect = raw["expect"]
    findings = [(f.code.value, f.status.label, f.message) for leg in decision.legs
                for f in leg.findings]
    explain = f"{scenario.file} {scenario.name}: findings {findings}"
    assert decision.status is Status.parse(expect["status"]), explain
    if "board" in expect:
        assert decision.board is expect["board"], explain
    codes = {code for code, _, _ in findings}
    missing = [c for c in expect.get("codes", []) if c not in codes]
    assert not missing, f"expected codes {missing} absent; {explain}"
    if "max_stay_days" in expect:
        legs = [leg for leg in decision.legs if leg.country == scenario.destination]
        assert legs, f"{scenario.file} {scenario.name}: no leg to {scenario.destination}"
        assert legs[0].max_stay_days == expect["max_stay_days"], explain
