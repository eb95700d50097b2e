//! facets and timelines: counts of persons, countries and publication periods over all
//! paragraphs that match a query, in paragraphs and in articles. No printing.
//!
//! Article counts rely on an invariant of the indexer: an article's paragraphs are written in
//! one batch, so they sit next to each other in one segment. Counting distinct articles per
//! value is then a matter of remembering the last article seen for that value.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::column_index::MultiValueIndex;
use tantivy::columnar::{Column, ColumnIndex, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::query::{AllQuery, Query as TantivyQuery};
use tantivy::{DateTime, DocId, Score, SegmentOrdinal};
use time::{Duration, OffsetDateTime};

use crate::entity::resolve::PersonMap;
use crate::error::{Error, Result, TantivyContext};
use crate::facet_docs::{self, FacetDocs, SegmentAt};
use crate::lang::Lang;
use crate::query::{self, Filter, Query};
use crate::store::NewsIndex;

/// An entity facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetField {
    /// Persons.
    Person,
    /// Countries.
    Country,
}

impl FacetField {
    /// The field's place in the stored facet values ([`facet_docs::FIELDS`]).
    fn stored_index(self) -> usize {
        match self {
            FacetField::Person => 0,
            FacetField::Country => 1,
        }
    }

    fn is_own_filter(self, f: &Filter) -> bool {
        matches!(
            (self, f),
            (FacetField::Person, Filter::Person(_)) | (FacetField::Country, Filter::Country(_))
        )
    }
}

/// Paragraph and article counts of one value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Matching paragraphs.
    pub paragraphs: u64,
    /// Matching articles.
    pub articles: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.paragraphs += o.paragraphs;
        self.articles += o.articles;
    }
}

/// Sums per-segment counts (per key, and the totals).
fn merge_counts<K: std::hash::Hash + Eq>(
    fruits: Vec<(HashMap<K, Counts>, Counts)>,
) -> (HashMap<K, Counts>, Counts) {
    let mut out: HashMap<K, Counts> = HashMap::default();
    let mut total = Counts::default();
    for (map, t) in fruits {
        total += t;
        add_counts(&mut out, map);
    }
    (out, total)
}

/// Adds one segment's counts to the sums.
fn add_counts<K: std::hash::Hash + Eq>(out: &mut HashMap<K, Counts>, map: HashMap<K, Counts>) {
    if out.is_empty() {
        *out = map;
        return;
    }
    for (k, v) in map {
        *out.entry(k).or_default() += v;
    }
}

/// One facet value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FacetValue {
    /// Person name or ISO country code.
    pub value: String,
    /// Display name (country name in the UI language; the person's name).
    pub name: String,
    /// Counts among matching paragraphs.
    #[serde(flatten)]
    pub counts: Counts,
    /// Paragraphs with this value in the whole index (with `--lift`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corpus_paragraphs: Option<u64>,
    /// How much more often the value occurs in the selection than in the whole index
    /// (share of matching paragraphs ÷ share of all paragraphs), with `--lift`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lift: Option<f64>,
}

/// How facet values are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    /// Most matching paragraphs first.
    Count,
    /// Highest lift first (values with at least `min_count` paragraphs): the entities that are
    /// typical of the selection, not merely frequent everywhere.
    Lift,
}

/// Options of a facet request.
#[derive(Debug, Clone)]
pub struct FacetOptions {
    /// The query text.
    pub query: String,
    /// Filters (flags).
    pub filters: Vec<Filter>,
    /// Which facet.
    pub field: FacetField,
    /// Values to return.
    pub top: usize,
    /// Ranking.
    pub rank: Rank,
    /// Minimum paragraphs for lift ranking.
    pub min_count: u64,
    /// Compute lift against the whole index.
    pub lift: bool,
    /// Language of display names.
    pub ui_lang: Lang,
}

/// A facet's values over a selection.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FacetReport {
    /// Which facet.
    pub facet: FacetField,
    /// The selection's size (this facet's own filters ignored: multi-select).
    pub selection: Counts,
    /// Paragraphs in the whole index.
    pub corpus_paragraphs: u64,
    /// Values, ranked.
    pub values: Vec<FacetValue>,
}

/// Drops this facet's own filters from the top level of a query, so a facet's counts ignore
/// them (multi-select: the user sees what else they could select).
pub fn without_own_filters(q: &Query, field: FacetField) -> Query {
    match q {
        Query::Filter(f) if field.is_own_filter(f) => Query::All,
        Query::And(parts) => {
            let kept: Vec<Query> = parts
                .iter()
                .filter(|p| !matches!(p, Query::Filter(f) if field.is_own_filter(f)))
                .cloned()
                .collect();
            match kept.len() {
                0 => Query::All,
                1 => kept.into_iter().next().unwrap_or(Query::All),
                _ => Query::And(kept),
            }
        }
        other => other.clone(),
    }
}

/// Counts for a facet field over the documents matching `query`, plus the selection's own
/// counts.
pub fn count(
    index: &NewsIndex,
    query: &dyn TantivyQuery,
    field: FacetField,
) -> Result<(ValueCounts, Counts)> {
    let (mut counts, selection) = count_many(index, query, &[field])?;
    let counts = counts.pop().ok_or_else(|| Error::InvalidOption {
        option: "--facets",
        message: "facet counting returned no counts".into(),
    })?;
    Ok((counts, selection))
}

/// Counts for several facet fields over the documents matching `query`, in one pass over the
/// matches: one [`ValueCounts`] per field (in the order given), plus the selection's counts.
pub fn count_many(
    index: &NewsIndex,
    query: &dyn TantivyQuery,
    fields: &[FacetField],
) -> Result<(Vec<ValueCounts>, Counts)> {
    let collector = ValueCounter::new(index, fields);
    let fruit = index
        .reader
        .searcher()
        .search(query, &collector)
        .context("facet counting failed")?;
    Ok(value_counts(index, fields, fruit))
}

/// The field's shared value numbers.
fn ords_of(index: &NewsIndex, field: FacetField) -> &Arc<GlobalOrds> {
    match field {
        FacetField::Person => &index.person_ords,
        FacetField::Country => &index.country_ords,
    }
}

/// A [`ValueCounter`]'s harvest as counts per field (in the order it was made with).
fn value_counts(
    index: &NewsIndex,
    fields: &[FacetField],
    (sums, selection): FacetFruit,
) -> (Vec<ValueCounts>, Counts) {
    let counts = fields
        .iter()
        .zip(sums)
        .map(|(&field, counts)| ValueCounts {
            ords: Arc::clone(ords_of(index, field)),
            counts: counts.by_id,
            by_name: counts.by_name,
            stored: stored_docs(index).map(|d| (Arc::clone(d), field.stored_index())),
            by_stored: counts.by_stored,
        })
        .collect();
    (counts, selection)
}

/// How the facets of a search are counted. One pass over the query itself counts the
/// selection and every facet without own filters: [`FacetPlan::collector`] gives a collector
/// to run beside the ranking pass, so the query is evaluated once. A selection of every
/// paragraph comes from the stored counts instead, when there are any. A facet with own
/// filters gets a pass over its own selection in [`FacetPlan::finish`].
pub struct FacetPlan {
    /// The facets counted over the query itself.
    shared: Vec<FacetField>,
    top: usize,
    /// Whether the shared facets and the selection come from the stored counts.
    stored: bool,
}

/// Facet values of a search: persons, countries (each ranked by count and cut to `top`) and
/// the selection's counts.
pub type SearchFacets = (Vec<FacetValue>, Vec<FacetValue>, Counts);

/// Plans the facets of a search for query `q` ([`FacetPlan`]). A facet's own filters are
/// left out of its selection (multi-select).
pub fn plan_for_search(index: &NewsIndex, q: &Query, top: usize) -> FacetPlan {
    let shared = [FacetField::Person, FacetField::Country]
        .into_iter()
        .filter(|&f| without_own_filters(q, f) == *q)
        .collect();
    FacetPlan {
        shared,
        top,
        stored: stored_for(index, q, top).is_some(),
    }
}

impl FacetPlan {
    /// The collector to run over the query's matches (with the ranking), unless the stored
    /// counts answer: it counts the selection and the shared facets.
    pub fn collector(&self, index: &NewsIndex) -> Option<ValueCounter> {
        (!self.stored).then(|| ValueCounter::new(index, &self.shared))
    }

