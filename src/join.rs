//! query stage: article-level fields (the title) matched once per article and applied to
//! every paragraph of the article: a block join, as Lucene's `ToChildBlockJoinQuery`.
//!
//! An article's paragraphs are indexed as one batch, in order, so they sit next to each other
//! in one segment, the first paragraph (ordinal 0) first; segment merges keep that order, and
//! an article is only ever deleted or replaced whole. The title fields are indexed on the
//! first paragraph only ([`crate::document::to_tantivy`]): a title is analysed and its terms
//! are written once per article instead of once per paragraph (a sixth of the title postings
//! on news). [`ArticleLevel`] runs a query over those first paragraphs and matches each
//! paragraph whose first paragraph matches, with that paragraph's score.
//!
//! Scores are those of an index with one document per article: the BM25 statistics of the
//! inner query count articles (the documents with ordinal 0), not paragraphs, so the average
//! title length is the average over articles and a title word's rarity is its rarity among
//! articles (tested against such an index below).

use std::sync::Arc;

use tantivy::query::{
    Bm25StatisticsProvider, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::store::SegmentCache;

/// Matches every paragraph of the articles whose first paragraph matches `inner`.
#[derive(Debug)]
pub struct ArticleLevel {
    inner: Box<dyn Query>,
    /// The `ordinal` field: position of a paragraph in its article (0: the first).
    ordinal: Field,
    starts: Arc<ArticleStarts>,
}

impl Clone for ArticleLevel {
    fn clone(&self) -> Self {
        ArticleLevel {
            inner: self.inner.box_clone(),
            ordinal: self.ordinal,
            starts: Arc::clone(&self.starts),
        }
    }
}

impl ArticleLevel {
    /// `inner` runs over the fields that only first paragraphs have; `ordinal` is the indexed
    /// field holding each paragraph's position in its article; `starts` caches where the
    /// articles of each segment start (one per open index).
    pub fn new(inner: Box<dyn Query>, ordinal: Field, starts: Arc<ArticleStarts>) -> Self {
        ArticleLevel {
            inner,
            ordinal,
            starts,
        }
    }
}

/// Where articles start in each segment (the documents with ordinal 0), as a bit set built
/// once per segment of an open index from the postings of `ordinal:0`: 1 bit per paragraph.
/// Segments are immutable; entries of segments merged away are dropped when the cache grows
/// past a bound.
#[derive(Debug)]
pub struct ArticleStarts(SegmentCache<(), Arc<Starts>>);

/// Segments remembered before the cache starts over (an index has a handful of segments).
const STARTS_MAX: usize = 256;

impl Default for ArticleStarts {
    fn default() -> Self {
        ArticleStarts(SegmentCache::new(STARTS_MAX))
    }
}

impl ArticleStarts {
    fn get(&self, reader: &SegmentReader, first: &Term) -> tantivy::Result<Arc<Starts>> {
        self.0.get_or_make(
            reader.segment_id(),
            |_| true,
            || Ok(((), Arc::new(Starts::read(reader, first)?))),
        )
    }

    /// The articles of all segments of `searcher`, when every segment's bit set is built.
    fn articles(&self, searcher: &tantivy::Searcher) -> Option<u64> {
        searcher
            .segment_readers()
            .iter()
            .map(|r| Some(u64::from(self.0.find(r.segment_id(), |_| true)?.articles)))
            .sum()
    }
}

/// The first paragraphs of one segment.
#[derive(Debug)]
struct Starts {
    /// Bit `d` is set when document `d` is the first paragraph of its article.
    words: Vec<u64>,
    articles: u32,
}

impl Starts {
    fn read(reader: &SegmentReader, first: &Term) -> tantivy::Result<Starts> {
        let max_doc = reader.max_doc() as usize;
        let mut words = vec![0u64; max_doc.div_ceil(64)];
        let mut articles = 0u32;
        // Block by block: a fifth of the instructions of a doc-by-doc walk (at 1M paragraphs,
        // 3.6 M of a whole CLI search's 22 M).
        if let Some(mut block) = reader
            .inverted_index(first.field())?
            .read_block_postings(first, IndexRecordOption::Basic)?
        {
            while !block.docs().is_empty() {
                for &d in block.docs() {
                    if let Some(w) = words.get_mut(d as usize / 64) {
                        *w |= 1 << (d % 64);
                        articles += 1;
                    }
                }
                block.advance();
            }
        }
        Ok(Starts { words, articles })
    }

    fn is_first(&self, doc: DocId) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    /// The first paragraph of the article `doc` belongs to: the nearest first paragraph at or
    /// before it (0 when there is none, which an index written by newsidx never has).
    fn first_of(&self, doc: DocId) -> DocId {
        let mut i = doc as usize / 64;
        // The bits at or below doc's bit.
        let mut word = match self.words.get(i) {
            Some(w) => w & (u64::MAX >> (63 - doc % 64)),
            None => return doc,
        };
        loop {
            if word != 0 {
                return (i * 64 + 63 - word.leading_zeros() as usize) as DocId;
            }
            if i == 0 {
                return 0;
            }
            i -= 1;
            word = self.words[i];
        }
    }
}

/// The statistics of an index with one document per article: the documents are the first
/// paragraphs. A term of an article-level field occurs in first paragraphs only, so its
/// document frequency is already counted in articles (and never above their number).
struct ArticleStatistics<'a> {
    paragraphs: &'a dyn Bm25StatisticsProvider,
    articles: u64,
}

