"""The Stay contract's JSON form: read a request, answer it (docs/design.md, Public contracts).

Why: `admit stay --json` and `POST /v1/stay` must accept and refuse exactly the same input, with
the same messages; both call compute_from_json. Anything a user can send is checked here and
refused with an InputError that names the field and the value — never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import cast

from admit import codes
from admit.errors import InputError, gather, raise_all
from admit.stay.calculate import control, plan
from admit.stay.model import ANCHORS, STAY_STATUSES, Anchor, Stay, StayRule, StayStatus

_RULE_FIELDS = frozenset(
    {"window_days", "max_days", "max_continuous_days", "max_continuous_months", "anchor"}
)
_STAY_FIELDS = frozenset({"entry", "exit", "country", "status"})
_TOP_FIELDS = frozenset({"rule", "stays", "query_date", "planned_entry"})
# date.fromisoformat also reads 20250101 and 2025-W01-1; the contract's dates are YYYY-MM-DD.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def compute_from_json(obj: object) -> dict[str, object]:
    """Answer one Stay request given as parsed JSON; raises InputError for bad input."""
    request = _mapping("request", obj, _TOP_FIELDS)
    found: list[InputError] = []
    rule = gather(found, lambda: parse_rule(request.get("rule")))
    stays = gather(found, lambda: parse_stays(request.get("stays", [])))
    query, planned = request.get("query_date"), request.get("planned_entry")
    day: date | None = None
    if query is not None and planned is not None:
        found.append(InputError(
            "query_date",
            query,
            "give either query_date (control) or planned_entry (planning), not both",
        ))
    elif query is not None:
        day = gather(found, lambda: parse_date("query_date", query))
    elif planned is not None:
        day = gather(found, lambda: parse_date("planned_entry", planned))
    else:
        found.append(InputError("query_date", None,
                                "give query_date (control) or planned_entry (planning)"))
    raise_all(found)
    assert rule is not None and stays is not None and day is not None  # raise_all raised else
    if query is not None:
        return control(rule, stays, day).to_dict()
    return plan(rule, stays, day).to_dict()


def parse_rule(obj: object) -> StayRule:
    rule = _mapping("rule", obj, _RULE_FIELDS)
    for required in ("window_days", "max_days"):
        if required not in rule:
            raise InputError(f"rule.{required}", None, "is required")
    anchor = rule.get("anchor", "rolling")
    if anchor not in ANCHORS:
        raise InputError("rule.anchor", anchor, f"must be one of {', '.join(ANCHORS)}")
    return StayRule(
        window_days=_whole("rule.window_days", rule["window_days"]),
        max_days=_whole("rule.max_days", rule["max_days"]),
        max_continuous_days=_optional_whole(
            "rule.max_continuous_days", rule.get("max_continuous_days")
        ),
        max_continuous_months=_optional_whole(
            "rule.max_continuous_months", rule.get("max_continuous_months")
        ),
        anchor=cast(Anchor, anchor),
    )


def parse_stays(obj: object) -> list[Stay]:
    if not isinstance(obj, list):
        raise InputError("stays", obj, "must be a list of [entry, exit] pairs or objects")
    found: list[InputError] = []
    stays = [gather(found, partial(parse_stay, f"stays[{index}]", item))
             for index, item in enumerate(obj)]
    raise_all(found)
    return [stay for stay in stays if stay is not None]


def parse_stay(field: str, obj: object) -> Stay:
    """`[entry, exit]` or `{entry, exit, country?, status?}`; exit before entry is refused."""
    country: str | None = None
    status: object = "short_stay"
    if isinstance(obj, list):
        if len(obj) != 2:
            raise InputError(field, obj, "must be a pair [entry, exit]")
        entry = parse_date(f"{field}[0]", obj[0])
        exit_ = parse_date(f"{field}[1]", obj[1])
    elif isinstance(obj, dict):
        stay = _mapping(field, obj, _STAY_FIELDS)
        for required in ("entry", "exit"):
            if required not in stay:
                raise InputError(f"{field}.{required}", None, "is required")
        entry = parse_date(f"{field}.entry", stay["entry"])
        exit_ = parse_date(f"{field}.exit", stay["exit"])
        if stay.get("country") is not None:
            country = _country(f"{field}.country", stay["country"])
        status = stay.get("status", "short_stay")
        if status not in STAY_STATUSES:
            raise InputError(
                f"{field}.status", status, f"must be one of {', '.join(STAY_STATUSES)}"
            )
    else:
        raise InputError(field, obj, "must be a pair [entry, exit] or an object {entry, exit}")
    if exit_ < entry:
        raise InputError(
            field, [entry.isoformat(), exit_.isoformat()], f"exit {exit_} is before entry {entry}"
        )
    return Stay(
        entry=entry,
        exit=exit_,
        country=country,
        status=cast(StayStatus, status),
    )


def parse_date(field: str, value: object) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InputError(field, value, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(field, value, "is not a date in the calendar") from None


def _mapping(field: str, obj: object, allowed: frozenset[str]) -> Mapping[str, object]:
    if not isinstance(obj, dict):
        raise InputError(field, obj, "must be an object")
    for key in obj:
        if key not in allowed:
            # A misspelt option silently ignored would give a wrong answer; name it instead.
            raise InputError(
                f"{field}.{key}" if field != "request" else str(key),
                obj[key],
                f"is not a known field (known: {', '.join(sorted(allowed))})",
            )
    return obj


def _whole(field: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(field, value, "must be a whole number")
    if value < 1:
        raise InputError(field, value, "must be at least 1")
    return value


def _optional_whole(field: str, value: object) -> int | None:
    return None if value is None else _whole(field, value)


def _country(field: str, value: object) -> str:
    if not isinstance(value, str) or not codes.is_known(codes.normalize(value)):
        raise InputError(field, value, "must be an ICAO country code such as FRA")
    return codes.normalize(value)
