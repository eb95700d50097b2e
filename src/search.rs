//! search stage: runs a compiled query and returns hits with their stored fields, the total
//! count, and facet counts. No printing.

use std::ops::Bound;

use std::sync::Arc;

use tantivy::collector::sort_key::{NaturalComparator, SortBySimilarityScore};
use tantivy::collector::{Count, TopDocs};
use tantivy::collector::{SegmentSortKeyComputer, SortKeyComputer};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::query::{BooleanQuery, Occur, RangeQuery, TermQuery};
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize,
    ValueDeserializer, ValueVisitor,
};
use tantivy::schema::IndexRecordOption;
use tantivy::Order;
use tantivy::{DocAddress, DocId, Score, Term};

use crate::document::ParagraphDoc;
use crate::entity::Tags;
use crate::facets::{self, FacetValue};

use crate::error::{Error, Result, TantivyContext};
use crate::lang::Lang;
use crate::query::{self, Compiled, Filter, Query};
use crate::store::{NewsIndex, SegmentCache};

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
    /// Order of hits.
    pub sort: Sort,
    /// One hit per paragraph, or the best paragraph per article.
    pub group: Group,
    /// Neighbouring paragraphs to show before and after each hit.
    pub context: usize,
    /// Language of country names in facets.
    pub ui_lang: Lang,
}

/// Order of hits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sort {
    /// BM25 relevance.
    Relevance,
    /// Newest first (undated last), ties by relevance.
    Date,
    /// Oldest first (undated last), ties by relevance.
    Oldest,
    /// Relevance multiplied by a recency factor that halves every `half_life_days` before the
    /// newest article in the index (never below 0.3 of the relevance).
    Recency {
        /// Half-life in days.
        half_life_days: f64,
    },
}

/// What one hit stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Every matching paragraph is a hit.
    Paragraph,
    /// The best paragraph of each matching article is a hit; the others are counted.
    Article,
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
            sort: Sort::Relevance,
            group: Group::Paragraph,
            context: 0,
            ui_lang: Lang::Nl,
        }
    }
}

/// One ranked hit.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank (after offset).
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// The paragraph.
    pub paragraph: ParagraphDoc,
    /// With article grouping: other matching paragraphs of the same article.
    pub more: Option<u64>,
    /// With `--context`: neighbouring paragraphs before the hit, in order.
    pub before: Vec<ParagraphDoc>,
    /// With `--context`: neighbouring paragraphs after the hit, in order.
    pub after: Vec<ParagraphDoc>,
}

/// Facet counts over all matching paragraphs (each facet ignores its own filters).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
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
    /// Matching articles in all (with article grouping).
    pub articles: Option<u64>,
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
    let compiled = compile(&parsed, index)?;
    let searcher = index.reader.searcher();
    if opts.limit == 0 {
        return count_only(index, &searcher, opts, parsed, compiled);
    }
    let window = opts.limit + opts.offset;
    // With facets, the pass that counts them also counts the matches (and their articles),
    // and runs beside the first ranking pass; so does the count of matching articles that
    // article grouping reports.
    let plan = opts
        .facets
        .then(|| facets::plan_for_search(index, &parsed, opts.facet_top));
    let mut counter = match &plan {
        Some(p) => p.collector(index),
        None if opts.group == Group::Article => Some(facets::ValueCounter::new(index, &[])),
        None => None,
    };
    let mut harvested = None;
    // Without facets the matches are counted by the first ranking pass.
    let mut total = None;

    // Fetch a little more than the page so that ties at its edge are ordered by paragraph id,
    // not by where documents happen to sit in segments; with article grouping, fetch until
    // enough distinct articles are found.
    let mut fetch = if opts.group == Group::Article {
        window * 4 + 16
    } else {
        window + 16
    };
    let mut first = true;
    let ranked = loop {
        // With article grouping every fetched paragraph may be used: all must be in order.
        let keep = if opts.group == Group::Article {
            fetch
        } else {
            window
        };
        let (ranked, counted, fruit) = top(
            index,
            &searcher,
            compiled.query.as_ref(),
            Pass {
                n: fetch,
                keep,
                sort: opts.sort,
                // A facet or selection counter counts the matches itself.
                count: first && counter.is_none() && plan.is_none(),
                alike: parsed.scores_alike(),
            },
            counter.take(),
        )?;
        first = false;
        total = total.or(counted);
        harvested = harvested.or(fruit);
        let enough = match opts.group {
            Group::Paragraph => true,
            Group::Article => distinct_articles(&ranked) >= window,
        };
        if enough || ranked.len() < fetch || fetch >= MAX_WINDOW * 4 {
            break ranked;
        }
        fetch = (fetch * 4).min(MAX_WINDOW * 4);
    };
    let (facets, selection) = match plan {
        Some(plan) => {
            let (persons, countries, selection) =
                plan.finish(index, &parsed, harvested.take(), opts.ui_lang)?;
            (Some(Facets { persons, countries }), Some(selection))
        }
        None => (None, None),
    };
    let selection = selection.or(harvested.map(|(_, s)| s));
    let total = selection
        .map(|s| usize::try_from(s.paragraphs).unwrap_or(usize::MAX))
        .or(total);
    let total = total.unwrap_or(0);
    let mut page: Vec<(Score, ParagraphDoc)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (score, p) in ranked {
        if opts.group == Group::Article && !seen.insert(p.article_id.clone()) {
            continue;
        }
        page.push((score, p));
    }
    let mut hits: Vec<Hit> = page
        .into_iter()
        .skip(opts.offset)
        .take(opts.limit)
        .enumerate()
        .map(|(i, (score, paragraph))| Hit {
            rank: opts.offset + i + 1,
            score,
            paragraph,
            more: None,
            before: Vec::new(),
            after: Vec::new(),
        })
        .collect();
    let mut articles = None;
    if opts.group == Group::Article {
        let selection = match selection {
            Some(s) => s,
            None => facets::count_many(index, compiled.query.as_ref(), &[])?.1,
        };
        articles = Some(selection.articles);
        for hit in &mut hits {
            let q = BooleanQuery::new(vec![
                (Occur::Must, compiled.query.box_clone()),
                (
                    Occur::Must,
                    term_query(index.fields.article_id, &hit.paragraph.article_id),
                ),
            ]);
            let n = searcher.search(&q, &Count).context("search failed")? as u64;
            hit.more = Some(n.saturating_sub(1));
        }
    }
    if opts.context > 0 {
        for hit in &mut hits {
            let (before, after) = neighbours(index, &searcher, &hit.paragraph, opts.context)?;
            hit.before = before;
            hit.after = after;
        }
    }
    Ok(SearchResults {
        total,
        articles,
        hits,
        facets,
        compiled,
        parsed,
    })
}

