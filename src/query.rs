//! query stage: parses a user's query into our own AST (words, phrases, operators, fields),
//! with errors that point at the position, and compiles it to tantivy queries.
//!
//! Grammar (the default operator between terms is AND: a news archive is large, and a
//! searcher who types two words means both):
//!
//! ```text
//! query   := or
//! or      := and ( ("OR" | "||") and )*
//! and     := unary ( ["AND" | "&&"] unary )*
//! unary   := ("-" | "NOT" | "!") unary | "+" unary | boosted
//! boosted := primary [ "^" N ]                   weight N (0 < N <= 100) of a word, phrase, group
//! primary := "(" query ")" | field ":" value | phrase | word
//! phrase  := '"' words '"' [ "~" N ]            proximity: words within N positions
//! word    := text [ "*" ]                        prefix
//!          | text with "?" / "*" inside          wildcards: one character / any characters
//!          | text "~" [N]                        fuzzy, edit distance N (default 1, at most 2)
//! field   := title | person | country | source | lang | published | mentions
//! value   := word | phrase | "[" from "TO" to "]" | (">=" | ">" | "<=" | "<") date
//! ```

use std::fmt;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query as TantivyQuery, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, Term};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::analysis::{self, AnalyzedToken};
use crate::dismax::SeekingDisMax;
use crate::entity::persons;
use crate::entity::resolve::PersonMap;
use crate::join::{ArticleLevel, ArticleStarts};
use crate::lang::Lang;
use crate::schema::Fields;
use std::sync::Arc;

/// Title matches weigh this much more than body matches.
pub const TITLE_BOOST: f32 = 1.5;
/// Weight of a match on a compound's parts relative to a match on the compound itself.
pub const COMPOUND_PARTS_WEIGHT: f32 = 0.5;
/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Most terms (words, phrases, filters) a query may have.
pub const MAX_QUERY_TERMS: usize = 64;

/// A query that does not parse: what is wrong, and where (a character position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The query text.
    pub query: String,
    /// 0-based character position of the problem.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invalid query at position {}: {}",
            self.position + 1,
            self.message
        )?;
        let shown: String = self
            .query
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(f, "  {shown}")?;
        write!(f, "  {}^", " ".repeat(self.position))
    }
}

impl std::error::Error for QueryError {}

/// Where a word or phrase is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Paragraph text and article title.
    All,
    /// Article title only.
    Title,
}

/// How a word matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    /// The word and its inflections (stemmed).
    Exact,
    /// Any word that starts with it (as written, unstemmed).
    Prefix,
    /// Any word within this edit distance (of the stem).
    Fuzzy(u8),
    /// Any word that the pattern matches (as written, unstemmed): `?` is one character, `*`
    /// any number; the pattern starts with a letter or digit.
    Wildcard,
}

/// A filter on a paragraph's metadata or entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A person: canonical name or alias, folded.
    Person(String),
    /// An ISO country code.
    Country(String),
    /// A source, folded.
    Source(String),
    /// A language.
    Lang(Lang),
    /// Published in `[from, to)`.
    Published {
        /// Inclusive lower bound.
        from: Option<OffsetDateTime>,
        /// Exclusive upper bound.
        to: Option<OffsetDateTime>,
    },
    /// The text mentions this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    Mentions(String),
}

/// The parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// Matches everything (an empty query with filters).
    All,
    /// A word.
    Word {
        /// The word as typed.
        text: String,
        /// How it matches.
        kind: WordKind,
        /// Where.
        scope: Scope,
    },
    /// A phrase, optionally with slop.
    Phrase {
        /// The phrase as typed.
        text: String,
        /// Allowed positions between words (0 = exact phrase).
        slop: u32,
        /// Where.
        scope: Scope,
    },
    /// A metadata or entity filter (does not affect scores).
    Filter(Filter),
    /// All must match.
    And(Vec<Query>),
    /// At least one must match.
    Or(Vec<Query>),
    /// Must not match.
    Not(Box<Query>),
    /// Matches as the inner query, its score multiplied by the weight.
    Boost(Box<Query>, f32),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Plus,
    Word(String),
    Phrase(String, Option<u32>),
    Field(String),
    Range(String),
    /// `^N` after a word, phrase or closing parenthesis.
    Boost(f32),
}

struct Lexer<'a> {
    query: &'a str,
    chars: Vec<char>,
    pos: usize,
}

const FIELDS: &[&str] = &[
    "title",
    "person",
    "country",
    "source",
    "lang",
    "published",
    "mentions",
];

