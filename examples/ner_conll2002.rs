//! Trains the entity recogniser on CoNLL-2002 Dutch and reports dev scores, training time,
//! model size and speed (the development loop; `kennis train` builds the shipped model).
//!
//! ```text
//! cargo run --release --example ner_conll2002 -- [--epochs N] [--no-gazetteer] [--no-stack]
//!     [--no-lexicon] [--no-memory] [--no-usage] [--no-topic] [--no-clusters] [--clusters K]
//!     [--ud] [--seed N]
//!     [--min-weight W] [--out FILE] [--data DIR]
//!     [--tagger models/nl/tagger.bin]   (predicted UPOS features)
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use kennis::ner::{read_conll, FeatureGroups, Ner, TrainOptions};
use kennis::Lang;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut opts = TrainOptions {
        verbose: true,
        groups: FeatureGroups {
            pos: false,
            ..FeatureGroups::default()
        },
        ..TrainOptions::default()
    };
    let mut out: Option<PathBuf> = None;
    let mut tagger_path: Option<PathBuf> = None;
    let mut ud = false;
    let mut data = PathBuf::from("../shared/data/conll2002-dutch");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--epochs" => opts.epochs = args.next().ok_or("--epochs N")?.parse()?,
            "--pos" => opts.groups.pos = true,
            "--no-pos" => opts.groups.pos = false,
            "--no-gazetteer" => opts.groups.gazetteer = false,
            "--no-lexicon" => opts.groups.lexicon = false,
            "--no-stack" => opts.groups.stack = false,
            "--stack" => opts.groups.stack = true,
            "--no-clusters" => opts.groups.clusters = false,
            "--clusters" => opts.n_clusters = args.next().ok_or("--clusters K")?.parse()?,
            "--ud" => ud = true,
            "--seed" => opts.seed = args.next().ok_or("--seed N")?.parse()?,
            "--no-memory" => opts.groups.doc_memory = false,
            "--no-usage" => opts.groups.doc_usage = false,
            "--no-topic" => opts.groups.topic = false,
            "--min-weight" => opts.min_weight = args.next().ok_or("--min-weight W")?.parse()?,
            "--out" => out = Some(args.next().ok_or("--out FILE")?.into()),
            "--tagger" => {
                tagger_path = Some(PathBuf::from(args.next().ok_or("--tagger FILE")?));
                opts.groups.pos = true;
            }
            "--data" => data = args.next().ok_or("--data DIR")?.into(),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let read = |p: &Path| -> Result<Vec<kennis::Doc>, Box<dyn std::error::Error>> {
        Ok(read_conll(&std::fs::read_to_string(p)?, p, Lang::Nl)?)
    };
    let t = Instant::now();
    let places = kennis::gazetteer::Gazetteer::global().places().len();
    println!(
        "gazetteer: {places} places parsed in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut train = read(&data.join("ned.train"))?;
    let mut dev = read(&data.join("ned.testa"))?;
    if let Some(p) = &tagger_path {
        // Predicted, not gold, POS: what the recogniser will see in the pipeline.
        let tagger = kennis::tagger::Tagger::from_bytes(&std::fs::read(p)?)?;
        let t = Instant::now();
        for d in train.iter_mut().chain(dev.iter_mut()) {
            tagger.tag(d);
        }
        eprintln!("tagged in {:.1} s", t.elapsed().as_secs_f64());
    }
    eprintln!("groups: {:?}, epochs {}", opts.groups, opts.epochs);
    let t = Instant::now();
    let mut text = Vec::new();
    if ud {
        // Plain text for the word classes: the Dutch treebanks' training files.
        for f in [
            "nl_lassysmall-ud-train-v2.0.conllu",
            "nl_alpino-ud-train-partial-v2.1.conllu",
            "nl_lassysmall-ud-dev.conllu",
            "nl_lassysmall-ud-test.conllu",
        ] {
            let p = data.join("../ud-dutch").join(f);
            text.push(kennis::conllu::read(
                &std::fs::read_to_string(&p)?,
                &p,
                Lang::Nl,
            )?);
        }
    }
    let text: Vec<&kennis::Doc> = text.iter().collect();
    let ner = Ner::train_with_text(&train, &text, &opts);
    let train_secs = t.elapsed().as_secs_f64();
    let bytes = ner.to_bytes();
    println!(
        "trained in {train_secs:.1} s; {} features, model {:.2} MB",
        ner.n_features(),
        bytes.len() as f64 / 1e6
    );
    let ner = Ner::from_bytes(&bytes)?;
    let scores = ner.evaluate(&dev, |_| {});
    println!("{scores}");
    if std::env::var_os("NER_CONFUSION").is_some() {
        let mut pred = dev.clone();
        for d in pred.iter_mut() {
            ner.recognise(d);
        }
        confusion(&dev, &pred);
    }
    // Speed: recognise the dev set a few times (gazetteer already loaded).
    let mut docs = dev.clone();
    let tokens: usize = docs.iter().map(|d| d.len()).sum::<usize>() * 5;
    let (t, cpu) = (Instant::now(), cpu_secs());
    for _ in 0..5 {
        for d in docs.iter_mut() {
            ner.recognise(d);
        }
    }
    let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_secs() - cpu);
    println!(
        "speed: {:.0} tokens/s wall, {:.0} tokens/s of CPU time",
        tokens as f64 / secs,
        tokens as f64 / cpu
    );
    if let Some(out) = out {
        std::fs::write(&out, &bytes)?;
        println!("wrote {}", out.display());
    }
    Ok(())
}

