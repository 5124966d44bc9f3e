//! The relation lexicon: the canonical relations news is made of, as data
//! (`schema/relations.tsv`, embedded; a user may supply their own file in the same format).
//!
//! Each relation carries its English and Dutch labels, a definition, the verb lemmas that express
//! it (Dutch separable verbs in the treebank convention `aan_kondigen`), light-verb phrases
//! (`bezoek brengen aan`), the prepositions that introduce its object, and where one fits a CAMEO
//! event code and a Wikidata property. The ontology (`schema/kennis.ttl`) is generated from it.

use crate::doc::Lang;
use crate::error::{Error, Result};
use crate::perceptron::StrMap;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The lexicon shipped with kennis.
pub const BUILTIN_TSV: &str = include_str!("../schema/relations.tsv");

/// The column names, in order; the file's header line must match them.
pub const COLUMNS: [&str; 13] = [
    "name",
    "label_en",
    "label_nl",
    "object",
    "definition",
    "lemmas_en",
    "lemmas_nl",
    "light_en",
    "light_nl",
    "preps_en",
    "preps_nl",
    "cameo",
    "wikidata",
];

/// What a relation's object may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    /// An entity: the relation is an `owl:ObjectProperty`.
    Entity,
    /// A quote or value: an `owl:DatatypeProperty`.
    Literal,
    /// Either: a plain `rdf:Property`.
    Any,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Entity => "entity",
            ObjectKind::Literal => "literal",
            ObjectKind::Any => "any",
        }
    }
}

/// A Wikidata property a relation matches, exactly (`skos:exactMatch`) or closely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WikidataMatch {
    /// `P39`
    pub property: String,
    pub exact: bool,
}

impl WikidataMatch {
    /// The property's entity IRI, as Wikidata publishes it.
    pub fn iri(&self) -> String {
        format!("http://www.wikidata.org/entity/{}", self.property)
    }
}

/// One relation of the lexicon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// Canonical name: `[a-z][a-z0-9_]*`, the local name of `{base}rel/{name}`.
    pub name: String,
    pub label_en: String,
    pub label_nl: String,
    pub object: ObjectKind,
    pub definition: String,
    pub lemmas_en: Vec<String>,
    pub lemmas_nl: Vec<String>,
    pub light_en: Vec<String>,
    pub light_nl: Vec<String>,
    pub preps_en: Vec<String>,
    pub preps_nl: Vec<String>,
    /// CAMEO event code, e.g. `042` (make a visit).
    pub cameo: Option<String>,
    pub wikidata: Option<WikidataMatch>,
}

impl Relation {
    pub fn lemmas(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Nl => &self.lemmas_nl,
            Lang::En => &self.lemmas_en,
        }
    }

    pub fn light_verbs(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Nl => &self.light_nl,
            Lang::En => &self.light_en,
        }
    }

    pub fn prepositions(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Nl => &self.preps_nl,
            Lang::En => &self.preps_en,
        }
    }

    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.label_nl,
            Lang::En => &self.label_en,
        }
    }
}

/// A parsed lexicon: relations in file order, indexed by name and by lemma.
#[derive(Clone, Debug)]
pub struct Lexicon {
    relations: Vec<Relation>,
    by_name: StrMap<String, usize>,
    by_lemma: [BTreeMap<String, Vec<usize>>; 2],
}

