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
use crate::doc::{Doc, Lang, Upos};
use crate::error::{Error, Result};
use crate::eval::{strip_annotations, ParseScores};
use crate::lemmatizer::{self, Lemmatizer};
use crate::ner::{self, Ner};
use crate::parser::{self, Parser};
use crate::tagger::{self, Lexicon, Tagger};

/// Training and development files for one language.
pub struct Treebanks {
    pub train: Vec<Doc>,
    /// Which of `train` the parser learns from (all of them train the tagger).
    pub parser_train: Vec<usize>,
    pub dev: Doc,
    pub dev_path: PathBuf,
}

/// LassySmall's v2.0 training trees follow guidelines far enough from the current ones that
/// adding them costs the parser 2.3 UAS points on Alpino dev (86.3 → 84.0 with gold tags); the
/// tagger still gains from them (91.2 → 93.7 UPOS), so only the tagger and lemmatizer use them.
/// (Rechecked with predicted tags after names stopped being retagged: 81.5 → 78.4 UAS, and a
/// parser twice the size.)
fn parser_uses(name: &str) -> bool {
    !name.contains("nl_lassysmall-ud-train-v2.0")
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
    for name in &train_files {
        train.push(read_conllu_file(&data.join(name), lang)?);
    }
    let current: Vec<Doc> = train_files
        .iter()
        .zip(&train)
        .filter(|(name, _)| !is_old_guidelines(name))
        .map(|(_, d)| d.clone())
        .collect();
    let current: Vec<&Doc> = current.iter().collect();
    for (name, doc) in train_files.iter().zip(train.iter_mut()) {
        if is_old_guidelines(name) {
            modernise(doc, &current);
        }
    }
    let dev_path = data.join(dev_file);
    let dev = read_conllu_file(&dev_path, lang)?;
    let parser_train = (0..train_files.len())
        .filter(|&i| parser_uses(train_files[i]))
        .collect();
    Ok(Treebanks {
        train,
        parser_train,
        dev,
        dev_path,
    })
}

/// Brings a treebank annotated under UD ≤ 2.1 Dutch guidelines closer to the current ones, where
/// the change can be derived: `flat:name` → `flat`; words whose old part of speech the current
/// files never use for them (possessives `zijn`/`haar` DET → PRON, `als` ADP → SCONJ, …) take the
/// current tag and features, unless the old or the new tag is PROPN or X (parts of names);
/// alphabetic ordinals NUM → ADJ; modal `moeten` becomes an auxiliary of its infinitive and
/// `willen`/`laten` the head of theirs, as the current trees have them.
pub fn modernise(doc: &mut Doc, current: &[&Doc]) {
    use std::collections::HashMap;
    let mut upos_of: HashMap<String, HashMap<Upos, usize>> = HashMap::new();
    let mut feats_of: HashMap<(String, Upos), HashMap<String, usize>> = HashMap::new();
    for d in current {
        for i in 0..d.len() {
            let w = d.form[i].to_lowercase();
            *upos_of
                .entry(w.clone())
                .or_default()
                .entry(d.upos[i])
                .or_default() += 1;
            *feats_of
                .entry((w, d.upos[i]))
                .or_default()
                .entry(d.feats[i].clone())
                .or_default() += 1;
        }
    }
    fn majority<K: Clone + Ord>(m: &HashMap<K, usize>) -> Option<(K, usize, usize)> {
        let total = m.values().sum();
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(k, n)| (k.clone(), *n, total))
    }
    for i in 0..doc.len() {
        if doc.deprel[i] == "flat:name" {
            doc.deprel[i] = "flat".to_string();
        }
        let w = doc.form[i].to_lowercase();
        if doc.upos[i] == Upos::Num
            && w.chars().all(char::is_alphabetic)
            && (w.ends_with("de") || w.ends_with("ste"))
        {
            doc.upos[i] = Upos::Adj;
            if doc.deprel[i] == "nummod" {
                doc.deprel[i] = "amod".to_string();
            }
        }
        if let Some(dist) = upos_of.get(&w) {
            let total: usize = dist.values().sum();
            let seen = dist.get(&doc.upos[i]).copied().unwrap_or(0);
            let (new, _, _) = majority(dist).unwrap();
            // Proper names are tagged by their place in a name, not by the word: `Van` in
            // `Van der Vaart` is PROPN however rarely `van` is one elsewhere. Retagging them
            // by the word (PROPN → ADP, DET, NOUN…) taught the tagger to break every such name
            // (−0.45 UPOS on Alpino dev; −0.6 UAS for a parser retrained on it).
            let name_like = |u: Upos| matches!(u, Upos::Propn | Upos::X);
            let retag = !name_like(doc.upos[i]) && !name_like(new);
            if retag && total >= 3 && (seen as f64) < 0.05 * total as f64 {
                if doc.upos[i] == Upos::Det && new == Upos::Pron && doc.deprel[i] == "det" {
                    doc.deprel[i] = "nmod:poss".to_string();
                }
                doc.upos[i] = new;
            }
        }
        if let Some(fs) = feats_of.get(&(w, doc.upos[i])) {
            let (best, n, total) = majority(fs).unwrap();
            if total >= 3 && !fs.contains_key(&doc.feats[i]) && n * 2 > total {
                doc.feats[i] = best;
            }
        }
    }
    restructure_modals(doc);
}

