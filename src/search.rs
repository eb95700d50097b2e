//! search stage: runs a compiled query and returns hits with their stored fields, the total
//! count, and facet counts. No printing.

use std::collections::HashMap;

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentReader;
use tantivy::schema::Value;
use tantivy::{DocAddress, Score, SegmentOrdinal, TantivyDocument};
use time::OffsetDateTime;

use crate::error::{Error, Result, TantivyContext};
use crate::lang::Lang;
use crate::query::{self, Compiled, Filter, Query};
use crate::schema::Fields;
use crate::store::NewsIndex;

/// Hard cap on `--limit` + `--offset`: deep pagination is what exports are for.
pub const MAX_WINDOW: usize = 10_000;

/// Checked search options.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The user's query text (our query language).
    pub query: String,
    /// Extra filters from command-line flags; all must hold.
    pub filters: Vec<Filter>,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Whether to count persons and countries over all matching paragraphs.
    pub facets: bool,
    /// How many facet values to return per facet.
    pub facet_top: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            query: String::new(),
            filters: Vec::new(),
            limit: 10,
            offset: 0,
            facets: false,
            facet_top: 10,
        }
    }
}

/// A paragraph as stored in the index.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredParagraph {
    /// `<article_id>#<ordinal>`.
    pub id: String,
    /// Article id.
    pub article_id: String,
    /// Position in the article.
    pub ordinal: u64,
    /// Article title ("" when none).
    pub title: String,
    /// Paragraph text.
    pub text: String,
    /// Language.
    pub lang: Lang,
    /// Source.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Corpus file.
    pub file: String,
    /// Line of the article in the file.
    pub line: u64,
    /// Publication date-time (UTC).
    #[serde(with = "time::serde::rfc3339::option")]
    pub published: Option<OffsetDateTime>,
    /// Persons.
    pub persons: Vec<String>,
    /// Countries.
    pub countries: Vec<String>,
    /// Mentioned dates.
    pub dates: Vec<String>,
}

/// One ranked hit.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank (after offset).
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// The paragraph.
    pub paragraph: StoredParagraph,
}

/// A value and how many matching paragraphs have it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacetValue {
    /// The person or country code.
    pub value: String,
    /// Matching paragraphs.
    pub paragraphs: u64,
}

/// Facet counts over all matching paragraphs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facets {
    /// Persons, most frequent first.
    pub persons: Vec<FacetValue>,
    /// Countries, most frequent first.
    pub countries: Vec<FacetValue>,
}

/// What a search found.
pub struct SearchResults {
    /// Matching paragraphs in all.
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facet counts, when asked for.
    pub facets: Option<Facets>,
    /// The compiled query (its matchers drive highlighting).
    pub compiled: Compiled,
    /// The parsed query.
    pub parsed: Query,
}

/// Runs a search.
pub fn search(index: &NewsIndex, opts: &SearchOptions) -> Result<SearchResults> {
    if opts.limit + opts.offset > MAX_WINDOW {
        return Err(Error::InvalidOption {
            option: "--limit",
            message: format!("--limit plus --offset may be at most {MAX_WINDOW}"),
        });
    }
    let parsed = query::parse(&opts.query)?.and_filters(opts.filters.clone());
    let compiled = query::compile(&parsed, &index.fields).map_err(|m| Error::InvalidOption {
        option: "QUERY",
        message: m,
    })?;
    let searcher = index.reader.searcher();
    // Fetch a little more than the page so that ties at its edge are ordered by paragraph id,
    // not by where documents happen to sit in segments.
    let window = opts.limit + opts.offset;
    let fetch = if window == 0 { 1 } else { window + 16 };
    let facets = FacetCollector {
        enabled: opts.facets,
        fields: [
            index
                .index
                .schema()
                .get_field_name(index.fields.persons)
                .to_string(),
            index
                .index
                .schema()
                .get_field_name(index.fields.countries)
                .to_string(),
        ],
    };
    let (top, total, facet_counts) = searcher
        .search(
            compiled.query.as_ref(),
            &(TopDocs::with_limit(fetch).order_by_score(), Count, facets),
        )
        .context("search failed")?;
    let mut scored: Vec<(Score, StoredParagraph)> = Vec::with_capacity(top.len());
    for (score, addr) in top {
        scored.push((score, load(&searcher, addr, &index.fields)?));
    }
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.article_id.cmp(&b.1.article_id))
            .then_with(|| a.1.ordinal.cmp(&b.1.ordinal))
    });
    let hits = scored
        .into_iter()
        .skip(opts.offset)
        .take(opts.limit)
        .enumerate()
        .map(|(i, (score, paragraph))| Hit {
            rank: opts.offset + i + 1,
            score,
            paragraph,
        })
        .collect();
    let facets = opts.facets.then(|| facet_counts.top(opts.facet_top));
    Ok(SearchResults {
        total,
        hits,
        facets,
        compiled,
        parsed,
    })
}

