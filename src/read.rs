//! The input edge: turns what the user names on the command line into articles.
//!
//! # What is read
//!
//! - A **file** is read by its format: `--input` when given, else its extension (`.jsonl` and
//!   `.ndjson` are JSON Lines, `.conllu` is CoNLL-U, anything else is plain text).
//! - A **directory** stands for every article file inside it, **recursively**, sorted by path
//!   component by component (`a/x.txt` before `a-b/x.txt`; the same tree always gives the same
//!   order): `*.txt` for text (the default), `*.jsonl`/`*.ndjson` for `--input jsonl`,
//!   `*.conllu` for `--input conllu`. Hidden entries (names starting with `.`) are skipped, and symbolic links to
//!   directories are not followed (no cycles); links to files are read. A sub-folder that
//!   cannot be listed is reported and the rest is still read.
//! - `-` is standard input, read as text unless `--input` says otherwise.
//! - **JSON Lines**: one article per line, an object with a string `text` and optional `id`
//!   (string or integer), `url`, `title`, `date`, `lang` (strings or null); other fields are
//!   ignored. Blank lines are skipped. A bad line is an error of its own (with its line number);
//!   the other lines are still read.
//!
//! # Headers, boilerplate and offsets
//!
//! A plain-text article may start with header lines `url …`, `date …`, `title …`, `lang …`
//! (lowercase keys followed by a space or `:`, or any case followed by `:`), ended by a blank
//! line or by the first line that is not a header. A bare `date 2023-02` in front of the first
//! sentence on the same line counts too. Header values go to [`DocMeta`] (and [`Article::lang`]);
//! JSON Lines fields win over headers found in their `text`.
//!
//! Publisher boilerplate lines ("LEES OOK. … (+)", "Lees ook:", "Bekijk ook", "READ MORE:", …;
//! the markers of every language apply, see [`BOILERPLATE`]) are dropped and listed in
//! [`Article::dropped`] with their line numbers.
//!
//! Offsets stay those of the article as read: headers and dropped lines are not cut out of
//! [`Article::text`] but **blanked**: every code point of them becomes one ASCII space, and line
//! breaks stay. So a character (code point) offset into `Article::text` is the same offset into
//! the file (or into the JSON `text` field), line numbers are unchanged, and the segmenter sees
//! only whitespace where the header and teasers were. (Byte offsets may differ where a blanked
//! character was multi-byte; user-facing offsets count code points, as DESIGN.md asks.) A UTF-8
//! byte-order mark is blanked the same way.
//!
//! # Errors
//!
//! Reading never panics. Each problem is an [`Error`] naming the file (and line) and what to do:
//! missing file, directory without articles, invalid UTF-8 (line and byte), binary data (NUL
//! bytes or mostly control characters), no article text, malformed JSON line, JSON line without
//! `text`, unsupported `lang`. Functions return one `Result` per article, so one bad file (or
//! JSON line) in a batch does not stop the others.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::conllu;
use crate::doc::{Doc, DocMeta, Lang};
use crate::error::{Error, Result};
use crate::segment;

/// How an input file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A plain-text article, possibly with header lines.
    Text,
    /// JSON Lines, one article per line.
    Jsonl,
    /// CoNLL-U: the tokens and sentences are given.
    Conllu,
}

impl Format {
    /// The format a file is read in: `forced` when given, else guessed from the extension.
    pub fn of(path: &Path, forced: Option<Format>) -> Format {
        if let Some(f) = forced {
            return f;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("jsonl" | "ndjson") => Format::Jsonl,
            Some("conllu") => Format::Conllu,
            _ => Format::Text,
        }
    }

    /// The extensions that make a file inside a directory count as an article file.
    fn dir_extensions(self) -> &'static [&'static str] {
        match self {
            Format::Text => &["txt"],
            Format::Jsonl => &["jsonl", "ndjson"],
            Format::Conllu => &["conllu"],
        }
    }
}

/// One article, ready for the pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// The article text as read, with headers and boilerplate blanked to spaces (see the module
    /// docs): code-point offsets into it are offsets into the source.
    pub text: String,
    /// `id` (given, or made from the file name), `source` (the path), `url`, `title`, `date`.
    pub meta: DocMeta,
    /// The language the article declares (`lang` header or field), if any.
    pub lang: Option<Lang>,
    /// The file it came from (`<stdin>` for standard input).
    pub path: PathBuf,
    /// The JSON Lines line it came from.
    pub line: Option<usize>,
    /// Boilerplate lines dropped from the text: (1-based line number in the text, the line).
    pub dropped: Vec<(usize, String)>,
    /// For CoNLL-U input: the given tokens and sentences (with whatever columns the file had).
    pub tokens: Option<Doc>,
}

impl Article {
    /// Where the article came from, for messages: `path` or `path:line`.
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    /// The document the pipeline annotates: the given CoNLL-U tokens, or the segmented text.
    /// Metadata and `lang` are set on it.
    pub fn into_doc(self, lang: Lang) -> Doc {
        let mut doc = match self.tokens {
            Some(mut doc) => {
                doc.lang = lang;
                doc
            }
            None => segment::segment(&self.text, lang),
        };
        doc.meta = self.meta;
        doc
    }
}

/// The path used in messages for standard input.
pub const STDIN: &str = "<stdin>";

