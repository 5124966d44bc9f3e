//! Named-entity recognition (PER, LOC, ORG, MISC): a greedy left-to-right averaged perceptron
//! over BILOU tags with history features (the previous two decisions), decoding under the BILOU
//! constraints so the output is always well-formed IOB2.
//!
//! Features (see `Ner::features_into`): the word, its lower case, prefixes and suffixes, shape,
//! capitalisation and sentence position, the words and shapes around it, the previous
//! decisions, and four groups that can be switched off at training time ([`FeatureGroups`]):
//! predicted UPOS; gazetteer membership (places, countries, demonyms, from [`crate::gazetteer`]);
//! lexicons learnt from the training text (first names; how often a word is written with a
//! capital); and document memory (the type this word got earlier in the same article, and
//! whether the article also writes it in lower case).
//!
//! With [`FeatureGroups::stack`] (the default) a second pass sees the first pass's tags around
//! the word and the types the same word got anywhere in the article; it is trained on
//! out-of-fold first-pass output (five folds), so it learns how far to trust it.
//!
//! On CoNLL-2002 `ned.testa` (exact spans, conlleval), trained on `ned.train` with UPOS from
//! the shipped tagger: overall F1 79.1 (PER 83.4, LOC 82.3, ORG 70.9, MISC 79.2); 78.8–79.4
//! over seeds. One pass: 77.9 (mean of three seeds); one pass without POS: 75.6. Reproduce
//! with `cargo run --release --example ner_conll2002 -- --tagger models/nl/tagger.bin`.
//!
//! Training and prediction share `Ner::features_into`, so they cannot drift apart.

pub mod clusters;
pub mod conll;
pub mod score;
pub mod train;

use serde::{Deserialize, Serialize};

use crate::doc::{Doc, EntType, Iob, Upos};
use crate::gazetteer::{self, Gazetteer, PlaceKind};
use crate::perceptron::{
    argmax, hash_str, Features, HashIndex, ModelFile, Reader, Rng, Trainer, Weights,
};

pub use conll::{read_conll, read_conll_file, read_conll_with, ReadOptions};
pub use score::{evaluate, Counts, NerScores};

/// Version of the feature set: bump it whenever [`Ner::features`] changes, so stale models fail
/// to load instead of predicting nonsense.
pub const FEATURE_VERSION: u32 = 3;

/// Feature groups that can be switched on or off when training (stored in the model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureGroups {
    /// Predicted UPOS of the word and its neighbours (needs the tagger to run first).
    pub pos: bool,
    /// Place, country and demonym gazetteer matches.
    pub gazetteer: bool,
    /// First names and capitalisation statistics learnt from the training text.
    pub lexicon: bool,
    /// Earlier decisions for the same word in the same document.
    pub doc_memory: bool,
    /// Distributional word classes learnt from the training (and any extra plain) text.
    #[serde(default)]
    pub clusters: bool,
    /// A second pass over a first pass's output: its tags around the word and the types the
    /// same word got anywhere in the document (trained on out-of-fold first-pass output).
    #[serde(default)]
    pub stack: bool,
    /// How the same capitalised word is used anywhere in the document: after a first name (a
    /// surname), after an article (a company, party or place: "de Knesset", "het Swissair"),
    /// alone, or inside a longer name.
    #[serde(default)]
    pub doc_usage: bool,
    /// What the document is about, as the share of organisations among the person and
    /// organisation names of training documents sharing its words: business news names
    /// companies where political news names people.
    #[serde(default)]
    pub topic: bool,
    /// Which of PER, LOC, ORG, MISC the training data has: types it never showed are never
    /// predicted (Universal NER has no MISC).
    #[serde(default = "all_types")]
    pub entity_types: [bool; 4],
}

fn all_types() -> [bool; 4] {
    [true; 4]
}

impl Default for FeatureGroups {
    fn default() -> Self {
        FeatureGroups {
            pos: true,
            gazetteer: true,
            lexicon: true,
            doc_memory: true,
            clusters: true,
            // +1.4 F1 on testa (mean of two seeds) for about twice the time.
            stack: true,
            doc_usage: true,
            topic: true,
            entity_types: all_types(),
        }
    }
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub epochs: usize,
    pub groups: FeatureGroups,
    pub seed: u64,
    /// Averaged weights smaller than this are dropped from the model (smaller file).
    pub min_weight: f32,
    /// Print per-epoch progress to stderr.
    pub verbose: bool,
    /// Word classes: how many, the minimum count of a clustered word, exchange iterations.
    pub n_clusters: usize,
    pub cluster_min_count: usize,
    pub cluster_iterations: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            // 5, 8 and 12 epochs gave 78.5, 79.4 and 78.6 F1 on testa.
            epochs: 8,
            groups: FeatureGroups::default(),
            seed: 2002,
            min_weight: 0.0,
            verbose: false,
            n_clusters: 100,
            cluster_min_count: 3,
            cluster_iterations: 8,
        }
    }
}

// BILOU classes: 0 is O; type t, position p (B, I, L, U) is 1 + 4t + p.
const N_CLASSES: usize = 17;
/// Folds for the label-derived lexicons during training.
const FOLDS: usize = 5;
const B: usize = 0;
const I: usize = 1;
const L: usize = 2;
const U: usize = 3;

fn class_of(ty: usize, pos: usize) -> usize {
    1 + 4 * ty + pos
}

fn class_parts(c: usize) -> Option<(usize, usize)> {
    (c > 0).then(|| ((c - 1) / 4, (c - 1) % 4))
}

fn type_index(t: EntType) -> usize {
    match t {
        EntType::Per => 0,
        EntType::Loc => 1,
        EntType::Org => 2,
        EntType::Misc => 3,
    }
}

/// Which classes may follow `prev` (and whether the next token exists at all).
fn allowed(prev: usize, last_in_sentence: bool, types: &[bool; 4], out: &mut [bool; N_CLASSES]) {
    let open = class_parts(prev).filter(|&(_, p)| p == B || p == I);
    for (c, slot) in out.iter_mut().enumerate() {
        *slot = match (open, class_parts(c)) {
            (_, Some((t, _))) if !types[t] => false,
            (Some((t, _)), Some((t2, p))) => t == t2 && (p == L || (p == I && !last_in_sentence)),
            (Some(_), None) => false,
            (None, None) => true,
            (None, Some((_, p))) => p == U || (p == B && !last_in_sentence),
        };
    }
}

