//! Scoring extraction on a development folder (`kennis eval --task extract DIR`).
//!
//! The folder holds articles (`*.txt`) and two hand-written files:
//! - `facts.tsv` (`file, subject, relation, object, modality, note`): facts written down by
//!   reading the articles *before* running kennis. Recall is the share of them kennis finds.
//! - `judged.tsv` (`file, sentence, subject, relation, object, verdict, note`): kennis's own
//!   statements, each judged `correct` or `wrong` by a person reading the sentence. Precision is
//!   the share judged correct; a statement nobody has judged yet is counted and listed as such,
//!   never guessed.
//!
//! Names match loosely, as a reader would: case, diacritics and punctuation aside, one name's
//! words all within the other's ("Aelvoet" is "Magda Aelvoet"). A quoted fact matches a literal
//! that contains its first words.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Error, Result};
use crate::extract::{Arg, Extraction, Extractor};
use crate::graph::normalise_name;
use crate::pipeline::Pipeline;
use crate::read::{self, Format};

/// One extracted statement as the eval files write it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub file: String,
    /// 1-based sentence number.
    pub sentence: usize,
    pub subject: String,
    pub relation: String,
    pub object: String,
}

impl Row {
    fn key(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.file, self.sentence, self.subject, self.relation, self.object
        )
    }
}

/// A fact from `facts.tsv`.
#[derive(Clone, Debug)]
pub struct Fact {
    pub file: String,
    pub subject: String,
    pub relation: String,
    pub object: String,
}

/// What an evaluation found.
#[derive(Debug, Default)]
pub struct Scores {
    pub statements: usize,
    pub correct: usize,
    pub wrong: usize,
    pub unjudged: Vec<Row>,
    pub facts: usize,
    pub found: usize,
    pub missed: Vec<Fact>,
    /// Per relation: (statements, correct, wrong).
    pub by_relation: BTreeMap<String, (usize, usize, usize)>,
}

impl Scores {
    pub fn precision(&self) -> f64 {
        100.0 * self.correct as f64 / (self.correct + self.wrong).max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        100.0 * self.found as f64 / self.facts.max(1) as f64
    }
}

/// The statements of every article in `dir` at `min_confidence`, as rows, with each file's
/// extraction (for matching facts against entity aliases).
pub fn extract_dir(
    pipeline: &Pipeline,
    extractor: &Extractor,
    dir: &Path,
    min_confidence: f32,
) -> Result<Vec<(String, Extraction, Vec<Row>)>> {
    let mut out = Vec::new();
    for path in read::expand(&[dir.to_path_buf()], Some(Format::Text)) {
        let path = path?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for article in read::read_path(&path, Some(Format::Text)) {
            let mut doc = article?.into_doc(pipeline.lang);
            pipeline.annotate(&mut doc);
            let ex = extractor.extract(&doc);
            let rows = ex
                .statements
                .iter()
                .filter(|s| s.confidence >= min_confidence)
                .map(|s| Row {
                    file: file.clone(),
                    sentence: s.sentence + 1,
                    subject: ex.label(s.subject).to_string(),
                    relation: s.relation.clone(),
                    object: object_text(&ex, &s.object),
                })
                .collect();
            out.push((file.clone(), ex, rows));
        }
    }
    Ok(out)
}

fn object_text(ex: &Extraction, o: &Arg) -> String {
    match o {
        Arg::Entity(c) => ex.label(*c).to_string(),
        Arg::Literal(t) => format!("\"{}\"", t.replace(['\t', '\n'], " ")),
    }
}

/// Reads `facts.tsv`.
pub fn read_facts(path: &Path) -> Result<Vec<Fact>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 4 {
            return Err(Error::input(
                path,
                Some(n + 1),
                "expected file, subject, relation, object, … separated by tabs",
                "fix the line",
            ));
        }
        out.push(Fact {
            file: c[0].into(),
            subject: c[1].into(),
            relation: c[2].into(),
            object: c[3].into(),
        });
    }
    Ok(out)
}

/// Reads `judged.tsv` (missing: nothing judged yet) into key → correct?
pub fn read_judged(path: &Path) -> Result<BTreeMap<String, bool>> {
    let mut out = BTreeMap::new();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(path, e)),
    };
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        let verdict = c.get(5).copied().unwrap_or("");
        let ok = match verdict {
            "correct" => true,
            "wrong" => false,
            _ => {
                return Err(Error::input(
                    path,
                    Some(n + 1),
                    format!("verdict must be `correct` or `wrong`, not {verdict:?}"),
                    "judge the statement or delete the line",
                ))
            }
        };
        out.insert(c[..5].join("\t"), ok);
    }
    Ok(out)
}

/// Whether a fact's name is the entity's (label or alias) or a word-subset of it either way.
fn name_matches(fact: &str, names: &[&str]) -> bool {
    let f = words(fact);
    !f.is_empty()
        && names.iter().any(|n| {
            let w = words(n);
            !w.is_empty() && (f.iter().all(|x| w.contains(x)) || w.iter().all(|x| f.contains(x)))
        })
}

