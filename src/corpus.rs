//! corpus stage: finds corpus files (JSON Lines, plain text with optional front matter,
//! directories, gzip) and turns them into [`Article`]s, reporting each bad record as
//! `file:line: problem` without stopping.
//!
//! Reading is split in two so that the expensive half runs in parallel: [`CorpusReader`]
//! walks files sequentially and yields [`RawRecord`]s (bytes and where they came from);
//! [`parse_record`] is a pure function from a raw record to an article.

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::lang::Lang;

/// Where a record came from: a file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Origin {
    /// The file, as the user named it (or as found under a named directory).
    pub file: String,
    /// 1-based line of the record (1 for whole-file records).
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A problem with one record or file: reported as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordError {
    /// Where.
    #[serde(flatten)]
    pub origin: Origin,
    /// What is wrong, lowercase.
    pub message: String,
    /// Warnings (a skipped non-corpus file) do not count as failed records.
    pub warning: bool,
}

impl RecordError {
    /// An error at a place.
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        RecordError {
            origin: Origin {
                file: file.to_string(),
                line,
            },
            message: message.into(),
            warning: false,
        }
    }

    /// A warning at a place.
    pub fn warning(file: &str, line: usize, message: impl Into<String>) -> Self {
        RecordError {
            warning: true,
            ..RecordError::new(file, line, message)
        }
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.warning { "warning: " } else { "" };
        // File names come from the corpus: escape control characters so that a name cannot
        // drive the terminal the report is printed on.
        write!(
            f,
            "{}:{}: {kind}{}",
            escape_controls(&self.origin.file),
            self.origin.line,
            escape_controls(&self.message)
        )
    }
}

/// Control characters (C0, DEL, C1) and bidi overrides written as `\u{..}` escapes.
fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if bad(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// An article's text: one body, or paragraphs given by the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A body to split into paragraphs.
    Text(String),
    /// Paragraphs as the source gave them.
    Paragraphs(Vec<String>),
}

/// One news article, as read from the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Article id: from the corpus, the file name for text files, or derived from the content.
    pub id: String,
    /// Title; empty when the source has none.
    pub title: String,
    /// The text. A news brief (a title and an empty body) has its title here.
    pub body: Body,
    /// Publication date and time, in UTC.
    pub published: Option<OffsetDateTime>,
    /// URL.
    pub url: Option<String>,
    /// Source (publisher).
    pub source: Option<String>,
    /// Language as given by the corpus (None when absent or not supported: detected later).
    pub lang: Option<Lang>,
    /// Where it came from.
    pub origin: Origin,
    /// Hash of all content fields: equal hashes mean an unchanged article.
    pub hash: String,
}

/// Limits applied while reading.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Largest article (a JSON line or a text file) in bytes.
    pub max_article_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_article_bytes: 16 * 1024 * 1024,
        }
    }
}

/// The file formats newsidx reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    JsonLines,
    /// A whole file is one article, with optional front matter.
    Text,
}

/// A file to read, with its format and whether it is gzipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// The path.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Whether it is gzip-compressed.
    pub gzip: bool,
}

/// Works out a file's format from its name: `.jsonl`, `.ndjson`, `.txt`, `.md`, each
/// optionally followed by `.gz`.
pub fn format_of(path: &Path) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (stem, gzip) = match name.strip_suffix(".gz") {
        Some(s) => (s.to_string(), true),
        None => (name, false),
    };
    let ext = stem.rsplit_once('.')?.1;
    let format = match ext {
        "jsonl" | "ndjson" => Format::JsonLines,
        "txt" | "md" => Format::Text,
        _ => return None,
    };
    Some((format, gzip))
}

/// Files in a directory walk that are documentation, not articles.
fn is_corpus_doc(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "README",
        "ATTRIBUTION",
        "LICENSE",
        "LICENCE",
        "NOTICE",
        "CHANGELOG",
        "SOURCE",
    ]
    .iter()
    .any(|p| upper.starts_with(p))
}

/// Finds the corpus files under the given paths: files as named, directories recursively in
/// byte order of their names. Hidden entries and documentation files (README, ATTRIBUTION,
/// LICENSE ...) inside directories are skipped; other unknown files are skipped with a warning.
/// A file reached twice (named twice, named and inside a named directory, or through a
/// symbolic link) is read once, where it is first reached, with a warning at the others.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<CorpusFile>, Vec<RecordError>) {
    let (files, mut problems) = collect_all(paths);
    (read_once(files, &mut problems), problems)
}

/// Drops every file that is the same file as an earlier one (by canonical path; a path that
/// cannot be resolved, such as a pipe, is kept as it is).
fn read_once(files: Vec<CorpusFile>, problems: &mut Vec<RecordError>) -> Vec<CorpusFile> {
    let mut first: std::collections::HashMap<PathBuf, String> = std::collections::HashMap::new();
    let mut kept = Vec::with_capacity(files.len());
    for f in files {
        if let Ok(real) = std::fs::canonicalize(&f.path) {
            let shown = f.path.display().to_string();
            if let Some(earlier) = first.get(&real) {
                problems.push(RecordError::warning(
                    &shown,
                    0,
                    format!("already read (as {earlier}); skipped"),
                ));
                continue;
            }
            first.insert(real, shown);
        }
        kept.push(f);
    }
    kept
}

fn collect_all(paths: &[PathBuf]) -> (Vec<CorpusFile>, Vec<RecordError>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut visited = HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut problems, &mut visited),
            Ok(_) => match format_of(path) {
                Some((format, gzip)) => files.push(CorpusFile {
                    path: path.clone(),
                    format,
                    gzip,
                }),
                None => problems.push(RecordError::new(
                    &path.display().to_string(),
                    0,
                    "not a corpus file: expected .jsonl, .ndjson, .txt or .md, optionally .gz",
                )),
            },
            Err(e) => problems.push(RecordError::new(
                &path.display().to_string(),
                0,
                format!("cannot read: {}", io_message(&e)),
            )),
        }
    }
    (files, problems)
}

