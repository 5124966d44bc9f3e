//! SPARQL over knowledge graphs without a server: the engine behind `kennis query`.
//!
//! Quads from kennis's own export and from RDF files are gathered in a [`Dataset`], sorted and
//! loaded into an in-memory Oxigraph store. The store — and so the order of the results a query
//! leaves unordered — depends only on the data: not on the order of the inputs, nor on threads.
//! A query sees the union of all graphs as its default graph (each article's statements sit in
//! the article's named graph), unless it names its own dataset with `FROM`/`FROM NAMED`.
//! Results are written as an aligned table with IRIs shortened by kennis's prefixes, or in the
//! SPARQL 1.1 result formats (CSV, TSV, JSON) through sparesults; CONSTRUCT and DESCRIBE give
//! Turtle or N-Triples.

use std::collections::HashMap;
use std::path::Path;

use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::Store;
use oxrdf::{BlankNode, GraphName, Literal, NamedOrBlankNode, Quad, Term, Triple};
use oxrdfio::{RdfFormat, RdfParser};

use crate::error::{Error, Result};
use crate::export::{self, rdf::serialize_sorted, ExportOptions, OutputFormat};
use crate::graph::{hex_digest, KnowledgeGraph};

/// What `kennis query -f` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultFormat {
    /// Aligned columns, IRIs shortened with kennis's prefixes (ASK: true or false; CONSTRUCT and
    /// DESCRIBE: Turtle).
    Table,
    /// SPARQL 1.1 Query Results CSV.
    Csv,
    /// SPARQL 1.1 Query Results TSV.
    Tsv,
    /// SPARQL 1.1 Query Results JSON.
    Json,
    /// Turtle, for CONSTRUCT and DESCRIBE.
    Turtle,
    /// N-Triples, for CONSTRUCT and DESCRIBE.
    Ntriples,
}

impl ResultFormat {
    /// The format an output file's extension asks for (`.csv`, `.tsv`, `.json`/`.srj`, `.ttl`,
    /// `.nt`); `None` for anything else.
    pub fn from_extension(path: &Path) -> Option<ResultFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => ResultFormat::Csv,
            "tsv" => ResultFormat::Tsv,
            "json" | "srj" => ResultFormat::Json,
            "ttl" => ResultFormat::Turtle,
            "nt" => ResultFormat::Ntriples,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            ResultFormat::Table => "table",
            ResultFormat::Csv => "csv",
            ResultFormat::Tsv => "tsv",
            ResultFormat::Json => "json",
            ResultFormat::Turtle => "turtle",
            ResultFormat::Ntriples => "ntriples",
        }
    }

    /// Whether this format can carry the results of a query of `form`; a usage error saying
    /// what to use instead if not.
    pub fn check(self, form: Form) -> Result<()> {
        let graph = matches!(form, Form::Construct | Form::Describe);
        let rdf = matches!(self, ResultFormat::Turtle | ResultFormat::Ntriples);
        let table = matches!(
            self,
            ResultFormat::Csv | ResultFormat::Tsv | ResultFormat::Json
        );
        if graph && table {
            return Err(Error::Usage(format!(
                "a {form} query gives RDF, not a table: use -f turtle or -f ntriples, not -f {}",
                self.name()
            )));
        }
        if !graph && rdf {
            return Err(Error::Usage(format!(
                "a {form} query gives a table, not RDF: use -f table, csv, tsv or json, not -f {}",
                self.name()
            )));
        }
        Ok(())
    }
}

/// The four forms of SPARQL query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Select,
    Ask,
    Construct,
    Describe,
}

impl std::fmt::Display for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Form::Select => "SELECT",
            Form::Ask => "ASK",
            Form::Construct => "CONSTRUCT",
            Form::Describe => "DESCRIBE",
        })
    }
}

/// A parsed SPARQL query.
pub struct Query {
    parsed: spargebra::Query,
}

