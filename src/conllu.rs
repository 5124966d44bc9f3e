//! CoNLL-U reading and writing (<https://universaldependencies.org/format.html>).
//!
//! Reading keeps the syntactic words (multi-word token ranges give the surface text; empty nodes
//! `8.1` of enhanced graphs are skipped) and rebuilds the document text from the forms and
//! `SpaceAfter=No`, so token offsets point into that text. `NE=B-PER` … in MISC fills the entity
//! column. Errors name the line.

use std::fmt::Write as _;
use std::path::Path;

use crate::doc::{Annotated, Doc, Iob, Lang, Upos};
use crate::error::{Error, Result};

const HINT: &str =
    "CoNLL-U needs 10 tab-separated columns per word line and a blank line after each sentence";

/// Reads CoNLL-U text into one document holding all its sentences. `path` is only for messages.
pub fn read(input: &str, path: &Path, lang: Lang) -> Result<Doc> {
    let mut doc = Doc::new(String::with_capacity(input.len()), lang);
    let mut sent = SentenceBuf::default();
    let mut seen = Annotated::default();
    for (n, raw) in input.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            sent.flush(&mut doc, path, line_no)?;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(Error::input(
                path,
                Some(line_no),
                format!("expected 10 tab-separated columns, found {}", cols.len()),
                HINT,
            ));
        }
        let id = cols[0];
        if id.contains('.') {
            continue; // an empty node of the enhanced graph
        }
        if let Some((a, b)) = id.split_once('-') {
            let (a, b) = (parse_id(a, path, line_no)?, parse_id(b, path, line_no)?);
            if b < a {
                return Err(Error::input(
                    path,
                    Some(line_no),
                    format!("bad range {id}"),
                    HINT,
                ));
            }
            sent.mwt
                .push((a, b, cols[1].to_string(), space_after(cols[9])));
            continue;
        }
        let idn = parse_id(id, path, line_no)?;
        if idn != sent.words.len() + 1 {
            return Err(Error::input(
                path,
                Some(line_no),
                format!(
                    "word ID {idn} out of sequence (expected {})",
                    sent.words.len() + 1
                ),
                HINT,
            ));
        }
        let upos = match cols[3] {
            "_" => None,
            u => Some(Upos::parse(u).ok_or_else(|| {
                Error::input(path, Some(line_no), format!("unknown UPOS {u:?}"), HINT)
            })?),
        };
        let head = match cols[6] {
            "_" => None,
            h => Some(h.parse::<u32>().map_err(|_| {
                Error::input(
                    path,
                    Some(line_no),
                    format!("HEAD {h:?} is not a number"),
                    HINT,
                )
            })?),
        };
        let ner = cols[9]
            .split('|')
            .find_map(|kv| kv.strip_prefix("NE="))
            .map(|t| {
                Iob::parse(t).ok_or_else(|| {
                    Error::input(
                        path,
                        Some(line_no),
                        format!("bad entity tag NE={t}"),
                        "use O, B-PER, I-LOC, … (IOB2)",
                    )
                })
            })
            .transpose()?;
        seen.tags |= upos.is_some();
        seen.lemmas |= cols[2] != "_" || cols[1] == "_";
        seen.deps |= head.is_some();
        seen.entities |= ner.is_some();
        sent.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos,
            feats: if cols[5] == "_" {
                String::new()
            } else {
                cols[5].to_string()
            },
            head,
            deprel: if cols[7] == "_" {
                String::new()
            } else {
                cols[7].to_string()
            },
            ner: ner.unwrap_or_default(),
            space_after: space_after(cols[9]),
            line: line_no,
        });
    }
    sent.flush(&mut doc, path, input.lines().count() + 1)?;
    doc.annotated = seen;
    Ok(doc)
}

fn parse_id(s: &str, path: &Path, line: usize) -> Result<usize> {
    s.parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| Error::input(path, Some(line), format!("bad word ID {s:?}"), HINT))
}

fn space_after(misc: &str) -> bool {
    !misc.split('|').any(|kv| kv == "SpaceAfter=No")
}

struct Word {
    form: String,
    lemma: String,
    upos: Option<Upos>,
    feats: String,
    head: Option<u32>,
    deprel: String,
    ner: Iob,
    space_after: bool,
    line: usize,
}

#[derive(Default)]
struct SentenceBuf {
    words: Vec<Word>,
    mwt: Vec<(usize, usize, String, bool)>,
}

