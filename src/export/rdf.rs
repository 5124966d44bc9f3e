//! RDF output through oxrdf + oxrdfio: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD.
//!
//! Shape (DESIGN.md, "RDF"):
//! - fact layer: `<subject> kr:<relation> <object>` for each positive, asserted statement;
//! - statement layer: `stmt:<hash> a rdf:Statement, kn:Statement` with `rdf:subject`,
//!   `rdf:predicate`, `rdf:object` (or, with [`Provenance::Rdf12`], `rdf:reifies <<( s p o )>>`),
//!   `kn:polarity`, `kn:modality`, `kn:attributedTo`, `kn:time`, `kn:place`, `kn:confidence`
//!   (xsd:decimal), `kn:relationText`, `kn:rule`, `prov:wasDerivedFrom` the article, and
//!   `kn:evidence <stmt:<hash>#evidence>`, an `oa:SpecificResource` whose
//!   `oa:hasSelector <…#position>` is an `oa:TextPositionSelector` with `oa:start`/`oa:end`
//!   (code points), carrying the sentence text (`kn:sentence`) and index;
//! - entities (`kn:Entity` + `schema:Person`/`Place`/`Organization`/`Event`/`Thing`, `rdfs:label`,
//!   `skos:altLabel`, `owl:sameAs`), articles (`schema:NewsArticle`) and the used relations'
//!   definitions sit in the default graph; in datasets each article's statements go in a named
//!   graph named by the article's IRI.
//!
//! Quads are collected, sorted and de-duplicated before serialising, so output is deterministic.

use super::vocab::{self, kn, ns, OA, OWL, PROV, SCHEMA, SKOS};
use super::{Iris, OutputFormat, Provenance};
use crate::error::{Error, Result};
use crate::graph::{DocumentInfo, Entity, EntityKind, KnowledgeGraph, Modality, Object, Polarity};
use crate::lexicon::Lexicon;
use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxrdfio::{RdfFormat, RdfSerializer};

pub(crate) fn oxformat(format: OutputFormat) -> Option<RdfFormat> {
    Some(match format {
        OutputFormat::Turtle => RdfFormat::Turtle,
        OutputFormat::NTriples => RdfFormat::NTriples,
        OutputFormat::NQuads => RdfFormat::NQuads,
        OutputFormat::TriG => RdfFormat::TriG,
        OutputFormat::RdfXml => RdfFormat::RdfXml,
        OutputFormat::JsonLd => RdfFormat::JsonLd {
            profile: oxjsonld_profile(),
        },
        _ => return None,
    })
}

fn oxjsonld_profile() -> oxrdfio::JsonLdProfileSet {
    oxrdfio::JsonLdProfileSet::empty()
}

/// Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …) mean nothing in text and some
/// RDF parsers (raptor) reject them, so literals carry U+FFFD instead.
fn no_nonchars(value: &str) -> std::borrow::Cow<'_, str> {
    let nonchar = |c: char| {
        let u = c as u32;
        (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
    };
    if value.contains(nonchar) {
        value
            .chars()
            .map(|c| if nonchar(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        value.into()
    }
}

/// A literal with a language tag when the tag is valid, else a plain string.
fn text(value: &str, lang: Option<&str>) -> Term {
    let value = &*no_nonchars(value);
    match lang {
        Some(l) if !l.is_empty() => Literal::new_language_tagged_literal(value, l)
            .unwrap_or_else(|_| Literal::new_simple_literal(value)),
        _ => Literal::new_simple_literal(value),
    }
    .into()
}

fn plain(value: &str) -> Term {
    Literal::new_simple_literal(no_nonchars(value)).into()
}

fn count(n: usize) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::NON_NEGATIVE_INTEGER).into()
}

/// A confidence as an xsd:decimal with at most 3 decimals ("0.8", "1.0", "0.123").
pub fn decimal(x: f32) -> String {
    let x = if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut s = format!("{:.3}", x);
    while s.ends_with('0') && !s.ends_with(".0") {
        s.pop();
    }
    s
}

