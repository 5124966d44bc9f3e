//! kennis reads news articles and builds a knowledge graph of who did what to whom.
//!
//! The pipeline (see `DESIGN.md` in the project's shared folder and the README):
//! text → [`read`] → [`segment`] → [`tagger`] + [`lemmatizer`] → [`parser`] → [`ner`] →
//! [`extract`] (with [`resolve`]) → [`graph`] → [`export`]. One [`doc::Doc`] flows through the NLP stages, each filling its
//! columns.

// The README's examples are compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub mod cli;
pub mod conllu;
pub mod conventions;
pub mod doc;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod graph;
pub mod lemmatizer;
pub mod lexicon;
pub mod models;
pub mod ner;
pub mod parser;
pub mod perceptron;
pub mod pipeline;
pub mod punct;
pub mod query;
pub mod read;
pub mod relabel;
pub mod resolve;
pub mod segment;
pub mod store;
pub mod tagger;
pub mod train;

pub use doc::{Doc, Lang, Token, Upos};
pub use error::{Error, Result};
pub use pipeline::Pipeline;
