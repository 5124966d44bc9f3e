//! What `annotate` and `extract` share: loading each language's models once, choosing an
//! article's language, mapping over a batch on several threads, and the `--verbose` report.

use std::collections::{HashMap, HashSet};

use std::path::PathBuf;

use crate::cli::LangArg;
use crate::doc::{Doc, Lang};
use crate::error::{Error, Result};
use crate::models::ModelSource;
use crate::pipeline::Pipeline;
use crate::read::{self, Article, Format};

/// The inputs of a command and how to process them.
pub struct Batch {
    inputs: Vec<PathBuf>,
    forced: Option<Format>,
    lang: LangArg,
    pipelines: Pipelines,
    jobs: usize,
    /// When set, only the articles at these locations are processed (ids are still assigned
    /// over every input, so each article keeps the id it has in the whole batch).
    only: Option<HashSet<String>>,
}

/// An input that could not be read or processed: where (`path` or `path:line`, when known) and
/// why (the whole message, ready for stderr).
#[derive(Clone, Debug)]
pub struct Failure {
    pub location: Option<String>,
    pub message: String,
}

/// One article to process, in the language chosen for it (and why, for `--verbose`).
pub struct Job {
    pub article: Article,
    pub lang: Lang,
    pub why: &'static str,
}

/// An article annotated by its language's pipeline, with what the reports need.
pub struct Annotated {
    pub doc: Doc,
    pub lang: Lang,
    pub why: &'static str,
    /// `path` or `path:line`, for messages.
    pub location: String,
    pub path: String,
    pub line: Option<usize>,
    /// Boilerplate lines dropped before annotation.
    pub dropped: Vec<(usize, String)>,
}

impl Job {
    /// Segments (or takes the given CoNLL-U tokens of) the article and runs the pipeline over
    /// it; given annotations are cleared first, so nothing given passes as predicted.
    pub fn annotate(self, pipelines: &Pipelines) -> std::result::Result<Annotated, String> {
        let Job {
            mut article,
            lang,
            why,
        } = self;
        let location = article.location();
        let pipeline = pipelines
            .get(lang)
            .ok_or_else(|| format!("{location}: no {lang} models"))?;
        let line = article.line;
        let path = article.path.display().to_string();
        let dropped = std::mem::take(&mut article.dropped);
        let given_tokens = article.tokens.is_some();
        let mut doc = article.into_doc(lang);
        if given_tokens {
            doc.clear_annotations();
        }
        pipeline.annotate(&mut doc);
        Ok(Annotated {
            doc,
            lang,
            why,
            location,
            path,
            line,
            dropped,
        })
    }
}

/// `location` and the places it lies within, innermost first: `dir/a.jsonl:3` gives
/// `dir/a.jsonl:3`, `dir/a.jsonl`, `dir`.
pub fn within(location: &str) -> impl Iterator<Item = &str> {
    let outer = location
        .char_indices()
        .rev()
        .filter(|&(i, c)| i > 0 && matches!(c, ':' | '/'))
        .map(move |(i, _)| &location[..i]);
    std::iter::once(location).chain(outer)
}

/// One input in order: an error to report, or an article to process.
enum Slot {
    Failed(Failure),
    Job(Box<Job>),
}

/// Text held in memory before a window is processed and handed on.
const WINDOW_BYTES: usize = 8 << 20;

