"""ICAO Doc 9303-3 section 4.9 check digits: weights 7-3-1, `<` = 0, digits as themselves,
A = 10 ... Z = 35, the sum modulo 10.

Why a module of its own: the reader, the OCR repair and the generator all compute check digits
on the hot path, so the arithmetic lives here once. Each weight has a 256-byte table giving a
character's weighted value modulo 10, so a check is three `bytes.translate` calls and three sums,
all in C.
"""

from __future__ import annotations

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
VALUES: dict[str, int] = {"<": 0}
VALUES.update({c: i for i, c in enumerate(_ALPHABET)})


def table(weight: int) -> bytes:
    """For `bytes.translate`: each MRZ character's value times `weight`, modulo 10."""
    table = bytearray(256)
    for char, value in VALUES.items():
        table[ord(char)] = value * weight % 10
    return bytes(table)


_T7, _T3, _T1 = table(7), table(3), table(1)
# For `bytes.translate`: each MRZ character's plain value, 0-35 (for sums by position residue).
VALUE_TABLE = bytes(VALUES.get(chr(i), 0) for i in range(256))
_VALID = frozenset(VALUES)


def compute(data: str) -> str:
    """The check digit of `data` as a character; raises KeyError for a character outside A-Z0-9<."""
    if not _VALID.issuperset(data):
        raise KeyError(next(c for c in data if c not in _VALID))
    raw = data.encode("ascii")
    total = sum(raw[0::3].translate(_T7)) + sum(raw[1::3].translate(_T3)) + sum(
        raw[2::3].translate(_T1))
    return _ALPHABET[total % 10]


def matches(data: str, digit: str) -> bool:
    """True when `digit` is the check digit of `data`; a non-digit in `digit` never matches."""
    return compute(data) == digit