impl Query {
    /// Parses `text` with `prefixes` predeclared (the query's own `PREFIX` lines win). A syntax
    /// error is a usage error that names `origin` (the query file, or "the query"), the line and
    /// column, and shows the line with a caret under the column.
    pub fn parse(text: &str, prefixes: &[(&str, String)], origin: &str) -> Result<Query> {
        let mut parser = spargebra::SparqlParser::new();
        for (name, iri) in prefixes {
            parser = parser
                .with_prefix(*name, iri.as_str())
                .map_err(|e| Error::Usage(format!("prefix {name}: <{iri}> is not an IRI: {e}")))?;
        }
        let parsed = parser
            .parse_query(text)
            .map_err(|e| syntax_error(text, origin, &e.to_string(), prefixes))?;
        Ok(Query { parsed })
    }

    pub fn form(&self) -> Form {
        match self.parsed {
            spargebra::Query::Select { .. } => Form::Select,
            spargebra::Query::Ask { .. } => Form::Ask,
            spargebra::Query::Construct { .. } => Form::Construct,
            spargebra::Query::Describe { .. } => Form::Describe,
        }
    }

    /// Runs the query on `store` and writes its results in `format` (which [`ResultFormat::check`]
    /// has accepted), shortening IRIs in tables and Turtle with `prefixes`. The results are
    /// computed whole before any byte is written, so a failing query writes nothing.
    pub fn run(
        self,
        store: &Store,
        format: ResultFormat,
        prefixes: &[(&str, String)],
    ) -> Result<Vec<u8>> {
        let mut prepared = SparqlEvaluator::new().for_query(self.parsed);
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let failed = |e: oxigraph::sparql::QueryEvaluationError| {
            Error::Usage(format!("the query failed: {e}"))
        };
        let results = prepared.on_store(store).execute().map_err(failed)?;
        // Blank nodes a query makes (CONSTRUCT templates, BNODE()) get random names: name them
        // in order of appearance instead, so the same query on the same data gives the same bytes.
        let mut blanks = BlankNames::default();
        let mut out = match results {
            QueryResults::Boolean(value) => match sparql_format(format) {
                None => format!("{value}").into_bytes(),
                Some(f) => QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(Vec::new(), value)
                    .map_err(write_error)?,
            },
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let mut rows: Vec<Vec<Option<Term>>> = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(failed)?;
                    rows.push(
                        variables
                            .iter()
                            .map(|v| solution.get(v).cloned().map(|t| blanks.term(t)))
                            .collect(),
                    );
                }
                match sparql_format(format) {
                    None => table(&variables, &rows, prefixes).into_bytes(),
                    Some(f) => solutions_bytes(f, variables, &rows).map_err(write_error)?,
                }
            }
            QueryResults::Graph(triples) => {
                let mut quads = Vec::new();
                for triple in triples {
                    let t = blanks.triple(triple.map_err(failed)?);
                    quads.push(Quad::new(
                        t.subject,
                        t.predicate,
                        t.object,
                        GraphName::DefaultGraph,
                    ));
                }
                let rdf = match format {
                    ResultFormat::Ntriples => RdfFormat::NTriples,
                    _ => RdfFormat::Turtle,
                };
                serialize_sorted(quads, rdf, prefixes).map_err(write_error)?
            }
        };
        if out.last().is_some_and(|&b| b != b'\n') {
            out.push(b'\n');
        }
        Ok(out)
    }
}

fn write_error(e: std::io::Error) -> Error {
    Error::Usage(format!("cannot write the results: {e}"))
}

fn sparql_format(format: ResultFormat) -> Option<QueryResultsFormat> {
    match format {
        ResultFormat::Csv => Some(QueryResultsFormat::Csv),
        ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
        ResultFormat::Json => Some(QueryResultsFormat::Json),
        _ => None,
    }
}