/// Gold IOB2 tags of one sentence as BILOU classes.
fn bilou(tags: &[Iob]) -> Vec<usize> {
    let mut out = Vec::with_capacity(tags.len());
    for (k, tag) in tags.iter().enumerate() {
        let continues_next = |t: EntType| matches!(tags.get(k + 1), Some(Iob::I(n)) if *n == t);
        let c = match *tag {
            Iob::O => 0,
            Iob::B(t) => class_of(type_index(t), if continues_next(t) { B } else { U }),
            Iob::I(t) => {
                let inside = k > 0 && matches!(tags[k - 1], Iob::B(p) | Iob::I(p) if p == t);
                match (inside, continues_next(t)) {
                    (true, true) => class_of(type_index(t), I),
                    (true, false) => class_of(type_index(t), L),
                    (false, true) => class_of(type_index(t), B),
                    (false, false) => class_of(type_index(t), U),
                }
            }
        };
        out.push(c);
    }
    out
}

fn to_iob(c: usize) -> Iob {
    match class_parts(c) {
        None => Iob::O,
        Some((t, p)) => {
            let ty = EntType::ALL[t];
            if p == B || p == U {
                Iob::B(ty)
            } else {
                Iob::I(ty)
            }
        }
    }
}

// Feature templates.
const T_BIAS: u32 = 0;
const T_W: u32 = 1;
const T_LW: u32 = 2;
const T_PRE: u32 = 3;
const T_SUF: u32 = 4;
const T_SHAPE: u32 = 5;
const T_CAP_INIT: u32 = 6;
const T_LW_M1: u32 = 7;
const T_LW_P1: u32 = 8;
const T_LW_M2: u32 = 9;
const T_LW_P2: u32 = 10;
const T_SHAPE_M1: u32 = 11;
const T_SHAPE_P1: u32 = 12;
const T_BI_M1: u32 = 13;
const T_BI_P1: u32 = 14;
const T_H1: u32 = 15;
const T_H12: u32 = 16;
const T_H1_LW: u32 = 17;
const T_H1_SHAPE: u32 = 18;
const T_SHAPE_CTX: u32 = 19;
const T_LEN: u32 = 20;
const T_SUF_M1: u32 = 21;
const T_CAP_LW_M1: u32 = 36;
const T_CAP_LW_P1: u32 = 37;
const T_CAP_LW_M2: u32 = 38;
const T_CAP_LW_M12: u32 = 39;
const T_SUF_P1: u32 = 22;
const T_RUN: u32 = 23;
const T_RUN_FIRST: u32 = 24;
const T_RUN_LAST: u32 = 25;
const T_RUN_ALL: u32 = 26;
const T_QUOTE: u32 = 27;
const T_HY_FIRST: u32 = 28;
const T_HY_LAST: u32 = 29;
const T_HEADLINE: u32 = 35;
const T_HY_GEO: u32 = 45;
const T_POS: u32 = 30;
const T_POS_M1: u32 = 31;
const T_POS_P1: u32 = 32;
const T_POS_SHAPE: u32 = 33;
const T_POS_CTX: u32 = 34;
const T_GAZ: u32 = 40;
const T_GAZ_M1: u32 = 41;
const T_GAZ_P1: u32 = 42;
const T_DEM: u32 = 43;
const T_DEM_M1: u32 = 44;
const T_FIRST: u32 = 50;
const T_FIRST_M1: u32 = 51;
const T_CAPSTAT: u32 = 52;
const T_CAPSTAT_M1: u32 = 53;
const T_CAPSTAT_P1: u32 = 54;
const T_CL: u32 = 70;
const T_CL_M1: u32 = 71;
const T_CL_P1: u32 = 72;
const T_CL_CAP: u32 = 73;
const T_CL_H1: u32 = 74;
const T_CL_CTX: u32 = 75;
const T_S1: u32 = 80;
const T_S1_M1: u32 = 81;
const T_S1_P1: u32 = 82;
const T_S1_DOC: u32 = 83;
const T_S1_DOC_S1: u32 = 84;
const T_S1_CTX: u32 = 85;
const T_MEM: u32 = 60;
const T_LOWER_IN_DOC: u32 = 61;
const T_DOC_USAGE: u32 = 62;
const T_DOC_USAGE_LW: u32 = 63;
const T_APPOS: u32 = 64;
const T_APPOS_SUF: u32 = 65;
const T_CAP_SUF5_M1: u32 = 66;
const T_COORD_M: u32 = 67;
const T_COORD_P: u32 = 68;
const T_TOPIC: u32 = 69;
const T_TOPIC_LEX: u32 = 76;

/// What we know of one token before deciding anything.
#[derive(Clone, Copy, Default)]
struct TokInfo {
    w: u64,
    lw: u64,
    shape: u64,
    cap: bool,
    initial: bool,
    upos: u64,
    /// 0 = no match; else 1 + 4 × kind bucket + BILOU position within the matched name.
    gaz: u64,
    demonym: bool,
    first_name: bool,
    /// Capitalisation statistics bucket (0 = unseen word).
    capstat: u64,
    lower_in_doc: bool,
    /// [`usage`] bits of the word over the whole document (capitalised words only).
    doc_usage: u64,
    /// A word that joins two names of a list: "en", "of", ",", "/", "&".
    coordinator: bool,
    /// For a capitalised word: the lower-case noun of an apposition after its name ("Arinso , de
    /// informaticaspecialist"), and that noun's last five letters; 0 without one.
    appos: u64,
    appos_suf: u64,
    /// Suffix of three letters (lower case).
    suf3: u64,
    /// The run of capitalised words (with name particles inside) the token is in: length (0
    /// when not in one), position, first and last word, and the whole run.
    run_len: u64,
    run_pos: u64,
    run_first: u64,
    run_last: u64,
    run_all: u64,
    /// Between an opening and a closing quote mark.
    in_quote: bool,
    /// 1 + word class, 0 for words without one.
    cluster: u64,
    /// For hyphenated words: the first and last parts (lower case), and whether a part is a
    /// demonym or place ("Bosnisch-Servische", "Likoed-man").
    hy_first: u64,
    hy_last: u64,
    hy_geo: bool,
    /// Most words of the sentence are capitalised (a headline or title).
    headline: bool,
    /// First-pass class of the token, and what the first pass made of the same word elsewhere
    /// in the document (1 + majority type among entity readings, or 0; times 4 plus a count
    /// bucket).
    s1: u64,
    s1_doc: u64,
    /// Hashes of the lower-cased prefixes and suffixes of 1–5 characters; the length.
    pre: [u64; 5],
    suf: [u64; 5],
    n_chars: u64,
}