impl<'a> Lexer<'a> {
    fn err(&self, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.into(),
        }
    }

    fn tokens(mut self) -> Result<Vec<(Tok, usize)>, QueryError> {
        let mut out = Vec::new();
        let mut after_field = false;
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            let start = self.pos;
            if c.is_whitespace() {
                self.pos += 1;
                after_field = false;
                continue;
            }
            if after_field && (c == '[' || c == '{') {
                let close = if c == '[' { ']' } else { '}' };
                let Some(end) = self.chars[self.pos..]
                    .iter()
                    .position(|&x| x == close || x == ']' || x == '}')
                else {
                    return Err(self.err(
                        start,
                        format!("range opened here is never closed with {close}"),
                    ));
                };
                let inner: String = self.chars[self.pos + 1..self.pos + end].iter().collect();
                out.push((Tok::Range(inner), start));
                self.pos += end + 1;
                after_field = false;
                continue;
            }
            after_field = false;
            match c {
                '(' => {
                    out.push((Tok::LParen, start));
                    self.pos += 1;
                }
                ')' => {
                    out.push((Tok::RParen, start));
                    self.pos += 1;
                    self.boost(&mut out)?;
                }
                '"' | '“' | '”' | '„' => {
                    let Some(len) = self.chars[self.pos + 1..]
                        .iter()
                        .position(|&x| matches!(x, '"' | '“' | '”'))
                    else {
                        return Err(self.err(start, "quote opened here is never closed"));
                    };
                    let text: String = self.chars[self.pos + 1..self.pos + 1 + len]
                        .iter()
                        .collect();
                    self.pos += len + 2;
                    let mut slop = None;
                    if self.chars.get(self.pos) == Some(&'~') {
                        let digits_start = self.pos + 1;
                        let mut end = digits_start;
                        while end < self.chars.len() && self.chars[end].is_ascii_digit() {
                            end += 1;
                        }
                        let digits: String = self.chars[digits_start..end].iter().collect();
                        slop = Some(digits.parse::<u32>().ok().filter(|n| *n <= 100).ok_or_else(|| {
                            self.err(self.pos, "proximity needs a number from 0 to 100 after ~, as in \"a b\"~3")
                        })?);
                        self.pos = end;
                    }
                    out.push((Tok::Phrase(text, slop), start));
                    self.boost(&mut out)?;
                }
                '-' | '!' if self.next_is_term_start() => {
                    out.push((Tok::Not, start));
                    self.pos += 1;
                }
                '+' if self.next_is_term_start() => {
                    out.push((Tok::Plus, start));
                    self.pos += 1;
                }
                _ => {
                    let mut end = self.pos;
                    while end < self.chars.len() {
                        let x = self.chars[end];
                        if x.is_whitespace() || matches!(x, '(' | ')' | '"' | '“' | '”' | '„')
                        {
                            break;
                        }
                        if x == ':' {
                            let name: String = self.chars[self.pos..end].iter().collect();
                            if FIELDS.contains(&name.to_ascii_lowercase().as_str()) {
                                break;
                            }
                        }
                        end += 1;
                    }
                    let word: String = self.chars[self.pos..end].iter().collect();
                    if self.chars.get(end) == Some(&':')
                        && FIELDS.contains(&word.to_ascii_lowercase().as_str())
                    {
                        out.push((Tok::Field(word.to_ascii_lowercase()), start));
                        self.pos = end + 1;
                        after_field = true;
                        if self.pos >= self.chars.len() || self.chars[self.pos].is_whitespace() {
                            return Err(self.err(start, format!("{word}: needs a value")));
                        }
                        continue;
                    }
                    // "raket^2": the word, then its weight
                    let (word, weight_at) = match word.find('^') {
                        Some(b) if b > 0 => {
                            let at = self.pos + word[..b].chars().count();
                            (word[..b].to_string(), Some(at))
                        }
                        Some(_) => return Err(self.err(start, "^ needs a term before it")),
                        None => (word, None),
                    };
                    let tok = match word.as_str() {
                        "AND" | "&&" => Tok::And,
                        "OR" | "||" => Tok::Or,
                        "NOT" => Tok::Not,
                        _ => Tok::Word(word),
                    };
                    out.push((tok, start));
                    match weight_at {
                        Some(at) => {
                            self.pos = at;
                            self.boost(&mut out)?;
                            if self.pos < end {
                                return Err(self.err(
                                    self.pos,
                                    "unexpected text after a weight (write raket^2 rusland)",
                                ));
                            }
                        }
                        None => self.pos = end,
                    }
                }
            }
        }
        Ok(out)
    }

    /// A weight `^N` at the current position, if there is one (0 < N <= 100).
    fn boost(&mut self, out: &mut Vec<(Tok, usize)>) -> Result<(), QueryError> {
        if self.chars.get(self.pos) != Some(&'^') {
            return Ok(());
        }
        let start = self.pos;
        let mut end = start + 1;
        while end < self.chars.len() && (self.chars[end].is_ascii_digit() || self.chars[end] == '.')
        {
            end += 1;
        }
        let digits: String = self.chars[start + 1..end].iter().collect();
        let weight = digits
            .parse::<f32>()
            .ok()
            .filter(|w| w.is_finite() && *w > 0.0 && *w <= 100.0)
            .ok_or_else(|| {
                self.err(
                    start,
                    "a weight is a number above 0 and at most 100 after ^, as in raket^2",
                )
            })?;
        out.push((Tok::Boost(weight), start));
        self.pos = end;
        Ok(())
    }

    fn next_is_term_start(&self) -> bool {
        let prev_ok = self.pos == 0 || {
            let p = self.chars[self.pos - 1];
            p.is_whitespace() || p == '('
        };
        let next_ok = self
            .chars
            .get(self.pos + 1)
            .is_some_and(|n| !n.is_whitespace() && *n != ')');
        prev_ok && next_ok
    }
}

struct Parser<'a> {
    query: &'a str,
    toks: Vec<(Tok, usize)>,
    i: usize,
    terms: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, position: usize, message: impl Into<String>) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|(t, _)| t)
    }

    fn pos(&self) -> usize {
        self.toks
            .get(self.i)
            .map(|(_, p)| *p)
            .unwrap_or_else(|| self.query.chars().count())
    }

    fn or(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.i += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                return Err(self.err(self.pos(), "OR needs a term after it"));
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Query::All)
        } else {
            Query::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                None | Some(Tok::RParen | Tok::Or) => break,
                Some(Tok::And) => {
                    self.i += 1;
                    if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                        return Err(self.err(self.pos(), "AND needs a term after it"));
                    }
                }
                _ => {}
            }
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Query::All)
        } else {
            Query::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Query, QueryError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.i += 1;
                if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                    return Err(self.err(self.pos(), "NOT (or -) needs a term after it"));
                }
                Ok(Query::Not(Box::new(self.unary()?)))
            }
            Some(Tok::Plus) => {
                self.i += 1;
                self.unary()
            }
            _ => {
                let q = self.primary()?;
                let Some((Tok::Boost(weight), at)) = self.toks.get(self.i).cloned() else {
                    return Ok(q);
                };
                self.i += 1;
                if matches!(q, Query::Filter(_)) {
                    return Err(self.err(
                        at,
                        "a filter does not score: ^ weighs words, phrases and groups",
                    ));
                }
                Ok(Query::Boost(Box::new(q), weight))
            }
        }
    }

    fn count_term(&mut self, at: usize) -> Result<(), QueryError> {
        self.terms += 1;
        if self.terms > MAX_QUERY_TERMS {
            return Err(self.err(
                at,
                format!("too many terms (the limit is {MAX_QUERY_TERMS})"),
            ));
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<Query, QueryError> {
        let Some((tok, at)) = self.toks.get(self.i).cloned() else {
            return Err(self.err(self.pos(), "expected a term"));
        };
        self.i += 1;
        match tok {
            Tok::LParen => {
                if self.peek() == Some(&Tok::RParen) {
                    return Err(self.err(at, "empty parentheses"));
                }
                let inner = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.err(at, "parenthesis opened here is never closed"));
                }
                self.i += 1;
                Ok(inner)
            }
            Tok::RParen => Err(self.err(at, "unbalanced closing parenthesis")),
            Tok::And | Tok::Or => Err(self.err(at, "an operator needs a term before it")),
            Tok::Not | Tok::Plus => Err(self.err(at, "expected a term")),
            Tok::Boost(_) => Err(self.err(at, "^ needs a term before it")),
            Tok::Word(w) => {
                self.count_term(at)?;
                if !w.chars().any(char::is_alphanumeric) {
                    return Err(
                        self.err(at, format!("{w:?} has no letters or digits to search for"))
                    );
                }
                word(&w, Scope::All).map_err(|m| self.err(at, m))
            }
            Tok::Phrase(text, slop) => {
                self.count_term(at)?;
                if text.trim().is_empty() {
                    return Err(self.err(at, "empty phrase"));
                }
                if !text.chars().any(char::is_alphanumeric) {
                    return Err(self.err(at, "the phrase has no letters or digits to search for"));
                }
                Ok(Query::Phrase {
                    text,
                    slop: slop.unwrap_or(0),
                    scope: Scope::All,
                })
            }
            Tok::Range(_) => Err(self.err(
                at,
                "a range needs a field, as in published:[2024-01-01 TO 2024-06-30]",
            )),
            Tok::Field(name) => {
                self.count_term(at)?;
                let Some((value, vat)) = self.toks.get(self.i).cloned() else {
                    return Err(self.err(at, format!("{name}: needs a value")));
                };
                self.i += 1;
                field(&name, value).map_err(|m| self.err(vat, m))
            }
        }
    }
}

