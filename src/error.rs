//! Errors live at the edges: reading input, loading models, writing output. Each says which file
//! (and line) and what the user can do about it.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// A file or directory could not be read or written.
    Io { path: PathBuf, source: io::Error },
    /// The input is not what kennis can read (binary, invalid UTF-8, empty, malformed).
    Input {
        path: PathBuf,
        line: Option<usize>,
        message: String,
        hint: &'static str,
    },
    /// A model file is missing, stale or corrupt.
    Model { name: String, message: String },
    /// The command line asked for something that cannot be done.
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Error {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub fn input(
        path: impl AsRef<Path>,
        line: Option<usize>,
        message: impl Into<String>,
        hint: &'static str,
    ) -> Error {
        Error::Input {
            path: path.as_ref().to_path_buf(),
            line,
            message: message.into(),
            hint,
        }
    }

    pub fn model(name: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Model {
            name: name.into(),
            message: message.into(),
        }
    }

    /// The file (and line) the error is about, as `path` or `path:line`, when there is one.
    pub fn location(&self) -> Option<String> {
        match self {
            Error::Io { path, .. } => Some(path.display().to_string()),
            Error::Input { path, line, .. } => Some(match line {
                Some(l) => format!("{}:{l}", path.display()),
                None => path.display().to_string(),
            }),
            Error::Model { .. } | Error::Usage(_) => None,
        }
    }

    /// The process exit code this error maps to (2 for usage errors, 1 otherwise).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => {
                write!(f, "{}: {}", path.display(), source)?;
                match source.kind() {
                    io::ErrorKind::NotFound => f.write_str(" (check the path)"),
                    io::ErrorKind::PermissionDenied => f.write_str(" (check the file's permissions)"),
                    _ => Ok(()),
                }
            }
            Error::Input {
                path,
                line,
                message,
                hint,
            } => {
                write!(f, "{}", path.display())?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                write!(f, ": {message}")?;
                if !hint.is_empty() {
                    write!(f, " ({hint})")?;
                }
                Ok(())
            }
            Error::Model { name, message } => write!(
                f,
                "model {name}: {message} (rebuild the models with `kennis train`, or reinstall kennis)"
            ),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
