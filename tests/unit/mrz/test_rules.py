"""One test per Doc 9303 rule the reader enforces, on the ICAO specimens and small mutations."""

from __future__ import annotations

from datetime import date

import pytest

from admit.errors import MRZError
from admit.mrz import checkdigit, parse

REF = date(2026, 11, 24)
TD3_L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


def with_composite(line2: str) -> str:
    """Recompute a TD3 line 2's composite digit so only the intended defect remains."""
    body = line2[:43]
    return body + checkdigit.compute(body[0:10] + body[13:20] + body[21:43])


def td1_with_composite(lines: list[str]) -> list[str]:
    l1, l2 = lines[0], lines[1]
    digit = checkdigit.compute(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
    return [l1, l2[:29] + digit, lines[2]]


def codes_of(lines: list[str] | str, **kw: object) -> list[str]:
    return parse(lines, reference_date=REF, **kw).error_codes  # type: ignore[arg-type]


def test_specimen_is_valid_and_dates_resolve_against_the_reference() -> None:
    result = parse([TD3_L1, TD3_L2], reference_date=REF)
    assert result.valid
    assert result.dates == {"birth_date": "1974-08-12", "expiry_date": "2012-04-15"}


def test_century_of_a_birth_date_is_never_after_the_reference() -> None:
    line = with_composite(TD3_L2[:13] + "2508120" + TD3_L2[20:])
    line = line[:19] + checkdigit.compute("250812") + line[20:]
    line = with_composite(line)
    assert parse([TD3_L1, line], reference_date=date(2026, 1, 1)).dates["birth_date"] == (
        "2025-08-12")
    assert parse([TD3_L1, line], reference_date=date(2025, 1, 1)).dates["birth_date"] == (
        "1925-08-12")


def test_validity_never_depends_on_the_reference_date() -> None:
    for ref in (date(1990, 1, 1), date(2026, 11, 24), date(2090, 1, 1)):
        assert parse([TD3_L1, TD3_L2], reference_date=ref).valid


@pytest.mark.parametrize(("code", "ok"), [("P<", True), ("PD", True), ("I<", False),
                                          ("V<", False)])
def test_td3_document_code_starts_with_p(code: str, ok: bool) -> None:
    lines = [code + TD3_L1[2:], TD3_L2]
    assert ("document_code" not in codes_of(lines, format="TD3")) is ok


@pytest.mark.parametrize(("code", "error", "warning"), [
    ("I<", False, None), ("ID", False, None), ("A<", False, None), ("C<", False, None),
    ("IV", True, None), ("AI", True, None), ("P<", True, None),
    ("AC", False, "document_code.crew_certificate"),
])
def test_td1_document_codes(code: str, error: bool, warning: str | None) -> None:
    result = parse([code + TD1[0][2:], TD1[1], TD1[2]], reference_date=REF)
    assert ("document_code" in result.error_codes) is error
    if warning:
        assert warning in [w.code for w in result.warnings]


def test_sex_x_is_an_error_in_strict_and_a_warning_in_lenient() -> None:
    line = with_composite(TD3_L2[:20] + "X" + TD3_L2[21:])
    assert "sex" in codes_of([TD3_L1, line])
    lenient = parse([TD3_L1, line], profile="lenient", reference_date=REF)
    assert lenient.valid
    assert "sex.x" in [w.code for w in lenient.warnings]


def test_sex_filler_is_allowed() -> None:
    assert parse([TD3_L1, with_composite(TD3_L2[:20] + "<" + TD3_L2[21:])],
                 reference_date=REF).valid


@pytest.mark.parametrize(("birth", "ok"), [
    ("000229", True),  # 2000 is a leap year
    ("010229", False),  # 29 February exists in neither 1901 nor 2001
    ("741301", False), ("740800", False), ("740431", False),
    ("74<<<<", True), ("<<<<<<", True), ("7408<<", True), ("74<<12", True),  # unknown parts
    ("7413<<", False), ("74<<32", False),
])
def test_birth_dates(birth: str, ok: bool) -> None:
    line = TD3_L2[:13] + birth + checkdigit.compute(birth) + TD3_L2[20:]
    result = parse([TD3_L1, with_composite(line)], reference_date=REF)
    assert ("date.birth_date" not in result.error_codes) is ok
    if ok and "<" in birth:
        assert result.dates["birth_date"] is None
        assert result.fields["birth_date"] == birth


def test_unknown_expiry_parts_are_not_allowed() -> None:
    line = TD3_L2[:21] + "12<<<<" + checkdigit.compute("12<<<<") + TD3_L2[28:]
    assert "date.expiry_date" in codes_of([TD3_L1, with_composite(line)])


@pytest.mark.parametrize(("state", "ok"), [("UTO", True), ("D<<", True), ("GBN", True),
                                           ("XXA", True), ("EUE", True), ("RKS", True),
                                           ("ASU", False), ("SUN", False), ("DE<", False)])
def test_issuing_state_codes(state: str, ok: bool) -> None:
    assert ("code.issuing_state" not in codes_of([TD3_L1[:2] + state + TD3_L1[5:], TD3_L2])) is ok


def test_withdrawn_code_is_a_warning_in_lenient() -> None:
    result = parse([TD3_L1[:2] + "SUN" + TD3_L1[5:], TD3_L2], profile="lenient",
                   reference_date=REF)
    assert result.valid
    assert "code.issuing_state.withdrawn" in [w.code for w in result.warnings]


def test_nationality_code_is_checked_too() -> None:
    assert "code.nationality" in codes_of([TD3_L1, TD3_L2[:10] + "ASU" + TD3_L2[13:]])


def test_td3_empty_personal_number_takes_zero_or_filler() -> None:
    empty = TD3_L2[:28] + "<" * 14
    assert parse([TD3_L1, with_composite(empty + "<0")], reference_date=REF).valid
    assert parse([TD3_L1, with_composite(empty + "0<")], reference_date=REF).valid
    assert "check_digit.optional_data" in codes_of([TD3_L1, with_composite(empty + "1<")])


def test_each_check_digit_is_reported_at_its_position() -> None:
    result = parse([TD3_L1, TD3_L2[:9] + "7" + TD3_L2[10:]], reference_date=REF)
    positions = {(e.code, e.line, e.column) for e in result.errors}
    assert ("check_digit.document_number", 2, 10) in positions
    assert ("check_digit.composite", 2, 44) in positions
    assert result.checks["document_number"] is False


def test_long_document_number_accepts_both_check_digit_conventions() -> None:
    number = "D2314589012"
    without = checkdigit.compute(number)
    with_filler = checkdigit.compute("D23145890<12")
    assert without != with_filler  # the two conventions differ for this number
    for digit in (without, with_filler):
        l1 = f"I<UTOD23145890<12{digit}".ljust(30, "<")
        lines = td1_with_composite([l1, TD1[1], TD1[2]])
        result = parse(lines, reference_date=REF)
        assert result.valid, result.error_codes
        assert result.fields["document_number"] == number
        assert result.fields["document_number_check_digit"] == digit


def test_long_document_number_without_tail_fails() -> None:
    l1 = "I<UTOD23145890<".ljust(30, "<")
    assert "check_digit.document_number" in codes_of(td1_with_composite([l1, TD1[1], TD1[2]]))


def test_td1_gives_optional_data_under_both_names() -> None:
    fields = parse(TD1, reference_date=REF).fields
    assert fields["optional_data"] == fields["optional_data_1"] == ""
    assert fields["optional_data_2"] == ""


@pytest.mark.parametrize(("name", "warning"), [
    ("<<ANNA", "name.empty_primary_identifier"),
    ("ERIKSSON", "name.single_identifier"),
    ("ERIKSSON<<ANNA<<MARIA", "name.extra_separator"),
    ("ERIKSS0N<<ANNA", "name.contains_digits"),
])
def test_name_oddities_are_warnings(name: str, warning: str) -> None:
    result = parse([("P<UTO" + name).ljust(44, "<"), TD3_L2], reference_date=REF)
    assert result.valid
    assert warning in [w.code for w in result.warnings]


def test_a_full_name_field_may_be_truncated() -> None:
    result = parse([("P<UTO" + "ERIKSSON<<" + "A" * 40)[:44], TD3_L2], reference_date=REF)
    assert "name.possibly_truncated" in [w.code for w in result.warnings]


def test_names_split_into_surname_and_given_names() -> None:
    fields = parse(["P<UTOVAN<DER<BERG<<ANNA<MARIA".ljust(44, "<"), TD3_L2],
                   reference_date=REF).fields
    assert (fields["surname"], fields["given_names"]) == ("VAN DER BERG", "ANNA MARIA")


def test_structure_errors_name_the_line() -> None:
    result = parse([TD3_L1, TD3_L2 + "<"], reference_date=REF)
    assert [(e.code, e.line) for e in result.errors] == [("structure.line_length", 2)]
    assert result.fields == {}
    result = parse([TD3_L1, TD3_L2.replace("L", "l", 1)], reference_date=REF)
    assert ("structure.charset", 2, 1) in {(e.code, e.line, e.column) for e in result.errors}


def test_lenient_profile_mends_only_fillers_of_name_lines() -> None:
    short = TD3_L1[:-2]
    assert "structure.line_length" in codes_of([short, TD3_L2])
    mended = parse([short, TD3_L2], profile="lenient", reference_date=REF)
    assert mended.valid and "structure.padded" in [w.code for w in mended.warnings]
    assert not parse([TD3_L1, TD3_L2[:-1]], profile="lenient", reference_date=REF).valid


def test_format_detection_and_override() -> None:
    assert parse([TD3_L1, TD3_L2], reference_date=REF).format == "TD3"
    assert parse(TD1, reference_date=REF).format == "TD1"
    assert parse(["V" + TD3_L1[1:], TD3_L2], reference_date=REF).format == "MRVA"
    forced = parse([TD3_L1, TD3_L2], format="MRVA", reference_date=REF)
    assert forced.format == "MRVA" and "document_code" in forced.error_codes
    unknown = parse(["ABC", "DEF", "GHI", "JKL"], reference_date=REF)
    assert unknown.format == "UNKNOWN" and unknown.error_codes == ["structure.format_unknown"]


def test_text_with_surrounding_blank_lines_and_crlf() -> None:
    assert parse(f"\r\n  {TD3_L1}\r\n{TD3_L2}  \r\n\n", reference_date=REF).valid


@pytest.mark.parametrize("bad", ["", "   \n  ", "A" * 500])
def test_unreadable_input_raises_the_typed_error(bad: str) -> None:
    with pytest.raises(MRZError):
        parse(bad, reference_date=REF)


def test_unknown_profile_or_format_is_an_input_error() -> None:
    with pytest.raises(MRZError, match="profile"):
        parse([TD3_L1, TD3_L2], profile="loose")
    with pytest.raises(MRZError, match="format"):
        parse([TD3_L1, TD3_L2], format="TD4")


def test_to_dict_is_the_contract_shape() -> None:
    out = parse([TD3_L1, TD3_L2[:43] + "9"], reference_date=REF).to_dict()
    assert set(out) >= {"format", "valid", "fields", "dates", "checks", "errors", "warnings",
                        "corrected"}
    assert out["errors"] == [{"code": "check_digit.composite", "line": 2, "column": 44,
                              "message": "The composite check digit does not match."}]


@pytest.mark.parametrize(("lines", "fmt"), [
    ([TD3_L1], "TD3"),
    (TD1[:2], "TD1"),
    (["I<UTOSTEVENSON<<PETER<<<<<<<<<<<<<<<"], "TD2"),
    (["V" + TD3_L1[1:]], "MRVA"),
])
def test_a_missing_line_is_reported_against_the_format_meant(lines: list[str], fmt: str) -> None:
    result = parse(lines, reference_date=REF)
    assert result.format == fmt
    assert result.error_codes == ["structure.line_count"]
