//! Part-of-speech tagger: UPOS and UD morphological features in one greedy left-to-right pass.
//!
//! Each class is a joint tag "UPOS + FEATS" (e.g. `VERB|Number=Sing|Tense=Past|VerbForm=Fin`), so
//! one decision per token fills both columns and the features stay consistent with the part of
//! speech. Features follow Honnibal's averaged-perceptron tagger (word, affixes, shape, the two
//! words either side, the two previous predicted tags), plus a second, right-context pass is not
//! needed at this size. Frequent, unambiguous words skip the model through a tag dictionary.
//!
//! Training and prediction share [`Tagger::features`], so they cannot drift apart.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::doc::{Doc, Upos};
use crate::error::{Error, Result};
use crate::perceptron::{argmax, fmix, hash_str, Features, ModelFile, Rng, Trainer, Weights};

/// Bump when the features change: old model files then refuse to load.
pub const FEATURE_VERSION: u32 = 1;

/// Per-token values hashed once and reused by every feature that mentions the token.
#[derive(Clone, Copy, Default)]
pub(crate) struct WordHashes {
    pub lower: u64,
    pub form: u64,
    pub suffix: [u64; 4],
    pub prefix: [u64; 3],
    pub shape: u64,
}

impl WordHashes {
    pub fn of(form: &str) -> WordHashes {
        let lower = form.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let n = chars.len();
        let mut suffix = [0u64; 4];
        for (k, s) in suffix.iter_mut().enumerate() {
            let take = (k + 1).min(n);
            *s = hash_str(&chars[n - take..].iter().collect::<String>()) ^ (k as u64 + 1);
        }
        let mut prefix = [0u64; 3];
        for (k, p) in prefix.iter_mut().enumerate() {
            let take = (k + 1).min(n);
            *p = hash_str(&chars[..take].iter().collect::<String>()) ^ (k as u64 + 11);
        }
        WordHashes {
            lower: hash_str(&lower),
            form: hash_str(form),
            suffix,
            prefix,
            shape: hash_str(&shape(form)),
        }
    }

    /// Padding outside the sentence.
    fn pad(k: u64) -> WordHashes {
        let h = fmix(0xdead_0000 + k);
        WordHashes {
            lower: h,
            form: h,
            suffix: [h; 4],
            prefix: [h; 3],
            shape: h,
        }
    }
}

/// A compressed word shape: `Poetin` → `Xx`, `2023-02` → `d-d`, `COVID-19` → `X-d`.
pub fn shape(form: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for c in form.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
        if out.len() > 8 {
            break;
        }
    }
    out
}

#[derive(Serialize, Deserialize)]
struct Meta {
    /// Joint tags: "UPOS" or "UPOS|Feat=Val|…".
    classes: Vec<String>,
    /// Frequent unambiguous words (lowercase form → class).
    tagdict: Vec<(String, u32)>,
}

pub struct Tagger {
    weights: Weights,
    classes: Vec<(Upos, String)>,
    tagdict: HashMap<String, u32>,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// A word enters the tag dictionary when seen this often…
    pub dict_min_count: usize,
    /// …with this share of one tag.
    pub dict_min_share: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            seed: 1,
            dict_min_count: 20,
            dict_min_share: 0.995,
        }
    }
}

fn joint(upos: Upos, feats: &str) -> String {
    if feats.is_empty() {
        upos.as_str().to_string()
    } else {
        format!("{}|{}", upos.as_str(), feats)
    }
}

fn split_joint(tag: &str) -> (Upos, String) {
    let (u, f) = tag.split_once('|').unwrap_or((tag, ""));
    (Upos::parse(u).unwrap_or_default(), f.to_string())
}

impl Tagger {
    pub const KIND: &'static str = "tagger";

    /// The features of token `i` (sentence-relative) given the previous predicted classes.
    fn features(
        &self,
        feats: &mut Features,
        words: &[WordHashes],
        i: usize,
        prev: [u64; 2],
        first_upper: bool,
    ) {
        extract(feats, words, i, prev, first_upper);
    }

