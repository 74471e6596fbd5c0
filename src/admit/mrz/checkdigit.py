"""ICAO Doc 9303-3 section 4.9 check digits: weights 7-3-1, `<` = 0, digits as themselves,
A = 10 ... Z = 35, the sum modulo 10.

Why a module of its own: the reader, the OCR repair and the generator all compute check digits
on the hot path, so the arithmetic lives here once, as three precomputed tables (one per weight)
that turn a check into a few dictionary look-ups per character.
"""

from __future__ import annotations

from string import ascii_uppercase, digits

VALUES: dict[str, int] = {"<": 0}
VALUES.update({d: int(d) for d in digits})
VALUES.update({c: 10 + i for i, c in enumerate(ascii_uppercase)})

_W7 = {c: v * 7 for c, v in VALUES.items()}
_W3 = {c: v * 3 for c, v in VALUES.items()}
_W1 = VALUES


def compute(data: str) -> str:
    """The check digit of `data` as a character; raises KeyError for a character outside A-Z0-9<."""
    total = (
        sum(map(_W7.__getitem__, data[0::3]))
        + sum(map(_W3.__getitem__, data[1::3]))
        + sum(map(_W1.__getitem__, data[2::3]))
    )
    return "0123456789"[total % 10]


def matches(data: str, digit: str) -> bool:
    """True when `digit` is the check digit of `data`; a non-digit in `digit` never matches."""
    return compute(data) == digit