    /// The facet values, from what [`FacetPlan::collector`] harvested over `q` (counted here
    /// when it was not run) and a pass per facet with own filters.
    pub fn finish(
        self,
        index: &NewsIndex,
        q: &Query,
        harvested: Option<FacetFruit>,
        ui_lang: Lang,
    ) -> Result<SearchFacets> {
        let top = self.top;
        let stored = if self.stored {
            stored_for(index, q, top)
        } else {
            None
        };
        let (mut found, selection): (Vec<Vec<(String, Counts)>>, Counts) = match stored {
            Some(all) => (
                self.shared.iter().map(|&f| all.top(f, top)).collect(),
                all.selection,
            ),
            None => {
                let (counts, selection) = match harvested {
                    Some(fruit) => value_counts(index, &self.shared, fruit),
                    None => {
                        let compiled = crate::search::compile(q, index)?;
                        count_many(index, compiled.query.as_ref(), &self.shared)?
                    }
                };
                (counts.into_iter().map(|c| c.top(top)).collect(), selection)
            }
        };
        let mut ranked = Vec::with_capacity(2);
        for f in [FacetField::Person, FacetField::Country] {
            let values = match self.shared.iter().position(|&x| x == f) {
                Some(i) => std::mem::take(&mut found[i]),
                None => {
                    let own_query = without_own_filters(q, f);
                    match stored_for(index, &own_query, top) {
                        Some(all) => all.top(f, top),
                        None => {
                            let own = crate::search::compile(&own_query, index)?;
                            count(index, own.query.as_ref(), f)?.0.top(top)
                        }
                    }
                }
            };
            ranked.push(named(values, f, ui_lang));
        }
        let countries = ranked.pop().unwrap_or_default();
        let persons = ranked.pop().unwrap_or_default();
        Ok((persons, countries, selection))
    }
}

/// How a facet value is shown: a country's name in the interface language, a person as is.
fn display_name(field: FacetField, value: &str, ui_lang: Lang) -> String {
    match field {
        FacetField::Country => crate::entity::gazetteer::country_name(value, ui_lang)
            .unwrap_or(value)
            .to_string(),
        FacetField::Person => value.to_string(),
    }
}

/// Ranked values with their display names.
fn named(values: Vec<(String, Counts)>, field: FacetField, ui_lang: Lang) -> Vec<FacetValue> {
    values
        .into_iter()
        .map(|(value, counts)| FacetValue {
            name: display_name(field, &value, ui_lang),
            value,
            counts,
            corpus_paragraphs: None,
            lift: None,
        })
        .collect()
}

/// File in a generation with the facet counts over all paragraphs.
pub const ALL_COUNTS: &str = "facets.json";

/// Values kept per facet in [`ALL_COUNTS`]; a request for more counts the index.
pub const ALL_COUNTS_TOP: usize = 1000;

/// Facet counts over every paragraph, computed when an index is built or updated and stored
/// beside it: a query without words and without filters (or whose only filters are the facet's
/// own) then needs no pass over the whole index. Stored with the state of the index they
/// describe (segments, deletions, person map), and ignored when that has changed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AllCounts {
    key: String,
    selection: Counts,
    /// The first [`ALL_COUNTS_TOP`] values, ranked by count.
    persons: Vec<(String, Counts)>,
    countries: Vec<(String, Counts)>,
}

impl AllCounts {
    fn top(&self, field: FacetField, top: usize) -> Vec<(String, Counts)> {
        let v = match field {
            FacetField::Person => &self.persons,
            FacetField::Country => &self.countries,
        };
        v[..top.min(v.len())].to_vec()
    }
}

/// The state of an index that facet counts depend on: its segments with their deletions, and
/// the corpus-wide person map (persons.bin).
fn state_key(index: &NewsIndex) -> String {
    let searcher = index.reader.searcher();
    let mut segments: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|r| format!("{}:{}", r.segment_id().uuid_string(), r.num_deleted_docs()))
        .collect();
    segments.sort();
    format!("{}|persons:{:016x}", segments.join(","), index.persons_hash)
}

/// Counts both facets over all paragraphs and stores them in the index's generation
/// ([`ALL_COUNTS`], written to a temporary file and renamed).
pub fn write_all_counts(index: &NewsIndex) -> Result<()> {
    let (counts, selection) =
        count_many(index, &AllQuery, &[FacetField::Person, FacetField::Country])?;
    let mut tops = counts.into_iter().map(|c| c.top(ALL_COUNTS_TOP));
    let persons = tops.next().unwrap_or_default();
    let countries = tops.next().unwrap_or_default();
    let all = AllCounts {
        key: state_key(index),
        selection,
        persons,
        countries,
    };
    let bytes = serde_json::to_vec(&all).map_err(|e| Error::InvalidOption {
        option: "--index",
        message: format!("cannot encode facet counts: {e}"),
    })?;
    crate::store::write_replacing(&index.path, ALL_COUNTS, &bytes)
}

/// File in a generation with each segment's candidate surnames resolved to full names: the
/// map a facet count needs from a segment's candidate ords, which otherwise means reading the
/// segment's whole candidate dictionary (a third of a CLI `--facets` search on 1M paragraphs).
pub const CANDIDATE_ORDS: &str = "candidate-ords.bin";

const CANDIDATE_ORDS_MAGIC: &[u8; 8] = b"NXCORD1\n";

/// A candidate ord and the index of the full name it resolves to.
type OrdName = (u32, u32);

/// The decoded [`CANDIDATE_ORDS`]: full names, and per segment (uuid) its (ord, name) pairs.
#[derive(Debug)]
struct CandidateOrds {
    names: Vec<String>,
    segments: HashMap<String, Vec<OrdName>>,
}

impl CandidateOrds {
    /// Layout, little-endian: magic, person map hash (u64), name count (u32), each name (u32
    /// length, UTF-8), segment count (u32), each segment (32-byte uuid, u32 pair count, pairs of
    /// u32 ord and u32 name index). `None` when it does not decode or the hash differs.
    fn decode(b: &[u8], map_hash: u64) -> Option<CandidateOrds> {
        let mut p = 0usize;
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = b.get(p..p.checked_add(n)?)?;
            p += n;
            Some(s)
        };
        if take(8)? != CANDIDATE_ORDS_MAGIC {
            return None;
        }
        let hash = u64::from_le_bytes(take(8)?.try_into().ok()?);
        if hash != map_hash {
            return None;
        }
        let u32_at = |s: &[u8]| -> Option<u32> { Some(u32::from_le_bytes(s.try_into().ok()?)) };
        let n_names = u32_at(take(4)?)? as usize;
        let mut names = Vec::with_capacity(n_names.min(1 << 20));
        for _ in 0..n_names {
            let len = u32_at(take(4)?)? as usize;
            names.push(std::str::from_utf8(take(len)?).ok()?.to_string());
        }
        let n_segments = u32_at(take(4)?)? as usize;
        let mut segments = HashMap::default();
        for _ in 0..n_segments {
            let uuid = std::str::from_utf8(take(32)?).ok()?.to_string();
            let n = u32_at(take(4)?)? as usize;
            let raw = take(n.checked_mul(8)?)?;
            let pairs = raw
                .chunks_exact(8)
                .map(|c| {
                    (
                        u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                        u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
                    )
                })
                .collect();
            segments.insert(uuid, pairs);
        }
        (p == b.len()).then_some(CandidateOrds { names, segments })
    }

    fn encode(&self, map_hash: u64) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(CANDIDATE_ORDS_MAGIC);
        out.extend_from_slice(&map_hash.to_le_bytes());
        out.extend_from_slice(&(self.names.len() as u32).to_le_bytes());
        for n in &self.names {
            out.extend_from_slice(&(n.len() as u32).to_le_bytes());
            out.extend_from_slice(n.as_bytes());
        }
        let mut segments: Vec<_> = self.segments.iter().collect();
        segments.sort();
        out.extend_from_slice(&(segments.len() as u32).to_le_bytes());
        for (uuid, pairs) in segments {
            out.extend_from_slice(uuid.as_bytes());
            out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
            for (ord, name) in pairs {
                out.extend_from_slice(&ord.to_le_bytes());
                out.extend_from_slice(&name.to_le_bytes());
            }
        }
        out
    }
}

/// Resolves every segment's candidate surnames through the person map and stores the result
/// in the index's generation ([`CANDIDATE_ORDS`], replaced atomically).
pub fn write_candidate_ords(index: &NewsIndex) -> Result<()> {
    let field = index
        .index
        .schema()
        .get_field_name(index.fields.person_candidates)
        .to_string();
    let mut names: Vec<String> = Vec::new();
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut segments = HashMap::default();
    for reader in index.reader.searcher().segment_readers() {
        let mut pairs = Vec::new();
        if let Some(col) = reader
            .fast_fields()
            .str(&field)
            .context("cannot read candidates")?
        {
            index
                .person_ords
                .each_value(&col, true, |ord, name| {
                    let id = *ids.entry(name.to_string()).or_insert_with(|| {
                        names.push(name.to_string());
                        (names.len() - 1) as u32
                    });
                    pairs.push((ord as u32, id));
                })
                .map_err(|e| Error::io("cannot read the candidate surnames of", &index.path, e))?;
        }
        segments.insert(reader.segment_id().uuid_string(), pairs);
    }
    let bytes = CandidateOrds { names, segments }.encode(index.persons_hash);
    crate::store::write_replacing(&index.path, CANDIDATE_ORDS, &bytes)
}

/// A facet column of a segment with each of its ords' value id ([`GlobalOrds::for_segment`]).
type NumberedColumn = Option<(StrColumn, Arc<Vec<u32>>)>;

