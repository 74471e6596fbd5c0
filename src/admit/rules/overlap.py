"""Find rules of one file that name the same nationality on overlapping dates.

Why: in the sections where one rule governs (documents, validity, entry, transit), two such
rules make the data ambiguous; the engine would quietly take the earlier one. Rules narrowed to
different document types or purposes do not clash, and a narrowed rule may sit beside a general
one (the narrower wins). Groups are expanded with their membership dates, so a rule for `EU` and
one for `HRV` clash only on the days Croatia is a member.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from admit.rules.compiler import intersect
from admit.rules.fields import Problem
from admit.rules.spec import GroupSpec, Rule, Sections

_SINGLE = ("documents", "validity", "entry", "transit")
_Named = tuple[date, date, Rule, str]


def overlaps(sections: Sections, groups: Mapping[str, GroupSpec]) -> list[Problem]:
    problems: list[Problem] = []
    for section in _SINGLE:
        rules: tuple[Rule, ...] = getattr(sections, section) or ()
        clashes: dict[tuple[Rule, Rule], list[tuple[str, date, date]]] = {}
        for key, named in _by_nationality(rules, groups).items():
            for i, (a_start, a_end, a, a_via) in enumerate(named):
                for b_start, b_end, b, b_via in named[i + 1:]:
                    start, end = max(a_start, b_start), min(a_end, b_end)
                    if a is b or start > end or not _same_scope(a, b):
                        continue
                    first, second = sorted((a, b), key=lambda r: r.order)
                    clashes.setdefault((first, second), []).append(
                        (key + (a_via or b_via), start, end))
        for (first, second), where in clashes.items():
            who = ", ".join(sorted({w for w, _, _ in where})[:6])
            if len(where) > 6:
                who += f" and {len(where) - 6} more"
            start = min(s for _, s, _ in where)
            end = max(e for _, _, e in where)
            if _derived(second) and not _derived(first):
                problems.append(Problem(first.file, first.line, (
                    f"{section} rule {first.id!r} restates agreement {second.id!r} "
                    f"({second.file} line {second.line}) for {who}{_span(start, end)}; the "
                    "agreement applies to every party: remove the rule, or give it distinct "
                    "dates, documents or purposes")))
                continue
            problems.append(Problem(second.file, second.line, (
                f"{section} rule {second.id!r} overlaps rule {first.id!r} (line {first.line}) "
                f"for {who}{_span(start, end)}; give them distinct dates, documents or "
                "purposes")))
    return problems


def _by_nationality(rules: Iterable[Rule], groups: Mapping[str, GroupSpec]
                    ) -> dict[str, list[_Named]]:
    keyed: dict[str, list[_Named]] = {}
    for rule in rules:
        span = ((rule.start, rule.end),)
        if rule.nationalities is None:
            # `default` rules clash with each other, `all_except` rules with each other: the
            # second kind ranks above the first (docs/rules.md, Precedence).
            key = "default" if rule.excluded is None else "every nationality (all_except)"
            keyed.setdefault(key, []).append((rule.start, rule.end, rule, ""))
            continue
        for token in rule.nationalities:
            group = groups.get(token)
            if group is None:
                keyed.setdefault(token, []).append((rule.start, rule.end, rule, ""))
                continue
            for member in group.members:
                for start, end in intersect(span, ((member.start, member.end),)):
                    keyed.setdefault(member.country, []).append(
                        (start, end, rule, f" (through {token})"))
    return keyed


def _same_scope(a: Rule, b: Rule) -> bool:
    def clash(x: frozenset[object] | None, y: frozenset[object] | None) -> bool:
        return (x is None and y is None) or (x is not None and y is not None and bool(x & y))

    return clash(a.documents, b.documents) and clash(a.purposes, b.purposes)


def _derived(rule: Rule) -> bool:
    """A rule a party applies through an agreement of agreements.yaml."""
    return rule.ref.startswith("agreements#")


def _span(start: date, end: date) -> str:
    if start == date.min and end == date.max:
        return " at all dates"
    if end == date.max:
        return f" from {start.isoformat()}"
    if start == date.min:
        return f" until {end.isoformat()}"
    return f" from {start.isoformat()} to {end.isoformat()}"
