"""The stay calculator page: past stays in; the window as a calendar, days left and latest exit out.

Why: "90 days in any 180" is easy to state and hard to count; a calendar of the window shows
which days count and why the answer is what it is (as `admit stay` does in a terminal). The
request is built from the form and answered by `admit.stay.compute_from_json`, the same call as
POST /v1/stay, whose JSON the page shows as its twin.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from admit.errors import InputError
from admit.stay import compute_from_json, counted_stays, parse_stays
from admit.web.forms import FieldError, Form
from admit.web.templating import render

router = APIRouter(include_in_schema=False)

ROWS = {"stay": 4}
LABELS = {"entry": "entry", "exit": "exit", "0": "entry", "1": "exit"}
MAX_MONTHS = 36  # a calendar longer than three years is cut to its last months


@dataclass(frozen=True, slots=True)
class Day:
    day: int
    kind: str  # counted, window, ahead (may still stay), old (present, outside the window), ""
    marked: bool  # the control date or planned entry
    title: str


@dataclass(frozen=True, slots=True)
class Month:
    label: str
    days: tuple[Day, ...]


@router.get("/stay", response_class=HTMLResponse)
async def stay_form(request: Request) -> HTMLResponse:
    form = Form.read((), ROWS)
    form.values.update({"window_days": "180", "max_days": "90", "mode": "control"})
    return _page(request, form)


@router.post("/stay", response_class=HTMLResponse)
async def stay_submit(request: Request) -> HTMLResponse:
    form = Form.read((await request.form()).multi_items(), ROWS)
    form.labels = LABELS
    if form.get("add") == "stay":
        form.add_row("stay")
        return _page(request, form)
    obj = stay_request(form)
    try:
        answer = compute_from_json(obj)
    except InputError as exc:
        return _page(request, form, errors=[form.error(exc)], status_code=422)
    months, cut = timeline(obj, answer)
    return _page(request, form, answer=answer, months=months, cut=cut,
                 request_json=json.dumps(obj, indent=2),
                 answer_json=json.dumps(answer, indent=2))


def stay_request(form: Form) -> dict[str, Any]:
    rule: dict[str, Any] = {"anchor": form.get("anchor") or "rolling"}
    for key in ("window_days", "max_days", "max_continuous_days"):
        text = form.get(key)
        if text:
            rule[key] = int(text) if text.isdigit() and len(text) < 10 else text
        form.paths[f"rule.{key}"] = (key, key.replace("_", " ").capitalize())
    stays: list[list[str]] = []
    for i in range(form.rows["stay"]):
        if not form.row_filled("stay", i):
            continue
        form.paths[f"stays[{len(stays)}]"] = (f"stay-{i}", f"Stay {i + 1}")
        stays.append([form.get(f"stay-{i}-entry"), form.get(f"stay-{i}-exit")])
    out: dict[str, Any] = {"rule": rule, "stays": stays}
    key = "planned_entry" if form.get("mode") == "planning" else "query_date"
    out[key] = form.get("day")
    form.paths[key] = ("day", "Date")
    return out


def timeline(obj: dict[str, Any], answer: dict[str, Any]) -> tuple[list[Month], bool]:
    """The months from the window's start to the latest exit, a cell per day."""
    present: set[date] = set()
    for stay in counted_stays(parse_stays(obj["stays"])):
        present.update(stay.entry + timedelta(days=n) for n in range(stay.days))
    start = date.fromisoformat(answer["window_start"])
    end = date.fromisoformat(answer["window_end"])
    control = answer["mode"] == "control"
    day = date.fromisoformat(obj["query_date" if control else "planned_entry"])
    latest = date.fromisoformat(answer["latest_exit"]) if answer["latest_exit"] else None
    ahead_from = day + timedelta(days=1) if control else day
    last = max(end, day, latest or day)
    months: list[Month] = []
    year, month = start.year, start.month
    while (year, month) <= (last.year, last.month):
        cells = []
        for n in range(1, calendar.monthrange(year, month)[1] + 1):
            d = date(year, month, n)
            kind = _kind(d, start, end, present, ahead_from, latest)
            cells.append(Day(n, kind, d == day, f"{d.isoformat()}: {_WORDS[kind]}"))
        months.append(Month(f"{calendar.month_abbr[month]} {year}", tuple(cells)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-MAX_MONTHS:], len(months) > MAX_MONTHS


_WORDS = {"counted": "a day counted", "window": "in the window, not present",
          "ahead": "a day you may still stay", "old": "present, outside the window",
          "": "outside the window"}


def _kind(d: date, start: date, end: date, present: set[date], ahead_from: date,
          latest: date | None) -> str:
    if latest is not None and ahead_from <= d <= latest:
        return "ahead"
    if d in present:
        return "counted" if start <= d <= end else "old"
    return "window" if start <= d <= end else ""


def _page(request: Request, form: Form, *, errors: list[FieldError] | None = None,
          answer: dict[str, Any] | None = None, months: list[Month] | None = None,
          cut: bool = False, request_json: str | None = None, answer_json: str | None = None,
          status_code: int = 200) -> HTMLResponse:
    return render(request, "stay.html", {
        "form": form, "errors": errors or [], "answer": answer, "months": months or [],
        "cut": cut, "request_json": request_json, "answer_json": answer_json,
    }, status_code=status_code)
