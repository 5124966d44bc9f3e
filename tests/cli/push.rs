//! `kennis push` end to end: into a real Oxigraph server (what is stored, per article, and that
//! pushing twice changes nothing), and against a fake store in this process for what a real one
//! rarely does on cue (answering 500, refusing, being down), credentials and `--resume`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{bin, repo_file, Run, Scratch};

const SEED: &str = "examples/article-xi-moskou.txt";
const BATCH: &str = "tests/data/extract-dev";
const BASE: &str = "https://kennis.example/";
const KN: &str = "https://kennis.example/ns#";

/// Runs `kennis ARGS` in `dir` with the store credentials of `env` only.
fn kennis(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args).current_dir(dir).stdin(Stdio::null());
    for var in [
        "KENNIS_STORE_TOKEN",
        "KENNIS_STORE_USER",
        "KENNIS_STORE_PASSWORD",
        "http_proxy",
        "HTTP_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().expect("the kennis binary runs");
    let run = Run {
        code: out.status.code().expect("kennis exited"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "kennis {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn push(args: &[&str]) -> Run {
    kennis(&repo_file(""), args, &[])
}

/// A port nothing listens on (bound, then let go).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------------------------------------
// A real store: Oxigraph's server.

/// `oxigraph serve` on a free port over a scratch directory, killed when dropped.
struct Oxigraph {
    child: Child,
    url: String,
    _dir: Scratch,
}

impl Oxigraph {
    /// Starts the server, or says why not: skipped without the `oxigraph` command, except in
    /// CI (the CI variable set), where .ci/run installs it and its absence is a failure.
    fn start(name: &str) -> Option<Oxigraph> {
        let have = Command::new("oxigraph")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !have {
            assert!(
                std::env::var_os("CI").is_none(),
                "`oxigraph --version` failed: CI must have it (.ci/run installs it with pip)"
            );
            // Straight to the process's stderr: the test harness would swallow `eprintln!`.
            let _ = writeln!(
                std::io::stderr(),
                "\n******** SKIPPED: `oxigraph` is not available; install it with `python3 -m pip install oxigraph` (see .ci/run) ********\n"
            );
            return None;
        }
        let dir = Scratch::new(&format!("oxigraph-{name}"));
        let port = free_port();
        let child = Command::new("oxigraph")
            .args(["serve", "--location"])
            .arg(dir.path().join("db"))
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("oxigraph serve starts");
        let server = Oxigraph {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while server.count("").is_none() {
            assert!(Instant::now() < deadline, "oxigraph did not answer in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(server)
    }

    /// The Graph Store endpoint.
    fn store(&self) -> String {
        format!("{}/store", self.url)
    }

    /// The rows of a SPARQL SELECT, each as variable → value.
    fn select(&self, query: &str) -> Option<Vec<std::collections::HashMap<String, String>>> {
        let mut response = ureq::post(format!("{}/query", self.url))
            .header("Accept", "application/sparql-results+json")
            .send_form([("query", query)])
            .ok()?;
        let json: Value = serde_json::from_str(&response.body_mut().read_to_string().ok()?).ok()?;
        let rows = json["results"]["bindings"].as_array()?;
        Some(
            rows.iter()
                .map(|row| {
                    row.as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.clone(), v["value"].as_str().unwrap().to_string()))
                        .collect()
                })
                .collect(),
        )
    }

    /// The number of triples in named graphs that match `pattern` (with `?g` the graph).
    fn count(&self, pattern: &str) -> Option<usize> {
        let q = format!("SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} {pattern} }}");
        self.select(&q)?[0]["n"].parse().ok()
    }
}

impl Drop for Oxigraph {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `N triples` of `sent N articles (N triples)` in the summary.
fn triples_sent(run: &Run) -> usize {
    let after = run
        .stderr
        .split(" articles (")
        .nth(1)
        .unwrap_or_else(|| panic!("no summary:\n{}", run.stderr));
    after.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn push_stores_each_article_in_its_own_graph_in_oxigraph_and_again_changes_nothing() {
    let Some(server) = Oxigraph::start("batch") else {
        return;
    };
    let store = server.store();
    let first = push(&["push", "--to", &store, SEED, BATCH]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("sent 29 articles") && first.stderr.contains("0 failed"),
        "{}",
        first.stderr
    );
    let total = server.count("").unwrap();
    assert_eq!(
        total,
        triples_sent(&first),
        "the summary counts what is stored"
    );
    let graphs = server
        .select("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")
        .unwrap();
    assert_eq!(graphs.len(), 29, "one graph per article");
    assert!(
        server
            .select("SELECT * { ?s ?p ?o } LIMIT 1")
            .unwrap()
            .is_empty(),
        "nothing in the default graph"
    );

    // The seed's graph: the fact (Wang Yi, meet, Sergej Lavrov), its statement with
    // provenance and evidence, the entities and the article's own description.
    let seed = format!("<{BASE}doc/article-xi-moskou>");
    let (wang, lavrov) = (
        format!("<{BASE}entity/person-wang-yi>"),
        format!("<{BASE}entity/person-sergej-lavrov>"),
    );
    let meet = format!("<{BASE}rel/meet>");
    let ask = |pattern: &str| {
        server
            .count(&format!("FILTER(?g = {seed}) {pattern}"))
            .unwrap()
    };
    assert!(
        ask(&format!(
            "FILTER(?s = {wang} && ?p = {meet} && ?o = {lavrov})"
        )) == 1
    );
    let statements = server
        .select(&format!(
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
             PREFIX kn: <{KN}>
             PREFIX prov: <http://www.w3.org/ns/prov#>
             PREFIX oa: <http://www.w3.org/ns/oa#>
             SELECT ?st ?c ?start ?sentence {{ GRAPH {seed} {{
               ?st a rdf:Statement ; rdf:subject {wang} ; rdf:predicate {meet} ;
                   rdf:object {lavrov} ; kn:confidence ?c ; prov:wasDerivedFrom {seed} ;
                   kn:evidence ?ev .
               ?ev oa:hasSelector [ oa:start ?start ] ; kn:sentence ?sentence .
             }} }}"
        ))
        .unwrap();
    assert_eq!(statements.len(), 1, "{statements:?}");
    let confidence: f64 = statements[0]["c"].parse().unwrap();
    assert!((0.5..=1.0).contains(&confidence), "{confidence}");
    assert!(statements[0]["sentence"].contains("Lavrov"));
    assert!(
        ask(&format!(
            "FILTER(?s = {lavrov} && ?p = <http://www.w3.org/2000/01/rdf-schema#label>)"
        )) >= 1,
        "the entities the article uses are in its graph"
    );
    assert!(
        ask(&format!(
            "FILTER(?s = {seed} && ?o = <https://schema.org/NewsArticle>)"
        )) == 1
    );
    let seed_triples = ask("");

    // Pushing twice changes nothing.
    let again = push(&["push", "--to", &store, SEED, BATCH]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(server.count("").unwrap(), total);

    // Sending one article again replaces exactly its graph: fewer statements in, fewer there;
    // the other articles untouched; back as it was after the default run.
    let strict = push(&["push", "--to", &store, SEED, "--min-confidence", "0.95"]);
    assert_eq!(strict.code, 0, "{}", strict.stderr);
    let fewer = ask("");
    assert!(fewer < seed_triples, "{fewer} < {seed_triples}");
    assert_eq!(server.count("").unwrap(), total - seed_triples + fewer);
    push(&["push", "--to", &store, SEED]);
    assert_eq!(server.count("").unwrap(), total);

    // RDF 1.2 provenance goes into the same graph, as triple terms.
    let rdf12 = push(&[
        "push",
        "--to",
        &store,
        SEED,
        "--provenance",
        "rdf12",
        "-f",
        "turtle",
    ]);
    assert_eq!(rdf12.code, 0, "{}", rdf12.stderr);
    assert!(
        ask("FILTER(?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies>)") > 0,
        "rdf:reifies in the seed's graph"
    );
    assert_eq!(
        ask("FILTER(?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>)"),
        0
    );
}

// ---------------------------------------------------------------------------------------------
// A fake store in this process.

/// One request as the fake store read it.
#[derive(Clone, Debug)]
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the fake store does with a request.
enum Reply {
    Status(u16, &'static str),
    /// Read the request, then close the connection without a word.
    Hang,
    /// Read the request, then say nothing for this long.
    Stall(Duration),
}

/// An HTTP server on a free port that answers with `reply(n, request)` for its n-th request
/// (from 0) and records every request; stopped when dropped.
struct FakeStore {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

type Replier = dyn Fn(usize, &Request) -> Reply + Send + Sync;

impl FakeStore {
    fn start(reply: impl Fn(usize, &Request) -> Reply + Send + Sync + 'static) -> FakeStore {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let reply: Arc<Replier> = Arc::new(reply);
        let (seen, stopped) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (seen, reply) = (seen.clone(), reply.clone());
                std::thread::spawn(move || serve(stream, &seen, &*reply));
            }
        });
        FakeStore {
            url: format!("http://127.0.0.1:{port}/store"),
            requests,
            stop,
        }
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// The request targets (path and query) in the order they came.
    fn targets(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.target).collect()
    }
}

impl Drop for FakeStore {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(
            self.url
                .trim_start_matches("http://")
                .trim_end_matches("/store"),
        );
    }
}

/// Answers the requests of one connection, one at a time, each with `Connection: close`.
fn serve(stream: TcpStream, seen: &Mutex<Vec<Request>>, reply: &Replier) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut request = Request {
        method,
        target,
        headers,
        body: Vec::new(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    request.body = vec![0; length];
    if reader.read_exact(&mut request.body).is_err() {
        return;
    }
    let n = {
        let mut seen = seen.lock().unwrap();
        seen.push(request.clone());
        seen.len() - 1
    };
    let mut stream = stream;
    match reply(n, &request) {
        Reply::Hang => {}
        Reply::Stall(time) => std::thread::sleep(time),
        Reply::Status(code, body) => {
            let _ = write!(
                stream,
                "HTTP/1.1 {code} Whatever\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    }
    let _ = stream.flush();
}

/// The Graph Store request target for an article id under the default base.
fn target_of(id: &str) -> String {
    format!("/store?graph=https%3A%2F%2Fkennis.example%2Fdoc%2F{id}")
}

#[test]
fn a_500_is_retried_and_then_the_graph_is_stored() {
    let store = FakeStore::start(|n, _| {
        if n < 2 {
            Reply::Status(500, "busy")
        } else {
            Reply::Status(204, "")
        }
    });
    let run = push(&["push", "--to", &store.url, "--backoff", "0.01", "-v", SEED]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("(3 tries)"), "{}", run.stderr);
    assert!(run.stderr.contains("sent 1 article"), "{}", run.stderr);
    let requests = store.requests();
    assert_eq!(requests.len(), 3);
    let nt = push(&["extract", SEED, "-f", "nt"]);
    for r in &requests {
        assert_eq!(r.method, "PUT");
        assert_eq!(r.target, target_of("article-xi-moskou"));
        assert_eq!(r.header("content-type"), Some("application/n-triples"));
        assert_eq!(r.header("authorization"), None);
        // Exactly the article's graph as `extract` writes it.
        assert_eq!(String::from_utf8_lossy(&r.body), nt.stdout);
    }
}

#[test]
fn a_400_is_not_retried_and_the_store_says_why() {
    let store = FakeStore::start(|_, _| Reply::Status(400, "Parser error at line 3: bad IRI"));
    let run = push(&["push", "--to", &store.url, "--backoff", "0.01", SEED]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(store.requests().len(), 1, "a 400 is final");
    assert!(
        run.stderr.contains(&store.url)
            && run.stderr.contains("400")
            && run.stderr.contains("Parser error at line 3: bad IRI"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 failed"), "{}", run.stderr);
}

#[test]
fn a_store_that_does_not_answer_in_time_is_tried_again_then_given_up() {
    let store = FakeStore::start(|_, _| Reply::Stall(Duration::from_secs(5)));
    let started = Instant::now();
    let run = push(&[
        "push",
        "--to",
        &store.url,
        "--timeout",
        "0.5",
        "--retries",
        "1",
        "--backoff",
        "0.01",
        SEED,
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the timeout holds"
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(store.requests().len(), 2);
    assert!(
        run.stderr.contains("no answer in time") && run.stderr.contains("tried 2 times"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_store_that_is_down_loses_nothing_and_resume_sends_just_the_failed() {
    let scratch = Scratch::new("push-down");
    let failed = scratch.path().join("failed.txt");
    let failed = failed.to_str().unwrap();
    let articles: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(repo_file(BATCH))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(articles.len(), 28);
    // Every article listed, in input order, with its graph.
    let list: String = articles
        .iter()
        .map(|name| {
            let stem = name.trim_end_matches(".txt");
            format!("{BATCH}/{name}\t{BASE}doc/{stem}\n")
        })
        .collect();
    // Nothing listens on the port; then a store that closes connections without answering.
    let down = format!("http://127.0.0.1:{}/store", free_port());
    let closing = FakeStore::start(|_, _| Reply::Hang);
    for url in [&down, &closing.url] {
        let run = push(&[
            "push",
            "--to",
            url,
            "--backoff",
            "0.01",
            "--retries",
            "1",
            "--failed",
            failed,
            BATCH,
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(url.as_str()),
            "the error names the URL:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("sent 0 articles"), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--resume {failed}")),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read_to_string(failed).unwrap(), list, "{url}");
    }

    // The store is back, but refuses one article: the resumed run sends the 28, lists that one.
    let store = FakeStore::start(|_, r| {
        if r.target == target_of("05-verdachte-moord-op-sarah-payne") {
            Reply::Status(400, "no")
        } else {
            Reply::Status(201, "")
        }
    });
    let run = push(&[
        "push", "--to", &store.url, "--resume", failed, "--failed", failed,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("sent 27 articles"), "{}", run.stderr);
    assert_eq!(store.requests().len(), 28);
    assert_eq!(
        std::fs::read_to_string(failed).unwrap(),
        format!(
            "{BATCH}/05-verdachte-moord-op-sarah-payne.txt\t{BASE}doc/05-verdachte-moord-op-sarah-payne\n"
        )
    );
    // Resuming once more sends only that one; then the list is empty.
    let store = FakeStore::start(|_, _| Reply::Status(204, ""));
    let run = push(&[
        "push", "--to", &store.url, "--resume", failed, "--failed", failed, BATCH,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        store.targets(),
        [target_of("05-verdachte-moord-op-sarah-payne")]
    );
    assert_eq!(std::fs::read_to_string(failed).unwrap(), "");
}

#[test]
fn resume_keeps_each_article_in_the_graph_it_was_listed_with() {
    let scratch = Scratch::new("push-resume");
    let article = "De Chinese minister Wang Yi ontmoette dinsdag Sergej Lavrov in Moskou.\n";
    scratch.file("x/a.txt", article);
    scratch.file("y/a.txt", article);
    scratch.file(
        "more.jsonl",
        format!(
            "{}\n{}\n{}\n{}\n",
            serde_json::json!({"text": article}),
            serde_json::json!({"text": article, "url": "https://news.example/2"}),
            serde_json::json!({"text": article}),
            serde_json::json!({"text": article, "url": "https://news.example/2"}),
        ),
    );
    let inputs = ["x", "y", "more.jsonl"];
    // Two files are both `a`: the second is `a-2`. The store refuses it and the JSON line with
    // a url.
    let store = FakeStore::start(|_, r| {
        if r.target.ends_with("a-2") || r.target.contains("news.example") {
            Reply::Status(403, "read-only")
        } else {
            Reply::Status(204, "")
        }
    });
    // `kennis push --to URL ARGS` in the scratch folder, with the first run's inputs or none.
    let push_here = |url: &str, args: &[&str], with_inputs: bool| {
        let inputs: &[&str] = if with_inputs { &inputs } else { &[] };
        kennis(
            scratch.path(),
            &[&["push", "--to", url][..], args, inputs].concat(),
            &[],
        )
    };
    let run = push_here(&store.url, &["--failed", "failed.txt"], true);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("403") && run.stderr.contains("read-only"));
    assert!(
        run.stderr.contains("KENNIS_STORE_TOKEN"),
        "a hint at credentials"
    );
    // The fourth line has the second's url: not sent, and not listed (resending it would
    // replace the second's graph).
    assert!(
        run.stderr
            .contains("more.jsonl:4: not sent: more.jsonl:2 has the same graph"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("3 failed"), "{}", run.stderr);
    assert_eq!(store.requests().len(), 5);
    let list = std::fs::read_to_string(scratch.path().join("failed.txt")).unwrap();
    assert_eq!(
        list,
        format!("y/a.txt\t{BASE}doc/a-2\nmore.jsonl:2\thttps://news.example/2\n")
    );
    let store = FakeStore::start(|_, _| Reply::Status(204, ""));
    // Without the inputs, y/a.txt alone would be `a` and replace x/a.txt's graph: refused.
    let alone = push_here(
        &store.url,
        &["--resume", "failed.txt", "--failed", "again.txt"],
        false,
    );
    assert_eq!(alone.code, 1, "{}", alone.stderr);
    assert!(
        alone.stderr.contains("first run's inputs"),
        "{}",
        alone.stderr
    );
    assert_eq!(
        store.targets(),
        ["/store?graph=https%3A%2F%2Fnews.example%2F2"]
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path().join("again.txt")).unwrap(),
        format!("y/a.txt\t{BASE}doc/a-2\n")
    );
    // With the first run's inputs it is `a-2` again, and only it is sent.
    let store = FakeStore::start(|_, _| Reply::Status(204, ""));
    let resumed = push_here(&store.url, &["--resume", "again.txt"], true);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(store.targets(), [target_of("a-2")]);
}

#[test]
fn credentials_come_from_the_environment_and_are_never_shown() {
    let store = FakeStore::start(|_, _| Reply::Status(401, "who are you?"));
    let token = kennis(
        &repo_file(""),
        &["push", "--to", &store.url, SEED],
        &[("KENNIS_STORE_TOKEN", "s3cret-token")],
    );
    assert_eq!(token.code, 1);
    let basic = kennis(
        &repo_file(""),
        &["push", "--to", &store.url, SEED],
        &[
            ("KENNIS_STORE_USER", "kennis"),
            ("KENNIS_STORE_PASSWORD", "pa55word"),
        ],
    );
    assert_eq!(basic.code, 1);
    let auth: Vec<String> = store
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or("").to_string())
        .collect();
    // base64("kennis:pa55word")
    assert_eq!(auth, ["Bearer s3cret-token", "Basic a2VubmlzOnBhNTV3b3Jk"]);
    for run in [&token, &basic] {
        assert!(run.stderr.contains("who are you?"), "{}", run.stderr);
        assert!(
            !run.stderr.contains("s3cret") && !run.stderr.contains("pa55"),
            "{}",
            run.stderr
        );
    }
    // Credentials in the URL are refused, and not repeated.
    let url = push(&[
        "push",
        "--to",
        "http://admin:hunter2@127.0.0.1:1/store",
        SEED,
    ]);
    assert_eq!(url.code, 2);
    assert!(
        url.stderr.contains("KENNIS_STORE_USER") && !url.stderr.contains("hunter2"),
        "{}",
        url.stderr
    );
    let half = kennis(
        &repo_file(""),
        &["push", "--to", &store.url, SEED],
        &[("KENNIS_STORE_USER", "kennis")],
    );
    assert_eq!(half.code, 2);
    assert!(
        half.stderr.contains("KENNIS_STORE_PASSWORD"),
        "{}",
        half.stderr
    );
}

#[test]
fn dry_run_shows_what_would_be_sent_and_sends_nothing() {
    let store = FakeStore::start(|_, _| Reply::Status(204, ""));
    let run = push(&["push", "--to", &store.url, "--dry-run", SEED, BATCH]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(store.requests().is_empty());
    let nt = push(&["extract", SEED, "-f", "nt"]).stdout;
    let first = run.stdout.split("\n\n").next().unwrap();
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "PUT {}{}",
            store.url.trim_end_matches("/store"),
            target_of("article-xi-moskou")
        )
    );
    assert!(
        lines[1].contains(&format!("{BASE}doc/article-xi-moskou"))
            && lines[1].contains(&format!("{} triples", nt.lines().count())),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2..7], nt.lines().take(5).collect::<Vec<_>>()[..]);
    // Every article, in input order.
    let puts: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("PUT "))
        .collect();
    assert_eq!(puts.len(), 29);
    assert!(puts[1].ends_with("01-durant-sluiting-loketten-is-geen"));
    assert!(
        run.stderr.contains("would send 29 articles"),
        "{}",
        run.stderr
    );
    // The same bytes on a second run.
    assert_eq!(
        push(&["push", "--to", &store.url, "--dry-run", SEED, BATCH]).stdout,
        run.stdout
    );
}

#[test]
fn bad_push_options_are_usage_errors() {
    for (args, says) in [
        (&["--to", "localhost:7878/store"][..], "http://"),
        (
            &["--to", "http://h/store", "--concurrency", "0"][..],
            "--concurrency",
        ),
        (
            &["--to", "http://h/store", "-f", "json"][..],
            "ntriples or turtle",
        ),
        (
            &["--to", "http://h/store", "--timeout", "0"][..],
            "--timeout",
        ),
        (&["--to", "http://h/store", "--base", "rel/"][..], "--base"),
        (
            &["--to", "http://h/store", "--resume", "no-such-list"][..],
            "no-such-list",
        ),
    ] {
        let run = push(&[&["push"][..], args, &[SEED]].concat());
        assert!(run.code != 0, "{args:?}");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}