/// Expands the command-line inputs into the files to read, in order: files as given,
/// directories into their article files (sorted, recursive), `-` as standard input. A missing
/// path or a directory without article files is an error in its place.
pub fn expand(inputs: &[PathBuf], forced: Option<Format>) -> Vec<Result<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Ok(input.clone()));
            continue;
        }
        match std::fs::metadata(input) {
            Err(e) => out.push(Err(Error::io(input, e))),
            Ok(m) if m.is_dir() => {
                let format = forced.unwrap_or(Format::Text);
                let (mut files, mut errors) = (Vec::new(), Vec::new());
                walk(input, format.dir_extensions(), &mut files, &mut errors);
                if files.is_empty() && errors.is_empty() {
                    out.push(Err(Error::input(
                        input,
                        None,
                        format!(
                            "directory holds no article files ({})",
                            format
                                .dir_extensions()
                                .iter()
                                .map(|e| format!("*.{e}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        "name the article files, or say which kind to look for with --input",
                    )));
                }
                files.sort();
                out.extend(files.into_iter().map(Ok));
                // A folder that cannot be listed is reported; the rest is still read.
                out.extend(errors.into_iter().map(Err));
            }
            Ok(_) => out.push(Ok(input.clone())),
        }
    }
    out
}

fn walk(dir: &Path, exts: &[&str], files: &mut Vec<PathBuf>, errors: &mut Vec<Error>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return errors.push(Error::io(dir, e)),
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Error::io(dir, e));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(ty) = entry.file_type() else {
            continue; // vanished while listing
        };
        if ty.is_dir() {
            walk(&path, exts, files, errors);
            continue;
        }
        let is_file = ty.is_file() || (ty.is_symlink() && path.is_file());
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if is_file && ext.is_some_and(|e| exts.contains(&e.as_str())) {
            files.push(path);
        }
    }
}

/// Reads one file (or `-`) into its articles: one for text and CoNLL-U, one per line for JSON
/// Lines. Errors are per article where they can be (JSON lines), else one for the file.
pub fn read_path(path: &Path, forced: Option<Format>) -> Vec<Result<Article>> {
    let (bytes, shown) = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
            return vec![Err(Error::io(STDIN, e))];
        }
        (bytes, PathBuf::from(STDIN))
    } else {
        match std::fs::read(path) {
            Ok(b) => (b, path.to_path_buf()),
            Err(e) => return vec![Err(Error::io(path, e))],
        }
    };
    let format = if path.as_os_str() == "-" {
        forced.unwrap_or(Format::Text)
    } else {
        Format::of(path, forced)
    };
    parse(&bytes, &shown, format)
}

/// Reads everything the command line names, in order, with document ids made unique.
pub fn read_all(inputs: &[PathBuf], forced: Option<Format>) -> Vec<Result<Article>> {
    let mut ids = Ids::default();
    let mut out = Vec::new();
    for file in expand(inputs, forced) {
        match file {
            Err(e) => out.push(Err(e)),
            Ok(path) => out.extend(read_path(&path, forced).into_iter().map(|r| {
                r.map(|mut a| {
                    ids.assign(&mut a);
                    a
                })
            })),
        }
    }
    out
}

/// Makes the ids kennis generates unique within a batch (`a`, `a-2`, `a-3`, …). Ids given in
/// JSON Lines are kept as they are.
#[derive(Default)]
pub struct Ids {
    seen: HashSet<String>,
}

impl Ids {
    pub fn assign(&mut self, article: &mut Article) {
        let Some(id) = article.meta.id.clone() else {
            return;
        };
        let fresh = self.seen.insert(id.clone());
        if fresh || (article.line.is_some() && given_id(article)) {
            return;
        }
        let mut k = 2;
        while !self.seen.insert(format!("{id}-{k}")) {
            k += 1;
        }
        article.meta.id = Some(format!("{id}-{k}"));
    }
}

/// Whether the id came from the JSON line itself (generated ones end in `-<line>`).
fn given_id(a: &Article) -> bool {
    let generated = format!("{}-{}", stem(&a.path), a.line.unwrap_or(0));
    a.meta.id.as_deref() != Some(generated.as_str())
}

fn stem(path: &Path) -> String {
    if path.as_os_str() == STDIN {
        return "stdin".into();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "doc".into())
}

/// Parses the bytes of one file. `path` is for messages and metadata only.
pub fn parse(bytes: &[u8], path: &Path, format: Format) -> Vec<Result<Article>> {
    if let Err(e) = check_binary(bytes, path) {
        return vec![Err(e)];
    }
    match format {
        Format::Jsonl => parse_jsonl(bytes, path),
        Format::Text => vec![decode(bytes, path).and_then(|text| {
            let c = clean(text, path, None)?;
            Ok(c.into_article(path, None, None))
        })],
        Format::Conllu => vec![decode(bytes, path).and_then(|text| {
            if text.trim().is_empty() {
                return Err(Error::input(path, None, "the file is empty", EMPTY_HINT));
            }
            let doc = conllu::read(text, path, Lang::default())?;
            if doc.is_empty() {
                return Err(Error::input(
                    path,
                    None,
                    "no word lines in the CoNLL-U file",
                    EMPTY_HINT,
                ));
            }
            Ok(Article {
                text: doc.text.clone(),
                meta: DocMeta {
                    id: Some(stem(path)),
                    source: Some(path.display().to_string()),
                    ..DocMeta::default()
                },
                lang: None,
                path: path.to_path_buf(),
                line: None,
                dropped: Vec::new(),
                tokens: Some(doc),
            })
        })],
    }
}

