"""What a reading reports besides fields: errors, warnings and OCR corrections.

Why: docs/design.md's MRZ contract promises stable dotted codes with a line and a column, so that a
caller can act on a code (`check_digit.composite`) without parsing prose. These small value types
are that contract; their `to_dict` is the JSON form. Plain slotted classes, not dataclasses:
`import admit.mrz` must stay cheap.
"""

from __future__ import annotations


class Issue:
    """One error or warning. `line` and `column` are 1-based positions in the MRZ as read."""

    __slots__ = ("code", "column", "line", "message")

    def __init__(self, code: str, line: int, column: int, message: str) -> None:
        self.code = code
        self.line = line
        self.column = column
        self.message = message

    def __repr__(self) -> str:
        return f"Issue({self.code!r}, line={self.line}, column={self.column})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Issue) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.code, self.line, self.column))

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "line": self.line, "column": self.column,
                "message": self.message}


class Correction:
    """One character the OCR repair changed, where, and whether passing check digits cover it."""

    __slots__ = ("column", "corrected", "field", "line", "original", "verified")

    def __init__(self, line: int, column: int, original: str, corrected: str, field: str,
                 verified: bool) -> None:
        self.line = line
        self.column = column
        self.original = original
        self.corrected = corrected
        self.field = field
        self.verified = verified

    def __repr__(self) -> str:
        return (f"Correction(line={self.line}, column={self.column}, {self.original!r}->"
                f"{self.corrected!r}, {self.field}, verified={self.verified})")

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "from": self.original,
                "to": self.corrected, "field": self.field, "verified": self.verified}
