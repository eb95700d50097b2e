//! index store: the on-disk layout of a newsidx index, its metadata, the writer lock, and the
//! atomic swap of a freshly built generation.
//!
//! ```text
//! INDEX_DIR/
//!   CURRENT            name of the live generation ("gen-000003"), replaced atomically
//!   LOCK               pid of the process building or updating (exclusive, stale locks are taken over)
//!   gen-000003/        a tantivy index + newsidx.json (schema version, analyzer fingerprint, stats)
//!   gen-000004.tmp/    a build in progress; never read; removed by the next run if left behind
//! ```

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis;
use crate::entity::resolve::PersonMap;
use crate::error::{Error, Result, TantivyContext};
use crate::schema::{Fields, SchemaSpec};

/// File naming the live generation.
const CURRENT: &str = "CURRENT";
/// The writer lock file.
const LOCK: &str = "LOCK";
/// Metadata file inside a generation.
pub const META: &str = "newsidx.json";
/// Corpus-wide surname resolution inside a generation.
pub const PERSONS: &str = "persons.bin";
/// The person map as versions before 2026-12-07 (twelfth session) stored it: still read.
const PERSONS_JSON: &str = "persons.json";

/// What newsidx records about an index, next to tantivy's own files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexMeta {
    /// Schema name from the schema file.
    pub schema_name: String,
    /// Schema version from the schema file.
    pub schema_version: u32,
    /// Fingerprint of the analyzers ([`analysis::fingerprint`]).
    pub analyzer_fingerprint: String,
    /// newsidx version that built it.
    pub built_by: String,
    /// When it was built (RFC 3339, UTC).
    pub built_at: String,
    /// Corpus paths it was built from.
    pub corpus: Vec<String>,
    /// Articles indexed.
    pub articles: u64,
    /// Paragraph documents indexed.
    pub paragraphs: u64,
    /// Articles ever written (the next article's number in the `seq` field).
    #[serde(default)]
    pub articles_written: u64,
}

impl IndexMeta {
    /// Metadata for a new index built by this binary.
    pub fn new(spec: &SchemaSpec, corpus: Vec<String>) -> Self {
        IndexMeta {
            schema_name: spec.name.clone(),
            schema_version: spec.version,
            analyzer_fingerprint: analysis::fingerprint(),
            built_by: env!("CARGO_PKG_VERSION").to_string(),
            built_at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            corpus,
            articles: 0,
            paragraphs: 0,
            articles_written: 0,
        }
    }

    /// Checks that this binary can read an index with this metadata.
    fn check(&self, spec: &SchemaSpec, dir: &Path) -> Result<()> {
        let incompatible = |detail: String| Error::IncompatibleIndex {
            path: dir.to_path_buf(),
            detail,
        };
        if self.schema_name != spec.name || self.schema_version != spec.version {
            return Err(incompatible(format!(
                "schema {} v{}, this binary reads {} v{}",
                self.schema_name, self.schema_version, spec.name, spec.version
            )));
        }
        if self.analyzer_fingerprint != analysis::fingerprint() {
            return Err(incompatible(format!(
                "analyzers {}, this binary uses {}",
                self.analyzer_fingerprint,
                analysis::fingerprint()
            )));
        }
        Ok(())
    }
}

