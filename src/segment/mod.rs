//! Sentence splitting and tokenization for news text, following the UD treebanks' conventions
//! (UD_Dutch-Alpino and -LassySmall for Dutch, EWT for English).
//!
//! A hand-written scanner, no regular expressions, one pass over the text:
//!
//! 1. The text is cut at whitespace into chunks.
//! 2. Each chunk is peeled: leading punctuation (opening quotes and brackets, `,,`) and trailing
//!    punctuation (closing quotes, `''`, brackets, `.`, `!?`, `...`) become tokens of their own,
//!    except a final period that belongs to an abbreviation (`bv.`, `dhr.`, listed in
//!    `data.rs`), an initial (`J.`) or a dotted acronym (`d.w.z.`, `V.S.`), a Dutch clitic
//!    apostrophe (`'t`, `'s-Hertogenbosch`, `'60`), a `%` after a number (Dutch treebanks write
//!    `26%`) and a hyphen that a coordinated compound continues (`land- en tuinbouw`). URLs,
//!    e-mail addresses and emoticons stay whole.
//! 3. The rest of the chunk is split at punctuation, except where it joins word characters:
//!    `1.000,50`, `12.30`, `12:30`, `2023-02`, `Russisch-Chinese`, `zo'n`, `auto's`, `CD&V`,
//!    `en/of`, `www.nos.nl`. English follows EWT: clitics split (`don't` → `do n't`, `it's` →
//!    `it 's`, `cannot` → `can not`; the pieces are marked as one surface token), hyphens split
//!    except after prefixes (`Coca - Cola`, `e-mail`), `and / or` but `9/11`, `3.5 %`, `375 mm`.
//! 4. Sentences end after `.`, `!`, `?`, `...` (with the closing quotes and brackets that follow
//!    them: glued ones, a `''` or `”`, or a straight `"` that closes an open one) when the next
//!    token can start a sentence; after an abbreviation that may end one (`enz.`) only before a
//!    capital. A blank line always ends a sentence; so does a single line break unless the next
//!    line visibly continues the sentence (it starts in lowercase, or the line ended in `,` or
//!    `;`): headlines and bullet lines have no final punctuation.
//!
//! Every token is a non-empty byte range of the text on char boundaries with no whitespace
//! inside (no token ever spans a space, not even `10 000`), and every non-whitespace character
//! of the text lies in exactly one token.

mod data;
pub mod eval;

pub use eval::{evaluate, SegmentScores};

use crate::doc::{Doc, Lang};
use data::Abbrev;

/// Tokenizes `text` into a new document with sentences.
pub fn segment(text: &str, lang: Lang) -> Doc {
    let seg = scan(text, lang);
    let mut doc = Doc::new(text, lang);
    let mut ends = seg.sentence_ends.iter().peekable();
    for (i, t) in seg.tokens.iter().enumerate() {
        // The end of the text counts as whitespace: the last token is not glued to anything.
        let space_after = text[t.end..].chars().next().is_none_or(char::is_whitespace);
        doc.push_token(t.start, t.end, &text[t.start..t.end], space_after);
        if ends.peek() == Some(&&(i + 1)) {
            ends.next();
            doc.close_sentence();
        }
    }
    doc.close_sentence();
    doc
}

/// One token found by the scanner: a byte range of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    /// Split off the previous token inside one surface word (`do|n't`): the two form one
    /// multi-word token in UD terms.
    pub glued: bool,
}

/// The scanner's result: tokens, and the exclusive end (token index) of every sentence.
pub(crate) struct Segmentation {
    pub tokens: Vec<Tok>,
    pub sentence_ends: Vec<usize>,
}