/// Current Dutch UD makes `moeten` an auxiliary of the infinitive, and `willen`/`laten` (and
/// copular `worden`) full verbs heading their complement (`xcomp`); the older files have it the
/// other way round.
fn restructure_modals(doc: &mut Doc) {
    for s in 0..doc.sentences.len() {
        let sent = doc.sentences[s];
        let children = |doc: &Doc, h: usize| -> Vec<usize> {
            sent.range()
                .filter(|&c| doc.head[c] as usize == h - sent.start + 1)
                .collect()
        };
        for m in sent.range() {
            let lemma = doc.lemma[m].as_str();
            if lemma == "moeten" && doc.upos[m] == Upos::Verb {
                let kids = children(doc, m);
                let Some(&c) = kids.iter().find(|&&c| {
                    doc.deprel[c] == "xcomp" && matches!(doc.upos[c], Upos::Verb | Upos::Aux)
                }) else {
                    continue;
                };
                doc.head[c] = doc.head[m];
                doc.deprel[c] = std::mem::replace(&mut doc.deprel[m], "aux".to_string());
                doc.head[m] = (c - sent.start + 1) as u32;
                doc.upos[m] = Upos::Aux;
                for k in kids.into_iter().filter(|&k| k != c) {
                    doc.head[k] = (c - sent.start + 1) as u32;
                }
            } else if (matches!(lemma, "willen" | "laten")
                && doc.upos[m] == Upos::Aux
                && doc.deprel[m] == "aux")
                || (lemma == "worden" && doc.deprel[m] == "cop")
            {
                let Some(h) = doc.head_index(m) else { continue };
                doc.head[m] = doc.head[h];
                doc.deprel[m] = std::mem::replace(&mut doc.deprel[h], "xcomp".to_string());
                doc.head[h] = (m - sent.start + 1) as u32;
                doc.upos[m] = Upos::Verb;
                for k in children(doc, h) {
                    let rel = doc.deprel[k].split(':').next().unwrap_or("");
                    if k != m
                        && matches!(
                            rel,
                            "nsubj" | "csubj" | "mark" | "cc" | "aux" | "punct" | "expl"
                        )
                        && doc.deprel[k] != "aux:pass"
                    {
                        doc.head[k] = (m - sent.start + 1) as u32;
                    }
                }
            }
        }
    }
}

/// Folds for jackknifing: the parser trains on tags predicted by taggers that did not see the
/// sentence, so it learns to live with the tagger's real errors.
pub const JACKKNIFE_FOLDS: usize = 5;

