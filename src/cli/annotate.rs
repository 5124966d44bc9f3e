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

use std::collections::HashMap;

use serde::Serialize;

use crate::cli::{AnnotateArgs, AnnotateFormat, LangArg, Output};
use crate::conllu;
use crate::doc::{Doc, Lang};
use crate::error::{Error, Result};
use crate::models::ModelSource;
use crate::pipeline::Pipeline;
use crate::read::{self, Article, Format};

pub fn run(args: &AnnotateArgs) -> Result<u8> {
    let forced = args.input.map(Format::from);
    let inputs = if args.inputs.is_empty() {
        use std::io::IsTerminal as _;
        if std::io::stdin().is_terminal() {
            return Err(Error::Usage(
                "no input: name article files or directories, or pipe text into kennis (`-` reads the terminal)"
                    .into(),
            ));
        }
        vec![std::path::PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let source = args
        .models
        .clone()
        .map_or(ModelSource::Default, ModelSource::Dir);
    let mut pipelines = Pipelines {
        source,
        loaded: HashMap::new(),
    };
    let jobs = match args.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let mut out = Output::open(args.output.as_deref())?;
    let mut ids = read::Ids::default();
    let mut state = State::default();
    // Articles are read in order into a window, annotated in parallel, and written in order.
    let mut window: Vec<Slot> = Vec::new();
    let mut window_bytes = 0usize;
    'files: for file in read::expand(&inputs, forced) {
        let items = match file {
            Ok(path) => read::read_path(&path, forced),
            Err(e) => vec![Err(e)],
        };
        for item in items {
            match item {
                Err(e) => window.push(Slot::Failed(e.to_string())),
                Ok(mut article) => {
                    ids.assign(&mut article);
                    let (lang, why) = choose_lang(&article, args.lang);
                    match pipelines.load(lang) {
                        Err(msg) => window.push(Slot::Failed(format!(
                            "{}: not annotated: {msg}",
                            article.location()
                        ))),
                        Ok(()) => {
                            window_bytes += article.text.len();
                            window.push(Slot::Job(Box::new(Job { article, lang, why })));
                        }
                    }
                }
            }
            if window.len() >= 8 * jobs || window_bytes >= WINDOW_BYTES {
                flush(&mut window, &pipelines, jobs, args, &mut out, &mut state)?;
                window_bytes = 0;
                if out.is_closed() {
                    break 'files;
                }
            }
        }
    }
    flush(&mut window, &pipelines, jobs, args, &mut out, &mut state)?;
    if state.written == 0 && state.failed {
        if let Some(path) = &args.output {
            eprintln!(
                "kennis: nothing written to {} (no input could be read)",
                path.display()
            );
        }
        return Ok(1); // dropping `out` removes its temporary file
    }
    out.commit()?;
    Ok(if state.failed { 1 } else { 0 })
}

/// Text held in memory before a window is annotated and written.
const WINDOW_BYTES: usize = 8 << 20;

#[derive(Default)]
struct State {
    failed: bool,
    written: usize,
}

/// One input in order: an error to report, or an article to annotate.
enum Slot {
    Failed(String),
    Job(Box<Job>),
}

struct Job {
    article: Article,
    lang: Lang,
    why: &'static str,
}

/// Annotates the window's articles on `jobs` threads, then reports and writes in input order.
fn flush(
    window: &mut Vec<Slot>,
    pipelines: &Pipelines,
    jobs: usize,
    args: &AnnotateArgs,
    out: &mut Output,
    state: &mut State,
) -> Result<()> {
    let slots = std::mem::take(window);
    let done = par_map(slots, jobs, |slot| match slot {
        Slot::Failed(msg) => Err(msg),
        Slot::Job(job) => Ok(annotate_one(*job, pipelines, args)),
    });
    for item in done {
        match item {
            Err(msg) => {
                eprintln!("kennis: {msg}");
                state.failed = true;
            }
            Ok((text, report)) => {
                if let Some(report) = report {
                    eprint!("{report}");
                }
                out.write(text.as_bytes())?;
                if out.is_closed() {
                    return Ok(());
                }
                state.written += 1;
            }
        }
    }
    Ok(())
}

/// Annotates one article: its output text and, with `--verbose`, its report.
fn annotate_one(job: Job, pipelines: &Pipelines, args: &AnnotateArgs) -> (String, Option<String>) {
    let Job {
        mut article,
        lang,
        why,
    } = job;
    let location = article.location();
    let line = article.line;
    let dropped = std::mem::take(&mut article.dropped);
    let given_tokens = article.tokens.is_some();
    let mut doc = article.into_doc(lang);
    if given_tokens {
        doc.clear_annotations();
    }
    if let Some(pipeline) = pipelines.get(lang) {
        pipeline.annotate(&mut doc);
    }
    let report = args
        .verbose
        .then(|| report(&location, &doc, lang, why, &dropped));
    let mut buf = String::new();
    match args.format {
        AnnotateFormat::Conllu => conllu::write(&doc, &mut buf),
        AnnotateFormat::Json => {
            let json = JsonDoc::new(&doc, line, &dropped);
            buf = serde_json::to_string(&json).expect("serialising plain data");
            buf.push('\n');
        }
    }
    (buf, report)
}

/// Maps `f` over `items` on up to `jobs` threads, keeping the order.
fn par_map<T: Send, R: Send>(items: Vec<T>, jobs: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    if jobs <= 1 || items.len() <= 1 {
        return items.into_iter().map(f).collect();
    }
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let n = items.len();
    let inputs: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let outputs: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(n) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let item = inputs[i].lock().unwrap_or_else(|e| e.into_inner()).take();
                if let Some(item) = item {
                    let r = f(item);
                    *outputs[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                }
            });
        }
    });
    outputs
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item was processed")
        })
        .collect()
}