/// Tokens and sentence boundaries of `text`.
pub(crate) fn scan(text: &str, lang: Lang) -> Segmentation {
    let mut sc = Scanner {
        text,
        lang,
        out: Vec::with_capacity(text.len() / 5 + 1),
        tails: Vec::new(),
    };
    // A chunk is processed once the next one has started, so that its first char is known
    // (`land- en tuinbouw`, `ca. tien`).
    let mut pending: Option<(usize, usize)> = None;
    let mut chunk_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = chunk_start.take() {
                pending = Some((s, i));
            }
        } else if chunk_start.is_none() {
            if let Some((s, e)) = pending.take() {
                sc.chunk(s, e, Some(c));
            }
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        if let Some((ps, pe)) = pending.take() {
            sc.chunk(ps, pe, text[s..].chars().next());
        }
        sc.chunk(s, text.len(), None);
    } else if let Some((s, e)) = pending {
        sc.chunk(s, e, None);
    }
    let sentence_ends = sentence_ends(text, &sc.out, lang);
    Segmentation {
        tokens: sc.out,
        sentence_ends,
    }
}

/// Letters, digits and combining marks, plus a few symbols that never separate words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '_' | '°' | '\u{ad}' | '\u{200c}' | '\u{200d}')
        || ('\u{300}'..='\u{36f}').contains(&c)
        || ('\u{fe00}'..='\u{fe0f}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Punctuation written as runs that form one token (`...`, `!!!`, `--`, `**`).
fn runs(c: char) -> bool {
    matches!(
        c,
        '-' | '=' | '*' | '_' | '~' | '#' | '+' | '<' | '>' | '^' | '$'
    )
}

struct Scanner<'a> {
    text: &'a str,
    lang: Lang,
    out: Vec<Tok>,
    /// Trailing tokens of the current chunk, peeled from the end (so in reverse order).
    tails: Vec<(usize, usize)>,
}