fn walk(
    dir: &Path,
    files: &mut Vec<CorpusFile>,
    problems: &mut Vec<RecordError>,
    visited: &mut HashSet<PathBuf>,
) {
    let shown = dir.display().to_string();
    match std::fs::canonicalize(dir) {
        Ok(real) => {
            if !visited.insert(real) {
                problems.push(RecordError::warning(
                    &shown,
                    0,
                    "directory already read (named twice, or a symbolic link loop); skipped",
                ));
                return;
            }
        }
        Err(e) => {
            problems.push(RecordError::new(
                &shown,
                0,
                format!("cannot read: {}", io_message(&e)),
            ));
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            problems.push(RecordError::new(
                &shown,
                0,
                format!("cannot read directory: {}", io_message(&e)),
            ));
            return;
        }
    };
    let mut names: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => names.push(e.path()),
            Err(e) => problems.push(RecordError::new(
                &shown,
                0,
                format!("cannot list directory: {}", io_message(&e)),
            )),
        }
    }
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let shown = path.display().to_string();
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, files, problems, visited),
            Ok(meta) if !meta.is_file() => {
                // A FIFO would block the reader forever; sockets and devices are no corpus.
                // (A path named on the command line is read whatever it is: `<(zcat ...)`.)
                problems.push(RecordError::warning(
                    &shown,
                    0,
                    "skipped: not a regular file (a named pipe, socket or device)",
                ));
            }
            Ok(_) => {
                if let Some((format, gzip)) = format_of(&path) {
                    if format == Format::Text && is_corpus_doc(&name) {
                        continue;
                    }
                    files.push(CorpusFile { path, format, gzip });
                } else if !is_corpus_doc(&name) {
                    problems.push(RecordError::warning(
                        &shown,
                        0,
                        "skipped: not a corpus file (.jsonl, .ndjson, .txt, .md, optionally .gz)",
                    ));
                }
            }
            Err(e) => problems.push(RecordError::new(
                &shown,
                0,
                format!("cannot read: {}", io_message(&e)),
            )),
        }
    }
}

/// An I/O error's message without Rust's "(os error N)" suffix.
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_lowercase(),
        None => s.to_lowercase(),
    }
}

/// One unparsed record: the bytes of a JSON line or of a whole text file.
#[derive(Debug, Clone)]
pub struct RawRecord {
    /// Where it came from.
    pub origin: Origin,
    /// Its format.
    pub format: Format,
    /// The bytes (not yet checked for UTF-8).
    pub bytes: Vec<u8>,
}

impl RawRecord {
    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Reads corpus files one after the other and yields raw records and read errors.
pub struct CorpusReader {
    files: std::vec::IntoIter<CorpusFile>,
    current: Option<OpenFile>,
    opts: ReadOptions,
    /// Bytes read so far (uncompressed).
    pub bytes_read: u64,
}

struct OpenFile {
    shown: String,
    format: Format,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    /// Non-blank lines seen (JSON Lines), to report a file without any.
    records: usize,
}

/// What a file's first bytes say it is, when it is certainly not UTF-8 text.
fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a zip archive"),
        (b"\x1f\x8b", "gzip data (its name does not end in .gz)"),
        (b"\xfd7zXZ\x00", "xz data"),
        (b"\x28\xb5\x2f\xfd", "zstd data"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
        (b"\x7fELF", "an executable"),
        (
            b"\xff\xfe",
            "UTF-16 text (newsidx reads UTF-8; convert it, e.g. with iconv)",
        ),
        (
            b"\xfe\xff",
            "UTF-16 text (newsidx reads UTF-8; convert it, e.g. with iconv)",
        ),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, kind)| *kind)
}

impl CorpusReader {
    /// A reader over the given files.
    pub fn new(files: Vec<CorpusFile>, opts: ReadOptions) -> Self {
        CorpusReader {
            files: files.into_iter(),
            current: None,
            opts,
            bytes_read: 0,
        }
    }

    fn open(&mut self, file: CorpusFile) -> Result<OpenFile, RecordError> {
        let shown = file.path.display().to_string();
        let f = File::open(&file.path)
            .map_err(|e| RecordError::new(&shown, 0, format!("cannot read: {}", io_message(&e))))?;
        let reader: Box<dyn BufRead + Send> = if file.gzip {
            Box::new(BufReader::with_capacity(
                256 * 1024,
                flate2::read::MultiGzDecoder::new(BufReader::new(f)),
            ))
        } else {
            Box::new(BufReader::with_capacity(256 * 1024, f))
        };
        let mut reader = reader;
        // A binary file would otherwise be reported line by line (or as one garbled text).
        let head = loop {
            match reader.fill_buf() {
                Ok(b) => break b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(RecordError::new(&shown, 1, read_failure(&e))),
            }
        };
        if let Some(kind) = binary_kind(head) {
            return Err(RecordError::new(
                &shown,
                1,
                format!("not a text file: it looks like {kind}; skipped"),
            ));
        }
        Ok(OpenFile {
            shown,
            format: file.format,
            reader,
            line: 0,
            records: 0,
        })
    }

