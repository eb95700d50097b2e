//! indexer stage: the one place with parallel code. Reads the corpus sequentially in batches,
//! prepares documents in parallel with rayon (parse, split, tag, build tantivy documents), and
//! feeds one tantivy `IndexWriter` with its own indexing threads, one article at a time (so an
//! article's paragraphs stay together in one segment).
//!
//! Two modes share the pipeline:
//! - **rebuild** ([`build`]): builds into a new generation, published only when complete;
//! - **update** ([`update`]): adds new articles, replaces changed ones (by content hash), skips
//!   unchanged ones and optionally deletes missing ones, in the live generation, with one
//!   tantivy commit at the end (all or nothing).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::indexer::UserOperation;
use tantivy::schema::document::Document;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::corpus::{self, CorpusReader, Origin, RawRecord, ReadOptions, RecordError};
use crate::document::{self, BuildOptions};
use crate::entity::resolve::PersonMap;
use crate::entity::{EntityTagger, RuleTagger};
use crate::error::{Error, Result, TantivyContext};
use crate::schema::Fields;
use crate::store::{self, IndexMeta, Store};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;

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
    /// Update mode: also delete articles that are not in the corpus.
    pub delete_missing: bool,
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
            delete_missing: false,
        }
    }
}

/// What a build or an update did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IndexSummary {
    /// `rebuild` or `update`.
    pub mode: &'static str,
    /// Articles indexed (added or replaced).
    pub articles: u64,
    /// Paragraph documents indexed.
    pub paragraphs: u64,
    /// Update: new articles.
    pub added: u64,
    /// Update: changed articles whose paragraphs were replaced.
    pub replaced: u64,
    /// Update: articles skipped because they are unchanged.
    pub unchanged: u64,
    /// Update: articles deleted (`--delete-missing`).
    pub deleted: u64,
    /// Paragraphs whose bare surnames were resolved corpus-wide (second pass).
    pub resolved: u64,
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
    /// Where the wall-clock time went, in order (the phases do not overlap).
    pub phases: Phases,
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

/// Wall-clock seconds of the phases of a build or update, one after the other.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Phases {
    /// From the start (lock, and for an update the existing articles' hashes) through reading,
    /// preparing (splitting, tagging) and indexing until the last article is handed to
    /// tantivy; reading, preparing and indexing run concurrently.
    pub feed: f64,
    /// tantivy's indexing threads finishing their queues and writing their segments.
    pub commit: f64,
    /// The corpus-wide second pass: articles per person name, bare surnames resolved.
    pub persons: f64,
    /// Publishing the index and storing the facet counts beside it.
    pub publish: f64,
}

/// Progress callbacks: problems as they are found, and counts as batches finish.
pub trait Progress {
    /// A record failed or a warning was raised.
    fn problem(&mut self, problem: &RecordError);
    /// Counts so far.
    fn advance(&mut self, summary: &IndexSummary);
}

/// A [`Progress`] that ignores everything (library use, tests).
pub struct Silent;

impl Progress for Silent {
    fn problem(&mut self, _problem: &RecordError) {}
    fn advance(&mut self, _summary: &IndexSummary) {}
}

