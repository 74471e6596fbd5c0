"""The outcome of reading an MRZ, in the shape of docs/design.md's MRZ contract."""

from __future__ import annotations

from admit.mrz.issues import Correction, Issue


class MRZResult:
    """What the reader found. `valid` is Doc 9303 validity: no errors; it never depends on the
    date of the reading (an expired passport has a valid MRZ)."""

    __slots__ = ("checks", "corrected", "dates", "errors", "fields", "format", "lines",
                 "profile", "warnings")

    def __init__(
        self,
        format: str,
        lines: tuple[str, ...],
        fields: dict[str, str] | None = None,
        dates: dict[str, str | None] | None = None,
        checks: dict[str, bool] | None = None,
        errors: list[Issue] | None = None,
        warnings: list[Issue] | None = None,
        corrected: list[Correction] | None = None,
        profile: str = "strict",
    ) -> None:
        self.format = format
        self.lines = lines
        self.fields = fields if fields is not None else {}
        self.dates = dates if dates is not None else {}
        self.checks = checks if checks is not None else {}
        self.errors = errors if errors is not None else []
        self.warnings = warnings if warnings is not None else []
        self.corrected = corrected if corrected is not None else []
        self.profile = profile

    def __repr__(self) -> str:
        return f"MRZResult(format={self.format!r}, valid={self.valid}, errors={self.errors!r})"

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
