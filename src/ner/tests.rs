use std::path::{Path, PathBuf};

use super::*;
use crate::doc::Lang;

fn data_file(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(if name.starts_with("ned.") {
            "conll2002-dutch"
        } else {
            "ner-english"
        })
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "!!! SKIPPED: {} is absent; the NER training test needs ../shared/data",
            p.display()
        );
        None
    }
}

fn small_docs() -> Vec<Doc> {
    let text = "-DOCSTART- O\nPoetin B-PER\nbezoekt O\nMoskou B-LOC\n. O\n\n\
                De O\nNAVO B-ORG\nvergadert O\nin O\nBrussel B-LOC\n. O\n\n\
                Vladimir B-PER\nPoetin I-PER\nsprak O\nmet O\nXi B-PER\nJinping I-PER\n. O\n";
    read_conll(text, Path::new("small"), Lang::Nl).unwrap()
}

#[test]
fn bilou_round_trips_iob2() {
    let tags = [
        Iob::B(EntType::Per),
        Iob::I(EntType::Per),
        Iob::I(EntType::Per),
        Iob::O,
        Iob::B(EntType::Loc),
        Iob::B(EntType::Loc),
        Iob::I(EntType::Org),
    ];
    let classes = bilou(&tags);
    let names: Vec<(usize, usize)> = classes.iter().filter_map(|&c| class_parts(c)).collect();
    assert_eq!(names, [(0, B), (0, I), (0, L), (1, U), (1, U), (2, U)]);
    let back: Vec<Iob> = classes.iter().map(|&c| to_iob(c)).collect();
    let mut expect = tags.to_vec();
    expect[6] = Iob::B(EntType::Org); // a stray I- starts an entity
    assert_eq!(back, expect);
}

#[test]
fn decoding_constraints_allow_only_well_formed_sequences() {
    let mut mask = [false; N_CLASSES];
    allowed(class_of(0, B), false, &[true; 4], &mut mask);
    let ok: Vec<usize> = (0..N_CLASSES).filter(|&c| mask[c]).collect();
    assert_eq!(ok, [class_of(0, I), class_of(0, L)]);
    allowed(class_of(0, I), true, &[true; 4], &mut mask);
    let ok: Vec<usize> = (0..N_CLASSES).filter(|&c| mask[c]).collect();
    assert_eq!(ok, [class_of(0, L)]);
    allowed(0, true, &[true; 4], &mut mask);
    assert!(mask[0] && mask[class_of(3, U)] && !mask[class_of(3, B)]);
    // A type the training data never had (MISC in Universal NER) is never allowed.
    allowed(0, false, &[true, true, true, false], &mut mask);
    assert!(mask[class_of(2, U)] && !mask[class_of(3, U)] && !mask[class_of(3, B)]);
}

#[test]
fn learns_a_toy_corpus_and_round_trips_bytes() {
    let docs = small_docs();
    let opts = TrainOptions {
        epochs: 8,
        groups: FeatureGroups {
            pos: false,
            ..FeatureGroups::default()
        },
        ..TrainOptions::default()
    };
    let ner = Ner::train(&docs, &opts);
    let scores = ner.evaluate(&docs, |_| {});
    assert!(scores.overall().f1() > 0.99, "{scores}");
    let bytes = ner.to_bytes();
    let back = Ner::from_bytes(&bytes).unwrap();
    assert_eq!(back.groups(), ner.groups());
    assert_eq!(back.n_features(), ner.n_features());
    for d in &docs {
        let (mut a, mut b) = (d.clone(), d.clone());
        ner.recognise(&mut a);
        back.recognise(&mut b);
        assert_eq!(a.ner, b.ner);
        assert!(a.annotated.entities);
    }
    // Training is deterministic.
    assert_eq!(Ner::train(&docs, &opts).to_bytes(), bytes);
}

#[test]
fn stale_or_foreign_models_are_refused() {
    let ner = Ner::train(&small_docs(), &TrainOptions::default());
    let mut file = ModelFile::from_bytes(&ner.to_bytes(), Ner::KIND, FEATURE_VERSION).unwrap();
    file.feature_version = FEATURE_VERSION + 1;
    let err = Ner::from_bytes(&file.to_bytes()).err().unwrap().to_string();
    assert!(err.contains("stale"), "{err}");
    let tagger = ModelFile::new("tagger", FEATURE_VERSION).to_bytes();
    let err = Ner::from_bytes(&tagger).err().unwrap().to_string();
    assert!(err.contains("tagger model"), "{err}");
    let bytes = ner.to_bytes();
    assert!(Ner::from_bytes(&bytes[..bytes.len() / 2]).is_err());
}

#[test]
fn recognises_unannotated_text_without_panicking() {
    let ner = Ner::train(&small_docs(), &TrainOptions::default());
    let mut doc = crate::segment::segment("", Lang::Nl);
    ner.recognise(&mut doc);
    assert!(doc.ner.is_empty());
    let mut doc = small_docs().remove(0);
    doc.upos.clear(); // a stage that left a column short must not crash the recogniser
    ner.recognise(&mut doc);
    assert_eq!(doc.ner.len(), doc.len());
    // Tokens outside any sentence are left as O; the sentences are still tagged.
    let mut gappy = small_docs().remove(0);
    gappy.sentences.remove(0);
    ner.recognise(&mut gappy);
    assert_eq!(gappy.ner[0], Iob::O);
    assert_eq!(gappy.ner[4], Iob::O); // "De"
    assert_eq!(gappy.ner[5], Iob::B(EntType::Org)); // "NAVO"
}

