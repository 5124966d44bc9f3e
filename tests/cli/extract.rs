//! `kennis extract` end to end: the seed article's required statements, the rules through the
//! trained models, determinism, input order, bad input, formats and options.

use serde_json::Value;

use crate::{repo_file, run_in, Run, Scratch};

fn root() -> std::path::PathBuf {
    repo_file("")
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args, b"")
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("extract -f json writes JSON")
}

/// The statements of a JSON graph as (subject label, relation, object label or literal) with
/// the statement itself.
fn statements(g: &Value) -> Vec<(String, String, String, &Value)> {
    let label = |id: &Value| entity_label(g, id);
    g["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let object = label(&s["object"])
                .or_else(|| s["object_literal"].as_str().map(str::to_string))
                .unwrap_or_default();
            (
                label(&s["subject"]).unwrap(),
                s["relation"].as_str().unwrap().to_string(),
                object,
                s,
            )
        })
        .collect()
}

fn entity<'g>(g: &'g Value, label: &str) -> Option<&'g Value> {
    g["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == label)
}

fn entity_label(g: &Value, id: &Value) -> Option<String> {
    g["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == *id)
        .map(|e| e["label"].as_str().unwrap().to_string())
}

const SEED: &str = "examples/article-xi-moskou.txt";

#[test]
fn seed_article_gives_the_required_statements() {
    let g = json(&run(&["extract", SEED, "-f", "json"]));
    let all = statements(&g);
    let find = |s: &str, r: &[&str], o: &str| {
        all.iter()
            .find(|(subj, rel, obj, _)| subj == s && r.contains(&rel.as_str()) && obj.contains(o))
            .map(|t| t.3)
            .unwrap_or_else(|| {
                let list: Vec<_> = all.iter().map(|t| (&t.0, &t.1, &t.2)).collect();
                panic!("no ({s}, {r:?}, {o}) in {list:#?}")
            })
    };
    let visit = find("Xi Jingping", &["visit"], "Moskou");
    assert_eq!(visit["modality"], "planned");
    assert_eq!(
        entity_label(&g, &visit["attributed_to"]).as_deref(),
        Some("Wall Street Journal")
    );
    let moskou = entity(&g, "Moskou").expect("Moskou is an entity");
    assert_eq!(moskou["same_as"][0], "https://sws.geonames.org/524901/");
    assert_eq!(moskou["type"], "Place");
    assert_eq!(
        find("Xi Jingping", &["consult", "meet"], "Vladimir Poetin")["modality"],
        "planned"
    );
    find("Wall Street Journal", &["report"], "Xi Jingping zal");
    find("Wang Yi", &["visit"], "Rusland");
    let kremlin = find("Wang Yi", &["meet"], "Vladimir Poetin");
    assert_eq!(
        entity_label(&g, &kremlin["place"]).as_deref(),
        Some("Kremlin")
    );
    let lavrov = find("Wang Yi", &["meet"], "Sergej Lavrov");
    assert_eq!(lavrov["time"], "eerder op de dag");
    let praise = find("Wang Yi", &["praise"], "samenwerking");
    assert!(praise["sentence"]
        .as_str()
        .unwrap()
        .starts_with("Hij prees"));
    find(
        "Maria Zakharova",
        &["spokesperson_of"],
        "ministerie van Buitenlandse Zaken",
    );
    find("Maria Zakharova", &["say"], "Wij zijn verheugd");
    // A quotation that opens inside what was said closes inside it too.
    find("Rusland", &["say"], "op te lossen.”");
    find("Vladimir Poetin", &["hold_position"], "president");
    find("Xi Jingping", &["hold_position"], "president");
    find(
        "Sergej Lavrov",
        &["hold_position"],
        "minister van Buitenlandse Zaken",
    );
    // Nothing from the teaser line, which is boilerplate.
    for (_, _, _, s) in &all {
        let sentence = s["sentence"].as_str().unwrap();
        assert!(
            !sentence.contains("LEES OOK") && !sentence.contains("kernoorlog"),
            "{sentence}"
        );
    }
    // One node each for Xi, Poetin, Wang and Lavrov, however often they are named.
    for name in ["Xi", "Poetin", "Wang", "Lavrov"] {
        let nodes: Vec<&str> = g["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["label"].as_str().unwrap())
            .filter(|l| l.split_whitespace().any(|w| w == name))
            .collect();
        assert_eq!(nodes.len(), 1, "{name}: {nodes:?}");
    }
    // Offsets are code points of the file as read: the span slices the evidence out.
    let text: Vec<char> = std::fs::read_to_string(repo_file(SEED))
        .unwrap()
        .chars()
        .collect();
    let span = &visit["span"];
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    let evidence: String = text[a..b].iter().collect();
    assert!(
        evidence.contains("Xi Jingping") && evidence.contains("Moskou"),
        "{evidence}"
    );
}

/// The rules through the trained models, on sentences like the hand-built trees of the unit
/// tests: a retrained tagger or parser that breaks a rule shows here.
#[test]
fn rules_hold_through_the_trained_models() {
    let cases: [(&str, &str, &[&str], &str, Option<(&str, &str)>); 11] = [
        ("Premier Mark Rutte bezocht dinsdag Berlijn.", "Mark Rutte", &["visit"], "Berlijn", Some(("time", "dinsdag"))),
        ("Koning Filip ontving de Franse president Emmanuel Macron.", "Filip", &["host"], "Emmanuel Macron", None),
        ("Emmanuel Macron zal volgende week Berlijn bezoeken.", "Emmanuel Macron", &["visit"], "Berlijn", Some(("modality", "planned"))),
        ("Olaf Scholz ontmoette Emmanuel Macron niet.", "Olaf Scholz", &["meet"], "Emmanuel Macron", Some(("polarity", "negated"))),
        ("Volgens het persbureau Reuters bracht Emmanuel Macron een bezoek aan Moskou.", "Emmanuel Macron", &["visit"], "Moskou", Some(("modality", "reported"))),
        ("Olaf Scholz zei dat de Franse president Emmanuel Macron volgende week Berlijn zal bezoeken.", "Emmanuel Macron", &["visit"], "Berlijn", Some(("modality", "planned"))),
        ("Emmanuel Macron bracht een bezoek aan Berlijn.", "Emmanuel Macron", &["visit"], "Berlijn", None),
        ("Olaf Scholz en Emmanuel Macron steunen Oekraïne.", "Emmanuel Macron", &["support"], "Oekraïne", None),
        ("Lavrov werd donderdag door Poetin ontvangen in het Kremlin.", "Poetin", &["host"], "Lavrov", Some(("place", "place-kremlin"))),
        ("“Dit is geen goed signaal naar de reiziger”, meent minister Isabelle Durant.", "Isabelle Durant", &["say"], "geen goed signaal", None),
        ("“De oprichting moet in Londen gebeuren omdat de vorm daar wettelijk wordt erkend”, legt secretaris-generaal Patrick Du Bois van Sabena uit.", "Patrick Du Bois", &["hold_position"], "secretaris-generaal", None),
    ];
    let mut failures = Vec::new();
    for (text, s, r, o, check) in cases {
        let out = run_in(&root(), &["extract", "-f", "json"], text.as_bytes());
        let g = json(&out);
        let all = statements(&g);
        let hit = all.iter().find(|(subj, rel, obj, _)| {
            subj.contains(s) && r.contains(&rel.as_str()) && obj.contains(o)
        });
        match (hit, check) {
            (None, _) => failures.push(format!("{text}: no ({s}, {r:?}, {o})")),
            (Some(h), Some((field, want))) if h.3[field] != want => {
                failures.push(format!("{text}: {field} is {}, not {want}", h.3[field]))
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn extracting_twice_gives_the_same_bytes_and_input_order_does_not_matter() {
    let dev = "tests/data/extract-dev";
    let a = run(&["extract", SEED, dev, "-f", "nquads"]);
    let b = run(&["extract", SEED, dev, "-f", "nquads", "-j", "1"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout, "not deterministic");
    let c = run(&["extract", dev, SEED, "-f", "nquads"]);
    assert_eq!(
        a.stdout, c.stdout,
        "the order of the inputs changed the output"
    );
    assert!(a.stdout.lines().count() > 500);
}

#[test]
fn every_format_is_written_and_guessed_from_the_extension() {
    let dir = Scratch::new("extract-formats");
    let seed = repo_file(SEED);
    let seed = seed.to_str().unwrap();
    for (ext, probe) in [
        ("ttl", "@prefix"),
        ("nt", "> ."),
        ("nq", "> ."),
        ("trig", "{"),
        ("rdf", "<rdf:RDF"),
        ("jsonld", "\"@"),
        ("dot", "digraph"),
        ("json", "\"statements\""),
        ("graphml", "<graphml"),
    ] {
        let out = format!("seed.{ext}");
        let r = dir.run(&["extract", seed, "-o", &out]);
        assert_eq!(r.code, 0, "{ext}: {}", r.stderr);
        let text = std::fs::read_to_string(dir.path().join(&out)).unwrap();
        assert!(text.contains(probe), "{ext} output lacks {probe}");
    }
    // No temporary files are left behind.
    assert!(
        dir.entries().iter().all(|e| !e.contains(".tmp")),
        "{:?}",
        dir.entries()
    );
    // Turtle is the default on stdout.
    let r = run(&["extract", SEED]);
    assert!(r.stdout.contains("@prefix"));
    // An extension kennis does not know is a usage error naming the file.
    let r = dir.run(&["extract", seed, "-o", "graph.xyz"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("graph.xyz") && r.stderr.contains("-f"),
        "{}",
        r.stderr
    );
}

#[test]
fn options_base_provenance_and_min_confidence() {
    let r = run(&[
        "extract",
        SEED,
        "-f",
        "ntriples",
        "--base",
        "https://news.example.org/kg/",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("<https://news.example.org/kg/entity/"));
    // Minted IRIs move; the vocabulary (kn:, the ontology) keeps its own namespace.
    assert!(!r.stdout.contains("kennis.example/entity/"));
    assert!(!r.stdout.contains("kennis.example/stmt/"));
    let r = run(&["extract", SEED, "--base", "not an iri"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&["extract", SEED, "-f", "turtle", "--provenance", "rdf12"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("reifies"));
    let r = run(&["extract", SEED, "-f", "jsonld", "--provenance", "rdf12"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("JSON-LD"), "{}", r.stderr);
    let all = json(&run(&[
        "extract",
        SEED,
        "-f",
        "json",
        "--min-confidence",
        "0",
    ]));
    let strict = json(&run(&[
        "extract",
        SEED,
        "-f",
        "json",
        "--min-confidence",
        "0.85",
    ]));
    let n = |g: &Value| g["statements"].as_array().unwrap().len();
    assert!(n(&strict) < n(&all), "{} vs {}", n(&strict), n(&all));
    for s in strict["statements"].as_array().unwrap() {
        assert!(s["confidence"].as_f64().unwrap() >= 0.85);
    }
    let r = run(&["extract", SEED, "--min-confidence", "2"]);
    assert_eq!(r.code, 2);
}

#[test]
fn explain_says_why_names_were_merged() {
    let r = run(&["extract", SEED, "-f", "json", "--explain"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("“Wang” (sentence 6) is Wang Yi"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("by light-verb"), "{}", r.stderr);
    // The JSON carries the same notes.
    let g: Value = serde_json::from_str(&r.stdout).unwrap();
    let wang = entity(&g, "Wang Yi").unwrap();
    assert!(wang.to_string().contains("Wang"), "{wang}");
}

#[test]
fn a_user_lexicon_replaces_the_built_in_one() {
    let dir = Scratch::new("extract-lexicon");
    let builtin = std::fs::read_to_string(repo_file("schema/relations.tsv")).unwrap();
    // The same lexicon with "visit" renamed.
    let mine: String = builtin
        .lines()
        .map(|l| {
            if l.starts_with("visit\t") {
                l.replacen("visit\t", "go_to\t", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let lex = dir.file("mine.tsv", mine);
    let seed = repo_file(SEED);
    let r = dir.run(&[
        "extract",
        seed.to_str().unwrap(),
        "-f",
        "json",
        "--lexicon",
        lex.to_str().unwrap(),
    ]);
    let g = json(&r);
    let rels: Vec<String> = statements(&g).into_iter().map(|t| t.1).collect();
    assert!(rels.contains(&"go_to".to_string()) && !rels.contains(&"visit".to_string()));
    let bad = dir.file("bad.tsv", "name\tnope\n");
    let r = dir.run(&[
        "extract",
        seed.to_str().unwrap(),
        "--lexicon",
        bad.to_str().unwrap(),
    ]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("bad.tsv"), "{}", r.stderr);
}

#[test]
fn a_bad_file_in_a_batch_is_reported_and_the_rest_come_out() {
    let dir = Scratch::new("extract-batch");
    dir.file(
        "a.txt",
        "Koning Filip ontving de Franse president Emmanuel Macron.\n",
    );
    dir.file("b.txt", [0xff, 0xfe, 0x00, 0x41]);
    dir.file("c.txt", "Emmanuel Macron bracht een bezoek aan Berlijn.\n");
    let r = dir.run(&[
        "extract",
        "a.txt",
        "b.txt",
        "c.txt",
        "missing.txt",
        "-f",
        "json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("b.txt") && r.stderr.contains("missing.txt"),
        "{}",
        r.stderr
    );
    let g: Value = serde_json::from_str(&r.stdout).unwrap();
    let docs: Vec<&str> = g["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["a", "c"]);
    // With -o and nothing readable, no file appears.
    let r = dir.run(&["extract", "b.txt", "-o", "out.ttl"]);
    assert_eq!(r.code, 1);
    assert!(!dir.path().join("out.ttl").exists());
}

#[test]
fn jsonl_batches_and_articles_with_urls() {
    let lines = concat!(
        r#"{"id": "one", "url": "https://news.example/one", "date": "2024-05-01", "text": "Emmanuel Macron bracht een bezoek aan Berlijn."}"#,
        "\n",
        r#"{"id": "two", "text": "Olaf Scholz ontmoette Emmanuel Macron in Parijs."}"#,
        "\n"
    );
    let dir = Scratch::new("extract-jsonl");
    dir.file("batch.jsonl", lines);
    let r = dir.run(&["extract", "batch.jsonl", "-f", "trig"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Each article is a named graph; one with a URL is named by it.
    assert!(
        r.stdout.contains("<https://news.example/one> {"),
        "{}",
        r.stdout
    );
    // One Macron node across both articles.
    let g = json(&dir.run(&["extract", "batch.jsonl", "-f", "json"]));
    let macron = entity(&g, "Emmanuel Macron").expect("Macron");
    assert_eq!(macron["mentions"], 2);
}

/// The development set end to end: kennis's statements on 28 real articles stay judged and
/// precise. A retrained model that changes what is extracted shows up here as unjudged
/// statements (judge them in tests/data/extract-dev/judged.tsv) or as lost precision.
#[test]
fn development_articles_keep_their_precision() {
    let r = run(&["eval", "--task", "extract", "tests/data/extract-dev"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let field = |name: &str| -> f64 {
        r.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in\n{}", r.stdout))
    };
    let statements = field("statements");
    let unjudged: f64 = r
        .stdout
        .lines()
        .find(|l| l.starts_with("judged"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(statements >= 100.0, "{}", r.stdout);
    assert!(
        unjudged <= statements * 0.1,
        "too many unjudged statements:\n{}",
        r.stdout
    );
    assert!(field("precision") >= 80.0, "{}", r.stdout);
    assert!(field("recall") >= 25.0, "{}", r.stdout);
}

/// `--stream` writes each article as it is done: its named graph holds exactly what the merged
/// output holds for it, and the entity IRIs are the same, so streamed pieces loaded together
/// meet on the same nodes.
#[test]
fn streaming_writes_the_same_article_graphs() {
    use std::collections::BTreeSet;
    let dev = "tests/data/extract-dev";
    let whole = run(&["extract", SEED, dev, "-f", "nquads"]);
    let streamed = run(&["extract", SEED, dev, "--stream"]);
    let streamed_1 = run(&["extract", SEED, dev, "--stream", "-j", "1"]);
    assert_eq!(streamed.code, 0, "{}", streamed.stderr);
    assert_eq!(streamed.stdout, streamed_1.stdout, "--stream depends on -j");
    let named = |nq: &str| -> BTreeSet<String> {
        nq.lines()
            .filter(|l| l.matches("> <").count() >= 2 && l.trim_end().ends_with("> ."))
            .filter(|l| {
                // A quad (four terms) rather than a triple in the default graph.
                let t = l.trim_end_matches(" .");
                t.ends_with('>')
                    && t.rsplit_once(" <")
                        .is_some_and(|(head, _)| head.ends_with('"') || head.ends_with('>'))
                    && t.split(" <").count() >= 4
            })
            .map(str::to_string)
            .collect()
    };
    let entities = |nq: &str| -> BTreeSet<String> {
        nq.split(['<', '>'])
            .filter(|t| t.starts_with("https://kennis.example/entity/"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(entities(&whole.stdout), entities(&streamed.stdout));
    let (w, s) = (named(&whole.stdout), named(&streamed.stdout));
    assert!(!w.is_empty());
    assert!(
        w.is_subset(&s),
        "streamed output lacks {:?}",
        w.difference(&s).next()
    );
    // JSON Lines: one statement a line, each with its labels.
    let lines = run(&["extract", SEED, "--stream", "-f", "jsonl"]);
    assert_eq!(lines.code, 0, "{}", lines.stderr);
    let all = json(&run(&["extract", SEED, "-f", "json"]));
    let n = all["statements"].as_array().unwrap().len();
    assert_eq!(lines.stdout.lines().count(), n);
    for line in lines.stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(
            v["subject_label"].is_string() && v["relation"].is_string(),
            "{line}"
        );
    }
    // Only streamable formats.
    let r = run(&["extract", SEED, "--stream", "-f", "turtle"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--stream"), "{}", r.stderr);
}
