from __future__ import annotations

import pycountry
import pytest

from admit import codes
from admit._iso3166 import ALPHA3, WITHDRAWN


def test_frozen_iso_list_matches_pycountry() -> None:
    # Fails when pycountry gains or drops a code: run tools/gen_iso3166.py.
    assert {c.alpha_3 for c in pycountry.countries} == ALPHA3
    assert {c.alpha_3 for c in pycountry.historic_countries} - ALPHA3 == WITHDRAWN


@pytest.mark.parametrize("code", ["D", "GBD", "GBN", "GBO", "GBP", "GBS", "RKS", "EUE", "UNO",
                                  "UNA", "UNK", "XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XPO",
                                  "XES", "XMP", "XOM", "XDC", "XXA", "XXB", "XXC", "XXX", "UTO",
                                  "DEU", "RUS", "MNG", "ANT", "NTZ"])
def test_every_doc_9303_code_is_known_and_named(code: str) -> None:
    assert codes.is_known(code)
    assert codes.name(code)


def test_unknown_and_withdrawn_codes() -> None:
    assert not codes.is_known("ASU")
    assert not codes.is_known("INP")
    assert codes.is_withdrawn("SUN") and not codes.is_known("SUN")
    with pytest.raises(KeyError):
        codes.name("ASU")


def test_specimen_and_germany() -> None:
    assert codes.is_specimen("UTO") and not codes.is_specimen("DEU")
    assert codes.state_of("D") == "DEU" and codes.state_of("RUS") == "RUS"
    assert codes.normalize("d<<") == "D"
    assert codes.name("MNG") == "Mongolia"
