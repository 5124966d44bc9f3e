#!/usr/bin/env python3
"""Builds kennis's compact place gazetteer, models/gazetteer/places.tsv, from GeoNames data.

Usage (from the repository root):

    python3 scripts/build_gazetteer.py [../shared/data/places] [models/gazetteer/places.tsv]

Input: cities15000.tsv (GeoNames places with population >= 15,000 and their Latin-script
alternate names) and countries.tsv (ISO 3166-1 countries with GeoNames ids and English, Dutch,
German and French names). Output, one place a line, countries first, then cities by falling
population (so the first entry for a name is the most likely reading):

    geonameid <TAB> kind <TAB> country code <TAB> population <TAB> name|variant|variant...

kind is `country`, `region` (England, Scotland, ...), `continent` or `city`. The first name is the
display name. The Rust loader (src/gazetteer.rs) normalises names itself (case and diacritics), so
this script only drops variants that are clearly not names: airport codes (all capitals), and
lower-case transliterations.

Python 3 standard library only, on purpose: it is a one-off data reduction that runs in a second,
needs nothing installed, and is not part of the crate's build (the output is committed).
Data: GeoNames (CC BY 4.0), iso-codes translations (LGPL-2.1).
"""

import csv
import sys
import unicodedata
from pathlib import Path

# Short and common names the ISO lists lack (they give "Russian Federation", "Korea, Republic of").
# Dutch, English, German, French, as newspapers write them.
COUNTRY_ALIASES = {
    "RU": ["Russia", "Rusland", "Russland", "Russie"],
    "US": ["USA", "VS", "Amerika", "America", "United States of America", "Verenigde Staten van Amerika", "Etats-Unis", "États-Unis", "Vereinigte Staaten", "U.S.A.", "U.S."],
    "GB": ["UK", "Groot-Brittannië", "Great Britain", "Britain", "Großbritannien", "Grande-Bretagne", "Royaume-Uni", "Verenigd Koninkrijk"],
    "KR": ["South Korea", "Zuid-Korea", "Südkorea", "Corée du Sud"],
    "KP": ["North Korea", "Noord-Korea", "Nordkorea", "Corée du Nord"],
    "IR": ["Iran"],
    "SY": ["Syria", "Syrië", "Syrien", "Syrie"],
    "CD": ["DR Congo", "Democratic Republic of the Congo", "Democratische Republiek Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo"],
    "VN": ["Vietnam"],
    "LA": ["Laos"],
    "MD": ["Moldova", "Moldavië"],
    "TW": ["Taiwan"],
    "TZ": ["Tanzania"],
    "VE": ["Venezuela"],
    "BO": ["Bolivia"],
    "PS": ["Palestina", "Palestine", "Palästina", "Palestijnse gebieden", "Palestinian territories"],
    "VA": ["Vaticaan", "Vaticaanstad", "Vatican", "Vatican City", "Vatikan"],
    "CZ": ["Czech Republic", "Tsjechië", "Tschechien", "Tchéquie"],
    "TR": ["Turkey", "Turkije", "Türkei", "Turquie"],
    "MK": ["Macedonië", "Macedonia", "Noord-Macedonië"],
    "CI": ["Ivory Coast", "Ivoorkust"],
    "BY": ["Belarus", "Wit-Rusland", "Weißrussland", "Biélorussie"],
    "MM": ["Birma", "Burma", "Myanmar"],
    "NL": ["Holland", "Nederland"],
    "SZ": ["Swaziland"],
    "CV": ["Cape Verde", "Kaapverdië"],
    "FM": ["Micronesia"],
    "BN": ["Brunei"],
    "HK": ["Hong Kong", "Hongkong"],
    "MO": ["Macau", "Macao"],
    "BA": ["Bosnië", "Bosnia"],
    "AE": ["Emiraten", "VAE", "UAE", "Emirates"],
    "SA": ["Saoedi-Arabië", "Saudi-Arabië"],
}