/// `2023` → xsd:gYear, `2023-02` → xsd:gYearMonth, `2023-02-14` → xsd:date, else a string.
fn date(value: &str) -> Term {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let in_range =
        |s: &str, lo: u32, hi: u32| s.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v));
    let parts: Vec<&str> = value.split('-').collect();
    let typed = match parts.as_slice() {
        [y] if digits(y, 4) => Some(xsd::G_YEAR),
        [y, m] if digits(y, 4) && digits(m, 2) && in_range(m, 1, 12) => Some(xsd::G_YEAR_MONTH),
        [y, m, d]
            if digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && in_range(m, 1, 12)
                && in_range(d, 1, 31) =>
        {
            Some(xsd::DATE)
        }
        _ => None,
    };
    match typed {
        Some(dt) => Literal::new_typed_literal(value, dt).into(),
        None => plain(value),
    }
}

fn entity_class(kind: EntityKind) -> NamedNode {
    ns(
        SCHEMA,
        match kind {
            EntityKind::Person => "Person",
            EntityKind::Place => "Place",
            EntityKind::Organization => "Organization",
            EntityKind::Event => "Event",
            EntityKind::Other => "Thing",
        },
    )
}

struct Builder<'a> {
    quads: Vec<Quad>,
    iris: &'a Iris,
}

impl Builder<'_> {
    fn add(
        &mut self,
        s: impl Into<NamedOrBlankNode>,
        p: impl Into<NamedNode>,
        o: impl Into<Term>,
        g: &GraphName,
    ) {
        self.quads.push(Quad::new(s, p.into(), o, g.clone()));
    }

    fn iri(s: String) -> NamedNode {
        // Every IRI kennis mints is built from a checked base and encoded parts.
        NamedNode::new_unchecked(s)
    }

    fn entity(&mut self, e: &Entity) {
        let s = Self::iri(self.iris.entity(&e.slug));
        let g = GraphName::DefaultGraph;
        self.add(s.clone(), rdf::TYPE, kn("Entity"), &g);
        self.add(s.clone(), rdf::TYPE, entity_class(e.kind), &g);
        self.add(
            s.clone(),
            rdfs::LABEL,
            text(&e.label, e.label_lang.as_deref()),
            &g,
        );
        for a in &e.aliases {
            self.add(
                s.clone(),
                ns(SKOS, "altLabel"),
                text(&a.text, a.lang.as_deref()),
                &g,
            );
        }
        for iri in &e.same_as {
            match NamedNode::new(iri.as_str()) {
                Ok(o) => self.add(s.clone(), ns(OWL, "sameAs"), o, &g),
                // A malformed link is kept as text rather than dropped or emitted invalid.
                Err(_) => self.add(s.clone(), rdfs::SEE_ALSO, plain(iri), &g),
            }
        }
        self.add(s.clone(), kn("mentions"), count(e.mentions as usize), &g);
        for m in &e.merges {
            self.add(s.clone(), kn("mergeNote"), plain(m), &g);
        }
    }

    fn document(&mut self, d: &DocumentInfo) {
        let s = Self::iri(self.iris.document(d));
        let g = GraphName::DefaultGraph;
        self.add(s.clone(), rdf::TYPE, ns(SCHEMA, "NewsArticle"), &g);
        self.add(s.clone(), ns(SCHEMA, "identifier"), plain(&d.id), &g);
        if let Some(url) = &d.url {
            match NamedNode::new(url.trim()) {
                Ok(u) => self.add(s.clone(), ns(SCHEMA, "url"), u, &g),
                Err(_) => self.add(s.clone(), ns(SCHEMA, "url"), plain(url), &g),
            }
        }
        if let Some(t) = &d.title {
            self.add(
                s.clone(),
                ns(SCHEMA, "headline"),
                text(t, Some(&d.language)),
                &g,
            );
        }
        if let Some(date_text) = &d.date {
            self.add(s.clone(), ns(SCHEMA, "datePublished"), date(date_text), &g);
        }
        if !d.language.is_empty() {
            self.add(s.clone(), ns(SCHEMA, "inLanguage"), plain(&d.language), &g);
        }
        self.add(s.clone(), kn("source"), plain(&d.source), &g);
        self.add(s, kn("sentenceCount"), count(d.sentences), &g);
    }
}

