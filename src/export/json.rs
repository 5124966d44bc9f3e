//! The JSON output (`-f json`), in the shape DESIGN.md fixes; `schema/kennis-output.schema.json`
//! is its JSON Schema. Fields may be added, never removed or renamed. Added so far: `iri` on
//! documents, entities and statements, `label_language`, `aliases_with_language`, `merges` on
//! entities, `relation_iri` on statements, `object_literal_language`.

use super::Iris;
use crate::graph::{Edge, Entity, KnowledgeGraph, Object};
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    documents: Vec<Document<'a>>,
    entities: Vec<EntityOut<'a>>,
    statements: Vec<StatementOut<'a>>,
}

#[derive(Serialize)]
struct Document<'a> {
    id: &'a str,
    iri: String,
    source: &'a str,
    url: Option<&'a str>,
    title: Option<&'a str>,
    date: Option<&'a str>,
    language: &'a str,
    sentences: usize,
}

#[derive(Serialize)]
struct AliasOut<'a> {
    text: &'a str,
    language: Option<&'a str>,
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: &'a str,
    iri: String,
    label: &'a str,
    label_language: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    aliases: Vec<&'a str>,
    aliases_with_language: Vec<AliasOut<'a>>,
    same_as: &'a [String],
    mentions: u32,
    merges: &'a [String],
}

#[derive(Serialize)]
struct StatementOut<'a> {
    id: &'a str,
    iri: String,
    subject: &'a str,
    relation: &'a str,
    relation_iri: String,
    relation_text: &'a str,
    object: Option<&'a str>,
    object_literal: Option<&'a str>,
    object_literal_language: Option<&'a str>,
    polarity: &'static str,
    modality: &'static str,
    attributed_to: Option<&'a str>,
    time: Option<&'a str>,
    place: Option<&'a str>,
    confidence: f32,
    document: &'a str,
    sentence_index: usize,
    sentence: &'a str,
    span: [usize; 2],
    rule: &'a str,
}

fn entity_out<'a>(e: &'a Entity, iris: &Iris) -> EntityOut<'a> {
    // `aliases` keeps the contract's plain list: distinct names, sorted.
    let mut names: Vec<&str> = e.aliases.iter().map(|a| a.text.as_str()).collect();
    names.dedup();
    names.retain(|n| *n != e.label);
    EntityOut {
        id: &e.slug,
        iri: iris.entity(&e.slug),
        label: &e.label,
        label_language: e.label_lang.as_deref(),
        kind: e.kind.as_str(),
        aliases: names,
        aliases_with_language: e
            .aliases
            .iter()
            .map(|a| AliasOut {
                text: &a.text,
                language: a.lang.as_deref(),
            })
            .collect(),
        same_as: &e.same_as,
        mentions: e.mentions,
        merges: &e.merges,
    }
}

fn statement_out<'a>(g: &'a KnowledgeGraph, edge: &'a Edge, iris: &Iris) -> StatementOut<'a> {
    let st = &edge.statement;
    let slug = |id| g.entity(id).map(|e| e.slug.as_str()).unwrap_or("");
    let (object, literal, literal_lang) = match &st.object {
        Object::Entity(e) => (Some(slug(*e)), None, None),
        Object::Literal(l) => (None, Some(l.value.as_str()), l.lang.as_deref()),
    };
    StatementOut {
        id: &edge.id,
        iri: iris.statement(&edge.id),
        subject: slug(st.subject),
        relation: &st.relation,
        relation_iri: iris.relation(&st.relation),
        relation_text: &st.relation_text,
        object,
        object_literal: literal,
        object_literal_language: literal_lang,
        polarity: st.polarity.as_str(),
        modality: st.modality.as_str(),
        attributed_to: st.attributed_to.map(slug),
        time: st.time.as_deref(),
        place: st.place.map(slug),
        confidence: st.confidence,
        document: &st.document,
        sentence_index: st.sentence_index,
        sentence: &st.sentence,
        span: [st.span.0, st.span.1],
        rule: &st.rule,
    }
}

/// Pretty-printed JSON, ending in a newline.
pub fn write(g: &KnowledgeGraph, iris: &Iris) -> Vec<u8> {
    let out = Output {
        documents: g
            .documents()
            .map(|d| Document {
                id: &d.id,
                iri: iris.document(d),
                source: &d.source,
                url: d.url.as_deref(),
                title: d.title.as_deref(),
                date: d.date.as_deref(),
                language: &d.language,
                sentences: d.sentences,
            })
            .collect(),
        entities: g.entities().map(|(_, e)| entity_out(e, iris)).collect(),
        statements: g
            .statements()
            .into_iter()
            .map(|e| statement_out(g, e, iris))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&out).expect("serialising plain structs cannot fail");
    bytes.push(b'\n');
    bytes
}

/// One line of `-f jsonl`: a statement with the labels and types of the entities it names, so
/// each line stands on its own in a stream.
#[derive(Serialize)]
struct StatementLine<'a> {
    #[serde(flatten)]
    statement: StatementOut<'a>,
    subject_label: &'a str,
    subject_type: &'static str,
    object_label: Option<&'a str>,
    object_type: Option<&'static str>,
    attributed_to_label: Option<&'a str>,
    place_label: Option<&'a str>,
}

