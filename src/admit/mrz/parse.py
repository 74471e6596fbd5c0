"""The MRZ reader's entry point: text in, an `MRZResult` out.

Why: callers (the CLI, the API, the engine reading a document given as MRZ text) need one call
that never raises on odd input, only on input that is not text at all, and that runs the same
stages in the same order: split the lines, optionally normalise OCR text, recognise the format,
check the structure, optionally repair by check digits, then read and validate.
"""

from __future__ import annotations

from admit.errors import MRZError
from admit.mrz.fast import read_td3
from admit.mrz.issues import Correction, Issue
from admit.mrz.layouts import LAYOUTS, Layout, detect
from admit.mrz.read import read
from admit.mrz.result import MRZResult

TYPE_CHECKING = False  # not `typing`: it imports `re`, and this package must import fast
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

PROFILES = ("strict", "lenient")
MAX_LINES = 6
MAX_LINE_LENGTH = 120
_CHARSET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")


def parse(
    text: str | Sequence[str],
    *,
    profile: str = "strict",
    repair: bool = False,
    reference_date: date | None = None,
    format: str | None = None,
) -> MRZResult:
    """Read an MRZ given as one string (lines separated by newlines) or as a list of lines.

    `reference_date` resolves the century of two-digit years (a birth date is never after it);
    it defaults to today but never affects `valid`. `format` forces a layout instead of
    recognising it. `repair` corrects OCR confusions where check digits confirm them.
    Raises MRZError only for input that is not MRZ-shaped text at all.
    """
    if (not repair and format is None and type(text) is list and len(text) == 2
            and reference_date is not None):
        l1, l2 = text
        if (type(l1) is str and type(l2) is str and len(l1) == 44 and len(l2) == 44
                and _CHARSET.issuperset(l1) and _CHARSET.issuperset(l2)
                and profile in PROFILES):
            fast = read_td3(l1, l2, reference_date, profile)
            if fast is not None:
                return fast
    if profile not in PROFILES:
        raise MRZError("profile", profile, "must be 'strict' or 'lenient'")
    if format is not None and format not in LAYOUTS:
        raise MRZError("format", format, f"must be one of {', '.join(LAYOUTS)}")
    lines = _split(text)
    if reference_date is None:
        from datetime import date

        reference_date = date.today()
    reference = reference_date
    corrected: list[Correction] = []
    warnings: list[Issue] = []
    originals: dict[tuple[int, int], str] = {}
    if repair:
        from admit.mrz import repair as ocr

        lines, originals = ocr.normalize(lines, warnings)
    layout = LAYOUTS[format] if format else detect(lines)
    if layout is None:
        issue = Issue("structure.format_unknown", 1, 1,
                      f"{len(lines)} line(s) of lengths {[len(x) for x in lines]} match no MRZ "
                      "format.")
        return MRZResult("UNKNOWN", tuple(lines), errors=[issue], warnings=warnings,
                         profile=profile)
    lenient = profile == "lenient"
    lines, errors = _structure(lines, layout, lenient, warnings)
    if any(e.code != "structure.charset" for e in errors):
        return MRZResult(layout.name, tuple(lines), errors=errors, warnings=warnings,
                         profile=profile)
    # A stray character does not move the fields: read them, so the caller sees where it is.
    repair_errors: list[Issue] = []
    if repair:
        lines = ocr.repair(lines, layout, lenient, reference, originals, corrected, repair_errors)
    reading = read(lines, layout, lenient, reference)
    reading.errors.extend(errors)
    if repair:
        reading.errors.extend(e for e in repair_errors if e.code == "repair.ambiguous")
        warnings.extend(e for e in repair_errors if e.code != "repair.ambiguous")
        ocr.finish(layout, reading.checks, corrected, warnings)
    warnings.extend(reading.warnings)
    reading.errors.sort(key=_position)
    warnings.sort(key=_position)
    return MRZResult(layout.name, tuple(lines), reading.fields, reading.dates, reading.checks,
                     reading.errors, warnings, corrected, profile)


def _position(issue: Issue) -> tuple[int, int]:
    return issue.line, issue.column


def _split(text: str | Sequence[str]) -> list[str]:
    if isinstance(text, list) and len(text) in (2, 3) and all(
            isinstance(x, str) and "\n" not in x and x == x.strip() and x for x in text):
        return list(text)  # already clean lines: the common case of a scanner's output
    if isinstance(text, str):
        raw = text.splitlines()
    elif isinstance(text, list | tuple) and all(isinstance(x, str) for x in text):
        raw = [part for item in text for part in item.splitlines()]
    else:
        raise MRZError("mrz", type(text).__name__, "must be text or a list of lines")
    lines = [line.strip() for line in raw if line.strip()]
    if not lines:
        raise MRZError("mrz", "", "no MRZ lines were given")
    if len(lines) > MAX_LINES or any(len(line) > MAX_LINE_LENGTH for line in lines):
        raise MRZError("mrz", f"{len(lines)} lines", "is too long to be an MRZ")
    return lines


def _structure(lines: list[str], layout: Layout, lenient: bool,
               warnings: list[Issue]) -> tuple[list[str], list[Issue]]:
    """Line count, line lengths and character set; the lenient profile mends name lines that
    lost or gained trailing fillers (and says so)."""
    errors: list[Issue] = []
    if all(len(line) == width and _CHARSET.issuperset(line)
           for line, width in zip(lines, layout.lengths, strict=False)) and len(lines) == len(
            layout.lengths):
        return lines, errors
    if len(lines) != len(layout.lengths):
        errors.append(Issue("structure.line_count", 1, 1,
                            f"{layout.name} has {len(layout.lengths)} lines, not {len(lines)}."))
        return lines, errors
    out = list(lines)
    for index, (line, width) in enumerate(zip(lines, layout.lengths, strict=True)):
        if len(line) != width and lenient and _is_name_line(layout, index):
            if len(line) < width:
                out[index] = line + "<" * (width - len(line))
                warnings.append(Issue("structure.padded", index + 1, len(line) + 1,
                                      f"Line {index + 1} was {width - len(line)} filler(s) short."))
            elif line[width:].strip("<") == "":
                out[index] = line[:width]
                surplus = len(line) - width
                warnings.append(Issue("structure.trimmed", index + 1, width + 1,
                                      f"Line {index + 1} had {surplus} surplus filler(s)."))
        if len(out[index]) != width:
            errors.append(Issue("structure.line_length", index + 1,
                                min(len(out[index]), width) + 1,
                                f"Line {index + 1} has {len(out[index])} characters; "
                                f"{layout.name} needs {width}."))
        if not _CHARSET.issuperset(out[index]):
            column = next(i for i, c in enumerate(out[index]) if c not in _CHARSET)
            errors.append(Issue("structure.charset", index + 1, column + 1,
                                f"Line {index + 1} has a character outside A-Z, 0-9 and <."))
    return out, errors


def _is_name_line(layout: Layout, index: int) -> bool:
    last = max((f for f in layout.fields if f.line == index), key=lambda f: f.end)
    return last.kind == "name"
