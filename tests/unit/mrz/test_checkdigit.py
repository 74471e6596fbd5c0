from __future__ import annotations

import pytest

from admit.mrz import checkdigit


@pytest.mark.parametrize(
    ("data", "digit"),
    [
        ("L898902C3", "6"),  # Doc 9303-4 specimen document number
        ("740812", "2"),  # specimen birth date
        ("120415", "9"),  # specimen expiry date
        ("ZE184226B<<<<<", "1"),  # specimen personal number
        ("D23145890", "7"),  # Doc 9303-5 TD1 specimen
        ("<<<<<<<<<", "0"),  # fillers count as zero
    ],
)
def test_known_check_digits(data: str, digit: str) -> None:
    assert checkdigit.compute(data) == digit
    assert checkdigit.matches(data, digit)


def test_weights_cycle_7_3_1_and_letters_count_from_ten() -> None:
    # A=10 at weight 7 -> 70, B=11 at weight 3 -> 33, C=12 at weight 1 -> 12: 115 -> 5
    assert checkdigit.compute("ABC") == "5"
    assert checkdigit.compute("Z") == str((35 * 7) % 10)


def test_a_character_outside_the_set_is_refused() -> None:
    with pytest.raises(KeyError):
        checkdigit.compute("ab")


def test_a_non_digit_never_matches() -> None:
    assert not checkdigit.matches("L898902C3", "<")