fn words(s: &str) -> Vec<String> {
    normalise_name(s)
        .split('-')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a quoted fact ("…") matches a literal: the literal holds the quote's first words.
fn literal_matches(fact: &str, literal: &str) -> bool {
    let f = words(fact.split('…').next().unwrap_or(fact));
    let l = words(literal);
    let k = f.len().min(4);
    if k == 0 {
        return false;
    }
    l.windows(k).any(|w| w == &f[..k]) || f.iter().all(|x| l.contains(x))
}

/// Scores rows against facts and judgements.
pub fn score(
    extracted: &[(String, Extraction, Vec<Row>)],
    facts: &[Fact],
    judged: &BTreeMap<String, bool>,
) -> Scores {
    let mut s = Scores::default();
    for (_, _, rows) in extracted {
        for r in rows {
            s.statements += 1;
            let e = s.by_relation.entry(r.relation.clone()).or_default();
            e.0 += 1;
            match judged.get(&r.key()) {
                Some(true) => {
                    s.correct += 1;
                    e.1 += 1;
                }
                Some(false) => {
                    s.wrong += 1;
                    e.2 += 1;
                }
                None => s.unjudged.push(r.clone()),
            }
        }
    }
    for fact in facts {
        s.facts += 1;
        let hit = extracted
            .iter()
            .filter(|(file, _, _)| *file == fact.file)
            .any(|(_, ex, rows)| {
                rows.iter().any(|r| {
                    if r.relation != fact.relation {
                        return false;
                    }
                    let names = |label: &str| -> Vec<String> {
                        ex.clusters
                            .iter()
                            .find(|c| c.label == label)
                            .map(|c| c.names.iter().cloned().collect())
                            .unwrap_or_else(|| vec![label.to_string()])
                    };
                    let sn = names(&r.subject);
                    let subject_ok = name_matches(
                        &fact.subject,
                        &sn.iter().map(String::as_str).collect::<Vec<_>>(),
                    );
                    let object_ok = if let Some(lit) = r.object.strip_prefix('"') {
                        literal_matches(&fact.object, lit)
                    } else {
                        let on = names(&r.object);
                        name_matches(
                            fact.object.trim_matches('"'),
                            &on.iter().map(String::as_str).collect::<Vec<_>>(),
                        )
                    };
                    subject_ok && object_ok
                })
            });
        if hit {
            s.found += 1;
        } else {
            s.missed.push(fact.clone());
        }
    }
    s
}

/// The report `kennis eval --task extract` prints.
pub fn report(s: &Scores, min_confidence: f32, verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "min confidence  {min_confidence:.2}");
    let _ = writeln!(out, "statements      {:>5}", s.statements);
    let _ = writeln!(
        out,
        "judged          {:>5}  correct {} wrong {} unjudged {}",
        s.correct + s.wrong,
        s.correct,
        s.wrong,
        s.unjudged.len()
    );
    let _ = writeln!(out, "precision       {:>8.1} %", s.precision());
    let _ = writeln!(out, "facts           {:>5}  found {}", s.facts, s.found);
    let _ = writeln!(out, "recall          {:>8.1} %", s.recall());
    let _ = writeln!(out, "\nrelation            statements correct wrong");
    for (rel, (n, c, w)) in &s.by_relation {
        let _ = writeln!(out, "{rel:<20}{n:>10}{c:>8}{w:>6}");
    }
    if !s.unjudged.is_empty() {
        let _ = writeln!(out, "\nunjudged (add to judged.tsv with a verdict):");
        for r in &s.unjudged {
            let _ = writeln!(out, "{}\t?", r.key());
        }
    }
    if verbose {
        let _ = writeln!(out, "\nmissed facts:");
        for f in &s.missed {
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}",
                f.file, f.subject, f.relation, f.object
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_as_a_reader_would() {
        assert!(name_matches("Aelvoet", &["Magda Aelvoet"]));
        assert!(name_matches("Magda Aelvoet", &["Aelvoet"]));
        assert!(name_matches("Jaak Gabriëls", &["Jaak Gabriels"]));
        assert!(!name_matches("Jaak Gabriëls", &["Magda Aelvoet"]));
        assert!(!name_matches("", &["x"]));
        assert!(literal_matches(
            "\"Dit is geen goed signaal naar de reiziger\"",
            "Dit is geen goed signaal naar de reiziger, meent de minister"
        ));
        assert!(literal_matches(
            "samenwerking",
            "samenwerking tussen beide landen"
        ));
        assert!(!literal_matches("\"Wij steunen\"", "zij steunen niemand"));
    }

    #[test]
    fn verdicts_must_be_correct_or_wrong() {
        let dir = std::env::temp_dir().join(format!("kennis-judged-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("judged.tsv");
        std::fs::write(&p, "h\na\t1\tX\tmeet\tY\tmaybe\n").unwrap();
        let e = read_judged(&p).unwrap_err().to_string();
        assert!(
            e.contains("judged.tsv") && e.contains('2') && e.contains("maybe"),
            "{e}"
        );
        std::fs::write(&p, "h\na\t1\tX\tmeet\tY\tcorrect\tnote\n").unwrap();
        assert_eq!(read_judged(&p).unwrap().len(), 1);
        assert!(read_judged(&dir.join("none.tsv")).unwrap().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
