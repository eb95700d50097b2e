//! evaluation: measures the entity tagger on data the team did not write — the seed gold,
//! MEANTIME Dutch, Reuters-21578 — and (through [`crate::entity`]'s statistical model, when
//! present) CoNLL. Takes the data directory as an argument; nothing here is needed to build or
//! search an index.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use crate::corpus::{self, Format, Origin, RawRecord};
use crate::document::{self, BuildOptions};
use crate::entity::resolve::PersonMap;
use crate::entity::{self, ner, persons, EntityTagger, Gazetteer, RuleTagger};
use crate::error::{Error, Result};
use crate::lang::Lang;

/// True positives, false positives and false negatives of one measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    /// Correct.
    pub tp: u64,
    /// Found but wrong.
    pub fp: u64,
    /// Missed.
    pub r#fn: u64,
}

impl Score {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.r#fn)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add_sets(
        &mut self,
        predicted: &BTreeSet<String>,
        gold: &BTreeSet<String>,
        optional: &BTreeSet<String>,
    ) {
        self.tp += predicted.intersection(gold).count() as u64;
        self.fp += predicted
            .iter()
            .filter(|p| !gold.contains(*p) && !optional.contains(*p))
            .count() as u64;
        self.r#fn += gold.difference(predicted).count() as u64;
    }
}

impl std::ops::AddAssign for Score {
    fn add_assign(&mut self, o: Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.r#fn += o.r#fn;
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// One line of the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    /// Data set.
    pub suite: String,
    /// What is measured.
    pub measure: String,
    /// Counts.
    #[serde(flatten)]
    pub score: Score,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Units evaluated (paragraphs, articles).
    pub units: u64,
}

/// One false positive or false negative, for error analysis (`newsidx eval --errors`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ErrorItem {
    /// Data set.
    pub suite: String,
    /// What is measured.
    pub measure: String,
    /// Where: the article id, `id#ordinal` for a paragraph, or `paragraph N` of the seed.
    pub unit: String,
    /// `fp` (found but wrong) or `fn` (missed).
    pub kind: String,
    /// The label: a canonical name or ISO code found, or the gold label (a person's mentions) missed.
    pub label: String,
}

/// The evaluation report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Rows.
    pub rows: Vec<Row>,
    /// Suites skipped because their data was not found.
    pub skipped: Vec<String>,
    /// Remarks on how a measure was taken.
    pub notes: Vec<String>,
    /// False positives and false negatives of the seed, MEANTIME and CoNLL Dutch development
    /// (testa) tagger suites (Reuters is too large to list; CoNLL testb stays held out).
    pub errors: Vec<ErrorItem>,
}

impl Report {
    fn push(&mut self, suite: &str, measure: &str, score: Score, units: u64) {
        self.rows.push(Row {
            suite: suite.into(),
            measure: measure.into(),
            score,
            precision: score.precision(),
            recall: score.recall(),
            f1: score.f1(),
            units,
        });
    }

    fn record(&mut self, suite: &str, measure: &str, items: Vec<(String, &'static str, String)>) {
        self.errors
            .extend(items.into_iter().map(|(unit, kind, label)| ErrorItem {
                suite: suite.into(),
                measure: measure.into(),
                unit,
                kind: kind.into(),
                label,
            }));
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<22} {:<33} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7}",
            "suite", "measure", "P", "R", "F1", "tp", "fp", "fn", "units"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<22} {:<33} {:>7.3} {:>7.3} {:>7.3} {:>6} {:>6} {:>6} {:>7}",
                r.suite,
                r.measure,
                r.precision,
                r.recall,
                r.f1,
                r.score.tp,
                r.score.fp,
                r.score.r#fn,
                r.units
            )?;
        }
        for s in &self.skipped {
            writeln!(f, "skipped: {s}")?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        if !self.errors.is_empty() {
            writeln!(f, "errors ({}):", self.errors.len())?;
        }
        for e in &self.errors {
            writeln!(
                f,
                "{:<22} {:<33} {:<30} {} {}",
                e.suite, e.measure, e.unit, e.kind, e.label
            )?;
        }
        Ok(())
    }
}

