"""Trip JSON parsing: the DESIGN example, documents given as MRZ, and every kind of bad input
named by its field path and value."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from admit.errors import InputError
from admit.model import AuthorizationType, DocumentType, Purpose, Trip
from admit.mrz.generate import generate

SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
DESIGN_TRIP: dict[str, Any] = {
    "traveller": {
        "nationalities": ["RUS"],
        "birth_date": "1975-05-01",
        "documents": [
            {"type": "passport", "issuer": "RUS", "number": "751234567",
             "issued": "2013-02-20", "expires": "2023-02-20"},
            {"type": "internal_passport", "issuer": "RUS"},
            {"mrz": SPECIMEN},
        ],
        "authorizations": [
            {"type": "visa", "issuer": "USA", "category": "B1/B2", "valid_from": "2022-01-01",
             "expires": "2032-01-01"},
            {"type": "residence_permit", "issuer": "DEU", "expires": "2027-06-30"},
        ],
        "stays": [{"country": "KAZ", "entered": "2022-09-25", "left": "2022-12-20"}],
    },
    "itinerary": [
        {"from": "KAZ", "to": "MNG", "date": "2023-02-27", "until": "2023-03-20",
         "transit": False, "purpose": "tourism"},
    ],
}


def mrz(**overrides: Any) -> str:
    fields: dict[str, Any] = {
        "document_code": "P", "issuing_state": "UTO", "surname": "ERIKSSON",
        "given_names": "ANNA", "document_number": "L898902C", "nationality": "UTO",
        "birth_date": date(1974, 8, 12), "sex": "F", "expiry_date": date(2030, 4, 15)}
    fields.update(overrides)
    fmt = fields.pop("format", "TD3")
    return "\n".join(generate(fmt, **fields))


def trip_with_document(document: dict[str, Any]) -> dict[str, Any]:
    return {"traveller": {"documents": [document]},
            "itinerary": [{"from": "KAZ", "to": "MNG", "date": "2023-02-27"}]}


def test_design_example_parses() -> None:
    trip = Trip.from_json(DESIGN_TRIP)
    traveller = trip.traveller
    assert traveller.nationalities == ("RUS", "UTO")  # the MRZ proves a second one
    assert traveller.birth_date == date(1975, 5, 1)
    passport, internal, specimen = traveller.documents
    assert (passport.type, passport.expires, passport.number) == (
        DocumentType.PASSPORT, date(2023, 2, 20), "751234567")
    assert internal.type is DocumentType.INTERNAL_PASSPORT and internal.expires is None
    assert (specimen.type, specimen.issuer, specimen.nationality, specimen.expires) == (
        DocumentType.PASSPORT, "UTO", "UTO", date(2012, 4, 15))
    assert specimen.from_mrz and specimen.number == "L898902C3"
    assert specimen.birth_date == date(1974, 8, 12)
    assert [a.type for a in traveller.authorizations] == [AuthorizationType.VISA,
                                                          AuthorizationType.RESIDENCE_PERMIT]
    assert traveller.stays[0].left == date(2022, 12, 20)
    (leg,) = trip.itinerary
    assert (leg.origin, leg.to, leg.until, leg.purpose) == (
        "KAZ", "MNG", date(2023, 3, 20), Purpose.TOURISM)


def test_mrz_fills_birth_date_and_nationalities() -> None:
    trip = Trip.from_json(trip_with_document({"mrz": SPECIMEN.split("\n")}))
    assert trip.traveller.nationalities == ("UTO",)
    assert trip.traveller.birth_date == date(1974, 8, 12)


@pytest.mark.parametrize(("fields", "kind", "issuer", "nationality"), [
    ({"document_code": "PD"}, DocumentType.DIPLOMATIC_PASSPORT, "UTO", "UTO"),
    ({"document_code": "PO"}, DocumentType.SERVICE_PASSPORT, "UTO", "UTO"),
    ({"issuing_state": "D", "nationality": "D"}, DocumentType.PASSPORT, "DEU", "DEU"),
    ({"issuing_state": "DEU", "nationality": "XXB"}, DocumentType.REFUGEE_TRAVEL_DOCUMENT,
     "DEU", "XXB"),
    ({"issuing_state": "DEU", "nationality": "XXA"}, DocumentType.STATELESS_TRAVEL_DOCUMENT,
     "DEU", "XXA"),
    ({"format": "TD1", "document_code": "I"}, DocumentType.NATIONAL_ID, "UTO", "UTO"),
])
def test_mrz_document_types(fields: dict[str, Any], kind: DocumentType, issuer: str,
                            nationality: str) -> None:
    (document,) = Trip.from_json(trip_with_document({"mrz": mrz(**fields)})).traveller.documents
    assert (document.type, document.issuer, document.nationality) == (kind, issuer, nationality)


def test_mrz_with_explicit_type_and_issue_date() -> None:
    (document,) = Trip.from_json(trip_with_document(
        {"mrz": mrz(), "type": "emergency_travel_document", "issued": "2020-04-15"}
    )).traveller.documents
    assert document.type is DocumentType.EMERGENCY_TRAVEL_DOCUMENT
    assert document.issued == date(2020, 4, 15)


def test_invalid_mrz_names_field_and_codes_but_not_text() -> None:
    broken = SPECIMEN[:-1] + "9"  # the composite check digit
    with pytest.raises(InputError) as info:
        Trip.from_json(trip_with_document({"mrz": broken}))
    message = str(info.value)
    assert info.value.field == "traveller.documents[0].mrz"
    assert "check_digit.composite" in message
    assert "ERIKSSON" not in message and "L898902C" not in message


def test_unreadable_mrz_withholds_text() -> None:
    with pytest.raises(InputError) as info:
        Trip.from_json(trip_with_document({"mrz": "ERIKSSON@@@"}))
    assert info.value.field == "traveller.documents[0].mrz"
    assert "ERIKSSON" not in str(info.value)


def test_visa_mrz_is_not_a_travel_document() -> None:
    visa = mrz(format="MRVA", document_code="V")
    with pytest.raises(InputError, match=r"traveller.documents\[0\].mrz: is a visa"):
        Trip.from_json(trip_with_document({"mrz": visa}))


def mutate(path: list[Any], value: Any) -> dict[str, Any]:
    trip = copy.deepcopy(DESIGN_TRIP)
    node: Any = trip
    for step in path[:-1]:
        node = node[step]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return trip


@pytest.mark.parametrize(("path", "value", "message"), [
    (["itinerary", 0, "date"], "2023-02-30",
     "itinerary[0].date: not a date (got '2023-02-30')"),
    (["itinerary", 0, "date"], "27.02.2023", "itinerary[0].date: not a date in the form"),
    (["itinerary", 0, "until"], "2023-02-01",
     "itinerary[0].until: is before the leg's date 2023-02-27 (got '2023-02-01')"),
    (["itinerary", 0, "to"], "XYZ", "itinerary[0].to: unknown country code"),
    (["itinerary", 0, "to"], 12, "itinerary[0].to: must be a country code (got 12)"),
    (["itinerary", 0, "transit"], "no", "itinerary[0].transit: must be true or false"),
    (["itinerary", 0, "purpose"], "holiday", "itinerary[0].purpose: expected one of"),
    (["itinerary", 0, "untill"], "2023-03-20", "itinerary[0].untill: unknown field"),
    (["itinerary", 0, "from"], KeyError, "itinerary[0].from: is required"),
    (["itinerary"], [], "itinerary: must list at least one leg"),
    (["itinerary"], {}, "itinerary: must be a list"),
    (["traveller", "documents", 0, "type"], "passport_card",
     "traveller.documents[0].type: expected one of"),
    (["traveller", "documents", 0, "issuer"], "RU", "traveller.documents[0].issuer: unknown"),
    (["traveller", "documents", 0, "expires"], "2010-01-01",
     "traveller.documents[0].expires: is before the issue date 2013-02-20"),
    (["traveller", "documents", 0, "number"], 751234567,
     "traveller.documents[0].number: must be a string"),
    (["traveller", "documents", 0, "name"], "IVAN", "traveller.documents[0].name: unknown"),
    (["traveller", "documents", 2, "expires"], "2030-01-01",
     "traveller.documents[2].expires: unknown field"),
    (["traveller", "authorizations", 0, "type"], "green_card",
     "traveller.authorizations[0].type: expected one of"),
    (["traveller", "authorizations", 0, "expires"], "2021-01-01",
     "traveller.authorizations[0].expires: is before valid_from 2022-01-01"),
    (["traveller", "stays", 0, "left"], "2022-09-01",
     "traveller.stays[0].left: is before the entry date 2022-09-25"),
    (["traveller", "nationalities", 0], "Russia", "traveller.nationalities[0]: unknown country"),
    (["traveller", "birth_date"], "01/05/1975", "traveller.birth_date: not a date"),
    (["traveller", "name"], "Ivan", "traveller.name: unknown field"),
    (["traveller"], [], "traveller: must be an object"),
    (["traveller", "documents"], [], None),
])
def test_bad_input_names_field_and_value(path: list[Any], value: Any,
                                         message: str | None) -> None:
    obj = mutate(path, value)
    if message is None:  # valid: documents are optional when a nationality is given
        assert Trip.from_json(obj).traveller.documents == ()
        return
    with pytest.raises(InputError) as info:
        Trip.from_json(obj)
    assert message in str(info.value)


def test_top_level_must_be_an_object_with_known_keys() -> None:
    with pytest.raises(InputError, match="trip: must be an object"):
        Trip.from_json([])
    with pytest.raises(InputError, match="version: unknown field"):
        Trip.from_json({**DESIGN_TRIP, "version": 2})
    with pytest.raises(InputError, match="traveller: is required"):
        Trip.from_json({"itinerary": DESIGN_TRIP["itinerary"]})


def test_needs_a_nationality_or_document() -> None:
    with pytest.raises(InputError, match=r"traveller\.nationalities: give a nationality"):
        Trip.from_json({"traveller": {}, "itinerary": DESIGN_TRIP["itinerary"]})


def test_codes_are_normalised() -> None:
    obj = mutate(["traveller", "nationalities"], ["d", "rus"])
    obj["traveller"]["documents"] = [{"type": "passport", "issuer": "D<<"}]
    trip = Trip.from_json(obj)
    assert trip.traveller.nationalities == ("DEU", "RUS")
    assert trip.traveller.documents[0].issuer == "DEU"


def test_refugee_document_stands_for_its_class() -> None:
    trip = Trip.from_json(trip_with_document(
        {"type": "refugee_travel_document", "issuer": "DEU"}))
    assert trip.traveller.nationalities == ("XXB",)


def test_fictional_codes_only_when_declared() -> None:
    obj = mutate(["itinerary", 0, "to"], "ZZA")
    with pytest.raises(InputError, match="unknown country code"):
        Trip.from_json(obj)
    assert Trip.from_json(obj, extra_codes=frozenset({"ZZA"})).itinerary[0].to == "ZZA"


def test_all_problems_are_collected_and_the_message_counts_them() -> None:
    from admit.errors import InputErrors

    trip = {"traveller": {"nationalities": ["XX1", "YY2"],
                          "documents": [{"type": "passport", "issuer": "RUS"},
                                        {"type": "spaceship", "issuer": "RUS"}]},
            "itinerary": [{"from": "RUS", "to": "MNG", "date": "2023-02-27"},
                          {"from": "MNG", "to": "KAZ", "date": "2023-13-01"}]}
    with pytest.raises(InputErrors) as info:
        Trip.from_json(trip)
    fields = [p.field for p in info.value.problems]
    assert fields == ["itinerary[1].date", "traveller.nationalities[0]",
                      "traveller.nationalities[1]", "traveller.documents[1].type"]
    assert info.value.field == "itinerary[1].date"  # it reads as the first
    assert "(and 3 more problems: traveller.nationalities[0]" in str(info.value)


def test_a_bad_first_leg_skips_the_traveller_whose_mrz_dates_depend_on_it() -> None:
    trip = {"traveller": {"nationalities": ["XX1"]},
            "itinerary": [{"from": "RUS", "to": "MNG", "date": "soon"}]}
    with pytest.raises(InputError) as info:
        Trip.from_json(trip)
    assert info.value.field == "itinerary[0].date"
    assert not hasattr(info.value, "problems")
