//! `kennis push`: articles in, one named graph per article in a triple store.
//!
//! Each article's graph — exactly what `kennis extract ARTICLE -f nt` writes: its statements
//! (fact and statement layers), the entities they use, the article's own description and the
//! definitions of the relations it uses — is sent with the SPARQL 1.1 Graph Store HTTP Protocol
//! as `PUT {URL}?graph={article IRI}`, which replaces that graph whole. Everything of one article
//! sits in that one graph and nothing of it anywhere else, so sending an article again replaces
//! exactly what it said before, and pushing twice changes nothing.
//!
//! Articles are extracted in input order on `-j` threads while `--concurrency` workers send the
//! finished ones, pulling from a bounded queue (so memory stays flat however long the batch).
//! Results are put back in input order for `-v` and the summary, and for `--failed`: the list
//! of articles that were not stored, which `--resume` reads back.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use crate::cli::batch::{within, Batch, Failure};
use crate::cli::extract::{explain_entities, for_each_graph_of, ArticleGraph};
use crate::cli::{BatchArgs, Output, PushArgs};
use crate::error::{Error, Result};
use crate::export::{self, ExportOptions, Iris, OutputFormat};
use crate::graph::KnowledgeGraph;
use crate::store::{Auth, Policy, Refused, Sent, Store};

/// Lines of each graph `--dry-run` shows.
const PREVIEW_LINES: usize = 5;

/// After this many articles in a row could not reach the store at all (at least; twice
/// `--concurrency` when that is more), the rest are not tried: the store is down.
const UNREACHABLE_IN_A_ROW: usize = 8;

pub fn run(args: &PushArgs) -> Result<u8> {
    let started = Instant::now();
    // Everything the command line decides is checked before a single article is read.
    let (format, content_type) = match args.format.parse::<OutputFormat>()? {
        OutputFormat::NTriples => (OutputFormat::NTriples, "application/n-triples"),
        OutputFormat::Turtle => (OutputFormat::Turtle, "text/turtle"),
        other => {
            return Err(Error::Usage(format!(
                "push sends ntriples or turtle, not {other}"
            )))
        }
    };
    let options = args.rdf.options()?;
    let iris = Iris::new(&options.base)?;
    if args.concurrency == 0 {
        return Err(Error::Usage("--concurrency must be at least 1".into()));
    }
    let policy = Policy {
        timeout: seconds(args.timeout, "--timeout")?,
        retries: args.retries,
        backoff: seconds(args.backoff, "--backoff")?,
    };
    let auth = Auth::from_env()?;
    let store = Store::new(&args.to, auth.clone(), policy)?;
    let listed = match &args.resume {
        Some(path) => Some(read_list(path)?),
        None => None,
    };
    // Opened now (a temporary file beside it), so a --failed that cannot be written stops the
    // run before anything is sent rather than after.
    let failed_out = match (&args.failed, args.dry_run) {
        (Some(path), false) => Some(Output::open(Some(path))?),
        _ => None,
    };
    let batch = match &listed {
        None => Batch::new(&args.batch)?,
        Some(list) if list.is_empty() => {
            eprintln!(
                "kennis: push: {} lists no article: nothing to send",
                args.resume.as_deref().unwrap_or(Path::new("")).display()
            );
            if let Some(out) = failed_out {
                out.commit()?;
            }
            return Ok(0);
        }
        Some(list) => {
            let inputs = if args.batch.inputs.is_empty() {
                list_inputs(list)
            } else {
                args.batch.inputs.clone()
            };
            let batch = BatchArgs {
                inputs,
                ..args.batch.clone()
            };
            Batch::new(&batch)?.only(list.iter().map(|l| l.location.clone()).collect())
        }
    };
    let out = if args.dry_run {
        Some(Output::open(None)?)
    } else {
        None
    };
    let mut push = Push {
        args,
        prepare: Prepare {
            format,
            options: &options,
            iris: &iris,
            listed: listed
                .iter()
                .flatten()
                .filter_map(|l| Some((l.location.clone(), l.graph.clone()?)))
                .collect(),
            graphs: HashMap::new(),
        },
        store: &store,
        content_type,
        report: Report::new(args.batch.verbose),
    };
    match out {
        Some(mut out) => {
            push.dry_run(batch, &mut out)?;
            out.commit()?;
        }
        None => push.send(batch)?,
    }
    let mut records = push.report.finish();
    if let Some(list) = &listed {
        records.extend(missing(list, &records));
    }
    let failed = records.iter().filter(|r| r.result.is_err()).count();
    summary(args, &records, auth.as_ref(), started.elapsed());
    if let Some(mut out) = failed_out {
        out.write(failed_list(&records).as_bytes())?;
        out.commit()?;
    }
    Ok(if failed > 0 { 1 } else { 0 })
}

