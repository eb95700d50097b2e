//! render stage: prints hits, passages, facets and timelines for a terminal (ANSI or plain
//! markers), as JSON Lines, or as one self-contained HTML page. Untrusted article text is
//! sanitized: it cannot move the cursor, change colours, or break out of JSON or HTML.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use crate::document::ParagraphDoc;
use crate::facets::{FacetReport, FacetValue, Timeline};
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

/// Totals printed after the hits.
#[derive(Debug, Clone, Copy)]
pub struct Totals {
    /// Matching paragraphs.
    pub paragraphs: usize,
    /// Matching articles, when known (article grouping).
    pub articles: Option<u64>,
    /// No hits were asked for (`--limit 0`): the counts (and facets) are the answer.
    pub counts_only: bool,
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

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                out.push(' ')
            }
            c => out.push(c),
        }
    }
    out
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

fn title_of(p: &ParagraphDoc) -> String {
    if p.title.is_empty() {
        first_words(&p.text, 8)
    } else {
        p.title.clone()
    }
}

fn date_of(p: &ParagraphDoc) -> String {
    p.published
        .map(|d| d.date().to_string())
        .unwrap_or_else(|| "undated".into())
}

/// Marks highlight ranges (character offsets) in text, escaping each piece with `esc`.
fn mark(
    text: &str,
    ranges: &[Range<usize>],
    open: &str,
    close: &str,
    esc: &dyn Fn(&str) -> String,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + ranges.len() * (open.len() + close.len()));
    let mut at = 0;
    for r in ranges {
        let (start, end) = (r.start.min(chars.len()), r.end.min(chars.len()));
        if start < at {
            continue;
        }
        out.push_str(&esc(&chars[at..start].iter().collect::<String>()));
        out.push_str(open);
        out.push_str(&esc(&chars[start..end].iter().collect::<String>()));
        out.push_str(close);
        at = end;
    }
    out.push_str(&esc(&chars[at..].iter().collect::<String>()));
    out
}