impl Scanner<'_> {
    fn push(&mut self, start: usize, end: usize, glued: bool) {
        debug_assert!(start < end);
        self.out.push(Tok { start, end, glued });
    }

    /// Tokenizes the whitespace-free chunk `s..e`; `next` is the first char of the next chunk.
    fn chunk(&mut self, mut s: usize, mut e: usize, next: Option<char>) {
        let t = self.text;
        // Leading punctuation.
        while s < e {
            let rest = &t[s..e];
            // URLs and addresses start with a letter or digit (checked first: `url_len` scans).
            let starts_alnum = rest.chars().next().is_some_and(char::is_alphanumeric);
            let url = if starts_alnum { url_len(rest) } else { None };
            if let Some(len) = url {
                self.push(s, s + len, false);
                s += len;
                continue;
            }
            if let Some(len) = emoticon_at_start(rest, self.lang) {
                self.push(s, s + len, false);
                s += len;
                continue;
            }
            let c = rest.chars().next().unwrap_or(' ');
            if is_word_char(c) {
                break;
            }
            if rest.starts_with(",,") || rest.starts_with("''") || rest.starts_with("``") {
                self.push(s, s + 2, false);
                s += 2;
                continue;
            }
            let after = rest[c.len_utf8()..].chars().next();
            let attach = match c {
                '\'' | '’' => self.leading_apostrophe_attaches(&rest[c.len_utf8()..]),
                // Dutch hashtags and handles stay whole; EWT writes `#` apart (`# 1`).
                '#' => self.lang == Lang::Nl && after.is_some_and(char::is_alphanumeric),
                '@' => after.is_some_and(char::is_alphanumeric),
                _ => false,
            };
            if attach {
                break;
            }
            let len = punct_run(rest, c, self.lang);
            self.push(s, s + len, false);
            s += len;
        }
        // Trailing punctuation.
        self.tails.clear();
        while s < e {
            let rest = &t[s..e];
            let c = rest.chars().next_back().unwrap_or(' ');
            if is_word_char(c) {
                break;
            }
            if self.lang == Lang::En {
                if let Some(emo) = EMOTICONS
                    .iter()
                    .find(|m| rest.ends_with(*m) && !m.contains(char::is_alphanumeric))
                {
                    self.tails.push((e - emo.len(), e));
                    e -= emo.len();
                    continue;
                }
            }
            let before = rest[..rest.len() - c.len_utf8()].chars().next_back();
            let len = match c {
                '.' | '!' | '?' => {
                    let run = final_run_len(rest, c, self.lang, true);
                    if c == '.'
                        && run == 1
                        && run < rest.len()
                        && period_kind(&rest[..rest.len() - 1], self.lang, next).is_some()
                    {
                        break;
                    }
                    run
                }
                '\'' if rest.len() >= 2 && rest.ends_with("''") => 2,
                ',' if rest.len() >= 2 && rest.ends_with(",,") => 2,
                // Minutes and feet: `13'`.
                '\'' | '’'
                    if self.lang == Lang::Nl && before.is_some_and(|b| b.is_ascii_digit()) =>
                {
                    break
                }
                '%' if self.lang == Lang::Nl && before.is_some_and(|b| b.is_ascii_digit()) => break,
                '-' if before.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_lowercase) =>
                {
                    break
                }
                _ if runs(c) => rest.len() - rest.trim_end_matches(c).len(),
                _ => c.len_utf8(),
            };
            self.tails.push((e - len, e));
            e -= len;
        }
        if s < e {
            self.core(s, e);
        }
        while let Some((a, b)) = self.tails.pop() {
            self.push(a, b, false);
        }
    }

    /// Dutch `'t`, `'s`, `'n`, `'k`, `'s-Hertogenbosch`, both languages `'60`, English `'em`:
    /// the apostrophe belongs to the word. Otherwise it is an opening quote.
    fn leading_apostrophe_attaches(&self, after: &str) -> bool {
        let mut chars = after.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        if first.is_ascii_digit() {
            return true;
        }
        let word_end = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        let word = &after[..word_end];
        match self.lang {
            Lang::Nl => matches!(word, "t" | "s" | "n" | "k" | "m" | "r" | "T" | "S"),
            Lang::En => matches!(
                word.to_ascii_lowercase().as_str(),
                "em" | "cause" | "til" | "bout" | "n" | "round"
            ),
        }
    }

    /// Splits a chunk without its leading and trailing punctuation at the punctuation inside
    /// it that does not join word characters.
    fn core(&mut self, s: usize, e: usize) {
        let t = self.text;
        let mut word_start = s;
        // Start of the run of word chars before the current char (`pre` in `pre-owned`).
        let mut part_start = s;
        let mut prev: Option<char> = None;
        let mut it = t[s..e].char_indices().peekable();
        while let Some((off, c)) = it.next() {
            if is_word_char(c) {
                prev = Some(c);
                continue;
            }
            let i = s + off;
            let next = it.peek().map(|&(_, n)| n);
            let alnum = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
            let digit = |x: Option<char>| x.is_some_and(|d| d.is_ascii_digit());
            let en = self.lang == Lang::En;
            // The peeling kept a non-word char at either end of the core on purpose
            // (`bv.`, `'t`, `land-`, `26%`, `#tag`).
            let internal = i == s
                || next.is_none()
                || match c {
                    // `St.-Pieter` keeps its period before the hyphen.
                    '.' => alnum(prev) && (alnum(next) || next == Some('-')),
                    ',' | ':' => digit(prev) && digit(next),
                    // EWT splits hyphenated words except after prefixes and between digits.
                    '-' | '‐' | '‑' if en => {
                        (digit(prev) && digit(next))
                            || (alnum(next) && data::english_prefix(&t[part_start..i]))
                    }
                    '-' | '‐' | '‑' => {
                        (alnum(prev) || prev == Some('.') || prev == Some('\''))
                            && (alnum(next) || next.is_some_and(is_apostrophe))
                    }
                    '\'' | '’' => alnum(prev) && alnum(next),
                    // EWT splits `and/or` but keeps `9/11`, `b/c`.
                    '/' if en => {
                        (digit(prev) && digit(next))
                            || (t[part_start..i].chars().count() == 1
                                && alnum(next)
                                && !t[i + 1..e]
                                    .chars()
                                    .nth(1)
                                    .is_some_and(char::is_alphanumeric))
                    }
                    '&' | '/' | '@' => alnum(prev) && alnum(next),
                    '%' => self.lang == Lang::Nl && digit(prev),
                    _ => false,
                };
            part_start = i + c.len_utf8();
            if internal {
                prev = Some(c);
                continue;
            }
            if word_start < i {
                self.word(word_start, i);
            }
            let len = punct_run(&t[i..e], c, self.lang);
            self.push(i, i + len, false);
            // Skip the rest of the run.
            while it.peek().is_some_and(|&(o, _)| s + o < i + len) {
                it.next();
            }
            word_start = i + len;
            part_start = word_start;
            prev = Some(c);
        }
        if word_start < e {
            self.word(word_start, e);
        }
    }

    /// Pushes a word, splitting English clitics off as EWT does.
    fn word(&mut self, s: usize, e: usize) {
        if self.lang == Lang::En {
            let w = &self.text[s..e];
            if let Some(split) = english_clitic(w) {
                self.push(s, s + split, false);
                self.push(s + split, e, true);
                return;
            }
            // EWT writes a number and its unit apart (`375 mm`, `70 k`) but keeps `2nd`, `90s`.
            let digits = w.len() - w.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let unit = &w[digits..];
            if digits > 0
                && !unit.is_empty()
                && unit.chars().all(|c| c.is_ascii_alphabetic())
                && !["st", "nd", "rd", "th", "s"]
                    .iter()
                    .any(|x| unit.eq_ignore_ascii_case(x))
            {
                self.push(s, s + digits, false);
                self.push(s + digits, e, false);
                return;
            }
        }
        self.push(s, e, false);
    }
}

