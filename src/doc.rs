//! The annotated document: one flat array of tokens whose columns the pipeline stages fill.
//!
//! Segmentation creates the tokens (with byte offsets into the original text) and fills every
//! column with an "unknown" default; the tagger, lemmatizer, parser and entity recogniser then
//! overwrite their own columns. Stages never fail: errors live at the edges (reading, models,
//! writing). [`Token`] is a cheap view of one row.

use std::fmt;
use std::ops::Range;

/// The universal part of a dependency relation: `obl` for `obl:arg` (what CoNLL 2018's LAS
/// compares).
pub fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Languages kennis knows. Language-specific behaviour is data (tokenizer exceptions, models,
/// lexicons); this enum only selects which data to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The ISO 639-1 code, as used in `lang` headers, RDF language tags and model paths.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" | "nld" | "dut" | "dutch" | "nederlands" => Some(Lang::Nl),
            "en" | "eng" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Universal part-of-speech tags (UD v2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(u8)]
pub enum Upos {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    #[default]
    X,
}

impl Upos {
    pub const ALL: [Upos; 17] = [
        Upos::Adj,
        Upos::Adp,
        Upos::Adv,
        Upos::Aux,
        Upos::Cconj,
        Upos::Det,
        Upos::Intj,
        Upos::Noun,
        Upos::Num,
        Upos::Part,
        Upos::Pron,
        Upos::Propn,
        Upos::Punct,
        Upos::Sconj,
        Upos::Sym,
        Upos::Verb,
        Upos::X,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Upos::Adj => "ADJ",
            Upos::Adp => "ADP",
            Upos::Adv => "ADV",
            Upos::Aux => "AUX",
            Upos::Cconj => "CCONJ",
            Upos::Det => "DET",
            Upos::Intj => "INTJ",
            Upos::Noun => "NOUN",
            Upos::Num => "NUM",
            Upos::Part => "PART",
            Upos::Pron => "PRON",
            Upos::Propn => "PROPN",
            Upos::Punct => "PUNCT",
            Upos::Sconj => "SCONJ",
            Upos::Sym => "SYM",
            Upos::Verb => "VERB",
            Upos::X => "X",
        }
    }

    pub fn parse(s: &str) -> Option<Upos> {
        Upos::ALL.iter().copied().find(|u| u.as_str() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Content words that can head a noun phrase naming something.
    pub fn is_nominal(self) -> bool {
        matches!(self, Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num)
    }
}

impl fmt::Display for Upos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Named-entity types, as in CoNLL-2002/2003.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntType {
    Per,
    Loc,
    Org,
    Misc,
}

impl EntType {
    pub const ALL: [EntType; 4] = [EntType::Per, EntType::Loc, EntType::Org, EntType::Misc];

    pub fn as_str(self) -> &'static str {
        match self {
            EntType::Per => "PER",
            EntType::Loc => "LOC",
            EntType::Org => "ORG",
            EntType::Misc => "MISC",
        }
    }

    pub fn parse(s: &str) -> Option<EntType> {
        EntType::ALL.iter().copied().find(|t| t.as_str() == s)
    }
}

/// One token's entity tag in IOB2: `B-X` starts an entity, `I-X` continues it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Iob {
    #[default]
    O,
    B(EntType),
    I(EntType),
}

impl Iob {
    /// Parses `O`, `B-PER`, `I-LOC`, … (IOB2 notation).
    pub fn parse(s: &str) -> Option<Iob> {
        if s == "O" {
            return Some(Iob::O);
        }
        let (prefix, ty) = s.split_once('-')?;
        let ty = EntType::parse(ty)?;
        match prefix {
            "B" => Some(Iob::B(ty)),
            "I" => Some(Iob::I(ty)),
            _ => None,
        }
    }
}

impl fmt::Display for Iob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Iob::O => f.write_str("O"),
            Iob::B(t) => write!(f, "B-{}", t.as_str()),
            Iob::I(t) => write!(f, "I-{}", t.as_str()),
        }
    }
}

/// A named-entity mention: tokens `start..end` (document token indices) of one type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub ty: EntType,
}

/// Article metadata read from headers or JSON Lines fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocMeta {
    pub id: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
}

/// A sentence: the token range `start..end` of the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

