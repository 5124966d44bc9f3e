//! Scoring the segmenter against a treebank, as the CoNLL 2018 shared task scored raw-text
//! segmentation: tokens and sentences match when their character spans over the raw text match.
//!
//! The treebank's sentences are joined with single spaces into paragraphs of
//! [`PARAGRAPH_SENTENCES`] sentences, so sentence boundaries must be found from the text alone
//! (no line breaks give them away). Gold spans come from the gold document's text (which
//! [`crate::conllu::read`] rebuilds from the forms and `SpaceAfter=No`).
//!
//! Three figures: *tokens* are surface tokens (an EWT multi-word token such as `don't` counts
//! once; the segmenter's split clitics are merged back for this), *words* are the syntactic words
//! (`do` + `n't`; a gold multi-word token whose words do not spell it out counts as one span per
//! word), *sentences* are sentence spans.

use std::fmt;
use std::path::Path;

use crate::doc::{Doc, Lang};
use crate::error::{Error, Result};

/// Consecutive treebank sentences per evaluation paragraph.
pub const PARAGRAPH_SENTENCES: usize = 10;

/// Counts for one kind of unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prf {
    pub gold: usize,
    pub system: usize,
    pub correct: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.system)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.correct, self.gold + self.system)
    }
    fn add(&mut self, o: &Prf) {
        self.gold += o.gold;
        self.system += o.system;
        self.correct += o.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        if a == 0 {
            1.0
        } else {
            0.0
        }
    } else {
        a as f64 / b as f64
    }
}

/// Segmentation scores over one or more gold files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SegmentScores {
    pub lang: Lang,
    pub paragraphs: usize,
    pub tokens: Prf,
    pub words: Prf,
    pub sentences: Prf,
    /// Sentences when every gold sentence without final punctuation (a heading, a list item)
    /// ends its line, as in the original layout, instead of running on after a space.
    pub sentences_by_line: Prf,
}

impl SegmentScores {
    /// Adds another file's counts (micro-average).
    pub fn add(&mut self, other: &SegmentScores) {
        self.paragraphs += other.paragraphs;
        self.tokens.add(&other.tokens);
        self.words.add(&other.words);
        self.sentences.add(&other.sentences);
        self.sentences_by_line.add(&other.sentences_by_line);
    }
}

impl fmt::Display for SegmentScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "segmentation ({}), {} paragraphs of up to {} sentences",
            self.lang, self.paragraphs, PARAGRAPH_SENTENCES
        )?;
        writeln!(
            f,
            "{:<10} {:>8} {:>8} {:>8} {:>9} {:>7} {:>7}",
            "", "gold", "system", "correct", "precision", "recall", "F1"
        )?;
        for (name, p) in [
            ("tokens", &self.tokens),
            ("words", &self.words),
            ("sentences", &self.sentences),
            ("sentences*", &self.sentences_by_line),
        ] {
            writeln!(
                f,
                "{:<10} {:>8} {:>8} {:>8} {:>9.2} {:>7.2} {:>7.2}",
                name,
                p.gold,
                p.system,
                p.correct,
                100.0 * p.precision(),
                100.0 * p.recall(),
                100.0 * p.f1()
            )?;
        }
        writeln!(
            f,
            "* with a line break instead of a space after each gold sentence that has no final \
             punctuation"
        )
    }
}