    fn next_from_current(&mut self) -> Option<Result<RawRecord, RecordError>> {
        let max = self.opts.max_article_bytes;
        let cur = self.current.as_mut()?;
        match cur.format {
            Format::Text => {
                let result = read_limited(&mut cur.reader, max, false);
                let shown = cur.shown.clone();
                self.current = None;
                match result {
                    Ok(Chunk::Eof) => Some(Ok(RawRecord {
                        origin: Origin {
                            file: shown,
                            line: 1,
                        },
                        format: Format::Text,
                        bytes: Vec::new(),
                    })),
                    Ok(Chunk::Data(bytes)) => {
                        self.bytes_read += bytes.len() as u64;
                        Some(Ok(RawRecord {
                            origin: Origin {
                                file: shown,
                                line: 1,
                            },
                            format: Format::Text,
                            bytes,
                        }))
                    }
                    Ok(Chunk::TooLong(n)) => {
                        self.bytes_read += n as u64;
                        Some(Err(RecordError::new(&shown, 1, too_large(n, max))))
                    }
                    Err(e) => Some(Err(RecordError::new(&shown, 1, read_failure(&e)))),
                }
            }
            Format::JsonLines => loop {
                cur.line += 1;
                match read_limited(&mut cur.reader, max, true) {
                    Ok(Chunk::Eof) => {
                        let empty = cur.records == 0;
                        let shown = cur.shown.clone();
                        self.current = None;
                        if empty {
                            return Some(Err(RecordError::warning(
                                &shown,
                                1,
                                "the file holds no articles (it is empty or blank)",
                            )));
                        }
                        return None;
                    }
                    Ok(Chunk::Data(mut bytes)) => {
                        self.bytes_read += bytes.len() as u64 + 1;
                        if bytes.last() == Some(&b'\r') {
                            bytes.pop();
                        }
                        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                            continue;
                        }
                        cur.records += 1;
                        return Some(Ok(RawRecord {
                            origin: Origin {
                                file: cur.shown.clone(),
                                line: cur.line,
                            },
                            format: Format::JsonLines,
                            bytes,
                        }));
                    }
                    Ok(Chunk::TooLong(n)) => {
                        self.bytes_read += n as u64;
                        cur.records += 1;
                        return Some(Err(RecordError::new(
                            &cur.shown,
                            cur.line,
                            too_large(n, max),
                        )));
                    }
                    Err(e) => {
                        let err = RecordError::new(&cur.shown, cur.line, read_failure(&e));
                        self.current = None;
                        return Some(Err(err));
                    }
                }
            },
        }
    }
}

impl Iterator for CorpusReader {
    type Item = Result<RawRecord, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.current.is_some() {
                if let Some(item) = self.next_from_current() {
                    return Some(item);
                }
                continue;
            }
            let file = self.files.next()?;
            match self.open(file) {
                Ok(open) => self.current = Some(open),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

fn too_large(n: usize, max: usize) -> String {
    format!(
        "article is too large ({:.1} MB; the limit is {:.1} MB, see --max-article-mb); skipped",
        n as f64 / 1e6,
        max as f64 / 1e6
    )
}

fn read_failure(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        "the file is cut short (truncated gzip stream?); the rest of the file is skipped".into()
    } else {
        format!(
            "read failed: {}; the rest of the file is skipped",
            io_message(e)
        )
    }
}

enum Chunk {
    Eof,
    Data(Vec<u8>),
    /// A chunk longer than the limit was skipped; its length.
    TooLong(usize),
}

/// Reads up to the next newline (or to the end when `line` is false), keeping at most `max`
/// bytes in memory: a longer chunk is consumed and reported by length only.
fn read_limited(reader: &mut dyn BufRead, max: usize, line: bool) -> io::Result<Chunk> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match line.then(|| buf.iter().position(|&b| b == b'\n')).flatten() {
            Some(i) => (i, true),
            None => (buf.len(), false),
        };
        total += take;
        if total <= max {
            out.extend_from_slice(&buf[..take]);
        } else if !out.is_empty() {
            out = Vec::new();
        }
        reader.consume(if done { take + 1 } else { take });
        if done {
            break;
        }
    }
    if !any {
        return Ok(Chunk::Eof);
    }
    if total > max {
        Ok(Chunk::TooLong(total))
    } else {
        Ok(Chunk::Data(out))
    }
}

/// Parses a raw record into an article. Pure: safe to run in parallel.
pub fn parse_record(raw: &RawRecord) -> Result<Article, RecordError> {
    let err = |line: usize, msg: String| RecordError::new(&raw.origin.file, line, msg);
    let text = std::str::from_utf8(&raw.bytes).map_err(|e| {
        err(
            raw.origin.line,
            format!("invalid UTF-8 at byte {}; skipped", e.valid_up_to()),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\0') {
        return Err(err(
            raw.origin.line,
            "contains NUL bytes (a binary file?); skipped".into(),
        ));
    }
    match raw.format {
        Format::JsonLines => parse_json_line(text, &raw.origin),
        Format::Text => parse_text_file(text, &raw.origin),
    }
}

/// The fields newsidx reads, before checking.
#[derive(Default)]
struct Fields {
    id: Option<String>,
    title: Option<String>,
    body: Option<Body>,
    published: Option<String>,
    url: Option<String>,
    source: Option<String>,
    lang: Option<String>,
}

fn parse_json_line(text: &str, origin: &Origin) -> Result<Article, RecordError> {
    let err = |msg: String| RecordError::new(&origin.file, origin.line, msg);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        err(format!(
            "not valid JSON ({}, column {}); skipped",
            json_problem(&e),
            e.column()
        ))
    })?;
    let Value::Object(map) = value else {
        return Err(err(format!(
            "expected a JSON object, found {}; skipped",
            json_kind(&value)
        )));
    };
    let fields = json_fields(&map).map_err(err)?;
    build_article(fields, origin)
}

