"""A cache of parsed rule files, keyed by each file's content, so a cold start skips YAML.

Why: building Python objects from YAML is most of a cold start (`admit check` runs one per
call) and grows with the data set; reading the same structure back from JSON, whose parser is
in C, is several times faster. An entry is named by the SHA-256 of the file's bytes and of this
format's version, so an edited file is a miss and is parsed (and its errors reported) afresh:
the cache only ever holds what parsed cleanly. A missing, unreadable or malformed entry is
ignored and rewritten; nothing in it is executed.

The directory is `ADMIT_RULES_CACHE` (`off` disables it), else `$XDG_CACHE_HOME/admit/rules`
(`~/.cache/admit/rules`). It belongs to the user who runs admit: whoever can write it can
change the answers, as whoever can write the data directory can.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from admit.rules.yamlload import LDict, LList, load_yaml

ENV = "ADMIT_RULES_CACHE"
_FORMAT = b"admit-parse-cache-1\0"


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "admit" / "rules"


def load(raw: bytes, file: str) -> Any:
    """The parsed file, from the cache when an entry for these bytes exists; otherwise parsed
    with `load_yaml` (whose RuleDataError passes through) and stored."""
    where = cache_dir()
    if where is None:
        return load_yaml(raw, file)
    entry = where / f"{hashlib.sha256(_FORMAT + raw).hexdigest()}.json"
    try:
        return decode(json.loads(entry.read_bytes()))
    except (OSError, ValueError, TypeError, IndexError, KeyError):
        pass
    value = load_yaml(raw, file)
    _store(entry, encode(value))
    return value


def encode(value: Any) -> Any:
    """A parsed value as JSON: mappings and sequences as tagged lists with their lines."""
    if isinstance(value, LDict):
        out: list[Any] = ["M", value.line]
        for key, item in value.items():
            out += [key, value.lines.get(key, value.line), encode(item)]
        return out
    if isinstance(value, LList):
        items: list[Any] = ["L", value.line]
        for index, item in enumerate(value):
            items += [value.line_of(index), encode(item)]
        return items
    if isinstance(value, date):
        return ["D", value.isoformat()]
    return value


def decode(value: Any) -> Any:
    """The inverse of `encode`; raises ValueError on anything it did not write."""
    if not isinstance(value, list):
        if isinstance(value, dict):
            raise ValueError("not a cache entry")
        return value
    tag = value[0]
    if tag == "M":
        mapping = LDict()
        mapping.line = int(value[1])
        for i in range(2, len(value), 3):
            key = value[i]
            if not isinstance(key, str):
                raise ValueError("not a cache entry")
            mapping[key] = decode(value[i + 2])
            mapping.lines[key] = int(value[i + 1])
        return mapping
    if tag == "L":
        sequence = LList()
        sequence.line = int(value[1])
        for i in range(2, len(value), 2):
            sequence.lines.append(int(value[i]))
            sequence.append(decode(value[i + 1]))
        return sequence
    if tag == "D":
        return date.fromisoformat(value[1])
    raise ValueError("not a cache entry")


def _store(entry: Path, value: Any) -> None:
    """Write the entry atomically, readable by its owner only; a cache that cannot be written
    is no error."""
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(value, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass
