"""What every engine step shares: the leg being judged, and one attempt with one document.

Why: the engine tries each document the traveller holds and keeps the best outcome per leg
(docs/design.md, The engine). An `Attempt` collects one document's findings as the steps run;
`LegContext` carries what the steps read (the compiled rules, the date whose rules apply) so
that each step is a small function of (context, document, attempt).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from admit.model import Code, Document, DocumentType, Finding, Leg, Status, Stay, Traveller
from admit.rules.spec import Rule
from admit.rules.tables import Destination, Rules


@dataclass(frozen=True, slots=True)
class LegContext:
    """`on` is the date whose rules apply (the leg's date unless the caller fixed one);
    document dates are always checked against the arrival date, `leg.date`."""

    leg: Leg
    traveller: Traveller
    rules: Rules
    destination: Destination | None
    on: date
    # Presence before this leg that counts towards stay limits: the traveller's stays and the
    # trip's own earlier legs. Empty when the caller gave no history.
    history: tuple[Stay, ...] = ()

    @property
    def code(self) -> str:
        return self.leg.to


@dataclass(frozen=True, slots=True)
class Terms:
    """The stay a regime allows: in total within a window, and per stay."""

    max_stay_days: int | None = None
    window_days: int | None = None
    max_continuous_days: int | None = None

    @property
    def single_stay(self) -> int | None:
        """The longest one stay may last: the per-stay cap when there is one."""
        found = [d for d in (self.max_stay_days, self.max_continuous_days) if d is not None]
        return min(found) if found else None

    def words(self) -> str:
        days, window, each = self.max_stay_days, self.window_days, self.max_continuous_days
        if each is not None and (days is None or each < days):
            total = f" and {days} days within any {window} days" if days and window else ""
            return f" for up to {each} days per stay{total}"
        if days and window:
            return f" for up to {days} days within any {window} days"
        return f" for up to {days} days" if days else ""


@dataclass(slots=True)
class Attempt:
    """One document tried on one leg. `limit` is the rule that set `max_stay_days`."""

    document: Document | None
    findings: list[Finding] = field(default_factory=list)
    max_stay_days: int | None = None
    limit: Rule | None = None
    limited: bool = False  # whether max_stay_days bounds this stay (visa-free, eVisa, …)
    terms: Terms | None = None  # the stay terms of the regime that admits
    latest_exit: date | None = None  # with a stay history: the last day of lawful presence

    @property
    def status(self) -> Status:
        return max((f.status for f in self.findings), default=Status.ADMISSIBLE)

    def add(self, code: Code, status: Status, message: str, rule: Rule | None = None,
            *, ref: str | None = None, sources: tuple[str, ...] = ()) -> None:
        if rule is not None:
            ref, sources = rule.ref, rule.urls
        self.findings.append(Finding(code, status, message, ref, sources))

    def copy(self) -> Attempt:
        return Attempt(self.document, list(self.findings), self.max_stay_days, self.limit,
                       self.limited, self.terms, self.latest_exit)

    def rank(self) -> tuple[Status, int]:
        """Better attempts sort first: a better status, then a longer allowed stay."""
        return self.status, -(self.max_stay_days or 0)


_LABELS = {DocumentType.NATIONAL_ID: "national ID card"}
_CLASSES = {"XXA": "stateless persons (XXA)", "XXB": "refugees (XXB)",
            "XXC": "refugees (XXC)", "XXX": "persons of unspecified nationality (XXX)"}


def label(document: Document) -> str:
    """`internal_passport` → `internal passport`, for messages."""
    return _LABELS.get(document.type) or document.type.value.replace("_", " ")


def a(words: str) -> str:
    """The words with their indefinite article: `an internal passport`."""
    return f"an {words}" if words[:1] in "aeiou" else f"a {words}"


def who(nationality: str) -> str:
    """How messages name the holders of a nationality code: `citizens of RUS`."""
    return _CLASSES.get(nationality) or f"citizens of {nationality}"
