"""A leg key's answers: the engine's decision for every way a document's dates can fall.

Why: within one manifest the same leg is judged over and over — same destination, date,
nationality and document type, only the document's dates differ. The engine looks at those
dates only through comparisons with dates fixed by the leg and the rules (expired on arrival;
an agreement's N years of accepted expiry; N months of validity beyond arrival or departure;
issued within N years). So for each distinct leg key we collect those threshold dates, cut the
calendar into the intervals between them, and ask the real engine (`check_leg`) once per
interval. A row then needs only to find its interval, which Polars does for millions of rows at
once. The thresholds are a superset (every validity rule the key could meet, both bases, every
expired-documents agreement): an extra cut costs one engine call, a missing one would cost
exactness, and the property test compares against `engine.check` row by row.
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


@dataclass(frozen=True, slots=True)
class LegKey:
    """Everything a leg's decision depends on except the document's dates. `history` holds the
    earlier legs that count as stays (non-transit, with an intended departure), as the engine
    counts them."""

    origin: str
    to: str
    date: date
    until: _Date | None
    transit: bool
    purpose: str | None
    nationality: str
    document_type: str
    issuer: str
    history: tuple[tuple[str, _Date, _Date], ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What screening reports of one leg: status (0 best … 4 worst), finding codes as bits,
    and the main reason (the first finding with the leg's status) and its rule."""

    status: int
    codes: int
    reason: str | None
    rule: str | None


@dataclass(frozen=True, slots=True)
class KeyOutcomes:
    """A key's thresholds and its outcomes. Expiry category `e` is the number of
    `expiry_cuts` on or before the expiry date (`len(expiry_cuts) + 1` when there is none);
    likewise the issue category. `outcomes[e * issue_categories + i]`."""

    expiry_cuts: tuple[date, ...]
    issue_cuts: tuple[date, ...]
    outcomes: tuple[Outcome, ...]

    @property
    def expiry_categories(self) -> int:
        return len(self.expiry_cuts) + 2

    @property
    def issue_categories(self) -> int:
        return len(self.issue_cuts) + 2

    def category(self, expires: date | None, issued: date | None) -> int:
        """The outcome index for these dates (the scalar form of the vectorised look-up)."""
        e = (len(self.expiry_cuts) + 1 if expires is None
             else sum(cut <= expires for cut in self.expiry_cuts))
        i = (len(self.issue_cuts) + 1 if issued is None
             else sum(cut <= issued for cut in self.issue_cuts))
        return e * self.issue_categories + i


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


def thresholds(key: LegKey, rules: Rules) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """The dates at which the engine's answer for this key can change: expiry cuts (an expiry
    on or after the cut falls on the other side) and issue cuts."""
    arrival = key.date
    expiry = {arrival}
    issue: set[date] = set()
    for agreement in rules.expired_documents:
        years = agreement.spec.expired_up_to_years or 0
        guess = arrival - relativedelta(years=years)
        expiry.add(first_reaching(guess, years, arrival))
    destination = rules.destinations.get(key.to)
    if destination is not None:
        nationality = document_nationality(key.nationality, key.document_type)
        bases = [arrival] if key.until is None else [arrival, key.until]
        for entries in (destination.validity.get(nationality, ()),
                        destination.validity.get(DEFAULT, ())):
            for _, _, rule in entries:
                if rule.min_months or rule.min_days or rule.duration_of_stay:
                    span = relativedelta(months=rule.min_months, days=rule.min_days)
                    expiry.update(base + span for base in bases)
                if rule.issued_within_years is not None:
                    issue.add(arrival - relativedelta(years=rule.issued_within_years))
    return tuple(sorted(expiry)), tuple(sorted(issue))


def _representatives(cuts: tuple[date, ...]) -> list[date | None]:
    """One date inside each category: the day before the first cut, then each cut itself,
    then None for a missing date."""
    first = cuts[0] - _ONE_DAY if cuts and cuts[0] > date.min else (cuts[0] if cuts else None)
    return [first, *cuts, None]


def outcome_of(decision: LegDecision) -> Outcome:
    reason = next((f for f in decision.findings if f.status == decision.status), None)
    bits = 0
    for finding in decision.findings:
        bits |= CODE_BITS[finding.code]
    return Outcome(status=int(decision.status), codes=bits,
                   reason=None if reason is None else reason.code.value,
                   rule=None if reason is None else reason.rule)


def key_outcomes(key: LegKey, rules: Rules, on: date | None) -> KeyOutcomes:
    """Ask the engine once per (expiry category, issue category) of this key."""
    expiry_cuts, issue_cuts = thresholds(key, rules)
    kind = DocumentType(key.document_type)
    proves = document_nationality(key.nationality, key.document_type)
    nationalities = tuple(dict.fromkeys((key.nationality, proves)))
    leg = Leg(origin=key.origin, to=key.to, date=key.date, until=key.until,
              transit=key.transit, purpose=None if key.purpose is None else Purpose(key.purpose))
    history = tuple(Stay(country=to, entered=entered, left=left)
                    for to, entered, left in key.history)
    issued_days = _representatives(issue_cuts)
    if not issue_cuts:
        issued_days[0] = key.date  # any issue date: no rule compares it
    outcomes = []
    for expires in _representatives(expiry_cuts):
        for issued in issued_days:
            document = Document(type=kind, issuer=key.issuer, nationality=proves,
                                issued=issued, expires=expires)
            trip = Trip(traveller=Traveller(nationalities=nationalities, documents=(document,)),
                        itinerary=(leg,))
            outcomes.append(outcome_of(check_leg(trip, leg, rules, on, history)))
    return KeyOutcomes(expiry_cuts, issue_cuts, tuple(outcomes))
