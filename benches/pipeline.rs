//! newsidx pipeline benchmark (issue 6): indexing throughput, stage costs, query latency with
//! highlights, whole-CLI latency. A `harness = false` bench target:
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench cargo build --release          # the CLI binary, first
//! CARGO_TARGET_DIR=/tmp/target-bench cargo bench --bench pipeline -- \
//!     --corpus /tmp/nb/real.jsonl --out bench-results/real.json \
//!     [--query-set PEER_RESULTS/queries.json] [--queries 20] [--runs 20] [--warmup 3] \
//!     [--cli-runs 30] [--threads 2] [--memory 512] [--index-dir /tmp/newsidx-bench/NAME] \
//!     [--bin /tmp/target-bench/release/newsidx] [--stage-mb 64] \
//!     [--skip inproc,stages,queries,cli,build,update] [--types single,and2,...  (only these query types)]
//! ```
//!
//! Phases (each can be skipped):
//! * `build`: the release CLI as a child process under `/usr/bin/time` (wall, CPU, peak RSS of
//!   the child = ru_maxrss), `--threads T --memory M --json -q`; index size on disk. This index
//!   is the one searched below.
//! * `inproc`: `indexer::build` in this process (same options); VmHWM of this process. Runs
//!   before anything else is allocated, so VmHWM is the build's own peak.
//! * `stages`: single-threaded cost of each stage on (the first `--stage-mb` of) the corpus:
//!   read (CorpusReader), parse (parse_record: JSON), split (document::paragraphs), lang
//!   (detection), tag (RuleTagger: persons + countries), dates (extract_dates), to_tantivy, and
//!   tantivy (1 indexing thread: add_document + commit + merges).
//! * `queries`: in-process, `search::search` then `highlight::highlight` per hit, exactly like
//!   `commands::search` (max_chars 400). Modes: `search`
//!   (search only), `full` (+ highlights), `full_facets` (+ highlights + facets). Query types: the
//!   peers' five (single, or2, and2, phrase, filtered = term + published month) plus person
//!   (`--person`), country_date (`--country` + a one-year `--since/--until`), facets (broad
//!   single-term queries with facets) and facets_all (empty query, facets over every paragraph).
//! * `cli`: whole `newsidx search` invocations of the release binary (process start, index open,
//!   search, highlight, render to a pipe), `--cli-runs` per query type, cycling over its queries.
//! * `update`: last, as it changes the index: three `newsidx index --update` runs of the release
//!   binary, each with one new article, the corpus's first article edited and its second
//!   unchanged (wall seconds and the summary's phases: an update's cost should not grow with
//!   the index).
//!
//! The query set is the peers' (`/work/shared/bench/common.py queries`), so that numbers compare:
//! given with `--query-set`, else generated with `--queries` per type.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{json, Value};

use newsidx::corpus::{self, CorpusReader, ReadOptions};
use newsidx::document::{self, BuildOptions};
use newsidx::entity::{self, dates, ArticleText, EntityTagger, RuleTagger};
use newsidx::highlight;
use newsidx::indexer::{self, IndexOptions};
use newsidx::lang::Lang;
use newsidx::paragraph::SplitOptions;
use newsidx::query::{self, Filter};
use newsidx::search::{self, SearchOptions};
use newsidx::store::{self, NewsIndex, Store};

/// The CLI's allocator, so that in-process stages and queries measure what the binary does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TYPES: [&str; 9] = [
    "single",
    "or2",
    "and2",
    "phrase",
    "filtered",
    "person",
    "country_date",
    "facets",
    "facets_all",
];

struct Args {
    corpus: PathBuf,
    out: Option<PathBuf>,
    query_set: Option<PathBuf>,
    per_type: usize,
    runs: usize,
    warmup: usize,
    cli_runs: usize,
    threads: usize,
    memory_mb: usize,
    index_dir: PathBuf,
    bin: PathBuf,
    stage_mb: usize,
    skip: Vec<String>,
    /// Only these query types (all when empty): for profiling one type.
    types: Vec<String>,
}