/// CPU time of this (single-threaded) process, from /proc (the machine is shared, so wall time
/// says little); 0 where there is no /proc.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

/// Prints a confusion summary of span errors (development aid).
#[allow(dead_code)]
pub fn confusion(gold: &[kennis::Doc], pred: &[kennis::Doc]) {
    use std::collections::BTreeMap;
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    for (g, p) in gold.iter().zip(pred) {
        let gs = g.entity_spans();
        let ps = p.entity_spans();
        for s in &gs {
            let key = match ps.iter().find(|q| q.start == s.start && q.end == s.end) {
                Some(q) if q.ty == s.ty => continue,
                Some(q) => {
                    if std::env::var_os("NER_SHOW").is_some() {
                        let words = g.form[s.start..s.end].join(" ");
                        let ctx =
                            g.form[s.start.saturating_sub(3)..(s.end + 2).min(g.len())].join(" ");
                        println!("  {:?}->{:?}: {words}   | {ctx}", s.ty, q.ty);
                    }
                    format!("{:?} -> type {:?}", s.ty, q.ty)
                }
                None => {
                    let overlap = ps.iter().any(|q| q.start < s.end && s.start < q.end);
                    if std::env::var_os("NER_SHOW").is_some() {
                        let words = g.form[s.start..s.end].join(" ");
                        let ctx =
                            g.form[s.start.saturating_sub(3)..(s.end + 2).min(g.len())].join(" ");
                        let got: Vec<String> = ps
                            .iter()
                            .filter(|q| q.start < s.end + 2 && s.start < q.end + 2)
                            .map(|q| format!("{:?}:{}", q.ty, p.form[q.start..q.end].join(" ")))
                            .collect();
                        println!(
                            "  {:?} {}: {words}   | {ctx} | got {got:?}",
                            s.ty,
                            if overlap { "boundary" } else { "missed" }
                        );
                    }
                    format!(
                        "{:?} -> {}",
                        s.ty,
                        if overlap { "boundary" } else { "missed" }
                    )
                }
            };
            *m.entry(key).or_default() += 1;
        }
        for q in &ps {
            if !gs.iter().any(|s| q.start < s.end && s.start < q.end) {
                *m.entry(format!("spurious {:?}", q.ty)).or_default() += 1;
            }
        }
    }
    for (k, v) in m {
        println!("{v:6} {k}");
    }
}
