#!/usr/bin/env python3
"""Regenerate src/geo/shapes.tsv.gz: every country's outline at 1:50m, keyed by ISO
alpha-2, for the maps of country and city pages (src/render/shapes.rs draws them
inline, clipped to the page's frame, so they follow the theme's colours and dark mode).

Source: Natural Earth 1:50m countries as TopoJSON from the npm package world-atlas
(ISC licence for the package; Natural Earth data is public domain). world-atlas keys
countries by ISO numeric; pycountry maps them to alpha-2 (overrides below for the
few without a code).

Each line: `CC<TAB>ring;ring;...`, a ring being integers in hundredths of a degree,
`lon lat` absolute for its first point then deltas. Arcs are simplified once
(Douglas-Peucker, TOLERANCE degrees) before rings are assembled, so neighbours keep
sharing their borders exactly. A ring crossing the antimeridian is unwrapped (its
longitudes stay continuous and may pass ±180).

Usage: npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz &&
       python3 scripts/make_country_shapes.py package/countries-50m.json
"""
import gzip
import json
import os
import sys

import pycountry

TOLERANCE = 0.02
# world-atlas names without an ISO numeric id. Somaliland and Northern Cyprus join the
# country the offline geocoder (GeoNames) places their towns in.
OVERRIDES = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY"}


def alpha2(geometry):
    """The ISO alpha-2 code of a world-atlas geometry, or None."""
    name = geometry.get("properties", {}).get("name", "")
    if name in OVERRIDES:
        return OVERRIDES[name]
    num = geometry.get("id")
    c = pycountry.countries.get(numeric=num) if num else None
    return c.alpha_2 if c else None


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def simplify(pts, tol):
    """Douglas-Peucker, iterative; keeps both ends."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = pts[a], pts[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            if d > best:
                best, at = d, i
        if at >= 0 and best > tol:
            keep[at] = True
            stack.append((a, at))
            stack.append((at, b))
    return [p for p, k in zip(pts, keep) if k]


def ring(arcs, indexes):
    pts = []
    for i in indexes:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def encode(pts):
    """Unwrap across the antimeridian, quantise to 0.01°, drop repeats, delta-code."""
    q = []
    for lon, lat in pts:
        x, y = round(lon * 100), round(lat * 100)
        if q:
            while x - q[-1][0] > 18000:
                x -= 36000
            while q[-1][0] - x > 18000:
                x += 36000
            if (x, y) == q[-1]:
                continue
        q.append((x, y))
    if len(q) < 4:
        return None
    out = [q[0]] + [(b[0] - a[0], b[1] - a[1]) for a, b in zip(q, q[1:])]
    return " ".join(f"{x} {y}" for x, y in out)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "package/countries-50m.json"
    topo = json.load(open(src))
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topo)]
    shapes = {}
    for g in topo["objects"]["countries"]["geometries"]:
        code = alpha2(g)
        if not code or code == "AQ" or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        rings = [encode(ring(arcs, r)) for poly in polys for r in poly]
        shapes.setdefault(code, []).extend(r for r in rings if r)
    lines = [f"{code}\t{';'.join(rings)}\n" for code, rings in sorted(shapes.items()) if rings]
    text = "".join(lines).encode()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "geo", "shapes.tsv.gz")
    # mtime=0: the same input gives the same bytes.
    with open(out, "wb") as f:
        f.write(gzip.compress(text, 9, mtime=0))
    print(f"wrote {len(lines)} countries, {len(text)} bytes ({os.path.getsize(out)} gzipped) to {os.path.relpath(out)}")


if __name__ == "__main__":
    main()