fn word(w: &str, scope: Scope) -> Result<Query, String> {
    // A question mark ending a word is punctuation ("wat zei Ishiba?"), not a wildcard.
    let w = match w.trim_end_matches('?') {
        t if t.chars().any(char::is_alphanumeric) => t,
        _ => w,
    };
    if w.contains('?') || w.trim_end_matches('*').contains('*') {
        if w.starts_with(['?', '*']) {
            return Err(
                "a wildcard cannot start a word (every word in the index would be read): \
                 put letters first, as in ra?et or rak*t"
                    .into(),
            );
        }
        if w.contains('~') {
            return Err("a word cannot have both wildcards and ~ (fuzzy)".into());
        }
        if !w
            .chars()
            .all(|c| c.is_alphanumeric() || c == '?' || c == '*')
        {
            return Err(format!(
                "{w:?}: wildcards take one word of letters and digits (no hyphens or punctuation)"
            ));
        }
        return Ok(Query::Word {
            text: w.to_string(),
            kind: WordKind::Wildcard,
            scope,
        });
    }
    // Any other "*" made the word a wildcard above: what is left is a prefix ("raket*").
    if w.ends_with('*') {
        let stem = w.trim_end_matches('*');
        if stem.is_empty() {
            return Err("a prefix needs at least one letter before *".into());
        }
        return Ok(Query::Word {
            text: stem.to_string(),
            kind: WordKind::Prefix,
            scope,
        });
    }
    if let Some((stem, dist)) = w.rsplit_once('~') {
        let d = if dist.is_empty() {
            1
        } else {
            dist.parse::<u8>()
                .ok()
                .filter(|d| *d <= 2)
                .ok_or("fuzzy distance after ~ must be 0, 1 or 2")?
        };
        if stem.is_empty() {
            return Err("~ needs a word before it".into());
        }
        return Ok(Query::Word {
            text: stem.to_string(),
            kind: WordKind::Fuzzy(d),
            scope,
        });
    }
    Ok(Query::Word {
        text: w.to_string(),
        kind: WordKind::Exact,
        scope,
    })
}

fn field(name: &str, value: Tok) -> Result<Query, String> {
    let text = match &value {
        Tok::Word(w) => w.clone(),
        Tok::Phrase(p, _) => p.clone(),
        Tok::Range(r) => {
            if name != "published" {
                return Err(format!(
                    "{name}: does not take a range; only published: does"
                ));
            }
            let (from, to) = r
                .split_once(" TO ")
                .ok_or("a range is written [FROM TO UNTIL], e.g. [2024-01-01 TO 2024-06-30]")?;
            let from = from.trim();
            let to = to.trim();
            let lo = if from == "*" {
                None
            } else {
                Some(date_bound(from)?.0)
            };
            let hi = if to == "*" {
                None
            } else {
                Some(date_bound(to)?.1)
            };
            return Ok(Query::Filter(Filter::Published { from: lo, to: hi }));
        }
        _ => return Err(format!("{name}: needs a value")),
    };
    match name {
        "title" => match value {
            Tok::Phrase(p, slop) => Ok(Query::Phrase {
                text: p,
                slop: slop.unwrap_or(0),
                scope: Scope::Title,
            }),
            _ => word(&text, Scope::Title),
        },
        "person" => {
            let key = persons::person_key(&text);
            if key.is_empty() {
                return Err("person: needs a name".into());
            }
            Ok(Query::Filter(Filter::Person(key)))
        }
        "country" => resolve_country(&text).map(|c| Query::Filter(Filter::Country(c))),
        "source" => Ok(Query::Filter(Filter::Source(persons::person_key(&text)))),
        "lang" => Lang::parse(&text)
            .map(|l| Query::Filter(Filter::Lang(l)))
            .ok_or_else(|| format!("unknown language {text:?}: use nl or en")),
        "published" => {
            let (op, rest) = ["<=", ">=", "<", ">", "="]
                .iter()
                .find_map(|op| text.strip_prefix(op).map(|r| (*op, r)))
                .unwrap_or(("", text.as_str()));
            let (lo, hi) = date_bound(rest)?;
            let (from, to) = match op {
                ">=" => (Some(lo), None),
                ">" => (Some(hi), None),
                "<=" => (None, Some(hi)),
                "<" => (None, Some(lo)),
                _ => (Some(lo), Some(hi)),
            };
            Ok(Query::Filter(Filter::Published { from, to }))
        }
        "mentions" => {
            date_bound(&text)?;
            Ok(Query::Filter(Filter::Mentions(text)))
        }
        _ => Err(format!("unknown field {name}:")),
    }
}

/// Resolves a country filter (code or Dutch/English name) to an ISO code.
pub fn resolve_country(text: &str) -> Result<String, String> {
    crate::entity::gazetteer::resolve_country_query(text)
        .map(str::to_string)
        .ok_or_else(|| format!("unknown country {text:?}: use an ISO code (KP) or a name (Noord-Korea, North Korea)"))
}

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or a full date-time), as a half-open UTC
/// interval `[start, end)` covering that year, month or day.
pub fn date_bound(s: &str) -> Result<(OffsetDateTime, OffsetDateTime), String> {
    let s = s.trim();
    let bad = || format!("{s:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
    let at = |d: Date| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_utc();
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Result<u32, String> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    if s.len() > 10 {
        let t =
            crate::corpus::parse_datetime(s).map_err(|e| format!("{s:?} is not a date: {e}"))?;
        return Ok((t, t + time::Duration::seconds(1)));
    }
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4)? as i32;
            let start = Date::from_calendar_date(y, Month::January, 1).map_err(|_| bad())?;
            let end = Date::from_calendar_date(y + 1, Month::January, 1).map_err(|_| bad())?;
            Ok((at(start), at(end)))
        }
        [y, m] => {
            let y = num(y, 4)? as i32;
            let m = Month::try_from(num(m, 2)? as u8).map_err(|_| bad())?;
            let start = Date::from_calendar_date(y, m, 1).map_err(|_| bad())?;
            let (ny, nm) = if m == Month::December {
                (y + 1, Month::January)
            } else {
                (y, m.next())
            };
            let end = Date::from_calendar_date(ny, nm, 1).map_err(|_| bad())?;
            Ok((at(start), at(end)))
        }
        [_, _, _] => {
            let d =
                crate::corpus::parse_date(s).map_err(|e| format!("{s:?} is not a date: {e}"))?;
            let next = d.next_day().ok_or_else(bad)?;
            Ok((at(d), at(next)))
        }
        _ => Err(bad()),
    }
}