const EMOTICONS: &[&str] = &[
    ":-)", ":-(", ";-)", ":-D", ":-P", ":-/", ":'(", "^_^", ":))", ":((", ":)", ":(", ";)", ":D",
    ":P", ":p", ":/", "^^", "<3", ":o", ":O", "=)", ":]", ":|", "XD",
];

/// An emoticon at the start of a chunk: anywhere in English, only standing alone in Dutch.
fn emoticon_at_start(rest: &str, lang: Lang) -> Option<usize> {
    let m = EMOTICONS.iter().find(|m| rest.starts_with(*m))?;
    let after = rest[m.len()..].chars().next();
    let alone = match lang {
        Lang::En => !after.is_some_and(char::is_alphanumeric),
        Lang::Nl => after.is_none(),
    };
    (alone && !m.chars().next().is_some_and(char::is_alphanumeric)).then_some(m.len())
}

/// The length of the punctuation token at the start of `rest`, whose first char is `c`.
fn punct_run(rest: &str, c: char, lang: Lang) -> usize {
    if rest.starts_with("''") || rest.starts_with(",,") || rest.starts_with("``") {
        return 2;
    }
    if matches!(c, '!' | '?' | '.') {
        return final_run_len(rest, c, lang, false);
    }
    if runs(c) {
        return rest.len() - rest.trim_start_matches(c).len();
    }
    c.len_utf8()
}

/// The length of the run of final punctuation starting (or, `from_end`, ending) with `c`: EWT
/// writes any mix as one token (`!!!`, `?!`, `.?`); the Dutch treebanks only group dots (`...`)
/// and write `?!` as two tokens.
fn final_run_len(rest: &str, c: char, lang: Lang, from_end: bool) -> usize {
    let set: &[char] = match (lang, c) {
        (Lang::En, _) => &['.', '!', '?'],
        (Lang::Nl, '.') => &['.'],
        (Lang::Nl, _) => return 1,
    };
    let kept = if from_end {
        rest.trim_end_matches(set)
    } else {
        rest.trim_start_matches(set)
    };
    rest.len() - kept.len()
}

/// Where an English word splits into host and clitic (`do|n't`, `it|'s`, `can|not`).
fn english_clitic(w: &str) -> Option<usize> {
    let b = w.as_bytes();
    for apos in ["'", "’"] {
        // n't
        let nt = w.len().wrapping_sub(2 + apos.len());
        if w.len() > 2 + apos.len()
            && b[nt].eq_ignore_ascii_case(&b'n')
            && w[nt + 1..].starts_with(apos)
            && b[w.len() - 1].eq_ignore_ascii_case(&b't')
        {
            return Some(nt);
        }
        if let Some(p) = w.rfind(apos) {
            let suffix = &w[p + apos.len()..];
            if p > 0
                && ["s", "m", "d", "re", "ve", "ll"]
                    .iter()
                    .any(|x| suffix.eq_ignore_ascii_case(x))
            {
                return Some(p);
            }
        }
    }
    if b.len() <= 8 && b.iter().all(u8::is_ascii_alphabetic) {
        return data::english_fused(w);
    }
    None
}

