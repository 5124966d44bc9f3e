//! The place gazetteer: country, continent and city names in many languages → GeoNames ids, plus
//! Dutch and English demonyms and country adjectives → their country.
//!
//! The data is embedded in the binary (`models/gazetteer/places.tsv`, built from GeoNames by
//! `scripts/build_gazetteer.py`; `src/lang/demonyms.tsv`, written by hand), so an installed kennis
//! needs no files. It is parsed once, on first use ([`Gazetteer::global`]).
//!
//! Names are compared after [`normalize`]: case, diacritics, hyphens and full stops do not matter,
//! so "Moskou", "Moscow" and "MOSKAU" are one key, and "Saoedi-Arabië" matches "Saoedi Arabie".
//! A name that can mean several places resolves to the first in the file's order: countries, then
//! regions and continents, then cities by falling population (Paris is Paris, France).

use crate::perceptron::StrMap;
use std::fmt;
use std::sync::OnceLock;

static PLACES_TSV: &str = include_str!("../models/gazetteer/places.tsv");
static DEMONYMS_TSV: &str = include_str!("lang/demonyms.tsv");

/// What kind of place an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceKind {
    Country,
    /// A part of a country that news treats like one (England, Scotland, Wales).
    Region,
    Continent,
    City,
}

impl PlaceKind {
    pub fn parse(s: &str) -> Option<PlaceKind> {
        match s {
            "country" => Some(PlaceKind::Country),
            "region" => Some(PlaceKind::Region),
            "continent" => Some(PlaceKind::Continent),
            "city" => Some(PlaceKind::City),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Region => "region",
            PlaceKind::Continent => "continent",
            PlaceKind::City => "city",
        }
    }
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One place of the gazetteer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub geonames_id: u32,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 code; empty for continents.
    pub country: String,
    /// 0 where the data gives none (countries, continents).
    pub population: u64,
    /// The display name (English where GeoNames has one).
    pub name: String,
}

impl Place {
    /// The place's linked-data IRI, `https://sws.geonames.org/ID/`.
    pub fn iri(&self) -> String {
        format!("https://sws.geonames.org/{}/", self.geonames_id)
    }
}

/// What a demonym or country adjective says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Demonym {
    /// Index of the country in [`Gazetteer::places`].
    pub place: u32,
    pub lang: crate::doc::Lang,
}

/// The loaded gazetteer.
pub struct Gazetteer {
    places: Vec<Place>,
    /// Normalised name → places it can mean, best first.
    names: StrMap<String, Vec<u32>>,
    /// Normalised demonym → country.
    demonyms: StrMap<String, Demonym>,
    by_country_code: StrMap<String, u32>,
    /// The most tokens any name has (after normalisation), for n-gram matching.
    max_tokens: usize,
}

