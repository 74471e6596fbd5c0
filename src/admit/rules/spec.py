"""Typed, validated rule records: what a rule file says, after reading and before compiling.

Why: the reader turns loosely typed YAML into these records once, with every date parsed,
every reference resolved and every code checked; the compiler and the engine then work on
plain attributes and never re-check. A rule keeps its nationalities as written (groups
unexpanded) so `admit rules show` can print the file's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from admit.model import AuthorizationType, DocumentType, Purpose

FIRST_DAY = date.min
LAST_DAY = date.max
SECTIONS = ("documents", "validity", "entry", "exemptions", "transit")
REGIMES = ("freedom_of_movement", "visa_free", "visa_on_arrival", "evisa", "eta",
           "visa_required", "not_admitted")
TRANSIT_REGIMES = ("transit_without_visa", "transit_visa_required")
AGREEMENT_KINDS = ("expired_documents", "internal_documents", "extradition", "readmission",
                   "visa_waiver")
# Who published a source, in the order of the weight it carries: the first three are primary
# (the state's own word, a treaty text, an international organisation's text).
SOURCE_KINDS = ("official", "treaty", "intergovernmental", "encyclopedia", "press", "commercial")
PRIMARY_KINDS = frozenset(SOURCE_KINDS[:3])


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    title: str
    kind: str

    @property
    def primary(self) -> bool:
        return self.kind in PRIMARY_KINDS


@dataclass(frozen=True, slots=True)
class Membership:
    """A country's place in a group or a treaty, between two inclusive dates."""

    country: str
    start: date = FIRST_DAY
    end: date = LAST_DAY
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """Fields every rule has. `nationalities` is None for `default` and `all_except`.
    `documents` and `purposes` narrow the rule to those document types / trip purposes (None:
    any)."""

    ref: str
    id: str
    section: str
    nationalities: tuple[str, ...] | None
    start: date
    end: date
    sources: tuple[Source, ...]
    note: str | None
    file: str
    line: int
    order: int
    documents: frozenset[DocumentType] | None = None
    purposes: frozenset[Purpose] | None = None
    # With `nationalities` None: every nationality but these (codes and groups) — a rule
    # written `nationalities: {all_except: [...]}`; None for a plain `default`.
    excluded: tuple[str, ...] | None = None

    @property
    def is_default(self) -> bool:
        """A plain `default`: every nationality no other rule names."""
        return self.nationalities is None and self.excluded is None

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(s.url for s in self.sources)

    @property
    def specificity(self) -> int:
        return (self.documents is not None) + (self.purposes is not None)

    def matches(self, document: DocumentType, purpose: Purpose | None) -> bool:
        return ((self.documents is None or document in self.documents)
                and (self.purposes is None or (purpose is not None and purpose in self.purposes)))


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRule(Rule):
    accept: frozenset[DocumentType]
    issuers: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidityRule(Rule):
    min_months: int = 0
    min_days: int = 0
    beyond: str = "arrival"
    duration_of_stay: bool = False
    issued_within_years: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryRule(Rule):
    regime: str
    max_stay_days: int | None = None
    window_days: int | None = None
    max_continuous_days: int | None = None
    anchor: str = "rolling"


@dataclass(frozen=True, slots=True)
class Held:
    """An authorization that counts: its type and who may have issued it (a code or group)."""

    type: AuthorizationType
    issuer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExemptionRule(Rule):
    held: tuple[Held, ...]
    grant_regime: str
    grant_max_stay_days: int | None = None
    min_remaining_days: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitRule(Rule):
    regime: str
    airside: bool = False
    max_hours: int | None = None
    held: tuple[Held, ...] = ()


@dataclass(frozen=True, slots=True)
class Sections:
    documents: tuple[DocumentRule, ...] | None
    validity: tuple[ValidityRule, ...]
    entry: tuple[EntryRule, ...]
    exemptions: tuple[ExemptionRule, ...]
    transit: tuple[TransitRule, ...]

    def all(self) -> tuple[Rule, ...]:
        return (*(self.documents or ()), *self.validity, *self.entry, *self.exemptions,
                *self.transit)


@dataclass(frozen=True, slots=True)
class CountrySpec:
    code: str
    name: str
    verified: date
    policies: tuple[str, ...]
    sections: Sections
    file: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PolicySpec:
    key: str
    name: str
    verified: date
    members: str
    common_visa: bool
    sections: Sections
    file: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GroupSpec:
    key: str
    name: str
    members: tuple[Membership, ...]
    sources: tuple[Source, ...]
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class WaiverTerms:
    """What a visa-waiver agreement grants: the regime and stay terms of an entry rule, the
    periods it was suspended, and — when it is not mutual — which parties' nationals it
    exempts entering which parties (codes)."""

    regime: str = "visa_free"
    max_stay_days: int | None = None
    window_days: int | None = None
    max_continuous_days: int | None = None
    anchor: str = "rolling"
    purposes: frozenset[Purpose] | None = None
    suspended: tuple[tuple[date, date], ...] = ()
    directions: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementSpec:
    id: str
    title: str
    kind: str
    parties: tuple[Membership, ...]
    documents: frozenset[DocumentType]
    expired_up_to_years: int | None
    issuers: tuple[str, ...] | None
    start: date
    end: date
    sources: tuple[Source, ...]
    file: str
    line: int
    note: str | None = None
    waiver: WaiverTerms | None = None

    @property
    def ref(self) -> str:
        return f"agreements#{self.id}"