    /// Tags every sentence of `doc`, filling `upos` and `feats`.
    pub fn tag(&self, doc: &mut Doc) {
        let mut feats = Features::default();
        let mut scores = vec![0f32; self.classes.len()];
        let mut words = Vec::new();
        for s in 0..doc.sentences.len() {
            let sent = doc.sentences[s];
            sentence_hashes(doc, sent.range(), &mut words);
            let mut prev = [PAD_TAG, PAD_TAG];
            for i in 0..sent.len() {
                let t = sent.start + i;
                let class = match self.tagdict.get(&doc.form[t].to_lowercase()) {
                    Some(&c) => c as usize,
                    None => {
                        feats.clear();
                        self.features(&mut feats, &words, i, prev, is_upper_start(&doc.form[t]));
                        scores.fill(0.0);
                        self.weights.score(feats.as_slice(), &mut scores);
                        argmax(&scores, None).unwrap_or(0)
                    }
                };
                let (upos, f) = &self.classes[class];
                doc.upos[t] = *upos;
                doc.feats[t].clone_from(f);
                prev = [class_hash(class), prev[0]];
            }
        }
        doc.annotated.tags = true;
    }

    /// Trains on gold-tagged documents.
    pub fn train(corpus: &[&Doc], opts: &TrainOptions) -> Tagger {
        // Classes, in first-seen order over the corpus: deterministic.
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut classes = Vec::new();
        let mut gold: Vec<Vec<u32>> = Vec::new();
        let mut counts: HashMap<String, HashMap<u32, usize>> = HashMap::new();
        let mut sents: Vec<(usize, usize)> = Vec::new();
        for (d, doc) in corpus.iter().enumerate() {
            let mut tags = Vec::with_capacity(doc.len());
            for i in 0..doc.len() {
                let j = joint(doc.upos[i], &doc.feats[i]);
                let next = classes.len() as u32;
                let c = *index.entry(j.clone()).or_insert_with(|| {
                    classes.push(j);
                    next
                });
                tags.push(c);
                *counts
                    .entry(doc.form[i].to_lowercase())
                    .or_default()
                    .entry(c)
                    .or_default() += 1;
            }
            gold.push(tags);
            sents.extend((0..doc.sentences.len()).map(|s| (d, s)));
        }
        let mut tagdict: Vec<(String, u32)> = counts
            .into_iter()
            .filter_map(|(w, cs)| {
                let total: usize = cs.values().sum();
                let (&c, &n) = cs
                    .iter()
                    .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))?;
                (total >= opts.dict_min_count && n as f64 / total as f64 >= opts.dict_min_share)
                    .then_some((w, c))
            })
            .collect();
        tagdict.sort();
        let mut tagger = Tagger {
            weights: Weights::empty(classes.len()),
            classes: classes.iter().map(|c| split_joint(c)).collect(),
            tagdict: tagdict.iter().cloned().collect(),
        };
        let mut trainer = Trainer::new(classes.len());
        let mut rng = Rng::new(opts.seed);
        let mut feats = Features::default();
        let mut scores = vec![0f32; classes.len()];
        let mut words = Vec::new();
        for _epoch in 0..opts.epochs {
            rng.shuffle(&mut sents);
            for &(d, s) in &sents {
                let doc = corpus[d];
                let sent = doc.sentences[s];
                sentence_hashes(doc, sent.range(), &mut words);
                let mut prev = [PAD_TAG, PAD_TAG];
                for i in 0..sent.len() {
                    let t = sent.start + i;
                    let truth = gold[d][t] as usize;
                    let guess = match tagger.tagdict.get(&doc.form[t].to_lowercase()) {
                        Some(&c) => c as usize,
                        None => {
                            feats.clear();
                            tagger.features(
                                &mut feats,
                                &words,
                                i,
                                prev,
                                is_upper_start(&doc.form[t]),
                            );
                            scores.fill(0.0);
                            trainer.score(feats.as_slice(), &mut scores);
                            let guess = argmax(&scores, None).unwrap_or(0);
                            trainer.tick();
                            trainer.update(feats.as_slice(), truth, guess);
                            guess
                        }
                    };
                    prev = [class_hash(guess), prev[0]];
                }
            }
        }
        tagger.weights = trainer.finish(1e-3);
        tagger
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut file = ModelFile::new(Self::KIND, FEATURE_VERSION);
        let mut tagdict: Vec<(String, u32)> =
            self.tagdict.iter().map(|(w, c)| (w.clone(), *c)).collect();
        tagdict.sort();
        let meta = Meta {
            classes: self.classes.iter().map(|(u, f)| joint(*u, f)).collect(),
            tagdict,
        };
        file.add_json("meta", &meta);
        file.add_weights("weights", &self.weights);
        file.to_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger> {
        let file = ModelFile::from_bytes(bytes, Self::KIND, FEATURE_VERSION)?;
        let meta: Meta = file.json("meta")?;
        let weights = file.weights("weights")?;
        if weights.n_classes() != meta.classes.len() {
            return Err(Error::model(
                Self::KIND,
                "class count does not match the weights",
            ));
        }
        if meta
            .tagdict
            .iter()
            .any(|(_, c)| *c as usize >= meta.classes.len())
        {
            return Err(Error::model(
                Self::KIND,
                "tag dictionary names an unknown class",
            ));
        }
        Ok(Tagger {
            weights,
            classes: meta.classes.iter().map(|c| split_joint(c)).collect(),
            tagdict: meta.tagdict.into_iter().collect(),
        })
    }

    pub fn n_classes(&self) -> usize {
        self.classes.len()
    }
}

