"""Trip JSON (docs/design.md, Public contracts) → `admit.model.Trip`, with field-named errors.

Why a module of its own: every interface (CLI, HTTP API, batch, tests) reads trips through this
one parser, so a bad date or code gets the same message everywhere, naming the field path and
the value (`itinerary[0].date: not a date (got '2023-02-30')`). Unknown keys are errors, not
ignored, so a misspelt `untill` cannot silently change a decision. A document given as MRZ text
is read with `admit.mrz`; its text never appears in an error (only the MRZ error codes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from admit import codes
from admit.daterange import check_day
from admit.errors import InputError, MRZError, gather, raise_all
from admit.model import (
    CONVENTION_CLASS,
    Authorization,
    AuthorizationType,
    Document,
    DocumentType,
    Leg,
    Purpose,
    Stay,
    Traveller,
    Trip,
)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOCUMENT_KEYS = ("type", "issuer", "number", "issued", "expires", "nationality")
# With MRZ text the MRZ gives issuer, number, expiry and nationality; only what it cannot say
# (the issue date) or what it says ambiguously (the type) may be added beside it.
_MRZ_DOCUMENT_KEYS = ("mrz", "type", "issued")


def _each(found: list[InputError], items: list[Any], path: str,
          read: Callable[[Any, str], T]) -> tuple[T, ...]:
    """The items that read, the problems of the others added to `found`: each item is read
    even when an earlier one was wrong, so one answer names every wrong field."""
    read_ = (gather(found, partial(read, item, f"{path}[{i}]")) for i, item in enumerate(items))
    return tuple(value for value in read_ if value is not None)


def parse_trip(obj: object, *, extra_codes: frozenset[str] = frozenset()) -> Trip:
    known: Callable[[str], bool] = lambda code: codes.is_known(code) or code in extra_codes  # noqa: E731
    top = _mapping(obj, "trip", ("traveller", "itinerary"), ("traveller", "itinerary"))
    legs_raw = _list(top["itinerary"], "itinerary")
    if not legs_raw:
        raise InputError("itinerary", legs_raw, "must list at least one leg")
    found: list[InputError] = []
    legs = [gather(found, partial(_leg, raw, f"itinerary[{i}]", known))
            for i, raw in enumerate(legs_raw)]
    traveller = None
    if legs[0] is not None:
        # The traveller's MRZ dates are read against the first leg's date: without it they
        # could be misread, so the traveller is only checked once that leg reads.
        first = legs[0].date
        traveller = gather(found, lambda: _traveller(top["traveller"], first, known))
    raise_all(found)
    assert traveller is not None  # every leg and the traveller read, or raise_all raised
    return Trip(traveller=traveller, itinerary=tuple(leg for leg in legs if leg is not None))


def _traveller(obj: object, reference: date, known: Callable[[str], bool]) -> Traveller:
    path = "traveller"
    raw = _mapping(obj, path, ("nationalities", "birth_date", "documents", "authorizations",
                               "stays"), ())
    found: list[InputError] = []
    declared = _each(found, _list(raw.get("nationalities", []), f"{path}.nationalities"),
                     f"{path}.nationalities", lambda v, p: read_code(v, p, known))
    documents = _each(found, _list(raw.get("documents", []), f"{path}.documents"),
                      f"{path}.documents", lambda v, p: _document(v, p, reference, known))
    authorizations = _each(found, _list(raw.get("authorizations", []), f"{path}.authorizations"),
                           f"{path}.authorizations", lambda v, p: _authorization(v, p, known))
    stays = _each(found, _list(raw.get("stays", []), f"{path}.stays"), f"{path}.stays",
                  lambda v, p: _stay(v, p, known))
    raise_all(found)
    nationalities = list(dict.fromkeys(declared))
    for document in documents:
        if document.nationality not in nationalities:
            nationalities.append(document.nationality)
    if not nationalities:
        raise InputError(f"{path}.nationalities", [], "give a nationality or a document")
    birth = _opt_date(raw.get("birth_date"), f"{path}.birth_date")
    if birth is None:
        birth = next((d.birth_date for d in documents if d.birth_date is not None), None)
    return Traveller(nationalities=tuple(nationalities), documents=documents,
                     authorizations=authorizations, stays=stays, birth_date=birth)


def _document(obj: object, path: str, reference: date, known: Callable[[str], bool]) -> Document:
    if isinstance(obj, Mapping) and "mrz" in obj:
        raw = _mapping(obj, path, _MRZ_DOCUMENT_KEYS, ("mrz",))
        return _mrz_document(raw, path, reference)
    raw = _mapping(obj, path, _DOCUMENT_KEYS, ("type", "issuer"))
    kind = _enum(raw["type"], f"{path}.type", DocumentType)
    issuer = read_code(raw["issuer"], f"{path}.issuer", known)
    nationality = (read_code(raw["nationality"], f"{path}.nationality", known)
                   if "nationality" in raw else CONVENTION_CLASS.get(kind, issuer))
    number = raw.get("number")
    if number is not None and not isinstance(number, str):
        raise InputError(f"{path}.number", number, "must be a string")
    issued = _opt_date(raw.get("issued"), f"{path}.issued")
    expires = _opt_date(raw.get("expires"), f"{path}.expires")
    if issued is not None and expires is not None and expires < issued:
        raise InputError(f"{path}.expires", expires.isoformat(),
                         f"is before the issue date {issued.isoformat()}")
    return Document(type=kind, issuer=issuer, nationality=nationality, number=number,
                    issued=issued, expires=expires)


def _mrz_document(raw: Mapping[str, Any], path: str, reference: date) -> Document:
    from admit.mrz import parse as parse_mrz  # deferred: only documents given as MRZ need it

    text = raw["mrz"]
    field_path = f"{path}.mrz"
    if not (isinstance(text, str) or (isinstance(text, list)
                                      and all(isinstance(x, str) for x in text))):
        raise InputError(field_path, type(text).__name__, "must be a string or a list of lines")
    try:
        result = parse_mrz(text, reference_date=reference)
    except MRZError as exc:
        raise InputError(field_path, "(MRZ text withheld)",
                         f"cannot be read: {exc.reason}") from None
    if not result.valid:
        raise InputError(field_path, result.error_codes, "not a valid MRZ")
    fields = result.fields
    given = raw.get("type")
    kind = (_enum(given, f"{path}.type", DocumentType) if given is not None
            else _mrz_type(result.format, fields.get("document_code", ""),
                           fields.get("nationality", ""), field_path))
    issuer = codes.state_of(codes.normalize(fields.get("issuing_state", "")))
    if result.format == "FRENCH_ID":
        issuer = issuer or "FRA"
    nationality = codes.state_of(codes.normalize(fields.get("nationality", ""))) or issuer
    if kind in CONVENTION_CLASS and nationality not in codes.STATELESS_OR_REFUGEE:
        nationality = CONVENTION_CLASS[kind]
    expiry = result.dates.get("expiry_date")
    birth = result.dates.get("birth_date")
    return Document(type=kind, issuer=issuer, nationality=nationality,
                    number=fields.get("document_number") or None,
                    issued=_opt_date(raw.get("issued"), f"{path}.issued"),
                    expires=date.fromisoformat(expiry) if expiry else None,
                    birth_date=date.fromisoformat(birth) if birth else None, from_mrz=True)


def _mrz_type(fmt: str, code: str, nationality: str, path: str) -> DocumentType:
    """The document type an MRZ's format and document code stand for (Doc 9303 parts 4-5)."""
    if fmt in ("MRVA", "MRVB") or code.startswith("V"):
        raise InputError(path, fmt, "is a visa, not a travel document: list it under "
                         "traveller.authorizations")
    if fmt == "FRENCH_ID" or code.startswith("I"):
        return DocumentType.NATIONAL_ID
    if code.startswith("P"):
        if nationality in ("XXB", "XXC"):
            return DocumentType.REFUGEE_TRAVEL_DOCUMENT
        if nationality == "XXA":
            return DocumentType.STATELESS_TRAVEL_DOCUMENT
        return {"PD": DocumentType.DIPLOMATIC_PASSPORT, "PO": DocumentType.SERVICE_PASSPORT,
                "PS": DocumentType.SERVICE_PASSPORT}.get(code, DocumentType.PASSPORT)
    raise InputError(f"{path}", code, "document code names no travel document type admit "
                     "knows; give `type` beside `mrz`")