impl SentenceBuf {
    fn flush(&mut self, doc: &mut Doc, path: &Path, line_no: usize) -> Result<()> {
        if self.words.is_empty() {
            if !self.mwt.is_empty() {
                return Err(Error::input(
                    path,
                    Some(line_no),
                    "multi-word token without words",
                    HINT,
                ));
            }
            return Ok(());
        }
        let n = self.words.len();
        for w in &self.words {
            if w.head.is_some_and(|h| h as usize > n) {
                return Err(Error::input(
                    path,
                    Some(w.line),
                    format!(
                        "HEAD {} points outside the sentence of {n} words",
                        w.head.unwrap()
                    ),
                    HINT,
                ));
            }
        }
        if !doc.text.is_empty() && !doc.text.ends_with('\n') {
            doc.text.push('\n');
        }
        let mut i = 0;
        while i < n {
            let start = doc.text.len();
            if let Some(&(a, b, ref form, sa)) = self.mwt.iter().find(|m| m.0 == i + 1) {
                doc.text.push_str(form);
                let end = doc.text.len();
                for k in (a - 1)..b.min(n) {
                    let w = &self.words[k];
                    doc.push_token(start, end, w.form.clone(), sa && k + 1 == b);
                    fill(doc, w);
                }
                if sa && b < n {
                    doc.text.push(' ');
                }
                i = b.max(i + 1);
                continue;
            }
            let w = &self.words[i];
            doc.text.push_str(&w.form);
            let end = doc.text.len();
            doc.push_token(start, end, w.form.clone(), w.space_after);
            fill(doc, w);
            if w.space_after && i + 1 < n {
                doc.text.push(' ');
            }
            i += 1;
        }
        doc.close_sentence();
        self.words.clear();
        self.mwt.clear();
        Ok(())
    }
}

fn fill(doc: &mut Doc, w: &Word) {
    let t = doc.len() - 1;
    doc.upos[t] = w.upos.unwrap_or_default();
    doc.feats[t] = w.feats.clone();
    doc.lemma[t] = if w.lemma == "_" && w.form != "_" {
        String::new()
    } else {
        w.lemma.clone()
    };
    doc.head[t] = w.head.unwrap_or(0);
    doc.deprel[t] = w.deprel.clone();
    doc.ner[t] = w.ner;
}

/// Writes a document as CoNLL-U: ID, FORM, LEMMA, UPOS, XPOS (`_`), FEATS, HEAD, DEPREL, DEPS
/// (`_`), MISC (`NE=…` on entity tokens, `SpaceAfter=No` where it applies). Columns the document
/// has no annotation for are `_`. A document with an id starts with `# newdoc id = …`.
pub fn write(doc: &Doc, out: &mut String) {
    let a = doc.annotated;
    if let Some(id) = &doc.meta.id {
        let _ = writeln!(out, "# newdoc id = {}", one_line(id));
    }
    for (k, sent) in doc.sentences.iter().enumerate() {
        let _ = writeln!(out, "# sent_id = {}", k + 1);
        let _ = writeln!(out, "# text = {}", one_line(doc.sentence_text(k)));
        for i in sent.range() {
            let or_blank = |s: &str| {
                if s.is_empty() {
                    "_".to_string()
                } else {
                    s.to_string()
                }
            };
            let upos = if a.tags { doc.upos[i].as_str() } else { "_" };
            let feats = if a.tags {
                or_blank(&doc.feats[i])
            } else {
                "_".into()
            };
            let lemma = if a.lemmas {
                or_blank(&doc.lemma[i])
            } else {
                "_".into()
            };
            let (head, deprel) = if a.deps {
                (doc.head[i].to_string(), or_blank(&doc.deprel[i]))
            } else {
                ("_".into(), "_".into())
            };
            let mut misc = Vec::new();
            if a.entities && doc.ner[i] != Iob::O {
                misc.push(format!("NE={}", doc.ner[i]));
            }
            if !doc.space_after[i] {
                misc.push("SpaceAfter=No".to_string());
            }
            let misc = if misc.is_empty() {
                "_".to_string()
            } else {
                misc.join("|")
            };
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t_\t{}\t{}\t{}\t_\t{}",
                i - sent.start + 1,
                field(&doc.form[i]),
                field(&lemma),
                upos,
                feats,
                head,
                deprel,
                misc
            );
        }
        out.push('\n');
    }
}

