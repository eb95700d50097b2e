//! query stage: a disjunction-max query whose scorer seeks, for the per-field alternatives of
//! one word inside conjunctions.
//!
//! A word is a disjunction over fields (stemmed text, exact text, stemmed title, exact title,
//! per language). tantivy's `DisjunctionMaxQuery` scores it with a `BufferedUnionScorer`,
//! which fills windows of 4,096 documents from every alternative and answers a `seek` past
//! its window by filling the next one: inside an AND ("kabinet AND formatie", a word with a
//! `--country` filter) each seek of the intersection evaluates up to 4,096 documents of the
//! word, whatever the other side selects. callgrind on the two-word AND queries of
//! BENCHMARKS.md put half of all instructions in that union. This scorer keeps the few
//! alternatives side by side and seeks each to the target, so an intersection costs what
//! its sparsest side costs. Scores are those of tantivy's `DisjunctionMaxCombiner`: the best
//! alternative plus `tie_breaker` times the others.

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// The best-scoring of several alternatives, plus a fraction of the others.
#[derive(Debug)]
pub struct SeekingDisMax {
    disjuncts: Vec<Box<dyn Query>>,
    tie_breaker: Score,
}

impl Clone for SeekingDisMax {
    fn clone(&self) -> Self {
        SeekingDisMax {
            disjuncts: self.disjuncts.iter().map(|d| d.box_clone()).collect(),
            tie_breaker: self.tie_breaker,
        }
    }
}

impl SeekingDisMax {
    /// A query matching what any of `disjuncts` matches.
    pub fn new(disjuncts: Vec<Box<dyn Query>>, tie_breaker: Score) -> Self {
        SeekingDisMax {
            disjuncts,
            tie_breaker,
        }
    }
}

impl Query for SeekingDisMax {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .disjuncts
            .iter()
            .map(|d| d.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekingDisMaxWeight {
            weights,
            tie_breaker: self.tie_breaker,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for d in &self.disjuncts {
            d.query_terms(visitor);
        }
    }
}

struct SeekingDisMaxWeight {
    weights: Vec<Box<dyn Weight>>,
    tie_breaker: Score,
}

impl Weight for SeekingDisMaxWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            // One alternative scores as itself: max + (sum - max) × tie = its score.
            1 => scorers.pop().expect("one scorer"),
            _ => Box::new(SeekingDisMaxScorer::new(scorers, self.tie_breaker)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("dis_max", scorer.score());
        for w in &self.weights {
            if let Ok(e) = w.explain(reader, doc) {
                explanation.add_detail(e);
            }
        }
        Ok(explanation)
    }
}

/// The alternatives side by side; `doc` is the smallest current document among them.
/// `docs[i]` mirrors `scorers[i].doc()`, so the loops below compare plain integers instead
/// of making a virtual call per alternative per document.
struct SeekingDisMaxScorer {
    scorers: Vec<Box<dyn Scorer>>,
    docs: Vec<DocId>,
    tie_breaker: Score,
    doc: DocId,
}

impl SeekingDisMaxScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>, tie_breaker: Score) -> Self {
        let docs: Vec<DocId> = scorers.iter().map(|s| s.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        SeekingDisMaxScorer {
            scorers,
            docs,
            tie_breaker,
            doc,
        }
    }
}