/// Parses a user's query. An empty (or all-whitespace) query means "everything".
pub fn parse(query: &str) -> Result<Query, QueryError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError {
            query: query.chars().take(80).collect(),
            position: 0,
            message: format!("query is too long (the limit is {MAX_QUERY_CHARS} characters)"),
        });
    }
    let toks = Lexer {
        query,
        chars: query.chars().collect(),
        pos: 0,
    }
    .tokens()?;
    if toks.is_empty() {
        return Ok(Query::All);
    }
    let mut p = Parser {
        query,
        toks,
        i: 0,
        terms: 0,
    };
    let q = p.or()?;
    if let Some((_, at)) = p.toks.get(p.i) {
        return Err(p.err(*at, "unbalanced closing parenthesis"));
    }
    Ok(q)
}

impl Query {
    /// Combines this query with filters (all must hold).
    pub fn and_filters(self, filters: Vec<Filter>) -> Query {
        if filters.is_empty() {
            return self;
        }
        let mut parts = match self {
            Query::All => Vec::new(),
            Query::And(v) => v,
            other => vec![other],
        };
        parts.extend(filters.into_iter().map(Query::Filter));
        Query::And(parts)
    }

    /// Whether every match scores the same (no word or phrase counts): an empty query with
    /// filters, or filters alone. Such matches rank by corpus order alone.
    pub fn scores_alike(&self) -> bool {
        match self {
            Query::All | Query::Filter(_) => true,
            Query::And(v) => v
                .iter()
                .all(|q| matches!(q, Query::All | Query::Filter(_) | Query::Not(_))),
            Query::Or(v) => v.iter().all(|q| matches!(q, Query::Filter(_))),
            _ => false,
        }
    }

    /// The filters anywhere in the positive part of the query.
    pub fn positive_filters(&self) -> Vec<&Filter> {
        let mut out = Vec::new();
        self.walk_positive(&mut |q| {
            if let Query::Filter(f) = q {
                out.push(f);
            }
        });
        out
    }

    fn walk_positive<'a>(&'a self, f: &mut dyn FnMut(&'a Query)) {
        match self {
            Query::And(v) | Query::Or(v) => v.iter().for_each(|q| q.walk_positive(f)),
            Query::Boost(q, _) => q.walk_positive(f),
            Query::Not(_) => {}
            other => f(other),
        }
    }
}

/// Analyzers used to compile queries and to highlight.
pub struct Analyzers {
    nl: tantivy::tokenizer::TextAnalyzer,
    en: tantivy::tokenizer::TextAnalyzer,
    folded: tantivy::tokenizer::TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            nl: analysis::analyzer(Lang::Nl),
            en: analysis::analyzer(Lang::En),
            folded: analysis::folded_analyzer(),
        }
    }
}

impl Analyzers {
    /// Tokens of a text in a language's analysis.
    pub fn tokens(&mut self, lang: Lang, text: &str) -> Vec<AnalyzedToken> {
        match lang {
            Lang::Nl => analysis::tokens(&mut self.nl, text),
            Lang::En => analysis::tokens(&mut self.en, text),
        }
    }

    /// Lowercased, folded tokens (no stemming).
    pub fn folded(&mut self, text: &str) -> Vec<AnalyzedToken> {
        analysis::tokens(&mut self.folded, text)
    }
}

/// A positive text match, per language, for highlighting.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// A stemmed term (the language's analyzer).
    Term(String),
    /// A prefix of a folded (unstemmed) word.
    Prefix(String),
    /// A folded word within an edit distance.
    Fuzzy(String, u8),
    /// A folded word that a wildcard pattern matches (`?` one character, `*` any number).
    Wildcard(String),
    /// A sequence of folded words, in order, with slop.
    Phrase(Vec<String>, u32),
    /// A mention of a filtered entity: a sequence of folded words whose first letter is a
    /// capital in the text; a single word also matches its genitive ("Bidens").
    Mention(Vec<String>),
    /// A mention of a filtered person: as [`Matcher::Mention`], and any spelling with the same
    /// transliteration key ("Poetin" for "putin").
    Name(Vec<String>),
}

/// The compiled query: the tantivy query, plus what to highlight in each language.
pub struct Compiled {
    /// The tantivy query.
    pub query: Box<dyn TantivyQuery>,
    /// Matchers for Dutch paragraphs.
    pub nl: Vec<Matcher>,
    /// Matchers for English paragraphs.
    pub en: Vec<Matcher>,
}