impl Batch {
    /// No inputs means stdin, unless stdin is a terminal (then it is a usage error).
    pub fn new(args: &crate::cli::BatchArgs) -> Result<Batch> {
        let inputs = &args.inputs;
        let forced = args.input.map(Format::from);
        let (lang, models, jobs) = (args.lang, args.models.clone(), args.jobs);
        let inputs = if inputs.is_empty() {
            use std::io::IsTerminal as _;
            if std::io::stdin().is_terminal() {
                return Err(Error::Usage(
                    "no input: name article files or directories, or pipe text into kennis (`-` reads the terminal)"
                        .into(),
                ));
            }
            vec![PathBuf::from("-")]
        } else {
            inputs.to_vec()
        };
        let jobs = match jobs {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        Ok(Batch {
            inputs,
            forced,
            lang,
            pipelines: Pipelines {
                source: models.map_or(ModelSource::Default, ModelSource::Dir),
                beam: args.beam.map(usize::from),
                try_tags: args.try_tags,
                loaded: HashMap::new(),
            },
            jobs,
            only: None,
        })
    }

    /// Processes only the articles at `locations` (`path` or `path:line`, as
    /// [`Article::location`] gives them, or a file or folder holding them: see [`within`]); the
    /// others are read (so ids come out as in the whole batch) but neither processed nor
    /// reported, and neither are input errors elsewhere.
    pub fn only(mut self, locations: HashSet<String>) -> Batch {
        self.only = Some(locations);
        self
    }

    fn wanted(&self, location: Option<&str>) -> bool {
        match (&self.only, location) {
            (Some(only), Some(l)) => within(l).any(|p| only.contains(p)),
            _ => true,
        }
    }

    /// Reads the articles in order into windows, runs `work` on each window's articles on
    /// several threads, and hands the results to `sink` in input order. Bad inputs are reported
    /// on stderr and skipped. `sink` returns whether to go on (false: stdout was closed).
    /// Returns whether any input failed.
    pub fn run<R: Send>(
        self,
        work: impl Fn(Job, &Pipelines) -> R + Sync,
        mut sink: impl FnMut(R) -> Result<bool>,
    ) -> Result<bool> {
        let mut failed = false;
        self.run_all(work, |item| match item {
            Ok(r) => sink(r),
            Err(f) => {
                eprintln!("kennis: {}", f.message);
                failed = true;
                Ok(true)
            }
        })?;
        Ok(failed)
    }

    /// As [`Batch::run`], but bad inputs go to `sink` too, in their place, for the caller to
    /// report.
    pub fn run_all<R: Send>(
        mut self,
        work: impl Fn(Job, &Pipelines) -> R + Sync,
        mut sink: impl FnMut(std::result::Result<R, Failure>) -> Result<bool>,
    ) -> Result<()> {
        let mut ids = read::Ids::default();
        let mut window: Vec<Slot> = Vec::new();
        let mut window_bytes = 0usize;
        let mut go_on = true;
        let files = read::expand(&self.inputs, self.forced);
        'files: for file in files {
            let items = match file {
                Ok(path) => read::read_path(&path, self.forced),
                Err(e) => vec![Err(e)],
            };
            for item in items {
                match item {
                    Err(e) => {
                        let location = e.location();
                        if !self.wanted(location.as_deref()) {
                            continue;
                        }
                        window.push(Slot::Failed(Failure {
                            location,
                            message: e.to_string(),
                        }))
                    }
                    Ok(mut article) => {
                        ids.assign(&mut article);
                        let location = article.location();
                        if !self.wanted(Some(&location)) {
                            continue;
                        }
                        let (lang, why) = choose_lang(&article, self.lang);
                        match self.pipelines.load(lang) {
                            Err(msg) => window.push(Slot::Failed(Failure {
                                message: format!("{location}: not processed: {msg}"),
                                location: Some(location),
                            })),
                            Ok(()) => {
                                window_bytes += article.text.len();
                                window.push(Slot::Job(Box::new(Job { article, lang, why })));
                            }
                        }
                    }
                }
                if window.len() >= 8 * self.jobs || window_bytes >= WINDOW_BYTES {
                    go_on = self.flush(&mut window, &work, &mut sink)?;
                    window_bytes = 0;
                    if !go_on {
                        break 'files;
                    }
                }
            }
        }
        if go_on {
            self.flush(&mut window, &work, &mut sink)?;
        }
        Ok(())
    }

    fn flush<R: Send>(
        &self,
        window: &mut Vec<Slot>,
        work: &(impl Fn(Job, &Pipelines) -> R + Sync),
        sink: &mut impl FnMut(std::result::Result<R, Failure>) -> Result<bool>,
    ) -> Result<bool> {
        let slots = std::mem::take(window);
        let done = par_map(slots, self.jobs, |slot| match slot {
            Slot::Failed(f) => Err(f),
            Slot::Job(job) => Ok(work(*job, &self.pipelines)),
        });
        for item in done {
            if !sink(item)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Maps `f` over `items` on up to `jobs` threads, keeping the order.
pub fn par_map<T: Send, R: Send>(items: Vec<T>, jobs: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
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
pub struct Pipelines {
    pub source: ModelSource,
    /// Parser beam width chosen on the command line (else the model's).
    pub beam: Option<usize>,
    pub try_tags: bool,
    pub loaded: HashMap<Lang, Option<Pipeline>>,
}

impl Pipelines {
    /// Loads `lang`'s models the first time they are needed. The first failure is returned in
    /// full; later articles in that language get a short reference to it.
    pub fn load(&mut self, lang: Lang) -> std::result::Result<(), String> {
        if let Some(p) = self.loaded.get(&lang) {
            return match p {
                Some(_) => Ok(()),
                None => Err(format!("no {lang} models (see above)")),
            };
        }
        match Pipeline::load(lang, &self.source) {
            Ok(mut p) => {
                if let Some(width) = self.beam {
                    p.parser.set_beam(width);
                }
                p.tagger.set_try_tags(self.try_tags);
                self.loaded.insert(lang, Some(p));
                Ok(())
            }
            Err(e) => {
                self.loaded.insert(lang, None);
                Err(e.to_string())
            }
        }
    }

    pub fn get(&self, lang: Lang) -> Option<&Pipeline> {
        self.loaded.get(&lang).and_then(Option::as_ref)
    }
}

/// The article's own `lang`, else `--lang`, else (auto) a guess, else Dutch; and why.
pub fn choose_lang(article: &Article, arg: LangArg) -> (Lang, &'static str) {
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

pub fn report(
    location: &str,
    doc: &Doc,
    lang: Lang,
    why: &str,
    dropped: &[(usize, String)],
) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_lie_within_their_files_and_folders() {
        let all: Vec<&str> = within("corpus/nl/a.jsonl:3").collect();
        assert_eq!(
            all,
            [
                "corpus/nl/a.jsonl:3",
                "corpus/nl/a.jsonl",
                "corpus/nl",
                "corpus"
            ]
        );
        assert_eq!(within("/a.txt").collect::<Vec<_>>(), ["/a.txt"]);
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
}
