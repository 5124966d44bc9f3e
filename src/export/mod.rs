//! Writers for the knowledge graph: RDF (six syntaxes), JSON, DOT and GraphML.
//!
//! [`write`] is the one entry point the CLI calls. Every writer is deterministic: the same graph
//! gives the same bytes, whatever order documents were added in.

pub mod dot;
pub mod graphml;
pub mod json;
pub mod rdf;
pub mod vocab;

use crate::error::{Error, Result};
use crate::graph::{DocumentInfo, KnowledgeGraph};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The namespace kennis mints IRIs in unless `--base` says otherwise. `.example` is a reserved
/// top-level domain (RFC 2606): it can never clash with real data.
pub const DEFAULT_BASE: &str = "https://kennis.example/";

/// What `-f` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Turtle,
    NTriples,
    NQuads,
    TriG,
    RdfXml,
    JsonLd,
    Dot,
    Json,
    /// JSON Lines: one statement a line, with its entities' labels and types inline.
    JsonLines,
    GraphMl,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 10] = [
        OutputFormat::Turtle,
        OutputFormat::NTriples,
        OutputFormat::NQuads,
        OutputFormat::TriG,
        OutputFormat::RdfXml,
        OutputFormat::JsonLd,
        OutputFormat::Dot,
        OutputFormat::Json,
        OutputFormat::JsonLines,
        OutputFormat::GraphMl,
    ];

    /// The name `-f` takes.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Turtle => "turtle",
            OutputFormat::NTriples => "ntriples",
            OutputFormat::NQuads => "nquads",
            OutputFormat::TriG => "trig",
            OutputFormat::RdfXml => "rdfxml",
            OutputFormat::JsonLd => "jsonld",
            OutputFormat::Dot => "dot",
            OutputFormat::Json => "json",
            OutputFormat::JsonLines => "jsonl",
            OutputFormat::GraphMl => "graphml",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Turtle => "ttl",
            OutputFormat::NTriples => "nt",
            OutputFormat::NQuads => "nq",
            OutputFormat::TriG => "trig",
            OutputFormat::RdfXml => "rdf",
            OutputFormat::JsonLd => "jsonld",
            OutputFormat::Dot => "dot",
            OutputFormat::Json => "json",
            OutputFormat::JsonLines => "jsonl",
            OutputFormat::GraphMl => "graphml",
        }
    }

    /// Guesses the format from a file extension (`ttl`, `nt`, `nq`, `trig`, `rdf`/`owl`/`xml`,
    /// `jsonld`, `dot`/`gv`, `json`, `graphml`), case-insensitively; a leading dot or a whole
    /// path is accepted too.
    pub fn from_extension(ext: &str) -> Option<OutputFormat> {
        let ext = ext.strip_prefix('.').unwrap_or(ext);
        let ext = match Path::new(ext).extension() {
            Some(e) => e.to_str()?,
            None => ext,
        };
        Some(match ext.to_ascii_lowercase().as_str() {
            "ttl" | "turtle" => OutputFormat::Turtle,
            "nt" | "ntriples" => OutputFormat::NTriples,
            "nq" | "nquads" => OutputFormat::NQuads,
            "trig" => OutputFormat::TriG,
            "rdf" | "owl" | "xml" | "rdfxml" => OutputFormat::RdfXml,
            "jsonld" => OutputFormat::JsonLd,
            "dot" | "gv" => OutputFormat::Dot,
            "json" => OutputFormat::Json,
            "jsonl" | "ndjson" => OutputFormat::JsonLines,
            "graphml" => OutputFormat::GraphMl,
            _ => return None,
        })
    }

    /// Whether the format is RDF (and so depends on the base IRI and provenance mode).
    pub fn is_rdf(self) -> bool {
        matches!(
            self,
            OutputFormat::Turtle
                | OutputFormat::NTriples
                | OutputFormat::NQuads
                | OutputFormat::TriG
                | OutputFormat::RdfXml
                | OutputFormat::JsonLd
        )
    }

    /// Whether the format holds named graphs (one per article).
    pub fn is_dataset(self) -> bool {
        matches!(
            self,
            OutputFormat::NQuads | OutputFormat::TriG | OutputFormat::JsonLd
        )
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OutputFormat {
    type Err = Error;

    /// Parses a `-f` value: the names above, plus common aliases (`ttl`, `nt`, `n-triples`,
    /// `xml`, `json-ld`, `gv`).
    fn from_str(s: &str) -> Result<OutputFormat> {
        let lower = s.to_ascii_lowercase();
        let found = OutputFormat::ALL
            .into_iter()
            .find(|f| f.name() == lower)
            .or_else(|| match lower.as_str() {
                "n-triples" => Some(OutputFormat::NTriples),
                "n-quads" => Some(OutputFormat::NQuads),
                "rdf/xml" | "rdf-xml" => Some(OutputFormat::RdfXml),
                "json-ld" => Some(OutputFormat::JsonLd),
                _ => OutputFormat::from_extension(&lower),
            });
        found.ok_or_else(|| {
            let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
            Error::Usage(format!(
                "unknown output format {s:?}; expected one of {}",
                names.join(", ")
            ))
        })
    }
}

/// How statement provenance is written in RDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Provenance {
    /// RDF 1.1 reification (`rdf:Statement`, `rdf:subject`, …): every store reads it.
    #[default]
    Rdf11,
    /// RDF 1.2 `rdf:reifies <<( s p o )>>` (triple terms).
    Rdf12,
}

