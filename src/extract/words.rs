//! The words the extraction rules look for, per language, read from `src/lang/extract.tsv`
//! (embedded): modals, negations, pronouns, time words, role nouns and so on. The rules are
//! written once over Universal Dependencies; what differs between languages is this data.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::doc::Lang;
use crate::graph::{EntityKind, Modality};

static EXTRACT_TSV: &str = include_str!("../lang/extract.tsv");

/// What a modal, auxiliary or control verb does to the statement of its clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mood {
    Modality(Modality),
    /// "weigert te komen": the embedded statement is negated.
    Negated,
}

/// The word lists of one language.
#[derive(Debug, Default)]
pub struct Words {
    modal: HashMap<String, Mood>,
    control: HashMap<String, Mood>,
    negation: HashSet<String>,
    /// Personal pronoun → whether it can only mean one person.
    pronoun: HashMap<String, bool>,
    demonstrative: HashSet<String>,
    according: HashSet<String>,
    agent: HashSet<String>,
    purpose: HashSet<String>,
    place: HashSet<String>,
    time: HashSet<String>,
    /// Role noun → the relation its holder has to what it is a role of.
    role: HashMap<String, String>,
    /// Noun → the kind of entity its apposition names.
    kind_noun: HashMap<String, EntityKind>,
}

impl Words {
    /// The built-in lists for `lang`.
    pub fn get(lang: Lang) -> &'static Words {
        static ALL: OnceLock<HashMap<Lang, Words>> = OnceLock::new();
        let all = ALL.get_or_init(|| {
            Words::parse(EXTRACT_TSV).expect("src/lang/extract.tsv is checked by a unit test")
        });
        all.get(&lang).unwrap_or_else(|| {
            static EMPTY: OnceLock<Words> = OnceLock::new();
            EMPTY.get_or_init(Words::default)
        })
    }

    /// Parses the TSV; errors name the line.
    pub fn parse(tsv: &str) -> Result<HashMap<Lang, Words>, String> {
        let mut all: HashMap<Lang, Words> = HashMap::new();
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = |what: &str| format!("src/lang/extract.tsv:{}: {what}", n + 1);
            let cols: Vec<&str> = line.split('\t').collect();
            let [lang, class, word, value] = cols[..] else {
                return Err(bad("expected 4 tab-separated columns"));
            };
            let lang = Lang::from_code(lang).ok_or_else(|| bad("unknown language"))?;
            let w = all.entry(lang).or_default();
            let word = word.to_lowercase();
            let mood = || match value {
                "planned" => Ok(Mood::Modality(Modality::Planned)),
                "possible" => Ok(Mood::Modality(Modality::Possible)),
                "negated" => Ok(Mood::Negated),
                _ => Err(bad("value must be planned, possible or negated")),
            };
            match class {
                "modal" => {
                    w.modal.insert(word, mood()?);
                }
                "control" => {
                    w.control.insert(word, mood()?);
                }
                "negation" => {
                    w.negation.insert(word);
                }
                "pronoun" => {
                    w.pronoun.insert(word, value == "sg");
                }
                "demonstr" => {
                    w.demonstrative.insert(word);
                }
                "according" => {
                    w.according.insert(word);
                }
                "agent" => {
                    w.agent.insert(word);
                }
                "purpose" => {
                    w.purpose.insert(word);
                }
                "place" => {
                    w.place.insert(word);
                }
                "time" => {
                    w.time.insert(word);
                }
                "role" => {
                    w.role.insert(word, value.to_string());
                }
                "org_noun" => {
                    w.kind_noun.insert(word, EntityKind::Organization);
                }
                "place_noun" => {
                    w.kind_noun.insert(word, EntityKind::Place);
                }
                _ => return Err(bad("unknown class")),
            }
        }
        Ok(all)
    }

    pub fn modal(&self, lemma: &str) -> Option<Mood> {
        self.modal.get(&key(lemma)).copied()
    }
    pub fn control(&self, lemma: &str) -> Option<Mood> {
        self.control.get(&key(lemma)).copied()
    }
    pub fn is_negation(&self, form: &str) -> bool {
        self.negation.contains(&form.to_lowercase())
    }
    /// `Some(singular_only)` for a personal pronoun that can refer to a person.
    pub fn pronoun(&self, form: &str) -> Option<bool> {
        self.pronoun.get(&form.to_lowercase()).copied()
    }
    pub fn is_demonstrative(&self, form: &str) -> bool {
        self.demonstrative.contains(&form.to_lowercase())
    }
    pub fn is_according(&self, prep: &str) -> bool {
        let first = prep.split(' ').next().unwrap_or(prep);
        self.according.contains(first)
    }
    pub fn is_agent(&self, prep: &str) -> bool {
        self.agent.contains(prep)
    }
    pub fn is_purpose(&self, prep: &str) -> bool {
        self.purpose.contains(prep)
    }
    pub fn is_place(&self, prep: &str) -> bool {
        self.place.contains(prep)
    }
    /// Whether `lemma` names a time: "donderdag", or a compound the lemmatizer split whose last
    /// part is one ("vrijdag_avond").
    pub fn is_time(&self, lemma: &str) -> bool {
        let k = key(lemma);
        self.time.contains(&k)
            || k.rsplit_once('_')
                .is_some_and(|(_, head)| self.time.contains(head))
    }
    /// The relation a role noun gives its holder (`president` → `hold_position`).
    pub fn role(&self, lemma: &str) -> Option<&str> {
        let k = key(lemma);
        self.role.get(&k).map(String::as_str).or_else(|| {
            // Compounds end in their head: "oud-premier", "top_diplomaat", and written as one
            // word "kamervoorzitter", "vicepremier" (heads of five letters or more, so that
            // "lid" does not match "schild").
            let head = k.rsplit(['-', '_']).next().unwrap_or(&k);
            self.role.get(head).map(String::as_str).or_else(|| {
                let chars: Vec<(usize, char)> = head.char_indices().collect();
                (1..chars.len().saturating_sub(4))
                    .find_map(|i| self.role.get(&head[chars[i].0..]))
                    .map(String::as_str)
            })
        })
    }
    /// The kind of entity a noun classifies ("persbureau" → Organization).
    pub fn kind_noun(&self, lemma: &str) -> Option<EntityKind> {
        let k = key(lemma);
        self.kind_noun.get(&k).copied().or_else(|| {
            let head = k.rsplit(['-', '_']).next().unwrap_or(&k);
            self.kind_noun.get(head).copied()
        })
    }
}

