use std::process::ExitCode;

use clap::Parser as _;
use kennis::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => kennis::cli::extract::run(&args),
        Command::Push(args) => kennis::cli::push::run(&args),
        Command::Query(args) => kennis::cli::query::run(&args),
        Command::Annotate(args) => kennis::cli::annotate::run(&args),
        Command::Train(args) => kennis::train::run(&args),
        Command::Eval(args) => kennis::eval::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("kennis: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
