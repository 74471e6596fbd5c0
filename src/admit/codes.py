"""ICAO Doc 9303-3 country codes: ISO 3166-1 alpha-3 plus ICAO's own codes, with names.

Why: every layer names countries by the codes printed in machine-readable zones. Those are
ISO 3166-1 alpha-3 codes plus exceptions (Germany's `D`, the British nationality classes,
UN and other issuing organisations, the stateless/refugee codes, the specimen state `UTO`).
This module is the one place that knows which codes exist. It imports nothing heavy: the
ISO list is frozen in `_iso3166` (checked against pycountry by a test) and names come from
pycountry only when asked for.
"""

from __future__ import annotations

from functools import cache

from admit._iso3166 import ALPHA3, WITHDRAWN

# Doc 9303-3 section 5, Parts A-E (the table of codes not included in ISO 3166-1).
ICAO_SPECIAL: dict[str, str] = {
    "D": "Germany",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "RKS": "Republic of Kosovo",
    "EUE": "European Union",
    "UNO": "United Nations Organization or one of its officials",
    "UNA": "United Nations specialized agency or one of its officials",
    "UNK": "Resident of Kosovo with a travel document issued by UNMIK",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community (CARICOM)",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa (COMESA)",
    "XEC": "Economic Community of West African States (ECOWAS)",
    "XPO": "International Criminal Police Organization (INTERPOL)",
    "XES": "Organization of Eastern Caribbean States (OECS)",
    "XMP": "Parliamentary Assembly of the Mediterranean",
    "XOM": "Sovereign Military Order of Malta",
    "XDC": "Southern African Development Community",
    "XXA": "Stateless person (1954 Convention)",
    "XXB": "Refugee (1951 Convention and 1967 Protocol)",
    "XXC": "Refugee, other than under the 1951 Convention",
    "XXX": "Person of unspecified nationality",
}

# Withdrawn ISO codes still found on documents in circulation, which readers accept.
TRANSITIONAL: dict[str, str] = {
    "ANT": "Netherlands Antilles",
    "NTZ": "Neutral Zone",
}

# ICAO's fictional specimen state, used on every specimen document in Doc 9303.
SPECIMEN: dict[str, str] = {"UTO": "Utopia (ICAO specimen state)"}

STATELESS_OR_REFUGEE: frozenset[str] = frozenset({"XXA", "XXB", "XXC", "XXX"})
ORGANISATIONS: frozenset[str] = frozenset(
    {"EUE", "UNO", "UNA", "XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XPO", "XES", "XMP",
     "XOM", "XDC"}
)

# Where a code stands for a nationality, these read as the state they belong to.
_NATIONALITY_STATE: dict[str, str] = {"D": "DEU"}

ALL_CODES: frozenset[str] = ALPHA3 | ICAO_SPECIAL.keys() | TRANSITIONAL.keys() | SPECIMEN.keys()


def is_known(code: str) -> bool:
    """True for any code Doc 9303 allows as an issuing state or nationality."""
    return code in ALL_CODES


def is_withdrawn(code: str) -> bool:
    """True for an ISO 3166-3 code withdrawn from ISO 3166-1 (SUN, YUG, CSK, ...)."""
    return code in WITHDRAWN and code not in ALL_CODES


def is_specimen(code: str) -> bool:
    return code in SPECIMEN


def normalize(code: str) -> str:
    """The code as written in data: upper case, MRZ fillers removed (`D<<` -> `D`)."""
    return code.strip().upper().rstrip("<")


def state_of(code: str) -> str:
    """The state a nationality code belongs to: `D` -> `DEU`; every other code unchanged."""
    return _NATIONALITY_STATE.get(code, code)


@cache
def name(code: str) -> str:
    """The English short name of a code; raises KeyError for an unknown one."""
    for table in (ICAO_SPECIAL, TRANSITIONAL, SPECIMEN):
        if code in table:
            return table[code]
    if code not in ALPHA3:
        raise KeyError(code)
    import pycountry  # deferred: the names are rarely needed on the hot path

    country = pycountry.countries.get(alpha_3=code)
    if country is None:  # pragma: no cover - _iso3166 and pycountry are checked equal
        raise KeyError(code)
    return str(getattr(country, "common_name", None) or country.name)