impl FromStr for Provenance {
    type Err = Error;

    fn from_str(s: &str) -> Result<Provenance> {
        match s.to_ascii_lowercase().as_str() {
            "rdf11" | "rdf-1.1" | "reification" => Ok(Provenance::Rdf11),
            "rdf12" | "rdf-1.2" | "rdf-star" => Ok(Provenance::Rdf12),
            _ => Err(Error::Usage(format!(
                "unknown provenance mode {s:?}; expected rdf11 (default) or rdf12"
            ))),
        }
    }
}

/// What the writers need beyond the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// The namespace for entity, relation, statement and document IRIs; ends with `/` or `#`.
    pub base: String,
    pub provenance: Provenance,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            base: DEFAULT_BASE.to_string(),
            provenance: Provenance::Rdf11,
        }
    }
}

/// Writes `graph` in `format`. Fails only on options that cannot work (a base that is not an
/// absolute IRI ending in `/` or `#`, RDF 1.2 provenance in JSON-LD).
pub fn write(
    graph: &KnowledgeGraph,
    format: OutputFormat,
    options: &ExportOptions,
) -> Result<Vec<u8>> {
    let iris = Iris::new(&options.base)?;
    match format {
        OutputFormat::Json => Ok(json::write(graph, &iris)),
        OutputFormat::JsonLines => Ok(json::write_lines(graph, &iris)),
        OutputFormat::Dot => Ok(dot::write(graph)),
        OutputFormat::GraphMl => Ok(graphml::write(graph, &iris)),
        _ => rdf::write(graph, format, options.provenance, &iris),
    }
}

/// The IRIs kennis mints, all under one base.
#[derive(Clone, Debug)]
pub struct Iris {
    base: String,
}