/// `--limit 0`: the number of matches, the facets and (with article grouping) the number of
/// articles, without a ranking: nothing is scored and no document is loaded.
fn count_only(
    index: &NewsIndex,
    searcher: &tantivy::Searcher,
    opts: &SearchOptions,
    parsed: Query,
    compiled: Compiled,
) -> Result<SearchResults> {
    let (facets, selection) = if opts.facets {
        let plan = facets::plan_for_search(index, &parsed, opts.facet_top);
        let harvested = match plan.collector(index) {
            Some(counter) => Some(
                searcher
                    .search(compiled.query.as_ref(), &counter)
                    .context("search failed")?,
            ),
            None => None,
        };
        let (persons, countries, selection) =
            plan.finish(index, &parsed, harvested, opts.ui_lang)?;
        (Some(Facets { persons, countries }), Some(selection))
    } else if opts.group == Group::Article {
        let (_, selection) = facets::count_many(index, compiled.query.as_ref(), &[])?;
        (None, Some(selection))
    } else {
        (None, None)
    };
    let total = match selection {
        Some(s) => usize::try_from(s.paragraphs).unwrap_or(usize::MAX),
        None => searcher
            .search(compiled.query.as_ref(), &Count)
            .context("search failed")?,
    };
    Ok(SearchResults {
        total,
        articles: selection
            .filter(|_| opts.group == Group::Article)
            .map(|s| s.articles),
        hits: Vec::new(),
        facets,
        compiled,
        parsed,
    })
}

/// Compiles a parsed query against an open index (its fields, corpus-wide person map and
/// article starts); a query that cannot be compiled is an invalid `QUERY`.
pub(crate) fn compile(parsed: &Query, index: &NewsIndex) -> Result<Compiled> {
    query::compile_with(parsed, &index.fields, &index.persons, &index.article_starts).map_err(|m| {
        Error::InvalidOption {
            option: "QUERY",
            message: m,
        }
    })
}

