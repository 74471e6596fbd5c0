"""Jinja2 templates and the words pages use for statuses, countries and rule references.

Why one place: every page says "not OK to board" and "authorization needed" the same way, and
links a rule reference (`MNG#six-months`) to the same anchor of its country page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from admit import codes
from admit.engine import ENGINE_VERSION
from admit.model import Status

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")

STATUS_WORDS = {
    "admissible": "Admissible",
    "admissible_on_arrival": "Admissible — visa or fee on arrival",
    "authorization_required": "Authorization needed before departure",
    "unknown": "Unknown — no rule to decide by",
    "inadmissible": "Not admissible",
}
STATUS_SHORT = {
    "admissible": "admissible", "admissible_on_arrival": "on arrival",
    "authorization_required": "authorization needed", "unknown": "unknown",
    "inadmissible": "not admissible",
}
STATUS_ORDER = {status.label: int(status) for status in Status}


def country_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        return codes.name(code)
    except KeyError:
        return code


def rule_anchor(ref: str | None) -> str:
    """`MNG#six-months` → `rule-MNG-six-months`: the id of that rule on a country page."""
    return "" if not ref else "rule-" + ref.replace("#", "-")


def country_options() -> list[tuple[str, str]]:
    """Every code with its name, for the country pickers (a datalist: typing filters it)."""
    return sorted(((code, country_name(code)) for code in codes.ALL_CODES
                   if not codes.is_specimen(code)), key=lambda pair: pair[1])


_OPTIONS = country_options()

templates.env.globals.update(
    status_words=STATUS_WORDS, status_short=STATUS_SHORT, country_name=country_name,
    rule_anchor=rule_anchor, country_list=_OPTIONS, engine_version=ENGINE_VERSION,
    status_order=STATUS_ORDER,
)
_PAGE_OF = {"check.html": "check", "where.html": "where", "stay.html": "stay",
            "countries.html": "countries", "country.html": "countries",
            "country_missing.html": "countries"}


def render(request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> HTMLResponse:
    context = {"page": _PAGE_OF.get(name, ""), **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)
