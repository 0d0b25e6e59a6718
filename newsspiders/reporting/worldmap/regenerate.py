"""Rebuild `countries.json`, the report's world map, from the npm package `world-atlas`.

world-atlas (ISC, see LICENSE.md here) ships Natural Earth's public-domain country
borders as TopoJSON in degrees, keyed by ISO 3166-1 numeric codes. This script projects
them once (Natural Earth projection), rounds them to a tenth of a pixel and keys them by
alpha-2 code, so that the report inlines plain SVG path data and needs neither npm nor a
projection library at run time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m newsspiders.reporting.worldmap.regenerate package/

Shapes come from the 1:110m file; countries it leaves out (Singapore, Bahrain, Hong
Kong, ...) get a point from the 1:50m file, where the report draws a marker.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import pycountry

OUTPUT = Path(__file__).with_name("countries.json")
WIDTH = 1000.0  # pixels across; the height follows from the projection
# Natural Earth gives these no ISO numeric code; the ones not listed stay unnamed land.
UNCODED = {"Kosovo": "XK"}
LEFT_OUT = {"010"}  # Antarctica: no press, and it would take a fifth of the height
TINY = 6.0  # px: a shape narrower and lower than this gets a marker as well

Ring = list[tuple[float, float]]


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič, Hurni 2011):
    polynomials in the latitude, in radians; y grows northwards."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """TopoJSON arcs (quantised, delta-encoded) as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[Ring]) -> Ring:
    """One ring from its arcs; a negative index (~i) is arc i reversed."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons_of(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        shapes = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        shapes = geometry["arcs"]
    else:
        return []
    polygons = []
    for shape in shapes:
        rings = [ring_points(ring, arcs) for ring in shape]
        if any(_wraps(ring) for ring in rings):
            # Russia and Fiji cross the antimeridian: cut them at it, each side a polygon.
            polygons += [[piece] for ring in rings for piece in cut_at_antimeridian(ring)]
        else:
            polygons.append(rings)
    return polygons


def _wraps(ring: Ring) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in zip(ring, ring[1:], strict=False))


def cut_at_antimeridian(ring: Ring) -> list[Ring]:
    """A ring that jumps across ±180° made continuous (longitudes past 180 allowed),
    then clipped to the map's [-180, 180] once as it is and once shifted by 360°."""
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    pieces = []
    for shift in (-360, 0, 360):
        moved = [(lon + shift, lat) for lon, lat in unwrapped]
        piece = _clip(_clip(moved, -180, keep_above=True), 180, keep_above=False)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def _clip(ring: Ring, edge: float, *, keep_above: bool) -> Ring:
    """Sutherland-Hodgman against one meridian: the part of the ring east of `edge`
    (keep_above) or west of it, the cut running along the meridian."""

    def inside(point: tuple[float, float]) -> bool:
        return point[0] >= edge if keep_above else point[0] <= edge

    clipped: Ring = []
    for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(current):
            clipped.append(current)
        if inside(current) != inside(following):
            share = (edge - current[0]) / (following[0] - current[0])
            clipped.append((edge, current[1] + share * (following[1] - current[1])))
    return clipped


def alpha2(geometry: dict[str, Any]) -> str | None:
    numeric = geometry.get("id")
    if numeric is None:
        return UNCODED.get(geometry.get("properties", {}).get("name", ""))
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


class Frame:
    """Projected coordinates to pixels: the world (less Antarctica) WIDTH across."""

    def __init__(self, polygons: list[list[Ring]]):
        xs, ys = [], []
        for polygon in polygons:
            for lon, lat in polygon[0]:
                x, y = natural_earth(lon, lat)
                xs.append(x)
                ys.append(y)
        left, right = natural_earth(-180, 0)[0], natural_earth(180, 0)[0]
        self.left, self.top = left, max(ys)
        self.scale = WIDTH / (right - left)
        self.height = round((max(ys) - min(ys)) * self.scale, 1)

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = natural_earth(lon, lat)
        return round((x - self.left) * self.scale, 1), round((self.top - y) * self.scale, 1)


def path_data(polygons: list[list[Ring]], frame: Frame) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            pixels: list[tuple[float, float]] = []
            for lon, lat in ring:
                point = frame.pixel(lon, lat)
                if not pixels or point != pixels[-1]:
                    pixels.append(point)
            if len(pixels) >= 3:
                parts.append("M" + " ".join(f"{x:g} {y:g}" for x, y in pixels) + "Z")
    return "".join(parts)


def anchor(polygons: list[list[Ring]], frame: Frame) -> tuple[list[float], bool]:
    """Where a marker goes (the middle of the largest piece's box), and whether the
    whole country is too small to see."""
    boxes = []
    for polygon in polygons:
        pixels = [frame.pixel(lon, lat) for lon, lat in polygon[0]]
        xs, ys = [p[0] for p in pixels], [p[1] for p in pixels]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    x0, y0, x1, y1 = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    wide = max(b[2] for b in boxes) - min(b[0] for b in boxes)
    high = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    middle = [round((x0 + x1) / 2, 1), round((y0 + y1) / 2, 1)]
    return middle, wide < TINY and high < TINY


def build(package: Path) -> dict[str, Any]:
    small = json.loads((package / "countries-110m.json").read_text(encoding="utf-8"))
    medium = json.loads((package / "countries-50m.json").read_text(encoding="utf-8"))
    small_arcs, medium_arcs = decode_arcs(small), decode_arcs(medium)
    shapes: dict[str, list[list[Ring]]] = {}
    unnamed: list[list[Ring]] = []
    for geometry in small["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT:
            continue
        code = alpha2(geometry)
        polygons = polygons_of(geometry, small_arcs)
        if code:
            shapes.setdefault(code, []).extend(polygons)
        else:
            unnamed.extend(polygons)
    frame = Frame([p for polygons in shapes.values() for p in polygons] + unnamed)
    countries = {}
    for code in sorted(shapes):
        at, tiny = anchor(shapes[code], frame)
        countries[code] = {"d": path_data(shapes[code], frame), "at": at, "tiny": tiny}
    points = {}
    for geometry in medium["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if code and code not in countries and geometry.get("id") not in LEFT_OUT:
            points[code] = anchor(polygons_of(geometry, medium_arcs), frame)[0]
    return {
        "source": "Natural Earth 1:110m admin 0 countries (points: 1:50m), via world-atlas 2",
        "width": WIDTH,
        "height": frame.height,
        "countries": countries,
        "points": dict(sorted(points.items())),
        "unnamed": path_data(unnamed, frame),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked world-atlas package")
    args = parser.parse_args()
    world = build(args.package)
    OUTPUT.write_text(json.dumps(world, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{OUTPUT}: {len(world['countries'])} shapes, {len(world['points'])} points,"
        f" {OUTPUT.stat().st_size // 1024} KiB"
    )


if __name__ == "__main__":
    main()