/// Whether `core` followed by a period is an abbreviation, an initial or a dotted acronym that
/// keeps the period, and whether it may end a sentence.
fn period_kind(core: &str, lang: Lang, next: Option<char>) -> Option<Abbrev> {
    if core.is_empty() || !core.chars().next_back().is_some_and(char::is_alphabetic) {
        return None;
    }
    if let Some(kind) = data::abbreviation(core, lang) {
        return Some(kind);
    }
    let mut chars = core.chars();
    let first = chars.next()?;
    if chars.next().is_none() {
        // A single capital is an initial (`J. Kennedy`).
        return first.is_uppercase().then_some(Abbrev::Continues);
    }
    // Dotted acronyms and initials: `J.F`, `d.w.z`, `V.S`, `Ph.D`.
    if core.contains('.') {
        let mut parts = 0;
        let mut short = false;
        for part in core.split('.') {
            let n = part.chars().count();
            if n == 0 || n > 2 || !part.chars().all(char::is_alphabetic) {
                return None;
            }
            short |= n == 1;
            parts += 1;
        }
        return (parts >= 2 && short).then_some(Abbrev::Continues);
    }
    // A short unknown word whose period is followed by a lowercase word is an abbreviation
    // this list lacks (`vnl. de`): a sentence rarely starts in lowercase.
    if lang == Lang::Nl
        && next.is_some_and(char::is_lowercase)
        && core.chars().count() <= 4
        && core.chars().all(char::is_alphabetic)
    {
        return Some(Abbrev::Continues);
    }
    None
}

/// The length of a URL or e-mail address at the start of `rest` (without trailing punctuation
/// that ends the sentence around it), if it starts with one.
fn url_len(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    let starts = |p: &str| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let is_url = starts("http://")
        || starts("https://")
        || starts("ftp://")
        || starts("www.")
        || starts("mailto:")
        || is_email(rest);
    if !is_url {
        return None;
    }
    let mut u = rest;
    while let Some(c) = u.chars().next_back() {
        let strip = match c {
            ')' => u.matches('(').count() < u.matches(')').count(),
            ']' => u.matches('[').count() < u.matches(']').count(),
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '”' | '’' | '»' | '>' | '}' => {
                true
            }
            _ => false,
        };
        if !strip {
            break;
        }
        u = &u[..u.len() - c.len_utf8()];
    }
    (!u.is_empty()).then_some(u.len())
}

/// `name@host.tld` with word characters around the `@` and a dot after it.
fn is_email(rest: &str) -> bool {
    let Some(at) = rest.find('@') else {
        return false;
    };
    let local = &rest[..at];
    let domain = &rest[at + 1..];
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        && domain.contains('.')
        && domain.chars().next().is_some_and(char::is_alphanumeric)
}

/// Newlines in a whitespace gap (a paragraph separator or form feed counts as a blank line).
fn newlines(gap: &str) -> usize {
    let mut n = 0;
    let mut prev = ' ';
    for c in gap.chars() {
        n += match c {
            '\n' if prev != '\r' => 1,
            '\r' | '\u{2028}' | '\u{85}' => 1,
            '\u{2029}' | '\u{c}' => 2,
            _ => 0,
        };
        prev = c;
    }
    n
}