/// An index directory (which may not exist yet).
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store at a path.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Store { dir: dir.into() }
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The live generation's directory, if there is one.
    pub fn current(&self) -> Result<Option<PathBuf>> {
        let path = self.dir.join(CURRENT);
        match fs::read_to_string(&path) {
            Ok(name) => {
                let name = name.trim();
                if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                    return Err(Error::IncompatibleIndex {
                        path: self.dir.clone(),
                        detail: format!("{CURRENT} holds {name:?}, not a generation name"),
                    });
                }
                Ok(Some(self.dir.join(name)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("cannot read", path, e)),
        }
    }

    /// Takes the writer lock, cleans up stale temporary generations, and returns a guard.
    pub fn lock(&self) -> Result<WriteLock> {
        fs::create_dir_all(&self.dir).map_err(|e| Error::io("cannot create", &self.dir, e))?;
        if self.current()?.is_none() && !is_empty_dir(&self.dir)? && !self.dir.join(LOCK).exists() {
            return Err(Error::InvalidOption {
                option: "--index",
                message: format!(
                    "{} exists and is not a newsidx index; refusing to write into it",
                    self.dir.display()
                ),
            });
        }
        let lock = WriteLock::acquire(&self.dir)?;
        self.remove_stale()?;
        Ok(lock)
    }

    /// Removes leftover `*.tmp` generations and generations other than the live one.
    /// Only called with the lock held.
    fn remove_stale(&self) -> Result<()> {
        let live = self.current()?;
        let entries =
            fs::read_dir(&self.dir).map_err(|e| Error::io("cannot read", &self.dir, e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("gen-") && Some(&path) != live.as_ref() && path.is_dir() {
                // Ignore failures: a reader may still have files open (fine on Unix), and the
                // next run tries again.
                let _ = fs::remove_dir_all(&path);
            }
        }
        Ok(())
    }

    /// A new, empty temporary generation directory to build into.
    pub fn new_generation(&self, _lock: &WriteLock) -> Result<Generation> {
        let next = match self.current()? {
            Some(p) => {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_prefix("gen-"))
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0)
                    + 1
            }
            None => 1,
        };
        let name = format!("gen-{next:06}");
        let tmp = self.dir.join(format!("{name}.tmp"));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Error::io("cannot remove", &tmp, e))?;
        }
        fs::create_dir_all(&tmp).map_err(|e| Error::io("cannot create", &tmp, e))?;
        Ok(Generation { name, tmp })
    }

    /// Makes a completed generation the live one: writes its metadata, syncs, renames it into
    /// place and atomically replaces CURRENT. The previous generation is removed afterwards.
    pub fn publish(
        &self,
        generation: Generation,
        meta: &IndexMeta,
        _lock: &WriteLock,
    ) -> Result<PathBuf> {
        let meta_path = generation.tmp.join(META);
        write_synced(
            &meta_path,
            serde_json::to_string_pretty(meta)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        sync_dir(&generation.tmp)?;
        let final_dir = self.dir.join(&generation.name);
        fs::rename(&generation.tmp, &final_dir)
            .map_err(|e| Error::io("cannot rename", &generation.tmp, e))?;
        let current_tmp = self.dir.join(format!("{CURRENT}.tmp"));
        write_synced(&current_tmp, format!("{}\n", generation.name).as_bytes())?;
        fs::rename(&current_tmp, self.dir.join(CURRENT))
            .map_err(|e| Error::io("cannot rename", &current_tmp, e))?;
        sync_dir(&self.dir)?;
        self.remove_stale()?;
        Ok(final_dir)
    }

    /// Replaces the metadata of a live generation (after an update), atomically.
    pub fn write_meta(&self, generation: &Path, meta: &IndexMeta, _lock: &WriteLock) -> Result<()> {
        let tmp = generation.join(format!("{META}.tmp"));
        write_synced(
            &tmp,
            serde_json::to_string_pretty(meta)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        fs::rename(&tmp, generation.join(META)).map_err(|e| Error::io("cannot rename", &tmp, e))?;
        sync_dir(generation)
    }

    /// Opens the live generation for searching, checking schema and analyzers.
    ///
    /// A rebuild that publishes a new generation between reading CURRENT and opening the
    /// generation removes the one being opened; the open is then retried on the new CURRENT.
    /// Once open, an index stays readable even if a rebuild removes its files (they stay
    /// mapped until the reader closes).
    pub fn open(&self) -> Result<NewsIndex> {
        let mut attempts = 0;
        loop {
            let Some(gen_dir) = self.current()? else {
                return Err(Error::NoIndex(self.dir.clone()));
            };
            match NewsIndex::open_generation(&gen_dir, &self.dir) {
                // The generation was swapped out, or an update's commit removed segment files
                // between reading the segment list and opening them: read the state again.
                Err(e)
                    if attempts < 10
                        && (matches!(e, Error::Tantivy { .. }) || !gen_dir.exists()) =>
                {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10 * attempts));
                }
                other => return other,
            }
        }
    }
}

/// A generation being built.
#[derive(Debug)]
pub struct Generation {
    name: String,
    tmp: PathBuf,
}

