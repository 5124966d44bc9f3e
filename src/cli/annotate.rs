//! `kennis annotate`: articles in, CoNLL-U (or JSON) out.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::cli::{AnnotateArgs, AnnotateFormat, InputFormat, LangArg};
use crate::conllu;
use crate::doc::{Doc, Lang};
use crate::error::{Error, Result};
use crate::models::ModelSource;
use crate::pipeline::Pipeline;
use crate::segment;

pub fn run(args: &AnnotateArgs) -> Result<u8> {
    let lang = match args.lang {
        LangArg::En => Lang::En,
        _ => Lang::Nl,
    };
    let source = args
        .models
        .clone()
        .map_or(ModelSource::Default, ModelSource::Dir);
    let pipeline = Pipeline::load(lang, &source)?;
    let inputs: Vec<PathBuf> = if args.inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.inputs.clone()
    };
    let mut out = String::new();
    let mut failed = false;
    for path in &inputs {
        match read_input(path, args.input, lang) {
            Ok(mut doc) => {
                if args.input == InputFormat::Conllu {
                    doc.annotated = Default::default();
                }
                pipeline.annotate(&mut doc);
                match args.format {
                    AnnotateFormat::Conllu => conllu::write(&doc, &mut out),
                    AnnotateFormat::Json => out.push_str("{}\n"),
                }
            }
            Err(e) => {
                eprintln!("kennis: {e}");
                failed = true;
            }
        }
    }
    crate::cli::write_output(args.output.as_deref(), out.as_bytes())?;
    Ok(if failed { 1 } else { 0 })
}

fn read_input(path: &Path, format: InputFormat, lang: Lang) -> Result<Doc> {
    let text = if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::io("<stdin>", e))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?
    };
    Ok(match format {
        InputFormat::Text => segment::segment(&text, lang),
        InputFormat::Conllu => conllu::read(&text, path, lang)?,
    })
}
