//! The knowledge graph: entities as nodes, statements as edges (petgraph), plus the documents they
//! came from. The extraction and resolution stages fill it through the builder API
//! ([`KnowledgeGraph::add_document`], [`KnowledgeGraph::add_entity`],
//! [`KnowledgeGraph::add_statement`]); the exporters read it.
//!
//! Identity is a pure function of content so that articles processed apart land on the same
//! nodes: an entity's slug comes from its normalised name and type (or its GeoNames id), a
//! statement's id from a SHA-256 of its document, offsets and triple. Every listing is sorted, so
//! the order in which documents were added never shows in the output.

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// What an entity is. Serialised as `Person`, `Place`, `Organization`, `Event`, `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Place,
    Organization,
    Event,
    Other,
}

impl EntityKind {
    pub const ALL: [EntityKind; 5] = [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Organization,
        EntityKind::Event,
        EntityKind::Other,
    ];

    /// The name used in JSON (`type`) and as the schema.org class's local name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "Person",
            EntityKind::Place => "Place",
            EntityKind::Organization => "Organization",
            EntityKind::Event => "Event",
            EntityKind::Other => "Other",
        }
    }

    /// The lower-case word that starts a slug, so a person and a place of one name stay apart.
    fn slug_prefix(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Organization => "org",
            EntityKind::Event => "event",
            EntityKind::Other => "other",
        }
    }

    /// Maps the NER labels (PER, LOC, ORG, MISC) onto entity kinds.
    pub fn from_ner(label: &str) -> EntityKind {
        match label {
            "PER" => EntityKind::Person,
            "LOC" | "GPE" => EntityKind::Place,
            "ORG" => EntityKind::Organization,
            "EVENT" => EntityKind::Event,
            _ => EntityKind::Other,
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Another name for an entity, with the language it was seen in (an RDF language tag) if known.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Alias {
    pub text: String,
    pub lang: Option<String>,
}

/// A node of the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// The stable identifier, `[a-z0-9-]` plus lower-case letters of other scripts; see [`slug`].
    pub slug: String,
    /// The preferred name (the longest full name seen).
    pub label: String,
    /// The language of `label`, if known (e.g. `nl`).
    pub label_lang: Option<String>,
    pub kind: EntityKind,
    /// Other names, sorted and without duplicates; never contains `label` itself in `label_lang`.
    pub aliases: Vec<Alias>,
    /// IRIs of the same thing elsewhere, e.g. `https://sws.geonames.org/524901/`; sorted.
    pub same_as: Vec<String>,
    /// How many mentions were resolved to this entity, over all documents.
    pub mentions: u32,
    /// Why mentions or entities were merged into this one, one sentence each; sorted.
    pub merges: Vec<String>,
}

impl Entity {
    /// An entity with a slug computed from its name and kind.
    pub fn new(label: impl Into<String>, kind: EntityKind) -> Entity {
        let label = label.into();
        Entity {
            slug: slug(&label, kind, None),
            label,
            label_lang: None,
            kind,
            aliases: Vec::new(),
            same_as: Vec::new(),
            mentions: 1,
            merges: Vec::new(),
        }
    }

    /// Links the entity to GeoNames: its slug becomes the GeoNames id, so every name of the
    /// place (Moskou, Moscow) is one node, and `same_as` gets the GeoNames IRI.
    pub fn with_geonames(mut self, id: u64) -> Entity {
        self.slug = slug(&self.label, self.kind, Some(id));
        self.same_as.push(geonames_iri(id));
        self.normalise();
        self
    }

    /// Keeps this entity apart from others of the same name and kind (two people called Wang in
    /// different articles): the slug gets `--` and the normalised tag, still a pure function of
    /// the entity's content. The resolver picks the tag (e.g. a distinguishing role or the
    /// document id).
    pub fn with_disambiguator(mut self, tag: &str) -> Entity {
        let norm = normalise_name(tag);
        let tag = if norm.is_empty() {
            format!("x{}", &hex_digest(tag.as_bytes())[..12])
        } else {
            norm
        };
        self.slug = format!("{}--{tag}", slug(&self.label, self.kind, None));
        self
    }

    pub fn with_lang(mut self, lang: impl Into<String>) -> Entity {
        self.label_lang = Some(lang.into());
        self.normalise();
        self
    }

    pub fn with_alias(mut self, text: impl Into<String>, lang: Option<&str>) -> Entity {
        self.aliases.push(Alias {
            text: text.into(),
            lang: lang.map(str::to_string),
        });
        self.normalise();
        self
    }

    pub fn with_mentions(mut self, mentions: u32) -> Entity {
        self.mentions = mentions;
        self
    }

    pub fn with_merge_note(mut self, why: impl Into<String>) -> Entity {
        self.merges.push(why.into());
        self.normalise();
        self
    }

    /// Sorts and de-duplicates the list fields, so equal content means equal values.
    fn normalise(&mut self) {
        let (label, lang) = (&self.label, &self.label_lang);
        self.aliases
            .retain(|a| (a.text != *label || a.lang != *lang) && !a.text.is_empty());
        self.aliases.sort();
        self.aliases.dedup();
        self.same_as.sort();
        self.same_as.dedup();
        self.merges.sort();
        self.merges.dedup();
    }

    /// Folds `other` (same slug) into `self`. The result does not depend on which came first:
    /// the longer label wins (ties: the smaller string), names become aliases, counts add up.
    fn absorb(&mut self, other: Entity) {
        let mine = (
            self.label.chars().count(),
            std::cmp::Reverse(self.label.clone()),
        );
        let theirs = (
            other.label.chars().count(),
            std::cmp::Reverse(other.label.clone()),
        );
        let (keep_label, keep_lang, alias_label, alias_lang) = if theirs > mine {
            (
                other.label,
                other.label_lang,
                std::mem::take(&mut self.label),
                self.label_lang.take(),
            )
        } else if theirs == mine {
            // Same label: keep the smaller language tag (a tag beats none); the other variant
            // stays as an alias, so merging is associative as well as order-free.
            let (a, b) = (self.label_lang.take(), other.label_lang);
            let (keep, drop) = match (a, b) {
                (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
                (Some(a), b) => (Some(a), b),
                (None, b) => (b, None),
            };
            let label = std::mem::take(&mut self.label);
            let alias = if drop != keep {
                label.clone()
            } else {
                String::new()
            };
            (label, keep, alias, drop)
        } else {
            (
                std::mem::take(&mut self.label),
                self.label_lang.take(),
                other.label,
                other.label_lang,
            )
        };
        self.label = keep_label;
        self.label_lang = keep_lang;
        if !alias_label.is_empty() {
            self.aliases.push(Alias {
                text: alias_label,
                lang: alias_lang,
            });
        }
        self.aliases.extend(other.aliases);
        self.same_as.extend(other.same_as);
        self.merges.extend(other.merges);
        self.mentions = self.mentions.saturating_add(other.mentions);
        self.normalise();
    }
}

/// The GeoNames IRI of a place id, in the form GeoNames itself uses for linked data.
pub fn geonames_iri(id: u64) -> String {
    format!("https://sws.geonames.org/{id}/")
}

/// The stable identifier of an entity: a pure function of its normalised name and kind, or of
/// its GeoNames id where linked. Lower-cased, diacritics folded (so "René" and "Rene" meet),
/// runs of anything but letters and digits become one `-`; long names are cut and suffixed
/// with a hash so they stay unique; empty names get a hash too.
pub fn slug(name: &str, kind: EntityKind, geonames: Option<u64>) -> String {
    if let Some(id) = geonames {
        return format!("geonames-{id}");
    }
    let norm = normalise_name(name);
    let prefix = kind.slug_prefix();
    if norm.is_empty() {
        return format!("{prefix}-x{}", &hex_digest(name.as_bytes())[..12]);
    }
    const MAX: usize = 64;
    if norm.chars().count() > MAX {
        let cut: String = norm.chars().take(MAX - 13).collect();
        let cut = cut.trim_end_matches('-');
        return format!("{prefix}-{cut}-{}", &hex_digest(norm.as_bytes())[..12]);
    }
    format!("{prefix}-{norm}")
}

/// Lower-case, diacritic-folded, `-`-separated form of a name (the slug without its prefix).
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = fold_diacritic(c);
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            match c {
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ĳ' => out.push_str("ij"),
                _ => out.push(c),
            }
        } else {
            dash = true;
        }
    }
    out
}

