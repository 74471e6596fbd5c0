"""Reading one MRZ whose lines already have the right shape: fields, check digits, the rules of
Doc 9303 Parts 3-7, and the deviations the lenient profile tolerates.

Why apart from `parse`: the OCR repair re-reads many candidate MRZs, and the benchmark reads
thousands; this module is the part that must be fast and free of any I/O or clock. It walks the
groupings each `Layout` precomputed and builds error objects only when something is wrong.
"""

from __future__ import annotations

from admit import codes
from admit.mrz import checkdigit, dates, names
from admit.mrz.issues import Issue
from admit.mrz.layouts import Layout

TYPE_CHECKING = False  # not `typing`: it imports `re`, and this package must import fast

if TYPE_CHECKING:
    from datetime import date

_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ<")
_KNOWN = codes.ALL_CODES
_SEXES = frozenset(("M", "F", "<"))


class Reading:
    __slots__ = ("checks", "dates", "errors", "fields", "warnings")

    def __init__(self, fields: dict[str, str], dates: dict[str, str | None],
                 checks: dict[str, bool], errors: list[Issue], warnings: list[Issue]) -> None:
        self.fields = fields
        self.dates = dates
        self.checks = checks
        self.errors = errors
        self.warnings = warnings


def read(lines: list[str], layout: Layout, lenient: bool, reference: date) -> Reading:
    fields = {name: lines[li][s:e].rstrip("<") for name, li, s, e in layout.stripped}
    for name, li, s, e in layout.raw:
        fields[name] = lines[li][s:e]
    errors: list[Issue] = []
    warnings: list[Issue] = []
    for _, li, s, e in layout.names:
        fields["surname"], fields["given_names"] = names.split(lines[li][s:e], li + 1, s + 1,
                                                               warnings)
    for name, li, s, e in layout.name_parts:
        fields[name] = names.part(lines[li][s:e])
    if layout.national:
        for name, li, s, e in layout.names + layout.name_parts:
            if not _NAME_CHARS.issuperset(lines[li][s:e]):
                errors.append(Issue("name.charset", li + 1, s + 1,
                                    f"{name} contains characters other than letters."))
    for name, li, s, _ in layout.dates:
        if not dates.is_valid(fields[name], name == "birth_date"):
            errors.append(Issue(f"date.{name}", li + 1, s + 1,
                                f"{name} {fields[name]!r} is not a calendar date (YYMMDD)."))
    for name, li, s, e in layout.codes:
        raw = lines[li][s:e]
        if fields[name] not in _KNOWN or "<" in fields[name]:
            _bad_code(name, raw, li + 1, s + 1, lenient, errors, warnings)
    for name, li, s, _ in layout.sex:
        if fields[name] not in _SEXES:
            _bad_sex(fields[name], li + 1, s + 1, lenient, errors, warnings)
    for _, li, s, e in layout.doc_code:
        _check_document_code(layout.name, lines[li][s:e], li + 1, s + 1, errors, warnings)
    for name, li, s, _ in layout.yymm:
        if not dates.is_valid_yymm(lines[li][s:s + 4]):
            errors.append(Issue(f"date.{name}", li + 1, s + 1,
                                f"{name} {fields[name]!r} is not a year and month (YYMM)."))
    for name, li, s, e in layout.digits:
        if not _DIGITS.issuperset(lines[li][s:e]):
            errors.append(Issue("number_format", li + 1, s + 1, f"{name} must be digits."))
    if layout.name == "SWISS_DL":
        _check_swiss_number(lines[0], errors)
    checks: dict[str, bool] = {}
    for name, li, col, single, segments in layout.check_plan:
        digit = lines[li][col]
        if name == "document_number" and digit == "<" and layout.overflow is not None:
            ok = _overflow_number(lines, layout, fields)
        else:
            if single is not None:
                data = lines[single[0]][single[1]:single[2]]
            else:
                data = "".join([lines[a][b:c] for a, b, c in segments])
            ok = _check(name, data, digit)
        checks[name] = ok
        if not ok:
            errors.append(Issue(f"check_digit.{name}", li + 1, col + 1,
                                f"The {name.replace('_', ' ')} check digit does not match."))
    if layout.name == "TD1":
        # The conformance corpora call TD1's first optional field optional_data_1; docs/design.md
        # calls it optional_data. Both names are given, with the same value.
        fields["optional_data_1"] = fields["optional_data"]
    iso: dict[str, str | None] = {}
    if "birth_date" in fields:
        iso["birth_date"] = dates.birth(fields["birth_date"], reference)
    if "expiry_date" in fields:
        iso["expiry_date"] = dates.expiry(fields["expiry_date"], reference)
    return Reading(fields, iso, checks, errors, warnings)


def _check(name: str, data: str, digit: str) -> bool:
    if digit not in _DIGITS:
        # Doc 9303-4: an empty personal number may carry < (or 0) as its check digit.
        return name == "optional_data" and digit == "<" and not data.strip("<")
    try:
        return checkdigit.compute(data) == digit
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
    if not head:
        return False
    spec = layout.by_name["document_number"]
    padded = lines[spec.line][spec.start:spec.end]
    number, digit = fields["document_number"] + head[:-1], head[-1]
    fields["document_number"] = number
    fields["document_number_check_digit"] = digit
    return _check("", number, digit) or _check("", padded + "<" + head[:-1], digit)


def _bad_code(name: str, raw: str, row: int, col: int, lenient: bool,
              errors: list[Issue], warnings: list[Issue]) -> None:
    code = raw.rstrip("<")
    if lenient and codes.is_withdrawn(code):
        warnings.append(Issue(f"code.{name}.withdrawn", row, col,
                              f"{name} {code!r} is a withdrawn ISO 3166 code."))
        return
    errors.append(Issue(f"code.{name}", row, col,
                        f"{name} {code!r} is not an ISO 3166-1 or ICAO Doc 9303-3 code."))


def _bad_sex(raw: str, row: int, col: int, lenient: bool,
             errors: list[Issue], warnings: list[Issue]) -> None:
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
