//! Entity scores as the CoNLL-2002 shared task's `conlleval` computed them: an entity counts as
//! found only when its type and both boundaries match exactly; precision, recall and F1 per type
//! and over all types (micro-averaged), plus token accuracy.

use std::fmt;

use crate::doc::{Doc, EntType, EntitySpan};

/// Entity counts for one type (or all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    /// F1 in [0, 1] (0 when nothing was found).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.correct += o.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One entity kennis got wrong: a gold span it missed or mistyped, or a span it made up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NerMistake {
    /// The gold entity (type, text), if the span is one.
    pub gold: Option<(EntType, String)>,
    /// kennis's entity over the same or an overlapping span, if any.
    pub predicted: Option<(EntType, String)>,
    /// The sentence it stands in.
    pub sentence: String,
}

impl fmt::Display for NerMistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |e: &Option<(EntType, String)>| match e {
            Some((ty, text)) => format!("{} {text}", ty.as_str()),
            None => "-".to_string(),
        };
        write!(
            f,
            "gold {:<32} kennis {:<32} | {}",
            side(&self.gold),
            side(&self.predicted),
            self.sentence
        )
    }
}

/// The entity mistakes of one predicted document: each gold entity not found exactly, paired
/// with the predicted entity overlapping it, then each predicted entity overlapping no gold one.
pub fn mistakes(gold: &Doc, predicted: &Doc) -> Vec<NerMistake> {
    let g = spans_of(gold, gold);
    let p = spans_of(gold, predicted);
    let text = |s: &EntitySpan| gold.form[s.start..s.end].join(" ");
    let sentence = |at: usize| {
        gold.sentences
            .iter()
            .find(|s| s.range().contains(&at))
            .map_or_else(String::new, |s| gold.form[s.range()].join(" "))
    };
    let overlaps = |a: &EntitySpan, b: &EntitySpan| a.start < b.end && b.start < a.end;
    let mut out = Vec::new();
    for gs in &g {
        if p.contains(gs) {
            continue;
        }
        out.push(NerMistake {
            gold: Some((gs.ty, text(gs))),
            predicted: p
                .iter()
                .find(|ps| overlaps(gs, ps))
                .map(|ps| (ps.ty, text(ps))),
            sentence: sentence(gs.start),
        });
    }
    for ps in &p {
        if !g.iter().any(|gs| overlaps(gs, ps)) {
            out.push(NerMistake {
                gold: None,
                predicted: Some((ps.ty, text(ps))),
                sentence: sentence(ps.start),
            });
        }
    }
    out
}

/// Scores of predicted entities against gold ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NerScores {
    /// Indexed like [`EntType::ALL`].
    pub per_type: [Counts; 4],
    pub tokens: usize,
    /// Tokens whose IOB2 tag is exactly right.
    pub tokens_correct: usize,
    pub documents: usize,
}

impl NerScores {
    /// Adds one document pair: the same tokens with gold and predicted `ner` columns. Spans are
    /// read per sentence of `gold` (an `I-X` after `O` starts an entity, as conlleval reads it).
    pub fn add(&mut self, gold: &Doc, predicted: &Doc) {
        let g = spans_of(gold, gold);
        let p = spans_of(gold, predicted);
        for s in &g {
            self.per_type[type_index(s.ty)].gold += 1;
        }
        for s in &p {
            self.per_type[type_index(s.ty)].predicted += 1;
            if g.binary_search_by_key(&(s.start, s.end, s.ty), |x| (x.start, x.end, x.ty))
                .is_ok()
            {
                self.per_type[type_index(s.ty)].correct += 1;
            }
        }
        self.tokens += gold.len();
        self.tokens_correct += gold
            .ner
            .iter()
            .zip(&predicted.ner)
            .filter(|(a, b)| a == b)
            .count();
        self.documents += 1;
    }

    pub fn overall(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.per_type {
            c.add(t);
        }
        c
    }

    pub fn of(&self, ty: EntType) -> Counts {
        self.per_type[type_index(ty)]
    }

    pub fn accuracy(&self) -> f64 {
        ratio(self.tokens_correct, self.tokens)
    }
}

/// Scores predicted documents against gold ones, pairwise.
pub fn evaluate(gold: &[Doc], predicted: &[Doc]) -> NerScores {
    let mut s = NerScores::default();
    for (g, p) in gold.iter().zip(predicted) {
        s.add(g, p);
    }
    s
}

fn type_index(ty: EntType) -> usize {
    EntType::ALL.iter().position(|&t| t == ty).unwrap_or(0)
}

/// The spans of `tags`' entity column, read with `layout`'s sentences (so a predicted document
/// with a missing sentence split cannot merge entities across gold sentences). Sorted.
fn spans_of(layout: &Doc, tags: &Doc) -> Vec<EntitySpan> {
    let mut view = Doc {
        sentences: layout.sentences.clone(),
        ner: tags.ner.clone(),
        ..Doc::default()
    };
    view.ner.resize(layout.len(), crate::doc::Iob::O);
    if let Some(last) = view.sentences.last() {
        if last.end > view.ner.len() {
            view.sentences.clear();
        }
    }
    let mut spans = view.entity_spans();
    spans.sort_unstable_by_key(|s| (s.start, s.end, s.ty));
    spans
}

impl fmt::Display for NerScores {
    /// A conlleval-style table, percentages with two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>9} {:>7}",
            "type", "precision", "recall", "F1", "gold", "predicted", "correct"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &Counts| {
            writeln!(
                f,
                "{:<8} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>9} {:>7}",
                name,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1(),
                c.gold,
                c.predicted,
                c.correct
            )
        };
        for ty in EntType::ALL {
            row(f, ty.as_str(), &self.of(ty))?;
        }
        row(f, "overall", &self.overall())?;
        write!(
            f,
            "token accuracy {:.2}% over {} tokens in {} documents",
            100.0 * self.accuracy(),
            self.tokens,
            self.documents
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Iob, Lang};
    use std::path::Path;

    #[test]
    fn exact_spans_only() {
        let gold = &crate::ner::conll::read_conll(
            "Wang B-PER\nYi I-PER\nbezoekt O\nMoskou B-LOC\nen O\nKiev B-LOC\n",
            Path::new("g"),
            Lang::Nl,
        )
        .unwrap()[0];
        let mut pred = gold.clone();
        pred.ner[1] = Iob::O; // "Wang" alone: a boundary error, wrong
        pred.ner[5] = Iob::B(EntType::Org); // wrong type
        let s = evaluate(std::slice::from_ref(gold), std::slice::from_ref(&pred));
        let per = s.of(EntType::Per);
        assert_eq!((per.gold, per.predicted, per.correct), (1, 1, 0));
        let loc = s.of(EntType::Loc);
        assert_eq!((loc.gold, loc.predicted, loc.correct), (2, 1, 1));
        let all = s.overall();
        assert_eq!((all.gold, all.predicted, all.correct), (3, 3, 1));
        assert!((all.f1() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.tokens_correct, 4);
        let table = s.to_string();
        assert!(table.contains("overall"), "{table}");
        assert!(table.contains("33.33"), "{table}");
        let perfect = evaluate(std::slice::from_ref(gold), std::slice::from_ref(gold));
        assert_eq!(perfect.overall().f1(), 1.0);
    }
}