/// Text output: one block per hit, then facets and a count line.
pub fn text(
    w: &mut dyn Write,
    hits: &[Rendered<'_>],
    totals: Totals,
    facets: Option<&Facets>,
    style: Style,
) -> io::Result<()> {
    let (b, dim, hl, reset) = match style {
        Style::Ansi => ("\x1b[1m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"),
        Style::Plain => ("", "", "**", "**"),
    };
    let reset_all = if style == Style::Ansi { reset } else { "" };
    for r in hits {
        let p = &r.hit.paragraph;
        let source = p.source.as_deref().unwrap_or(&p.file);
        writeln!(
            w,
            "{b}{}.{reset_all} {b}{}{reset_all}  {dim}{}  {}  ¶{}  score {:.2}  {}{reset_all}",
            r.hit.rank,
            sanitize(&title_of(p)),
            date_of(p),
            sanitize(source),
            p.ordinal,
            r.hit.score,
            sanitize(&p.id),
        )?;
        for c in &r.hit.before {
            writeln!(w, "   {dim}¶{} {}{reset_all}", c.ordinal, sanitize(&c.text))?;
        }
        let text = sanitize(&r.passage.text);
        writeln!(
            w,
            "   {}",
            mark(&text, &r.passage.highlights, hl, reset, &|s| s.to_string())
        )?;
        for c in &r.hit.after {
            writeln!(w, "   {dim}¶{} {}{reset_all}", c.ordinal, sanitize(&c.text))?;
        }
        let mut tags = Vec::new();
        if !p.tags.persons.is_empty() {
            tags.push(format!("persons: {}", sanitize(&p.tags.persons.join(", "))));
        }
        if !p.tags.countries.is_empty() {
            tags.push(format!("countries: {}", p.tags.countries.join(", ")));
        }
        if !p.tags.dates.is_empty() {
            tags.push(format!("dates: {}", p.tags.dates.join(", ")));
        }
        if let Some(more) = r.hit.more.filter(|m| *m > 0) {
            tags.push(format!(
                "+{more} more passage{} in this article",
                if more == 1 { "" } else { "s" }
            ));
        }
        if !tags.is_empty() {
            writeln!(w, "   {dim}{}{reset_all}", tags.join(" · "))?;
        }
        writeln!(w)?;
    }
    if let Some(f) = facets {
        facet_block(w, "persons", &f.persons, style)?;
        facet_block(w, "countries", &f.countries, style)?;
    }
    let in_articles = totals
        .articles
        .map(|a| format!(" in {a} article{}", if a == 1 { "" } else { "s" }))
        .unwrap_or_default();
    match (totals.paragraphs, hits.len()) {
        (0, _) => writeln!(w, "no matching paragraphs"),
        (t, 0) if totals.counts_only => writeln!(
            w,
            "{t} matching paragraph{}{in_articles}",
            if t == 1 { "" } else { "s" }
        ),
        (t, 0) => writeln!(
            w,
            "{t} matching paragraphs{in_articles} (none on this page)"
        ),
        (t, s) => writeln!(
            w,
            "{t} matching paragraph{}{in_articles}, showing {}–{}",
            if t == 1 { "" } else { "s" },
            hits[0].hit.rank,
            hits[0].hit.rank + s - 1
        ),
    }
}

fn facet_block(
    w: &mut dyn Write,
    title: &str,
    values: &[FacetValue],
    style: Style,
) -> io::Result<()> {
    let (b, reset) = match style {
        Style::Ansi => ("\x1b[1m", "\x1b[0m"),
        Style::Plain => ("", ""),
    };
    writeln!(w, "{b}{title}{reset}  (paragraphs, articles)")?;
    if values.is_empty() {
        writeln!(w, "   (none)")?;
    }
    for v in values {
        let label = if v.name == v.value {
            sanitize(&v.value)
        } else {
            format!("{}  {}", v.value, sanitize(&v.name))
        };
        writeln!(
            w,
            "  {:>6} {:>5}  {}",
            v.counts.paragraphs, v.counts.articles, label
        )?;
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
    #[serde(skip_serializing_if = "Option::is_none")]
    more: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    before: Vec<JsonContext<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    after: Vec<JsonContext<'a>>,
}

#[derive(Serialize)]
struct JsonContext<'a> {
    ordinal: u64,
    text: &'a str,
}

fn context(ps: &[ParagraphDoc]) -> Vec<JsonContext<'_>> {
    ps.iter()
        .map(|p| JsonContext {
            ordinal: p.ordinal,
            text: &p.text,
        })
        .collect()
}

/// Escapes, besides what JSON requires, what a terminal may obey: DEL, C1 controls, bidi
/// overrides and isolates, U+2028/2029.
struct SafeFormatter;

fn json_needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_needs_escape(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

fn json_line(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let mut line = Vec::with_capacity(512);
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut line,
            SafeFormatter,
        ))
        .map_err(io::Error::other)?;
    line.push(b'\n');
    w.write_all(&line)
}