/// Builds a fresh index from a corpus and swaps it in when complete. The previous index stays
/// live and searchable until then; an interrupted build leaves it untouched.
pub fn build(
    store: &Store,
    opts: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let lock = store.lock()?;
    let mut run = Run::start(store, opts, progress, "rebuild")?;
    let generation = store.new_generation(&lock)?;
    let (index, fields, spec) = store::create_index(generation.path())?;
    run.feed(
        &index,
        &fields,
        &Existing::default(),
        opts,
        progress,
        started,
    )?;
    let mut summary = run.summary;
    if summary.articles == 0 && summary.errors > 0 {
        // Publishing an empty index would throw away the previous one for nothing.
        return Err(Error::NothingIndexed {
            errors: summary.errors,
        });
    }
    let publishing = Instant::now();
    store::write_person_map(generation.path(), &run.persons)?;
    let mut meta = IndexMeta::new(
        &spec,
        opts.paths.iter().map(|p| p.display().to_string()).collect(),
    );
    meta.articles = summary.articles;
    meta.paragraphs = summary.paragraphs;
    meta.articles_written = run.next_article;
    drop(index);
    store.publish(generation, &meta, &lock)?;
    store_all_counts(store);
    drop(lock);
    summary.phases.publish = publishing.elapsed().as_secs_f64();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Updates the live index in place: new articles are added, changed ones (by content hash)
/// replaced, unchanged ones skipped; with `delete_missing`, articles absent from the corpus
/// are deleted. One commit at the end: a failed or killed update changes nothing. Without an
/// index, this is a rebuild.
pub fn update(
    store: &Store,
    opts: &IndexOptions,
    progress: &mut dyn Progress,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let lock = store.lock()?;
    let live = match store.open() {
        Ok(live) => live,
        Err(Error::NoIndex(_)) => {
            drop(lock);
            return build(store, opts, progress);
        }
        Err(e) => return Err(e),
    };
    let mut run = Run::start(store, opts, progress, "update")?;
    run.next_article = live.meta.articles_written;
    let existing = Existing::load(&live)?;
    run.feed(
        &live.index,
        &live.fields,
        &existing,
        opts,
        progress,
        started,
    )?;
    // The map covers the whole updated index: older articles' bare surnames resolve too.
    let publishing = Instant::now();
    store::write_person_map(&live.path, &run.persons)?;
    let mut summary = run.summary;
    let mut meta = live.meta.clone();
    meta.articles_written = run.next_article;
    for p in &opts.paths {
        let p = p.display().to_string();
        if !meta.corpus.contains(&p) {
            meta.corpus.push(p);
        }
    }
    let searcher_docs = {
        live.reader.reload().context("cannot reload the index")?;
        live.reader.searcher().num_docs()
    };
    meta.paragraphs = searcher_docs;
    meta.articles = (existing.hashes.len() as u64 + summary.added).saturating_sub(summary.deleted);
    store.write_meta(&live.path, &meta, &lock)?;
    drop(live);
    store_all_counts(store);
    drop(lock);
    summary.phases.publish = publishing.elapsed().as_secs_f64();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Stores the facet counts over all paragraphs beside the live index (the index is already
/// published). They only spare later searches a count: when they cannot be written, searches
/// count, so a failure here does not fail the build.
fn store_all_counts(store: &Store) {
    if let Ok(live) = store.open() {
        // Candidates first: the facet values then read them instead of every candidate
        // dictionary, and the counts read the facet values.
        let _ = crate::facets::write_candidate_ords(&live);
        let _ = crate::facets::write_facet_docs(&live);
        let _ = crate::facets::write_all_counts(&live);
    }
}

/// Articles already in the index: id → content hash.
#[derive(Default)]
struct Existing {
    hashes: HashMap<String, String>,
}

impl Existing {
    fn load(live: &store::NewsIndex) -> Result<Existing> {
        let schema = live.index.schema();
        let id_name = schema.get_field_name(live.fields.article_id);
        let hash_name = schema.get_field_name(live.fields.article_hash);
        let mut hashes = HashMap::new();
        let searcher = live.reader.searcher();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let (Some(ids), Some(hs)) = (
                ff.str(id_name).context("cannot read article ids")?,
                ff.str(hash_name).context("cannot read article hashes")?,
            ) else {
                continue;
            };
            // One (id, hash) ord pair per article: its paragraphs are consecutive documents
            // with the same pair. The ords are then named in one pass over each dictionary (a
            // lookup per document read a dictionary block each time: 2.7 s on 132k paragraphs,
            // 25 s on 1M, for an update of one article).
            let alive = segment.alive_bitset();
            let mut pairs: Vec<(u64, u64)> = Vec::new();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let (Some(io), Some(ho)) = (ids.ords().first(doc), hs.ords().first(doc)) else {
                    continue;
                };
                if pairs.last() != Some(&(io, ho)) {
                    pairs.push((io, ho));
                }
            }
            let id_names =
                OrdNames::of(&ids, pairs.iter().map(|p| p.0)).context("cannot read article ids")?;
            let hash_names = OrdNames::of(&hs, pairs.iter().map(|p| p.1))
                .context("cannot read article hashes")?;
            for (io, ho) in pairs {
                if let (Some(id), Some(h)) = (id_names.get(io), hash_names.get(ho)) {
                    if !hashes.contains_key(id) {
                        hashes.insert(id.to_string(), h.to_string());
                    }
                }
            }
        }
        Ok(Existing { hashes })
    }
}

/// The terms of some ords of a string column, read in one pass over its dictionary.
struct OrdNames {
    /// The ords, ascending, without repeats.
    ords: Vec<u64>,
    /// The term of each.
    names: Vec<String>,
}

impl OrdNames {
    fn of(
        col: &tantivy::columnar::StrColumn,
        ords: impl Iterator<Item = u64>,
    ) -> tantivy::Result<OrdNames> {
        let mut ords: Vec<u64> = ords.collect();
        ords.sort_unstable();
        ords.dedup();
        let mut names = Vec::with_capacity(ords.len());
        col.dictionary().sorted_ords_to_term_cb(&ords, |t| {
            names.push(String::from_utf8_lossy(t).into_owned())
        })?;
        Ok(OrdNames { ords, names })
    }

    fn get(&self, ord: u64) -> Option<&str> {
        let i = self.ords.binary_search(&ord).ok()?;
        self.names.get(i).map(String::as_str)
    }
}

/// One indexing run's state.
struct Run {
    summary: IndexSummary,
    files: Vec<corpus::CorpusFile>,
    threads: usize,
    /// The corpus-wide person map, once the corpus is written.
    persons: PersonMap,
    /// Number of the next article written (`seq` field: corpus order).
    next_article: u64,
}

impl Run {
    fn start(
        store: &Store,
        opts: &IndexOptions,
        progress: &mut dyn Progress,
        mode: &'static str,
    ) -> Result<Run> {
        let threads = opts.threads.clamp(1, 8);
        let mut summary = IndexSummary {
            mode,
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
            let paths = opts
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::EmptyCorpus(if summary.errors > 0 {
                format!("{paths} (every path failed: see the errors above)")
            } else {
                paths
            }));
        }
        summary.files = files.len() as u64;
        Ok(Run {
            summary,
            files,
            threads,
            persons: PersonMap::default(),
            next_article: 0,
        })
    }

    /// Reads, prepares and writes every article; commits once at the end.
    fn feed(
        &mut self,
        index: &Index,
        fields: &Fields,
        existing: &Existing,
        opts: &IndexOptions,
        progress: &mut dyn Progress,
        started: Instant,
    ) -> Result<()> {
        let threads = self.threads;
        // Writer arena: a third of the budget, at least tantivy's minimum per thread. tantivy
        // counts only its arena against this limit; segment serialisation, fast-field and
        // doc-store buffers and background merges come on top (measured: a 256 MB arena peaked
        // at ~520 MB of anonymous memory on 1M paragraphs; with two fifths of 512 MB the peak
        // RSS on 1M paragraphs was 517-562 MB, with a third 457-469 MB and 434 MB on 300k, at
        // the same build time; BENCHMARKS.md). The rest covers those, the documents in flight
        // (below) and the fixed cost of the NER models, gazetteers and stem caches (~100 MB).
        let arena = opts.memory_bytes / 3;
        let writer_threads = threads.min(arena / MIN_WRITER_BYTES_PER_THREAD).max(1);
        let writer_bytes = arena.max(MIN_WRITER_BYTES_PER_THREAD * writer_threads);
        let writer: IndexWriter<TrackedDoc> = index
            .writer_with_num_threads(writer_threads, writer_bytes)
            .context("cannot start the index writer")?;
        // Raw batches are small so that preparing and indexing overlap from the start (a large
        // first batch left tantivy's threads idle for seconds). Two batches are alive on our
        // side (one queued, one being prepared), each expanding about tenfold into prepared
        // documents (text and title in three fields each, tags): a batch gets a 256th of the
        // budget. Documents handed to tantivy and waiting for its threads are bounded apart
        // ([`InFlight`], a 16th of the budget; tantivy's own queue counts articles, not
        // bytes). The rest is the writer's arena (a third) and the fixed cost of the models
        // and caches. Measured on 1M paragraphs with --memory 512: batches of 1/64 put the
        // peak anonymous memory at ~580 MB, tantivy's unbounded queue ~500-525 MB; see
        // BENCHMARKS.md.
        let batch_bytes = (opts.memory_bytes / 256).clamp(256 << 10, 16 << 20);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("newsidx-prepare-{i}"))
            .build()
            .map_err(|e| Error::InvalidOption {
                option: "--threads",
                message: e.to_string(),
            })?;
        let tagger = RuleTagger::new();
        let mut reader = CorpusReader::new(std::mem::take(&mut self.files), opts.read.clone());
        let mut sink = Sink {
            writer,
            in_flight: Arc::new(InFlight::new(opts.memory_bytes / IN_FLIGHT_SHARE)),
            fields,
            existing,
            seen: Seen::default(),
            next_article: &mut self.next_article,
        };
        let summary = &mut self.summary;
        // The producer reads and prepares batches (rayon) while this thread feeds the writer;
        // the channel holds one prepared batch, so memory stays bounded.
        type Batch = (Vec<std::result::Result<Ready, RecordError>>, u64);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1);
        let fed = std::thread::scope(|scope| -> Result<u64> {
            let producer = scope.spawn(|| {
                loop {
                    let batch = next_batch(&mut reader, batch_bytes);
                    if batch.is_empty() {
                        break;
                    }
                    // Order-preserving parallel map: problems are reported in corpus order.
                    let prepared: Vec<std::result::Result<Ready, RecordError>> =
                        pool.install(|| {
                            batch
                                .into_par_iter()
                                .map(|raw| prepare(raw, &tagger, existing, opts, fields))
                                .collect()
                        });
                    if tx.send((prepared, reader.bytes_read)).is_err() {
                        break; // the consumer stopped on an error
                    }
                }
                drop(tx); // moves the sender into this thread: the consumer's loop ends with it
                reader.bytes_read
            });
            let consumed = (|| -> Result<()> {
                for (prepared, bytes_read) in rx.iter() {
                    for item in prepared {
                        sink.write(item, summary, progress)?;
                    }
                    summary.bytes = bytes_read;
                    summary.seconds = started.elapsed().as_secs_f64();
                    progress.advance(summary);
                }
                Ok(())
            })();
            drop(rx);
            // A panic while preparing is a bug: propagate it as rayon did before.
            let bytes = producer
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            consumed.map(|()| bytes)
        })?;
        summary.bytes = fed;
        let fed_at = Instant::now();
        summary.phases.feed = (fed_at - started).as_secs_f64();
        let Sink {
            mut writer, seen, ..
        } = sink;
        if opts.delete_missing {
            let gone: HashSet<&String> = existing
                .hashes
                .keys()
                .filter(|id| !seen.contains(id))
                .collect();
            for id in gone {
                writer.delete_term(Term::from_field_text(fields.article_id, id));
                summary.deleted += 1;
            }
        }
        if summary.articles == 0 && summary.errors > 0 && summary.unchanged == 0 {
            // Nothing to commit; the caller decides whether that is an error.
            return Ok(());
        }
        writer.commit().context("cannot commit the index")?;
        let committed_at = Instant::now();
        summary.phases.commit = (committed_at - fed_at).as_secs_f64();
        // Second pass: which bare surnames resolve against the whole corpus.
        let (map, resolved) = person_map(index, fields)?;
        summary.resolved = resolved;
        self.persons = map;
        writer
            .wait_merging_threads()
            .context("cannot finish merging segments")?;
        summary.phases.persons = committed_at.elapsed().as_secs_f64();
        Ok(())
    }
}