fn json_problem(e: &serde_json::Error) -> String {
    let s = e.to_string();
    // serde_json appends " at line L column C"; we report the column ourselves.
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The names an article's fields are read under, in JSON Lines and in front matter alike, in
/// order of preference: ours first, then the common names of news dumps and APIs (NewsAPI's
/// `content` and `publishedAt`, RSS's `link` and `pubDate`, schema.org's `headline` and
/// `datePublished`).
const TITLE_KEYS: &[&str] = &["title", "headline"];
const TEXT_KEYS: &[&str] = &["body", "text", "content"];
const PUBLISHED_KEYS: &[&str] = &[
    "published",
    "date",
    "publishedAt",
    "published_at",
    "datePublished",
    "date_published",
    "pubDate",
];
const URL_KEYS: &[&str] = &["url", "link"];
const SOURCE_KEYS: &[&str] = &["source", "publisher"];
const LANG_KEYS: &[&str] = &["lang", "language"];

fn json_fields(map: &Map<String, Value>) -> Result<Fields, String> {
    let string = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "field `{key}` must be a string, not {}; skipped",
                json_kind(other)
            )),
        }
    };
    let id = match map.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        Some(Value::Number(n)) => {
            // serde_json reads other numbers as floats: 12345678901234567890123 would become
            // "1.2345678901234568e22", and different ids the same one.
            return Err(format!(
                "field `id` is the number {n}, which is not an integer or too large to keep exactly (write the id as a string); skipped"
            ));
        }
        Some(other) => {
            return Err(format!(
                "field `id` must be a string or a number, not {}; skipped",
                json_kind(other)
            ))
        }
    };
    // The value under the first of a field's names that the record has.
    let first = |keys: &[&str]| -> Result<Option<String>, String> {
        for k in keys {
            if let Some(v) = string(k)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    };
    let body = if let Some(b) = first(TEXT_KEYS)? {
        Some(Body::Text(b))
    } else {
        match map.get("paragraphs") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let mut paragraphs = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => paragraphs.push(s.clone()),
                        Value::Null => {}
                        other => {
                            return Err(format!(
                                "field `paragraphs` must hold strings, but item {} is {}; skipped",
                                i + 1,
                                json_kind(other)
                            ))
                        }
                    }
                }
                Some(Body::Paragraphs(paragraphs))
            }
            Some(other) => {
                return Err(format!(
                    "field `paragraphs` must be an array of strings, not {}; skipped",
                    json_kind(other)
                ))
            }
        }
    };
    let mut published = None;
    for &key in PUBLISHED_KEYS {
        published = match map.get(key) {
            // Seconds since 1970 (milliseconds from 10^11 on, as JavaScript writes them).
            Some(Value::Number(n)) => Some(epoch_date(n).map_err(|why| {
                format!("field `{key}` is the number {n}, which is not a date ({why}); skipped")
            })?),
            _ => string(key)?,
        };
        if published.is_some() {
            break;
        }
    }
    // A dateline kept apart from the body ("NEW YORK, Feb 26 -") is the start of the text.
    let body = match (string("dateline")?.filter(|d| !d.trim().is_empty()), body) {
        (Some(d), Some(Body::Text(t))) => {
            Some(Body::Text(format!("{} {}", d.trim(), t.trim_start())))
        }
        (Some(d), Some(Body::Paragraphs(mut ps))) if !ps.is_empty() => {
            ps[0] = format!("{} {}", d.trim(), ps[0].trim_start());
            Some(Body::Paragraphs(ps))
        }
        (_, body) => body,
    };
    // NewsAPI: "source": {"id": "bbc-news", "name": "BBC News"}
    let source = match map.get("source") {
        Some(Value::Object(o)) => match o.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(n)) => Some(n.clone()),
            Some(other) => {
                return Err(format!(
                    "field `source.name` must be a string, not {}; skipped",
                    json_kind(other)
                ))
            }
        },
        _ => first(SOURCE_KEYS)?,
    };
    Ok(Fields {
        id,
        title: first(TITLE_KEYS)?,
        body,
        published,
        url: first(URL_KEYS)?,
        source,
        lang: first(LANG_KEYS)?,
    })
}

/// A publication time given as a number: seconds since 1970, or milliseconds when it is at
/// least 10^11 (no news is dated in the year 5138), as an ISO date-time string. Numbers below
/// 10^8 (1973) are refused: `20240101` is more likely a date written as a number than
/// 23 August 1970.
fn epoch_date(n: &serde_json::Number) -> Result<String, String> {
    let v = n.as_i64().ok_or("not a whole number")?;
    if v < 100_000_000 {
        return Err(
            "seconds since 1970 start at 100000000 here; write a date as a string, \
             as in \"2024-01-01\""
                .into(),
        );
    }
    let secs = if v.abs() >= 100_000_000_000 {
        v.div_euclid(1000)
    } else {
        v
    };
    let t = OffsetDateTime::from_unix_timestamp(secs).map_err(|_| "out of range".to_string())?;
    if !(1000..=9999).contains(&t.year()) {
        return Err("out of range".into());
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

fn parse_text_file(text: &str, origin: &Origin) -> Result<Article, RecordError> {
    let mut fields = Fields::default();
    // front matter `key: value` pairs (a key given twice: the last value)
    let mut front: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let mut body = text;
    let starts_with_fence = text.lines().next().map(str::trim_end) == Some("---");
    if starts_with_fence && !text.lines().skip(1).any(|l| l.trim_end() == "---") {
        return Err(RecordError::new(
            &origin.file,
            1,
            "front matter opened with `---` is never closed; skipped",
        ));
    }
    if starts_with_fence {
        let mut offset = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
        let mut line_no = 1;
        let mut closed = false;
        while offset < text.len() {
            line_no += 1;
            let end = text[offset..]
                .find('\n')
                .map(|i| offset + i)
                .unwrap_or(text.len());
            let line = text[offset..end].trim_end_matches('\r');
            let next = (end + 1).min(text.len());
            if line.trim_end() == "---" {
                body = &text[next..];
                closed = true;
                break;
            }
            if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
                let Some((key, value)) = line.split_once(':') else {
                    return Err(RecordError::new(
                        &origin.file,
                        line_no,
                        format!(
                            "front matter line is not `key: value`: {:?}; skipped",
                            truncate(line, 60)
                        ),
                    ));
                };
                let value = unquote(value.trim());
                if value.is_empty() {
                    front.remove(key.trim());
                } else {
                    front.insert(key.trim(), value.to_string());
                }
            }
            offset = next;
        }
        if !closed {
            return Err(RecordError::new(
                &origin.file,
                1,
                "front matter opened with `---` is never closed; skipped",
            ));
        }
        let first = |keys: &[&str]| keys.iter().find_map(|k| front.get(k).cloned());
        fields.id = first(&["id"]);
        fields.title = first(TITLE_KEYS);
        fields.published = first(PUBLISHED_KEYS);
        fields.url = first(URL_KEYS);
        fields.source = first(SOURCE_KEYS);
        fields.lang = first(LANG_KEYS);
    }
    let mut body = body.to_string();
    let markdown = origin
        .file
        .to_ascii_lowercase()
        .trim_end_matches(".gz")
        .ends_with(".md");
    if markdown {
        if fields.title.is_none() {
            // A Markdown file's leading `# Heading` is its title.
            let trimmed = body.trim_start();
            if let Some(rest) = trimmed.strip_prefix("# ") {
                let end = rest.find('\n').unwrap_or(rest.len());
                fields.title = Some(crate::markdown::to_text(&rest[..end]).trim().to_string());
                body = rest[end..].to_string();
            }
        }
        body = crate::markdown::to_text(&body);
    }
    fields.body = Some(Body::Text(body));
    if fields.id.is_none() {
        fields.id = Some(file_stem(&origin.file));
    }
    build_article(fields, origin)
}

fn file_stem(file: &str) -> String {
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n).collect();
        format!("{cut}…")
    }
}

