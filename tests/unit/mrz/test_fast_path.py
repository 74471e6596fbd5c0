"""The TD3 fast path must give exactly what the generic reader gives, and must be taken for
clean passports (otherwise it is dead weight and its bugs hide behind the fallback)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from admit.mrz import parse
from admit.mrz.fast import read_td3
from tests.unit.mrz.strategies import build, mrz_fields

REF = date(2026, 11, 24)


def _generic(lines: list[str]) -> dict[str, object]:
    return parse(lines, format="TD3", reference_date=REF).to_dict()  # format= skips the fast path


@settings(max_examples=400)
@given(mrz_fields("TD3"))
def test_fast_path_is_taken_for_clean_passports_and_agrees(fields: dict[str, Any]) -> None:
    lines = build(fields)
    fast = read_td3(lines[0], lines[1], REF, "strict")
    birth, expiry = fields["birth_date"], fields["expiry_date"]
    if (birth.month, birth.day) != (2, 29) and (expiry.month, expiry.day) != (2, 29):
        assert fast is not None
    if fast is not None:
        assert fast.to_dict() == _generic(lines)


@settings(max_examples=600)
@given(mrz_fields("TD3"), st.integers(0, 87),
       st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"))
def test_fast_path_never_disagrees_on_a_changed_character(fields: dict[str, Any], pos: int,
                                                          char: str) -> None:
    lines = build(fields)
    row, col = divmod(pos, 44)
    lines[row] = lines[row][:col] + char + lines[row][col + 1:]
    fast = read_td3(lines[0], lines[1], REF, "strict")
    if fast is not None:
        assert fast.to_dict() == _generic(lines)
    # The reading `parse` gives (fast or not) is the generic reading of the format it found:
    # a changed document code can make it another format (a `V` makes an MRV-A visa).
    auto = parse(lines, reference_date=REF)
    if auto.format is not None:
        assert auto.to_dict() == parse(lines, format=auto.format, reference_date=REF).to_dict()


def test_a_name_field_opening_with_a_filler_goes_the_generic_way() -> None:
    # Found by the property above: "<SMITH<<JOHN" has no primary identifier, which the fast
    # path did not see, so it left out the generic reading's warning.
    lines = ["P<UTO<ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<",
             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
    assert read_td3(lines[0].replace("<ERIKSSON", "ERIKSSON<"), lines[1], REF,
                    "strict") is not None  # the same passport without the filler is fast
    assert read_td3(lines[0], lines[1], REF, "strict") is None
    warned = {w.code for w in parse(lines, reference_date=REF).warnings}
    assert "name.empty_primary_identifier" in warned
