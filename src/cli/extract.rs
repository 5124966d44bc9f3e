//! `kennis extract`: articles in, knowledge graph out.
//!
//! Each article is read, annotated and run through the statement rules on its own thread
//! (`-j`); the per-article graphs are merged in input order into one graph (entities meet by
//! slug, so the order of the inputs changes nothing), which is then written in the chosen
//! format, whole or not at all.

use std::path::Path;

use crate::cli::batch::{report, Batch, Failure, Job, Pipelines};
use crate::cli::{BatchArgs, ExtractArgs, GraphArgs, Output};
use crate::error::{Error, Result};
use crate::export::{self, ExportOptions, OutputFormat, Provenance};
use crate::extract::Extractor;
use crate::graph::{DocumentInfo, KnowledgeGraph};
use crate::lexicon::Lexicon;

/// The format to write: `-f`, else `-o`'s extension, else Turtle.
pub fn output_format(format: Option<&str>, output: Option<&Path>) -> Result<OutputFormat> {
    if let Some(f) = format {
        return f.parse();
    }
    match output {
        None => Ok(OutputFormat::Turtle),
        Some(path) => {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            OutputFormat::from_extension(ext).ok_or_else(|| {
                Error::Usage(format!(
                    "cannot tell the format from {}: name it with -f (turtle, ntriples, nquads, trig, rdfxml, jsonld, dot, json, graphml)",
                    path.display()
                ))
            })
        }
    }
}

pub fn run(args: &ExtractArgs) -> Result<u8> {
    // Validate everything the command line decides before reading a single article.
    let format = match (args.stream, args.format.as_deref(), args.output.as_deref()) {
        // A stream goes anywhere (`-o /dev/null`, a pipe): N-Quads unless told otherwise.
        (true, None, out) => out
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .and_then(OutputFormat::from_extension)
            .unwrap_or(OutputFormat::NQuads),
        (_, f, o) => output_format(f, o)?,
    };
    if args.stream && !matches!(format, OutputFormat::NQuads | OutputFormat::JsonLines) {
        return Err(Error::Usage(format!(
            "--stream writes N-Quads (one named graph per article) or JSON Lines (-f jsonl), not {format}"
        )));
    }
    let options = args.rdf.options()?;
    if options.provenance == Provenance::Rdf12 && format == OutputFormat::JsonLd {
        return Err(Error::Usage(
            "JSON-LD cannot carry RDF 1.2 triple terms: use --provenance rdf11 with -f jsonld, or another format (turtle, trig, nquads) with rdf12".into(),
        ));
    }
    // An empty graph checks the base IRI and the format/provenance pair up front.
    export::write(&KnowledgeGraph::new(), format, &options)?;
    let mut out = Output::open(args.output.as_deref())?;
    if args.stream {
        return stream(args, format, &options, out);
    }
    let Merged {
        graph,
        articles,
        failed,
    } = merge_articles(&args.batch, &args.graph)?;
    if articles == 0 && failed {
        if let Some(path) = &args.output {
            eprintln!(
                "kennis: nothing written to {} (no input could be read)",
                path.display()
            );
        }
        return Ok(1);
    }
    let bytes = export::write(&graph, format, &options)?;
    out.write(&bytes)?;
    out.commit()?;
    Ok(if failed { 1 } else { 0 })
}

/// `--stream`: each article's graph is written as soon as it is ready, in input order.
fn stream(
    args: &ExtractArgs,
    format: OutputFormat,
    options: &ExportOptions,
    mut out: Output,
) -> Result<u8> {
    let mut written = 0usize;
    let mut graph_error = false;
    let failed = for_each_graph(&args.batch, &args.graph, |article| {
        eprint!("{}", article.notes);
        match article.graph {
            Ok(g) => {
                if args.graph.explain {
                    eprint!("{}", explain_entities(&g));
                }
                out.write(&export::write(&g, format, options)?)?;
                written += 1;
            }
            Err(e) => {
                eprintln!("kennis: {}: not added to the graph: {e}", article.location);
                graph_error = true;
            }
        }
        Ok(!out.is_closed())
    })?;
    let failed = failed || graph_error;
    if written == 0 && failed {
        return Ok(1);
    }
    out.commit()?;
    Ok(if failed { 1 } else { 0 })
}

/// The articles of a batch merged into one graph.
pub struct Merged {
    pub graph: KnowledgeGraph,
    /// How many articles went into the graph.
    pub articles: usize,
    /// Whether any input failed (it was reported on stderr and left out).
    pub failed: bool,
}

/// Extracts every article of `batch` and merges their graphs in input order (entities meet by
/// slug, so the order changes nothing); notes, failures and, with `--explain`, the entity merges
/// go to stderr.
pub fn merge_articles(batch: &BatchArgs, graph_args: &GraphArgs) -> Result<Merged> {
    let mut graph = KnowledgeGraph::new();
    let mut articles = 0usize;
    let mut graph_error = false;
    let failed = for_each_graph(batch, graph_args, |article| {
        eprint!("{}", article.notes);
        match article
            .graph
            .and_then(|g| graph.extend(g).map_err(|e| e.to_string()))
        {
            Ok(()) => articles += 1,
            Err(e) => {
                eprintln!("kennis: {}: not added to the graph: {e}", article.location);
                graph_error = true;
            }
        }
        Ok(true)
    })?;
    if graph_args.explain && articles > 0 {
        eprint!("{}", explain_entities(&graph));
    }
    Ok(Merged {
        graph,
        articles,
        failed: failed || graph_error,
    })
}

