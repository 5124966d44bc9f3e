//! Trains the lemmatizer on the treebanks in `../shared/data` and reports LEMMA accuracy.
//!
//! `cargo run --release --example lemmatizer_eval -- nl [epochs]` (or `en`). Writes nothing.
//! `LEMMA_ERRORS=1` lists every wrong lemma; `REPS=n` sets the passes timed for the speed.
use std::path::Path;
use std::time::Instant;

use kennis::conllu;
use kennis::lemmatizer::{train, Lemmatizer};
use kennis::Lang;

fn load(path: &str, lang: Lang) -> kennis::Doc {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    conllu::read(&text, Path::new(path), lang).unwrap_or_else(|e| panic!("{e}"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang = args.get(1).map_or("nl", String::as_str);
    let epochs: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(kennis::lemmatizer::DEFAULT_EPOCHS);
    let root = "../shared/data";
    let lang = if lang == "en" { Lang::En } else { Lang::Nl };
    let (train_files, dev_file) = kennis::train::treebank_files(lang);
    let corpus: Vec<_> = train_files
        .iter()
        .map(|f| load(&format!("{root}/{f}"), lang))
        .collect();
    let dev = load(&format!("{root}/{dev_file}"), lang);
    let t = Instant::now();
    let model = train(&corpus, None, epochs);
    eprintln!("trained in {:.1}s", t.elapsed().as_secs_f64());
    if let Ok(w) = std::env::var("WORDS") {
        for x in w.split(',') {
            println!("{x} -> {}", model.lemma_of(x, kennis::Upos::Noun, ""));
        }
        return;
    }
    let bytes = model.to_bytes();
    let model = Lemmatizer::from_bytes(&bytes).expect("round trip");
    println!("{dev_file}: {}", model.evaluate(&dev));
    println!("model size: {} bytes", bytes.len());
    let mut doc = dev.clone();
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let (t, cpu) = (Instant::now(), cpu_seconds());
    for _ in 0..reps {
        model.lemmatize(&mut doc);
    }
    let words = (reps * dev.len()) as f64;
    let wall = t.elapsed().as_secs_f64();
    match cpu.zip(cpu_seconds()) {
        Some((a, b)) if b > a => println!(
            "speed: {:.0} words/s of CPU time ({:.0} words/s wall clock)",
            words / (b - a),
            words / wall
        ),
        _ => println!("speed: {:.0} words/s wall clock", words / wall),
    }
    if std::env::var_os("LEMMA_ERRORS").is_some() {
        let mut out = dev.clone();
        model.lemmatize(&mut out);
        for i in 0..dev.len() {
            if out.lemma[i] != dev.lemma[i] {
                println!(
                    "ERR\t{}\t{}\t{}\tgold={}\tgot={}",
                    if model.is_known(&dev.form[i], dev.upos[i]) {
                        "known"
                    } else {
                        "unknown"
                    },
                    dev.form[i],
                    dev.upos[i],
                    dev.lemma[i],
                    out.lemma[i]
                );
            }
        }
    }
}

/// User + system CPU seconds of this process (Linux), so a busy machine does not skew speeds.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
