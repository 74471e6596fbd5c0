"""Reading a case number, or a count such as a page offset, from text (a URL, a form, the
command line) exactly.

Why: `int()` and the web frameworks' integer parsing are lenient — `1.0`, `+1`, ` 1`, `01`,
`1_0` and non-ASCII digits all open case 1 — so one case would answer to many spellings, and
whatever logs or compares ids as text sees different ones. A case number is written one way
only: ASCII digits, the first not zero, at most ten; anything else is bad input naming the
value. A well-formed number no case has is the store's to answer (not found).
"""

from __future__ import annotations

import re

from admit.errors import InputError

MAX_DIGITS = 10
_CASE_ID = re.compile(rf"[1-9][0-9]{{0,{MAX_DIGITS - 1}}}")
_COUNT = re.compile(rf"0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}}")
_SHOWN = 40  # how much of a bad value an error message repeats


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def parse_case_id(text: str, field: str = "case_id") -> int:
    if _CASE_ID.fullmatch(text) is None:
        raise InputError(field, _shown(text), f"a case number is 1 to {MAX_DIGITS} ASCII "
                         "digits, without sign, spaces or leading zeros")
    return int(text)


def parse_count(text: str, field: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`, written as ASCII digits without leading zeros."""
    if _COUNT.fullmatch(text) is None or not low <= int(text) <= high:
        raise InputError(field, _shown(text), f"a whole number from {low} to {high}, in ASCII "
                         "digits")
    return int(text)