fn load(searcher: &tantivy::Searcher, addr: DocAddress, f: &Fields) -> Result<StoredParagraph> {
    let doc: TantivyDocument = searcher
        .doc(addr)
        .context("cannot read a stored document")?;
    let s = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str().map(str::to_string))
    };
    let all = |field| {
        doc.get_all(field)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    Ok(StoredParagraph {
        id: s(f.id).unwrap_or_default(),
        article_id: s(f.article_id).unwrap_or_default(),
        ordinal: doc
            .get_first(f.ordinal)
            .and_then(|v| v.as_u64())
            .unwrap_or(0),
        title: s(f.title).unwrap_or_default(),
        text: s(f.text).unwrap_or_default(),
        lang: s(f.lang)
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or(Lang::Nl),
        source: s(f.source),
        url: s(f.url),
        file: s(f.file).unwrap_or_default(),
        line: doc.get_first(f.line).and_then(|v| v.as_u64()).unwrap_or(0),
        published: doc
            .get_first(f.published)
            .and_then(|v| v.as_datetime())
            .map(|d| d.into_utc()),
        persons: all(f.persons),
        countries: all(f.countries),
        dates: all(f.dates),
    })
}

/// Counts persons and countries over all matching documents, from their fast-field columns.
struct FacetCollector {
    enabled: bool,
    fields: [String; 2],
}

struct FacetSegment {
    columns: Vec<Option<(StrColumn, Vec<u32>)>>,
}

/// Per-facet value counts, before ranking.
#[derive(Default)]
struct FacetCounts([HashMap<String, u64>; 2]);

impl FacetCounts {
    fn top(self, n: usize) -> Facets {
        let [persons, countries] = self.0;
        let rank = |m: HashMap<String, u64>| {
            let mut v: Vec<FacetValue> = m
                .into_iter()
                .map(|(value, paragraphs)| FacetValue { value, paragraphs })
                .collect();
            v.sort_by(|a, b| {
                b.paragraphs
                    .cmp(&a.paragraphs)
                    .then_with(|| a.value.cmp(&b.value))
            });
            v.truncate(n);
            v
        };
        Facets {
            persons: rank(persons),
            countries: rank(countries),
        }
    }
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let mut columns = Vec::new();
        for name in &self.fields {
            let col = if self.enabled {
                reader.fast_fields().str(name)?
            } else {
                None
            };
            columns.push(col.map(|c| {
                let n = c.num_terms();
                (c, vec![0u32; n])
            }));
        }
        Ok(FacetSegment { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut out = FacetCounts::default();
        for fruit in fruits {
            for (i, map) in fruit.0.into_iter().enumerate() {
                for (k, v) in map {
                    *out.0[i].entry(k).or_insert(0) += v;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: tantivy::DocId, _score: Score) {
        for (col, counts) in self.columns.iter_mut().flatten() {
            for ord in col.ords().values_for_doc(doc) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::default();
        for (i, column) in self.columns.into_iter().enumerate() {
            let Some((col, counts)) = column else {
                continue;
            };
            let mut buf = String::new();
            for (ord, &n) in counts.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                buf.clear();
                if col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                    *out.0[i].entry(buf.clone()).or_insert(0) += u64::from(n);
                }
            }
        }
        out
    }
}