/// Lemmas compare lower-cased; the treebank's compound marks stay (`eerste_minister`).
fn key(lemma: &str) -> String {
    lemma.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lists_parse_for_both_languages() {
        let all = Words::parse(EXTRACT_TSV).unwrap();
        for lang in Lang::ALL {
            let w = &all[&lang];
            assert!(w.modal.len() >= 5 && w.negation.len() >= 3 && w.role.len() >= 20);
        }
        let nl = Words::get(Lang::Nl);
        assert_eq!(nl.modal("zullen"), Some(Mood::Modality(Modality::Planned)));
        assert_eq!(nl.role("woordvoerster"), Some("spokesperson_of"));
        assert_eq!(nl.role("top_diplomaat"), Some("hold_position"));
        assert_eq!(nl.role("oud-premier"), Some("hold_position"));
        assert_eq!(nl.role("kamervoorzitter"), Some("hold_position"));
        assert_eq!(nl.role("schild"), None);
        assert_eq!(nl.kind_noun("persbureau"), Some(EntityKind::Organization));
        assert!(nl.is_negation("Niet") && !nl.is_negation("wel"));
        assert_eq!(Words::get(Lang::En).pronoun("She"), Some(true));
    }

    #[test]
    fn bad_lines_name_their_line() {
        let e = Words::parse("nl\tmodal\tzullen\n").unwrap_err();
        assert!(e.contains(":1:"), "{e}");
        let e = Words::parse("# c\nnl\tmodal\tzullen\tsoon\n").unwrap_err();
        assert!(e.contains(":2:") && e.contains("planned"), "{e}");
        let e = Words::parse("xx\tmodal\tzullen\tplanned\n").unwrap_err();
        assert!(e.contains("language"), "{e}");
    }
}
