//! `kennis annotate`: articles in, CoNLL-U (or JSON) out.
//!
//! Inputs are read by [`crate::read`] (files, directories, `-`, JSON Lines, CoNLL-U with
//! `--input conllu`). Each article is annotated in the language its `lang` header or field
//! names, else `--lang` (`auto` guesses nl or en from stopwords, and falls back to nl when the
//! text gives no evidence). Models for a language are loaded the first time an article needs
//! them. One bad input is reported on stderr and skipped; the exit code is then 1.
//!
//! # CoNLL-U output (`-f conllu`, the default)
//!
//! Each document starts with `# newdoc id = ID`; then the sentences as [`crate::conllu::write`]
//! writes them. With `--input conllu` the given tokens and sentences are kept and every other
//! column is predicted afresh.
//!
//! # JSON output (`-f json`)
//!
//! JSON Lines: one object per document, one document per line, in input order:
//!
//! ```json
//! {"id": "article-xi-moskou", "source": "examples/article-xi-moskou.txt", "line": null,
//!  "url": null, "title": null, "date": "2023-02", "language": "nl",
//!  "dropped": [{"line": 7, "text": "LEES OOK. …"}],
//!  "sentences": [{"start": 13, "end": 173, "text": "De Chinese president …",
//!                 "tokens": [{"id": 1, "form": "De", "lemma": "de", "upos": "DET",
//!                             "feats": "Definite=Def", "head": 3, "deprel": "det",
//!                             "ner": "O", "start": 13, "end": 15, "space_after": true}]}]}
//! ```
//!
//! - `line`: the JSON Lines line the article came from, else null.
//! - `dropped`: boilerplate lines removed before annotation (line number in the article text).
//! - `start`/`end` (sentences and tokens): character (code point) offsets into the article text
//!   as read (headers included), end exclusive; for `--input conllu` into the text rebuilt from
//!   the forms.
//! - token `id`: 1-based within the sentence, as in CoNLL-U; `head` is the id of the head, 0 for
//!   the root.
//! - `lemma`, `upos`, `feats`, `head`, `deprel`, `ner`: null when the pipeline did not fill that
//!   column; `feats` is the CoNLL-U string (`A=x|B=y`), null when empty; `ner` is IOB2 (`O`,
//!   `B-PER`, `I-LOC`, …).

use serde::Serialize;

use crate::cli::batch::{report, Batch, Job, Pipelines};
use crate::cli::{AnnotateArgs, AnnotateFormat, Output};
use crate::conllu;
use crate::doc::{CharOffsets, Doc};
use crate::error::Result;

pub fn run(args: &AnnotateArgs) -> Result<u8> {
    let batch = Batch::new(&args.batch)?;
    let mut out = Output::open(args.output.as_deref())?;
    let mut written = 0usize;
    let failed = batch.run(
        |job, pipelines| annotate_one(job, pipelines, args),
        |(text, report)| {
            if let Some(report) = report {
                eprint!("{report}");
            }
            out.write(text.as_bytes())?;
            written += 1;
            Ok(!out.is_closed())
        },
    )?;
    if written == 0 && failed {
        if let Some(path) = &args.output {
            eprintln!(
                "kennis: nothing written to {} (no input could be read)",
                path.display()
            );
        }
        return Ok(1); // dropping `out` removes its temporary file
    }
    out.commit()?;
    Ok(if failed { 1 } else { 0 })
}

/// Annotates one article: its output text and, with `--verbose`, its report.
fn annotate_one(job: Job, pipelines: &Pipelines, args: &AnnotateArgs) -> (String, Option<String>) {
    let a = match job.annotate(pipelines) {
        Ok(a) => a,
        Err(msg) => return (String::new(), Some(format!("kennis: {msg}\n"))),
    };
    let (doc, line, dropped) = (&a.doc, a.line, &a.dropped);
    let report = args
        .batch
        .verbose
        .then(|| report(&a.location, doc, a.lang, a.why, dropped));
    let mut buf = String::new();
    match args.format {
        AnnotateFormat::Conllu => conllu::write(doc, &mut buf),
        AnnotateFormat::Json => {
            let json = JsonDoc::new(doc, line, dropped);
            buf = serde_json::to_string(&json).expect("serialising plain data");
            buf.push('\n');
        }
    }
    (buf, report)
}

/// One document of `-f json` output (fields described in the module docs).
#[derive(Serialize)]
struct JsonDoc<'a> {
    id: Option<&'a str>,
    source: Option<&'a str>,
    line: Option<usize>,
    url: Option<&'a str>,
    title: Option<&'a str>,
    date: Option<&'a str>,
    language: &'static str,
    dropped: Vec<JsonDropped<'a>>,
    sentences: Vec<JsonSentence<'a>>,
}

