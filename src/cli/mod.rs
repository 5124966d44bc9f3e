//! The command line: clap arguments here, one module per subcommand.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub mod annotate;
pub mod batch;
pub mod extract;
pub mod push;
pub mod query;

#[derive(Parser, Debug)]
#[command(
    name = "kennis",
    version,
    about = "Reads news articles and builds a knowledge graph of who did what to whom."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read articles and write their knowledge graph (statements and entities) as RDF, JSON,
    /// DOT or GraphML.
    Extract(ExtractArgs),
    /// Read articles and send each one's knowledge graph to a triple store (SPARQL 1.1 Graph
    /// Store HTTP Protocol), one named graph per article.
    Push(PushArgs),
    /// Ask a SPARQL query of articles (extracted on the fly) and RDF files, in memory.
    Query(QueryArgs),
    /// Tokenize, tag, lemmatize, parse (and find entities in) articles; write CoNLL-U.
    Annotate(AnnotateArgs),
    /// Rebuild the shipped models from the training data (../shared/data).
    Train(TrainArgs),
    /// Score the models against gold files: tagging, lemmas and parsing on CoNLL-U,
    /// segmentation on treebank text.
    Eval(EvalArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Nl,
    En,
    Auto,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Plain-text articles (files, directories of *.txt, or - for stdin).
    Text,
    /// CoNLL-U: keep the given tokens and sentences, predict everything else.
    Conllu,
    /// JSON Lines: one article per line, `{"text": …, "id": …, "url": …, "title": …, "date": …,
    /// "lang": …}`.
    Jsonl,
}

