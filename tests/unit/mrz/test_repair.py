from __future__ import annotations

from datetime import date

from admit.mrz import parse

REF = date(2026, 11, 24)
L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_strict_reading_does_not_repair() -> None:
    result = parse([L1, L2.replace("7408122", "74O8I22")], reference_date=REF)
    assert not result.valid
    assert "date.birth_date" in result.error_codes
    assert result.corrected == []


def test_digit_positions_are_repaired_and_confirmed_by_check_digits() -> None:
    result = parse([L1, L2.replace("7408122", "74O8I22")], repair=True, reference_date=REF)
    assert result.valid
    assert list(result.lines) == [L1, L2]
    assert [(c.column, c.original, c.corrected, c.field, c.verified) for c in result.corrected] == [
        (16, "O", "0", "birth_date", True), (18, "I", "1", "birth_date", True)]


def test_spaces_and_lower_case_are_normalised_and_reported() -> None:
    result = parse([L1.lower(), L2[:10] + "  " + L2[10:]], repair=True, reference_date=REF)
    assert result.valid
    assert "repair.whitespace" in [w.code for w in result.warnings]
    assert result.corrected[0].original == "p" and result.corrected[0].corrected == "P"


def test_alphanumeric_position_is_changed_only_when_check_digits_single_it_out() -> None:
    # Document number L898902C3 read as L8989O2C3 (0 -> O) in a field that allows both.
    result = parse([L1, L2.replace("L898902C36", "L8989O2C36")], repair=True,
                   reference_date=REF)
    assert result.valid
    fix = [c for c in result.corrected if c.field == "document_number"]
    assert [(f.original, f.corrected, f.verified) for f in fix] == [("O", "0", True)]
    assert "repair.alphanumeric" in [w.code for w in result.warnings]


def test_two_equally_small_repairs_are_an_error_not_a_guess() -> None:
    # Document number 1O0B5S2Z0 (every character confusable) with its first 1 read as I:
    # several single swaps satisfy the number's check digit and the composite alike.
    l1 = "P<UTOERIKSSON<<ANNA".ljust(44, "<")
    l2 = "IO0B5S2Z08UTO7408122F1204159<<<<<<<<<<<<<<<4"
    result = parse([l1, l2], repair=True, reference_date=REF)
    assert not result.valid
    assert "repair.ambiguous" in result.error_codes
    assert list(result.lines) == [l1, l2]  # nothing was applied
    assert result.corrected == []


def test_a_repair_no_check_digit_covers_is_flagged() -> None:
    result = parse([L1.replace("ERIKSSON", "ERIK5SON"), L2], repair=True, reference_date=REF)
    assert result.valid
    assert result.fields["surname"] == "ERIKSSON"
    assert [(c.field, c.verified) for c in result.corrected] == [("name", False)]
    assert "repair.unverified" in [w.code for w in result.warnings]


def test_a_genuine_wrong_digit_is_not_repaired() -> None:
    result = parse([L1, L2[:9] + "7" + L2[10:]], repair=True, reference_date=REF)
    assert not result.valid
    assert "check_digit.document_number" in result.error_codes