fn term_query(field: tantivy::schema::Field, value: &str) -> Box<dyn tantivy::query::Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn distinct_articles(ranked: &[(Score, ParagraphDoc)]) -> usize {
    ranked
        .iter()
        .map(|(_, p)| p.article_id.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// Ranked paragraphs with their scores.
type Ranked = Vec<(Score, ParagraphDoc)>;

/// Ranked addresses: (sort key, score, corpus order, address).
type Keyed = Vec<(f64, Score, u64, DocAddress)>;

/// One ranking pass: the top `n` in the requested order, of which the caller uses `keep`;
/// with `count`, the pass also counts all matches. `alike`: every match scores the same
/// ([`Query::scores_alike`]).
struct Pass {
    n: usize,
    keep: usize,
    sort: Sort,
    count: bool,
    alike: bool,
}

/// The facet collector that runs beside a ranking pass, and what it harvests.
type Extra = Option<facets::ValueCounter>;
type ExtraFruit = Option<facets::FacetFruit>;

/// The top `n` paragraphs in the requested order; ties are broken by corpus order (the `seq`
/// fast field), inside the collector, so the result never depends on how documents happen to
/// be spread over segments. Matches that all score the same rank by corpus order
/// ([`by_corpus_order`]); otherwise [`by_relevance`] or [`by_date`]. `extra` (facet counts)
/// runs over the matches in the same pass.
fn top(
    index: &NewsIndex,
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    pass: Pass,
    extra: Extra,
) -> Result<(Ranked, Option<usize>, ExtraFruit)> {
    let schema = index.index.schema();
    let published = schema.get_field_name(index.fields.published);
    let seq = &index.columns;
    let (mut keyed, total, fruit) = match pass.sort {
        Sort::Relevance if pass.alike => by_corpus_order(searcher, query, &pass, seq, extra)?,
        Sort::Relevance => by_relevance(searcher, query, &pass, seq, extra)?,
        Sort::Date | Sort::Oldest | Sort::Recency { .. } => {
            by_date(searcher, query, &pass, published, seq, extra)?
        }
    };
    // The key (relevance, date or boosted relevance), then relevance (equal dates), then
    // corpus order.
    keyed.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.total_cmp(&a.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    // The extra documents fetched beyond `keep` only decide the order at the page's edge: their
    // stored fields are never shown, so they are not loaded (each load decompresses a doc-store
    // block).
    keyed.truncate(pass.keep.min(pass.n));
    let mut out = Vec::with_capacity(keyed.len());
    for (_, score, _, addr) in keyed {
        out.push((score, load(searcher, addr, index)?));
    }
    Ok((out, total, fruit))
}

/// Matches that all score the same: the first `n` in corpus order, read in blocks; the
/// score they share is taken from the first.
fn by_corpus_order(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    pass: &Pass,
    seq: &Arc<SegmentColumns>,
    extra: Extra,
) -> Result<(Keyed, Option<usize>, ExtraFruit)> {
    let collector = LowestSeq {
        n: pass.n,
        seq: Arc::clone(seq),
    };
    let ((lowest, matches), fruit) = searcher
        .search(query, &(collector, extra))
        .context("search failed")?;
    let score = match lowest.first() {
        Some(&(_, a)) => score_of(searcher, query, a)?,
        None => 0.0,
    };
    let keyed = lowest
        .into_iter()
        .map(|(seq, a)| (f64::from(score), score, seq, a))
        .collect();
    Ok((keyed, pass.count.then_some(matches), fruit))
}

/// By score, ties by corpus order, in one collector: the corpus-order column is read only for
/// documents whose score reaches the current top-n threshold (tantivy evaluates a tuple sort
/// key lazily), so ties cost a few column reads, not a second pass. Without `count` or
/// `extra`, tantivy's pruned top-k runs first, and the exact pass only when scores tie across
/// `keep`.
fn by_relevance(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    pass: &Pass,
    seq: &Arc<SegmentColumns>,
    extra: Extra,
) -> Result<(Keyed, Option<usize>, ExtraFruit)> {
    let (n, keep) = (pass.n, pass.keep);
    let by_score_then_seq = || {
        TopDocs::with_limit(n).order_by((
            SortBySimilarityScore,
            (CorpusOrder(Arc::clone(seq)), Order::Asc),
        ))
    };
    let exact = |ranked: Vec<((Score, Option<u64>), DocAddress)>| {
        ranked
            .into_iter()
            .map(|((s, seq), a)| (f64::from(s), s, seq.unwrap_or(u64::MAX), a))
            .collect::<Keyed>()
    };
    if pass.count || extra.is_some() {
        // Counting visits every match anyway (no block-max pruning): rank in the same pass.
        let (ranked, matches, fruit) = searcher
            .search(query, &(by_score_then_seq(), Count, extra))
            .context("search failed")?;
        return Ok((exact(ranked), pass.count.then_some(matches), fruit));
    }
    let fast = searcher
        .search(query, &TopDocs::with_limit(n).order_by_score())
        .context("search failed")?;
    let straddles = fast.len() == n && keep > 0 && keep <= n && fast[keep - 1].0 == fast[n - 1].0;
    if straddles {
        let ranked = searcher
            .search(query, &by_score_then_seq())
            .context("search failed")?;
        return Ok((exact(ranked), None, None));
    }
    // The page's order is decided by scores alone; corpus order only sorts equal scores
    // within it.
    let keyed = fast
        .into_iter()
        .map(|(s, a)| {
            let order = seq
                .seq(searcher.segment_reader(a.segment_ord))
                .and_then(|c| c.first(a.doc_id))
                .unwrap_or(u64::MAX);
            (f64::from(s), s, order, a)
        })
        .collect();
    Ok((keyed, None, None))
}

/// The score of one matching document.
fn score_of(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    addr: DocAddress,
) -> Result<Score> {
    let weight = query
        .weight(tantivy::query::EnableScoring::enabled_from_searcher(
            searcher,
        ))
        .context("search failed")?;
    let mut scorer = weight
        .scorer(searcher.segment_reader(addr.segment_ord), 1.0)
        .context("search failed")?;
    Ok(if scorer.seek(addr.doc_id) == addr.doc_id {
        scorer.score()
    } else {
        0.0
    })
}

/// The `n` matches earliest in corpus order (the `seq` column), and the number of matches:
/// for queries whose matches all score the same. Reads the column a block of matches at a
/// time and scores nothing (ranking a million equal scores by corpus order through a top-k
/// collector read the column one document at a time: 45 % of a CLI `'' --facets` call).
struct LowestSeq {
    n: usize,
    seq: Arc<SegmentColumns>,
}

struct LowestSeqSegment {
    n: usize,
    ord: u32,
    seqs: Option<tantivy::columnar::Column<u64>>,
    /// Max-heap of the lowest (seq, doc) so far.
    heap: std::collections::BinaryHeap<(u64, DocId)>,
    buf: Vec<Option<u64>>,
    count: usize,
}

impl tantivy::collector::Collector for LowestSeq {
    type Fruit = (Vec<(u64, DocAddress)>, usize);
    type Child = LowestSeqSegment;

    fn for_segment(&self, ord: u32, reader: &SegmentReader) -> tantivy::Result<LowestSeqSegment> {
        Ok(LowestSeqSegment {
            n: self.n,
            ord,
            seqs: self.seq.seq(reader),
            heap: std::collections::BinaryHeap::with_capacity(self.n + 1),
            buf: Vec::new(),
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let total = fruits.iter().map(|f| f.1).sum();
        let mut all: Vec<(u64, DocAddress)> = fruits.into_iter().flat_map(|f| f.0).collect();
        all.sort_unstable();
        all.truncate(self.n);
        Ok((all, total))
    }
}

impl LowestSeqSegment {
    fn offer(&mut self, seq: u64, doc: DocId) {
        if self.heap.len() < self.n {
            self.heap.push((seq, doc));
        } else if self.heap.peek().is_some_and(|&top| (seq, doc) < top) {
            self.heap.pop();
            self.heap.push((seq, doc));
        }
    }
}

impl tantivy::collector::SegmentCollector for LowestSeqSegment {
    type Fruit = (Vec<(u64, DocAddress)>, usize);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.count += 1;
        let seq = self
            .seqs
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(u64::MAX);
        self.offer(seq, doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.count += docs.len();
        if self.n == 0 {
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        buf.resize(docs.len(), None);
        if let Some(c) = &self.seqs {
            c.first_vals(docs, &mut buf);
        }
        for (&doc, seq) in docs.iter().zip(&buf) {
            self.offer(seq.unwrap_or(u64::MAX), doc);
        }
        self.buf = buf;
    }

    fn harvest(self) -> Self::Fruit {
        let ord = self.ord;
        let docs = self
            .heap
            .into_iter()
            .map(|(seq, doc)| (seq, DocAddress::new(ord, doc)))
            .collect();
        (docs, self.count)
    }
}

/// Fast-field columns of each segment, opened once per open index: the corpus-order (`seq`)
/// column that every ranking reads, and the keyword columns that facet counting reads. Opening a
/// column parses its header (for the blockwise-linear codec tantivy picks for the ever-growing
/// `seq`, every block's parameters; for a keyword column, its dictionary's): opened per query
/// and segment, that was 14 % (`seq`) and 7 % (facets) of the instructions of searches for
/// rare words (callgrind, BENCHMARKS.md). Segments are immutable, so a column stays valid;
/// entries of segments merged away are dropped when the cache grows past a bound.
pub struct SegmentColumns {
    seq: String,
    opened: SegmentCache<(String, Kind), Opened>,
}

/// Which kind of column an entry of [`SegmentColumns`] is (one name could be opened as two).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    U64,
    Date,
    Str,
}

#[derive(Clone)]
enum Opened {
    U64(Option<Column<u64>>),
    Date(Option<Column<tantivy::DateTime>>),
    Str(Option<StrColumn>),
}

/// Columns remembered before the cache starts over (an index has a handful of segments).
const OPENED_MAX: usize = 1024;

impl SegmentColumns {
    /// An empty cache; `seq` is the name of the corpus-order column.
    pub fn new(seq: impl Into<String>) -> Self {
        SegmentColumns {
            seq: seq.into(),
            opened: SegmentCache::new(OPENED_MAX),
        }
    }

    fn get(
        &self,
        reader: &SegmentReader,
        name: &str,
        kind: Kind,
        open: impl FnOnce() -> tantivy::Result<Opened>,
    ) -> tantivy::Result<Opened> {
        self.opened.get_or_make(
            reader.segment_id(),
            |(n, k)| *k == kind && n == name,
            || Ok(((name.to_string(), kind), open()?)),
        )
    }

    /// The segment's corpus-order column (`None` when it has none).
    pub fn seq(&self, reader: &SegmentReader) -> Option<Column<u64>> {
        let open = || Ok(Opened::U64(reader.fast_fields().u64(&self.seq).ok()));
        match self.get(reader, &self.seq, Kind::U64, open) {
            Ok(Opened::U64(c)) => c,
            _ => None,
        }
    }

    /// The segment's keyword column `name`, as `reader.fast_fields().str(name)` gives it.
    pub fn str(&self, reader: &SegmentReader, name: &str) -> tantivy::Result<Option<StrColumn>> {
        let open = || Ok(Opened::Str(reader.fast_fields().str(name)?));
        match self.get(reader, name, Kind::Str, open)? {
            Opened::Str(c) => Ok(c),
            Opened::U64(_) | Opened::Date(_) => Ok(None),
        }
    }

    /// The segment's date column `name` (`None` when it has none), as
    /// `reader.fast_fields().date(name)` gives it.
    pub fn date(&self, reader: &SegmentReader, name: &str) -> Option<Column<tantivy::DateTime>> {
        let open = || Ok(Opened::Date(reader.fast_fields().date(name).ok()));
        match self.get(reader, name, Kind::Date, open) {
            Ok(Opened::Date(c)) => c,
            _ => None,
        }
    }
}

/// Corpus order as a tantivy sort key, from [`SegmentColumns`]: what tantivy's
/// `SortByStaticFastValue` computes, without opening the column again for every query.
struct CorpusOrder(Arc<SegmentColumns>);

impl SortKeyComputer for CorpusOrder {
    type SortKey = Option<u64>;
    type Child = CorpusOrderSegment;
    type Comparator = NaturalComparator;

    fn segment_sort_key_computer(&self, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(CorpusOrderSegment(self.0.seq(reader)))
    }
}

struct CorpusOrderSegment(Option<Column<u64>>);

impl SegmentSortKeyComputer for CorpusOrderSegment {
    type SortKey = Option<u64>;
    type SegmentSortKey = Option<u64>;
    type SegmentComparator = NaturalComparator;

    #[inline(always)]
    fn segment_sort_key(&mut self, doc: DocId, _score: Score) -> Option<u64> {
        self.0.as_ref().and_then(|c| c.first(doc))
    }

    fn convert_segment_sort_key(&self, key: Option<u64>) -> Option<u64> {
        key
    }
}

/// The top `n` by a date-dependent key (newest first, or relevance decayed by age), ties by
/// corpus order: every match's date is read, so this is one full pass (counting with it).
/// Plain relevance is [`by_relevance`]; here it would be the score itself.
fn by_date(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    pass: &Pass,
    published: &str,
    columns: &Arc<SegmentColumns>,
    extra: Extra,
) -> Result<(Keyed, Option<usize>, ExtraFruit)> {
    let sort = pass.sort;
    let columns = Arc::clone(columns);
    let field = published.to_string();
    let newest = newest_secs(searcher, published, &columns);
    let collector = TopDocs::with_limit(pass.n).tweak_score(move |reader: &SegmentReader| {
        let dates = columns.date(reader, &field);
        let seqs = columns.seq(reader);
        move |doc: DocId, score: Score| {
            let date = dates
                .as_ref()
                .and_then(|c| c.first(doc))
                .map(|d| d.into_timestamp_secs());
            let key = match sort {
                Sort::Relevance => f64::from(score),
                // Equal dates rank by relevance: the score is the tuple's second part (added
                // to the seconds, a difference below a quarter point was lost to rounding).
                Sort::Date => date.map_or(-1e18, |s| s as f64),
                Sort::Oldest => date.map_or(-1e18, |s| -(s as f64)),
                Sort::Recency { half_life_days } => {
                    let factor = match date {
                        Some(d) => {
                            0.3 + 0.7
                                * 0.5f64.powf(
                                    (newest - d).max(0) as f64
                                        / (half_life_days.max(0.01) * 86_400.0),
                                )
                        }
                        None => 0.3,
                    };
                    f64::from(score) * factor
                }
            };
            let seq = seqs.as_ref().and_then(|c| c.first(doc)).unwrap_or(u64::MAX);
            // Higher is better: then the relevance, then earlier corpus order.
            (key, score, u64::MAX - seq)
        }
    });
    // Every match is visited for its date: counting costs nothing more.
    let (ranked, matches, fruit) = searcher
        .search(query, &(collector, Count, extra))
        .context("search failed")?;
    let keyed = ranked
        .into_iter()
        .map(|((key, score, rev_seq), a)| (key, score, u64::MAX - rev_seq, a))
        .collect();
    Ok((keyed, pass.count.then_some(matches), fruit))
}

/// The newest publication date in the index (seconds), from the fast field's column stats.
fn newest_secs(searcher: &tantivy::Searcher, published: &str, columns: &SegmentColumns) -> i64 {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|r| columns.date(r, published))
        .filter(|c| c.num_docs() > 0)
        .map(|c| c.max_value().into_timestamp_secs())
        .max()
        .unwrap_or(0)
}

/// Paragraphs of the same article within `n` positions of the hit.
fn neighbours(
    index: &NewsIndex,
    searcher: &tantivy::Searcher,
    p: &ParagraphDoc,
    n: usize,
) -> Result<(Vec<ParagraphDoc>, Vec<ParagraphDoc>)> {
    let lo = p.ordinal.saturating_sub(n as u64);
    let hi = p.ordinal + n as u64;
    let q = BooleanQuery::new(vec![
        (
            Occur::Must,
            term_query(index.fields.article_id, &p.article_id),
        ),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(index.fields.ordinal, lo)),
                Bound::Included(Term::from_field_u64(index.fields.ordinal, hi)),
            )),
        ),
    ]);
    let found = searcher
        .search(&q, &TopDocs::with_limit(2 * n + 1).order_by_score())
        .context("search failed")?;
    let mut around: Vec<ParagraphDoc> = Vec::new();
    for (_, addr) in found {
        around.push(load(searcher, addr, index)?);
    }
    around.sort_by_key(|x| x.ordinal);
    let (before, after): (Vec<_>, Vec<_>) = around
        .into_iter()
        .filter(|x| x.ordinal != p.ordinal)
        .partition(|x| x.ordinal < p.ordinal);
    Ok((before, after))
}

