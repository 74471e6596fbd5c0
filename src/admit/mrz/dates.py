"""MRZ dates: calendar validity (which never depends on today) and century resolution (which
depends on a reference date the caller passes in).

Why apart: Doc 9303 writes dates as YYMMDD without a century. Whether `290229` is a real date
is a property of the text (it exists in 1929? no; 2029? no: invalid); which century it means is
a judgement against a reference date. Keeping the two apart keeps `valid` clock-free.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`: it imports `re`, and this package must import fast

if TYPE_CHECKING:
    from datetime import date

_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DIGITS = frozenset("0123456789")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def is_valid(text: str, allow_unknown: bool = False) -> bool:
    """True when YYMMDD names a real day in 19YY or 20YY.

    With `allow_unknown` (birth dates, Doc 9303-3 s.4.8) any of the three parts may be `<<`;
    the known parts must still be possible.
    """
    if len(text) != 6:
        return False
    yy, mm, dd = text[0:2], text[2:4], text[4:6]
    if allow_unknown and "<" in text:
        for part in (yy, mm, dd):
            if part != "<<" and not _DIGITS.issuperset(part):
                return False
        month = int(mm) if mm != "<<" else 0
        day = int(dd) if dd != "<<" else 0
        if mm != "<<" and not 1 <= month <= 12:
            return False
        return dd == "<<" or 1 <= day <= (_DAYS[month] if month else 31)
    if not _DIGITS.issuperset(text):
        return False
    month = int(mm)
    day = int(dd)
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month]:
        return False
    if month == 2 and day == 29:
        year = int(yy)
        return _leap(2000 + year) or _leap(1900 + year)
    return True


def is_valid_yymm(text: str) -> bool:
    return len(text) == 4 and _DIGITS.issuperset(text) and 1 <= int(text[2:]) <= 12


def _iso(year: int, month: int, day: int) -> str | None:
    if month == 2 and day == 29 and not _leap(year):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def birth(text: str, reference: date) -> str | None:
    """The ISO birth date in the latest century that does not put it after `reference`."""
    if not is_valid(text) or "<" in text:
        return None
    yy, month, day = int(text[0:2]), int(text[2:4]), int(text[4:6])
    recent = _iso(2000 + yy, month, day)
    if recent is not None and (2000 + yy, month, day) <= (
            reference.year, reference.month, reference.day):
        return recent
    return _iso(1900 + yy, month, day) or recent


def expiry(text: str, reference: date) -> str | None:
    """The ISO expiry date in 20YY unless that is more than 50 years after `reference`."""
    if not is_valid(text):
        return None
    yy, month, day = int(text[0:2]), int(text[2:4]), int(text[4:6])
    year = 2000 + yy if 2000 + yy <= reference.year + 50 else 1900 + yy
    return _iso(year, month, day) or _iso(year + 100 if year < 2000 else year - 100, month, day)
