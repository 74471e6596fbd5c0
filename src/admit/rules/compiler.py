"""Compile read rule specs into the engine's lookup tables (`admit.rules.tables`).

Why: precedence, group membership dates and policy membership dates are resolved here, once,
so that the engine's look-up is "first entry in force that fits". A policy's rules apply to a
destination only while the destination is a member of the policy's group (Croatia applies the
Schengen lists from its accession date, not before); a group named in a rule names a country
only while it is a member.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from admit import codes
from admit.rules.spec import (
    FIRST_DAY,
    LAST_DAY,
    AgreementSpec,
    CountrySpec,
    GroupSpec,
    Membership,
    PolicySpec,
    Rule,
)
from admit.rules.tables import DEFAULT, Agreement, Destination, Rules, Selector, Span, Table

ALWAYS: tuple[Span, ...] = ((FIRST_DAY, LAST_DAY),)


def selector(members: Iterable[Membership]) -> Selector:
    spans: dict[str, list[Span]] = {}
    for m in members:
        spans.setdefault(m.country, []).append((m.start, m.end))
    return {code: tuple(sorted(found)) for code, found in spans.items()}


def intersect(a: Iterable[Span], b: Iterable[Span]) -> tuple[Span, ...]:
    # Most rules and memberships are open-ended: skip the work then (compiling is on the
    # cold-start path).
    if a == ALWAYS:
        return tuple(b)
    if b == ALWAYS:
        return tuple(a)
    out = []
    for a_start, a_end in a:
        for b_start, b_end in b:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start <= end:
                out.append((start, end))
    return tuple(sorted(out))


def minus(spans: Iterable[Span], cut: Iterable[Span]) -> tuple[Span, ...]:
    """`spans` without the days of `cut` (inclusive bounds, as rules write them)."""
    result = list(spans)
    for c_start, c_end in cut:
        kept: list[Span] = []
        for start, end in result:
            if c_end < start or c_start > end:
                kept.append((start, end))
                continue
            if start < c_start:
                kept.append((start, c_start - timedelta(days=1)))
            if c_end < end:
                kept.append((c_end + timedelta(days=1), end))
        result = kept
    return tuple(sorted(result))


def compile_rules(path: Path, data_version: str, countries: Mapping[str, CountrySpec],
                  policies: Mapping[str, PolicySpec], groups: Mapping[str, GroupSpec],
                  agreements: tuple[AgreementSpec, ...], fictional: dict[str, str]) -> Rules:
    members = {key: selector(group.members) for key, group in groups.items()}
    compiled = tuple(Agreement(spec, selector(spec.parties)) for spec in agreements)
    universe = tuple(sorted(codes.ALL_CODES | fictional.keys()))
    destinations = {code: _destination(spec, policies, members, universe)
                    for code, spec in sorted(countries.items())}
    return Rules(path=path, data_version=data_version, destinations=destinations,
                 groups=dict(groups), policies=dict(policies), agreements=compiled,
                 group_members=members, fictional_codes=fictional,
                 expired_documents=tuple(a for a in compiled if a.spec.kind == "expired_documents"),
                 internal_documents=tuple(a for a in compiled
                                          if a.spec.kind == "internal_documents"))


def _destination(spec: CountrySpec, policies: Mapping[str, PolicySpec],
                 members: Mapping[str, Selector], universe: tuple[str, ...]) -> Destination:
    applied = tuple(policies[name] for name in spec.policies if name in policies)
    # The periods in which the destination applies each policy: its membership of the group.
    periods = [members.get(p.members, {}).get(spec.code, ()) for p in applied]
    layers = [((0, 0), spec.sections, ALWAYS)]
    layers += [((1, i), p.sections, periods[i]) for i, p in enumerate(applied)]
    area: dict[str, tuple[Span, ...]] = {spec.code: ALWAYS}
    for policy, own in zip(applied, periods, strict=True):
        if policy.common_visa:
            for code, spans in members.get(policy.members, {}).items():
                area[code] = tuple(sorted({*area.get(code, ()), *intersect(spans, own)}))
    has_documents = any(sections.documents is not None for _, sections, _ in layers)
    return Destination(
        spec=spec, policies=applied,
        documents=_table(layers, "documents", members, universe) if has_documents else None,
        validity=_table(layers, "validity", members, universe),
        entry=_table(layers, "entry", members, universe),
        exemptions=_table(layers, "exemptions", members, universe),
        transit=_table(layers, "transit", members, universe), common_area=area)


def _table(layers: list[tuple[tuple[int, int], Any, tuple[Span, ...]]], section: str,
           members: Mapping[str, Selector], universe: tuple[str, ...]) -> Table[Any]:
    """Entries per nationality, sorted by precedence: the country's own rules before its
    policies' (in the order it lists them), the more specific rule (one narrowed to document
    types or purposes) before the general one, then file order. An `all_except` rule is keyed
    under every code it does not except, ranked below every rule that names the code and
    above the defaults."""
    keyed: dict[str, list[tuple[tuple[int, int, int, int], date, date, Rule]]] = {}
    for (level, index), sections, periods in layers:
        for rule in getattr(sections, section) or ():
            rank = (level, index, -rule.specificity, rule.order)
            span = ALWAYS if (rule.start, rule.end) == ALWAYS[0] else ((rule.start, rule.end),)
            in_force = intersect(span, periods)
            if rule.excluded is not None:
                _all_except(keyed, rule, (level + 2, index, -rule.specificity, rule.order),
                            in_force, members, universe)
                continue
            if rule.nationalities is None:
                # Defaults rank below every named rule: a policy's named rule beats the
                # country's default (docs/rules.md, Precedence).
                for start, end in in_force:
                    keyed.setdefault(DEFAULT, []).append((rank, start, end, rule))
                continue
            for token in rule.nationalities:
                group = members.get(token)
                targets = group.items() if group is not None else ((token, ALWAYS),)
                for code, spans in targets:
                    for start, end in intersect(in_force, spans):
                        keyed.setdefault(code, []).append((rank, start, end, rule))
    table: Table[Any] = {}
    for key, entries in keyed.items():
        if len(entries) > 1:
            entries.sort(key=_rank)
        table[key] = tuple([(start, end, rule) for _, start, end, rule in entries])
    return table


def _all_except(keyed: dict[str, list[tuple[tuple[int, int, int, int], date, date, Rule]]],
                rule: Rule, rank: tuple[int, int, int, int], in_force: tuple[Span, ...],
                members: Mapping[str, Selector], universe: tuple[str, ...]) -> None:
    excluded: dict[str, list[Span]] = {}
    for token in rule.excluded or ():
        group = members.get(token)
        for code, spans in (group.items() if group is not None else ((token, ALWAYS),)):
            excluded.setdefault(code, []).extend(spans)
    for code in universe:
        for start, end in minus(in_force, excluded.get(code, ())):
            keyed.setdefault(code, []).append((rank, start, end, rule))


def _rank(entry: tuple[tuple[int, int, int, int], date, date, Rule]) -> tuple[int, int, int, int]:
    return entry[0]