/// A stored value as [`load`] reads it: the schema stores strings, numbers and dates only.
enum Stored {
    Str(String),
    U64(u64),
    Date(tantivy::DateTime),
}

struct StoredVisitor;

impl ValueVisitor for StoredVisitor {
    type Value = Stored;

    fn visit_string(&self, v: String) -> std::result::Result<Stored, DeserializeError> {
        Ok(Stored::Str(v))
    }

    fn visit_u64(&self, v: u64) -> std::result::Result<Stored, DeserializeError> {
        Ok(Stored::U64(v))
    }

    fn visit_datetime(
        &self,
        v: tantivy::DateTime,
    ) -> std::result::Result<Stored, DeserializeError> {
        Ok(Stored::Date(v))
    }
}

impl ValueDeserialize for Stored {
    fn deserialize<'de, D>(d: D) -> std::result::Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        d.deserialize_any(StoredVisitor)
    }
}

/// A stored document's values in stored order. Read straight from the doc store: tantivy's
/// `TantivyDocument` first re-encodes every value into its own arena, and every lookup of a
/// field then scans it (a ninth of the instructions of a search for a rare word).
struct StoredDoc(Vec<(tantivy::schema::Field, Stored)>);

impl DocumentDeserialize for StoredDoc {
    fn deserialize<'de, D>(mut d: D) -> std::result::Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(d.size_hint());
        while let Some(v) = d.next_field::<Stored>()? {
            values.push(v);
        }
        Ok(StoredDoc(values))
    }
}

