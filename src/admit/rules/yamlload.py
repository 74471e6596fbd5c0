"""YAML → plain dicts and lists that remember the line each value came from.

Why: a rule-file error must name the file and the line (docs/design.md, Rule files). PyYAML's plain
loaders throw the marks away; this loader keeps them on dict and list subclasses, so every later
stage can point at the exact line. It uses libyaml's C parser when PyYAML has it (the parse is
most of the cold-start cost) and rejects duplicate keys, which YAML would otherwise resolve by
silently keeping the last one.
"""

from __future__ import annotations

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


class _Loader(_Base):  # type: ignore[misc,valid-type]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
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
    for child in node.value:
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
    """Parse one YAML document; any syntax error becomes a RuleDataError with file:line."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except _Located as exc:
        raise RuleDataError(file, exc.line, str(exc.key)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise RuleDataError(file, line, f"not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise RuleDataError(file, None, f"not valid YAML: {exc}") from None
