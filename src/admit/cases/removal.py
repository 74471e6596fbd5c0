"""Where the person could be removed to, whether they are admissible there, and at what risk.

Why: ICAO Annex 9 Chapter 5 lets the carrier remove an inadmissible person to the point where
the journey began or to any place where they are admissible, and the state of embarkation must
take them back. The case therefore lists the point of embarkation first, then the countries of
nationality and any the officer named, each judged by the engine with the documents the person
holds. Non-refoulement (1951 Refugee Convention, art. 33) adds the other half: while a
protection claim is pending, a destination that is the feared country, or that has an
extradition or readmission agreement with it in the loaded rules (agreements.yaml), is flagged
with the agreement and its sources — removal there risks onward removal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from admit.cases.domain import Case, Evaluation
from admit.cases.intake import traveller_trip
from admit.engine import check
from admit.errors import InputError
from admit.model import Decision
from admit.rules import Rules

ONWARD_KINDS = ("extradition", "readmission")


@dataclass(frozen=True, slots=True)
class Risk:
    """Why removal to a destination may expose the person to the feared country."""

    claim: int
    feared_country: str
    reason: str  # feared_country | extradition | readmission
    message: str
    agreement: str | None = None
    title: str | None = None
    sources: tuple[dict[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"claim": self.claim, "feared_country": self.feared_country,
                "reason": self.reason, "message": self.message, "agreement": self.agreement,
                "title": self.title, "sources": list(self.sources)}


@dataclass(frozen=True, slots=True)
class Alternative:
    country: str
    roles: tuple[str, ...]  # embarkation | nationality | named | proposed | asked
    on: date
    decision: Decision | None
    error: str | None = None  # the engine could not judge it (e.g. a document it cannot read)
    risks: tuple[Risk, ...] = field(default=())

    @property
    def status(self) -> str:
        return self.decision.status.label if self.decision is not None else "unknown"

    def to_json(self) -> dict[str, Any]:
        leg = self.decision.legs[0].to_json() if self.decision is not None else None
        return {"country": self.country, "roles": list(self.roles), "date": self.on.isoformat(),
                "status": self.status,
                "board": self.decision.board if self.decision is not None else False,
                "findings": leg["findings"] if leg is not None else [],
                "data_version": self.decision.data_version if self.decision else None,
                "error": self.error, "risks": [r.to_json() for r in self.risks]}


def removal_date(case: Case) -> date:
    """The date a removal would happen: the plan's, else the day of the refusal."""
    if case.removal is not None:
        return case.removal.date
    return case.refusal.arrival.date


def candidates(case: Case, extra: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Destinations in the order the case shows them, each with why it is listed."""
    found: dict[str, list[str]] = {}
    refusal = case.refusal
    found.setdefault(refusal.arrival.embarkation_country, []).append("embarkation")
    for code in refusal.person.nationalities:
        found.setdefault(code, []).append("nationality")
    for code in refusal.alternatives:
        found.setdefault(code, []).append("named")
    if case.removal is not None:
        found.setdefault(case.removal.destination, []).append("proposed")
    for code in extra:
        found.setdefault(code, []).append("asked")
    found.pop(refusal.arrival.country, None)  # never back to the state that refused
    return found


def alternatives(case: Case, rules: Rules, extra: tuple[str, ...] = (),
                 on: date | None = None) -> list[Alternative]:
    day = on if on is not None else removal_date(case)
    return [evaluate(case, country, tuple(roles), day, rules)
            for country, roles in candidates(case, extra).items()]


def evaluate(case: Case, country: str, roles: tuple[str, ...], on: date,
             rules: Rules) -> Alternative:
    refusal = case.refusal
    flagged = risks(case, country, on, rules)
    try:
        trip = traveller_trip(refusal.person, refusal.documents, refusal.authorizations,
                              refusal.arrival.country, country, on, rules)
    except InputError as exc:
        return Alternative(country, roles, on, None, error=str(exc), risks=flagged)
    return Alternative(country, roles, on, check(trip, rules), risks=flagged)


def evaluation(case: Case, country: str, on: date, rules: Rules) -> Evaluation:
    """The snapshot a removal proposal keeps of the engine's answer for its destination."""
    alt = evaluate(case, country, ("proposed",), on, rules)
    codes = tuple(sorted(c.value for c in alt.decision.codes)) if alt.decision else ()
    return Evaluation(country=country, status=alt.status,
                      board=alt.decision.board if alt.decision else False, codes=codes,
                      data_version=rules.data_version)


def risks(case: Case, country: str, on: date, rules: Rules) -> tuple[Risk, ...]:
    """The onward-removal risks of `country` for each pending protection claim."""
    found: list[Risk] = []
    for claim in case.pending_claims:
        feared = claim.feared_country
        if country == feared:
            found.append(Risk(claim.number, feared, "feared_country",
                              f"{country} is the country named in protection claim "
                              f"#{claim.number} as where persecution is feared."))
            continue
        for agreement in rules.agreements:
            spec = agreement.spec
            if spec.kind in ONWARD_KINDS and agreement.binds(country, feared, on):
                found.append(Risk(
                    claim.number, feared, spec.kind,
                    f"{country} and {feared} are both parties to {spec.id} ({spec.kind}) on "
                    f"{on.isoformat()}: removal to {country} risks onward removal to "
                    f"{feared}, the country feared in protection claim #{claim.number}.",
                    agreement=spec.id, title=spec.title,
                    sources=tuple({"url": s.url, "title": s.title} for s in spec.sources)))
    return tuple(found)
