//! Evaluation against gold CoNLL-U: UPOS, FEATS, LEMMA, UAS, LAS as the CoNLL 2018 shared task
//! reports them (every word counts, punctuation included; LAS compares the universal part of the
//! relation, `nsubj:pass` ≈ `nsubj`), plus LAS with full subtyped labels.
//!
//! `--task ner` scores the entity recogniser on CoNLL-2002-style files; `--task extract` scores
//! statements on a folder of articles with hand-written facts ([`crate::extract::eval`]); `--task segment` scores the segmenter's tokens and sentences instead (see
//! [`crate::segment::eval`]).
//!
//! With `--input conllu` the tokens are the gold ones, so words align one to one.

use std::fmt;
use std::path::Path;

use crate::cli::{EvalArgs, EvalTask};
use crate::conllu;
use crate::doc::{universal, Doc, Upos};
use crate::error::{Error, Result};
use crate::models::ModelSource;
use crate::pipeline::Pipeline;

/// Accuracy counts of predicted against gold columns over the same tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ParseScores {
    pub words: usize,
    pub upos: usize,
    pub feats: usize,
    pub lemma: usize,
    pub uas: usize,
    /// Universal relation (subtype ignored), as CoNLL 2018.
    pub las: usize,
    /// Full relation including subtype.
    pub las_full: usize,
}

impl ParseScores {
    /// Compares `pred` with `gold`; both must hold the same tokens.
    pub fn compare(gold: &Doc, pred: &Doc) -> ParseScores {
        assert_eq!(gold.len(), pred.len(), "evaluation needs the same tokens");
        let mut s = ParseScores::default();
        for i in 0..gold.len() {
            s.words += 1;
            s.upos += (gold.upos[i] == pred.upos[i]) as usize;
            s.feats += (gold.feats[i] == pred.feats[i]) as usize;
            s.lemma += (gold.lemma[i] == pred.lemma[i]) as usize;
            if gold.head[i] == pred.head[i] {
                s.uas += 1;
                s.las += (universal(&gold.deprel[i]) == universal(&pred.deprel[i])) as usize;
                s.las_full += (gold.deprel[i] == pred.deprel[i]) as usize;
            }
        }
        s
    }

    pub fn add(&mut self, o: &ParseScores) {
        self.words += o.words;
        self.upos += o.upos;
        self.feats += o.feats;
        self.lemma += o.lemma;
        self.uas += o.uas;
        self.las += o.las;
        self.las_full += o.las_full;
    }

    pub fn pct(&self, n: usize) -> f64 {
        100.0 * n as f64 / self.words.max(1) as f64
    }
}

impl fmt::Display for ParseScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "words     {:>8}", self.words)?;
        writeln!(f, "UPOS      {:>8.2}", self.pct(self.upos))?;
        writeln!(f, "FEATS     {:>8.2}", self.pct(self.feats))?;
        writeln!(f, "LEMMA     {:>8.2}", self.pct(self.lemma))?;
        writeln!(f, "UAS       {:>8.2}", self.pct(self.uas))?;
        writeln!(f, "LAS       {:>8.2}", self.pct(self.las))?;
        write!(f, "LAS(full) {:>8.2}", self.pct(self.las_full))
    }
}