/// Folds the Latin letters with diacritics that news names carry onto their base letter.
pub(crate) fn fold_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => 's',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => c,
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn hex_digest(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Whether a statement holds or is denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Polarity {
    Positive,
    Negated,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Negated => "negated",
        }
    }
}

/// How the text puts a statement: as fact, as plan, as possibility, or as someone's report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Modality {
    Asserted,
    Planned,
    Possible,
    Reported,
}

impl Modality {
    pub const ALL: [Modality; 4] = [
        Modality::Asserted,
        Modality::Planned,
        Modality::Possible,
        Modality::Reported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Planned => "planned",
            Modality::Possible => "possible",
            Modality::Reported => "reported",
        }
    }
}

/// A handle to an entity in a [`KnowledgeGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(NodeIndex);

/// A literal object: a quote or a value, with its language if it is text in one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    pub value: String,
    pub lang: Option<String>,
}

/// The object of a statement.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Object {
    Entity(EntityId),
    Literal(Literal),
}

/// A statement as the extractor hands it over (entity handles from the same graph).
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub subject: EntityId,
    /// The canonical relation name (from the lexicon, or the lemma of an open relation).
    pub relation: String,
    /// The relation's words as they stand in the text.
    pub relation_text: String,
    pub object: Object,
    pub polarity: Polarity,
    pub modality: Modality,
    pub attributed_to: Option<EntityId>,
    pub time: Option<String>,
    pub place: Option<EntityId>,
    /// In [0, 1]; clamped on insertion.
    pub confidence: f32,
    /// The id of a document added with [`KnowledgeGraph::add_document`].
    pub document: String,
    pub sentence_index: usize,
    pub sentence: String,
    /// Character offsets (Unicode code points) of the evidence in the article text, end exclusive.
    pub span: (usize, usize),
    /// The extraction rule that fired.
    pub rule: String,
}

