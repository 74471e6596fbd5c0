"""What a reading reports besides fields: errors, warnings and OCR corrections.

Why: DESIGN.md's MRZ contract promises stable dotted codes with a line and a column, so that a
caller can act on a code (`check_digit.composite`) without parsing prose. These small value types
are that contract; their `to_dict` is the JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One error or warning. `line` and `column` are 1-based positions in the MRZ as read."""

    code: str
    line: int
    column: int
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "line": self.line, "column": self.column,
                "message": self.message}


@dataclass(frozen=True, slots=True)
class Correction:
    """One character the OCR repair changed, where, and whether a check digit confirmed it."""

    line: int
    column: int
    original: str
    corrected: str
    field: str
    verified: bool

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "from": self.original,
                "to": self.corrected, "field": self.field, "verified": self.verified}
