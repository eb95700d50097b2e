//! hostile input: a catalogue of malformed corpora (every bad record reported as `file:line:
//! problem`, every good article still indexed), kill -9 at random moments during builds, and
//! untrusted text (HTML, ANSI escapes, C1 controls, bidi overrides) in search output.
//!
//! See RELIABILITY.md for what each case covers and for the fuzz targets.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::*;

// ---------------------------------------------------------------- helpers

/// Every paragraph in an index, read through the binary: paragraph id → article id.
/// Fails the test unless the index opens and the listing is complete.
fn all_paragraphs(idx: &Path) -> BTreeMap<String, String> {
    let r = run_at(
        idx,
        &["search", "", "--json", "-n", "10000", "--max-chars", "0"],
    );
    assert!(
        r.code == 0 || r.code == 1,
        "index does not open: exit {}\n{}",
        r.code,
        r.stderr
    );
    let hs = hits(&r.stdout);
    let total = summary(&r.stdout)["total"].as_u64().unwrap() as usize;
    assert!(total < 10_000, "listing would be cut: {total} paragraphs");
    assert_eq!(total, hs.len(), "every paragraph listed");
    let mut out = BTreeMap::new();
    for h in hs {
        let id = h["id"].as_str().unwrap().to_string();
        let article = h["article_id"].as_str().unwrap().to_string();
        assert_eq!(
            id,
            format!("{article}#{}", h["ordinal"]),
            "paragraph id of {h}"
        );
        assert!(out.insert(id, article).is_none(), "paragraph listed twice");
    }
    out
}

/// The article ids in an index.
fn all_articles(idx: &Path) -> BTreeSet<String> {
    all_paragraphs(idx).into_values().collect()
}

/// The lines newsidx printed about records (`newsidx: file:line: ...`), without the summary.
fn problem_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("newsidx: ") && !l.starts_with("newsidx: indexed "))
        .collect()
}

/// Names in an index directory that a finished build must not leave behind.
fn leftovers(idx: &Path) -> Vec<String> {
    let live = std::fs::read_to_string(idx.join("CURRENT"))
        .unwrap_or_default()
        .trim()
        .to_string();
    std::fs::read_dir(idx)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n == "LOCK" || (n.starts_with("gen-") && *n != live))
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn jsonl(lines: &[String]) -> Vec<u8> {
    let mut out = lines.join("\n").into_bytes();
    out.push(b'\n');
    out
}

fn good(id: &str, word: &str) -> String {
    json!({"id": id, "title": format!("Titel {word}"), "body": format!("Een goed artikel over {word} en kaas."), "lang": "nl"}).to_string()
}

// ---------------------------------------------------------------- the bad-input catalogue

/// One expected report: the file (relative to the corpus dir), the line, a part of the
/// message, and whether it is a warning.
struct Expect {
    file: &'static str,
    line: usize,
    says: String,
    warning: bool,
}

fn err(file: &'static str, line: usize, says: impl Into<String>) -> Expect {
    Expect {
        file,
        line,
        says: says.into(),
        warning: false,
    }
}

fn warn(file: &'static str, line: usize, says: impl Into<String>) -> Expect {
    Expect {
        warning: true,
        ..err(file, line, says)
    }
}