/// Scores the segmenter on the sentences of a gold document (read with [`crate::conllu::read`]).
pub fn evaluate(gold: &Doc, lang: Lang) -> SegmentScores {
    let mut scores = SegmentScores {
        lang,
        ..SegmentScores::default()
    };
    let mut para = String::new();
    let mut gold_tokens = Vec::new();
    let mut gold_words = Vec::new();
    let mut gold_sents = Vec::new();
    for group in gold.sentences.chunks(PARAGRAPH_SENTENCES) {
        para.clear();
        gold_tokens.clear();
        gold_words.clear();
        gold_sents.clear();
        let mut unpunctuated = Vec::new();
        for sent in group.iter().filter(|s| !s.is_empty()) {
            if !para.is_empty() {
                para.push(' ');
            }
            if !has_final_punctuation(gold, sent.start, sent.end) {
                unpunctuated
                    .push(para.len() + (gold.end[sent.end - 1] - gold.start[sent.start]) as usize);
            }
            let off = para.len();
            let base = gold.start[sent.start] as usize;
            let text = &gold.text[base..gold.end[sent.end - 1] as usize];
            para.push_str(text);
            gold_sents.push((off, off + text.len()));
            let shift = |b: u32| b as usize - base + off;
            let mut i = sent.start;
            while i < sent.end {
                let (s, e) = (gold.start[i], gold.end[i]);
                // Words of one multi-word token share its span.
                let mut j = i + 1;
                while j < sent.end && gold.start[j] == s && gold.end[j] == e {
                    j += 1;
                }
                gold_tokens.push((shift(s), shift(e)));
                let surface = &gold.text[s as usize..e as usize];
                let spelled = j - i > 1 && {
                    let mut rest = surface;
                    gold.form[i..j]
                        .iter()
                        .all(|w| rest.strip_prefix(w.as_str()).map(|r| rest = r).is_some())
                        && rest.is_empty()
                };
                let mut at = shift(s);
                for k in i..j {
                    if spelled {
                        gold_words.push((at, at + gold.form[k].len()));
                        at += gold.form[k].len();
                    } else {
                        gold_words.push((shift(s), shift(e)));
                    }
                }
                i = j;
            }
        }
        if para.is_empty() {
            continue;
        }
        scores.paragraphs += 1;
        let seg = super::scan(&para, lang);
        let sys_words: Vec<(usize, usize)> = seg.tokens.iter().map(|t| (t.start, t.end)).collect();
        let mut sys_tokens: Vec<(usize, usize)> = Vec::with_capacity(sys_words.len());
        for t in &seg.tokens {
            match sys_tokens.last_mut() {
                Some(last) if t.glued => last.1 = t.end,
                _ => sys_tokens.push((t.start, t.end)),
            }
        }
        scores.tokens.add(&matched(&gold_tokens, &sys_tokens));
        scores.words.add(&matched(&gold_words, &sys_words));
        scores
            .sentences
            .add(&matched(&gold_sents, &sentence_spans(&seg)));
        // The same paragraph with line breaks after unpunctuated sentences (same offsets: one
        // byte replaces another).
        let by_line = if unpunctuated.is_empty() {
            seg
        } else {
            let mut bytes = para.clone().into_bytes();
            for &at in &unpunctuated {
                if at < bytes.len() {
                    bytes[at] = b'\n';
                }
            }
            let lined = String::from_utf8(bytes).expect("an ASCII space replaced by a newline");
            super::scan(&lined, lang)
        };
        scores
            .sentences_by_line
            .add(&matched(&gold_sents, &sentence_spans(&by_line)));
    }
    scores
}

fn sentence_spans(seg: &super::Segmentation) -> Vec<(usize, usize)> {
    let mut spans = Vec::with_capacity(seg.sentence_ends.len());
    let mut first = 0;
    for &end in &seg.sentence_ends {
        spans.push((seg.tokens[first].start, seg.tokens[end - 1].end));
        first = end;
    }
    spans
}

/// Whether a gold sentence ends in `.`, `!`, `?` or `…` (before closing quotes and brackets),
/// or in an abbreviation's period. Sentences ending in `:` (list intros) count as unpunctuated:
/// what follows them in a text is usually on a new line.
fn has_final_punctuation(gold: &Doc, start: usize, end: usize) -> bool {
    let mut k = end;
    while k > start && super::is_quote_or_closer(&gold.form[k - 1]) {
        k -= 1;
    }
    k > start && {
        let w = &gold.form[k - 1];
        w.ends_with(['.', '!', '?', '…'])
    }
}

/// Counts spans present in both lists (each sorted by start; duplicates count once per match).
fn matched(gold: &[(usize, usize)], system: &[(usize, usize)]) -> Prf {
    let (mut i, mut j, mut correct) = (0, 0, 0);
    while i < gold.len() && j < system.len() {
        match gold[i].cmp(&system[j]) {
            std::cmp::Ordering::Equal => {
                correct += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    Prf {
        gold: gold.len(),
        system: system.len(),
        correct,
    }
}

/// Reads gold CoNLL-U files and scores the segmenter on each and on all together.
/// Returns the per-file scores and their micro-average.
pub fn evaluate_files(
    paths: &[impl AsRef<Path>],
    lang: Lang,
) -> Result<(Vec<SegmentScores>, SegmentScores)> {
    let mut each = Vec::new();
    let mut total = SegmentScores {
        lang,
        ..SegmentScores::default()
    };
    for path in paths {
        let path = path.as_ref();
        let input = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let gold = crate::conllu::read(&input, path, lang)?;
        let scores = evaluate(&gold, lang);
        total.add(&scores);
        each.push(scores);
    }
    Ok((each, total))
}