fn seconds(value: f64, option: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| Error::Usage(format!("{option} must be a number of seconds, not {value}")))
}

/// One article ready to send.
struct Ready {
    index: usize,
    location: String,
    graph: String,
    triples: usize,
    body: Vec<u8>,
}

/// What became of one article (or of one input that could not be read), for the report.
struct Record {
    location: String,
    /// The graph IRI, once the article was extracted.
    graph: Option<String>,
    triples: usize,
    result: std::result::Result<Sent, String>,
    /// Whether `--failed` lists it when it failed (not an article whose graph is another's).
    resend: bool,
}

impl Record {
    fn failed(location: String, graph: Option<String>, reason: String) -> Record {
        Record {
            location,
            graph,
            triples: 0,
            result: Err(reason),
            resend: true,
        }
    }
}

/// Turns each article's graph into the bytes to send, refusing what must not be sent.
struct Prepare<'a> {
    format: OutputFormat,
    options: &'a ExportOptions,
    iris: &'a Iris,
    /// The graph IRI each article had when `--failed` listed it (with `--resume`).
    listed: HashMap<String, String>,
    /// The articles seen so far, by graph IRI.
    graphs: HashMap<String, String>,
}

impl Prepare<'_> {
    fn prepare(
        &mut self,
        index: usize,
        item: std::result::Result<ArticleGraph, Failure>,
        explain: bool,
    ) -> std::result::Result<Ready, Record> {
        let article = match item {
            Ok(a) => a,
            Err(f) => {
                let location = f.location.unwrap_or_default();
                let reason = f
                    .message
                    .strip_prefix(&format!("{location}: "))
                    .unwrap_or(&f.message)
                    .to_string();
                return Err(Record::failed(location, None, reason));
            }
        };
        eprint!("{}", article.notes);
        let location = article.location;
        let graph = match article.graph {
            Ok(g) => g,
            Err(e) => {
                return Err(Record::failed(
                    location,
                    None,
                    format!("not extracted: {e}"),
                ))
            }
        };
        if explain {
            eprint!("{}", explain_entities(&graph));
        }
        let iri = match graph.documents().next() {
            Some(doc) => self.iris.document(doc),
            None => {
                return Err(Record::failed(
                    location,
                    None,
                    "no article in its graph".into(),
                ))
            }
        };
        if let Some(before) = self.listed.get(&location).filter(|b| **b != iri) {
            return Err(Record::failed(
                location,
                Some(before.clone()),
                format!(
                    "its graph would now be <{iri}>, not <{before}> as when it was listed: \
                     resume with the first run's inputs and --base"
                ),
            ));
        }
        if let Some(first) = self.graphs.get(&iri) {
            let reason = format!(
                "not sent: {first} has the same graph <{iri}> (the same url), \
                 which this one would replace; give each article its own url"
            );
            return Err(Record {
                resend: false,
                ..Record::failed(location, Some(iri.clone()), reason)
            });
        }
        self.graphs.insert(iri.clone(), location.clone());
        let (body, triples) = match self.body(&graph) {
            Ok(b) => b,
            Err(e) => return Err(Record::failed(location, Some(iri), e.to_string())),
        };
        Ok(Ready {
            index,
            location,
            graph: iri,
            triples,
            body,
        })
    }

    /// The graph in the format to send, and its number of triples.
    fn body(&self, graph: &KnowledgeGraph) -> Result<(Vec<u8>, usize)> {
        let nt = export::write(graph, OutputFormat::NTriples, self.options)?;
        let triples = nt.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
        match self.format {
            OutputFormat::NTriples => Ok((nt, triples)),
            f => Ok((export::write(graph, f, self.options)?, triples)),
        }
    }
}

/// One run of `push`: the command line, the store, and what has become of each article.
struct Push<'a> {
    args: &'a PushArgs,
    prepare: Prepare<'a>,
    store: &'a Store,
    content_type: &'static str,
    report: Report,
}

