//! The kennis vocabulary: namespaces, and the ontology (`schema/kennis.ttl`) generated from the
//! relation lexicon so the two cannot drift apart.

use super::{rdf::serialize_sorted, Iris, DEFAULT_BASE};
use crate::lexicon::{Lexicon, ObjectKind, Relation};
use oxrdf::vocab::{rdf, rdfs};
use oxrdf::{Literal, NamedNode, Quad, Term};

/// The kennis vocabulary namespace (classes and `kn:` properties). It does not move with
/// `--base`, so the ontology and the SHACL shapes apply to every output.
pub const KN: &str = "https://kennis.example/ns#";
/// The ontology's own IRI.
pub const ONTOLOGY: &str = "https://kennis.example/ns";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const OA: &str = "http://www.w3.org/ns/oa#";
pub const SCHEMA: &str = "https://schema.org/";
pub const SH: &str = "http://www.w3.org/ns/shacl#";
/// The concept scheme the CAMEO notations belong to.
pub const CAMEO_DATATYPE: &str = "https://kennis.example/ns#CAMEO";

pub fn kn(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{KN}{local}"))
}

pub fn ns(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// The standard prefixes every Turtle-family output declares.
pub fn standard_prefixes() -> Vec<(&'static str, String)> {
    vec![
        ("rdf", RDF.into()),
        ("rdfs", RDFS.into()),
        ("owl", OWL.into()),
        ("xsd", XSD.into()),
        ("skos", SKOS.into()),
        ("prov", PROV.into()),
        ("oa", OA.into()),
        ("schema", SCHEMA.into()),
        ("kn", KN.into()),
    ]
}

fn lit_en(s: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(s, "en").into()
}

fn lit_nl(s: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(s, "nl").into()
}

/// Triples describing one relation: its property typing, labels, definition and matches. Used
/// by the ontology and, for the relations in use, by every RDF output.
pub fn relation_triples(rel: &Relation, iris: &Iris, out: &mut Vec<(NamedNode, NamedNode, Term)>) {
    let p = NamedNode::new_unchecked(iris.relation(&rel.name));
    let mut add = |pred: NamedNode, obj: Term| out.push((p.clone(), pred, obj));
    add(rdf::TYPE.into(), rdf::PROPERTY.into_owned().into());
    match rel.object {
        ObjectKind::Entity => add(rdf::TYPE.into(), ns(OWL, "ObjectProperty").into()),
        ObjectKind::Literal => add(rdf::TYPE.into(), ns(OWL, "DatatypeProperty").into()),
        ObjectKind::Any => {}
    }
    add(rdf::TYPE.into(), ns(SKOS, "Concept").into());
    add(
        ns(SKOS, "inScheme"),
        NamedNode::new_unchecked(ONTOLOGY).into(),
    );
    add(
        rdfs::IS_DEFINED_BY.into(),
        NamedNode::new_unchecked(ONTOLOGY).into(),
    );
    add(rdfs::LABEL.into(), lit_en(&rel.label_en));
    add(rdfs::LABEL.into(), lit_nl(&rel.label_nl));
    add(ns(SKOS, "prefLabel"), lit_en(&rel.label_en));
    add(ns(SKOS, "prefLabel"), lit_nl(&rel.label_nl));
    add(ns(SKOS, "definition"), lit_en(&rel.definition));
    if let Some(code) = &rel.cameo {
        add(
            ns(SKOS, "notation"),
            Literal::new_typed_literal(code, NamedNode::new_unchecked(CAMEO_DATATYPE)).into(),
        );
    }
    if let Some(w) = &rel.wikidata {
        let pred = if w.exact { "exactMatch" } else { "closeMatch" };
        add(ns(SKOS, pred), NamedNode::new_unchecked(w.iri()).into());
    }
    for (lang, lemmas) in [("en", &rel.lemmas_en), ("nl", &rel.lemmas_nl)] {
        for l in lemmas {
            add(
                kn("lemma"),
                Literal::new_language_tagged_literal_unchecked(l, lang).into(),
            );
        }
    }
    for (lang, phrases) in [("en", &rel.light_en), ("nl", &rel.light_nl)] {
        for l in phrases {
            add(
                ns(SKOS, "hiddenLabel"),
                Literal::new_language_tagged_literal_unchecked(l, lang).into(),
            );
        }
    }
    if iris.base() != DEFAULT_BASE {
        // Outputs under another base still point at the shared ontology's terms.
        let shared = Iris::new(DEFAULT_BASE).expect("the default base is valid");
        add(
            ns(OWL, "equivalentProperty"),
            NamedNode::new_unchecked(shared.relation(&rel.name)).into(),
        );
    }
}

/// (local name, kind, label, comment, domain, range) of each kn: term.
type TermDef = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const TERMS: &[TermDef] = &[
    ("Entity", "Class", "entity", "Something the news is about: a person, place, organisation, event or other thing. Also typed with its schema.org class.", None, None),
    ("Statement", "Class", "statement", "A claim one article makes: subject, relation, object, with polarity, modality, attribution and provenance.", None, None),
    ("Polarity", "Class", "polarity", "Whether a statement is affirmed or denied.", None, None),
    ("Modality", "Class", "modality", "How a statement is put: as fact, as plan, as possibility or as someone's report.", None, None),
    ("CAMEO", "Datatype", "CAMEO code", "A CAMEO event code (Conflict and Mediation Event Observations), e.g. 042 for make a visit.", None, None),
    ("relationText", "DatatypeProperty", "relation text", "The words that express the relation, as they stand in the text.", Some("Statement"), Some("xsd:string")),
    ("polarity", "ObjectProperty", "polarity", "kn:Positive or kn:Negated.", Some("Statement"), Some("Polarity")),
    ("modality", "ObjectProperty", "modality", "kn:Asserted, kn:Planned, kn:Possible or kn:Reported.", Some("Statement"), Some("Modality")),
    ("attributedTo", "ObjectProperty", "attributed to", "Who said or reported the statement (volgens Ria Novosti, dat meldt de Wall Street Journal).", Some("Statement"), Some("Entity")),
    ("time", "DatatypeProperty", "time", "When the statement holds, as the sentence gives it.", Some("Statement"), Some("xsd:string")),
    ("place", "ObjectProperty", "place", "Where the statement holds, as the sentence gives it.", Some("Statement"), Some("Entity")),
    ("confidence", "DatatypeProperty", "confidence", "How sure the extractor is, a decimal in [0, 1].", Some("Statement"), Some("xsd:decimal")),
    ("rule", "DatatypeProperty", "rule", "The extraction rule that fired.", Some("Statement"), Some("xsd:string")),
    ("evidence", "ObjectProperty", "evidence", "The text the statement was read from, as a Web Annotation specific resource with a text position selector.", Some("Statement"), Some("oa:SpecificResource")),
    ("sentence", "DatatypeProperty", "sentence", "The text of the sentence that holds the evidence.", None, Some("xsd:string")),
    ("sentenceIndex", "DatatypeProperty", "sentence index", "The index of the sentence in its article, from 0.", None, Some("xsd:nonNegativeInteger")),
    ("mentions", "DatatypeProperty", "mentions", "How many mentions were resolved to the entity.", Some("Entity"), Some("xsd:nonNegativeInteger")),
    ("mergeNote", "DatatypeProperty", "merge note", "Why mentions or entities were merged into this entity.", Some("Entity"), Some("xsd:string")),
    ("source", "DatatypeProperty", "source", "Where the article was read from (a path, - for stdin).", None, Some("xsd:string")),
    ("sentenceCount", "DatatypeProperty", "sentence count", "How many sentences the article has.", None, Some("xsd:nonNegativeInteger")),
    ("lemma", "DatatypeProperty", "lemma", "A verb lemma that expresses the relation (Dutch separable verbs as particle_stem).", None, None),
    ("openRelation", "DatatypeProperty", "open relation", "True for a relation named after a verb outside the lexicon.", None, Some("xsd:boolean")),
];

/// The individuals of kn:Polarity and kn:Modality.
const INDIVIDUALS: &[(&str, &str, &str, &str)] = &[
    ("Positive", "Polarity", "positive", "positief"),
    ("Negated", "Polarity", "negated", "ontkend"),
    ("Asserted", "Modality", "asserted", "beweerd"),
    ("Planned", "Modality", "planned", "gepland"),
    ("Possible", "Modality", "possible", "mogelijk"),
    ("Reported", "Modality", "reported", "gemeld"),
];

fn curie(s: &str) -> NamedNode {
    match s.split_once(':') {
        Some(("xsd", l)) => ns(XSD, l),
        Some(("oa", l)) => ns(OA, l),
        _ => kn(s),
    }
}

/// The ontology's triples: the kn: classes and properties, and every lexicon relation.
pub fn ontology_triples(lexicon: &Lexicon) -> Vec<(NamedNode, NamedNode, Term)> {
    let iris = Iris::new(DEFAULT_BASE).expect("the default base is valid");
    let mut out: Vec<(NamedNode, NamedNode, Term)> = Vec::new();
    let onto = NamedNode::new_unchecked(ONTOLOGY);
    let typ: NamedNode = rdf::TYPE.into();
    out.push((onto.clone(), typ.clone(), ns(OWL, "Ontology").into()));
    out.push((onto.clone(), typ.clone(), ns(SKOS, "ConceptScheme").into()));
    out.push((
        onto.clone(),
        rdfs::LABEL.into(),
        lit_en("kennis vocabulary"),
    ));
    out.push((
        onto.clone(),
        rdfs::COMMENT.into(),
        lit_en("Classes, properties and relations of the knowledge graphs kennis builds from news articles. Generated from schema/relations.tsv; do not edit by hand."),
    ));
    for (local, kind, label, comment, domain, range) in TERMS {
        let s = kn(local);
        let class = match *kind {
            "Class" => ns(OWL, "Class"),
            "Datatype" => rdfs::DATATYPE.into(),
            k => ns(OWL, k),
        };
        out.push((s.clone(), typ.clone(), class.into()));
        out.push((s.clone(), rdfs::LABEL.into(), lit_en(label)));
        out.push((s.clone(), rdfs::COMMENT.into(), lit_en(comment)));
        out.push((s.clone(), rdfs::IS_DEFINED_BY.into(), onto.clone().into()));
        if let Some(d) = domain {
            out.push((s.clone(), rdfs::DOMAIN.into(), curie(d).into()));
        }
        if let Some(r) = range {
            out.push((s.clone(), rdfs::RANGE.into(), curie(r).into()));
        }
    }
    out.push((
        kn("Statement"),
        rdfs::SUB_CLASS_OF.into(),
        ns(PROV, "Entity").into(),
    ));
    out.push((
        kn("Entity"),
        rdfs::SUB_CLASS_OF.into(),
        ns(SCHEMA, "Thing").into(),
    ));
    out.push((
        kn("attributedTo"),
        rdfs::SUB_PROPERTY_OF.into(),
        ns(PROV, "wasAttributedTo").into(),
    ));
    for (local, class, en, nl) in INDIVIDUALS {
        let s = kn(local);
        out.push((s.clone(), typ.clone(), kn(class).into()));
        out.push((s.clone(), typ.clone(), ns(OWL, "NamedIndividual").into()));
        out.push((s.clone(), rdfs::LABEL.into(), lit_en(en)));
        out.push((s.clone(), rdfs::LABEL.into(), lit_nl(nl)));
        out.push((s.clone(), rdfs::IS_DEFINED_BY.into(), onto.clone().into()));
    }
    for rel in lexicon.relations() {
        relation_triples(rel, &iris, &mut out);
    }
    out
}

/// `schema/kennis.ttl` as kennis generates it.
pub fn ontology_turtle(lexicon: &Lexicon) -> Vec<u8> {
    let quads: Vec<Quad> = ontology_triples(lexicon)
        .into_iter()
        .map(|(s, p, o)| Quad::new(s, p, o, oxrdf::GraphName::DefaultGraph))
        .collect();
    let iris = Iris::new(DEFAULT_BASE).expect("the default base is valid");
    let mut prefixes = standard_prefixes();
    prefixes.push(("kr", iris.rel_ns()));
    prefixes.push(("wd", "http://www.wikidata.org/entity/".into()));
    let mut header = b"# The kennis ontology. GENERATED from schema/relations.tsv by\n# kennis::export::vocab::ontology_turtle; a test checks this file equals the generated one\n# (KENNIS_BLESS=1 cargo test --release ontology rewrites it).\n".to_vec();
    header.extend(
        serialize_sorted(quads, oxrdfio::RdfFormat::Turtle, &prefixes)
            .expect("the ontology uses only valid IRIs and prefixes"),
    );
    header
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn committed_ontology_equals_the_generated_one() {
        let generated = ontology_turtle(Lexicon::builtin());
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/kennis.ttl");
        if std::env::var_os("KENNIS_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "schema/kennis.ttl is stale: run `KENNIS_BLESS=1 cargo test --release ontology`"
        );
    }

    #[test]
    fn ontology_defines_every_relation_with_both_labels() {
        let triples = ontology_triples(Lexicon::builtin());
        let iris = Iris::new(DEFAULT_BASE).unwrap();
        for rel in Lexicon::builtin().relations() {
            let p = NamedNode::new_unchecked(iris.relation(&rel.name));
            let pref: Vec<&Term> = triples
                .iter()
                .filter(|(s, pr, _)| *s == p && pr.as_str() == format!("{SKOS}prefLabel"))
                .map(|(_, _, o)| o)
                .collect();
            assert_eq!(pref.len(), 2, "{}", rel.name);
        }
        let parsed = oxrdfio::RdfParser::from_format(oxrdfio::RdfFormat::Turtle)
            .for_slice(&ontology_turtle(Lexicon::builtin()))
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let mut want: Vec<String> = triples
            .iter()
            .map(|(s, p, o)| oxrdf::Triple::new(s.clone(), p.clone(), o.clone()).to_string())
            .collect();
        want.sort();
        want.dedup();
        let mut got: Vec<String> = parsed.iter().map(|q| q.to_string()).collect();
        got.sort();
        assert_eq!(got, want);
    }
}
