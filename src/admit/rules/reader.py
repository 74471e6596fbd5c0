"""Read the five rule sections of a country or policy file into typed rule records.

Why: this is where a rule file's words get checked against what they must mean: every
nationality is a known code or a defined group, every source resolves, every date parses, ids
are unique, and each section's own fields have the right types. Problems are collected, not
raised one at a time, so `admit rules lint` can report every mistake in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from admit import codes
from admit.model import AuthorizationType, DocumentType, Purpose
from admit.rules import fields as f
from admit.rules.spec import (
    FIRST_DAY,
    LAST_DAY,
    REGIMES,
    SOURCE_KINDS,
    TRANSIT_REGIMES,
    DocumentRule,
    EntryRule,
    ExemptionRule,
    Held,
    Rule,
    Sections,
    Source,
    TransitRule,
    ValidityRule,
)
from admit.rules.yamlload import LDict, LList


@dataclass(slots=True)
class Context:
    """What reading one file needs to know about the rest of the data set."""

    file: str
    prefix: str
    is_code: Callable[[str], bool]
    groups: Collection[str]
    problems: list[f.Problem]
    references: dict[str, Source] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    order: int = 0

    def resolve(self, token: object, line: int, what: str) -> str:
        """A nationality or issuer token: a group name, else a known code (`D` → `DEU`)."""
        value = f.name(token, self.file, line, what)
        if value in self.groups:
            return value
        if self.is_code(value):
            return codes.state_of(value)
        raise f.Invalid(self.file, line, f"{what}: unknown code or group {value!r} (expected "
                        "an ICAO code or a group defined in groups.yaml)")


def read_references(node: LDict, ctx: Context) -> None:
    if "references" not in node:
        return
    refs = node["references"]
    if not isinstance(refs, LDict):
        raise f.Invalid(ctx.file, node.line_of("references"), "references: expected a mapping")
    for key, value in refs.items():
        try:
            ctx.references[key] = source_of(value, ctx, refs.line_of(key), f"references.{key}")
        except f.Invalid as exc:
            ctx.problems.append(exc.problem)


def source_of(value: object, ctx: Context, line: int, what: str) -> Source:
    node = f.mapping(value, ctx.file, line, "source", what)
    return Source(url=f.url(node["url"], ctx.file, node.line_of("url"), f"{what}.url"),
                  title=f.text(node["title"], ctx.file, node.line_of("title"), f"{what}.title"),
                  kind=f.choice(node["kind"], ctx.file, node.line_of("kind"), f"{what}.kind",
                                SOURCE_KINDS))


def read_sources(node: LDict, key: str, ctx: Context, what: str) -> tuple[Source, ...]:
    if key not in node:
        raise f.Invalid(ctx.file, node.line, f"{what}: missing sources (every rule needs a URL "
                        "and title as evidence)")
    items = f.seq(node[key], ctx.file, node.line_of(key), f"{what}.{key}")
    if not items:
        raise f.Invalid(ctx.file, items.line, f"{what}: missing sources (the list is empty)")
    result: list[Source] = []
    for i, item in enumerate(items):
        line = items.line_of(i)
        if isinstance(item, str):
            if item not in ctx.references:
                raise f.Invalid(ctx.file, line, f"{what}.{key}[{i}]: unknown reference key "
                                f"{item!r} (not defined under references)")
            result.append(ctx.references[item])
        else:
            result.append(source_of(item, ctx, line, f"{what}.{key}[{i}]"))
    return tuple(result)


def read_sections(node: LDict, ctx: Context) -> Sections:
    readers: dict[str, tuple[str, Callable[[LDict, str, Context], Rule]]] = {
        "documents": ("documentRule", _document), "validity": ("validityRule", _validity),
        "entry": ("entryRule", _entry), "exemptions": ("exemptionRule", _exemption),
        "transit": ("transitRule", _transit)}
    found: dict[str, list[Any]] = {}
    for section, (definition, reader) in readers.items():
        if section not in node:
            continue
        items = node[section]
        rules: list[Any] = found.setdefault(section, [])
        if items is None:
            continue
        if not isinstance(items, LList):
            ctx.problems.append(f.Problem(ctx.file, node.line_of(section),
                                          f"{section}: expected a list of rules"))
            continue
        for i, item in enumerate(items):
            what = f"{section}[{i}]"
            try:
                raw = f.mapping(item, ctx.file, items.line_of(i), definition, what)
                rules.append(reader(raw, what, ctx))
            except f.Invalid as exc:
                ctx.problems.append(exc.problem)
    return Sections(documents=tuple(found["documents"]) if "documents" in found else None,
                    validity=tuple(found.get("validity", ())), entry=tuple(found.get("entry", ())),
                    exemptions=tuple(found.get("exemptions", ())),
                    transit=tuple(found.get("transit", ())))


def _common(raw: LDict, what: str, ctx: Context) -> dict[str, Any]:
    file = ctx.file
    rid = f.rule_id(raw["id"], file, raw.line_of("id"), f"{what}.id")
    if rid in ctx.ids:
        raise f.Invalid(file, raw.line_of("id"), f"{what}.id: duplicate rule id {rid!r} "
                        f"(first used on line {ctx.ids[rid]})")
    ctx.ids[rid] = raw.line_of("id")
    what = f"{what} ({rid})"
    start = (f.day(raw["from"], file, raw.line_of("from"), f"{what}.from")
             if "from" in raw else FIRST_DAY)
    end = (f.day(raw["until"], file, raw.line_of("until"), f"{what}.until")
           if "until" in raw else LAST_DAY)
    if end < start:
        raise f.Invalid(file, raw.line_of("until"), f"{what}.until: {end} is before from {start}")
    ctx.order += 1
    nationalities, excluded = _nationalities(raw, what, ctx)
    return {"ref": f"{ctx.prefix}#{rid}", "id": rid, "nationalities": nationalities,
            "excluded": excluded, "start": start, "end": end,
            "sources": read_sources(raw, "sources", ctx, what),
            "note": f.opt_text(raw, "note", file, what), "file": file, "line": raw.line,
            "order": ctx.order}


def _nationalities(raw: LDict, what: str, ctx: Context
                   ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """(named, excluded): a list names nationalities; `default` names none and excludes none;
    `{all_except: [...]}` names none and excludes those."""
    value = raw["nationalities"]
    line = raw.line_of("nationalities")
    if value == "default":
        return None, None
    if isinstance(value, LDict) and set(value) == {"all_except"}:
        return None, _tokens(value["all_except"], value.line_of("all_except"),
                             f"{what}.nationalities.all_except", ctx)
    if not isinstance(value, LList) or not value:
        raise f.Invalid(ctx.file, line, f"{what}.nationalities: expected `default`, a "
                        "non-empty list of codes and groups, or {all_except: [codes and "
                        f"groups]}}, got {value!r}")
    return _tokens(value, line, f"{what}.nationalities", ctx), None


def _tokens(value: object, line: int, what: str, ctx: Context) -> tuple[str, ...]:
    if not isinstance(value, LList) or not value:
        raise f.Invalid(ctx.file, line, f"{what}: expected a non-empty list of codes and "
                        f"groups, got {value!r}")
    resolved = [ctx.resolve(v, value.line_of(i), f"{what}[{i}]") for i, v in enumerate(value)]
    return tuple(dict.fromkeys(resolved))


def _document(raw: LDict, what: str, ctx: Context) -> DocumentRule:
    common = _common(raw, what, ctx)
    accept = f.enum_set(raw, "accept", ctx.file, what, DocumentType)
    issuers = None
    if "issuers" in raw:
        items = f.seq(raw["issuers"], ctx.file, raw.line_of("issuers"), f"{what}.issuers")
        issuers = tuple(ctx.resolve(v, items.line_of(i), f"{what}.issuers[{i}]")
                        for i, v in enumerate(items))
    return DocumentRule(section="documents", accept=accept or frozenset(), issuers=issuers,
                        **common)


def _validity(raw: LDict, what: str, ctx: Context) -> ValidityRule:
    common = _common(raw, what, ctx)
    months = days = 0
    beyond = "arrival"
    if "min_validity" in raw:
        node = f.mapping(raw["min_validity"], ctx.file, raw.line_of("min_validity"),
                         "minValidity", f"{what}.min_validity")
        if ("months" in node) == ("days" in node):
            raise f.Invalid(ctx.file, node.line, f"{what}.min_validity: give either months or "
                            "days")
        months = f.opt_integer(node, "months", ctx.file, f"{what}.min_validity", 0) or 0
        days = f.opt_integer(node, "days", ctx.file, f"{what}.min_validity", 0) or 0
        beyond = f.choice(node["beyond"], ctx.file, node.line_of("beyond"),
                          f"{what}.min_validity.beyond", ("arrival", "departure"))
    duration = f.boolean(raw, "duration_of_stay", ctx.file, what)
    within = f.opt_integer(raw, "issued_within_years", ctx.file, what, 1)
    if "min_validity" not in raw and not duration and within is None:
        raise f.Invalid(ctx.file, raw.line, f"{what}: states no requirement (expected "
                        "min_validity, duration_of_stay or issued_within_years)")
    return ValidityRule(section="validity", min_months=months, min_days=days, beyond=beyond,
                        duration_of_stay=duration, issued_within_years=within,
                        documents=f.enum_set(raw, "documents", ctx.file, what, DocumentType),
                        **common)


def _entry(raw: LDict, what: str, ctx: Context) -> EntryRule:
    common = _common(raw, what, ctx)
    regime = f.choice(raw["regime"], ctx.file, raw.line_of("regime"), f"{what}.regime", REGIMES)
    max_stay = f.opt_integer(raw, "max_stay_days", ctx.file, what, 1)
    window = f.opt_integer(raw, "window_days", ctx.file, what, 1)
    if window is not None and (max_stay is None or window < max_stay):
        raise f.Invalid(ctx.file, raw.line_of("window_days"), f"{what}.window_days: needs a "
                        f"max_stay_days no longer than the window, got {window} and {max_stay}")
    anchor = (f.choice(raw["anchor"], ctx.file, raw.line_of("anchor"), f"{what}.anchor",
                       ("rolling", "first_entry")) if "anchor" in raw else "rolling")
    return EntryRule(section="entry", regime=regime, max_stay_days=max_stay, window_days=window,
                     max_continuous_days=f.opt_integer(raw, "max_continuous_days", ctx.file,
                                                       what, 1),
                     anchor=anchor,
                     documents=f.enum_set(raw, "documents", ctx.file, what, DocumentType),
                     purposes=f.enum_set(raw, "purposes", ctx.file, what, Purpose), **common)


def _held(raw: LDict, key: str, what: str, ctx: Context) -> tuple[Held, ...]:
    items = f.seq(raw[key], ctx.file, raw.line_of(key), f"{what}.{key}")
    if not items:
        raise f.Invalid(ctx.file, items.line, f"{what}.{key}: expected at least one entry")
    held: list[Held] = []
    for i, item in enumerate(items):
        where = f"{what}.{key}[{i}]"
        node = f.mapping(item, ctx.file, items.line_of(i), "held", where)
        kind = f.choice(node["type"], ctx.file, node.line_of("type"), f"{where}.type",
                        (t.value for t in AuthorizationType))
        held.append(Held(AuthorizationType(kind),
                         ctx.resolve(node["issuer"], node.line_of("issuer"), f"{where}.issuer")))
    return tuple(held)


def _exemption(raw: LDict, what: str, ctx: Context) -> ExemptionRule:
    common = _common(raw, what, ctx)
    grants = f.mapping(raw["grants"], ctx.file, raw.line_of("grants"), "grants",
                       f"{what}.grants")
    return ExemptionRule(
        section="exemptions", held=_held(raw, "held", what, ctx),
        grant_regime=f.choice(grants["regime"], ctx.file, grants.line_of("regime"),
                              f"{what}.grants.regime", REGIMES),
        grant_max_stay_days=f.opt_integer(grants, "max_stay_days", ctx.file,
                                          f"{what}.grants", 1),
        min_remaining_days=f.opt_integer(raw, "min_remaining_days", ctx.file, what, 0) or 0,
        **common)


def _transit(raw: LDict, what: str, ctx: Context) -> TransitRule:
    common = _common(raw, what, ctx)
    return TransitRule(
        section="transit",
        regime=f.choice(raw["regime"], ctx.file, raw.line_of("regime"), f"{what}.regime",
                        TRANSIT_REGIMES),
        airside=f.boolean(raw, "airside", ctx.file, what),
        max_hours=f.opt_integer(raw, "max_hours", ctx.file, what, 1),
        held=_held(raw, "held", what, ctx) if "held" in raw else (), **common)
