"""Holder classes (`admit.batch.holders`): keys the screener merges get the same answer from
the engine, for document dates and stays on and around every cut of the class.

Both data sets, every document type, holders the rules name and holders they do not, issuers
that are the holder's own state and that are not, transits and purposes, dates across rule
changes. The property tests compare whole screened manifests with `engine.check`; this test
puts each merged key to the engine directly, so a class that merged two holders the engine
tells apart fails here by name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator
from datetime import date, timedelta

import pytest

from admit.batch.holders import NATIONAL, Holders
from admit.batch.outcomes import LegKey, Outcome, cuts, leg_outcome
from admit.model import DocumentType, Purpose
from admit.rules import Rules, load_rules
from tests.unit.test_batch_properties import EMBEDDED_CODES, FIXTURE_CODES
from tests.unit.test_engine import FIXTURE

FIXTURE_RULES = load_rules(FIXTURE)
EMBEDDED_RULES = load_rules()
DAY = timedelta(days=1)


def keys(rules: Rules, destinations: list[str], codes: list[str], days: list[date]
         ) -> Iterator[LegKey]:
    for to in destinations:
        for day in days:
            for nationality in codes:
                for kind in DocumentType:
                    for issuer in (nationality, codes[0], codes[-1]):
                        for transit, purpose in ((False, None), (True, None),
                                                 (False, Purpose.BUSINESS)):
                            yield LegKey(to=to, date=day, transit=transit, purpose=purpose,
                                         nationality=nationality, document_type=kind,
                                         issuer=issuer)


def samples(key: LegKey, rules: Rules) -> Iterator[tuple[date | None, date | None, date | None]]:
    """(expires, issued, until) on and around the class's cuts, and without dates."""
    found = cuts(key, rules)
    expiries: list[date | None] = [None, key.date - DAY, key.date + timedelta(days=3650)]
    for cut in found.expiry:
        expiries += [cut - DAY, cut]
    issued: list[date | None] = [None, key.date - timedelta(days=400)]
    for cut in found.issue:
        issued += [cut - DAY, cut]
    stays: list[date | None] = [None, key.date + timedelta(days=4)]
    for limit in found.days:
        stays += [key.date + timedelta(days=limit - 2), key.date + timedelta(days=limit - 1)]
    if found.span is not None:
        stays.append(key.date + timedelta(days=30))
    for index, expires in enumerate(expiries):
        for until in stays:
            yield expires, issued[index % len(issued)], until
    for when in issued:
        yield expiries[2], when, None


def answers(key: LegKey, rules: Rules) -> list[Outcome]:
    return [leg_outcome(key, "USA", until, expires, issued, rules, None)
            for expires, issued, until in samples(key, rules)]


def classes(rules: Rules, destinations: list[str], codes: list[str], days: list[date]
            ) -> dict[Hashable, list[LegKey]]:
    holders = Holders(rules)
    found: dict[Hashable, list[LegKey]] = defaultdict(list)
    for key in keys(rules, destinations, codes, days):
        found[(key.to, key.date, key.transit, key.purpose, holders.of(key))].append(key)
    return found


@pytest.mark.parametrize(("rules", "codes", "days"), [
    (FIXTURE_RULES, FIXTURE_CODES, [date(2019, 12, 31), date(2023, 2, 27), date(2024, 3, 21)]),
    (EMBEDDED_RULES, EMBEDDED_CODES, [date(2020, 1, 1), date(2025, 6, 2)]),
], ids=["fixture", "shipped"])
def test_keys_of_one_class_get_the_same_answers(rules: Rules, codes: list[str],
                                                days: list[date]) -> None:
    destinations = sorted(rules.destinations)
    if len(destinations) > 12:  # the shipped data: a spread of destinations, and codes
        destinations = [*destinations[::8], "DEU", "FRA", "MNG", "RUS", "USA"]
    # And destinations without a rule file, where only the built-in checks speak.
    destinations += [code for code in ("ZZC", "BRA") if code not in rules.destinations]
    found = classes(rules, destinations, codes[:14], days)
    merged = 0
    for members in found.values():
        if len(members) < 2:
            continue
        merged += len(members) - 1
        first = members[0]
        expected = answers(first, rules)
        # The class's representative and the member least like it: its last.
        for other in (members[len(members) // 2], members[-1]):
            assert answers(other, rules) == expected, f"{other} differs from {first}"
    assert merged > len(found)  # classes merge many keys: the test is not vacuous


def test_a_national_is_a_class_of_their_own() -> None:
    holders = Holders(FIXTURE_RULES)
    key = LegKey(to="UTO", date=date(2023, 2, 27), transit=False, purpose=None,
                 nationality="UTO", document_type=DocumentType.NATIONAL_ID, issuer="ZZA")
    assert holders.of(key) == NATIONAL
    assert cuts(key, FIXTURE_RULES).expiry == ()  # nothing else is read