impl Compiled {
    /// Matchers for a language.
    pub fn matchers(&self, lang: Lang) -> &[Matcher] {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// Compiles a parsed query against the index's fields, without corpus-wide person resolution.
pub fn compile(q: &Query, fields: &Fields) -> Result<Compiled, String> {
    compile_with(q, fields, &PersonMap::default(), &Arc::default())
}

/// Compiles a parsed query against the index's fields; a person filter also matches the bare
/// surnames that `persons` resolves to that person. Title queries share `starts`, the open
/// index's cache of where its articles start ([`ArticleStarts`]).
pub fn compile_with(
    q: &Query,
    fields: &Fields,
    persons: &PersonMap,
    starts: &Arc<ArticleStarts>,
) -> Result<Compiled, String> {
    let mut c = Compiler {
        fields,
        persons,
        starts,
        analyzers: Analyzers::default(),
        nl: Vec::new(),
        en: Vec::new(),
    };
    let query = c.compile(q, true)?;
    Ok(Compiled {
        query,
        nl: c.nl,
        en: c.en,
    })
}

struct Compiler<'a> {
    fields: &'a Fields,
    persons: &'a PersonMap,
    starts: &'a Arc<ArticleStarts>,
    analyzers: Analyzers,
    nl: Vec<Matcher>,
    en: Vec<Matcher>,
}

impl Compiler<'_> {
    fn compile(&mut self, q: &Query, positive: bool) -> Result<Box<dyn TantivyQuery>, String> {
        Ok(match q {
            Query::All => Box::new(AllQuery),
            Query::Word {
                text,
                kind: WordKind::Exact,
                scope,
            } => {
                let q = self.word(text, WordKind::Exact, *scope, positive)?;
                self.or_other_spellings(q, text, |c, other| {
                    c.word(other, WordKind::Exact, *scope, positive)
                })?
            }
            Query::Word { text, kind, scope } => self.word(text, *kind, *scope, positive)?,
            Query::Phrase { text, slop, scope } => {
                let q = self.phrase(text, *slop, *scope, positive)?;
                if text.split_whitespace().nth(1).is_none() {
                    // A quoted single word is that word as written: no other spelling.
                    q
                } else {
                    self.or_other_spellings(q, text, |c, other| {
                        c.phrase(other, *slop, *scope, positive)
                    })?
                }
            }
            Query::Filter(f) => Box::new(ConstScoreQuery::new(self.filter(f), 0.0)),
            Query::Boost(inner, weight) => {
                Box::new(BoostQuery::new(self.compile(inner, positive)?, *weight))
            }
            Query::Not(inner) => {
                let inner = self.compile(inner, !positive)?;
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn TantivyQuery>),
                    (Occur::MustNot, inner),
                ]))
            }
            Query::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
                for part in parts {
                    match part {
                        Query::Not(inner) => {
                            clauses.push((Occur::MustNot, self.compile(inner, !positive)?))
                        }
                        other => clauses.push((Occur::Must, self.compile(other, positive)?)),
                    }
                }
                if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Or(parts) => {
                let mut clauses = Vec::new();
                for part in parts {
                    clauses.push((Occur::Should, self.compile(part, positive)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }

    /// `q`, the query for `text`, or, when `text` writes the name of a person whom the index
    /// also has in other spellings ("putin": "poetin"; "zelensky": "zelenskyy"; "mitterrand":
    /// "mitterand"), the best of `q` and `other`'s query for each other spelling: a reader of
    /// Dutch and English news wants both. The spellings are those the person map merged
    /// ([`PersonMap::keys_for`]) that sound the same ([`persons::sound_key`]); spellings that
    /// differ only in hyphens are one.
    fn or_other_spellings(
        &mut self,
        q: Box<dyn TantivyQuery>,
        text: &str,
        mut other: impl FnMut(&mut Self, &str) -> Result<Box<dyn TantivyQuery>, String>,
    ) -> Result<Box<dyn TantivyQuery>, String> {
        let key = persons::person_key(text);
        let sound = persons::sound_key(&key);
        let mut seen = vec![persons::spelling_key(&key)];
        let mut disjuncts = vec![q];
        for spelling in self.persons.keys_for(&key) {
            let written = persons::spelling_key(&spelling);
            // The same words in another spelling, not another part of the name: "ben" is
            // in the group of "Ben-Goerion", "Goerion" (and a Dutch verb).
            if !seen.contains(&written) && persons::sound_key(&spelling) == sound {
                seen.push(written);
                disjuncts.push(other(self, &spelling)?);
            }
        }
        Ok(if disjuncts.len() == 1 {
            disjuncts.remove(0)
        } else {
            Box::new(SeekingDisMax::new(disjuncts, 0.1))
        })
    }

    fn push(&mut self, lang: Lang, m: Matcher, positive: bool) {
        if !positive {
            return;
        }
        let list = match lang {
            Lang::Nl => &mut self.nl,
            Lang::En => &mut self.en,
        };
        if !list.contains(&m) {
            list.push(m);
        }
    }

    /// Stemmed fields of a language (single words), each with the exact field that holds
    /// the words that are their own stems.
    fn stemmed_targets(&self, lang: Lang, scope: Scope) -> Vec<(Field, Field, f32)> {
        let mut v = vec![(
            self.fields.title_for(lang),
            self.fields.title_exact,
            TITLE_BOOST,
        )];
        if scope == Scope::All {
            v.push((self.fields.text_for(lang), self.fields.text_exact, 1.0));
        }
        v
    }

    /// Unstemmed, folded fields with positions (phrases, prefixes, fuzzy).
    fn exact_targets(&self, scope: Scope) -> Vec<(Field, f32)> {
        let mut v = vec![(self.fields.title_exact, TITLE_BOOST)];
        if scope == Scope::All {
            v.push((self.fields.text_exact, 1.0));
        }
        v
    }

    /// `q` restricted to paragraphs in `lang`; the scores are `q`'s.
    fn in_lang(&mut self, q: Box<dyn TantivyQuery>, lang: Lang) -> Box<dyn TantivyQuery> {
        let only = self.filter(&Filter::Lang(lang));
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, q),
            (Occur::Must, Box::new(ConstScoreQuery::new(only, 0.0))),
        ]))
    }

    /// A query on `field` weighted by `boost`, applied to every paragraph of an article when
    /// the field is an article-level one (the title, indexed on the first paragraph only).
    fn on(&self, field: Field, q: Box<dyn TantivyQuery>, boost: f32) -> Box<dyn TantivyQuery> {
        let q = if self.fields.is_article_level(field) {
            Box::new(ArticleLevel::new(
                q,
                self.fields.ordinal,
                Arc::clone(self.starts),
            ))
        } else {
            q
        };
        boosted(q, boost)
    }

    fn push_both(&mut self, m: Matcher, positive: bool) {
        self.push(Lang::Nl, m.clone(), positive);
        self.push(Lang::En, m, positive);
    }

    fn word(
        &mut self,
        text: &str,
        kind: WordKind,
        scope: Scope,
        positive: bool,
    ) -> Result<Box<dyn TantivyQuery>, String> {
        let mut disjuncts: Vec<Box<dyn TantivyQuery>> = Vec::new();
        match kind {
            WordKind::Exact => {
                // Stemmed words of both languages that are their own stems: each exact-field
                // term once, with the languages whose stem it is. The exact field holds the
                // words of both languages, so a stem of one language must not find the same
                // letters in the other's paragraphs: the Dutch stem of "Biden" is "bid", which
                // an English paragraph writes in "a bid to".
                let mut own_terms: Vec<((Field, String), Vec<Lang>, f32)> = Vec::new();
                for lang in Lang::ALL {
                    let tokens = self.analyzers.tokens(lang, text);
                    let one_position = tokens.windows(2).all(|w| w[0].position == w[1].position);
                    if !one_position {
                        // "Noord-Korea" is two words: a phrase.
                        return self.phrase(text, 0, scope, positive);
                    }
                    let terms: Vec<String> = tokens.into_iter().map(|t| t.term).collect();
                    let Some((whole, parts)) = terms.split_first() else {
                        continue;
                    };
                    self.push(lang, Matcher::Term(whole.clone()), positive);
                    for (field, exact, boost) in self.stemmed_targets(lang, scope) {
                        disjuncts.push(self.on(field, term_query(field, whole), boost));
                        // A word that is its own stem is indexed in the exact field only.
                        if analysis::is_own_stem(lang, whole) {
                            let own = (exact, whole.clone());
                            match own_terms.iter_mut().find(|(o, _, _)| *o == own) {
                                Some((_, langs, _)) => langs.push(lang),
                                None => own_terms.push((own, vec![lang], boost)),
                            }
                        }
                        if !parts.is_empty() {
                            // A Dutch compound: also paragraphs that have all its parts,
                            // ranked below those with the compound itself.
                            let all_parts: Vec<(Occur, Box<dyn TantivyQuery>)> = parts
                                .iter()
                                .map(|p| {
                                    let q = stem_query(lang, field, exact, p);
                                    (Occur::Must, self.in_lang(q, lang))
                                })
                                .collect();
                            disjuncts.push(self.on(
                                field,
                                Box::new(BooleanQuery::new(all_parts)),
                                boost * COMPOUND_PARTS_WEIGHT,
                            ));
                        }
                    }
                }
                for ((exact, term), langs, boost) in own_terms {
                    let q = term_query(exact, &term);
                    let q = match langs.as_slice() {
                        [lang] => self.in_lang(q, *lang),
                        _ => q,
                    };
                    disjuncts.push(self.on(exact, q, boost));
                }
            }
            WordKind::Prefix | WordKind::Fuzzy(_) => {
                let terms: Vec<String> = self
                    .analyzers
                    .folded(text)
                    .into_iter()
                    .map(|t| t.term)
                    .collect();
                let [t] = terms.as_slice() else {
                    if terms.is_empty() {
                        return Ok(Box::new(EmptyQuery));
                    }
                    return Err(format!(
                        "{text:?}: prefix and fuzzy search take a single word"
                    ));
                };
                for (field, boost) in self.exact_targets(scope) {
                    let q: Box<dyn TantivyQuery> = match kind {
                        // Folded tokens are alphanumeric, so they need no regex escaping.
                        WordKind::Prefix => Box::new(
                            RegexQuery::from_pattern(&format!("{t}.*"), field)
                                .map_err(|e| e.to_string())?,
                        ),
                        WordKind::Fuzzy(d) => Box::new(FuzzyTermQuery::new(
                            Term::from_field_text(field, t),
                            d,
                            true,
                        )),
                        WordKind::Exact | WordKind::Wildcard => unreachable!("handled apart"),
                    };
                    disjuncts.push(self.on(field, q, boost));
                }
                let m = match kind {
                    WordKind::Fuzzy(d) => Matcher::Fuzzy(t.clone(), d),
                    _ => Matcher::Prefix(t.clone()),
                };
                self.push_both(m, positive);
            }
            WordKind::Wildcard => {
                let pattern = self.wildcard_pattern(text)?;
                // Folded words are alphanumeric: only the wildcards need translating.
                let regex = pattern.replace('?', ".").replace('*', ".*");
                for (field, boost) in self.exact_targets(scope) {
                    let q = RegexQuery::from_pattern(&regex, field).map_err(|e| e.to_string())?;
                    disjuncts.push(self.on(field, Box::new(q), boost));
                }
                self.push_both(Matcher::Wildcard(pattern), positive);
            }
        }
        if disjuncts.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(SeekingDisMax::new(disjuncts, 0.1)))
    }

    /// A wildcard word folded as the index folds words ("Ra?ET" → "ra?et"), the wildcards kept:
    /// each piece between wildcards must fold to at most one word.
    fn wildcard_pattern(&mut self, text: &str) -> Result<String, String> {
        let mut pattern = String::new();
        let mut piece = String::new();
        let bad = || format!("{text:?}: a wildcard search takes one word of letters and digits");
        let mut fold = |piece: &mut String, pattern: &mut String| -> Result<(), String> {
            if !piece.chars().all(char::is_alphanumeric) {
                return Err(bad());
            }
            if !piece.is_empty() {
                let terms = self.analyzers.folded(piece);
                let [t] = terms.as_slice() else {
                    return Err(bad());
                };
                pattern.push_str(&t.term);
            }
            piece.clear();
            Ok(())
        };
        for c in text.chars() {
            if c == '?' || c == '*' {
                fold(&mut piece, &mut pattern)?;
                if !(c == '*' && pattern.ends_with('*')) {
                    pattern.push(c);
                }
            } else {
                piece.push(c);
            }
        }
        fold(&mut piece, &mut pattern)?;
        Ok(pattern)
    }

    /// Phrases match the words as written (folded, not stemmed), in order; `slop` allows
    /// that many extra positions.
    fn phrase(
        &mut self,
        text: &str,
        slop: u32,
        scope: Scope,
        positive: bool,
    ) -> Result<Box<dyn TantivyQuery>, String> {
        let terms: Vec<String> = self
            .analyzers
            .folded(text)
            .into_iter()
            .map(|t| t.term)
            .collect();
        if terms.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        if terms.len() == 1 {
            // A one-word phrase: that exact word, unstemmed.
            let mut disjuncts: Vec<Box<dyn TantivyQuery>> = Vec::new();
            for (field, boost) in self.exact_targets(scope) {
                let tq = TermQuery::new(
                    Term::from_field_text(field, &terms[0]),
                    IndexRecordOption::WithFreqs,
                );
                disjuncts.push(self.on(field, Box::new(tq), boost));
            }
            self.push_both(Matcher::Phrase(terms, 0), positive);
            return Ok(Box::new(SeekingDisMax::new(disjuncts, 0.1)));
        }
        let mut disjuncts: Vec<Box<dyn TantivyQuery>> = Vec::new();
        for (field, boost) in self.exact_targets(scope) {
            let with_pos: Vec<(usize, Term)> = terms
                .iter()
                .enumerate()
                .map(|(i, t)| (i, Term::from_field_text(field, t)))
                .collect();
            let pq = PhraseQuery::new_with_offset_and_slop(with_pos, slop);
            disjuncts.push(self.on(field, Box::new(pq), boost));
        }
        self.push_both(Matcher::Phrase(terms, slop), positive);
        Ok(Box::new(SeekingDisMax::new(disjuncts, 0.1)))
    }

    fn filter(&mut self, f: &Filter) -> Box<dyn TantivyQuery> {
        let term = |field: Field, v: &str| -> Box<dyn TantivyQuery> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        match f {
            Filter::Person(key) => {
                // The person's full name in every spelling the index has, and the bare
                // surnames that resolve to it.
                let keys = self.persons.keys_for(key);
                let surnames = self.persons.candidates_for(key);
                if keys.len() == 1 && surnames.is_empty() {
                    term(self.fields.person_keys, key)
                } else {
                    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = keys
                        .iter()
                        .map(|k| (Occur::Should, term(self.fields.person_keys, k)))
                        .collect();
                    clauses.extend(
                        surnames
                            .into_iter()
                            .map(|c| (Occur::Should, term(self.fields.person_candidates, c))),
                    );
                    Box::new(BooleanQuery::new(clauses))
                }
            }
            Filter::Country(code) => term(self.fields.countries, code),
            Filter::Source(key) => term(self.fields.source_key, key),
            Filter::Lang(l) => term(self.fields.lang, l.code()),
            Filter::Published { from, to } => {
                let field = self.fields.published;
                let bound = |t: &Option<OffsetDateTime>, inclusive: bool| match t {
                    None => Bound::Unbounded,
                    Some(t) => {
                        let term = Term::from_field_date_for_search(field, DateTime::from_utc(*t));
                        if inclusive {
                            Bound::Included(term)
                        } else {
                            Bound::Excluded(term)
                        }
                    }
                };
                if let Some(periods) = period_cover(*from, *to) {
                    let field = self.fields.published_period;
                    return match periods.as_slice() {
                        [] => Box::new(EmptyQuery),
                        [one] => term(field, one),
                        _ => Box::new(BooleanQuery::new(
                            periods
                                .iter()
                                .map(|p| (Occur::Should, term(field, p)))
                                .collect(),
                        )),
                    };
                }
                Box::new(RangeQuery::new(bound(from, true), bound(to, false)))
            }
            Filter::Mentions(prefix) => {
                // A year also matches its months and days, a month its days.
                let field = self.fields.dates;
                let pattern = format!("{}(-.*)?", prefix.replace('-', "\\-"));
                match RegexQuery::from_pattern(&pattern, field) {
                    Ok(q) => Box::new(q),
                    Err(_) => term(field, prefix),
                }
            }
        }
    }
}

