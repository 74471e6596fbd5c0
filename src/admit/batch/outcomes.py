"""Leg keys and their cut points: what a leg's decision depends on, and where it can change.

Why: within a manifest the same leg is judged over and over — same destination, date,
nationality and document type; only the document's dates and the length of stay differ. The
engine looks at those row values only through comparisons with values fixed by the key and the
rules: expired on arrival; an agreement's N years of accepted expiry; N months of validity
beyond arrival, or beyond departure; issued within N years; the stay against a regime's days;
a transit's hours. So a row's decision is fixed by its key and by which side of each cut its
values fall (its *features*), and the vectorised screener asks the real engine once per
distinct (key, features), with one row of that group as the example. The cuts are a superset
(every rule the key could meet, whichever governs): an extra cut costs one engine call, a
missing one would cost exactness; the property test compares with `engine.check` row by row.

What stays in the key: a leg whose earlier legs count as stays (the engine's stay history)
keeps its own departure date in the key, since the history's rolling window gives a latest
exit that only the engine computes. The departure (`from`) is not in the key: the engine does
not read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from admit.engine import check_leg
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
from admit.rules.tables import DEFAULT, Rules

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
    purpose: str | None
    nationality: str
    document_type: str
    issuer: str
    until: _Date | None = None
    history: tuple[tuple[str, _Date, _Date], ...] = ()


@dataclass(frozen=True, slots=True)
class Cuts:
    """Where a key's answer can change. A row's expiry category is the number of `expiry`
    cuts on or before its expiry date; likewise issue dates and `days` (the stay's length,
    both days counted). `spans` are the validity demanded beyond departure: the engine asks
    whether expiry >= departure + span."""

    expiry: tuple[date, ...]
    issue: tuple[date, ...]
    days: tuple[int, ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What screening reports of one leg: status (0 best … 4 worst), finding codes as bits,
    and the main reason (the first finding with the leg's status) and its rule."""

    status: int
    codes: int
    reason: str | None
    rule: str | None


def document_nationality(nationality: str, document_type: str) -> str:
    """What the document proves for visa rules: a convention travel document stands for
    XXA/XXB, any other the holder's nationality (as the trip parser reads a manifest row)."""
    return CONVENTION_CLASS.get(DocumentType(document_type), nationality)


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


def add_span(day: date, span: Span) -> date:
    """`day` plus months then days, exactly as the engine's validity step adds them."""
    return day + relativedelta(months=span[0], days=span[1])


def cuts(key: LegKey, rules: Rules) -> Cuts:
    """The key's cuts; they depend only on the destination, the holder's class, the dates and
    the rules, so keys that differ in transit, purpose or issuer share one computation."""
    holder = document_nationality(key.nationality, key.document_type)
    cache = _CUTS.setdefault(rules.data_version, {})
    found = cache.get((key.to, holder, key.date, key.until))
    if found is None:
        if len(cache) > 500_000:
            cache.clear()
        found = _cuts(key, rules)
        cache[(key.to, holder, key.date, key.until)] = found
    return found


# Cuts by rule set (its content hash) and by (destination, holder, arrival, departure).
_CUTS: dict[str, dict[tuple[str, str, date, date | None], Cuts]] = {}


def _cuts(key: LegKey, rules: Rules) -> Cuts:
    arrival = key.date
    expiry = {arrival}
    issue: set[date] = set()
    days: set[int] = set()
    spans: set[Span] = set()
    for agreement in rules.expired_documents:
        years = agreement.spec.expired_up_to_years or 0
        expiry.add(first_reaching(arrival - relativedelta(years=years), years, arrival))
    destination = rules.destinations.get(key.to)
    if destination is not None:
        holders = (document_nationality(key.nationality, key.document_type), DEFAULT)
        for holder in holders:
            for _, _, rule in destination.validity.get(holder, ()):
                if rule.min_months or rule.min_days or rule.duration_of_stay:
                    span = (rule.min_months, rule.min_days)
                    expiry.add(add_span(arrival, span))
                    if key.until is not None:
                        expiry.add(add_span(key.until, span))
                    spans.add(span)
                if rule.issued_within_years is not None:
                    issue.add(arrival - relativedelta(years=rule.issued_within_years))
            # A stay longer than a limit changes the answer from the limit's next day on.
            for _, _, entry in destination.entry.get(holder, ()):
                days.update(limit + 1 for limit in (entry.max_stay_days,
                                                    entry.max_continuous_days)
                            if limit is not None)
            for _, _, exemption in destination.exemptions.get(holder, ()):
                if exemption.grant_max_stay_days is not None:
                    days.add(exemption.grant_max_stay_days + 1)
            for _, _, transit in destination.transit.get(holder, ()):
                if transit.max_hours is not None:
                    # (days - 1) * 24 > hours  ⟺  days >= hours // 24 + 2
                    days.add(transit.max_hours // 24 + 2)
    return Cuts(tuple(sorted(expiry)), tuple(sorted(issue)), tuple(sorted(days)),
                tuple(sorted(spans)))


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
    kind = DocumentType(key.document_type)
    proves = document_nationality(key.nationality, key.document_type)
    document = Document(type=kind, issuer=key.issuer, nationality=proves, issued=issued,
                        expires=expires)
    leg = Leg(origin=origin, to=key.to, date=key.date, until=until, transit=key.transit,
              purpose=None if key.purpose is None else Purpose(key.purpose))
    traveller = Traveller(nationalities=tuple(dict.fromkeys((key.nationality, proves))),
                          documents=(document,))
    history = tuple(Stay(country=to, entered=entered, left=left)
                    for to, entered, left in key.history)
    decision = check_leg(Trip(traveller=traveller, itinerary=(leg,)), leg, rules, on, history)
    return outcome_of(decision)
