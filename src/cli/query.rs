//! `kennis query`: a SPARQL query over articles and RDF files, in memory, without a server.
//!
//! Articles are extracted as `extract` does and merged into one graph, which is exported to
//! N-Quads (each article's statements in the article's named graph) and loaded beside the RDF
//! files into an in-memory Oxigraph store ([`crate::query`]). Bad inputs are reported and left
//! out, as in `extract`; the query still runs on the rest.

use std::path::{Path, PathBuf};

use crate::cli::extract::merge_articles;
use crate::cli::{BatchArgs, Output, QueryArgs};
use crate::error::{Error, Result};
use crate::export::{rdf::prefixes, Iris};
use crate::query::{rdf_format, Dataset, Query, ResultFormat};

pub fn run(args: &QueryArgs) -> Result<u8> {
    // Everything the command line decides is checked before any input is read.
    let options = args.rdf.options()?;
    let iris = Iris::new(&options.base)?;
    let prefixes = prefixes(&iris);
    let mut inputs = args.batch.inputs.clone();
    let (text, origin) = match (&args.query_file, &args.query) {
        (Some(file), first) => {
            // With --query-file there is no query argument: the first argument is an input.
            if let Some(first) = first {
                inputs.insert(0, PathBuf::from(first));
            }
            let text = std::fs::read_to_string(file)
                .map_err(|e| Error::Usage(format!("--query-file {}", Error::io(file, e))))?;
            (text, file.display().to_string())
        }
        (None, Some(query)) => (query.clone(), "the query".to_string()),
        (None, None) => {
            return Err(Error::Usage(
                "no query: give it as the first argument, or name a file with --query-file".into(),
            ))
        }
    };
    let query = Query::parse(&text, &prefixes, &origin).map_err(|e| match e {
        Error::Usage(msg) if args.query_file.is_none() && Path::new(&text).is_file() => {
            Error::Usage(format!(
                "{msg}\n({text} is a file: to read the query from it, use --query-file {text})"
            ))
        }
        e => e,
    })?;
    let format = args.format.unwrap_or_else(|| {
        args.output
            .as_deref()
            .and_then(ResultFormat::from_extension)
            .unwrap_or(ResultFormat::Table)
    });
    format.check(query.form())?;
    let mut out = Output::open(args.output.as_deref())?;

    let verbose = args.batch.verbose;
    let (rdf_files, articles): (Vec<PathBuf>, Vec<PathBuf>) =
        inputs.into_iter().partition(|p| rdf_format(p).is_some());
    let mut dataset = Dataset::default();
    let mut loaded = 0usize;
    let mut failed = false;
    for path in &rdf_files {
        match load_rdf(&mut dataset, path) {
            Ok(n) => {
                loaded += 1;
                if verbose {
                    eprintln!("kennis: {}: {n} quads", path.display());
                }
            }
            Err(e) => {
                eprintln!("kennis: {e}");
                failed = true;
            }
        }
    }
    // Articles: the ones named, or stdin when no input at all is named.
    if !articles.is_empty() || rdf_files.is_empty() {
        let batch = BatchArgs {
            inputs: articles,
            ..args.batch.clone()
        };
        let merged = merge_articles(&batch, &args.graph)?;
        failed |= merged.failed;
        if merged.articles > 0 {
            let n = dataset.add_graph(&merged.graph, &options)?;
            loaded += merged.articles;
            if verbose {
                let s = if merged.articles == 1 { "" } else { "s" };
                eprintln!("kennis: {} article{s}: {n} quads", merged.articles);
            }
        }
    }
    if loaded == 0 && failed {
        eprintln!("kennis: no input could be read, so the query was not run");
        return Ok(1);
    }
    let store = dataset.into_store()?;
    if verbose {
        let n = store.len().unwrap_or(0);
        eprintln!("kennis: {n} distinct quads loaded");
    }
    let bytes = query.run(&store, format, &prefixes)?;
    out.write(&bytes)?;
    out.commit()?;
    Ok(if failed { 1 } else { 0 })
}

/// Reads one RDF file into `dataset`; returns how many quads it held.
fn load_rdf(dataset: &mut Dataset, path: &Path) -> Result<usize> {
    let format = rdf_format(path).expect("only RDF files come here");
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    dataset.add_rdf(path, &bytes, format)
}
