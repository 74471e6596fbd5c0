"""The OpenAPI description of the public contracts (docs/design.md), as JSON Schema.

Why written out rather than derived from models: the endpoints read their bodies with the
library's own parsers (see admit.api.jsonio), so the schema is documentation and a generator's
guide (schemathesis, client generators), not a second validator. Writing it as plain JSON Schema
keeps it a readable copy of docs/design.md's shapes, including a key spelt `from`. A test holds each
endpoint's answers to these schemas.
"""

from __future__ import annotations

from typing import Any

from admit.model import AuthorizationType, Code, DocumentType, Purpose, Status
from admit.rules.spec import SOURCE_KINDS

Schema = dict[str, Any]

STATUSES = [s.label for s in Status]
DATE: Schema = {"type": "string", "format": "date", "example": "2023-02-27"}
CODE: Schema = {"$ref": "#/components/schemas/CountryCode"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Schema], required: list[str] | None = None, *,
        closed: bool = True, description: str | None = None) -> Schema:
    out: Schema = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    if closed:
        out["additionalProperties"] = False
    if description:
        out["description"] = description
    return out


def _enum(values: list[str]) -> Schema:
    return {"type": "string", "enum": values}


_REQUESTS: dict[str, Schema] = {
    "Document": obj({
        "type": _enum([t.value for t in DocumentType]), "issuer": CODE,
        "number": {"type": "string"}, "issued": DATE, "expires": DATE, "nationality": CODE,
    }, ["type", "issuer"], description="A travel document. The number is never logged."),
    "MRZDocument": obj({
        "mrz": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "description": "The machine-readable zone, lines separated by newlines."},
        "type": _enum([t.value for t in DocumentType]), "issued": DATE,
    }, ["mrz"], description="A document given as its MRZ; the MRZ gives issuer, number, "
                            "expiry and nationality."),
    "Authorization": obj({
        "type": _enum([t.value for t in AuthorizationType]), "issuer": CODE,
        "category": {"type": "string"}, "valid_from": DATE, "expires": DATE,
    }, ["type", "issuer"]),
    "PastStay": obj({"country": CODE, "entered": DATE, "left": DATE},
                    ["country", "entered", "left"]),
    "Traveller": obj({
        "nationalities": {"type": "array", "items": CODE},
        "birth_date": DATE,
        "documents": {"type": "array", "items": {"anyOf": [ref("Document"),
                                                           ref("MRZDocument")]}},
        "authorizations": {"type": "array", "items": ref("Authorization")},
        "stays": {"type": "array", "items": ref("PastStay")},
    }),
    "Leg": obj({
        "from": CODE, "to": CODE, "date": DATE,
        "until": {**DATE, "description": "Intended departure from that country."},
        "transit": {"type": "boolean", "description": "Only passing through (default false)."},
        "purpose": _enum([p.value for p in Purpose]),
    }, ["from", "to", "date"]),
    "Trip": obj({"traveller": ref("Traveller"),
                 "itinerary": {"type": "array", "items": ref("Leg"), "minItems": 1}},
                ["traveller", "itinerary"], description="docs/design.md's trip (input)."),
    "MRZRequest": obj({
        "mrz": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "example": "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                           "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
        "profile": _enum(["strict", "lenient"]),
        "repair": {"type": "boolean", "default": False},
        "on": {**DATE, "description": "Reference date for two-digit years (default: today)."},
        "format": _enum(["TD1", "TD2", "TD3", "MRVA", "MRVB", "FRENCH_ID", "SWISS_DL",
                         "FRENCH_DL"]),
    }, ["mrz"]),
    "StayRule": obj({
        "window_days": {"type": "integer", "minimum": 1},
        "max_days": {"type": "integer", "minimum": 1},
        "max_continuous_days": {"type": "integer", "minimum": 1},
        "max_continuous_months": {"type": "integer", "minimum": 1},
        "anchor": _enum(["rolling", "first_entry"]),
    }, ["window_days", "max_days"]),
    "StayRequest": obj({
        "rule": ref("StayRule"),
        "stays": {"type": "array", "items": {"anyOf": [
            {"type": "array", "items": DATE, "minItems": 2, "maxItems": 2},
            obj({"entry": DATE, "exit": DATE, "country": CODE,
                 "status": _enum(["short_stay", "residence_permit", "long_stay_visa"])},
                ["entry", "exit"])]}},
        "query_date": DATE, "planned_entry": DATE,
    }, ["rule"], description="Give query_date (control) or planned_entry (planning)."),
}

_FINDING = obj({
    "code": _enum([c.value for c in Code]), "status": _enum(STATUSES),
    "message": {"type": "string"}, "rule": nullable({"type": "string"}),
    "sources": {"type": "array", "items": {"type": "string"}},
}, ["code", "status", "message", "rule", "sources"], closed=False)

_SOURCE = obj({"url": {"type": "string"}, "title": {"type": "string"},
               "kind": {"enum": list(SOURCE_KINDS)}}, ["url", "title"], closed=False)