const PAD: TokInfo = TokInfo {
    w: 1,
    lw: 1,
    shape: 1,
    cap: false,
    initial: false,
    upos: 99,
    gaz: 0,
    demonym: false,
    first_name: false,
    capstat: 0,
    lower_in_doc: false,
    doc_usage: 0,
    coordinator: false,
    appos: 0,
    appos_suf: 0,
    suf3: 1,
    run_len: 0,
    run_pos: 0,
    run_first: 0,
    run_last: 0,
    run_all: 0,
    in_quote: false,
    cluster: 0,
    hy_first: 0,
    hy_last: 0,
    hy_geo: false,
    headline: false,
    s1: 0,
    s1_doc: 0,
    pre: [0; 5],
    suf: [0; 5],
    n_chars: 0,
};

/// Word lists learnt from the training text.
#[derive(Clone, Debug, Default, PartialEq)]
struct Lexicon {
    /// Lower-cased first words of multi-word person names.
    first_names: HashIndex<()>,
    /// Lower-cased word → capitalisation bucket (1 always lower … 4 always capitalised).
    capstat: HashIndex<u8>,
    /// Lower-cased word → share of organisations (0–100 %) among the person and organisation
    /// names of the documents it occurs in.
    org_share: HashIndex<u8>,
}

impl Lexicon {
    fn learn(docs: &[&Doc]) -> Lexicon {
        let mut lex = Lexicon::default();
        let mut counts: HashIndex<(u32, u32)> = HashIndex::default();
        for doc in docs {
            for sent in &doc.sentences {
                for i in sent.range() {
                    let form = &doc.form[i];
                    let lw = hash_str(&form.to_lowercase());
                    let cap = form.chars().next().is_some_and(char::is_uppercase);
                    if i > sent.start {
                        let e = counts.entry(lw).or_default();
                        if cap {
                            e.0 += 1;
                        } else if form.chars().next().is_some_and(char::is_lowercase) {
                            e.1 += 1;
                        }
                    }
                }
            }
        }
        lex.first_names = Lexicon::first_names(docs);
        lex.org_share = Lexicon::org_share(docs);
        for (k, (cap, low)) in counts {
            let bucket = match (cap, low) {
                (0, 0) => continue,
                (0, _) => 1,
                (c, l) if l > c => 2,
                (_, 0) => 4,
                _ => 3,
            };
            lex.capstat.insert(k, bucket);
        }
        lex
    }

    /// For lower-case words found in at least [`TOPIC_MIN_DOCS`] documents: the share of
    /// organisations among those documents' person and organisation names.
    fn org_share(docs: &[&Doc]) -> HashIndex<u8> {
        let mut acc: HashIndex<(u32, u32, u32)> = HashIndex::default();
        let mut seen: HashIndex<()> = HashIndex::default();
        for doc in docs {
            let count = |t: EntType| doc.ner.iter().filter(|&&x| x == Iob::B(t)).count() as u32;
            let (per, org) = (count(EntType::Per), count(EntType::Org));
            seen.clear();
            for form in &doc.form {
                if topic_word(form) {
                    seen.insert(hash_str(form), ());
                }
            }
            for &w in seen.keys() {
                let e = acc.entry(w).or_default();
                e.0 += 1;
                e.1 += per;
                e.2 += org;
            }
        }
        acc.into_iter()
            .filter(|(_, (n, per, org))| *n >= TOPIC_MIN_DOCS && per + org > 0)
            .map(|(w, (_, per, org))| (w, (100 * org / (per + org)) as u8))
            .collect()
    }

    /// The document's topic bucket: the mean organisation share of its known words, in tenths
    /// (0–10), or 11 when it has no known word.
    fn topic(&self, doc: &Doc) -> u64 {
        let mut seen: HashIndex<()> = HashIndex::default();
        let (mut sum, mut n) = (0u64, 0u64);
        for form in &doc.form {
            if !topic_word(form) {
                continue;
            }
            let w = hash_str(form);
            if let Some(&share) = self.org_share.get(&w) {
                if seen.insert(w, ()).is_none() {
                    sum += share as u64;
                    n += 1;
                }
            }
        }
        if n == 0 {
            11
        } else {
            (sum / n + 5) / 10
        }
    }

    /// Lower-cased first tokens of multi-token person names.
    fn first_names(docs: &[&Doc]) -> HashIndex<()> {
        let mut names = HashIndex::default();
        for doc in docs {
            for i in 0..doc.len() {
                if doc.ner[i] == Iob::B(EntType::Per)
                    && doc.ner.get(i + 1) == Some(&Iob::I(EntType::Per))
                {
                    names.insert(hash_str(&doc.form[i].to_lowercase()), ());
                }
            }
        }
        names
    }

    fn write(&self) -> Vec<u8> {
        let mut names: Vec<u64> = self.first_names.keys().copied().collect();
        names.sort_unstable();
        let mut stats: Vec<(u64, u8)> = self.capstat.iter().map(|(&k, &v)| (k, v)).collect();
        stats.sort_unstable();
        let mut out = Vec::with_capacity(8 + names.len() * 8 + stats.len() * 9);
        out.extend_from_slice(&(names.len() as u32).to_le_bytes());
        for k in names {
            out.extend_from_slice(&k.to_le_bytes());
        }
        out.extend_from_slice(&(stats.len() as u32).to_le_bytes());
        for (k, v) in stats {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v);
        }
        let mut shares: Vec<(u64, u8)> = self.org_share.iter().map(|(&k, &v)| (k, v)).collect();
        shares.sort_unstable();
        out.extend_from_slice(&(shares.len() as u32).to_le_bytes());
        for (k, v) in shares {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v);
        }
        out
    }

    fn read(bytes: &[u8]) -> crate::Result<Lexicon> {
        let mut r = Reader::new(bytes, Ner::KIND);
        let mut lex = Lexicon::default();
        for _ in 0..r.u32()? {
            lex.first_names.insert(r.u64()?, ());
        }
        for _ in 0..r.u32()? {
            let k = r.u64()?;
            lex.capstat.insert(k, r.take(1)?[0]);
        }
        for _ in 0..r.u32()? {
            let k = r.u64()?;
            lex.org_share.insert(k, r.take(1)?[0]);
        }
        Ok(lex)
    }
}