impl Sentence {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Which columns hold predictions (or gold values), so writers know what to print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Annotated {
    pub tags: bool,
    pub lemmas: bool,
    pub deps: bool,
    pub entities: bool,
}

/// The document that flows through the pipeline.
///
/// Invariant: every column has exactly one entry per token; `start[i]..end[i]` is a byte range
/// of `text` on char boundaries. For text input `form[i] == text[start[i]..end[i]]`; for CoNLL-U
/// input the text is rebuilt from the forms and the same holds, except inside multi-word tokens
/// where every word points at the whole surface token.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub text: String,
    pub lang: Lang,
    pub meta: DocMeta,
    pub sentences: Vec<Sentence>,
    /// Byte offsets of each token in `text`.
    pub start: Vec<u32>,
    pub end: Vec<u32>,
    pub form: Vec<String>,
    /// Whether a space (or other whitespace) follows the token in the text.
    pub space_after: Vec<bool>,
    pub upos: Vec<Upos>,
    /// UD morphological features in canonical `A=x|B=y` order; empty when none.
    pub feats: Vec<String>,
    /// Where the tagger was unsure whether a word is an auxiliary or a main verb, the tag it
    /// did not choose (AUX or VERB), and with `--try-tags` the runner-up of any close call: the
    /// parser tries it and keeps the tag whose tree it scores higher. Not part of CoNLL-U.
    pub upos_alt: Vec<Option<Upos>>,
    pub lemma: Vec<String>,
    /// Head within the sentence, 1-based as in CoNLL-U; 0 is the root.
    pub head: Vec<u32>,
    pub deprel: Vec<String>,
    pub ner: Vec<Iob>,
    pub annotated: Annotated,
}

impl Doc {
    /// An empty document over `text`; [`crate::segment`] fills its tokens and sentences.
    pub fn new(text: impl Into<String>, lang: Lang) -> Doc {
        Doc {
            text: text.into(),
            lang,
            ..Doc::default()
        }
    }

    pub fn len(&self) -> usize {
        self.form.len()
    }

    pub fn is_empty(&self) -> bool {
        self.form.is_empty()
    }

    /// Appends a token with every annotation column at its default.
    pub fn push_token(
        &mut self,
        start: usize,
        end: usize,
        form: impl Into<String>,
        space_after: bool,
    ) {
        self.start.push(start as u32);
        self.end.push(end as u32);
        self.form.push(form.into());
        self.space_after.push(space_after);
        self.upos.push(Upos::X);
        self.feats.push(String::new());
        self.upos_alt.push(None);
        self.lemma.push(String::new());
        self.head.push(0);
        self.deprel.push(String::new());
        self.ner.push(Iob::O);
    }

    /// Closes a sentence over the tokens pushed since the previous one (no-op if none).
    pub fn close_sentence(&mut self) {
        let start = self.sentences.last().map_or(0, |s| s.end);
        if self.len() > start {
            self.sentences.push(Sentence {
                start,
                end: self.len(),
            });
        }
    }

    pub fn token(&self, i: usize) -> Token<'_> {
        Token { doc: self, i }
    }

    pub fn tokens(&self) -> impl Iterator<Item = Token<'_>> + '_ {
        (0..self.len()).map(move |i| Token { doc: self, i })
    }

    /// The sentence that contains token `i`.
    pub fn sentence_of(&self, i: usize) -> Option<usize> {
        let k = self.sentences.partition_point(|s| s.end <= i);
        (k < self.sentences.len() && self.sentences[k].start <= i).then_some(k)
    }

    /// The document token index of token `i`'s head, or `None` for a root.
    pub fn head_index(&self, i: usize) -> Option<usize> {
        let h = self.head[i] as usize;
        if h == 0 {
            return None;
        }
        let s = self.sentences[self.sentence_of(i)?];
        Some(s.start + h - 1)
    }

    /// The text of a sentence as it stands in the document.
    pub fn sentence_text(&self, s: usize) -> &str {
        let sent = self.sentences[s];
        if sent.is_empty() {
            return "";
        }
        &self.text[self.start[sent.start] as usize..self.end[sent.end - 1] as usize]
    }

    /// Entity mentions read off the IOB2 column (an `I-X` after `O` starts an entity too).
    pub fn entity_spans(&self) -> Vec<EntitySpan> {
        let mut spans = Vec::new();
        for sent in &self.sentences {
            let mut open: Option<EntitySpan> = None;
            for i in sent.range() {
                let (starts, ty) = match self.ner[i] {
                    Iob::O => (true, None),
                    Iob::B(t) => (true, Some(t)),
                    Iob::I(t) => (open.is_none_or(|o| o.ty != t), Some(t)),
                };
                if starts {
                    spans.extend(open.take());
                    open = ty.map(|ty| EntitySpan {
                        start: i,
                        end: i + 1,
                        ty,
                    });
                } else if let Some(o) = open.as_mut() {
                    o.end = i + 1;
                }
            }
            spans.extend(open);
        }
        spans
    }

    /// Clears every annotation column, keeping tokens, sentences and spacing: the pipeline then
    /// predicts every column afresh and no given value can pass through as predicted.
    pub fn clear_annotations(&mut self) {
        let n = self.len();
        self.upos = vec![Upos::default(); n];
        self.feats = vec![String::new(); n];
        self.upos_alt = vec![None; n];
        self.lemma = vec![String::new(); n];
        self.head = vec![0; n];
        self.deprel = vec![String::new(); n];
        self.ner = vec![Iob::O; n];
        self.annotated = Annotated::default();
    }

    /// A new document made of the given sentences (in the given order), with all their columns;
    /// the text is rebuilt from the forms. Used to split treebanks into folds.
    pub fn subset(&self, sentences: impl IntoIterator<Item = usize>) -> Doc {
        let mut out = Doc::new(String::new(), self.lang);
        out.annotated = self.annotated;
        for k in sentences {
            if !out.text.is_empty() {
                out.text.push('\n');
            }
            for i in self.sentences[k].range() {
                let start = out.text.len();
                out.text.push_str(&self.form[i]);
                let end = out.text.len();
                if self.space_after[i] {
                    out.text.push(' ');
                }
                out.push_token(start, end, self.form[i].clone(), self.space_after[i]);
                let t = out.len() - 1;
                out.upos[t] = self.upos[i];
                out.feats[t].clone_from(&self.feats[i]);
                out.upos_alt[t] = self.upos_alt[i];
                out.lemma[t].clone_from(&self.lemma[i]);
                out.head[t] = self.head[i];
                out.deprel[t].clone_from(&self.deprel[i]);
                out.ner[t] = self.ner[i];
            }
            out.close_sentence();
        }
        out
    }

    /// Maps a byte offset of `text` to a count of Unicode code points (what users index by).
    pub fn char_offset(&self, byte: usize) -> usize {
        self.text[..byte.min(self.text.len())].chars().count()
    }
}

