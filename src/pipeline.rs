//! The NLP pipeline: loads a language's models once and runs them over documents.

use crate::doc::{Doc, Lang};
use crate::error::Result;
use crate::lemmatizer::Lemmatizer;
use crate::models::ModelSource;
use crate::ner::Ner;
use crate::parser::Parser;
use crate::segment;
use crate::tagger::Tagger;

pub struct Pipeline {
    pub lang: Lang,
    pub tagger: Tagger,
    pub lemmatizer: Lemmatizer,
    pub parser: Parser,
    /// The entity recogniser, where the language has one.
    pub ner: Option<Ner>,
}

impl Pipeline {
    /// Loads the models for `lang` from `source`.
    pub fn load(lang: Lang, source: &ModelSource) -> Result<Pipeline> {
        Ok(Pipeline {
            lang,
            tagger: Tagger::from_bytes(&source.require(lang, Tagger::KIND)?)?,
            lemmatizer: Lemmatizer::from_bytes(&source.require(lang, Lemmatizer::KIND)?)?,
            parser: Parser::from_bytes(&source.require(lang, Parser::KIND)?)?,
            ner: source
                .load(lang, Ner::KIND)?
                .map(|b| Ner::from_bytes(&b))
                .transpose()?,
        })
    }

    /// Runs every annotating stage over a segmented document.
    pub fn annotate(&self, doc: &mut Doc) {
        self.tagger.tag(doc);
        self.lemmatizer.lemmatize(doc);
        self.parser.parse(doc);
        if let Some(ner) = &self.ner {
            ner.recognise(doc);
        }
    }

    /// Segments `text` and annotates it.
    pub fn annotate_text(&self, text: &str) -> Doc {
        let mut doc = segment::segment(text, self.lang);
        self.annotate(&mut doc);
        doc
    }
}
