"""Where each field sits in each MRZ format, and how a format is recognised from its lines.

Why: Doc 9303 Parts 4-7 define the formats as fixed character positions. Keeping them as data
(one `Layout` per format) lets the reader, the OCR repair and the generator share one truth, and
makes adding a national format (the French ID card, the Swiss and French driving licences) a
matter of a table rather than new code paths.

Positions are 0-based, end-exclusive. Field kinds:
  doc_code  document code, letters and `<`
  code      issuing state / nationality, letters and `<`
  name      primary and secondary identifiers separated by `<<`
  name_part a single name part (national formats keep surname and given names apart)
  number    document number, letters, digits and `<`
  optional  optional data, letters, digits and `<`
  date      YYMMDD
  yymm      YYMM (French ID issue date)
  digits    digits only (Swiss licence PIN and version)
  sex       M, F or `<`
  check     a check digit
  text      letters, digits and `<`, no rule beyond the character set
"""

from __future__ import annotations

Segment = tuple[int, int, int]  # line, start, end

_STRIPPED = frozenset({"doc_code", "code", "number", "optional", "text", "digits", "yymm"})


class FieldSpec:
    __slots__ = ("end", "kind", "line", "name", "start")

    def __init__(self, name: str, line: int, start: int, end: int, kind: str) -> None:
        self.name = name
        self.line = line
        self.start = start
        self.end = end
        self.kind = kind


class CheckSpec:
    """A check digit at (line, col) over the concatenation of `segments`."""

    __slots__ = ("col", "line", "name", "segments")

    def __init__(self, name: str, line: int, col: int, segments: tuple[Segment, ...]) -> None:
        self.name = name
        self.line = line
        self.col = col
        self.segments = segments


class Layout:
    """One format: its line lengths, fields and check digits, plus the groupings the reader
    walks (precomputed here once, so a reading does no classification of its own)."""

    def __init__(self, name: str, lengths: tuple[int, ...], fields: tuple[FieldSpec, ...],
                 checks: tuple[CheckSpec, ...], overflow: FieldSpec | None = None) -> None:
        self.name = name
        self.lengths = lengths
        self.fields = fields
        self.checks = checks
        # TD1/TD2 only: the optional field that carries the tail of a long document number.
        self.overflow = overflow
        self.by_name = {f.name: f for f in fields}

        def group(*kinds: str) -> tuple[tuple[str, int, int, int], ...]:
            return tuple((f.name, f.line, f.start, f.end) for f in fields if f.kind in kinds)

        self.stripped = tuple((f.name, f.line, f.start, f.end) for f in fields
                              if f.kind in _STRIPPED)
        self.raw = group("check", "sex", "date")
        self.dates = group("date")
        self.codes = group("code")
        self.names = group("name")
        self.name_parts = group("name_part")
        self.digits = group("digits")
        self.yymm = group("yymm")
        self.sex = group("sex")
        self.doc_code = group("doc_code")
        self.national = name in ("SWISS_DL", "FRENCH_DL", "FRENCH_ID")
        self.check_plan = tuple(
            (c.name, c.line, c.col, c.segments[0] if len(c.segments) == 1 else None, c.segments)
            for c in checks)


def _f(name: str, line: int, start: int, end: int, kind: str) -> FieldSpec:
    return FieldSpec(name, line, start, end, kind)


def _chk(name: str, line: int, col: int, *segments: Segment) -> CheckSpec:
    return CheckSpec(name, line, col, segments)


def _two_line(name: str, width: int, optional_end: int, composite: bool) -> Layout:
    """TD2, TD3, MRV-A and MRV-B share one shape and differ only in widths (Doc 9303-4, -6, -7)."""
    fields = [
        _f("document_code", 0, 0, 2, "doc_code"),
        _f("issuing_state", 0, 2, 5, "code"),
        _f("name", 0, 5, width, "name"),
        _f("document_number", 1, 0, 9, "number"),
        _f("document_number_check_digit", 1, 9, 10, "check"),
        _f("nationality", 1, 10, 13, "code"),
        _f("birth_date", 1, 13, 19, "date"),
        _f("birth_date_check_digit", 1, 19, 20, "check"),
        _f("sex", 1, 20, 21, "sex"),
        _f("expiry_date", 1, 21, 27, "date"),
        _f("expiry_date_check_digit", 1, 27, 28, "check"),
        _f("optional_data", 1, 28, optional_end, "optional"),
    ]
    checks = [
        _chk("document_number", 1, 9, (1, 0, 9)),
        _chk("birth_date", 1, 19, (1, 13, 19)),
        _chk("expiry_date", 1, 27, (1, 21, 27)),
    ]
    if optional_end == 42:  # TD3: the personal number has a check digit of its own
        fields.append(_f("optional_data_check_digit", 1, 42, 43, "check"))
        checks.append(_chk("optional_data", 1, 42, (1, 28, 42)))
    if composite:
        last = width - 1
        fields.append(_f("composite_check_digit", 1, last, width, "check"))
        checks.append(_chk("composite", 1, last, (1, 0, 10), (1, 13, 20), (1, 21, last)))
    overflow = fields[11] if name == "TD2" else None
    return Layout(name, (width, width), tuple(fields), tuple(checks), overflow)


TD3 = _two_line("TD3", 44, 42, composite=True)
TD2 = _two_line("TD2", 36, 35, composite=True)
MRVA = _two_line("MRVA", 44, 44, composite=False)
MRVB = _two_line("MRVB", 36, 36, composite=False)