impl Bm25StatisticsProvider for ArticleStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.paragraphs.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.articles.max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        // tantivy asserts that no term is in more documents than there are.
        Ok(self.paragraphs.doc_freq(term)?.min(self.articles.max(1)))
    }
}

impl Query for ArticleLevel {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let first = Term::from_field_u64(self.ordinal, 0);
        let inner = match enable_scoring {
            EnableScoring::Enabled {
                searcher,
                statistics_provider,
            } => {
                // The number of articles: the first paragraphs, counted in the segments'
                // bit sets when they are built, else looked up as a document frequency (both
                // count deleted ones, as document frequencies do). A bit set is only built
                // for a segment where the query matches a title.
                let articles = match self.starts.articles(searcher) {
                    Some(n) => n,
                    None => statistics_provider.doc_freq(&first)?,
                };
                let stats = ArticleStatistics {
                    paragraphs: statistics_provider,
                    articles,
                };
                self.inner.weight(EnableScoring::Enabled {
                    searcher,
                    statistics_provider: &stats,
                })?
            }
            disabled => self.inner.weight(disabled)?,
        };
        Ok(Box::new(ArticleLevelWeight {
            inner,
            first,
            starts: Arc::clone(&self.starts),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ArticleLevelWeight {
    inner: Box<dyn Weight>,
    /// The term of first paragraphs (ordinal 0).
    first: Term,
    starts: Arc<ArticleStarts>,
}

impl Weight for ArticleLevelWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        if inner.doc() == TERMINATED {
            return Ok(Box::new(EmptyScorer));
        }
        let starts = self.starts.get(reader, &self.first)?;
        Ok(Box::new(ArticleLevelScorer::new(
            inner,
            starts,
            reader.max_doc(),
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let first = self.starts.get(reader, &self.first)?.first_of(doc);
        let inner = self.inner.explain(reader, first)?;
        let mut explanation = Explanation::new("article level", inner.value());
        explanation.add_context(format!(
            "from the article's first paragraph, document {first}"
        ));
        explanation.add_detail(inner);
        Ok(explanation)
    }
}

/// The inner scorer moves over matching first paragraphs; `doc` walks each one's article.
struct ArticleLevelScorer {
    inner: Box<dyn Scorer>,
    starts: Arc<Starts>,
    max_doc: DocId,
    /// Paragraphs per article in this segment: how many documents a match stands for.
    per_article: u32,
    doc: DocId,
    /// The inner score of the current first paragraph (computed on first use).
    score: Option<Score>,
}

impl ArticleLevelScorer {
    fn new(inner: Box<dyn Scorer>, starts: Arc<Starts>, max_doc: DocId) -> Self {
        let doc = inner.doc();
        let per_article = (max_doc / starts.articles.max(1)).max(1);
        ArticleLevelScorer {
            inner,
            starts,
            max_doc,
            per_article,
            doc,
            score: None,
        }
    }
}

impl DocSet for ArticleLevelScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let next = self.doc + 1;
        if next < self.max_doc && !self.starts.is_first(next) {
            // The next paragraph of the same article.
            self.doc = next;
            return next;
        }
        self.score = None;
        self.doc = self.inner.advance();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if target >= self.max_doc {
            self.doc = TERMINATED;
            return TERMINATED;
        }
        let first = self.starts.first_of(target);
        let mut at = self.inner.doc();
        if at < first {
            self.score = None;
            at = self.inner.seek(first);
        }
        // The target's article matches; or the next matching article starts after the target.
        self.doc = if at == first { target } else { at };
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint().saturating_mul(self.per_article)
    }

    fn cost(&self) -> u64 {
        self.inner
            .cost()
            .saturating_mul(u64::from(self.per_article))
    }
}

impl Scorer for ArticleLevelScorer {
    fn score(&mut self) -> Score {
        match self.score {
            Some(s) => s,
            None => {
                let s = self.inner.score();
                self.score = Some(s);
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, Value, FAST, INDEXED, STORED, TEXT};
    use tantivy::{doc, Index, IndexWriter, TantivyDocument};

    /// (title, paragraphs) of each article.
    const ARTICLES: &[(&str, usize)] = &[
        ("kabinet valt over stikstof", 3),
        ("storm in het noorden", 1),
        ("", 2),
        ("kabinet en stikstof: het debat", 4),
        ("weerbericht", 2),
        ("het kabinet van rutte", 5),
        // Longer than a word of the bit set of first paragraphs, twice.
        ("een lang verslag van de storm", 150),
        ("storm", 1),
    ];

    /// Paragraph documents (title on the first paragraph only, as the indexer writes them)
    /// over `segments` segments, and an index with one document per article.
    fn indexes(segments: usize) -> (Index, Index, Field, Field, Field) {
        let mut sb = Schema::builder();
        let title = sb.add_text_field("title", TEXT);
        let ordinal = sb.add_u64_field("ordinal", INDEXED | FAST | STORED);
        let article = sb.add_u64_field("article", FAST | STORED);
        let paragraphs = Index::create_in_ram(sb.build());
        let mut w: IndexWriter = paragraphs.writer_with_num_threads(1, 15_000_000).unwrap();
        let per_segment = ARTICLES.len().div_ceil(segments);
        for (a, &(t, n)) in ARTICLES.iter().enumerate() {
            let docs = (0..n).map(|o| {
                let mut d = TantivyDocument::default();
                if o == 0 {
                    d.add_text(title, t);
                }
                d.add_u64(ordinal, o as u64);
                d.add_u64(article, a as u64);
                tantivy::indexer::UserOperation::Add(d)
            });
            w.run(docs).unwrap();
            if (a + 1) % per_segment == 0 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();

        let mut sb = Schema::builder();
        let t2 = sb.add_text_field("title", TEXT);
        let articles = Index::create_in_ram(sb.build());
        let mut w: IndexWriter = articles.writer_with_num_threads(1, 15_000_000).unwrap();
        for &(t, _) in ARTICLES {
            w.add_document(doc!(t2 => t)).unwrap();
        }
        w.commit().unwrap();
        (paragraphs, articles, title, ordinal, article)
    }

    fn term(field: Field, w: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, w),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// (article, score) of every match, by article number, one per paragraph.
    fn matches(index: &Index, q: &dyn Query, article: Field) -> Vec<(u64, Score)> {
        let searcher = index.reader().unwrap().searcher();
        let top = searcher
            .search(q, &TopDocs::with_limit(1000).order_by_score())
            .unwrap();
        let mut out: Vec<(u64, Score)> = top
            .into_iter()
            .map(|(s, addr)| {
                let d: TantivyDocument = searcher.doc(addr).unwrap();
                let a = d.get_first(article).and_then(|v| v.as_u64()).unwrap();
                (a, s)
            })
            .collect();
        out.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
        out
    }

    #[test]
    fn every_paragraph_of_a_matching_article_scores_as_the_article_would() {
        for segments in [1, 2, 3] {
            let (paragraphs, articles, title, ordinal, article) = indexes(segments);
            let a_searcher = articles.reader().unwrap().searcher();
            let a_title = articles.schema().get_field("title").unwrap();
            let queries: Vec<(Box<dyn Query>, Box<dyn Query>)> = vec![
                (term(title, "kabinet"), term(a_title, "kabinet")),
                (term(title, "storm"), term(a_title, "storm")),
                (term(title, "het"), term(a_title, "het")),
                (term(title, "ontbreekt"), term(a_title, "ontbreekt")),
                (
                    Box::new(PhraseQuery::new(vec![
                        Term::from_field_text(title, "kabinet"),
                        Term::from_field_text(title, "valt"),
                    ])),
                    Box::new(PhraseQuery::new(vec![
                        Term::from_field_text(a_title, "kabinet"),
                        Term::from_field_text(a_title, "valt"),
                    ])),
                ),
            ];
            // One cache for the index, as an open index has: the first query counts the
            // articles by document frequency, later ones from the bit sets it built.
            let starts = Arc::new(ArticleStarts::default());
            for (q, reference) in queries {
                let joined = ArticleLevel::new(q, ordinal, Arc::clone(&starts));
                let got = matches(&paragraphs, &joined, article);
                assert_eq!(
                    got,
                    matches(&paragraphs, &joined, article),
                    "cached: {joined:?}"
                );
                // The reference: an index of articles, each match repeated per paragraph.
                let mut want: Vec<(u64, Score)> = Vec::new();
                for (s, addr) in a_searcher
                    .search(
                        reference.as_ref(),
                        &TopDocs::with_limit(100).order_by_score(),
                    )
                    .unwrap()
                {
                    let a = u64::from(addr.doc_id);
                    want.extend((0..ARTICLES[a as usize].1).map(|_| (a, s)));
                }
                want.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
                assert_eq!(got.len(), want.len(), "{joined:?} over {segments} segments");
                for ((ga, gs), (wa, ws)) in got.iter().zip(&want) {
                    assert_eq!(ga, wa, "{joined:?}");
                    assert!((gs - ws).abs() < 1e-5, "{joined:?}: {gs} vs {ws}");
                }
                let count = paragraphs
                    .reader()
                    .unwrap()
                    .searcher()
                    .search(&joined, &Count)
                    .unwrap();
                assert_eq!(count, want.len());
            }
        }
    }

    #[test]
    fn seeks_land_on_the_target_or_the_next_matching_article() {
        let (paragraphs, _, title, ordinal, _) = indexes(1);
        let searcher = paragraphs.reader().unwrap().searcher();
        let reader = &searcher.segment_readers()[0];
        let weight = ArticleLevel::new(term(title, "kabinet"), ordinal, Arc::default())
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        // Articles 0 (docs 0-2), 3 (docs 6-9) and 5 (docs 12-16) have "kabinet".
        let matching: Vec<DocId> = vec![0, 1, 2, 6, 7, 8, 9, 12, 13, 14, 15, 16];
        let mut all = Vec::new();
        let mut s = weight.scorer(reader, 1.0).unwrap();
        while s.doc() != TERMINATED {
            all.push(s.doc());
            s.advance();
        }
        assert_eq!(all, matching);
        for target in 0..=reader.max_doc() {
            let mut s = weight.scorer(reader, 1.0).unwrap();
            let want = matching
                .iter()
                .copied()
                .find(|&d| d >= target)
                .unwrap_or(TERMINATED);
            assert_eq!(s.seek(target), want, "seek({target})");
            // And from there on, the rest in order.
            let rest: Vec<DocId> = std::iter::from_fn(|| {
                let d = s.advance();
                (d != TERMINATED).then_some(d)
            })
            .collect();
            let want_rest: Vec<DocId> = matching.iter().copied().filter(|&d| d > want).collect();
            assert_eq!(
                rest,
                if want == TERMINATED {
                    vec![]
                } else {
                    want_rest
                }
            );
        }
    }

    #[test]
    fn works_inside_conjunctions_and_negations() {
        let (paragraphs, _, title, ordinal, _) = indexes(2);
        let searcher = paragraphs.reader().unwrap().searcher();
        let kabinet = || -> Box<dyn Query> {
            Box::new(ArticleLevel::new(
                term(title, "kabinet"),
                ordinal,
                Arc::default(),
            ))
        };
        let stikstof = || -> Box<dyn Query> {
            Box::new(ArticleLevel::new(
                term(title, "stikstof"),
                ordinal,
                Arc::default(),
            ))
        };
        let both = BooleanQuery::new(vec![(Occur::Must, kabinet()), (Occur::Must, stikstof())]);
        assert_eq!(searcher.search(&both, &Count).unwrap(), 3 + 4);
        let only = BooleanQuery::new(vec![(Occur::Must, kabinet()), (Occur::MustNot, stikstof())]);
        assert_eq!(searcher.search(&only, &Count).unwrap(), 5);
    }
}
