//! `kennis query` end to end: the ready queries of `examples/queries/` on the seed article, RDF
//! files against articles, the result formats, determinism and the error paths.

use serde_json::Value;

use crate::{repo_file, run_in, Run, Scratch};

const SEED: &str = "examples/article-xi-moskou.txt";

fn run(args: &[&str]) -> Run {
    run_in(&repo_file(""), args, b"")
}

/// Asserts that the run exited with `code` and said `needle` on stderr.
fn says(run: &Run, code: i32, needle: &str) {
    assert_eq!(run.code, code, "{}", run.stderr);
    assert!(
        run.stderr.contains(needle),
        "no {needle:?} in:\n{}",
        run.stderr
    );
}

/// The seed article's absolute path, for runs in a scratch directory.
fn seed_path() -> String {
    repo_file(SEED).to_str().unwrap().to_string()
}

fn ok(run: Run) -> String {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// The rows of a SPARQL JSON result, each as (variable, value) pairs; IRIs, literals and blank
/// nodes all as their `value`.
fn rows(json: &str) -> Vec<Vec<(String, String)>> {
    let v: Value = serde_json::from_str(json).expect("-f json writes JSON");
    let vars: Vec<String> = v["head"]["vars"]
        .as_array()
        .expect("head.vars")
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    v["results"]["bindings"]
        .as_array()
        .expect("results.bindings")
        .iter()
        .map(|b| {
            vars.iter()
                .map(|name| {
                    let value = b[name]["value"].as_str().unwrap_or("").to_string();
                    (name.clone(), value)
                })
                .collect()
        })
        .collect()
}

fn ready_query(name: &str) -> Vec<Vec<(String, String)>> {
    let file = format!("examples/queries/{name}.rq");
    rows(&ok(run(&[
        "query",
        "--query-file",
        &file,
        SEED,
        "-f",
        "json",
    ])))
}

/// Finds the row whose cells end with the given values (IRIs match by their ending, so
/// `rel/meet` matches whatever the base).
fn find<'r>(rows: &'r [Vec<(String, String)>], want: &[(&str, &str)]) -> &'r [(String, String)] {
    rows.iter()
        .find(|row| {
            want.iter().all(|(var, value)| {
                row.iter()
                    .any(|(name, got)| name == var && got.ends_with(value))
            })
        })
        .unwrap_or_else(|| panic!("no row with {want:?} in {rows:#?}"))
}

