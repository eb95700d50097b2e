//! document stage: turns an article into paragraph documents (plain structs), and those into
//! tantivy documents through the schema's [`Fields`].

use tantivy::schema::Field;
use tantivy::{DateTime, TantivyDocument};
use time::OffsetDateTime;

use crate::corpus::{Article, Body};
use crate::entity::{self, EntityTagger, Tags};
use crate::lang::{self, Lang};
use crate::paragraph::{self, SplitOptions};
use crate::schema::Fields;

/// One paragraph document, ready to index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParagraphDoc {
    /// `<article_id>#<ordinal>`.
    pub id: String,
    /// The article's id.
    pub article_id: String,
    /// 0-based position in the article.
    pub ordinal: u64,
    /// The article's content hash.
    pub article_hash: String,
    /// The article's title.
    pub title: String,
    /// The paragraph text.
    pub text: String,
    /// Language used for analysis.
    pub lang: Lang,
    /// Source (publisher).
    pub source: Option<String>,
    /// Article URL.
    pub url: Option<String>,
    /// Corpus file.
    pub file: String,
    /// Line of the article in the corpus file.
    pub line: u64,
    /// Publication date and time (UTC).
    #[serde(with = "time::serde::rfc3339::option")]
    pub published: Option<OffsetDateTime>,
    /// Persons, countries and dates.
    #[serde(flatten)]
    pub tags: Tags,
}

/// Limits on what one article may produce.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// How bodies are split.
    pub split: SplitOptions,
    /// An article with more paragraphs is cut to this many (and a warning is reported).
    pub max_paragraphs: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            split: SplitOptions::default(),
            max_paragraphs: 5_000,
        }
    }
}

/// An article turned into paragraph documents.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The documents, in order.
    pub docs: Vec<ParagraphDoc>,
    /// Paragraphs dropped by the `max_paragraphs` limit.
    pub dropped: usize,
}

/// Splits the article's text into paragraphs.
pub fn paragraphs(article: &Article, opts: &SplitOptions) -> Vec<String> {
    match &article.body {
        Body::Text(t) => paragraph::split_paragraphs(t, opts)
            .into_iter()
            .map(|p| p.text)
            .collect(),
        Body::Paragraphs(ps) => ps
            .iter()
            .flat_map(|p| paragraph::split_paragraphs(p, opts))
            .map(|p| p.text)
            .collect(),
    }
}

/// The language an article is analyzed in: as given, else detected from its text.
pub fn article_lang(article: &Article, paragraphs: &[String]) -> Lang {
    article.lang.unwrap_or_else(|| {
        let mut sample = String::with_capacity(2048);
        for p in paragraphs {
            if sample.len() > 2000 {
                break;
            }
            sample.push_str(p);
            sample.push(' ');
        }
        lang::detect(&sample)
    })
}

/// Splits, tags and builds an article's paragraph documents. Pure: runs in parallel.
pub fn prepare(article: &Article, tagger: &dyn EntityTagger, opts: &BuildOptions) -> Prepared {
    let mut texts = paragraphs(article, &opts.split);
    let dropped = texts.len().saturating_sub(opts.max_paragraphs);
    texts.truncate(opts.max_paragraphs);
    let lang = article_lang(article, &texts);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let tags = entity::tag_article(
        tagger,
        &article.title,
        &refs,
        lang,
        article.published.map(|p| p.date()),
    );
    let docs = texts
        .into_iter()
        .zip(tags)
        .enumerate()
        .map(|(i, (text, tags))| ParagraphDoc {
            id: format!("{}#{}", article.id, i),
            article_id: article.id.clone(),
            ordinal: i as u64,
            article_hash: article.hash.clone(),
            title: article.title.clone(),
            text,
            lang,
            source: article.source.clone(),
            url: article.url.clone(),
            file: article.origin.file.clone(),
            line: article.origin.line as u64,
            published: article.published,
            tags,
        })
        .collect();
    Prepared { docs, dropped }
}

/// Builds the tantivy document for a paragraph.
pub fn to_tantivy(doc: &ParagraphDoc, f: &Fields) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    let text = |d: &mut TantivyDocument, field: Field, value: &str| d.add_text(field, value);
    text(&mut d, f.id, &doc.id);
    text(&mut d, f.article_id, &doc.article_id);
    d.add_u64(f.ordinal, doc.ordinal);
    text(&mut d, f.article_hash, &doc.article_hash);
    text(&mut d, f.title, &doc.title);
    if doc.ordinal == 0 {
        // Article-level: searched once per article and applied to all its paragraphs
        // (`crate::join`).
        text(&mut d, f.title_for(doc.lang), &doc.title);
        text(&mut d, f.title_exact, &doc.title);
    }
    text(&mut d, f.text, &doc.text);
    text(&mut d, f.text_for(doc.lang), &doc.text);
    text(&mut d, f.text_exact, &doc.text);
    text(&mut d, f.lang, doc.lang.code());
    if let Some(source) = &doc.source {
        text(&mut d, f.source, source);
        text(&mut d, f.source_key, &fold_key(source));
    }
    if let Some(url) = &doc.url {
        text(&mut d, f.url, url);
    }
    text(&mut d, f.file, &doc.file);
    d.add_u64(f.line, doc.line);
    if let Some(p) = doc.published {
        d.add_date(f.published, DateTime::from_utc(p));
        for period in crate::query::published_periods(p) {
            text(&mut d, f.published_period, &period);
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for person in &doc.tags.persons {
        text(&mut d, f.persons, person);
        keys.extend(entity::persons::person_aliases(person));
    }
    keys.sort();
    keys.dedup();
    for key in &keys {
        text(&mut d, f.person_keys, key);
    }
    for c in &doc.tags.candidates {
        text(&mut d, f.person_candidates, c);
    }
    for country in &doc.tags.countries {
        text(&mut d, f.countries, country);
    }
    for date in &doc.tags.dates {
        text(&mut d, f.dates, date);
    }
    d
}

/// Estimated bytes a paragraph's tantivy document occupies while it waits to be indexed: its
/// values (title and text three times each, tags and person aliases about twice), plus the
/// document's growth slack and per-value headers. Used to bound the documents in flight.
pub fn footprint(doc: &ParagraphDoc) -> usize {
    let tags: usize = (doc.tags.persons.iter())
        .chain(&doc.tags.candidates)
        .chain(&doc.tags.countries)
        .chain(&doc.tags.dates)
        .map(|t| 2 * t.len() + 16)
        .sum();
    let fixed = doc.id.len() + doc.article_id.len() + doc.article_hash.len() + doc.file.len();
    let optional =
        2 * doc.source.as_ref().map_or(0, String::len) + doc.url.as_ref().map_or(0, String::len);
    let values = 3 * (doc.title.len() + doc.text.len()) + tags + fixed + optional + 40;
    values * 3 / 2 + 256
}

/// Lowercases and strips diacritics: the key exact-match filters compare on.
pub fn fold_key(s: &str) -> String {
    entity::persons::person_key(s)
}
