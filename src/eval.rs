//! Evaluation against gold CoNLL-U: UPOS, FEATS, LEMMA, UAS, LAS as the CoNLL 2018 shared task
//! reports them.

use crate::cli::EvalArgs;
use crate::error::{Error, Result};

pub fn run(_args: &EvalArgs) -> Result<u8> {
    Err(Error::Usage("evaluation is not available yet".into()))
}