impl Drop for Generation {
    /// A generation dropped before [`Store::publish`] renamed it is removed (best effort: a
    /// killed process leaves it for the next run's clean-up instead).
    fn drop(&mut self) {
        if self.tmp.exists() {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

impl Generation {
    /// The temporary directory to build into.
    pub fn path(&self) -> &Path {
        &self.tmp
    }
}

/// An open index, ready to search.
pub struct NewsIndex {
    /// The tantivy index (analyzers registered).
    pub index: Index,
    /// Its reader.
    pub reader: IndexReader,
    /// Field handles.
    pub fields: Fields,
    /// The recorded metadata.
    pub meta: IndexMeta,
    /// The generation directory.
    pub path: PathBuf,
    /// Corpus-wide surname resolution, applied when reading (shared with `person_ords`).
    pub persons: std::sync::Arc<PersonMap>,
    /// Person facet values as numbers shared by all segments (facet counts).
    pub person_ords: std::sync::Arc<crate::facets::GlobalOrds>,
    /// Country facet values as numbers shared by all segments (facet counts).
    pub country_ords: std::sync::Arc<crate::facets::GlobalOrds>,
    /// Hash of the person map's file as written (its in-memory form has no stable order).
    pub persons_hash: u64,
    /// The stored facet counts over all paragraphs, read on first use
    /// ([`crate::facets::all_counts`]).
    pub all_counts: std::sync::OnceLock<Option<crate::facets::AllCounts>>,
    /// Every document's facet values, mapped on first use ([`crate::facets::stored_docs`]).
    pub facet_docs: std::sync::OnceLock<Option<std::sync::Arc<crate::facet_docs::FacetDocs>>>,
    /// The generation directory, memory-mapped, for the files newsidx derives from the index
    /// (tantivy's own view of it checks every file for tantivy's footer).
    pub files: MmapDirectory,
    /// Fast-field columns of each segment, opened once ([`crate::search::SegmentColumns`]).
    pub columns: std::sync::Arc<crate::search::SegmentColumns>,
    /// Where the articles of each segment start, found once ([`crate::join::ArticleStarts`]).
    pub article_starts: std::sync::Arc<crate::join::ArticleStarts>,
}

impl NewsIndex {
    fn open_generation(gen_dir: &Path, store_dir: &Path) -> Result<NewsIndex> {
        let spec = SchemaSpec::embedded()?;
        let meta_path = gen_dir.join(META);
        let meta_text = fs::read_to_string(&meta_path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::IncompatibleIndex {
                    path: store_dir.to_path_buf(),
                    detail: format!("{} is missing", meta_path.display()),
                }
            } else {
                Error::io("cannot read", &meta_path, e)
            }
        })?;
        let meta: IndexMeta =
            serde_json::from_str(&meta_text).map_err(|e| Error::IncompatibleIndex {
                path: store_dir.to_path_buf(),
                detail: format!("{} does not parse: {e}", meta_path.display()),
            })?;
        meta.check(&spec, store_dir)?;
        let what = format!("cannot open index {}", gen_dir.display());
        let mmap = MmapDirectory::open(gen_dir).map_err(|e| Error::InvalidOption {
            option: "--index",
            message: format!("{what}: {e}"),
        })?;
        let index = Index::open(ReadableDirectory(mmap.clone())).context(&what)?;
        let expected = spec.tantivy_schema();
        if index.schema() != expected {
            return Err(Error::IncompatibleIndex {
                path: store_dir.to_path_buf(),
                detail: "the tantivy schema differs from schema/paragraph.json".into(),
            });
        }
        analysis::register(index.tokenizers());
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("cannot open an index reader")?;
        let (persons, persons_hash) = read_person_map(gen_dir)?;
        let persons = std::sync::Arc::new(persons);
        let seq_name = index.schema().get_field_name(fields.seq).to_string();
        Ok(NewsIndex {
            index,
            reader,
            fields,
            meta,
            path: gen_dir.to_path_buf(),
            person_ords: std::sync::Arc::new(crate::facets::GlobalOrds::for_persons(
                std::sync::Arc::clone(&persons),
                gen_dir,
                persons_hash,
            )),
            country_ords: std::sync::Arc::new(crate::facets::GlobalOrds::new()),
            persons,
            persons_hash,
            all_counts: std::sync::OnceLock::new(),
            facet_docs: std::sync::OnceLock::new(),
            files: mmap,
            columns: std::sync::Arc::new(crate::search::SegmentColumns::new(seq_name)),
            article_starts: std::sync::Arc::default(),
        })
    }
}

/// tantivy's memory-mapped directory, except that a reader on a read-only file system (an
/// archive on read-only media, a mounted snapshot) can open it: the meta lock, which only
/// guards against a concurrent writer's garbage collection, is skipped when it cannot be
/// created because the file system is read-only (no writer can exist there).
#[derive(Debug, Clone)]
struct ReadableDirectory(MmapDirectory);

impl Directory for ReadableDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<std::sync::Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> std::result::Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> std::result::Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> std::result::Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> std::result::Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> std::result::Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath
                    && matches!(
                        e.kind(),
                        std::io::ErrorKind::ReadOnlyFilesystem
                            | std::io::ErrorKind::PermissionDenied
                    ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}

/// Writes a generation's corpus-wide person map, atomically.
pub fn write_person_map(generation: &Path, map: &PersonMap) -> Result<()> {
    write_replacing(generation, PERSONS, &map.to_bytes())?;
    // An index that an earlier version wrote, updated: its JSON map is now out of date.
    let old = generation.join(PERSONS_JSON);
    match fs::remove_file(&old) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io("cannot remove", &old, e))
        }
        _ => Ok(()),
    }
}

