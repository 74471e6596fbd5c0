"""Reading one MRZ whose lines already have the right shape: fields, check digits, the rules of
Doc 9303 Parts 3-7, and the deviations the lenient profile tolerates.

Why apart from `parse`: the OCR repair re-reads many candidate MRZs, and the benchmark reads
thousands; this module is the part that must be fast and free of any I/O or clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from admit import codes
from admit.mrz import checkdigit, dates, names
from admit.mrz.issues import Issue
from admit.mrz.layouts import CheckSpec, Layout

_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ<")
_ISO_DATE_FIELDS = ("birth_date", "expiry_date")


@dataclass(slots=True)
class Reading:
    fields: dict[str, str]
    dates: dict[str, str | None]
    checks: dict[str, bool]
    errors: list[Issue]
    warnings: list[Issue]


def read(lines: list[str], layout: Layout, lenient: bool, reference: date) -> Reading:
    fields: dict[str, str] = {}
    errors: list[Issue] = []
    warnings: list[Issue] = []
    national = layout.name in ("SWISS_DL", "FRENCH_DL", "FRENCH_ID")
    for spec in layout.fields:
        raw = lines[spec.line][spec.start:spec.end]
        kind = spec.kind
        row, col = spec.line + 1, spec.start + 1
        if kind in ("check", "sex", "date"):
            fields[spec.name] = raw
        elif kind == "name":
            fields["surname"], fields["given_names"] = names.split(raw, row, col, warnings)
        elif kind == "name_part":
            fields[spec.name] = names.part(raw)
        else:
            fields[spec.name] = raw.rstrip("<")
        if kind == "date":
            if not dates.is_valid(raw, allow_unknown=spec.name == "birth_date"):
                errors.append(Issue(f"date.{spec.name}", row, col,
                                    f"{spec.name} {raw!r} is not a calendar date (YYMMDD)."))
        elif kind == "code":
            _check_code(spec.name, raw, row, col, lenient, errors, warnings)
        elif kind == "sex":
            _check_sex(raw, row, col, lenient, errors, warnings)
        elif kind == "doc_code":
            _check_document_code(layout.name, raw, row, col, errors, warnings)
        elif kind == "yymm":
            if not dates.is_valid_yymm(raw):
                errors.append(Issue(f"date.{spec.name}", row, col,
                                    f"{spec.name} {raw!r} is not a year and month (YYMM)."))
        elif kind == "digits" and not _DIGITS.issuperset(raw):
            errors.append(Issue("number_format", row, col,
                                f"{spec.name} {raw!r} must be digits."))
        if national and kind in ("name", "name_part") and not _NAME_CHARS.issuperset(raw):
            errors.append(Issue("name.charset", row, col,
                                f"{spec.name} contains characters other than letters."))
    if layout.name == "SWISS_DL":
        _check_swiss_number(lines[0], errors)
    checks: dict[str, bool] = {}
    for check in layout.checks:
        ok = _run_check(check, lines, layout, fields)
        checks[check.name] = ok
        if not ok:
            errors.append(Issue(f"check_digit.{check.name}", check.line + 1, check.col + 1,
                                f"The {check.name.replace('_', ' ')} check digit does not match."))
    if layout.name == "TD1":
        # The conformance corpora call TD1's first optional field optional_data_1; DESIGN.md
        # calls it optional_data. Both names are given, with the same value.
        fields["optional_data_1"] = fields["optional_data"]
    return Reading(fields, _iso_dates(fields, reference), checks, errors, warnings)


def _run_check(check: CheckSpec, lines: list[str], layout: Layout, fields: dict[str, str]) -> bool:
    digit = lines[check.line][check.col]
    if check.name == "document_number" and digit == "<" and layout.overflow is not None:
        return _overflow_number(lines, layout, fields)
    segments = check.segments
    if len(segments) == 1:
        line, start, end = segments[0]
        data = lines[line][start:end]
    else:
        data = "".join(lines[line][start:end] for line, start, end in segments)
    if check.name == "optional_data" and digit in "<0" and data.strip("<") == "":
        return True  # Doc 9303-4: an empty personal number may carry 0 or < as its check digit
    try:
        return digit in _DIGITS and checkdigit.compute(data) == digit
    except KeyError:  # a character outside the MRZ set, already reported as structure.charset
        return False


def _overflow_number(lines: list[str], layout: Layout, fields: dict[str, str]) -> bool:
    """A document number longer than 9 characters (Doc 9303-5 and -6, note j).

    The first nine sit in the number field, `<` takes the check digit's place, and the rest of
    the number followed by its check digit opens the optional data field. Issuers compute that
    check digit over the number either without or with the `<`; both are accepted.
    """
    opt = layout.overflow
    assert opt is not None
    head = lines[opt.line][opt.start:opt.end].split("<", 1)[0]
    base = fields["document_number"]
    if not head:
        return False
    number, digit = base + head[:-1], head[-1]
    fields["document_number"] = number
    fields["document_number_check_digit"] = digit
    if digit not in _DIGITS:
        return False
    spec = layout.by_name["document_number"]
    padded = lines[spec.line][spec.start:spec.end]
    try:
        return checkdigit.compute(number) == digit or checkdigit.compute(
            padded + "<" + head[:-1]) == digit
    except KeyError:
        return False


def _check_code(name: str, raw: str, row: int, col: int, lenient: bool,
                errors: list[Issue], warnings: list[Issue]) -> None:
    code = raw.rstrip("<")
    if codes.is_known(code) and "<" not in code:
        return
    if lenient and codes.is_withdrawn(code):
        warnings.append(Issue(f"code.{name}.withdrawn", row, col,
                              f"{name} {code!r} is a withdrawn ISO 3166 code."))
        return
    errors.append(Issue(f"code.{name}", row, col,
                        f"{name} {code!r} is not an ISO 3166-1 or ICAO Doc 9303-3 code."))


def _check_sex(raw: str, row: int, col: int, lenient: bool,
               errors: list[Issue], warnings: list[Issue]) -> None:
    if raw in ("M", "F", "<"):
        return
    if raw == "X" and lenient:
        warnings.append(Issue("sex.x", row, col,
                              "Sex 'X' belongs in the visual zone; the MRZ uses '<'."))
        return
    errors.append(Issue("sex", row, col, f"Sex {raw!r} must be M, F or <."))


def _check_document_code(fmt: str, raw: str, row: int, col: int,
                         errors: list[Issue], warnings: list[Issue]) -> None:
    first, second = raw[0], raw[1]
    if fmt in ("TD1", "TD2"):
        ok = first in "ACI" and second != "V" and raw != "AI"
    elif fmt == "TD3":
        ok = first == "P"
    elif fmt in ("MRVA", "MRVB"):
        ok = first == "V"
    elif fmt == "FRENCH_ID":
        ok = raw == "ID"
    elif fmt == "FRENCH_DL":
        ok = first == "D"
    else:
        ok = first in _LETTERS
    ok = ok and (second == "<" or second in _LETTERS or fmt == "FRENCH_DL")
    if not ok:
        errors.append(Issue("document_code", row, col,
                            f"Document code {raw!r} is not allowed in the {fmt} format."))
    elif raw == "AC":
        warnings.append(Issue("document_code.crew_certificate", row, col,
                              "Document code AC: a crew member certificate."))


def _check_swiss_number(line: str, errors: list[Issue]) -> None:
    if not (_LETTERS.issuperset(line[0:3]) and _DIGITS.issuperset(line[3:6])
            and line[6] in _LETTERS and line[7:9] == "<<"):
        errors.append(Issue("number_format", 1, 1,
                            "The licence number must be 3 letters, 3 digits and a language "
                            "letter."))


def _iso_dates(fields: dict[str, str], reference: date) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in _ISO_DATE_FIELDS:
        raw = fields.get(name)
        if raw is None:
            continue
        resolved = dates.birth(raw, reference) if name == "birth_date" else dates.expiry(
            raw, reference)
        out[name] = resolved.isoformat() if resolved else None
    return out
