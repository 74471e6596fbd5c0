"""Read whole rule files — groups.yaml, agreements.yaml, policies/*.yaml, countries/*.yaml —
into typed specs, collecting every problem with its file and line.

Why: each file kind has its own top-level shape and its own cross-checks (a country file's
name must be its code, a policy's members must be a defined group); keeping them here leaves
`reader` with the rule sections both country and policy files share.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date

from admit import codes
from admit.model import DocumentType, Purpose
from admit.rules import fields as f
from admit.rules.reader import Context, read_references, read_sections, read_sources
from admit.rules.spec import (
    AGREEMENT_KINDS,
    FIRST_DAY,
    LAST_DAY,
    AgreementSpec,
    CountrySpec,
    GroupSpec,
    Membership,
    PolicySpec,
    WaiverTerms,
)
from admit.rules.yamlload import LDict


def read_fictional(data: object, file: str, problems: list[f.Problem]) -> dict[str, str]:
    """The user-assigned codes a (test) data set declares in groups.yaml."""
    if not isinstance(data, LDict) or "fictional_codes" not in data:
        return {}
    node = data["fictional_codes"]
    if not isinstance(node, LDict):
        problems.append(f.Problem(file, data.line_of("fictional_codes"),
                                  "fictional_codes: expected a mapping of code to name"))
        return {}
    result: dict[str, str] = {}
    for code, label in node.items():
        line = node.line_of(code)
        if len(code) != 3 or not code.isalpha() or not code.isupper() or codes.is_known(code):
            problems.append(f.Problem(file, line, f"fictional_codes: {code!r} must be a "
                                      "three-letter code that is not a real ICAO code"))
        elif not isinstance(label, str):
            problems.append(f.Problem(file, line, f"fictional_codes.{code}: expected a name"))
        else:
            result[code] = label
    return result


def read_groups(data: object, file: str, is_code: Callable[[str], bool],
                problems: list[f.Problem]) -> dict[str, GroupSpec]:
    groups: dict[str, GroupSpec] = {}
    try:
        top = f.mapping(data, file, 1, "groupsFile", "groups.yaml")
        f.verified(top["verified"], file, top.line_of("verified"))
        node = top["groups"]
        if not isinstance(node, LDict):
            raise f.Invalid(file, top.line_of("groups"), "groups: expected a mapping")
    except f.Invalid as exc:
        problems.append(exc.problem)
        return groups
    names = set(node)
    for key, value in node.items():
        try:
            f.name(key, file, node.line_of(key), f"groups.{key}")
            if is_code(key):
                raise f.Invalid(file, node.line_of(key), f"groups.{key}: a group name must not "
                                "be a country code")
            ctx = Context(file, key, is_code, names, problems)
            raw = f.mapping(value, file, node.line_of(key), "group", f"groups.{key}")
            groups[key] = GroupSpec(
                key=key, name=f.text(raw["name"], file, raw.line_of("name"), f"{key}.name"),
                members=_members(raw, "members", ctx, f"groups.{key}"),
                sources=read_sources(raw, "sources", ctx, f"groups.{key}"),
                file=file, line=raw.line)
        except f.Invalid as exc:
            problems.append(exc.problem)
    return groups


def read_agreements(data: object, file: str, is_code: Callable[[str], bool],
                    groups: Collection[str],
                    problems: list[f.Problem]) -> tuple[AgreementSpec, ...]:
    result: list[AgreementSpec] = []
    ctx = Context(file, "agreements", is_code, groups, problems)
    try:
        top = f.mapping(data, file, 1, "agreementsFile", "agreements.yaml")
        f.verified(top["verified"], file, top.line_of("verified"))
        read_references(top, ctx)
        items = f.seq(top["agreements"], file, top.line_of("agreements"), "agreements")
    except f.Invalid as exc:
        problems.append(exc.problem)
        return ()
    for i, item in enumerate(items):
        try:
            what = f"agreements[{i}]"
            raw = f.mapping(item, file, items.line_of(i), "agreement", what)
            aid = f.rule_id(raw["id"], file, raw.line_of("id"), f"{what}.id")
            if aid in ctx.ids:
                raise f.Invalid(file, raw.line_of("id"), f"{what}.id: duplicate id {aid!r}")
            ctx.ids[aid] = raw.line
            kind = f.choice(raw["kind"], file, raw.line_of("kind"), f"{what}.kind",
                            AGREEMENT_KINDS)
            documents = f.enum_set(raw, "documents", file, what, DocumentType)
            years = f.opt_integer(raw, "expired_up_to_years", file, what, 0)
            if kind in ("expired_documents", "internal_documents") and documents is None:
                raise f.Invalid(file, raw.line, f"{what}: kind {kind} needs `documents`")
            if kind == "expired_documents" and years is None:
                raise f.Invalid(file, raw.line, f"{what}: kind expired_documents needs "
                                "`expired_up_to_years`")
            issuers = None
            if "issuers" in raw:
                items_ = f.seq(raw["issuers"], file, raw.line_of("issuers"), f"{what}.issuers")
                issuers = tuple(ctx.resolve(v, items_.line_of(j), f"{what}.issuers[{j}]")
                                for j, v in enumerate(items_))
            parties = _members(raw, "parties", ctx, what)
            waiver = _waiver(raw, what, ctx, {m.country for m in parties}) if (
                kind == "visa_waiver") else None
            if kind == "visa_waiver" and documents is None:
                raise f.Invalid(file, raw.line, f"{what}: kind visa_waiver needs `documents` "
                                "(the document types the agreement covers)")
            for key in _WAIVER_FIELDS:
                if key in raw and kind != "visa_waiver":
                    raise f.Invalid(file, raw.line_of(key), f"{what}.{key}: only a "
                                    "visa_waiver agreement has stay terms")
            result.append(AgreementSpec(
                id=aid, title=f.text(raw["title"], file, raw.line_of("title"), f"{what}.title"),
                kind=kind, parties=parties, waiver=waiver,
                documents=documents or frozenset(), expired_up_to_years=years, issuers=issuers,
                start=_opt_day(raw, "from", file, what, FIRST_DAY),
                end=_opt_day(raw, "until", file, what, LAST_DAY),
                sources=read_sources(raw, "sources", ctx, what), file=file, line=raw.line,
                note=f.opt_text(raw, "note", file, what)))
        except f.Invalid as exc:
            problems.append(exc.problem)
    return tuple(result)


_WAIVER_FIELDS = ("regime", "max_stay_days", "window_days", "max_continuous_days", "anchor",
                  "purposes", "suspended", "directions")
_WAIVER_REGIMES = ("visa_free", "visa_on_arrival", "freedom_of_movement")


def _waiver(raw: LDict, what: str, ctx: Context, parties: set[str]) -> WaiverTerms:
    """The terms of a visa-waiver agreement, read like an entry rule's."""
    file = ctx.file
    regime = (f.choice(raw["regime"], file, raw.line_of("regime"), f"{what}.regime",
                       _WAIVER_REGIMES) if "regime" in raw else "visa_free")
    max_stay = f.opt_integer(raw, "max_stay_days", file, what, 1)
    window = f.opt_integer(raw, "window_days", file, what, 1)
    if window is not None and (max_stay is None or window < max_stay):
        raise f.Invalid(file, raw.line_of("window_days"), f"{what}.window_days: needs a "
                        f"max_stay_days no longer than the window, got {window} and {max_stay}")
    suspended: list[tuple[date, date]] = []
    if "suspended" in raw:
        items = f.seq(raw["suspended"], file, raw.line_of("suspended"), f"{what}.suspended")
        for i, item in enumerate(items):
            where = f"{what}.suspended[{i}]"
            node = f.mapping(item, file, items.line_of(i), "suspension", where)
            start = _opt_day(node, "from", file, where, FIRST_DAY)
            end = _opt_day(node, "until", file, where, LAST_DAY)
            if end < start:
                raise f.Invalid(file, node.line_of("until"), f"{where}.until: {end} is before "
                                f"from {start}")
            suspended.append((start, end))
    directions: list[tuple[frozenset[str], frozenset[str]]] = []
    if "directions" in raw:
        items = f.seq(raw["directions"], file, raw.line_of("directions"), f"{what}.directions")
        for i, item in enumerate(items):
            where = f"{what}.directions[{i}]"
            node = f.mapping(item, file, items.line_of(i), "direction", where)
            directions.append((_parties_named(node, "nationals", where, ctx, parties),
                               _parties_named(node, "entering", where, ctx, parties)))
    return WaiverTerms(
        regime=regime, max_stay_days=max_stay, window_days=window,
        max_continuous_days=f.opt_integer(raw, "max_continuous_days", file, what, 1),
        anchor=(f.choice(raw["anchor"], file, raw.line_of("anchor"), f"{what}.anchor",
                         ("rolling", "first_entry")) if "anchor" in raw else "rolling"),
        purposes=f.enum_set(raw, "purposes", file, what, Purpose),
        suspended=tuple(sorted(suspended)), directions=tuple(directions))


