//! Reading CoNLL-2002/2003-style entity files: one token a line, `word [POS …] TAG` separated by
//! white space (the tag is the last column), a blank line after each sentence, and
//! `-DOCSTART-` lines between articles.
//!
//! Tags may be IOB1 (CoNLL-2003: `I-X` starts an entity, `B-X` only splits two adjacent ones) or
//! IOB2 (`B-X` starts every entity); both are read into IOB2. Universal NER's files
//! (`index<TAB>word<TAB>tag<TAB>…`, `#` comment lines, `# newdoc` between documents) are read too,
//! with its types outside PER, LOC, ORG (`OTH`, the stray `B-O`) as `O`. The text of each document is
//! rebuilt from the tokens (a space between tokens, a newline between sentences), so offsets
//! point into it.

use std::path::Path;

use crate::doc::{Annotated, Doc, EntType, Iob, Lang};
use crate::error::{Error, Result};

const HINT: &str = "expected one token a line as `word TAG` or `word POS TAG` with TAG one of O, \
                    B-PER, I-PER, B-LOC, I-LOC, B-ORG, I-ORG, B-MISC, I-MISC, and a blank line \
                    after each sentence";

/// Options for tag sets that differ from CoNLL-2002's.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// Read tags of unknown types (`B-OTH`, `B-O`) as `O` instead of failing.
    pub unknown_types_as_o: bool,
}

/// Reads a CoNLL-2002-style file from disk (see [`read_conll`]).
pub fn read_conll_file(path: &Path, lang: Lang) -> Result<Vec<Doc>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        Error::input(
            path,
            Some(line),
            "invalid UTF-8",
            "convert the file to UTF-8",
        )
    })?;
    read_conll(&text, path, lang)
}

/// Reads a CoNLL-2002-style file into one document per article (`-DOCSTART-` separated; a file
/// without them is one document). `path` is only for messages.
pub fn read_conll(input: &str, path: &Path, lang: Lang) -> Result<Vec<Doc>> {
    read_conll_with(input, path, lang, &ReadOptions::default())
}

pub fn read_conll_with(
    input: &str,
    path: &Path,
    lang: Lang,
    opts: &ReadOptions,
) -> Result<Vec<Doc>> {
    let mut docs = Vec::new();
    let mut doc = new_doc(lang);
    for (n, raw) in input.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(comment) = line.strip_prefix('#') {
            // Universal NER: `# newdoc id = …` starts a document; other comments are skipped.
            if comment.trim_start().starts_with("newdoc") {
                close_sentence(&mut doc);
                if !doc.is_empty() {
                    docs.push(std::mem::replace(&mut doc, new_doc(lang)));
                }
            }
            continue;
        }
        let uner = uner_columns(line);
        let mut cols = line.split_whitespace();
        let Some(word) = uner.map(|(w, _)| w).or_else(|| cols.next()) else {
            close_sentence(&mut doc);
            continue;
        };
        if word == "-DOCSTART-" {
            close_sentence(&mut doc);
            if !doc.is_empty() {
                docs.push(std::mem::replace(&mut doc, new_doc(lang)));
            }
            continue;
        }
        if line.contains('\0') {
            return Err(Error::input(
                path,
                Some(line_no),
                "binary data (NUL byte)",
                HINT,
            ));
        }
        let Some(tag) = uner.map(|(_, t)| t).or_else(|| cols.last()) else {
            return Err(Error::input(
                path,
                Some(line_no),
                format!("a token line needs a tag after the word {word:?}"),
                HINT,
            ));
        };
        let iob = match parse_tag(tag) {
            Some(t) => t,
            None if (opts.unknown_types_as_o || uner.is_some()) && is_tag_shaped(tag) => Iob::O,
            None => {
                return Err(Error::input(
                    path,
                    Some(line_no),
                    format!("unknown entity tag {tag:?}"),
                    HINT,
                ))
            }
        };
        let open_sentence = doc.sentences.last().map_or(0, |s| s.end) < doc.len();
        if !doc.is_empty() {
            doc.text.push(if open_sentence { ' ' } else { '\n' });
        }
        let start = doc.text.len();
        doc.text.push_str(word);
        doc.push_token(start, doc.text.len(), word, true);
        let i = doc.len() - 1;
        doc.ner[i] = iob;
    }
    close_sentence(&mut doc);
    if !doc.is_empty() {
        docs.push(doc);
    }
    if docs.is_empty() {
        return Err(Error::input(path, None, "no tokens found", HINT));
    }
    Ok(docs)
}

/// The word and tag of a Universal NER token line (`index<TAB>word<TAB>tag[<TAB>…]`, the index a
/// number, the tag `O` or tag-shaped), or `None` for any other line.
fn uner_columns(line: &str) -> Option<(&str, &str)> {
    let mut cols = line.split('\t');
    let index = cols.next()?;
    let (word, tag) = (cols.next()?, cols.next()?);
    let is_index = !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit());
    (is_index && (tag == "O" || is_tag_shaped(tag))).then_some((word, tag))
}

fn new_doc(lang: Lang) -> Doc {
    let mut doc = Doc::new(String::new(), lang);
    doc.annotated = Annotated {
        entities: true,
        ..Annotated::default()
    };
    doc
}

