"""OCR repair guided by check digits.

Why: text read by OCR confuses O/0, I/1, B/8, S/5, Z/2 and G/6, adds spaces and lower case.
A position's character class often settles the question (a date holds digits, a name letters);
where it does not (document numbers and optional data hold both), only the check digits can.
So: a position whose class admits one reading is corrected outright; an alphanumeric position is
changed only when exactly one smallest set of changes makes every check digit pass. More than one
such set is an error (`repair.ambiguous`), never a guess. Every change is reported; a change in a
field no check digit covers is also flagged with a warning (`repair.unverified`).
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

from admit.mrz.issues import Correction, Issue
from admit.mrz.layouts import Layout
from admit.mrz.read import read

LETTER_TO_DIGIT = {"O": "0", "I": "1", "B": "8", "S": "5", "Z": "2", "G": "6"}
DIGIT_TO_LETTER = {digit: letter for letter, digit in LETTER_TO_DIGIT.items()}
MAX_CHANGES = 3
MAX_CANDIDATE_POSITIONS = 20

_DIGIT_KINDS = frozenset({"date", "check", "yymm", "digits"})
_LETTER_KINDS = frozenset({"doc_code", "code", "name", "name_part"})

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

Position = tuple[int, int]
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalize(lines: list[str], warnings: list[Issue]) -> tuple[list[str], dict[Position, str]]:
    """Drop spaces inside lines and upper-case them; returns the new lines and, for every
    character whose case changed, its original (keyed by its position in the new line)."""
    out: list[str] = []
    originals: dict[Position, str] = {}
    for index, line in enumerate(lines):
        packed = "".join(line.split())
        if packed != line:
            warnings.append(Issue("repair.whitespace", index + 1, 1,
                                  f"Spaces were removed from line {index + 1}."))
        upper = packed.translate(_UPPER)  # ASCII only: 'ß'.upper() would change the length
        for column, (before, after) in enumerate(zip(packed, upper, strict=True)):
            if before != after:
                originals[(index, column)] = before
        out.append(upper)
    return out, originals


@cache
def _classes(layout: Layout) -> dict[Position, str]:
    """Each position's class: D (digits only), A (letters only) or X (either)."""
    classes: dict[Position, str] = {}
    ordered = sorted(layout.fields, key=lambda f: f.kind in _DIGIT_KINDS | _LETTER_KINDS)
    for spec in ordered:  # alphanumeric fields first, so narrower fields inside them win
        cls = "D" if spec.kind in _DIGIT_KINDS else "A" if spec.kind in _LETTER_KINDS else "X"
        if spec.kind == "sex":
            continue
        for column in range(spec.start, spec.end):
            classes[(spec.line, column)] = cls
    return classes


@cache
def _coverage(layout: Layout) -> dict[Position, tuple[str, ...]]:
    """The check digits that cover each position (including the check digit's own)."""
    cover: dict[Position, list[str]] = {}
    for check in layout.checks:
        cover.setdefault((check.line, check.col), []).append(check.name)
        for line, start, end in check.segments:
            for column in range(start, end):
                cover.setdefault((line, column), []).append(check.name)
    if layout.overflow is not None:  # the tail of a long document number
        spec = layout.overflow
        for column in range(spec.start, spec.end):
            cover.setdefault((spec.line, column), []).append("document_number")
    return {pos: tuple(names) for pos, names in cover.items()}


def _field_at(layout: Layout, pos: Position) -> str:
    line, column = pos
    hits = [f for f in layout.fields if f.line == line and f.start <= column < f.end]
    return min(hits, key=lambda f: f.end - f.start).name if hits else "filler"


def repair(lines: list[str], layout: Layout, lenient: bool, reference: date,
           originals: dict[Position, str], corrected: list[Correction],
           errors: list[Issue]) -> list[str]:
    rows = [list(line) for line in lines]
    classes = _classes(layout)
    for (line, column), cls in classes.items():
        char = rows[line][column]
        fixed = (LETTER_TO_DIGIT if cls == "D" else DIGIT_TO_LETTER if cls == "A" else {}).get(
            char)
        if fixed is not None:
            rows[line][column] = fixed
    candidate = ["".join(row) for row in rows]
    reading = read(candidate, layout, lenient, reference)
    failing = {name for name, ok in reading.checks.items() if not ok}
    if failing:
        candidate = _search(candidate, layout, lenient, reference, failing, errors)
    for line, (before, after) in enumerate(zip(lines, candidate, strict=True)):
        for column, (old, new) in enumerate(zip(before, after, strict=True)):
            original = originals.get((line, column), old)
            if original != new:
                field = _field_at(layout, (line, column))
                corrected.append(Correction(line + 1, column + 1, original, new, field, False))
    return candidate


def _search(lines: list[str], layout: Layout, lenient: bool, reference: date,
            failing: set[str], errors: list[Issue]) -> list[str]:
    """The unique smallest set of alphanumeric swaps that makes every check digit pass."""
    classes = _classes(layout)
    cover = _coverage(layout)
    spots = [
        pos for pos, cls in classes.items()
        if cls == "X" and failing.intersection(cover.get(pos, ()))
        and (lines[pos[0]][pos[1]] in LETTER_TO_DIGIT or lines[pos[0]][pos[1]] in DIGIT_TO_LETTER)
    ][:MAX_CANDIDATE_POSITIONS]
    for size in range(1, MAX_CHANGES + 1):
        found: list[list[str]] = []
        for combo in combinations(spots, size):
            rows = [list(line) for line in lines]
            for line, column in combo:
                char = rows[line][column]
                rows[line][column] = LETTER_TO_DIGIT.get(char) or DIGIT_TO_LETTER[char]
            trial = ["".join(row) for row in rows]
            reading = read(trial, layout, lenient, reference)
            if all(reading.checks.values()) and not any(
                    e.code.startswith("date.") for e in reading.errors):
                found.append(trial)
        if len(found) == 1:
            errors.append(Issue("repair.alphanumeric", 1, 1,
                                f"{size} character(s) in letter-or-digit fields were changed on "
                                "the word of the check digits alone."))
            return found[0]
        if found:
            errors.append(Issue("repair.ambiguous", 1, 1,
                                f"{len(found)} different repairs of {size} character(s) each "
                                "satisfy the check digits; none was applied."))
            return lines
    return lines


def finish(layout: Layout, checks: dict[str, bool], corrected: list[Correction],
           warnings: list[Issue]) -> None:
    """Mark each correction verified when check digits cover it and all of them pass."""
    cover = _coverage(layout)
    for index, fix in enumerate(corrected):
        names = cover.get((fix.line - 1, fix.column - 1), ())
        verified = bool(names) and all(checks.get(name, False) for name in names)
        corrected[index] = Correction(fix.line, fix.column, fix.original, fix.corrected,
                                      fix.field, verified)
        if not verified:
            warnings.append(Issue("repair.unverified", fix.line, fix.column,
                                  f"{fix.field}: {fix.original!r} was read as {fix.corrected!r}; "
                                  "no passing check digit confirms it."))