#[test]
fn who_met_whom_on_the_seed() {
    let rows = ready_query("who-met-whom");
    let lavrov = find(
        &rows,
        &[
            ("who", "Wang Yi"),
            ("relation", "/rel/meet"),
            ("whom", "Sergej Lavrov"),
        ],
    );
    assert!(lavrov.contains(&("time".into(), "eerder op de dag".into())));
    assert!(lavrov.contains(&(
        "modality".into(),
        "https://kennis.example/ns#Asserted".into()
    )));
    find(
        &rows,
        &[
            ("who", "Wang Yi"),
            ("whom", "Vladimir Poetin"),
            ("place", "Kremlin"),
        ],
    );
    // Xi's talks with Poetin are only planned.
    find(
        &rows,
        &[
            ("who", "Xi Jingping"),
            ("relation", "/rel/consult"),
            ("whom", "Vladimir Poetin"),
            ("modality", "#Planned"),
        ],
    );
    // The table: a header, a rule, and aligned rows with IRIs shortened.
    let table = ok(run(&[
        "query",
        "--query-file",
        "examples/queries/who-met-whom.rq",
        SEED,
    ]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("who ") && lines[0].contains("  whom "),
        "{table}"
    );
    assert!(lines[1].starts_with("---") && !lines[1].contains(|c| c != '-' && c != ' '));
    let row = lines
        .iter()
        .find(|l| l.contains("Sergej Lavrov"))
        .expect("a row for Lavrov");
    assert!(
        row.starts_with("Wang Yi") && row.contains(" kr:meet ") && row.contains("kn:Asserted"),
        "{table}"
    );
    assert!(row.ends_with("doc:article-xi-moskou"), "{table}");
    // Columns line up: every cell of the second column starts where its header does.
    let col = lines[0].find("relation").unwrap();
    assert!(
        lines[2..].iter().all(|l| l[col..].starts_with("kr:")),
        "{table}"
    );
}

#[test]
fn said_about_by_source_and_roles_on_the_seed() {
    let said = ready_query("said-about");
    assert!(said.len() >= 5, "{said:#?}");
    for row in &said {
        let about_wang = row
            .iter()
            .any(|(v, x)| (v == "subject" || v == "object") && x == "Wang Yi");
        assert!(about_wang, "{row:?}");
    }
    find(
        &said,
        &[("relation", "/rel/meet"), ("object", "Sergej Lavrov")],
    );
    find(
        &said,
        &[
            ("relation", "/rel/say"),
            ("source", "Ria Novosti"),
            ("modality", "#Reported"),
        ],
    );
    let praise = find(&said, &[("relation", "/rel/praise")]);
    assert!(praise
        .iter()
        .any(|(v, x)| v == "sentence" && x.starts_with("Hij prees")));

    let by_source = ready_query("by-source");
    find(
        &by_source,
        &[
            ("source", "Wall Street Journal"),
            ("subject", "Xi Jingping"),
            ("relation", "/rel/visit"),
            ("object", "Moskou"),
            ("modality", "#Planned"),
        ],
    );
    find(
        &by_source,
        &[
            ("source", "Ria Novosti"),
            ("subject", "Wang Yi"),
            ("relation", "/rel/say"),
        ],
    );
    assert!(by_source
        .iter()
        .all(|row| !row.iter().any(|(v, x)| v == "source" && x.is_empty())));

    let roles = ready_query("roles");
    for (person, relation, position) in [
        (
            "Vladimir Poetin",
            "/rel/hold_position",
            "president van Rusland",
        ),
        ("Xi Jingping", "/rel/hold_position", "president van China"),
        (
            "Sergej Lavrov",
            "/rel/hold_position",
            "minister van Buitenlandse Zaken (Rusland)",
        ),
        (
            "Maria Zakharova",
            "/rel/spokesperson_of",
            "ministerie van Buitenlandse Zaken",
        ),
    ] {
        find(
            &roles,
            &[
                ("person", person),
                ("relation", relation),
                ("position", position),
            ],
        );
    }
}

#[test]
fn an_extracted_rdf_file_answers_as_the_article_does() {
    let dir = Scratch::new("query-rdf");
    let root = repo_file("");
    let seed = &seed_path();
    for out in ["seed.nq", "seed.ttl"] {
        let r = run_in(dir.path(), &["extract", seed, "-o", out], b"");
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for name in ["who-met-whom", "said-about", "by-source", "roles"] {
        let file = root.join(format!("examples/queries/{name}.rq"));
        let file = file.to_str().unwrap();
        let query = |inputs: &[&str]| {
            let mut args = vec!["query", "--query-file", file];
            args.extend(inputs);
            ok(run_in(dir.path(), &args, b""))
        };
        let direct = query(&[seed]);
        assert!(direct.lines().count() > 2, "{name}: {direct}");
        assert_eq!(query(&["seed.nq"]), direct, "{name} on N-Quads");
        assert_eq!(query(&["seed.ttl"]), direct, "{name} on Turtle");
        // A mixed list: the same statements twice are the same statements.
        assert_eq!(query(&["seed.nq", seed]), direct, "{name} on both");
    }
}

#[test]
fn result_formats_parse() {
    let q = "SELECT ?who ?whom WHERE { ?s kr:meet ?o . ?s rdfs:label ?who . ?o rdfs:label ?whom } ORDER BY ?whom";
    let csv = ok(run(&["query", q, SEED, "-f", "csv"]));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines,
        [
            "who,whom",
            "Wang Yi,Sergej Lavrov",
            "Wang Yi,Vladimir Poetin",
            ""
        ],
        "{csv:?}"
    );
    let tsv = ok(run(&["query", q, SEED, "-f", "tsv"]));
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines[0], "?who\t?whom");
    assert_eq!(lines[1], "\"Wang Yi\"@nl\t\"Sergej Lavrov\"@nl");
    let json = ok(run(&["query", q, SEED, "-f", "json"]));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["head"]["vars"], serde_json::json!(["who", "whom"]));
    let first = &v["results"]["bindings"][0];
    assert_eq!(first["whom"]["value"], "Sergej Lavrov");
    assert_eq!(first["whom"]["type"], "literal");
    assert_eq!(first["whom"]["xml:lang"], "nl");
    // -o picks the format from the extension and writes the file whole.
    let dir = Scratch::new("query-out");
    let seed = seed_path();
    let r = run_in(dir.path(), &["query", q, &seed, "-o", "r.csv"], b"");
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.0.join("r.csv")).unwrap(), csv);
    // ASK and CONSTRUCT.
    assert_eq!(ok(run(&["query", "ASK { ?x kr:meet ?y }", SEED])), "true\n");
    let ask = ok(run(&["query", "ASK { ?x kr:fly ?y }", SEED, "-f", "json"]));
    assert_eq!(
        serde_json::from_str::<Value>(&ask).unwrap()["boolean"],
        false
    );
    let construct = "CONSTRUCT { ?x kr:met ?y } WHERE { ?x kr:meet ?y }";
    let ttl = ok(run(&["query", construct, SEED]));
    assert!(
        ttl.contains("ent:person-wang-yi kr:met ent:person-sergej-lavrov"),
        "{ttl}"
    );
    let nt = ok(run(&["query", construct, SEED, "-f", "ntriples"]));
    assert_eq!(nt.lines().count(), 2, "{nt}");
    assert!(nt
        .lines()
        .all(|l| l.starts_with("<https://kennis.example/entity/")));
    // A format the query form cannot give is a usage error, before any article is read.
    let r = run(&["query", construct, SEED, "-f", "csv"]);
    says(&r, 2, "-f turtle");
}