/// Byte offset → code-point offset, fast for the mostly increasing offsets of tokens.
pub struct CharOffsets<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    pub fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    pub fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        // Token offsets lie on char boundaries (Doc's invariant); `get` guards anyway.
        let step = self
            .text
            .get(self.byte..byte)
            .map_or(byte - self.byte, |s| s.chars().count());
        self.chars += step;
        self.byte = byte;
        self.chars
    }
}

/// A view of one token.
#[derive(Clone, Copy)]
pub struct Token<'a> {
    pub doc: &'a Doc,
    pub i: usize,
}

impl<'a> Token<'a> {
    pub fn form(&self) -> &'a str {
        &self.doc.form[self.i]
    }
    pub fn lemma(&self) -> &'a str {
        &self.doc.lemma[self.i]
    }
    pub fn upos(&self) -> Upos {
        self.doc.upos[self.i]
    }
    pub fn feats(&self) -> &'a str {
        &self.doc.feats[self.i]
    }
    pub fn deprel(&self) -> &'a str {
        &self.doc.deprel[self.i]
    }
    pub fn head(&self) -> Option<Token<'a>> {
        self.doc.head_index(self.i).map(|i| self.doc.token(i))
    }
    pub fn byte_range(&self) -> Range<usize> {
        self.doc.start[self.i] as usize..self.doc.end[self.i] as usize
    }
    /// The value of one morphological feature, e.g. `feat("Tense") == Some("Past")`.
    pub fn feat(&self, name: &str) -> Option<&'a str> {
        self.feats()
            .split('|')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

impl fmt::Debug for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.form(), self.upos())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_code_points_in_any_order() {
        let mut c = CharOffsets::new("Oekraïne “x” y");
        assert_eq!(c.at(0), 0);
        assert_eq!(c.at(9), 8); // after "Oekraïne"
        assert_eq!(c.at(13), 10); // after "Oekraïne “"
        assert_eq!(c.at(2), 2); // backwards
        assert_eq!(c.at(99), 14);
    }

    fn doc_with(words: &[&str]) -> Doc {
        let text = words.join(" ");
        let mut doc = Doc::new(text.clone(), Lang::Nl);
        let mut pos = 0;
        for w in words {
            doc.push_token(pos, pos + w.len(), *w, true);
            pos += w.len() + 1;
        }
        doc.close_sentence();
        doc
    }

    #[test]
    fn entity_spans_follow_iob2_and_repair_stray_inside_tags() {
        let mut doc = doc_with(&["De", "Wall", "Street", "Journal", "meldt", "Moskou"]);
        doc.ner[1] = Iob::B(EntType::Org);
        doc.ner[2] = Iob::I(EntType::Org);
        doc.ner[3] = Iob::I(EntType::Org);
        doc.ner[5] = Iob::I(EntType::Loc);
        let spans = doc.entity_spans();
        assert_eq!(
            spans,
            vec![
                EntitySpan {
                    start: 1,
                    end: 4,
                    ty: EntType::Org
                },
                EntitySpan {
                    start: 5,
                    end: 6,
                    ty: EntType::Loc
                }
            ]
        );
    }

    #[test]
    fn head_index_is_sentence_relative() {
        let mut doc = doc_with(&["Wang", "reist", "."]);
        doc.push_token(14, 16, "Hij", false);
        doc.close_sentence();
        doc.head[0] = 2;
        doc.head[3] = 0;
        assert_eq!(doc.head_index(0), Some(1));
        assert_eq!(doc.head_index(3), None);
        assert_eq!(doc.sentence_of(3), Some(1));
    }

    #[test]
    fn labels_round_trip() {
        for u in Upos::ALL {
            assert_eq!(Upos::parse(u.as_str()), Some(u));
        }
        for s in ["O", "B-PER", "I-MISC"] {
            assert_eq!(Iob::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Iob::parse("B-FOO"), None);
        assert_eq!(Lang::from_code("NL"), Some(Lang::Nl));
    }
}