fn parse_args() -> Args {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| -> Option<String> {
        argv.iter()
            .position(|a| a == name)
            .and_then(|i| argv.get(i + 1).cloned())
    };
    let num = |name: &str, d: usize| -> usize {
        get(name).map_or(d, |v| {
            v.parse()
                .unwrap_or_else(|_| die(&format!("{name}: not a number: {v}")))
        })
    };
    let corpus = PathBuf::from(get("--corpus").unwrap_or_else(|| {
        die("usage: cargo bench --bench pipeline -- --corpus CORPUS.jsonl [--out results.json] [--queries N] [--runs N] ...")
    }));
    let stem = corpus
        .file_stem()
        .map_or("corpus".into(), |s| s.to_string_lossy().into_owned());
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "/tmp/target-bench".into());
    Args {
        out: get("--out").map(PathBuf::from),
        query_set: get("--query-set").map(PathBuf::from),
        per_type: num("--queries", 20),
        runs: num("--runs", 20),
        warmup: num("--warmup", 3),
        cli_runs: num("--cli-runs", 30),
        threads: num("--threads", 2),
        memory_mb: num("--memory", 512),
        index_dir: get("--index-dir")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(format!("/tmp/newsidx-bench/{stem}"))),
        bin: get("--bin")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(format!("{target}/release/newsidx"))),
        stage_mb: num("--stage-mb", 64),
        skip: get("--skip")
            .map(|s| s.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        types: get("--types")
            .map(|s| s.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        corpus,
    }
}

fn die(msg: &str) -> ! {
    eprintln!("pipeline bench: {msg}");
    std::process::exit(2)
}

fn log(msg: &str) {
    eprintln!(
        "[pipeline {:>7.1}s] {msg}",
        START.with(|s| s.elapsed().as_secs_f64())
    );
}

thread_local! { static START: Instant = Instant::now(); }

fn dir_bytes(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            if let Ok(m) = e.metadata() {
                n += if m.is_dir() {
                    dir_bytes(&e.path())
                } else {
                    m.len()
                };
            }
        }
    }
    n
}

fn vm_hwm_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_default();
    json!({
        "nproc": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "cpu_model": cpu,
        "mem": mem,
        "loadavg": loadavg(),
    })
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = (sorted.len() - 1) as f64 * p / 100.0;
    let (lo, hi) = (k.floor() as usize, k.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo as f64)
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Stats of samples in microseconds.
fn stats_us(mut v: Vec<f64>) -> Value {
    v.sort_by(|a, b| a.total_cmp(b));
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    json!({
        "median_us": r2(percentile(&v, 50.0)),
        "p99_us": r2(percentile(&v, 99.0)),
        "mean_us": r2(mean),
        "min_us": r2(v.first().copied().unwrap_or(f64::NAN)),
        "samples": v.len(),
    })
}

/// What a timed command used: exit code, stdout, wall s, user+sys s, peak RSS MB (ru_maxrss),
/// and the peaks of anonymous and file-backed resident memory (MB) sampled every 20 ms.
struct Timed {
    code: i32,
    stdout: String,
    wall: f64,
    cpu: f64,
    rss: f64,
    peak_anon: f64,
    peak_file: f64,
}

/// Resident anonymous and file-backed memory of a process, in MB (`/proc/PID/status`).
fn rss_split(pid: u32) -> Option<(f64, f64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
    };
    Some((kb("RssAnon:")? / 1024.0, kb("RssFile:")? / 1024.0))
}

