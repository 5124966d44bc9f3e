//! From a parsed article to statements: who did what to whom, with the evidence.
//!
//! [`Extractor::extract`] finds and resolves the article's mentions ([`crate::resolve`]), runs
//! the rules over its dependency trees ([`rules`]), and returns the statements found with the
//! entities they name; [`Extraction::add_to_graph`] puts them into a [`KnowledgeGraph`], where
//! articles meet by entity slug.
//!
//! ```
//! use kennis::doc::Lang;
//! use kennis::extract::Extractor;
//! use kennis::models::ModelSource;
//! use kennis::pipeline::Pipeline;
//!
//! let pipeline = Pipeline::load(Lang::Nl, &ModelSource::Default).unwrap();
//! let mut doc = pipeline.annotate_text("Premier Mark Rutte bezocht dinsdag Berlijn.");
//! doc.meta.id = Some("rutte".into());
//! let extraction = Extractor::builtin().extract(&doc);
//! assert!(extraction
//!     .statements
//!     .iter()
//!     .any(|s| s.relation == "visit" && extraction.label(s.subject) == "Mark Rutte"));
//! ```

pub mod eval;
pub mod rules;
#[cfg(test)]
mod tests;
pub mod tree;
pub mod words;

use crate::doc::{CharOffsets, Doc};
use crate::gazetteer::Gazetteer;
use crate::graph::{
    DocumentInfo, Entity, EntityId, EntityKind, GraphError, KnowledgeGraph, Literal, Modality,
    Object, Polarity, Statement,
};
use crate::lexicon::Lexicon;
use crate::resolve::{Cluster, Mentions};

/// The object of a found statement: an entity of the article, or a literal (a quote, a phrase).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Entity(usize),
    Literal(String),
}

/// A statement as the rules found it; entities are the article's clusters.
#[derive(Clone, Debug)]
pub struct Found {
    pub subject: usize,
    pub relation: String,
    pub relation_text: String,
    pub object: Arg,
    pub polarity: Polarity,
    pub modality: Modality,
    pub attributed_to: Option<usize>,
    pub time: Option<String>,
    pub place: Option<usize>,
    pub confidence: f32,
    /// Sentence index in the document.
    pub sentence: usize,
    /// Byte range of the evidence in the document text.
    pub bytes: (usize, usize),
    pub rule: String,
}

impl Found {
    /// A positive, asserted statement without qualifiers (a role, what someone said); the
    /// caller adds attribution where it applies.
    #[allow(clippy::too_many_arguments)]
    pub fn plain(
        subject: usize,
        relation: &str,
        relation_text: &str,
        object: Arg,
        confidence: f32,
        sentence: usize,
        bytes: (usize, usize),
        rule: &str,
    ) -> Found {
        Found {
            subject,
            relation: relation.to_string(),
            relation_text: relation_text.to_string(),
            object,
            polarity: Polarity::Positive,
            modality: Modality::Asserted,
            attributed_to: None,
            time: None,
            place: None,
            confidence,
            sentence,
            bytes,
            rule: rule.to_string(),
        }
    }
}

/// Finds statements with a relation lexicon (the built-in one unless a user gives their own).
pub struct Extractor<'l> {
    lexicon: &'l Lexicon,
    gazetteer: &'static Gazetteer,
}

impl Extractor<'static> {
    /// The extractor with the built-in relation lexicon.
    pub fn builtin() -> Extractor<'static> {
        Extractor::new(Lexicon::builtin())
    }
}