/// JSON Lines: one statement a line (sorted by id, as in `-f json`), each self-contained.
pub fn write_lines(g: &KnowledgeGraph, iris: &Iris) -> Vec<u8> {
    let mut out = Vec::new();
    for edge in g.statements() {
        let st = &edge.statement;
        let entity = |id| g.entity(id);
        let (object_label, object_type) = match &st.object {
            Object::Entity(e) => (
                entity(*e).map(|e| e.label.as_str()),
                entity(*e).map(|e| e.kind.as_str()),
            ),
            Object::Literal(_) => (None, None),
        };
        let line = StatementLine {
            statement: statement_out(g, edge, iris),
            subject_label: entity(st.subject).map_or("", |e| e.label.as_str()),
            subject_type: entity(st.subject).map_or("Other", |e| e.kind.as_str()),
            object_label,
            object_type,
            attributed_to_label: st.attributed_to.and_then(entity).map(|e| e.label.as_str()),
            place_label: st.place.and_then(entity).map(|e| e.label.as_str()),
        };
        serde_json::to_writer(&mut out, &line).expect("serialising plain structs cannot fail");
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testdata::nasty_graph;
    use super::super::{write as export, ExportOptions, OutputFormat};
    use serde_json::Value;

    fn json(reversed: bool) -> Vec<u8> {
        export(
            &nasty_graph(reversed),
            OutputFormat::Json,
            &ExportOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn merging_graphs_is_order_independent() {
        use crate::export::testdata::random_graph;
        let parts = || (random_graph(7, 20), random_graph(8, 20), nasty_graph(false));
        let (a, b, c) = parts();
        let mut abc = a;
        abc.extend(b).unwrap();
        abc.extend(c).unwrap();
        let (a, b, c) = parts();
        let mut cba = c;
        cba.extend(b).unwrap();
        cba.extend(a).unwrap();
        let opts = ExportOptions::default();
        for format in [OutputFormat::Json, OutputFormat::Turtle, OutputFormat::Dot] {
            assert_eq!(
                export(&abc, format, &opts).unwrap(),
                export(&cba, format, &opts).unwrap(),
                "{format}"
            );
        }
        let (a, b, c) = parts();
        assert_eq!(
            abc.statement_count(),
            a.statement_count() + b.statement_count() + c.statement_count()
        );
    }

    #[test]
    fn json_has_the_contract_fields_and_is_deterministic() {
        let bytes = json(false);
        assert_eq!(bytes, json(false));
        assert_eq!(bytes, json(true), "insertion order changed the JSON");
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        let docs = v["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 2);
        for key in [
            "id",
            "source",
            "url",
            "title",
            "date",
            "language",
            "sentences",
        ] {
            assert!(docs[0].get(key).is_some(), "document lacks {key}");
        }
        let ents = v["entities"].as_array().unwrap();
        for key in ["id", "label", "type", "aliases", "same_as", "mentions"] {
            assert!(ents[0].get(key).is_some(), "entity lacks {key}");
        }
        let xi = ents.iter().find(|e| e["label"] == "Xi Jinping").unwrap();
        assert_eq!(xi["type"], "Person");
        assert_eq!(xi["aliases"], serde_json::json!(["Xi", "习近平"]));
        assert_eq!(xi["mentions"], 3);
        let moskou = ents.iter().find(|e| e["label"] == "Moskou").unwrap();
        assert_eq!(
            moskou["same_as"],
            serde_json::json!(["https://sws.geonames.org/524901/"])
        );
        let sts = v["statements"].as_array().unwrap();
        assert_eq!(sts.len(), 6);
        let visit = sts.iter().find(|s| s["relation"] == "visit").unwrap();
        for key in [
            "id",
            "subject",
            "relation",
            "relation_text",
            "object",
            "object_literal",
            "polarity",
            "modality",
            "attributed_to",
            "time",
            "place",
            "confidence",
            "document",
            "sentence_index",
            "sentence",
            "span",
            "rule",
        ] {
            assert!(visit.get(key).is_some(), "statement lacks {key}");
        }
        assert_eq!(visit["subject"], xi["id"]);
        assert_eq!(visit["object"], moskou["id"]);
        assert_eq!(visit["modality"], "planned");
        assert_eq!(visit["confidence"], 0.8);
        assert_eq!(visit["span"], serde_json::json!([0, 70]));
        let say = sts.iter().find(|s| s["relation"] == "say").unwrap();
        assert_eq!(say["object"], Value::Null);
        assert!(say["object_literal"]
            .as_str()
            .unwrap()
            .contains("\"vrienden\""));
        // Every reference resolves.
        let ids: Vec<&Value> = ents.iter().map(|e| &e["id"]).collect();
        let doc_ids: Vec<&Value> = docs.iter().map(|d| &d["id"]).collect();
        for s in sts {
            assert!(ids.contains(&&s["subject"]));
            for k in ["object", "attributed_to", "place"] {
                assert!(s[k].is_null() || ids.contains(&&s[k]), "{k} dangling");
            }
            assert!(doc_ids.contains(&&s["document"]));
        }
    }
}