/// Documents a word must occur in for its organisation share to count.
const TOPIC_MIN_DOCS: u32 = 3;

/// Words that tell what a document is about: lower-case words of four letters or more.
fn topic_word(form: &str) -> bool {
    form.chars().count() >= 4 && form.chars().all(char::is_lowercase)
}

/// The trained entity recogniser.
pub struct Ner {
    weights: Weights,
    groups: FeatureGroups,
    lexicon: Lexicon,
    clusters: clusters::Classes,
    /// The first pass, for a stacked (second-pass) model.
    stage1: Option<Box<Ner>>,
}

/// Per-document state of the decoder.
#[derive(Default)]
struct DocState {
    info: Vec<TokInfo>,
    /// The document's topic bucket (see [`Lexicon::topic`]).
    topic: u64,
    /// Lower-cased word → 1 + type index of its latest entity reading in this document.
    memory: HashIndex<u8>,
    feats: Features,
    scores: [f32; N_CLASSES],
    lower: String,
    key: String,
}

impl Ner {
    pub const KIND: &'static str = "ner";

    pub fn groups(&self) -> FeatureGroups {
        self.groups
    }

    /// Trains on documents with gold `ner` columns (and predicted `upos` when `groups.pos`).
    pub fn train(train: &[Doc], opts: &TrainOptions) -> Ner {
        Ner::train_with_text(train, &[], opts)
    }

