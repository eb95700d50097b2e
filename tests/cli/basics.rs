//! basics: the README's commands, search output, filters, query operators, exit codes, the
//! seed article, analysis, corpus formats, bad input, rebuilds.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::*;

// ---------------------------------------------------------------- the README's commands

#[test]
fn index_corpus_and_search_as_in_readme() {
    let fx = Fixture::new();
    let r = fx.index(&["corpus/"]);
    assert!(r.stderr.contains("indexed 65 articles"), "{}", r.stderr);
    assert!(r.stderr.contains("0 errors"), "{}", r.stderr);
    let r = fx.ok(&["search", "Noord-Korea raketten"]);
    assert!(r.stdout.contains("**Noord-Korea**"), "{}", r.stdout);
    assert!(r.stdout.contains("**raketten**"), "{}", r.stdout);
    // NEWSIDX_INDEX is the default index.
    let out = bin()
        .env("NEWSIDX_INDEX", &fx.idx)
        .args(["search", "Ishiba", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn readme_example_with_all_filters() {
    let r = search(&[
        "Ishiba",
        "--person",
        "Joe Biden",
        "--country",
        "JP",
        "--since",
        "2024-11-01",
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hs = hits(&r.stdout);
    assert!(!hs.is_empty());
    for h in &hs {
        assert!(strings(&h["persons"]).contains(&"Joe Biden".to_string()));
        assert!(strings(&h["countries"]).contains(&"JP".to_string()));
        assert!(h["published"].as_str().unwrap() >= "2024-11-01");
        assert!(
            highlighted(h)
                .iter()
                .filter(|w| w.as_str() == "Ishiba")
                .count()
                >= 1,
            "{h}"
        );
    }
}

// ---------------------------------------------------------------- search output

#[test]
fn full_text_output_for_a_small_corpus() {
    let fx = indexed(
        "news.jsonl",
        concat!(
            r#"{"id":"a1","title":"Raketten boven zee","body":"Noord-Korea vuurde vrijdag twee raketten af.\n\nDe VS reageerden boos.","published":"2024-11-15","source":"NOS","lang":"nl"}"#,
            "\n",
            r#"{"id":"a2","title":"Weerbericht","body":"Morgen is het zonnig in Utrecht.","published":"2024-11-16","source":"NOS","lang":"nl"}"#,
            "\n"
        )
        .as_bytes(),
    );
    let r = fx.ok(&["search", "raket", "--color", "never"]);
    let score_free: String = r
        .stdout
        .lines()
        .map(|l| match l.find("score ") {
            Some(i) => format!(
                "{}score X{}\n",
                &l[..i],
                &l[l[i..].find("  ").map_or(l.len(), |j| i + j)..]
            ),
            None => format!("{l}\n"),
        })
        .collect();
    let expected = "\
1. Raketten boven zee  2024-11-15  NOS  ¶0  score X  a1#0
   Noord-Korea vuurde vrijdag twee **raketten** af.
   countries: KP · dates: 2024-11-15

2. Raketten boven zee  2024-11-15  NOS  ¶1  score X  a1#1
   De VS reageerden boos.
   countries: US

2 matching paragraphs, showing 1–2
";
    assert_same(expected, &score_free);
}

#[test]
fn json_highlights_are_character_offsets_of_matched_words() {
    let r = search(&["Oekraine troepen", "--json", "--limit", "20"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hs = hits(&r.stdout);
    assert!(!hs.is_empty());
    for h in &hs {
        let words = highlighted(h);
        assert!(!words.is_empty(), "{h}");
        for w in words {
            let lower = w.to_lowercase();
            assert!(
                lower.starts_with("oekra")
                    || lower.starts_with("troep")
                    || lower.starts_with("ukrain")
                    || lower.starts_with("troop"),
                "{w} in {h}"
            );
        }
        for key in [
            "id",
            "article_id",
            "ordinal",
            "persons",
            "countries",
            "dates",
            "text",
        ] {
            assert!(!h[key].is_null(), "{key} missing in {h}");
        }
    }
    assert_eq!(
        summary(&r.stdout)["returned"].as_u64().unwrap() as usize,
        hs.len()
    );
}

#[test]
fn diacritics_and_case_are_folded() {
    let a = hits(&search(&["oekraine", "--json", "--limit", "100"]).stdout).len();
    let b = hits(&search(&["Oekraïne", "--json", "--limit", "100"]).stdout).len();
    assert!(a > 0);
    assert_eq!(a, b);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let r = search(&["Ishiba", "--color", "always"]);
    assert!(r.stdout.contains("\x1b[1;33mIshiba\x1b[0m"), "{}", r.stdout);
    let r = search(&["Ishiba"]);
    assert!(!r.stdout.contains('\x1b'));
    assert!(r.stdout.contains("**Ishiba**"));
}

#[test]
fn limit_zero_answers_how_many_and_the_facets() {
    let full = search(&["raket", "--facets", "--json"]);
    let counts = search(&["raket", "--facets", "--json", "--limit", "0"]);
    assert_eq!(counts.code, 0, "{}", counts.stderr);
    assert!(hits(&counts.stdout).is_empty());
    let total = summary(&full.stdout)["total"].as_u64().unwrap();
    assert!(total > 1);
    assert_eq!(summary(&counts.stdout)["total"].as_u64(), Some(total));
    let facets = |out: &str| {
        json_lines(out)
            .into_iter()
            .find(|v| v["type"] == "facets")
            .expect("facets line")
    };
    assert_eq!(facets(&counts.stdout), facets(&full.stdout));
    let text = search(&["raket", "-n", "0"]);
    assert_same(&format!("{total} matching paragraphs\n"), &text.stdout);
    // --limit 0 counts without ranking; the counts are those of a ranked search
    let grouped = search(&["raket", "-n", "0", "--group", "article"]);
    let ranked = search(&["raket", "--group", "article", "--json"]);
    let articles = summary(&ranked.stdout)["articles"].as_u64().unwrap();
    assert!(articles > 1 && articles < total);
    assert_same(
        &format!("{total} matching paragraphs in {articles} articles\n"),
        &grouped.stdout,
    );
    let filtered = |extra: &[&str]| {
        let mut a = vec!["", "--country", "KP", "--since", "2024-11", "--json"];
        a.extend_from_slice(extra);
        search(&a)
    };
    let (ranked, counted) = (filtered(&["--facets"]), filtered(&["--facets", "-n", "0"]));
    assert_eq!(
        summary(&counted.stdout)["total"],
        summary(&ranked.stdout)["total"]
    );
    assert_eq!(facets(&counted.stdout), facets(&ranked.stdout));
    let none = search(&["xyzzy", "-n", "0"]);
    assert_eq!(none.code, 1);
    assert_same("no matching paragraphs\n", &none.stdout);
}

#[test]
fn limit_offset_and_deterministic_order() {
    let all = hits(&search(&["de", "--json", "--limit", "30"]).stdout);
    let page = hits(&search(&["de", "--json", "--limit", "10", "--offset", "10"]).stdout);
    assert_eq!(all.len(), 30);
    let ids = |v: &[Value]| {
        v.iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&all[10..20]), ids(&page));
    assert_eq!(page[0]["rank"], 11);
    for w in all.windows(2) {
        assert!(w[0]["score"].as_f64() >= w[1]["score"].as_f64());
    }
}

#[test]
fn facets_count_persons_and_countries() {
    let r = search(&["Noord-Korea", "--facets", "--json"]);
    let lines = json_lines(&r.stdout);
    let facets = lines
        .iter()
        .find(|v| v["type"] == "facets")
        .expect("facets line");
    let countries = facets["countries"].as_array().unwrap();
    assert_eq!(countries[0]["value"], "KP");
    let total = summary(&r.stdout)["total"].as_u64().unwrap();
    assert!(countries[0]["paragraphs"].as_u64().unwrap() <= total);
    assert!(facets["persons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["value"] == "Joe Biden"));
    let text = search(&["Noord-Korea", "--facets"]).stdout;
    assert!(
        text.contains("countries  (paragraphs, articles)\n"),
        "{text}"
    );
    assert!(text.contains("KP  Noord-Korea"), "{text}");
}

#[test]
fn spellings_of_one_name_are_one_person() {
    // The sample corpus writes "Kim Jong Un" in some articles and "Kim Jong-un" in others
    // (and "Ri Yong Ho" / "Ri Yong-ho"): one facet value, one filter, one name on hits.
    let key = |s: &str| {
        s.to_lowercase()
            .replace('-', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let r = search(&["Noord-Korea OR Kim", "--facets", "--top", "100", "--json"]);
    let lines = json_lines(&r.stdout);
    let facets = lines.iter().find(|v| v["type"] == "facets").unwrap();
    let persons: Vec<String> = facets["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_str().unwrap().to_string())
        .collect();
    assert!(persons.contains(&"Kim Jong Un".to_string()), "{persons:?}");
    let mut keys: Vec<String> = persons.iter().map(|p| key(p)).collect();
    keys.sort();
    let n = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), n, "two spellings of one person: {persons:?}");

    let both = count(&["", "--person", "Kim Jong Un"]);
    assert_eq!(count(&["", "--person", "Kim Jong-un"]), both);
    assert_eq!(count(&["", "--person", "kim jong-UN"]), both);
    let r = search(&["", "--person", "Kim Jong-un", "--limit", "100", "--json"]);
    let hits = hits(&r.stdout);
    assert_eq!(hits.len() as u64, both);
    let text = |h: &Value| h["text"].as_str().unwrap_or_default().to_string();
    assert!(
        hits.iter().any(|h| text(h).contains("Kim Jong-un")),
        "no hit written with a hyphen"
    );
    assert!(
        hits.iter().any(|h| text(h).contains("Kim Jong Un")),
        "no hit written without"
    );
    for h in &hits {
        let p = strings(&h["persons"]);
        assert!(!p.contains(&"Kim Jong-un".to_string()), "{p:?}");
    }
    assert!(hits
        .iter()
        .any(|h| strings(&h["persons"]).contains(&"Kim Jong Un".to_string())));
}

// ---------------------------------------------------------------- filters

fn count(args: &[&str]) -> u64 {
    let mut a = args.to_vec();
    a.push("--json");
    let r = search(&a);
    assert!(r.code == 0 || r.code == 1, "{:?}: {}", args, r.stderr);
    summary(&r.stdout)["total"].as_u64().unwrap()
}

#[test]
fn person_filter_takes_any_alias_in_any_case() {
    let full = count(&["", "--person", "Joe Biden"]);
    assert!(full >= 9, "{full}");
    assert_eq!(count(&["", "--person", "biden"]), full);
    assert_eq!(count(&["", "--person", "JOE BIDEN"]), full);
    assert_eq!(count(&["person:Biden"]), full);
    assert!(count(&["", "--person", "Shigeru Ishiba"]) >= 5);
}

#[test]
fn country_filter_takes_codes_and_names() {
    let kp = count(&["", "--country", "KP"]);
    assert!(kp >= 15, "{kp}");
    assert_eq!(count(&["", "--country", "kp"]), kp);
    assert_eq!(count(&["", "--country", "Noord-Korea"]), kp);
    assert_eq!(count(&["", "--country", "North Korea"]), kp);
    assert_eq!(count(&["country:KP"]), kp);
    // names the country table had only with a parenthesis ("Myanmar (Burma)", "Congo (DRC)")
    for (name, code) in [
        ("Birma", "MM"),
        ("Burma", "MM"),
        ("DR Congo", "CD"),
        ("Zaïre", "CD"),
    ] {
        assert_eq!(
            count(&["", "--country", name]),
            count(&["", "--country", code])
        );
    }
    let r = search(&["", "--country", "Atlantis"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown country"), "{}", r.stderr);
}

#[test]
fn date_and_language_filters() {
    let all = count(&[""]);
    let since = count(&["", "--since", "2024-11-01"]);
    assert_eq!(since, 26, "only the seed article is from 2024");
    let until = count(&["", "--until", "2019-12-31"]);
    assert!(
        until > 0 && until + since < all,
        "undated articles match neither"
    );
    assert_eq!(
        count(&["", "--since", "2024-11-15", "--until", "2024-11-15"]),
        26
    );
    assert_eq!(count(&["", "--since", "2024-11-16"]), 0);
    let en = count(&["", "--lang", "en"]);
    let nl = count(&["", "--lang", "nl"]);
    assert_eq!(en + nl, all);
    assert!(en > 0 && nl > 0);
    let r = search(&["", "--since", "vorige week"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--since"), "{}", r.stderr);
}

/// Every paragraph of the committed corpus: (id, mentioned dates, source), from `--json`.
fn all_paragraphs_with_dates_and_sources() -> Vec<(String, Vec<String>, String)> {
    let r = search(&["", "--limit", "1000", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all: Vec<_> = hits(&r.stdout)
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap().to_string(),
                strings(&h["dates"]),
                h["source"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        all.len() as u64,
        summary(&r.stdout)["total"].as_u64().unwrap()
    );
    all
}

/// The ids a search returns (all of them), sorted; the exit code must say whether any matched.
fn ids_of(args: &[&str]) -> std::collections::BTreeSet<String> {
    let mut a = args.to_vec();
    a.extend(["--limit", "1000", "--json"]);
    let r = search(&a);
    let ids: std::collections::BTreeSet<String> = hits(&r.stdout)
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let want = if ids.is_empty() { 1 } else { 0 };
    assert_eq!(r.code, want, "{args:?}: {}", r.stderr);
    ids
}

#[test]
fn mentions_filter_takes_a_year_a_month_or_a_day() {
    let all = all_paragraphs_with_dates_and_sources();
    // Every period some paragraph mentions, at each granularity, and periods nothing mentions
    // (a paragraph that mentions only "2011" does not mention May 2011).
    let mut periods = std::collections::BTreeSet::new();
    for (_, dates, _) in &all {
        for d in dates {
            periods.extend([
                d[..4].to_string(),
                d[..d.len().min(7)].to_string(),
                d.clone(),
            ]);
        }
    }
    assert!(periods.len() > 50, "{periods:?}");
    periods.extend(["2011-05", "1999", "2024-11-16"].map(String::from));
    for p in &periods {
        // a mention is inside the period when it is the period or a part of it
        let expected: std::collections::BTreeSet<String> = all
            .iter()
            .filter(|(_, dates, _)| dates.iter().any(|d| d.starts_with(p.as_str())))
            .map(|(id, _, _)| id.clone())
            .collect();
        assert_eq!(ids_of(&["", "--mentions", p]), expected, "--mentions {p}");
        assert_eq!(
            ids_of(&[&format!("mentions:{p}")]),
            expected,
            "mentions:{p}"
        );
    }
    // The seed: "in juni" in an article published in November 2024.
    let june: Vec<String> = ids_of(&["", "--mentions", "2024-06"]).into_iter().collect();
    assert_eq!(june, ["000_05427ea14c8b4e57#8"]);
    // With words and other filters: "zondag" in an article of Friday 15 November is the 10th.
    let words = |mentions: &str| -> Vec<String> {
        ids_of(&["oefening", "--mentions", mentions, "--lang", "nl"])
            .into_iter()
            .collect()
    };
    assert_eq!(
        words("2024"),
        ["000_05427ea14c8b4e57#24", "000_05427ea14c8b4e57#8"]
    );
    assert_eq!(words("2024-11-10"), ["000_05427ea14c8b4e57#24"]);
    assert_eq!(words("2024-06"), june);
    // A timeline of the paragraphs that mention September 2019, by publication month.
    let t = ok_at(
        &corpus_idx(),
        &["timeline", "", "--mentions", "2019-09", "--json"],
    );
    let t: Value = serde_json::from_str(t.stdout.trim()).unwrap();
    let n = ids_of(&["", "--mentions", "2019-09"]).len() as u64;
    assert!(n > 0);
    assert_eq!(t["total"]["paragraphs"].as_u64(), Some(n), "{t}");
    for bad in ["2024-13", "juni", "2024-6-1", "vorige week"] {
        let r = search(&["", "--mentions", bad]);
        assert_eq!(r.code, 2, "{bad}");
        assert!(
            r.stderr.contains("--mentions") && r.stderr.contains(bad),
            "{bad}: {}",
            r.stderr
        );
    }
}

#[test]
fn source_filter_is_exact_and_ignores_case() {
    let all = all_paragraphs_with_dates_and_sources();
    let idx = corpus_idx();
    for source in ["Reuters", "BBC", "Wikinews (en)"] {
        let expected: std::collections::BTreeSet<String> = all
            .iter()
            .filter(|(_, _, s)| s == source)
            .map(|(id, _, _)| id.clone())
            .collect();
        // "BBC" is not "BBC (human translation to Dutch, NTREX-128)"
        assert!(
            !expected.is_empty() && expected.len() < all.len() / 4,
            "{source}"
        );
        for spelled in [
            source.to_string(),
            source.to_lowercase(),
            source.to_uppercase(),
        ] {
            assert_eq!(ids_of(&["", "--source", &spelled]), expected, "{spelled}");
        }
        let n = expected.len() as u64;
        // Facets and timelines take the same filter.
        let f = facets_report(&idx, &["country", "--source", source]);
        assert_eq!(f["selection"]["paragraphs"].as_u64(), Some(n), "{source}");
        let t = ok_at(&idx, &["timeline", "", "--source", source, "--json"]);
        let t: Value = serde_json::from_str(t.stdout.trim()).unwrap();
        assert_eq!(t["total"]["paragraphs"].as_u64(), Some(n), "{source}");
    }
    assert_eq!(
        ids_of(&["source:reuters"]),
        ids_of(&["", "--source", "Reuters"])
    );
    // Exact: a part of a source's name is not that source.
    assert!(ids_of(&["", "--source", "Reut"]).is_empty());
    assert!(ids_of(&["", "--source", "human translation"]).is_empty());
}

// ---------------------------------------------------------------- query language

#[test]
fn query_operators() {
    let korea = count(&["Noord-Korea"]);
    let rusland = count(&["Rusland"]);
    let both = count(&["Noord-Korea Rusland"]);
    let either = count(&["Noord-Korea OR Rusland"]);
    let only = count(&["Noord-Korea -Rusland"]);
    assert!(both > 0 && both < korea.min(rusland));
    assert_eq!(either, korea + rusland - both);
    assert_eq!(only, korea - both);
    assert_eq!(count(&["Noord-Korea AND NOT Rusland"]), only);
    assert_eq!(count(&["Noord-Korea NOT Rusland"]), only);
    assert_eq!(
        count(&["(Noord-Korea OR Rusland) Biden"]),
        count(&["Noord-Korea Biden OR Rusland Biden"])
    );
    assert!(count(&["\"Witte Huis\""]) >= 2);
    assert!(count(&["raketw*"]) >= 1);
    assert!(count(&["Pyongjang~1"]) >= 1);
}

#[test]
fn a_query_may_start_with_a_minus() {
    // "-Rusland Noord-Korea" (North Korea without Russia) was refused as an unknown option "-R".
    let only = count(&["Noord-Korea -Rusland"]);
    assert!(only > 0 && only < count(&["Noord-Korea"]));
    assert_eq!(count(&["-Rusland Noord-Korea"]), only);
    let r = search(&["--json", "--", "-Rusland Noord-Korea"]);
    assert_eq!(summary(&r.stdout)["total"], only, "{}", r.stderr);
    // options before and after it still count as options
    let r = search(&["-n", "1", "-Rusland Noord-Korea", "--json"]);
    assert_eq!(hits(&r.stdout).len(), 1, "{}", r.stdout);
    assert_eq!(summary(&r.stdout)["total"], only);
    let report = facets_report(&corpus_idx(), &["country", "-Rusland Noord-Korea"]);
    assert_eq!(report["selection"]["paragraphs"], only, "{report}");
    // an unknown option is named, not searched: clap took it for the query and complained
    // about the word after it ("unexpected argument '3'")
    let idx = corpus_idx();
    for (args, option, command) in [
        (vec!["search", "--limt", "3", "Rusland"], "--limt", "search"),
        (vec!["search", "Rusland", "--limt=3"], "--limt", "search"),
        (vec!["facets", "country", "--tpo", "3"], "--tpo", "facets"),
        (
            vec!["timeline", "--by", "year", "--colr"],
            "--colr",
            "timeline",
        ),
    ] {
        let r = run_at(&idx, &args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(
            r.stderr.trim(),
            format!("newsidx: error: unknown option '{option}' (see 'newsidx {command} --help')")
        );
    }
    // only the subcommand's own options are checked: a corpus directory named "search"
    let fx = Fixture::new();
    fx.file(
        "search/a.jsonl",
        br#"{"id":"a","body":"Noord-Korea zonder Rusland.","lang":"nl"}
"#,
    );
    let out = bin()
        .current_dir(fx.dir.path())
        .args(["--index", "idx", "index", "search", "--update"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_stem_of_one_language_does_not_match_the_other() {
    // The Dutch stem of "Biden" is "bid"; English paragraphs write "a bid to". Every hit of a
    // name must be a paragraph that has it (or whose article's title has it).
    let r = search(&["Biden", "--limit", "100", "--json"]);
    let hs = hits(&r.stdout);
    assert!(hs.len() >= 9, "{}", r.stdout);
    for h in &hs {
        assert_eq!(highlighted(h), ["Biden"], "{h}");
    }
    let english_bid = search(&["bid", "--lang", "en", "--limit", "100", "--json"]);
    assert!(!hits(&english_bid.stdout).is_empty());
    let ids = |out: &str| -> Vec<String> {
        hits(out)
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    for id in ids(&english_bid.stdout) {
        assert!(!ids(&r.stdout).contains(&id), "{id} matches Biden");
    }
}

#[test]
fn weights_and_wildcards() {
    let scored = |q: &str| -> Vec<(String, f64)> {
        let r = search(&[q, "--limit", "1000", "--json"]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        hits(&r.stdout)
            .iter()
            .map(|h| {
                (
                    h["id"].as_str().unwrap().to_string(),
                    h["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    // A weight multiplies a word's score: the same hits, in the same order, twice the score.
    let plain = scored("raket");
    let doubled = scored("raket^2");
    assert!(plain.len() >= 5);
    assert_eq!(plain.len(), doubled.len());
    for ((a, x), (b, y)) in plain.iter().zip(&doubled) {
        assert_eq!(a, b);
        assert!((y - 2.0 * x).abs() < 1e-4 * x.max(1.0), "{a}: {x} vs {y}");
    }
    // ... and decides which of two words leads the ranking.
    let rocket_first = scored("raket^5 noord-korea");
    let korea_first = scored("raket noord-korea^5");
    let ids = |v: &[(String, f64)]| {
        let mut ids: Vec<String> = v.iter().map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&rocket_first), ids(&korea_first));
    assert_eq!(rocket_first[0].0, "000_05427ea14c8b4e57#23");
    assert_eq!(korea_first[0].0, "ntrex-nl-reuters.218861#18");
    // Wildcards match words as written: "ra?et" is exactly the word "raket", "rak*ten"
    // the word "raketten".
    let set = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = scored(q).into_iter().map(|(id, _)| id).collect();
        v.sort();
        v
    };
    assert_eq!(set("ra?et"), set("\"raket\""));
    assert_eq!(set("rak*ten"), set("\"raketten\""));
    assert_eq!(set("RAK*TEN"), set("rak*ten"));
    let r = search(&["Pyong*ng", "--limit", "100", "--json"]);
    let words: std::collections::BTreeSet<String> =
        hits(&r.stdout).iter().flat_map(highlighted).collect();
    assert_eq!(words.into_iter().collect::<Vec<_>>(), ["Pyongyang"]);
    // A question mark ending a word is punctuation.
    assert_eq!(set("Ishiba Biden?"), set("Ishiba Biden"));
    for (q, says) in [
        ("?aket", "a wildcard cannot start a word"),
        ("raket^0", "a weight is a number"),
        ("person:Biden^2", "a filter does not score"),
    ] {
        let r = search(&[q]);
        assert_eq!(r.code, 2, "{q}");
        assert!(r.stderr.contains(says), "{q}: {}", r.stderr);
    }
}

#[test]
fn malformed_queries_point_at_the_problem() {
    for (q, needle) in [
        ("(raket", "never closed"),
        ("raket)", "unbalanced"),
        ("\"witte huis", "never closed"),
        ("published:gisteren", "not a date"),
    ] {
        let r = search(&[q]);
        assert_eq!(r.code, 2, "{q}");
        assert!(
            r.stderr.contains("invalid query at position"),
            "{q}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(needle), "{q}: {}", r.stderr);
        assert!(r.stderr.contains('^'), "{q}: {}", r.stderr);
    }
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes() {
    assert_eq!(search(&["Ishiba"]).code, 0);
    let r = search(&["xyzzyplugh"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("no matching paragraphs"));
    let nothing_built = Fixture::new();
    let r = nothing_built.search(&["x"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no index at"), "{}", r.stderr);
    assert!(r.stderr.contains("newsidx index"), "{}", r.stderr);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let idx = corpus_idx();
    let mut child = bin()
        .args(["--index", s(&idx), "search", "de", "--limit", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------- the seed article

#[test]
fn seed_article_matches_its_gold_tags() {
    let gold: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/seed.gold.json").unwrap())
            .unwrap();
    let r = ok(&["tag", "corpus/000_05427ea14c8b4e57.txt", "--json"]);
    let got = json_lines(&r.stdout);
    let want = gold["paragraphs"].as_array().unwrap();
    assert_eq!(got.len(), want.len(), "paragraph count");
    for (g, p) in want.iter().zip(&got) {
        let starts = g["starts"].as_str().unwrap();
        assert!(
            p["text"].as_str().unwrap().starts_with(starts),
            "{starts} vs {}",
            p["text"]
        );
        for key in ["persons", "countries", "dates"] {
            let expected: std::collections::BTreeSet<String> =
                strings(&g[key]).into_iter().collect();
            let optional: std::collections::BTreeSet<String> =
                strings(&g["optional"][key]).into_iter().collect();
            let have: std::collections::BTreeSet<String> = strings(&p[key]).into_iter().collect();
            assert!(
                expected.is_subset(&have),
                "{starts}: {key} missing {:?}",
                expected.difference(&have).collect::<Vec<_>>()
            );
            let extra: Vec<_> = have
                .difference(&expected)
                .filter(|x| !optional.contains(*x))
                .collect();
            assert!(extra.is_empty(), "{starts}: {key} has extra {extra:?}");
        }
    }
    for dropped in strings(&gold["dropped"]) {
        assert!(got.iter().all(|p| p["text"] != dropped.as_str()));
    }
    // And in the index: the boilerplate line is not searchable.
    assert_eq!(search(&["Aanbevolen"]).code, 1);
}

// ---------------------------------------------------------------- language analysis

#[test]
fn dutch_stemming_conflates_without_over_stemming() {
    let articles = [
        ("raket", "Er werd één raket gelanceerd."),
        ("troepen", "De troepen trokken zich terug."),
        (
            "samenwerkingen",
            "Er kwamen nieuwe samenwerkingen tussen de landen.",
        ),
        ("camping", "De familie boekte een mini-camping aan zee."),
        ("meen", "Ik meen dat het klopt."),
        ("zon", "De zon scheen de hele dag."),
        (
            "minister",
            "De minister sprak met de gemeente over gezondheid.",
        ),
    ];
    let mut data = String::new();
    for (id, body) in articles {
        data.push_str(&format!(
            "{{\"id\":\"{id}\",\"body\":\"{body}\",\"lang\":\"nl\"}}\n"
        ));
    }
    let fx = indexed("stem.jsonl", data.as_bytes());
    let ids = |q: &str| search_field(&fx.idx, &[q], "article_id");
    assert_eq!(ids("raketten"), ["raket"]);
    assert_eq!(ids("troep"), ["troepen"]);
    assert_eq!(ids("samenwerking"), ["samenwerkingen"]);
    assert_eq!(
        ids("minister"),
        ["minister"],
        "minister must not match mini-camping"
    );
    assert_eq!(
        ids("gemeente"),
        ["minister"],
        "gemeente must not match meen"
    );
    assert_eq!(
        ids("gezondheid"),
        ["minister"],
        "gezondheid must not match zon"
    );
    let r = fx.search(&["gezondheid", "--json"]);
    assert_eq!(highlighted(&hits(&r.stdout)[0]), ["gezondheid"]);
}

// ---------------------------------------------------------------- corpus formats

#[test]
fn reads_gzip_text_front_matter_markdown_and_directories() {
    let fx = Fixture::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(
        b"{\"id\":\"g1\",\"body\":\"Een gecomprimeerd artikel over tulpen.\",\"lang\":\"nl\"}\n",
    )
    .unwrap();
    fx.file("c/b/news.jsonl.gz", &gz.finish().unwrap());
    fx.file("c/a/one.txt", "---\ntitle: Tulpen in de lente\npublished: 2023-04-01\nsource: Lokaal\n---\nDe tulpen bloeien vroeg dit jaar.\n".as_bytes());
    fx.file(
        "c/a/two.md",
        b"# Tulips abroad\n\nThe tulips in Canada bloom late.\n",
    );
    fx.file(
        "c/z.ndjson",
        b"{\"text\":\"Tulpenbollen zonder id.\",\"date\":\"2023-04-02T10:00:00Z\"}\n",
    );
    fx.file("c/README.md", b"Not an article about tulpen.\n");
    let r = fx.index(&[s(&fx.path("c"))]);
    assert!(r.stderr.contains("indexed 4 articles"), "{}", r.stderr);
    let r = fx.ok(&["search", "tulpen OR tulips OR tulpenbollen", "--json"]);
    let mut ids: Vec<String> = hits(&r.stdout)
        .iter()
        .map(|h| h["article_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(
        ids.contains(&"one".to_string())
            && ids.contains(&"two".to_string())
            && ids.contains(&"g1".to_string())
    );
    let one = hits(&r.stdout)
        .into_iter()
        .find(|h| h["article_id"] == "one")
        .unwrap();
    assert_eq!(one["title"], "Tulpen in de lente");
    assert_eq!(one["published"], "2023-04-01");
    assert_eq!(one["source"], "Lokaal");
    let two = hits(&r.stdout)
        .into_iter()
        .find(|h| h["article_id"] == "two")
        .unwrap();
    assert_eq!(two["title"], "Tulips abroad");
    assert_eq!(two["lang"], "en", "detected");
}

#[test]
fn markdown_markup_is_neither_indexed_nor_shown() {
    let fx = Fixture::new();
    let md = fx.file(
        "navo.md",
        b"---\npublished: 2024-05-02\n---\n# Rutte naar de **NAVO**\n\n\
          Premier [Mark Rutte](https://nos.nl/rutte) wordt de nieuwe *secretaris-generaal*.\n\n\
          ## Reacties\n\n\
          > \"Een goede keuze,\" zei [Jens Stoltenberg][js].\n\n\
          - Hongarije stemde in\n\n\
          [js]: https://www.nato.int\n",
    );
    fx.index(&[s(&md), "-q"]);
    let r = fx.ok(&["search", "", "--json"]);
    let got: Vec<String> = hits(&r.stdout)
        .iter()
        .map(|h| {
            format!(
                "{} | {} | {}",
                h["title"].as_str().unwrap(),
                h["text"].as_str().unwrap(),
                strings(&h["persons"]).join(", ")
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "Rutte naar de NAVO | Premier Mark Rutte wordt de nieuwe secretaris-generaal. | Mark Rutte",
            "Rutte naar de NAVO | Reacties | ",
            "Rutte naar de NAVO | \"Een goede keuze,\" zei Jens Stoltenberg. | Jens Stoltenberg",
            "Rutte naar de NAVO | Hongarije stemde in | ",
        ]
    );
    // Link targets are not words of the article.
    for word in ["nos", "https", "nato"] {
        let r = fx.search(&[word]);
        assert_eq!(r.code, 1, "{word}: {}", r.stdout);
    }
}

#[test]
fn sentence_windows_for_bodies_without_breaks() {
    let sentence = "Dhr. Jansen zei o.a. dat er 12.000 mensen kwamen, 3.5 keer zoveel als in de U.S. vorig jaar. ";
    let body = sentence.repeat(30);
    let fx = indexed(
        "long.jsonl",
        format!(
            "{{\"id\":\"long\",\"body\":\"{}\",\"lang\":\"nl\"}}\n",
            body.trim()
        )
        .as_bytes(),
    );
    let r = fx.ok(&[
        "search",
        "Jansen",
        "--json",
        "--limit",
        "100",
        "--max-chars",
        "0",
    ]);
    let hs = hits(&r.stdout);
    assert!(hs.len() >= 5, "{} passages", hs.len());
    for h in &hs {
        let text = h["text"].as_str().unwrap();
        assert!(
            text.starts_with("Dhr. Jansen"),
            "window starts mid-sentence: {text}"
        );
        assert!(
            text.ends_with("vorig jaar."),
            "window ends mid-sentence: {text}"
        );
        let n = text.matches("Dhr. Jansen").count();
        assert!((2..=4).contains(&n), "{n} sentences");
    }
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_records_are_reported_and_the_rest_is_indexed() {
    let fx = Fixture::new();
    let c = fx.path("c");
    let mut bad = Vec::new();
    bad.extend_from_slice(
        b"{\"id\":\"good1\",\"body\":\"Goed artikel over kaas.\",\"lang\":\"nl\"}\n",
    );
    bad.extend_from_slice(b"{this is not json\n");
    bad.extend_from_slice(b"{\"id\":\"notext\",\"title\":\"Alleen een titel\"}\n");
    bad.extend_from_slice(
        b"{\"id\":\"baddate\",\"body\":\"Kaas.\",\"published\":\"31-02-2024\"}\n",
    );
    bad.extend_from_slice(b"{\"id\":\"utf8\",\"body\":\"Kaas \xff\xfe.\"}\n");
    bad.extend_from_slice(
        b"{\"id\":\"good2\",\"body\":\"Nog een goed artikel over kaas.\",\"lang\":\"nl\"}\n",
    );
    write(&c.join("a.jsonl"), &bad);
    // A 50 MB article with a lower limit than its size.
    let mut big = b"{\"id\":\"big\",\"body\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'k', 50 * 1024 * 1024));
    big.extend_from_slice(
        b"\"}\n{\"id\":\"good3\",\"body\":\"Kaas na de reus.\",\"lang\":\"nl\"}\n",
    );
    write(&c.join("b.jsonl"), &big);
    // An unreadable file: a dangling symbolic link.
    std::os::unix::fs::symlink(fx.path("missing.jsonl"), c.join("c.jsonl")).unwrap();
    let r = fx.run(&["index", s(&c), "--max-article-mb", "16"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let a = format!("{}", c.join("a.jsonl").display());
    let b = format!("{}", c.join("b.jsonl").display());
    for expected in [
        format!("{a}:2: not valid JSON"),
        format!("{a}:3: article has no text"),
        format!("{a}:4: date does not parse"),
        format!("{a}:5: invalid UTF-8"),
        format!("{b}:1: article is too large"),
        format!("{}:0: cannot read", c.join("c.jsonl").display()),
    ] {
        assert!(
            r.stderr.contains(&expected),
            "missing {expected:?} in\n{}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("indexed 3 articles"), "{}", r.stderr);
    assert!(r.stderr.contains("6 errors"), "{}", r.stderr);
    let r = fx.ok(&["search", "kaas", "--json"]);
    assert_eq!(summary(&r.stdout)["total"], 3);
}

#[test]
fn news_api_and_rss_dumps_are_read_as_they_are() {
    let fx = Fixture::new();
    // A NewsAPI article, an RSS item with a pubDate and a publisher, a time in seconds.
    let corpus = fx.file(
        "dump.jsonl",
        concat!(
            r#"{"source":{"id":"bbc-news","name":"BBC News"},"author":"A","title":"Storm hits Cornwall","description":"d","url":"https://example.org/1","urlToImage":null,"publishedAt":"2024-04-02T08:00:00Z","content":"A storm hit the coast of Cornwall on Tuesday, the Met Office said."}"#,
            "\n",
            r#"{"guid":"rss-7","headline":"Tulpen bloeien vroeg","link":"https://example.org/2","pubDate":"Mon, 01 Apr 2024 23:30:00 -0200","publisher":"NOS","language":"nl","content":"De tulpen in Lisse bloeien dit jaar vroeg."}"#,
            "\n",
            r#"{"id":"e1","title":"Epoch","text":"Een bericht met een tijd in seconden.","published":1711965600}"#,
            "\n",
        )
        .as_bytes(),
    );
    fx.index(&[s(&corpus), "-q"]);
    let r = fx.ok(&["search", "", "--json", "--sort", "date"]);
    let got: Vec<(String, String, String, String)> = hits(&r.stdout)
        .iter()
        .map(|h| {
            let f = |k: &str| h[k].as_str().unwrap_or("-").to_string();
            (f("title"), f("published"), f("source"), f("url"))
        })
        .collect();
    let row = |t: &str, p: &str, s: &str, u: &str| {
        (t.to_string(), p.to_string(), s.to_string(), u.to_string())
    };
    assert_eq!(
        got,
        [
            row(
                "Storm hits Cornwall",
                "2024-04-02",
                "BBC News",
                "https://example.org/1"
            ),
            // 23:30 at UTC-2 is 01:30 UTC the next day
            row(
                "Tulpen bloeien vroeg",
                "2024-04-02",
                "NOS",
                "https://example.org/2"
            ),
            row("Epoch", "2024-04-01", "-", "-"),
        ]
    );
    // The source filter and the language work on them as on any article.
    assert_eq!(
        search_field(&fx.idx, &["", "--source", "bbc news"], "title"),
        ["Storm hits Cornwall"]
    );
    assert_eq!(
        search_field(&fx.idx, &["tulpen", "--lang", "nl"], "title"),
        ["Tulpen bloeien vroeg"]
    );
}

#[test]
fn a_file_reached_twice_is_read_once() {
    let fx = Fixture::new();
    let c = fx.path("c");
    let article = |id: &str, text: &str| {
        format!("{{\"id\":\"{id}\",\"title\":\"T {id}\",\"published\":\"2024-01-02\",\"body\":\"{text}\"}}\n")
    };
    let a = fx.file(
        "c/a.jsonl",
        (article("a1", "De tulpen bloeien.") + &article("a2", "Het regent in Delft.")).as_bytes(),
    );
    fx.file("c/b.jsonl", article("b1", "De zon schijnt.").as_bytes());
    let link = fx.path("link.jsonl");
    std::os::unix::fs::symlink(&a, &link).unwrap();
    let summary = |args: &[&str]| -> (Value, String) {
        let mut a = vec!["--json", "-q"];
        a.extend_from_slice(args);
        let r = fx.index(&a);
        (serde_json::from_str(r.stdout.trim()).unwrap(), r.stderr)
    };
    let (once, stderr) = summary(&[s(&c)]);
    assert_eq!(
        (once["articles"].as_u64(), once["warnings"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(stderr, "");
    // The directory, a file in it, and a link to that file: each file is read once.
    let (twice, stderr) = summary(&[s(&c), s(&a), s(&link)]);
    assert_eq!(twice["articles"], once["articles"]);
    assert_eq!(twice["paragraphs"], once["paragraphs"]);
    assert_eq!(
        (twice["errors"].as_u64(), twice["warnings"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(twice["files"].as_u64(), Some(2));
    let shown = s(&a);
    assert_same(
        &format!(
            "newsidx: {shown}:0: warning: already read (as {shown}); skipped\n\
             newsidx: {}:0: warning: already read (as {shown}); skipped\n",
            s(&link)
        ),
        &stderr,
    );
    // An update given the same file twice changes nothing and reports no duplicate ids.
    let r = fx.index(&["--update", s(&a), s(&link), "-q"]);
    assert!(!r.stderr.contains("duplicate"), "{}", r.stderr);
    assert!(
        r.stderr.contains("0 added, 0 replaced, 2 unchanged"),
        "{}",
        r.stderr
    );
}

#[test]
fn nothing_usable_is_an_error_and_keeps_the_old_index() {
    let fx = indexed(
        "good.jsonl",
        b"{\"id\":\"x\",\"body\":\"Haring en kaas.\"}\n",
    );
    let r = fx.run(&["index", s(&fx.path("nope"))]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    fx.ok(&["search", "haring"]);
}

// ---------------------------------------------------------------- rebuilds

#[test]
fn rebuild_replaces_the_index() {
    let fx = Fixture::new();
    let a = fx.file(
        "a.jsonl",
        b"{\"id\":\"a\",\"body\":\"Appels uit Zeeland.\"}\n",
    );
    let b = fx.file(
        "b.jsonl",
        b"{\"id\":\"b\",\"body\":\"Peren uit Limburg.\"}\n",
    );
    fx.index(&[s(&a)]);
    fx.ok(&["search", "appels"]);
    fx.index(&[s(&b)]);
    assert_eq!(fx.search(&["appels"]).code, 1);
    fx.ok(&["search", "peren"]);
    let info: Value = serde_json::from_str(&fx.ok(&["info"]).stdout).unwrap();
    assert_eq!(info["generation"], "gen-000002");
    assert_eq!(info["documents"], 1);
    let gens: Vec<_> = std::fs::read_dir(&fx.idx)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .collect();
    assert_eq!(gens.len(), 1, "old generation removed");
}

#[test]
fn a_killed_rebuild_leaves_the_previous_index_searchable() {
    let fx = indexed(
        "small.jsonl",
        b"{\"id\":\"old\",\"body\":\"Het oude artikel over molens.\"}\n",
    );
    let mut data = String::new();
    const BIG: u64 = 100_000;
    for i in 0..BIG {
        data.push_str(&format!("{{\"id\":\"n{i}\",\"body\":\"Nieuw artikel {i} over dijken en polders in Zeeland. Premier Mark Rutte bezocht Middelburg.\"}}\n"));
    }
    let big = fx.file("big.jsonl", data.as_bytes());
    let total = |q: &str| {
        let r = fx.search(&[q, "--json", "-n", "0"]);
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
        summary(&r.stdout)["total"].as_u64().unwrap()
    };
    let mut killed = 0;
    for delay_ms in [150u64, 600] {
        let mut child = bin()
            .args(["--index", s(&fx.idx), "index", s(&big), "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // On a fast machine the rebuild may be done before the kill: then the new index is
        // whole. Killed half-way, the old one is searched as it was. Never anything between.
        let finished = matches!(child.try_wait(), Ok(Some(_)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if finished {
            assert_eq!(
                (total("molens"), total("dijken")),
                (0, BIG),
                "new index whole"
            );
        } else {
            killed += 1;
            assert_eq!(
                total("molens"),
                1,
                "old index intact after kill at {delay_ms} ms"
            );
            assert_eq!(total("dijken"), 0, "nothing of the killed rebuild");
        }
    }
    assert!(killed > 0, "no rebuild was killed half-way");
    // The next build takes over the stale lock, cleans the temporary generation and succeeds.
    let again = fx.file(
        "again.jsonl",
        b"{\"id\":\"new\",\"body\":\"Een nieuw artikel over sluizen.\"}\n",
    );
    fx.index(&[s(&again)]);
    fx.ok(&["search", "sluizen"]);
    let leftovers: Vec<String> = std::fs::read_dir(&fx.idx)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n == "LOCK")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_second_writer_is_told_who_holds_the_lock() {
    let fx = Fixture::new();
    let a = fx.file("a.jsonl", b"{\"id\":\"a\",\"body\":\"Kaas.\"}\n");
    fx.index(&[s(&a)]);
    write(
        &fx.idx.join("LOCK"),
        format!("{}\n", std::process::id()).as_bytes(),
    );
    let r = fx.run(&["index", s(&a)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "locked by another newsidx process (pid {})",
            std::process::id()
        )),
        "{}",
        r.stderr
    );
    fx.ok(&["search", "kaas"]);
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let (one, two) = (Fixture::new(), Fixture::new());
    one.index(&["corpus/", "--threads", "1"]);
    two.index(&["corpus/", "--threads", "2"]);
    for q in [
        "Noord-Korea",
        "de",
        "president OR premier",
        "\"Witte Huis\"",
    ] {
        let args = ["search", q, "--json", "--limit", "50", "--facets"];
        assert_same(&one.ok(&args).stdout, &two.ok(&args).stdout);
    }
    // Filter-only queries tie on every score: order and page must still be identical.
    for args in [
        &["", "--country", "US", "-n", "5"][..],
        &["", "--sort", "date", "-n", "5"][..],
        &["", "--group", "article", "-n", "3"][..],
    ] {
        let mut a = vec!["search"];
        a.extend_from_slice(args);
        a.push("--json");
        assert_same(&one.ok(&a).stdout, &two.ok(&a).stdout);
    }
}

#[test]
fn an_index_from_another_version_asks_for_a_rebuild() {
    let fx = indexed("a.jsonl", b"{\"id\":\"a\",\"body\":\"Kaas.\"}\n");
    let meta = fx.idx.join("gen-000001/newsidx.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(m["schema_version"].is_u64(), "{m}");
    m["schema_version"] = serde_json::json!(99);
    write(&meta, m.to_string().as_bytes());
    let r = fx.search(&["kaas"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("incompatible") && r.stderr.contains("rebuild"),
        "{}",
        r.stderr
    );
    write(
        &meta,
        text.replace(
            "\"analyzer_fingerprint\": \"",
            "\"analyzer_fingerprint\": \"x",
        )
        .as_bytes(),
    );
    let r = fx.search(&["kaas"]);
    assert!(r.stderr.contains("analyzers"), "{}", r.stderr);
}

#[test]
fn refuses_to_write_into_a_foreign_directory() {
    let fx = Fixture::new();
    let notes = fx.file("mine/notes.txt", b"precious");
    let a = fx.file("a.jsonl", b"{\"id\":\"a\",\"body\":\"Kaas.\"}\n");
    let r = run_at(&fx.path("mine"), &["index", s(&a)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a newsidx index"), "{}", r.stderr);
    assert!(notes.exists());
}

#[test]
fn tag_command_prints_text_and_json() {
    let r = ok(&["tag", "corpus/000_05427ea14c8b4e57.txt"]);
    assert!(
        r.stdout
            .contains("000_05427ea14c8b4e57#0  LIMA – President Joe Biden"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("persons: Joe Biden | countries: JP, KP, KR, PE, RU, US | dates: 2024-11-15"),
        "{}",
        r.stdout
    );
}

#[test]
fn counted_periods_and_day_ranges_are_mentions() {
    let fx = Fixture::new();
    let corpus = fx.file(
        "d.jsonl",
        br#"{"id":"ep","body":"Een maand voor de verkiezingen (23-26 mei) treedt de radiostilte in.\n\nHet bronzen paard werd twee weken geleden gestolen.\n\nDe top is van 10 tot en met 12 juni.","published":"2019-03-30","lang":"nl"}
{"id":"rt","body":"The State Department said two days ago Tehran had been told.\n\nEarnings were 1.91 dlrs a share a year ago.","published":"1987-03-23","lang":"en"}
"#,
    );
    let r = ok(&["tag", s(&corpus), "--json"]);
    let dates: Vec<(String, Vec<String>)> = json_lines(&r.stdout)
        .iter()
        .map(|p| {
            let id = format!("{}#{}", p["article_id"].as_str().unwrap(), p["ordinal"]);
            (id, strings(&p["dates"]))
        })
        .collect();
    let want = |id: &str, d: &[&str]| (id.to_string(), d.iter().map(|x| x.to_string()).collect());
    assert_eq!(
        dates,
        [
            want("ep#0", &["2019-05-23", "2019-05-26"]),
            want("ep#1", &["2019-03"]),
            want("ep#2", &["2019-06-10", "2019-06-12"]),
            want("rt#0", &["1987-03-21"]),
            want("rt#1", &["1986"]),
        ]
    );
    fx.index(&[s(&corpus)]);
    let ids = |args: &[&str]| search_field(&fx.idx, args, "id");
    assert_eq!(ids(&["", "--mentions", "2019-05-23"]), ["ep#0"]);
    assert_eq!(ids(&["", "--mentions", "2019-06-10"]), ["ep#2"]);
    assert_eq!(ids(&["", "--mentions", "1987-03-21"]), ["rt#0"]);
}

#[test]
fn holidays_are_mentions_of_their_day() {
    // "what was said about Koningsdag?": the holiday's day of the year the article means
    let fx = indexed(
        "h.jsonl",
        br#"{"id":"kd","body":"De boa's leggen hun werk neer op Koningsdag.\n\nHet concept-Klimaatakkoord werd vlak voor Kerstmis gepresenteerd.\n\nMet Pinksteren mag er weer een haan in een mandje.","published":"2019-03-07","lang":"nl"}
{"id":"rt","body":"The leadership would begin drafting a bailout bill by Easter.\n\nIt said a major factor was the absence of Easter sales.","published":"1987-03-05","lang":"en"}
"#,
    );
    let ids = |args: &[&str]| search_field(&fx.idx, args, "id");
    assert_eq!(ids(&["", "--mentions", "2019-04-27"]), ["kd#0"]);
    assert_eq!(ids(&["", "--mentions", "2018-12-25"]), ["kd#1"]);
    assert_eq!(ids(&["", "--mentions", "2019-06-09"]), ["kd#2"]);
    // Easter 1987 fell on 19 April; "Easter sales" is no date
    assert_eq!(ids(&["", "--mentions", "1987-04"]), ["rt#0"]);
    assert_eq!(ids(&["", "--mentions", "1987-04-19"]), ["rt#0"]);
}

// ---------------------------------------------------------------- incremental updates

#[test]
fn update_recognises_every_unchanged_article_across_segments() {
    // Articles of several paragraphs, ids in no particular order, in two segments (the second
    // written by an update): a second update with the same corpus changes nothing, and one
    // with three articles edited replaces exactly those.
    let fx = Fixture::new();
    let article = |id: &str, n: usize, edit: &str| {
        let paras: Vec<String> = (0..n)
            .map(|p| format!("Alinea {p} van artikel {id} over Zeeland{edit}."))
            .collect();
        serde_json::json!({"id": id, "paragraphs": paras, "lang": "nl"}).to_string()
    };
    let ids = ["q7", "a3", "zz", "m1", "b", "k10", "c22", "x", "e5", "h"];
    let first: Vec<String> = ids[..6]
        .iter()
        .enumerate()
        .map(|(i, id)| article(id, 1 + i % 3, ""))
        .collect();
    let all: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| article(id, 1 + i % 3, ""))
        .collect();
    let c1 = fx.file("1.jsonl", first.join("\n").as_bytes());
    let c2 = fx.file("2.jsonl", all.join("\n").as_bytes());
    let counts = |corpus: &Path| {
        let r = fx.index(&["--update", s(corpus), "--json"]);
        let sum: Value = serde_json::from_str(r.stdout.trim()).unwrap();
        ["added", "replaced", "unchanged", "deleted"].map(|k| sum[k].as_u64().unwrap())
    };
    fx.index(&[s(&c1)]);
    assert_eq!(counts(&c2), [4, 0, 6, 0]);
    assert_eq!(counts(&c2), [0, 0, 10, 0]);
    let edited: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            article(
                id,
                1 + i % 3,
                if [1, 4, 8].contains(&i) {
                    " en Brabant"
                } else {
                    ""
                },
            )
        })
        .collect();
    let c3 = fx.file("3.jsonl", edited.join("\n").as_bytes());
    assert_eq!(counts(&c3), [0, 3, 7, 0]);
    assert_eq!(counts(&c3), [0, 0, 10, 0]);
    let mut brabant = search_field(&fx.idx, &["brabant"], "article_id");
    brabant.sort();
    brabant.dedup();
    assert_eq!(brabant, ["a3", "b", "e5"]);
}

#[test]
fn update_adds_replaces_skips_and_deletes() {
    let fx = Fixture::new();
    let v1 = fx.file("v1.jsonl", b"{\"id\":\"a\",\"body\":\"Appels uit Zeeland.\"}\n{\"id\":\"b\",\"body\":\"Peren uit Limburg.\"}\n");
    let v2 = fx.file(
        "v2.jsonl",
        b"{\"id\":\"a\",\"body\":\"Appels uit Zeeland.\"}\n{\"id\":\"b\",\"body\":\"Kersen uit Limburg.\"}\n{\"id\":\"c\",\"body\":\"Pruimen uit Brabant.\"}\n",
    );
    fx.index(&[s(&v1)]);
    let r = fx.index(&["--update", s(&v2), "--json"]);
    let sum: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(
        (
            sum["added"].as_u64(),
            sum["replaced"].as_u64(),
            sum["unchanged"].as_u64(),
            sum["deleted"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(0))
    );
    // Where the time went: four phases, one after the other, within the whole run.
    let phases: Vec<f64> = ["feed", "commit", "persons", "publish"]
        .iter()
        .map(|p| sum["phases"][p].as_f64().unwrap_or(-1.0))
        .collect();
    assert!(phases.iter().all(|&t| t >= 0.0), "{sum}");
    assert!(
        phases.iter().sum::<f64>() <= sum["seconds"].as_f64().unwrap(),
        "{sum}"
    );
    let ids = |q: &str| {
        let mut v = search_field(&fx.idx, &[q], "id");
        v.sort();
        v
    };
    assert_eq!(
        ids("appels OR peren OR kersen OR pruimen"),
        ["a#0", "b#0", "c#0"]
    );
    assert!(
        ids("peren").is_empty(),
        "the changed article's old paragraphs are gone"
    );
    let r = fx.index(&["--update", "--delete-missing", s(&v1), "--json"]);
    let sum: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(
        (
            sum["replaced"].as_u64(),
            sum["unchanged"].as_u64(),
            sum["deleted"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(ids("appels OR peren OR kersen OR pruimen"), ["a#0", "b#0"]);
    let info: Value = serde_json::from_str(&fx.ok(&["info"]).stdout).unwrap();
    assert_eq!(info["meta"]["articles"], 2);
    assert_eq!(info["documents"], 2);
    // --delete-missing needs --update.
    assert_eq!(fx.run(&["index", "--delete-missing", s(&v1)]).code, 2);
}

/// (id, score) of each hit of a search, in rank order.
fn ids_and_scores(idx: &Path, args: &[&str]) -> Vec<(String, f64)> {
    let mut a = vec!["search"];
    a.extend_from_slice(args);
    a.push("--json");
    hits(&ok_at(idx, &a).stdout)
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap().to_string(),
                h["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_title_word_finds_every_paragraph_of_its_article_also_after_updates() {
    // The title is indexed once per article (on its first paragraph) and applied to all of
    // its paragraphs at query time.
    let t1 = r#"{"id":"t1","title":"Zzdijken en zzwater in Zeeland","body":"Het water stijgt.\n\nDe dijk houdt.\n\nDe burgemeester is tevreden.","lang":"nl"}"#;
    let t2 = r#"{"id":"t2","title":"Gewoon nieuws","body":"Niets bijzonders vandaag.\n\nAlleen de zzdijken waren in het nieuws.","lang":"nl"}"#;
    let t3 = r#"{"id":"t3","title":"Zzdijken","body":"Een kort bericht.","lang":"nl"}"#;
    let fx = indexed("v1.jsonl", format!("{t1}\n{t2}\n{t3}\n").as_bytes());

    let title_only = ids_and_scores(&fx.idx, &["title:zzwater"]);
    let ids: Vec<&str> = title_only.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["t1#0", "t1#1", "t1#2"],
        "every paragraph, in corpus order"
    );
    assert!(
        title_only
            .iter()
            .all(|(_, sc)| *sc == title_only[0].1 && *sc > 0.0),
        "one article, one title score: {title_only:?}"
    );
    // A word in titles and in a paragraph: all of them, and not the other paragraphs.
    let mut all = search_field(&fx.idx, &["zzdijken"], "id");
    all.sort();
    assert_eq!(all, ["t1#0", "t1#1", "t1#2", "t2#1", "t3#0"]);
    // Title phrases, prefixes and negation work on the article's title too.
    let phrase = search_field(&fx.idx, &["title:\"zzdijken en zzwater\""], "id");
    assert_eq!(phrase, ["t1#0", "t1#1", "t1#2"]);
    assert_eq!(search_field(&fx.idx, &["zzwat*"], "id").len(), 3);
    let mut without = search_field(&fx.idx, &["zzdijken -title:zzwater"], "id");
    without.sort();
    assert_eq!(without, ["t2#1", "t3#0"]);
    // An update that changes the title: the old title no longer matches any paragraph.
    let t1b = t1.replace("Zzdijken en zzwater in Zeeland", "Zeeland droog");
    fx.update("v2.jsonl", format!("{t1b}\n{t2}\n{t3}\n").as_bytes());
    let gone = fx.search(&["title:zzwater", "--json"]);
    assert_eq!(
        (gone.code, summary(&gone.stdout)["total"].as_u64()),
        (1, Some(0))
    );
    assert_eq!(
        search_field(&fx.idx, &["title:droog"], "id"),
        ["t1#0", "t1#1", "t1#2"]
    );
}

#[test]
fn update_without_an_index_builds_one() {
    let fx = Fixture::new();
    let r = fx.update(
        "v1.jsonl",
        b"{\"id\":\"a\",\"body\":\"Appels uit Zeeland.\"}\n",
    );
    assert!(r.stderr.contains("indexed 1 article as"), "{}", r.stderr);
}

// ---------------------------------------------------------------- analyst features (issue 4)

#[test]
fn highlights_cover_stems_prefixes_fuzzy_and_phrases() {
    let words = |q: &str| -> Vec<String> {
        let r = search(&[q, "--json", "--limit", "50", "--max-chars", "0"]);
        hits(&r.stdout).iter().flat_map(highlighted).collect()
    };
    let stems = words("raket");
    assert!(stems.iter().any(|w| w == "raketten"), "{stems:?}");
    let prefix = words("raketw*");
    assert!(
        prefix
            .iter()
            .all(|w| w.to_lowercase().starts_with("raketw")),
        "{prefix:?}"
    );
    assert!(!prefix.is_empty());
    let fuzzy = words("Pyongjang~1");
    assert!(fuzzy.iter().any(|w| w == "Pyongyang"), "{fuzzy:?}");
    let phrase = words("\"Witte Huis\"");
    assert!(!phrase.is_empty());
    assert!(
        phrase.iter().all(|w| w == "Witte Huis"),
        "one span per phrase: {phrase:?}"
    );
    // A phrase matches the words as written: "Noord-Koreaanse" is not "Noord-Korea".
    let exact = words("\"Noord-Korea\"");
    assert!(exact.iter().all(|w| w == "Noord-Korea"), "{exact:?}");
}

#[test]
fn long_passages_are_cut_around_the_matches() {
    let r = search(&["Sullivan", "--json", "--max-chars", "120"]);
    let hs = hits(&r.stdout);
    assert!(!hs.is_empty());
    for h in &hs {
        let text = h["text"].as_str().unwrap();
        assert!(text.chars().count() <= 120 + 4, "{text}");
        assert!(highlighted(h).iter().any(|w| w == "Sullivan"), "{h}");
        if text.starts_with('…') || text.ends_with('…') {
            assert!(text.contains("Sullivan"));
        }
    }
}

#[test]
fn filtered_entities_are_marked_in_passages() {
    let r = search(&[
        "",
        "--country",
        "US",
        "--json",
        "--limit",
        "50",
        "--max-chars",
        "0",
    ]);
    let marked: Vec<String> = hits(&r.stdout).iter().flat_map(highlighted).collect();
    assert!(marked.iter().any(|w| w == "Amerikaanse"), "{marked:?}");
    assert!(marked.iter().any(|w| w == "VS"), "{marked:?}");
    let r = search(&[
        "",
        "--person",
        "Biden",
        "--json",
        "--limit",
        "50",
        "--max-chars",
        "0",
    ]);
    let marked: Vec<String> = hits(&r.stdout).iter().flat_map(highlighted).collect();
    assert!(marked.iter().any(|w| w == "Bidens"), "genitive: {marked:?}");
    assert!(marked.iter().any(|w| w == "Joe Biden"), "{marked:?}");
}

#[test]
fn facets_command_counts_paragraphs_and_articles_with_lift() {
    let idx = corpus_idx();
    let report = facets_report(&idx, &["person", "--country", "KP"]);
    let values = report["values"].as_array().unwrap();
    assert!(!values.is_empty());
    for v in values {
        assert!(v["paragraphs"].as_u64() >= v["articles"].as_u64());
        assert!(v["lift"].as_f64().unwrap() > 0.0);
        assert!(v["corpus_paragraphs"].as_u64() >= v["paragraphs"].as_u64());
    }
    for w in values.windows(2) {
        assert!(w[0]["paragraphs"].as_u64() >= w[1]["paragraphs"].as_u64());
    }
    let report = facets_report(&idx, &["person", "--country", "KP", "--by", "lift"]);
    let lifts: Vec<f64> = report["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["lift"].as_f64().unwrap())
        .collect();
    assert!(lifts.windows(2).all(|w| w[0] >= w[1]), "{lifts:?}");
    // Countries by name in the user's language, with the code.
    let text = ok_at(&idx, &["facets", "country", "Ishiba", "--ui-lang", "en"]).stdout;
    assert!(text.contains("JP  Japan"), "{text}");
    let text = ok_at(&idx, &["facets", "country", "Ishiba"]).stdout;
    assert!(
        text.contains("JP  Japan") && text.contains("KP  Noord-Korea"),
        "{text}"
    );
}

#[test]
fn lift_ranking_skips_values_below_the_minimum_count() {
    let idx = corpus_idx();
    let lift = |min: Option<&str>| -> Vec<(String, u64)> {
        let mut a = vec!["person", "--country", "KP", "--by", "lift", "--top", "1000"];
        if let Some(m) = min {
            a.extend(["--min-count", m]);
        }
        facets_report(&idx, &a)["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let name = v["value"].as_str().unwrap().to_string();
                (name, v["paragraphs"].as_u64().unwrap())
            })
            .collect()
    };
    let all = lift(Some("1"));
    assert!(all.iter().any(|(_, n)| *n == 1), "{all:?}");
    assert!(all.iter().filter(|(_, n)| *n >= 3).count() >= 2, "{all:?}");
    for min in [2u64, 3, 5] {
        let kept: Vec<(String, u64)> = all.iter().filter(|(_, n)| *n >= min).cloned().collect();
        assert_eq!(lift(Some(&min.to_string())), kept, "--min-count {min}");
    }
    assert_eq!(lift(None), lift(Some("2")), "the default is 2");
}

#[test]
fn train_ner_writes_the_same_model_from_the_same_data() {
    // A tiny CoNLL-2002-style data folder (tests/fixtures/conll): train, dev (testa) and
    // held-out (testb) files of made-up Dutch sentences.
    let dir = tempfile::tempdir().unwrap();
    let data = "tests/fixtures/conll";
    let train = |out: &Path| {
        ok(&[
            "train-ner",
            "--data",
            data,
            "--lang",
            "nl",
            "--out",
            s(out),
            "--epochs",
            "2",
        ])
    };
    let (a, b) = (dir.path().join("a.model"), dir.path().join("b.model"));
    let r = train(&a);
    let model = std::fs::read(&a).unwrap();
    assert!(model.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]), "a zstd frame");
    assert!(
        r.stderr
            .contains("train: 2 documents, 5 sentences, 37 tokens"),
        "{}",
        r.stderr
    );
    // The held-out report: a row per kind (tp, fp, fn, P, R, F1); the held-out file's three
    // names were all in the training data.
    assert!(r
        .stderr
        .contains("held-out tests/fixtures/conll/conll2002-nl/ned.testb"));
    let per: Vec<&str> = r
        .stderr
        .lines()
        .find(|l| l.starts_with("PER "))
        .unwrap_or_else(|| panic!("{}", r.stderr))
        .split_whitespace()
        .collect();
    assert_eq!(per[1..4], ["3", "0", "0"], "{}", r.stderr);
    train(&b);
    assert!(
        std::fs::read(&b).unwrap() == model,
        "training is deterministic"
    );

    // Errors name what is wrong; no model is written.
    let bad_dir = dir.path().join("bad");
    let nl = bad_dir.join("conll2002-nl");
    std::fs::create_dir_all(&nl).unwrap();
    for f in ["ned.train", "ned.testa", "ned.testb"] {
        std::fs::copy(Path::new(data).join("conll2002-nl").join(f), nl.join(f)).unwrap();
    }
    let text = std::fs::read_to_string(nl.join("ned.train")).unwrap();
    let text = text.replacen("Rutte N I-PER", "Rutte N I-PERSON", 1);
    std::fs::write(nl.join("ned.train"), text).unwrap();
    let out = dir.path().join("c.model");
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec!["--data", s(&bad_dir), "--lang", "nl"],
            "ned.train:5: bad NER tag \"I-PERSON\"",
        ),
        (
            vec!["--data", "no-such-dir", "--lang", "nl"],
            "no-such-dir/conll2002-nl/ned.train",
        ),
        (
            vec!["--data", data, "--lang", "en"],
            "conll2003-en/eng.train",
        ),
        (
            vec!["--data", data, "--lang", "nl", "--epochs", "0"],
            "--epochs",
        ),
    ];
    for (args, says) in cases {
        let mut a = vec!["train-ner", "--out", s(&out)];
        a.extend(args.iter().copied());
        let r = run(&a);
        assert_eq!(r.code, 2, "{a:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{a:?}: {}", r.stderr);
        assert!(!out.exists(), "{a:?}");
    }
    let nowhere = dir.path().join("missing").join("m.model");
    let r = run(&[
        "train-ner",
        "--data",
        data,
        "--lang",
        "nl",
        "--out",
        s(&nowhere),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--out") && r.stderr.contains("does not exist"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("epoch"),
        "refused before training: {}",
        r.stderr
    );
}

#[test]
fn facets_ignore_their_own_filter() {
    // Filtering on KP must still show the other countries, with the same counts as without
    // the country filter (multi-select), while the person facet narrows to KP paragraphs.
    let facets_of = |args: &[&str]| -> Value {
        let mut a = args.to_vec();
        a.extend_from_slice(&["--facets", "--json", "--top", "50"]);
        json_lines(&search(&a).stdout)
            .into_iter()
            .find(|v| v["type"] == "facets")
            .expect("facets")
    };
    let all = facets_of(&["Biden"]);
    let kp = facets_of(&["Biden", "--country", "KP"]);
    assert_eq!(
        all["countries"], kp["countries"],
        "country facet ignores --country"
    );
    let n = |v: &Value, name: &str| {
        v["persons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["value"] == name)
            .map(|p| p["paragraphs"].as_u64().unwrap())
            .unwrap_or(0)
    };
    assert!(
        n(&kp, "Joe Biden") < n(&all, "Joe Biden"),
        "person facet applies --country"
    );
}

#[test]
fn stored_facet_counts_equal_a_count_and_never_go_stale() {
    // A build stores the facet counts over all paragraphs beside the index (facets.json), and
    // searches whose selection is every paragraph use them. They must equal a count, and a
    // file left from before an update must not be used.
    let fx = Fixture::new();
    let sample = std::fs::read_to_string("corpus/sample.jsonl").unwrap();
    let lines: Vec<&str> = sample.lines().collect();
    let half = fx.file("half.jsonl", lines[..lines.len() / 2].join("\n").as_bytes());
    let stored = |idx: &Path| -> PathBuf { generation(idx).join("facets.json") };
    let facets = |idx: &Path| -> Vec<Value> {
        let mut found: Vec<Value> = [
            vec![],
            vec!["--person", "Joe Biden"],
            vec!["--country", "KP"],
        ]
        .iter()
        .map(|extra| {
            let mut a = vec!["search", ""];
            a.extend_from_slice(extra);
            a.extend_from_slice(&["--facets", "--json", "--top", "50"]);
            json_lines(&run_at(idx, &a).stdout)
                .into_iter()
                .find(|v| v["type"] == "facets")
                .expect("facets")
        })
        .collect();
        // The facets command, with the lift column (1.0 over every paragraph).
        for facet in ["person", "country"] {
            let r = ok_at(idx, &["facets", facet, "--json"]);
            found.push(serde_json::from_str(&r.stdout).expect("facets JSON"));
        }
        found
    };
    let idx = &fx.idx;
    fx.index(&[s(&half)]);
    assert!(stored(idx).is_file(), "a build stores the counts");
    let with_file = facets(idx);
    let old = std::fs::read(stored(idx)).unwrap();
    std::fs::remove_file(stored(idx)).unwrap();
    assert_eq!(with_file, facets(idx), "stored counts equal counting");
    std::fs::write(stored(idx), b"{ not json").unwrap();
    assert_eq!(with_file, facets(idx), "a damaged file is ignored");

    fx.index(&["--update", "corpus/sample.jsonl"]);
    assert!(stored(idx).is_file(), "an update stores the counts");
    let updated = facets(idx);
    assert_ne!(updated, with_file, "the update changed the counts");
    // The counts from before the update describe other segments: ignored.
    std::fs::write(stored(idx), &old).unwrap();
    assert_eq!(facets(idx), updated, "stale stored counts are not used");
    let fresh = fx.path("fresh");
    ok_at(&fresh, &["index", "corpus/sample.jsonl"]);
    assert_eq!(
        facets(&fresh),
        updated,
        "an updated index counts as a rebuilt one"
    );
}

#[test]
fn grouping_by_article_and_context() {
    let r = search(&["Biden", "--group", "article", "--json"]);
    let hs = hits(&r.stdout);
    let articles: std::collections::HashSet<&str> = hs
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(articles.len(), hs.len(), "one hit per article");
    let seed = hs
        .iter()
        .find(|h| h["article_id"] == "000_05427ea14c8b4e57")
        .unwrap();
    assert_eq!(
        seed["more"].as_u64().unwrap() + 1,
        count(&["Biden", "--lang", "nl", "--since", "2024"])
    );
    assert!(summary(&r.stdout)["articles"].as_u64().unwrap() >= hs.len() as u64);
    let text = search(&["Biden", "--group", "article"]).stdout;
    assert!(text.contains("more passages in this article"), "{text}");
    let r = search(&["Sullivan zei", "--context", "1", "--json", "-n", "1"]);
    let h = &hits(&r.stdout)[0];
    let ord = h["ordinal"].as_u64().unwrap();
    assert_eq!(h["before"][0]["ordinal"].as_u64(), Some(ord - 1));
    assert_eq!(h["after"][0]["ordinal"].as_u64(), Some(ord + 1));
}

#[test]
fn sorting_by_date_and_recency() {
    let r = search(&["president", "--sort", "date", "--json", "--limit", "40"]);
    let dates: Vec<String> = hits(&r.stdout)
        .iter()
        .map(|h| h["published"].as_str().unwrap_or("").to_string())
        .collect();
    let dated: Vec<&String> = dates.iter().filter(|d| !d.is_empty()).collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let first_undated = dates
        .iter()
        .position(|d| d.is_empty())
        .unwrap_or(dates.len());
    assert!(
        dates[first_undated..].iter().all(|d| d.is_empty()),
        "undated last: {dates:?}"
    );
    // Equal dates rank by relevance, newest first or oldest first; undated paragraphs last.
    let ordered = |sort: &str| -> Vec<(String, f64, String)> {
        hits(&search(&["president", "--sort", sort, "--json", "--limit", "1000"]).stdout)
            .iter()
            .map(|h| {
                (
                    h["published"].as_str().unwrap_or("").to_string(),
                    h["score"].as_f64().unwrap(),
                    h["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (newest, oldest) = (ordered("date"), ordered("oldest"));
    assert!(newest.len() > 40, "{}", newest.len());
    for (hits, older_first) in [(&newest, false), (&oldest, true)] {
        let undated = hits
            .iter()
            .position(|h| h.0.is_empty())
            .unwrap_or(hits.len());
        assert!(
            hits[undated..].iter().all(|h| h.0.is_empty()),
            "undated last"
        );
        for w in hits[..undated].windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if a.0 == b.0 {
                assert!(a.1 >= b.1, "equal dates by relevance: {a:?} before {b:?}");
            } else {
                assert_eq!(a.0 < b.0, older_first, "{a:?} before {b:?}");
            }
        }
    }
    let ids = |v: &[(String, f64, String)]| {
        let mut ids: Vec<String> = v.iter().map(|h| h.2.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&newest), ids(&oldest));
    let rel = hits(&search(&["president", "--json"]).stdout);
    let rec = hits(
        &search(&[
            "president",
            "--sort",
            "recency",
            "--half-life",
            "30",
            "--json",
        ])
        .stdout,
    );
    assert_eq!(
        rec[0]["published"], "2024-11-15",
        "the newest article rises: {:?}",
        rec[0]
    );
    assert_ne!(rel[0]["id"], rec[0]["id"]);
}

#[test]
fn timeline_counts_per_period() {
    let idx = corpus_idx();
    let r = ok_at(&idx, &["timeline", "", "--by", "month", "--json"]);
    let t: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let buckets = t["buckets"].as_array().unwrap();
    let sum: u64 = buckets
        .iter()
        .map(|b| b["paragraphs"].as_u64().unwrap())
        .sum::<u64>()
        + t["undated"]["paragraphs"].as_u64().unwrap();
    assert_eq!(sum, t["total"]["paragraphs"].as_u64().unwrap());
    assert_eq!(t["total"]["paragraphs"].as_u64().unwrap(), count(&[""]));
    let nov = buckets.iter().find(|b| b["period"] == "2024-11").unwrap();
    assert_eq!(
        (nov["paragraphs"].as_u64(), nov["articles"].as_u64()),
        (Some(26), Some(1))
    );
    let text = ok_at(&idx, &["timeline", "Noord-Korea", "--by", "year"]).stdout;
    assert!(text.contains("2024") && text.contains('█'), "{text}");
    let week = ok_at(&idx, &["timeline", "Ishiba", "--by", "week", "--json"]).stdout;
    assert!(week.contains("\"2024-W46\""), "{week}");
}

#[test]
fn html_output_is_one_escaped_page() {
    let fx = indexed("x.jsonl", br#"{"id":"x","title":"<script>alert(1)</script>","body":"Tulpen <b>bloeien</b> & \"meer\".","url":"javascript:alert(1)"}
"#);
    let page = fx
        .ok(&["search", "tulpen", "--format", "html", "--facets"])
        .stdout;
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        page.contains("<mark>Tulpen</mark> &lt;b&gt;bloeien&lt;/b&gt; &amp; &quot;meer&quot;."),
        "{page}"
    );
    assert!(!page.contains("href=\"javascript"), "{page}");
}

#[test]
fn dutch_compounds_match_their_parts_both_ways() {
    let fx = indexed(
        "c.jsonl",
        concat!(
            r#"{"id":"compound","body":"De raketverdediging van Japan wordt versterkt.","lang":"nl"}"#, "\n",
            r#"{"id":"parts","body":"De verdediging tegen een raket kost veel geld.","lang":"nl"}"#, "\n",
            r#"{"id":"loon","body":"De loonkloof tussen mannen en vrouwen blijft.","lang":"nl"}"#, "\n",
            r#"{"id":"verkiezing","body":"Bij de gemeenteraadsverkiezingen won de lokale partij.","lang":"nl"}"#, "\n",
            r#"{"id":"minister","body":"De minister bezocht een mini-camping.","lang":"nl"}"#, "\n",
        )
        .as_bytes(),
    );
    let ids = |q: &str| search_field(&fx.idx, &[q], "article_id");
    // The parts find the compound (and the paragraph with the separate words).
    let r = ids("raket verdediging");
    assert!(
        r.contains(&"compound".to_string()) && r.contains(&"parts".to_string()),
        "{r:?}"
    );
    // The compound finds the parts, ranked below the compound itself.
    assert_eq!(ids("raketverdediging"), ["compound", "parts"]);
    assert_eq!(ids("loon kloof"), ["loon"]);
    assert_eq!(ids("gemeenteraad verkiezingen"), ["verkiezing"]);
    // Phrases stay exact: the compound is not the phrase "raket verdediging".
    assert!(ids("\"raket verdediging\"").is_empty());
    assert_eq!(ids("\"raketverdediging\""), ["compound"]);
    // No over-splitting: minister is not mini + ster.
    assert!(
        ids("ster").is_empty(),
        "minister must not yield the part ster"
    );
    // The whole compound is highlighted for a part.
    let r = fx.search(&["raket", "--json"]);
    let compound = hits(&r.stdout)
        .into_iter()
        .find(|h| h["article_id"] == "compound")
        .unwrap();
    assert_eq!(highlighted(&compound), ["raketverdediging"]);
}

#[test]
fn transliterations_of_one_name_are_one_person() {
    // Dutch papers write "Poetin", English ones "Putin"; a rare doubled letter is a typo, but
    // two equally common spellings ("Jansen", "Janssen") may be two people.
    let lines = [
        r#"{"id":"a","body":"President Vladimir Poetin sprak in Moskou over de oorlog.","lang":"nl"}"#,
        r#"{"id":"b","body":"Volgens Vladimir Poetin is de economie sterk.","lang":"nl"}"#,
        r#"{"id":"c","body":"President Vladimir Putin spoke in Moscow about the war.","lang":"en"}"#,
        r#"{"id":"d","body":"Poetin zei gisteren niets over de oorlog.","lang":"nl"}"#,
        r#"{"id":"e","body":"Minister Jan Jansen opende de brug in Zwolle.","lang":"nl"}"#,
        r#"{"id":"f","body":"Wethouder Jan Janssen opende de school in Venlo.","lang":"nl"}"#,
    ];
    let fx = indexed("t.jsonl", (lines.join("\n") + "\n").as_bytes());
    let ids = |args: &[&str]| {
        let mut v = search_field(&fx.idx, args, "article_id");
        v.sort();
        v
    };
    for name in ["Putin", "Poetin", "Vladimir Putin", "vladimir poetin"] {
        assert_eq!(
            ids(&["", "--person", name]),
            ["a", "b", "c", "d"],
            "--person {name}"
        );
    }
    assert_eq!(ids(&["", "--person", "Jan Janssen"]), ["f"]);
    assert_eq!(ids(&["", "--person", "Jan Jansen"]), ["e"]);
    // One facet value, counted once per article; hits show the same spelling.
    let r = fx.ok(&["facets", "person", "--json"]);
    let report: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    let values: Vec<(String, u64)> = report["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["articles"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        values.contains(&("Vladimir Poetin".to_string(), 4)),
        "{values:?}"
    );
    assert!(
        !values.iter().any(|(v, _)| v == "Vladimir Putin"),
        "{values:?}"
    );
    assert!(values.iter().any(|(v, _)| v == "Jan Janssen"), "{values:?}");
    let r = fx.ok(&["search", "Moscow", "--json"]);
    assert_eq!(
        hits(&r.stdout)[0]["persons"],
        serde_json::json!(["Vladimir Poetin"])
    );
    // the person filter highlights every spelling of the name
    let r = fx.ok(&["search", "", "--person", "Putin", "--json"]);
    let mut marked: Vec<(String, Vec<String>)> = hits(&r.stdout)
        .iter()
        .map(|h| {
            (
                h["article_id"].as_str().unwrap().to_string(),
                highlighted(h),
            )
        })
        .collect();
    marked.sort();
    let want = |id: &str, w: &str| (id.to_string(), vec![w.to_string()]);
    assert_eq!(
        marked,
        [
            want("a", "Vladimir Poetin"),
            want("b", "Vladimir Poetin"),
            want("c", "Vladimir Putin"),
            want("d", "Poetin"),
        ]
    );
    // Free text finds every spelling the index merged, and marks what it found.
    let marked_by = |args: &[&str]| {
        let mut a = vec!["search"];
        a.extend_from_slice(args);
        a.push("--json");
        let mut v: Vec<(String, Vec<String>)> = hits(&fx.ok(&a).stdout)
            .iter()
            .map(|h| {
                (
                    h["article_id"].as_str().unwrap().to_string(),
                    highlighted(h),
                )
            })
            .collect();
        v.sort();
        v
    };
    for q in ["Putin", "poetin"] {
        assert_eq!(
            marked_by(&[q]),
            [
                want("a", "Poetin"),
                want("b", "Poetin"),
                want("c", "Putin"),
                want("d", "Poetin"),
            ],
            "{q}"
        );
    }
    assert_eq!(
        marked_by(&["\"Vladimir Putin\""]),
        [
            want("a", "Vladimir Poetin"),
            want("b", "Vladimir Poetin"),
            want("c", "Vladimir Putin"),
        ]
    );
    // a quoted word is that spelling only; two people are not spellings of one
    assert_eq!(marked_by(&["\"Putin\""]), [want("c", "Putin")]);
    assert_eq!(marked_by(&["Putin -\"Poetin\""]), [want("c", "Putin")]);
    let r = fx.run(&["search", "Putin -Poetin", "--json"]);
    assert_eq!((r.code, hits(&r.stdout).len()), (1, 0), "{}", r.stderr);
    assert_eq!(marked_by(&["Janssen"]), [want("f", "Janssen")]);
}

/// Three articles: two name Mark Rutte, the third only "Rutte".
macro_rules! rutte_articles {
    () => {
        concat!(
            r#"{"id":"a","body":"Premier Mark Rutte sprak in Den Haag.","lang":"nl"}"#,
            "\n",
            r#"{"id":"b","body":"Volgens Mark Rutte is het kabinet eensgezind.","lang":"nl"}"#,
            "\n",
            r#"{"id":"c","body":"Rutte zei gisteren dat hij blijft.","lang":"nl"}"#,
            "\n",
        )
    };
}

#[test]
fn bare_surnames_resolve_corpus_wide() {
    let fx = Fixture::new();
    let corpus = fx.file(
        "r.jsonl",
        concat!(
            rutte_articles!(),
            r#"{"id":"d","body":"Minister Hugo de Jonge en Ernst de Jonge spraken.","lang":"nl"}"#,
            "\n",
            r#"{"id":"e","body":"De Jonge wilde niet reageren.","lang":"nl"}"#,
            "\n",
        )
        .as_bytes(),
    );
    let r = fx.index(&[s(&corpus), "--json"]);
    let sum: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(sum["resolved"], 1);
    let ids = |args: &[&str]| search_field(&fx.idx, args, "article_id");
    let mut rutte = ids(&["", "--person", "Mark Rutte"]);
    rutte.sort();
    assert_eq!(
        rutte,
        ["a", "b", "c"],
        "the bare surname in c resolves to the only Rutte"
    );
    assert!(
        !ids(&["", "--person", "de jonge"]).contains(&"e".to_string()),
        "two De Jonges: ambiguous"
    );
    // An update resolves the articles it writes.
    fx.update(
        "more.jsonl",
        br#"{"id":"f","body":"Rutte belde met de koning.","lang":"nl"}
"#,
    );
    assert!(ids(&["", "--person", "Mark Rutte"]).contains(&"f".to_string()));
    // Facets count the resolved paragraphs, and hits show the resolved person.
    let r = fx.ok(&["facets", "person", "--json"]);
    assert_eq!(facet_value(&r.stdout, "Mark Rutte"), (4, 4));
    let r = fx.ok(&["search", "belde", "--json"]);
    assert_eq!(
        hits(&r.stdout)[0]["persons"],
        serde_json::json!(["Mark Rutte"])
    );
    // Resolution is corpus-wide at read time: an update that brings the full name resolves an
    // older article's bare surname too.
    fx.update(
        "older.jsonl",
        br#"{"id":"g","body":"Kaag reageerde niet.","lang":"nl"}
"#,
    );
    assert!(ids(&["", "--person", "Sigrid Kaag"]).is_empty());
    fx.update(
        "newer.jsonl",
        br#"{"id":"h","body":"Minister Sigrid Kaag reisde af.","lang":"nl"}
{"id":"i","body":"Volgens Sigrid Kaag is dat niet zo.","lang":"nl"}
"#,
    );
    let mut kaag = ids(&["", "--person", "Sigrid Kaag"]);
    kaag.sort();
    assert_eq!(kaag, ["g", "h", "i"]);
}

#[test]
fn a_surname_that_is_also_a_first_name_resolves_after_a_title() {
    // "Reagan" is on the first-name list; Reuters-21578 names him "President Reagan" and no
    // more in most articles, and those paragraphs had no person.
    let fx = indexed(
        "r.jsonl",
        br#"{"id":"a","body":"President Ronald Reagan warned Iran of stronger countermeasures.","lang":"en"}
{"id":"b","body":"President Ronald Reagan met Prime Minister Yasuhiro Nakasone.","lang":"en"}
{"id":"c","body":"President Reagan said on Tuesday that the treaty would be signed.\n\nReagan told reporters the talks would go on.\n\nThe talks would go on, aides said.","lang":"en"}
{"id":"d","body":"Reagan Hall, a student, said the rent had doubled.","lang":"en"}
{"id":"e","body":"It said President Michael R. Hall will assume the duties of chief executive officer.\n\nMichael will also remain chairman.","lang":"en"}
{"id":"f","body":"Lawyer John Michael filed the case.","lang":"en"}
{"id":"g","body":"John Michael appealed on Friday.","lang":"en"}
"#,
    );
    let person = |name: &str, key: &str| search_field(&fx.idx, &["", "--person", name], key);
    assert_eq!(person("reagan", "id"), ["a#0", "b#0", "c#0", "c#1"]);
    let r = fx.ok(&["search", "", "--person", "reagan", "--json"]);
    for h in hits(&r.stdout) {
        assert_eq!(h["persons"][0], "Ronald Reagan", "{h}");
    }
    // "Michael" before "R. Hall" is a first name, title or not: it is not John Michael
    assert_eq!(person("John Michael", "article_id"), ["f", "g"]);
}

#[test]
fn the_person_map_of_an_older_index_still_reads_and_a_damaged_one_is_reported() {
    let fx = indexed(
        "r.jsonl",
        concat!(
            rutte_articles!(),
            r#"{"id":"d","body":"Kaag reageerde niet.","lang":"nl"}"#,
            "\n",
        )
        .as_bytes(),
    );
    let live = generation(&fx.idx);
    let (bin, json) = (live.join("persons.bin"), live.join("persons.json"));
    assert!(bin.is_file() && !json.exists());
    let ids = |person: &str| {
        let mut v = search_field(&fx.idx, &["", "--person", person], "article_id");
        v.sort();
        v
    };
    assert_eq!(ids("Mark Rutte"), ["a", "b", "c"]);
    // An index written before persons.bin has its map as JSON (here with one more alias than
    // the corpus gives, so that the answer can only come from that file).
    std::fs::remove_file(&bin).unwrap();
    write(
        &json,
        br#"{"aliases":{"rutte":"Mark Rutte","kaag":"Sigrid Kaag"}}"#,
    );
    assert_eq!(ids("Mark Rutte"), ["a", "b", "c"]);
    assert_eq!(ids("Sigrid Kaag"), ["d"]);
    let r = fx.ok(&["search", "reageerde", "--json"]);
    assert_eq!(
        hits(&r.stdout)[0]["persons"],
        serde_json::json!(["Sigrid Kaag"])
    );
    // An update writes the map anew, in the current form.
    fx.update(
        "more.jsonl",
        br#"{"id":"e","body":"Rutte belde met de koning.","lang":"nl"}"#,
    );
    assert!(bin.is_file() && !json.exists());
    assert_eq!(ids("Mark Rutte"), ["a", "b", "c", "e"]);
    assert!(ids("Sigrid Kaag").is_empty());
    // A damaged map is an error that names the file, not a wrong answer.
    let mut bytes = std::fs::read(&bin).unwrap();
    bytes.truncate(bytes.len() - 3);
    write(&bin, &bytes);
    let r = fx.search(&["Rutte"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("persons.bin does not parse"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn facet_counts_from_the_stored_facet_values_equal_counts_from_the_columns() {
    // A build stores every paragraph's facet values (facet-docs.bin); a count reads them
    // instead of the index's columns. Without the file, or with a damaged one, the counts
    // come from the columns and must be the same. Article "g" names one person in two
    // spellings, in two paragraphs: one article.
    let lines = [
        r#"{"id":"a","body":"President Vladimir Poetin sprak in Moskou over de oorlog in Oekraïne.","lang":"nl"}"#,
        r#"{"id":"b","body":"Volgens Vladimir Poetin is de economie van Rusland sterk.","lang":"nl"}"#,
        r#"{"id":"c","body":"President Vladimir Putin spoke in Moscow about the war.","lang":"en"}"#,
        r#"{"id":"d","body":"Poetin zei gisteren niets over de oorlog.","lang":"nl"}"#,
        r#"{"id":"e","body":"Minister Jan Jansen opende de brug in Zwolle.\n\nPremier Mark Rutte was er ook, met Jan Jansen.","lang":"nl"}"#,
        r#"{"id":"f","body":"Wethouder Jan Janssen opende de school in Venlo.","lang":"nl"}"#,
        r#"{"id":"g","body":"Vladimir Putin met Joe Biden in Geneva, Switzerland.\n\nLater Vladimir Poetin, as Dutch papers write him, spoke about the war.","lang":"en"}"#,
    ];
    let fx = indexed("t.jsonl", (lines.join("\n") + "\n").as_bytes());
    let stored = generation(&fx.idx).join("facet-docs.bin");
    assert!(stored.is_file());
    let queries: [&[&str]; 6] = [
        &["search", "oorlog OR war", "--facets", "--json"],
        &["search", "", "--lang", "en", "--facets", "--json"],
        &[
            "search",
            "opende",
            "--person",
            "Jan Jansen",
            "--facets",
            "--json",
        ],
        &[
            "facets",
            "person",
            "spoke OR sprak OR zei OR opende OR Geneva",
            "--json",
        ],
        &["facets", "country", "", "--lang", "nl", "--json"],
        &[
            "facets",
            "person",
            "Moscow OR Moskou",
            "--by",
            "lift",
            "--json",
        ],
    ];
    let outputs = || -> Vec<String> { queries.iter().map(|q| fx.ok(q).stdout).collect() };
    let from_stored = outputs();
    let putin = |report: &str| facet_value(report, "Vladimir Poetin");
    // The person, counted over every article that names him: g once, though it has both
    // spellings.
    assert_eq!(putin(&from_stored[3]), (5, 4), "{}", from_stored[3]);
    let facets = json_lines(&from_stored[1])
        .into_iter()
        .find(|v| v["type"] == "facets")
        .unwrap();
    let en_putin = &facets["persons"][0];
    assert_eq!(en_putin["value"], "Vladimir Poetin", "{facets}");
    assert_eq!(
        (
            en_putin["paragraphs"].as_u64(),
            en_putin["articles"].as_u64()
        ),
        (Some(3), Some(2)),
        "{facets}"
    );
    // Without the file: the same counts, from the columns.
    std::fs::remove_file(&stored).unwrap();
    assert_eq!(outputs(), from_stored);
    // A damaged file is not used: the same counts again, and no error.
    write(&stored, b"NXFDOC02 not a facet file");
    assert_eq!(outputs(), from_stored);
    // An update writes it anew.
    fx.update(
        "more.jsonl",
        br#"{"id":"h","body":"Vladimir Poetin belde met Mark Rutte.","lang":"nl"}"#,
    );
    let bytes = std::fs::read(generation(&fx.idx).join("facet-docs.bin")).unwrap();
    assert!(
        bytes.starts_with(b"NXFDOC02") && bytes.len() > 64,
        "{}",
        bytes.len()
    );
    let r = fx.ok(&[
        "facets",
        "person",
        "belde OR spoke OR sprak OR zei OR opende OR Geneva",
        "--json",
    ]);
    assert_eq!(putin(&r.stdout), (6, 5), "{}", r.stdout);
}

#[test]
fn headlines_in_capitals_are_tagged_like_running_text() {
    // Reuters-21578 briefs: the headline, in capitals, is the whole article.
    let fx = Fixture::new();
    let corpus = fx.file(
        "r.jsonl",
        concat!(
            r#"{"id":"a","title":"CARL ICAHN SAYS HE IS TARGET OF SEC PROBE","body":"","lang":"en"}"#,
            "\n",
            r#"{"id":"b","title":"VOLCKER SEES SEVERE PROBLEMS IN SOME SECTORS OF THE U.S. ECONOMY","body":"","lang":"en"}"#,
            "\n",
            r#"{"id":"c","title":"Fed chief testifies","body":"Federal Reserve Board Chairman Paul Volcker said the dollar has fallen enough.","lang":"en"}"#,
            "\n",
            r#"{"id":"c2","title":"Volcker on banks","body":"Paul Volcker told the committee that banks are sound.","lang":"en"}"#,
            "\n",
            r#"{"id":"d","title":"LAWSON FORECASTS U.K. INFLATION 4.0 PCT AT END 1987","body":"","lang":"en"}"#,
            "\n",
            r#"{"id":"e","title":"REAGAN RENEWS STAND, WHITE HOUSE SAYS TRADE WAR UNLIKELY","body":"","lang":"en"}"#,
            "\n",
            r#"{"id":"f","title":"REAGAN IRAN SPEECH SAID TO ADMIT NEED FOR CHANGE","body":"It is not clear whether Reagan will heed the advice of many of his political allies and acknowledge that his Iran policy was wrong.","lang":"en"}"#,
            "\n",
            r#"{"id":"g","title":"Prices","body":"PHIL ELEC 21 1/4 P OFF 7/8","lang":"en"}"#,
            "\n",
        )
        .as_bytes(),
    );
    fx.index(&[s(&corpus)]);
    let tagged = json_lines(&fx.ok(&["tag", s(&corpus), "--json"]).stdout);
    let persons = |id: &str| {
        tagged
            .iter()
            .find(|p| p["article_id"] == id)
            .map(|p| (strings(&p["persons"]), strings(&p["countries"])))
            .unwrap()
    };
    // A full name in capitals is a person; the text is shown as written.
    assert_eq!(persons("a"), (vec!["Carl Icahn".to_string()], vec![]));
    let r = fx.ok(&["search", "icahn", "--json"]);
    assert_eq!(
        hits(&r.stdout)[0]["text"],
        "CARL ICAHN SAYS HE IS TARGET OF SEC PROBE"
    );
    // Countries and metonyms in capitals; no person made of a name and the verb after it.
    assert_eq!(persons("d").1, ["GB"]);
    assert_eq!(persons("e"), (vec![], vec!["US".to_string()]));
    // A title in capitals is not guessed at: its words would capture the body's surnames.
    assert_eq!(persons("f"), (vec![], vec!["IR".to_string()]));
    // A table row is no prose: no "Phil Elec".
    assert_eq!(persons("g"), (vec![], vec![]));
    // A bare surname in capitals resolves corpus-wide, as in running text.
    let ids = |person: &str| search_field(&fx.idx, &["", "--person", person], "article_id");
    let mut volcker = ids("Paul Volcker");
    volcker.sort();
    assert_eq!(volcker, ["b", "c", "c2"]);
}

#[test]
fn searches_keep_working_while_the_index_is_rebuilt_and_updated() {
    let fx = Fixture::new();
    let mut data = String::new();
    for i in 0..3000 {
        data.push_str(&format!(
            "{{\"id\":\"n{i}\",\"body\":\"Artikel {i} over molens en dijken in Zeeland.\"}}\n"
        ));
    }
    let corpus = fx.file("c.jsonl", data.as_bytes());
    fx.index(&[s(&corpus), "-q"]);
    let idx2 = fx.idx.clone();
    let writer = std::thread::spawn(move || {
        for round in 0..4 {
            let mode: &[&str] = if round % 2 == 0 { &[] } else { &["--update"] };
            let mut args = vec!["index", s(&corpus), "-q"];
            args.extend_from_slice(mode);
            ok_at(&idx2, &args);
        }
    });
    let mut searches = 0;
    while !writer.is_finished() || searches < 5 {
        let r = fx.search(&["molens", "--json", "-n", "1"]);
        assert_eq!(r.code, 0, "a search failed during a rebuild: {}", r.stderr);
        assert_eq!(summary(&r.stdout)["total"], 3000);
        searches += 1;
    }
    writer.join().unwrap();
    assert!(searches >= 5);
}

// ---------------------------------------------------------------- full disks, read-only media

/// A small tmpfs, mounted for one test (needs root, as in CI here; otherwise the test says it
/// was skipped).
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                s(dir.path()),
            ])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|st| st.success());
        if ok {
            Some(Tmpfs(dir))
        } else {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            None
        }
    }

    fn read_only(&self) {
        let st = Command::new("mount")
            .args(["-o", "remount,ro", s(self.0.path())])
            .status()
            .unwrap();
        assert!(st.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_the_previous_index() {
    let Some(fs) = Tmpfs::mount("3m") else { return };
    let idx = fs.0.path().join("idx");
    ok_at(&idx, &["index", "corpus/", "-q"]);
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jsonl");
    let mut data = String::new();
    for i in 0..30_000 {
        data.push_str(&format!("{{\"id\":\"b{i}\",\"body\":\"Artikel {i} over molens en dijken in Zeeland, met tekst die ruimte vult {}.\"}}\n", i * 7));
    }
    write(&big, data.as_bytes());
    let r = run_at(&idx, &["index", s(&big), "-q"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("No space left on device"), "{}", r.stderr);
    let r = ok_at(&idx, &["search", "Ishiba", "--json"]);
    assert_eq!(summary(&r.stdout)["total"], 6, "previous index intact");
    let names: Vec<String> = std::fs::read_dir(&idx)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".tmp") || n == "LOCK"),
        "{names:?}"
    );
}

#[test]
fn a_read_only_index_is_searchable_and_refuses_writes() {
    let Some(fs) = Tmpfs::mount("8m") else { return };
    let idx = fs.0.path().join("idx");
    ok_at(&idx, &["index", "corpus/", "-q"]);
    fs.read_only();
    let r = ok_at(&idx, &["search", "Ishiba", "--json"]);
    assert_eq!(summary(&r.stdout)["total"], 6);
    let r = run_at(&idx, &["index", "corpus/", "-q"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Read-only file system"), "{}", r.stderr);
    ok_at(&idx, &["search", "Ishiba"]);
}

// ---------------------------------------------------------------- eval

/// A made-up article in the MEANTIME layout (not gold data: it only exercises the flag).
fn meantime_like_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let nl = dir.path().join("corpus/nl");
    std::fs::create_dir_all(&nl).unwrap();
    let body = "Premier Mark Rutte sprak dinsdag in Berlijn met zijn collega. \
                Daarna reisde hij door naar Frankrijk. Dit deel is niet geannoteerd.";
    let sentences = [
        "Premier Mark Rutte sprak dinsdag in Berlijn met zijn collega.",
        "Daarna reisde hij door naar Frankrijk.",
        "Dit deel is niet geannoteerd.",
    ];
    let span = |text: &str, kind: &str| {
        let start = body.find(text).unwrap();
        serde_json::json!({"field": "body", "text": text, "byte_start": start,
            "byte_end": start + text.len(), "type": kind})
    };
    let article = serde_json::json!({
        "id": "mt-1", "title": "Rutte in Berlijn", "body": body, "lang": "nl",
        "published": "2024-11-12", "sentences": sentences, "ne_annotated_body_sentences": 2,
        "entities": [span("Mark Rutte", "PER"), span("Berlijn", "LOC")],
        "crossdoc_mentions": [],
    });
    std::fs::write(nl.join("meantime.jsonl"), format!("{article}\n")).unwrap();
    dir
}

#[test]
fn eval_errors_lists_false_positives_and_negatives() {
    let dir = meantime_like_dir();
    let r = ok(&["eval", "--data", s(dir.path()), "--errors"]);
    assert!(r.stdout.contains("article countries"), "{}", r.stdout);
    // France is tagged but not in the (made-up) gold
    let fp = r
        .stdout
        .lines()
        .find(|l| l.contains("mt-1") && l.ends_with("fp FR"));
    assert!(fp.is_some(), "{}", r.stdout);
    assert!(r.stdout.contains("errors ("), "{}", r.stdout);
    // without the flag, only the table
    let r = ok(&["eval", "--data", s(dir.path())]);
    assert!(!r.stdout.contains("errors ("), "{}", r.stdout);
    assert!(!r.stdout.contains("fp FR"), "{}", r.stdout);
    // JSON carries the same list
    let r = ok(&["eval", "--data", s(dir.path()), "--errors", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let errors = v["errors"].as_array().unwrap();
    assert!(errors
        .iter()
        .any(|e| e["unit"] == "mt-1" && e["kind"] == "fp" && e["label"] == "FR"));
}