fn solutions_bytes(
    format: QueryResultsFormat,
    variables: Vec<Variable>,
    rows: &[Vec<Option<Term>>],
) -> std::io::Result<Vec<u8>> {
    let mut writer = QueryResultsSerializer::from_format(format)
        .serialize_solutions_to_writer(Vec::new(), variables.clone())?;
    for row in rows {
        writer.serialize(
            variables
                .iter()
                .zip(row)
                .filter_map(|(v, t)| Some((v.as_ref(), t.as_ref()?.as_ref()))),
        )?;
    }
    writer.finish()
}

/// Turns spargebra's `error at LINE:COLUMN: expected …` into a message that names where the
/// query came from, says what was wrong in words, and shows the line with a caret under the
/// column.
fn syntax_error(text: &str, origin: &str, message: &str, prefixes: &[(&str, String)]) -> Error {
    let position = message.strip_prefix("error at ").and_then(|rest| {
        let (at, what) = rest.split_once(": ")?;
        let (line, column) = at.split_once(':')?;
        Some((
            line.parse::<usize>().ok()?,
            column.parse::<usize>().ok()?,
            what,
        ))
    });
    let Some((line, column, what)) = position else {
        return Error::Usage(format!("{origin} is not valid SPARQL: {message}"));
    };
    let source = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let before: String = source.chars().take(column.saturating_sub(1)).collect();
    let what = match expected(what) {
        Err(problem) if problem == "Prefix not found" => {
            // The position is just past the prefixed name.
            let name = before.rsplit(char::is_whitespace).next().unwrap_or("");
            let prefix = name.split(':').next().unwrap_or(name);
            let known: Vec<String> = prefixes.iter().map(|(p, _)| format!("{p}:")).collect();
            format!(
                "the prefix {prefix}: is not declared (declare it with PREFIX {prefix}: <…>; \
                 kennis declares {})",
                known.join(" ")
            )
        }
        Err(problem) => problem,
        Ok(tokens) if tokens.is_empty() => "unexpected text".to_string(),
        Ok(mut tokens) => {
            let last = tokens.pop().expect("not empty");
            match tokens.is_empty() {
                true => format!("expected {last}"),
                false => format!("expected {} or {last}", tokens.join(", ")),
            }
        }
    };
    // Tabs stay tabs, so the caret lines up however the terminal shows them.
    let pad: String = before
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Error::Usage(format!(
        "{origin} is not valid SPARQL: line {line}, column {column}: {what}\n    {source}\n    {pad}^"
    ))
}

/// Reads peg's `expected one of "a", KEYWORD, ['0'..='9'], Some message` list: the tokens and
/// keywords it names (character classes left out, as they read badly), or `Err` with the first
/// message (an item with a space, such as `Prefix not found`) when there is one.
fn expected(what: &str) -> std::result::Result<Vec<String>, String> {
    let Some(list) = what.strip_prefix("expected ") else {
        return Err(what.to_string());
    };
    let list = list.strip_prefix("one of ").unwrap_or(list);
    let mut items = Vec::new();
    let mut word = String::new();
    let mut chars = list.chars();
    let push_word = |word: &mut String, items: &mut Vec<String>| {
        if !word.trim().is_empty() {
            items.push(word.trim().to_string());
        }
        word.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut quoted = String::from('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    quoted.push(c);
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => break,
                        _ => {}
                    }
                }
                items.push(quoted);
            }
            '[' => {
                // A character class: skip to its `]`, minding quoted characters such as ']'.
                let (mut quoted, mut escaped) = (false, false);
                for c in chars.by_ref() {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' if quoted => escaped = true,
                        '\'' => quoted = !quoted,
                        ']' if !quoted => break,
                        _ => {}
                    }
                }
            }
            ',' => push_word(&mut word, &mut items),
            c => word.push(c),
        }
    }
    push_word(&mut word, &mut items);
    match items
        .iter()
        .find(|i| !i.starts_with('"') && i.contains(' '))
    {
        Some(message) => Err(message.clone()),
        None => Ok(items),
    }
}