fn build_article(f: Fields, origin: &Origin) -> Result<Article, RecordError> {
    let err = |msg: String| RecordError::new(&origin.file, origin.line, msg);
    let body = f.body.ok_or_else(|| {
        err("article has no text (no `body`, `text`, `content` or `paragraphs`); skipped".into())
    })?;
    let empty = match &body {
        Body::Text(t) => t.trim().is_empty(),
        Body::Paragraphs(p) => p.iter().all(|s| s.trim().is_empty()),
    };
    let title = f.title.map(|t| t.trim().to_string()).unwrap_or_default();
    if empty && title.is_empty() {
        return Err(err("article text is empty; skipped".into()));
    }
    let published = match f.published.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(parse_datetime(p).map_err(|why| {
            err(format!(
                "date does not parse: {:?} ({why}); skipped",
                truncate(p, 40)
            ))
        })?),
    };
    let hash = content_hash(
        &title,
        &body,
        f.published.as_deref(),
        &f.url,
        &f.source,
        &f.lang,
    );
    let id = match f.id.map(|s| s.trim().to_string()) {
        Some(id) if !id.is_empty() => {
            if id.chars().any(char::is_control) {
                return Err(err("field `id` contains control characters; skipped".into()));
            }
            id
        }
        _ => format!("h{}", &hash[..16]),
    };
    // A news brief: a title and an empty body (Reuters' BRIEF items, "Tokyo - Stock index
    // closes 620.18 points lower"). The headline is the whole story: it is the one paragraph.
    let body = if empty {
        Body::Text(title.clone())
    } else {
        body
    };
    Ok(Article {
        id,
        title,
        body,
        published,
        url: f.url.filter(|s| !s.trim().is_empty()),
        source: f.source.filter(|s| !s.trim().is_empty()),
        lang: f.lang.as_deref().and_then(Lang::parse),
        origin: origin.clone(),
        hash,
    })
}

fn content_hash(
    title: &str,
    body: &Body,
    published: Option<&str>,
    url: &Option<String>,
    source: &Option<String>,
    lang: &Option<String>,
) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut part = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    part(title);
    match body {
        Body::Text(t) => part(t),
        Body::Paragraphs(ps) => ps.iter().for_each(|p| part(p)),
    }
    for s in [
        published,
        url.as_deref(),
        source.as_deref(),
        lang.as_deref(),
    ] {
        part(s.unwrap_or("\u{0}"));
    }
    format!("{:032x}", h.digest128())
}

/// Parses an ISO 8601 date or date-time: `2024-11-15`, `2024-11-15T10:30:00Z`,
/// `2024-11-15 10:30`, `2024-11-15T10:30:00.123+01:00`. Times without an offset are UTC.
/// Years outside 1000–9999 are rejected.
pub fn parse_datetime(s: &str) -> Result<OffsetDateTime, String> {
    let s = s.trim();
    if s.starts_with(|c: char| c.is_ascii_alphabetic())
        || s.as_bytes().get(1..3).is_some_and(|b| b.contains(&b' '))
    {
        return parse_rfc2822(s).ok_or_else(|| {
            "expected YYYY-MM-DD, an ISO date-time, or an RSS/e-mail date as in \
             Mon, 01 Apr 2024 10:00:00 +0200"
                .to_string()
        });
    }
    let year_digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if year_digits > 4 && s.as_bytes().get(year_digits) == Some(&b'-') {
        return Err(format!(
            "year {} is out of range",
            truncate(&s[..year_digits], 12)
        ));
    }
    let (date_part, rest) = if s.len() >= 10 && s.is_char_boundary(10) {
        s.split_at(10)
    } else {
        return Err("expected YYYY-MM-DD".into());
    };
    let date = parse_date(date_part)?;
    let rest = rest.trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Ok(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc());
    }
    let (clock, offset) = split_offset(rest)?;
    let time = parse_time(clock)?;
    Ok(PrimitiveDateTime::new(date, time)
        .assume_offset(offset)
        .to_offset(UtcOffset::UTC))
}

/// An RSS `pubDate` / e-mail date (RFC 2822): `Mon, 01 Apr 2024 10:00:00 +0200`,
/// `1 Apr 2024 10:00 GMT`, `01 Apr 2024`. The weekday is optional and not checked; English
/// month names; the zone is a `+hhmm` offset or a name (`GMT`, `UT`, `UTC`, `Z`, the US zones,
/// `CET`, `CEST`); no zone is UTC.
fn parse_rfc2822(s: &str) -> Option<OffsetDateTime> {
    let s = match s.split_once(',') {
        Some((weekday, rest)) if weekday.trim().chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => s,
    };
    let mut it = s.split_whitespace();
    let day: u8 = it.next()?.parse().ok()?;
    let month = match it.next()?.to_ascii_lowercase().get(..3)? {
        "jan" => Month::January,
        "feb" => Month::February,
        "mar" => Month::March,
        "apr" => Month::April,
        "may" => Month::May,
        "jun" => Month::June,
        "jul" => Month::July,
        "aug" => Month::August,
        "sep" => Month::September,
        "oct" => Month::October,
        "nov" => Month::November,
        "dec" => Month::December,
        _ => return None,
    };
    let year = it.next()?;
    if year.len() != 4 {
        return None;
    }
    let year: i32 = year.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = match it.next() {
        None => Time::MIDNIGHT,
        Some(clock) => parse_time(clock).ok()?,
    };
    let offset = match it.next() {
        None => UtcOffset::UTC,
        Some(zone) => zone_offset(zone)?,
    };
    if it.next().is_some() {
        return None;
    }
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_offset(offset)
            .to_offset(UtcOffset::UTC),
    )
}

