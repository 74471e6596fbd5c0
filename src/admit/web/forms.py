"""Form fields to the library's JSON, and the library's errors back to the fields.

Why: the pages build docs/design.md's trip (or a stay request) from rows of inputs and hand it to
the same parsers as the API, so a page can never accept what the API refuses. An error comes
back as a JSON path (`itinerary[1].date`); `Form.error` turns it into the id of the input that
holds the value and a label a person reads ("Leg 2, arrival date"), so the page can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from admit import codes
from admit.errors import InputError

MAX_ROWS = 20  # rows of one kind (legs, documents, stays) a form may send
_PATH_INDEX = re.compile(r"^(.*?\[\d+\])(?:\.(\w+))?")


@dataclass(frozen=True, slots=True)
class FieldError:
    id: str  # the input's id, or "" when no single input holds the value
    label: str
    message: str


@dataclass(slots=True)
class Form:
    """Raw form values by input name, the number of rows of each kind, and how JSON paths map
    to inputs: `paths["itinerary[0]"] = ("leg-2", "Leg 3")` (empty rows are skipped)."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    paths: dict[str, tuple[str, str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # JSON key -> words, e.g. date

    @classmethod
    def read(cls, data: Iterable[tuple[str, Any]], defaults: Mapping[str, int]) -> Form:
        form = cls(rows=dict(defaults))
        for name, value in data:
            if isinstance(value, str) and name not in form.values:
                form.values[name] = value.strip()[:2000]
        for kind, least in defaults.items():
            wanted = form.number(f"{kind}s", least)
            used = 1 + max((i for i in range(MAX_ROWS) if form.row_filled(kind, i)), default=-1)
            form.rows[kind] = max(least, min(MAX_ROWS, max(wanted, used)))
        return form

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def checked(self, name: str) -> bool:
        return self.values.get(name, "") in ("on", "true", "1", "yes")

    def number(self, name: str, default: int) -> int:
        text = self.get(name)
        return int(text) if text.isdigit() and len(text) < 4 else default

    def row_filled(self, kind: str, index: int) -> bool:
        prefix = f"{kind}-{index}-"
        return any(v for k, v in self.values.items() if k.startswith(prefix)
                   and not k.endswith(("-type", "-transit", "-purpose", "-status")))

    def add_row(self, kind: str) -> None:
        self.rows[kind] = min(MAX_ROWS, self.rows.get(kind, 0) + 1)

    def error(self, exc: InputError) -> FieldError:
        """The input and words for an error the library raised on this form's JSON."""
        found = _PATH_INDEX.match(exc.field)
        if found and found.group(1) in self.paths:
            row, words = self.paths[found.group(1)]
            key = found.group(2)
            if "-" not in row:  # the item is one input (the MRZ box), not a row of them
                return FieldError(row, words, exc.reason)
            if key:
                return FieldError(f"{row}-{key}", f"{words}, {self.labels.get(key, key)}",
                                  exc.reason)
            return FieldError(f"{row}-{_first_input(row)}", words, exc.reason)
        if exc.field in self.paths:
            row, words = self.paths[exc.field]
            return FieldError(row, words, exc.reason)
        return FieldError("", exc.field, exc.reason)


def _first_input(row: str) -> str:
    return {"leg": "to", "doc": "type", "auth": "type", "stay": "entry", "nat": "code"}.get(
        row.split("-")[0], "type")


def country_code(text: str) -> str:
    """What a person typed in a country field: a code (`rus`, `D`) or a name (`Mongolia`).
    Unrecognised text is passed on as it is, for the parser to refuse by name."""
    value = text.strip()
    if not value:
        return ""
    upper = codes.normalize(value)
    if codes.is_known(upper):
        return upper
    return _by_name().get(value.casefold(), value)


@cache
def _by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for code in sorted(codes.ALL_CODES):
        try:
            out.setdefault(codes.name(code).casefold(), code)
        except KeyError:  # pragma: no cover - every listed code has a name
            continue
    return out