/// Gives blank nodes short names in order of first appearance.
#[derive(Default)]
struct BlankNames {
    names: HashMap<String, BlankNode>,
    prefix: String,
}

impl BlankNames {
    fn with_prefix(prefix: String) -> BlankNames {
        BlankNames {
            names: HashMap::new(),
            prefix,
        }
    }

    fn blank(&mut self, b: &BlankNode) -> BlankNode {
        let n = self.names.len();
        let prefix = &self.prefix;
        self.names
            .entry(b.as_str().to_string())
            .or_insert_with(|| BlankNode::new_unchecked(format!("{prefix}b{n}")))
            .clone()
    }

    fn subject(&mut self, s: NamedOrBlankNode) -> NamedOrBlankNode {
        match s {
            NamedOrBlankNode::BlankNode(b) => self.blank(&b).into(),
            other => other,
        }
    }

    fn term(&mut self, t: Term) -> Term {
        match t {
            Term::BlankNode(b) => self.blank(&b).into(),
            Term::Triple(t) => Term::Triple(Box::new(self.triple(*t))),
            other => other,
        }
    }

    fn triple(&mut self, t: Triple) -> Triple {
        Triple::new(self.subject(t.subject), t.predicate, self.term(t.object))
    }

    fn quad(&mut self, q: Quad) -> Quad {
        let graph_name = match q.graph_name {
            GraphName::BlankNode(b) => GraphName::BlankNode(self.blank(&b)),
            other => other,
        };
        Quad::new(
            self.subject(q.subject),
            q.predicate,
            self.term(q.object),
            graph_name,
        )
    }
}

/// The quads to load, gathered from every input before the store is built.
#[derive(Default)]
pub struct Dataset {
    quads: Vec<Quad>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    /// Adds the quads of `bytes`, an RDF file in `format` read from `path`: all of them, or
    /// none when the file has an error (named with its line). Blank nodes are renamed after the
    /// file's content and their order in it, so two files' `_:b0` stay apart and the same file
    /// always gives the same names. Returns how many quads the file held.
    pub fn add_rdf(&mut self, path: &Path, bytes: &[u8], format: RdfFormat) -> Result<usize> {
        self.add_parsed(path, bytes, format, RdfParser::from_format(format))
    }

    fn add_parsed(
        &mut self,
        path: &Path,
        bytes: &[u8],
        format: RdfFormat,
        parser: RdfParser,
    ) -> Result<usize> {
        let mut blanks = BlankNames::with_prefix(format!("f{}", &hex_digest(bytes)[..12]));
        let mut quads = Vec::new();
        for quad in parser.for_slice(bytes) {
            let quad = quad.map_err(|e| {
                let line = e.location().map(|at| at.start.line as usize + 1);
                Error::input(
                    path,
                    line,
                    format!("not valid {}: {e}", format.name()),
                    "fix the file, or leave it out",
                )
            })?;
            quads.push(blanks.quad(quad));
        }
        let n = quads.len();
        self.quads.extend(quads);
        Ok(n)
    }

    /// Adds a knowledge graph as kennis exports it to N-Quads (the statements of each article
    /// in the article's named graph), exactly as `kennis extract -o x.nq` writes it.
    pub fn add_graph(&mut self, graph: &KnowledgeGraph, options: &ExportOptions) -> Result<usize> {
        let bytes = export::write(graph, OutputFormat::NQuads, options)?;
        // kennis's own output is trusted as it is: a `#` base gives IRIs such as
        // `…kg#stmt/x#evidence`, which strict IRI checking would refuse.
        let parser = RdfParser::from_format(RdfFormat::NQuads).lenient();
        self.add_parsed(Path::new("<articles>"), &bytes, RdfFormat::NQuads, parser)
    }

