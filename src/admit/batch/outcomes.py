"""Leg keys and their cut points: what a leg's decision depends on, and where it can change.

Why: within a manifest the same leg is judged over and over — same destination, date,
nationality and document type; only the document's dates and the length of stay differ. The
engine looks at those row values only through comparisons with values fixed by the key and the
rules: expired on arrival; an agreement's N years of accepted expiry; N months of validity
beyond arrival, or beyond departure; issued within N years; the stay against the entry rule's
days; a transit's hours. So a row's decision is fixed by its key and by which side of each cut
its values fall (its *features*), and the vectorised screener asks the real engine once per
distinct (key, features), with one row of that group as the example.

The cuts are those of the rules that govern the key — the validity, entry and transit rules
`pick` chooses for the holder, document type and purpose on the day, and the expired-document
agreements that bind holder and destination — exactly the values the engine's steps compare
with. A cut too many only costs an engine call; a missing one would cost exactness, which the
property tests (`tests/unit/test_batch_properties.py`) check against `engine.check` row by row.

What stays in the key: a leg whose earlier legs count as stays (the engine's stay history)
keeps its own departure date in the key, since the history's rolling window gives a latest
exit that only the engine computes. The departure (`from`) is not in the key: the engine does
not read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from admit.engine import check_leg
from admit.engine.authorization import LIMITED
from admit.engine.stay import area_of
from admit.model import (
    CONVENTION_CLASS,
    Code,
    Document,
    DocumentType,
    Leg,
    LegDecision,
    Purpose,
    Stay,
    Traveller,
    Trip,
)
from admit.rules.tables import Rules, pick

# One bit per finding code, so that a passenger's codes over all legs are an OR of integers.
CODE_BITS: dict[Code, int] = {code: 1 << index for index, code in enumerate(Code)}
_ONE_DAY = timedelta(days=1)
_Date = date  # `LegKey.date` shadows the type in the class body
Span = tuple[int, int]  # (months, days) of validity beyond departure


@dataclass(frozen=True, slots=True)
class LegKey:
    """Everything a leg's decision depends on but the document's dates and the stay's end.
    `until` is set only when `history` is not empty (see the module's docstring)."""

    to: str
    date: date
    transit: bool
    purpose: Purpose | None
    nationality: str
    document_type: DocumentType
    issuer: str
    until: _Date | None = None
    history: tuple[tuple[str, _Date, _Date], ...] = ()

    @property
    def proves(self) -> str:
        return document_nationality(self.nationality, self.document_type)

    @property
    def national(self) -> bool:
        """The traveller is a citizen of the destination: the engine's first step admits them
        (right of return) and reads nothing else."""
        return self.to in (self.nationality, self.proves)


@dataclass(frozen=True, slots=True)
class Cuts:
    """Where a key's answer can change. A row's expiry category is the number of `expiry`
    cuts on or before its expiry date (they are in ascending order, equal ones kept); likewise
    issue dates and `days` (the stay's length, both days counted). `span` is the validity
    demanded beyond a departure that is not in the key: the engine asks whether expiry >=
    departure + span, or arrival + span when the row gives no departure."""

    expiry: tuple[date, ...] = ()
    issue: tuple[date, ...] = ()
    days: tuple[int, ...] = ()
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What screening reports of one leg: status (0 best … 4 worst), finding codes as bits,
    and the main reason (the first finding with the leg's status) and its rule."""

    status: int
    codes: int
    reason: str | None
    rule: str | None


def document_nationality(nationality: str, document_type: DocumentType) -> str:
    """What the document proves for visa rules: a convention travel document stands for
    XXA/XXB, any other the holder's nationality (as the trip parser reads a manifest row)."""
    return CONVENTION_CLASS.get(document_type, nationality)


def first_reaching(start: date, years: int, target: date) -> date:
    """The earliest day D with D + `years` years (dateutil's calendar arithmetic) on or after
    `target`: D + N years is monotone in D, so step from a close guess."""
    day = start
    shift = relativedelta(years=years)
    while day + shift < target:
        day += _ONE_DAY
    while day - _ONE_DAY + shift >= target:
        day -= _ONE_DAY
    return day


@lru_cache(maxsize=65_536)
def add_span(day: date, span: Span) -> date:
    """`day` plus months then days, exactly as the engine's validity step adds them (cached:
    relativedelta is slow, and a manifest has few distinct departures)."""
    return day + relativedelta(months=span[0], days=span[1])


@lru_cache(maxsize=65_536)
def _years_before(day: date, years: int) -> date:
    return day - relativedelta(years=years)


@lru_cache(maxsize=65_536)
def _accepted_expiry(arrival: date, years: int) -> date:
    """The earliest expiry an agreement accepting documents expired up to `years` years
    accepts on arrival (the engine asks arrival <= expires + years)."""
    return first_reaching(_years_before(arrival, years), years, arrival)


@dataclass(frozen=True, slots=True)
class CutKinds:
    """The rules' side of a key's cuts, which holds on every day of the rules' epoch:
    accepted-expired years of the binding agreements (more first), the validity span added
    to arrival or to departure, the issue-age years, the day limits."""

    national: bool = False
    accepted: tuple[int, ...] = ()
    beyond_arrival: Span | None = None
    beyond_departure: Span | None = None
    issued_within: int | None = None
    days: tuple[int, ...] = ()


def cut_kinds(key: LegKey, rules: Rules, on: date | None = None) -> CutKinds:
    """The thresholds of the rules that govern the key on the day (`on`, else the leg's
    date), as the engine's validity, stay and transit steps compare with them."""
    if key.national:
        return CutKinds(national=True)
    day = on if on is not None else key.date
    proves, kind, purpose = key.proves, key.document_type, key.purpose
    accepted = tuple(sorted((agreement.spec.expired_up_to_years or 0
                             for agreement in rules.expired_documents
                             if agreement.binds(proves, key.to, day)
                             and kind in agreement.spec.documents), reverse=True))
    arrival_span = departure_span = None
    issued_within = None
    days: set[int] = set()
    destination = rules.destinations.get(key.to)
    if destination is not None:
        rule = pick(destination.validity, proves, day, kind, purpose)
        if rule is not None:
            if rule.min_months or rule.min_days or rule.duration_of_stay:
                needed = (rule.min_months, rule.min_days)
                if rule.beyond == "departure" or rule.duration_of_stay:
                    departure_span = needed
                else:
                    arrival_span = needed
            issued_within = rule.issued_within_years
        entry = pick(destination.entry, proves, day, kind, purpose)
        if entry is not None:
            # A stay longer than a limit changes the answer from the limit's next day on.
            days.update(limit + 1 for limit in (entry.max_stay_days, entry.max_continuous_days)
                        if limit is not None)
        if key.transit:
            transit = pick(destination.transit, proves, day, kind, purpose)
            if transit is not None and transit.max_hours is not None:
                # (days - 1) * 24 > hours  ⟺  days >= hours // 24 + 2
                days.add(transit.max_hours // 24 + 2)
    return CutKinds(False, accepted, arrival_span, departure_span, issued_within,
                    tuple(sorted(days)))


def cuts_at(kinds: CutKinds, key: LegKey) -> Cuts:
    """The cuts of a key of those kinds, at its dates. Expiry cuts come in an order that
    holds on every date — accepted-expired (more years first), arrival, arrival or departure
    plus the validity span — and equal ones are kept, so that the n-th cut is the same
    threshold for every key of a class whatever its date."""
    if kinds.national:
        return Cuts()
    arrival = key.date
    expiry = [_accepted_expiry(arrival, years) for years in kinds.accepted]
    expiry.append(arrival)  # expired on arrival
    span: Span | None = None
    if kinds.beyond_arrival is not None:
        expiry.append(add_span(arrival, kinds.beyond_arrival))
    elif kinds.beyond_departure is not None:
        if key.until is not None:
            expiry.append(add_span(key.until, kinds.beyond_departure))
        else:
            # Measured from each row's departure, or from arrival when it has none.
            span = kinds.beyond_departure
    issue = (() if kinds.issued_within is None
             else (_years_before(arrival, kinds.issued_within),))
    return Cuts(tuple(expiry), issue, kinds.days, span)


def cuts(key: LegKey, rules: Rules, on: date | None = None) -> Cuts:
    """The key's cuts (`cut_kinds` at the key's dates)."""
    return cuts_at(cut_kinds(key, rules, on), key)


def history_counts(rules: Rules, to: str, day: date, proves: str, kind: DocumentType,
                   purpose: Purpose | None, countries: Iterable[str]) -> bool:
    """Whether the engine's stay step can read a leg's stay history (the trip's earlier stays
    in `countries`), for a holder who is not a national of `to`. It reads it only under an
    entry regime that limits the stay (`LIMITED`) within a rolling window longer than the
    limit, and only counts stays in that rule's area (`area_of`: the destination, or a
    policy's members). Otherwise the history changes no finding, and the key need not carry
    its dates."""
    destination = rules.destinations.get(to)
    if destination is None:
        return False
    rule = pick(destination.entry, proves, day, kind, purpose)
    if rule is None or rule.regime not in LIMITED:
        return False
    window, total = rule.window_days, rule.max_stay_days
    if window is None or total is None or window <= total:
        return False
    _, periods = area_of(rules, to, rule)
    return any(country in periods for country in countries)


def outcome_of(decision: LegDecision) -> Outcome:
    reason = next((f for f in decision.findings if f.status == decision.status), None)
    bits = 0
    for finding in decision.findings:
        bits |= CODE_BITS[finding.code]
    return Outcome(status=int(decision.status), codes=bits,
                   reason=None if reason is None else reason.code.value,
                   rule=None if reason is None else reason.rule)


def leg_outcome(key: LegKey, origin: str, until: date | None, expires: date | None,
                issued: date | None, rules: Rules, on: date | None) -> Outcome:
    """The engine's answer for one leg of one row (the example of its feature group)."""
    proves = key.proves
    document = Document(type=key.document_type, issuer=key.issuer, nationality=proves,
                        issued=issued, expires=expires)
    leg = Leg(origin=origin, to=key.to, date=key.date, until=until, transit=key.transit,
              purpose=key.purpose)
    traveller = Traveller(nationalities=tuple(dict.fromkeys((key.nationality, proves))),
                          documents=(document,))
    history = tuple(Stay(country=to, entered=entered, left=left)
                    for to, entered, left in key.history)
    decision = check_leg(Trip(traveller=traveller, itinerary=(leg,)), leg, rules, on, history)
    return outcome_of(decision)