/// The `published_period` terms of a publication time: its UTC day, month and year.
pub fn published_periods(t: OffsetDateTime) -> [String; 3] {
    let d = t.to_offset(time::UtcOffset::UTC).date();
    let (y, m) = (d.year(), u8::from(d.month()));
    [
        format!("{y:04}-{m:02}-{:02}", d.day()),
        format!("{y:04}-{m:02}"),
        format!("{y:04}"),
    ]
}

/// Most period terms a date range is turned into; a longer list is left to the range query.
const MAX_PERIOD_TERMS: usize = 64;

/// A publication range `[from, to)` of whole UTC days as the fewest `published_period` terms
/// (whole years, then whole months, then days), or `None` when it is open-ended, does not
/// start and end at midnight UTC, or would take more than [`MAX_PERIOD_TERMS`] terms: then a
/// range query over the fast field answers it. Postings of a few terms are much cheaper to
/// intersect with a text query than a scan of the date column.
fn period_cover(from: Option<OffsetDateTime>, to: Option<OffsetDateTime>) -> Option<Vec<String>> {
    let day = |t: OffsetDateTime| {
        let u = t.to_offset(time::UtcOffset::UTC);
        (u.time() == time::Time::MIDNIGHT).then_some(u.date())
    };
    let (mut cur, end) = (day(from?)?, day(to?)?);
    let mut out = Vec::new();
    let next_month = |d: Date| -> Option<Date> {
        let (y, m) = if d.month() == Month::December {
            (d.year() + 1, Month::January)
        } else {
            (d.year(), d.month().next())
        };
        Date::from_calendar_date(y, m, 1).ok()
    };
    while cur < end {
        if out.len() >= MAX_PERIOD_TERMS {
            return None;
        }
        let (y, m) = (cur.year(), u8::from(cur.month()));
        if cur.ordinal() == 1 {
            if let Ok(next_year) = Date::from_calendar_date(y + 1, Month::January, 1) {
                if next_year <= end {
                    out.push(format!("{y:04}"));
                    cur = next_year;
                    continue;
                }
            }
        }
        if cur.day() == 1 {
            if let Some(nm) = next_month(cur) {
                if nm <= end {
                    out.push(format!("{y:04}-{m:02}"));
                    cur = nm;
                    continue;
                }
            }
        }
        out.push(format!("{y:04}-{m:02}-{:02}", cur.day()));
        cur = cur.next_day()?;
    }
    Some(out)
}