/// Builds all quads of the graph. `dataset` puts each article's statements in its named graph.
pub fn quads(g: &KnowledgeGraph, iris: &Iris, provenance: Provenance, dataset: bool) -> Vec<Quad> {
    let mut b = Builder {
        quads: Vec::new(),
        iris,
    };
    for d in g.documents() {
        b.document(d);
    }
    for (_, e) in g.entities() {
        b.entity(e);
    }
    // The definitions of the relations in use, so the output describes itself.
    let lexicon = Lexicon::builtin();
    let mut vocab_triples = Vec::new();
    for name in g.relations() {
        match lexicon.get(name) {
            Some(rel) => vocab::relation_triples(rel, iris, &mut vocab_triples),
            None => {
                let p = Builder::iri(iris.relation(name));
                vocab_triples.push((
                    p.clone(),
                    rdf::TYPE.into(),
                    rdf::PROPERTY.into_owned().into(),
                ));
                vocab_triples.push((p.clone(), rdfs::LABEL.into(), plain(name)));
                vocab_triples.push((
                    p,
                    kn("openRelation"),
                    Literal::new_typed_literal("true", xsd::BOOLEAN).into(),
                ));
            }
        }
    }
    for (s, p, o) in vocab_triples {
        b.add(s, p, o, &GraphName::DefaultGraph);
    }
    let entity_iri = |id| {
        let e = g
            .entity(id)
            .expect("statements refer to entities of their graph");
        Builder::iri(iris.entity(&e.slug))
    };
    for edge in g.statements() {
        let st = &edge.statement;
        let doc = g
            .document(&st.document)
            .expect("statements refer to documents of their graph");
        let doc_iri = Builder::iri(iris.document(doc));
        let graph = if dataset {
            GraphName::NamedNode(doc_iri.clone())
        } else {
            GraphName::DefaultGraph
        };
        let subject = entity_iri(st.subject);
        let predicate = Builder::iri(iris.relation(&st.relation));
        let object: Term = match &st.object {
            Object::Entity(e) => entity_iri(*e).into(),
            Object::Literal(l) => text(&l.value, l.lang.as_deref()),
        };
        if st.polarity == Polarity::Positive && st.modality == Modality::Asserted {
            b.add(subject.clone(), predicate.clone(), object.clone(), &graph);
        }
        let stmt_iri = iris.statement(&edge.id);
        let s = Builder::iri(stmt_iri.clone());
        b.add(s.clone(), rdf::TYPE, kn("Statement"), &graph);
        match provenance {
            Provenance::Rdf11 => {
                b.add(s.clone(), rdf::TYPE, rdf::STATEMENT, &graph);
                b.add(s.clone(), rdf::SUBJECT, subject, &graph);
                b.add(s.clone(), rdf::PREDICATE, predicate, &graph);
                b.add(s.clone(), rdf::OBJECT, object, &graph);
            }
            Provenance::Rdf12 => {
                let triple = Triple::new(subject, predicate, object);
                b.add(
                    s.clone(),
                    rdf::REIFIES,
                    Term::Triple(Box::new(triple)),
                    &graph,
                );
            }
        }
        b.add(
            s.clone(),
            kn("relationText"),
            plain(&st.relation_text),
            &graph,
        );
        let polarity = match st.polarity {
            Polarity::Positive => "Positive",
            Polarity::Negated => "Negated",
        };
        b.add(s.clone(), kn("polarity"), kn(polarity), &graph);
        let modality = match st.modality {
            Modality::Asserted => "Asserted",
            Modality::Planned => "Planned",
            Modality::Possible => "Possible",
            Modality::Reported => "Reported",
        };
        b.add(s.clone(), kn("modality"), kn(modality), &graph);
        if let Some(a) = st.attributed_to {
            b.add(s.clone(), kn("attributedTo"), entity_iri(a), &graph);
        }
        if let Some(t) = &st.time {
            b.add(s.clone(), kn("time"), plain(t), &graph);
        }
        if let Some(p) = st.place {
            b.add(s.clone(), kn("place"), entity_iri(p), &graph);
        }
        b.add(
            s.clone(),
            kn("confidence"),
            Literal::new_typed_literal(decimal(st.confidence), xsd::DECIMAL),
            &graph,
        );
        b.add(s.clone(), kn("rule"), plain(&st.rule), &graph);
        b.add(
            s.clone(),
            ns(PROV, "wasDerivedFrom"),
            doc_iri.clone(),
            &graph,
        );
        // A fragment of the statement's IRI, unless that IRI has one already (a `--base`
        // ending in `#`): an IRI holds one `#` at most.
        let sep = if stmt_iri.contains('#') { '-' } else { '#' };
        let evidence = Builder::iri(format!("{stmt_iri}{sep}evidence"));
        let position = Builder::iri(format!("{stmt_iri}{sep}position"));
        b.add(s, kn("evidence"), evidence.clone(), &graph);
        b.add(
            evidence.clone(),
            rdf::TYPE,
            ns(OA, "SpecificResource"),
            &graph,
        );
        b.add(evidence.clone(), ns(OA, "hasSource"), doc_iri, &graph);
        b.add(
            evidence.clone(),
            ns(OA, "hasSelector"),
            position.clone(),
            &graph,
        );
        b.add(
            evidence.clone(),
            kn("sentence"),
            plain(&st.sentence),
            &graph,
        );
        b.add(
            evidence,
            kn("sentenceIndex"),
            count(st.sentence_index),
            &graph,
        );
        b.add(
            position.clone(),
            rdf::TYPE,
            ns(OA, "TextPositionSelector"),
            &graph,
        );
        b.add(position.clone(), ns(OA, "start"), count(st.span.0), &graph);
        b.add(position, ns(OA, "end"), count(st.span.1), &graph);
    }
    b.quads
}