/// An RFC 2822 zone: `+hhmm` / `-hhmm` (at most 14 hours) or a zone name.
fn zone_offset(zone: &str) -> Option<UtcOffset> {
    let hours = match zone.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "EST" => -5,
        "EDT" | "AST" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "CET" => 1,
        "CEST" => 2,
        _ => {
            let sign = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits = &zone[1..];
            if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let (h, m): (i8, i8) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
            if h > 14 || m > 59 {
                return None;
            }
            return UtcOffset::from_hms(sign * h, sign * m, 0).ok();
        }
    };
    UtcOffset::from_hms(hours, 0, 0).ok()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err("expected YYYY-MM-DD".into());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| "expected YYYY-MM-DD".to_string())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1000..=9999).contains(&y) {
        return Err(format!("year {y} is out of range"));
    }
    let month = Month::try_from(m as u8).map_err(|_| format!("month {m} is out of range"))?;
    Date::from_calendar_date(y as i32, month, d as u8)
        .map_err(|_| format!("day {d} is out of range"))
}

fn split_offset(s: &str) -> Result<(&str, UtcOffset), String> {
    if let Some(clock) = s.strip_suffix(['Z', 'z']) {
        return Ok((clock, UtcOffset::UTC));
    }
    if let Some(i) = s.rfind(['+', '-']) {
        let (clock, off) = s.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err("bad time zone offset".into());
        }
        let h: i8 = digits[..2].parse().map_err(|_| "bad time zone offset")?;
        let m: i8 = digits[2..].parse().map_err(|_| "bad time zone offset")?;
        if h > 23 {
            // `time` accepts up to ±25:59; no real time zone is more than 14 hours away.
            return Err("bad time zone offset".into());
        }
        let offset =
            UtcOffset::from_hms(sign * h, sign * m, 0).map_err(|_| "bad time zone offset")?;
        return Ok((clock, offset));
    }
    Ok((s, UtcOffset::UTC))
}

