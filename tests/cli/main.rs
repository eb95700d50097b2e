//! end-to-end tests through the `newsidx` binary: one test binary, helpers here, one module
//! per area. Full-output comparisons where output is small; JSON read back with serde.

#![allow(dead_code)]

mod basics;
mod hostile;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

// ---------------------------------------------------------------- helpers

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsidx"));
    c.env_remove("NEWSIDX_INDEX")
        .env("NO_COLOR", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    let out: Output = bin().args(args).output().expect("run newsidx");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn ok(args: &[&str]) -> Run {
    let r = run(args);
    assert_eq!(
        r.code, 0,
        "newsidx {args:?} exited {}\nstdout:\n{}\nstderr:\n{}",
        r.code, r.stdout, r.stderr
    );
    r
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `newsidx --index IDX ARGS...`, whatever its exit code.
pub fn run_at(idx: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--index", s(idx)];
    all.extend_from_slice(args);
    run(&all)
}

/// `newsidx --index IDX ARGS...`, which must exit 0.
pub fn ok_at(idx: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--index", s(idx)];
    all.extend_from_slice(args);
    ok(&all)
}

/// A test's own temporary directory: the corpus files it writes, and an index `idx` beside
/// them that its commands run against.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    /// `DIR/idx`; nothing is there until something indexes into it.
    pub idx: PathBuf,
}

impl Default for Fixture {
    fn default() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let idx = dir.path().join("idx");
        Fixture { dir, idx }
    }
}

impl Fixture {
    /// An empty directory; no index yet.
    pub fn new() -> Fixture {
        Fixture::default()
    }

    /// `DIR/name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `content` to `DIR/name` (creating its folders) and returns that path.
    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.path(name);
        write(&path, content);
        path
    }

    /// `newsidx --index IDX index ARGS...`, which must succeed.
    pub fn index(&self, args: &[&str]) -> Run {
        let mut all = vec!["index"];
        all.extend_from_slice(args);
        self.ok(&all)
    }

    /// Writes `content` to `DIR/name` and updates the index from that file (`index --update`),
    /// which must succeed.
    pub fn update(&self, name: &str, content: &[u8]) -> Run {
        update_with(&self.idx, &self.path(name), content)
    }

    /// `newsidx --index IDX ARGS...`, whatever its exit code.
    pub fn run(&self, args: &[&str]) -> Run {
        run_at(&self.idx, args)
    }

    /// `newsidx --index IDX ARGS...`, which must exit 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        ok_at(&self.idx, args)
    }

    /// `newsidx --index IDX search ARGS...`, whatever its exit code.
    pub fn search(&self, args: &[&str]) -> Run {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

/// A fixture whose index is built (and must build) from one corpus file, `DIR/name`.
pub fn indexed(name: &str, content: &[u8]) -> Fixture {
    let fx = Fixture::new();
    fx.index(&[s(&fx.file(name, content))]);
    fx
}

/// The committed corpus, indexed once for all tests that only read it.
pub fn corpus_index() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let idx = dir.path().join("idx");
        ok(&["--index", s(&idx), "index", "corpus/"]);
        dir
    })
    .path()
}

pub fn corpus_idx() -> PathBuf {
    corpus_index().join("idx")
}

pub fn search(args: &[&str]) -> Run {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    run_at(&corpus_idx(), &all)
}

pub fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

pub fn hits(stdout: &str) -> Vec<Value> {
    json_lines(stdout)
        .into_iter()
        .filter(|v| v["type"] == "hit")
        .collect()
}

pub fn summary(stdout: &str) -> Value {
    json_lines(stdout)
        .into_iter()
        .find(|v| v["type"] == "summary")
        .expect("summary line")
}

pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The highlighted substrings of a JSON hit, from its character offsets.
pub fn highlighted(hit: &Value) -> Vec<String> {
    let chars: Vec<char> = hit["text"].as_str().unwrap().chars().collect();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            chars[a..b].iter().collect()
        })
        .collect()
}

pub fn write(path: &Path, content: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, content).unwrap();
}

pub fn assert_same(expected: &str, actual: &str) {
    if expected != actual {
        let mut msg = String::from("output differs (- expected, + actual):\n");
        let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
        for i in 0..e.len().max(a.len()) {
            match (e.get(i), a.get(i)) {
                (Some(x), Some(y)) if x == y => msg.push_str(&format!("  {x}\n")),
                (x, y) => {
                    if let Some(x) = x {
                        msg.push_str(&format!("- {x}\n"));
                    }
                    if let Some(y) = y {
                        msg.push_str(&format!("+ {y}\n"));
                    }
                }
            }
        }
        panic!("{msg}");
    }
}

/// Searches `idx` with `args` (query and flags) as JSON and returns each hit's `key` field
/// ("article_id", "id") in rank order.
pub fn search_field(idx: &Path, args: &[&str], key: &str) -> Vec<String> {
    let mut a = vec!["search"];
    a.extend_from_slice(args);
    a.push("--json");
    hits(&run_at(idx, &a).stdout)
        .iter()
        .map(|h| h[key].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The live generation directory of the index at `idx` (named by its `CURRENT` file).
pub fn generation(idx: &Path) -> PathBuf {
    let current = std::fs::read_to_string(idx.join("CURRENT")).unwrap();
    idx.join(current.trim())
}

/// The report of `newsidx --index IDX facets ARGS... --json`.
pub fn facets_report(idx: &Path, args: &[&str]) -> Value {
    let mut a = vec!["facets"];
    a.extend_from_slice(args);
    a.push("--json");
    serde_json::from_str(ok_at(idx, &a).stdout.trim()).unwrap()
}

/// (paragraphs, articles) of `value` in a `newsidx facets ... --json` report.
pub fn facet_value(report: &str, value: &str) -> (u64, u64) {
    let report: Value = serde_json::from_str(report.trim()).unwrap();
    let v = report["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == value)
        .unwrap_or_else(|| panic!("no {value} in {report}"));
    (
        v["paragraphs"].as_u64().unwrap(),
        v["articles"].as_u64().unwrap(),
    )
}

/// Writes `content` to `corpus` and updates the index at `idx` from it (the update must succeed).
pub fn update_with(idx: &Path, corpus: &Path, content: &[u8]) -> Run {
    write(corpus, content);
    ok_at(idx, &["index", "--update", s(corpus)])
}
