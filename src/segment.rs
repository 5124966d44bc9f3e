//! Sentence splitting and tokenization (placeholder: whitespace and trailing punctuation).

use crate::doc::{Doc, Lang};

/// Tokenizes `text` into a new document with sentences.
pub fn segment(text: &str, lang: Lang) -> Doc {
    let mut doc = Doc::new(text, lang);
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                doc.push_token(s, i, &text[s..i], true);
                if matches!(&text[s..i], "." | "!" | "?") {
                    doc.close_sentence();
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    doc.close_sentence();
    doc
}
