"""HTML forms for the case actions, derived from the actions' input models.

Why: every transition has one form (docs/cases.md). Generating each form from the same pydantic
model the API validates against means a form can never ask for a field the action does not
take, nor miss one it needs; and the submitted strings go through that same validation, with
the same field-named errors. The form for opening a case flattens the nested refusal (person,
one document, arrival) into plain inputs and builds the refusal JSON from them.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic.fields import FieldInfo

from admit.cases.commands import Payload
from admit.model import DocumentType

# Free-text fields long enough to want a text area.
_LONG = frozenset({"grounds", "reason", "notes", "text", "assessment"})


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    label: str
    kind: str  # text | textarea | date | datetime-local | number | select
    required: bool
    options: tuple[str, ...] = ()
    hint: str = ""


def fields_of(model: type[Payload]) -> list[FormField]:
    return [_field(name, info) for name, info in model.model_fields.items()]


def _field(name: str, info: FieldInfo) -> FormField:
    label = name.replace("_", " ").capitalize()
    required = info.is_required()
    annotation = _unwrap(info.annotation)
    if typing.get_origin(annotation) is Literal:
        return FormField(name, label, "select", required, tuple(typing.get_args(annotation)))
    if annotation is bool:
        return FormField(name, label, "select", required, ("true", "false"))
    if annotation is datetime:
        return FormField(name, label, "datetime-local", required, hint="UTC")
    if annotation is date:
        return FormField(name, label, "date", required)
    if annotation is int:
        return FormField(name, label, "number", required)
    kind = "textarea" if name in _LONG else "text"
    hint = "ICAO country code" if name in ("destination", "feared_country") else ""
    return FormField(name, label, kind, required, hint=hint)


def _unwrap(annotation: Any) -> Any:
    """`Annotated[X, …]` → X; `X | None` → X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def payload_from_form(model: type[Payload], form: dict[str, str]) -> dict[str, Any]:
    """The submitted fields of `model`, blank ones left out (an optional one takes its
    default; a required one is reported missing); validation happens in the service, as for
    the API."""
    return {name: form[name].strip() for name in model.model_fields
            if form.get(name, "").strip()}


OPEN_FIELDS: tuple[FormField, ...] = (
    FormField("surname", "Surname", "text", True),
    FormField("given_names", "Given names", "text", False),
    FormField("nationalities", "Nationalities", "text", True, hint="ICAO codes, comma-separated"),
    FormField("birth_date", "Date of birth", "date", False),
    FormField("document_type", "Document presented", "select", True,
              tuple(t.value for t in DocumentType)),
    FormField("document_issuer", "Issuing state", "text", True, hint="ICAO code"),
    FormField("document_number", "Document number", "text", False),
    FormField("document_issued", "Issued on", "date", False),
    FormField("document_expires", "Expires on", "date", False),
    FormField("carrier", "Carrier", "text", True),
    FormField("flight", "Flight", "text", True),
    FormField("port_of_entry", "Port of entry", "text", True),
    FormField("country", "Refusing state", "text", True, hint="ICAO code"),
    FormField("embarkation_point", "Point of embarkation", "text", False),
    FormField("embarkation_country", "State of embarkation", "text", True, hint="ICAO code"),
    FormField("time", "Arrival time", "datetime-local", True, hint="UTC"),
    FormField("grounds", "Grounds for refusal", "textarea", True),
    FormField("alternatives", "Other removal destinations", "text", False,
              hint="ICAO codes, comma-separated"),
)


def refusal_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The refusal JSON (as POST /v1/cases takes it) from the flat open-case form."""
    def get(name: str) -> str:
        return form.get(name, "").strip()

    def codes(name: str) -> list[str]:
        return [c.strip() for c in get(name).split(",") if c.strip()]

    person: dict[str, Any] = {"surname": get("surname"), "given_names": get("given_names"),
                              "nationalities": codes("nationalities")}
    if get("birth_date"):
        person["birth_date"] = get("birth_date")
    document: dict[str, Any] = {"type": get("document_type"), "issuer": get("document_issuer")}
    for key in ("number", "issued", "expires"):
        if get(f"document_{key}"):
            document[key] = get(f"document_{key}")
    arrival = {key: get(key) for key in ("carrier", "flight", "port_of_entry", "country",
                                         "embarkation_point", "embarkation_country", "time")}
    return {"person": person, "documents": [document], "arrival": arrival,
            "grounds": get("grounds"), "alternatives": codes("alternatives")}