    /// Like [`Ner::train`], with extra plain text (e.g. treebank sentences) for the word classes.
    pub fn train_with_text(train: &[Doc], text: &[&Doc], opts: &TrainOptions) -> Ner {
        let mut opts = opts.clone();
        opts.groups.entity_types = [false; 4];
        for t in train.iter().flat_map(|d| &d.ner) {
            if let Iob::B(ty) | Iob::I(ty) = t {
                opts.groups.entity_types[type_index(*ty)] = true;
            }
        }
        let opts = &opts;
        let clusters = if opts.groups.clusters {
            let all: Vec<&Doc> = train.iter().chain(text.iter().copied()).collect();
            let t = std::time::Instant::now();
            let c = clusters::learn(
                &all,
                opts.n_clusters,
                opts.cluster_min_count,
                opts.cluster_iterations,
            );
            if opts.verbose {
                eprintln!(
                    "ner: {} words in {} classes ({:.1} s)",
                    c.len(),
                    opts.n_clusters,
                    t.elapsed().as_secs_f64()
                );
            }
            c
        } else {
            clusters::Classes::default()
        };
        let docs: Vec<&Doc> = train.iter().collect();
        if !opts.groups.stack {
            return Ner::train_pass(&docs, clusters, opts, None);
        }
        let mut first = opts.clone();
        first.groups.stack = false;
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); train.len()];
        for k in 0..FOLDS {
            let others: Vec<&Doc> = (0..train.len())
                .filter(|d| d % FOLDS != k)
                .map(|d| &train[d])
                .collect();
            let m = Ner::train_pass(&others, clusters.clone(), &first, None);
            for d in (0..train.len()).filter(|d| d % FOLDS == k) {
                preds[d] = m.decode(&train[d]);
            }
            if opts.verbose {
                eprintln!("ner: first pass for fold {} of {FOLDS} done", k + 1);
            }
        }
        let stage1 = Ner::train_pass(&docs, clusters.clone(), &first, None);
        let mut model = Ner::train_pass(&docs, clusters, opts, Some(&preds));
        model.stage1 = Some(Box::new(stage1));
        model
    }

    /// Trains one pass; `stage1` holds first-pass classes of every document for a second pass.
    fn train_pass(
        train: &[&Doc],
        clusters: clusters::Classes,
        opts: &TrainOptions,
        stage1: Option<&[Vec<usize>]>,
    ) -> Ner {
        let lexicon = if opts.groups.lexicon {
            Lexicon::learn(train)
        } else {
            Lexicon::default()
        };
        // Lists learnt from a training document would describe it perfectly and be trusted
        // too much (every training name "known"): each document sees the lists learnt from the
        // other folds only, as new text sees lists learnt from all of them.
        let folds: Vec<Lexicon> = (0..FOLDS)
            .map(|k| {
                if !opts.groups.lexicon {
                    return Lexicon::default();
                }
                let others: Vec<&Doc> = (0..train.len())
                    .filter(|d| d % FOLDS != k)
                    .map(|d| train[d])
                    .collect();
                Lexicon::learn(&others)
            })
            .collect();
        let mut model = Ner {
            weights: Trainer::new(N_CLASSES).finish(0.0),
            groups: opts.groups,
            lexicon,
            clusters,
            stage1: None,
        };
        let mut trainer = Trainer::new(N_CLASSES);
        let mut order: Vec<usize> = (0..train.len()).collect();
        let mut rng = Rng::new(opts.seed);
        let mut st = DocState::default();
        let gold: Vec<Vec<usize>> = train
            .iter()
            .map(|d| {
                let mut g = Vec::with_capacity(d.len());
                for s in &d.sentences {
                    g.extend(bilou(&d.ner[s.range()]));
                }
                g
            })
            .collect();
        for epoch in 0..opts.epochs {
            rng.shuffle(&mut order);
            let (mut right, mut total) = (0usize, 0usize);
            for &d in &order {
                let doc = train[d];
                model.prepare(
                    doc,
                    &mut st,
                    &folds[d % FOLDS],
                    stage1.map(|p| p[d].as_slice()),
                );
                for sent in &doc.sentences {
                    let mut hist = [0usize; 2];
                    for i in sent.range() {
                        st.feats.clear();
                        model.features_into(&mut st, i, sent.start, sent.end, hist);
                        st.scores = [0.0; N_CLASSES];
                        trainer.tick();
                        trainer.score(st.feats.as_slice(), &mut st.scores);
                        let mut mask = [true; N_CLASSES];
                        allowed(
                            hist[0],
                            i + 1 == sent.end,
                            &model.groups.entity_types,
                            &mut mask,
                        );
                        let guess = argmax(&st.scores, Some(&mask)).unwrap_or(0);
                        let truth = gold[d][i];
                        if guess != truth {
                            trainer.update(st.feats.as_slice(), truth, guess);
                        } else {
                            right += 1;
                        }
                        total += 1;
                        model.remember(doc, &mut st, i, guess);
                        hist = [guess, hist[0]];
                    }
                }
            }
            if opts.verbose {
                eprintln!(
                    "ner epoch {}: training accuracy {:.2}%",
                    epoch + 1,
                    100.0 * right as f64 / total.max(1) as f64
                );
            }
        }
        model.weights = trainer.finish(opts.min_weight);
        model
    }

    /// Tags `doc.ner` (IOB2) and marks the entity column as annotated.
    pub fn recognise(&self, doc: &mut Doc) {
        let classes = self.decode(doc);
        doc.ner.clear();
        doc.ner.extend(classes.into_iter().map(to_iob));
        doc.ner.resize(doc.len(), Iob::O);
        doc.annotated.entities = true;
    }

    /// The BILOU class of every token.
    fn decode(&self, doc: &Doc) -> Vec<usize> {
        let mut st = DocState::default();
        match &self.stage1 {
            // Both passes were trained on the same text with the same lexicons and classes, so
            // the first pass's token facts serve the second too: compute them once.
            Some(first) => {
                first.prepare(doc, &mut st, &first.lexicon, None);
                let classes = first.decode_prepared(doc, &mut st);
                st.memory.clear();
                self.add_stack(&mut st, &classes);
            }
            None => self.prepare(doc, &mut st, &self.lexicon, None),
        }
        self.decode_prepared(doc, &mut st)
    }

    fn decode_prepared(&self, doc: &Doc, st: &mut DocState) -> Vec<usize> {
        let mut mask = [true; N_CLASSES];
        let mut out = vec![0; doc.len()];
        for sent in &doc.sentences {
            let mut hist = [0usize; 2];
            for i in sent.range() {
                st.feats.clear();
                self.features_into(st, i, sent.start, sent.end, hist);
                st.scores = [0.0; N_CLASSES];
                self.weights.score(st.feats.as_slice(), &mut st.scores);
                allowed(
                    hist[0],
                    i + 1 == sent.end,
                    &self.groups.entity_types,
                    &mut mask,
                );
                let guess = argmax(&st.scores, Some(&mask)).unwrap_or(0);
                self.remember(doc, st, i, guess);
                out[i] = guess;
                hist = [guess, hist[0]];
            }
        }
        out
    }

    /// Serialises the model ([`ModelFile`] of kind `ner`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut file = ModelFile::new(Self::KIND, FEATURE_VERSION);
        file.add_json("groups", &self.groups);
        file.add("lexicon", self.lexicon.write());
        let mut cl: Vec<(u64, u16)> = self.clusters.iter().map(|(&k, &v)| (k, v)).collect();
        cl.sort_unstable();
        let mut bytes = Vec::with_capacity(4 + cl.len() * 10);
        bytes.extend_from_slice(&(cl.len() as u32).to_le_bytes());
        for (k, v) in cl {
            bytes.extend_from_slice(&k.to_le_bytes());
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        file.add("clusters", bytes);
        file.add_weights("weights", &self.weights);
        if let Some(m) = &self.stage1 {
            file.add("stage1", m.to_bytes());
        }
        file.to_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> crate::Result<Ner> {
        let file = ModelFile::from_bytes(bytes, Self::KIND, FEATURE_VERSION)?;
        let groups: FeatureGroups = file.json("groups")?;
        Ok(Ner {
            stage1: if groups.stack {
                Some(Box::new(Ner::from_bytes(file.section("stage1")?)?))
            } else {
                None
            },
            groups,
            lexicon: Lexicon::read(file.section("lexicon")?)?,
            weights: file.weights("weights")?,
            clusters: {
                let mut r = Reader::new(file.section("clusters")?, Self::KIND);
                let mut c = clusters::Classes::default();
                for _ in 0..r.u32()? {
                    let k = r.u64()?;
                    let v = u16::from_le_bytes([r.take(1)?[0], r.take(1)?[0]]);
                    c.insert(k, v);
                }
                c
            },
        })
    }

    /// Number of features with weights (model size).
    pub fn n_features(&self) -> usize {
        self.weights.n_features()
    }

    /// Runs the recogniser over copies of gold documents and scores it. `prepare` fills what the
    /// features need beforehand (the tagger's UPOS when the model uses them).
    pub fn evaluate(&self, gold: &[Doc], prepare: impl FnMut(&mut Doc)) -> NerScores {
        self.evaluate_each(gold, prepare, |_, _| {})
    }

    /// [`Ner::evaluate`], also handing each (gold, predicted) document pair to `each`.
    pub fn evaluate_each(
        &self,
        gold: &[Doc],
        mut prepare: impl FnMut(&mut Doc),
        mut each: impl FnMut(&Doc, &Doc),
    ) -> NerScores {
        let mut scores = NerScores::default();
        for g in gold {
            let mut d = g.clone();
            d.ner.iter_mut().for_each(|t| *t = Iob::O);
            prepare(&mut d);
            self.recognise(&mut d);
            scores.add(g, &d);
            each(g, &d);
        }
        scores
    }

    /// Computes the per-token facts of a document.
    fn prepare(&self, doc: &Doc, st: &mut DocState, lexicon: &Lexicon, stage1: Option<&[usize]>) {
        // Indexed by document token: tokens outside every sentence (a malformed document) keep
        // the defaults and are never decoded.
        st.info.clear();
        st.info.resize(doc.len(), TokInfo::default());
        st.memory.clear();
        st.topic = if self.groups.topic {
            lexicon.topic(doc)
        } else {
            0
        };
        let mut lower_seen: HashIndex<()> = HashIndex::default();
        for sent in &doc.sentences {
            for i in sent.range() {
                let form = doc.form[i].as_str();
                st.lower.clear();
                st.lower.extend(form.chars().flat_map(char::to_lowercase));
                let first = form.chars().next();
                // "4FM" and "'t Hooft"-like tokens count by their first letter.
                let cap = form
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_uppercase)
                    && !first.is_some_and(char::is_lowercase);
                let lw = hash_str(&st.lower);
                if first.is_some_and(char::is_lowercase) {
                    lower_seen.insert(lw, ());
                }
                let mut t = TokInfo {
                    w: hash_str(form),
                    lw,
                    shape: hash_str(&shape(form)),
                    cap,
                    initial: i == sent.start
                        || (i == sent.start + 1
                            && !doc.form[sent.start].chars().any(char::is_alphanumeric)),
                    upos: if self.groups.pos {
                        doc.upos.get(i).copied().unwrap_or(Upos::X) as u64
                    } else {
                        0
                    },
                    ..TokInfo::default()
                };
                if self.groups.clusters {
                    t.cluster = self.clusters.get(&t.w).map_or(0, |&c| c as u64 + 1);
                }
                if self.groups.lexicon {
                    t.first_name = lexicon.first_names.contains_key(&lw);
                    t.capstat = lexicon.capstat.get(&lw).copied().unwrap_or(0) as u64;
                }
                if self.groups.gazetteer && cap {
                    st.key.clear();
                    gazetteer::normalize_into(form, &mut st.key);
                    t.demonym = Gazetteer::global().demonym_key(&st.key).is_some();
                }
                if let Some((a, b)) = st.lower.split_once('-') {
                    let b = b.rsplit('-').next().unwrap_or(b);
                    t.hy_first = hash_str(a);
                    t.hy_last = hash_str(b);
                    if self.groups.gazetteer {
                        let g = Gazetteer::global();
                        t.hy_geo = form.split('-').any(|part| {
                            st.key.clear();
                            gazetteer::normalize_into(part, &mut st.key);
                            part.chars().next().is_some_and(char::is_uppercase)
                                && (g.demonym_key(&st.key).is_some()
                                    || !g.lookup_key(&st.key).is_empty())
                        });
                    }
                }
                // Prefixes and suffixes of 1–5 characters, sliced at char boundaries.
                let bounds: Vec<usize> = st.lower.char_indices().map(|(b, _)| b).collect();
                let (n, len) = (bounds.len(), st.lower.len());
                t.n_chars = n as u64;
                for k in 1..=5.min(n) {
                    let pre_end = bounds.get(k).copied().unwrap_or(len);
                    t.pre[k - 1] = hash_str(&st.lower[..pre_end]);
                    t.suf[k - 1] = hash_str(&st.lower[bounds[n - k]..]);
                }
                t.suf3 = if n >= 3 { t.suf[2] } else { t.lw };
                st.info[i] = t;
            }
            mark_runs(doc, sent.start, sent.end, &mut st.info);
            let words = st.info[sent.range()]
                .iter()
                .zip(&doc.form[sent.range()])
                .filter(|(_, f)| f.chars().any(char::is_alphabetic))
                .count();
            let caps = st.info[sent.range()].iter().filter(|t| t.cap).count();
            let headline = words >= 2 && caps * 2 > words;
            st.info[sent.range()]
                .iter_mut()
                .for_each(|t| t.headline = headline);
            if self.groups.gazetteer {
                mark_places(doc, sent.start, sent.end, &mut st.info, &mut st.key);
            }
        }
        if self.groups.doc_memory {
            for t in st.info.iter_mut() {
                t.lower_in_doc = t.cap && lower_seen.contains_key(&t.lw);
            }
        }
        if self.groups.doc_usage {
            usage::mark(doc, &mut st.info);
            for sent in &doc.sentences {
                usage::mark_lists_and_appositions(doc, sent.start, sent.end, &mut st.info);
            }
        }
        if let Some(first) = stage1 {
            self.add_stack(st, first);
        }
    }

    /// Fills the second-pass facts from the first pass's classes.
    fn add_stack(&self, st: &mut DocState, first: &[usize]) {
        if self.groups.stack {
            // Types the first pass gave each capitalised word over the whole document.
            let mut counts: HashIndex<[u16; 5]> = HashIndex::default();
            for (t, &c) in st.info.iter().zip(first) {
                if t.cap {
                    counts.entry(t.lw).or_default()[class_parts(c).map_or(0, |(ty, _)| ty + 1)] +=
                        1;
                }
            }
            for (t, &c) in st.info.iter_mut().zip(first) {
                t.s1 = c as u64;
                if !t.cap {
                    continue;
                }
                let mut n = counts[&t.lw];
                n[class_parts(c).map_or(0, |(ty, _)| ty + 1)] -= 1;
                let best = (1..5)
                    .max_by_key(|&k| (n[k], std::cmp::Reverse(k)))
                    .unwrap_or(1);
                let ents: u16 = n[1..].iter().sum();
                t.s1_doc = if n[best] == 0 {
                    (n[0] > 0) as u64
                } else {
                    let bucket = match n[best] {
                        1 => 0,
                        2 => 1,
                        _ => 2,
                    };
                    2 + 4 * best as u64 + bucket + 3 * (n[best] < ents || n[0] > ents) as u64 * 16
                };
            }
        }
    }

    /// The features of token `i` of the sentence `s..e` given the previous decisions `hist`.
    fn features_into(&self, st: &mut DocState, i: usize, s: usize, e: usize, hist: [usize; 2]) {
        let at = |k: isize| -> TokInfo {
            let j = i as isize + k;
            if j < s as isize || j >= e as isize {
                PAD
            } else {
                st.info[j as usize]
            }
        };
        let t = st.info[i];
        let (m1, p1, m2, p2) = (at(-1), at(1), at(-2), at(2));
        let f = &mut st.feats;
        f.add(T_BIAS, 0);
        f.add(T_W, t.w);
        f.add(T_LW, t.lw);
        for k in 0..5.min(t.n_chars as usize) {
            f.add2(T_PRE, k as u64 + 1, t.pre[k]);
            f.add2(T_SUF, k as u64 + 1, t.suf[k]);
        }
        f.add(T_LEN, t.n_chars.min(12));
        f.add(T_SHAPE, t.shape);
        f.add2(T_CAP_INIT, t.cap as u64, t.initial as u64);
        f.add(T_LW_M1, m1.lw);
        f.add(T_LW_P1, p1.lw);
        f.add(T_LW_M2, m2.lw);
        f.add(T_LW_P2, p2.lw);
        f.add(T_SHAPE_M1, m1.shape);
        f.add(T_SHAPE_P1, p1.shape);
        f.add3(T_SHAPE_CTX, m1.shape, t.shape, p1.shape);
        f.add2(T_BI_M1, m1.lw, t.lw);
        f.add2(T_BI_P1, t.lw, p1.lw);
        if t.cap {
            // Context words matter most for capitalised words: "minister X", "X zegt".
            f.add(T_CAP_LW_M1, m1.lw);
            f.add(T_CAP_LW_P1, p1.lw);
            f.add(T_CAP_LW_M2, m2.lw);
            f.add2(T_CAP_LW_M12, m2.lw, m1.lw);
        }
        f.add(T_SUF_M1, m1.suf3);
        f.add(T_SUF_P1, p1.suf3);
        f.add3(
            T_RUN,
            t.run_len.min(5),
            t.run_pos.min(4),
            (t.run_pos + 1 == t.run_len) as u64,
        );
        if t.run_len > 0 {
            f.add(T_RUN_FIRST, t.run_first);
            f.add(T_RUN_LAST, t.run_last);
            if t.run_len > 1 {
                f.add(T_RUN_ALL, t.run_all);
            }
        }
        f.add2(T_QUOTE, t.in_quote as u64, t.cap as u64);
        f.add2(T_HEADLINE, t.headline as u64, t.cap as u64);
        if t.hy_first != 0 {
            f.add(T_HY_FIRST, t.hy_first);
            f.add(T_HY_LAST, t.hy_last);
            f.add2(T_HY_GEO, t.hy_geo as u64, t.cap as u64);
        }
        let (h1, h2) = (hist[0] as u64, hist[1] as u64);
        f.add(T_H1, h1);
        f.add2(T_H12, h1, h2);
        f.add2(T_H1_LW, h1, t.lw);
        f.add2(T_H1_SHAPE, h1, t.shape);
        if self.groups.pos {
            f.add(T_POS, t.upos);
            f.add(T_POS_M1, m1.upos);
            f.add(T_POS_P1, p1.upos);
            f.add2(T_POS_SHAPE, t.upos, t.shape);
            f.add3(T_POS_CTX, m1.upos, t.upos, p1.upos);
        }
        if self.groups.gazetteer {
            f.add2(T_GAZ, t.gaz, t.initial as u64);
            f.add(T_GAZ_M1, m1.gaz);
            f.add(T_GAZ_P1, p1.gaz);
            f.add(T_DEM, t.demonym as u64);
            f.add(T_DEM_M1, m1.demonym as u64);
        }
        if self.groups.lexicon {
            f.add2(T_FIRST, t.first_name as u64, t.cap as u64);
            f.add2(T_FIRST_M1, m1.first_name as u64, t.cap as u64);
            f.add3(T_CAPSTAT, t.capstat, t.cap as u64, t.initial as u64);
            f.add2(T_CAPSTAT_M1, m1.capstat, m1.cap as u64);
            f.add2(T_CAPSTAT_P1, p1.capstat, p1.cap as u64);
        }
        if self.groups.clusters {
            f.add(T_CL, t.cluster);
            f.add(T_CL_M1, m1.cluster);
            f.add(T_CL_P1, p1.cluster);
            f.add2(T_CL_CAP, t.cluster, t.cap as u64 + 2 * t.initial as u64);
            f.add2(T_CL_H1, t.cluster, h1);
            f.add3(T_CL_CTX, m1.cluster, t.cluster, p1.cluster);
        }
        if self.groups.stack {
            f.add(T_S1, t.s1);
            f.add2(T_S1_M1, m1.s1, t.cap as u64);
            f.add2(T_S1_P1, p1.s1, t.cap as u64);
            f.add(T_S1_DOC, t.s1_doc);
            f.add2(T_S1_DOC_S1, t.s1_doc, t.s1);
            f.add3(T_S1_CTX, m1.s1, t.s1, p1.s1);
        }
        if self.groups.doc_memory && t.cap {
            let mem = st.memory.get(&t.lw).copied().unwrap_or(0) as u64;
            f.add2(T_MEM, mem, t.initial as u64);
            f.add2(T_LOWER_IN_DOC, t.lower_in_doc as u64, t.initial as u64);
        }
        if self.groups.topic && t.cap {
            f.add2(T_TOPIC, st.topic, t.run_len.min(2));
            f.add2(T_TOPIC_LEX, st.topic, t.capstat);
        }
        if self.groups.doc_usage && t.cap {
            f.add3(T_DOC_USAGE, t.doc_usage, t.run_len.min(3), t.initial as u64);
            f.add2(T_DOC_USAGE_LW, t.doc_usage, m1.lw);
            if t.appos != 0 {
                f.add(T_APPOS, t.appos);
                f.add(T_APPOS_SUF, t.appos_suf);
            }
            if !m1.cap && m1.n_chars >= 5 {
                f.add(T_CAP_SUF5_M1, m1.suf[4]);
            }
            if self.groups.stack {
                // The first pass's type of a name joined to this one by "en", ",", "/" …
                let ty =
                    |x: &TokInfo| class_parts(x.s1 as usize).map_or(0, |(ty, _)| ty as u64 + 1);
                if m1.coordinator {
                    f.add2(T_COORD_M, ty(&m2), m2.cap as u64);
                }
                if p1.coordinator {
                    f.add2(T_COORD_P, ty(&p2), p2.cap as u64);
                }
            }
        }
    }

    /// Records decision `c` for token `i` in the document memory.
    fn remember(&self, _doc: &Doc, st: &mut DocState, i: usize, c: usize) {
        if !self.groups.doc_memory || !st.info[i].cap {
            return;
        }
        let v = class_parts(c).map_or(0, |(t, _)| t as u8 + 1);
        st.memory.insert(st.info[i].lw, v);
    }
}

