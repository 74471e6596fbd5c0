"""Why admit differs from the visa matrix, as maintainers wrote it down: the explanations file.

Why a file: a disagreement with the matrix (admit.rules.compare) is a question; once a
maintainer has answered it from a real source — admit's data is newer, the matrix is wrong, no
source could be found, or the matrix flattens a condition admit keeps — the answer is recorded
once (docs/data-crosscheck-notes.yaml) and shown beside the disagreement from then on, so the
report's unexplained count is the work left. Each entry covers one destination and a list of
passports (or all of them):

    - destination: MNG
      passports: [KAZ, RUS]         # or: all
      reason: admit-newer           # admit-newer | matrix-wrong | no-source-found |
                                    # condition-not-flattened
      note: The agreement in force since 2014 is not reflected in the matrix.
      sources:                      # required for admit-newer and matrix-wrong
        - {url: https://…, title: …, kind: official}

The file is read with the rule files' YAML loader, so every error names the file and line.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from admit import codes
from admit.errors import RuleDataError
from admit.rules import fields as f
from admit.rules.spec import SOURCE_KINDS
from admit.rules.yamlload import LDict, LList, load_yaml

REASONS = ("admit-newer", "matrix-wrong", "no-source-found", "condition-not-flattened")
# A claim that admit is right and the matrix wrong needs the evidence that says so.
NEEDS_SOURCES = frozenset({"admit-newer", "matrix-wrong"})
_KEYS = ("destination", "passports", "reason", "note", "sources")
_SOURCE_KEYS = ("url", "title", "kind")


@dataclass(frozen=True, slots=True)
class NoteSource:
    url: str
    title: str
    kind: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """One entry: `passports` is None for `all`; `line` is where it starts in its file."""

    line: int
    destination: str
    passports: tuple[str, ...] | None
    reason: str
    note: str
    sources: tuple[NoteSource, ...] = ()

    def covers(self, destination: str, passport: str) -> bool:
        return destination == self.destination and (
            self.passports is None or passport in self.passports)

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "destination": self.destination,
                "passports": "all" if self.passports is None else list(self.passports),
                "reason": self.reason, "note": self.note,
                "sources": [{"url": s.url, "title": s.title, "kind": s.kind}
                            for s in self.sources]}


def read_explanations(text: str, file: str, extra_codes: Collection[str] = frozenset()
                      ) -> tuple[Explanation, ...]:
    """The entries of an explanations file, in file order. Raises RuleDataError naming the
    file, the line, the field and the value of the first thing wrong."""
    document = load_yaml(text, file)
    if document is None:
        return ()
    try:
        items = f.seq(document, file, 1, "explanations")
        return tuple(_entry(item, file, items.line_of(i), f"[{i}]", extra_codes)
                     for i, item in enumerate(items))
    except f.Invalid as exc:
        raise RuleDataError(file, exc.problem.line, exc.problem.message) from None


def _entry(item: object, file: str, line: int, what: str, extra: Collection[str]
           ) -> Explanation:
    node = _mapping(item, file, line, what, _KEYS, required=("destination", "passports",
                                                               "reason", "note"))
    destination = _code(node["destination"], file, node.line_of("destination"),
                        f"{what}.destination", extra)
    raw = node["passports"]
    passports: tuple[str, ...] | None = None
    if raw != "all":
        listed = f.seq(raw, file, node.line_of("passports"), f"{what}.passports (a list or all)")
        if not listed:
            raise f.Invalid(file, listed.line, f"{what}.passports: expected at least one code "
                            "or all")
        passports = tuple(sorted({_code(v, file, listed.line_of(i), f"{what}.passports[{i}]",
                                        extra) for i, v in enumerate(listed)}))
    reason = f.choice(node["reason"], file, node.line_of("reason"), f"{what}.reason", REASONS)
    note = f.text(node["note"], file, node.line_of("note"), f"{what}.note")
    sources: tuple[NoteSource, ...] = ()
    if "sources" in node:
        listed = f.seq(node["sources"], file, node.line_of("sources"), f"{what}.sources")
        sources = tuple(_source(v, file, listed.line_of(i), f"{what}.sources[{i}]")
                        for i, v in enumerate(listed))
    if reason in NEEDS_SOURCES and not sources:
        raise f.Invalid(file, node.line, f"{what}.sources: reason {reason} needs at least one "
                        "source")
    return Explanation(line=node.line, destination=destination, passports=passports,
                       reason=reason, note=" ".join(note.split()), sources=sources)


def _source(item: object, file: str, line: int, what: str) -> NoteSource:
    node = _mapping(item, file, line, what, _SOURCE_KEYS, required=_SOURCE_KEYS)
    return NoteSource(
        url=f.url(node["url"], file, node.line_of("url"), f"{what}.url"),
        title=f.text(node["title"], file, node.line_of("title"), f"{what}.title"),
        kind=f.choice(node["kind"], file, node.line_of("kind"), f"{what}.kind", SOURCE_KINDS))


def _mapping(item: object, file: str, line: int, what: str, keys: tuple[str, ...],
             required: tuple[str, ...]) -> LDict:
    if not isinstance(item, LDict):
        kind = "a list" if isinstance(item, LList) else repr(item)
        raise f.Invalid(file, line, f"{what}: expected a mapping, got {kind}")
    for key in item:
        if key not in keys:
            raise f.Invalid(file, item.line_of(key), f"{what}: unknown field {key!r} "
                            f"(expected one of: {', '.join(keys)})")
    for key in required:
        if key not in item:
            raise f.Invalid(file, item.line, f"{what}: missing required field {key!r}")
    return item


def _code(value: object, file: str, line: int, what: str, extra: Collection[str]) -> str:
    if not isinstance(value, str) or not (codes.is_known(value) or value in extra):
        raise f.Invalid(file, line, f"{what}: expected a country code, got {value!r}")
    return value