    /// The in-memory store holding every quad once. Quads go in sorted, so the store is the same
    /// whatever order the inputs came in (and a plain scan meets them in that sorted order).
    pub fn into_store(self) -> Result<Store> {
        let mut keyed: Vec<(String, Quad)> =
            self.quads.into_iter().map(|q| (q.to_string(), q)).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        let store_error = |e: oxigraph::store::StorageError| {
            Error::io("<in-memory store>", std::io::Error::other(e))
        };
        let store = Store::new().map_err(store_error)?;
        // The in-memory store scans the last quad inserted first.
        store
            .extend(keyed.into_iter().rev().map(|(_, q)| q))
            .map_err(store_error)?;
        Ok(store)
    }
}

/// The RDF syntax kennis reads a query input in, by its extension (`.ttl`, `.nt`, `.nq`,
/// `.trig`, `.rdf`, `.jsonld`); `None` means the input is articles. Narrower than
/// [`RdfFormat::from_extension`], which would also take `.txt` (articles) and `.json` (kennis's
/// own JSON) for RDF.
pub fn rdf_format(path: &Path) -> Option<RdfFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "ttl" | "nt" | "nq" | "trig" | "rdf" | "jsonld" => RdfFormat::from_extension(&ext),
        _ => None,
    }
}

/// Writes a table: a header of variable names, a rule, then one line a solution, columns
/// padded to their widest cell and two spaces apart.
fn table(
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    prefixes: &[(&str, String)],
) -> String {
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_string()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|t| t.as_ref().map_or(String::new(), |t| cell(t, prefixes)))
                .collect()
        })
        .collect();
    let width = |s: &String| s.chars().count();
    let mut widths: Vec<usize> = header.iter().map(width).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(c));
        }
    }
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let mut out = String::new();
    for line in std::iter::once(&header)
        .chain(std::iter::once(&rule))
        .chain(&cells)
    {
        let mut text = String::new();
        for (i, (c, w)) in line.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(c);
            text.extend(std::iter::repeat_n(' ', w - width(c)));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// A term as a table shows it: IRIs as `prefix:local` where a prefix fits (else `<iri>`),
/// literals as their text (no quotes, language or datatype; line breaks and tabs as `\n`,
/// `\t`), blank nodes as `_:name`, triple terms as `<< s p o >>`.
fn cell(term: &Term, prefixes: &[(&str, String)]) -> String {
    match term {
        Term::NamedNode(n) => shorten(n.as_str(), prefixes),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => literal_text(l),
        Term::Triple(t) => format!(
            "<< {} {} {} >>",
            cell(&t.subject.clone().into(), prefixes),
            shorten(t.predicate.as_str(), prefixes),
            cell(&t.object, prefixes)
        ),
    }
}

fn literal_text(l: &Literal) -> String {
    let mut s = String::with_capacity(l.value().len());
    for c in l.value().chars() {
        match c {
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s
}

/// `iri` as `prefix:local` with the longest namespace it starts with, else `<iri>`.
pub fn shorten(iri: &str, prefixes: &[(&str, String)]) -> String {
    prefixes
        .iter()
        .filter(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns.as_str()))
        .max_by_key(|(_, ns)| ns.len())
        .map_or_else(
            || format!("<{iri}>"),
            |(name, ns)| format!("{name}:{}", &iri[ns.len()..]),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{rdf::prefixes, Iris, DEFAULT_BASE};

    fn kennis_prefixes() -> Vec<(&'static str, String)> {
        prefixes(&Iris::new(DEFAULT_BASE).unwrap())
    }

    fn store(nquads: &str) -> Store {
        let mut d = Dataset::default();
        d.add_rdf(Path::new("x.nq"), nquads.as_bytes(), RdfFormat::NQuads)
            .unwrap();
        d.into_store().unwrap()
    }

    fn run(store: &Store, query: &str, format: ResultFormat) -> String {
        let p = kennis_prefixes();
        let q = Query::parse(query, &p, "the query").unwrap();
        String::from_utf8(q.run(store, format, &p).unwrap()).unwrap()
    }

    const DATA: &str = r#"<https://kennis.example/entity/a> <https://kennis.example/rel/meet> <https://kennis.example/entity/b> <https://kennis.example/doc/one> .
<https://kennis.example/entity/b> <https://kennis.example/rel/meet> <https://kennis.example/entity/c> <https://kennis.example/doc/two> .
<https://kennis.example/entity/a> <http://www.w3.org/2000/01/rdf-schema#label> "A\tα"@nl .
<https://kennis.example/entity/b> <http://www.w3.org/2000/01/rdf-schema#label> "Bee" .
"#;

    #[test]
    fn the_default_graph_is_the_union_of_all_graphs() {
        let s = store(DATA);
        let out = run(
            &s,
            "SELECT ?x ?y WHERE { ?x kr:meet ?y } ORDER BY ?x",
            ResultFormat::Table,
        );
        assert_eq!(out, "x      y\n-----  -----\nent:a  ent:b\nent:b  ent:c\n");
        // FROM names the dataset itself: then only that graph.
        let out = run(&s, "SELECT ?x WHERE { ?x kr:meet ?y } ", ResultFormat::Csv);
        assert_eq!(out.lines().count(), 3, "{out}");
        let out = run(
            &s,
            "SELECT ?x FROM <https://kennis.example/doc/two> WHERE { ?x kr:meet ?y }",
            ResultFormat::Csv,
        );
        assert_eq!(out, "x\r\nhttps://kennis.example/entity/b\r\n");
    }

    #[test]
    fn tables_shorten_iris_and_show_literals_as_text() {
        let s = store(DATA);
        let out = run(
            &s,
            "SELECT ?e ?label ?none WHERE { ?e rdfs:label ?label OPTIONAL { ?e kn:nothing ?none } } ORDER BY ?e",
            ResultFormat::Table,
        );
        assert_eq!(
            out,
            "e      label  none\n-----  -----  ----\nent:a  A\\tα\nent:b  Bee\n"
        );
        assert_eq!(
            shorten("https://kennis.example/stmt/x#evidence", &kennis_prefixes()),
            "stmt:x#evidence"
        );
        assert_eq!(
            shorten("http://other.example/x", &kennis_prefixes()),
            "<http://other.example/x>"
        );
        assert_eq!(
            run(&s, "ASK { ?x kr:meet ent:c }", ResultFormat::Table),
            "true\n"
        );
        assert_eq!(
            run(&s, "ASK { ?x kr:meet ent:a }", ResultFormat::Json),
            "{\"head\":{},\"boolean\":false}\n"
        );
    }

    #[test]
    fn construct_gives_sorted_rdf_with_stable_blank_nodes() {
        let s = store(DATA);
        let q = "CONSTRUCT { [] kn:from ?x ; kn:to ?y } WHERE { ?x kr:meet ?y }";
        let a = run(&s, q, ResultFormat::Ntriples);
        assert_eq!(a, run(&s, q, ResultFormat::Ntriples));
        assert_eq!(a.lines().count(), 4, "{a}");
        assert!(a.contains("_:b0 <https://kennis.example/ns#from>"), "{a}");
        let ttl = run(&s, q, ResultFormat::Table);
        assert!(
            ttl.contains("@prefix kn:") && ttl.contains("kn:to ent:"),
            "{ttl}"
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let p = kennis_prefixes();
        let e = Query::parse("SELECT ?x\nWHERE { ?x kr:meet ?y ", &p, "q.rq")
            .err()
            .unwrap();
        assert!(matches!(e, Error::Usage(_)));
        let e = e.to_string();
        assert!(
            e.starts_with("q.rq is not valid SPARQL: line 2, column "),
            "{e}"
        );
        assert!(e.contains("\n    WHERE { ?x kr:meet ?y \n"), "{e}");
        assert!(e.ends_with('^'), "{e}");
        // An undeclared prefix.
        let e = Query::parse("SELECT * { ?x nope:y ?z }", &p, "the query")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("nope"), "{e}");
    }

    #[test]
    fn peg_expectations_read_as_words() {
        assert_eq!(
            expected(r#"expected one of ",", "{|", LIMIT, ['0' ..= '9' | ']'], [_]"#),
            Ok(vec!["\",\"".into(), "\"{|\"".into(), "LIMIT".into()])
        );
        assert_eq!(
            expected("expected one of Prefix not found, ['%'], [':']"),
            Err("Prefix not found".into())
        );
        assert_eq!(expected("expected [_]"), Ok(vec![]));
        let p = kennis_prefixes();
        let e = Query::parse("SELECT * {\n\t?x foo:bar ?y }", &p, "the query")
            .err()
            .unwrap()
            .to_string();
        assert_eq!(
            e.lines().next().unwrap(),
            "the query is not valid SPARQL: line 2, column 12: the prefix foo: is not declared \
             (declare it with PREFIX foo: <…>; kennis declares rdf: rdfs: owl: xsd: skos: prov: \
             oa: schema: kn: kr: ent: stmt: doc:)"
        );
        assert!(e.ends_with("\n    \t          ^"), "{e:?}");
    }

    #[test]
    fn formats_fit_query_forms() {
        assert!(ResultFormat::Json.check(Form::Select).is_ok());
        assert!(ResultFormat::Table.check(Form::Construct).is_ok());
        assert!(ResultFormat::Turtle.check(Form::Ask).is_err());
        let e = ResultFormat::Csv
            .check(Form::Describe)
            .unwrap_err()
            .to_string();
        assert!(e.contains("-f turtle"), "{e}");
        assert_eq!(
            ResultFormat::from_extension(Path::new("out/r.CSV")),
            Some(ResultFormat::Csv)
        );
        assert_eq!(ResultFormat::from_extension(Path::new("r.txt")), None);
        assert_eq!(rdf_format(Path::new("a.nq")), Some(RdfFormat::NQuads));
        assert_eq!(rdf_format(Path::new("a.txt")), None);
        assert_eq!(rdf_format(Path::new("a.json")), None);
    }

    #[test]
    fn rdf_files_load_whole_or_not_at_all_and_keep_blank_nodes_apart() {
        let mut d = Dataset::default();
        let bad = "<http://x.example/a> <http://x.example/p> <http://x.example/b> .\n<http://x.example/a> <http://x.example/p> oops .\n";
        let e = d
            .add_rdf(Path::new("bad.nt"), bad.as_bytes(), RdfFormat::NTriples)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("bad.nt:2: not valid N-Triples"), "{e}");
        assert!(d.is_empty());
        let one = "_:b0 <http://x.example/p> \"one\" .\n";
        let two = "_:b0 <http://x.example/p> \"two\" .\n";
        d.add_rdf(Path::new("1.nt"), one.as_bytes(), RdfFormat::NTriples)
            .unwrap();
        d.add_rdf(Path::new("2.nt"), two.as_bytes(), RdfFormat::NTriples)
            .unwrap();
        let s = d.into_store().unwrap();
        let out = run(
            &s,
            "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b <http://x.example/p> ?o }",
            ResultFormat::Csv,
        );
        assert_eq!(out, "n\r\n2\r\n");
    }

    #[test]
    fn load_order_does_not_change_unordered_results() {
        let lines: Vec<&str> = DATA.lines().collect();
        let mut reversed = lines.clone();
        reversed.reverse();
        let q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }";
        let a = run(&store(&lines.join("\n")), q, ResultFormat::Tsv);
        let b = run(&store(&reversed.join("\n")), q, ResultFormat::Tsv);
        assert_eq!(a, b);
        // A plain scan meets the quads in sorted order.
        let subjects: Vec<&str> = a
            .lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        let mut sorted = subjects.clone();
        sorted.sort();
        assert_eq!(subjects, sorted);
    }
}
