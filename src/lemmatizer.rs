//! Lemmatizer (placeholder until the trained tagger lands).
use crate::doc::Doc;
use crate::error::Result;

pub struct Lemmatizer;

impl Lemmatizer {
    pub const KIND: &'static str = "lemmatizer";
    pub fn from_bytes(_bytes: &[u8]) -> Result<Lemmatizer> {
        Ok(Lemmatizer)
    }
    pub fn lemmatize(&self, _doc: &mut Doc) {}
}