/// How capitalised words are used across a document (see [`FeatureGroups::doc_usage`]).
mod usage {
    use super::TokInfo;
    use crate::doc::Doc;
    use crate::perceptron::HashIndex;

    /// After a capitalised first name: "Guy Verhofstadt".
    pub const AFTER_FIRST_NAME: u64 = 1;
    /// After an article: "de Knesset", "het Swissair".
    pub const AFTER_ARTICLE: u64 = 2;
    /// A capitalised run of one word, not first in its sentence.
    pub const ALONE: u64 = 4;
    /// Inside a run of several capitalised words.
    pub const IN_LONGER_NAME: u64 = 8;

    const ARTICLES: &[&str] = &["de", "het", "des", "der", "den", "een", "the"];
    const COORDINATORS: &[&str] = &["en", "of", ",", "/", "&", "and", "or"];

    /// Marks the coordinators of the sentence `s..e` and, for each capitalised run (as
    /// [`super::mark_runs`] found them), the noun of an apposition after it (", de/het/een NOUN").
    pub fn mark_lists_and_appositions(doc: &Doc, s: usize, e: usize, info: &mut [TokInfo]) {
        for i in s..e {
            info[i].coordinator = COORDINATORS.contains(&doc.form[i].as_str());
            let last_of_run = info[i].run_len > 0 && info[i].run_pos + 1 == info[i].run_len;
            if last_of_run
                && i + 3 < e
                && doc.form[i + 1] == ","
                && ARTICLES.contains(&doc.form[i + 2].as_str())
                && !info[i + 3].cap
            {
                let (noun, suf) = (info[i + 3].lw, info[i + 3].suf[4]);
                let first = i + 1 - info[i].run_len as usize;
                for t in &mut info[first..=i] {
                    t.appos = noun;
                    t.appos_suf = suf;
                }
            }
        }
    }