/// Tagged copies of the documents `targets` (indices into `corpus`): each sentence's UPOS and
/// FEATS are predicted by a tagger trained on all of `corpus` except that sentence's fold.
pub fn jackknife_tags(
    corpus: &[&Doc],
    targets: &[usize],
    folds: usize,
    lexicon: &Lexicon,
    opts: &tagger::TrainOptions,
) -> Vec<Doc> {
    let mut out: Vec<Doc> = targets.iter().map(|&d| corpus[d].clone()).collect();
    let fold_of = |d: usize, k: usize| (d * 7919 + k) % folds;
    for f in 0..folds {
        let train: Vec<Doc> = corpus
            .iter()
            .enumerate()
            .map(|(d, doc)| {
                let held_out = targets.contains(&d);
                doc.subset((0..doc.sentences.len()).filter(|&k| !held_out || fold_of(d, k) != f))
            })
            .collect();
        let train_refs: Vec<&Doc> = train.iter().collect();
        let model = Tagger::train_with_lexicon(&train_refs, lexicon.clone(), opts);
        for (o, &d) in targets.iter().enumerate() {
            let doc = corpus[d];
            let held: Vec<usize> = (0..doc.sentences.len())
                .filter(|&k| fold_of(d, k) == f)
                .collect();
            let mut part = strip_annotations(&doc.subset(held.iter().copied()));
            model.tag(&mut part);
            let mut t = 0;
            for &k in &held {
                for i in doc.sentences[k].range() {
                    out[o].upos[i] = part.upos[t];
                    out[o].feats[i].clone_from(&part.feats[t]);
                    t += 1;
                }
            }
        }
    }
    out
}

/// The tagger's external lexicon: for Dutch, the words of the CoNLL-2002 newspaper corpus with
/// that corpus's own coarse part-of-speech column (+0.9 UPOS on Alpino dev), and word classes
/// (see [`learn_word_classes`]). Its entity tags are not used (see [`Lexicon`]).
pub fn load_lexicon(data: &Path, lang: Lang) -> Result<Lexicon> {
    let mut lexicon = Lexicon::default();
    if lang == Lang::Nl {
        for f in ["conll2002-dutch/ned.train", "conll2002-dutch/ned.testa"] {
            let path = data.join(f);
            lexicon
                .add_conll2002(&std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?);
        }
    }
    lexicon.clusters = learn_word_classes(data, lang)?;
    Ok(lexicon)
}

/// Distributional word classes for the tagger and parser, learnt from raw text: the training
/// treebanks and (for Dutch) the CoNLL-2002 newspaper text (+0.3 UPOS, +0.8 UAS on Alpino dev).
fn learn_word_classes(data: &Path, lang: Lang) -> Result<crate::ner::clusters::Classes> {
    let (train_files, _) = treebank_files(lang);
    let mut docs = Vec::new();
    for name in train_files {
        docs.push(read_conllu_file(&data.join(name), lang)?);
    }
    if lang == Lang::Nl {
        for f in ["conll2002-dutch/ned.train", "conll2002-dutch/ned.testa"] {
            docs.extend(crate::ner::read_conll_file(&data.join(f), lang)?);
        }
    }
    let refs: Vec<&Doc> = docs.iter().collect();
    let classes = crate::ner::clusters::learn(&refs, TAGGER_WORD_CLASSES, 2, 8);
    Ok(classes.into_iter().collect())
}

