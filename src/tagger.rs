//! Part-of-speech tagger (placeholder until the trained tagger lands).
use crate::doc::Doc;
use crate::error::Result;

pub struct Tagger;

impl Tagger {
    pub const KIND: &'static str = "tagger";
    pub fn from_bytes(_bytes: &[u8]) -> Result<Tagger> {
        Ok(Tagger)
    }
    pub fn tag(&self, _doc: &mut Doc) {}
}