/// JSON Lines output: one object per hit (`"type":"hit"`), then facets (`"type":"facets"`)
/// when asked for, then a summary (`"type":"summary"`).
pub fn json(
    w: &mut dyn Write,
    hits: &[Rendered<'_>],
    totals: Totals,
    facets: Option<&Facets>,
) -> io::Result<()> {
    for r in hits {
        let p = &r.hit.paragraph;
        json_line(
            w,
            &JsonHit {
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
                persons: &p.tags.persons,
                countries: &p.tags.countries,
                dates: &p.tags.dates,
                more: r.hit.more,
                before: context(&r.hit.before),
                after: context(&r.hit.after),
            },
        )?;
    }
    if let Some(f) = facets {
        json_line(
            w,
            &serde_json::json!({"type": "facets", "persons": f.persons, "countries": f.countries}),
        )?;
    }
    let mut summary =
        serde_json::json!({"type": "summary", "total": totals.paragraphs, "returned": hits.len()});
    if let Some(a) = totals.articles {
        summary["articles"] = a.into();
    }
    json_line(w, &summary)
}

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.3rem}.hit{margin:1.2rem 0;padding-bottom:.8rem;border-bottom:1px solid #ddd}\
.meta{color:#666;font-size:.85rem}.ctx{color:#888}mark{background:#ffe066;padding:0 .1em}\
.tags{font-size:.85rem;color:#555}table{border-collapse:collapse;margin:1rem 0}td,th{padding:.15rem .6rem;text-align:left}\
td.n{text-align:right}.facets{display:flex;gap:3rem}";

/// One self-contained HTML page with the hits (highlights as `<mark>`) and facets. Every piece
/// of article text is escaped.
pub fn html(
    w: &mut dyn Write,
    query: &str,
    hits: &[Rendered<'_>],
    totals: Totals,
    facets: Option<&Facets>,
) -> io::Result<()> {
    let e = escape_html;
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
    )?;
    writeln!(
        w,
        "<title>newsidx: {}</title><style>{CSS}</style></head><body>",
        e(query)
    )?;
    let in_articles = totals
        .articles
        .map(|a| format!(" in {a} articles"))
        .unwrap_or_default();
    writeln!(
        w,
        "<h1>{}</h1><p class=\"meta\">{} matching paragraphs{in_articles}</p>",
        e(query),
        totals.paragraphs
    )?;
    for r in hits {
        let p = &r.hit.paragraph;
        writeln!(w, "<div class=\"hit\">")?;
        let title = e(&title_of(p));
        match p
            .url
            .as_deref()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        {
            Some(u) => writeln!(
                w,
                "<div><b>{}.</b> <a href=\"{}\">{title}</a></div>",
                r.hit.rank,
                e(u)
            )?,
            None => writeln!(w, "<div><b>{}.</b> {title}</div>", r.hit.rank)?,
        }
        writeln!(
            w,
            "<div class=\"meta\">{} · {} · ¶{} · score {:.2} · {}</div>",
            e(&date_of(p)),
            e(p.source.as_deref().unwrap_or(&p.file)),
            p.ordinal,
            r.hit.score,
            e(&p.id)
        )?;
        for c in &r.hit.before {
            writeln!(w, "<p class=\"ctx\">{}</p>", e(&c.text))?;
        }
        writeln!(
            w,
            "<p>{}</p>",
            mark(
                &r.passage.text,
                &r.passage.highlights,
                "<mark>",
                "</mark>",
                &|s| e(s)
            )
        )?;
        for c in &r.hit.after {
            writeln!(w, "<p class=\"ctx\">{}</p>", e(&c.text))?;
        }
        let mut tags = Vec::new();
        if !p.tags.persons.is_empty() {
            tags.push(format!("persons: {}", e(&p.tags.persons.join(", "))));
        }
        if !p.tags.countries.is_empty() {
            tags.push(format!("countries: {}", e(&p.tags.countries.join(", "))));
        }
        if !p.tags.dates.is_empty() {
            tags.push(format!("dates: {}", e(&p.tags.dates.join(", "))));
        }
        if let Some(more) = r.hit.more.filter(|m| *m > 0) {
            tags.push(format!("+{more} more passages in this article"));
        }
        writeln!(w, "<div class=\"tags\">{}</div></div>", tags.join(" · "))?;
    }
    if let Some(f) = facets {
        writeln!(w, "<div class=\"facets\">")?;
        for (title, values) in [("Persons", &f.persons), ("Countries", &f.countries)] {
            writeln!(
                w,
                "<table><tr><th>{title}</th><th>paragraphs</th><th>articles</th></tr>"
            )?;
            for v in values.iter() {
                let label = if v.name == v.value {
                    e(&v.value)
                } else {
                    format!("{} ({})", e(&v.name), e(&v.value))
                };
                writeln!(
                    w,
                    "<tr><td>{label}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    v.counts.paragraphs, v.counts.articles
                )?;
            }
            writeln!(w, "</table>")?;
        }
        writeln!(w, "</div>")?;
    }
    writeln!(w, "</body></html>")
}

/// A facet report as text: value, paragraphs, articles, and (with lift) corpus count and lift.
pub fn facet_report_text(w: &mut dyn Write, r: &FacetReport, style: Style) -> io::Result<()> {
    let (b, reset) = match style {
        Style::Ansi => ("\x1b[1m", "\x1b[0m"),
        Style::Plain => ("", ""),
    };
    let with_lift = r.values.iter().any(|v| v.lift.is_some());
    write!(w, "{b}{:>10} {:>8}", "paragraphs", "articles")?;
    if with_lift {
        write!(w, " {:>8} {:>7}", "corpus", "lift")?;
    }
    writeln!(
        w,
        "  {}{reset}",
        if r.facet == crate::facets::FacetField::Person {
            "person"
        } else {
            "country"
        }
    )?;
    for v in &r.values {
        write!(w, "{:>10} {:>8}", v.counts.paragraphs, v.counts.articles)?;
        if with_lift {
            write!(
                w,
                " {:>8} {:>7.2}",
                v.corpus_paragraphs.unwrap_or(0),
                v.lift.unwrap_or(0.0)
            )?;
        }
        let label = if v.name == v.value {
            sanitize(&v.value)
        } else {
            format!("{}  {}", v.value, sanitize(&v.name))
        };
        writeln!(w, "  {label}")?;
    }
    writeln!(
        w,
        "{} values shown; selection: {} paragraphs in {} articles (of {} paragraphs)",
        r.values.len(),
        r.selection.paragraphs,
        r.selection.articles,
        r.corpus_paragraphs
    )
}

/// A timeline as a bar chart.
pub fn timeline_text(w: &mut dyn Write, t: &Timeline, style: Style) -> io::Result<()> {
    const WIDTH: u64 = 40;
    let (bar_on, reset) = match style {
        Style::Ansi => ("\x1b[36m", "\x1b[0m"),
        Style::Plain => ("", ""),
    };
    let max = t
        .buckets
        .iter()
        .map(|b| b.counts.paragraphs)
        .max()
        .unwrap_or(0)
        .max(1);
    let label_width = t
        .buckets
        .iter()
        .map(|b| b.period.len())
        .max()
        .unwrap_or(7)
        .max(7);
    for b in &t.buckets {
        let n = b.counts.paragraphs;
        let len = (n * WIDTH).div_ceil(max) as usize;
        writeln!(
            w,
            "{:<label_width$}  {bar_on}{:<width$}{reset}  {:>6} ¶ {:>5} art.",
            b.period,
            "█".repeat(len),
            n,
            b.counts.articles,
            width = WIDTH as usize
        )?;
    }
    if t.undated.paragraphs > 0 {
        writeln!(
            w,
            "{:<label_width$}  {:<width$}  {:>6} ¶ {:>5} art.",
            "undated",
            "",
            t.undated.paragraphs,
            t.undated.articles,
            width = WIDTH as usize
        )?;
    }
    writeln!(
        w,
        "total: {} paragraphs in {} articles",
        t.total.paragraphs, t.total.articles
    )
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
        let id = |s: &str| s.to_string();
        assert_eq!(
            mark("één twee", std::slice::from_ref(&(0..3)), "[", "]", &id),
            "[één] twee"
        );
        assert_eq!(mark("ab", &[0..1, 1..2], "<", ">", &id), "<a><b>");
        assert_eq!(
            mark(
                "<b>",
                std::slice::from_ref(&(1..2)),
                "<mark>",
                "</mark>",
                &|s| escape_html(s)
            ),
            "&lt;<mark>b</mark>&gt;"
        );
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape_html("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn first_words_of_untitled() {
        assert_eq!(first_words("a b c", 2), "a b …");
        assert_eq!(first_words("a b", 2), "a b");
    }
}