impl DocSet for SeekingDisMaxScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let current = self.doc;
        let mut next = TERMINATED;
        for (s, d) in self.scorers.iter_mut().zip(self.docs.iter_mut()) {
            if *d == current {
                *d = s.advance();
            }
            next = next.min(*d);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut next = TERMINATED;
        for (s, d) in self.scorers.iter_mut().zip(self.docs.iter_mut()) {
            if *d < target {
                *d = s.seek(target);
            }
            next = next.min(*d);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for SeekingDisMaxScorer {
    fn score(&mut self) -> Score {
        let (mut max, mut sum) = (0.0f32, 0.0f32);
        let doc = self.doc;
        for (s, &d) in self.scorers.iter_mut().zip(&self.docs) {
            if d == doc {
                let score = s.score();
                max = max.max(score);
                sum += score;
            }
        }
        max + (sum - max) * self.tie_breaker
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, DisjunctionMaxQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// Two fields, words spread so that documents match in one, the other or both.
    fn index() -> (Index, tantivy::schema::Field, tantivy::schema::Field) {
        let mut sb = Schema::builder();
        let title = sb.add_text_field("title", TEXT);
        let body = sb.add_text_field("body", TEXT);
        let index = Index::create_in_ram(sb.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..3000u32 {
            let t = if i.is_multiple_of(7) {
                "kabinet formatie"
            } else {
                "nieuws"
            };
            let b = match i % 5 {
                0 => "het kabinet valt",
                1 => "formatie loopt vast kabinet kabinet",
                2 => "formatie",
                _ => "weer",
            };
            w.add_document(doc!(title => t, body => b)).unwrap();
        }
        w.commit().unwrap();
        (index, title, body)
    }

    fn word(
        title: tantivy::schema::Field,
        body: tantivy::schema::Field,
        w: &str,
    ) -> Vec<Box<dyn Query>> {
        [title, body]
            .into_iter()
            .map(|f| {
                Box::new(TermQuery::new(
                    Term::from_field_text(f, w),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            })
            .collect()
    }

    #[test]
    fn scores_and_matches_like_tantivys_dismax_alone_and_in_a_conjunction() {
        let (index, title, body) = index();
        let searcher = index.reader().unwrap().searcher();
        let ours =
            |w: &str| Box::new(SeekingDisMax::new(word(title, body, w), 0.1)) as Box<dyn Query>;
        let theirs = |w: &str| {
            Box::new(DisjunctionMaxQuery::with_tie_breaker(
                word(title, body, w),
                0.1,
            )) as Box<dyn Query>
        };
        let and = |a: Box<dyn Query>, b: Box<dyn Query>| {
            BooleanQuery::new(vec![(Occur::Must, a), (Occur::Must, b)])
        };
        let top = || TopDocs::with_limit(3000).order_by_score();
        let cases: Vec<(Box<dyn Query>, Box<dyn Query>)> = vec![
            (ours("kabinet"), theirs("kabinet")),
            (ours("formatie"), theirs("formatie")),
            (
                Box::new(and(ours("kabinet"), ours("formatie"))),
                Box::new(and(theirs("kabinet"), theirs("formatie"))),
            ),
            (ours("ontbreekt"), theirs("ontbreekt")),
        ];
        for (a, b) in cases {
            let (x, nx) = searcher.search(a.as_ref(), &(top(), Count)).unwrap();
            let (y, ny) = searcher.search(b.as_ref(), &(top(), Count)).unwrap();
            assert_eq!(nx, ny, "{a:?}");
            assert_eq!(x.len(), y.len());
            let mut x: Vec<_> = x.into_iter().map(|(s, d)| (d, s)).collect();
            let mut y: Vec<_> = y.into_iter().map(|(s, d)| (d, s)).collect();
            x.sort_by_key(|p| p.0);
            y.sort_by_key(|p| p.0);
            for ((da, sa), (db, sb)) in x.iter().zip(&y) {
                assert_eq!(da, db);
                assert!((sa - sb).abs() < 1e-5, "{a:?}: {sa} vs {sb}");
            }
        }
        // Both fields matched: the tie breaker adds a tenth of the weaker field.
        let both = searcher
            .search(
                ours("kabinet").as_ref(),
                &TopDocs::with_limit(1).order_by_score(),
            )
            .unwrap();
        assert!(both[0].0 > 0.0);
    }

    #[test]
    fn seeks_and_advances_to_every_match_in_order() {
        let (index, title, body) = index();
        let searcher = index.reader().unwrap().searcher();
        let matches = |i: u32| i.is_multiple_of(7) || i % 5 == 1 || i % 5 == 2;
        let first_from = |t: u32| (t..3000).find(|&i| matches(i)).unwrap_or(TERMINATED);
        let q = SeekingDisMax::new(word(title, body, "formatie"), 0.1);
        let weight = q
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let reader = searcher.segment_reader(0);
        let mut s = weight.scorer(reader, 1.0).unwrap();
        assert_eq!(s.doc(), first_from(0));
        for target in [3, 4, 10, 11, 500, 2500, 2998] {
            assert_eq!(s.seek(target), first_from(target), "seek {target}");
        }
        let mut s = weight.scorer(reader, 1.0).unwrap();
        let mut seen = vec![s.doc()];
        while s.advance() != TERMINATED {
            seen.push(s.doc());
        }
        assert_eq!(seen, (0..3000).filter(|&i| matches(i)).collect::<Vec<_>>());
    }
}
