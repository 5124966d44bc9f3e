//! Speed of each pipeline stage on one core: `cargo bench --bench pipeline`.
//!
//! Prints words per second for segmentation, tagging, lemmatizing, parsing (and entity
//! recognition when a model is shipped), for the whole `annotate` path, model load time, and the
//! process's peak memory. Input: the raw text of the Dutch development treebanks when
//! `../shared/data` is present (real news sentences), otherwise the shipped example articles.
//! Figures are printed, never asserted.
//!
//! The core stages (tag, lemmatize, parse) are timed in seven interleaved rounds and the median
//! round is reported, so that a moment's load on a shared machine moves the figure less.
//! `cargo bench --bench pipeline -- --core` stops after them.

use std::path::Path;
use std::time::Instant;

use kennis::doc::{Doc, Lang};
use kennis::models::ModelSource;
use kennis::{segment, Pipeline};

fn corpus() -> (String, &'static str) {
    let dev = Path::new("../shared/data/ud-dutch/nl_alpino-ud-dev.conllu");
    let extra = Path::new("../shared/data/ud-dutch/nl_lassysmall-ud-test.conllu");
    let mut text = String::new();
    for p in [dev, extra] {
        if let Ok(s) = std::fs::read_to_string(p) {
            for line in s.lines() {
                if let Some(t) = line.strip_prefix("# text = ") {
                    text.push_str(t);
                    text.push(if text.len().is_multiple_of(7) {
                        '\n'
                    } else {
                        ' '
                    });
                }
            }
        }
    }
    if !text.is_empty() {
        return (text, "treebank text (Alpino dev + LassySmall test)");
    }
    let mut text = String::new();
    for entry in std::fs::read_dir("examples").unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "txt") {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
            text.push_str("\n\n");
        }
    }
    (text, "the example articles")
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Runs `f` repeatedly for at least `min_secs` and returns words per second.
fn rate(words: usize, min_secs: f64, mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    let mut runs = 0;
    while runs == 0 || t0.elapsed().as_secs_f64() < min_secs {
        f();
        runs += 1;
    }
    (words * runs) as f64 / t0.elapsed().as_secs_f64()
}

/// Words per second of each of `stages`, timed in interleaved rounds of about `secs` each: the
/// median round of each.
fn median_rates(words: usize, secs: f64, stages: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    const ROUNDS: usize = 7;
    let mut rates = vec![Vec::with_capacity(ROUNDS); stages.len()];
    for _ in 0..ROUNDS {
        for (stage, r) in stages.iter_mut().zip(&mut rates) {
            r.push(rate(words, secs, stage));
        }
    }
    rates
        .into_iter()
        .map(|mut r| {
            r.sort_by(f64::total_cmp);
            r[ROUNDS / 2]
        })
        .collect()
}

