//! Hand-built graphs with nasty inputs (quotes, backslashes, newlines, control characters,
//! other scripts, emoji, empty strings, very long labels), shared by the exporters' tests.

use crate::graph::*;

/// Two articles, every polarity and modality, literal and entity objects, and names that break
/// naive escaping. `reversed` adds the same content in the opposite order.
pub fn nasty_graph(reversed: bool) -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    let docs = [
        DocumentInfo {
            id: "nos-2023-02 \"x\"".into(),
            source: "seed/a b\\c.txt".into(),
            url: Some("https://nos.example/artikel/123?x=1&y=2".into()),
            title: Some("Xi: \"vrienden\" \\ <b>&amp;</b>\nregel 2".into()),
            date: Some("2023-02".into()),
            language: "nl".into(),
            sentences: 3,
        },
        DocumentInfo {
            id: "tass-ü".into(),
            source: "-".into(),
            url: Some("not a url".into()),
            title: Some(String::new()),
            date: Some("14 februari".into()),
            language: "en".into(),
            sentences: 1,
        },
    ];
    let long = "Zeer lange naam ".repeat(300);
    if reversed {
        g.add_document(docs[1].clone()).unwrap();
        g.add_document(docs[0].clone()).unwrap();
    } else {
        g.add_document(docs[0].clone()).unwrap();
        g.add_document(docs[1].clone()).unwrap();
    }
    {
        let mut statements = Vec::new();
        let xi = g.add_entity(
            Entity::new("Xi Jinping", EntityKind::Person)
                .with_lang("nl")
                .with_alias("Xi", Some("nl"))
                .with_alias("习近平", Some("zh"))
                .with_mentions(3)
                .with_merge_note("\"Xi\" after \"Xi Jinping\": the longest full name wins"),
        );
        let moskou = g.add_entity(
            Entity::new("Moskou", EntityKind::Place)
                .with_lang("nl")
                .with_geonames(524901),
        );
        let quoter = g.add_entity(
            Entity::new(
                "O'Brien \"The \\ Quote\"\n<Man> & {co} [x] | y",
                EntityKind::Person,
            )
            .with_lang("nl"),
        );
        let empty = g.add_entity(Entity::new("", EntityKind::Other));
        let longe = g.add_entity(Entity::new(long.clone(), EntityKind::Organization));
        let ria = g.add_entity(
            Entity::new("Ria Novosti", EntityKind::Organization)
                .with_alias("РИА Новости", Some("ru")),
        );
        let summit =
            g.add_entity(Entity::new("G20-top 🎉", EntityKind::Event).with_lang("bad tag!"));
        let d = "nos-2023-02 \"x\"".to_string();
        let base = Statement {
            subject: xi,
            relation: "visit".into(),
            relation_text: "brengt een bezoek aan".into(),
            object: Object::Entity(moskou),
            polarity: Polarity::Positive,
            modality: Modality::Planned,
            attributed_to: Some(ria),
            time: Some("volgende week".into()),
            place: Some(moskou),
            confidence: 0.8,
            document: d.clone(),
            sentence_index: 0,
            sentence: "Xi brengt \"volgende week\" een bezoek aan Moskou, \\ meldt Ria Novosti.\n"
                .into(),
            span: (0, 70),
            rule: "nl/light-verb \"bezoek brengen aan\"".into(),
        };
        statements.push(base.clone());
        statements.push(Statement {
            relation: "meet".into(),
            relation_text: "ontmoet".into(),
            object: Object::Entity(quoter),
            modality: Modality::Asserted,
            attributed_to: None,
            time: None,
            place: None,
            confidence: 1.0,
            span: (71, 90),
            sentence_index: 1,
            sentence: "Tab\there, CR\r, bell \u{7}, NUL-free; ünïcödé “curly” ‘quotes’ — em dash"
                .into(),
            ..base.clone()
        });
        statements.push(Statement {
            subject: quoter,
            relation: "criticize".into(),
            relation_text: "bekritiseert niet".into(),
            object: Object::Entity(empty),
            polarity: Polarity::Negated,
            modality: Modality::Possible,
            confidence: 0.123456,
            span: (91, 91),
            sentence_index: 2,
            sentence: String::new(),
            rule: String::new(),
            ..base.clone()
        });
        statements.push(Statement {
            subject: xi,
            relation: "say".into(),
            relation_text: "zegt".into(),
            object: Object::Literal(Literal {
                value: "Wij zijn \"vrienden\"\\\nvoor altijd <script>".into(),
                lang: Some("nl".into()),
            }),
            modality: Modality::Reported,
            confidence: 0.0,
            span: (100, 140),
            sentence_index: 2,
            ..base.clone()
        });
        statements.push(Statement {
            subject: longe,
            relation: "brengen samen \"open\"".into(),
            relation_text: long.clone(),
            object: Object::Literal(Literal {
                value: String::new(),
                lang: None,
            }),
            polarity: Polarity::Positive,
            modality: Modality::Asserted,
            attributed_to: None,
            time: None,
            place: None,
            sentence: long.clone(),
            span: (0, 4800),
            sentence_index: 0,
            document: "tass-ü".into(),
            confidence: 0.5,
            rule: "open".into(),
        });
        statements.push(Statement {
            subject: summit,
            relation: "located_in".into(),
            relation_text: "in".into(),
            object: Object::Entity(moskou),
            polarity: Polarity::Positive,
            modality: Modality::Asserted,
            attributed_to: None,
            time: None,
            place: None,
            document: "tass-ü".into(),
            span: (5, 9),
            ..base
        });
        if reversed {
            statements.reverse();
        }
        for st in statements {
            g.add_statement(st).unwrap();
        }
    }
    g
}