    /// Sets every capitalised token's `doc_usage` to the union of its word's uses.
    pub fn mark(doc: &Doc, info: &mut [TokInfo]) {
        let mut uses: HashIndex<u64> = HashIndex::default();
        for sent in &doc.sentences {
            for i in sent.range() {
                let t = &info[i];
                if !t.cap {
                    continue;
                }
                let mut bits = 0;
                if i > sent.start {
                    let prev = &info[i - 1];
                    if prev.cap && prev.first_name {
                        bits |= AFTER_FIRST_NAME;
                    }
                    if ARTICLES.contains(&doc.form[i - 1].as_str()) {
                        bits |= AFTER_ARTICLE;
                    }
                }
                if t.run_len == 1 && !t.initial {
                    bits |= ALONE;
                }
                if t.run_len > 1 {
                    bits |= IN_LONGER_NAME;
                }
                *uses.entry(t.lw).or_default() |= bits;
            }
        }
        for t in info.iter_mut().filter(|t| t.cap) {
            t.doc_usage = uses[&t.lw];
        }
    }
}

/// The word's shape, runs of one class cut to two ("Poetin" → "Xxx", "NAVO" → "XX", "1.200" →
/// "dd.dd").
fn shape(form: &str) -> String {
    crate::tagger::word_shape(form, 2, 12)
}

