//! render stage: prints hits, passages and facets for a terminal (ANSI or plain markers), as
//! JSON Lines, or as one self-contained HTML page. Untrusted article text is sanitized: it can
//! not move the cursor, change colours, or break out of JSON or HTML.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use crate::entity::Gazetteer;
use crate::highlight::Passage;
use crate::lang::Lang;
use crate::search::{Facets, Hit};

/// How highlights are shown in text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ANSI colours and bold.
    Ansi,
    /// `**word**` markers (for pipes, files and NO_COLOR).
    Plain,
}

/// A hit ready to print: the hit and its highlighted passage.
pub struct Rendered<'a> {
    /// The hit.
    pub hit: &'a Hit,
    /// Its passage.
    pub passage: Passage,
}

/// Replaces control characters (ESC, C1 controls, bidi overrides, newlines) with spaces so that
/// article text cannot drive the terminal.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// First words of a text, for hits whose article has no title.
pub fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().take(n + 1).collect();
    if words.len() > n {
        format!("{} …", words[..n].join(" "))
    } else {
        words.join(" ")
    }
}

fn date_of(hit: &Hit) -> String {
    hit.paragraph
        .published
        .map(|p| p.date().to_string())
        .unwrap_or_else(|| "undated".into())
}

/// Marks highlight ranges (character offsets) in text with the given open/close strings.
fn mark(text: &str, ranges: &[Range<usize>], open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * (open.len() + close.len()));
    let mut r = ranges.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if let Some(range) = r.peek() {
            if i == range.start {
                out.push_str(open);
            }
        }
        out.push(c);
        if let Some(range) = r.peek() {
            if i + 1 == range.end {
                out.push_str(close);
                r.next();
            }
        }
    }
    out
}

/// Text output: one block per hit, then facets and a count line.
pub fn text(
    w: &mut dyn Write,
    hits: &[Rendered<'_>],
    total: usize,
    facets: Option<&Facets>,
    style: Style,
    ui: Lang,
) -> io::Result<()> {
    let (b, dim, hl, reset) = match style {
        Style::Ansi => ("\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"),
        Style::Plain => ("", "", "**", "**"),
    };
    let reset_all = if style == Style::Ansi { reset } else { "" };
    for r in hits {
        let p = &r.hit.paragraph;
        let title = if p.title.is_empty() {
            first_words(&p.text, 8)
        } else {
            p.title.clone()
        };
        let source = p.source.as_deref().unwrap_or(&p.file);
        writeln!(
            w,
            "{b}{}.{reset_all} {b}{}{reset_all}  {dim}{}  {}  ¶{}  score {:.2}  {}{reset_all}",
            r.hit.rank,
            sanitize(&title),
            date_of(r.hit),
            sanitize(source),
            p.ordinal,
            r.hit.score,
            sanitize(&p.id),
        )?;
        let text = sanitize(&r.passage.text);
        writeln!(w, "   {}", mark(&text, &r.passage.highlights, hl, reset))?;
        let mut tags = Vec::new();
        if !p.persons.is_empty() {
            tags.push(format!("persons: {}", sanitize(&p.persons.join(", "))));
        }
        if !p.countries.is_empty() {
            tags.push(format!("countries: {}", p.countries.join(", ")));
        }
        if !p.dates.is_empty() {
            tags.push(format!("dates: {}", p.dates.join(", ")));
        }
        if !tags.is_empty() {
            writeln!(w, "   {dim}{}{reset_all}", tags.join(" · "))?;
        }
        writeln!(w)?;
    }
    if let Some(f) = facets {
        facets_text(w, f, style, ui)?;
    }
    let shown = hits.len();
    match (total, shown) {
        (0, _) => writeln!(w, "no matching paragraphs"),
        (t, 0) => writeln!(w, "{t} matching paragraphs (none on this page)"),
        (t, s) => writeln!(
            w,
            "{t} matching paragraph{}, showing {}–{}",
            if t == 1 { "" } else { "s" },
            hits[0].hit.rank,
            hits[0].hit.rank + s - 1
        ),
    }
}

fn facets_text(w: &mut dyn Write, f: &Facets, style: Style, ui: Lang) -> io::Result<()> {
    let (b, reset) = match style {
        Style::Ansi => ("\x1b[1m", "\x1b[0m"),
        Style::Plain => ("", ""),
    };
    writeln!(w, "{b}persons{reset}")?;
    if f.persons.is_empty() {
        writeln!(w, "   (none)")?;
    }
    for v in &f.persons {
        writeln!(w, "  {:>6}  {}", v.paragraphs, sanitize(&v.value))?;
    }
    writeln!(w, "{b}countries{reset}")?;
    if f.countries.is_empty() {
        writeln!(w, "   (none)")?;
    }
    for v in &f.countries {
        let name = Gazetteer::get().name(&v.value, ui).unwrap_or("");
        writeln!(w, "  {:>6}  {}  {}", v.paragraphs, v.value, name)?;
    }
    writeln!(w)
}

/// One hit as JSON.
#[derive(Serialize)]
struct JsonHit<'a> {
    r#type: &'static str,
    rank: usize,
    score: f32,
    id: &'a str,
    article_id: &'a str,
    ordinal: u64,
    title: &'a str,
    published: Option<String>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    lang: Lang,
    file: &'a str,
    line: u64,
    text: &'a str,
    highlights: Vec<[usize; 2]>,
    persons: &'a [String],
    countries: &'a [String],
    dates: &'a [String],
}