/// Runs a command under GNU time, sampling the memory of the command (the child of `time`).
/// ru_maxrss counts file-backed pages too (the memory-mapped index segments that merges and
/// the final pass read); anonymous memory is what the memory budget bounds.
fn run_timed(cmd: &[String]) -> Timed {
    let tf = std::env::temp_dir().join(format!("pipeline-time-{}.txt", std::process::id()));
    let t0 = Instant::now();
    let mut child = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M %U %S")
        .arg("-o")
        .arg(&tf)
        .args(cmd)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| die(&format!("cannot run {}: {e}", cmd[0])));
    let time_pid = child.id();
    let mut stdout_pipe = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        if let Some(p) = stdout_pipe.as_mut() {
            let _ = std::io::Read::read_to_string(p, &mut out);
        }
        out
    });
    let (mut peak_anon, mut peak_file) = (0.0f64, 0.0f64);
    let status = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break st;
        }
        let kids = std::fs::read_to_string(format!("/proc/{time_pid}/task/{time_pid}/children"))
            .unwrap_or_default();
        if let Some(pid) = kids.split_whitespace().next().and_then(|p| p.parse().ok()) {
            if let Some((a, f)) = rss_split(pid) {
                peak_anon = peak_anon.max(a);
                peak_file = peak_file.max(f);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let wall = t0.elapsed().as_secs_f64();
    let stdout = reader.join().unwrap_or_default();
    let t = std::fs::read_to_string(&tf).unwrap_or_default();
    let last: Vec<f64> = t
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    let (rss, cpu) = if last.len() == 3 {
        (last[0] / 1024.0, last[1] + last[2])
    } else {
        (f64::NAN, f64::NAN)
    };
    Timed {
        code: status.code().unwrap_or(-1),
        stdout,
        wall,
        cpu,
        rss,
        peak_anon,
        peak_file,
    }
}

// ---------------------------------------------------------------- build

/// The summary a command printed last (`--json`), or null.
fn last_json_line(stdout: &str) -> Value {
    stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or(Value::Null)
}

fn build_cli(a: &Args, corpus_bytes: u64) -> Value {
    if !a.bin.exists() {
        die(&format!(
            "{} not found: run `CARGO_TARGET_DIR=/tmp/target-bench cargo build --release` first",
            a.bin.display()
        ));
    }
    let _ = std::fs::remove_dir_all(&a.index_dir);
    std::fs::create_dir_all(a.index_dir.parent().unwrap_or(Path::new("/tmp"))).ok();
    let cmd: Vec<String> = vec![
        a.bin.display().to_string(),
        "--index".into(),
        a.index_dir.display().to_string(),
        "index".into(),
        a.corpus.display().to_string(),
        "--threads".into(),
        a.threads.to_string(),
        "--memory".into(),
        a.memory_mb.to_string(),
        "--json".into(),
        "-q".into(),
    ];
    log(&format!("CLI build: {}", cmd.join(" ")));
    let t = run_timed(&cmd);
    let (wall, rss) = (t.wall, t.rss);
    let summary = last_json_line(&t.stdout);
    let paragraphs = summary["paragraphs"].as_f64().unwrap_or(0.0);
    let articles = summary["articles"].as_f64().unwrap_or(0.0);
    let size = dir_bytes(&a.index_dir);
    let v = json!({
        "command": cmd.join(" "),
        "exit_code": t.code,
        "wall_s": r2(wall * 100.0) / 100.0,
        "cpu_s": t.cpu,
        "peak_rss_mb": r2(rss),
        "peak_anon_mb": r2(t.peak_anon),
        "peak_file_mb": r2(t.peak_file),
        "summary": summary,
        "articles_per_s": r2(articles / wall),
        "paragraphs_per_s": r2(paragraphs / wall),
        "mb_per_s": r2(corpus_bytes as f64 / 1e6 / wall),
        "index_bytes": size,
        "index_bytes_per_paragraph": r2(size as f64 / paragraphs.max(1.0)),
        "index_size_vs_corpus": r2(size as f64 / corpus_bytes as f64 * 100.0) / 100.0,
    });
    log(&format!(
        "CLI build: {:.2}s, {:.0} paragraphs/s, {:.2} MB/s, rss {:.0} MB (anonymous {:.0}, file {:.0}), index {:.1} MB",
        wall,
        paragraphs / wall,
        corpus_bytes as f64 / 1e6 / wall,
        rss,
        t.peak_anon,
        t.peak_file,
        size as f64 / 1e6
    ));
    v
}

/// Three small incremental updates of the built index: one new article, the corpus's first
/// article edited, its second unchanged.
fn update_cli(a: &Args) -> Value {
    use std::io::BufRead;
    let file = std::fs::File::open(&a.corpus)
        .unwrap_or_else(|e| die(&format!("{}: {e}", a.corpus.display())));
    let firsts: Vec<Value> = std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str::<Value>(&l).ok())
        .filter(|v| v.get("id").is_some())
        .take(2)
        .collect();
    if firsts.len() < 2 {
        log("update: the corpus has no two articles with ids; skipped");
        return Value::Null;
    }
    let mut runs = Vec::new();
    for round in 0..3 {
        let mut edited = firsts[0].clone();
        let body = ["body", "text"]
            .into_iter()
            .find(|k| edited.get(*k).is_some_and(Value::is_string))
            .unwrap_or("body");
        let old = edited[body].as_str().unwrap_or("").to_string();
        edited[body] = json!(format!("{old}\n\nBijgewerkt, ronde {round}."));
        let new = json!({"id": format!("bench-update-{round}"), "lang": "nl",
            "title": "Nieuw bericht", "body": format!("Een nieuw bericht, ronde {round}, over Mark Rutte in Den Haag.")});
        let lines = [new, edited, firsts[1].clone()]
            .map(|v| v.to_string())
            .join("\n");
        let path =
            std::env::temp_dir().join(format!("pipeline-update-{}.jsonl", std::process::id()));
        std::fs::write(&path, lines).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
        let cmd: Vec<String> = vec![
            a.bin.display().to_string(),
            "--index".into(),
            a.index_dir.display().to_string(),
            "index".into(),
            "--update".into(),
            path.display().to_string(),
            "--threads".into(),
            a.threads.to_string(),
            "--json".into(),
            "-q".into(),
        ];
        let t = run_timed(&cmd);
        let _ = std::fs::remove_file(&path);
        let summary = last_json_line(&t.stdout);
        log(&format!(
            "update {round}: {:.3}s, added {} replaced {} unchanged {}",
            t.wall, summary["added"], summary["replaced"], summary["unchanged"]
        ));
        runs.push(
            json!({"exit_code": t.code, "wall_s": r2(t.wall * 1000.0) / 1000.0,
            "peak_rss_mb": r2(t.rss), "summary": summary}),
        );
    }
    let mut walls: Vec<f64> = runs.iter().filter_map(|r| r["wall_s"].as_f64()).collect();
    walls.sort_by(f64::total_cmp);
    json!({"runs": runs, "median_wall_s": walls.get(walls.len() / 2)})
}

