//! Graphviz DOT: one node per entity (shape and colour by type), one edge per statement
//! (label = relation; dashed when planned or possible, dotted when only reported, red with a
//! `tee` head and a `not` label when negated; tooltip = the sentence). Literal objects (quotes)
//! get a note-shaped node of their own.
//!
//! Everything the text can hold is escaped so `dot` renders without warnings: quotes and
//! backslashes are escaped, `&` becomes `&amp;` (Graphviz decodes entities in labels), newlines
//! become `\n`, other control characters become spaces, and labels are cut at a fixed length.

use crate::graph::{EntityKind, KnowledgeGraph, Modality, Object, Polarity};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Longest label, in characters; longer ones end in `...`.
const LABEL_MAX: usize = 60;
/// Longest tooltip, in characters.
const TOOLTIP_MAX: usize = 400;

/// A DOT double-quoted string holding `s`, cut to `max` characters.
pub fn quote(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let total = s.chars().count();
    let keep = if total > max {
        max.saturating_sub(3)
    } else {
        total
    };
    for c in s.chars().take(keep) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if total > max {
        out.push_str("...");
    }
    out.push('"');
    out
}

fn style(kind: EntityKind) -> (&'static str, &'static str) {
    match kind {
        EntityKind::Person => ("ellipse", "#a6cee3"),
        EntityKind::Place => ("house", "#b2df8a"),
        EntityKind::Organization => ("box", "#fdbf6f"),
        EntityKind::Event => ("diamond", "#cab2d6"),
        EntityKind::Other => ("octagon", "#dddddd"),
    }
}

/// The graph as DOT text.
pub fn write(g: &KnowledgeGraph) -> Vec<u8> {
    let mut out = String::new();
    out.push_str("digraph kennis {\n");
    out.push_str("  graph [charset=\"UTF-8\", rankdir=LR, overlap=false];\n");
    out.push_str("  node [style=filled];\n");
    let mut ids = BTreeMap::new();
    for (i, (id, e)) in g.entities().enumerate() {
        let name = format!("e{i}");
        let (shape, color) = style(e.kind);
        let tooltip = format!("{} ({})", e.label, e.kind);
        let _ = writeln!(
            out,
            "  {name} [label={}, shape={shape}, fillcolor=\"{color}\", tooltip={}];",
            quote(&e.label, LABEL_MAX),
            quote(&tooltip, TOOLTIP_MAX)
        );
        ids.insert(id, name);
    }
    let mut literals: BTreeMap<String, String> = BTreeMap::new();
    for edge in g.statements() {
        let st = &edge.statement;
        let target = match &st.object {
            Object::Entity(e) => ids[e].clone(),
            Object::Literal(l) => {
                let key = format!("{}\u{0}{}", l.value, l.lang.as_deref().unwrap_or(""));
                if let Some(name) = literals.get(&key) {
                    name.clone()
                } else {
                    let name = format!("l{}", literals.len());
                    let _ = writeln!(
                        out,
                        "  {name} [label={}, shape=note, fillcolor=\"#ffffff\", tooltip={}];",
                        quote(&l.value, LABEL_MAX),
                        quote(&l.value, TOOLTIP_MAX)
                    );
                    literals.insert(key, name.clone());
                    name
                }
            }
        };
        let mut attrs = Vec::new();
        let label = match st.polarity {
            Polarity::Positive => st.relation.clone(),
            Polarity::Negated => format!("not {}", st.relation),
        };
        attrs.push(format!("label={}", quote(&label, LABEL_MAX)));
        attrs.push(format!("tooltip={}", quote(&st.sentence, TOOLTIP_MAX)));
        match st.modality {
            Modality::Planned | Modality::Possible => attrs.push("style=dashed".into()),
            Modality::Reported => attrs.push("style=dotted".into()),
            Modality::Asserted => {}
        }
        if st.polarity == Polarity::Negated {
            attrs.push("color=\"#d62728\", fontcolor=\"#d62728\", arrowhead=tee".into());
        }
        let _ = writeln!(
            out,
            "  {} -> {target} [{}];",
            ids[&st.subject],
            attrs.join(", ")
        );
    }
    out.push_str("}\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::super::testdata::nasty_graph;
    use super::*;

    #[test]
    fn quoting_escapes_everything_dot_interprets() {
        assert_eq!(
            quote("a\"b\\c\nd&e\u{7}", 100),
            "\"a\\\"b\\\\c\\nd&amp;e \""
        );
        assert_eq!(
            quote(&"x".repeat(100), 10),
            format!("\"{}...\"", "x".repeat(7))
        );
        assert_eq!(quote("", 10), "\"\"");
    }

    #[test]
    fn dot_has_one_node_per_entity_and_one_edge_per_statement() {
        let g = nasty_graph(false);
        let dot = String::from_utf8(write(&g)).unwrap();
        assert_eq!(dot, String::from_utf8(write(&nasty_graph(true))).unwrap());
        let nodes = dot
            .lines()
            .filter(|l| l.contains("[label=") && !l.contains("->"))
            .count();
        // 7 entities and 2 distinct literals.
        assert_eq!(nodes, g.entity_count() + 2);
        assert_eq!(dot.matches(" -> ").count(), g.statement_count());
        assert!(dot.contains("label=\"not criticize\""));
        assert!(dot.contains("style=dashed"));
        // No raw newline inside any statement line.
        assert!(dot
            .lines()
            .all(|l| l.starts_with("  ") || l.starts_with("digraph") || l == "}"));
    }
}
