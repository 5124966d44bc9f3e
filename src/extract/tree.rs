//! A sentence's dependency tree as the extraction rules see it: local token indices `0..n`,
//! children lists, and the small questions the rules ask (which child has this relation, what
//! text does this subtree cover).

use crate::doc::{Doc, Upos};

/// One sentence of a parsed document, with its children lists built once.
pub struct Tree<'a> {
    pub doc: &'a Doc,
    /// The document index of the sentence.
    pub sent: usize,
    /// The document token index of local token 0.
    pub offset: usize,
    heads: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    /// Relations the rules' repairs changed ([`Tree::reattach`]); `None` keeps the parser's.
    rels: Vec<Option<&'static str>>,
}

impl<'a> Tree<'a> {
    /// The tree of sentence `sent`. Heads that point outside the sentence or form a cycle are
    /// read as roots, so a damaged parse never sends a rule into a loop.
    pub fn new(doc: &'a Doc, sent: usize) -> Tree<'a> {
        let s = doc.sentences[sent];
        let n = s.len();
        let mut heads: Vec<Option<usize>> = (0..n)
            .map(|i| match doc.head[s.start + i] as usize {
                0 => None,
                h if h <= n && h - 1 != i => Some(h - 1),
                _ => None,
            })
            .collect();
        // Break cycles: walk up from each token; a walk longer than n is a cycle.
        for i in 0..n {
            let mut j = i;
            let mut steps = 0;
            while let Some(h) = heads[j] {
                steps += 1;
                if steps > n {
                    heads[i] = None;
                    break;
                }
                j = h;
            }
        }
        let mut children = vec![Vec::new(); n];
        for (i, h) in heads.iter().enumerate() {
            if let Some(h) = h {
                children[*h].push(i);
            }
        }
        Tree {
            doc,
            sent,
            offset: s.start,
            rels: vec![None; n],
            heads,
            children,
        }
    }

    /// Hangs `i` under `head` with relation `rel`: a repair of a parse the rules know to be
    /// wrong. The document is not changed. A head inside `i`'s own subtree is refused (it would
    /// make a cycle).
    pub fn reattach(&mut self, i: usize, head: usize, rel: &'static str) {
        if head == i || self.dominates(i, head) {
            return;
        }
        if let Some(old) = self.heads[i] {
            self.children[old].retain(|&c| c != i);
        }
        self.heads[i] = Some(head);
        let kids = &mut self.children[head];
        let at = kids.partition_point(|&c| c < i);
        kids.insert(at, i);
        self.rels[i] = Some(rel);
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The document index of local token `i`.
    pub fn global(&self, i: usize) -> usize {
        self.offset + i
    }

    pub fn head(&self, i: usize) -> Option<usize> {
        self.heads[i]
    }

    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    pub fn form(&self, i: usize) -> &'a str {
        &self.doc.form[self.offset + i]
    }

    /// The lemma, or the lower-cased form where the lemmatizer left none.
    pub fn lemma(&self, i: usize) -> &'a str {
        let l = &self.doc.lemma[self.offset + i];
        if l.is_empty() || l == "_" {
            self.form(i)
        } else {
            l
        }
    }

    pub fn lower(&self, i: usize) -> String {
        self.form(i).to_lowercase()
    }

    pub fn upos(&self, i: usize) -> Upos {
        self.doc.upos[self.offset + i]
    }

