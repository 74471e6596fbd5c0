"""UN/EDIFACT PAXLST (advance passenger information) → manifest rows.

Why: carriers send passenger lists to border agencies as PAXLST messages, structured by the
WCO/IATA/ICAO API guidelines: the flight in a TDT group (LOC+125 the last airport of departure,
DTM+189 its time; LOC+87 the airport of arrival, DTM+232 its time), then one NAD group per
person (NAD+FL passenger, NAD+FM crew, NAD+DDU/DDT in transit) with DTM+329 birth date,
LOC+178/179 embarkation and disembarkation, NAT+2 nationality, RFF references, and per DOC
(document type, number) its DTM+36 expiry, DTM+182 issue date and LOC+91 issuing state.
pydifact tokenises the EDIFACT syntax (UNA separators, release characters); this module reads
the segments into the manifest columns of `admit.batch.columns`, one row per person, one leg
per row. A structural fault fails the whole message with the segment's position and tag;
a bad value (an unknown nationality) is left for the row checks, so it costs one row. No error
quotes a name or a document number: pydifact's messages, which may quote a segment, are
reduced to where the fault is, and a tag is shown only when it is one (three letters).

Airports: PAXLST names airports by IATA code, which says nothing of the country. A 5-letter
UN/LOCODE carries its country (the first two letters, ISO 3166 alpha-2); a 3-letter code needs
the caller's airport table (`--airports FILE`, lines of `code,country`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from admit.batch.columns import input_columns, leg_column
from admit.errors import InputError

# DOC document name codes → admit document types; V (visa) is not a travel document.
DOCUMENT_TYPES = {"P": "passport", "I": "national_id", "ID": "national_id"}
VISA = "V"
PERSONS = {"FL": False, "FM": False, "DDU": True, "DDT": True}  # qualifier → in transit
_TAG = re.compile(r"[A-Z]{3}")  # what a segment tag is; anything else may be a person's data
_WHERE = re.compile(r"\(line (\d+), column (\d+)\)")  # where pydifact says a fault is
_SKIPPED = frozenset({"UNA", "UNB", "UNG", "UNE", "UNZ", "ATT", "MEA", "GEI", "FTX", "COM",
                      "CTA", "EMP", "QTY", "GID", "SEQ", "ERP", "CPI", "TSR"})


@dataclass(slots=True)
class _Person:
    transit: bool
    values: dict[str, str | None] = field(default_factory=dict)
    embark: str | None = None
    disembark: str | None = None
    in_document: bool = False  # DTM/LOC now belong to the current DOC group
    in_visa: bool = False  # …and that DOC is a visa, whose dates are not the document's


@dataclass(slots=True)
class _Message:
    reference: str
    first: int
    departure: str | None = None
    arrival: str | None = None
    departed: date | None = None
    arrived: date | None = None
    people: list[_Person] = field(default_factory=list)


class _Reader:
    def __init__(self, airports: dict[str, str]) -> None:
        self.airports = {k.upper(): v for k, v in airports.items()}
        self.rows: list[dict[str, str | None]] = []
        self.message: _Message | None = None
        self.position = 0
        self.tag = ""

    def fail(self, reason: str, value: object = None) -> InputError:
        return InputError(f"PAXLST segment {self.position} ({self.tag})", value, reason)

    def read(self, segments: list[Any]) -> list[dict[str, str | None]]:
        for position, segment in enumerate(segments, 1):
            tag = str(segment.tag)
            self.position, self.tag = position, tag if _TAG.fullmatch(tag) else "?"
            handler = getattr(self, f"_{self.tag.lower()}", None)
            if handler is not None:
                handler([_element(e) for e in segment.elements])
            elif self.tag not in _SKIPPED:
                raise self.fail("not a segment of a PAXLST message", self.tag)
        if self.message is not None:
            raise self.fail("the message has no UNT trailer")
        if not self.rows:
            raise InputError("PAXLST", None, "no passenger or crew member (NAD+FL/FM) found")
        return self.rows

    def _current(self) -> _Message:
        if self.message is None:
            raise self.fail("comes before the UNH message header")
        return self.message

    def _unh(self, elements: list[list[str]]) -> None:
        if self.message is not None:
            raise self.fail("a new message starts before the previous one's UNT trailer")
        kind = elements[1][0] if len(elements) > 1 else ""
        if kind != "PAXLST":
            raise self.fail("not a PAXLST message", kind)
        self.message = _Message(reference=_at(elements, 0), first=self.position)

    def _bgm(self, elements: list[list[str]]) -> None:
        self._current()

    def _tdt(self, elements: list[list[str]]) -> None:
        message = self._current()
        if message.people:
            raise self.fail("transport details after the first passenger")

    def _nad(self, elements: list[list[str]]) -> None:
        message = self._current()
        qualifier = _at(elements, 0)
        if qualifier in PERSONS:
            message.people.append(_Person(transit=PERSONS[qualifier]))

    def _person(self) -> _Person | None:
        message = self._current()
        return message.people[-1] if message.people else None

    def _loc(self, elements: list[list[str]]) -> None:
        qualifier, place = _at(elements, 0), _at(elements, 1)
        person = self._person()
        if person is None:
            if qualifier == "125":
                self._current().departure = self._country(place)
            elif qualifier == "87":
                self._current().arrival = self._country(place)
        elif person.in_document:
            if qualifier == "91" and not person.in_visa:
                person.values["issuer"] = place
        elif qualifier == "178":
            person.embark = self._country(place)
        elif qualifier == "179":
            person.disembark = self._country(place)

    def _dtm(self, elements: list[list[str]]) -> None:
        if not elements:
            raise self.fail("no date/time/period")
        qualifier = _at(elements, 0)
        text, form = ([*elements[0][1:3], "", ""])[:2]
        person = self._person()
        message = self._current()
        if person is None:
            if qualifier in ("189", "232"):
                day = self._date(text, form, past=False)
                if qualifier == "189":
                    message.departed = day
                else:
                    message.arrived = day
            return
        if person.in_document:
            if not person.in_visa and qualifier in ("36", "182"):
                column = "expires" if qualifier == "36" else "issued"
                person.values[column] = self._date(text, form, past=qualifier == "182"
                                                   ).isoformat()
        elif qualifier == "329":
            person.values["birth_date"] = self._date(text, form, past=True).isoformat()

    def _nat(self, elements: list[list[str]]) -> None:
        person = self._person()
        if person is None:
            raise self.fail("nationality before any passenger (NAD+FL)")
        person.values["nationality"] = _at(elements, 1)

    def _rff(self, elements: list[list[str]]) -> None:
        person = self._person()
        if person is None or not elements:
            return
        qualifier, value = (elements[0] + ["", ""])[:2]
        if qualifier == "ABO" or (qualifier == "AVF" and "ref" not in person.values):
            person.values["ref"] = value or None

    def _doc(self, elements: list[list[str]]) -> None:
        person = self._person()
        if person is None:
            raise self.fail("document before any passenger (NAD+FL)")
        code = _at(elements, 0)
        if not code:
            raise self.fail("no document name code")
        person.in_document = True
        person.in_visa = code == VISA
        if person.in_visa:
            return
        if "document_type" in person.values:
            person.in_visa = True  # a second travel document: the first one is screened
            return
        person.values["document_type"] = DOCUMENT_TYPES.get(code, code)

    def _cnt(self, elements: list[list[str]]) -> None:
        message = self._current()
        qualifier, value = (elements[0] + ["", ""])[:2] if elements else ("", "")
        if qualifier == "42":
            if not value.isdigit():
                raise self.fail("the passenger count is not a number", value)
            if int(value) != len(message.people):
                raise self.fail(f"declares {value} persons but the message lists "
                                f"{len(message.people)}", value)

    def _unt(self, elements: list[list[str]]) -> None:
        message = self._current()
        count = _at(elements, 0)
        expected = self.position - message.first + 1
        if not count.isdigit() or int(count) != expected:
            raise self.fail(f"the segment count should be {expected}", count)
        if _at(elements, 1) != message.reference:
            raise self.fail(f"the message reference should be {message.reference!r}",
                            _at(elements, 1))
        self._finish(message)
        self.message = None

    def _finish(self, message: _Message) -> None:
        day = message.arrived or message.departed
        if day is None:
            raise self.fail("the message gives no arrival (DTM+232) or departure (DTM+189) date")
        for number, person in enumerate(message.people, 1):
            row = dict(person.values)
            row.setdefault("ref", f"{message.reference}-{number}")
            row[leg_column(1, "from")] = person.embark or message.departure
            row[leg_column(1, "to")] = person.disembark or message.arrival
            row[leg_column(1, "date")] = day.isoformat()
            row[leg_column(1, "transit")] = "true" if person.transit else "false"
            self.rows.append(row)

    def _country(self, place: str) -> str:
        code = place.strip().upper()
        if len(code) == 5 and code.isalpha():
            import pycountry  # deferred: only UN/LOCODEs need it

            country = pycountry.countries.get(alpha_2=code[:2])
            if country is None:
                raise self.fail("a UN/LOCODE whose country is unknown", place)
            return str(country.alpha_3)
        found = self.airports.get(code)
        if found is None:
            raise self.fail("an airport whose country is unknown: give --airports FILE with a "
                            "line 'code,country' for it", place)
        return found

    def _date(self, text: str, form: str, *, past: bool) -> date:
        """DTM values: 102 CCYYMMDD, 201 YYMMDDHHMM, 203 CCYYMMDDHHMM, and the guidelines'
        bare YYMMDD. Two-digit years: birth and issue dates lie in the past of the flight,
        other dates after 2000."""
        digits = text.strip()
        try:
            if form in ("102", "203") or (not form and len(digits) in (8, 12)):
                return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
            if form in ("201", "") and len(digits) in (6, 10) and digits.isdigit():
                year = 2000 + int(digits[0:2])
                message = self._current()
                reference = message.arrived or message.departed
                if past and reference is not None and year > reference.year:
                    year -= 100
                return date(year, int(digits[2:4]), int(digits[4:6]))
        except ValueError:
            raise self.fail("not a date", text) from None
        raise self.fail(f"not a date in format {form or 'YYMMDD'}", text)


def _element(element: Any) -> list[str]:
    """A data element as its components (a simple element is a one-component list)."""
    if isinstance(element, list):
        return [str(part) if part is not None else "" for part in element]
    return ["" if element is None else str(element)]


def _at(elements: list[list[str]], index: int) -> str:
    return elements[index][0] if index < len(elements) and elements[index] else ""


def parse_segments(text: str) -> list[Any]:
    """EDIFACT text → pydifact segments; a syntax fault is an InputError."""
    from pydifact.segmentcollection import RawSegmentCollection

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydifact warns that it has no segment directory
        try:
            return list(RawSegmentCollection.from_str(text).segments)
        except Exception as exc:  # pydifact raises bare Python errors on broken syntax
            raise InputError("PAXLST", None, _syntax_fault(str(exc))) from None


def _syntax_fault(message: str) -> str:
    """pydifact's message without its quotations of the text (a segment may hold a name)."""
    where = _WHERE.search(message)
    reason = "not EDIFACT"
    if "Unexpected end" in message:
        reason += ": the text ends inside a segment"
    elif "tag" in message.lower():
        reason += ": a segment's tag is not three capital letters"
    if where is not None:
        reason += f" at line {where.group(1)}, column {where.group(2)}"
    return reason


def read_paxlst(data: bytes, airports: dict[str, str]) -> pl.DataFrame:
    """Every person of every PAXLST message in `data`, as manifest rows (text columns)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # UNOA/UNOB/UNOC interchanges are Latin-1 at most
    rows = _Reader(airports).read(parse_segments(text.strip()))
    columns = input_columns(1)
    return pl.DataFrame({c: [row.get(c) for row in rows] for c in columns},
                        schema=dict.fromkeys(columns, pl.String))


def read_airports(text: str, source: str) -> dict[str, str]:
    """An airport table: lines of `code,country` (IATA code, ICAO country code)."""
    table: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 2 or not all(parts):
            raise InputError(f"{source}:{number}", line, "expected 'code,country'")
        if parts[0].lower() in ("code", "airport"):
            continue  # a header line
        table[parts[0].upper()] = parts[1].upper()
    return table