/// One article's graph as [`for_each_graph`] hands it on.
pub struct ArticleGraph {
    /// `path` or `path:line`, for messages.
    pub location: String,
    /// The article's graph (its document, the statements at or above `--min-confidence` and
    /// their entities), or why there is none.
    pub graph: std::result::Result<KnowledgeGraph, String>,
    /// What `--verbose` and `--explain` have to say about it, ready for stderr.
    pub notes: String,
}

/// Reads, annotates and extracts every article of `batch` (in parallel, `-j`) and hands each
/// article's graph to `sink` in input order; `sink` returns whether to go on. Bad inputs are
/// reported on stderr and skipped. Returns whether any input failed. This is what `extract`
/// and every other command that turns articles into graphs are built on.
pub fn for_each_graph(
    batch: &BatchArgs,
    graph: &GraphArgs,
    sink: impl FnMut(ArticleGraph) -> Result<bool>,
) -> Result<bool> {
    let lexicon = lexicon(graph)?;
    let extractor = Extractor::new(&lexicon);
    let verbose = batch.verbose;
    Batch::new(batch)?.run(
        |job, pipelines| extract_one(job, pipelines, &extractor, graph, verbose),
        sink,
    )
}

/// As [`for_each_graph`] over a [`Batch`] set up by the caller (e.g. [`Batch::only`]), with
/// the inputs that could not be read handed to `sink` in their place instead of reported.
pub fn for_each_graph_of(
    batch: Batch,
    verbose: bool,
    graph: &GraphArgs,
    sink: impl FnMut(std::result::Result<ArticleGraph, Failure>) -> Result<bool>,
) -> Result<()> {
    let lexicon = lexicon(graph)?;
    let extractor = Extractor::new(&lexicon);
    batch.run_all(
        |job, pipelines| extract_one(job, pipelines, &extractor, graph, verbose),
        sink,
    )
}

/// The lexicon `--lexicon` names (or the built-in one), once `--min-confidence` is checked.
fn lexicon(graph: &GraphArgs) -> Result<Lexicon> {
    if !(0.0..=1.0).contains(&graph.min_confidence) {
        return Err(Error::Usage(format!(
            "--min-confidence must be between 0 and 1, not {}",
            graph.min_confidence
        )));
    }
    match &graph.lexicon {
        Some(path) => Lexicon::load(path),
        None => Ok(Lexicon::builtin().clone()),
    }
}

/// One article: its graph (or why it has none), and the notes for stderr.
fn extract_one(
    job: Job,
    pipelines: &Pipelines,
    extractor: &Extractor,
    args: &GraphArgs,
    verbose: bool,
) -> ArticleGraph {
    let location = job.article.location();
    let a = match job.annotate(pipelines) {
        Ok(a) => a,
        Err(msg) => {
            return ArticleGraph {
                location,
                graph: Err(msg),
                notes: String::new(),
            }
        }
    };
    let (doc, lang, path) = (&a.doc, a.lang, a.path.clone());
    let extraction = extractor.extract(doc);
    let meta = &doc.meta;
    let info = DocumentInfo {
        id: meta.id.clone().unwrap_or_else(|| "doc".into()),
        source: meta.source.clone().unwrap_or(path),
        url: meta.url.clone(),
        title: meta.title.clone(),
        date: meta.date.clone(),
        language: lang.code().to_string(),
        sentences: doc.sentences.len(),
    };
    let mut graph = KnowledgeGraph::new();
    let result = extraction
        .add_to_graph(doc, info, &mut graph, args.min_confidence)
        .map_err(|e| e.to_string());
    let mut notes = String::new();
    if verbose {
        notes.push_str(&report(&location, doc, lang, a.why, &a.dropped));
        let kept = graph.statement_count();
        notes.push_str(&format!(
            "kennis:   {kept} statements kept of {} found, {} entities\n",
            extraction.statements.len(),
            graph.entity_count()
        ));
    }
    if args.explain {
        for st in &extraction.statements {
            let object = match &st.object {
                crate::extract::Arg::Entity(c) => extraction.label(*c).to_string(),
                crate::extract::Arg::Literal(t) => format!("“{}”", shorten(t, 60)),
            };
            let kept = if st.confidence >= args.min_confidence {
                ""
            } else {
                " (below --min-confidence)"
            };
            notes.push_str(&format!(
                "kennis: explain: {location}: sentence {}: ({}, {}, {}) by {} at {:.2}{kept}\n",
                st.sentence + 1,
                extraction.label(st.subject),
                st.relation,
                object,
                st.rule,
                st.confidence
            ));
        }
    }
    ArticleGraph {
        location,
        graph: result.map(|()| graph),
        notes,
    }
}

/// One line per merge note of every entity, sorted (the graph's order).
pub(crate) fn explain_entities(graph: &KnowledgeGraph) -> String {
    let mut out = String::new();
    for (_, e) in graph.entities() {
        for why in &e.merges {
            out.push_str(&format!("kennis: explain: entity {}: {why}\n", e.label));
        }
    }
    out
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}