/// Reads a stored paragraph; bare surnames that the index resolves corpus-wide are added to
/// its persons.
pub fn load(
    searcher: &tantivy::Searcher,
    addr: DocAddress,
    index: &NewsIndex,
) -> Result<ParagraphDoc> {
    let f = &index.fields;
    let doc: StoredDoc = searcher
        .doc(addr)
        .context("cannot read a stored document")?;
    // Single-valued fields keep their first value (as `get_first` did), lists every value.
    let mut one: [Option<String>; 9] = Default::default();
    let slots = [
        f.id,
        f.article_id,
        f.article_hash,
        f.title,
        f.text,
        f.lang,
        f.source,
        f.url,
        f.file,
    ];
    let (mut ordinal, mut line, mut published) = (None, None, None);
    let (mut persons, mut candidates, mut countries, mut dates) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (field, value) in doc.0 {
        match value {
            Stored::Str(s) => {
                if field == f.persons {
                    persons.push(s);
                } else if field == f.person_candidates {
                    candidates.push(s);
                } else if field == f.countries {
                    countries.push(s);
                } else if field == f.dates {
                    dates.push(s);
                } else if let Some(i) = slots.iter().position(|&x| x == field) {
                    one[i].get_or_insert(s);
                }
            }
            Stored::U64(n) if field == f.ordinal => {
                ordinal.get_or_insert(n);
            }
            Stored::U64(n) if field == f.line => {
                line.get_or_insert(n);
            }
            Stored::Date(d) if field == f.published => {
                published.get_or_insert(d.into_utc());
            }
            _ => {}
        }
    }
    let [id, article_id, article_hash, title, text, lang, source, url, file] = one;
    // Each name as the spelling the corpus uses most, plus the surnames that resolve
    // corpus-wide.
    let mut names: Vec<String> = persons
        .into_iter()
        .map(|p| match index.persons.canonical(&p) {
            c if c == p => p,
            c => c.to_string(),
        })
        .collect();
    names.extend(
        candidates
            .iter()
            .filter_map(|c| index.persons.resolve(c))
            .map(str::to_string),
    );
    names.sort();
    names.dedup();
    Ok(ParagraphDoc {
        id: id.unwrap_or_default(),
        article_id: article_id.unwrap_or_default(),
        ordinal: ordinal.unwrap_or(0),
        article_hash: article_hash.unwrap_or_default(),
        title: title.unwrap_or_default(),
        text: text.unwrap_or_default(),
        lang: lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::Nl),
        source,
        url,
        file: file.unwrap_or_default(),
        line: line.unwrap_or(0),
        published,
        tags: Tags {
            persons: names,
            countries,
            dates,
            candidates,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_scores_rank_by_corpus_order_as_the_general_ranking_does() {
        let (_dir, store) = crate::indexer::fixtures::sample_and_seed();
        let index = store.open().unwrap();
        let searcher = index.reader.searcher();
        for q in [
            "",
            "country:US",
            "country:US OR country:NL",
            "country:NL -country:US",
        ] {
            let parsed = query::parse(q).unwrap();
            assert!(parsed.scores_alike(), "{q}");
            let compiled = compile(&parsed, &index).unwrap();
            for n in [1, 5, 26, 500] {
                let run = |alike| {
                    let pass = Pass {
                        n,
                        keep: n,
                        sort: Sort::Relevance,
                        count: true,
                        alike,
                    };
                    let (hits, total, _) =
                        top(&index, &searcher, compiled.query.as_ref(), pass, None).unwrap();
                    let ids: Vec<(String, u32)> = hits
                        .into_iter()
                        .map(|(s, p)| (p.id, (s * 1000.0).round() as u32))
                        .collect();
                    (ids, total)
                };
                let (fast, general) = (run(true), run(false));
                assert!(!fast.0.is_empty(), "{q}: no hits");
                assert_eq!(fast, general, "{q}, n = {n}");
            }
        }
        assert!(!query::parse("kabinet").unwrap().scores_alike());
        assert!(!query::parse("kabinet country:US").unwrap().scores_alike());
    }

    /// Facets counted beside the ranking pass are those counted in passes of their own, for
    /// every ranking (relevance, corpus order, date), with and without own filters, and with
    /// article grouping.
    #[test]
    fn facets_counted_beside_the_ranking_equal_facets_counted_alone() {
        let (_dir, store) = crate::indexer::fixtures::sample_and_seed();
        let index = store.open().unwrap();
        let key = |f: &[FacetValue]| {
            f.iter()
                .map(|v| (v.value.clone(), v.counts.paragraphs, v.counts.articles))
                .collect::<Vec<_>>()
        };
        let mut compared = 0;
        for q in [
            "",
            "de",
            "president",
            "country:US",
            "de country:NL",
            "kabinet -de",
        ] {
            for sort in [Sort::Relevance, Sort::Date] {
                for group in [Group::Paragraph, Group::Article] {
                    let opts = SearchOptions {
                        query: q.to_string(),
                        facets: true,
                        facet_top: 50,
                        sort,
                        group,
                        ..Default::default()
                    };
                    let beside = search(&index, &opts).unwrap();
                    let parsed = query::parse(q).unwrap();
                    let (persons, countries, selection) =
                        facets::plan_for_search(&index, &parsed, 50)
                            .finish(&index, &parsed, None, Lang::Nl)
                            .unwrap();
                    let got = beside.facets.clone().unwrap();
                    assert_eq!(key(&got.persons), key(&persons), "{q} {sort:?} {group:?}");
                    assert_eq!(key(&got.countries), key(&countries), "{q} {sort:?}");
                    assert_eq!(beside.total as u64, selection.paragraphs, "{q}");
                    let plain = search(
                        &index,
                        &SearchOptions {
                            facets: false,
                            ..opts.clone()
                        },
                    )
                    .unwrap();
                    assert_eq!(plain.total, beside.total, "{q} {sort:?} {group:?}");
                    assert_eq!(plain.articles, beside.articles, "{q} {sort:?} {group:?}");
                    let ids = |r: &SearchResults| {
                        r.hits
                            .iter()
                            .map(|h| h.paragraph.id.clone())
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(ids(&plain), ids(&beside), "{q} {sort:?} {group:?}");
                    compared += usize::from(!persons.is_empty() || !countries.is_empty());
                }
            }
        }
        assert!(
            compared > 10,
            "too few queries with facet values: {compared}"
        );
    }

    /// The cached corpus-order column reads what a freshly opened one reads, each segment's
    /// column is opened once, and ties at the page edge still go to corpus order.
    #[test]
    fn corpus_order_columns_are_opened_once_and_read_the_same() {
        let (_dir, store) = crate::indexer::fixtures::sample_and_seed();
        let index = store.open().unwrap();
        let searcher = index.reader.searcher();
        let schema = index.index.schema();
        let name_of = |f: tantivy::schema::Field| schema.get_field_name(f).to_string();
        let name = name_of(index.fields.seq);
        let cache = SegmentColumns::new(name.clone());
        for _ in 0..3 {
            for reader in searcher.segment_readers() {
                let cached = cache.seq(reader).expect("seq column");
                let fresh = reader.fast_fields().u64(&name).unwrap();
                for doc in 0..reader.max_doc() {
                    assert_eq!(cached.first(doc), fresh.first(doc));
                }
            }
        }
        let opened = cache.opened.len();
        assert_eq!(opened, searcher.segment_readers().len());
        // Keyword columns (facets) likewise: same terms and ords as a fresh open.
        let persons = name_of(index.fields.persons);
        for reader in searcher.segment_readers() {
            for _ in 0..2 {
                let cached = cache
                    .str(reader, &persons)
                    .unwrap()
                    .expect("persons column");
                let fresh = reader.fast_fields().str(&persons).unwrap().unwrap();
                assert_eq!(cached.num_terms(), fresh.num_terms());
                for doc in 0..reader.max_doc() {
                    let a: Vec<u64> = cached.ords().values_for_doc(doc).collect();
                    let b: Vec<u64> = fresh.ords().values_for_doc(doc).collect();
                    assert_eq!(a, b);
                }
            }
        }
        assert!(cache
            .str(searcher.segment_reader(0), "no such column")
            .unwrap()
            .is_none());
        let opened = cache.opened.len();
        assert_eq!(opened, 2 * searcher.segment_readers().len() + 1);
        // The date column (date sorting, timelines) likewise.
        let published = name_of(index.fields.published);
        for reader in searcher.segment_readers() {
            for _ in 0..2 {
                let cached = cache.date(reader, &published).expect("published column");
                let fresh = reader.fast_fields().date(&published).unwrap();
                assert_eq!(cached.max_value(), fresh.max_value());
                for doc in 0..reader.max_doc() {
                    assert_eq!(cached.first(doc), fresh.first(doc));
                }
            }
        }
        assert!(cache
            .date(searcher.segment_reader(0), "no such column")
            .is_none());
        let opened = cache.opened.len();
        assert_eq!(opened, 3 * searcher.segment_readers().len() + 2);
        // A common word ties many paragraphs: the general ranking (tuple sort key with the
        // cached column) and the fast path agree, page by page.
        let compiled = compile(&query::parse("de").unwrap(), &index).unwrap();
        let ids = |n: usize, count: bool| {
            let pass = Pass {
                n,
                keep: n,
                sort: Sort::Relevance,
                count,
                alike: false,
            };
            let (hits, _, _) = top(&index, &searcher, compiled.query.as_ref(), pass, None).unwrap();
            hits.into_iter().map(|(_, p)| p.id).collect::<Vec<_>>()
        };
        for n in [1, 3, 10, 40] {
            assert_eq!(ids(n, true), ids(n, false), "n = {n}");
        }
    }

    /// Reading stored fields straight from the doc store gives what tantivy's own document
    /// gives, for every paragraph of the sample corpus and the seed.
    #[test]
    fn stored_paragraphs_read_as_tantivy_reads_them() {
        use tantivy::schema::Value;
        use tantivy::TantivyDocument;
        let (_dir, store) = crate::indexer::fixtures::sample_and_seed();
        let index = store.open().unwrap();
        let searcher = index.reader.searcher();
        let f = &index.fields;
        let mut checked = 0;
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..reader.max_doc() {
                let addr = DocAddress::new(ord as u32, doc);
                let p = load(&searcher, addr, &index).unwrap();
                let t: TantivyDocument = searcher.doc(addr).unwrap();
                let s = |field| {
                    t.get_first(field)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                };
                let all = |field| {
                    t.get_all(field)
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                };
                let n = |field| t.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
                assert_eq!(Some(p.id.clone()), s(f.id));
                assert_eq!(Some(p.article_id.clone()), s(f.article_id));
                assert_eq!(Some(p.article_hash.clone()), s(f.article_hash));
                assert_eq!((p.ordinal, p.line), (n(f.ordinal), n(f.line)));
                assert_eq!(Some(p.title.clone()), s(f.title));
                assert_eq!(Some(p.text.clone()), s(f.text));
                assert_eq!(Some(p.lang.code().to_string()), s(f.lang));
                assert_eq!((p.source.clone(), p.url.clone()), (s(f.source), s(f.url)));
                assert_eq!(Some(p.file.clone()), s(f.file));
                let published = t.get_first(f.published).and_then(|v| v.as_datetime());
                assert_eq!(p.published, published.map(|d| d.into_utc()));
                assert_eq!(p.tags.countries, all(f.countries));
                assert_eq!(p.tags.dates, all(f.dates));
                assert_eq!(p.tags.candidates, all(f.person_candidates));
                for name in all(f.persons) {
                    let name = index.persons.canonical(&name).to_string();
                    assert!(
                        p.tags.persons.contains(&name),
                        "{name} in {:?}",
                        p.tags.persons
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} paragraphs");
    }
}