/// Runs every suite whose data is found under `shared` (the `shared/` folder: `seeds/`,
/// `corpus/`, `ner/`). `limit` caps the articles read per corpus (0: all).
pub fn run(shared: &Path, limit: usize) -> Result<Report> {
    let mut report = Report::default();
    let tagger = RuleTagger::new();
    let seed = shared.join("seeds/000_05427ea14c8b4e57.txt");
    if seed.exists() {
        seed_suite(
            &seed,
            &shared.join("seeds/000_05427ea14c8b4e57.gold.json"),
            &tagger,
            &mut report,
        )?;
    } else {
        report
            .skipped
            .push(format!("seed gold ({} not found)", seed.display()));
    }
    let meantime = shared.join("corpus/nl/meantime.jsonl");
    if meantime.exists() {
        meantime_suite("meantime-nl", &meantime, &tagger, limit, true, &mut report)?;
        // what the statistical NER adds to the rules
        let rules = RuleTagger::rules_only();
        meantime_suite(
            "meantime-nl rules",
            &meantime,
            &rules,
            limit,
            false,
            &mut report,
        )?;
    } else {
        report
            .skipped
            .push(format!("MEANTIME ({} not found)", meantime.display()));
    }
    for lang in [ner::NerLang::Nl, ner::NerLang::En] {
        let files = ner::conll_files(&shared.join("ner"), lang);
        if files[2].exists() {
            conll_suite(&files, lang, &mut report)?;
            if lang == ner::NerLang::Nl {
                // a second Dutch gold for the facets (testa: error analysis; testb: held out)
                for f in &files[1..] {
                    conll_tagger_suite(f, &tagger, &mut report)?;
                }
            }
        } else {
            report
                .skipped
                .push(format!("CoNLL ({} not found)", files[2].display()));
        }
    }
    let reuters = shared.join("corpus/en/reuters21578.jsonl");
    if reuters.exists() {
        reuters_suite(&reuters, &tagger, limit, &mut report)?;
    } else {
        report
            .skipped
            .push(format!("Reuters ({} not found)", reuters.display()));
    }
    Ok(report)
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::InvalidOption {
        option: "--data",
        message: format!("{}: {e}", path.display()),
    })
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The seed article: paragraph-level persons, countries and dates against its gold file,
/// with the gold's optional labels neither rewarded nor penalised.
fn seed_suite(
    text_path: &Path,
    gold_path: &Path,
    tagger: &dyn EntityTagger,
    report: &mut Report,
) -> Result<()> {
    let gold = read_json(gold_path)?;
    let bytes = std::fs::read(text_path).map_err(|e| Error::io("cannot read", text_path, e))?;
    let raw = RawRecord {
        origin: Origin {
            file: text_path.display().to_string(),
            line: 1,
        },
        format: Format::Text,
        bytes,
    };
    let mut article = corpus::parse_record(&raw).map_err(|e| Error::InvalidOption {
        option: "--data",
        message: e.to_string(),
    })?;
    let published = gold["published"]
        .as_str()
        .and_then(|p| corpus::parse_datetime(p).ok());
    article.published = published;
    let prepared = document::prepare(&article, tagger, &BuildOptions::default());
    let paragraphs = gold["paragraphs"].as_array().cloned().unwrap_or_default();
    let mut scores = [Score::default(); 3];
    let mut errors: [Vec<(String, &'static str, String)>; 3] = Default::default();
    let mut paragraphs_ok = Score::default();
    for (n, (g, doc)) in paragraphs.iter().zip(&prepared.docs).enumerate() {
        let starts = g["starts"].as_str().unwrap_or("");
        if doc.text.starts_with(starts) {
            paragraphs_ok.tp += 1;
        } else {
            paragraphs_ok.fp += 1;
        }
        let predicted = [&doc.tags.persons, &doc.tags.countries, &doc.tags.dates];
        for (i, key) in ["persons", "countries", "dates"].iter().enumerate() {
            let p: BTreeSet<String> = predicted[i].iter().cloned().collect();
            let (gold, optional) = (strings(&g[key]), strings(&g["optional"][key]));
            scores[i].add_sets(&p, &gold, &optional);
            let unit = format!("paragraph {n}");
            for x in p
                .iter()
                .filter(|x| !gold.contains(*x) && !optional.contains(*x))
            {
                errors[i].push((unit.clone(), "fp", x.clone()));
            }
            for x in gold.difference(&p) {
                errors[i].push((unit.clone(), "fn", x.clone()));
            }
        }
    }
    paragraphs_ok.r#fn += paragraphs.len().saturating_sub(prepared.docs.len()) as u64;
    paragraphs_ok.fp += prepared.docs.len().saturating_sub(paragraphs.len()) as u64;
    let n = paragraphs.len() as u64;
    report.push("seed", "paragraph split", paragraphs_ok, n);
    let [e0, e1, e2] = errors;
    report.push("seed", "paragraph persons", scores[0], n);
    report.record("seed", "paragraph persons", e0);
    report.push("seed", "paragraph countries", scores[1], n);
    report.record("seed", "paragraph countries", e1);
    report.push("seed", "paragraph dates", scores[2], n);
    report.record("seed", "paragraph dates", e2);
    Ok(())
}

/// A JSON Lines record of an evaluation corpus parsed as the indexer parses it; None when it
/// is no article.
fn jsonl_article(path: &Path, line_no: usize, line: String) -> Option<corpus::Article> {
    let raw = RawRecord {
        origin: Origin {
            file: path.display().to_string(),
            line: line_no,
        },
        format: Format::JsonLines,
        bytes: line.into_bytes(),
    };
    corpus::parse_record(&raw).ok()
}

fn lines(path: &Path) -> Result<impl Iterator<Item = (usize, String)>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
    Ok(BufReader::new(f)
        .lines()
        .map_while(|l| l.ok())
        .enumerate()
        .map(|(i, l)| (i + 1, l)))
}

fn person_matches(predicted: &str, gold: &str) -> bool {
    let p = persons::person_key(predicted);
    let g = persons::person_key(&gold.replace('-', " "));
    if g.contains(' ') {
        // A full name must match the full name.
        p == g
    } else {
        // A surname label matches a person with that surname (or alias).
        p.split(' ').next_back() == Some(g.as_str())
            || persons::person_aliases(predicted).contains(&g)
    }
}

/// The words of a MEANTIME PER mention as a name: folded, hyphens as spaces, without an
/// apposition ("Louis Gallois, CEO van Airbus" → `louis gallois`) or quotes.
fn mention_words(text: &str) -> Vec<String> {
    let head = text.split(',').next().unwrap_or("");
    persons::person_key(&head.replace('-', " "))
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A description, not a name: the mention starts with a lowercase word that is no title
/// ("vertegenwoordigers van de United States Air Force").
fn is_nominal_mention(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    first.starts_with(char::is_lowercase) && !persons::is_title(&persons::person_key(first))
}

/// Whether a predicted canonical name refers to a MEANTIME PER mention. MEANTIME mentions
/// include titles and appositions ("Apple CEO Steve Jobs", "Senator McCain", "president
/// Vladimir Poetin"): the predicted full name must occur in the mention as a word sequence,
/// or the mention is a surname (after titles) of the predicted person.
fn mention_matches(predicted: &str, mention: &str) -> bool {
    let m = mention_words(mention);
    let p: Vec<String> = persons::person_key(&predicted.replace('-', " "))
        .split(' ')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect();
    if m.is_empty() || p.is_empty() {
        return false;
    }
    if p.len() >= 2 && m.windows(p.len()).any(|w| w == p.as_slice()) {
        return true;
    }
    // a surname with particles ("Du Bois", "Van Diepenbeek") ends the full name
    if m.len() >= 2 && m.len() < p.len() && persons::is_particle(&m[0]) && p.ends_with(&m) {
        return true;
    }
    let titles = m[..m.len() - 1].iter().all(|w| persons::is_title(w));
    titles && m.last().is_some_and(|last| person_matches(predicted, last))
}

/// One gold mention of a MEANTIME article: its text and byte range in its field.
#[derive(Debug, Clone)]
struct GoldMention {
    text: String,
    /// In the body (false: in the title).
    body: bool,
    start: usize,
    end: usize,
}

impl GoldMention {
    fn from_json(e: &Value) -> Option<GoldMention> {
        Some(GoldMention {
            text: e["text"].as_str()?.to_string(),
            body: e["field"].as_str() == Some("body"),
            start: e["byte_start"].as_u64()? as usize,
            end: e["byte_end"].as_u64()? as usize,
        })
    }

    fn in_body(&self, range: &std::ops::Range<usize>) -> bool {
        self.body && range.start <= self.start && self.end <= range.end
    }
}

/// The gold of one MEANTIME article, as the suites compare it.
struct MeantimeGold {
    id: String,
    title: String,
    /// The annotated body sentences (MEANTIME annotates the title and the first sentences).
    sentences: Vec<String>,
    /// Byte offset in the body where the annotated part ends.
    annotated_end: usize,
    /// Gold persons: entity key and mentions (NE layer, descriptions left out).
    persons: Vec<(String, Vec<GoldMention>)>,
    /// Gold countries: ISO code of every LOC mention the gazetteer resolves.
    countries: Vec<(String, GoldMention)>,
    /// PER mentions of the cross-document layer (neither rewarded nor penalised).
    crossdoc_persons: Vec<String>,
    published: Option<time::Date>,
}

/// Reads the gold of one MEANTIME line; None when the line is no JSON object or its NE layer
/// is empty (not annotated).
fn meantime_gold(d: &Value) -> Option<MeantimeGold> {
    let gaz = Gazetteer::get();
    let entities = d["entities"].as_array().filter(|a| !a.is_empty())?;
    let body = d["body"].as_str().unwrap_or("");
    let annotated = d["ne_annotated_body_sentences"].as_u64().unwrap_or(0) as usize;
    let sentences: Vec<String> = d["sentences"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .take(annotated)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    // where the annotated sentences end in the body (they are consecutive substrings of it)
    let mut annotated_end = 0;
    for s in &sentences {
        match body
            .get(annotated_end..)
            .and_then(|rest| rest.find(s.as_str()))
        {
            Some(i) => annotated_end += i + s.len(),
            None => break,
        }
    }
    let mut persons: Vec<(String, Vec<GoldMention>)> = Vec::new();
    let mut countries = Vec::new();
    for e in entities {
        let Some(m) = GoldMention::from_json(e) else {
            continue;
        };
        match e["type"].as_str() {
            Some("PER") if !is_nominal_mention(&m.text) => {
                let key = match e["dbpedia"].as_str() {
                    Some(u) if !u.trim().is_empty() => u.trim().to_string(),
                    _ => mention_words(&m.text).join(" "),
                };
                match persons.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, ms)) => ms.push(m),
                    None => persons.push((key, vec![m])),
                }
            }
            Some("LOC") => {
                // "San Francisco, Californië": the whole mention, else its parts.
                let code = gaz.any_alias(&m.text).or_else(|| {
                    m.text
                        .split(',')
                        .find_map(|part| gaz.any_alias(part.trim()))
                });
                if let Some(code) = code {
                    countries.push((code.to_string(), m));
                }
            }
            _ => {}
        }
    }
    // a one-word entity without a link ("Vladescu") joins the full name ending with it
    let mut i = 0;
    while i < persons.len() {
        let single = persons[i]
            .1
            .iter()
            .all(|m| mention_words(&m.text).len() == 1);
        let last = mention_words(&persons[i].1[0].text)
            .pop()
            .unwrap_or_default();
        let target = (0..persons.len()).find(|&j| {
            j != i
                && persons[j].1.iter().any(|m| {
                    let w = mention_words(&m.text);
                    w.len() >= 2 && w.last() == Some(&last)
                })
        });
        match target {
            Some(j) if single => {
                let (_, ms) = persons.remove(i);
                let j = if j > i { j - 1 } else { j };
                persons[j].1.extend(ms);
            }
            _ => i += 1,
        }
    }
    let crossdoc_persons = d["crossdoc_mentions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["kind"] == "entity" && m["cls"] == "PER")
        .filter_map(|m| m["text"].as_str().map(String::from))
        .collect();
    Some(MeantimeGold {
        id: d["id"].as_str().unwrap_or("?").to_string(),
        title: d["title"].as_str().unwrap_or("").to_string(),
        sentences,
        annotated_end,
        persons,
        countries,
        crossdoc_persons,
        published: d["published"]
            .as_str()
            .and_then(|p| corpus::parse_datetime(p).ok())
            .map(|p| p.date()),
    })
}

/// Persons of one unit (article or paragraph): a predicted canonical name matches a gold
/// person by any of that person's mentions; a second predicted name for the same person counts
/// as wrong; a name that matches no gold person but a cross-document PER mention is neither
/// rewarded nor penalised. `gold` are the persons present in the unit.
fn score_persons(
    predicted: &BTreeSet<String>,
    gold: &[&(String, Vec<GoldMention>)],
    crossdoc: &[String],
    unit: &str,
    errors: &mut Vec<(String, &'static str, String)>,
) -> Score {
    let mut s = Score::default();
    let mut matched: HashSet<usize> = HashSet::new();
    for p in predicted {
        let hit = gold
            .iter()
            .position(|(_, ms)| ms.iter().any(|m| mention_matches(p, &m.text)));
        match hit {
            Some(i) if matched.insert(i) => s.tp += 1,
            Some(_) => {
                s.fp += 1;
                errors.push((
                    unit.into(),
                    "fp",
                    format!("{p} (second name for one person)"),
                ));
            }
            None if crossdoc.iter().any(|m| mention_matches(p, m)) => {}
            None => {
                s.fp += 1;
                errors.push((unit.into(), "fp", p.clone()));
            }
        }
    }
    for (i, (_, ms)) in gold.iter().enumerate() {
        if !matched.contains(&i) {
            s.r#fn += 1;
            let names: Vec<&str> = ms.iter().map(|m| m.text.as_str()).collect();
            errors.push((unit.into(), "fn", names.join(" / ")));
        }
    }
    s
}

/// Countries of one unit as sets, recording the differences.
fn score_sets(
    predicted: &BTreeSet<String>,
    gold: &BTreeSet<String>,
    unit: &str,
    errors: &mut Vec<(String, &'static str, String)>,
) -> Score {
    let mut s = Score::default();
    s.add_sets(predicted, gold, &BTreeSet::new());
    for p in predicted.difference(gold) {
        errors.push((unit.into(), "fp", p.clone()));
    }
    for g in gold.difference(predicted) {
        errors.push((unit.into(), "fn", g.clone()));
    }
    s
}

/// Whitespace runs as one space, trimmed (as the paragraph splitter writes paragraphs).
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Paragraph-level MEANTIME scores: persons and countries, with their errors.
#[derive(Default)]
struct ParagraphScores {
    per: Score,
    loc: Score,
    per_err: Vec<(String, &'static str, String)>,
    loc_err: Vec<(String, &'static str, String)>,
    units: u64,
}

impl ParagraphScores {
    /// One paragraph's tags against the gold mentions inside `range` (body bytes).
    fn add(
        &mut self,
        g: &MeantimeGold,
        range: &std::ops::Range<usize>,
        persons: &[String],
        countries: &[String],
        unit: &str,
    ) {
        self.units += 1;
        let here: Vec<&(String, Vec<GoldMention>)> = g
            .persons
            .iter()
            .filter(|(_, ms)| ms.iter().any(|m| m.in_body(range)))
            .collect();
        let predicted: BTreeSet<String> = persons.iter().cloned().collect();
        self.per += score_persons(
            &predicted,
            &here,
            &g.crossdoc_persons,
            unit,
            &mut self.per_err,
        );
        let gold: BTreeSet<String> = g
            .countries
            .iter()
            .filter(|(_, m)| m.in_body(range))
            .map(|(c, _)| c.clone())
            .collect();
        let predicted: BTreeSet<String> = countries.iter().cloned().collect();
        self.loc += score_sets(&predicted, &gold, unit, &mut self.loc_err);
    }

    fn report(self, suite: &str, level: &str, units: u64, report: &mut Report) {
        let (p, c) = (
            format!("{level} persons (PER)"),
            format!("{level} countries (LOC→ISO)"),
        );
        report.push(suite, &p, self.per, units);
        report.record(suite, &p, self.per_err);
        report.push(suite, &c, self.loc, units);
        report.record(suite, &c, self.loc_err);
    }
}

/// Byte ranges of `paragraphs` (whitespace-normalised, in order) in `body`: each is searched
/// from the end of the previous one, with any whitespace run in the body matching one space.
/// Stops at the first paragraph that cannot be found (a dropped boilerplate line is skipped by
/// the search itself).
fn paragraph_ranges(body: &str, paragraphs: &[String]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut cursor = 0;
    for p in paragraphs {
        let Some(first) = p.chars().next() else {
            break;
        };
        let mut found = None;
        let mut from = cursor;
        while let Some(off) = body.get(from..).and_then(|r| r.find(first)) {
            let start = from + off;
            if let Some(end) = match_normalised(body, start, p) {
                found = Some(start..end);
                break;
            }
            from = start + first.len_utf8();
        }
        match found {
            Some(r) => {
                cursor = r.end;
                out.push(r);
            }
            None => break,
        }
    }
    out
}

/// Where `p` ends if it occurs in `body` at `start`, a space in `p` matching a whitespace run.
fn match_normalised(body: &str, start: usize, p: &str) -> Option<usize> {
    let mut b = body.get(start..)?.char_indices().peekable();
    for c in p.chars() {
        if c == ' ' {
            if !b.next().is_some_and(|(_, x)| x.is_whitespace()) {
                return None;
            }
            while b.peek().is_some_and(|(_, x)| x.is_whitespace()) {
                b.next();
            }
        } else if b.next().map(|(_, x)| x) != Some(c) {
            return None;
        }
    }
    Some(b.peek().map_or(body.len(), |&(i, _)| start + i))
}

/// MEANTIME Dutch, two measures.
///
/// *Article level*: the annotated part of each article (title and first sentences, each
/// passed to the tagger as a paragraph) against the article's gold, as sets. Persons: the NE
/// layer's PER entities, one per entity (mentions grouped by DBpedia link, a surname mention
/// joining the full name that ends with it), descriptions ("de wetgever") left out; a predicted
/// person that matches no NE-layer entity but a PER mention of MEANTIME's cross-document layer
/// (which annotates some named persons the NE layer lacks, e.g. "de heer Lee Hsien Loong") is
/// neither rewarded nor penalised. Countries: gold LOC mentions that the gazetteer resolves to a
/// country.
///
/// *Paragraph level*: the whole article as newsidx indexes it ([`document::prepare`]: the body
/// split into paragraphs — MEANTIME bodies have no breaks, so long ones become sentence windows
/// — tagged with the title as context); every paragraph that lies entirely inside the annotated
/// part of the body is compared with the gold mentions inside it. Paragraphs that run past the
/// annotated part are not counted (their unannotated rest would make every correct tag there a
/// false positive); the title is no paragraph in newsidx and is not counted either.
///
/// *Cut paragraph level*: the same, but a paragraph that runs past the annotated part is cut in
/// two at its end (sentence boundary); both halves are tagged with the rest of the article and
/// the annotated half is scored, so every article counts.
///
/// Articles whose NE layer is empty (not annotated) are skipped.
fn meantime_suite(
    suite: &str,
    path: &Path,
    tagger: &dyn EntityTagger,
    limit: usize,
    paragraph_level: bool,
    report: &mut Report,
) -> Result<()> {
    let (mut per, mut loc) = (Score::default(), Score::default());
    let (mut whole, mut cut) = (ParagraphScores::default(), ParagraphScores::default());
    let mut per_err = Vec::new();
    let mut loc_err = Vec::new();
    let (mut units, mut par_cut, mut cut_units) = (0u64, 0u64, 0u64);
    let build = BuildOptions::default();
    for (line_no, line) in lines(path)? {
        if limit > 0 && units >= limit as u64 {
            break;
        }
        let Ok(d) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let Some(g) = meantime_gold(&d) else {
            continue;
        };
        units += 1;
        // article level
        let mut paragraphs: Vec<&str> = vec![g.title.as_str()];
        paragraphs.extend(g.sentences.iter().map(String::as_str));
        let tags = entity::tag_article(tagger, "", &paragraphs, Lang::Nl, g.published);
        let predicted_persons: BTreeSet<String> = tags
            .iter()
            .flat_map(|t| t.persons.iter().cloned())
            .collect();
        let predicted_countries: BTreeSet<String> = tags
            .iter()
            .flat_map(|t| t.countries.iter().cloned())
            .collect();
        let gold_persons: Vec<&(String, Vec<GoldMention>)> = g.persons.iter().collect();
        per += score_persons(
            &predicted_persons,
            &gold_persons,
            &g.crossdoc_persons,
            &g.id,
            &mut per_err,
        );
        let gold_countries: BTreeSet<String> = g.countries.iter().map(|(c, _)| c.clone()).collect();
        loc += score_sets(&predicted_countries, &gold_countries, &g.id, &mut loc_err);
        if !paragraph_level {
            continue;
        }
        // paragraph level: the article as newsidx indexes it
        let Some(article) = jsonl_article(path, line_no, line.clone()) else {
            continue;
        };
        let prepared = document::prepare(&article, tagger, &build);
        // the body as newsidx reads it: a separate dateline ("24-Nov-04") is put before it
        let body = d["body"].as_str().unwrap_or("");
        let rest = body.trim_start();
        let seen = match d["dateline"].as_str().map(str::trim) {
            Some(dl) if !dl.is_empty() => format!("{dl} {rest}"),
            _ => rest.to_string(),
        };
        let (lead, prefix) = (body.len() - rest.len(), seen.len() - rest.len());
        let texts: Vec<String> = prepared.docs.iter().map(|p| p.text.clone()).collect();
        let seen_ranges = paragraph_ranges(&seen, &texts);
        let ranges: Vec<std::ops::Range<usize>> = seen_ranges
            .iter()
            .map(|r| r.start.saturating_sub(prefix) + lead..r.end.saturating_sub(prefix) + lead)
            .collect();
        for (doc, range) in prepared.docs.iter().zip(&ranges) {
            if range.end > g.annotated_end {
                if range.start < g.annotated_end {
                    par_cut += 1;
                }
                continue;
            }
            let unit = format!("{}#{}", g.id, doc.ordinal);
            whole.add(&g, range, &doc.tags.persons, &doc.tags.countries, &unit);
        }
        // the same paragraphs, but the one that runs past the annotated part is cut in two at
        // its end (both halves tagged, for context; the annotated half scored)
        let seen_cut = (g.annotated_end.saturating_sub(lead) + prefix).min(seen.len());
        let mut texts2: Vec<String> = Vec::new();
        let mut scored: Vec<(usize, std::ops::Range<usize>, String)> = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            match (ranges.get(i), seen_ranges.get(i)) {
                (Some(r), Some(sr)) if r.start < g.annotated_end => {
                    let unit = format!("{}#{}", g.id, i);
                    if r.end <= g.annotated_end {
                        scored.push((texts2.len(), r.clone(), unit));
                        texts2.push(text.clone());
                    } else if let (Some(head), Some(tail)) =
                        (seen.get(sr.start..seen_cut), seen.get(seen_cut..sr.end))
                    {
                        scored.push((texts2.len(), r.start..g.annotated_end, unit + " (cut)"));
                        texts2.push(normalise(head));
                        texts2.push(normalise(tail));
                    }
                }
                _ => texts2.push(text.clone()),
            }
        }
        let refs: Vec<&str> = texts2.iter().map(String::as_str).collect();
        let lang = prepared.docs.first().map_or(Lang::Nl, |p| p.lang);
        let published = article.published.map(|p| p.date());
        let tags = entity::tag_article(tagger, &article.title, &refs, lang, published);
        for (i, range, unit) in &scored {
            if let Some(t) = tags.get(*i) {
                cut.add(&g, range, &t.persons, &t.countries, unit);
                cut_units += 1;
            }
        }
    }
    report.push(suite, "article persons (PER)", per, units);
    report.record(suite, "article persons (PER)", per_err);
    report.push(suite, "article countries (LOC→ISO)", loc, units);
    report.record(suite, "article countries (LOC→ISO)", loc_err);
    if paragraph_level {
        let n = whole.units;
        whole.report(suite, "paragraph", n, report);
        cut.report(suite, "cut paragraph", cut_units, report);
        report.notes.push(format!(
            "{suite}: paragraph level counts the {n} body paragraphs inside the annotated part; \
             {par_cut} paragraphs that run past it are not counted; cut paragraph level counts \
             those too, cut at the end of the annotated part"
        ));
    }
    Ok(())
}

/// CoNLL-2002/2003: exact PER and LOC spans of the statistical tagger ([`ner`]) on the
/// development file (testa, used for tuning) and the held-out test file (testb).
fn conll_suite(
    files: &[std::path::PathBuf; 3],
    lang: ner::NerLang,
    report: &mut Report,
) -> Result<()> {
    let model = ner::NerModel::embedded(lang);
    for file in &files[1..] {
        let r = ner::evaluate(model, file).map_err(|message| Error::InvalidOption {
            option: "--data",
            message,
        })?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for kind in [ner::EntityKind::Per, ner::EntityKind::Loc] {
            let i = kind as usize;
            let score = Score {
                tp: r.tp[i] as u64,
                fp: r.fp[i] as u64,
                r#fn: r.fn_[i] as u64,
            };
            report.push(
                &format!("conll {name}"),
                &format!("{} spans", kind.as_str()),
                score,
                r.sentences as u64,
            );
        }
    }
    Ok(())
}

/// CoNLL words joined back into text: no space before closing punctuation or after an opening
/// bracket or quote pair's first half ("zei : ' Der Kaiser '" stays readable for the tagger).
fn detokenize(words: &[String]) -> String {
    let mut out = String::new();
    let mut quote_open = false;
    let mut glue_next = false;
    for w in words {
        let closing = matches!(w.as_str(), "," | "." | ":" | ";" | "!" | "?" | ")" | "...")
            || (matches!(w.as_str(), "'" | "\"") && quote_open);
        if !out.is_empty() && !closing && !glue_next {
            out.push(' ');
        }
        out.push_str(w);
        glue_next = w == "(";
        if matches!(w.as_str(), "'" | "\"") {
            glue_next = !quote_open;
            quote_open = !quote_open;
        }
    }
    out
}

/// The countries a CoNLL LOC or MISC span names: the whole span, else each hyphen part
/// ("Brits-Amerikaanse" → GB, US; "Brussel-Zuid" → BE), a genitive "'s" dropped ("Venezuela's").
fn span_countries(gaz: &Gazetteer, text: &str) -> Vec<String> {
    let text = text
        .strip_suffix("'s")
        .or_else(|| text.strip_suffix("’s"))
        .unwrap_or(text);
    if let Some(c) = gaz.any_alias(text) {
        return vec![c.to_string()];
    }
    if !text.contains('-') || text.contains(' ') {
        return Vec::new();
    }
    text.split('-')
        .filter_map(|p| gaz.any_alias(p))
        .map(String::from)
        .collect()
}

/// CoNLL-2002 Dutch (De Morgen, 2000) as a second Dutch gold for the tagger's facets: each
/// document's sentences are tagged as the paragraphs of one article, and each sentence is
/// compared with its gold spans. Persons: PER spans (a surname alone matches the full name the
/// tagger resolved it to; unresolved surnames are misses). Countries: LOC spans — and MISC
/// spans, where CoNLL puts nationality adjectives ("Belgische") — that the gazetteer resolves
/// to a country. Sentences stand in for paragraphs (the data has none).
fn conll_tagger_suite(path: &Path, tagger: &dyn EntityTagger, report: &mut Report) -> Result<()> {
    let gaz = Gazetteer::get();
    let docs = ner::gold_documents(path).map_err(|message| Error::InvalidOption {
        option: "--data",
        message,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suite = format!("conll {name} tagger");
    let (mut per, mut loc) = (Score::default(), Score::default());
    let (mut per_err, mut loc_err) = (Vec::new(), Vec::new());
    let mut units = 0u64;
    for (di, doc) in docs.iter().enumerate() {
        let texts: Vec<String> = doc.iter().map(|(w, _)| detokenize(w)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let tags = entity::tag_article(tagger, "", &refs, Lang::Nl, None);
        for (si, ((words, spans), t)) in doc.iter().zip(&tags).enumerate() {
            units += 1;
            let unit = format!("doc {di} sentence {si}");
            let text = |sp: &ner::Span| words[sp.start..sp.end].join(" ");
            let mut gold_persons: Vec<(String, Vec<GoldMention>)> = Vec::new();
            let mut gold_countries = BTreeSet::new();
            for sp in spans {
                match sp.kind {
                    ner::EntityKind::Per => {
                        let m = text(sp);
                        if !gold_persons.iter().any(|(k, _)| *k == m) {
                            let mention = GoldMention {
                                text: m.clone(),
                                body: true,
                                start: 0,
                                end: 0,
                            };
                            gold_persons.push((m, vec![mention]));
                        }
                    }
                    ner::EntityKind::Loc | ner::EntityKind::Misc => {
                        gold_countries.extend(span_countries(gaz, &text(sp)));
                    }
                    ner::EntityKind::Org => {}
                }
            }
            let predicted: BTreeSet<String> = t.persons.iter().cloned().collect();
            let gold: Vec<&(String, Vec<GoldMention>)> = gold_persons.iter().collect();
            per += score_persons(&predicted, &gold, &[], &unit, &mut per_err);
            let predicted: BTreeSet<String> = t.countries.iter().cloned().collect();
            loc += score_sets(&predicted, &gold_countries, &unit, &mut loc_err);
        }
    }
    report.push(&suite, "sentence persons (PER)", per, units);
    report.push(&suite, "sentence countries (LOC→ISO)", loc, units);
    // errors only of the development file: the test file stays held out
    if name.ends_with("testa") {
        report.record(&suite, "sentence persons (PER)", per_err);
        report.record(&suite, "sentence countries (LOC→ISO)", loc_err);
    }
    Ok(())
}

/// Reuters-21578 `places` labels → ISO 3166-1 codes. Labels that name no current country are
/// mapped to their successor (ussr → RU, west-germany/east-germany → DE, czechoslovakia → CZ,
/// yugoslavia → RS, burma → MM, kampuchea → KH, zaire → CD, yemen-* → YE).
pub fn reuters_place(label: &str) -> Option<&'static str> {
    let special = [
        ("usa", "US"),
        ("uk", "GB"),
        ("ussr", "RU"),
        ("west-germany", "DE"),
        ("east-germany", "DE"),
        ("czechoslovakia", "CZ"),
        ("yugoslavia", "RS"),
        ("burma", "MM"),
        ("kampuchea", "KH"),
        ("zaire", "CD"),
        ("yemen-arab-republic", "YE"),
        ("yemen-demo-republic", "YE"),
        ("uae", "AE"),
        ("ivory-coast", "CI"),
        ("congo", "CG"),
        ("trinidad-tobago", "TT"),
        ("us-virgin-islands", "VI"),
        ("swaziland", "SZ"),
        ("antigua", "AG"),
        ("guinea", "GN"),
        ("niger", "NE"),
        ("jordan", "JO"),
        ("chad", "TD"),
        ("georgia", "GE"),
    ];
    if let Some((_, c)) = special.iter().find(|(l, _)| *l == label) {
        return Some(c);
    }
    Gazetteer::get().resolve_query(&label.replace('-', " "))
}

/// Reuters-21578: article-level `places` (countries) and `persons` labels against the
/// countries and persons tagged anywhere in the article. Only articles with labels count.
fn reuters_suite(
    path: &Path,
    tagger: &dyn EntityTagger,
    limit: usize,
    report: &mut Report,
) -> Result<()> {
    /// One article with labels: gold and what was tagged.
    struct Labelled {
        gold_places: BTreeSet<String>,
        gold_persons: Vec<String>,
        places: BTreeSet<String>,
        persons: BTreeSet<String>,
        /// Bare surnames left for the corpus-wide pass.
        candidates: BTreeSet<String>,
    }
    let build = BuildOptions::default();
    let mut labelled: Vec<Labelled> = Vec::new();
    // Articles per full name over every article read, labelled or not: the index's
    // corpus-wide pass (`indexer`) counts the same way.
    let mut articles_per_name: HashMap<String, u64> = HashMap::new();
    let (mut place_units, mut person_units) = (0u64, 0u64);
    for (line_no, line) in lines(path)? {
        if limit > 0 && place_units >= limit as u64 {
            break;
        }
        let Ok(d) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let gold_places: BTreeSet<String> = d["places"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().and_then(reuters_place).map(String::from))
            .collect();
        let gold_persons: Vec<String> = d["persons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(String::from))
            .collect();
        let Some(article) = jsonl_article(path, line_no, line) else {
            continue;
        };
        let prepared = document::prepare(&article, tagger, &build);
        let tags = prepared.docs.iter().map(|p| &p.tags);
        let persons: BTreeSet<String> = tags.clone().flat_map(|t| t.persons.clone()).collect();
        for name in &persons {
            *articles_per_name.entry(name.clone()).or_default() += 1;
        }
        if gold_places.is_empty() && gold_persons.is_empty() {
            continue;
        }
        place_units += u64::from(!gold_places.is_empty());
        person_units += u64::from(!gold_persons.is_empty());
        labelled.push(Labelled {
            places: tags.clone().flat_map(|t| t.countries.clone()).collect(),
            candidates: tags.flat_map(|t| t.candidates.clone()).collect(),
            persons,
            gold_places,
            gold_persons,
        });
    }
    let map = PersonMap::from_counts(&articles_per_name);
    let (mut places, mut people, mut people_corpus) =
        (Score::default(), Score::default(), Score::default());
    for a in &labelled {
        if !a.gold_places.is_empty() {
            places.add_sets(&a.places, &a.gold_places, &BTreeSet::new());
        }
        if !a.gold_persons.is_empty() {
            score_person_labels(&mut people, &a.persons, &a.gold_persons);
            let mut with_corpus = a.persons.clone();
            with_corpus.extend(
                a.candidates
                    .iter()
                    .filter_map(|c| map.resolve(c))
                    .map(String::from),
            );
            score_person_labels(&mut people_corpus, &with_corpus, &a.gold_persons);
        }
    }
    report.push(
        "reuters21578",
        "article places (countries)",
        places,
        place_units,
    );
    report.push("reuters21578", "article persons", people, person_units);
    report.push(
        "reuters21578",
        "article persons, corpus-wide pass",
        people_corpus,
        person_units,
    );
    Ok(())
}

/// Adds an article's predicted persons against its gold person labels (surname labels match
/// any person with that surname, see [`person_matches`]).
fn score_person_labels(score: &mut Score, predicted: &BTreeSet<String>, gold: &[String]) {
    let found = gold
        .iter()
        .filter(|g| predicted.iter().any(|p| person_matches(p, g)))
        .count() as u64;
    score.tp += found;
    score.r#fn += gold.len() as u64 - found;
    score.fp += predicted
        .iter()
        .filter(|p| !gold.iter().any(|g| person_matches(p, g)))
        .count() as u64;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        let s = Score {
            tp: 8,
            fp: 2,
            r#fn: 2,
        };
        assert!((s.precision() - 0.8).abs() < 1e-9);
        assert!((s.recall() - 0.8).abs() < 1e-9);
        assert!((s.f1() - 0.8).abs() < 1e-9);
    }

    #[test]
    fn reuters_labels_map_to_iso() {
        assert_eq!(reuters_place("usa"), Some("US"));
        assert_eq!(reuters_place("west-germany"), Some("DE"));
        assert_eq!(reuters_place("new-zealand"), Some("NZ"));
        assert_eq!(reuters_place("south-korea"), Some("KR"));
        assert_eq!(reuters_place("hong-kong"), Some("HK"));
    }

    #[test]
    fn person_labels() {
        assert!(person_matches("Ronald Reagan", "reagan"));
        assert!(person_matches("James Baker", "james-baker"));
        assert!(!person_matches("Howard Baker", "james-baker"));
        assert!(person_matches("Howard Baker", "baker"));
    }

    #[test]
    fn meantime_mentions() {
        // MEANTIME PER mentions carry titles and appositions
        assert!(mention_matches("Steve Jobs", "Apple CEO Steve Jobs"));
        assert!(mention_matches("John McCain", "Senator McCain"));
        assert!(mention_matches(
            "Louis Gallois",
            "Louis Gallois, CEO van Airbus"
        ));
        assert!(mention_matches(
            "William Clay Ford Jr",
            "William Clay Ford Jr."
        ));
        assert!(mention_matches("Steve Jobs", "\"Jobs"));
        assert!(!mention_matches("Steve Jobs", "Tim Cook"));
        assert!(!mention_matches("Hunter Biden", "Joe Biden"));
        // a surname with particles (CoNLL-2002: "Du Bois" for "Patrick Du Bois")
        assert!(mention_matches("Patrick Du Bois", "Du Bois"));
        assert!(mention_matches("Marc Van Diepenbeek", "Van Diepenbeek"));
        assert!(!mention_matches("Marc Van Diepenbeek", "Van Dam"));
        assert!(is_nominal_mention(
            "vertegenwoordigers van de United States Air Force"
        ));
        assert!(!is_nominal_mention("president Vladimir Poetin"));
    }

    #[test]
    fn paragraphs_map_back_to_body_offsets() {
        let body = "Eerste  zin.\nTweede zin. Derde zin.";
        let ps = vec![
            "Eerste zin.".to_string(),
            "Tweede zin. Derde zin.".to_string(),
        ];
        let r = paragraph_ranges(body, &ps);
        assert_eq!(r, vec![0..12, 13..body.len()]);
        assert_eq!(&body[r[1].clone()], "Tweede zin. Derde zin.");
        // a paragraph that is not in the body stops the mapping
        let r = paragraph_ranges(body, &["Iets anders.".to_string()]);
        assert!(r.is_empty());
    }

    #[test]
    fn meantime_gold_marks_the_annotated_part() {
        let body = "Mark Rutte sprak in Berlijn. Daarna niets.";
        let d = serde_json::json!({
            "id": "x", "title": "T", "body": body,
            "sentences": ["Mark Rutte sprak in Berlijn.", "Daarna niets."],
            "ne_annotated_body_sentences": 1,
            "entities": [
                {"field": "body", "text": "Mark Rutte", "byte_start": 0, "byte_end": 10, "type": "PER"},
                {"field": "body", "text": "Berlijn", "byte_start": 20, "byte_end": 27, "type": "LOC"},
            ],
        });
        let g = meantime_gold(&d).unwrap();
        assert_eq!(g.annotated_end, 28);
        assert_eq!(g.persons.len(), 1);
        assert_eq!(g.countries[0].0, "DE");
        assert!(g.countries[0].1.in_body(&(0..28)));
        assert!(!g.countries[0].1.in_body(&(0..20)));
        // an empty NE layer is not annotated: skipped
        assert!(meantime_gold(&serde_json::json!({"entities": []})).is_none());
    }

    #[test]
    fn conll_spans_name_countries() {
        let g = Gazetteer::get();
        assert_eq!(span_countries(g, "Brits-Amerikaanse"), ["GB", "US"]);
        assert_eq!(span_countries(g, "Venezuela's"), ["VE"]);
        assert_eq!(span_countries(g, "Duitsland"), ["DE"]);
        assert!(span_countries(g, "Zinneke Parade").is_empty());
    }

    #[test]
    fn missing_data_is_skipped_not_an_error() {
        let r = run(Path::new("/nonexistent-shared"), 0).unwrap();
        assert!(r.rows.is_empty());
        assert_eq!(r.skipped.len(), 5);
    }
}