/// Writes every document's facet values ([`facet_docs::FACET_DOCS`]: persons as the names they
/// count as, candidate surnames resolved through the person map; countries) into the index's
/// generation, replaced atomically. A count reads them instead of the columns.
pub fn write_facet_docs(index: &NewsIndex) -> Result<()> {
    let schema = index.index.schema();
    let name = |f| schema.get_field_name(f).to_string();
    let persons = name(index.fields.persons);
    let candidates = name(index.fields.person_candidates);
    let countries = name(index.fields.countries);
    let article = name(index.fields.article_id);
    let target = index.path.join(facet_docs::FACET_DOCS);
    let unwritable = |e: std::io::Error| Error::io("cannot write", &target, e);
    let searcher = index.reader.searcher();
    let readers = searcher.segment_readers();
    crate::store::write_replacing_with(&index.path, facet_docs::FACET_DOCS, |out| {
        let mut w =
            facet_docs::Writer::new(out, index.persons_hash, readers.len()).map_err(unwritable)?;
        for reader in readers {
            let ff = reader.fast_fields();
            let segment = reader.segment_id();
            // Each column with its ords' value ids: the shared numbers a count uses
            // ([`GlobalOrds::for_segment`]; candidate surnames through the stored resolution).
            let numbered = |field: &str, ords: &GlobalOrds, candidates: bool| {
                let col = ff.str(field).context("cannot read the facet values")?;
                match col {
                    Some(col) => {
                        let ids = ords
                            .for_segment(segment, &col, candidates)
                            .context("cannot read the facet values")?;
                        Ok::<_, Error>(Some((col, ids)))
                    }
                    None => Ok(None),
                }
            };
            let mut person_cols = vec![numbered(&persons, &index.person_ords, false)?];
            if !index.persons.aliases().is_empty() {
                person_cols.push(numbered(&candidates, &index.person_ords, true)?);
            }
            let country_cols = [numbered(&countries, &index.country_ords, false)?];
            let article_col = ff.str(&article).context("cannot read the facet values")?;
            /// The value ids of a document in some columns, into `out`.
            fn ids_of(cols: &[NumberedColumn], doc: DocId, out: &mut Vec<u32>) {
                out.clear();
                for (col, ids) in cols.iter().flatten() {
                    for ord in col.term_ords(doc) {
                        match ids.get(ord as usize) {
                            Some(&id) if id != UNRESOLVED => out.push(id),
                            _ => {}
                        }
                    }
                }
            }
            // A paragraph's persons (its values, then its resolved surnames) and countries.
            let (mut p, mut c) = (Vec::new(), Vec::new());
            let max_doc = reader.max_doc();
            w.segment(&segment.uuid_string(), max_doc)
                .map_err(unwritable)?;
            for doc in 0..max_doc {
                // An article's key: its id's ord, plus one (a paragraph always has an article
                // id; one without counts as an article of its own).
                let key = match article_col.as_ref().and_then(|a| a.ords().first(doc)) {
                    Some(ord) => u32::try_from(ord).unwrap_or(u32::MAX - 1) + 1,
                    None => u32::MAX - doc,
                };
                ids_of(&person_cols, doc, &mut p);
                ids_of(&country_cols, doc, &mut c);
                w.doc(key, [&p, &c]).map_err(unwritable)?;
            }
            w.end_table().map_err(unwritable)?;
            for doc in 0..max_doc {
                ids_of(&person_cols, doc, &mut p);
                w.ids(&p).map_err(unwritable)?;
            }
            for doc in 0..max_doc {
                ids_of(&country_cols, doc, &mut c);
                w.ids(&c).map_err(unwritable)?;
            }
        }
        let (persons, countries) = (index.person_ords.lock(), index.country_ords.lock());
        w.finish([&persons.names, &countries.names])
            .map_err(unwritable)
    })
}

/// The stored facet values of every document ([`facet_docs::FACET_DOCS`]), mapped once per
/// open index; `None` when missing, unreadable or made with another person map.
pub fn stored_docs(index: &NewsIndex) -> Option<&Arc<FacetDocs>> {
    index
        .facet_docs
        .get_or_init(|| {
            use tantivy::Directory;
            let slice = index
                .files
                .open_read(std::path::Path::new(facet_docs::FACET_DOCS))
                .ok()?;
            let bytes = slice.read_bytes().ok()?;
            FacetDocs::decode(bytes, index.persons_hash).map(Arc::new)
        })
        .as_ref()
}

/// The stored counts over all paragraphs, if present and still describing the index (read
/// once per open index). A missing, unreadable or stale file means counting.
pub fn all_counts(index: &NewsIndex) -> Option<&AllCounts> {
    index
        .all_counts
        .get_or_init(|| {
            let bytes = std::fs::read(index.path.join(ALL_COUNTS)).ok()?;
            let all: AllCounts = serde_json::from_slice(&bytes).ok()?;
            (all.key == state_key(index)).then_some(all)
        })
        .as_ref()
}

/// The stored counts, when `selection` is every paragraph and they hold `top` values.
fn stored_for<'a>(index: &'a NewsIndex, selection: &Query, top: usize) -> Option<&'a AllCounts> {
    if *selection != Query::All || top > ALL_COUNTS_TOP {
        return None;
    }
    all_counts(index)
}

/// The top values of a facet for an already filtered query, ranked by count.
pub fn facets_for_query(
    index: &NewsIndex,
    q: &Query,
    field: FacetField,
    top: usize,
    ui_lang: Lang,
) -> Result<Vec<FacetValue>> {
    let values = match stored_for(index, q, top) {
        Some(all) => all.top(field, top),
        None => {
            let compiled = crate::search::compile(q, index)?;
            count(index, compiled.query.as_ref(), field)?.0.top(top)
        }
    };
    Ok(named(values, field, ui_lang))
}

/// Runs a facet request.
pub fn facets(index: &NewsIndex, opts: &FacetOptions) -> Result<FacetReport> {
    let parsed = query::parse(&opts.query)?.and_filters(opts.filters.clone());
    let selection_query = without_own_filters(&parsed, opts.field);
    let corpus_paragraphs = index.reader.searcher().num_docs();
    let stored = (opts.rank == Rank::Count)
        .then(|| stored_for(index, &selection_query, opts.top))
        .flatten();
    if let Some(all) = stored {
        // The selection is every paragraph: each value's background is its own count.
        let selection = all.selection;
        let mut values = named(all.top(opts.field, opts.top), opts.field, opts.ui_lang);
        if opts.lift {
            for v in &mut values {
                let n = v.counts.paragraphs;
                v.corpus_paragraphs = Some(n);
                v.lift = lift_of(n, selection.paragraphs, n, corpus_paragraphs);
            }
        }
        return Ok(FacetReport {
            facet: opts.field,
            selection,
            corpus_paragraphs,
            values,
        });
    }
    let compiled = crate::search::compile(&selection_query, index)?;
    let (counts, selection) = count(index, compiled.query.as_ref(), opts.field)?;
    let counts = counts.into_map();
    let background = if opts.lift || opts.rank == Rank::Lift {
        Some(count(index, &AllQuery, opts.field)?.0.into_map())
    } else {
        None
    };
    let mut values: Vec<FacetValue> = counts
        .into_iter()
        .map(|(value, c)| {
            let corpus = background
                .as_ref()
                .and_then(|b| b.get(&value))
                .map(|b| b.paragraphs);
            let lift = corpus
                .and_then(|n| lift_of(c.paragraphs, selection.paragraphs, n, corpus_paragraphs));
            let name = display_name(opts.field, &value, opts.ui_lang);
            FacetValue {
                value,
                name,
                counts: c,
                corpus_paragraphs: corpus,
                lift,
            }
        })
        .collect();
    match opts.rank {
        Rank::Count => values.sort_by(|a, b| {
            b.counts
                .paragraphs
                .cmp(&a.counts.paragraphs)
                .then_with(|| b.counts.articles.cmp(&a.counts.articles))
                .then_with(|| a.value.cmp(&b.value))
        }),
        Rank::Lift => {
            values.retain(|v| v.counts.paragraphs >= opts.min_count);
            values.sort_by(|a, b| {
                b.lift
                    .unwrap_or(0.0)
                    .total_cmp(&a.lift.unwrap_or(0.0))
                    .then_with(|| b.counts.paragraphs.cmp(&a.counts.paragraphs))
                    .then_with(|| a.value.cmp(&b.value))
            })
        }
    }
    values.truncate(opts.top);
    Ok(FacetReport {
        facet: opts.field,
        selection,
        corpus_paragraphs,
        values,
    })
}

/// How much more often a value occurs in the selection than in the whole index: its share of
/// the selection's paragraphs over its share of all paragraphs.
fn lift_of(count: u64, selection: u64, corpus_count: u64, corpus: u64) -> Option<f64> {
    (corpus_count > 0 && selection > 0)
        .then(|| (count as f64 / selection as f64) / (corpus_count as f64 / corpus.max(1) as f64))
}

/// Counts values of multi-valued keyword fast fields, in paragraphs and distinct articles.
pub struct ValueCounter {
    specs: Vec<FieldSpec>,
    article: String,
    columns: Arc<crate::search::SegmentColumns>,
    /// Every document's facet values, when stored: a segment they describe is counted from
    /// them instead of its columns.
    stored: Option<Arc<FacetDocs>>,
}

/// What a [`ValueCounter`] harvests: counts per field, and the selection's counts.
pub type FacetFruit = (Vec<FieldCounts>, Counts);