def _parties_named(node: LDict, key: str, what: str, ctx: Context,
                   parties: set[str]) -> frozenset[str]:
    items = f.seq(node[key], ctx.file, node.line_of(key), f"{what}.{key}")
    if not items:
        raise f.Invalid(ctx.file, items.line, f"{what}.{key}: expected at least one party")
    found: set[str] = set()
    for i, value in enumerate(items):
        code = _member_code(value, ctx, items.line_of(i), f"{what}.{key}[{i}]")
        if code not in parties:
            raise f.Invalid(ctx.file, items.line_of(i), f"{what}.{key}[{i}]: {code} is not a "
                            "party to the agreement")
        found.add(code)
    return frozenset(found)


def read_policy(data: object, file: str, key: str, is_code: Callable[[str], bool],
                groups: Collection[str], problems: list[f.Problem]) -> PolicySpec | None:
    ctx = Context(file, key, is_code, groups, problems)
    try:
        top = f.mapping(data, file, 1, "policyFile", f"policy {key}")
        read_references(top, ctx)
        members = f.name(top["members"], file, top.line_of("members"), "members")
        if members not in groups:
            raise f.Invalid(file, top.line_of("members"), f"members: {members!r} is not a group "
                            "defined in groups.yaml")
        return PolicySpec(key=key, name=f.text(top["name"], file, top.line_of("name"), "name"),
                          verified=f.verified(top["verified"], file,
                                              top.line_of("verified")),
                          members=members, common_visa=f.boolean(top, "common_visa", file, key),
                          sections=read_sections(top, ctx), file=file,
                          note=f.opt_text(top, "note", file, key))
    except f.Invalid as exc:
        problems.append(exc.problem)
        return None