fn parse_time(s: &str) -> Result<Time, String> {
    let main = s.split(['.', ',']).next().unwrap_or(s);
    let parts: Vec<&str> = main.split(':').collect();
    if parts.len() < 2
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return Err("expected a time as HH:MM[:SS]".into());
    }
    let n = |i: usize| parts.get(i).and_then(|p| p.parse::<u8>().ok()).unwrap_or(0);
    Time::from_hms(n(0), n(1), n(2)).map_err(|_| "time is out of range".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(format: Format, text: &[u8]) -> RawRecord {
        RawRecord {
            origin: Origin {
                file: "t.jsonl".into(),
                line: 7,
            },
            format,
            bytes: text.to_vec(),
        }
    }

    #[test]
    fn json_line_with_all_fields() {
        let a = parse_record(&raw(
            Format::JsonLines,
            br#"{"id":"a1","title":" T ","body":"Tekst.","published":"2024-11-15T10:00:00+01:00","url":"u","source":"s","lang":"nl","extra":1}"#,
        ))
        .unwrap();
        assert_eq!(a.id, "a1");
        assert_eq!(a.title, "T");
        assert_eq!(a.body, Body::Text("Tekst.".into()));
        assert_eq!(a.published.unwrap().hour(), 9);
        assert_eq!(a.lang, Some(Lang::Nl));
    }

    #[test]
    fn json_alternatives_and_derived_id() {
        let a = parse_record(&raw(
            Format::JsonLines,
            br#"{"text":"x","date":"2024-01-02"}"#,
        ))
        .unwrap();
        let b = parse_record(&raw(
            Format::JsonLines,
            br#"{"text":"x","date":"2024-01-02"}"#,
        ))
        .unwrap();
        assert_eq!(a.id, b.id);
        assert!(a.id.starts_with('h'));
        let p = parse_record(&raw(
            Format::JsonLines,
            br#"{"id":5,"paragraphs":["a","b"]}"#,
        ))
        .unwrap();
        assert_eq!(p.id, "5");
        assert_eq!(p.body, Body::Paragraphs(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn a_brief_is_its_title_and_an_empty_article_is_an_error() {
        // Reuters-21578, a BRIEF item: the headline is the whole story.
        let brief = parse_record(&raw(
            Format::JsonLines,
            br#"{"id":"r1","title":" Tokyo - Stock index closes 620.18 points lower at 25,746.56 ","body":""}"#,
        ))
        .unwrap();
        assert_eq!(
            brief.title,
            "Tokyo - Stock index closes 620.18 points lower at 25,746.56"
        );
        assert_eq!(brief.body, Body::Text(brief.title.clone()));
        let paragraphs = parse_record(&raw(
            Format::JsonLines,
            br#"{"title":"Kort nieuws","paragraphs":["", "  "]}"#,
        ))
        .unwrap();
        assert_eq!(paragraphs.body, Body::Text("Kort nieuws".into()));
        // The brief's hash is that of what the record holds (an empty body), not of its title
        // written twice.
        let [once, twice] = [&br#""""#[..], br#""Kort nieuws""#].map(|body| {
            let mut record = br#"{"title":"Kort nieuws","body":"#.to_vec();
            record.extend_from_slice(body);
            record.push(b'}');
            parse_record(&raw(Format::JsonLines, &record)).unwrap()
        });
        assert_eq!(once.body, twice.body);
        assert_ne!(once.hash, twice.hash);
        for empty in [&br#"{"title":"  ","body":""}"#[..], br#"{"body":" \n "}"#] {
            let e = parse_record(&raw(Format::JsonLines, empty)).unwrap_err();
            assert!(e.to_string().contains("article text is empty"), "{e}");
        }
    }

    #[test]
    fn bad_json_records_name_line_and_problem() {
        let cases: &[(&[u8], &str)] = &[
            (b"{not json", "not valid JSON"),
            (b"[1,2]", "expected a JSON object, found an array"),
            (br#"{"id":"x"}"#, "article has no text"),
            (br#"{"body":"   "}"#, "article text is empty"),
            (
                br#"{"body":"x","published":"gisteren"}"#,
                "date does not parse",
            ),
            (
                br#"{"body":"x","published":"2024-02-30"}"#,
                "day 30 is out of range",
            ),
            (
                br#"{"body":"x","published":"0099-01-01"}"#,
                "year 99 is out of range",
            ),
            (
                br#"{"body":12}"#,
                "field `body` must be a string, not a number",
            ),
            (b"{\"body\":\"\xff\xfe\"}", "invalid UTF-8"),
            (b"{\"body\":\"a\"}\0", "NUL bytes"),
        ];
        for (input, want) in cases {
            let e = parse_record(&raw(Format::JsonLines, input)).unwrap_err();
            let shown = e.to_string();
            assert!(shown.starts_with("t.jsonl:7: "), "{shown}");
            assert!(shown.contains(want), "{shown} lacks {want}");
        }
    }

    #[test]
    fn text_with_front_matter() {
        let a = parse_record(&raw(
            Format::Text,
            b"---\ntitle: \"Een titel\"\npublished: 2024-11-15\nlang: nl\n---\nEerste alinea.\nTweede.\n",
        ))
        .unwrap();
        assert_eq!(a.title, "Een titel");
        assert_eq!(a.id, "t");
        assert_eq!(a.body, Body::Text("Eerste alinea.\nTweede.\n".into()));
        assert!(a.published.is_some());
        let e = parse_record(&raw(Format::Text, b"---\ntitle x\n---\nbody")).unwrap_err();
        assert!(
            e.to_string().starts_with("t.jsonl:2: front matter line"),
            "{e}"
        );
        let e = parse_record(&raw(Format::Text, b"---\ntitle: x\nbody")).unwrap_err();
        assert!(e.to_string().contains("never closed"), "{e}");
    }

    #[test]
    fn text_without_front_matter_is_all_body() {
        let a = parse_record(&raw(
            Format::Text,
            "\u{feff}LIMA – President Joe Biden".as_bytes(),
        ))
        .unwrap();
        assert_eq!(a.body, Body::Text("LIMA – President Joe Biden".into()));
        assert_eq!(a.title, "");
    }

    #[test]
    fn limited_reader_skips_long_lines() {
        let data = format!("{}\nshort\n", "x".repeat(100));
        let mut r = io::Cursor::new(data.into_bytes());
        assert!(matches!(
            read_limited(&mut r, 10, true).unwrap(),
            Chunk::TooLong(100)
        ));
        assert!(matches!(read_limited(&mut r, 10, true).unwrap(), Chunk::Data(d) if d == b"short"));
        assert!(matches!(
            read_limited(&mut r, 10, true).unwrap(),
            Chunk::Eof
        ));
    }

    #[test]
    fn reports_escape_control_characters_in_file_names() {
        let e = RecordError::new("a\x1b]0;x\x07\u{202e}.jsonl", 3, "bad\x1b[2J");
        let shown = e.to_string();
        assert_eq!(shown, "a\\u{1b}]0;x\\u{7}\\u{202e}.jsonl:3: bad\\u{1b}[2J");
        assert!(!shown.chars().any(char::is_control));
        assert_eq!(
            RecordError::warning("a.md", 1, "x").to_string(),
            "a.md:1: warning: x"
        );
    }

    #[test]
    fn ids_that_are_not_exact_integers_are_refused() {
        for input in [
            &br#"{"id":123456789012345678901234567890,"body":"x"}"#[..],
            br#"{"id":1.5,"body":"x"}"#,
            br#"{"id":1e3,"body":"x"}"#,
        ] {
            let e = parse_record(&raw(Format::JsonLines, input)).unwrap_err();
            assert!(e.message.contains("write the id as a string"), "{e}");
        }
        for (input, id) in [
            (
                &br#"{"id":18446744073709551615,"body":"x"}"#[..],
                "18446744073709551615",
            ),
            (br#"{"id":-7,"body":"x"}"#, "-7"),
        ] {
            assert_eq!(parse_record(&raw(Format::JsonLines, input)).unwrap().id, id);
        }
    }

    fn read_dir_records(files: &[(&str, &[u8])]) -> Vec<Result<RawRecord, RecordError>> {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let (found, problems) = collect_files(&[dir.path().to_path_buf()]);
        assert!(problems.is_empty(), "{problems:?}");
        CorpusReader::new(found, ReadOptions::default()).collect()
    }

    #[test]
    fn binary_files_are_one_error_and_empty_files_a_warning() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\n\n\n\xff\n\x01";
        let records = read_dir_records(&[
            ("a.jsonl", png),
            ("b.txt", b"\xff\xfeL\0I\0M\0A\0"),
            ("c.jsonl", b""),
            ("d.ndjson", b"\n  \r\n\t\n"),
            ("e.jsonl", b"{\"body\":\"x\"}\n"),
        ]);
        let shown: Vec<String> = records
            .iter()
            .map(|r| match r {
                Ok(raw) => format!("ok {}", raw.origin.line),
                Err(e) => e.to_string(),
            })
            .map(|s| s.rsplit('/').next().unwrap().to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "a.jsonl:1: not a text file: it looks like a PNG image; skipped",
                "b.txt:1: not a text file: it looks like UTF-16 text (newsidx reads UTF-8; convert it, e.g. with iconv); skipped",
                "c.jsonl:1: warning: the file holds no articles (it is empty or blank)",
                "d.ndjson:1: warning: the file holds no articles (it is empty or blank)",
                "ok 1",
            ]
        );
    }

    #[test]
    fn special_files_in_directories_are_skipped_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        // A socket stands in for a FIFO (opening a FIFO would block forever).
        let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("s.jsonl")).unwrap();
        std::fs::write(dir.path().join("t.jsonl"), b"{\"body\":\"x\"}\n").unwrap();
        let (files, problems) = collect_files(&[dir.path().to_path_buf()]);
        assert_eq!(files.len(), 1);
        assert!(files[0].path.ends_with("t.jsonl"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].warning);
        assert!(
            problems[0].message.contains("not a regular file"),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(
            format_of(Path::new("a.jsonl.gz")),
            Some((Format::JsonLines, true))
        );
        assert_eq!(
            format_of(Path::new("a.NDJSON")),
            Some((Format::JsonLines, false))
        );
        assert_eq!(format_of(Path::new("a.md")), Some((Format::Text, false)));
        assert_eq!(format_of(Path::new("a.pdf")), None);
        assert_eq!(format_of(Path::new("jsonl")), None);
    }

    #[test]
    fn rss_and_email_dates() {
        let utc = |s: &str| {
            let t = parse_datetime(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            format!("{} {}", t.date(), t.time())
        };
        assert_eq!(
            utc("Mon, 01 Apr 2024 10:00:00 +0200"),
            "2024-04-01 8:00:00.0"
        );
        assert_eq!(
            utc("Mon, 01 Apr 2024 23:30:00 -0200"),
            "2024-04-02 1:30:00.0"
        );
        assert_eq!(utc("1 Apr 2024 10:00 GMT"), "2024-04-01 10:00:00.0");
        assert_eq!(utc("Tue, 2 Apr 2024 10:00:00 CEST"), "2024-04-02 8:00:00.0");
        assert_eq!(utc("02 April 2024 09:15:00 EST"), "2024-04-02 14:15:00.0");
        assert_eq!(utc("02 Apr 2024"), "2024-04-02 0:00:00.0");
        for bad in [
            "Mon, 32 Apr 2024 10:00:00 GMT",
            "Mon, 01 Foo 2024 10:00:00 GMT",
            "Mon, 01 Apr 24 10:00:00 GMT",
            "Mon, 01 Apr 2024 25:00:00 GMT",
            "Mon, 01 Apr 2024 10:00:00 +2500",
            "Mon, 01 Apr 2024 10:00:00 XYZ",
            "Mon, 01 Apr 2024 10:00:00 GMT extra",
            "gisteren",
        ] {
            let e = parse_datetime(bad).unwrap_err();
            assert!(e.contains("RSS/e-mail date"), "{bad}: {e}");
        }
    }

    #[test]
    fn common_field_names_of_news_dumps() {
        let one = |json: &str| -> Result<Article, String> {
            let rec = raw(Format::JsonLines, json.as_bytes());
            parse_record(&rec).map_err(|e| e.to_string())
        };
        // NewsAPI
        let a = one(r#"{"source":{"id":"bbc-news","name":"BBC News"},"title":"Storm","url":"https://b/1","publishedAt":"2024-04-02T08:00:00Z","content":"A storm hit Cornwall."}"#).unwrap();
        assert_eq!(a.source.as_deref(), Some("BBC News"));
        assert_eq!(a.url.as_deref(), Some("https://b/1"));
        assert_eq!(
            a.published.unwrap().to_string(),
            "2024-04-02 8:00:00.0 +00:00:00"
        );
        // schema.org / RSS names
        let a = one(r#"{"headline":"Tulpen","content":"De tulpen bloeien.","datePublished":"2024-04-01","link":"http://x","language":"nl","publisher":"NOS"}"#).unwrap();
        assert_eq!(
            (
                a.title.as_str(),
                a.url.as_deref(),
                a.source.as_deref(),
                a.lang
            ),
            ("Tulpen", Some("http://x"), Some("NOS"), Some(Lang::Nl))
        );
        let a =
            one(r#"{"title":"T","text":"x","pubDate":"Mon, 01 Apr 2024 10:00:00 +0200"}"#).unwrap();
        assert_eq!(a.published.unwrap().hour(), 8);
        // The usual names win over the others.
        let a = one(r#"{"title":"T","headline":"H","body":"B","content":"C","published":"2024-01-01","pubDate":"Mon, 01 Apr 2024 10:00:00 +0200"}"#).unwrap();
        assert_eq!(a.title, "T");
        assert_eq!(a.published.unwrap().month(), Month::January);
        // Front matter takes the same names, in the same order of preference.
        let rec = raw(
            Format::Text,
            b"---\nheadline: Kop\npubDate: Mon, 01 Apr 2024 10:00:00 +0200\nlink: http://x\n\
              date: 2024-01-02\n---\nTekst.\n",
        );
        let a = parse_record(&rec).unwrap();
        assert_eq!(
            (a.title.as_str(), a.url.as_deref()),
            ("Kop", Some("http://x"))
        );
        assert_eq!(a.published.unwrap().month(), Month::January);
        // Seconds or milliseconds since 1970.
        for n in ["1711965600", "1711965600123"] {
            let a = one(&format!(r#"{{"text":"x","published":{n}}}"#)).unwrap();
            assert_eq!(
                a.published.unwrap().to_string(),
                "2024-04-01 10:00:00.0 +00:00:00"
            );
        }
        for (json, says) in [
            (
                r#"{"text":"x","published":1.5}"#,
                "is not a date (not a whole number)",
            ),
            (
                r#"{"text":"x","date":-99999999999999}"#,
                "is not a date (seconds since",
            ),
            (
                r#"{"text":"x","date":20240101}"#,
                "write a date as a string",
            ),
            (
                r#"{"text":"x","date":999999999999999999}"#,
                "is not a date (out of range)",
            ),
            (
                r#"{"text":"x","source":{"name":3}}"#,
                "`source.name` must be a string",
            ),
            (
                r#"{"title":"T","summary":"x"}"#,
                "no `body`, `text`, `content` or `paragraphs`",
            ),
        ] {
            let e = one(json).unwrap_err();
            assert!(e.contains(says), "{json}: {e}");
        }
    }

    #[test]
    fn datetimes() {
        assert_eq!(
            parse_datetime("2024-11-15").unwrap().date().to_string(),
            "2024-11-15"
        );
        assert_eq!(parse_datetime("1987-02-26 15:01:01").unwrap().hour(), 15);
        assert_eq!(
            parse_datetime("2024-11-15T23:30:00-02:00").unwrap().day(),
            16
        );
        assert!(parse_datetime("2024-11-15T25:00").is_err());
        assert!(parse_datetime("15-11-2024").is_err());
        assert!(parse_datetime("2024-11-1é").is_err());
        assert_eq!(
            parse_datetime("2024-11-15T10:00:00+25:00").unwrap_err(),
            "bad time zone offset"
        );
        assert_eq!(
            parse_datetime("2024-11-15T10:00:00+14:00").unwrap().hour(),
            20
        );
        assert_eq!(
            parse_datetime("99999-01-01").unwrap_err(),
            "year 99999 is out of range"
        );
        assert_eq!(
            parse_datetime("0000-01-01").unwrap_err(),
            "year 0 is out of range"
        );
    }
}