impl From<InputFormat> for crate::read::Format {
    fn from(f: InputFormat) -> Self {
        match f {
            InputFormat::Text => crate::read::Format::Text,
            InputFormat::Conllu => crate::read::Format::Conllu,
            InputFormat::Jsonl => crate::read::Format::Jsonl,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnnotateFormat {
    Conllu,
    Json,
}

/// What `annotate`, `extract` and `query` share: the inputs and how to read and process them.
#[derive(clap::Args, Clone, Debug)]
pub struct BatchArgs {
    /// Input files, directories (every *.txt inside, recursively) or - for stdin (the default).
    pub inputs: Vec<PathBuf>,
    /// How to read the input [default: by extension: .jsonl/.ndjson JSON Lines, .conllu
    /// CoNLL-U, else text; stdin is text].
    #[arg(long = "input", value_enum)]
    pub input: Option<InputFormat>,
    /// Language of the input (auto: guess nl or en per article); a `lang` header or JSON field
    /// overrides it.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Read models from this directory instead of the ones built into kennis.
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Parser beam width [default: the model's, 2 for the Dutch one]. Wider is more accurate
    /// and slower: 1 parses greedily (fastest), 8 is the width the parser was trained with.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub beam: Option<u16>,
    /// Let the parser decide every tag the tagger is unsure of between two tags that shape the
    /// tree (a preposition or an adverb, a pronoun or a conjunction …; about one word in
    /// thirty-five), not only auxiliary against main verb and verb against noun or adjective, as
    /// it does by default: it parses the sentence with each of the two tags and keeps the better
    /// tree. Slightly more accurate (Alpino dev LAS 81.46 against 81.40, UAS the same 85.70),
    /// about four fifths of the parsing speed; needs a beam (width 2 or more).
    #[arg(long)]
    pub try_tags: bool,
    /// Report what was read and dropped (headers, boilerplate lines) on stderr.
    #[arg(short, long)]
    pub verbose: bool,
    /// Threads to process articles with (0: one per core). Output does not depend on it.
    #[arg(short = 'j', long, default_value_t = 0)]
    pub jobs: usize,
}

#[derive(clap::Args, Debug)]
pub struct AnnotateArgs {
    #[command(flatten)]
    pub batch: BatchArgs,
    /// Output format.
    #[arg(short = 'f', long = "format", value_enum, default_value = "conllu")]
    pub format: AnnotateFormat,
    /// Write to this file instead of stdout (written whole or not at all).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub batch: BatchArgs,
    /// Write to this file instead of stdout (written whole or not at all).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Output format: turtle, ntriples, nquads, trig, rdfxml, jsonld, dot, json, jsonl, graphml
    /// [default: from -o's extension; turtle on stdout, nquads with --stream].
    #[arg(short = 'f', long = "format")]
    pub format: Option<String>,
    #[command(flatten)]
    pub rdf: RdfArgs,
    /// Write each article's graph as soon as it is done, so memory stays bounded by the batch
    /// in flight whatever the input's size: N-Quads (default; one named graph per article) or
    /// JSON Lines (`-f jsonl`, one statement a line). Entities are then not merged across
    /// articles in the output, but carry the same IRIs, so they meet when loaded together.
    #[arg(long)]
    pub stream: bool,
    #[command(flatten)]
    pub graph: GraphArgs,
}

/// How the RDF is shaped: what `extract`, `push` and `query` share.
#[derive(clap::Args, Debug)]
pub struct RdfArgs {
    /// Namespace of the IRIs kennis mints (entities, relations, statements, articles without
    /// a URL); an absolute IRI ending in / or #.
    #[arg(long, default_value = crate::export::DEFAULT_BASE)]
    pub base: String,
    /// How RDF outputs carry statement provenance: rdf11 (rdf:Statement reification, read by
    /// every store) or rdf12 (rdf:reifies with triple terms; not in JSON-LD).
    #[arg(long, default_value = "rdf11")]
    pub provenance: String,
}

impl RdfArgs {
    /// The export options these say (the provenance mode parsed; the base is checked by
    /// [`crate::export::Iris::new`]).
    pub fn options(&self) -> crate::Result<crate::export::ExportOptions> {
        Ok(crate::export::ExportOptions {
            base: self.base.clone(),
            provenance: self.provenance.parse()?,
        })
    }
}

#[derive(clap::Args, Debug)]
pub struct PushArgs {
    #[command(flatten)]
    pub batch: BatchArgs,
    /// The store's SPARQL 1.1 Graph Store Protocol endpoint, e.g. http://localhost:7878/store
    /// (Oxigraph) or http://localhost:3030/DATASET/data (Fuseki). Credentials come from the
    /// environment: KENNIS_STORE_TOKEN, or KENNIS_STORE_USER and KENNIS_STORE_PASSWORD.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// What to send: ntriples (application/n-triples) or turtle (text/turtle).
    #[arg(short = 'f', long = "format", default_value = "ntriples")]
    pub format: String,
    #[command(flatten)]
    pub rdf: RdfArgs,
    /// Articles sent at the same time (extraction goes on meanwhile).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub concurrency: usize,
    /// The longest one request may take, in seconds.
    #[arg(long, default_value_t = 60.0, value_name = "SECS")]
    pub timeout: f64,
    /// Tries again after connection errors, time-outs, HTTP 429 and 5xx, up to N times.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub retries: u32,
    /// The wait before the first retry, in seconds; doubled for each next one.
    #[arg(long, default_value_t = 0.5, value_name = "SECS")]
    pub backoff: f64,
    /// Write the locations of the articles that were not stored to FILE (one a line,
    /// `path` or `path:line`, then a tab and the graph IRI), for --resume.
    #[arg(long, value_name = "FILE")]
    pub failed: Option<PathBuf>,
    /// Send only the articles listed in FILE (as --failed writes it), read from the INPUTs
    /// (the first run's, so each article keeps its id) or, without INPUT, from the files listed.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// Print what would be sent (request, graph IRI, triple count, first lines) on stdout
    /// instead of sending it.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub graph: GraphArgs,
}

#[derive(clap::Args, Debug)]
#[command(mut_arg("inputs", |a| a.help(
    "Articles (files, directories of *.txt, - for stdin: the default) and RDF files (.ttl .nt \
     .nq .trig .rdf .jsonld), in any mix"
)))]
pub struct QueryArgs {
    /// The SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); leave it out with --query-file,
    /// and every argument is an input.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Read the query from this file (e.g. examples/queries/who-met-whom.rq).
    #[arg(long, value_name = "FILE")]
    pub query_file: Option<PathBuf>,
    #[command(flatten)]
    pub batch: BatchArgs,
    /// Result format [default: from -o's extension (.csv .tsv .json .ttl .nt), else table].
    #[arg(short = 'f', long = "format", value_enum)]
    pub format: Option<crate::query::ResultFormat>,
    /// Write to this file instead of stdout (written whole or not at all).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    // How the articles' RDF is shaped; --base also moves the prefixes the query may use
    // undeclared (ent:, kr:, stmt:, doc:).
    #[command(flatten)]
    pub rdf: RdfArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
}