/// Number of distributional word classes the tagger uses.
const TAGGER_WORD_CLASSES: usize = 100;

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
    let lexicon = load_lexicon(&args.data, lang)?;
    eprintln!(
        "tagger lexicon: {} words, {} in word classes",
        lexicon.tags.len(),
        lexicon.clusters.len()
    );
    // The current-guideline trees count twice for the tagger: +0.2 UPOS on Alpino dev.
    let tagger_corpus: Vec<&Doc> = corpus
        .iter()
        .copied()
        .chain(banks.parser_train.iter().map(|&i| &banks.train[i]))
        .collect();

    if wants(args, "tagger") {
        let t0 = Instant::now();
        let mut opts = tagger::TrainOptions::default();
        if let Some(e) = args.epochs {
            opts.epochs = e;
        }
        let model = Tagger::train_with_lexicon(&tagger_corpus, lexicon.clone(), &opts);
        eprintln!("tagger trained in {:.1}s", t0.elapsed().as_secs_f64());
        let mut pred = strip_annotations(&banks.dev);
        model.tag(&mut pred);
        let s = ParseScores::compare(&banks.dev, &pred);
        eprintln!(
            "tagger on dev: UPOS {:.2} FEATS {:.2}",
            s.pct(s.upos),
            s.pct(s.feats)
        );
        eprintln!("most frequent UPOS errors (gold → predicted):");
        for ((g, p), n) in crate::eval::upos_confusions(&banks.dev, &pred)
            .into_iter()
            .take(12)
        {
            eprintln!("  {g:>6} → {p:<6} {n}");
        }
        write_model(&args.out, lang, Tagger::KIND, &model.to_bytes())?;
    }

    if wants(args, "lemmatizer") {
        let t0 = Instant::now();
        let epochs = args.epochs.unwrap_or(lemmatizer::DEFAULT_EPOCHS);
        // One document per file: the lemma convention (old or current) is decided per file.
        let model = lemmatizer::train(&banks.train, Some(&banks.dev), epochs);
        eprintln!("lemmatizer trained in {:.1}s", t0.elapsed().as_secs_f64());
        write_model(&args.out, lang, Lemmatizer::KIND, &model.to_bytes())?;
    }

    if wants(args, "parser") {
        let t0 = Instant::now();
        let tag_opts = tagger::TrainOptions::default();
        let tagged = jackknife_tags(
            &corpus,
            &banks.parser_train,
            JACKKNIFE_FOLDS,
            &lexicon,
            &tag_opts,
        );
        eprintln!("jackknifed tags in {:.1}s", t0.elapsed().as_secs_f64());
        let mut opts = parser::TrainOptions::default();
        if let Some(e) = args.epochs {
            opts.epochs = e;
        }
        let tagged_refs: Vec<&Doc> = tagged.iter().collect();
        let broken: usize = tagged.iter().map(parser::count_broken_trees).sum();
        if broken > 0 {
            eprintln!("skipping {broken} training sentences whose gold tree is not a tree");
        }
        let t1 = Instant::now();
        let model = Parser::train(&tagged_refs, lexicon.clusters.clone(), &opts);
        eprintln!("parser trained in {:.1}s", t1.elapsed().as_secs_f64());
        // Dev with predicted tags from a tagger trained on all the training data.
        let full_tagger = Tagger::train_with_lexicon(&tagger_corpus, lexicon.clone(), &tag_opts);
        let mut pred = strip_annotations(&banks.dev);
        full_tagger.tag(&mut pred);
        model.parse(&mut pred);
        let s = ParseScores::compare(&banks.dev, &pred);
        eprintln!(
            "parser on dev (predicted tags): UAS {:.2} LAS {:.2} LAS(full labels) {:.2}",
            s.pct(s.uas),
            s.pct(s.las),
            s.pct(s.las_full)
        );
        write_model(&args.out, lang, Parser::KIND, &model.to_bytes())?;
    }
    if wants(args, "ner") {
        let t0 = Instant::now();
        // Entities are learnt on the POS the shipped tagger predicts.
        let tagger_path = crate::models::model_path(&args.out, lang, Tagger::KIND);
        let bytes = std::fs::read(&tagger_path).map_err(|e| Error::io(&tagger_path, e))?;
        let tagger = Tagger::from_bytes(&bytes)?;
        let mut opts = ner::TrainOptions {
            verbose: true,
            ..Default::default()
        };
        if let Some(e) = args.epochs {
            opts.epochs = e;
        }
        let (model, scores) = match lang {
            Lang::Nl => ner::train::train_conll2002(&args.data, &opts, false, |d| tagger.tag(d))?,
            Lang::En => ner::train::train_english(&args.data, &opts, |d| tagger.tag(d))?,
        };
        eprintln!(
            "entity recogniser trained in {:.1}s",
            t0.elapsed().as_secs_f64()
        );
        eprintln!("on the development file:\n{scores}");
        write_model(&args.out, lang, Ner::KIND, &model.to_bytes())?;
    }
    Ok(0)
}