#[test]
fn results_do_not_depend_on_input_order_or_threads() {
    let dir = Scratch::new("query-order");
    dir.file(
        "b.txt",
        "De Nederlandse premier Mark Rutte ontmoette dinsdag de Franse president Emmanuel Macron in Parijs.\n",
    );
    let seed = &seed_path();
    // No ORDER BY: the store's own order, which the data alone decides.
    let q = "SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s kr:meet ?o } }";
    let a = ok(run_in(
        dir.path(),
        &["query", q, seed, "b.txt", "-j", "1"],
        b"",
    ));
    let b = ok(run_in(
        dir.path(),
        &["query", q, "b.txt", seed, "-j", "2"],
        b"",
    ));
    assert_eq!(a, b);
    assert!(
        a.contains("ent:person-mark-rutte") && a.contains("ent:person-wang-yi"),
        "{a}"
    );
    // Each article is a named graph, and the default graph is their union.
    let graphs = ok(run_in(
        dir.path(),
        &[
            "query",
            "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            seed,
            "b.txt",
            "-f",
            "csv",
        ],
        b"",
    ));
    assert_eq!(graphs, "n\r\n2\r\n");
}

#[test]
fn base_moves_the_prefixes_and_ready_queries_still_work() {
    for base in ["http://example.org/kg/", "http://example.org/kg#"] {
        let r = run(&[
            "query",
            "--query-file",
            "examples/queries/who-met-whom.rq",
            SEED,
            "--base",
            base,
            "-f",
            "json",
        ]);
        let rows = rows(&ok(r));
        let meet = find(&rows, &[("who", "Wang Yi"), ("whom", "Sergej Lavrov")]);
        assert!(
            meet.contains(&("relation".into(), format!("{base}rel/meet"))),
            "{meet:?}"
        );
    }
}

#[test]
fn a_syntax_error_exits_2_and_says_where() {
    // Checked before any article is read: a missing input is not even looked at.
    let r = run(&[
        "query",
        "SELECT ?x WHERE {\n  ?x kr:meet ?y",
        "does-not-exist.txt",
    ]);
    says(
        &r,
        2,
        "kennis: the query is not valid SPARQL: line 2, column 16: expected",
    );
    says(&r, 2, "\n      ?x kr:meet ?y\n");
    assert_eq!(r.stdout, "");
    assert!(!r.stderr.contains("does-not-exist"), "{}", r.stderr);
    // From a file: named by its path; an undeclared prefix is named.
    let dir = Scratch::new("query-syntax");
    dir.file("q.rq", "SELECT * WHERE { ?x foo:bar ?y }\n");
    let seed = seed_path();
    let r = run_in(dir.path(), &["query", "--query-file", "q.rq", &seed], b"");
    says(
        &r,
        2,
        "q.rq is not valid SPARQL: line 1, column 28: the prefix foo: is not declared",
    );
    // A query file given as the query: a hint.
    let r = run_in(dir.path(), &["query", "q.rq", &seed], b"");
    says(&r, 2, "use --query-file q.rq");
    // A missing query file, and no query at all.
    let r = run_in(dir.path(), &["query", "--query-file", "nope.rq"], b"");
    says(&r, 2, "nope.rq");
    let r = run_in(dir.path(), &["query"], b"");
    says(&r, 2, "no query");
}

#[test]
fn bad_and_missing_inputs_are_reported_and_the_rest_is_queried() {
    let dir = Scratch::new("query-bad");
    dir.file(
        "bad.nt",
        "<http://x.example/a> <http://x.example/p> <http://x.example/b> .\n<http://x.example/a> <http://x.example/p> oops .\n",
    );
    let seed = &seed_path();
    let q = "SELECT ?x ?y WHERE { ?x kr:meet ?y } ORDER BY ?y";
    let r = run_in(
        dir.path(),
        &["query", q, "missing.txt", "missing.nq", "bad.nt", seed],
        b"",
    );
    for said in [
        "missing.txt: No such file",
        "missing.nq: No such file",
        "bad.nt:2: not valid N-Triples",
    ] {
        says(&r, 1, said);
    }
    assert!(
        r.stdout.contains("ent:person-sergej-lavrov"),
        "{}",
        r.stdout
    );
    // Nothing readable: nothing run.
    let r = run_in(dir.path(), &["query", q, "missing.nq"], b"");
    says(&r, 1, "no input could be read");
    assert_eq!(r.stdout, "");
    // Articles on stdin when no input is named.
    let text = std::fs::read(repo_file(SEED)).unwrap();
    let r = run_in(dir.path(), &["query", q, "-f", "csv"], &text);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
}
