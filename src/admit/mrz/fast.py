"""A fast path for the commonest MRZ of all: a clean, valid passport (TD3).

Why: carriers read passports by the planeload, and the generic reader walks tables built for
eight formats. This path reads a TD3 with constant slices, computes all five check digits from
one translation of line 2, and returns a result only when every rule passes; anything unusual
(a failing digit, an unknown-part birth date, a name oddity, an odd code) returns None and the
generic reader takes over, so the output is the same either way (a property test holds the two
paths equal).
"""

from __future__ import annotations

from admit import codes
from admit.mrz.checkdigit import VALUE_TABLE
from admit.mrz.result import MRZResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

_VALUES = VALUE_TABLE
_KNOWN = codes.ALL_CODES
_SEXES = frozenset(("M", "F", "<"))
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NAME = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ<")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DIGIT_OF = "0123456789"
_CHECK_NAMES = ("document_number", "birth_date", "expiry_date", "optional_data", "composite")


_TWO = {f"{i:02d}": i for i in range(100)}  # "07" -> 7; anything else is not in it


def _plain_date(text: str) -> tuple[int, int, int] | None:
    year, month, day = _TWO.get(text[0:2]), _TWO.get(text[2:4]), _TWO.get(text[4:6])
    if year is None or month is None or day is None or not 1 <= month <= 12:
        return None
    if not 1 <= day <= _DAYS[month]:
        return None  # 29 February and other rarities go the generic way
    return year, month, day


def read_td3(l1: str, l2: str, reference: date, profile: str) -> MRZResult | None:
    """The reading of a clean, valid TD3 whose lines are 44 characters of A-Z0-9<, or None."""
    if l1[0] != "P" or l1[1] not in _NAME:
        return None
    state, nationality = l1[2:5].rstrip("<"), l2[10:13].rstrip("<")
    sex = l2[20]
    if state not in _KNOWN or nationality not in _KNOWN or sex not in _SEXES:
        return None
    v = l2.encode("ascii").translate(_VALUES)  # each character's value, 0-35
    # Residue sums: r[k] = sum of values at positions start+k, start+k+3, ... of a field.
    # A check digit with weights 7-3-1 starting on phase p is then 7r[p]+3r[p+1]+r[p+2].
    n0, n1, n2 = sum(v[0:9:3]), sum(v[1:9:3]), sum(v[2:9:3])
    b0, b1, b2 = sum(v[13:19:3]), sum(v[14:19:3]), sum(v[15:19:3])
    e0, e1, e2 = sum(v[21:27:3]), sum(v[22:27:3]), sum(v[23:27:3])
    o0, o1, o2 = sum(v[28:42:3]), sum(v[29:42:3]), sum(v[30:42:3])
    digit = _DIGIT_OF
    if (digit[(7 * n0 + 3 * n1 + n2) % 10] != l2[9]
            or digit[(7 * b0 + 3 * b1 + b2) % 10] != l2[19]
            or digit[(7 * e0 + 3 * e1 + e2) % 10] != l2[27]):
        return None
    # Composite over [0:10] + [13:20] + [21:43]: the second part starts on weight 3 and the
    # third on weight 1 (their offsets in the composite string are 10 and 17).
    composite = (7 * n0 + 3 * n1 + n2 + 7 * v[9]
                 + 3 * b0 + b1 + 7 * b2 + 3 * v[19]
                 + e0 + 7 * e1 + 3 * e2 + v[27]
                 + 7 * o0 + 3 * o1 + o2 + v[42])
    if digit[composite % 10] != l2[43]:
        return None
    optional_cd = l2[42]
    optional = l2[28:42]
    if optional_cd == "<":
        if optional != "<<<<<<<<<<<<<<":
            return None
    elif digit[(7 * o0 + 3 * o1 + o2) % 10] != optional_cd:
        return None
    birth, expiry = _plain_date(l2[13:19]), _plain_date(l2[21:27])
    if birth is None or expiry is None:
        return None
    text = l1[5:44].rstrip("<")
    cut = text.find("<<")
    # A name field that opens with a filler has no primary identifier: the generic path warns.
    if (cut <= 0 or text[0] == "<" or l1[43] != "<" or "<<" in text[cut + 2:]
            or not _NAME.issuperset(text)):
        return None
    ref = (reference.year, reference.month, reference.day)
    yy, mm, dd = birth
    birth_year = 2000 + yy if (2000 + yy, mm, dd) <= ref else 1900 + yy
    yy, mm, dd = expiry
    expiry_year = 2000 + yy if 2000 + yy <= reference.year + 50 else 1900 + yy
    fields = {
        "document_code": l1[0:2].rstrip("<"),
        "issuing_state": state,
        "surname": text[:cut].replace("<", " ").strip(),
        "given_names": text[cut + 2:].replace("<", " ").strip(),
        "document_number": l2[0:9].rstrip("<"),
        "document_number_check_digit": l2[9],
        "nationality": nationality,
        "birth_date": l2[13:19],
        "birth_date_check_digit": l2[19],
        "sex": sex,
        "expiry_date": l2[21:27],
        "expiry_date_check_digit": l2[27],
        "optional_data": optional.rstrip("<"),
        "optional_data_check_digit": optional_cd,
        "composite_check_digit": l2[43],
    }
    dates: dict[str, str | None] = {
        "birth_date": f"{birth_year:04d}-{l2[15:17]}-{l2[17:19]}",
        "expiry_date": f"{expiry_year:04d}-{l2[23:25]}-{l2[25:27]}",
    }
    return MRZResult("TD3", (l1, l2), fields, dates, dict.fromkeys(_CHECK_NAMES, True),
                     profile=profile)