impl ValueCounter {
    /// A counter of `fields` (and of the selection) in `index`.
    pub fn new(index: &NewsIndex, fields: &[FacetField]) -> ValueCounter {
        let schema = index.index.schema();
        let specs = fields
            .iter()
            .map(|&field| {
                let f = match field {
                    FacetField::Person => index.fields.persons,
                    FacetField::Country => index.fields.countries,
                };
                let ords = ords_of(index, field);
                let candidates = (field == FacetField::Person
                    && !index.persons.aliases().is_empty())
                .then(|| {
                    schema
                        .get_field_name(index.fields.person_candidates)
                        .to_string()
                });
                FieldSpec {
                    field: schema.get_field_name(f).to_string(),
                    candidates,
                    ords: Arc::clone(ords),
                    // Counting by segment ord names values only after counting, so two
                    // spellings of one name would each count an article they share: with
                    // spellings to merge, count by shared number from the start.
                    global: ords.use_for_values() | ords.merges(),
                    stored_index: field.stored_index(),
                }
            })
            .collect();
        ValueCounter {
            specs,
            article: schema.get_field_name(index.fields.article_id).to_string(),
            columns: Arc::clone(&index.columns),
            stored: stored_docs(index).cloned(),
        }
    }
}

struct FieldSpec {
    field: String,
    /// Persons only: the candidate-surname field, resolved through the corpus-wide map.
    candidates: Option<String>,
    /// The field's values as numbers shared by all segments.
    ords: Arc<GlobalOrds>,
    /// Whether values are counted by their shared numbers ([`GlobalOrds::use_for_values`]);
    /// otherwise by segment ord, naming the counted ones from the segment's dictionary.
    global: bool,
    /// The field's place in the stored facet values.
    stored_index: usize,
}

/// A [`ValueCounter`] over one segment.
pub struct ValueSegment {
    articles: Option<StrColumn>,
    fields: Vec<FieldSegment>,
    selection: Counts,
    last_article: u64,
    /// The article ord of each document of the current block.
    block_articles: Vec<u64>,
    block_article_opts: Vec<Option<u64>>,
    /// Documents collected one by one, not yet counted ([`PENDING_BLOCK`]).
    pending: Vec<DocId>,
    /// Counting from the stored facet values instead of the columns (`fields` is then empty).
    stored: Option<StoredSegment>,
}

/// A segment counted from its stored facet values ([`FacetDocs`]).
struct StoredSegment {
    docs: Arc<FacetDocs>,
    at: SegmentAt,
    /// Per field counted: its place in the file, a tally per value (an array from the file's
    /// pool: all zero except the values in the list after it) and the values counted.
    fields: Vec<(usize, Vec<facet_docs::Tally>, Vec<u32>)>,
}

impl StoredSegment {
    /// Counts a block of documents (ascending) and the selection's paragraphs and articles.
    fn collect_block(&mut self, docs: &[DocId], selection: &mut Counts, last_article: &mut u64) {
        let view = self.docs.docs(self.at);
        for &doc in docs {
            let (article, ids) = view.doc(doc).unwrap_or((0, [&[]; facet_docs::FIELDS]));
            selection.paragraphs += 1;
            if u64::from(article) != *last_article {
                selection.articles += 1;
                *last_article = u64::from(article);
            }
            for (f, tallies, touched) in &mut self.fields {
                for id in ids[*f].chunks_exact(4) {
                    let id = u32::from_le_bytes([id[0], id[1], id[2], id[3]]);
                    if let Some(t) = tallies.get_mut(id as usize) {
                        if t[0] == 0 {
                            touched.push(id);
                        }
                        t[0] += 1;
                        if t[2] != article {
                            t[1] += 1;
                            t[2] = article;
                        }
                    }
                }
            }
        }
    }

    /// The counts per field, by value id in the file; the tallies go back to the pool cleared.
    fn harvest(self) -> Vec<FieldCounts> {
        let docs = self.docs;
        self.fields
            .into_iter()
            .map(|(f, mut tallies, mut touched)| {
                touched.sort_unstable();
                let by_stored = touched
                    .iter()
                    .map(|&id| {
                        let t = &mut tallies[id as usize];
                        let c = Counts {
                            paragraphs: u64::from(t[0]),
                            articles: u64::from(t[1]),
                        };
                        *t = [0; 3];
                        (id, c)
                    })
                    .collect();
                docs.give_back_tallies(f, tallies);
                FieldCounts {
                    by_stored,
                    ..FieldCounts::default()
                }
            })
            .collect()
    }
}

/// Per value id: paragraphs, articles, last article ord seen.
type Tally = (u64, u64, u64);

/// A slot nothing was counted in.
const EMPTY_TALLY: Tally = (0, 0, u64::MAX);

struct FieldSegment {
    /// The segment's value column and, when counting by shared numbers, its ord → value id
    /// map (without one, a value's slot is its segment ord).
    values: Option<(StrColumn, Option<Arc<Vec<u32>>>)>,
    /// Persons: the segment's candidate column and its ord → resolved value id map.
    candidates: Option<(StrColumn, Arc<Vec<u32>>)>,
    /// Slot of value id 0: the number of segment ords when counting by segment ord, else 0.
    base: usize,
    /// Per slot (an array from the field's pool, [`GlobalOrds::take_tallies`]: all zero
    /// except the slots in `touched`).
    counts: Vec<Tally>,
    /// The slots counted so far, in the order first counted.
    touched: Vec<u32>,
    /// Where `counts` goes back, cleared, after the harvest.
    pool: Arc<GlobalOrds>,
    /// Block buffers ([`FieldSegment::collect_block`]): (position in the block, slot) pairs,
    /// and the doc ids, row ids and ords a column read returns.
    pairs: Vec<(u32, usize)>,
    /// The slots one document has counted ([`FieldSegment::collect_block`]).
    seen: Vec<usize>,
    bufs: BlockBufs,
}

/// Reused buffers of a block read ([`FieldSegment::read_block`]).
#[derive(Default)]
struct BlockBufs {
    /// Per value row: its document and row id, then its ord.
    docs_out: Vec<DocId>,
    rows: Vec<u32>,
    ords: Vec<u64>,
    /// Documents with values, their ranks, and the start-column positions to read.
    with: Vec<DocId>,
    ranks: Vec<u32>,
    at: Vec<u32>,
    bounds: Vec<u32>,
}

/// One segment's counts of one field: by value id, and by name (values counted by segment
/// ord, named from its dictionary).
#[derive(Default)]
pub struct FieldCounts {
    /// (value id, counts) of the values counted, by id.
    by_id: Vec<(u32, Counts)>,
    by_name: HashMap<String, Counts>,
    /// (value id in the stored facet values, counts), by id.
    by_stored: Vec<(u32, Counts)>,
}

/// An ord that stands for no value (a candidate surname the person map does not resolve).
const UNRESOLVED: u32 = u32::MAX;

/// A facet field's values as numbers shared by all segments of an open index (what
/// Elasticsearch calls global ordinals): per segment, column ord → value id, and the value
/// of each id. Each segment's dictionary is read once per open index, on its first facet
/// count, instead of once per query; counting then adds up plain arrays and only the values
/// shown are looked up by name. For persons, candidate surnames map to the id of the full
/// name the corpus-wide person map resolves them to.
///
/// Mapping a segment reads its whole dictionary, which a single query with few matches (a CLI
/// call) need not do: the first count of an open index names only the values it counted, by
/// segment ord; later counts use (and build) the shared numbers.
#[derive(Debug, Default)]
pub struct GlobalOrds {
    /// Persons: the corpus-wide person map, through which candidate surnames resolve and
    /// spellings of one name count as one ([`PersonMap::canonical`]); empty otherwise.
    persons: Arc<PersonMap>,
    /// Persons: where the generation keeps its segments' resolved candidate ords
    /// ([`CANDIDATE_ORDS`]), and the hash of the person map they must have been made with.
    candidate_file: Option<(std::path::PathBuf, u64)>,
    /// That file, read on first use (`None`: missing, unreadable or stale).
    candidate_cache: std::sync::OnceLock<Option<CandidateOrds>>,
    inner: std::sync::Mutex<OrdsInner>,
    /// Facet counts begun on this index.
    counts_begun: std::sync::atomic::AtomicUsize,
    /// Count arrays of finished segment counts, all slots empty: a count reuses one instead
    /// of allocating and clearing an array as long as all values per segment and query.
    tallies: std::sync::Mutex<Vec<Vec<Tally>>>,
}

#[derive(Debug, Default)]
struct OrdsInner {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    /// (segment, candidate column?) → ord → value id.
    segments: HashMap<(tantivy::index::SegmentId, bool), Arc<Vec<u32>>>,
}

impl OrdsInner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(UNRESOLVED);
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
}

impl GlobalOrds {
    /// The ids of a field without candidate surnames (countries).
    pub fn new() -> GlobalOrds {
        GlobalOrds::default()
    }

    /// The ids of the persons field, whose candidate surnames resolve through `map`; the
    /// generation directory `dir` may hold their per-segment resolution ([`CANDIDATE_ORDS`],
    /// made with the map whose file hash is `map_hash`).
    pub fn for_persons(map: Arc<PersonMap>, dir: &std::path::Path, map_hash: u64) -> GlobalOrds {
        GlobalOrds {
            persons: map,
            candidate_file: Some((dir.join(CANDIDATE_ORDS), map_hash)),
            ..GlobalOrds::default()
        }
    }