/// CoNLL-U fields may not hold tabs or newlines; forms with spaces are allowed in UD v2.
fn field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# text = Wang ontmoette Lavrov.\n\
1\tWang\tWang\tPROPN\t_\t_\t2\tnsubj\t_\tNE=B-PER\n\
2\tontmoette\tontmoeten\tVERB\t_\tNumber=Sing|Tense=Past|VerbForm=Fin\t0\troot\t_\t_\n\
3\tLavrov\tLavrov\tPROPN\t_\t_\t2\tobj\t_\tNE=B-PER|SpaceAfter=No\n\
4\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n";

    #[test]
    fn reads_columns_and_rebuilds_text() {
        let doc = read(SAMPLE, Path::new("x.conllu"), Lang::Nl).unwrap();
        assert_eq!(doc.text, "Wang ontmoette Lavrov.");
        assert_eq!(doc.len(), 4);
        assert_eq!(doc.head_index(0), Some(1));
        assert_eq!(doc.token(1).feat("Tense"), Some("Past"));
        assert_eq!(doc.ner[2], Iob::parse("B-PER").unwrap());
        assert_eq!(&doc.text[doc.start[3] as usize..doc.end[3] as usize], ".");
    }

    #[test]
    fn write_then_read_gives_the_same_document() {
        let doc = read(SAMPLE, Path::new("x"), Lang::Nl).unwrap();
        let mut out = String::new();
        write(&doc, &mut out);
        let back = read(&out, Path::new("y"), Lang::Nl).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "1\tWang\tWang\tPROPN\t_\t_\t2\tnsubj\t_\n";
        let err = read(bad, Path::new("bad.conllu"), Lang::Nl)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("bad.conllu:1: expected 10"), "{err}");
        let bad = SAMPLE.replace("\t0\troot", "\t9\troot");
        let err = read(&bad, Path::new("b"), Lang::Nl)
            .unwrap_err()
            .to_string();
        assert!(err.contains("b:3") && err.contains("outside"), "{err}");
        let bad = SAMPLE.replace("PROPN\t_\t_\t2", "NOUNY\t_\t_\t2");
        assert!(read(&bad, Path::new("b"), Lang::Nl).is_err());
    }

    proptest::proptest! {
        /// Any text, segmented and annotated with arbitrary labels, written as CoNLL-U and read
        /// back gives the same tokens, spacing, sentences and columns.
        #[test]
        fn conllu_written_then_read_gives_the_same_document(text in "\\PC{0,160}", seed in 0u64..1000) {
            let mut doc = crate::segment::segment(&text, Lang::Nl);
            let mut rng = crate::perceptron::Rng::new(seed);
            for i in 0..doc.len() {
                doc.upos[i] = Upos::ALL[rng.below(Upos::ALL.len())];
                doc.lemma[i] = format!("l{}", rng.below(50));
                doc.feats[i] = if rng.chance(0.5) { "Number=Sing".into() } else { String::new() };
                let s = doc.sentences[doc.sentence_of(i).unwrap()];
                doc.head[i] = rng.below(s.len() + 1) as u32;
                doc.deprel[i] = "nsubj".into();
                doc.ner[i] = if rng.chance(0.3) { Iob::B(crate::doc::EntType::Per) } else { Iob::O };
            }
            doc.annotated = Annotated { tags: true, lemmas: true, deps: true, entities: true };
            let mut out = String::new();
            write(&doc, &mut out);
            let back = read(&out, Path::new("p"), Lang::Nl).unwrap();
            proptest::prop_assert_eq!(&back.form, &doc.form);
            proptest::prop_assert_eq!(&back.sentences, &doc.sentences);
            proptest::prop_assert_eq!(&back.upos, &doc.upos);
            proptest::prop_assert_eq!(&back.lemma, &doc.lemma);
            proptest::prop_assert_eq!(&back.feats, &doc.feats);
            proptest::prop_assert_eq!(&back.head, &doc.head);
            proptest::prop_assert_eq!(&back.deprel, &doc.deprel);
            proptest::prop_assert_eq!(&back.ner, &doc.ner);
            for s in &doc.sentences {
                // Spacing inside a sentence survives; the last token's follows the sentence.
                proptest::prop_assert_eq!(&back.space_after[s.start..s.end - 1], &doc.space_after[s.start..s.end - 1]);
            }
        }
    }

    #[test]
    fn multiword_tokens_and_empty_nodes() {
        let s = "1-2\tvom\t_\t_\t_\t_\t_\t_\t_\t_\n1\tvon\tvon\tADP\t_\t_\t3\tcase\t_\t_\n2\tdem\tder\tDET\t_\t_\t3\tdet\t_\t_\n2.1\tx\tx\tX\t_\t_\t_\t_\t_\t_\n3\tHaus\tHaus\tNOUN\t_\t_\t0\troot\t_\t_\n\n";
        let doc = read(s, Path::new("m"), Lang::En).unwrap();
        assert_eq!(doc.text, "vom Haus");
        assert_eq!(doc.form, vec!["von", "dem", "Haus"]);
        assert_eq!((doc.start[1], doc.end[1]), (0, 3));
    }
}
