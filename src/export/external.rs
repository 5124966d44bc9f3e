//! Do real users' tools accept the output? Each test runs an independent tool over the output
//! of a hand-built graph full of nasty strings: `rapper` (raptor2) and rdflib parse every RDF
//! syntax, pyshacl validates against `schema/shapes.ttl`, Graphviz `dot` renders every DOT
//! without a word on stderr, python `jsonschema` checks the JSON against its schema.
//!
//! A missing tool skips its test loudly, except under `CI` (set in CI), where it fails: `.ci/run`
//! installs the tools.

use super::testdata::nasty_graph;
use super::{write, ExportOptions, OutputFormat, Provenance};
use crate::graph::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema")
}

/// Whether `program` runs; if not, fails under CI and skips loudly elsewhere.
fn tool(program: &str, probe: &[&str]) -> bool {
    let ok = Command::new(program)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return true;
    }
    let what = format!("{program} {}", probe.join(" "));
    if std::env::var_os("CI").is_some() {
        panic!("`{what}` failed: CI must have it (.ci/run installs it)");
    }
    // Straight to the process's stderr: the test harness would swallow `eprintln!`.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n******** SKIPPED: `{what}` is not available; install it (see .ci/run) ********\n"
    );
    false
}

fn python_module(module: &str) -> bool {
    tool("python3", &["-c", &format!("import {module}")])
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kennis-export-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A few more graphs beside the nasty one: empty, one entity without statements, every ASCII
/// character and some scripts in one label.
fn graphs() -> Vec<(&'static str, KnowledgeGraph)> {
    let mut out = vec![
        ("nasty", nasty_graph(false)),
        ("empty", KnowledgeGraph::new()),
    ];
    let mut lonely = KnowledgeGraph::new();
    lonely.add_entity(Entity::new("Alleen", EntityKind::Person));
    out.push(("lonely", lonely));
    let mut ascii = KnowledgeGraph::new();
    let all: String = (1u8..128).map(char::from).collect();
    ascii
        .add_document(DocumentInfo {
            id: all.clone(),
            source: all.clone(),
            url: Some(format!("https://x.example/{all}")),
            title: Some(all.clone()),
            date: Some(all.clone()),
            language: all.clone(),
            sentences: 0,
        })
        .unwrap();
    let a = ascii.add_entity(Entity::new(all.clone(), EntityKind::Person).with_lang("x-y"));
    let b = ascii.add_entity(
        Entity::new(
            "עברית العربية ελληνικά 中文 日本語 한국어 \u{200d}\u{202e}",
            EntityKind::Place,
        )
        .with_alias(all.clone(), Some(&all)),
    );
    ascii
        .add_statement(Statement {
            subject: a,
            relation: all.clone(),
            relation_text: all.clone(),
            object: Object::Entity(b),
            polarity: Polarity::Negated,
            modality: Modality::Reported,
            attributed_to: Some(b),
            time: Some(all.clone()),
            place: Some(a),
            confidence: 2.0,
            document: all.clone(),
            sentence_index: 0,
            sentence: all.clone(),
            span: (0, 0),
            rule: all,
        })
        .unwrap();
    out.push(("ascii", ascii));
    out.push(("extracted", super::testdata::extracted_graph()));
    for (name, seed) in [("random1", 1), ("random2", 2), ("random3", 3)] {
        out.push((name, super::testdata::random_graph(seed, 40)));
    }
    out
}

const RAPPER: [(OutputFormat, &str); 5] = [
    (OutputFormat::Turtle, "turtle"),
    (OutputFormat::NTriples, "ntriples"),
    (OutputFormat::NQuads, "nquads"),
    (OutputFormat::TriG, "trig"),
    (OutputFormat::RdfXml, "rdfxml"),
];

#[test]
fn rapper_reads_every_rdf_syntax() {
    if !tool("rapper", &["--version"]) {
        return;
    }
    // The shipped ontology and shapes are Turtle that raptor reads too.
    for file in ["kennis.ttl", "shapes.ttl"] {
        let path = schema_dir().join(file);
        let o = run("rapper", &["-i", "turtle", "-c", path.to_str().unwrap()]);
        let err = stderr(&o);
        assert!(
            o.status.success() && !err.to_lowercase().contains("error"),
            "rapper rejects schema/{file}: {err}"
        );
    }
    let dir = scratch("rapper");
    for (name, g) in graphs() {
        for (format, syntax) in RAPPER {
            let bytes = write(&g, format, &ExportOptions::default()).unwrap();
            let path = dir.join(format!("{name}.{}", format.extension()));
            std::fs::write(&path, &bytes).unwrap();
            let o = run(
                "rapper",
                &["-i", syntax, "-o", "nquads", path.to_str().unwrap()],
            );
            let err = stderr(&o);
            assert!(
                o.status.success(),
                "rapper rejects {}: {err}",
                path.display()
            );
            let bad = err
                .lines()
                .filter(|l| {
                    let l = l.to_lowercase();
                    l.contains("error") || l.contains("warning")
                })
                .collect::<Vec<_>>();
            assert!(bad.is_empty(), "rapper on {}: {bad:?}", path.display());
            // Same number of statements as oxrdfio reads back.
            let ours = oxrdfio::RdfParser::from_format(super::rdf::oxformat(format).unwrap())
                .for_slice(&bytes)
                .count();
            let theirs = String::from_utf8_lossy(&o.stdout).lines().count();
            assert_eq!(
                theirs,
                ours,
                "rapper and oxrdfio disagree on {}",
                path.display()
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Parses each (path, format) pair of argv with rdflib and prints its quad count, or the error.
const RDFLIB: &str = r#"
import sys, rdflib
args = sys.argv[1:]
for path, fmt in zip(args[::2], args[1::2]):
    try:
        ds = rdflib.Dataset()
        ds.parse(path, format=fmt)
        print(sum(1 for _ in ds.quads((None, None, None, None))))
    except Exception as e:
        print("ERROR", path, repr(e).replace("\n", " "))
"#;

#[test]
fn rdflib_reads_every_rdf_syntax() {
    if !python_module("rdflib") {
        return;
    }
    let dir = scratch("rdflib");
    let formats = [
        (OutputFormat::Turtle, "turtle"),
        (OutputFormat::NTriples, "nt"),
        (OutputFormat::NQuads, "nquads"),
        (OutputFormat::TriG, "trig"),
        (OutputFormat::RdfXml, "xml"),
        (OutputFormat::JsonLd, "json-ld"),
    ];
    let mut args = Vec::new();
    let mut want = Vec::new();
    for (name, g) in graphs() {
        for (format, syntax) in formats {
            let bytes = write(&g, format, &ExportOptions::default()).unwrap();
            let path = dir.join(format!("{name}.{}", format.extension()));
            std::fs::write(&path, &bytes).unwrap();
            args.push(path.to_str().unwrap().to_string());
            args.push(syntax.to_string());
            let ours = oxrdfio::RdfParser::from_format(super::rdf::oxformat(format).unwrap())
                .for_slice(&bytes)
                .count();
            want.push(format!("{ours}"));
        }
    }
    let mut argv = vec!["-c", RDFLIB];
    argv.extend(args.iter().map(String::as_str));
    let o = run("python3", &argv);
    assert!(o.status.success(), "{}", stderr(&o));
    let got: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    // Each line: the quad count rdflib read, which must equal oxrdfio's (or an error).
    assert_eq!(got, want, "rdflib disagrees (files: {args:?})");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Validates each data file of argv[3:] against the shapes (argv[1]) and ontology (argv[2]) and
/// prints `True` or `False` plus the report per file.
const PYSHACL: &str = r#"
import sys, rdflib
from pyshacl import validate
shapes = rdflib.Graph().parse(sys.argv[1], format="turtle")
onto = rdflib.Graph().parse(sys.argv[2], format="turtle")
for path in sys.argv[3:]:
    data = rdflib.Graph().parse(path, format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=onto)
    print(conforms, "" if conforms else text.replace("\n", " | "))
"#;

fn pyshacl(data: &[PathBuf]) -> Vec<String> {
    let shapes = schema_dir().join("shapes.ttl");
    let onto = schema_dir().join("kennis.ttl");
    let mut argv = vec![
        "-c".to_string(),
        PYSHACL.to_string(),
        shapes.to_str().unwrap().to_string(),
        onto.to_str().unwrap().to_string(),
    ];
    argv.extend(data.iter().map(|p| p.to_str().unwrap().to_string()));
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    let o = run("python3", &argv);
    assert!(o.status.success(), "pyshacl failed: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn output_conforms_to_the_shacl_shapes() {
    if !python_module("pyshacl") {
        return;
    }
    let dir = scratch("shacl");
    let mut paths = Vec::new();
    for (name, g) in graphs() {
        let bytes = write(&g, OutputFormat::Turtle, &ExportOptions::default()).unwrap();
        let path = dir.join(format!("{name}.ttl"));
        std::fs::write(&path, &bytes).unwrap();
        paths.push(path);
    }
    let good_count = paths.len();
    // The shapes can fail: a confidence above 1 and a statement without provenance are caught.
    let good = String::from_utf8(
        write(
            &nasty_graph(false),
            OutputFormat::NTriples,
            &ExportOptions::default(),
        )
        .unwrap(),
    )
    .unwrap();
    for (i, (what, bad)) in [
        (
            "confidence 1.5",
            good.replacen(
                "\"0.8\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
                "\"1.5\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
                1,
            ),
        ),
        (
            "no prov:wasDerivedFrom",
            good.lines()
                .filter(|l| !l.contains("wasDerivedFrom"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        assert_ne!(bad, good, "{what}: the mutation did not apply");
        let path = dir.join(format!("bad{i}.ttl"));
        std::fs::write(&path, bad).unwrap();
        paths.push(path);
    }
    let results = pyshacl(&paths);
    assert_eq!(results.len(), paths.len(), "{results:?}");
    for (path, r) in paths.iter().zip(&results).take(good_count) {
        assert!(
            r.starts_with("True"),
            "{} does not conform: {r}",
            path.display()
        );
    }
    for (path, r) in paths.iter().zip(&results).skip(good_count) {
        assert!(
            r.starts_with("False"),
            "pyshacl accepts the broken {}",
            path.display()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dot_renders_without_warnings() {
    if !tool("dot", &["-V"]) {
        return;
    }
    let dir = scratch("dot");
    for (name, g) in graphs() {
        let path = dir.join(format!("{name}.dot"));
        std::fs::write(
            &path,
            write(&g, OutputFormat::Dot, &ExportOptions::default()).unwrap(),
        )
        .unwrap();
        let svg = dir.join(format!("{name}.svg"));
        let o = run(
            "dot",
            &["-Tsvg", path.to_str().unwrap(), "-o", svg.to_str().unwrap()],
        );
        assert!(
            o.status.success() && o.stderr.is_empty(),
            "dot complains about {name}: {}",
            stderr(&o)
        );
        assert!(std::fs::metadata(&svg).unwrap().len() > 0);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Validates each JSON file of argv[2:] against the schema in argv[1]; one line per file: `OK`
/// or the errors.
const JSONSCHEMA: &str = r#"
import sys, json, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
for path in sys.argv[2:]:
    errors = [str(list(e.absolute_path)) + " " + e.message for e in v.iter_errors(json.load(open(path)))]
    print(" | ".join(errors).replace("\n", " ") if errors else "OK")
"#;

#[test]
fn json_validates_against_its_schema() {
    if !python_module("jsonschema") {
        return;
    }
    let dir = scratch("json");
    let schema = schema_dir().join("kennis-output.schema.json");
    let mut paths = Vec::new();
    for (name, g) in graphs() {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(
            &path,
            write(&g, OutputFormat::Json, &ExportOptions::default()).unwrap(),
        )
        .unwrap();
        paths.push(path);
    }
    // The schema can fail: a statement without its span, or with a bad modality.
    let json = write(
        &nasty_graph(false),
        OutputFormat::Json,
        &ExportOptions::default(),
    )
    .unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    v["statements"][0].as_object_mut().unwrap().remove("span");
    v["statements"][1]["modality"] = "rumoured".into();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&v).unwrap()).unwrap();
    paths.push(bad);
    let mut argv = vec!["-c", JSONSCHEMA, schema.to_str().unwrap()];
    argv.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let o = run("python3", &argv);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), paths.len(), "{out}");
    for (path, line) in paths.iter().zip(&lines).take(paths.len() - 1) {
        assert_eq!(*line, "OK", "{} is invalid", path.display());
    }
    let last = lines.last().unwrap();
    assert!(last.contains("span") && last.contains("rumoured"), "{last}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Parses each GraphML file of argv[1:], checks edges point at declared nodes and typed values
/// parse; prints "nodes edges" per file.
const GRAPHML: &str = r#"
import sys
import xml.etree.ElementTree as ET
ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k.get("attr.type") for k in root.findall("g:key", ns)}
    graph = root.find("g:graph", ns)
    nodes = {n.get("id") for n in graph.findall("g:node", ns)}
    for e in graph.findall("g:edge", ns):
        assert e.get("source") in nodes and e.get("target") in nodes, e.get("id")
    for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data"):
        t = keys[d.get("key")]
        if t in ("int", "long"): int(d.text)
        if t == "double": float(d.text)
    print(len(nodes), len(graph.findall("g:edge", ns)))
"#;

#[test]
fn graphml_parses_as_xml_with_declared_typed_keys() {
    if !tool("python3", &["--version"]) {
        return;
    }
    let dir = scratch("graphml");
    let mut paths = Vec::new();
    let mut want = Vec::new();
    for (name, g) in graphs() {
        let path = dir.join(format!("{name}.graphml"));
        std::fs::write(
            &path,
            write(&g, OutputFormat::GraphMl, &ExportOptions::default()).unwrap(),
        )
        .unwrap();
        paths.push(path);
        want.push(g.statement_count());
    }
    let mut argv = vec!["-c", GRAPHML];
    argv.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let o = run("python3", &argv);
    assert!(o.status.success(), "{}", stderr(&o));
    let edges: Vec<usize> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.split(' ').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(edges, want);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rdf12_output_parses_back_through_oxrdfio() {
    // No independent RDF 1.2 parser is packaged in Debian or rdflib yet; oxrdfio's own parser
    // (the one Oxigraph uses) checks the syntax.
    let opts = ExportOptions {
        provenance: Provenance::Rdf12,
        ..Default::default()
    };
    for (name, g) in graphs() {
        for (format, _) in RAPPER {
            let bytes = write(&g, format, &opts).unwrap();
            let parsed = oxrdfio::RdfParser::from_format(super::rdf::oxformat(format).unwrap())
                .for_slice(&bytes)
                .collect::<Result<Vec<_>, _>>();
            assert!(parsed.is_ok(), "{name} {format}: {:?}", parsed.err());
        }
    }
}