/// A document the graph was built from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DocumentInfo {
    pub id: String,
    /// Where it was read from (a path, `-` for stdin, or `file:line` in JSON Lines).
    pub source: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    /// ISO 639-1 code, e.g. `nl`.
    pub language: String,
    pub sentences: usize,
}

/// What the builder refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// A statement names a document that was never added.
    UnknownDocument(String),
    /// A statement's entity handle is not an entity of this graph.
    UnknownEntity,
    /// A document id is empty.
    EmptyDocumentId,
    /// Two different documents with one id.
    ConflictingDocument(String),
    /// A statement has an empty relation name.
    EmptyRelation,
    /// The span's start lies after its end.
    BadSpan(usize, usize),
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::UnknownDocument(id) => {
                write!(
                    f,
                    "statement refers to document {id:?}, which was not added"
                )
            }
            GraphError::UnknownEntity => f.write_str("statement refers to an unknown entity"),
            GraphError::EmptyDocumentId => f.write_str("document id is empty"),
            GraphError::ConflictingDocument(id) => {
                write!(f, "two different documents share the id {id:?}")
            }
            GraphError::EmptyRelation => f.write_str("statement has an empty relation name"),
            GraphError::BadSpan(a, b) => write!(f, "span start {a} lies after its end {b}"),
        }
    }
}

impl std::error::Error for GraphError {}

/// A node of the petgraph: an entity, or the literal object of one or more statements.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Entity(Entity),
    Literal(Literal),
}

/// A statement as stored: the edge weight, with its id computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The stable statement id (hex, 20 characters): see [`statement_id`].
    pub id: String,
    pub statement: Statement,
}

/// Entities and literals as nodes, statements as edges (subject → object), documents beside.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeGraph {
    graph: StableDiGraph<Node, Edge>,
    entities: BTreeMap<String, NodeIndex>,
    literals: BTreeMap<Literal, NodeIndex>,
    statements: BTreeMap<String, EdgeIndex>,
    documents: BTreeMap<String, DocumentInfo>,
}

