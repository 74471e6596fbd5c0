"""YAML → plain dicts and lists that remember the line each value came from.

Why: a rule-file error must name the file and the line (docs/design.md, Rule files). PyYAML's plain
loaders throw the marks away; this loader keeps them on dict and list subclasses, so every later
stage can point at the exact line. It uses libyaml's C parser when PyYAML has it (the parse is
most of the cold-start cost) and rejects duplicate keys, which YAML would otherwise resolve by
silently keeping the last one.

It also refuses anchors (`&name`) and aliases (`*name`): an alias makes one value appear in
several places, so a few kilobytes of nested aliases ("billion laughs") expand to gigabytes in
whatever walks the data afterwards, and a rule reached through an alias is edited in one place
while read in several. Rule files write every value out.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from admit.errors import RuleDataError

try:
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class LDict(dict[str, Any]):
    """A mapping with the line of itself (`line`) and of each value (`lines[key]`), 1-based."""

    __slots__ = ("line", "lines")

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LList(list[Any]):
    """A sequence with the line of itself (`line`) and of each item (`lines[i]`), 1-based."""

    __slots__ = ("line", "lines")

    def __init__(self) -> None:
        super().__init__()
        self.line = 0
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _Located(Exception):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(key, line)
        self.key = key
        self.line = line


class _Aliased(Exception):
    """A node constructed a second time: it was reached through an alias."""


# Where an anchor could start: at the start of a line or after a space, a flow indicator or a
# JSON-style `key:`, followed by a name. Ampersands in URLs and titles (`?a=1&b=2`, `A & B`)
# do not look like this, so the exact scan below runs only on the rare file that might hold one.
_MAYBE_ANCHOR = re.compile(rb"(?:^|[\s\[{,:])&[^\s\[\]{},]", re.MULTILINE)
_NO_ANCHORS = "anchors and aliases are not allowed in rule files; write the value out"


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """A SafeLoader whose mappings and sequences keep their lines and refuse aliases."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    seen = loader.constructed_objects
    for key_node, value_node in node.value:
        if key_node in seen or value_node in seen:
            raise _Aliased
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            # Keys name fields, codes or reference keys: always text. `NO:` or `2023:` would
            # otherwise arrive as a bool or an int and match nothing.
            key = str(key) if not isinstance(key, bool) else ("yes" if key else "no")
            raise _Located(f"{key!r} is not a text key (quote it)", line)
        if key in result:
            raise _Located(f"duplicate key {key!r}", line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = value_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    result = LList()
    result.line = node.start_mark.line + 1
    seen = loader.constructed_objects
    for child in node.value:
        if child in seen:
            raise _Aliased
        result.append(loader.construct_object(child, deep=True))
        result.lines.append(child.start_mark.line + 1)
    return result


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    # `2023-02-30` looks like a date to YAML, which then fails with a bare ValueError.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise _Located(f"{node.value!r} is not a real date ({exc})",
                       node.start_mark.line + 1) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def load_yaml(text: str | bytes, file: str) -> Any:
    """Parse one YAML document; any syntax error, anchor or alias becomes a RuleDataError with
    file:line."""
    raw = text.encode() if isinstance(text, str) else text
    try:
        if b"&" in raw and _MAYBE_ANCHOR.search(raw):
            _refuse_anchors(raw, file)
        return yaml.load(raw, Loader=_Loader)  # a SafeLoader subclass
    except _Aliased:
        _refuse_anchors(raw, file)
        raise RuleDataError(file, None, _NO_ANCHORS) from None  # the scan names the line first
    except _Located as exc:
        raise RuleDataError(file, exc.line, str(exc.key)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise RuleDataError(file, line, f"not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise RuleDataError(file, None, f"not valid YAML: {exc}") from None


def _refuse_anchors(raw: bytes, file: str) -> None:
    """Raise at the first alias (naming its anchor), else at the first anchor, if any. Scans
    parser events, which hold aliases as references: nothing is expanded."""
    anchors: dict[str, int] = {}
    try:
        for event in yaml.parse(raw, Loader=_Base):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                where = (f" (of the anchor &{event.anchor} on line {anchors[event.anchor]})"
                         if event.anchor in anchors else "")
                raise RuleDataError(file, line, f"alias *{event.anchor}{where}: {_NO_ANCHORS}")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                anchors.setdefault(anchor, line)
    except yaml.YAMLError:
        pass  # a syntax error: the full parse reports it with its line
    if anchors:
        name, line = next(iter(anchors.items()))
        raise RuleDataError(file, line, f"anchor &{name}: {_NO_ANCHORS}")