#[derive(Serialize)]
struct JsonDropped<'a> {
    line: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonSentence<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    tokens: Vec<JsonToken<'a>>,
}

#[derive(Serialize)]
struct JsonToken<'a> {
    id: usize,
    form: &'a str,
    lemma: Option<&'a str>,
    upos: Option<&'static str>,
    feats: Option<&'a str>,
    head: Option<u32>,
    deprel: Option<&'a str>,
    ner: Option<String>,
    start: usize,
    end: usize,
    space_after: bool,
}

impl<'a> JsonDoc<'a> {
    fn new(doc: &'a Doc, line: Option<usize>, dropped: &'a [(usize, String)]) -> JsonDoc<'a> {
        let a = doc.annotated;
        let mut chars = CharOffsets::new(&doc.text);
        let nonempty = |s: &'a str| (!s.is_empty()).then_some(s);
        let sentences = doc
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_empty())
            .map(|(k, s)| {
                let tokens = s
                    .range()
                    .map(|i| JsonToken {
                        id: i - s.start + 1,
                        form: &doc.form[i],
                        lemma: a.lemmas.then_some(doc.lemma[i].as_str()),
                        upos: a.tags.then(|| doc.upos[i].as_str()),
                        feats: a.tags.then(|| nonempty(&doc.feats[i])).flatten(),
                        head: a.deps.then_some(doc.head[i]),
                        deprel: a.deps.then(|| nonempty(&doc.deprel[i])).flatten(),
                        ner: a.entities.then(|| doc.ner[i].to_string()),
                        start: chars.at(doc.start[i] as usize),
                        end: chars.at(doc.end[i] as usize),
                        space_after: doc.space_after[i],
                    })
                    .collect::<Vec<_>>();
                JsonSentence {
                    start: tokens.first().map_or(0, |t| t.start),
                    end: tokens.iter().map(|t| t.end).max().unwrap_or(0),
                    text: doc.sentence_text(k),
                    tokens,
                }
            })
            .collect();
        let m = &doc.meta;
        JsonDoc {
            id: m.id.as_deref(),
            source: m.source.as_deref(),
            line,
            url: m.url.as_deref(),
            title: m.title.as_deref(),
            date: m.date.as_deref(),
            language: doc.lang.code(),
            dropped: dropped
                .iter()
                .map(|(line, text)| JsonDropped { line: *line, text })
                .collect(),
            sentences,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Lang;

    #[test]
    fn conllu_input_keeps_only_tokens() {
        let src = "1\tWang\tWANG\tPROPN\t_\tX=Y\t0\troot\t_\tNE=B-PER|SpaceAfter=No\n2\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_\n\n";
        let mut doc = crate::conllu::read(src, std::path::Path::new("g"), Lang::Nl).unwrap();
        doc.clear_annotations();
        let mut out = String::new();
        crate::conllu::write(&doc, &mut out);
        assert_eq!(
            out.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>(),
            [
                "1\tWang\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No",
                "2\t.\t_\t_\t_\t_\t_\t_\t_\t_",
                ""
            ]
        );
        assert_eq!(doc.lemma, ["", ""]);
        assert_eq!(doc.head, [0, 0]);
        assert_eq!(doc.ner, [Default::default(), Default::default()]);
    }

    #[test]
    fn json_document_fields() {
        let text = "  Xi reist.";
        let mut doc = crate::segment::segment(text, Lang::Nl);
        doc.meta.id = Some("d".into());
        let dropped = vec![(3, "Lees ook: x".to_string())];
        let v = serde_json::to_value(JsonDoc::new(&doc, Some(4), &dropped)).unwrap();
        assert_eq!(v["id"], "d");
        assert_eq!(v["line"], 4);
        assert_eq!(v["language"], "nl");
        assert_eq!(v["dropped"][0]["line"], 3);
        let s = &v["sentences"][0];
        assert_eq!(s["start"], 2);
        assert_eq!(s["text"], doc.sentence_text(0));
        assert_eq!(s["tokens"][0]["form"], "Xi");
        assert_eq!(s["tokens"][0]["id"], 1);
        assert_eq!(s["tokens"][0]["start"], 2);
        // Nothing annotated: predicted columns are null, not made up.
        assert!(s["tokens"][0]["upos"].is_null());
        assert!(s["tokens"][0]["head"].is_null());
    }
}