/// The article ids written in this run (duplicate detection) and where each was first seen. It
/// keeps a 128-bit hash of each id rather than the id (a collision is astronomically unlikely)
/// and the file as an index into a list: ~40 bytes an article instead of ~150, since this map
/// is the one part of a build's memory that grows with the number of articles.
#[derive(Default)]
struct Seen {
    files: Vec<String>,
    first: HashMap<u128, (u32, u32)>,
}

impl Seen {
    fn key(id: &str) -> u128 {
        xxhash_rust::xxh3::xxh3_128(id.as_bytes())
    }

    /// Whether an article with this id was written in this run.
    fn contains(&self, id: &str) -> bool {
        self.first.contains_key(&Self::key(id))
    }

    /// Where an article with this id was first seen (`file:line`); or, the first time, records
    /// this one and returns `None`.
    fn first_or_insert(&mut self, id: &str, origin: &Origin) -> Option<String> {
        match self.first.entry(Self::key(id)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let (file, line) = *e.get();
                Some(format!("{}:{line}", self.files[file as usize]))
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                // Files are read one after the other: a new file is a new last entry.
                if self.files.last() != Some(&origin.file) {
                    self.files.push(origin.file.clone());
                }
                let file = (self.files.len() - 1) as u32;
                v.insert((file, u32::try_from(origin.line).unwrap_or(u32::MAX)));
                None
            }
        }
    }
}

