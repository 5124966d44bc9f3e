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
use crate::lemmatizer::{self, Lemmatizer};
use crate::ner::{self, Ner};
use crate::parser::{self, Parser};
use crate::relabel::Relabeler;
use crate::tagger::{self, Lexicon, Tagger};

mod modernise;
pub use modernise::modernise;

/// Training and development files for one language.
pub struct Treebanks {
    pub train: Vec<Doc>,
    /// Which of `train` the parser learns from (all of them train the tagger).
    pub parser_train: Vec<usize>,
    /// Which of `train` is newspaper text, the development set's domain.
    pub news: Option<usize>,
    pub dev: Doc,
    pub dev_path: PathBuf,
}

/// LassySmall's v2.0 training trees follow guidelines far enough from the current ones that
/// adding them as they are costs the parser 3 UAS points on Alpino dev (81.4 → 78.7 with
/// predicted tags); the tagger still gains from them (91.2 → 93.7 UPOS), so only the tagger and
/// lemmatizer use them. Most of the gap was punctuation and conjunctions, which [`modernise`]
/// now converts; even so they add nothing with predicted tags (81.44 against 81.40) and cost a
/// point with gold ones (85.5 against 86.5): Wikipedia is not news. They would double the model.
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
    let news = train_files
        .iter()
        .position(|name| name.contains("alpino-ud-train"));
    Ok(Treebanks {
        train,
        parser_train,
        news,
        dev,
        dev_path,
    })
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
            // Every fifth sentence is no article: the tagger's look at the sentences around a
            // first word would look at the wrong ones.
            model.tag_sentences(&mut part);
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

/// About `share` of the indices `0..n`, spread evenly: index `k` is kept when `k × 37 mod 100`
/// (a permutation of each hundred) falls under `share × 100`.
fn spread_share(n: usize, share: f64) -> Vec<usize> {
    (0..n)
        .filter(|&k| (((k * 37) % 100) as f64) < share * 100.0)
        .collect()
}

/// The relabeler for `parser`, learnt from its own trees of the (jackknife-tagged) training
/// documents `tagged`: relabeling reads the parser's trees, so it learns from them too. Any
/// relabeler `parser` had is dropped first, so those trees are the parser's alone, as they are
/// when the relabeler reads them.
fn train_relabeler(
    parser: &mut Parser,
    tagged: &[Doc],
    old: &[bool],
    epochs: usize,
    seed: u64,
) -> Relabeler {
    parser.relabeler = None;
    // The fixed expressions and verb particles are settled after relabeling: the relabeler
    // never sees them.
    let fixed = std::mem::take(&mut parser.fixed);
    let verb_particles = std::mem::take(&mut parser.verb_particles);
    let parsed: Vec<Doc> = tagged
        .iter()
        .map(|doc| {
            let mut d = doc.clone();
            parser.parse(&mut d);
            d
        })
        .collect();
    let parsed_refs: Vec<&Doc> = parsed.iter().collect();
    let gold_refs: Vec<&Doc> = tagged.iter().collect();
    parser.fixed = fixed;
    parser.verb_particles = verb_particles;
    Relabeler::train(&parsed_refs, &gold_refs, old, epochs, seed)
}

/// Epochs of the relabeler's training.
const RELABEL_EPOCHS: usize = 10;

/// Number of distributional word classes the tagger uses.
const TAGGER_WORD_CLASSES: usize = 100;

fn wants(args: &TrainArgs, model: &str) -> bool {
    args.only.is_empty() || args.only.iter().any(|m| m == model)
}