const EMPTY_HINT: &str = "give a file with an article in it";
const UTF8_HINT: &str = "save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 FILE`";
const JSONL_HINT: &str =
    "each line must be one JSON object like {\"text\": \"…\", \"id\": \"…\", \"date\": \"…\"}";

/// Refuses binary data: any NUL byte, or more than one control character in ten among the first
/// 8 KiB (tab, line breaks and form feed are text).
fn check_binary(bytes: &[u8], path: &Path) -> Result<()> {
    let hint = "kennis reads plain-text articles, JSON Lines or CoNLL-U; is this the right file?";
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Error::input(
            path,
            Some(1),
            "UTF-16 text (a UTF-16 byte-order mark)",
            "save the file as UTF-8, e.g. `iconv -f utf-16 -t utf-8 FILE`",
        ));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, _) = line_col(bytes, pos);
        return Err(Error::input(
            path,
            Some(line),
            format!("binary data (a NUL byte at byte {})", pos + 1),
            hint,
        ));
    }
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    if !head.is_empty() && control * 10 > head.len() {
        return Err(Error::input(
            path,
            None,
            format!(
                "binary data ({control} control characters in the first {} bytes)",
                head.len()
            ),
            hint,
        ));
    }
    Ok(())
}

/// 1-based line and byte-in-line of byte offset `pos`.
fn line_col(bytes: &[u8], pos: usize) -> (usize, usize) {
    let before = &bytes[..pos.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = pos
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col)
}

fn decode<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| utf8_error(bytes, e.valid_up_to(), path, 0))
}

/// An invalid-UTF-8 error at byte `pos` of `bytes`; `line_base` is added to the line number.
fn utf8_error(bytes: &[u8], pos: usize, path: &Path, line_base: usize) -> Error {
    let (line, col) = line_col(bytes, pos);
    Error::input(
        path,
        Some(line + line_base),
        format!(
            "invalid UTF-8 at byte {col} of the line (byte 0x{:02X}, file offset {pos})",
            bytes.get(pos).copied().unwrap_or(0)
        ),
        UTF8_HINT,
    )
}

fn parse_jsonl(bytes: &[u8], path: &Path) -> Vec<Result<Article>> {
    let mut out = Vec::new();
    for (n, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = n + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.push(
            std::str::from_utf8(raw)
                .map_err(|e| utf8_error(raw, e.valid_up_to(), path, n))
                .and_then(|line| json_article(line, path, line_no)),
        );
    }
    if out.is_empty() {
        out.push(Err(Error::input(
            path,
            None,
            "no articles in the JSON Lines file",
            JSONL_HINT,
        )));
    }
    out
}

fn json_article(line: &str, path: &Path, line_no: usize) -> Result<Article> {
    let err = |msg: String| Error::input(path, Some(line_no), msg, JSONL_HINT);
    let value: Value = serde_json::from_str(line.trim_start_matches('\u{feff}')).map_err(|e| {
        // serde_json appends " at line 1 column N"; the line is ours, keep the column.
        let msg = e.to_string();
        let msg = msg
            .rsplit_once(" at line ")
            .map_or(msg.as_str(), |(m, _)| m);
        err(format!("malformed JSON at column {}: {msg}", e.column()))
    })?;
    let Value::Object(obj) = value else {
        return Err(err(
            "expected a JSON object, found another JSON value".into()
        ));
    };
    let text = match obj.get("text") {
        Some(Value::String(s)) => s.as_str(),
        None | Some(Value::Null) => return Err(err("JSON line without `text`".into())),
        Some(_) => return Err(err("`text` must be a string".into())),
    };
    let field = |name: &str| -> Result<Option<String>> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(Value::Number(n)) if name == "id" && (n.is_u64() || n.is_i64()) => {
                Ok(Some(n.to_string()))
            }
            Some(_) => Err(err(format!("`{name}` must be a string"))),
        }
    };
    let id = field("id")?;
    let (url, title, date) = (field("url")?, field("title")?, field("date")?);
    let lang = match field("lang")? {
        None => None,
        Some(code) => Some(Lang::from_code(&code).ok_or_else(|| {
            Error::input(
                path,
                Some(line_no),
                format!("unsupported language {code:?}"),
                LANG_HINT,
            )
        })?),
    };
    let mut c = clean(text, path, Some(line_no))?;
    c.url = url.or(c.url);
    c.title = title.or(c.title);
    c.date = date.or(c.date);
    c.lang = lang.or(c.lang);
    Ok(c.into_article(path, Some(line_no), id))
}

const LANG_HINT: &str = "kennis reads nl and en; fix or remove the lang header";

/// A plain-text article with its headers read and its boilerplate blanked.
struct Cleaned {
    text: String,
    url: Option<String>,
    title: Option<String>,
    date: Option<String>,
    lang: Option<Lang>,
    dropped: Vec<(usize, String)>,
}