/// The writing side of a run: the one `IndexWriter` and what placing an article needs.
struct Sink<'a> {
    writer: IndexWriter<TrackedDoc>,
    /// Prepared documents handed to the writer and not yet indexed.
    in_flight: Arc<InFlight>,
    fields: &'a Fields,
    existing: &'a Existing,
    seen: Seen,
    /// Number of the next article written (`seq` field: corpus order).
    next_article: &'a mut u64,
}

impl Sink<'_> {
    /// Writes one prepared article (or reports its problem): duplicate ids are skipped,
    /// unchanged articles (update mode) counted, changed ones replace their old paragraphs.
    fn write(
        &mut self,
        item: std::result::Result<Ready, RecordError>,
        summary: &mut IndexSummary,
        progress: &mut dyn Progress,
    ) -> Result<()> {
        let Sink {
            writer,
            in_flight,
            fields,
            existing,
            seen,
            next_article,
        } = self;
        let ready = match item {
            Ok(r) => r,
            Err(e) => {
                count_problem(summary, &e);
                progress.problem(&e);
                return Ok(());
            }
        };
        if let Some(first) = seen.first_or_insert(&ready.id, &ready.origin) {
            let e = RecordError::new(
                &ready.origin.file,
                ready.origin.line,
                format!(
                    "duplicate article id {:?} (first at {first}); skipped",
                    ready.id
                ),
            );
            count_problem(summary, &e);
            progress.problem(&e);
            return Ok(());
        }
        if let Some(w) = &ready.warning {
            count_problem(summary, w);
            progress.problem(w);
        }
        match existing.hashes.get(&ready.id) {
            Some(h) if *h == ready.hash => {
                summary.unchanged += 1;
                return Ok(());
            }
            Some(_) => {
                writer.delete_term(Term::from_field_text(fields.article_id, &ready.id));
                summary.replaced += 1;
            }
            None => summary.added += 1,
        }
        summary.articles += 1;
        summary.paragraphs += ready.docs.len() as u64;
        let article_no = **next_article;
        **next_article += 1;
        let bytes: usize = ready.docs.iter().map(|(_, b)| b).sum();
        in_flight.reserve(bytes);
        let ops: Vec<UserOperation<TrackedDoc>> = ready
            .docs
            .into_iter()
            .enumerate()
            .map(|(i, (mut doc, bytes))| {
                doc.add_u64(
                    fields.seq,
                    (article_no << 20) | (i as u64).min((1 << 20) - 1),
                );
                UserOperation::Add(TrackedDoc {
                    doc,
                    bytes,
                    in_flight: Arc::clone(in_flight),
                })
            })
            .collect();
        writer.run(ops).context("cannot add documents")?;
        Ok(())
    }
}