/// Writes a file of a generation atomically: to `NAME.tmp`, synced, then renamed over `NAME`,
/// so a reader sees the old file or the new one, never a part.
/// Writes a file of a generation through `write` (buffered) into a temporary file that then
/// replaces it, for a file too large to be built in memory first.
pub(crate) fn write_replacing_with(
    generation: &Path,
    name: &str,
    write: impl FnOnce(std::io::BufWriter<fs::File>) -> Result<std::io::BufWriter<fs::File>>,
) -> Result<()> {
    let tmp = generation.join(format!("{name}.tmp"));
    let f = fs::File::create(&tmp).map_err(|e| Error::io("cannot create", &tmp, e))?;
    let out = write(std::io::BufWriter::with_capacity(1 << 16, f))?;
    let f = out
        .into_inner()
        .map_err(|e| Error::io("cannot write", &tmp, e.into_error()))?;
    f.sync_all()
        .map_err(|e| Error::io("cannot sync", &tmp, e))?;
    fs::rename(&tmp, generation.join(name)).map_err(|e| Error::io("cannot rename", &tmp, e))
}

pub(crate) fn write_replacing(generation: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = generation.join(format!("{name}.tmp"));
    write_synced(&tmp, bytes)?;
    fs::rename(&tmp, generation.join(name)).map_err(|e| Error::io("cannot rename", &tmp, e))
}