impl Push<'_> {
    /// Sends every article: the batch is extracted on this thread's pool while `--concurrency`
    /// workers send what is ready.
    fn send(&mut self, batch: Batch) -> Result<()> {
        let (args, store, content_type) = (self.args, self.store, self.content_type);
        let streak = AtomicUsize::new(0);
        let down = AtomicBool::new(false);
        let give_up_after = UNREACHABLE_IN_A_ROW.max(2 * args.concurrency);
        let send_one = |ready: Ready| -> (usize, Record) {
            let result = if down.load(Ordering::Relaxed) {
                Err(format!(
                    "not sent: {} could not be reached for {give_up_after} articles in a row",
                    store.endpoint()
                ))
            } else {
                let result = store.put(&ready.graph, content_type, &ready.body);
                match &result {
                    Err(Refused {
                        unreachable: true, ..
                    }) => {
                        if streak.fetch_add(1, Ordering::Relaxed) + 1 >= give_up_after {
                            down.store(true, Ordering::Relaxed);
                        }
                    }
                    _ => streak.store(0, Ordering::Relaxed),
                }
                result.map_err(|r| r.reason)
            };
            let record = Record {
                location: ready.location,
                graph: Some(ready.graph),
                triples: ready.triples,
                result,
                resend: true,
            };
            (ready.index, record)
        };
        let (queue, jobs) = mpsc::sync_channel::<Ready>(args.concurrency);
        let jobs = Mutex::new(jobs);
        std::thread::scope(|scope| {
            let (done_tx, done) = mpsc::channel::<(usize, Record)>();
            for _ in 0..args.concurrency {
                let done_tx = done_tx.clone();
                let (jobs, send_one) = (&jobs, &send_one);
                scope.spawn(move || loop {
                    let next = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok(ready) = next else { break };
                    if done_tx.send(send_one(ready)).is_err() {
                        break;
                    }
                });
            }
            drop(done_tx);
            let explain = args.graph.explain;
            let verbose = args.batch.verbose;
            for_each_graph_of(batch, verbose, &args.graph, |item| {
                let index = self.report.reserve();
                match self.prepare.prepare(index, item, explain) {
                    Ok(ready) => {
                        if queue.send(ready).is_err() {
                            return Err(Error::Usage("the senders stopped".into()));
                        }
                    }
                    Err(record) => self.report.add(index, record),
                }
                while let Ok((i, record)) = done.try_recv() {
                    self.report.add(i, record);
                }
                Ok(true)
            })?;
            drop(queue);
            for (i, record) in done {
                self.report.add(i, record);
            }
            Ok(())
        })
    }

    /// `--dry-run`: what each article's request would be, on stdout, in input order.
    fn dry_run(&mut self, batch: Batch, out: &mut Output) -> Result<()> {
        let (args, store, content_type) = (self.args, self.store, self.content_type);
        let explain = args.graph.explain;
        for_each_graph_of(batch, args.batch.verbose, &args.graph, |item| {
            let index = self.report.reserve();
            let ready = match self.prepare.prepare(index, item, explain) {
                Ok(ready) => ready,
                Err(record) => {
                    self.report.add(index, record);
                    return Ok(!out.is_closed());
                }
            };
            let text = String::from_utf8_lossy(&ready.body);
            let lines: Vec<&str> = text.lines().collect();
            let mut shown = format!(
                "PUT {}\n# {} → graph <{}>: {} triples as {content_type}, {} bytes\n",
                store.graph_url(&ready.graph),
                ready.location,
                ready.graph,
                ready.triples,
                ready.body.len()
            );
            for line in lines.iter().take(PREVIEW_LINES) {
                shown.push_str(line);
                shown.push('\n');
            }
            if lines.len() > PREVIEW_LINES {
                shown.push_str(&format!("# … {} more lines\n", lines.len() - PREVIEW_LINES));
            }
            shown.push('\n');
            out.write(shown.as_bytes())?;
            self.report.add(
                index,
                Record {
                    location: ready.location,
                    graph: Some(ready.graph),
                    triples: ready.triples,
                    result: Ok(Sent {
                        status: 0,
                        tries: 0,
                    }),
                    resend: true,
                },
            );
            Ok(!out.is_closed())
        })
    }
}

/// The records in input order, whatever order they arrive in; with `-v` each is told on
/// stderr as soon as all before it are.
struct Report {
    records: Vec<Option<Record>>,
    told: usize,
    verbose: bool,
}

impl Report {
    fn new(verbose: bool) -> Report {
        Report {
            records: Vec::new(),
            told: 0,
            verbose,
        }
    }

    /// The index of the next input.
    fn reserve(&mut self) -> usize {
        self.records.push(None);
        self.records.len() - 1
    }