impl Cleaned {
    fn into_article(self, path: &Path, line: Option<usize>, id: Option<String>) -> Article {
        let id = id.unwrap_or_else(|| match line {
            Some(l) => format!("{}-{l}", stem(path)),
            None => stem(path),
        });
        Article {
            text: self.text,
            meta: DocMeta {
                id: Some(id),
                source: Some(path.display().to_string()),
                url: self.url,
                title: self.title,
                date: self.date,
            },
            lang: self.lang,
            path: path.to_path_buf(),
            line,
            dropped: self.dropped,
            tokens: None,
        }
    }
}

/// One line of the text: byte range of its content (without the line break) and number.
struct Line<'a> {
    start: usize,
    content: &'a str,
    no: usize,
}

/// Reads headers, blanks them and the boilerplate. `json_line` is the JSON Lines line the text
/// came from (errors then name it instead of a line of the text).
fn clean(raw: &str, path: &Path, json_line: Option<usize>) -> Result<Cleaned> {
    let mut lines = Vec::new();
    let mut pos = 0;
    for (n, l) in raw.split_inclusive('\n').enumerate() {
        let content = l.strip_suffix('\n').unwrap_or(l);
        let content = content.strip_suffix('\r').unwrap_or(content);
        lines.push(Line {
            start: pos,
            content,
            no: n + 1,
        });
        pos += l.len();
    }
    let mut c = Cleaned {
        text: String::new(),
        url: None,
        title: None,
        date: None,
        lang: None,
        dropped: Vec::new(),
    };
    // Byte ranges of `raw` to blank.
    let mut blank: Vec<(usize, usize)> = Vec::new();
    if raw.starts_with('\u{feff}') {
        blank.push((0, '\u{feff}'.len_utf8()));
    }
    let is_blank = |l: &Line| l.content.trim_start_matches('\u{feff}').trim().is_empty();

    // The header block: leading blank lines, then header lines up to a blank or other line.
    let mut i = 0;
    let mut saw_header = false;
    while i < lines.len() {
        let l = &lines[i];
        if is_blank(l) {
            if saw_header {
                break;
            }
            i += 1;
            continue;
        }
        let trimmed = l.content.trim_start_matches('\u{feff}').trim();
        match header(trimmed) {
            Some(Header::Url(v)) => c.url = c.url.or(Some(v)),
            Some(Header::Title(v)) => c.title = c.title.or(Some(v)),
            Some(Header::Date(v)) => c.date = c.date.or(Some(v)),
            Some(Header::Lang(code)) => match Lang::from_code(&code) {
                Some(lang) => c.lang = c.lang.or(Some(lang)),
                None => {
                    return Err(Error::input(
                        path,
                        Some(json_line.unwrap_or(l.no)),
                        format!("unsupported language {code:?} in the lang header"),
                        LANG_HINT,
                    ))
                }
            },
            None => break,
        }
        blank.push((l.start, l.start + l.content.len()));
        saw_header = true;
        i += 1;
    }
    // A bare `date 2023-02` before the first sentence, on the same line.
    while i < lines.len() && is_blank(&lines[i]) {
        i += 1;
    }
    if let Some(l) = lines.get(i) {
        if c.date.is_none() {
            if let Some((date, len)) = bare_date(l.content) {
                c.date = Some(date);
                blank.push((l.start, l.start + len));
            }
        }
    }
    // Boilerplate anywhere after the header block.
    for l in &lines[i.min(lines.len())..] {
        let trimmed = l.content.trim();
        if is_boilerplate(trimmed) {
            blank.push((l.start, l.start + l.content.len()));
            c.dropped.push((l.no, trimmed.to_string()));
        }
    }
    blank.sort_unstable();
    let mut text = String::with_capacity(raw.len());
    let mut k = 0;
    for (b, ch) in raw.char_indices() {
        while k < blank.len() && blank[k].1 <= b {
            k += 1;
        }
        let blanked = k < blank.len() && blank[k].0 <= b && ch != '\n' && ch != '\r';
        text.push(if blanked { ' ' } else { ch });
    }
    if text.trim().is_empty() {
        let what = if raw.trim().is_empty() {
            "no article text (the text is empty)"
        } else {
            "no article text (only header or boilerplate lines)"
        };
        let hint = if json_line.is_some() {
            "give each JSON line a non-empty `text`"
        } else {
            EMPTY_HINT
        };
        return Err(Error::input(path, json_line, what, hint));
    }
    c.text = text;
    Ok(c)
}

enum Header {
    Url(String),
    Title(String),
    Date(String),
    Lang(String),
}

/// Parses a trimmed line as a header line, or `None` when it is not one.
fn header(line: &str) -> Option<Header> {
    let key_end = line
        .find(|c: char| c.is_whitespace() || c == ':')
        .unwrap_or(line.len());
    let (key, rest) = line.split_at(key_end);
    let colon = rest.starts_with(':');
    // Lowercase keys as DESIGN.md writes them; any case with a colon ("Title: …").
    let lower = key.to_ascii_lowercase();
    if key != lower && !colon {
        return None;
    }
    let value = rest.strip_prefix(':').unwrap_or(rest).trim();
    if value.is_empty() {
        return None;
    }
    match lower.as_str() {
        "url" => {
            let ok = !value.contains(char::is_whitespace)
                && (value.contains("://") || value.starts_with("www."));
            ok.then(|| Header::Url(value.to_string()))
        }
        "title" => Some(Header::Title(value.to_string())),
        "date" => value
            .split_whitespace()
            .all(is_date_word)
            .then(|| Header::Date(value.to_string())),
        "lang" => {
            let ok = value.len() <= 12 && value.chars().all(|c| c.is_ascii_alphabetic());
            ok.then(|| Header::Lang(value.to_string()))
        }
        _ => None,
    }
}

