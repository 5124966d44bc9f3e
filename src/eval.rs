//! Evaluation against gold CoNLL-U: UPOS, FEATS, LEMMA, UAS, LAS as the CoNLL 2018 shared task
//! reports them; token and sentence F1 of the segmenter.

use crate::cli::{EvalArgs, EvalTask, LangArg};
use crate::doc::Lang;
use crate::error::{Error, Result};

pub fn run(args: &EvalArgs) -> Result<u8> {
    match args.task {
        EvalTask::Segment => {
            let lang = match args.lang {
                LangArg::Nl => Lang::Nl,
                LangArg::En => Lang::En,
                LangArg::Auto => {
                    return Err(Error::Usage(
                        "segmentation is scored for one language: pass --lang nl or --lang en"
                            .into(),
                    ))
                }
            };
            let (each, total) = crate::segment::eval::evaluate_files(&args.gold, lang)?;
            let mut out = String::new();
            for (path, scores) in args.gold.iter().zip(&each) {
                out.push_str(&format!("{}\n{scores}\n", path.display()));
            }
            if each.len() > 1 {
                out.push_str(&format!("all files\n{total}"));
            }
            crate::cli::write_output(None, out.as_bytes())?;
            Ok(0)
        }
        EvalTask::Parse => Err(Error::Usage("evaluation is not available yet".into())),
    }
}