/// Share of the memory budget for prepared documents waiting in tantivy's queue.
const IN_FLIGHT_SHARE: usize = 16;

/// Prepared documents handed to the writer and not yet indexed, in estimated bytes. tantivy's
/// queue holds up to 10,000 operations (articles) whatever their size, so without this bound
/// the documents waiting for its threads grew whenever preparing outran indexing (measured on
/// 1M paragraphs at --memory 512: BENCHMARKS.md). Each [`TrackedDoc`] gives its bytes back when
/// tantivy drops it, right after indexing it.
struct InFlight {
    bytes: AtomicUsize,
    limit: usize,
    lock: Mutex<()>,
    freed: Condvar,
}

impl InFlight {
    /// Waiting stops after this long without any document indexed, in case tantivy's threads
    /// stopped (the next `run` then reports their error) rather than block forever.
    const STALL: Duration = Duration::from_secs(10);

    fn new(limit: usize) -> InFlight {
        InFlight {
            bytes: AtomicUsize::new(0),
            limit,
            lock: Mutex::new(()),
            freed: Condvar::new(),
        }
    }

    /// Waits for room ([`InFlight::wait_for_room`]), then counts `bytes` as in flight.
    fn reserve(&self, bytes: usize) {
        self.wait_for_room();
        self.bytes.fetch_add(bytes, Ordering::AcqRel);
    }