/// A model file from the training output folder (one trained earlier, or in this run).
fn read_model(out: &Path, lang: Lang, name: &str) -> Result<Vec<u8>> {
    let path = crate::models::model_path(out, lang, name);
    std::fs::read(&path).map_err(|e| Error::io(&path, e))
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

    // The relabeler is part of the parser's file: `--only relabel` adds it to the parser
    // already in `--out` without training that again.
    let train_parser = wants(args, "parser");
    if train_parser || wants(args, "relabel") {
        let t0 = Instant::now();
        let tag_opts = tagger::TrainOptions::default();
        let mut tagged = jackknife_tags(
            &corpus,
            &banks.parser_train,
            JACKKNIFE_FOLDS,
            &lexicon,
            &tag_opts,
        );
        eprintln!("jackknifed tags in {:.1}s", t0.elapsed().as_secs_f64());
        if let Some(share) = args.parser_news_share {
            let at = banks
                .news
                .and_then(|n| banks.parser_train.iter().position(|&i| i == n))
                .ok_or_else(|| {
                    Error::Usage(
                        "--parser-news-share: this language has no newspaper treebank".into(),
                    )
                })?;
            let doc = &mut tagged[at];
            let keep = spread_share(doc.sentences.len(), share);
            eprintln!(
                "parser: {} of the {} newspaper sentences",
                keep.len(),
                doc.sentences.len()
            );
            *doc = doc.subset(keep.into_iter());
        }
        let mut opts = parser::TrainOptions::default();
        if let Some(e) = args.epochs {
            opts.epochs = e;
        }
        if let Some(seed) = args.parser_seed {
            opts.seed = seed;
        }
        let mut model = if train_parser {
            let tagged_refs: Vec<&Doc> = tagged.iter().collect();
            let broken: usize = tagged.iter().map(parser::count_broken_trees).sum();
            if broken > 0 {
                eprintln!("skipping {broken} training sentences whose gold tree is not a tree");
            }
            let t1 = Instant::now();
            let model = Parser::train(&tagged_refs, lexicon.clusters.clone(), &opts);
            eprintln!("parser trained in {:.1}s", t1.elapsed().as_secs_f64());
            model
        } else {
            let mut model = Parser::from_bytes(&read_model(&args.out, lang, Parser::KIND)?)?;
            // Learnt from the trees as in training, so both commands write the same file.
            let tagged_refs: Vec<&Doc> = tagged.iter().collect();
            model.learn_lexicons(&tagged_refs);
            model
        };
        eprintln!(
            "{} fixed expressions, {} verb particles",
            model.fixed.len(),
            model.verb_particles.len()
        );
        let (train_files, _) = treebank_files(lang);
        let old: Vec<bool> = banks
            .parser_train
            .iter()
            .map(|&i| is_old_guidelines(train_files[i]))
            .collect();
        model.relabeler = Some(train_relabeler(
            &mut model,
            &tagged,
            &old,
            RELABEL_EPOCHS,
            opts.seed,
        ));
        // Dev with predicted tags from a tagger trained on all the training data, and lemmas
        // (the relabeler reads them) from the lemmatizer in `--out` if there is one.
        let full_tagger = Tagger::train_with_lexicon(&tagger_corpus, lexicon.clone(), &tag_opts);
        let lemmatizer = read_model(&args.out, lang, Lemmatizer::KIND)
            .and_then(|bytes| Lemmatizer::from_bytes(&bytes))
            .ok();
        let mut pred = strip_annotations(&banks.dev);
        full_tagger.tag(&mut pred);
        if let Some(lemmatizer) = &lemmatizer {
            lemmatizer.lemmatize(&mut pred);
        }
        model.parse(&mut pred);
        let s = ParseScores::compare(&banks.dev, &pred);
        eprintln!(
            "parser on dev (predicted tags{}): UAS {:.2} LAS {:.2} LAS(full labels) {:.2}",
            if lemmatizer.is_some() {
                ""
            } else {
                "; no lemmatizer in --out, so no lemmas"
            },
            s.pct(s.uas),
            s.pct(s.las),
            s.pct(s.las_full)
        );
        write_model(&args.out, lang, Parser::KIND, &model.to_bytes())?;
    }
    if wants(args, "ner") {
        let t0 = Instant::now();
        // Entities are learnt on the POS the shipped tagger predicts.
        let tagger = Tagger::from_bytes(&read_model(&args.out, lang, Tagger::KIND)?)?;
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

#[cfg(test)]
mod tests {
    use super::spread_share;

    #[test]
    fn a_share_of_sentences_is_spread_over_the_file() {
        assert!(spread_share(760, 0.0).is_empty());
        assert_eq!(spread_share(760, 1.0).len(), 760);
        let half = spread_share(760, 0.5);
        assert!((375..=385).contains(&half.len()), "{}", half.len());
        // From every part of the file, not its first half.
        assert!(half.iter().any(|&k| k < 10) && half.iter().any(|&k| k > 750));
    }
}