impl KnowledgeGraph {
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// The underlying petgraph, for graph algorithms (neighbours, components, …).
    pub fn petgraph(&self) -> &StableDiGraph<Node, Edge> {
        &self.graph
    }

    /// Adds a document; adding an identical one again is a no-op.
    pub fn add_document(&mut self, doc: DocumentInfo) -> Result<(), GraphError> {
        if doc.id.is_empty() {
            return Err(GraphError::EmptyDocumentId);
        }
        match self.documents.get(&doc.id) {
            Some(old) if *old == doc => Ok(()),
            Some(_) => Err(GraphError::ConflictingDocument(doc.id)),
            None => {
                self.documents.insert(doc.id.clone(), doc);
                Ok(())
            }
        }
    }

    /// Adds an entity, or merges it into the entity with the same slug (names become aliases,
    /// mention counts add up). Returns the handle to use in statements.
    pub fn add_entity(&mut self, mut entity: Entity) -> EntityId {
        entity.normalise();
        if let Some(&ix) = self.entities.get(&entity.slug) {
            if let Some(Node::Entity(old)) = self.graph.node_weight_mut(ix) {
                old.absorb(entity);
            }
            return EntityId(ix);
        }
        let slug = entity.slug.clone();
        let ix = self.graph.add_node(Node::Entity(entity));
        self.entities.insert(slug, ix);
        EntityId(ix)
    }

    /// Merges another graph into this one (e.g. graphs built per article on different threads):
    /// entities meet by slug, statements by id. The result does not depend on which graph
    /// absorbs which, or in which order.
    pub fn extend(&mut self, other: KnowledgeGraph) -> Result<(), GraphError> {
        for doc in other.documents.values() {
            self.add_document(doc.clone())?;
        }
        let mut map = std::collections::HashMap::new();
        for &ix in other.entities.values() {
            if let Node::Entity(e) = &other.graph[ix] {
                map.insert(ix, self.add_entity(e.clone()));
            }
        }
        let remap = |e: EntityId| map.get(&e.0).copied().ok_or(GraphError::UnknownEntity);
        for &ex in other.statements.values() {
            let mut st = other.graph[ex].statement.clone();
            st.subject = remap(st.subject)?;
            st.attributed_to = st.attributed_to.map(remap).transpose()?;
            st.place = st.place.map(remap).transpose()?;
            if let Object::Entity(e) = st.object {
                st.object = Object::Entity(remap(e)?);
            }
            self.add_statement(st)?;
        }
        Ok(())
    }