    /// The full relation (`obl:arg`).
    pub fn rel(&self, i: usize) -> &'a str {
        self.rels[i].unwrap_or(&self.doc.deprel[self.offset + i])
    }

    /// The universal part of the relation (`obl` for `obl:arg`).
    pub fn base(&self, i: usize) -> &'a str {
        crate::doc::universal(self.rel(i))
    }

    pub fn feat(&self, i: usize, name: &str) -> Option<&'a str> {
        self.doc.token(self.offset + i).feat(name)
    }

    /// Children of `i` whose full or universal relation is one of `rels`.
    pub fn kids<'s>(&'s self, i: usize, rels: &'s [&str]) -> impl Iterator<Item = usize> + 's {
        self.children[i]
            .iter()
            .copied()
            .filter(move |&c| rels.contains(&self.rel(c)) || rels.contains(&self.base(c)))
    }

    pub fn kid(&self, i: usize, rels: &[&str]) -> Option<usize> {
        self.kids(i, rels).next()
    }

    /// The lower-cased form of the `case` (or `mark`) child of a nominal: its preposition, with
    /// a `fixed` continuation ("according to", "in plaats van") joined by a space.
    pub fn preposition(&self, i: usize) -> Option<String> {
        let c = self.kid(i, &["case"])?;
        let mut p = self.lower(c);
        for f in self.kids(c, &["fixed"]) {
            p.push(' ');
            p.push_str(&self.lower(f));
        }
        Some(p)
    }

    /// The first and last local token of the subtree of `i`.
    pub fn span(&self, i: usize) -> (usize, usize) {
        let (mut lo, mut hi) = (i, i);
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            lo = lo.min(j);
            hi = hi.max(j);
            stack.extend_from_slice(&self.children[j]);
        }
        (lo, hi)
    }

    /// Whether `a` lies in the subtree of `root`.
    pub fn dominates(&self, root: usize, a: usize) -> bool {
        let mut j = a;
        loop {
            if j == root {
                return true;
            }
            match self.heads[j] {
                Some(h) => j = h,
                None => return false,
            }
        }
    }

    /// The text of local tokens `lo..=hi` as it stands in the article.
    pub fn text(&self, lo: usize, hi: usize) -> &'a str {
        let (a, b) = self.bytes(lo, hi);
        &self.doc.text[a..b]
    }

    /// The byte range of local tokens `lo..=hi`.
    pub fn bytes(&self, lo: usize, hi: usize) -> (usize, usize) {
        (
            self.doc.start[self.offset + lo] as usize,
            self.doc.end[self.offset + hi] as usize,
        )
    }

    /// The text of the subtree of `i` without the punctuation at its edges (quotes, commas).
    pub fn phrase(&self, i: usize) -> &'a str {
        let (lo, hi) = self.trimmed_span(i);
        self.text(lo, hi)
    }

    /// [`Tree::span`] without punctuation at its edges.
    pub fn trimmed_span(&self, i: usize) -> (usize, usize) {
        let (lo, hi) = self.span(i);
        self.trim_punct(lo, hi)
    }

    /// The tokens `lo..=hi` without punctuation at either end, except a quotation mark that
    /// closes (or opens) a quotation begun (or ended) inside what is kept: `het “verheugd is
    /// dat …”` keeps its closing mark rather than reading as a half-quoted phrase.
    pub fn trim_punct(&self, lo0: usize, hi0: usize) -> (usize, usize) {
        let (mut lo, mut hi) = (lo0, hi0);
        while lo < hi && self.upos(lo) == Upos::Punct {
            lo += 1;
        }
        while hi > lo && self.upos(hi) == Upos::Punct {
            hi -= 1;
        }
        // The missing mark may lie just outside the span, after the sentence's full stop
        // (`… op te lossen.”`), when the parser hung it on the main verb.
        let (open, close) = self.unmatched_quotes(lo, hi);
        let beside = |j: usize| (lo0..=hi0).contains(&j) || self.upos(j) == Upos::Punct;
        if open {
            let mut after = (hi + 1..self.len()).take_while(|&j| beside(j));
            if let Some(j) = after.find(|&j| quote_side(self.form(j)).closes()) {
                hi = j;
            }
        }
        if close {
            let mut before = (0..lo).rev().take_while(|&j| beside(j));
            if let Some(j) = before.find(|&j| quote_side(self.form(j)).opens()) {
                lo = j;
            }
        }
        (lo, hi)
    }

    /// Whether tokens `lo..=hi` close a quotation they did not open.
    pub fn closes_unopened_quote(&self, lo: usize, hi: usize) -> bool {
        self.unmatched_quotes(lo, hi).1
    }

    /// Whether tokens `lo..=hi` leave a quotation open at their end, and whether they close
    /// one they did not open. A straight mark (`"`, `'`) closes when one is open, else opens.
    fn unmatched_quotes(&self, lo: usize, hi: usize) -> (bool, bool) {
        let (mut depth, mut closes_outer) = (0usize, false);
        for j in lo..=hi {
            match quote_side(self.form(j)) {
                QuoteSide::Open => depth += 1,
                QuoteSide::Either if depth == 0 => depth += 1,
                QuoteSide::Close | QuoteSide::Either => {
                    if depth == 0 {
                        closes_outer = true;
                    } else {
                        depth -= 1;
                    }
                }
                QuoteSide::None => {}
            }
        }
        (depth > 0, closes_outer)
    }

    /// Whether the token is a quotation mark.
    pub fn is_quote(&self, i: usize) -> bool {
        is_quote_mark(self.form(i))
    }

    /// Whether the token starts with a capital letter.
    pub fn capitalised(&self, i: usize) -> bool {
        self.form(i).chars().next().is_some_and(char::is_uppercase)
    }
}

/// Quotation marks of every style news uses.
pub fn is_quote_mark(form: &str) -> bool {
    quote_side(form) != QuoteSide::None
}

/// Which end of a quotation a mark stands at. `“` opens (Dutch and English news close with
/// `”`); `,,` is the typewriter form of `„`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum QuoteSide {
    Open,
    Close,
    Either,
    None,
}

impl QuoteSide {
    fn opens(self) -> bool {
        matches!(self, QuoteSide::Open | QuoteSide::Either)
    }
    fn closes(self) -> bool {
        matches!(self, QuoteSide::Close | QuoteSide::Either)
    }
}

fn quote_side(form: &str) -> QuoteSide {
    match form {
        "“" | "„" | "«" | "‘" | "‚" | "‹" | ",," => QuoteSide::Open,
        "”" | "»" | "’" | "›" | "''" => QuoteSide::Close,
        "\"" | "'" => QuoteSide::Either,
        _ => QuoteSide::None,
    }
}