    /// A segment's candidate ord → full name pairs from [`CANDIDATE_ORDS`], when stored.
    fn stored_candidates(
        &self,
        segment: tantivy::index::SegmentId,
    ) -> Option<(&[OrdName], &[String])> {
        let cache = self
            .candidate_cache
            .get_or_init(|| {
                let (path, hash) = self.candidate_file.as_ref()?;
                CandidateOrds::decode(&std::fs::read(path).ok()?, *hash)
            })
            .as_ref()?;
        let pairs = cache.segments.get(&segment.uuid_string())?;
        Some((pairs, &cache.names))
    }

    /// Called once per facet count: whether it counts values by their shared numbers (every
    /// count after an open index's first).
    fn use_for_values(&self) -> bool {
        self.counts_begun
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            > 0
    }

    /// Column ord → value id for one segment's value column (`candidates`: its candidate
    /// column, whose unresolved ords map to [`UNRESOLVED`]).
    fn for_segment(
        &self,
        segment: tantivy::index::SegmentId,
        col: &StrColumn,
        candidates: bool,
    ) -> tantivy::Result<Arc<Vec<u32>>> {
        if let Some(v) = self.lock().segments.get(&(segment, candidates)) {
            return Ok(Arc::clone(v));
        }
        let mut by_ord = vec![UNRESOLVED; col.num_terms()];
        if candidates {
            // Resolved when the index was written: no need to read the whole dictionary.
            if let Some((pairs, names)) = self.stored_candidates(segment) {
                let mut inner = self.lock();
                let mut ids: Vec<Option<u32>> = vec![None; names.len()];
                for &(ord, name) in pairs {
                    let (Some(slot), Some(id)) =
                        (by_ord.get_mut(ord as usize), ids.get_mut(name as usize))
                    else {
                        continue;
                    };
                    *slot = *id.get_or_insert_with(|| inner.intern(&names[name as usize]));
                }
                let v = Arc::new(by_ord);
                inner.segments.insert((segment, candidates), Arc::clone(&v));
                return Ok(v);
            }
        }
        let mut inner = self.lock();
        self.each_value(col, candidates, |ord, name| {
            let id = inner.intern(name);
            if let Some(slot) = by_ord.get_mut(ord as usize) {
                *slot = id;
            }
        })?;
        let v = Arc::new(by_ord);
        inner.segments.insert((segment, candidates), Arc::clone(&v));
        Ok(v)
    }

