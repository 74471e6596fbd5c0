"""The domain types every layer shares: a trip in, a decision out, and their JSON forms.

Why: docs/design.md fixes the Trip and Decision JSON shapes as public contracts (CLI, HTTP API and
users' scripts depend on them). Keeping the types and their (de)serialisation in one module
means the engine works on typed, already-validated values and never sees raw JSON, and every
interface gets the same field-named error messages for bad input. The parsing of trip JSON
lives in `admit.tripjson`; this module holds the types.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# `Leg` and `LegDecision` have a field named `date`, which shadows the type in their bodies.
_Date = date


class Status(enum.IntEnum):
    """A leg's or trip's outcome, ordered best to worst so that `max()` gives the worst."""

    ADMISSIBLE = 0
    ADMISSIBLE_ON_ARRIVAL = 1
    AUTHORIZATION_REQUIRED = 2
    UNKNOWN = 3
    INADMISSIBLE = 4

    @property
    def label(self) -> str:
        """The JSON spelling: `admissible`, `admissible_on_arrival`, …"""
        return self.name.lower()

    @property
    def boardable(self) -> bool:
        """Fine to board: nothing has to be obtained before departure."""
        return self <= Status.ADMISSIBLE_ON_ARRIVAL

    @classmethod
    def parse(cls, text: str) -> Status:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"not a status: {text!r}") from None


class Code(enum.StrEnum):
    """Finding codes (docs/design.md). New codes may be added; existing ones keep their meaning."""

    NATIONAL = "NATIONAL"
    FREEDOM_OF_MOVEMENT = "FREEDOM_OF_MOVEMENT"
    VISA_FREE = "VISA_FREE"
    VISA_ON_ARRIVAL = "VISA_ON_ARRIVAL"
    EVISA_REQUIRED = "EVISA_REQUIRED"
    ETA_REQUIRED = "ETA_REQUIRED"
    VISA_REQUIRED = "VISA_REQUIRED"
    AUTHORIZATION_HELD = "AUTHORIZATION_HELD"
    DOCUMENT_EXPIRED = "DOCUMENT_EXPIRED"
    EXPIRED_DOCUMENT_ACCEPTED = "EXPIRED_DOCUMENT_ACCEPTED"
    VALIDITY_TOO_SHORT = "VALIDITY_TOO_SHORT"
    DOCUMENT_TOO_OLD = "DOCUMENT_TOO_OLD"
    DOCUMENT_NOT_ACCEPTED = "DOCUMENT_NOT_ACCEPTED"
    STAY_TOO_LONG = "STAY_TOO_LONG"
    STAY_LIMIT_EXCEEDED = "STAY_LIMIT_EXCEEDED"
    TRANSIT_WITHOUT_VISA = "TRANSIT_WITHOUT_VISA"
    TRANSIT_VISA_REQUIRED = "TRANSIT_VISA_REQUIRED"
    NOT_ADMITTED = "NOT_ADMITTED"
    NO_RULE = "NO_RULE"
    # Added by the engine: a rule needs a document date the input did not give (an MRZ has no
    # issue date), so the check cannot be decided either way.
    DOCUMENT_DATE_UNKNOWN = "DOCUMENT_DATE_UNKNOWN"


class DocumentType(enum.StrEnum):
    PASSPORT = "passport"
    DIPLOMATIC_PASSPORT = "diplomatic_passport"
    SERVICE_PASSPORT = "service_passport"
    NATIONAL_ID = "national_id"
    INTERNAL_PASSPORT = "internal_passport"
    REFUGEE_TRAVEL_DOCUMENT = "refugee_travel_document"
    STATELESS_TRAVEL_DOCUMENT = "stateless_travel_document"
    EMERGENCY_TRAVEL_DOCUMENT = "emergency_travel_document"


class AuthorizationType(enum.StrEnum):
    VISA = "visa"
    EVISA = "evisa"
    ETA = "eta"
    TRANSIT_VISA = "transit_visa"
    RESIDENCE_PERMIT = "residence_permit"


class Purpose(enum.StrEnum):
    TOURISM = "tourism"
    BUSINESS = "business"
    TRANSIT = "transit"
    STUDY = "study"
    WORK = "work"
    FAMILY = "family"


# The nationality a refugee's or stateless person's travel document stands for in visa rules.
CONVENTION_CLASS: dict[DocumentType, str] = {
    DocumentType.REFUGEE_TRAVEL_DOCUMENT: "XXB",
    DocumentType.STATELESS_TRAVEL_DOCUMENT: "XXA",
}


@dataclass(frozen=True, slots=True)
class Document:
    """A travel document. `nationality` is what the document proves for visa purposes: the
    MRZ's nationality field, else the class of a convention travel document (XXA/XXB), else the
    issuing state. The number is personal data: kept out of `repr` so it cannot reach a log."""

    type: DocumentType
    issuer: str
    nationality: str
    number: str | None = field(default=None, repr=False)
    issued: date | None = None
    expires: date | None = None
    birth_date: date | None = field(default=None, repr=False)
    from_mrz: bool = False


@dataclass(frozen=True, slots=True)
class Authorization:
    """A visa, eVisa, ETA, transit visa or residence permit the traveller holds."""

    type: AuthorizationType
    issuer: str
    category: str | None = None
    valid_from: date | None = None
    expires: date | None = None

    def valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.expires is None or day <= self.expires


@dataclass(frozen=True, slots=True)
class Stay:
    """A past stay in a country, both days counted (for rolling-window limits)."""

    country: str
    entered: date
    left: date


@dataclass(frozen=True, slots=True)
class Traveller:
    """`nationalities` holds the declared ones plus those the documents prove."""

    nationalities: tuple[str, ...]
    documents: tuple[Document, ...]
    authorizations: tuple[Authorization, ...] = ()
    stays: tuple[Stay, ...] = ()
    birth_date: date | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Leg:
    """Travel from `origin` to `to`, arriving on `date`; `until` is the intended departure."""

    origin: str
    to: str
    date: _Date
    until: _Date | None = None
    transit: bool = False
    purpose: Purpose | None = None

    @property
    def role(self) -> str:
        return "transit" if self.transit else "destination"

    @property
    def stay_days(self) -> int | None:
        """Days present, both ends counted; a transit without `until` is a one-day visit."""
        if self.until is not None:
            return (self.until - self.date).days + 1
        return 1 if self.transit else None


@dataclass(frozen=True, slots=True)
class Trip:
    traveller: Traveller
    itinerary: tuple[Leg, ...]

    @classmethod
    def from_json(cls, obj: object, *, extra_codes: frozenset[str] = frozenset()) -> Trip:
        """Parse docs/design.md's trip JSON; raises InputError naming the field path and value.
        `extra_codes` admits the fictional country codes a test rule set declares."""
        from admit.tripjson import parse_trip

        return parse_trip(obj, extra_codes=extra_codes)


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason: what was found, how it weighs, in words, and the rule and sources behind it."""

    code: Code
    status: Status
    message: str
    rule: str | None = None
    sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code.value, "status": self.status.label, "message": self.message,
                "rule": self.rule, "sources": list(self.sources)}


