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
    /// Loads the models for `lang` from `source`. The parser, the largest, loads on a second
    /// thread: start-up is serial time every run pays, however many cores it has.
    pub fn load(lang: Lang, source: &ModelSource) -> Result<Pipeline> {
        std::thread::scope(|scope| {
            let parser = scope.spawn(|| Parser::from_bytes(&source.require(lang, Parser::KIND)?));
            let tagger = Tagger::from_bytes(&source.require(lang, Tagger::KIND)?);
            let lemmatizer = Lemmatizer::from_bytes(&source.require(lang, Lemmatizer::KIND)?);
            let ner = source
                .load(lang, Ner::KIND)?
                .map(|b| Ner::from_bytes(&b))
                .transpose();
            let parser = parser.join().expect("the parser loads without panicking");
            Ok(Pipeline {
                lang,
                tagger: tagger?,
                lemmatizer: lemmatizer?,
                parser: parser?,
                ner: ner?,
            })
        })
    }

    /// Runs every annotating stage over a segmented document.
    pub fn annotate(&self, doc: &mut Doc) {
        self.tagger.tag(doc);
        self.annotate_tagged(doc);
    }

    /// Runs the stages after the tagger over a document whose UPOS and FEATS are set (by the
    /// tagger, or from a gold file to see what tagging errors cost).
    pub fn annotate_tagged(&self, doc: &mut Doc) {
        self.lemmatizer.lemmatize(doc);
        // The parser may settle a tag the tagger was unsure of: those words get the FEATS and
        // lemma of their new tag.
        let changed = self.parser.parse(doc);
        if !changed.is_empty() {
            self.tagger.refeat(doc, &changed);
            self.lemmatizer.relemmatize(doc, &changed);
        }
        if let Some(ner) = &self.ner {
            ner.recognise(doc);
            crate::resolve::refine_entities(doc);
        }
    }

    /// The shipped Dutch pipeline, loaded once for the tests that need it.
    #[cfg(test)]
    pub(crate) fn shipped_nl() -> &'static Pipeline {
        static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
        P.get_or_init(|| Pipeline::load(Lang::Nl, &ModelSource::Default).unwrap())
    }

    /// Segments `text` and annotates it.
    pub fn annotate_text(&self, text: &str) -> Doc {
        let mut doc = segment::segment(text, self.lang);
        self.annotate(&mut doc);
        doc
    }
}