/// Reads a generation's person map (none yet means no corpus-wide resolution), with a hash
/// of its file (0 when there is none). An index written before `persons.bin` has its map in
/// `persons.json`.
fn read_person_map(generation: &Path) -> Result<(PersonMap, u64)> {
    let not_parsed = |path: &Path, detail: String| Error::IncompatibleIndex {
        path: generation.to_path_buf(),
        detail: format!("{} does not parse: {detail}", path.display()),
    };
    let path = generation.join(PERSONS);
    match fs::read(&path) {
        Ok(bytes) => {
            return PersonMap::from_bytes(&bytes)
                .map(|map| (map, xxhash_rust::xxh3::xxh3_64(&bytes)))
                .ok_or_else(|| not_parsed(&path, "not a person map, or a damaged one".into()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("cannot read", path, e)),
    }
    let path = generation.join(PERSONS_JSON);
    match fs::read_to_string(&path) {
        Ok(text) => PersonMap::from_json(&text)
            .map(|map| (map, xxhash_rust::xxh3::xxh3_64(text.as_bytes())))
            .map_err(|e| not_parsed(&path, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((PersonMap::default(), 0)),
        Err(e) => Err(Error::io("cannot read", path, e)),
    }
}

/// Values made once per segment of an open index (opened columns, where articles start).
/// Segments are immutable, so a value stays valid; entries of segments merged away are dropped
/// when the cache grows past `max` entries and starts over.
#[derive(Debug)]
pub struct SegmentCache<K, V> {
    entries: std::sync::Mutex<Vec<(tantivy::index::SegmentId, K, V)>>,
    max: usize,
}

impl<K, V: Clone> SegmentCache<K, V> {
    /// An empty cache of at most `max` entries.
    pub const fn new(max: usize) -> Self {
        SegmentCache {
            entries: std::sync::Mutex::new(Vec::new()),
            max,
        }
    }

    /// The value of segment `id` whose key satisfies `is`, if it was made.
    pub fn find(&self, id: tantivy::index::SegmentId, is: impl Fn(&K) -> bool) -> Option<V> {
        self.lock()
            .iter()
            .find(|(s, k, _)| *s == id && is(k))
            .map(|(_, _, v)| v.clone())
    }

    /// The value of segment `id` whose key satisfies `is`; when there is none, `make` makes
    /// it (with its key), outside the lock.
    pub fn get_or_make(
        &self,
        id: tantivy::index::SegmentId,
        is: impl Fn(&K) -> bool,
        make: impl FnOnce() -> tantivy::Result<(K, V)>,
    ) -> tantivy::Result<V> {
        if let Some(v) = self.find(id, &is) {
            return Ok(v);
        }
        let (key, value) = make()?;
        let mut entries = self.lock();
        // Made meanwhile by another thread: keep one.
        if let Some((_, _, v)) = entries.iter().find(|(s, k, _)| *s == id && is(k)) {
            return Ok(v.clone());
        }
        if entries.len() >= self.max {
            entries.clear();
        }
        entries.push((id, key, value.clone()));
        Ok(value)
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(tantivy::index::SegmentId, K, V)>> {
        // Entries are pushed whole: a panic elsewhere cannot leave one half-made.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Doc-store block size in bytes. Every shown hit decompresses the whole block it sits in
/// (a paragraph is ~1 KB stored; the 10 hits of a page sit in 10 different blocks), while
/// larger blocks compress the per-paragraph copies of an article's title, URL and source
/// better. Measured on the real corpus (30 MB; BENCHMARKS.md, 2026-12-02 third session):
/// index 35.8 MB with zstd/32 KiB, 36.7 MB with zstd/16, 38.1 MB with zstd/8, 42.9 MB with
/// lz4/16 (tantivy's default), 41.8 MB with lz4/32; instructions spent loading the hits of
/// the benchmark's query set 673 M (zstd/32), 448 M (16), 322 M (8), 159 M (lz4/16); in-process
/// searches with highlights ~20-30 % faster with zstd/8 than zstd/32, on a par with lz4.
const DOCSTORE_BLOCK_BYTES: usize = 8 * 1024;

/// The index settings every new index gets: a zstd-compressed doc store, which keeps the index
/// within 1.5x of a plain tantivy index of the same text. Level 1, not 3: on the real corpus
/// the store grows by 1 % (17.58 → 17.75 MB) while a build takes 2.3 % fewer instructions
/// (callgrind, every tenth line of the real corpus) and the benchmark's searches 0.9 % fewer
/// (BENCHMARKS.md, 2026-12-07 eleventh session).
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(1),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..tantivy::IndexSettings::default()
    }
}

/// Creates a new tantivy index for the embedded schema in a directory, analyzers registered.
pub fn create_index(dir: &Path) -> Result<(Index, Fields, SchemaSpec)> {
    let spec = SchemaSpec::embedded()?;
    let schema = spec.tantivy_schema();
    let index = Index::builder()
        .schema(schema.clone())
        .settings(index_settings())
        .create_in_dir(dir)
        .context(&format!("cannot create index in {}", dir.display()))?;
    analysis::register(index.tokenizers());
    let fields = Fields::from_schema(&schema)?;
    Ok((index, fields, spec))
}

/// The writer lock: a `LOCK` file holding the owner's pid, removed on drop.
#[derive(Debug)]
pub struct WriteLock {
    path: PathBuf,
}

impl WriteLock {
    fn acquire(dir: &Path) -> Result<WriteLock> {
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    let _ = f.sync_all();
                    return Ok(WriteLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    let pid = holder.trim().parse::<u32>().ok();
                    if pid.is_some_and(process_alive) {
                        return Err(Error::Locked {
                            path: dir.to_path_buf(),
                            holder: format!("pid {}", pid.unwrap_or(0)),
                        });
                    }
                    // The holder died without cleaning up: take the lock over.
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(Error::io("cannot create", &path, e)),
            }
        }
        Err(Error::Locked {
            path: dir.to_path_buf(),
            holder: "unknown process".into(),
        })
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_root = Path::new("/proc");
    if proc_root.join("self").exists() {
        proc_root.join(pid.to_string()).exists()
    } else {
        // Without /proc we cannot tell: assume the holder is alive.
        true
    }
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    Ok(fs::read_dir(dir)
        .map_err(|e| Error::io("cannot read", dir, e))?
        .next()
        .is_none())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs::File::create(path).map_err(|e| Error::io("cannot create", path, e))?;
    f.write_all(bytes)
        .map_err(|e| Error::io("cannot write", path, e))?;
    f.sync_all()
        .map_err(|e| Error::io("cannot sync", path, e))?;
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<()> {
    match fs::File::open(dir) {
        Ok(f) => {
            let _ = f.sync_all();
            Ok(())
        }
        Err(e) => Err(Error::io("cannot open", dir, e)),
    }
}
