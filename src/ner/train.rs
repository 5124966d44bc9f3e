//! Training the shipped Dutch model from CoNLL-2002 (what `kennis train` calls).

use std::path::Path;

use super::{read_conll_file, Ner, NerScores, TrainOptions};
use crate::doc::{Doc, EntType, Lang};
use crate::error::Result;

/// The CoNLL-2002 files under the data folder: training and development.
pub const CONLL2002_TRAIN: &str = "conll2002-dutch/ned.train";
pub const CONLL2002_DEV: &str = "conll2002-dutch/ned.testa";

/// Universal NER over the English Web Treebank (training, development) and wikigold (extra
/// training data).
pub const UNER_TRAIN: &str = "ner-english/uner_en_ewt-train-preliminary.iob2";
pub const UNER_DEV: &str = "ner-english/uner_en_ewt-dev.iob2";
pub const WIKIGOLD: &str = "ner-english/wikigold.conll";

/// The Dutch treebank files whose text also feeds the word classes (no labels used).
pub const EXTRA_TEXT: [&str; 4] = [
    "ud-dutch/nl_lassysmall-ud-train-v2.0.conllu",
    "ud-dutch/nl_alpino-ud-train-partial-v2.1.conllu",
    "ud-dutch/nl_lassysmall-ud-dev.conllu",
    "ud-dutch/nl_lassysmall-ud-test.conllu",
];

/// Trains on `ned.train` and scores on `ned.testa`. `tag` fills the predicted UPOS (the tagger
/// the pipeline will run; pass a no-op and `groups.pos = false` to train without POS).
/// `extra_text` adds the treebanks' text to the word classes (off by default: it did not help
/// on testa).
pub fn train_conll2002(
    data: &Path,
    opts: &TrainOptions,
    extra_text: bool,
    mut tag: impl FnMut(&mut Doc),
) -> Result<(Ner, NerScores)> {
    let mut train = read_conll_file(&data.join(CONLL2002_TRAIN), Lang::Nl)?;
    let dev = read_conll_file(&data.join(CONLL2002_DEV), Lang::Nl)?;
    for d in train.iter_mut() {
        tag(d);
    }
    let mut text = Vec::new();
    if extra_text {
        for f in EXTRA_TEXT {
            let p = data.join(f);
            let s = std::fs::read_to_string(&p).map_err(|e| crate::Error::io(&p, e))?;
            text.push(crate::conllu::read(&s, &p, Lang::Nl)?);
        }
    }
    let text: Vec<&Doc> = text.iter().collect();
    let ner = Ner::train_with_text(&train, &text, opts);
    let scores = ner.evaluate(&dev, tag);
    Ok((ner, scores))
}

/// Trains the English recogniser on Universal NER's EWT training file plus wikigold and scores
/// it on UNER's dev file. UNER has no MISC type: wikigold's MISC names are read as `O`, so the
/// model never predicts a type the scoring file cannot have.
pub fn train_english(
    data: &Path,
    opts: &TrainOptions,
    mut tag: impl FnMut(&mut Doc),
) -> Result<(Ner, NerScores)> {
    let mut train = read_conll_file(&data.join(UNER_TRAIN), Lang::En)?;
    let mut wiki = read_conll_file(&data.join(WIKIGOLD), Lang::En)?;
    for d in &mut wiki {
        for t in d.ner.iter_mut() {
            if matches!(
                *t,
                crate::doc::Iob::B(EntType::Misc) | crate::doc::Iob::I(EntType::Misc)
            ) {
                *t = crate::doc::Iob::O;
            }
        }
    }
    train.extend(wiki);
    let dev = read_conll_file(&data.join(UNER_DEV), Lang::En)?;
    for d in train.iter_mut() {
        tag(d);
    }
    let ner = Ner::train_with_text(&train, &[], opts);
    let scores = ner.evaluate(&dev, tag);
    Ok((ner, scores))
}