impl Gazetteer {
    /// The embedded gazetteer, parsed on first use.
    pub fn global() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            Gazetteer::parse(PLACES_TSV, DEMONYMS_TSV)
                .expect("the embedded gazetteer is checked by the test suite")
        })
    }

    /// Parses gazetteer data in the shipped formats; errors name the file and line.
    pub fn parse(places_tsv: &str, demonyms_tsv: &str) -> Result<Gazetteer, String> {
        let mut g = Gazetteer {
            places: Vec::new(),
            names: StrMap::default(),
            demonyms: StrMap::default(),
            by_country_code: StrMap::default(),
            max_tokens: 1,
        };
        for (n, line) in places_tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = |what: &str| format!("places.tsv:{}: {what}", n + 1);
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 5 {
                return Err(bad("expected 5 tab-separated columns"));
            }
            let geonames_id = cols[0].parse().map_err(|_| bad("bad GeoNames id"))?;
            let kind = PlaceKind::parse(cols[1]).ok_or_else(|| bad("unknown kind"))?;
            let population = cols[3].parse().map_err(|_| bad("bad population"))?;
            let mut variants = cols[4].split('|').filter(|v| !v.is_empty());
            let name = variants.next().ok_or_else(|| bad("no name"))?.to_string();
            let idx = g.places.len() as u32;
            if kind == PlaceKind::Country {
                g.by_country_code.insert(cols[2].to_string(), idx);
            }
            g.places.push(Place {
                geonames_id,
                kind,
                country: cols[2].to_string(),
                population,
                name: name.clone(),
            });
            for v in std::iter::once(name.as_str()).chain(variants) {
                let key = normalize(v);
                if key.is_empty() {
                    continue;
                }
                g.max_tokens = g.max_tokens.max(key.split(' ').count());
                let ids = g.names.entry(key).or_default();
                if !ids.contains(&idx) {
                    ids.push(idx);
                }
            }
        }
        for (n, line) in demonyms_tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = |what: &str| format!("demonyms.tsv:{}: {what}", n + 1);
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 3 {
                return Err(bad("expected 3 tab-separated columns"));
            }
            let place = *g
                .by_country_code
                .get(cols[0])
                .ok_or_else(|| bad("unknown country code"))?;
            let lang =
                crate::doc::Lang::from_code(cols[1]).ok_or_else(|| bad("unknown language"))?;
            for form in cols[2].split('|').filter(|f| !f.is_empty()) {
                g.demonyms
                    .entry(normalize(form))
                    .or_insert(Demonym { place, lang });
            }
        }
        Ok(g)
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn place(&self, index: u32) -> &Place {
        &self.places[index as usize]
    }

    /// The most likely place a name means ("Moskou" → Moscow, Russia).
    pub fn lookup(&self, name: &str) -> Option<&Place> {
        self.lookup_all(name).next()
    }

    /// Every place a name can mean, most likely first.
    pub fn lookup_all(&self, name: &str) -> impl Iterator<Item = &Place> + '_ {
        self.lookup_key(&normalize(name))
            .iter()
            .map(|&i| &self.places[i as usize])
    }

    /// Indices of the places an already [`normalize`]d name can mean, best first.
    pub fn lookup_key(&self, key: &str) -> &[u32] {
        self.names.get(key).map_or(&[], Vec::as_slice)
    }

    /// The country a demonym or country adjective refers to ("Russische" → Russia). Demonyms are
    /// capitalised in Dutch and English, so a lower-case word never matches ("let op" is not
    /// Latvian).
    pub fn demonym(&self, word: &str) -> Option<&Place> {
        self.demonym_entry(word)
            .map(|d| &self.places[d.place as usize])
    }

    pub fn demonym_entry(&self, word: &str) -> Option<Demonym> {
        if !word.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        self.demonym_key(&normalize(word))
    }

    /// Like [`Gazetteer::demonym_entry`] for an already normalised word (no capital check).
    pub fn demonym_key(&self, key: &str) -> Option<Demonym> {
        self.demonyms.get(key).copied()
    }

    /// The country with ISO 3166-1 alpha-2 code `code`.
    pub fn country(&self, code: &str) -> Option<&Place> {
        self.by_country_code
            .get(code)
            .map(|&i| &self.places[i as usize])
    }

    /// The most tokens a normalised name has (for matching names over token n-grams).
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }
}

/// The comparison key of a name: lower case, Latin diacritics removed (ß → ss, æ → ae), hyphens
/// and runs of white space become one space, full stops and outer spaces go, typographic
/// apostrophes become `'`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_into(name, &mut out);
    out
}

/// [`normalize`] appending to `out` (reuse one buffer in hot loops).
pub fn normalize_into(name: &str, out: &mut String) {
    let start = out.len();
    let mut pending_space = false;
    for c in name.chars() {
        let c = match c {
            '-' | '‐' | '‑' | '–' | '—' | '_' => ' ',
            '.' => continue,
            '’' | '‘' | '`' | '´' => '\'',
            c => c,
        };
        if c.is_whitespace() {
            pending_space = out.len() > start;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                match fold_char(l) {
                    Fold::One(f) => out.push(f),
                    Fold::Two(a, b) => {
                        out.push(a);
                        out.push(b);
                    }
                }
            }
        }
    }
}

enum Fold {
    One(char),
    Two(char, char),
}