def _authorization(obj: object, path: str, known: Callable[[str], bool]) -> Authorization:
    raw = _mapping(obj, path, ("type", "issuer", "category", "valid_from", "expires"),
                   ("type", "issuer"))
    category = raw.get("category")
    if category is not None and not isinstance(category, str):
        raise InputError(f"{path}.category", category, "must be a string")
    valid_from = _opt_date(raw.get("valid_from"), f"{path}.valid_from")
    expires = _opt_date(raw.get("expires"), f"{path}.expires")
    if valid_from is not None and expires is not None and expires < valid_from:
        raise InputError(f"{path}.expires", expires.isoformat(),
                         f"is before valid_from {valid_from.isoformat()}")
    return Authorization(type=_enum(raw["type"], f"{path}.type", AuthorizationType),
                         issuer=read_code(raw["issuer"], f"{path}.issuer", known),
                         category=category, valid_from=valid_from, expires=expires)


def _stay(obj: object, path: str, known: Callable[[str], bool]) -> Stay:
    raw = _mapping(obj, path, ("country", "entered", "left"), ("country", "entered", "left"))
    entered = read_date(raw["entered"], f"{path}.entered")
    left = read_date(raw["left"], f"{path}.left")
    if left < entered:
        raise InputError(f"{path}.left", left.isoformat(),
                         f"is before the entry date {entered.isoformat()}")
    return Stay(country=read_code(raw["country"], f"{path}.country", known), entered=entered,
                left=left)