    /// Each term of a segment's column with the value it counts as, in ord order: the term
    /// itself, or for a candidate column only the surnames the person map resolves, as their
    /// full names. Reads the whole dictionary.
    fn each_value(
        &self,
        col: &StrColumn,
        candidates: bool,
        mut each: impl FnMut(u64, &str),
    ) -> std::io::Result<()> {
        let mut stream = col.dictionary().stream()?;
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let name = if candidates {
                match self.persons.resolve(key) {
                    Some(name) => name,
                    None => continue,
                }
            } else {
                self.spelling(key)
            };
            each(stream.term_ord(), name);
        }
        Ok(())
    }

    /// The value a term of the value column counts as: another spelling of a name counts as
    /// the spelling it stands for.
    fn spelling<'a>(&'a self, term: &'a str) -> &'a str {
        self.persons.canonical(term)
    }

    /// Whether several terms of a value column may count as one value.
    fn merges(&self) -> bool {
        !self.persons.spellings().is_empty()
    }

    /// An array of at least `len` empty slots.
    fn take_tallies(&self, len: usize) -> Vec<Tally> {
        let mut v = self
            .tallies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        if v.len() < len {
            v.resize(len, EMPTY_TALLY);
        }
        v
    }

    /// Returns an array whose slots are all empty again.
    fn give_back_tallies(&self, v: Vec<Tally>) {
        let mut pool = self
            .tallies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if pool.len() < 4 {
            pool.push(v);
        }
    }

    /// Number of value ids handed out so far.
    fn len(&self) -> usize {
        self.lock().names.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, OrdsInner> {
        // The map only ever holds complete entries: a panic elsewhere cannot corrupt it.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Counts of one facet field over a selection: by value id ([`GlobalOrds`]) and by name.
pub struct ValueCounts {
    ords: Arc<GlobalOrds>,
    /// (value id, counts), by id.
    counts: Vec<(u32, Counts)>,
    by_name: HashMap<String, Counts>,
    /// The stored facet values and this field's place in them, which name `by_stored`.
    stored: Option<(Arc<FacetDocs>, usize)>,
    /// (value id in the stored facet values, counts), by id: the segments counted from them.
    by_stored: Vec<(u32, Counts)>,
}

impl ValueCounts {
    /// Values ranked by count (then articles, then value), the first `top`. Only those are
    /// sorted and named: a broad query has thousands of values.
    pub fn top(self, top: usize) -> Vec<(String, Counts)> {
        if top == 0 {
            return Vec::new();
        }
        // Counts by name, or under both numberings (some segments counted from the stored
        // facet values, others from their columns), add up by name.
        if !self.by_name.is_empty() || (!self.counts.is_empty() && !self.by_stored.is_empty()) {
            return top_values(self.into_map(), top);
        }
        if let (Some((docs, f)), false) = (&self.stored, self.by_stored.is_empty()) {
            let n = docs.len(*f);
            return top_ids(
                &self.by_stored,
                top,
                |id| (id as usize) < n,
                |id| docs.name(*f, id),
            );
        }
        let inner = self.ords.lock();
        let names = &inner.names;
        top_ids(
            &self.counts,
            top,
            |id| (id as usize) < names.len(),
            |id| names.get(id as usize).map_or("", String::as_str),
        )
    }

    /// Every value with a count.
    pub fn into_map(self) -> HashMap<String, Counts> {
        let mut out = self.by_name;
        if let Some((docs, f)) = &self.stored {
            for &(id, c) in &self.by_stored {
                if c.paragraphs > 0 && (id as usize) < docs.len(*f) {
                    *out.entry(docs.name(*f, id).to_string()).or_default() += c;
                }
            }
        }
        let inner = self.ords.lock();
        for &(id, c) in &self.counts {
            if let (true, Some(name)) = (c.paragraphs > 0, inner.names.get(id as usize)) {
                // A resolved surname never shares an article with its full name (the full
                // name would have resolved it within the article): counts simply add up.
                *out.entry(name.clone()).or_default() += c;
            }
        }
        out
    }
}

/// Counted value ids ranked by count (then articles, then name), the first `top`; `valid`
/// says which ids stand for a value, `name` names them. Values are ranked by their counts
/// first: only the ones shown and those tied with the last place are named (a broad query
/// counts thousands of values, most of them once).
fn top_ids<'n>(
    counts: &[(u32, Counts)],
    top: usize,
    valid: impl Fn(u32) -> bool,
    name: impl Fn(u32) -> &'n str,
) -> Vec<(String, Counts)> {
    let key = |c: &Counts| std::cmp::Reverse((c.paragraphs, c.articles));
    let mut counted: Vec<(u32, Counts)> = counts
        .iter()
        .filter(|(id, c)| c.paragraphs > 0 && valid(*id))
        .copied()
        .collect();
    let mut shown: Vec<(&str, Counts)> = if counted.len() > top && top > 0 {
        counted.select_nth_unstable_by_key(top - 1, |e| key(&e.1));
        let last = key(&counted[top - 1].1);
        let (mut shown, mut tied) = (Vec::with_capacity(top), Vec::new());
        for &(id, c) in &counted {
            match key(&c).cmp(&last) {
                std::cmp::Ordering::Less => shown.push((name(id), c)),
                std::cmp::Ordering::Equal => tied.push((name(id), c)),
                std::cmp::Ordering::Greater => {}
            }
        }
        let room = top - shown.len();
        if tied.len() > room && room > 0 {
            tied.select_nth_unstable_by(room - 1, |a, b| a.0.cmp(b.0));
        }
        tied.truncate(room);
        shown.extend(tied);
        shown
    } else {
        counted.iter().map(|&(id, c)| (name(id), c)).collect()
    };
    shown.truncate(top);
    shown.sort_unstable_by(|a, b| key(&a.1).cmp(&key(&b.1)).then_with(|| a.0.cmp(b.0)));
    shown.into_iter().map(|(n, c)| (n.to_string(), c)).collect()
}

/// Values ranked by count (then articles, then value), the first `top`.
fn top_values(counts: HashMap<String, Counts>, top: usize) -> Vec<(String, Counts)> {
    let order = |a: &(String, Counts), b: &(String, Counts)| {
        b.1.paragraphs
            .cmp(&a.1.paragraphs)
            .then_with(|| b.1.articles.cmp(&a.1.articles))
            .then_with(|| a.0.cmp(&b.0))
    };
    let mut all: Vec<(String, Counts)> = counts.into_iter().collect();
    if all.len() > top {
        all.select_nth_unstable_by(top - 1, order);
        all.truncate(top);
    }
    all.sort_unstable_by(order);
    all
}

impl Collector for ValueCounter {
    type Fruit = FacetFruit;
    type Child = ValueSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ValueSegment> {
        let segment = reader.segment_id();
        if let Some(docs) = &self.stored {
            if let Some(at) = docs.segment(&segment.uuid_string(), reader.max_doc()) {
                let fields = self
                    .specs
                    .iter()
                    .map(|s| {
                        (
                            s.stored_index,
                            docs.take_tallies(s.stored_index),
                            Vec::new(),
                        )
                    })
                    .collect();
                return Ok(ValueSegment {
                    articles: None,
                    fields: Vec::new(),
                    selection: Counts::default(),
                    last_article: u64::MAX,
                    block_articles: Vec::new(),
                    block_article_opts: Vec::new(),
                    pending: Vec::new(),
                    stored: Some(StoredSegment {
                        docs: Arc::clone(docs),
                        at,
                        fields,
                    }),
                });
            }
        }
        let articles = self.columns.str(reader, &self.article)?;
        let mut fields = Vec::with_capacity(self.specs.len());
        for spec in &self.specs {
            let values = match self.columns.str(reader, &spec.field)? {
                Some(col) if spec.global => {
                    let ids = spec.ords.for_segment(segment, &col, false)?;
                    Some((col, Some(ids)))
                }
                Some(col) => Some((col, None)),
                None => None,
            };
            let base = match &values {
                Some((col, None)) => col.num_terms(),
                _ => 0,
            };
            let candidates = match &spec.candidates {
                Some(field) => match self.columns.str(reader, field)? {
                    Some(col) => {
                        let ids = spec.ords.for_segment(segment, &col, true)?;
                        Some((col, ids))
                    }
                    None => None,
                },
                None => None,
            };
            // Every id of this segment's maps is below the count taken after building them.
            fields.push(FieldSegment {
                values,
                candidates,
                base,
                counts: spec.ords.take_tallies(base + spec.ords.len()),
                touched: Vec::new(),
                pool: Arc::clone(&spec.ords),
                pairs: Vec::new(),
                seen: Vec::new(),
                bufs: BlockBufs::default(),
            });
        }
        Ok(ValueSegment {
            articles,
            fields,
            selection: Counts::default(),
            last_article: u64::MAX,
            block_articles: Vec::new(),
            block_article_opts: Vec::new(),
            pending: Vec::new(),
            stored: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut total = Counts::default();
        let n = self.specs.len();
        let mut sums: Vec<FieldCounts> = (0..n).map(|_| FieldCounts::default()).collect();
        let (mut by_id, mut by_stored): (Vec<Vec<_>>, Vec<Vec<_>>) =
            (vec![Vec::new(); n], vec![Vec::new(); n]);
        for (segment_counts, t) in fruits {
            total += t;
            for (f, counts) in segment_counts.into_iter().enumerate().take(n) {
                by_id[f].push(counts.by_id);
                by_stored[f].push(counts.by_stored);
                add_counts(&mut sums[f].by_name, counts.by_name);
            }
        }
        // The same value from several segments: one entry, counts added.
        for ((out, ids), stored) in sums.iter_mut().zip(by_id).zip(by_stored) {
            out.by_id = merge_sorted(ids);
            out.by_stored = merge_sorted(stored);
        }
        Ok((sums, total))
    }
}

/// One list of (value id, counts) pairs by id from several (one per segment, each by id with
/// an id at most once), adding up the counts of one id: merged two by two, in rounds.
fn merge_sorted(mut lists: Vec<Vec<(u32, Counts)>>) -> Vec<(u32, Counts)> {
    lists.retain(|l| !l.is_empty());
    while lists.len() > 1 {
        let mut next = Vec::with_capacity(lists.len().div_ceil(2));
        let mut it = lists.into_iter();
        while let Some(a) = it.next() {
            next.push(match it.next() {
                Some(b) => merge_two(&a, &b),
                None => a,
            });
        }
        lists = next;
    }
    lists.pop().unwrap_or_default()
}

fn merge_two(a: &[(u32, Counts)], b: &[(u32, Counts)]) -> Vec<(u32, Counts)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let mut c = a[i].1;
                c += b[j].1;
                out.push((a[i].0, c));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Documents buffered by [`ValueSegment::collect`] before they are counted as a block.
const PENDING_BLOCK: usize = 64;

impl ValueSegment {
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.collect_block(&pending);
            self.pending = pending;
            self.pending.clear();
        }
    }
}

impl SegmentCollector for ValueSegment {
    type Fruit = FacetFruit;

    /// One document of a scored pass (beside a ranking): buffered, and counted a block at a
    /// time like the documents of an unscored pass.
    fn collect(&mut self, doc: DocId, _score: Score) {
        self.pending.push(doc);
        if self.pending.len() == PENDING_BLOCK {
            self.flush();
        }
    }

    /// A block of matching documents (ascending), read column by column: one batched read
    /// per column instead of a lookup per document and value.
    fn collect_block(&mut self, docs: &[DocId]) {
        if let Some(stored) = &mut self.stored {
            stored.collect_block(docs, &mut self.selection, &mut self.last_article);
            return;
        }
        self.block_articles.clear();
        match &self.articles {
            Some(a) => {
                self.block_article_opts.clear();
                self.block_article_opts.resize(docs.len(), None);
                a.ords().first_vals(docs, &mut self.block_article_opts);
                self.block_articles.extend(
                    docs.iter()
                        .zip(&self.block_article_opts)
                        .map(|(&d, a)| a.unwrap_or(u64::from(d))),
                );
            }
            None => self
                .block_articles
                .extend(docs.iter().map(|&d| u64::from(d))),
        }
        for &article in &self.block_articles {
            self.selection.paragraphs += 1;
            if article != self.last_article {
                self.selection.articles += 1;
                self.last_article = article;
            }
        }
        for f in &mut self.fields {
            f.collect_block(docs, &self.block_articles);
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.flush();
        let counts = match self.stored {
            Some(stored) => stored.harvest(),
            None => self.fields.into_iter().map(FieldSegment::harvest).collect(),
        };
        (counts, self.selection)
    }
}

impl FieldSegment {
    /// Reads a column's ords for a block of documents: `(position in docs, ord)` in order.
    fn read_block(
        col: &StrColumn,
        docs: &[DocId],
        b: &mut BlockBufs,
        mut each: impl FnMut(u32, u64),
    ) {
        b.docs_out.clear();
        b.rows.clear();
        match &col.ords().index {
            // tantivy maps multi-valued documents to rows one document at a time; batched:
            // which documents have values and their ranks (one pass over the block), then
            // the rows where their values start and end (one read of the start column).
            ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(idx)) => {
                b.with.clear();
                b.ranks.clear();
                idx.optional_index
                    .rank_if_exists_batch(docs, &mut b.with, &mut b.ranks);
                b.at.clear();
                b.at.extend(b.ranks.iter().flat_map(|&r| [r, r + 1]));
                b.bounds.clear();
                b.bounds.resize(b.at.len(), 0);
                idx.start_index_column.get_vals(&b.at, &mut b.bounds);
                for (&doc, range) in b.with.iter().zip(b.bounds.chunks_exact(2)) {
                    for row in range[0]..range[1] {
                        b.docs_out.push(doc);
                        b.rows.push(row);
                    }
                }
            }
            _ => col
                .ords()
                .row_ids_for_docs(docs, &mut b.docs_out, &mut b.rows),
        }
        b.ords.clear();
        b.ords.resize(b.rows.len(), 0);
        col.ords().values.get_vals(&b.rows, &mut b.ords);
        let mut i = 0usize;
        for (&doc, &ord) in b.docs_out.iter().zip(b.ords.iter()) {
            while docs[i] != doc {
                i += 1;
            }
            each(i as u32, ord);
        }
    }

    /// Counts a block of documents (ascending).
    fn collect_block(&mut self, docs: &[DocId], articles: &[u64]) {
        self.pairs.clear();
        let pairs = &mut self.pairs;
        if let Some((col, ids)) = &self.values {
            Self::read_block(col, docs, &mut self.bufs, |i, ord| match ids {
                Some(ids) => {
                    if let Some(&id) = ids.get(ord as usize) {
                        pairs.push((i, id as usize));
                    }
                }
                None => pairs.push((i, ord as usize)),
            });
        }
        let values_end = pairs.len();
        if let Some((col, ids)) = &self.candidates {
            // A resolved surname counts once per paragraph, also beside its full name.
            let base = self.base;
            Self::read_block(col, docs, &mut self.bufs, |i, ord| {
                let id = ids.get(ord as usize).copied().unwrap_or(UNRESOLVED);
                if id != UNRESOLVED {
                    pairs.push((i, base + id as usize));
                }
            });
        }
        if !(self.candidates.is_some() || self.pool.merges()) {
            for &(i, slot) in pairs.iter() {
                Self::add(
                    &mut self.counts,
                    &mut self.touched,
                    slot,
                    articles[i as usize],
                );
            }
            return;
        }
        // A value counts once per paragraph: two of its terms (spellings) or a term and a
        // candidate may give the same slot. Both runs of pairs are in document order: walk
        // them together, one document at a time.
        let (vals, cands) = pairs.split_at(values_end);
        let (mut x, mut y) = (0, 0);
        let seen = &mut self.seen;
        while x < vals.len() || y < cands.len() {
            // the next document either run has
            let next = |run: &[(u32, usize)], at: usize| run.get(at).map_or(u32::MAX, |p| p.0);
            let i = next(vals, x).min(next(cands, y));
            seen.clear();
            for (run, at) in [(vals, &mut x), (cands, &mut y)] {
                while let Some(&(j, slot)) = run.get(*at) {
                    if j != i {
                        break;
                    }
                    *at += 1;
                    if !seen.contains(&slot) {
                        seen.push(slot);
                        Self::add(
                            &mut self.counts,
                            &mut self.touched,
                            slot,
                            articles[i as usize],
                        );
                    }
                }
            }
        }
    }

    /// Counts one paragraph of `article` in a slot.
    fn add(counts: &mut [Tally], touched: &mut Vec<u32>, slot: usize, article: u64) {
        if let Some(c) = counts.get_mut(slot) {
            if c.0 == 0 {
                touched.push(slot as u32);
            }
            c.0 += 1;
            if c.2 != article {
                c.1 += 1;
                c.2 = article;
            }
        }
    }

    fn harvest(mut self) -> FieldCounts {
        let tally = |&(paragraphs, articles, _): &Tally| Counts {
            paragraphs,
            articles,
        };
        // Only the counted slots are read (a query with few matches touches a few of the
        // tens of thousands of values), in slot order.
        self.touched.sort_unstable();
        let base = self.base as u32;
        let split = self.touched.partition_point(|&t| t < base);
        let mut by_name = HashMap::default();
        if let Some((col, None)) = &self.values {
            // One pass over the dictionary for all counted ords: random `ord_to_str` calls
            // would decompress a dictionary block each.
            let ords: Vec<u64> = self.touched[..split]
                .iter()
                .map(|&o| u64::from(o))
                .collect();
            let mut i = 0;
            let pool = &self.pool;
            let _ = col.dictionary().sorted_ords_to_term_cb(&ords, |term| {
                // Spellings of one name add up: the tagger writes one spelling per article.
                let term = String::from_utf8_lossy(term);
                *by_name
                    .entry(pool.spelling(&term).to_string())
                    .or_insert_with(Counts::default) += tally(&self.counts[ords[i] as usize]);
                i += 1;
            });
        }
        let by_id = self.touched[split..]
            .iter()
            .map(|&slot| (slot - base, tally(&self.counts[slot as usize])))
            .collect();
        for &slot in &self.touched {
            self.counts[slot as usize] = EMPTY_TALLY;
        }
        self.pool
            .give_back_tallies(std::mem::take(&mut self.counts));
        FieldCounts {
            by_id,
            by_name,
            by_stored: Vec::new(),
        }
    }
}

/// Calendar periods of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Days (`2024-11-15`).
    Day,
    /// ISO weeks, Monday to Sunday (`2024-W46`).
    Week,
    /// Months (`2024-11`).
    Month,
    /// Years (`2024`).
    Year,
}