    fn add(&mut self, index: usize, record: Record) {
        self.records[index] = Some(record);
        while let Some(Some(r)) = self.records.get(self.told) {
            if self.verbose {
                match &r.result {
                    Ok(sent) if sent.tries == 0 => {}
                    Ok(sent) => eprintln!(
                        "kennis: {}: stored in <{}>, {} triples{}",
                        r.location,
                        r.graph.as_deref().unwrap_or(""),
                        r.triples,
                        match sent.tries {
                            1 => String::new(),
                            n => format!(" ({n} tries)"),
                        }
                    ),
                    Err(reason) => eprintln!("kennis: {}: not stored: {reason}", r.location),
                }
            }
            self.told += 1;
        }
    }

    fn finish(self) -> Vec<Record> {
        self.records.into_iter().flatten().collect()
    }
}

/// One entry of a `--failed` list.
struct Listed {
    location: String,
    graph: Option<String>,
}

/// Reads a `--failed` list: `location` or `location<TAB>graph IRI` a line; blank lines and
/// lines starting with `#` are skipped.
fn read_list(path: &Path) -> Result<Vec<Listed>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('\t') {
            Some((location, graph)) => Listed {
                location: location.to_string(),
                graph: Some(graph.trim().to_string()).filter(|g| !g.is_empty()),
            },
            None => Listed {
                location: l.to_string(),
                graph: None,
            },
        })
        .collect())
}

/// The files a list names, in order, once each: `path:line` is `path`, `<stdin>` is `-`.
fn list_inputs(list: &[Listed]) -> Vec<PathBuf> {
    let mut seen = HashSet::new();
    let mut inputs = Vec::new();
    for l in list {
        let file = within(&l.location)
            .find(|p| *p == crate::read::STDIN || Path::new(p).exists() || !p.contains(':'))
            .unwrap_or(&l.location);
        let file = if file == crate::read::STDIN {
            "-"
        } else {
            file
        };
        if seen.insert(file.to_string()) {
            inputs.push(PathBuf::from(file));
        }
    }
    inputs
}

/// The listed entries no input matched, as failures (so the next `--failed` keeps them).
fn missing(list: &[Listed], records: &[Record]) -> Vec<Record> {
    let found: HashSet<&str> = records.iter().flat_map(|r| within(&r.location)).collect();
    list.iter()
        .filter(|l| !found.contains(l.location.as_str()))
        .map(|l| {
            Record::failed(
                l.location.clone(),
                l.graph.clone(),
                "not among the inputs (resume from the first run's directory, with its inputs)"
                    .into(),
            )
        })
        .collect()
}

/// The `--failed` list: one line per article not stored, in input order.
fn failed_list(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records.iter().filter(|r| r.result.is_err() && r.resend) {
        out.push_str(&r.location);
        if let Some(g) = &r.graph {
            out.push('\t');
            out.push_str(g);
        }
        out.push('\n');
    }
    out
}

/// Articles and triples sent, the failures with their reasons, and the time, on stderr.
fn summary(args: &PushArgs, records: &[Record], auth: Option<&Auth>, took: Duration) {
    let sent: Vec<&Record> = records.iter().filter(|r| r.result.is_ok()).collect();
    let failed: Vec<&Record> = records.iter().filter(|r| r.result.is_err()).collect();
    let triples: usize = sent.iter().map(|r| r.triples).sum();
    let n = |k: usize, what: &str| format!("{k} {what}{}", if k == 1 { "" } else { "s" });
    let verb = if args.dry_run { "would send" } else { "sent" };
    let with = auth
        .map(|a| format!(" with {}", a.describe()))
        .unwrap_or_default();
    eprintln!(
        "kennis: push: {verb} {} ({}) to {}{with} in {:.1} s; {} failed",
        n(sent.len(), "article"),
        n(triples, "triple"),
        args.to,
        took.as_secs_f64(),
        failed.len()
    );
    for r in &failed {
        let reason = r.result.as_ref().err().map_or("", String::as_str);
        eprintln!("kennis:   {}: {reason}", r.location);
    }
    if failed.is_empty() || args.dry_run {
        return;
    }
    match &args.failed {
        Some(path) => eprintln!(
            "kennis: push: the failed articles are listed in {0}: send them again with --resume {0}",
            path.display()
        ),
        None => eprintln!(
            "kennis: push: --failed FILE lists them for a later --resume FILE"
        ),
    }
}
