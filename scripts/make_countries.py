#!/usr/bin/env python3
"""Regenerate src/geo/countries.tsv from pycountry (ISO 3166-1) and CLDR (via babel).

Columns: alpha-2, alpha-3, display name, other names, local names, Spanish names
(the last three |-separated).

- The display name is the short English name people use ("United Kingdom",
  "South Korea"), not the official state name, because it is shown on pages.
- "Other names" are ISO's English names and the aliases below. Columns 1-4 are what a
  sidecar's `country:` accepts (`crate::geo::country`); they are made exactly as before
  the extra columns existed, so every name accepted there still means the same country.
- "Local names" are the country's name in each of its official (or de facto national)
  languages, per CLDR ("Deutschland", "Ísland", "日本", "Schweiz|Suisse|Svizzera").
- "Spanish names" are CLDR's Spanish names ("Alemania", "Japón", "Estados Unidos"),
  because the curator also writes captions in Spanish.

Columns 5-6 are read only by `crate::geo::country_by_any_name` (captions). An added
name never shadows an existing one: a name whose folded form is already a name of any
country in columns 1-4 is left out, and a name claimed by two countries is dropped from
both. Both are logged on stderr.

Sources and licences: pycountry (LGPL-2.1; the ISO 3166-1 data via Debian's
iso-codes), and babel (BSD-3-Clause) for the Unicode CLDR data (Unicode License v3).
Usage:
  pip install pycountry==26.2.16 babel==2.19.0 && python3 scripts/make_countries.py
The output is deterministic for given package versions (everything is sorted).
"""
import re
import sys
import unicodedata

import pycountry
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages

# Names visitors expect, where ISO's short name reads like a form.
DISPLAY = {
    "BO": "Bolivia", "BQ": "Caribbean Netherlands", "CD": "DR Congo", "CG": "Republic of the Congo",
    "FM": "Micronesia", "IR": "Iran", "KP": "North Korea", "KR": "South Korea", "LA": "Laos",
    "MD": "Moldova", "PS": "Palestine", "RU": "Russia", "SY": "Syria", "TW": "Taiwan",
    "TZ": "Tanzania", "VA": "Vatican City", "VE": "Venezuela", "VN": "Vietnam",
    "GB": "United Kingdom", "US": "United States", "CZ": "Czechia", "TR": "Türkiye",
    "BN": "Brunei", "CV": "Cabo Verde", "SZ": "Eswatini", "MK": "North Macedonia",
    "VG": "British Virgin Islands", "VI": "U.S. Virgin Islands", "MF": "Saint Martin",
    "SX": "Sint Maarten", "FK": "Falkland Islands", "HK": "Hong Kong", "MO": "Macao",
}
# Other names curators type.
ALIASES = {
    "GB": ["UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "US": ["USA", "United States of America", "America", "U.S.", "U.S.A."],
    "NL": ["Holland", "The Netherlands"], "CZ": ["Czech Republic"], "TR": ["Turkey"],
    "CI": ["Ivory Coast"], "MM": ["Burma"], "VA": ["Holy See", "Vatican"],
    "AE": ["UAE", "Emirates"], "KR": ["Korea"], "CD": ["Democratic Republic of the Congo"],
    "SZ": ["Swaziland"], "MK": ["Macedonia"], "CV": ["Cape Verde"], "TL": ["East Timor"],
    "MO": ["Macau"], "PS": ["Palestinian Territories"],
}
# Spanish short forms CLDR does not list as the main name.
SPANISH_ALIASES = {"US": ["EE. UU.", "EE.UU.", "EEUU"], "GB": ["R. U."]}


def fold(name):
    """Case, accents, punctuation and a leading "the" do not matter, as in glyph
    (src/geo/names.rs, whose tests re-check this file with glyph's own folding).
    Other scripts are compared as written: glyph never transliterates them."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = " ".join(re.sub(r"[\W_]+", " ", s).split())
    return s[4:] if s.startswith("the ") else s


def cldr_names(locale_id, code):
    """The CLDR name of `code` in a locale, and the same without a parenthesis
    ("Myanmar (Birmania)" -> "Myanmar"), or nothing when CLDR has no such locale."""
    try:
        name = Locale.parse(locale_id).territories.get(code)
    except (UnknownLocaleError, ValueError):
        return []
    if not name:
        return []
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return [name] + ([bare] if bare and bare != name else [])


def local_names(code):
    langs = get_official_languages(code, regional=False, de_facto=True)
    return [n for lang in sorted(langs) for n in cldr_names(lang, code)]


def spanish_names(code):
    return cldr_names("es", code) + SPANISH_ALIASES.get(code, [])


rows = []
for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
    display = DISPLAY.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
    others = {c.name, getattr(c, "official_name", c.name), getattr(c, "common_name", c.name)}
    others.update(ALIASES.get(c.alpha_2, []))
    others.discard(display)
    rows.append([c.alpha_2, c.alpha_3, display, sorted(others)])

# Every folded name columns 1-4 accept today, and whose it is.
existing = {}
for a2, a3, display, others in rows:
    for name in [a2, a3, display] + others:
        existing.setdefault(fold(name), a2)

# Candidate new names: folded form -> {country: spellings}.
claims = {}
for a2, *_ in rows:
    for kind, names in (("local", local_names(a2)), ("es", spanish_names(a2))):
        for name in names:
            claims.setdefault(fold(name), {}).setdefault(a2, set()).add((kind, name))

added = {}
for key in sorted(claims):
    owners = claims[key]
    if not key:
        continue
    if key in existing:
        for a2, names in sorted(owners.items()):
            if existing[key] != a2:
                print(f"dropped {sorted(n for _, n in names)} for {a2}: "
                      f"already a name of {existing[key]}", file=sys.stderr)
        continue
    if len(owners) > 1:
        print(f"dropped `{key}`: claimed by {', '.join(sorted(owners))}", file=sys.stderr)
        continue
    for a2, names in owners.items():
        for kind, name in names:
            added.setdefault((a2, kind), set()).add(name)

lines = []
for a2, a3, display, others in rows:
    local = sorted(added.get((a2, "local"), ()))
    spanish = sorted(added.get((a2, "es"), ()))
    lines.append("\t".join([a2, a3, display, "|".join(others), "|".join(local), "|".join(spanish)]))

with open("src/geo/countries.tsv", "w", encoding="utf-8") as f:
    f.write("# alpha2\talpha3\tname\tother names\tlocal names\tSpanish names"
            " (generated by scripts/make_countries.py from pycountry and CLDR)\n")
    f.write("\n".join(lines) + "\n")
print(f"wrote {len(lines)} countries")