/// Folds a lower-case Latin letter with a diacritic to its base letter(s).
fn fold_char(c: char) -> Fold {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ậ'
        | 'ắ' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' | 'ð' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẽ' | 'ế' | 'ề' | 'ệ' => {
            'e'
        }
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' | 'ố' | 'ồ' | 'ộ' | 'ơ'
        | 'ớ' | 'ờ' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => 's',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ụ' | 'ứ' | 'ừ' => {
            'u'
        }
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => return Fold::Two('s', 's'),
        'æ' => return Fold::Two('a', 'e'),
        'œ' => return Fold::Two('o', 'e'),
        'þ' => return Fold::Two('t', 'h'),
        c => c,
    };
    Fold::One(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOSCOW: u32 = 524901;

    #[test]
    fn moscow_is_one_place_in_every_language() {
        let g = Gazetteer::global();
        for name in ["Moskou", "Moscow", "Moskau", "Moscou", "MOSKOU", "moskou"] {
            let p = g.lookup(name).unwrap_or_else(|| panic!("{name} not found"));
            assert_eq!(p.geonames_id, MOSCOW, "{name}");
            assert_eq!(p.kind, PlaceKind::City);
            assert_eq!(p.country, "RU");
        }
        assert_eq!(
            g.lookup("Moskou").unwrap().iri(),
            "https://sws.geonames.org/524901/"
        );
        // The other Moscows (Idaho) are there too, after the big one.
        let all: Vec<_> = g.lookup_all("Moscow").map(|p| p.country.as_str()).collect();
        assert!(all.len() > 1 && all[0] == "RU", "{all:?}");
    }

    #[test]
    fn countries_by_dutch_english_german_french_and_short_names() {
        let g = Gazetteer::global();
        let russia = g.country("RU").unwrap();
        assert_eq!(russia.geonames_id, 2017370);
        assert_eq!(russia.name, "Russia");
        for name in [
            "Rusland",
            "Russia",
            "Russian Federation",
            "Russland",
            "Russie",
        ] {
            assert_eq!(g.lookup(name), Some(russia), "{name}");
        }
        let us = g.country("US").unwrap();
        for name in ["Verenigde Staten", "VS", "United States", "USA", "Amerika"] {
            assert_eq!(g.lookup(name), Some(us), "{name}");
        }
        assert_eq!(g.lookup("Oekraïne").unwrap().country, "UA");
        assert_eq!(g.lookup("Oekraine").unwrap().country, "UA");
        assert_eq!(g.lookup("Saoedi Arabie").unwrap().country, "SA");
        // A country wins over a same-named city.
        assert_eq!(g.lookup("Luxemburg").unwrap().kind, PlaceKind::Country);
        assert_eq!(g.lookup("Den Haag").unwrap().geonames_id, 2747373);
        assert_eq!(g.lookup("Parijs").unwrap().country, "FR");
        assert_eq!(g.lookup("Europa").unwrap().kind, PlaceKind::Continent);
        assert!(g.lookup("Nergensland").is_none());
        assert!(g.max_tokens() >= 3);
    }

    #[test]
    fn demonyms_point_to_their_country() {
        let g = Gazetteer::global();
        let russia = g.country("RU").unwrap();
        for w in ["Russische", "Russisch", "Rus", "Russen", "Russian"] {
            assert_eq!(g.demonym(w), Some(russia), "{w}");
        }
        assert_eq!(g.demonym("Oekraïense").unwrap().country, "UA");
        assert_eq!(g.demonym("Chinese").unwrap().country, "CN");
        assert_eq!(g.demonym("Amerikaanse").unwrap().country, "US");
        assert_eq!(g.demonym("Belgische").unwrap().country, "BE");
        assert_eq!(g.demonym("Dutch").unwrap().country, "NL");
        // Lower case is not a demonym.
        assert_eq!(g.demonym("russische"), None);
        assert_eq!(g.demonym("Moskou"), None);
        let countries: std::collections::HashSet<_> =
            g.demonyms.values().map(|d| d.place).collect();
        assert!(countries.len() >= 60, "{} countries", countries.len());
    }

    #[test]
    fn normalisation_ignores_case_diacritics_and_hyphens() {
        assert_eq!(normalize("  Saoedi-Arabië "), "saoedi arabie");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("St. Petersburg"), "st petersburg");
        assert_eq!(normalize("Côte d’Ivoire"), "cote d'ivoire");
        assert_eq!(normalize("ŁÓDŹ"), "lodz");
    }

    #[test]
    fn bad_data_is_reported_with_its_line() {
        let err = Gazetteer::parse("# c\n1\tcity\tXX\t5\n", "").err().unwrap();
        assert_eq!(err, "places.tsv:2: expected 5 tab-separated columns");
        let err = Gazetteer::parse("1\tvillage\tXX\t5\tA\n", "")
            .err()
            .unwrap();
        assert!(err.contains("unknown kind"), "{err}");
        let err = Gazetteer::parse("1\tcountry\tXX\t0\tX\n", "ZZ\tnl\tZets\n")
            .err()
            .unwrap();
        assert_eq!(err, "demonyms.tsv:1: unknown country code");
    }
}