/// JSON Lines output: one object per hit (`"type":"hit"`), then facets (`"type":"facets"`)
/// when asked for, then a summary (`"type":"summary"`).
pub fn json(
    w: &mut dyn Write,
    hits: &[Rendered<'_>],
    total: usize,
    facets: Option<&Facets>,
) -> io::Result<()> {
    for r in hits {
        let p = &r.hit.paragraph;
        let hit = JsonHit {
            r#type: "hit",
            rank: r.hit.rank,
            score: r.hit.score,
            id: &p.id,
            article_id: &p.article_id,
            ordinal: p.ordinal,
            title: &p.title,
            published: p.published.map(|d| d.date().to_string()),
            source: p.source.as_deref(),
            url: p.url.as_deref(),
            lang: p.lang,
            file: &p.file,
            line: p.line,
            text: &r.passage.text,
            highlights: r
                .passage
                .highlights
                .iter()
                .map(|h| [h.start, h.end])
                .collect(),
            persons: &p.persons,
            countries: &p.countries,
            dates: &p.dates,
        };
        writeln!(
            w,
            "{}",
            serde_json::to_string(&hit).map_err(io::Error::other)?
        )?;
    }
    if let Some(f) = facets {
        #[derive(Serialize)]
        struct JsonFacets<'a> {
            r#type: &'static str,
            #[serde(flatten)]
            facets: &'a Facets,
        }
        let line = serde_json::to_string(&JsonFacets {
            r#type: "facets",
            facets: f,
        })
        .map_err(io::Error::other)?;
        writeln!(w, "{line}")?;
    }
    let summary = serde_json::json!({"type": "summary", "total": total, "returned": hits.len()});
    writeln!(w, "{summary}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_terminal_controls() {
        assert_eq!(sanitize("a\x1b[31mb\u{202e}c\nd"), "a [31mb c d");
    }

    #[test]
    fn marks_char_ranges() {
        assert_eq!(mark("één twee", &[0..3], "[", "]"), "[één] twee");
        assert_eq!(mark("ab", &[0..1, 1..2], "<", ">"), "<a><b>");
    }

    #[test]
    fn first_words_of_untitled() {
        assert_eq!(first_words("a b c", 2), "a b …");
        assert_eq!(first_words("a b", 2), "a b");
    }
}