impl Lexicon {
    /// The lexicon shipped with kennis (parsed once; a test guarantees it parses).
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            Lexicon::parse(BUILTIN_TSV, Path::new("schema/relations.tsv"))
                .unwrap_or_else(|e| panic!("the embedded relation lexicon is invalid: {e}"))
        })
    }

    /// Reads a user-supplied lexicon file.
    pub fn load(path: &Path) -> Result<Lexicon> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::input(
                path,
                None,
                "the relation lexicon is not valid UTF-8",
                "save it as UTF-8 text",
            )
        })?;
        Lexicon::parse(&text, path)
    }

    /// Parses lexicon text; `path` only names the source in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Lexicon> {
        const HINT: &str = "see the comment lines of schema/relations.tsv for the format";
        let mut relations: Vec<Relation> = Vec::new();
        let mut by_name = StrMap::default();
        let mut seen_header = false;
        for (i, raw) in text.lines().enumerate() {
            let lineno = i + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |msg: String| Error::input(path, Some(lineno), msg, HINT);
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            if !seen_header {
                if cells != COLUMNS {
                    return Err(err(format!(
                        "expected the header line `{}` (tab-separated)",
                        COLUMNS.join(" ")
                    )));
                }
                seen_header = true;
                continue;
            }
            if cells.len() != COLUMNS.len() {
                return Err(err(format!(
                    "expected {} tab-separated columns, found {}",
                    COLUMNS.len(),
                    cells.len()
                )));
            }
            let name = cells[0];
            let valid_name = name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid_name {
                return Err(err(format!(
                    "relation name {name:?} must be lower-case ASCII letters, digits and `_`, starting with a letter"
                )));
            }
            for (col, cell) in [(1, cells[1]), (2, cells[2]), (4, cells[4])] {
                if cell.is_empty() {
                    return Err(err(format!("column `{}` must not be empty", COLUMNS[col])));
                }
            }
            let object = match cells[3] {
                "entity" => ObjectKind::Entity,
                "literal" => ObjectKind::Literal,
                "any" => ObjectKind::Any,
                other => {
                    return Err(err(format!(
                        "column `object` is {other:?}; expected entity, literal or any"
                    )))
                }
            };
            let list = |col: usize, single_words: bool| -> Result<Vec<String>> {
                let mut out = Vec::new();
                if cells[col].is_empty() {
                    return Ok(out);
                }
                for v in cells[col].split('|').map(str::trim) {
                    if v.is_empty() {
                        return Err(err(format!("column `{}` has an empty value", COLUMNS[col])));
                    }
                    if single_words && v.contains(char::is_whitespace) {
                        return Err(err(format!(
                            "lemma {v:?} in column `{}` contains a space; join multi-word lemmas with `_`",
                            COLUMNS[col]
                        )));
                    }
                    out.push(v.to_string());
                }
                Ok(out)
            };
            let cameo = match cells[11] {
                "" => None,
                c if (2..=4).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(c.to_string())
                }
                c => return Err(err(format!("CAMEO code {c:?} must be 2 to 4 digits"))),
            };
            let wikidata = match cells[12] {
                "" => None,
                w => {
                    let (exact, p) = match w.strip_prefix('~') {
                        Some(p) => (false, p),
                        None => (true, w),
                    };
                    let ok = p.len() > 1
                        && p.starts_with('P')
                        && p[1..].bytes().all(|b| b.is_ascii_digit());
                    if !ok {
                        return Err(err(format!(
                            "Wikidata property {w:?} must look like P39 (exact match) or ~P39 (close match)"
                        )));
                    }
                    Some(WikidataMatch {
                        property: p.to_string(),
                        exact,
                    })
                }
            };
            let rel = Relation {
                name: name.to_string(),
                label_en: cells[1].to_string(),
                label_nl: cells[2].to_string(),
                object,
                definition: cells[4].to_string(),
                lemmas_en: list(5, true)?,
                lemmas_nl: list(6, true)?,
                light_en: list(7, false)?,
                light_nl: list(8, false)?,
                preps_en: list(9, true)?,
                preps_nl: list(10, true)?,
                cameo,
                wikidata,
            };
            if by_name.insert(rel.name.clone(), relations.len()).is_some() {
                return Err(err(format!("relation {name:?} is defined twice")));
            }
            relations.push(rel);
        }
        if relations.is_empty() {
            return Err(Error::input(
                path,
                None,
                "the relation lexicon defines no relations",
                HINT,
            ));
        }
        let mut by_lemma: [BTreeMap<String, Vec<usize>>; 2] = Default::default();
        for (i, r) in relations.iter().enumerate() {
            for (slot, lang) in [(0, Lang::Nl), (1, Lang::En)] {
                for lemma in r.lemmas(lang) {
                    by_lemma[slot].entry(lemma.clone()).or_default().push(i);
                }
            }
        }
        Ok(Lexicon {
            relations,
            by_name,
            by_lemma,
        })
    }

    /// All relations, in file order.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    pub fn get(&self, name: &str) -> Option<&Relation> {
        self.by_name.get(name).map(|&i| &self.relations[i])
    }

    /// The relations a verb lemma may express, in file order (a lemma like `erkennen` may
    /// mean `confirm` or `recognize`; the extractor decides by context).
    pub fn by_lemma(&self, lang: Lang, lemma: &str) -> Vec<&Relation> {
        let slot = match lang {
            Lang::Nl => 0,
            Lang::En => 1,
        };
        self.by_lemma[slot]
            .get(lemma)
            .map(|ixs| ixs.iter().map(|&i| &self.relations[i]).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "name\tlabel_en\tlabel_nl\tobject\tdefinition\tlemmas_en\tlemmas_nl\tlight_en\tlight_nl\tpreps_en\tpreps_nl\tcameo\twikidata\n";

    fn parse(body: &str) -> Result<Lexicon> {
        Lexicon::parse(&format!("# comment\n{HEADER}{body}"), Path::new("my.tsv"))
    }

    #[test]
    fn builtin_lexicon_is_rich_and_consistent() {
        let lex = Lexicon::builtin();
        assert!(lex.relations().len() >= 60, "{}", lex.relations().len());
        for name in [
            "visit",
            "meet",
            "consult",
            "say",
            "report",
            "announce",
            "deny",
            "praise",
            "criticize",
            "accuse",
            "threaten",
            "warn",
            "support",
            "oppose",
            "sign",
            "agree",
            "negotiate",
            "sanction",
            "attack",
            "invade",
            "call",
            "invite",
            "host",
            "elect",
            "appoint",
            "resign",
            "arrest",
            "sue",
            "acquire",
            "invest",
            "hold_position",
            "spokesperson_of",
            "member_of",
            "located_in",
        ] {
            assert!(lex.get(name).is_some(), "missing relation {name}");
        }
        let visit = lex.get("visit").unwrap();
        assert_eq!(visit.cameo.as_deref(), Some("042"));
        assert!(visit
            .light_verbs(Lang::Nl)
            .contains(&"bezoek brengen aan".to_string()));
        assert!(visit
            .light_verbs(Lang::En)
            .contains(&"pay a visit to".to_string()));
        let consult = lex.get("consult").unwrap();
        assert!(consult.light_nl.contains(&"overleg voeren met".to_string()));
        assert_eq!(lex.by_lemma(Lang::Nl, "aan_kondigen")[0].name, "announce");
        assert_eq!(
            lex.get("hold_position").unwrap().wikidata,
            Some(WikidataMatch {
                property: "P39".into(),
                exact: true
            })
        );
        // Dutch separable verbs follow the treebank convention: no `-` or space inside.
        for r in lex.relations() {
            for l in r.lemmas_nl.iter().chain(&r.lemmas_en) {
                assert!(
                    !l.contains('-') && l == &l.to_lowercase(),
                    "{}: {l}",
                    r.name
                );
            }
        }
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let good =
            "visit\tvisit\tbezoeken\tentity\tGoes to see.\tvisit\tbezoeken\t\t\tto\taan\t042\t\n";
        assert_eq!(parse(good).unwrap().relations().len(), 1);
        let cases = [
            (
                "visit\tvisit\n",
                "expected 13 tab-separated columns, found 2",
            ),
            (
                &good.replace("entity", "thing"),
                "column `object` is \"thing\"",
            ),
            (&good.replace("042", "04x"), "CAMEO code"),
            (&good.replace("\t\n", "\tQ5\n"), "Wikidata property"),
            (
                &good.replace("visit\tvisit", "Visit\tvisit"),
                "relation name",
            ),
            (
                &good.replace("\tbezoeken\t\t", "\tbrengen bezoek\t\t"),
                "contains a space",
            ),
            (
                &good.replace("Goes to see.", ""),
                "`definition` must not be empty",
            ),
            (&format!("{good}{good}"), "defined twice"),
        ];
        for (body, want) in cases {
            let e = parse(body).unwrap_err().to_string();
            assert!(e.contains(want), "{e} lacks {want}");
            assert!(e.starts_with("my.tsv:"), "{e}");
        }
        // The second copy of `good` sits on line 4 (comment, header, first copy).
        let e = parse(&format!("{good}{good}")).unwrap_err().to_string();
        assert!(e.starts_with("my.tsv:4:"), "{e}");
        let e = Lexicon::parse("visit\tx\n", Path::new("a.tsv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("a.tsv:1") && e.contains("header"), "{e}");
        let e = Lexicon::parse(HEADER, Path::new("a.tsv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no relations"), "{e}");
    }

    #[test]
    fn user_files_load_from_disk() {
        let dir = std::env::temp_dir().join(format!("kennis-lexicon-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rel.tsv");
        std::fs::write(
            &path,
            format!("{HEADER}bless\tbless\tzegenen\tentity\tGives a blessing.\tbless\tzegenen\t\t\t\t\t\t~P1\r\n"),
        )
        .unwrap();
        let lex = Lexicon::load(&path).unwrap();
        assert!(!lex.get("bless").unwrap().wikidata.as_ref().unwrap().exact);
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(Lexicon::load(&path)
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
        let missing = dir.join("missing.tsv");
        assert!(Lexicon::load(&missing).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
