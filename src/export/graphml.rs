//! GraphML for Gephi, yEd and Cytoscape: the same nodes and edges as DOT, with typed attributes
//! declared as `<key>`s. XML 1.0 cannot carry most control characters even as references, so
//! those become U+FFFD.

use super::rdf::decimal;
use super::Iris;
use crate::graph::{KnowledgeGraph, Object};
use std::collections::BTreeMap;
use std::fmt::Write;

/// (id, for, name, type) of every attribute.
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("n_label", "node", "label", "string"),
    ("n_type", "node", "type", "string"),
    ("n_iri", "node", "iri", "string"),
    ("n_aliases", "node", "aliases", "string"),
    ("n_same_as", "node", "same_as", "string"),
    ("n_mentions", "node", "mentions", "int"),
    ("e_id", "edge", "id", "string"),
    ("e_iri", "edge", "iri", "string"),
    ("e_relation", "edge", "relation", "string"),
    ("e_relation_text", "edge", "relation_text", "string"),
    ("e_polarity", "edge", "polarity", "string"),
    ("e_modality", "edge", "modality", "string"),
    ("e_attributed_to", "edge", "attributed_to", "string"),
    ("e_time", "edge", "time", "string"),
    ("e_place", "edge", "place", "string"),
    ("e_confidence", "edge", "confidence", "double"),
    ("e_document", "edge", "document", "string"),
    ("e_sentence_index", "edge", "sentence_index", "int"),
    ("e_sentence", "edge", "sentence", "string"),
    ("e_span_start", "edge", "span_start", "long"),
    ("e_span_end", "edge", "span_end", "long"),
    ("e_rule", "edge", "rule", "string"),
];

/// XML character data / attribute value for `s`.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn data(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(
        out,
        "      <data key=\"{key}\">{}</data>",
        xml_escape(value)
    );
}

/// The graph as GraphML.
pub fn write(g: &KnowledgeGraph, iris: &Iris) -> Vec<u8> {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (id, on, name, ty) in KEYS {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
        );
    }
    out.push_str("  <graph id=\"kennis\" edgedefault=\"directed\">\n");
    let mut ids = BTreeMap::new();
    for (i, (id, e)) in g.entities().enumerate() {
        let name = format!("e{i}");
        let _ = writeln!(out, "    <node id=\"{name}\">");
        data(&mut out, "n_label", &e.label);
        data(&mut out, "n_type", e.kind.as_str());
        data(&mut out, "n_iri", &iris.entity(&e.slug));
        let aliases: Vec<&str> = e.aliases.iter().map(|a| a.text.as_str()).collect();
        data(&mut out, "n_aliases", &aliases.join(" | "));
        data(&mut out, "n_same_as", &e.same_as.join(" "));
        data(&mut out, "n_mentions", &e.mentions.to_string());
        out.push_str("    </node>\n");
        ids.insert(id, name);
    }
    let slug = |id| g.entity(id).map(|e| e.slug.clone()).unwrap_or_default();
    let mut literals: BTreeMap<(String, Option<String>), String> = BTreeMap::new();
    let statements = g.statements();
    // Literal nodes first (GraphML readers want nodes before the edges that use them).
    for edge in &statements {
        if let Object::Literal(l) = &edge.statement.object {
            let key = (l.value.clone(), l.lang.clone());
            if !literals.contains_key(&key) {
                let name = format!("l{}", literals.len());
                let _ = writeln!(out, "    <node id=\"{name}\">");
                data(&mut out, "n_label", &l.value);
                data(&mut out, "n_type", "Literal");
                out.push_str("    </node>\n");
                literals.insert(key, name);
            }
        }
    }
    for (i, edge) in statements.iter().enumerate() {
        let st = &edge.statement;
        let target = match &st.object {
            Object::Entity(e) => ids[e].clone(),
            Object::Literal(l) => literals[&(l.value.clone(), l.lang.clone())].clone(),
        };
        let _ = writeln!(
            out,
            "    <edge id=\"s{i}\" source=\"{}\" target=\"{target}\">",
            ids[&st.subject]
        );
        data(&mut out, "e_id", &edge.id);
        data(&mut out, "e_iri", &iris.statement(&edge.id));
        data(&mut out, "e_relation", &st.relation);
        data(&mut out, "e_relation_text", &st.relation_text);
        data(&mut out, "e_polarity", st.polarity.as_str());
        data(&mut out, "e_modality", st.modality.as_str());
        if let Some(a) = st.attributed_to {
            data(&mut out, "e_attributed_to", &slug(a));
        }
        if let Some(t) = &st.time {
            data(&mut out, "e_time", t);
        }
        if let Some(p) = st.place {
            data(&mut out, "e_place", &slug(p));
        }
        data(&mut out, "e_confidence", &decimal(st.confidence));
        data(&mut out, "e_document", &st.document);
        data(&mut out, "e_sentence_index", &st.sentence_index.to_string());
        data(&mut out, "e_sentence", &st.sentence);
        data(&mut out, "e_span_start", &st.span.0.to_string());
        data(&mut out, "e_span_end", &st.span.1.to_string());
        data(&mut out, "e_rule", &st.rule);
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::super::testdata::nasty_graph;
    use super::super::{Iris, DEFAULT_BASE};
    use super::*;

    #[test]
    fn graphml_is_deterministic_and_escaped() {
        let iris = Iris::new(DEFAULT_BASE).unwrap();
        let a = write(&nasty_graph(false), &iris);
        assert_eq!(a, write(&nasty_graph(true), &iris));
        let s = String::from_utf8(a).unwrap();
        assert!(!s.contains('\u{7}'));
        assert!(s.contains("&lt;script&gt;"));
        assert_eq!(s.matches("<edge ").count(), 6);
        assert_eq!(s.matches("<node ").count(), 9);
        assert_eq!(
            xml_escape("a<b>&\"'\u{1}"),
            "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}"
        );
    }
}
