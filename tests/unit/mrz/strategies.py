"""Hypothesis strategies that build valid MRZs of every generated format."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from admit.mrz.generate import generate

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
STATES = ["UTO", "D", "FRA", "RUS", "KAZ", "MNG", "GBR", "USA", "XXA", "UNO", "GBN", "RKS"]
DOC_CODES = {"TD1": ["I", "ID", "A", "C", "IR"], "TD2": ["I", "ID", "A", "C"],
             "TD3": ["P", "PD", "PO"], "MRVA": ["V", "VI"], "MRVB": ["V", "VC"]}
NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39, "MRVA": 39, "MRVB": 31}
OPTIONAL_WIDTH = {"TD1": 15, "TD2": 7, "TD3": 14, "MRVA": 16, "MRVB": 8}


@st.composite
def mrz_fields(draw: st.DrawFn, fmt: str) -> dict[str, Any]:
    width = NAME_WIDTH[fmt]
    surname = draw(st.text(LETTERS, min_size=1, max_size=(width - 3) // 2))
    given = draw(st.text(LETTERS, min_size=1, max_size=(width - 3) // 2))
    long_numbers = fmt in ("TD1", "TD2")
    number = draw(st.text(ALNUM, min_size=1, max_size=12 if long_numbers else 9))
    spare = OPTIONAL_WIDTH[fmt] - (len(number) - 9 + 2 if len(number) > 9 else 0)
    if spare < 0:
        number = number[:9]
        spare = OPTIONAL_WIDTH[fmt]
    optional = draw(st.text(ALNUM, max_size=max(0, spare - (1 if fmt == "TD2" else 0))))
    return {
        "format": fmt,
        "document_code": draw(st.sampled_from(DOC_CODES[fmt])),
        "issuing_state": draw(st.sampled_from(STATES)),
        "nationality": draw(st.sampled_from(STATES)),
        "surname": surname,
        "given_names": given,
        "document_number": number,
        "birth_date": draw(st.dates(date(1926, 11, 25), date(2026, 11, 24))),  # one century
        "expiry_date": draw(st.dates(date(2000, 1, 1), date(2060, 12, 31))),
        "sex": draw(st.sampled_from("MF<")),
        "optional_data": optional,
        "optional_data_2": draw(st.text(ALNUM, max_size=11)) if fmt == "TD1" else "",
    }


def build(fields: dict[str, Any]) -> list[str]:
    args = dict(fields)
    fmt = args.pop("format")
    return generate(fmt, **args)


any_format = st.sampled_from(["TD1", "TD2", "TD3", "MRVA", "MRVB"])
valid_mrz = any_format.flatmap(mrz_fields)