_TD1_FIELDS = (
    _f("document_code", 0, 0, 2, "doc_code"),
    _f("issuing_state", 0, 2, 5, "code"),
    _f("document_number", 0, 5, 14, "number"),
    _f("document_number_check_digit", 0, 14, 15, "check"),
    _f("optional_data", 0, 15, 30, "optional"),
    _f("birth_date", 1, 0, 6, "date"),
    _f("birth_date_check_digit", 1, 6, 7, "check"),
    _f("sex", 1, 7, 8, "sex"),
    _f("expiry_date", 1, 8, 14, "date"),
    _f("expiry_date_check_digit", 1, 14, 15, "check"),
    _f("nationality", 1, 15, 18, "code"),
    _f("optional_data_2", 1, 18, 29, "optional"),
    _f("composite_check_digit", 1, 29, 30, "check"),
    _f("name", 2, 0, 30, "name"),
)
TD1 = Layout(
    "TD1",
    (30, 30, 30),
    _TD1_FIELDS,
    (
        _chk("document_number", 0, 14, (0, 5, 14)),
        _chk("birth_date", 1, 6, (1, 0, 6)),
        _chk("expiry_date", 1, 14, (1, 8, 14)),
        _chk("composite", 1, 29, (0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
    ),
    overflow=_TD1_FIELDS[4],
)

# The French national identity card of 1988-2021: 2 x 36, not an ICAO layout.
FRENCH_ID = Layout(
    "FRENCH_ID",
    (36, 36),
    (
        _f("document_code", 0, 0, 2, "doc_code"),
        _f("issuing_state", 0, 2, 5, "code"),
        _f("surname", 0, 5, 30, "name_part"),
        _f("administrative_code", 0, 30, 36, "text"),
        _f("issue_date", 1, 0, 4, "yymm"),
        _f("administrative_code_2", 1, 4, 7, "text"),
        _f("document_number", 1, 0, 12, "number"),
        _f("document_number_check_digit", 1, 12, 13, "check"),
        _f("given_names", 1, 13, 27, "name_part"),
        _f("birth_date", 1, 27, 33, "date"),
        _f("birth_date_check_digit", 1, 33, 34, "check"),
        _f("sex", 1, 34, 35, "sex"),
        _f("composite_check_digit", 1, 35, 36, "check"),
    ),
    (
        _chk("document_number", 1, 12, (1, 0, 12)),
        _chk("birth_date", 1, 33, (1, 27, 33)),
        _chk("composite", 1, 35, (0, 0, 36), (1, 0, 35)),
    ),
)

# The Swiss driving licence (credit-card format): 9 + 30 + 30, no check digits.
SWISS_DL = Layout(
    "SWISS_DL",
    (9, 30, 30),
    (
        _f("document_number", 0, 0, 7, "text"),
        _f("language_code", 0, 6, 7, "text"),
        _f("document_code", 1, 0, 2, "doc_code"),
        _f("issuing_state", 1, 2, 5, "code"),
        _f("pin_code", 1, 5, 14, "digits"),
        _f("version_number", 1, 14, 17, "digits"),
        _f("birth_date", 1, 19, 25, "date"),
        _f("name", 2, 0, 30, "name"),
    ),
    (),
)

# The French driving licence of 2013: one line of 30.
FRENCH_DL = Layout(
    "FRENCH_DL",
    (30,),
    (
        _f("document_code", 0, 0, 2, "doc_code"),
        _f("issuing_state", 0, 2, 5, "code"),
        _f("document_number", 0, 5, 14, "number"),
        _f("document_number_check_digit", 0, 14, 15, "check"),
        _f("expiry_date", 0, 15, 21, "date"),
        _f("surname", 0, 21, 29, "name_part"),
        _f("composite_check_digit", 0, 29, 30, "check"),
    ),
    (
        _chk("document_number", 0, 14, (0, 0, 14)),
        _chk("composite", 0, 29, (0, 0, 29)),
    ),
)

LAYOUTS: dict[str, Layout] = {
    lay.name: lay for lay in (TD1, TD2, TD3, MRVA, MRVB, FRENCH_ID, SWISS_DL, FRENCH_DL)
}


def detect(lines: list[str]) -> Layout | None:
    """The format these lines are meant to be, even when their count or lengths are off.

    Exact shapes decide first; otherwise the nearest one does, so that a line one character
    short is reported as `structure.line_length`, and a missing line as `structure.line_count`,
    of the format it was meant to be. Four lines or more match nothing.
    """
    count = len(lines)
    if count == 0 or count > 3:
        return None
    first = lines[0]
    longest = max(len(line) for line in lines)
    if count == 3:
        return SWISS_DL if len(first) < 20 else TD1
    if longest <= 32:  # lines of 30: a TD1 that lost a line, or a French licence
        return FRENCH_DL if count == 1 and first[:1] == "D" and first[1:2].isdigit() else TD1
    if count == 1:
        return _by_width(first, "", len(first))
    return _by_width(first, lines[1], (len(first) + len(lines[1])) / 2)


def _by_width(first: str, second: str, width: float) -> Layout:
    """Among the two-line formats: 44 wide (TD3, MRV-A) or 36 wide (TD2, MRV-B, French ID)."""
    if abs(width - 44) < abs(width - 36):
        return MRVA if first[:1] == "V" else TD3
    if first[1:5] == "DFRA" and not (second[10:13].isalpha() and second[20:21] in ("M", "F", "<")):
        # A French ID card, unless line 2 reads as a TD2 (a nationality code, then sex).
        return FRENCH_ID
    lead = first[:1]
    if lead == "V":
        return MRVB
    if lead in ("A", "C", "I"):
        return TD2
    # Neither a visa nor a TD2 code: a TD2 ends in its composite digit, an MRV-B in optional data.
    return MRVB if second[-1:] == "<" else TD2