fn term_query(field: Field, text: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A stem in a stemmed field, or, when it is its own stem, also the word in the exact field
/// (the index keeps such stems only there: [`analysis::index_analyzer`]).
fn stem_query(lang: Lang, field: Field, exact: Field, stem: &str) -> Box<dyn TantivyQuery> {
    if analysis::is_own_stem(lang, stem) {
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, term_query(field, stem)),
            (Occur::Should, term_query(exact, stem)),
        ]))
    } else {
        term_query(field, stem)
    }
}

fn boosted(q: Box<dyn TantivyQuery>, boost: f32) -> Box<dyn TantivyQuery> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_is_also_searched_in_its_other_spellings() {
        let fields = Fields::from_schema(
            &crate::schema::SchemaSpec::embedded()
                .unwrap()
                .tantivy_schema(),
        )
        .unwrap();
        let counts: std::collections::HashMap<String, u64> = [
            ("Vladimir Poetin", 5),
            ("Vladimir Putin", 1),
            ("David Ben-Goerion", 3),
            ("David Ben Goerion", 1),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let persons = PersonMap::from_counts(&counts);
        let matchers = |q: &str| {
            let c = compile_with(&parse(q).unwrap(), &fields, &persons, &Arc::default()).unwrap();
            let mut m = c.nl.clone();
            m.extend(c.en.iter().cloned());
            m.sort_by_key(|m| format!("{m:?}"));
            m.dedup();
            m
        };
        let term = |t: &str| Matcher::Term(t.into());
        let phrase = |t: &[&str]| Matcher::Phrase(t.iter().map(|w| w.to_string()).collect(), 0);
        assert_eq!(matchers("Putin"), [term("poetin"), term("putin")]);
        assert_eq!(matchers("poetin"), [term("poetin"), term("putin")]);
        assert_eq!(
            matchers("\"Vladimir Putin\""),
            [
                phrase(&["vladimir", "poetin"]),
                phrase(&["vladimir", "putin"])
            ]
        );
        // a quoted word is that word as written
        assert_eq!(matchers("\"Putin\""), [phrase(&["putin"])]);
        // another part of the same name is no other spelling: "ben" is also a Dutch verb
        assert_eq!(matchers("ben"), [term("ben")]);
        assert_eq!(matchers("goerion"), [term("goerion")]);
        // a name the map does not merge
        assert_eq!(matchers("Rutte"), [term("rut"), term("rutt")]);
    }

    #[test]
    fn date_ranges_of_whole_days_become_period_terms() {
        let at = |s: &str| Some(date_bound(s).unwrap().0);
        let cover = |a: &str, b: &str| period_cover(at(a), at(b));
        // --since 2019-03 --until 2019-03 is [2019-03-01, 2019-04-01)
        assert_eq!(cover("2019-03-01", "2019-04-01").unwrap(), ["2019-03"]);
        assert_eq!(cover("2019-01-01", "2020-01-01").unwrap(), ["2019"]);
        assert_eq!(
            cover("2018-12-30", "2020-02-03").unwrap(),
            [
                "2018-12-30",
                "2018-12-31",
                "2019",
                "2020-01",
                "2020-02-01",
                "2020-02-02"
            ]
        );
        assert_eq!(
            cover("2024-02-28", "2024-03-01").unwrap(),
            ["2024-02-28", "2024-02-29"]
        );
        assert_eq!(
            cover("2019-03-05", "2019-03-05").unwrap(),
            Vec::<String>::new()
        );
        // open-ended, not at midnight, or too many terms: the range query answers
        assert!(period_cover(at("2019-03-01"), None).is_none());
        let noon = date_bound("2019-03-01").unwrap().0 + time::Duration::hours(12);
        assert!(period_cover(Some(noon), at("2019-04-01")).is_none());
        // 30 days of January, February to November, 30 days of December: 70 terms
        assert!(cover("2019-01-02", "2019-12-31").is_none());
        assert_eq!(cover("2019-01-02", "2019-12-01").unwrap().len(), 30 + 10);
        let p = published_periods(noon);
        assert_eq!(p, ["2019-03-01", "2019-03", "2019"]);
    }

    use super::*;

    fn w(t: &str) -> Query {
        Query::Word {
            text: t.into(),
            kind: WordKind::Exact,
            scope: Scope::All,
        }
    }

    #[test]
    fn default_operator_is_and() {
        assert_eq!(
            parse("noord korea").unwrap(),
            Query::And(vec![w("noord"), w("korea")])
        );
    }

    #[test]
    fn operators() {
        assert_eq!(parse("a OR b").unwrap(), Query::Or(vec![w("a"), w("b")]));
        assert_eq!(
            parse("a AND NOT b").unwrap(),
            Query::And(vec![w("a"), Query::Not(Box::new(w("b")))])
        );
        assert_eq!(
            parse("a -b").unwrap(),
            Query::And(vec![w("a"), Query::Not(Box::new(w("b")))])
        );
        assert_eq!(parse("+a").unwrap(), w("a"));
        assert_eq!(
            parse("(a OR b) c").unwrap(),
            Query::And(vec![Query::Or(vec![w("a"), w("b")]), w("c")])
        );
        // A hyphen inside a word is not a negation.
        assert_eq!(parse("Noord-Korea").unwrap(), w("Noord-Korea"));
    }

    #[test]
    fn phrases_prefix_fuzzy() {
        assert_eq!(
            parse("\"witte huis\"~2").unwrap(),
            Query::Phrase {
                text: "witte huis".into(),
                slop: 2,
                scope: Scope::All
            }
        );
        assert_eq!(
            parse("raket*").unwrap(),
            Query::Word {
                text: "raket".into(),
                kind: WordKind::Prefix,
                scope: Scope::All
            }
        );
        assert_eq!(
            parse("Pyongyan~1").unwrap(),
            Query::Word {
                text: "Pyongyan".into(),
                kind: WordKind::Fuzzy(1),
                scope: Scope::All
            }
        );
    }

    #[test]
    fn wildcards_and_a_question_mark_ending_a_word() {
        let wild = |t: &str| Query::Word {
            text: t.into(),
            kind: WordKind::Wildcard,
            scope: Scope::All,
        };
        assert_eq!(parse("ra?et").unwrap(), wild("ra?et"));
        assert_eq!(parse("rak*ten").unwrap(), wild("rak*ten"));
        assert_eq!(parse("a*b*").unwrap(), wild("a*b*"));
        assert_eq!(parse("Pyong?ang*").unwrap(), wild("Pyong?ang*"));
        // A trailing * alone is a prefix; a trailing ? is punctuation.
        assert!(matches!(
            parse("raket*").unwrap(),
            Query::Word {
                kind: WordKind::Prefix,
                ..
            }
        ));
        assert_eq!(
            parse("wat zei Ishiba?").unwrap(),
            Query::And(vec![w("wat"), w("zei"), w("Ishiba")])
        );
        assert_eq!(parse("rak?t?").unwrap(), wild("rak?t"));
        assert!(matches!(
            parse("raket**").unwrap(),
            Query::Word { text, kind: WordKind::Prefix, .. } if text == "raket"
        ));
    }

    #[test]
    fn weights() {
        let boost = |q: Query, b: f32| Query::Boost(Box::new(q), b);
        assert_eq!(parse("raket^2").unwrap(), boost(w("raket"), 2.0));
        assert_eq!(
            parse("raket^0.5 drone").unwrap(),
            Query::And(vec![boost(w("raket"), 0.5), w("drone")])
        );
        assert_eq!(
            parse("\"witte huis\"~2^3").unwrap(),
            boost(
                Query::Phrase {
                    text: "witte huis".into(),
                    slop: 2,
                    scope: Scope::All
                },
                3.0
            )
        );
        assert_eq!(
            parse("(raket OR drone)^1.5 -oorlog").unwrap(),
            Query::And(vec![
                boost(Query::Or(vec![w("raket"), w("drone")]), 1.5),
                Query::Not(Box::new(w("oorlog")))
            ])
        );
        assert!(matches!(
            parse("title:raket^2").unwrap(),
            Query::Boost(q, b) if b == 2.0 && matches!(*q, Query::Word { scope: Scope::Title, .. })
        ));
        // Filters found under a weight are still filters of the query.
        let q = parse("(raket country:KP)^2").unwrap();
        assert_eq!(q.positive_filters(), [&Filter::Country("KP".into())]);
    }

    #[test]
    fn fields() {
        assert_eq!(
            parse("person:\"Joe Biden\"").unwrap(),
            Query::Filter(Filter::Person("joe biden".into()))
        );
        assert_eq!(
            parse("lang:en").unwrap(),
            Query::Filter(Filter::Lang(Lang::En))
        );
        assert!(matches!(
            parse("published:>=2024-11-01").unwrap(),
            Query::Filter(Filter::Published {
                from: Some(_),
                to: None
            })
        ));
        assert!(matches!(
            parse("published:[2024-01-01 TO 2024-06-30]").unwrap(),
            Query::Filter(Filter::Published {
                from: Some(_),
                to: Some(_)
            })
        ));
        assert!(matches!(
            parse("title:raket").unwrap(),
            Query::Word {
                scope: Scope::Title,
                ..
            }
        ));
        // Not a field: stays a word.
        assert_eq!(parse("16:30").unwrap(), w("16:30"));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let cases = [
            ("(a b", 0, "never closed"),
            ("a b)", 3, "unbalanced"),
            ("a \"b c", 2, "never closed"),
            ("a OR", 4, "OR needs a term"),
            ("AND a", 0, "operator needs a term before"),
            ("published:gisteren", 10, "not a date"),
            ("lang:fr", 5, "unknown language"),
            ("a~5", 0, "fuzzy distance"),
            ("*", 0, "no letters or digits"),
            ("*ab", 0, "cannot start a word"),
            ("x ?ab", 2, "cannot start a word"),
            ("ra?et~1", 0, "both wildcards and ~"),
            ("Noord-Ko?ea", 0, "one word of letters and digits"),
            ("raket^0", 5, "a weight is a number"),
            ("raket^101", 5, "a weight is a number"),
            ("raket^", 5, "a weight is a number"),
            ("^2", 0, "^ needs a term before it"),
            ("a ^2", 2, "^ needs a term before it"),
            ("raket^2x", 7, "unexpected text after a weight"),
            ("country:KP^2", 10, "a filter does not score"),
            ("()", 0, "empty parentheses"),
            ("\"\"", 0, "empty phrase"),
            ("a —", 2, "no letters or digits"),
            ("\"!!\"", 0, "no letters or digits"),
        ];
        for (q, pos, msg) in cases {
            let e = parse(q).unwrap_err();
            assert_eq!(e.position, pos, "{q}: {e}");
            assert!(e.message.contains(msg), "{q}: {e}");
        }
        let long = "a ".repeat(MAX_QUERY_CHARS);
        assert!(parse(&long).unwrap_err().message.contains("too long"));
        let many = (0..MAX_QUERY_TERMS + 1)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(parse(&many).unwrap_err().message.contains("too many terms"));
    }

    #[test]
    fn date_bounds() {
        let (a, b) = date_bound("2024-11").unwrap();
        assert_eq!(a.date().to_string(), "2024-11-01");
        assert_eq!(b.date().to_string(), "2024-12-01");
        let (a, b) = date_bound("2024").unwrap();
        assert_eq!((a.year(), b.year()), (2024, 2025));
        assert!(date_bound("2024-13").is_err());
        assert!(date_bound("24-1-1").is_err());
    }
}