    fn release(&self, bytes: usize) {
        let before = self.bytes.fetch_sub(bytes, Ordering::AcqRel);
        if before > self.limit && before - bytes <= self.limit {
            let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.freed.notify_all();
        }
    }

    /// Blocks while the documents in flight exceed the limit.
    fn wait_for_room(&self) {
        if self.bytes.load(Ordering::Acquire) <= self.limit {
            return;
        }
        let mut guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut last = self.bytes.load(Ordering::Acquire);
        let mut since = Instant::now();
        while last > self.limit && since.elapsed() < Self::STALL {
            guard = self
                .freed
                .wait_timeout(guard, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
            let now = self.bytes.load(Ordering::Acquire);
            if now != last {
                since = Instant::now();
                last = now;
            }
        }
    }
}

/// A tantivy document that counts against [`InFlight`] until tantivy drops it.
struct TrackedDoc {
    doc: TantivyDocument,
    bytes: usize,
    in_flight: Arc<InFlight>,
}

impl Drop for TrackedDoc {
    fn drop(&mut self) {
        self.in_flight.release(self.bytes);
    }
}

impl Document for TrackedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(mut self) -> TantivyDocument {
        std::mem::take(&mut self.doc)
    }
}

/// An article ready to write.
struct Ready {
    id: String,
    hash: String,
    origin: Origin,
    /// Each document with its estimated size in memory.
    docs: Vec<(TantivyDocument, usize)>,
    warning: Option<RecordError>,
}

/// Parse, split, tag and build one article. Runs in parallel. Unchanged articles (update
/// mode) are recognised before the expensive work.
fn prepare(
    raw: std::result::Result<RawRecord, RecordError>,
    tagger: &RuleTagger,
    existing: &Existing,
    opts: &IndexOptions,
    fields: &Fields,
) -> std::result::Result<Ready, RecordError> {
    let article = corpus::parse_record(&raw?)?;
    let unchanged = existing.hashes.get(&article.id) == Some(&article.hash);
    if unchanged {
        return Ok(Ready {
            id: article.id,
            hash: article.hash,
            origin: article.origin,
            docs: Vec::new(),
            warning: None,
        });
    }
    let prepared = document::prepare(&article, tagger as &dyn EntityTagger, &opts.build);
    if prepared.docs.is_empty() {
        return Err(RecordError::new(
            &article.origin.file,
            article.origin.line,
            "article has no paragraphs after removing boilerplate; skipped",
        ));
    }
    let warning = (prepared.dropped > 0).then(|| {
        RecordError::warning(
            &article.origin.file,
            article.origin.line,
            format!(
                "article has more than {} paragraphs; the last {} were not indexed",
                opts.build.max_paragraphs, prepared.dropped
            ),
        )
    });
    Ok(Ready {
        docs: prepared
            .docs
            .iter()
            .map(|d| (document::to_tantivy(d, fields), document::footprint(d)))
            .collect(),
        id: article.id,
        hash: article.hash,
        origin: article.origin,
        warning,
    })
}