const PAD_TAG: u64 = 0x7a6_0001;

fn class_hash(c: usize) -> u64 {
    fmix(c as u64 + 0x1000)
}

fn is_upper_start(form: &str) -> bool {
    form.chars().next().is_some_and(char::is_uppercase)
}

/// Hashes the words of one sentence, with two pads either side.
pub(crate) fn sentence_hashes(doc: &Doc, range: std::ops::Range<usize>, out: &mut Vec<WordHashes>) {
    out.clear();
    out.push(WordHashes::pad(1));
    out.push(WordHashes::pad(2));
    out.extend(range.map(|t| WordHashes::of(&doc.form[t])));
    out.push(WordHashes::pad(3));
    out.push(WordHashes::pad(4));
}

/// The tagger's feature templates. `words` is padded by two on each side; `i` is unpadded.
fn extract(f: &mut Features, words: &[WordHashes], i: usize, prev: [u64; 2], first_upper: bool) {
    let w = &words[i + 2];
    let (p1, p2, n1, n2) = (&words[i + 1], &words[i], &words[i + 3], &words[i + 4]);
    f.add(0, 1);
    f.add(1, w.lower);
    f.add(2, w.form);
    for (k, s) in w.suffix.iter().enumerate() {
        f.add(3 + k as u32, *s);
    }
    for (k, p) in w.prefix.iter().enumerate() {
        f.add(7 + k as u32, *p);
    }
    f.add(10, w.shape);
    f.add2(11, w.shape, (i == 0) as u64);
    f.add(12, prev[0]);
    f.add(13, prev[1]);
    f.add2(14, prev[0], prev[1]);
    f.add2(15, prev[0], w.lower);
    f.add(16, p1.lower);
    f.add(17, p1.suffix[2]);
    f.add(18, p2.lower);
    f.add(19, n1.lower);
    f.add(20, n1.suffix[2]);
    f.add(21, n2.lower);
    f.add2(22, prev[0], n1.lower);
    f.add2(23, w.lower, n1.lower);
    f.add2(24, p1.lower, w.lower);
    f.add2(25, prev[0], w.suffix[2]);
    f.add2(26, w.suffix[1], n1.suffix[1]);
    f.add(27, n1.shape);
    f.add2(28, first_upper as u64, (i == 0) as u64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_compress_runs() {
        assert_eq!(shape("Poetin"), "Xx");
        assert_eq!(shape("2023-02"), "d-d");
        assert_eq!(shape("COVID-19"), "X-d");
    }
}