impl<'l> Extractor<'l> {
    pub fn new(lexicon: &'l Lexicon) -> Extractor<'l> {
        Extractor {
            lexicon,
            gazetteer: Gazetteer::global(),
        }
    }

    /// The statements of one parsed, entity-tagged article, with its resolved entities.
    pub fn extract(&self, doc: &Doc) -> Extraction {
        let words = words::Words::get(doc.lang);
        let mut mentions = Mentions::find(doc, words, self.gazetteer);
        let mut rules = rules::Rules::new(doc.lang, words, self.lexicon, self.gazetteer);
        let mut statements = rules.run(doc, &mut mentions);
        // One statement per triple and evidence; the rules may reach one twice (a role read
        // both from its apposition and from the comma pattern).
        statements.sort_by(|a, b| {
            (a.sentence, a.bytes, &a.relation, a.subject)
                .cmp(&(b.sentence, b.bytes, &b.relation, b.subject))
                .then_with(|| b.confidence.total_cmp(&a.confidence))
        });
        statements.dedup_by(|a, b| {
            a.sentence == b.sentence
                && a.subject == b.subject
                && a.relation == b.relation
                && a.object == b.object
                && a.polarity == b.polarity
        });
        Extraction {
            doc_id: doc.meta.id.clone().unwrap_or_default(),
            lang: doc.lang.code(),
            clusters: mentions.clusters,
            statements,
        }
    }
}

/// What one article yields.
pub struct Extraction {
    pub doc_id: String,
    pub lang: &'static str,
    pub clusters: Vec<Cluster>,
    pub statements: Vec<Found>,
}

impl Extraction {
    /// The label of an article entity.
    pub fn label(&self, cluster: usize) -> &str {
        &self.clusters[cluster].label
    }

    /// Adds the article and the statements at or above `min_confidence` (with the entities they
    /// name) to `graph`. `info` describes the article; `doc` is the text the offsets point into.
    pub fn add_to_graph(
        &self,
        doc: &Doc,
        info: DocumentInfo,
        graph: &mut KnowledgeGraph,
        min_confidence: f32,
    ) -> Result<(), GraphError> {
        let doc_id = info.id.clone();
        graph.add_document(info)?;
        let mut ids: Vec<Option<EntityId>> = vec![None; self.clusters.len()];
        let mut entity = |c: usize, graph: &mut KnowledgeGraph| -> EntityId {
            if let Some(id) = ids[c] {
                return id;
            }
            let id = graph.add_entity(self.entity(c, &doc_id));
            ids[c] = Some(id);
            id
        };
        let mut chars = CharOffsets::new(&doc.text);
        for st in &self.statements {
            if st.confidence < min_confidence {
                continue;
            }
            let subject = entity(st.subject, graph);
            let object = match &st.object {
                Arg::Entity(c) => Object::Entity(entity(*c, graph)),
                Arg::Literal(text) => Object::Literal(Literal {
                    value: text.clone(),
                    lang: Some(self.lang.to_string()),
                }),
            };
            let attributed_to = st.attributed_to.map(|c| entity(c, graph));
            let place = st.place.map(|c| entity(c, graph));
            graph.add_statement(Statement {
                subject,
                relation: st.relation.clone(),
                relation_text: st.relation_text.clone(),
                object,
                polarity: st.polarity,
                modality: st.modality,
                attributed_to,
                time: st.time.clone(),
                place,
                confidence: (st.confidence * 100.0).round() / 100.0,
                document: doc_id.clone(),
                sentence_index: st.sentence,
                sentence: doc.sentence_text(st.sentence).to_string(),
                span: (chars.at(st.bytes.0), chars.at(st.bytes.1)),
                rule: st.rule.clone(),
            })?;
        }
        Ok(())
    }

    /// The graph entity of an article cluster. A person known by one word only (a surname) is
    /// kept apart per article: two articles' "Wang" need not be one person.
    fn entity(&self, c: usize, doc_id: &str) -> Entity {
        let cl = &self.clusters[c];
        let lang = cl.label_lang.unwrap_or(self.lang);
        let mut e = Entity::new(cl.label.clone(), cl.kind)
            .with_lang(lang)
            .with_mentions(cl.mentions.max(1));
        for name in &cl.names {
            e = e.with_alias(name.clone(), Some(self.lang));
        }
        if let Some(id) = cl.geonames {
            e = e.with_geonames(u64::from(id));
        }
        if cl.kind == EntityKind::Person && !cl.label.contains(' ') {
            e = e.with_disambiguator(doc_id).with_merge_note(format!(
                "only “{}” is known: kept apart from namesakes in other articles",
                cl.label
            ));
        }
        for why in &cl.merges {
            e = e.with_merge_note(format!("{doc_id}: {why}"));
        }
        e
    }
}
