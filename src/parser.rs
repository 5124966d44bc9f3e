//! Dependency parser (placeholder until the trained tagger lands).
use crate::doc::Doc;
use crate::error::Result;

pub struct Parser;

impl Parser {
    pub const KIND: &'static str = "parser";
    pub fn from_bytes(_bytes: &[u8]) -> Result<Parser> {
        Ok(Parser)
    }
    pub fn parse(&self, _doc: &mut Doc) {}
}