/// One period of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bucket {
    /// The period's label.
    pub period: String,
    /// Counts in that period.
    #[serde(flatten)]
    pub counts: Counts,
}

/// Matching paragraphs and articles per period.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Timeline {
    /// Period size.
    pub by: Period,
    /// Periods from the first to the last with matches, empty ones included (at most
    /// [`MAX_BUCKETS`]; beyond that only periods with matches).
    pub buckets: Vec<Bucket>,
    /// Matching paragraphs without a publication date.
    pub undated: Counts,
    /// All matching paragraphs.
    pub total: Counts,
}

/// Most periods a timeline fills in.
pub const MAX_BUCKETS: usize = 2_000;

/// Counts matching paragraphs and articles per period of publication.
pub fn timeline(
    index: &NewsIndex,
    query_text: &str,
    filters: Vec<Filter>,
    by: Period,
) -> Result<Timeline> {
    let parsed = query::parse(query_text)?.and_filters(filters);
    let compiled = crate::search::compile(&parsed, index)?;
    let schema = index.index.schema();
    let collector = DayCounter {
        published: schema.get_field_name(index.fields.published).to_string(),
        article: schema.get_field_name(index.fields.article_id).to_string(),
        columns: Arc::clone(&index.columns),
    };
    let (days, undated) = index
        .reader
        .searcher()
        .search(compiled.query.as_ref(), &collector)
        .context("timeline counting failed")?;
    // Days → periods. Article counts per period: an article has one date, so its paragraphs
    // fall in one day; distinct articles add up.
    let mut periods: std::collections::BTreeMap<i64, Counts> = std::collections::BTreeMap::new();
    for (day, c) in &days {
        let key = period_start(*day, by);
        *periods.entry(key).or_default() += *c;
    }
    let mut buckets = Vec::new();
    if let (Some(&first), Some(&last)) = (periods.keys().next(), periods.keys().next_back()) {
        let mut key = first;
        let mut filled = 0;
        while key <= last && filled < MAX_BUCKETS {
            buckets.push(Bucket {
                period: label(key, by),
                counts: periods.get(&key).copied().unwrap_or_default(),
            });
            key = next_period(key, by);
            filled += 1;
        }
        if key <= last {
            // Too many periods to fill in: keep only those with matches.
            buckets = periods
                .iter()
                .map(|(k, c)| Bucket {
                    period: label(*k, by),
                    counts: *c,
                })
                .collect();
        }
    }
    let mut total = undated;
    for c in days.values() {
        total += *c;
    }
    Ok(Timeline {
        by,
        buckets,
        undated,
        total,
    })
}

/// Days since 1970-01-01 of a date-time (UTC).
fn day_number(t: OffsetDateTime) -> i64 {
    t.unix_timestamp().div_euclid(86_400)
}

fn date_of_day(day: i64) -> time::Date {
    (OffsetDateTime::UNIX_EPOCH + Duration::days(day)).date()
}

fn period_start(day: i64, by: Period) -> i64 {
    let d = date_of_day(day);
    match by {
        Period::Day => day,
        Period::Week => day - i64::from(d.weekday().number_days_from_monday()),
        Period::Month => day - i64::from(d.day()) + 1,
        Period::Year => day - i64::from(d.ordinal()) + 1,
    }
}

fn next_period(start: i64, by: Period) -> i64 {
    let d = date_of_day(start);
    match by {
        Period::Day => start + 1,
        Period::Week => start + 7,
        Period::Month => start + i64::from(d.month().length(d.year())),
        Period::Year => {
            start
                + if time::util::is_leap_year(d.year()) {
                    366
                } else {
                    365
                }
        }
    }
}

fn label(start: i64, by: Period) -> String {
    let d = date_of_day(start);
    match by {
        Period::Day => d.to_string(),
        Period::Week => {
            let (y, w, _) = d.to_iso_week_date();
            format!("{y}-W{w:02}")
        }
        Period::Month => format!("{}-{:02}", d.year(), u8::from(d.month())),
        Period::Year => d.year().to_string(),
    }
}

/// Counts matching documents per publication day.
struct DayCounter {
    published: String,
    article: String,
    columns: Arc<crate::search::SegmentColumns>,
}

struct DaySegment {
    published: Option<Column<DateTime>>,
    articles: Option<StrColumn>,
    days: HashMap<i64, Counts>,
    undated: Counts,
    last_article: u64,
}