/// `O`, or `B-`/`I-` (also `E-`, `S-`, `L-`, `U-` of IOBES/BILOU, read as B/I) with a CoNLL type.
fn parse_tag(tag: &str) -> Option<Iob> {
    if tag == "O" {
        return Some(Iob::O);
    }
    let (prefix, ty) = tag.split_once('-')?;
    let ty = EntType::parse(ty)?;
    match prefix {
        "B" | "S" | "U" => Some(Iob::B(ty)),
        "I" | "E" | "L" => Some(Iob::I(ty)),
        _ => None,
    }
}

fn is_tag_shaped(tag: &str) -> bool {
    tag.split_once('-')
        .is_some_and(|(p, _)| matches!(p, "B" | "I" | "E" | "S" | "L" | "U"))
}

/// Closes the open sentence and rewrites its tags as IOB2: an `I-X` that does not continue an
/// `X` entity starts one.
fn close_sentence(doc: &mut Doc) {
    let start = doc.sentences.last().map_or(0, |s| s.end);
    let mut prev = Iob::O;
    for i in start..doc.len() {
        if let Iob::I(t) = doc.ner[i] {
            if !matches!(prev, Iob::B(p) | Iob::I(p) if p == t) {
                doc.ner[i] = Iob::B(t);
            }
        }
        prev = doc.ner[i];
    }
    doc.close_sentence();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<Vec<Doc>> {
        read_conll(s, Path::new("t.conll"), Lang::Nl)
    }

    #[test]
    fn reads_documents_sentences_and_iob2() {
        let input = "-DOCSTART- -DOCSTART- O\nDe Art O\nWall N B-ORG\nStreet N I-ORG\n\
                     Journal N I-ORG\nmeldt V O\n\nPoetin N B-PER\n\n-DOCSTART- -DOCSTART- O\n\
                     Xi B-PER\nJinping I-PER\n";
        let docs = read(input).unwrap();
        assert_eq!(docs.len(), 2);
        let d = &docs[0];
        assert_eq!(d.text, "De Wall Street Journal meldt\nPoetin");
        assert_eq!(d.sentences.len(), 2);
        assert_eq!(d.sentence_text(1), "Poetin");
        assert_eq!(d.ner[1], Iob::B(EntType::Org));
        assert_eq!(d.ner[3], Iob::I(EntType::Org));
        assert_eq!(d.ner[5], Iob::B(EntType::Per));
        assert!(d.annotated.entities);
        assert_eq!(docs[1].form, vec!["Xi", "Jinping"]);
        for (i, f) in d.form.iter().enumerate() {
            assert_eq!(&d.text[d.start[i] as usize..d.end[i] as usize], f);
        }
    }

    #[test]
    fn iob1_is_converted_to_iob2() {
        let docs =
            read("Jan I-PER\nPiet B-PER\nKlaas I-PER\nin O\nGent I-LOC\nBrugge I-ORG\n").unwrap();
        let tags: Vec<String> = docs[0].ner.iter().map(|t| t.to_string()).collect();
        assert_eq!(tags, ["B-PER", "B-PER", "I-PER", "O", "B-LOC", "B-ORG"]);
    }

    #[test]
    fn errors_name_the_line() {
        let err = read("De O\nfoo\n").unwrap_err().to_string();
        assert!(err.starts_with("t.conll:2: "), "{err}");
        assert!(err.contains("needs a tag"), "{err}");
        let err = read("De O\n\nDe Art B-FOO\n").unwrap_err().to_string();
        assert!(err.starts_with("t.conll:3: "), "{err}");
        assert!(err.contains("unknown entity tag \"B-FOO\""), "{err}");
        let err = read("\n\n-DOCSTART- O\n").unwrap_err().to_string();
        assert!(err.contains("no tokens"), "{err}");
        let dir = std::env::temp_dir().join(format!("kennis-ner-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("latin1.conll");
        std::fs::write(&bad, b"De O\n\nCaf\xe9 B-ORG\n").unwrap();
        let err = read_conll_file(&bad, Lang::Nl).unwrap_err().to_string();
        assert!(err.contains("latin1.conll:3: invalid UTF-8"), "{err}");
        let err = read_conll_file(&dir.join("missing.conll"), Lang::Nl)
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing.conll"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
        let opts = ReadOptions {
            unknown_types_as_o: true,
        };
        let docs = read_conll_with("x B-OTH\n", Path::new("t"), Lang::En, &opts).unwrap();
        assert_eq!(docs[0].ner, vec![Iob::O]);
    }

    #[test]
    fn reads_universal_ner_files() {
        let input = "# newdoc id = a\n# sent_id = a-1\n# text = I met Sara in Tampa Bay\n\
                     1\tI\tO\t-\t-\n2\tmet\tO\t-\t-\n3\tSara\tB-PER\t-\tx\n\
                     4\tin\tO\t-\t-\n5\tTampa\tB-LOC\t-\tx\n6\tBay\tI-LOC\t-\tx\n\n\
                     # newdoc id = b\n# text = Windows 2000\n\
                     1\tWindows\tB-OTH\t-\tx\n2\t2000\tB-O\n";
        let docs = read_conll(input, Path::new("u.iob2"), Lang::En).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].form, ["I", "met", "Sara", "in", "Tampa", "Bay"]);
        let tags: Vec<String> = docs[0].ner.iter().map(|t| t.to_string()).collect();
        assert_eq!(tags, ["O", "O", "B-PER", "O", "B-LOC", "I-LOC"]);
        assert_eq!(
            docs[1].ner,
            [Iob::O, Iob::O],
            "OTH and the stray B-O read as O"
        );
    }
}
