//! Corpus scale: `cargo bench --bench corpus`.
//!
//! Builds article collections from text the project has — sentences of the Dutch treebanks
//! (Alpino dev, LassySmall test) and of CoNLL-2002 `ned.train`, recombined into articles of 8 to
//! 20 sentences by a fixed pseudo-random draw, so no article repeats another — writes them as
//! JSON Lines, and runs the real `kennis` binary over them:
//!
//! - end-to-end `extract` (text in, N-Quads out) in words per second on one core (`-j 1`) and on
//!   all cores, and the ratio (each the best of three runs), at the parser's default beam width
//!   and, on one core, with `--beam 1`;
//! - peak memory of `extract --stream` over 1,000 and over 10,000 articles (it must not grow with
//!   the count);
//! - articles per second `kennis push`ed into a local Oxigraph server (`oxigraph serve`, when the
//!   `oxigraph` command is installed: `pip install oxigraph`).
//!
//! Figures are printed, never asserted. Needs `../shared/data`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DATA: &str = "../shared/data";

/// Sentences of real news-like text, as running text.
fn sentences() -> Vec<String> {
    let mut out = Vec::new();
    for f in ["nl_alpino-ud-dev.conllu", "nl_lassysmall-ud-test.conllu"] {
        let path = Path::new(DATA).join("ud-dutch").join(f);
        if let Ok(s) = std::fs::read_to_string(path) {
            out.extend(
                s.lines()
                    .filter_map(|l| l.strip_prefix("# text = "))
                    .map(str::to_string),
            );
        }
    }
    let ner = Path::new(DATA).join("conll2002-dutch/ned.train");
    if let Ok(s) = std::fs::read_to_string(ner) {
        let mut words: Vec<&str> = Vec::new();
        for line in s.lines() {
            let w = line.split(' ').next().unwrap_or("");
            if w.is_empty() || w == "-DOCSTART-" {
                if words.len() > 3 {
                    out.push(detokenise(&words));
                }
                words.clear();
            } else {
                words.push(w);
            }
        }
    }
    out
}

/// Tokens back to text: no space before closing punctuation.
fn detokenise(words: &[&str]) -> String {
    let mut s = String::new();
    for w in words {
        let glue = matches!(*w, "." | "," | ":" | ";" | "?" | "!" | ")" | "'s");
        if !s.is_empty() && !glue {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

/// A small fixed pseudo-random generator (xorshift), so every run builds the same corpus.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Writes `n` articles as JSON Lines; returns the path and the number of words.
fn corpus(dir: &Path, sentences: &[String], n: usize) -> (PathBuf, usize) {
    let path = dir.join(format!("articles-{n}.jsonl"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    let mut words = 0;
    for k in 0..n {
        let len = 8 + draw.below(13);
        let text: Vec<&str> = (0..len)
            .map(|_| sentences[draw.below(sentences.len())].as_str())
            .collect();
        let text = text.join(" ");
        words += text.split_whitespace().count();
        let line =
            serde_json::json!({"id": format!("a{k:05}"), "text": text, "date": "2000-08-01"});
        writeln!(file, "{line}").unwrap();
    }
    file.flush().unwrap();
    (path, words)
}

/// Runs kennis with `args`; returns the wall time and the peak resident memory (MB), read from
/// `/proc/PID/status` (VmHWM only grows, so its last reading is the peak).
fn measure(args: &[&str]) -> (f64, f64) {
    let t0 = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kennis"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("kennis runs");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0f64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (t0.elapsed().as_secs_f64(), peak_kb / 1024.0)
}

fn main() {
    let sentences = sentences();
    if sentences.len() < 1000 {
        eprintln!(
            "cannot benchmark: {DATA} is missing (it holds the text the corpus is built from)"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("kennis-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (small, small_words) = corpus(&dir, &sentences, 1_000);
    let (large, large_words) = corpus(&dir, &sentences, 10_000);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "corpus: {} source sentences; 1,000 articles = {small_words} words, 10,000 articles = {large_words} words",
        sentences.len()
    );
    let small = small.to_str().unwrap();
    let large = large.to_str().unwrap();
    // Text in, N-Quads out, the graph merged: on one core and on all of them.
    // The best of three runs: a shared machine's other tenants only ever slow a run down.
    let extract_on = |jobs: &str, beam: &str| {
        (0..3)
            .map(|_| {
                measure(&[
                    "extract",
                    small,
                    "-f",
                    "nquads",
                    "-o",
                    "/dev/null",
                    "-j",
                    jobs,
                    "--beam",
                    beam,
                ])
                .0
            })
            .fold(f64::INFINITY, f64::min)
    };
    let t1 = extract_on("1", "2");
    let tn = extract_on(&cores.to_string(), "2");
    let t1_greedy = extract_on("1", "1");
    let w1 = small_words as f64 / t1;
    let wn = small_words as f64 / tn;
    println!("end-to-end extract (1,000 articles → N-Quads):");
    println!(
        "  one core         {w1:>10.0} words/s  ({:.1} articles/s)",
        1000.0 / t1
    );
    println!(
        "  {cores} cores          {wn:>10.0} words/s  ({:.1} articles/s)",
        1000.0 / tn
    );
    println!("  all cores / one  {:>10.2}×", wn / w1);
    println!(
        "  one core, --beam 1 {:>8.0} words/s  ({:.1} articles/s)",
        small_words as f64 / t1_greedy,
        1000.0 / t1_greedy
    );
    let (ts, m_small) = measure(&["extract", "--stream", small, "-o", "/dev/null"]);
    let (tl, m_large) = measure(&["extract", "--stream", large, "-o", "/dev/null"]);
    println!("extract --stream, all cores:");
    println!(
        "  1,000 articles   peak {m_small:>7.1} MB  ({:.0} words/s)",
        small_words as f64 / ts
    );
    println!(
        "  10,000 articles  peak {m_large:>7.1} MB  ({:.0} words/s)",
        large_words as f64 / tl
    );
    println!("  ratio            {:>10.2}×", m_large / m_small);
    push_rate(&dir, small);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Pushes the 1,000 articles into a fresh local Oxigraph and prints articles per second.
fn push_rate(dir: &Path, articles: &str) {
    let have = Command::new("oxigraph")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        println!("push to Oxigraph: skipped (no `oxigraph` command; pip install oxigraph)");
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let bind = format!("127.0.0.1:{port}");
    let mut server = Command::new("oxigraph")
        .args(["serve", "--location"])
        .arg(dir.join("store"))
        .args(["--bind", &bind])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("oxigraph serve starts");
    let t0 = Instant::now();
    while std::net::TcpStream::connect(&bind).is_err() && t0.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("http://{bind}/store");
    let (t, _) = measure(&["push", "--to", &url, articles]);
    println!("push to a local Oxigraph (extraction included, all cores):");
    println!("  1,000 articles   {:>10.1} articles/s", 1000.0 / t);
    let _ = server.kill();
    let _ = server.wait();
}