def read_country(data: object, file: str, stem: str, is_code: Callable[[str], bool],
                 groups: Collection[str], policies: Mapping[str, frozenset[str]],
                 problems: list[f.Problem]) -> CountrySpec | None:
    """`policies` maps each policy to the codes its members group ever names."""
    try:
        top = f.mapping(data, file, 1, "countryFile", file)
        code = f.name(top["country"], file, top.line_of("country"), "country")
        if code != stem:
            raise f.Invalid(file, top.line_of("country"), f"country: the file is named {stem}"
                            f".yaml, so country must be {stem!r}, got {code!r}")
        if not is_code(code) or codes.state_of(code) != code:
            raise f.Invalid(file, top.line_of("country"), f"country: {code!r} is not an ICAO "
                            "code of a state (use the alpha-3 code, e.g. DEU)")
        ctx = Context(file, code, is_code, groups, problems)
        read_references(top, ctx)
        named: list[str] = []
        if "policies" in top:
            items = f.seq(top["policies"], file, top.line_of("policies"), "policies")
            for i, value in enumerate(items):
                policy = f.name(value, file, items.line_of(i), f"policies[{i}]")
                if policy not in policies:
                    problems.append(f.Problem(file, items.line_of(i), f"policies[{i}]: no "
                                              f"policy file policies/{policy}.yaml"))
                elif code not in policies[policy]:
                    problems.append(f.Problem(file, items.line_of(i), f"policies[{i}]: {code} "
                                              f"is never a member of the group that applies "
                                              f"{policy}, so none of its rules would apply"))
                named.append(policy)
        verified = f.verified(top["verified"], file, top.line_of("verified"))
        return CountrySpec(code=code, name=f.text(top["name"], file, top.line_of("name"), "name"),
                           verified=verified, policies=tuple(named),
                           sections=read_sections(top, ctx), file=file,
                           note=f.opt_text(top, "note", file, "country"))
    except f.Invalid as exc:
        problems.append(exc.problem)
        return None


def _members(raw: LDict, key: str, ctx: Context, what: str) -> tuple[Membership, ...]:
    items = f.seq(raw[key], ctx.file, raw.line_of(key), f"{what}.{key}")
    result: list[Membership] = []
    for i, item in enumerate(items):
        where = f"{what}.{key}[{i}]"
        line = items.line_of(i)
        if isinstance(item, str):
            result.append(Membership(_member_code(item, ctx, line, where)))
            continue
        node = f.mapping(item, ctx.file, line, "memberEntry", where)
        start = _opt_day(node, "from", ctx.file, where, FIRST_DAY)
        end = _opt_day(node, "until", ctx.file, where, LAST_DAY)
        if end < start:
            raise f.Invalid(ctx.file, node.line_of("until"), f"{where}.until: {end} is before "
                            f"from {start}")
        result.append(Membership(_member_code(node["country"], ctx, node.line_of("country"),
                                              f"{where}.country"), start, end,
                                 f.opt_text(node, "note", ctx.file, where)))
    return tuple(result)


def _member_code(value: object, ctx: Context, line: int, what: str) -> str:
    code = f.name(value, ctx.file, line, what)
    if not ctx.is_code(code):
        raise f.Invalid(ctx.file, line, f"{what}: unknown country code {code!r}")
    return codes.state_of(code)


def _opt_day(node: LDict, key: str, file: str, what: str, default: date) -> date:
    return f.day(node[key], file, node.line_of(key), f"{what}.{key}") if key in node else default
