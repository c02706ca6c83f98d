#!/usr/bin/env python3
"""Regenerate themes/default/static/map/world.svg: the country outlines behind the
no-JavaScript maps (the /map/ page, country pages, sign pages).

Source: Natural Earth 1:110m countries as TopoJSON from the npm package world-atlas
(ISC licence for the package; Natural Earth data is public domain).
Projection: plate carrée, x = lon + 180, y = 90 - lat, so glyph places a sign's dot
at the same numbers without any projection code; the view is 0 0 360 150 (90°N to
60°S; Antarctica is left out). Each country's path has its lowercase ISO alpha-2 code
as id, inside a colourless `<g id="land">` that pages draw with <use> (see below).

Usage: npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz &&
       python3 scripts/make_world.py package/countries-110m.json
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_country_shapes import alpha2  # noqa: E402

src = sys.argv[1] if len(sys.argv) > 1 else "package/countries-110m.json"
topo = json.load(open(src))
sx, sy = topo["transform"]["scale"]
tx, ty = topo["transform"]["translate"]

# Decode the delta-encoded, quantised arcs into absolute lon/lat.
arcs = []
for arc in topo["arcs"]:
    x = y = 0
    pts = []
    for dx, dy in arc:
        x += dx
        y += dy
        pts.append((x * sx + tx, y * sy + ty))
    arcs.append(pts)


def ring(indexes):
    pts = []
    for i in indexes:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def unwrap(r):
    """Make a ring that crosses the antimeridian continuous (x may leave 0..360), and
    return it with the copies shifted by ±360 that the view needs to show all of it."""
    pts = []
    for lon, lat in r:
        x, y = lon + 180, 90 - lat
        if pts:
            while x - pts[-1][0] > 180:
                x -= 360
            while pts[-1][0] - x > 180:
                x += 360
        pts.append((x, y))
    rings = [pts]
    if min(x for x, _ in pts) < 0:
        rings.append([(x + 360, y) for x, y in pts])
    if max(x for x, _ in pts) > 360:
        rings.append([(x - 360, y) for x, y in pts])
    return rings


def path(rings):
    out = []
    for r in rings:
        for pts in unwrap(r):
            cmds = []
            last = None
            for x, y in pts:
                p = (round(x, 1), round(y, 1))
                if p != last:
                    cmds.append(f"{p[0]:g} {p[1]:g}")
                    last = p
            if len(cmds) >= 3:
                out.append("M" + "L".join(cmds) + "Z")
    return "".join(out)


# One path per country, its id the lowercase ISO alpha-2 code, so pages can draw a
# country with <use href="world.svg#fr"> (the /countries/ choropleth); geometries that
# share a code (see make_country_shapes.OVERRIDES) share the path.
paths, names = {}, {}
for g in topo["objects"]["countries"]["geometries"]:
    name = g.get("properties", {}).get("name", "")
    if name == "Antarctica":
        continue
    polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
    d = path(ring(r) for poly in polys for r in poly)
    if d:
        key = (alpha2(g) or name).lower()
        paths[key] = paths.get(key, "") + d
        names.setdefault(key, name)
shapes = []
for key, d in paths.items():
    ident = f' id="{key}"' if len(key) == 2 else ""
    shapes.append(f'<path{ident} d="{d}"><title>{names[key]}</title></path>')

svg = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 150" width="1440" height="600">'
    "<!-- Natural Earth 1:110m (public domain) via world-atlas; made by scripts/make_world.py -->"
    '<rect width="360" height="150" fill="#dbe7f0"/>'
    '<g fill="#f4f1ea" stroke="#9aa3ad" stroke-width="0.06" stroke-linejoin="round" fill-rule="evenodd">'
    # The inner group carries no colours: drawn with <use href="world.svg#land">, it
    # takes the page's (--land, --coast, dark mode); shown alone, the outer group's.
    + '<g id="land">'
    + "".join(shapes)
    + "</g></g></svg>\n"
)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "themes", "default", "static", "map", "world.svg")
os.makedirs(os.path.dirname(out), exist_ok=True)
open(out, "w").write(svg)
print(f"wrote {len(shapes)} countries, {len(svg)} bytes to {os.path.relpath(out)}")