impl Collector for DayCounter {
    type Fruit = (HashMap<i64, Counts>, Counts);
    type Child = DaySegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DaySegment> {
        let published = self.columns.date(reader, &self.published);
        let articles = self.columns.str(reader, &self.article)?;
        Ok(DaySegment {
            published,
            articles,
            days: HashMap::default(),
            undated: Counts::default(),
            last_article: u64::MAX,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(merge_counts(fruits))
    }
}

impl SegmentCollector for DaySegment {
    type Fruit = (HashMap<i64, Counts>, Counts);

    fn collect(&mut self, doc: DocId, _score: Score) {
        let article = self
            .articles
            .as_ref()
            .and_then(|a| a.ords().first(doc))
            .unwrap_or(u64::from(doc));
        let new_article = article != self.last_article;
        self.last_article = article;
        let day = self
            .published
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| day_number(d.into_utc()));
        let c = match day {
            Some(day) => self.days.entry(day).or_default(),
            None => &mut self.undated,
        };
        c.paragraphs += 1;
        if new_article {
            c.articles += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.days, self.undated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first count of an open index names values from each segment's dictionary, later
    /// ones count by the shared numbers: both must give the same values and counts.
    #[test]
    fn counts_by_segment_ord_and_by_shared_number_agree() {
        // An update writes a second segment, whose dictionaries differ from the first's.
        let (_dir, store) = crate::indexer::fixtures::sample_and_seed();
        // The columns are counted when the stored facet values are not there.
        let generation = store.open().unwrap().path;
        std::fs::remove_file(generation.join(facet_docs::FACET_DOCS)).unwrap();
        for q in ["", "de", "president", "country:US OR country:NL"] {
            let index = store.open().unwrap();
            assert!(index.reader.searcher().segment_readers().len() >= 2);
            let parsed = query::parse(q).unwrap();
            let compiled = crate::search::compile(&parsed, &index).unwrap();
            let fields = [FacetField::Person, FacetField::Country];
            let first = count_many(&index, compiled.query.as_ref(), &fields).unwrap();
            let second = count_many(&index, compiled.query.as_ref(), &fields).unwrap();
            assert!(
                !first.0[1].by_name.is_empty(),
                "{q}: not counted by segment ord"
            );
            assert!(second.0.iter().all(|c| c.by_name.is_empty()));
            assert_eq!(first.1, second.1, "{q}");
            let tops = |v: (Vec<ValueCounts>, Counts)| {
                v.0.into_iter().map(|c| c.top(1000)).collect::<Vec<_>>()
            };
            let (a, b) = (tops(first), tops(second));
            assert!(!a[1].is_empty(), "{q}: no countries counted");
            assert_eq!(a, b, "{q}");
        }
    }

    #[test]
    fn stored_candidate_resolution_gives_the_same_counts_as_reading_the_dictionaries() {
        let (_dir, store) = crate::indexer::fixtures::sample_and_seed();
        let counts = |index: &NewsIndex| {
            ["", "de", "president"]
                .iter()
                .map(|q| {
                    let compiled =
                        crate::search::compile(&query::parse(q).unwrap(), index).unwrap();
                    let (c, sel) =
                        count_many(index, compiled.query.as_ref(), &[FacetField::Person]).unwrap();
                    (c.into_iter().map(|c| c.top(1000)).collect::<Vec<_>>(), sel)
                })
                .collect::<Vec<_>>()
        };
        let index = store.open().unwrap();
        // The columns are counted when the stored facet values are not there.
        std::fs::remove_file(index.path.join(facet_docs::FACET_DOCS)).unwrap();
        let index = store.open().unwrap();
        assert!(
            !index.persons.aliases().is_empty(),
            "the sample resolves no surname"
        );
        let readers = index.reader.searcher().segment_readers().to_vec();
        assert!(readers.len() >= 2);
        for r in &readers {
            let (pairs, _) = index
                .person_ords
                .stored_candidates(r.segment_id())
                .expect("every segment's candidates are stored");
            assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0));
        }
        let stored = counts(&index);
        assert!(stored.iter().any(|(c, _)| !c[0].is_empty()));
        std::fs::remove_file(index.path.join(CANDIDATE_ORDS)).unwrap();
        let read = counts(&store.open().unwrap());
        assert_eq!(stored, read);
    }

    #[test]
    fn stored_facet_values_give_the_same_counts_as_the_columns() {
        // Two segments; persons with resolved surnames and merged spellings.
        let (_dir, store) = crate::indexer::fixtures::sample_and_seed();
        let queries = [
            "",
            "de",
            "president",
            "country:US OR country:NL",
            "Kim OR Trump",
        ];
        let fields = [FacetField::Person, FacetField::Country];
        let counts = |index: &NewsIndex| {
            queries
                .iter()
                .map(|q| {
                    let compiled =
                        crate::search::compile(&query::parse(q).unwrap(), index).unwrap();
                    let (c, sel) = count_many(index, compiled.query.as_ref(), &fields).unwrap();
                    (c.into_iter().map(|c| c.top(1000)).collect::<Vec<_>>(), sel)
                })
                .collect::<Vec<_>>()
        };
        let index = store.open().unwrap();
        let docs = stored_docs(&index).expect("a build stores the facet values");
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() >= 2);
        for r in searcher.segment_readers() {
            assert!(docs
                .segment(&r.segment_id().uuid_string(), r.max_doc())
                .is_some());
        }
        let stored = counts(&index);
        assert!(stored.iter().all(|(c, _)| !c[1].is_empty()));
        assert!(stored.iter().any(|(c, _)| !c[0].is_empty()));
        // from the columns: the first count of an open index by segment ord, then by number
        std::fs::remove_file(index.path.join(facet_docs::FACET_DOCS)).unwrap();
        let index = store.open().unwrap();
        assert!(stored_docs(&index).is_none());
        assert_eq!(counts(&index), stored);
        assert_eq!(counts(&index), stored);
    }

    #[test]
    fn candidate_file_is_ignored_when_stale_or_damaged() {
        let mut segments = HashMap::default();
        segments.insert("0".repeat(32), vec![(3, 0), (9, 1)]);
        let c = CandidateOrds {
            names: vec!["Joe Biden".into(), "Mark Rutte".into()],
            segments,
        };
        let bytes = c.encode(42);
        let back = CandidateOrds::decode(&bytes, 42).unwrap();
        assert_eq!(back.names, c.names);
        assert_eq!(back.segments, c.segments);
        assert!(
            CandidateOrds::decode(&bytes, 43).is_none(),
            "another person map"
        );
        assert!(CandidateOrds::decode(&bytes[..bytes.len() - 1], 42).is_none());
        assert!(CandidateOrds::decode(b"NXCORD1\n", 42).is_none());
        assert!(CandidateOrds::decode(b"", 42).is_none());
    }

    fn day(s: &str) -> i64 {
        day_number(crate::corpus::parse_datetime(s).unwrap())
    }

    #[test]
    fn periods() {
        let d = day("2024-11-15");
        assert_eq!(
            label(period_start(d, Period::Day), Period::Day),
            "2024-11-15"
        );
        assert_eq!(
            label(period_start(d, Period::Week), Period::Week),
            "2024-W46"
        );
        assert_eq!(
            label(period_start(d, Period::Week), Period::Day),
            "2024-11-11"
        );
        assert_eq!(
            label(period_start(d, Period::Month), Period::Month),
            "2024-11"
        );
        assert_eq!(label(period_start(d, Period::Year), Period::Year), "2024");
        assert_eq!(
            label(
                next_period(period_start(d, Period::Month), Period::Month),
                Period::Month
            ),
            "2024-12"
        );
        assert_eq!(
            label(next_period(day("2024-12-01"), Period::Month), Period::Day),
            "2025-01-01"
        );
        assert_eq!(
            label(next_period(day("2024-01-01"), Period::Year), Period::Year),
            "2025"
        );
    }

    #[test]
    fn per_segment_counts_merge_into_one_list_by_id() {
        let c = |p: u64| Counts {
            paragraphs: p,
            articles: 1,
        };
        // lists as segments give them: each by id, an id at most once
        let mut seed = 7u64;
        let mut lists: Vec<Vec<(u32, Counts)>> = Vec::new();
        for n in [0usize, 1, 5, 40, 3, 0, 17] {
            let mut ids: Vec<u32> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    (seed >> 40) as u32 % 60
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            lists.push(
                ids.into_iter()
                    .map(|id| (id, c(u64::from(id) + 1)))
                    .collect(),
            );
        }
        let mut expected: std::collections::BTreeMap<u32, Counts> = Default::default();
        for &(id, n) in lists.iter().flatten() {
            *expected.entry(id).or_default() += n;
        }
        let merged = merge_sorted(lists);
        assert_eq!(merged, expected.into_iter().collect::<Vec<_>>());
        assert!(merge_sorted(Vec::new()).is_empty());
    }

    #[test]
    fn the_top_values_are_those_of_a_full_ranking() {
        // Many ties (most values are counted once), some ids without a value.
        let names: Vec<String> = (0..300)
            .map(|i| format!("v{:03}", (i * 7919) % 1000))
            .collect();
        let mut seed = 11u64;
        let counts: Vec<(u32, Counts)> = (0..320u32)
            .map(|id| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                let p = [0u64, 1, 1, 1, 1, 2, 2, 3, 5, 9][(seed >> 60) as usize % 10];
                let a = p.min(1 + (seed >> 50) % 2);
                (
                    id,
                    Counts {
                        paragraphs: p,
                        articles: a,
                    },
                )
            })
            .collect();
        let valid = |id: u32| (id as usize) < names.len();
        let name = |id: u32| names.get(id as usize).map_or("", String::as_str);
        let mut full: Vec<(String, Counts)> = counts
            .iter()
            .filter(|(id, c)| c.paragraphs > 0 && valid(*id))
            .map(|&(id, c)| (name(id).to_string(), c))
            .collect();
        full.sort_by(|a, b| {
            b.1.paragraphs
                .cmp(&a.1.paragraphs)
                .then(b.1.articles.cmp(&a.1.articles))
                .then(a.0.cmp(&b.0))
        });
        for top in [0, 1, 2, 5, 10, 37, 100, 250, 1000] {
            let want: Vec<_> = full.iter().take(top).cloned().collect();
            assert_eq!(top_ids(&counts, top, valid, name), want, "top {top}");
        }
    }

    #[test]
    fn own_filters_are_dropped_for_multi_select() {
        let q = Query::And(vec![
            Query::Word {
                text: "x".into(),
                kind: query::WordKind::Exact,
                scope: query::Scope::All,
            },
            Query::Filter(Filter::Country("KP".into())),
            Query::Filter(Filter::Person("joe biden".into())),
        ]);
        let Query::And(parts) = without_own_filters(&q, FacetField::Country) else {
            panic!("and")
        };
        assert_eq!(parts.len(), 2);
        assert!(!parts
            .iter()
            .any(|p| matches!(p, Query::Filter(Filter::Country(_)))));
        assert_eq!(
            without_own_filters(
                &Query::Filter(Filter::Person("a".into())),
                FacetField::Person
            ),
            Query::All
        );
    }
}
