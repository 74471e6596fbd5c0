"""The compiled rule set: plain dictionaries the engine reads with a few look-ups per check.

Why: docs/design.md asks that one check be "a handful of dictionary look-ups". Each section of each
destination is compiled into a table keyed by nationality (groups already expanded with their
membership dates, policies already merged in precedence order); the engine takes the first entry
in force on the date whose document type and purpose fit. Nothing here parses or validates:
that all happened once, at load time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from admit.model import DocumentType, Purpose
from admit.rules.spec import (
    AgreementSpec,
    CountrySpec,
    DocumentRule,
    EntryRule,
    ExemptionRule,
    GroupSpec,
    PolicySpec,
    Rule,
    TransitRule,
    ValidityRule,
)

R = TypeVar("R", bound=Rule)
DEFAULT = "*"  # the key of `nationalities: default` rules; no code is spelt so
Span = tuple[date, date]
Selector = dict[str, tuple[Span, ...]]
Table = dict[str, tuple[tuple[date, date, R], ...]]


def selects(selector: Selector, code: str, on: date) -> bool:
    return any(start <= on <= end for start, end in selector.get(code, ()))


def pick(table: Table[R], nationality: str, on: date, document: DocumentType,
         purpose: Purpose | None) -> R | None:
    """The one rule that governs: entries are sorted by precedence (docs/rules.md), so the
    first in force that fits wins; the nationality's own entries come before the defaults."""
    for entries in (table.get(nationality, ()), table.get(DEFAULT, ())):
        for start, end, rule in entries:
            if start <= on <= end and rule.matches(document, purpose):
                return rule
    return None


def pick_all(table: Table[R], nationality: str, on: date) -> list[R]:
    """Every rule in force for the nationality, in precedence order (for sections whose rules
    add up: accepted documents and exemptions)."""
    found: list[R] = []
    for entries in (table.get(nationality, ()), table.get(DEFAULT, ())):
        for start, end, rule in entries:
            if start <= on <= end and rule not in found:
                found.append(rule)
    return found


@dataclass(slots=True)
class Destination:
    """One destination's compiled rules, its own file's and its policies' together."""

    spec: CountrySpec
    policies: tuple[PolicySpec, ...]
    documents: Table[DocumentRule] | None
    validity: Table[ValidityRule]
    entry: Table[EntryRule]
    exemptions: Table[ExemptionRule]
    transit: Table[TransitRule]
    common_area: Selector  # issuers whose visas and permits count here (itself, common visa)

    @property
    def code(self) -> str:
        return self.spec.code


@dataclass(slots=True)
class Agreement:
    spec: AgreementSpec
    parties: Selector

    def binds(self, a: str, b: str, on: date) -> bool:
        """Both states are parties on that date, and the agreement is in force."""
        spec = self.spec
        return (spec.start <= on <= spec.end and selects(self.parties, a, on)
                and selects(self.parties, b, on))


@dataclass(slots=True)
class Rules:
    """A loaded data set. `data_version` is a content hash of its files."""

    path: Path
    data_version: str
    destinations: dict[str, Destination]
    groups: dict[str, GroupSpec]
    policies: dict[str, PolicySpec]
    agreements: tuple[Agreement, ...]
    group_members: dict[str, Selector]
    fictional_codes: dict[str, str] = field(default_factory=dict)
    expired_documents: tuple[Agreement, ...] = ()  # the agreements the engine consults,
    internal_documents: tuple[Agreement, ...] = ()  # picked out once from `agreements`

    @property
    def extra_codes(self) -> frozenset[str]:
        return frozenset(self.fictional_codes)

    def names(self, token: str, code: str, on: date) -> bool:
        """Whether a rule's code-or-group token stands for `code` on that date."""
        if token == code:
            return True
        members = self.group_members.get(token)
        return members is not None and selects(members, code, on)
