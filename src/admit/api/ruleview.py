"""The rule data as JSON: each destination's rules, their dates, sources and verified date.

Why: whoever reads a decision must be able to see the rules behind it and where they come from
(docs/design.md: sources are shown next to the data). GET /v1/countries/{code} and the country page
both show this; it is built from the compiled data set's rule records, so it always matches
what the engine applies. Open-ended dates (`date.min`, `date.max` inside the compiler) are
written as null.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date
from typing import Any

from admit.rules import Destination, Rules
from admit.rules.spec import FIRST_DAY, LAST_DAY, SECTIONS, Held, Rule, Sections, Source

# Fields every rule has, written under their own names; the rest are the rule's terms.
_COMMON = ("ref", "id", "section", "nationalities", "excluded", "documents", "purposes")
_HIDDEN = frozenset({"start", "end", "sources", "note", "file", "line", "order", *_COMMON})


def summaries(rules: Rules) -> list[dict[str, Any]]:
    out = []
    for code in sorted(rules.destinations):
        spec = rules.destinations[code].spec
        count = len(spec.sections.all()) + sum(
            len(p.sections.all()) for p in rules.destinations[code].policies)
        out.append({"code": code, "name": spec.name, "verified": spec.verified.isoformat(),
                    "policies": list(spec.policies), "rules": count})
    return out


def country(destination: Destination, on: date | None, rules: Rules) -> dict[str, Any]:
    spec = destination.spec
    return {
        "code": spec.code, "name": spec.name, "verified": spec.verified.isoformat(),
        "note": spec.note, "file": spec.file, "on": None if on is None else on.isoformat(),
        "sections": sections(spec.sections, on),
        "policies": [{"key": p.key, "name": p.name, "verified": p.verified.isoformat(),
                      "members": p.members, "common_visa": p.common_visa, "note": p.note,
                      "sections": sections(p.sections, on)} for p in destination.policies],
        "data_version": rules.data_version,
    }


def sections(found: Sections, on: date | None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name in SECTIONS:
        rules: tuple[Rule, ...] = getattr(found, name) or ()
        shown = [rule_json(r) for r in rules if on is None or r.start <= on <= r.end]
        if shown:
            out[name] = shown
    return out


def rule_json(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {name: _plain(getattr(rule, name)) for name in _COMMON}
    out["from"] = None if rule.start == FIRST_DAY else rule.start.isoformat()
    out["until"] = None if rule.end == LAST_DAY else rule.end.isoformat()
    out["terms"] = {f.name: _plain(getattr(rule, f.name)) for f in dataclasses.fields(rule)
                    if f.name not in _HIDDEN and getattr(rule, f.name) not in (None, (), 0)}
    out["sources"] = [_plain(s) for s in rule.sources]
    out["note"] = rule.note
    out["line"] = rule.line
    return out


def _plain(value: object) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Source):
        return {"url": value.url, "title": value.title, "kind": value.kind}
    if isinstance(value, Held):
        return {"type": value.type.value, "issuer": value.issuer}
    if isinstance(value, frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