/// Words that may stand inside a name between capitalised words ("Dries Van den Abeele",
/// "Universiteit van Amsterdam").
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "von", "la", "le", "du", "des", "di", "da", "del", "voor", "'t",
    "ten", "ter", "op", "in", "het", "y", "bin", "al", "el",
];

/// Fills the capitalised-run and quote facts of the tokens `s..e`.
fn mark_runs(doc: &Doc, s: usize, e: usize, info: &mut [TokInfo]) {
    let mut quote = false;
    for i in s..e {
        let f = doc.form[i].as_str();
        if matches!(f, "\"" | "'" | "“" | "”" | "„" | "‘" | "’" | "«" | "»") {
            quote = !quote;
        }
        info[i].in_quote = quote;
    }
    let mut i = s;
    while i < e {
        if !info[i].cap {
            i += 1;
            continue;
        }
        // Extend over capitalised words and particles followed by a capitalised word.
        let mut end = i + 1;
        let mut k = i + 1;
        while k < e {
            if info[k].cap {
                k += 1;
                end = k;
            } else if PARTICLES.contains(&doc.form[k].as_str()) {
                k += 1;
            } else {
                break;
            }
        }
        let mut all = 0x51u64;
        for j in i..end {
            all = crate::perceptron::mix(all, info[j].lw);
        }
        let (first, last) = (info[i].lw, info[end - 1].lw);
        for j in i..end {
            let t = &mut info[j];
            t.run_len = (end - i) as u64;
            t.run_pos = (j - i) as u64;
            t.run_first = first;
            t.run_last = last;
            t.run_all = all;
        }
        i = end;
    }
}

/// Marks gazetteer place names (longest match first, up to four tokens, starting and ending in
/// a capitalised token) in the tokens `s..e`.
fn mark_places(doc: &Doc, s: usize, e: usize, info: &mut [TokInfo], key: &mut String) {
    let g = Gazetteer::global();
    let max = g.max_tokens().min(4);
    let mut i = s;
    while i < e {
        if !info[i].cap {
            i += 1;
            continue;
        }
        let mut matched = 0;
        for n in (1..=max.min(e - i)).rev() {
            if !info[i + n - 1].cap {
                continue;
            }
            key.clear();
            for k in i..i + n {
                if k > i {
                    key.push(' ');
                }
                gazetteer::normalize_into(&doc.form[k], key);
            }
            if let Some(&p) = g.lookup_key(key).first() {
                let place = g.place(p);
                let bucket = match place.kind {
                    PlaceKind::Country => 0,
                    PlaceKind::Region | PlaceKind::Continent => 1,
                    PlaceKind::City if place.population >= 1_000_000 => 2,
                    PlaceKind::City if place.population >= 100_000 => 3,
                    PlaceKind::City => 4,
                };
                for k in 0..n {
                    let pos = if n == 1 {
                        U
                    } else if k == 0 {
                        B
                    } else if k + 1 == n {
                        L
                    } else {
                        I
                    };
                    info[i + k].gaz = 1 + 4 * bucket + pos as u64;
                }
                matched = n;
                break;
            }
        }
        i += matched.max(1);
    }
}

#[cfg(test)]
mod tests;