/// Exclusive token indices where sentences end.
fn sentence_ends(text: &str, toks: &[Tok], lang: Lang) -> Vec<usize> {
    let form = |i: usize| &text[toks[i].start..toks[i].end];
    let attached = |i: usize| i > 0 && toks[i - 1].end == toks[i].start;
    let mut ends = Vec::with_capacity(toks.len() / 12 + 1);
    // Whether a straight double quote is open before each token (counted since the last line
    // break): a `"` after a space then closes (`architect is. " Het …`).
    let mut quote_open = Vec::new();
    if text.contains('"') {
        let mut open = false;
        quote_open.reserve(toks.len());
        for i in 0..toks.len() {
            if i > 0 && newlines(&text[toks[i - 1].end..toks[i].start]) > 0 {
                open = false;
            }
            quote_open.push(open);
            if form(i) == "\"" {
                open = !open;
            }
        }
    }
    for i in 0..toks.len() {
        if i + 1 == toks.len() {
            ends.push(i + 1);
            break;
        }
        let gap = &text[toks[i].end..toks[i + 1].start];
        let lines = if gap.is_empty() { 0 } else { newlines(gap) };
        let next = form(i + 1);
        let end = match lines {
            0 => {
                // Closing quotes and brackets glued to the final punctuation belong to its
                // sentence; so does a Dutch `''` after a space (`gewonnen. ''`).
                let closes = |k: usize| {
                    (attached(k) && is_quote_or_closer(form(k)))
                        || matches!(form(k), "''" | "”")
                        || (form(k) == "\"" && quote_open.get(k) == Some(&true))
                };
                if closes(i + 1) {
                    false
                } else {
                    let mut j = i;
                    while j > 0 && closes(j) {
                        j -= 1;
                    }
                    let lower_next = next.chars().next().is_some_and(char::is_lowercase);
                    ends_sentence(
                        form(j),
                        j > 0 && attached(j) && is_opener(form(j - 1)),
                        lang,
                    ) && if is_abbreviation(form(j)) {
                        // After an abbreviation only a capitalised word starts a new sentence
                        // (`Inc. (713) …` goes on).
                        next.chars().next().is_some_and(char::is_uppercase)
                    } else {
                        // English web text often starts sentences in lowercase (`i think …`);
                        // not after a closing quote (`"Really?" she asked`).
                        starts_sentence(next) || (lang == Lang::En && j == i && lower_next)
                    }
                }
            }
            1 => {
                let w = form(i);
                let continues = matches!(w, "," | ";")
                    // `dhr.⏎Jansen`: a title or initial at the end of a wrapped line.
                    || (is_abbreviation(w)
                        && period_kind(&w[..w.len() - 1], lang, None) == Some(Abbrev::Continues))
                    || next.chars().next().is_some_and(char::is_lowercase);
                !continues
            }
            _ => true,
        };
        if end {
            ends.push(i + 1);
        }
    }
    ends
}

pub(crate) fn is_quote_or_closer(w: &str) -> bool {
    matches!(
        w,
        ")" | "]" | "}" | "\"" | "'" | "''" | "”" | "’" | "»" | "«" | "›" | "‹" | "“" | "‘"
    )
}

fn is_opener(w: &str) -> bool {
    matches!(w, "(" | "[" | "{")
}

/// Whether a token can end a sentence: final punctuation, or an abbreviation that may end one.
fn ends_sentence(w: &str, after_bracket: bool, lang: Lang) -> bool {
    if !w.is_empty() && w.chars().all(|c| matches!(c, '.' | '!' | '?' | '…')) {
        // `(...)` marks an omission inside a sentence.
        return !(after_bracket && (w.starts_with("..") || w == "…"));
    }
    w.len() > 1
        && w.ends_with('.')
        && period_kind(&w[..w.len() - 1], lang, None) == Some(Abbrev::CanEnd)
}

/// Whether a token is a word with an abbreviation's period (not a run of dots).
fn is_abbreviation(w: &str) -> bool {
    w.len() > 1 && w.ends_with('.') && !w.chars().all(|c| c == '.')
}

/// Whether a token can begin a sentence.
fn starts_sentence(w: &str) -> bool {
    let mut chars = w.chars();
    let Some(c) = chars.next() else {
        return false;
    };
    if c.is_alphabetic() {
        return !c.is_lowercase();
    }
    if c.is_numeric() {
        return true;
    }
    match c {
        '\'' | '’' | '‘' => chars
            .find(|c| c.is_alphanumeric())
            .is_none_or(|n| !n.is_lowercase()),
        '(' | '[' | '{' | '"' | '“' | '„' | '«' | '»' | '‹' | '›' | '¿' | '¡' | '•' | '·' | '*'
        | '-' | '–' | '—' | '#' | '@' | '€' | '$' | '£' | '§' => true,
        ',' => w == ",,",
        _ => false,
    }
}

#[cfg(test)]
mod tests;
