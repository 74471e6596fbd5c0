"""Building valid MRZs from fields: for specimens, tests and the benchmark's corpus.

Why in the package: a reader is only as trustworthy as the documents it was tested on, and a
generator that computes every check digit the way Doc 9303 says lets property tests round-trip
every format (generate -> parse -> same fields) without copying anyone's samples.
"""

from __future__ import annotations

from datetime import date

from admit import codes
from admit.errors import InputError
from admit.mrz import checkdigit
from admit.mrz.layouts import LAYOUTS, Layout
from admit.mrz.transliterate import transliterate

GENERATED_FORMATS = ("TD1", "TD2", "TD3", "MRVA", "MRVB")


def generate(
    format: str,
    *,
    document_code: str,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | str,
    sex: str,
    expiry_date: date | str,
    optional_data: str = "",
    optional_data_2: str = "",
) -> list[str]:
    """The MRZ lines for these fields. Names are transliterated (Doc 9303-3 s.6) and truncated
    to fit; a document number longer than 9 characters uses the TD1/TD2 overflow rule."""
    if format not in GENERATED_FORMATS:
        raise InputError("format", format, f"must be one of {', '.join(GENERATED_FORMATS)}")
    layout = LAYOUTS[format]
    for field, code in (("issuing_state", issuing_state), ("nationality", nationality)):
        if not codes.is_known(code):
            raise InputError(field, code, "is not an ICAO country code")
    if sex not in ("M", "F", "<"):
        raise InputError("sex", sex, "must be M, F or <")
    number = _chars("document_number", document_number)
    if len(number) > 9 and format not in ("TD1", "TD2"):
        raise InputError("document_number", document_number, f"is longer than 9 in {format}")
    rows = [["<"] * width for width in layout.lengths]
    put = _Writer(layout, rows)
    put("document_code", _chars("document_code", document_code))
    put("issuing_state", issuing_state)
    put("nationality", nationality)
    put("birth_date", _yymmdd("birth_date", birth_date))
    put("expiry_date", _yymmdd("expiry_date", expiry_date))
    put("sex", sex)
    put("name", _name(surname, given_names, layout.by_name["name"].end
                      - layout.by_name["name"].start))
    optional = _chars("optional_data", optional_data)
    if len(number) > 9:
        head = number[:9]
        # Doc 9303-5 note j: the tail, its check digit, then a filler before any optional data.
        optional = number[9:] + checkdigit.compute(number) + "<" + optional
        put("document_number", head)
        put("document_number_check_digit", "<")
    else:
        put("document_number", number)
        put("document_number_check_digit", checkdigit.compute(number.ljust(9, "<")))
    put("optional_data", optional)
    if format == "TD1":
        put("optional_data_2", _chars("optional_data_2", optional_data_2))
    lines = ["".join(row) for row in rows]
    for check in layout.checks:
        if check.name in ("document_number",):
            continue
        data = "".join(lines[line][start:end] for line, start, end in check.segments)
        digit = checkdigit.compute(data)
        if check.name == "optional_data" and not data.strip("<"):
            digit = "<"
        rows[check.line][check.col] = digit
        lines = ["".join(row) for row in rows]
    return lines


class _Writer:
    def __init__(self, layout: Layout, rows: list[list[str]]) -> None:
        self.layout = layout
        self.rows = rows

    def __call__(self, name: str, value: str) -> None:
        spec = self.layout.by_name[name]
        width = spec.end - spec.start
        if len(value) > width:
            raise InputError(name, value, f"is longer than its {width} positions")
        self.rows[spec.line][spec.start:spec.start + len(value)] = list(value)


def _chars(field: str, value: str) -> str:
    text = value.upper().replace(" ", "<")
    if not all(c == "<" or "A" <= c <= "Z" or "0" <= c <= "9" for c in text):
        raise InputError(field, value, "may hold only letters, digits and <")
    return text


def _yymmdd(field: str, value: date | str) -> str:
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    if len(value) != 6 or not all(c.isdigit() or c == "<" for c in value):
        raise InputError(field, value, "must be a date or YYMMDD")
    return value


def _name(surname: str, given_names: str, width: int) -> str:
    primary = transliterate(surname, "surname")
    secondary = transliterate(given_names, "given_names")
    text = f"{primary}<<{secondary}" if secondary else primary
    return text[:width]