fn build_inproc(a: &Args, corpus_bytes: u64) -> Value {
    let dir = PathBuf::from(format!("{}-inproc", a.index_dir.display()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut opts = IndexOptions::new(vec![a.corpus.clone()]);
    opts.threads = a.threads;
    opts.memory_bytes = a.memory_mb * 1024 * 1024;
    let hwm_before = vm_hwm_mb();
    let t0 = Instant::now();
    let s = indexer::build(&Store::new(&dir), &opts, &mut indexer::Silent)
        .unwrap_or_else(|e| die(&format!("in-process build failed: {e}")));
    let wall = t0.elapsed().as_secs_f64();
    let size = dir_bytes(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    log(&format!(
        "in-process build: {wall:.2}s, {} paragraphs, VmHWM {:.0} MB",
        s.paragraphs,
        vm_hwm_mb()
    ));
    json!({
        "wall_s": r2(wall * 100.0) / 100.0,
        "articles": s.articles, "paragraphs": s.paragraphs, "errors": s.errors, "warnings": s.warnings,
        "bytes_read": s.bytes,
        "articles_per_s": r2(s.articles as f64 / wall),
        "paragraphs_per_s": r2(s.paragraphs as f64 / wall),
        "mb_per_s": r2(corpus_bytes as f64 / 1e6 / wall),
        "vmhwm_mb_before": r2(hwm_before),
        "vmhwm_mb_after": r2(vm_hwm_mb()),
        "index_bytes": size,
    })
}

// ---------------------------------------------------------------- stages

fn stages(a: &Args) -> Value {
    let limit = (a.stage_mb as u64) << 20;
    let (files, _) = corpus::collect_files(std::slice::from_ref(&a.corpus));
    let mut t = HashMap::<&str, f64>::new();

    let t0 = Instant::now();
    let mut reader = CorpusReader::new(files, ReadOptions::default());
    let mut raws = Vec::new();
    while let Some(r) = reader.next() {
        if let Ok(r) = r {
            raws.push(r);
        }
        if reader.bytes_read >= limit {
            break;
        }
    }
    let bytes = reader.bytes_read;
    t.insert("read", t0.elapsed().as_secs_f64());

    let t0 = Instant::now();
    let articles: Vec<corpus::Article> = raws
        .iter()
        .filter_map(|r| corpus::parse_record(r).ok())
        .collect();
    t.insert("parse_json", t0.elapsed().as_secs_f64());
    drop(raws);

    let split = SplitOptions::default();
    let t0 = Instant::now();
    let texts: Vec<Vec<String>> = articles
        .iter()
        .map(|art| {
            let mut p = document::paragraphs(art, &split);
            p.truncate(BuildOptions::default().max_paragraphs);
            p
        })
        .collect();
    t.insert("split", t0.elapsed().as_secs_f64());

    let t0 = Instant::now();
    let langs: Vec<Lang> = articles
        .iter()
        .zip(&texts)
        .map(|(art, p)| document::article_lang(art, p))
        .collect();
    t.insert("lang", t0.elapsed().as_secs_f64());

    let tagger = RuleTagger::new();
    // Tokens as the issue counts them (whitespace-separated words), outside the timed loop.
    let n_tokens: usize = texts
        .iter()
        .flatten()
        .map(|t| t.split_whitespace().count())
        .sum();
    // Decode the embedded NER models first (once per process; both together took ~80 ms until
    // the ninth session's model format, ~25 ms since): a fixed start-up cost, not a per-token one.
    let t0 = Instant::now();
    for lang in [Lang::Nl, Lang::En] {
        let _ = tagger.tag(&ArticleText {
            title: "Warm-up",
            paragraphs: &["Mark Rutte sprak met Joe Biden in Washington."],
            lang,
        });
    }
    log(&format!(
        "NER models loaded in {:.0} ms (not counted as tagging)",
        t0.elapsed().as_secs_f64() * 1000.0
    ));
    let t0 = Instant::now();
    let mut n_persons = 0usize;
    let mut n_countries = 0usize;
    for ((art, p), &lang) in articles.iter().zip(&texts).zip(&langs) {
        let refs: Vec<&str> = p.iter().map(String::as_str).collect();
        let e = tagger.tag(&ArticleText {
            title: &art.title,
            paragraphs: &refs,
            lang,
        });
        n_persons += e.iter().map(|x| x.persons.len()).sum::<usize>();
        n_countries += e.iter().map(|x| x.countries.len()).sum::<usize>();
    }
    t.insert("tag_persons_countries", t0.elapsed().as_secs_f64());

    let t0 = Instant::now();
    let mut n_dates = 0usize;
    for ((art, p), &lang) in articles.iter().zip(&texts).zip(&langs) {
        let dl = match lang {
            Lang::Nl => dates::DateLang::Nl,
            Lang::En => dates::DateLang::En,
        };
        for text in p {
            n_dates += dates::extract_dates(text, art.published.map(|x| x.date()), dl).len();
        }
    }
    t.insert("tag_dates", t0.elapsed().as_secs_f64());
    let n_paragraphs: usize = texts.iter().map(Vec::len).sum();
    drop(texts);

    // Cross-check: the whole prepare step (split + lang + tag + dates + ParagraphDoc).
    let build = BuildOptions::default();
    let t0 = Instant::now();
    let prepared: Vec<document::Prepared> = articles
        .iter()
        .map(|art| document::prepare(art, &tagger as &dyn EntityTagger, &build))
        .collect();
    let prepare_total = t0.elapsed().as_secs_f64();

    let dir = PathBuf::from(format!("{}-stages", a.index_dir.display()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    let (index, fields, _) =
        store::create_index(&dir).unwrap_or_else(|e| die(&format!("create index: {e}")));

    // Timed one article at a time, each article's documents dropped before the next, as the
    // indexer's batches are: building all of them at once first touches hundreds of MB of
    // fresh memory, which inflated this stage (13.7 % of the real corpus) with page faults.
    let t0 = Instant::now();
    for p in &prepared {
        let docs: Vec<tantivy::TantivyDocument> = p
            .docs
            .iter()
            .map(|d| document::to_tantivy(d, &fields))
            .collect();
        std::hint::black_box(&docs);
    }
    t.insert("to_tantivy", t0.elapsed().as_secs_f64());
    // Built again, untimed, so that the tantivy stage below times tantivy alone.
    let docs: Vec<tantivy::TantivyDocument> = prepared
        .iter()
        .flat_map(|p| p.docs.iter().map(|d| document::to_tantivy(d, &fields)))
        .collect();
    drop(prepared);

    let writer_bytes = (a.memory_mb << 20) * 3 / 4;
    let t0 = Instant::now();
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(1, writer_bytes)
        .unwrap_or_else(|e| die(&format!("writer: {e}")));
    for d in docs {
        writer
            .add_document(d)
            .unwrap_or_else(|e| die(&format!("add: {e}")));
    }
    writer
        .commit()
        .unwrap_or_else(|e| die(&format!("commit: {e}")));
    writer
        .wait_merging_threads()
        .unwrap_or_else(|e| die(&format!("merge: {e}")));
    t.insert("tantivy_index_commit", t0.elapsed().as_secs_f64());
    let stage_index_bytes = dir_bytes(&dir);
    let _ = std::fs::remove_dir_all(&dir);

    let order = [
        "read",
        "parse_json",
        "split",
        "lang",
        "tag_persons_countries",
        "tag_dates",
        "to_tantivy",
        "tantivy_index_commit",
    ];
    let total: f64 = order.iter().map(|k| t[k]).sum();
    let mut secs = serde_json::Map::new();
    let mut share = serde_json::Map::new();
    let mut per_para = serde_json::Map::new();
    for k in order {
        secs.insert(k.into(), json!(r2(t[k] * 1000.0) / 1000.0));
        share.insert(k.into(), json!(r2(t[k] / total * 100.0)));
        per_para.insert(k.into(), json!(r2(t[k] * 1e6 / n_paragraphs.max(1) as f64)));
    }
    log(&format!(
        "tagging, one core: {:.0} tokens/s (persons+countries {:.0}, dates {:.0})",
        n_tokens as f64 / (t["tag_persons_countries"] + t["tag_dates"]),
        n_tokens as f64 / t["tag_persons_countries"],
        n_tokens as f64 / t["tag_dates"]
    ));
    log(&format!(
        "stages (1 thread, {:.1} MB, {} paragraphs): total {:.2}s; shares % {}",
        bytes as f64 / 1e6,
        n_paragraphs,
        total,
        Value::Object(share.clone())
    ));
    json!({
        "bytes": bytes,
        "articles": articles.len(),
        "paragraphs": n_paragraphs,
        "entities": {"persons": n_persons, "countries": n_countries, "dates": n_dates},
        "tokens": n_tokens,
        "tagging_tokens_per_s_one_core": {
            "persons_countries": r2(n_tokens as f64 / t["tag_persons_countries"]),
            "dates": r2(n_tokens as f64 / t["tag_dates"]),
            "all_tagging": r2(n_tokens as f64 / (t["tag_persons_countries"] + t["tag_dates"])),
        },
        "seconds": secs,
        "share_pct": share,
        "us_per_paragraph": per_para,
        "total_s": r2(total * 1000.0) / 1000.0,
        "single_thread_mb_per_s": r2(bytes as f64 / 1e6 / total),
        "single_thread_paragraphs_per_s": r2(n_paragraphs as f64 / total),
        "check_prepare_total_s": r2(prepare_total * 1000.0) / 1000.0,
        "stage_index_bytes": stage_index_bytes,
    })
}

// ---------------------------------------------------------------- queries

#[derive(Clone)]
struct Q {
    id: String,
    ty: String,
    text: String,
    person: Option<String>,
    country: Option<String>,
    since: Option<String>,
    until: Option<String>,
    facets: bool,
}

impl Q {
    fn options(&self, facets: bool) -> SearchOptions {
        let mut filters = Vec::new();
        if let Some(p) = &self.person {
            filters.push(Filter::Person(entity::persons::person_key(p)));
        }
        if let Some(c) = &self.country {
            filters.push(Filter::Country(c.clone()));
        }
        if self.since.is_some() || self.until.is_some() {
            filters.push(Filter::Published {
                from: self
                    .since
                    .as_deref()
                    .map(|s| query::date_bound(s).expect("since").0),
                to: self
                    .until
                    .as_deref()
                    .map(|s| query::date_bound(s).expect("until").1),
            });
        }
        SearchOptions {
            query: self.text.clone(),
            filters,
            limit: 10,
            offset: 0,
            facets: facets || self.facets,
            facet_top: 10,
            ..Default::default()
        }
    }

    fn cli_args(&self) -> Vec<String> {
        let mut v = vec!["search".to_string(), self.text.clone()];
        if let Some(p) = &self.person {
            v.extend(["--person".into(), p.clone()]);
        }
        if let Some(c) = &self.country {
            v.extend(["--country".into(), c.clone()]);
        }
        if let Some(s) = &self.since {
            v.extend(["--since".into(), s.clone()]);
        }
        if let Some(s) = &self.until {
            v.extend(["--until".into(), s.clone()]);
        }
        if self.facets {
            v.push("--facets".into());
        }
        v
    }
}

fn load_query_set(a: &Args) -> (Value, PathBuf) {
    let path = match &a.query_set {
        Some(p) => p.clone(),
        None => {
            let p = PathBuf::from(format!("{}.queries.json", a.index_dir.display()));
            let common = ["/tmp/peer-bench/common.py", "/work/shared/bench/common.py"]
                .into_iter()
                .find(|p| Path::new(p).exists())
                .unwrap_or_else(|| die("common.py of the peer bench not found"));
            log(&format!("generating the peers' query set with {common}"));
            let st = Command::new("python3")
                .arg(common)
                .arg("queries")
                .arg(&a.corpus)
                .arg(&p)
                .arg("--per-type")
                .arg(a.per_type.to_string())
                .status()
                .unwrap_or_else(|e| die(&format!("python3: {e}")));
            if !st.success() {
                die("query-set generation failed");
            }
            p
        }
    };
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .unwrap_or_else(|e| die(&format!("{}: {e}", path.display()))),
    )
    .unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
    (v, path)
}

/// The peers' queries translated to our query language, plus our own filter and facet types.
fn build_queries(qs: &Value, idx: &NewsIndex) -> (Vec<Q>, Value) {
    let mut out = Vec::new();
    let list = qs["queries"].as_array().cloned().unwrap_or_default();
    let terms = |q: &Value| -> Vec<String> {
        q["terms"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let base = |id: &str, ty: &str, text: String| Q {
        id: id.into(),
        ty: ty.into(),
        text,
        person: None,
        country: None,
        since: None,
        until: None,
        facets: false,
    };
    let mut singles = Vec::new();
    let mut filtered = Vec::new();
    for q in &list {
        let ty = q["type"].as_str().unwrap_or("");
        let id = q["id"].as_str().unwrap_or("");
        let t = terms(q);
        let text = match ty {
            "single" => t[0].clone(),
            "or2" => format!("{} OR {}", t[0], t[1]),
            "and2" => format!("{} {}", t[0], t[1]),
            "phrase" => format!("\"{} {}\"", t[0], t[1]),
            "filtered" => t[0].clone(),
            _ => continue,
        };
        let mut x = base(id, ty, text);
        if ty == "filtered" {
            let m = q["month"].as_str().unwrap_or("").to_string();
            if m.len() == 7 {
                x.since = Some(m.clone());
                x.until = Some(m);
            }
            filtered.push(x.clone());
        }
        if ty == "single" {
            singles.push(x.clone());
        }
        out.push(x);
    }
    // Top persons and countries of the whole index (one untimed facet search).
    let all = search::search(
        idx,
        &SearchOptions {
            facets: true,
            facet_top: 40,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| die(&format!("facet search: {e}")));
    let facets = all.facets.unwrap_or_default();
    let persons: Vec<String> = facets.persons.iter().map(|f| f.value.clone()).collect();
    let countries: Vec<String> = facets.countries.iter().map(|f| f.value.clone()).collect();
    let n = singles.len().max(1);
    if !persons.is_empty() {
        for k in 0..n {
            // even: every paragraph that mentions the person; odd: a word + the person
            let text = if k % 2 == 0 {
                String::new()
            } else {
                singles[k % singles.len()].text.clone()
            };
            let mut x = base(&format!("person-{k:02}"), "person", text);
            x.person = Some(persons[(k / 2) % persons.len()].clone());
            out.push(x);
        }
    }
    if !countries.is_empty() {
        for (k, f) in filtered.iter().enumerate() {
            let year = f.since.as_deref().unwrap_or("2020")[..4].to_string();
            let text = if k % 2 == 0 {
                String::new()
            } else {
                f.text.clone()
            };
            let mut x = base(&format!("country_date-{k:02}"), "country_date", text);
            x.country = Some(countries[(k / 2) % countries.len().min(10)].clone());
            x.since = Some(year.clone());
            x.until = Some(year);
            out.push(x);
        }
    }
    // Broad queries with facets: the single terms of the high and mid DF bands.
    for (k, s) in singles.iter().enumerate().filter(|(k, _)| k % 3 != 2) {
        let mut x = base(&format!("facets-{k:02}"), "facets", s.text.clone());
        x.facets = true;
        out.push(x);
    }
    let mut x = base("facets_all-00", "facets_all", String::new());
    x.facets = true;
    out.push(x);
    let info = json!({
        "total_paragraphs": all.total,
        "top_persons": facets.persons.iter().take(10).map(|f| json!([f.value, f.counts.paragraphs])).collect::<Vec<_>>(),
        "top_countries": facets.countries.iter().take(10).map(|f| json!([f.value, f.counts.paragraphs])).collect::<Vec<_>>(),
    });
    (out, info)
}

fn run_one(idx: &NewsIndex, opts: &SearchOptions, highlight_hits: bool) -> (usize, usize) {
    let results = search::search(idx, opts).unwrap_or_else(|e| die(&format!("search: {e}")));
    let mut chars = 0;
    if highlight_hits {
        for hit in &results.hits {
            let p = highlight::highlight(
                &hit.paragraph.text,
                hit.paragraph.lang,
                results.compiled.matchers(hit.paragraph.lang),
                400,
            );
            chars += p.text.len() + p.highlights.len();
        }
    }
    (results.total, chars)
}

fn queries_inproc(a: &Args, idx: &NewsIndex, qs: &[Q]) -> Value {
    let mut modes = serde_json::Map::new();
    let mut per_query = serde_json::Map::new();
    let mut counts = serde_json::Map::new();
    let mut sink = 0usize;
    for mode in ["search", "full", "full_facets"] {
        let (hl, facets) = match mode {
            "search" => (false, false),
            "full" => (true, false),
            _ => (true, true),
        };
        let opts: Vec<SearchOptions> = qs.iter().map(|q| q.options(facets)).collect();
        let mut lat: HashMap<usize, Vec<f64>> = HashMap::new();
        let mut order: Vec<usize> = (0..qs.len()).collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for r in 0..(a.warmup + a.runs) {
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &qi in &order {
                let t = Instant::now();
                let (total, chars) = run_one(idx, &opts[qi], hl);
                let us = t.elapsed().as_secs_f64() * 1e6;
                sink += chars;
                if r >= a.warmup {
                    lat.entry(qi).or_default().push(us);
                }
                counts.insert(qs[qi].id.clone(), json!(total));
            }
        }
        let mut by_type = serde_json::Map::new();
        for ty in TYPES {
            let v: Vec<f64> = (0..qs.len())
                .filter(|&i| qs[i].ty == ty)
                .flat_map(|i| lat[&i].clone())
                .collect();
            if !v.is_empty() {
                by_type.insert(ty.into(), stats_us(v));
            }
        }
        let mut pq = serde_json::Map::new();
        for (i, mut v) in lat {
            v.sort_by(|a, b| a.total_cmp(b));
            pq.insert(qs[i].id.clone(), json!(r2(v[v.len() / 2])));
        }
        log(&format!(
            "in-process {mode}: medians us {}",
            by_type
                .iter()
                .map(|(k, v)| format!("{k}={}", v["median_us"]))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        modes.insert(mode.into(), Value::Object(by_type));
        per_query.insert(mode.into(), Value::Object(pq));
    }
    json!({"stats": modes, "per_query_median_us": per_query, "counts": counts, "sink": sink,
           "queries": qs.iter().map(|q| json!({"id": q.id, "type": q.ty, "cli": q.cli_args()})).collect::<Vec<_>>()})
}

fn queries_cli(a: &Args, qs: &[Q]) -> Value {
    let mut by_type = serde_json::Map::new();
    // Warm the page cache and the binary.
    for _ in 0..3 {
        let _ = Command::new(&a.bin)
            .arg("--index")
            .arg(&a.index_dir)
            .args(["search", "x"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let mut all = Vec::new();
    for ty in TYPES {
        let list: Vec<&Q> = qs.iter().filter(|q| q.ty == ty).collect();
        if list.is_empty() {
            continue;
        }
        let mut v = Vec::new();
        for k in 0..a.cli_runs {
            let q = list[k % list.len()];
            let t = Instant::now();
            let out = Command::new(&a.bin)
                .arg("--index")
                .arg(&a.index_dir)
                .args(q.cli_args())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .output()
                .unwrap_or_else(|e| die(&format!("run {}: {e}", a.bin.display())));
            let us = t.elapsed().as_secs_f64() * 1e6;
            if !matches!(out.status.code(), Some(0) | Some(1)) {
                die(&format!(
                    "CLI search failed: {:?} {:?}",
                    q.cli_args(),
                    out.status
                ));
            }
            v.push(us);
        }
        all.extend(v.iter().copied());
        by_type.insert(ty.into(), stats_us(v));
    }
    by_type.insert("all".into(), stats_us(all));
    log(&format!(
        "CLI search medians ms: {}",
        by_type
            .iter()
            .map(|(k, v)| format!("{k}={:.1}", v["median_us"].as_f64().unwrap_or(0.0) / 1000.0))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    json!({"runs_per_type": a.cli_runs, "output": "text to a pipe (no colour)", "stats": by_type})
}

fn main() {
    START.with(|_| ());
    let a = parse_args();
    let skip = |p: &str| a.skip.iter().any(|s| s == p);
    let corpus_bytes = std::fs::metadata(&a.corpus)
        .unwrap_or_else(|e| die(&format!("{}: {e}", a.corpus.display())))
        .len();
    let meta_path = PathBuf::from(format!("{}.meta.json", a.corpus.display()));
    let generated: Value = std::fs::read_to_string(&meta_path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null);
    let mut out = serde_json::Map::new();
    out.insert("bench".into(), json!("newsidx benches/pipeline.rs"));
    out.insert(
        "args".into(),
        json!(std::env::args().skip(1).collect::<Vec<_>>()),
    );
    out.insert(
        "unix_time".into(),
        json!(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())),
    );
    out.insert("machine".into(), machine());
    out.insert(
        "corpus".into(),
        json!({"path": a.corpus.display().to_string(), "bytes": corpus_bytes, "generator_meta": generated}),
    );
    out.insert(
        "settings".into(),
        json!({"threads": a.threads, "memory_mb": a.memory_mb, "runs": a.runs, "warmup": a.warmup, "cli_runs": a.cli_runs}),
    );
    if !skip("inproc") {
        out.insert("build_inproc".into(), build_inproc(&a, corpus_bytes));
    }
    if !skip("build") {
        out.insert("build_cli".into(), build_cli(&a, corpus_bytes));
    }
    if !skip("stages") {
        out.insert("stages".into(), stages(&a));
    }
    if !skip("queries") || !skip("cli") {
        let idx = Store::new(&a.index_dir)
            .open()
            .unwrap_or_else(|e| die(&format!("open {}: {e}", a.index_dir.display())));
        let (qset, qpath) = load_query_set(&a);
        let (mut qs, info) = build_queries(&qset, &idx);
        if !a.types.is_empty() {
            qs.retain(|q| a.types.contains(&q.ty));
        }
        out.insert(
            "query_set".into(),
            json!({"file": qpath.display().to_string(), "n": qs.len(), "index": info}),
        );
        if !skip("queries") {
            out.insert("queries_inproc".into(), queries_inproc(&a, &idx, &qs));
        }
        if !skip("cli") {
            out.insert("queries_cli".into(), queries_cli(&a, &qs));
        }
    }
    if !skip("update") {
        out.insert("update_cli".into(), update_cli(&a));
    }
    out.insert("loadavg_end".into(), json!(loadavg()));
    let s = serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default();
    match &a.out {
        Some(p) => {
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).ok();
            }
            std::fs::write(p, s).unwrap_or_else(|e| die(&format!("{}: {e}", p.display())));
            log(&format!("wrote {}", p.display()));
        }
        None => println!("{s}"),
    }
}