/// UPOS confusions (gold, predicted) with their counts, most frequent first.
pub fn upos_confusions(gold: &Doc, pred: &Doc) -> Vec<((Upos, Upos), usize)> {
    let mut counts: std::collections::BTreeMap<(Upos, Upos), usize> = Default::default();
    for i in 0..gold.len() {
        if gold.upos[i] != pred.upos[i] {
            *counts.entry((gold.upos[i], pred.upos[i])).or_default() += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Clears every predicted column of a gold document, keeping tokens and sentences.
pub fn strip_annotations(gold: &Doc) -> Doc {
    let mut doc = gold.clone();
    doc.clear_annotations();
    doc
}

/// Which of the gold file's tags the later stages see instead of the tagger's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum GoldTags {
    /// None: the whole pipeline runs, as on new text.
    #[default]
    No,
    /// Every token's UPOS and FEATS.
    All,
    /// Where the gold and the predicted UPOS are both among these, the gold UPOS and FEATS:
    /// what one confusion (say AUX against VERB) costs the later stages.
    Among(Vec<Upos>),
}

/// Runs the pipeline over a gold file's tokens and scores it; with `gold_tags`, the lemmatizer
/// and parser work from (some of) the file's own UPOS and FEATS.
pub fn evaluate_file(
    pipeline: &Pipeline,
    path: &Path,
    gold_tags: &GoldTags,
) -> Result<ParseScores> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let gold = conllu::read(&text, path, pipeline.lang)?;
    let mut pred = strip_annotations(&gold);
    match gold_tags {
        GoldTags::No => pipeline.annotate(&mut pred),
        GoldTags::All => {
            pred.upos.clone_from(&gold.upos);
            pred.feats.clone_from(&gold.feats);
            pred.annotated.tags = true;
            pipeline.annotate_tagged(&mut pred);
        }
        GoldTags::Among(tags) => {
            pipeline.tagger.tag(&mut pred);
            for t in 0..pred.len() {
                if tags.contains(&gold.upos[t]) && tags.contains(&pred.upos[t]) {
                    pred.upos[t] = gold.upos[t];
                    pred.feats[t].clone_from(&gold.feats[t]);
                    pred.upos_alt[t] = None;
                }
            }
            pipeline.annotate_tagged(&mut pred);
        }
    }
    Ok(ParseScores::compare(&gold, &pred))
}

/// Appends a line to the report (printed at the end, so a closed pipe ends quietly).
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

pub fn run(args: &EvalArgs) -> Result<u8> {
    let mut out = String::new();
    let code = report(args, &mut out);
    crate::cli::write_output(None, out.as_bytes())?;
    code
}

fn report(args: &EvalArgs, out: &mut String) -> Result<u8> {
    let lang = crate::cli::resolve_lang(args.lang);
    let load = || {
        let source = args
            .models
            .clone()
            .map_or(ModelSource::Default, ModelSource::Dir);
        let mut pipeline = Pipeline::load(lang, &source)?;
        if let Some(width) = args.beam {
            pipeline.parser.set_beam(width.into());
        }
        pipeline.tagger.set_try_tags(args.try_tags);
        Ok::<_, crate::error::Error>(pipeline)
    };
    match args.task {
        EvalTask::Parse => {
            let gold_tags = if args.gold_tags {
                GoldTags::All
            } else if args.gold_tags_among.is_empty() {
                GoldTags::No
            } else {
                let tags = args
                    .gold_tags_among
                    .iter()
                    .map(|t| {
                        Upos::parse(&t.to_uppercase()).ok_or_else(|| {
                            let all: Vec<&str> = Upos::ALL.iter().map(|u| u.as_str()).collect();
                            Error::Usage(format!(
                                "--gold-tags-among: {t:?} is not a UPOS tag (one of {})",
                                all.join(", ")
                            ))
                        })
                    })
                    .collect::<Result<Vec<Upos>>>()?;
                GoldTags::Among(tags)
            };
            let pipeline = load()?;
            let mut total = ParseScores::default();
            for path in &args.gold {
                let s = evaluate_file(&pipeline, path, &gold_tags)?;
                outln!(out, "{}\n{s}\n", path.display());
                total.add(&s);
            }
            if args.gold.len() > 1 {
                outln!(out, "all files\n{total}");
            }
            Ok(0)
        }
        EvalTask::Segment => {
            if args.lang == crate::cli::LangArg::Auto {
                return Err(Error::Usage(
                    "segmentation is scored for one language: pass --lang nl or --lang en".into(),
                ));
            }
            let (each, total) = crate::segment::eval::evaluate_files(&args.gold, lang)?;
            for (path, scores) in args.gold.iter().zip(&each) {
                outln!(out, "{}\n{scores}\n", path.display());
            }
            if each.len() > 1 {
                outln!(out, "all files\n{total}");
            }
            Ok(0)
        }
        EvalTask::Ner => {
            // Only the tagger (for the recogniser's POS features) and the recogniser itself.
            let source = args
                .models
                .clone()
                .map_or(ModelSource::Default, ModelSource::Dir);
            let tagger = crate::tagger::Tagger::from_bytes(
                &source.require(lang, crate::tagger::Tagger::KIND)?,
            )?;
            let Some(bytes) = source.load(lang, crate::ner::Ner::KIND)? else {
                return Err(Error::Usage(format!(
                    "no entity recogniser for {lang} (train one with `kennis train --lang {lang} \
                     --only tagger,ner --out DIR` and pass --models DIR)"
                )));
            };
            let ner = &crate::ner::Ner::from_bytes(&bytes)?;
            for path in &args.gold {
                let gold = crate::ner::read_conll_file(path, lang)?;
                let mut mistakes = Vec::new();
                let scores = ner.evaluate_each(
                    &gold,
                    |d| tagger.tag(d),
                    |g, p| {
                        if args.verbose {
                            mistakes.extend(crate::ner::score::mistakes(g, p));
                        }
                    },
                );
                outln!(out, "{}\n{scores}\n", path.display());
                if args.verbose {
                    outln!(out, "{} mistakes:", mistakes.len());
                    for m in &mistakes {
                        outln!(out, "{m}");
                    }
                }
            }
            Ok(0)
        }
        EvalTask::Extract => {
            let pipeline = load()?;
            let extractor = crate::extract::Extractor::builtin();
            for dir in &args.gold {
                use crate::extract::eval;
                let extracted = eval::extract_dir(&pipeline, &extractor, dir, args.min_confidence)?;
                let facts = eval::read_facts(&dir.join("facts.tsv"))?;
                let judged = eval::read_judged(&dir.join("judged.tsv"))?;
                let scores = eval::score(&extracted, &facts, &judged);
                outln!(
                    out,
                    "{}\n{}",
                    dir.display(),
                    eval::report(&scores, args.min_confidence, args.verbose)
                );
            }
            Ok(0)
        }
    }
}
