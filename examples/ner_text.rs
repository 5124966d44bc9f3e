//! Prints the entities the recogniser finds in a plain-text file, with the place each
//! LOC mention links to in the gazetteer (a manual check of a trained model).
//!
//! ```text
//! cargo run --release --example ner_text -- NER_MODEL TAGGER_MODEL FILE
//! ```

use std::io::Write as _;

use kennis::gazetteer::Gazetteer;
use kennis::ner::Ner;
use kennis::tagger::Tagger;
use kennis::Lang;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ner, tagger, file] = &args[..] else {
        return Err("usage: ner_text NER_MODEL TAGGER_MODEL FILE".into());
    };
    let ner = Ner::from_bytes(&std::fs::read(ner)?)?;
    let tagger = Tagger::from_bytes(&std::fs::read(tagger)?)?;
    // Read as `kennis` reads articles (headers and boilerplate dropped), then segment.
    let article = kennis::read::read_path(std::path::Path::new(file), None)
        .into_iter()
        .next()
        .ok_or("no article")??;
    let mut doc = article.into_doc(Lang::Nl);
    tagger.tag(&mut doc);
    ner.recognise(&mut doc);
    let g = Gazetteer::global();
    let mut out = std::io::stdout().lock();
    for span in doc.entity_spans() {
        let words = doc.form[span.start..span.end].join(" ");
        let link = g
            .lookup(&words)
            .or_else(|| g.demonym(&words))
            .map(|p| format!("  → {} ({}, {})", p.iri(), p.name, p.kind))
            .unwrap_or_default();
        // A closed pipe (`| head`) ends the listing quietly.
        if writeln!(out, "{:<5} {words}{link}", span.ty.as_str()).is_err() {
            break;
        }
    }
    Ok(())
}
