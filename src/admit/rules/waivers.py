"""Visa-waiver agreements turned into the entry rules each party applies to the others.

Why: a bilateral or multilateral waiver binds every party at once, so it is written once, in
`agreements.yaml` (`kind: visa_waiver`), and each party's destination applies it; written into
one party's file only, an agreement left the other direction visa-required. After reading, each
party that has a country file gets one entry rule per stretch of dates on which the agreement
is in force (not suspended) and the nationals concerned are parties. The rules sit at the
country's own level, after its own rules, so a country rule that still restates the agreement
for the same nationality, dates and documents is an overlap that lint and the loader refuse;
findings cite the agreement (`agreements#ID`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from admit.rules.compiler import intersect, minus, selector
from admit.rules.spec import (
    AgreementSpec,
    CountrySpec,
    EntryRule,
)

Span = tuple[date, date]
# Derived rules rank after every rule a file writes itself (file order decides among equals).
_ORDER_BASE = 1_000_000


def apply_waivers(countries: dict[str, CountrySpec],
                  agreements: tuple[AgreementSpec, ...]) -> None:
    """Add each visa-waiver agreement's entry rules to the files of its parties, in place."""
    derived: dict[str, list[EntryRule]] = {}
    for index, spec in enumerate(agreements):
        if spec.kind != "visa_waiver" or spec.waiver is None:
            continue
        for destination in _destinations(spec):
            if destination in countries:
                derived.setdefault(destination, []).extend(
                    _rules(spec, destination, _ORDER_BASE * (index + 1)))
    for code, rules in derived.items():
        country = countries[code]
        sections = replace(country.sections, entry=country.sections.entry + tuple(rules))
        countries[code] = replace(country, sections=sections)


def waiver_entering(spec: AgreementSpec, destination: str) -> dict[str, tuple[Span, ...]]:
    """The nationalities the agreement exempts on entering `destination`, each with the
    stretches of dates on which it does (in force, not suspended, both states parties)."""
    assert spec.waiver is not None
    terms = spec.waiver
    parties = selector(spec.parties)
    own = parties.get(destination, ())
    in_force = minus(((spec.start, spec.end),), terms.suspended)
    result: dict[str, tuple[Span, ...]] = {}
    for nationality, spans in parties.items():
        if nationality == destination or not _directed(spec, nationality, destination):
            continue
        found = intersect(intersect(in_force, own), spans)
        if found:
            result[nationality] = found
    return result


def _destinations(spec: AgreementSpec) -> list[str]:
    assert spec.waiver is not None
    if spec.waiver.directions:
        return sorted({d for _, entering in spec.waiver.directions for d in entering})
    return sorted({m.country for m in spec.parties})


def _directed(spec: AgreementSpec, nationality: str, destination: str) -> bool:
    assert spec.waiver is not None
    if not spec.waiver.directions:
        return True
    return any(nationality in nationals and destination in entering
               for nationals, entering in spec.waiver.directions)


def _rules(spec: AgreementSpec, destination: str, order: int) -> list[EntryRule]:
    assert spec.waiver is not None
    terms = spec.waiver
    by_span: dict[tuple[Span, ...], list[str]] = {}
    for nationality, spans in waiver_entering(spec, destination).items():
        by_span.setdefault(spans, []).append(nationality)
    rules: list[EntryRule] = []
    for spans, nationalities in sorted(by_span.items()):
        for start, end in spans:
            number = len(rules) + 1
            rules.append(EntryRule(
                ref=spec.ref, id=spec.id if number == 1 else f"{spec.id}.{number}",
                section="entry", nationalities=tuple(sorted(nationalities)), start=start,
                end=end, sources=spec.sources, note=spec.note or spec.title, file=spec.file,
                line=spec.line, order=order + number, documents=spec.documents or None,
                purposes=terms.purposes, regime=terms.regime,
                max_stay_days=terms.max_stay_days, window_days=terms.window_days,
                max_continuous_days=terms.max_continuous_days, anchor=terms.anchor))
    return rules
