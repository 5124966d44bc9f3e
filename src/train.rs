//! `kennis train`: rebuilds the shipped models from `../shared/data`.

use crate::cli::TrainArgs;
use crate::error::{Error, Result};

pub fn run(_args: &TrainArgs) -> Result<u8> {
    Err(Error::Usage("training is not available yet".into()))
}