_RESPONSES: dict[str, Schema] = {
    "Problem": obj({"field": {"type": "string"}, "value": {},
                    "message": {"type": "string"}}, ["field", "message"], closed=False),
    "Problems": obj({"detail": {"type": "array", "items": ref("Problem")}}, ["detail"],
                    closed=False, description="Bad input: each problem names the field "
                                              "and the value."),
    "Finding": _FINDING,
    "LegDecision": obj({
        "country": {"type": "string"}, "date": DATE, "role": _enum(["destination", "transit"]),
        "status": _enum(STATUSES),
        "document": nullable(obj({"type": {"type": "string"}, "issuer": {"type": "string"}},
                                 ["type", "issuer"], closed=False)),
        "max_stay_days": nullable({"type": "integer"}),
        "latest_exit": nullable(DATE),
        "findings": {"type": "array", "items": ref("Finding")},
    }, ["country", "date", "role", "status", "document", "max_stay_days", "findings"],
        closed=False),
    "Decision": obj({
        "status": _enum(STATUSES), "board": {"type": "boolean"},
        "legs": {"type": "array", "items": ref("LegDecision")},
        "data_version": {"type": "string"}, "engine_version": {"type": "string"},
        "as_of": nullable(DATE),
    }, ["status", "board", "legs", "data_version"], closed=False,
        description="docs/design.md's decision (output)."),
    "MRZResult": obj({
        "format": {"type": "string"}, "valid": {"type": "boolean"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        "dates": {"type": "object", "additionalProperties": nullable({"type": "string"})},
        "checks": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "errors": {"type": "array", "items": {"type": "object"}},
        "warnings": {"type": "array", "items": {"type": "object"}},
        "corrected": {"type": "array", "items": {"type": "object"}},
    }, ["format", "valid", "fields", "dates", "checks", "errors", "warnings", "corrected"],
        closed=False),
    "StayResult": obj({
        "mode": _enum(["control", "planning"]), "days_used": {"type": "integer"},
        "days_remaining": {"type": "integer"}, "latest_exit": nullable(DATE),
        "overstay": {"type": "boolean"},
    }, ["days_used", "days_remaining", "latest_exit", "overstay"], closed=False),
    "DestinationStatus": obj({
        "country": {"type": "string"}, "name": {"type": "string"},
        "status": _enum(STATUSES), "board": {"type": "boolean"},
        "code": {"type": "string"}, "reason": {"type": "string"},
        "rule": nullable({"type": "string"}),
        "sources": {"type": "array", "items": {"type": "string"}},
        "max_stay_days": nullable({"type": "integer"}),
        "document": nullable({"type": "object"}),
    }, ["country", "name", "status", "board", "code", "reason", "max_stay_days"],
        closed=False),
    "Destinations": obj({
        "date": DATE, "origin": nullable({"type": "string"}),
        "nationalities": {"type": "array", "items": {"type": "string"}},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "destinations": {"type": "array", "items": ref("DestinationStatus")},
        "data_version": {"type": "string"}, "engine_version": {"type": "string"},
    }, ["date", "destinations", "data_version"], closed=False),
    "CountrySummary": obj({
        "code": {"type": "string"}, "name": {"type": "string"}, "verified": DATE,
        "policies": {"type": "array", "items": {"type": "string"}},
        "rules": {"type": "integer"},
    }, ["code", "name", "verified"], closed=False),
    "Countries": obj({"countries": {"type": "array", "items": ref("CountrySummary")},
                      "data_version": {"type": "string"}}, ["countries"], closed=False),
    "Source": _SOURCE,
    "Rule": obj({
        "ref": {"type": "string"}, "id": {"type": "string"}, "section": {"type": "string"},
        "nationalities": nullable({"type": "array", "items": {"type": "string"}}),
        "from": nullable(DATE), "until": nullable(DATE),
        "sources": {"type": "array", "items": ref("Source")},
        "note": nullable({"type": "string"}),
    }, ["ref", "id", "section", "sources"], closed=False),
    "Country": obj({
        "code": {"type": "string"}, "name": {"type": "string"}, "verified": DATE,
        "note": nullable({"type": "string"}), "file": {"type": "string"},
        "sections": {"type": "object",
                     "additionalProperties": {"type": "array", "items": ref("Rule")}},
        "policies": {"type": "array", "items": {"type": "object"}},
        "data_version": {"type": "string"},
    }, ["code", "name", "verified", "sections", "policies"], closed=False),
    "Version": obj({"engine_version": {"type": "string"}, "data_version": {"type": "string"},
                    "destinations": {"type": "integer"}},
                   ["engine_version", "data_version"], closed=False),
}


def components(country_codes: list[str]) -> dict[str, Schema]:
    """Every schema the operations refer to; `CountryCode` lists the codes this data set
    accepts (ICAO Doc 9303 codes, plus a test data set's fictional ones)."""
    return {"CountryCode": {**_enum(country_codes),
                            "description": "An ICAO Doc 9303 country code (ISO 3166-1 alpha-3 "
                                           "or an ICAO special code such as D, XXA, RKS)."},
            **_REQUESTS, **_RESPONSES}


def body(name: str) -> dict[str, Any]:
    """`openapi_extra` for an operation whose JSON body is the schema `name`."""
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": ref(name)}}}}


def answers(name: str, *extra: int) -> dict[int | str, dict[str, Any]]:
    """`responses` for an operation answering `name` on 200 and Problems on 422 (and on any
    `extra` status, such as 404 or 413)."""
    out: dict[int | str, dict[str, Any]] = {
        200: {"description": "OK", "content": {"application/json": {"schema": ref(name)}}},
        422: {"description": "Bad input: the field and the value",
              "content": {"application/json": {"schema": ref("Problems")}}},
    }
    for status in extra:
        out[status] = {"description": {404: "Not found", 413: "Body too large"}.get(
            status, "Error"), "content": {"application/json": {"schema": {}}}}
    return out