fn main() {
    let core_only = std::env::args().any(|a| a == "--core");
    let (text, what) = corpus();
    let t0 = Instant::now();
    let mut pipeline = match Pipeline::load(Lang::Nl, &ModelSource::Default) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot benchmark: {e}");
            return;
        }
    };
    let load = t0.elapsed().as_secs_f64();
    let base = segment::segment(&text, Lang::Nl);
    let words = base.len();
    println!(
        "input: {what}: {words} words, {} sentences",
        base.sentences.len()
    );
    println!("model load: {:.3} s", load);
    let secs = 2.0;
    let seg = rate(words, secs, || {
        std::hint::black_box(segment::segment(&text, Lang::Nl));
    });
    let mut tagged: Doc = base.clone();
    pipeline.tagger.tag(&mut tagged);
    let mut lemmatized = tagged.clone();
    pipeline.lemmatizer.lemmatize(&mut lemmatized);
    let core = median_rates(
        words,
        secs / 4.0,
        &mut [
            &mut || {
                let mut d = base.clone();
                pipeline.tagger.tag(&mut d);
                std::hint::black_box(d);
            },
            &mut || {
                let mut d = tagged.clone();
                pipeline.lemmatizer.lemmatize(&mut d);
                std::hint::black_box(d);
            },
            &mut || {
                let mut d = lemmatized.clone();
                pipeline.parser.parse(&mut d);
                std::hint::black_box(d);
            },
        ],
    );
    let (tag, lem, parse) = (core[0], core[1], core[2]);
    if core_only {
        println!("{:<28} {:>12}", "stage (one core)", "words/s");
        println!("{:<28} {:>12.0}", "segment", seg);
        print_core(tag, lem, parse);
        return;
    }
    let mut parsed = lemmatized.clone();
    pipeline.parser.parse(&mut parsed);
    let ner = pipeline.ner.as_ref().map(|ner| {
        rate(words, secs, || {
            let mut d = parsed.clone();
            ner.recognise(&mut d);
            std::hint::black_box(d);
        })
    });
    let all = rate(words, secs, || {
        std::hint::black_box(pipeline.annotate_text(&text));
    });
    // Statements and entities from the annotated text, then the whole `extract` path: text in,
    // graph built, Turtle out.
    let mut annotated = pipeline.annotate_text(&text);
    annotated.meta.id = Some("bench".into());
    let extractor = kennis::extract::Extractor::builtin();
    let extract = rate(words, secs, || {
        std::hint::black_box(extractor.extract(&annotated));
    });
    let info = kennis::graph::DocumentInfo {
        id: "bench".into(),
        source: "bench".into(),
        url: None,
        title: None,
        date: None,
        language: "nl".into(),
        sentences: annotated.sentences.len(),
    };
    let mut statements = 0;
    let whole = rate(words, secs, || {
        let mut doc = pipeline.annotate_text(&text);
        doc.meta.id = Some("bench".into());
        let ex = extractor.extract(&doc);
        let mut g = kennis::graph::KnowledgeGraph::new();
        ex.add_to_graph(
            &doc,
            info.clone(),
            &mut g,
            kennis::cli::DEFAULT_MIN_CONFIDENCE,
        )
        .unwrap();
        statements = g.statement_count();
        let ttl = kennis::export::write(
            &g,
            kennis::export::OutputFormat::Turtle,
            &Default::default(),
        )
        .unwrap();
        std::hint::black_box(ttl);
    });
    println!("{:<28} {:>12}", "stage (one core)", "words/s");
    println!("{:<28} {:>12.0}", "segment", seg);
    print_core(tag, lem, parse);
    if let Some(ner) = ner {
        println!("{:<28} {:>12.0}", "entities", ner);
    }
    println!("{:<28} {:>12.0}", "annotate (text → CoNLL-U cols)", all);
    println!("{:<28} {:>12.0}", "extract (statements)", extract);
    println!("{:<28} {:>12.0}", "text → graph → Turtle", whole);
    println!("statements kept: {statements}");
    // The parser's speed at other beam widths (`--beam N`); the row above uses the model's own.
    // Then with `--try-tags`: the tagger leaves every close call between tags that shape the
    // tree to the parser, which parses such a sentence once more per doubtful word.
    let own = pipeline.parser.beam();
    pipeline.tagger.set_try_tags(true);
    let mut doubtful = base.clone();
    pipeline.tagger.tag(&mut doubtful);
    pipeline.lemmatizer.lemmatize(&mut doubtful);
    pipeline.tagger.set_try_tags(false);
    let runs = [1, 2, 4, 8].map(|w| (w, "", &lemmatized));
    for (width, option, doc) in runs.into_iter().chain([
        (own, "--try-tags ", &doubtful),
        (4, "--try-tags ", &doubtful),
    ]) {
        pipeline.parser.set_beam(width);
        let r = rate(words, secs, || {
            let mut d = doc.clone();
            pipeline.parser.parse(&mut d);
            std::hint::black_box(d);
        });
        let core = 1.0 / (1.0 / tag + 1.0 / lem + 1.0 / r);
        let mark = if width == own && option.is_empty() {
            " (default)"
        } else {
            ""
        };
        let name = format!("parse {option}--beam {width}{mark}");
        println!("{name:<30} {r:>8.0}   tag + lemma + parse {core:>8.0}");
    }
    pipeline.parser.set_beam(own);
    println!("peak memory: {:.1} MB", peak_rss_mb());
}

fn print_core(tag: f64, lem: f64, parse: f64) {
    println!("{:<28} {:>12.0}", "tag (UPOS+FEATS)", tag);
    println!("{:<28} {:>12.0}", "lemmatize", lem);
    println!("{:<28} {:>12.0}", "parse", parse);
    let core = 1.0 / (1.0 / tag + 1.0 / lem + 1.0 / parse);
    println!("{:<28} {:>12.0}", "tag + lemma + parse", core);
}
