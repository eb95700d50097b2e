//! indexer stage: the one place with parallel code. Reads the corpus sequentially in batches,
//! prepares documents in parallel with rayon (parse, split, tag, build), and feeds one tantivy
//! `IndexWriter` with its own indexing threads. Builds into a new generation and publishes it
//! only when complete.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::IndexWriter;

use crate::corpus::{self, CorpusReader, Origin, RawRecord, ReadOptions, RecordError};
use crate::document::{self, BuildOptions, Prepared};
use crate::entity::{EntityTagger, RuleTagger};
use crate::error::{Error, Result, TantivyContext};
use crate::store::{self, IndexMeta, Store};

/// Smallest writer memory per indexing thread that tantivy accepts (15 MB).
const MIN_WRITER_BYTES_PER_THREAD: usize = 15_000_000;

/// Checked options for building an index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Corpus files and directories.
    pub paths: Vec<PathBuf>,
    /// Threads for preparing documents and for tantivy's indexing workers.
    pub threads: usize,
    /// Memory budget in bytes: tantivy's writer arena plus documents in flight.
    pub memory_bytes: usize,
    /// Reading limits.
    pub read: ReadOptions,
    /// Paragraph building options.
    pub build: BuildOptions,
}

impl IndexOptions {
    /// Options with defaults for the given paths.
    pub fn new(paths: Vec<PathBuf>) -> Self {
        IndexOptions {
            paths,
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
            memory_bytes: 512 * 1024 * 1024,
            read: ReadOptions::default(),
            build: BuildOptions::default(),
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IndexSummary {
    /// Articles indexed.
    pub articles: u64,
    /// Paragraph documents indexed.
    pub paragraphs: u64,
    /// Records that failed and were skipped.
    pub errors: u64,
    /// Warnings (skipped non-corpus files, truncated articles).
    pub warnings: u64,
    /// Corpus files read.
    pub files: u64,
    /// Bytes of article data read (uncompressed).
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Threads used.
    pub threads: usize,
    /// The index directory.
    pub index: String,
}

impl IndexSummary {
    /// Throughput in MB/s (10^6 bytes).
    pub fn mb_per_s(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

/// Progress callbacks: problems as they are found, and counts as batches finish.
pub trait Progress {
    /// A record failed or a warning was raised.
    fn problem(&mut self, problem: &RecordError);
    /// Counts so far.
    fn advance(&mut self, summary: &IndexSummary);
}

/// Builds a fresh index from a corpus and swaps it in when complete. The previous index stays
/// live and searchable until then; an interrupted build leaves it untouched.
pub fn build(
    store: &Store,
    opts: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let threads = opts.threads.clamp(1, 8);
    let lock = store.lock()?;
    let mut summary = IndexSummary {
        threads,
        index: store.dir().display().to_string(),
        ..IndexSummary::default()
    };

    let (files, problems) = corpus::collect_files(&opts.paths);
    for p in &problems {
        count_problem(&mut summary, p);
        progress.problem(p);
    }
    if files.is_empty() {
        if summary.errors > 0 {
            return Err(Error::EmptyCorpus(format!(
                "{} (every path failed: see the errors above)",
                display_paths(&opts.paths)
            )));
        }
        return Err(Error::EmptyCorpus(display_paths(&opts.paths)));
    }
    summary.files = files.len() as u64;

    let generation = store.new_generation(&lock)?;
    let (index, fields, spec) = store::create_index(generation.path())?;
    // Writer arena: three quarters of the budget, at least tantivy's minimum per thread;
    // the rest bounds the documents in flight.
    let writer_threads = threads
        .min((opts.memory_bytes * 3 / 4) / MIN_WRITER_BYTES_PER_THREAD)
        .max(1);
    let writer_bytes =
        (opts.memory_bytes * 3 / 4).max(MIN_WRITER_BYTES_PER_THREAD * writer_threads);
    let mut writer: IndexWriter = index
        .writer_with_num_threads(writer_threads, writer_bytes)
        .context("cannot start the index writer")?;
    let batch_bytes = (opts.memory_bytes / 8).clamp(1 << 20, 64 << 20);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("newsidx-prepare-{i}"))
        .build()
        .map_err(|e| Error::InvalidOption {
            option: "--threads",
            message: e.to_string(),
        })?;
    let tagger = RuleTagger::new();
    let mut reader = CorpusReader::new(files, opts.read.clone());
    let mut seen: HashMap<String, Origin> = HashMap::new();
    loop {
        let batch = next_batch(&mut reader, batch_bytes);
        if batch.is_empty() {
            break;
        }
        // Order-preserving parallel map: problems are reported in corpus order.
        let prepared: Vec<std::result::Result<(corpus::Article, Prepared), RecordError>> = pool
            .install(|| {
                batch
                    .into_par_iter()
                    .map(|raw| {
                        let article = corpus::parse_record(&raw?)?;
                        let prepared =
                            document::prepare(&article, &tagger as &dyn EntityTagger, &opts.build);
                        Ok((article, prepared))
                    })
                    .collect()
            });
        for item in prepared {
            let (article, prepared) = match item {
                Ok(x) => x,
                Err(e) => {
                    count_problem(&mut summary, &e);
                    progress.problem(&e);
                    continue;
                }
            };
            if let Some(first) = seen.get(&article.id) {
                let e = RecordError::new(
                    &article.origin.file,
                    article.origin.line,
                    format!(
                        "duplicate article id {:?} (first at {first}); skipped",
                        article.id
                    ),
                );
                count_problem(&mut summary, &e);
                progress.problem(&e);
                continue;
            }
            if prepared.docs.is_empty() {
                let e = RecordError::new(
                    &article.origin.file,
                    article.origin.line,
                    "article has no paragraphs after removing boilerplate; skipped",
                );
                count_problem(&mut summary, &e);
                progress.problem(&e);
                continue;
            }
            if prepared.dropped > 0 {
                let w = RecordError::warning(
                    &article.origin.file,
                    article.origin.line,
                    format!(
                        "article has more than {} paragraphs; the last {} were not indexed",
                        opts.build.max_paragraphs, prepared.dropped
                    ),
                );
                count_problem(&mut summary, &w);
                progress.problem(&w);
            }
            seen.insert(article.id.clone(), article.origin.clone());
            for doc in &prepared.docs {
                writer
                    .add_document(document::to_tantivy(doc, &fields))
                    .context("cannot add a document")?;
            }
            summary.articles += 1;
            summary.paragraphs += prepared.docs.len() as u64;
        }
        summary.bytes = reader.bytes_read;
        summary.seconds = started.elapsed().as_secs_f64();
        progress.advance(&summary);
    }
    if summary.articles == 0 && summary.errors > 0 {
        // Publishing an empty index would throw away the previous one for nothing.
        return Err(Error::NothingIndexed {
            errors: summary.errors,
        });
    }
    writer.commit().context("cannot commit the index")?;
    writer
        .wait_merging_threads()
        .context("cannot finish merging segments")?;

    let mut meta = IndexMeta::new(
        &spec,
        opts.paths.iter().map(|p| p.display().to_string()).collect(),
    );
    meta.articles = summary.articles;
    meta.paragraphs = summary.paragraphs;
    drop(index);
    store.publish(generation, &meta, &lock)?;
    drop(lock);
    summary.bytes = reader.bytes_read;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn count_problem(summary: &mut IndexSummary, p: &RecordError) {
    if p.warning {
        summary.warnings += 1;
    } else {
        summary.errors += 1;
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads raw records (and read errors, in order) until about `max_bytes` are buffered.
fn next_batch(
    reader: &mut CorpusReader,
    max_bytes: usize,
) -> Vec<std::result::Result<RawRecord, RecordError>> {
    let mut batch = Vec::new();
    let mut bytes = 0usize;
    while bytes < max_bytes && batch.len() < 10_000 {
        match reader.next() {
            Some(item) => {
                bytes += item.as_ref().map_or(0, RawRecord::len);
                batch.push(item);
            }
            None => break,
        }
    }
    batch
}

/// A [`Progress`] that ignores everything (library use, tests).
pub struct Silent;

impl Progress for Silent {
    fn problem(&mut self, _problem: &RecordError) {}
    fn advance(&mut self, _summary: &IndexSummary) {}
}
