//! The command line: clap arguments here, one module per subcommand.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub mod annotate;

#[derive(Parser, Debug)]
#[command(
    name = "kennis",
    version,
    about = "Reads news articles and builds a knowledge graph of who did what to whom."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Tokenize, tag, lemmatize, parse (and find entities in) articles; write CoNLL-U.
    Annotate(AnnotateArgs),
    /// Rebuild the shipped models from the training data (../shared/data).
    Train(TrainArgs),
    /// Score the models against gold files: tagging, lemmas and parsing on CoNLL-U,
    /// segmentation on treebank text.
    Eval(EvalArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Nl,
    En,
    Auto,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Plain-text articles (files, directories of *.txt, or - for stdin).
    Text,
    /// CoNLL-U: keep the given tokens and sentences, predict everything else.
    Conllu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnnotateFormat {
    Conllu,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct AnnotateArgs {
    /// Input files, directories (every *.txt inside) or - for stdin (the default).
    pub inputs: Vec<PathBuf>,
    /// How to read the input.
    #[arg(long = "input", value_enum, default_value = "text")]
    pub input: InputFormat,
    /// Output format.
    #[arg(short = 'f', long = "format", value_enum, default_value = "conllu")]
    pub format: AnnotateFormat,
    /// Write to this file instead of stdout (written whole or not at all).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Language of the input.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Read models from this directory instead of the ones built into kennis.
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Report what was read and dropped on stderr.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// The training data folder (see its README).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Where to write the models (`<out>/<lang>/<model>.bin`).
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// Language to train.
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Train only these models (tagger, lemmatizer, parser, ner); default: all.
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Training epochs (default: each model's own).
    #[arg(long)]
    pub epochs: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalTask {
    /// UPOS, FEATS, LEMMA, UAS, LAS with gold tokens (CoNLL-U in).
    Parse,
    /// Token and sentence F1 of the segmenter against treebank text.
    Segment,
}

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Gold files (CoNLL-U).
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    /// What to evaluate.
    #[arg(long, value_enum, default_value = "parse")]
    pub task: EvalTask,
    #[arg(long, value_enum, default_value = "nl")]
    pub lang: LangArg,
    /// Read models from this directory instead of the ones built into kennis.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

/// Writes the output whole or not at all: to a temporary file beside `path`, then renamed over
/// it; to stdout when `path` is `None` (a closed pipe ends quietly).
pub fn write_output(path: Option<&std::path::Path>, bytes: &[u8]) -> crate::Result<()> {
    use std::io::Write as _;
    match path {
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(crate::Error::io("<stdout>", e))
                }
                _ => Ok(()),
            }
        }
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = dir.join(format!(".{name}.kennis-{}.tmp", std::process::id()));
            let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
            if let Err(e) = result {
                let _ = std::fs::remove_file(&tmp);
                return Err(crate::Error::io(path, e));
            }
            Ok(())
        }
    }
}

/// The language to use when the command line says `auto` and nothing else decides: Dutch.
pub fn resolve_lang(lang: LangArg) -> crate::doc::Lang {
    match lang {
        LangArg::En => crate::doc::Lang::En,
        LangArg::Nl | LangArg::Auto => crate::doc::Lang::Nl,
    }
}