/// How statements are extracted: what every command that builds graphs from articles shares.
#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// Keep only statements with at least this confidence (0 to 1).
    #[arg(long, default_value_t = DEFAULT_MIN_CONFIDENCE)]
    pub min_confidence: f32,
    /// A relation lexicon to use instead of the built-in one (same columns as
    /// schema/relations.tsv).
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
    /// Explain on stderr why mentions were merged into each entity and which rule made each
    /// statement.
    #[arg(long)]
    pub explain: bool,
}

/// The default of `--min-confidence`: drops only the weakest guesses (open relations, 0.45;
/// see the README's accuracy section).
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// The training data folder (see its README).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the models (`<out>/<lang>/<model>.bin`).
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// Language to train.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Train only these models (tagger, lemmatizer, parser, ner; relabel: only the parser's
    /// label second look, added to the parser already in --out); default: all.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Training epochs (default: each model's own).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Seed of the parser's sentence shuffling (default: 2, the shipped model's). Training is
    /// deterministic: the same data and seed give the same bytes.
    #[arg(long)]
    pub parser_seed: Option<u64>,
    /// Train the parser on only this share (0 to 1) of the newspaper treebank's sentences
    /// (Dutch: Alpino train partial), spread evenly over the file, to see how parsing accuracy
    /// grows with in-domain data (default: all of them).
    #[arg(long, value_parser = parse_share)]
    pub parser_news_share: Option<f64>,
}

fn parse_share(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not a share between 0 and 1")),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalTask {
    /// UPOS, FEATS, LEMMA, UAS, LAS with gold tokens (CoNLL-U in).
    Parse,
    /// Token and sentence F1 of the segmenter against treebank text.
    Segment,
    /// Entity precision, recall and F1 (exact spans) on CoNLL-2002-style files.
    Ner,
    /// Statement precision (against judged.tsv) and recall (against facts.tsv) on a folder of
    /// articles, e.g. tests/data/extract-dev.
    Extract,
}

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Gold files (CoNLL-U; for `--task ner`, CoNLL-2002 `word POS IOB` lines).
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    /// What to evaluate.
    #[arg(long, value_enum, default_value = "parse")]
    pub task: EvalTask,
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Read models from this directory instead of the ones built into kennis.
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Parser beam width [default: the model's]; see `annotate --beam`.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub beam: Option<u16>,
    /// Let the parser decide every tag the tagger is unsure of; see `annotate --try-tags`.
    #[arg(long)]
    pub try_tags: bool,
    /// For `--task parse`: lemmatize and parse over the gold file's UPOS and FEATS instead of
    /// the tagger's, to see what tagging errors cost the later stages.
    #[arg(long)]
    pub gold_tags: bool,
    /// For `--task parse`: like `--gold-tags`, but only where the gold and the predicted UPOS
    /// are both among these tags (comma-separated, e.g. AUX,VERB), to see what one confusion
    /// costs.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "UPOS,…",
        conflicts_with = "gold_tags"
    )]
    pub gold_tags_among: Vec<String>,
    /// For `--task extract`: keep only statements with at least this confidence.
    #[arg(long, default_value_t = DEFAULT_MIN_CONFIDENCE)]
    pub min_confidence: f32,
    /// List what kennis got wrong: for `--task extract` the facts it missed, for `--task ner`
    /// every entity it missed, mistyped, cut wrongly or made up.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Writes the output whole or not at all: to a temporary file beside `path`, then renamed over
