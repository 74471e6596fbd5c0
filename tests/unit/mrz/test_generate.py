from __future__ import annotations

from datetime import date

import pytest

from admit.errors import InputError
from admit.mrz import parse
from admit.mrz.generate import generate
from admit.mrz.transliterate import transliterate


def test_generates_the_icao_td3_specimen_exactly() -> None:
    lines = generate("TD3", document_code="P", issuing_state="UTO", surname="Eriksson",
                     given_names="Anna María", document_number="L898902C3", nationality="UTO",
                     birth_date=date(1974, 8, 12), sex="F", expiry_date=date(2012, 4, 15),
                     optional_data="ZE184226B")
    assert lines == ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def test_generates_the_icao_td1_specimen_exactly() -> None:
    lines = generate("TD1", document_code="I", issuing_state="UTO", surname="ERIKSSON",
                     given_names="ANNA MARIA", document_number="D23145890", nationality="UTO",
                     birth_date="740812", sex="F", expiry_date="120415")
    assert lines == ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                     "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


def test_long_number_uses_the_overflow_rule_with_a_trailing_filler() -> None:
    lines = generate("TD1", document_code="ID", issuing_state="UTO", surname="A",
                     given_names="B", document_number="D23145890734", nationality="UTO",
                     birth_date="340712", sex="M", expiry_date="950712", optional_data="XY")
    assert lines[0].startswith("IDUTOD23145890<7349<XY")
    result = parse(lines, reference_date=date(2026, 1, 1))
    assert result.valid and result.fields["document_number"] == "D23145890734"


@pytest.mark.parametrize(("name", "mrz"), [
    ("Müller", "MUELLER"), ("Ångström", "AANGSTROEM"), ("Ærøskøbing", "AEROESKOEBING"),
    ("Þór", "THOR"), ("Straße", "STRASSE"), ("Łódź", "LODZ"), ("Çelik", "CELIK"),
    ("Peña", "PENA"), ("O'Brien-Smith", "OBRIEN<SMITH"), ("Иванова", "IVANOVA"),
    ("Щукин", "SHCHUKIN"), ("Юлия", "IULIIA"),
])
def test_transliteration_follows_doc_9303_part_3_section_6(name: str, mrz: str) -> None:
    assert transliterate(name) == mrz


def test_a_character_without_transliteration_is_refused() -> None:
    with pytest.raises(InputError, match="surname"):
        transliterate("王", "surname")


@pytest.mark.parametrize(("field", "kwargs"), [
    ("format", {"format": "TD4"}),
    ("issuing_state", {"issuing_state": "ASU"}),
    ("sex", {"sex": "Q"}),
    ("document_number", {"document_number": "ABCDEFGHIJ"}),
    ("birth_date", {"birth_date": "1974-08-12"}),
])
def test_bad_fields_are_refused_by_name(field: str, kwargs: dict[str, str]) -> None:
    base: dict[str, object] = dict(format="TD3", document_code="P", issuing_state="UTO",
                                   surname="A", given_names="B", document_number="X1",
                                   nationality="UTO", birth_date="740812", sex="F",
                                   expiry_date="120415")
    base.update(kwargs)
    fmt = base.pop("format")
    with pytest.raises(InputError) as err:
        generate(fmt, **base)  # type: ignore[arg-type]
    assert err.value.field == field