/// Quick settings for the slice tests: five epochs, one pass, no POS.
fn slice_options() -> TrainOptions {
    TrainOptions {
        epochs: 5,
        groups: FeatureGroups {
            pos: false,
            stack: false,
            ..FeatureGroups::default()
        },
        ..TrainOptions::default()
    }
}

/// Trains on a slice of ned.train and checks an F1 floor on a slice of ned.testa (seconds).
#[test]
fn conll2002_slice_reaches_an_f1_floor() {
    let (Some(train), Some(dev)) = (data_file("ned.train"), data_file("ned.testa")) else {
        return;
    };
    let read = |p: &Path| read_conll(&std::fs::read_to_string(p).unwrap(), p, Lang::Nl).unwrap();
    let train = read(&train);
    let dev = read(&dev);
    let opts = slice_options();
    let ner = Ner::train(&train[..100], &opts);
    let scores = ner.evaluate(&dev[..30], |_| {});
    eprintln!("{scores}");
    assert!(scores.overall().f1() > 0.65, "{scores}");
}

/// The same code on English: a slice of Universal NER's EWT training file, scored on a slice of
/// its dev file. UNER has no MISC, so none may be predicted.
#[test]
fn universal_ner_english_slice_reaches_an_f1_floor() {
    let (Some(train), Some(dev)) = (
        data_file("uner_en_ewt-train-preliminary.iob2"),
        data_file("uner_en_ewt-dev.iob2"),
    ) else {
        return;
    };
    let read = |p: &Path| read_conll(&std::fs::read_to_string(p).unwrap(), p, Lang::En).unwrap();
    let (train, dev) = (read(&train), read(&dev));
    let opts = slice_options();
    let ner = Ner::train(&train[..250], &opts);
    assert_eq!(ner.groups().entity_types, [true, true, true, false]);
    let scores = ner.evaluate(&dev[..150], |_| {});
    eprintln!("{scores}");
    assert_eq!(scores.per_type[3].predicted, 0, "{scores}");
    assert!(scores.overall().f1() > 0.55, "{scores}");
}

#[test]
fn stacked_model_trains_on_folds_and_round_trips() {
    // Ten small articles, so every fold has training documents.
    let mut docs = Vec::new();
    for k in 0..10 {
        let (p, c) = (
            ["Poetin", "Xi", "Rutte"][k % 3],
            ["Moskou", "Peking", "Den Haag"][k % 3],
        );
        let loc = if c.contains(' ') {
            format!("{} B-LOC\n{} I-LOC\n", "Den", "Haag")
        } else {
            format!("{c} B-LOC\n")
        };
        let text = format!("{p} B-PER\nreist O\nnaar O\n{loc}. O\n\nDaar O\nziet O\n{p} B-PER\nde O\nNAVO B-ORG\n. O\n");
        docs.extend(read_conll(&text, Path::new("t"), Lang::Nl).unwrap());
    }
    let opts = TrainOptions {
        epochs: 4,
        groups: FeatureGroups {
            pos: false,
            stack: true,
            ..FeatureGroups::default()
        },
        ..TrainOptions::default()
    };
    let ner = Ner::train(&docs, &opts);
    assert!(ner.stage1.is_some());
    let scores = ner.evaluate(&docs, |_| {});
    assert!(scores.overall().f1() > 0.99, "{scores}");
    let back = Ner::from_bytes(&ner.to_bytes()).unwrap();
    assert!(back.stage1.is_some());
    for d in &docs {
        assert_eq!(back.decode(d), ner.decode(d));
    }
}

/// The topic prior: business words are learnt from documents full of companies, political
/// words from documents full of people, and a new document is placed by the words it shares.
#[test]
fn topic_places_a_document_by_the_names_of_documents_sharing_its_words() {
    let business = "Barco B-ORG\nmeldt O\nwinst O\nop O\nde O\nbeurs O\n. O\n\n\
                    Arinso B-ORG\nen O\nTibco B-ORG\nmelden O\nwinst O\n. O\n";
    let politics = "Minister O\nDewael B-PER\nsprak O\nmet O\nVerhofstadt B-PER\nover O\n\
                    de O\nregering O\n. O\n";
    let mut text = String::new();
    for _ in 0..TOPIC_MIN_DOCS {
        text += &format!("-DOCSTART- O\n{business}\n-DOCSTART- O\n{politics}\n");
    }
    let docs = read_conll(&text, Path::new("topics"), Lang::Nl).unwrap();
    let refs: Vec<&Doc> = docs.iter().collect();
    let lex = Lexicon::learn(&refs);
    let read = |s: &str| read_conll(s, Path::new("new"), Lang::Nl).unwrap().remove(0);
    let new_business = read("Cobepa O\nboekt O\nwinst O\nop O\nde O\nbeurs O\n. O\n");
    let new_politics = read("De O\nregering O\nvalt O\n. O\n");
    let unknown = read("Iets O\nanders O\n. O\n");
    assert_eq!(
        lex.topic(&new_business),
        10,
        "only companies shared its words"
    );
    assert_eq!(lex.topic(&new_politics), 0, "only people shared its words");
    assert_eq!(lex.topic(&unknown), 11, "no word known");
    // Words of fewer documents than TOPIC_MIN_DOCS are not trusted.
    let one: Vec<&Doc> = refs[..2].to_vec();
    assert_eq!(Lexicon::learn(&one).topic(&new_business), 11);
}