/// Characters that break writers: quotes, escapes, markup, controls, other scripts, combining
/// marks, bidi controls, zero-width joiners, line separators, emoji.
const POOL: &[char] = &[
    'a', 'Z', '0', ' ', ' ', '"', '\'', '\\', '\n', '\r', '\t', '\u{0}', '\u{7}', '\u{1b}', '<',
    '>', '&', ';', '#', '{', '}', '[', ']', '|', '%', '@', ':', '/', '?', '=', '^', '`', '.', '-',
    '_', 'é', 'ß', 'ĳ', 'Ж', 'я', 'α', 'ע', 'ع', '中', '語', '한', '\u{301}', '\u{202e}',
    '\u{200d}', '\u{2028}', '\u{feff}', '\u{fffd}', '\u{ffff}', '😀', '🇳', '🇱', '…', '“',
];

fn random_string(rng: &mut crate::perceptron::Rng) -> String {
    let len = match rng.below(10) {
        0 => 0,
        1 => 200 + rng.below(200),
        _ => 1 + rng.below(24),
    };
    (0..len).map(|_| POOL[rng.below(POOL.len())]).collect()
}

fn random_lang(rng: &mut crate::perceptron::Rng) -> Option<String> {
    ["nl", "en", "zh-Hant", "", "bad tag", "x-\"q\""]
        .get(rng.below(7))
        .map(|s| s.to_string())
}