/// it; to stdout when `path` is `None` (a closed pipe ends quietly).
pub fn write_output(path: Option<&std::path::Path>, bytes: &[u8]) -> crate::Result<()> {
    let mut out = Output::open(path)?;
    out.write(bytes)?;
    out.commit()
}

/// Where a command writes, streaming: stdout, or a file that appears whole or not at all.
///
/// A file is written to a temporary file beside it (`.NAME.kennis-PID-N.tmp`, created at
/// [`Output::open`], so a bad `-o` fails before any work) and renamed over `NAME` by
/// [`Output::commit`]; dropping an uncommitted `Output` removes the temporary file and leaves
/// any old `NAME` untouched. On stdout a closed pipe (`kennis … | head -1`) is not an error:
/// writes are then discarded and [`Output::is_closed`] says so, so the caller can stop early.
pub struct Output {
    sink: Sink,
    closed: bool,
}

enum Sink {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File {
        path: std::path::PathBuf,
        tmp: std::path::PathBuf,
        file: Option<std::io::BufWriter<std::fs::File>>,
    },
}

impl Output {
    /// Stdout when `path` is `None`, else a new temporary file beside `path`.
    pub fn open(path: Option<&std::path::Path>) -> crate::Result<Output> {
        let sink = match path {
            None => Sink::Stdout(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout().lock(),
            )),
            Some(path) => {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(std::path::Path::new("."));
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "output".into());
                let mut n = 0;
                loop {
                    let tmp = dir.join(format!(".{name}.kennis-{}-{n}.tmp", std::process::id()));
                    match std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&tmp)
                    {
                        Ok(f) => {
                            break Sink::File {
                                path: path.to_path_buf(),
                                tmp,
                                file: Some(std::io::BufWriter::new(f)),
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => {
                            n += 1
                        }
                        Err(e) => return Err(crate::Error::io(path, e)),
                    }
                }
            }
        };
        Ok(Output {
            sink,
            closed: false,
        })
    }

    /// Writes `bytes` (discarded once stdout is closed).
    pub fn write(&mut self, bytes: &[u8]) -> crate::Result<()> {
        use std::io::Write as _;
        if self.closed {
            return Ok(());
        }
        match &mut self.sink {
            Sink::Stdout(w) => match w.write_all(bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    self.closed = true;
                    Ok(())
                }
                r => r.map_err(|e| crate::Error::io("<stdout>", e)),
            },
            Sink::File { path, file, .. } => file
                .as_mut()
                .map_or(Ok(()), |f| f.write_all(bytes))
                .map_err(|e| crate::Error::io(&*path, e)),
        }
    }

    /// Whether stdout's reader has gone away (nothing more will be written).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Finishes the output: flushes stdout, or moves the complete file into place.
    pub fn commit(mut self) -> crate::Result<()> {
        use std::io::Write as _;
        match &mut self.sink {
            Sink::Stdout(w) => match w.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(crate::Error::io("<stdout>", e))
                }
                _ => Ok(()),
            },
            Sink::File { path, tmp, file } => {
                let result = match file.take() {
                    Some(f) => f
                        .into_inner()
                        .map_err(|e| e.into_error())
                        .and_then(|f| f.sync_all())
                        .and_then(|_| std::fs::rename(&*tmp, &*path)),
                    None => Ok(()),
                };
                // On success the temporary file is gone; on failure Drop removes it.
                result.map_err(|e| crate::Error::io(&*path, e))
            }
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Sink::File { tmp, .. } = &self.sink {
            // Harmless when the rename has already moved it.
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// The language to use when the command line says `auto` and nothing else decides: Dutch.
pub fn resolve_lang(lang: LangArg) -> crate::doc::Lang {
    match lang {
        LangArg::En => crate::doc::Lang::En,
        LangArg::Nl | LangArg::Auto => crate::doc::Lang::Nl,
    }
}
