//! Where models come from: embedded in the binary at build time (see `build.rs`), or read from a
//! directory given by `--models DIR` / `KENNIS_MODELS` (for freshly trained models).

use std::path::{Path, PathBuf};

use crate::doc::Lang;
use crate::error::{Error, Result};

include!(concat!(env!("OUT_DIR"), "/embedded_models.rs"));

/// The environment variable naming a model directory that overrides the embedded models.
pub const MODELS_ENV: &str = "KENNIS_MODELS";

/// Where to look for models.
#[derive(Clone, Debug, Default)]
pub enum ModelSource {
    /// `KENNIS_MODELS` if set, else the models embedded in the binary.
    #[default]
    Default,
    /// A directory laid out like the repository's `models/` (`nl/tagger.bin`, …).
    Dir(PathBuf),
}

impl ModelSource {
    fn dir(&self) -> Option<PathBuf> {
        match self {
            ModelSource::Dir(d) => Some(d.clone()),
            ModelSource::Default => std::env::var_os(MODELS_ENV).map(PathBuf::from),
        }
    }

    /// The bytes of model `name` for `lang`, or `Ok(None)` when there is no such model.
    pub fn load(&self, lang: Lang, name: &str) -> Result<Option<Vec<u8>>> {
        if let Some(dir) = self.dir() {
            let path = model_path(&dir, lang, name);
            return match std::fs::read(&path) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(Error::io(path, e)),
            };
        }
        Ok(embedded(lang, name).map(<[u8]>::to_vec))
    }

    /// Like [`ModelSource::load`], but a missing model is an error that says how to get it.
    pub fn require(&self, lang: Lang, name: &str) -> Result<Vec<u8>> {
        self.load(lang, name)?.ok_or_else(|| {
            Error::model(
                format!("{}/{name}", lang.code()),
                "no such model is shipped or found".to_string(),
            )
        })
    }
}

pub fn model_path(dir: &Path, lang: Lang, name: &str) -> PathBuf {
    dir.join(lang.code()).join(format!("{name}.bin"))
}

/// The model embedded at build time, if there was one.
pub fn embedded(lang: Lang, name: &str) -> Option<&'static [u8]> {
    EMBEDDED
        .iter()
        .find(|(l, n, _)| *l == lang.code() && *n == name)
        .and_then(|(_, _, b)| *b)
}