/// A graph of random nasty strings, the same for the same seed.
pub fn random_graph(seed: u64, statements: usize) -> KnowledgeGraph {
    let mut rng = crate::perceptron::Rng::new(seed);
    let mut g = KnowledgeGraph::new();
    let mut docs = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let id = format!("d{}{}", docs.len(), random_string(&mut rng));
        let url = match rng.below(3) {
            0 => None,
            1 => Some(format!("https://news.example/{}", random_string(&mut rng))),
            _ => Some(random_string(&mut rng)),
        };
        let doc = DocumentInfo {
            id: id.clone(),
            source: random_string(&mut rng),
            url,
            title: Some(random_string(&mut rng)).filter(|_| rng.chance(0.7)),
            date: Some(random_string(&mut rng)).filter(|_| rng.chance(0.5)),
            language: random_lang(&mut rng).unwrap_or_default(),
            sentences: rng.below(50),
        };
        g.add_document(doc).unwrap();
        docs.push(id);
    }
    let mut ents = Vec::new();
    for _ in 0..2 + rng.below(8) {
        let kind = EntityKind::ALL[rng.below(5)];
        let mut e = Entity::new(random_string(&mut rng), kind);
        if let Some(l) = random_lang(&mut rng) {
            e = e.with_lang(l);
        }
        if rng.chance(0.5) {
            let lang = random_lang(&mut rng);
            e = e.with_alias(random_string(&mut rng), lang.as_deref());
        }
        if kind == EntityKind::Place && rng.chance(0.5) {
            e = e.with_geonames(rng.below(3_000_000) as u64);
        }
        if rng.chance(0.3) {
            e = e.with_merge_note(random_string(&mut rng));
        }
        ents.push(g.add_entity(e.with_mentions(rng.below(9) as u32)));
    }
    let relations = ["visit", "say", "meet", "criticize", "hold_position"];
    for _ in 0..statements {
        let pick = |rng: &mut crate::perceptron::Rng| ents[rng.below(ents.len())];
        let object = if rng.chance(0.3) {
            Object::Literal(Literal {
                value: random_string(&mut rng),
                lang: random_lang(&mut rng),
            })
        } else {
            Object::Entity(pick(&mut rng))
        };
        let a = rng.below(1000);
        let relation = if rng.chance(0.7) {
            relations[rng.below(relations.len())].to_string()
        } else {
            format!("r{}", random_string(&mut rng))
        };
        let st = Statement {
            subject: pick(&mut rng),
            relation,
            relation_text: random_string(&mut rng),
            object,
            polarity: if rng.chance(0.3) {
                Polarity::Negated
            } else {
                Polarity::Positive
            },
            modality: Modality::ALL[rng.below(4)],
            attributed_to: Some(pick(&mut rng)).filter(|_| rng.chance(0.3)),
            time: Some(random_string(&mut rng)).filter(|_| rng.chance(0.3)),
            place: Some(pick(&mut rng)).filter(|_| rng.chance(0.3)),
            confidence: rng.below(1001) as f32 / 1000.0,
            document: docs[rng.below(docs.len())].clone(),
            sentence_index: rng.below(50),
            sentence: random_string(&mut rng),
            span: (a, a + rng.below(200)),
            rule: random_string(&mut rng),
        };
        g.add_statement(st).unwrap();
    }
    g
}

/// The graph kennis extracts from the seed article and the development articles with the
/// shipped models: real output for the validators (rapper, rdflib, pyshacl, dot, jsonschema).
pub fn extracted_graph() -> KnowledgeGraph {
    use crate::extract::Extractor;
    use crate::models::ModelSource;
    use crate::pipeline::Pipeline;
    use crate::read;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = [
        root.join("examples/article-xi-moskou.txt"),
        root.join("tests/data/extract-dev"),
    ];
    let pipeline = Pipeline::load(crate::doc::Lang::Nl, &ModelSource::Default).unwrap();
    let extractor = Extractor::builtin();
    let mut graph = KnowledgeGraph::new();
    let mut ids = read::Ids::default();
    for article in read::read_all(&inputs, Some(read::Format::Text)) {
        let mut article = article.unwrap();
        ids.assign(&mut article);
        let mut doc = article.into_doc(crate::doc::Lang::Nl);
        pipeline.annotate(&mut doc);
        let info = DocumentInfo {
            id: doc.meta.id.clone().unwrap(),
            source: doc.meta.source.clone().unwrap_or_default(),
            url: doc.meta.url.clone(),
            title: doc.meta.title.clone(),
            date: doc.meta.date.clone(),
            language: "nl".into(),
            sentences: doc.sentences.len(),
        };
        let ex = extractor.extract(&doc);
        ex.add_to_graph(&doc, info, &mut graph, 0.0).unwrap();
    }
    graph
}