impl Iris {
    /// Checks the base: an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<Iris> {
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(Error::Usage(format!(
                "--base {base:?} must end with `/` or `#`, e.g. {DEFAULT_BASE}"
            )));
        }
        oxrdf::NamedNode::new(base).map_err(|e| {
            Error::Usage(format!(
                "--base {base:?} is not an absolute IRI ({e}); use e.g. {DEFAULT_BASE}"
            ))
        })?;
        Ok(Iris {
            base: base.to_string(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn entity_ns(&self) -> String {
        format!("{}entity/", self.base)
    }

    pub fn rel_ns(&self) -> String {
        format!("{}rel/", self.base)
    }

    pub fn stmt_ns(&self) -> String {
        format!("{}stmt/", self.base)
    }

    pub fn doc_ns(&self) -> String {
        format!("{}doc/", self.base)
    }

    pub fn entity(&self, slug: &str) -> String {
        format!("{}entity/{}", self.base, percent_encode(slug))
    }

    pub fn relation(&self, name: &str) -> String {
        format!("{}rel/{}", self.base, relation_local_name(name))
    }

    pub fn statement(&self, id: &str) -> String {
        format!("{}stmt/{}", self.base, percent_encode(id))
    }

    /// An article's URL when it has a usable one (an absolute http(s) IRI), else
    /// `{base}doc/{id}`.
    pub fn document(&self, doc: &DocumentInfo) -> String {
        if let Some(url) = &doc.url {
            let url = url.trim();
            if (url.starts_with("http://") || url.starts_with("https://"))
                && oxrdf::NamedNode::new(url).is_ok()
            {
                return url.to_string();
            }
        }
        format!("{}doc/{}", self.base, percent_encode(&doc.id))
    }
}

/// Percent-encodes everything but unreserved ASCII and letters/digits of other scripts, so any
/// id makes a valid IRI path segment.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~')
            || (!c.is_ascii() && c.is_alphanumeric())
        {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The local name of a relation's IRI. Lexicon names and plain lemmas are used as they are,
/// with Latin diacritics folded (`beïnvloeden` → `beinvloeden`); anything else that is not an
/// ASCII XML name (RDF/XML needs an XML name for a predicate, and older XML parsers such as
/// expat know only the Unicode 2 letters) is cleaned and suffixed with a hash of the original,
/// so distinct names stay distinct.
pub fn relation_local_name(name: &str) -> String {
    let ok_start = |c: char| c.is_ascii_alphabetic() || c == '_';
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let folded: String = name.chars().map(crate::graph::fold_diacritic).collect();
    if folded.starts_with(ok_start) && folded.chars().all(ok) {
        return folded;
    }
    let mut clean: String = folded
        .chars()
        .map(|c| if ok(c) { c } else { '_' })
        .collect();
    if !clean.starts_with(ok_start) {
        clean.insert(0, '_');
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{clean}_{hash}")
}

#[cfg(test)]
pub(crate) mod testdata;

#[cfg(test)]
mod external;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_names_and_extensions() {
        for f in OutputFormat::ALL {
            assert_eq!(f.name().parse::<OutputFormat>().unwrap(), f);
            assert_eq!(OutputFormat::from_extension(f.extension()), Some(f));
        }
        assert_eq!(
            OutputFormat::from_extension("out/graph.TTL"),
            Some(OutputFormat::Turtle)
        );
        assert_eq!(OutputFormat::from_extension(".gv"), Some(OutputFormat::Dot));
        assert_eq!(OutputFormat::from_extension("txt"), None);
        let e = "yaml".parse::<OutputFormat>().unwrap_err().to_string();
        assert!(e.contains("turtle") && e.contains("graphml"), "{e}");
        assert!("json-ld".parse::<OutputFormat>().is_ok());
        assert_eq!("rdf12".parse::<Provenance>().unwrap(), Provenance::Rdf12);
        assert!("rdf13".parse::<Provenance>().is_err());
    }

    #[test]
    fn bases_must_be_absolute_and_end_in_a_separator() {
        assert!(Iris::new("https://example.org/kg/").is_ok());
        assert!(Iris::new("https://example.org/kg#").is_ok());
        assert!(Iris::new("https://example.org/kg").is_err());
        assert!(Iris::new("not an iri/").is_err());
        let g = KnowledgeGraph::new();
        let opts = ExportOptions {
            base: "relative/".into(),
            ..Default::default()
        };
        assert!(matches!(
            write(&g, OutputFormat::Turtle, &opts),
            Err(Error::Usage(_))
        ));
    }

    #[test]
    fn iris_are_valid_for_any_id() {
        let iris = Iris::new(DEFAULT_BASE).unwrap();
        for id in ["a b", "x\"y", "", "ü/ö?#", "100%", "line\nbreak"] {
            let doc = DocumentInfo {
                id: id.into(),
                ..Default::default()
            };
            assert!(oxrdf::NamedNode::new(iris.document(&doc)).is_ok(), "{id:?}");
            assert!(oxrdf::NamedNode::new(iris.relation(id)).is_ok(), "{id:?}");
        }
        assert_eq!(iris.relation("visit"), "https://kennis.example/rel/visit");
        assert_eq!(
            iris.relation("beïnvloeden"),
            "https://kennis.example/rel/beinvloeden"
        );
        assert!(iris
            .relation("ĳken")
            .starts_with("https://kennis.example/rel/_ken_"));
        assert_ne!(iris.relation("a b"), iris.relation("a_b"));
        assert!(iris
            .relation("3d")
            .starts_with("https://kennis.example/rel/_3d_"));
        let doc = DocumentInfo {
            id: "x".into(),
            url: Some("https://news.example/a?id=1".into()),
            ..Default::default()
        };
        assert_eq!(iris.document(&doc), "https://news.example/a?id=1");
        let doc = DocumentInfo {
            id: "x".into(),
            url: Some("www.news.example/no scheme".into()),
            ..Default::default()
        };
        assert_eq!(iris.document(&doc), "https://kennis.example/doc/x");
    }
}