    /// Looks an entity up by slug.
    pub fn entity_by_slug(&self, slug: &str) -> Option<EntityId> {
        self.entities.get(slug).copied().map(EntityId)
    }

    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        match self.graph.node_weight(id.0) {
            Some(Node::Entity(e)) => Some(e),
            _ => None,
        }
    }

    /// Adds a statement and returns its id; a statement with the same id (same document,
    /// offsets and triple) is kept once, with the higher confidence.
    pub fn add_statement(&mut self, mut st: Statement) -> Result<String, GraphError> {
        if !self.documents.contains_key(&st.document) {
            return Err(GraphError::UnknownDocument(st.document));
        }
        if st.relation.is_empty() {
            return Err(GraphError::EmptyRelation);
        }
        if st.span.0 > st.span.1 {
            return Err(GraphError::BadSpan(st.span.0, st.span.1));
        }
        let entities = [Some(st.subject), st.attributed_to, st.place];
        let object = match &st.object {
            Object::Entity(e) => Some(*e),
            Object::Literal(_) => None,
        };
        for e in entities.into_iter().flatten().chain(object) {
            self.entity(e).ok_or(GraphError::UnknownEntity)?;
        }
        st.confidence = if st.confidence.is_nan() {
            0.0
        } else {
            st.confidence.clamp(0.0, 1.0)
        };
        let id = statement_id(self, &st);
        if let Some(&ex) = self.statements.get(&id) {
            // Keep the better of the two by a total order over content (never by arrival), so
            // the graph does not depend on the order statements came in.
            let old = &self.graph[ex].statement;
            if self.preference(&st) > self.preference(old) {
                self.graph[ex].statement = st;
            }
            return Ok(id);
        }
        let target = match &st.object {
            Object::Entity(e) => e.0,
            Object::Literal(lit) => match self.literals.get(lit) {
                Some(&ix) => ix,
                None => {
                    let ix = self.graph.add_node(Node::Literal(lit.clone()));
                    self.literals.insert(lit.clone(), ix);
                    ix
                }
            },
        };
        let ex = self.graph.add_edge(
            st.subject.0,
            target,
            Edge {
                id: id.clone(),
                statement: st,
            },
        );
        self.statements.insert(id.clone(), ex);
        Ok(id)
    }

    /// What decides between two statements with one id: confidence first, then the other
    /// fields, entity handles replaced by slugs.
    #[allow(clippy::type_complexity)]
    fn preference<'a>(
        &'a self,
        st: &'a Statement,
    ) -> (
        u32,
        &'a str,
        &'a str,
        Polarity,
        Modality,
        &'a Option<String>,
        usize,
        &'a str,
        [&'a str; 2],
    ) {
        let slug = |e: Option<EntityId>| {
            e.and_then(|e| self.entity(e))
                .map(|e| e.slug.as_str())
                .unwrap_or("")
        };
        (
            st.confidence.to_bits(), // non-negative floats order like their bits
            &st.rule,
            &st.relation_text,
            st.polarity,
            st.modality,
            &st.time,
            st.sentence_index,
            &st.sentence,
            [slug(st.attributed_to), slug(st.place)],
        )
    }

    /// Documents, sorted by id.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentInfo> {
        self.documents.values()
    }

    pub fn document(&self, id: &str) -> Option<&DocumentInfo> {
        self.documents.get(id)
    }

    /// Entities with their handles, sorted by slug.
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.entities.values().map(|&ix| match &self.graph[ix] {
            Node::Entity(e) => (EntityId(ix), e),
            Node::Literal(_) => unreachable!("the slug index holds entity nodes only"),
        })
    }

    /// Statements, sorted by document, sentence, span, then id: the order of the text.
    pub fn statements(&self) -> Vec<&Edge> {
        let mut all: Vec<&Edge> = self.graph.edge_weights().collect();
        all.sort_by(|a, b| {
            let (x, y) = (&a.statement, &b.statement);
            (&x.document, x.sentence_index, x.span, &a.id).cmp(&(
                &y.document,
                y.sentence_index,
                y.span,
                &b.id,
            ))
        });
        all
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    /// Relation names in use, sorted.
    pub fn relations(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .graph
            .edge_weights()
            .map(|e| e.statement.relation.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// The stable id of a statement: the first 20 hex digits of a SHA-256 over its document id,
/// character offsets, subject slug, relation and object (slug, or the literal and its
/// language), each field length-prefixed so no two field lists collide.
pub fn statement_id(graph: &KnowledgeGraph, st: &Statement) -> String {
    let slug = |e: EntityId| graph.entity(e).map(|e| e.slug.as_str()).unwrap_or("");
    let mut fields: Vec<String> = vec![
        "kennis-statement-v1".to_string(),
        st.document.clone(),
        st.span.0.to_string(),
        st.span.1.to_string(),
        slug(st.subject).to_string(),
        st.relation.clone(),
    ];
    match &st.object {
        Object::Entity(e) => {
            fields.push("entity".into());
            fields.push(slug(*e).to_string());
        }
        Object::Literal(lit) => {
            fields.push("literal".into());
            fields.push(lit.value.clone());
            fields.push(lit.lang.clone().unwrap_or_default());
        }
    }
    let mut bytes = Vec::new();
    for f in &fields {
        bytes.extend_from_slice(&(f.len() as u64).to_be_bytes());
        bytes.extend_from_slice(f.as_bytes());
    }
    hex_digest(&bytes)[..20].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str) -> DocumentInfo {
        DocumentInfo {
            id: id.into(),
            source: format!("{id}.txt"),
            language: "nl".into(),
            sentences: 2,
            ..Default::default()
        }
    }

    fn stmt(s: EntityId, o: EntityId, doc: &str, span: (usize, usize)) -> Statement {
        Statement {
            subject: s,
            relation: "visit".into(),
            relation_text: "bezoekt".into(),
            object: Object::Entity(o),
            polarity: Polarity::Positive,
            modality: Modality::Asserted,
            attributed_to: None,
            time: None,
            place: None,
            confidence: 0.7,
            document: doc.into(),
            sentence_index: 0,
            sentence: "Xi bezoekt Moskou.".into(),
            span,
            rule: "test".into(),
        }
    }

    #[test]
    fn slugs_are_pure_functions_of_name_and_kind() {
        assert_eq!(
            slug("Xi Jinping", EntityKind::Person, None),
            "person-xi-jinping"
        );
        assert_eq!(
            slug("René  Pérez", EntityKind::Person, None),
            "person-rene-perez"
        );
        assert_eq!(
            slug("Moskou", EntityKind::Place, Some(524901)),
            slug("Moscow", EntityKind::Place, Some(524901))
        );
        assert_ne!(
            slug("Georgia", EntityKind::Place, None),
            slug("Georgia", EntityKind::Person, None)
        );
        // Empty and punctuation-only names still get distinct, non-empty slugs.
        let a = slug("", EntityKind::Other, None);
        let b = slug("\"\\", EntityKind::Other, None);
        assert!(a.starts_with("other-x") && b.starts_with("other-x") && a != b);
        // Long names are cut but stay unique.
        let long1 = "a".repeat(500);
        let long2 = format!("{}b", "a".repeat(499));
        let (s1, s2) = (
            slug(&long1, EntityKind::Other, None),
            slug(&long2, EntityKind::Other, None),
        );
        assert!(s1.chars().count() <= 80 && s1 != s2, "{s1} {s2}");
        assert_eq!(
            slug("Владимир Путин", EntityKind::Person, None),
            "person-владимир-путин"
        );
        let wang = |tag| {
            Entity::new("Wang", EntityKind::Person)
                .with_disambiguator(tag)
                .slug
        };
        assert_eq!(
            wang("minister van Buitenlandse Zaken"),
            "person-wang--minister-van-buitenlandse-zaken"
        );
        assert_ne!(wang("a"), wang("b"));
        assert_ne!(wang("!"), wang("?"));
    }

    #[test]
    fn entities_merge_independently_of_order() {
        let a = Entity::new("Wang", EntityKind::Person)
            .with_lang("nl")
            .with_mentions(2);
        let b = Entity::new("Wang", EntityKind::Person)
            .with_lang("en")
            .with_merge_note("same name in two articles");
        let build = |first: &Entity, second: &Entity| {
            let mut g = KnowledgeGraph::new();
            g.add_entity(first.clone());
            let id = g.add_entity(second.clone());
            g.entity(id).unwrap().clone()
        };
        let ab = build(&a, &b);
        assert_eq!(ab, build(&b, &a));
        assert_eq!(ab.mentions, 3);
        assert_eq!(ab.label_lang.as_deref(), Some("en"));
        assert_eq!(ab.aliases.len(), 1, "the Dutch variant stays as an alias");
        // Associative: any grouping of three variants gives one entity.
        let c = Entity::new("Wang", EntityKind::Person);
        let d = Entity::new("Wáng", EntityKind::Person).with_lang("zh");
        let all = [a.clone(), b.clone(), c, d];
        let mut results = Vec::new();
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]] {
            let mut g = KnowledgeGraph::new();
            let mut id = None;
            for i in order {
                id = Some(g.add_entity(all[i].clone()));
            }
            results.push(g.entity(id.unwrap()).unwrap().clone());
        }
        assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:#?}");

        let moskou = Entity::new("Moskou", EntityKind::Place)
            .with_lang("nl")
            .with_geonames(524901);
        let moscow = Entity::new("Moscow", EntityKind::Place)
            .with_lang("en")
            .with_geonames(524901);
        let m1 = build(&moskou, &moscow);
        assert_eq!(m1, build(&moscow, &moskou));
        // Same length: the smaller string wins, whichever came first.
        assert_eq!(m1.label, "Moscow");
        assert_eq!(
            m1.aliases,
            vec![Alias {
                text: "Moskou".into(),
                lang: Some("nl".into())
            }]
        );
        let xi = build(
            &Entity::new("Xi", EntityKind::Person),
            &Entity::new("Xi", EntityKind::Person).with_alias("Xi Jinping", None),
        );
        assert_eq!(xi.aliases.len(), 1);
        assert_eq!(
            m1.same_as,
            vec!["https://sws.geonames.org/524901/".to_string()]
        );
    }

    #[test]
    fn statement_ids_do_not_depend_on_insertion_order() {
        let build = |order: &[&str]| {
            let mut g = KnowledgeGraph::new();
            for d in order {
                g.add_document(doc(d)).unwrap();
                let xi = g.add_entity(Entity::new("Xi", EntityKind::Person));
                let m = g.add_entity(Entity::new("Moskou", EntityKind::Place));
                g.add_statement(stmt(xi, m, d, (0, 10))).unwrap();
            }
            let ids: Vec<String> = g.statements().iter().map(|e| e.id.clone()).collect();
            ids
        };
        let ab = build(&["a", "b"]);
        assert_eq!(ab, build(&["b", "a"]));
        assert_eq!(ab.len(), 2);
        assert_ne!(ab[0], ab[1]);
        assert!(ab.iter().all(|id| id.len() == 20));
    }

    #[test]
    fn builder_rejects_bad_statements_and_dedups_equal_ones() {
        let mut g = KnowledgeGraph::new();
        assert_eq!(g.add_document(doc("")), Err(GraphError::EmptyDocumentId));
        g.add_document(doc("a")).unwrap();
        g.add_document(doc("a")).unwrap();
        let mut other = doc("a");
        other.title = Some("x".into());
        assert!(matches!(
            g.add_document(other),
            Err(GraphError::ConflictingDocument(_))
        ));
        let xi = g.add_entity(Entity::new("Xi", EntityKind::Person));
        let m = g.add_entity(Entity::new("Moskou", EntityKind::Place));
        assert!(matches!(
            g.add_statement(stmt(xi, m, "nope", (0, 1))),
            Err(GraphError::UnknownDocument(_))
        ));
        assert_eq!(
            g.add_statement(stmt(xi, m, "a", (5, 1))),
            Err(GraphError::BadSpan(5, 1))
        );
        let id1 = g.add_statement(stmt(xi, m, "a", (0, 4))).unwrap();
        let mut again = stmt(xi, m, "a", (0, 4));
        again.confidence = 7.0;
        let id2 = g.add_statement(again).unwrap();
        assert_eq!(id1, id2);
        assert_eq!(g.statement_count(), 1);
        assert_eq!(g.statements()[0].statement.confidence, 1.0);
        // Equal confidence: the choice depends on content, not on arrival order.
        let pick = |first: &str, second: &str| {
            let mut g = KnowledgeGraph::new();
            g.add_document(doc("a")).unwrap();
            let xi = g.add_entity(Entity::new("Xi", EntityKind::Person));
            let m = g.add_entity(Entity::new("Moskou", EntityKind::Place));
            for rule in [first, second] {
                let mut st = stmt(xi, m, "a", (0, 4));
                st.rule = rule.into();
                g.add_statement(st).unwrap();
            }
            g.statements()[0].statement.rule.clone()
        };
        assert_eq!(pick("r1", "r2"), pick("r2", "r1"));
        // Literal objects become shared literal nodes.
        let mut quote = stmt(xi, m, "a", (5, 9));
        quote.object = Object::Literal(Literal {
            value: "Wij zijn vrienden".into(),
            lang: Some("nl".into()),
        });
        quote.relation = "say".into();
        g.add_statement(quote).unwrap();
        assert_eq!(g.petgraph().node_count(), 3);
        assert_eq!(g.relations(), vec!["say", "visit"]);
    }
}
