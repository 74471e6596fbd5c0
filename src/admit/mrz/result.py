"""The outcome of reading an MRZ, in the shape of DESIGN.md's MRZ contract."""

from __future__ import annotations

from dataclasses import dataclass, field

from admit.mrz.issues import Correction, Issue


@dataclass(slots=True)
class MRZResult:
    """What the reader found. `valid` is Doc 9303 validity: no errors; it never depends on the
    date of the reading (an expired passport has a valid MRZ)."""

    format: str
    lines: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str | None] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    corrected: list[Correction] = field(default_factory=list)
    profile: str = "strict"

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def error_codes(self) -> list[str]:
        return [e.code for e in self.errors]

    def to_dict(self) -> dict[str, object]:
        return {
            "format": self.format,
            "valid": self.valid,
            "lines": list(self.lines),
            "profile": self.profile,
            "fields": self.fields,
            "dates": self.dates,
            "checks": self.checks,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
            "corrected": [c.to_dict() for c in self.corrected],
        }