# Display names where the ISO English name is a formal one.
DISPLAY = {"RU": "Russia", "TR": "Turkey", "PS": "Palestine", "VA": "Vatican City", "CD": "DR Congo"}

# Places above the country level, and the UK's constituent countries (GeoNames ids).
EXTRA_PLACES = [
    (831053, "country", "XK", ["Kosovo", "Kosova"]),  # not in ISO 3166-1
    (6255148, "continent", "", ["Europe", "Europa"]),
    (6255146, "continent", "", ["Africa", "Afrika", "Afrique"]),
    (6255147, "continent", "", ["Asia", "Azië", "Asien", "Asie"]),
    (6255149, "continent", "", ["North America", "Noord-Amerika", "Nordamerika", "Amérique du Nord"]),
    (6255150, "continent", "", ["South America", "Zuid-Amerika", "Südamerika", "Amérique du Sud"]),
    (6255151, "continent", "", ["Oceania", "Oceanië", "Ozeanien", "Océanie"]),
    (6255152, "continent", "", ["Antarctica", "Antarctica", "Antarktis", "Antarctique"]),
    (6269131, "region", "GB", ["England", "Engeland", "Angleterre"]),
    (2638360, "region", "GB", ["Scotland", "Schotland", "Schottland", "Écosse"]),
    (2634895, "region", "GB", ["Wales", "Pays de Galles"]),
]


def fold(name):
    """The key the Rust loader will use, approximately: for de-duplicating variants only."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def is_name(variant):
    # Keeps "Moskou", "Den Haag", "'s-Hertogenbosch"; drops "SHA", "BJS", "sanghai".
    letters = [c for c in variant if c.isalpha()]
    if not letters or not any(c.islower() for c in letters):
        return False
    return letters[0].isupper() and "|" not in variant and "\t" not in variant


def unique(names):
    seen, out = set(), []
    for n in names:
        n = n.strip()
        if n and fold(n) not in seen:
            seen.add(fold(n))
            out.append(n)
    return out


def main():
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/places")
    dst = Path(sys.argv[2] if len(sys.argv) > 2 else "models/gazetteer/places.tsv")
    lines = []
    with open(src / "countries.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            cc = row["alpha2"]
            names = [DISPLAY.get(cc) or row["common_name_en"] or row["name_en"]]
            for key in ("name_nl", "name_en", "name_de", "name_fr", "official_name_en", "official_name_nl"):
                value = row.get(key) or ""
                names.append(value)
                # "Korea, Republic of" also reads as "Korea" (ambiguous names resolve to the
                # first place listed, see src/gazetteer.rs).
                if ", " in value:
                    names.append(value.split(", ")[0])
            names += COUNTRY_ALIASES.get(cc, [])
            lines.append((0, row["geonameid"], "country", cc, 0, unique(names)))
    for gid, kind, cc, names in EXTRA_PLACES:
        lines.append((1, str(gid), kind, cc, 0, unique(names)))
    with open(src / "cities15000.tsv", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        cities = []
        for row in reader:
            gid, name, cc, _admin1, pop = row[:5]
            alternates = [a for a in row[7].split("|") if is_name(a)] if len(row) > 7 else []
            cities.append((2, gid, "city", cc, int(pop), unique([name] + alternates)))
        cities.sort(key=lambda c: (-c[4], int(c[1])))
        lines.extend(cities)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(dst, "w", encoding="utf-8", newline="\n") as out:
        out.write("# kennis place gazetteer, built by scripts/build_gazetteer.py from GeoNames\n")
        out.write("# (CC BY 4.0, https://www.geonames.org) and iso-codes (LGPL-2.1).\n")
        out.write("# geonameid\tkind\tcountry\tpopulation\tnames\n")
        for _, gid, kind, cc, pop, names in lines:
            out.write(f"{gid}\t{kind}\t{cc}\t{pop}\t{'|'.join(names)}\n")
    print(f"{dst}: {len(lines)} places", file=sys.stderr)


if __name__ == "__main__":
    main()