/// A word of a date header: numbers (`2023-02-14`, `14/02/2023`, `10:30`, `2023-02-14T10:30Z`)
/// or a month name.
fn is_date_word(w: &str) -> bool {
    let w = w.trim_end_matches(',');
    let numeric = w.starts_with(|c: char| c.is_ascii_digit())
        && w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | ':' | 'T' | 'Z' | '+'));
    numeric || MONTHS.contains(&w.trim_end_matches('.').to_lowercase().as_str())
}

/// Month names and abbreviations, Dutch and English (language data for date headers).
const MONTHS: &[&str] = &[
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "august",
    "october",
    "jan",
    "feb",
    "mrt",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "oct",
    "nov",
    "dec",
];

/// `date 2023-02 De Chinese president…`: the date and the byte length of the line up to the
/// end of the date (leading whitespace included), when text follows it on the same line.
fn bare_date(line: &str) -> Option<(String, usize)> {
    let body = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let rest = body.strip_prefix("date")?;
    let after_key = rest.trim_start();
    if after_key.len() == rest.len() {
        return None; // "dated …", not a key
    }
    let date_len = after_key
        .find(char::is_whitespace)
        .unwrap_or(after_key.len());
    let date = &after_key[..date_len];
    let tail = &after_key[date_len..];
    let numeric = date.starts_with(|c: char| c.is_ascii_digit())
        && date.chars().any(|c| matches!(c, '-' | '/' | '.'))
        && date
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'));
    if !numeric || tail.trim().is_empty() {
        return None;
    }
    Some((date.to_string(), line.len() - tail.len()))
}

/// Line starts that mark publisher boilerplate (teasers, links to other articles), matched
/// case-insensitively at the start of a line and followed by a non-letter. Dutch, then English.
pub const BOILERPLATE: &[&str] = &[
    "lees ook",
    "lees meer",
    "lees verder",
    "lees hier",
    "lees het hele artikel",
    "bekijk ook",
    "bekijk hier",
    "bekijk de video",
    "kijk ook",
    "luister ook",
    "ook interessant",
    "meer over dit onderwerp",
    "read more",
    "read also",
    "also read",
    "read next",
    "see also",
    "related:",
    "watch:",
    "more on this story",
];

/// Longer lines are article text even when they start like a teaser.
const BOILERPLATE_MAX_CHARS: usize = 300;

/// Whether a trimmed line is publisher boilerplate.
pub fn is_boilerplate(line: &str) -> bool {
    if line.is_empty() || line.chars().count() > BOILERPLATE_MAX_CHARS {
        return false;
    }
    let lower = line.to_lowercase();
    BOILERPLATE.iter().any(|m| {
        lower.strip_prefix(m).is_some_and(|rest| {
            m.ends_with(':') || !rest.starts_with(|c: char| c.is_alphanumeric())
        })
    })
}

/// Stopwords for the language guess (words frequent in one language and rare in the other).
const NL_STOPWORDS: &[&str] = &[
    "de", "het", "een", "en", "van", "dat", "op", "te", "zijn", "met", "voor", "niet", "aan", "er",
    "maar", "om", "ook", "als", "bij", "door", "naar", "uit", "wordt", "werd", "deze", "die",
    "dit", "zal", "zou", "heeft", "hebben", "over", "nog", "wel", "dan", "tegen", "hij", "zij",
    "wij", "ze", "ik", "worden", "tussen",
];
const EN_STOPWORDS: &[&str] = &[
    "the", "a", "an", "and", "of", "to", "that", "on", "for", "with", "was", "were", "it", "as",
    "by", "at", "from", "this", "be", "has", "have", "are", "not", "but", "or", "will", "would",
    "said", "he", "she", "they", "his", "her", "their", "which", "who", "been", "after", "we", "i",
    "its", "than",
];