def _leg(obj: object, path: str, known: Callable[[str], bool]) -> Leg:
    raw = _mapping(obj, path, ("from", "to", "date", "until", "transit", "purpose"),
                   ("from", "to", "date"))
    day = read_date(raw["date"], f"{path}.date")
    until = _opt_date(raw.get("until"), f"{path}.until")
    if until is not None and until < day:
        raise InputError(f"{path}.until", until.isoformat(),
                         f"is before the leg's date {day.isoformat()}")
    transit = raw.get("transit", False)
    if not isinstance(transit, bool):
        raise InputError(f"{path}.transit", transit, "must be true or false")
    purpose = raw.get("purpose")
    return Leg(origin=read_code(raw["from"], f"{path}.from", known),
               to=read_code(raw["to"], f"{path}.to", known), date=day, until=until, transit=transit,
               purpose=None if purpose is None else _enum(purpose, f"{path}.purpose", Purpose))


def _mapping(obj: object, path: str, allowed: tuple[str, ...],
             required: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise InputError(path, obj, "must be an object")
    for key in obj:
        if key not in allowed:
            raise InputError(f"{path}.{key}" if path != "trip" else str(key), key,
                             f"unknown field; expected one of: {', '.join(allowed)}")
    for key in required:
        if key not in obj:
            raise InputError(f"{path}.{key}" if path != "trip" else key, None, "is required")
    return obj


def _list(obj: object, path: str) -> list[Any]:
    if not isinstance(obj, list):
        raise InputError(path, obj, "must be a list")
    return obj


def read_date(obj: object, path: str) -> date:
    """A trip date as the contract reads it (public: manifest screening types cells with it)."""
    if isinstance(obj, date):
        return check_day(path, obj)
    if not isinstance(obj, str) or not ISO_DATE.fullmatch(obj):
        raise InputError(path, obj, "not a date in the form YYYY-MM-DD")
    try:
        value = date.fromisoformat(obj)
    except ValueError:
        raise InputError(path, obj, "not a date") from None
    return check_day(path, value)


def _opt_date(obj: object, path: str) -> date | None:
    return None if obj is None else read_date(obj, path)


def read_code(obj: object, path: str, known: Callable[[str], bool]) -> str:
    if not isinstance(obj, str):
        raise InputError(path, obj, "must be a country code")
    code = codes.normalize(obj)
    if not known(code):
        raise InputError(path, obj, "unknown country code (ICAO Doc 9303 codes, e.g. 'DEU')")
    return codes.state_of(code)


def _enum(obj: object, path: str, kind: type[E]) -> E:
    try:
        return kind(obj)  # type: ignore[arg-type]  # any JSON value; a wrong one raises
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InputError(path, obj, f"expected one of: {choices}") from None
