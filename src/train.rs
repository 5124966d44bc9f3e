//! `kennis train`: rebuilds the shipped models from `../shared/data`.
//!
//! Dutch trains on the four files the data README names (LassySmall train v2.0, dev and test;
//! Alpino train partial v2.1) and reports on `nl_alpino-ud-dev.conllu`, the only current newspaper
//! set, which is never trained on. The two older files are brought to the current guidelines
//! where that can be derived (see [`modernise`]). English trains on EWT train, reports on dev.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::TrainArgs;
use crate::conllu;
use crate::doc::{Doc, Lang};
use crate::error::{Error, Result};
use crate::eval::{strip_annotations, ParseScores};
use crate::tagger::{self, Tagger};

/// Training and development files for one language.
pub struct Treebanks {
    pub train: Vec<Doc>,
    pub dev: Doc,
    pub dev_path: PathBuf,
}

/// The file names under the data folder, per language: (training files, development file).
pub fn treebank_files(lang: Lang) -> (Vec<&'static str>, &'static str) {
    match lang {
        Lang::Nl => (
            vec![
                "ud-dutch/nl_lassysmall-ud-train-v2.0.conllu",
                "ud-dutch/nl_alpino-ud-train-partial-v2.1.conllu",
                "ud-dutch/nl_lassysmall-ud-dev.conllu",
                "ud-dutch/nl_lassysmall-ud-test.conllu",
            ],
            "ud-dutch/nl_alpino-ud-dev.conllu",
        ),
        Lang::En => (
            vec!["ud-english/en_ewt-ud-train.conllu"],
            "ud-english/en_ewt-ud-dev.conllu",
        ),
    }
}

/// Files written under older UD guidelines (before v2.2) that need [`modernise`].
fn is_old_guidelines(name: &str) -> bool {
    name.contains("-v2.0") || name.contains("-v2.1")
}

pub fn read_conllu_file(path: &Path, lang: Lang) -> Result<Doc> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    conllu::read(&text, path, lang)
}

/// Loads a language's treebanks from the data folder.
pub fn load_treebanks(data: &Path, lang: Lang) -> Result<Treebanks> {
    let (train_files, dev_file) = treebank_files(lang);
    let mut train = Vec::new();
    for name in train_files {
        let mut doc = read_conllu_file(&data.join(name), lang)?;
        if is_old_guidelines(name) {
            modernise(&mut doc);
        }
        train.push(doc);
    }
    let dev_path = data.join(dev_file);
    let dev = read_conllu_file(&dev_path, lang)?;
    Ok(Treebanks {
        train,
        dev,
        dev_path,
    })
}

/// Brings a treebank annotated under UD ≤ 2.1 Dutch guidelines closer to the current ones, where
/// the change can be derived from the tree itself: `flat:name` → `flat`.
pub fn modernise(doc: &mut Doc) {
    for rel in doc.deprel.iter_mut() {
        if rel == "flat:name" {
            *rel = "flat".to_string();
        }
    }
}

fn wants(args: &TrainArgs, model: &str) -> bool {
    args.only.is_empty() || args.only.iter().any(|m| m == model)
}

fn write_model(out: &Path, lang: Lang, name: &str, bytes: &[u8]) -> Result<()> {
    let path = crate::models::model_path(out, lang, name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    crate::cli::write_output(Some(&path), bytes)?;
    eprintln!(
        "wrote {} ({:.2} MB)",
        path.display(),
        bytes.len() as f64 / 1e6
    );
    Ok(())
}

pub fn run(args: &TrainArgs) -> Result<u8> {
    let lang = crate::cli::resolve_lang(args.lang);
    if !args.data.is_dir() {
        return Err(Error::Usage(format!(
            "training data folder {} not found (pass --data DIR; see the README)",
            args.data.display()
        )));
    }
    let banks = load_treebanks(&args.data, lang)?;
    let corpus: Vec<&Doc> = banks.train.iter().collect();
    let words: usize = corpus.iter().map(|d| d.len()).sum();
    eprintln!("{} training words, dev {}", words, banks.dev_path.display());

    if wants(args, "tagger") {
        let t0 = Instant::now();
        let mut opts = tagger::TrainOptions::default();
        if let Some(e) = args.epochs {
            opts.epochs = e;
        }
        let model = Tagger::train(&corpus, &opts);
        eprintln!("tagger trained in {:.1}s", t0.elapsed().as_secs_f64());
        let mut pred = strip_annotations(&banks.dev);
        model.tag(&mut pred);
        let s = ParseScores::compare(&banks.dev, &pred);
        eprintln!(
            "tagger on dev: UPOS {:.2} FEATS {:.2}",
            s.pct(s.upos),
            s.pct(s.feats)
        );
        write_model(&args.out, lang, Tagger::KIND, &model.to_bytes())?;
    }
    Ok(0)
}