/// A small language guess between Dutch and English by counting stopwords; `None` when the text
/// gives no evidence either way (no stopwords, or a tie).
pub fn guess_lang(text: &str) -> Option<Lang> {
    let (mut nl, mut en) = (0usize, 0usize);
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(2000)
    {
        let w = w.to_lowercase();
        nl += NL_STOPWORDS.contains(&w.as_str()) as usize;
        en += EN_STOPWORDS.contains(&w.as_str()) as usize;
    }
    match nl.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Lang::Nl),
        std::cmp::Ordering::Less => Some(Lang::En),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Result<Article> {
        parse(s.as_bytes(), Path::new("a.txt"), Format::Text)
            .pop()
            .unwrap()
    }

    fn err(bytes: &[u8], path: &str, format: Format) -> String {
        parse(bytes, Path::new(path), format)
            .into_iter()
            .find_map(|r| r.err())
            .expect("an error")
            .to_string()
    }

    #[test]
    fn header_lines_go_to_metadata_and_keep_offsets() {
        let src = "url https://example.org/x\ntitle Xi naar Moskou\ndate 2023-02-14\nlang nl\n\nWang reist af. Hij spreekt Lavrov.\n";
        let a = text(src).unwrap();
        assert_eq!(a.meta.url.as_deref(), Some("https://example.org/x"));
        assert_eq!(a.meta.title.as_deref(), Some("Xi naar Moskou"));
        assert_eq!(a.meta.date.as_deref(), Some("2023-02-14"));
        assert_eq!(a.lang, Some(Lang::Nl));
        assert_eq!(a.meta.id.as_deref(), Some("a"));
        assert_eq!(a.meta.source.as_deref(), Some("a.txt"));
        assert_eq!(a.text.trim(), "Wang reist af. Hij spreekt Lavrov.");
        // Same length and line breaks: offsets into the text are offsets into the file.
        assert_eq!(a.text.chars().count(), src.chars().count());
        assert_eq!(a.text.find("Wang"), src.find("Wang"));
        assert_eq!(a.text.lines().count(), src.lines().count());
    }

    #[test]
    fn headers_with_colons_and_without_blank_line() {
        let a = text("Title: Een titel\nDate: 14 februari 2023\nDe tekst begint hier.").unwrap();
        assert_eq!(a.meta.title.as_deref(), Some("Een titel"));
        assert_eq!(a.meta.date.as_deref(), Some("14 februari 2023"));
        assert_eq!(a.text.trim(), "De tekst begint hier.");
    }

    #[test]
    fn sentences_that_look_like_headers_stay_text() {
        // Capitalised key without colon, a date line that is a sentence, a non-URL url.
        for s in [
            "Title fight ends in a draw.\n\nThe boxers…",
            "date night was fun.\n\nReally.",
            "url is a word.\n",
            "dated 2023-02 De tekst.",
        ] {
            let a = text(s).unwrap();
            assert_eq!(a.text, s, "{s:?}");
            assert_eq!(a.meta.date, None);
            assert_eq!(a.meta.title, None);
        }
    }

    #[test]
    fn bare_leading_date_is_read_and_blanked() {
        let src = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/article-xi-moskou.txt"
        ))
        .unwrap();
        let a = text(&src).unwrap();
        assert_eq!(a.meta.date.as_deref(), Some("2023-02"));
        assert!(a.text.trim_start().starts_with("De Chinese president Xi"));
        assert_eq!(a.text.chars().count(), src.chars().count());
        let at = |s: &str, needle: &str| s[..s.find(needle).unwrap()].chars().count();
        assert_eq!(at(&a.text, "Oekraïne"), at(&src, "Oekraïne"));
        // The teaser line 7 is dropped.
        assert_eq!(a.dropped.len(), 1);
        assert_eq!(a.dropped[0].0, 7);
        assert!(a.dropped[0].1.starts_with("LEES OOK. Poetin wakkert"));
        assert!(!a.text.contains("LEES OOK"));
        assert!(!a.text.contains("kernoorlog"));
    }

    #[test]
    fn boilerplate_markers() {
        for line in [
            "LEES OOK. Poetin wakkert angst aan (+)",
            "Lees ook: Wang in Moskou",
            "Bekijk ook",
            "READ MORE: Xi to visit Moscow",
            "Read also - the summit",
            "Related: the summit",
            "lees meer",
        ] {
            assert!(is_boilerplate(line), "{line}");
        }
        for line in [
            "Lees ookwel",
            "Read moreover the report.",
            "De minister zei: lees ook de krant.",
            "",
        ] {
            assert!(!is_boilerplate(line), "{line}");
        }
        let long = format!("Lees ook {}", "woord ".repeat(80));
        assert!(!is_boilerplate(long.trim()));
        let a = text("Eerste zin.\nREAD MORE: elders\nTweede zin.\n").unwrap();
        assert_eq!(a.dropped, vec![(2, "READ MORE: elders".to_string())]);
        assert_eq!(
            a.text,
            format!("Eerste zin.\n{}\nTweede zin.\n", " ".repeat(17))
        );
    }

    #[test]
    fn multibyte_blanking_keeps_code_point_offsets() {
        let src = "title Oekraïne “crisis”\n\nDe Oekraïense crisis.";
        let a = text(src).unwrap();
        assert_eq!(a.meta.title.as_deref(), Some("Oekraïne “crisis”"));
        assert_eq!(a.text.chars().count(), src.chars().count());
        let c = |s: &str| s[..s.find("De ").unwrap()].chars().count();
        assert_eq!(c(&a.text), c(src));
    }

    #[test]
    fn jsonl_articles_fields_and_ids() {
        let src = concat!(
            "{\"text\": \"Wang reist af.\", \"id\": \"w1\", \"url\": \"https://x.org/1\", \"lang\": \"en\"}\n",
            "\n",
            "{\"text\": \"date 2023-02 Xi komt.\", \"title\": \"Xi\", \"id\": 7, \"extra\": [1]}\r\n",
            "{\"text\": \"Geen id.\", \"date\": null}\n",
        );
        let arts: Vec<Article> = parse(src.as_bytes(), Path::new("b.jsonl"), Format::Jsonl)
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(arts.len(), 3);
        assert_eq!(arts[0].meta.id.as_deref(), Some("w1"));
        assert_eq!(arts[0].meta.url.as_deref(), Some("https://x.org/1"));
        assert_eq!(arts[0].lang, Some(Lang::En));
        assert_eq!(arts[0].line, Some(1));
        assert_eq!(arts[1].meta.id.as_deref(), Some("7"));
        assert_eq!(arts[1].meta.date.as_deref(), Some("2023-02"));
        assert_eq!(arts[1].text.trim(), "Xi komt.");
        assert_eq!(arts[1].line, Some(3));
        assert_eq!(arts[2].meta.id.as_deref(), Some("b-4"));
        assert_eq!(arts[2].location(), "b.jsonl:4");
    }

    #[test]
    fn jsonl_bad_lines_are_errors_of_their_own() {
        let src = b"{\"text\": \"Goed.\"}\n{\"text\": \"kapot\"\n{\"id\": \"x\"}\n[1,2]\n{\"text\": 5}\n{\"text\": \"  \"}\n{\"text\": \"x\", \"lang\": \"fr\"}\n{\"text\": \"Ook goed.\"}\n";
        let res = parse(src, Path::new("c.jsonl"), Format::Jsonl);
        assert_eq!(res.len(), 8);
        assert!(res[0].is_ok() && res[7].is_ok());
        let msgs: Vec<String> = res[1..7]
            .iter()
            .map(|r| r.as_ref().unwrap_err().to_string())
            .collect();
        assert!(
            msgs[0].starts_with("c.jsonl:2: malformed JSON at column"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("c.jsonl:3: JSON line without `text`"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].starts_with("c.jsonl:4: expected a JSON object"),
            "{}",
            msgs[2]
        );
        assert!(
            msgs[3].starts_with("c.jsonl:5: `text` must be a string"),
            "{}",
            msgs[3]
        );
        assert!(
            msgs[4].starts_with("c.jsonl:6: no article text"),
            "{}",
            msgs[4]
        );
        assert!(
            msgs[5].starts_with("c.jsonl:7: unsupported language \"fr\""),
            "{}",
            msgs[5]
        );
        assert!(err(b"\n  \n", "e.jsonl", Format::Jsonl).starts_with("e.jsonl: no articles"));
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let e = err(b"Goede regel.\nCaf\xe9 slecht.\n", "l.txt", Format::Text);
        assert!(
            e.starts_with(
                "l.txt:2: invalid UTF-8 at byte 4 of the line (byte 0xE9, file offset 16)"
            ),
            "{e}"
        );
        assert!(e.contains("iconv"), "{e}");
        let e = err(
            b"{\"text\": \"ok\"}\n{\"text\": \"Caf\xe9\"}\n",
            "l.jsonl",
            Format::Jsonl,
        );
        assert!(e.starts_with("l.jsonl:2: invalid UTF-8 at byte 14"), "{e}");
    }

    #[test]
    fn binary_data_is_refused() {
        let e = err(b"PK\x03\x04abc\x00\x00def\nrest", "z.txt", Format::Text);
        assert!(
            e.starts_with("z.txt:1: binary data (a NUL byte at byte 8)"),
            "{e}"
        );
        let e = err(
            b"\x01\x02\x03\x04\x05abc\x06\x07\x08",
            "c.txt",
            Format::Text,
        );
        assert!(e.starts_with("c.txt: binary data (8 control"), "{e}");
        let e = err(b"a\x00b", "z.jsonl", Format::Jsonl);
        assert!(e.starts_with("z.jsonl:1: binary data"), "{e}");
    }

    #[test]
    fn utf16_is_named() {
        let e = err(b"\xff\xfeW\x00a\x00", "u.txt", Format::Text);
        assert!(e.starts_with("u.txt:1: UTF-16 text"), "{e}");
        assert!(e.contains("iconv -f utf-16"), "{e}");
    }

    #[test]
    fn byte_order_mark_and_crlf() {
        let src = "\u{feff}date 2023-02 Wang reist.\r\nHij spreekt.\r\n";
        let a = text(src).unwrap();
        assert_eq!(a.meta.date.as_deref(), Some("2023-02"));
        assert_eq!(
            a.text,
            format!("{}Wang reist.\r\nHij spreekt.\r\n", " ".repeat(14))
        );
        let src = "\u{feff}url https://x.org/a\r\n\r\nTekst.\r\nLees ook: x\r\n";
        let a = text(src).unwrap();
        assert_eq!(a.meta.url.as_deref(), Some("https://x.org/a"));
        assert_eq!(a.dropped, vec![(4, "Lees ook: x".to_string())]);
        assert_eq!(a.text.trim(), "Tekst.");
        assert_eq!(a.text.chars().count(), src.chars().count());
    }

    #[test]
    fn empty_text_is_refused() {
        assert!(err(b"", "e.txt", Format::Text)
            .starts_with("e.txt: no article text (the text is empty)"));
        assert!(err(b"  \n\n", "e.txt", Format::Text).starts_with("e.txt: no article text"));
        let e = err(
            b"title Alleen een kop\n\nLees ook: iets\n",
            "h.txt",
            Format::Text,
        );
        assert!(e.starts_with("h.txt: no article text (only header"), "{e}");
        assert!(err(b"\n", "e.conllu", Format::Conllu).starts_with("e.conllu: the file is empty"));
        let e = err(b"# comment only\n\n", "c.conllu", Format::Conllu);
        assert!(e.starts_with("c.conllu: no word lines"), "{e}");
    }

    #[test]
    fn unsupported_lang_header() {
        let e = err(b"lang fr\n\nBonjour.", "f.txt", Format::Text);
        assert!(e.starts_with("f.txt:1: unsupported language \"fr\""), "{e}");
    }

    #[test]
    fn conllu_keeps_tokens() {
        let src = "1\tWang\t_\t_\t_\t_\t_\t_\t_\t_\n2\treist\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n3\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
        let mut res = parse(src.as_bytes(), Path::new("t.conllu"), Format::Conllu);
        let a = res.pop().unwrap().unwrap();
        assert_eq!(a.meta.id.as_deref(), Some("t"));
        let doc = a.into_doc(Lang::Nl);
        assert_eq!(doc.form, vec!["Wang", "reist", "."]);
        assert_eq!(doc.text, "Wang reist.");
        assert_eq!(doc.meta.id.as_deref(), Some("t"));
        let e = err(b"1\tWang\n", "m.conllu", Format::Conllu);
        assert!(e.starts_with("m.conllu:1: expected 10"), "{e}");
    }

    #[test]
    fn directories_missing_paths_and_ids() {
        let dir = std::env::temp_dir().join(format!("kennis-read-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        std::fs::create_dir_all(dir.join(".hidden")).unwrap();
        std::fs::write(dir.join("b.txt"), "Tweede.").unwrap();
        std::fs::write(dir.join("a.txt"), "Eerste.").unwrap();
        std::fs::write(dir.join("sub/a.txt"), "Derde.").unwrap();
        std::fs::write(dir.join("notes.md"), "Niet.").unwrap();
        std::fs::write(dir.join(".hidden/x.txt"), "Niet.").unwrap();
        let res = read_all(
            &[dir.clone(), dir.join("empty"), dir.join("nope.txt")],
            None,
        );
        assert_eq!(res.len(), 5);
        let ok: Vec<&Article> = res[..3].iter().map(|r| r.as_ref().unwrap()).collect();
        assert_eq!(ok[0].text, "Eerste.");
        assert_eq!(ok[1].text, "Tweede.");
        assert_eq!(ok[2].text, "Derde.");
        let ids: Vec<&str> = ok.iter().map(|a| a.meta.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["a", "b", "a-2"]);
        let e = res[3].as_ref().unwrap_err().to_string();
        assert!(
            e.contains("empty: directory holds no article files (*.txt)"),
            "{e}"
        );
        let e = res[4].as_ref().unwrap_err().to_string();
        assert!(
            e.contains("nope.txt") && e.contains("check the path"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::of(Path::new("x.JSONL"), None), Format::Jsonl);
        assert_eq!(Format::of(Path::new("x.ndjson"), None), Format::Jsonl);
        assert_eq!(Format::of(Path::new("x.conllu"), None), Format::Conllu);
        assert_eq!(Format::of(Path::new("x.txt"), None), Format::Text);
        assert_eq!(
            Format::of(Path::new("x.txt"), Some(Format::Jsonl)),
            Format::Jsonl
        );
    }

    #[test]
    fn language_guess() {
        assert_eq!(
            guess_lang("De president brengt een bezoek aan Moskou, zo meldt de krant."),
            Some(Lang::Nl)
        );
        assert_eq!(
            guess_lang("The president will visit Moscow, the newspaper said."),
            Some(Lang::En)
        );
        assert_eq!(guess_lang("Xi Jinping Moskou 2023"), None);
    }

    proptest::proptest! {
        #[test]
        fn reading_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            for format in [Format::Text, Format::Jsonl, Format::Conllu] {
                let _ = parse(&bytes, Path::new("p"), format);
            }
        }

        /// Any text that reads as an article goes through segmentation and the CoNLL-U writer
        /// without panicking, and its tokens are slices of the text.
        #[test]
        fn any_article_segments_and_writes(s in "(\\PC|[ \n\t\r]){0,200}") {
            if let Some(Ok(a)) = parse(s.as_bytes(), Path::new("p"), Format::Text).pop() {
                let doc = a.into_doc(Lang::Nl);
                for i in 0..doc.len() {
                    let r = doc.start[i] as usize..doc.end[i] as usize;
                    proptest::prop_assert_eq!(doc.text.get(r), Some(doc.form[i].as_str()));
                }
                let mut out = String::new();
                crate::conllu::write(&doc, &mut out);
            }
        }

        #[test]
        fn text_keeps_code_point_offsets(s in "(url https://x\\.org/a\n|date 2023-02 |title [a-zï“ ]{0,12}\n|lang nl\n|Lees ook: [a-z ]{0,9}\n|READ MORE\n|[a-zA-Zë“” .]{0,20}\n?|\r\n|\n){0,12}") {
            if let Some(Ok(a)) = parse(s.as_bytes(), Path::new("p"), Format::Text).pop() {
                proptest::prop_assert_eq!(a.text.chars().count(), s.chars().count());
                proptest::prop_assert_eq!(a.text.matches('\n').count(), s.matches('\n').count());
                // Whatever was kept sits where it stood.
                for ((x, y), _) in a.text.chars().zip(s.chars()).zip(0..) {
                    proptest::prop_assert!(x == y || x == ' ');
                }
            }
        }
    }
}