/// The indexer's second pass: counts, per full name, the articles that name it, and decides
/// which bare surnames resolve corpus-wide ([`PersonMap`]); the map is stored with the index
/// and applied when it is read. Returns the map and the number of paragraphs it resolves a
/// surname in.
fn person_map(index: &Index, fields: &Fields) -> Result<(PersonMap, u64)> {
    let reader: tantivy::IndexReader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .context("cannot open an index reader")?;
    let searcher = reader.searcher();
    let schema = index.schema();
    let persons_name = schema.get_field_name(fields.persons);
    let article_name = schema.get_field_name(fields.article_id);
    // Articles per full name: an article's paragraphs are contiguous within one segment.
    let mut articles_per_name: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let (Some(persons), Some(articles)) = (
            ff.str(persons_name).context("cannot read persons")?,
            ff.str(article_name).context("cannot read article ids")?,
        ) else {
            continue;
        };
        let mut last_article = vec![u64::MAX; persons.num_terms()];
        let mut counts = vec![0u64; persons.num_terms()];
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let article = articles.ords().first(doc).unwrap_or(u64::MAX);
            for ord in persons.ords().values_for_doc(doc) {
                let o = ord as usize;
                if last_article[o] != article {
                    last_article[o] = article;
                    counts[o] += 1;
                }
            }
        }
        let counted = (0..counts.len() as u64).filter(|&o| counts[o as usize] > 0);
        let names = OrdNames::of(&persons, counted).context("cannot read persons")?;
        for (ord, name) in names.ords.into_iter().zip(names.names) {
            *articles_per_name.entry(name).or_default() += counts[ord as usize];
        }
    }
    let map = PersonMap::from_counts(&articles_per_name);
    let clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = map
        .aliases()
        .keys()
        .map(|alias| {
            let q: Box<dyn tantivy::query::Query> = Box::new(TermQuery::new(
                Term::from_field_text(fields.person_candidates, alias),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    let resolved = if clauses.is_empty() {
        0
    } else {
        searcher
            .search(&BooleanQuery::new(clauses), &Count)
            .context("search failed")? as u64
    };
    Ok((map, resolved))
}

fn count_problem(summary: &mut IndexSummary, p: &RecordError) {
    if p.warning {
        summary.warnings += 1;
    } else {
        summary.errors += 1;
    }
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

/// Test fixtures shared by the unit tests of several stages.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{build, update, IndexOptions, Silent};
    use crate::store::Store;

    /// An index of the committed sample corpus, updated with the seed article: two segments
    /// whose dictionaries differ. The directory lives as long as the returned guard.
    pub(crate) fn sample_and_seed() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("index"));
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        build(
            &store,
            &IndexOptions::new(vec![corpus.join("sample.jsonl")]),
            &mut Silent,
        )
        .unwrap();
        let seed = IndexOptions::new(vec![corpus.join("000_05427ea14c8b4e57.txt")]);
        update(&store, &seed, &mut Silent).unwrap();
        (dir, store)
    }
}

#[cfg(test)]
mod tests {
    use super::{build, InFlight, IndexOptions, Silent};
    use crate::store::Store;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn in_flight_waits_until_tantivy_has_indexed_enough() {
        let in_flight = Arc::new(InFlight::new(1000));
        let started = Instant::now();
        in_flight.reserve(600);
        in_flight.reserve(600); // 600 are in flight, under the limit: no wait
        assert!(started.elapsed() < Duration::from_millis(50));
        let releaser = {
            let in_flight = Arc::clone(&in_flight);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(150));
                in_flight.release(600);
            })
        };
        let started = Instant::now();
        in_flight.wait_for_room();
        assert!(started.elapsed() >= Duration::from_millis(100));
        assert_eq!(
            in_flight.bytes.load(std::sync::atomic::Ordering::Acquire),
            600
        );
        releaser.join().unwrap();
    }

    #[test]
    fn a_tiny_budget_indexes_the_same_paragraphs() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/sample.jsonl");
        let count = |memory_bytes: usize| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::new(dir.path().join("index"));
            let mut opts = IndexOptions::new(vec![corpus.clone()]);
            opts.memory_bytes = memory_bytes;
            // 1 MB: documents in flight are limited to 64 KB, a few articles (the sample's
            // documents take ~1 MB), so writing waits for tantivy again and again.
            let summary = build(&store, &opts, &mut Silent).unwrap();
            (summary.articles, summary.paragraphs)
        };
        let (articles, paragraphs) = count(512 << 20);
        assert!(articles > 10 && paragraphs > articles);
        assert_eq!(count(1 << 20), (articles, paragraphs));
    }
}
