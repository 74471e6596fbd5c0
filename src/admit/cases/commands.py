"""What each action on a case takes as input: one validated model per action.

Why: the API, the CLI and the web forms all send an action name and a JSON object; reading it
through one pydantic model per action gives every interface the same checks and the same
error, naming the field and the value (admit.errors.InputError). The web forms are generated
from these models' fields, so a form can never ask for less or more than the action needs.
Values of personal fields are never repeated in an error message.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
)

from admit import codes
from admit.daterange import EARLIEST, LATEST
from admit.errors import InputError

# Fields whose values may identify the person: an error names the field, never the value.
PERSONAL = frozenset({"surname", "given_names", "birth_date", "number", "mrz", "documents",
                      "grounds", "reason", "notes", "text", "assessment", "requested_by",
                      "how", "decision_reason"})
REDACTED = "<redacted>"


FIRST_DAY = EARLIEST  # the calendar a case may name (admit.daterange): the engine's date
LAST_DAY = LATEST  # arithmetic must never leave it
MAX_ITEMS = 20  # documents, authorizations or alternatives in one case


def as_utc(value: datetime) -> datetime:
    """A time without a zone is read as UTC; every stored time is UTC."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of the calendar's range") from None
    in_range(utc.date())
    return utc


def _arrival_time(value: datetime) -> datetime:
    """Kept as given: its own date is the local date of arrival (see admit.cases.intake)."""
    as_utc(value)
    return value


def in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return value


def country(value: str, info: ValidationInfo) -> str:
    """A country field: an ICAO code, or one of the fictional codes of the rules in use."""
    extra: frozenset[str] = (info.context or {}).get("extra_codes", frozenset())
    code = value.upper()
    if not (codes.is_known(code) or code in extra):
        raise ValueError("not an ICAO country code")
    return code


Time = Annotated[datetime, AfterValidator(as_utc)]
Day = Annotated[date, AfterValidator(in_range)]
Country = Annotated[str, AfterValidator(country)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
OptionalText = Annotated[str, Field(max_length=4000)]


def country_code(value: str, extra: frozenset[str], field: str) -> str:
    """A country given outside a payload (a query parameter): same check, same error."""
    code = value.strip().upper()
    if not (codes.is_known(code) or code in extra):
        raise InputError(field, value, "not an ICAO country code")
    return code


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PersonIn(Payload):
    surname: Short
    given_names: Annotated[str, Field(max_length=200)] = ""
    nationalities: Annotated[list[Country], Field(min_length=1)]
    birth_date: Day | None = None



class ArrivalIn(Payload):
    carrier: Short
    flight: Short
    port_of_entry: Short
    country: Country
    embarkation_point: Annotated[str, Field(max_length=200)] = ""
    embarkation_country: Country
    time: Annotated[datetime, AfterValidator(_arrival_time)]



class OpenCase(Payload):
    person: PersonIn
    documents: Annotated[list[dict[str, Any]], Field(max_length=MAX_ITEMS)]
    authorizations: Annotated[list[dict[str, Any]], Field(max_length=MAX_ITEMS)] = []
    arrival: ArrivalIn
    grounds: Text
    alternatives: Annotated[list[Country], Field(max_length=MAX_ITEMS)] = []



class ProposeRemoval(Payload):
    destination: Country
    date: Day
    method: Short = "carrier"
    notes: OptionalText = ""



class ApproveRemoval(Payload):
    notes: OptionalText = ""


class NotifyCarrier(Payload):
    notified_at: Time
    deadline: Time
    removal_flight: Annotated[str, Field(max_length=200)] = ""
    carrier: Annotated[str, Field(max_length=200)] = ""


class RequestDeferral(Payload):
    requested_by: Short
    requested_at: Time
    reason: Text
    until: Day | None = None


class DecideDeferral(Payload):
    deferral: Annotated[int, Field(ge=1)]
    granted: bool
    new_date: Day | None = None
    reason: OptionalText = ""


class LodgeClaim(Payload):
    lodged_at: Time
    lodged_with: Short
    feared_country: Country
    decide_by: Time
    notes: OptionalText = ""



class AssessClaim(Payload):
    claim: Annotated[int, Field(ge=1)]
    outcome: Literal["referred", "rejected", "withdrawn"]
    assessment: Text


class Remove(Payload):
    removed_at: Time
    destination: Country
    how: Short



class Admit(Payload):
    at: Time
    reason: Text


class Withdraw(Payload):
    at: Time
    reason: Text


class Transfer(Payload):
    at: Time
    authority: Short
    reason: OptionalText = ""


class Close(Payload):
    reason: OptionalText = ""


class AddNote(Payload):
    text: Text


def parse(model: type[Payload], data: object, *, extra_codes: frozenset[str] = frozenset(),
          prefix: str = "") -> Any:
    """Validate `data` as `model`; the first problem becomes an InputError naming the field."""
    try:
        return model.model_validate(data, context={"extra_codes": extra_codes})
    except ValidationError as exc:
        raise input_error(exc, prefix) from None


def input_error(exc: ValidationError, prefix: str = "") -> InputError:
    first = exc.errors(include_url=False)[0]
    parts: list[str] = []
    for item in first["loc"]:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
        else:
            parts.append(str(item))
    field = ".".join(filter(None, [prefix, *parts])) or prefix or "body"
    personal = any(str(p) in PERSONAL for p in first["loc"])
    value = None if first["type"] == "missing" else (
        REDACTED if personal else first.get("input"))
    reason = first["msg"].removeprefix("Value error, ")
    return InputError(field, value, reason)


def to_json(payload: BaseModel) -> dict[str, Any]:
    """The JSON form of a payload as stored in an event."""
    return payload.model_dump(mode="json")