/// Writes the catalogue corpus; returns what must be reported and which articles indexed.
fn write_catalogue(c: &Path) -> (Vec<Expect>, BTreeSet<String>) {
    let mut expect = Vec::new();
    let mut articles = BTreeSet::new();
    let mut good_article = |id: &str| {
        articles.insert(id.to_string());
    };

    // a-mixed.jsonl: one bad record per line, good ones around them.
    let deep = format!(
        r#"{{"id":"deep","body":"x","extra":{}1{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let many: Vec<String> = (0..100_000)
        .map(|i| format!("Alinea {i} over zzmany."))
        .collect();
    let mixed: Vec<(Vec<u8>, Option<&str>)> = vec![
        (good("mixed-1", "zzalpha").into_bytes(), None),
        (b"{this is not json".to_vec(), Some("not valid JSON (key must be a string, column 2); skipped")),
        (br#"{"id":"t-body","body":12}"#.to_vec(), Some("field `body` must be a string, not a number; skipped")),
        (br#"{"id":"t-title","title":[],"body":"x"}"#.to_vec(), Some("field `title` must be a string, not an array; skipped")),
        (br#"{"id":{},"body":"x"}"#.to_vec(), Some("field `id` must be a string or a number, not an object; skipped")),
        (br#"{"id":"t-par","paragraphs":"x"}"#.to_vec(), Some("field `paragraphs` must be an array of strings, not a string; skipped")),
        (br#"{"id":"t-par1","paragraphs":[1]}"#.to_vec(), Some("field `paragraphs` must hold strings, but item 1 is a number; skipped")),
        (b"[1,2]".to_vec(), Some("expected a JSON object, found an array; skipped")),
        (b"null".to_vec(), Some("expected a JSON object, found null; skipped")),
        (b"".to_vec(), None), // an empty line: nothing to report
        (b" \t \r".to_vec(), None), // a blank line, CR included
        (deep.into_bytes(), Some("not valid JSON (recursion limit exceeded")),
        (br#"{"id":"y0","body":"x","published":"0000-01-01"}"#.to_vec(), Some(r#"date does not parse: "0000-01-01" (year 0 is out of range); skipped"#)),
        (br#"{"id":"y5","body":"x","published":"99999-01-01"}"#.to_vec(), Some(r#"date does not parse: "99999-01-01" (year 99999 is out of range); skipped"#)),
        (br#"{"id":"m13","body":"x","published":"2024-13-01"}"#.to_vec(), Some("(month 13 is out of range); skipped")),
        (br#"{"id":"d30","body":"x","published":"2024-02-30"}"#.to_vec(), Some("(day 30 is out of range); skipped")),
        (br#"{"id":123456789012345678901234567890,"body":"x"}"#.to_vec(), Some("field `id` is the number 1.2345678901234568e+29, which is not an integer or too large to keep exactly (write the id as a string); skipped")),
        (br#"{"id":"a\u0007b","body":"x"}"#.to_vec(), Some("field `id` contains control characters; skipped")),
        (json!({"id": "long-title", "title": format!("zzlongtitle {}", "woord ".repeat(20_000)), "body": "Kort."}).to_string().into_bytes(), None),
        (br#"{"id":"boiler","body":"Advertentie\nLees ook\n\nAdvertentie"}"#.to_vec(), Some("article has no paragraphs after removing boilerplate; skipped")),
        (good("mixed-1", "zzdupe").into_bytes(), Some("duplicate article id \"mixed-1\" (first at C/a-mixed.jsonl:1); skipped")),
        (b"{\"id\":\"nul\",\"body\":\"x\0y\"}".to_vec(), Some("contains NUL bytes (a binary file?); skipped")),
        (b"{\"id\":\"latin1\",\"body\":\"caf\xe9\"}".to_vec(), Some("invalid UTF-8 at byte 26; skipped")),
        (json!({"id": "many", "paragraphs": many}).to_string().into_bytes(), Some("W:article has more than 100 paragraphs; the last 99900 were not indexed")),
        (br#"{"id":"surrogate","body":"\ud800"}"#.to_vec(), Some("not valid JSON (unexpected end of hex escape")),
        (br#"{"id":"trailing","body":"x"} and more"#.to_vec(), Some("not valid JSON (trailing characters")),
        (br#"{"id":"empty","body":"  \n "}"#.to_vec(), Some("article text is empty; skipped")),
        (br#"{"id":"notext","title":"Alleen een titel"}"#.to_vec(), Some("article has no text (no `body`, `text`, `content` or `paragraphs`); skipped")),
        (br#"{"id":"brief","title":"Beurs van Tokio sluit zzbrief lager","body":""}"#.to_vec(), None),
        (br#"{"id":"notitle","title":" ","body":""}"#.to_vec(), Some("article text is empty; skipped")),
        (br#"{"id":true,"body":"x"}"#.to_vec(), Some("field `id` must be a string or a number, not a boolean; skipped")),
        (br#"{"id":"datetype","body":"x","published":20240101}"#.to_vec(), Some("field `published` is the number 20240101, which is not a date (seconds since 1970 start at 100000000 here; write a date as a string, as in \"2024-01-01\"); skipped")),
        (br#"{"id":"tz","body":"x","published":"2024-11-15T10:00:00+25:00"}"#.to_vec(), Some("(bad time zone offset); skipped")),
        (b"\xef\xbb\xbf".to_vec(), Some("not valid JSON (EOF while parsing a value")),
        (br#"{"id":12345678901234567,"body":"Een artikel met een getal als id, zzinteger."}"#.to_vec(), None),
        (good("mixed-2", "zzomega").into_bytes(), None),
    ];
    let mut bytes = Vec::new();
    for (i, (line, says)) in mixed.iter().enumerate() {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
        match says {
            Some(w) if w.starts_with("W:") => expect.push(warn("a-mixed.jsonl", i + 1, &w[2..])),
            Some(w) => expect.push(err("a-mixed.jsonl", i + 1, *w)),
            None => {}
        }
    }
    write(&c.join("a-mixed.jsonl"), &bytes);
    for id in [
        "mixed-1",
        "mixed-2",
        "long-title",
        "many",
        "12345678901234567",
        "brief",
    ] {
        good_article(id);
    }

    // A UTF-8 byte order mark before the first record.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(jsonl(&[good("bom-1", "zzbom"), good("bom-2", "zzbom")]));
    write(&c.join("b-bom.jsonl"), &bom);
    good_article("bom-1");
    good_article("bom-2");

    // CRLF line endings, a bad record in between: line numbers still count lines.
    write(
        &c.join("c-crlf.jsonl"),
        format!(
            "{}\r\n{{oops\r\n\r\n{}\r\n",
            good("crlf-1", "zzcrlf"),
            good("crlf-2", "zzcrlf")
        )
        .as_bytes(),
    );
    expect.push(err("c-crlf.jsonl", 2, "not valid JSON"));
    good_article("crlf-1");
    good_article("crlf-2");

    // A directory named like a file is read as a directory.
    write(
        &c.join("d.jsonl").join("inner.jsonl"),
        &jsonl(&[good("inner", "zzinner")]),
    );
    good_article("inner");

    // Empty and blank files.
    write(&c.join("e-empty.jsonl"), b"");
    expect.push(warn(
        "e-empty.jsonl",
        1,
        "the file holds no articles (it is empty or blank)",
    ));
    write(&c.join("f-blank.ndjson"), b"\n   \n\t\r\n");
    expect.push(warn(
        "f-blank.ndjson",
        1,
        "the file holds no articles (it is empty or blank)",
    ));

    // Binary files: a PNG named .jsonl, an unknown extension.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec();
    png.extend((0..4096u32).map(|i| (i * 7919 % 251) as u8));
    write(&c.join("g-image.jsonl"), &png);
    expect.push(err(
        "g-image.jsonl",
        1,
        "not a text file: it looks like a PNG image; skipped",
    ));
    write(&c.join("h-notes.bin"), &png);
    expect.push(warn("h-notes.bin", 0, "skipped: not a corpus file"));

    // Symbolic links: a loop back to the corpus directory, a link to itself, a dangling one.
    symlink(".", c.join("i-loop")).unwrap();
    expect.push(warn(
        "i-loop",
        0,
        "directory already read (named twice, or a symbolic link loop); skipped",
    ));
    symlink("j-self.jsonl", c.join("j-self.jsonl")).unwrap();
    expect.push(err(
        "j-self.jsonl",
        0,
        "cannot read: too many levels of symbolic links",
    ));
    symlink("does-not-exist.jsonl", c.join("k-dangling.jsonl")).unwrap();
    expect.push(err(
        "k-dangling.jsonl",
        0,
        "cannot read: no such file or directory",
    ));

    // An empty directory.
    std::fs::create_dir_all(c.join("l-emptydir")).unwrap();

    // A gzip file cut short: the records before the cut are indexed.
    let records: Vec<String> = (0..400)
        .map(|i| {
            good(
                &format!("cut-{i:03}"),
                &format!("zzcut{i} {}", "opvulling ".repeat(20)),
            )
        })
        .collect();
    let full = gzip(&jsonl(&records));
    write(&c.join("m-cut.jsonl.gz"), &full[..full.len() / 2]);
    // The records that survive the cut: found by decompressing the same prefix.
    let mut prefix = Vec::new();
    let _ = std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&full[..full.len() / 2]),
        &mut prefix,
    );
    let complete = prefix.iter().filter(|&&b| b == b'\n').count();
    assert!(
        complete > 10 && complete < 400,
        "{complete} complete lines before the cut"
    );
    for i in 0..complete {
        good_article(&format!("cut-{i:03}"));
    }
    expect.push(err(
        "m-cut.jsonl.gz",
        complete + 1,
        "the file is cut short (truncated gzip stream?); the rest of the file is skipped",
    ));

    // A .gz that is not gzip.
    write(
        &c.join("n-fake.jsonl.gz"),
        &jsonl(&[good("fake", "zzfake")]),
    );
    expect.push(err(
        "n-fake.jsonl.gz",
        1,
        "read failed: invalid gzip header; the rest of the file is skipped",
    ));

    // Text files: front matter never closed, a bad front matter line, good Markdown, CRLF.
    write(
        &c.join("o-open.txt"),
        b"---\ntitle: Nooit dicht\n\nTekst zonder einde.\n",
    );
    expect.push(err(
        "o-open.txt",
        1,
        "front matter opened with `---` is never closed; skipped",
    ));
    write(
        &c.join("p-badline.md"),
        b"---\ntitle: Goed\nditisgeenveld\n---\nTekst.\n",
    );
    expect.push(err(
        "p-badline.md",
        3,
        "front matter line is not `key: value`: \"ditisgeenveld\"; skipped",
    ));
    write(
        &c.join("q-good.md"),
        "# Een kop over zzmarkdown\n\nDe tekst van het stuk.\n".as_bytes(),
    );
    good_article("q-good");
    write(&c.join("r-crlf.txt"), b"---\r\ntitle: Titel met zzcrlftitle\r\npublished: 2024-11-15\r\n---\r\nEerste alinea.\r\n\r\nTweede alinea.\r\n");
    good_article("r-crlf");
    write(&c.join("s-nul.txt"), b"Tekst\0met\0nullen.");
    expect.push(err(
        "s-nul.txt",
        1,
        "contains NUL bytes (a binary file?); skipped",
    ));
    write(&c.join("t-latin1.txt"), b"Caf\xe9 in Parijs.");
    expect.push(err("t-latin1.txt", 1, "invalid UTF-8 at byte 3; skipped"));
    write(&c.join("u-empty.txt"), b"");
    expect.push(err("u-empty.txt", 1, "article text is empty; skipped"));
    write(
        &c.join("u-frontdate.txt"),
        b"---\npublished: 2024-02-30\n---\nTekst.\n",
    );
    expect.push(err(
        "u-frontdate.txt",
        1,
        "date does not parse: \"2024-02-30\" (day 30 is out of range); skipped",
    ));

    // A named pipe: opening it would block the build forever.
    let fifo = Command::new("mkfifo")
        .arg(c.join("v-fifo.jsonl"))
        .status()
        .unwrap();
    assert!(fifo.success());
    expect.push(warn(
        "v-fifo.jsonl",
        0,
        "skipped: not a regular file (a named pipe, socket or device)",
    ));

    // UTF-16 (a Windows export) and gzip data under a plain name.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            "{\"id\":\"u16\",\"body\":\"x\"}\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    write(&c.join("w-utf16.jsonl"), &utf16);
    expect.push(err("w-utf16.jsonl", 1, "not a text file: it looks like UTF-16 text (newsidx reads UTF-8; convert it, e.g. with iconv); skipped"));
    write(
        &c.join("x-zipped.jsonl"),
        &gzip(&jsonl(&[good("zipped", "zzzipped")])),
    );
    expect.push(err(
        "x-zipped.jsonl",
        1,
        "not a text file: it looks like gzip data (its name does not end in .gz); skipped",
    ));

    // A duplicate id in another file: the first one wins.
    write(
        &c.join("y-dup.jsonl"),
        &jsonl(&[good("bom-1", "zzdupe2"), good("y-new", "zzynew")]),
    );
    expect.push(err(
        "y-dup.jsonl",
        1,
        "duplicate article id \"bom-1\" (first at C/b-bom.jsonl:1); skipped",
    ));
    good_article("y-new");

    // Good gzip, hidden files and documentation are not reported.
    write(
        &c.join("z-ok.ndjson.gz"),
        &gzip(&jsonl(&[good("gz-1", "zzgzip")])),
    );
    good_article("gz-1");
    write(&c.join(".hidden.jsonl"), b"{broken\n");
    write(&c.join("README.md"), b"---\nbroken\n");
    (expect, articles)
}

#[test]
fn bad_input_catalogue_every_problem_reported_every_good_article_indexed() {
    let fx = Fixture::new();
    let c = fx.path("c");
    let (expect, articles) = write_catalogue(&c);
    assert!(expect.len() >= 30, "{} cases", expect.len());
    let r = fx.run(&["index", s(&c), "--max-paragraphs", "100", "--threads", "2"]);
    assert_eq!(r.code, 2, "failed records mean exit 2\n{}", r.stderr);
    let shown = |file: &str| c.join(file).display().to_string();
    let problems = problem_lines(&r.stderr);
    for e in &expect {
        let says = e.says.replace("C/", &format!("{}/", c.display()));
        let kind = if e.warning { "warning: " } else { "" };
        let want = format!("newsidx: {}:{}: {kind}", shown(e.file), e.line);
        assert!(
            problems
                .iter()
                .any(|l| l.starts_with(&want) && l.contains(&says)),
            "missing {want}…{says}\nstderr:\n{}",
            r.stderr
        );
    }
    // Nothing else is reported, each problem once, on one line of its own.
    assert_eq!(problems.len(), expect.len(), "stderr:\n{}", r.stderr);
    assert!(!r.stderr.contains(".hidden.jsonl") && !r.stderr.contains("README"));
    let errors = expect.iter().filter(|e| !e.warning).count();
    let warnings = expect.len() - errors;
    assert!(
        r.stderr
            .contains(&format!("indexed {} articles", articles.len())),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("; {errors} errors, {warnings} warnings")),
        "{errors} errors, {warnings} warnings expected:\n{}",
        r.stderr
    );

    // Exactly the good articles are in the index, with every kept paragraph.
    let paragraphs = all_paragraphs(&fx.idx);
    let found: BTreeSet<String> = paragraphs.values().cloned().collect();
    assert_eq!(found, articles);
    let per_article = |id: &str| paragraphs.values().filter(|a| *a == id).count();
    assert_eq!(
        per_article("many"),
        100,
        "--max-paragraphs keeps the first 100"
    );
    assert_eq!(per_article("r-crlf"), 2);
    assert_eq!(
        per_article("brief"),
        1,
        "a brief is one paragraph: its title"
    );
    // And they are found by their words, titles included.
    for (word, id) in [
        ("zzalpha", "mixed-1"),
        ("zzomega", "mixed-2"),
        ("zzlongtitle", "long-title"),
        ("zzmarkdown", "q-good"),
        ("zzcrlftitle", "r-crlf"),
        ("zzinner", "inner"),
        ("zzgzip", "gz-1"),
        ("zzynew", "y-new"),
        ("zzinteger", "12345678901234567"),
        ("zzcut0", "cut-000"),
        ("zzbrief", "brief"),
    ] {
        let r = fx.ok(&["search", word, "--json"]);
        let ids: BTreeSet<String> = hits(&r.stdout)
            .iter()
            .map(|h| h["article_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, BTreeSet::from([id.to_string()]), "search {word}");
    }
    // The losers of duplicates and the records after a cut are not there.
    for word in ["zzdupe", "zzdupe2", "zzfake", "zzzipped"] {
        assert_eq!(fx.search(&[word]).code, 1, "{word}");
    }
    let r = fx.ok(&["search", "opvulling", "--json", "-n", "1000"]);
    assert_eq!(
        summary(&r.stdout)["total"].as_u64().unwrap() as usize,
        articles.iter().filter(|a| a.starts_with("cut-")).count()
    );
    // The summary as JSON says the same.
    let r = fx.run(&["index", s(&c), "--max-paragraphs", "100", "--json", "-q"]);
    assert_eq!(r.code, 2);
    let sum: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(sum["errors"], errors);
    assert_eq!(sum["warnings"], warnings);
    assert_eq!(sum["articles"], articles.len());
    assert!(leftovers(&fx.idx).is_empty(), "{:?}", leftovers(&fx.idx));
}

#[test]
fn control_characters_in_file_names_are_escaped_in_reports() {
    let fx = Fixture::new();
    fx.file("c/evil\x1b[2J\u{202e}.jsonl", b"{oops\n");
    fx.file("c/ok.jsonl", &jsonl(&[good("ok", "zzok")]));
    let r = fx.run(&["index", s(&fx.path("c"))]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("evil\\u{1b}[2J\\u{202e}.jsonl:1: not valid JSON"),
        "{}",
        r.stderr
    );
    assert_no_controls(&r.stderr, "stderr");
    fx.ok(&["search", "zzok"]);
}

#[test]
fn a_100_mb_line_is_skipped_without_being_held_in_memory() {
    let fx = Fixture::new();
    let small = fx.file(
        "small.jsonl",
        &jsonl(&[good("before", "zzbefore"), good("after", "zzafter")]),
    );
    let file = fx.path("big.jsonl");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        writeln!(w, "{}", good("before", "zzbefore")).unwrap();
        write!(w, "{{\"id\":\"huge\",\"body\":\"").unwrap();
        // Exactly 100 MiB of body: the line is 104,857,624 bytes.
        let chunk = "woorden ".repeat(1024 * 1024 / 8);
        for _ in 0..100 {
            w.write_all(chunk.as_bytes()).unwrap();
        }
        writeln!(w, "\"}}").unwrap();
        writeln!(w, "{}", good("after", "zzafter")).unwrap();
    }
    // The same build without the big line gives the baseline memory of this binary.
    let (_, baseline_kb) = peak_rss(fx.path("idx0"), &small);
    let (out, peak_kb) = peak_rss(fx.idx.clone(), &file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:2: article is too large (104.9 MB; the limit is 16.8 MB, see --max-article-mb); skipped",
            file.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("indexed 2 articles"), "{stderr}");
    assert!(stderr.contains("1 error, 0 warnings"), "{stderr}");
    assert!(baseline_kb > 0 && peak_kb > 0, "no memory reading");
    // Holding the line would add at least 100 MB. Reading keeps one buffer of at most the
    // article limit (16 MiB by default), which is copied as it grows (old and new alive at
    // once), plus the reader's own buffers: measured +25 to +39 MB with 4 KiB pages (+4 to
    // +8 MB while the allocator still had huge pages mapped from loading the models).
    let limit_kb = 16 * 1024;
    assert!(
        peak_kb < baseline_kb + 3 * limit_kb,
        "peak resident memory {peak_kb} kB against {baseline_kb} kB without the big line: the 100 MB line was held in memory"
    );
    let ids = all_articles(&fx.idx);
    assert_eq!(
        ids,
        BTreeSet::from(["after".to_string(), "before".to_string()])
    );
}

/// Runs `newsidx index FILE` (64 MB budget, one thread) and samples its peak resident memory
/// (VmHWM from /proc, which only grows) while it runs.
fn peak_rss(idx: PathBuf, file: &Path) -> (std::process::Output, u64) {
    let child = bin()
        .arg("--index")
        .arg(&idx)
        .args(["index", s(file), "--memory", "64", "--threads", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = PathBuf::from(format!("/proc/{}/status", child.id()));
    let sampler = std::thread::spawn(move || {
        let mut peak = 0u64;
        while let Ok(text) = std::fs::read_to_string(&status) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
            if text.contains("State:\tZ") {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        peak
    });
    let out = child.wait_with_output().unwrap();
    (out, sampler.join().unwrap())
}

#[test]
fn only_bad_records_is_an_error_and_keeps_the_previous_index() {
    let fx = indexed("good.jsonl", &jsonl(&[good("keep", "zzkeep")]));
    let info = || -> Value { serde_json::from_str(&fx.ok(&["info"]).stdout).unwrap() };
    let before = info();

    fx.file("bad/a.jsonl", b"{x\n[]\n{\"body\":3}\n");
    fx.file("bad/b.txt", b"");
    let r = fx.run(&["index", s(&fx.path("bad"))]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for l in 1..=3 {
        assert!(r.stderr.contains(&format!("a.jsonl:{l}: ")), "{}", r.stderr);
    }
    assert!(
        r.stderr.contains("b.txt:1: article text is empty"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("newsidx: error: no article could be indexed (4 records failed); the previous index, if any, is kept"),
        "{}",
        r.stderr
    );
    assert_eq!(info()["generation"], before["generation"]);
    assert_eq!(all_articles(&fx.idx), BTreeSet::from(["keep".to_string()]));

    // An empty directory, and a path that does not exist: errors, old index kept.
    let empty = fx.path("empty");
    std::fs::create_dir(&empty).unwrap();
    let r = fx.run(&["index", s(&empty)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "newsidx: error: no corpus files found in {}",
            empty.display()
        )),
        "{}",
        r.stderr
    );
    let r = fx.run(&["index", s(&fx.path("nope"))]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("nope:0: cannot read: no such file or directory"),
        "{}",
        r.stderr
    );
    assert_eq!(info()["generation"], before["generation"]);
    assert_eq!(all_articles(&fx.idx), BTreeSet::from(["keep".to_string()]));
    assert!(leftovers(&fx.idx).is_empty(), "{:?}", leftovers(&fx.idx));
}

#[test]
fn pathological_bodies_are_indexed() {
    // Shapes that stress the splitter, the tagger and the highlighter: one 300 kB line
    // without sentence ends, 20,000 one-letter sentences, a 100 kB word, 50,000 blank lines,
    // a long run of capitalised words (person and country candidates), deep punctuation.
    let bodies = [
        ("noend", format!("zznoend {}", "woord ".repeat(50_000))),
        ("tiny", format!("zztiny {}", "A. ".repeat(20_000))),
        ("word", format!("zzword {}", "x".repeat(100_000))),
        ("blank", format!("zzblank{}einde", "\n".repeat(50_000))),
        (
            "caps",
            format!(
                "zzcaps {}",
                "Jan Piet Van Der Berg Nederland ".repeat(5_000)
            ),
        ),
        (
            "punct",
            format!("zzpunct {}", "(\"'.,;:!?-–…«»„“ ".repeat(10_000)),
        ),
    ];
    let lines: Vec<String> = bodies
        .iter()
        .map(|(id, body)| json!({"id": id, "body": body, "lang": "nl"}).to_string())
        .collect();
    let fx = Fixture::new();
    let f = fx.file("p.jsonl", &jsonl(&lines));
    let r = fx.run(&["index", s(&f), "--max-paragraphs", "100000"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("indexed 6 articles"), "{}", r.stderr);
    for (id, _) in &bodies {
        let word = format!("zz{id}");
        let r = fx.ok(&["search", &word, "--json"]);
        let h = &hits(&r.stdout)[0];
        assert_eq!(h["article_id"], *id);
        assert!(
            highlighted(h).iter().any(|w| w.eq_ignore_ascii_case(&word)),
            "{h}"
        );
    }
}

// ---------------------------------------------------------------- kill -9 during builds

/// A small xorshift64* generator: deterministic delays without a dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One command of a kill loop: newsidx's arguments (after `--index DIR`), the paragraph ids
/// the index must hold once it has completed, and whether to kill it. The step function
/// gets the ids the index holds before the command, so that an incremental update can say
/// "those, plus these".
pub struct Step {
    pub args: Vec<String>,
    pub expect: BTreeSet<String>,
    pub kill: bool,
}

/// What a kill loop did.
#[derive(Debug, Default)]
pub struct KillStats {
    pub kills: usize,
    pub completed: usize,
    /// Kills that came after the killed command had published its result.
    pub published_before_kill: usize,
}

/// Runs commands against `idx` until `kills` of them were killed (at most `2 * kills + 16`
/// commands); a command to kill gets SIGKILL after a random delay below `max_delay`
/// (xorshift seeded with `seed`: the same sequence on every run), unless it finished first.
/// `max_delay` shrinks to the fastest completed command, so that on a loaded machine or a
/// fast one the kills still land inside builds. After each command the index must open and hold exactly the paragraphs
/// of the last command that committed: the state before, or the killed command's own
/// result if it published just before the kill. Never a mix, never a partial article. A
/// completed command must succeed and leave no temporary generation, old generation or LOCK.
fn kill_loop(
    idx: &Path,
    mut state: BTreeSet<String>,
    kills: usize,
    seed: u64,
    mut max_delay: Duration,
    mut step: impl FnMut(usize, &BTreeSet<String>) -> Step,
) -> KillStats {
    let mut rng = XorShift(seed);
    let mut stats = KillStats::default();
    let mut i = 0;
    while stats.kills < kills {
        assert!(i < 2 * kills + 16, "only {stats:?} after {i} commands");
        let Step { args, expect, kill } = step(i, &state);
        let delay = Duration::from_micros(rng.below(max_delay.as_micros() as u64));
        let mut child = bin()
            .arg("--index")
            .arg(idx)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let mut finished = !kill;
        while kill && started.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        if !finished {
            child.kill().unwrap(); // SIGKILL
        }
        let out = child.wait_with_output().unwrap();
        if finished {
            max_delay = max_delay.min(started.elapsed());
        }
        let now: BTreeSet<String> = all_paragraphs(idx).into_keys().collect();
        if finished {
            assert_eq!(
                out.status.code(),
                Some(0),
                "step {i}: {args:?} failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            stats.completed += 1;
            assert!(
                now == expect,
                "step {i}: {args:?} completed, the index differs"
            );
            assert!(leftovers(idx).is_empty(), "step {i}: {:?}", leftovers(idx));
        } else {
            stats.kills += 1;
            if now == expect && now != state {
                stats.published_before_kill += 1;
            } else {
                assert!(
                    now == state,
                    "step {i}: killed after {delay:?}; the index holds {} paragraphs, neither the {} before nor the {} of {args:?}",
                    now.len(),
                    state.len(),
                    expect.len()
                );
            }
        }
        state = now;
        i += 1;
    }
    stats
}

/// A corpus of `n` articles with two paragraphs each, ids `{prefix}{i}`; returns the
/// paragraph ids.
fn kill_corpus(path: &Path, prefix: &str, n: usize) -> BTreeSet<String> {
    let mut lines = Vec::with_capacity(n);
    let mut ids = BTreeSet::new();
    for i in 0..n {
        let id = format!("{prefix}{i:05}");
        lines.push(json!({
            "id": id,
            "title": format!("Bericht {i} uit Den Haag"),
            "body": format!("Premier Mark Rutte sprak op {d} maart in Brussel met president Macron over Oekraïne en de NAVO, artikel {i}.\n\nDe Tweede Kamer debatteerde vrijdag over dijken, polders en de begroting van {y}; minister Hoekstra verdedigde het plan.",
                d = 1 + i % 28, y = 1990 + i % 35),
            "published": format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            "lang": "nl",
        }).to_string());
        ids.insert(format!("{id}#0"));
        ids.insert(format!("{id}#1"));
    }
    write(path, &jsonl(&lines));
    ids
}

#[test]
fn killed_builds_leave_exactly_the_last_committed_index() {
    let fx = Fixture::new();
    let idx = &fx.idx;
    let (a, b) = (fx.path("a.jsonl"), fx.path("b.jsonl"));
    let set_a = kill_corpus(&a, "a", 500);
    let set_b = kill_corpus(&b, "b", 350);
    assert!(set_a.is_disjoint(&set_b));
    // The first build, timed so that the kills spread over a whole build (start-up,
    // reading, indexing, commit, publish).
    let started = Instant::now();
    fx.index(&[s(&a), "-q", "--threads", "2"]);
    let full = started.elapsed();
    assert_eq!(
        all_paragraphs(idx).into_keys().collect::<BTreeSet<_>>(),
        set_a
    );
    let (a_s, b_s) = (s(&a).to_string(), s(&b).to_string());
    // Builds alternating between the corpora in runs of thirteen; the last of each run
    // completes, so the expected state changes along the way. 52 kills.
    let stats = kill_loop(idx, set_a.clone(), 52, 0x5eed_2026_1128, full, |i, _| {
        let (file, expect) = if (i / 13) % 2 == 0 {
            (&b_s, &set_b)
        } else {
            (&a_s, &set_a)
        };
        Step {
            args: vec![
                "index".into(),
                file.clone(),
                "-q".into(),
                "--threads".into(),
                "2".into(),
            ],
            expect: expect.clone(),
            kill: i % 13 != 12,
        }
    });
    eprintln!("kill test: {stats:?}, a full build took {full:?}");
    assert_eq!(stats.kills, 52);
    assert!(stats.completed >= 4, "{stats:?}");
    // A final build takes over the dead process's lock and cleans up after it.
    fx.index(&[s(&b), "-q"]);
    assert_eq!(
        all_paragraphs(idx).into_keys().collect::<BTreeSet<_>>(),
        set_b
    );
    assert!(leftovers(idx).is_empty(), "{:?}", leftovers(idx));
    let info: Value = serde_json::from_str(&fx.ok(&["info"]).stdout).unwrap();
    assert_eq!(info["documents"], set_b.len());
}

// ---------------------------------------------------------------- untrusted text in output

fn assert_no_controls(out: &str, what: &str) {
    for (i, c) in out.char_indices() {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
        assert!(
            (c == '\n' || !c.is_control()) && !bidi,
            "{what}: {c:?} at byte {i}: {:?}",
            out[..i]
                .chars()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        );
    }
}

const NASTY_TITLE: &str = "<script>alert(1)</script> \x1b[2J\x1b]0;pwned\x07 \u{9b}31m \u{202e}txet\u{202c} \x08\x7f zzhostile";
const NASTY_BODY: &str = "Begin </div><img src=x onerror=alert(1)> \x1b[31mrood\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07 \u{85}\u{9b}2J \u{202e}zzhostile\u{202d} \u{2066}iso\u{2069} tab\there \x0b\x0c\x01\x1f eind.";
const NASTY_SOURCE: &str = "Bron\x1b[5m \u{9d}osc\u{9c} </td>";

fn nasty_index() -> Fixture {
    let record = json!({
        "id": "nasty",
        "title": NASTY_TITLE,
        "body": NASTY_BODY,
        "source": NASTY_SOURCE,
        "url": "javascript:alert(1)\x1b[0m",
        "published": "2024-11-15",
        "lang": "nl",
    });
    // The person and untitled paths too: a tagged name next to escapes, no title.
    let untitled = json!({"id": "untitled", "body": "\x1b[2J zzhostile Premier Mark\u{202e} Rutte sprak.", "lang": "nl"});
    indexed(
        "nasty.jsonl",
        &jsonl(&[record.to_string(), untitled.to_string()]),
    )
}

#[test]
fn untrusted_text_cannot_drive_the_terminal() {
    let fx = nasty_index();
    for color in ["never", "always"] {
        for extra in [&[][..], &["--facets"][..], &["--max-chars", "40"][..]] {
            let mut args = vec!["search", "zzhostile", "--color", color];
            args.extend_from_slice(extra);
            let r = fx.ok(&args);
            assert!(r.stdout.contains("zzhostile"), "{}", r.stdout);
            // Our own highlighting is the only escape sequence allowed.
            let mut out = r.stdout.clone();
            if color == "always" {
                for sgr in ["\x1b[1;33m", "\x1b[1m", "\x1b[2m", "\x1b[0m"] {
                    out = out.replace(sgr, "");
                }
                assert_ne!(out, r.stdout, "--color always highlights");
            }
            assert_no_controls(&out, &format!("--color {color} {extra:?}"));
            // The HTML is text here, shown as written.
            if extra.is_empty() {
                assert!(out.contains("<script>alert(1)</script>"), "{out}");
                assert!(out.contains("</div><img src=x onerror=alert(1)>"), "{out}");
            }
            assert_no_controls(&r.stderr, "stderr");
        }
    }
}

#[test]
fn untrusted_text_round_trips_through_json() {
    let fx = nasty_index();
    let r = fx.ok(&[
        "search",
        "zzhostile",
        "--json",
        "--facets",
        "--max-chars",
        "0",
    ]);
    // No raw ESC or other C0 control can reach a terminal that shows the JSON.
    assert!(
        !r.stdout.chars().any(|c| c != '\n' && (c as u32) < 0x20),
        "{:?}",
        r.stdout
    );
    let hs = hits(&r.stdout);
    assert_eq!(hs.len(), 2, "{}", r.stdout);
    let h = hs.iter().find(|h| h["article_id"] == "nasty").unwrap();
    // Fields stored as given come back exactly.
    assert_eq!(h["title"], NASTY_TITLE);
    assert_eq!(h["source"], NASTY_SOURCE);
    assert_eq!(h["url"], "javascript:alert(1)\x1b[0m");
    // The text is the body as the paragraph splitter normalises it: HTML and bidi marks kept,
    // whitespace and control characters each a single space.
    let text = h["text"].as_str().unwrap();
    let normalised: String = NASTY_BODY
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(text, normalised);
    assert!(text.contains("</div><img src=x onerror=alert(1)>"));
    assert!(text.contains("\u{202e}zzhostile\u{202d}"));
    assert_eq!(highlighted(h), vec!["zzhostile"]);
    // Parsing the line again and printing it gives the same line (nothing lost in escaping).
    for line in r.stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&v.to_string()).unwrap(), v);
    }
}

#[test]
fn untrusted_text_is_escaped_in_html() {
    let fx = nasty_index();
    // The query is echoed into the page too.
    let query = "zzhostile OR \"</title><script>x</script>\"";
    let r = fx.ok(&["search", query, "--format", "html", "--facets"]);
    let page = &r.stdout;
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("zzhostile"), "{page}");
    // Article text and the query are text, never markup.
    assert!(!page.to_lowercase().contains("<script"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(
        !page.contains("javascript:"),
        "only http(s) URLs become links: {page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&lt;/div&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&lt;/td&gt;"),
        "the source is escaped: {page}"
    );
    assert!(
        page.contains("&lt;/title&gt;&lt;script&gt;"),
        "the query is escaped: {page}"
    );
    // Our own markup stays balanced: article text cannot close or open elements.
    for tag in ["div", "p", "title", "h1", "table", "td", "a", "mark"] {
        let open =
            page.matches(&format!("<{tag}>")).count() + page.matches(&format!("<{tag} ")).count();
        let close = page.matches(&format!("</{tag}>")).count();
        assert_eq!(
            open, close,
            "<{tag}> opened {open} times, closed {close} times"
        );
    }
    assert_eq!(page.matches("<title>").count(), 1);
    // No control character reaches the page (ESC, BEL, C1, DEL...).
    assert!(
        !page.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        page.chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect::<Vec<_>>()
    );
}

/// serde_json writes DEL, C1 controls (U+009B is CSI on terminals that honour 8-bit
/// controls), bidi overrides and U+2028/2029 raw: `newsidx search --json | less -r` or a
/// JSON viewer shows them as they are. `render::json` escapes them (`SafeFormatter`).
#[test]
fn json_output_escapes_c1_controls_and_bidi_overrides() {
    let fx = nasty_index();
    let r = fx.ok(&["search", "zzhostile", "--json", "--facets"]);
    assert_no_controls(&r.stdout, "--json");
    assert_eq!(hits(&r.stdout).len(), 2);
}