@dataclass(frozen=True, slots=True)
class LegDecision:
    country: str
    date: _Date
    role: str
    status: Status
    document: Document | None
    max_stay_days: int | None
    findings: tuple[Finding, ...]
    latest_exit: _Date | None = None  # with a stay history: the last day of lawful presence

    def to_json(self) -> dict[str, Any]:
        document = (None if self.document is None else
                    {"type": self.document.type.value, "issuer": self.document.issuer})
        return {"country": self.country, "date": self.date.isoformat(), "role": self.role,
                "status": self.status.label, "document": document,
                "max_stay_days": self.max_stay_days,
                "latest_exit": None if self.latest_exit is None else self.latest_exit.isoformat(),
                "findings": [f.to_json() for f in self.findings]}


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for a whole trip. `as_of` is the date whose rules were applied when the
    caller fixed one (`check(on=...)`); None means each leg was judged by the rules of its own
    date. With `data_version` and `engine_version` it makes a decision replayable."""

    status: Status
    board: bool
    legs: tuple[LegDecision, ...]
    data_version: str
    engine_version: str
    as_of: date | None = None

    @property
    def codes(self) -> frozenset[Code]:
        return frozenset(f.code for leg in self.legs for f in leg.findings)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status.label, "board": self.board,
                "legs": [leg.to_json() for leg in self.legs],
                "data_version": self.data_version, "engine_version": self.engine_version,
                "as_of": None if self.as_of is None else self.as_of.isoformat()}