/// Sorts (default graph first, then by graph, subject, `rdf:type` first, predicate, object),
/// de-duplicates and serialises quads.
pub fn serialize_sorted(
    quads: Vec<Quad>,
    format: RdfFormat,
    prefixes: &[(&str, String)],
) -> std::io::Result<Vec<u8>> {
    type Key = (bool, String, String, bool, String, String);
    let mut keyed: Vec<(Key, Quad)> = quads
        .into_iter()
        .map(|q| {
            // Bare IRIs (no `<>`), so `stmt:x` sorts before `stmt:x#evidence`.
            let bare = |s: String| s.trim_start_matches('<').trim_end_matches('>').to_string();
            let key = (
                !q.graph_name.is_default_graph(),
                bare(q.graph_name.to_string()),
                bare(q.subject.to_string()),
                q.predicate != rdf::TYPE,
                q.predicate.to_string(),
                q.object.to_string(),
            );
            (key, q)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    let mut ser = RdfSerializer::from_format(format);
    for (name, iri) in prefixes {
        ser = ser
            .with_prefix(*name, iri.as_str())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    }
    let mut w = ser.for_writer(Vec::new());
    for (_, q) in &keyed {
        w.serialize_quad(q)?;
    }
    w.finish()
}

/// XML 1.0 cannot carry control characters other than tab, LF and CR, even as character
/// references, and XML parsers read a raw CR as LF. So in RDF/XML, literals get CR as LF and
/// the other control characters as U+FFFD; the other syntaxes keep every character.
pub fn xml_safe(quads: Vec<Quad>) -> Vec<Quad> {
    quads
        .into_iter()
        .map(|q| {
            Quad::new(
                q.subject,
                q.predicate,
                xml_safe_term(q.object),
                q.graph_name,
            )
        })
        .collect()
}

fn xml_safe_term(t: Term) -> Term {
    let bad = |c: char| (c < ' ' && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}';
    match t {
        Term::Literal(l) if l.value().contains(bad) => {
            let v: String = l
                .value()
                .replace("\r\n", "\n")
                .chars()
                .map(|c| match c {
                    '\r' => '\n',
                    c if bad(c) => '\u{FFFD}',
                    c => c,
                })
                .collect();
            match l.language() {
                Some(lang) => Literal::new_language_tagged_literal_unchecked(v, lang).into(),
                None => Literal::new_typed_literal(v, l.datatype().into_owned()).into(),
            }
        }
        Term::Triple(t) => {
            let t = *t;
            Term::Triple(Box::new(Triple::new(
                t.subject,
                t.predicate,
                xml_safe_term(t.object),
            )))
        }
        other => other,
    }
}

/// Writes the graph in an RDF format.
pub fn write(
    g: &KnowledgeGraph,
    format: OutputFormat,
    provenance: Provenance,
    iris: &Iris,
) -> Result<Vec<u8>> {
    let ox =
        oxformat(format).ok_or_else(|| Error::Usage(format!("{format} is not an RDF format")))?;
    if provenance == Provenance::Rdf12 && format == OutputFormat::JsonLd {
        return Err(Error::Usage(
            "JSON-LD cannot carry RDF 1.2 triple terms (--provenance rdf12): choose turtle, trig, \
             ntriples, nquads or rdfxml, or drop --provenance rdf12 for RDF 1.1 reification"
                .into(),
        ));
    }
    let mut quads = quads(g, iris, provenance, format.is_dataset());
    if format == OutputFormat::RdfXml {
        quads = xml_safe(quads);
    }
    serialize_sorted(quads, ox, &prefixes(iris))
        .map_err(|e| Error::Usage(format!("cannot write {format}: {e}")))
}

/// The prefixes kennis's RDF outputs declare: the standard vocabularies and `kn:`, plus `kr:`,
/// `ent:`, `stmt:` and `doc:` under the base. `kennis query` predeclares the same ones and
/// shortens IRIs with them.
pub fn prefixes(iris: &Iris) -> Vec<(&'static str, String)> {
    let mut prefixes = vocab::standard_prefixes();
    prefixes.push(("kr", iris.rel_ns()));
    prefixes.push(("ent", iris.entity_ns()));
    prefixes.push(("stmt", iris.stmt_ns()));
    prefixes.push(("doc", iris.doc_ns()));
    prefixes
}

#[cfg(test)]
mod tests {
    use super::super::testdata::nasty_graph;
    use super::super::{write as export, ExportOptions, OutputFormat, Provenance};
    use super::*;
    use oxrdfio::RdfParser;

    /// The RDF formats, as `OutputFormat` lists them.
    fn rdf_formats() -> impl Iterator<Item = OutputFormat> {
        OutputFormat::ALL.into_iter().filter(|f| f.is_rdf())
    }
    fn canonical(quads: &[Quad]) -> Vec<String> {
        let mut v: Vec<String> = quads.iter().map(|q| q.to_string()).collect();
        v.sort();
        v.dedup();
        v
    }

    fn parse(format: OutputFormat, bytes: &[u8]) -> Vec<Quad> {
        RdfParser::from_format(oxformat(format).unwrap())
            .for_slice(bytes)
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| {
                panic!(
                    "{format} does not parse back: {e}\n{}",
                    String::from_utf8_lossy(bytes)
                )
            })
    }

    #[test]
    fn every_format_round_trips_to_the_same_quads() {
        for g in [
            nasty_graph(false),
            super::super::testdata::extracted_graph(),
        ] {
            round_trip(&g);
        }
    }

    fn round_trip(g: &KnowledgeGraph) {
        let iris = Iris::new(super::super::DEFAULT_BASE).unwrap();
        for provenance in [Provenance::Rdf11, Provenance::Rdf12] {
            for format in rdf_formats() {
                if provenance == Provenance::Rdf12 && format == OutputFormat::JsonLd {
                    continue;
                }
                let opts = ExportOptions {
                    provenance,
                    ..Default::default()
                };
                let bytes = export(g, format, &opts).unwrap();
                let mut want = quads(g, &iris, provenance, format.is_dataset());
                if format == OutputFormat::RdfXml {
                    want = xml_safe(want);
                }
                let want = canonical(&want);
                let parsed = parse(format, &bytes);
                assert_eq!(
                    parsed.iter().all(|q| q.graph_name.is_default_graph()),
                    !format.is_dataset(),
                    "{format}"
                );
                let got = canonical(&parsed);
                assert_eq!(got, want, "{format} {provenance:?} changed on the way back");
            }
        }
    }

    #[test]
    fn random_nasty_graphs_round_trip_in_every_format() {
        for seed in 0..16 {
            round_trip(&super::super::testdata::random_graph(seed, 30));
        }
    }

    #[test]
    fn output_is_byte_identical_whatever_the_insertion_order() {
        for format in rdf_formats() {
            let a = export(&nasty_graph(false), format, &ExportOptions::default()).unwrap();
            let b = export(&nasty_graph(false), format, &ExportOptions::default()).unwrap();
            let c = export(&nasty_graph(true), format, &ExportOptions::default()).unwrap();
            assert!(a == b && a == c, "{format} is not deterministic");
        }
    }

    #[test]
    fn fact_layer_holds_only_positive_asserted_statements() {
        let g = nasty_graph(false);
        let iris = Iris::new(super::super::DEFAULT_BASE).unwrap();
        let qs = quads(&g, &iris, Provenance::Rdf11, true);
        let rel = |name: &str| iris.relation(name);
        let facts: Vec<&Quad> = qs
            .iter()
            .filter(|q| q.predicate.as_str().starts_with(&iris.rel_ns()))
            .collect();
        // meet (asserted, positive), located_in and the open relation: facts. visit (planned),
        // criticize (negated), say (reported): only in the statement layer.
        let names: Vec<&str> = facts.iter().map(|q| q.predicate.as_str()).collect();
        assert!(names.contains(&rel("meet").as_str()));
        assert!(names.contains(&rel("located_in").as_str()));
        for absent in ["visit", "criticize", "say"] {
            assert!(
                !names.contains(&rel(absent).as_str()),
                "{absent} asserted as fact"
            );
        }
        assert_eq!(facts.len(), 3);
        // Statement-layer resources live in the article's named graph; entities do not.
        let doc_graph = "https://nos.example/artikel/123?x=1&y=2";
        assert!(qs.iter().any(|q| q.predicate == rdf::SUBJECT
            && matches!(&q.graph_name, GraphName::NamedNode(n) if n.as_str() == doc_graph)));
        assert!(qs
            .iter()
            .filter(|q| q.subject.to_string().contains("/entity/")
                && !q.predicate.as_str().starts_with(&iris.rel_ns()))
            .all(|q| q.graph_name.is_default_graph()));
        // No blank nodes anywhere.
        assert!(qs.iter().all(|q| !q.to_string().contains("_:")));
        // Confidence is a decimal, 0.123456 rounds to 0.123.
        assert!(qs.iter().any(
            |q| q.object.to_string() == "\"0.123\"^^<http://www.w3.org/2001/XMLSchema#decimal>"
        ));
    }

    #[test]
    fn rdf12_in_jsonld_is_refused_clearly() {
        let opts = ExportOptions {
            provenance: Provenance::Rdf12,
            ..Default::default()
        };
        let e = export(&nasty_graph(false), OutputFormat::JsonLd, &opts)
            .unwrap_err()
            .to_string();
        assert!(e.contains("JSON-LD cannot carry RDF 1.2"), "{e}");
        let ttl =
            String::from_utf8(export(&nasty_graph(false), OutputFormat::Turtle, &opts).unwrap())
                .unwrap();
        assert!(ttl.contains("rdf:reifies <<("), "{ttl}");
        assert!(!ttl.contains("rdf:Statement"));
    }

    #[test]
    fn helpers_format_values() {
        assert_eq!(decimal(0.8), "0.8");
        assert_eq!(decimal(1.0), "1.0");
        assert_eq!(decimal(0.0), "0.0");
        assert_eq!(decimal(f32::NAN), "0.0");
        assert_eq!(
            date("2023-02").to_string(),
            "\"2023-02\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"
        );
        assert_eq!(date("2023-13").to_string(), "\"2023-13\"");
        assert_eq!(
            date("2023-02-14").to_string(),
            "\"2023-02-14\"^^<http://www.w3.org/2001/XMLSchema#date>"
        );
    }

    #[test]
    fn a_custom_base_moves_all_minted_iris() {
        let opts = ExportOptions {
            base: "http://example.org/kg#".into(),
            ..Default::default()
        };
        let nt =
            String::from_utf8(export(&nasty_graph(false), OutputFormat::NTriples, &opts).unwrap())
                .unwrap();
        assert!(nt.contains("<http://example.org/kg#entity/person-xi-jinping>"));
        assert!(!nt.contains("https://kennis.example/entity/"));
        assert!(nt.contains("owl#equivalentProperty> <https://kennis.example/rel/visit>"));
        // Every IRI holds one `#` at most (evidence resources included), so strict parsers
        // read it: parse it back with oxrdfio, which checks IRIs.
        for iri in nt
            .split('<')
            .filter_map(|t| t.split_once('>'))
            .map(|(i, _)| i)
        {
            assert!(iri.matches('#').count() <= 1, "{iri}");
        }
        parse(OutputFormat::NTriples, nt.as_bytes());
    }
}