/// The pipelines loaded so far; `None` for a language whose models failed to load.
struct Pipelines {
    source: ModelSource,
    loaded: HashMap<Lang, Option<Pipeline>>,
}

impl Pipelines {
    /// Loads `lang`'s models the first time they are needed. The first failure is returned in
    /// full; later articles in that language get a short reference to it.
    fn load(&mut self, lang: Lang) -> std::result::Result<(), String> {
        if let Some(p) = self.loaded.get(&lang) {
            return match p {
                Some(_) => Ok(()),
                None => Err(format!("no {lang} models (see above)")),
            };
        }
        match Pipeline::load(lang, &self.source) {
            Ok(p) => {
                self.loaded.insert(lang, Some(p));
                Ok(())
            }
            Err(e) => {
                self.loaded.insert(lang, None);
                Err(e.to_string())
            }
        }
    }

    fn get(&self, lang: Lang) -> Option<&Pipeline> {
        self.loaded.get(&lang).and_then(Option::as_ref)
    }
}

/// The article's own `lang`, else `--lang`, else (auto) a guess, else Dutch; and why.
fn choose_lang(article: &Article, arg: LangArg) -> (Lang, &'static str) {
    if let Some(l) = article.lang {
        return (l, "declared by the article");
    }
    match arg {
        LangArg::Nl => (Lang::Nl, "--lang"),
        LangArg::En => (Lang::En, "--lang"),
        LangArg::Auto => match read::guess_lang(&article.text) {
            Some(l) => (l, "guessed"),
            None => (Lang::Nl, "no evidence, default"),
        },
    }
}

fn report(location: &str, doc: &Doc, lang: Lang, why: &str, dropped: &[(usize, String)]) -> String {
    let m = &doc.meta;
    let mut parts = vec![
        format!("id {}", m.id.as_deref().unwrap_or("-")),
        format!("language {lang} ({why})"),
    ];
    for (k, v) in [("url", &m.url), ("title", &m.title), ("date", &m.date)] {
        if let Some(v) = v {
            parts.push(format!("{k} {v}"));
        }
    }
    let n = |k: usize, what: &str| format!("{k} {what}{}", if k == 1 { "" } else { "s" });
    parts.push(n(doc.sentences.len(), "sentence"));
    parts.push(n(doc.len(), "token"));
    parts.push(format!("{} dropped", n(dropped.len(), "boilerplate line")));
    let mut out = format!("kennis: {location}: {}\n", parts.join(", "));
    for (line, text) in dropped {
        out.push_str(&format!("kennis:   dropped line {line}: {text}\n"));
    }
    out
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

/// Byte offset → code-point offset, fast for the mostly increasing offsets of tokens.
struct CharOffsets<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        // Token offsets lie on char boundaries (Doc's invariant); `get` guards anyway.
        let step = self
            .text
            .get(self.byte..byte)
            .map_or(byte - self.byte, |s| s.chars().count());
        self.chars += step;
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_code_points_in_any_order() {
        let mut c = CharOffsets::new("Oekraïne “x” y");
        assert_eq!(c.at(0), 0);
        assert_eq!(c.at(9), 8); // after "Oekraïne"
        assert_eq!(c.at(13), 10); // after "Oekraïne “"
        assert_eq!(c.at(2), 2); // backwards
        assert_eq!(c.at(99), 14);
    }

    #[test]
    fn language_choice() {
        let read = |s: &str| {
            read::parse(s.as_bytes(), std::path::Path::new("x.txt"), Format::Text)
                .pop()
                .unwrap()
                .unwrap()
        };
        let nl = read("De minister zei dat het bezoek niet doorgaat.");
        let en = read("The minister said that the visit is off.");
        let declared = read("lang en\n\nDe minister zei dat het bezoek niet doorgaat.");
        let neither = read("Xi Jinping, Moskou, 2023.");
        assert_eq!(choose_lang(&nl, LangArg::Auto).0, Lang::Nl);
        assert_eq!(choose_lang(&en, LangArg::Auto).0, Lang::En);
        assert_eq!(choose_lang(&en, LangArg::Nl).0, Lang::Nl);
        assert_eq!(choose_lang(&neither, LangArg::Auto).0, Lang::Nl);
        // The article's own lang wins over the command line.
        assert_eq!(choose_lang(&declared, LangArg::Nl).0, Lang::En);
        assert_eq!(choose_lang(&declared, LangArg::Auto).0, Lang::En);
    }

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
