//! evaluation: measures the entity tagger on data the team did not write — the seed gold,
//! MEANTIME Dutch, Reuters-21578 — and (through [`crate::entity`]'s statistical model, when
//! present) CoNLL. Takes the data directory as an argument; nothing here is needed to build or
//! search an index.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use crate::corpus::{self, Format, Origin, RawRecord};
use crate::document::{self, BuildOptions};
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

/// The evaluation report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Rows.
    pub rows: Vec<Row>,
    /// Suites skipped because their data was not found.
    pub skipped: Vec<String>,
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
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<22} {:<28} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>7}",
            "suite", "measure", "P", "R", "F1", "tp", "fp", "fn", "units"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<22} {:<28} {:>7.3} {:>7.3} {:>7.3} {:>6} {:>6} {:>6} {:>7}",
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
        meantime_suite("meantime-nl", &meantime, &tagger, limit, &mut report)?;
        // what the statistical NER adds to the rules
        let rules = RuleTagger::rules_only();
        meantime_suite("meantime-nl rules", &meantime, &rules, limit, &mut report)?;
    } else {
        report
            .skipped
            .push(format!("MEANTIME ({} not found)", meantime.display()));
    }
    for lang in [ner::NerLang::Nl, ner::NerLang::En] {
        let files = ner::conll_files(&shared.join("ner"), lang);
        if files[2].exists() {
            conll_suite(&files, lang, &mut report)?;
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
    let mut paragraphs_ok = Score::default();
    for (g, doc) in paragraphs.iter().zip(&prepared.docs) {
        let starts = g["starts"].as_str().unwrap_or("");
        if doc.text.starts_with(starts) {
            paragraphs_ok.tp += 1;
        } else {
            paragraphs_ok.fp += 1;
        }
        let predicted = [&doc.tags.persons, &doc.tags.countries, &doc.tags.dates];
        for (i, key) in ["persons", "countries", "dates"].iter().enumerate() {
            let p: BTreeSet<String> = predicted[i].iter().cloned().collect();
            scores[i].add_sets(&p, &strings(&g[key]), &strings(&g["optional"][key]));
        }
    }
    paragraphs_ok.r#fn += paragraphs.len().saturating_sub(prepared.docs.len()) as u64;
    paragraphs_ok.fp += prepared.docs.len().saturating_sub(paragraphs.len()) as u64;
    let n = paragraphs.len() as u64;
    report.push("seed", "paragraph split", paragraphs_ok, n);
    report.push("seed", "paragraph persons", scores[0], n);
    report.push("seed", "paragraph countries", scores[1], n);
    report.push("seed", "paragraph dates", scores[2], n);
    Ok(())
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
    let titles = m[..m.len() - 1].iter().all(|w| persons::is_title(w));
    titles && m.last().is_some_and(|last| person_matches(predicted, last))
}

/// MEANTIME Dutch: the annotated part of each article (title and first sentences), persons
/// and countries compared as sets per article. Persons: the NE layer's PER entities, one per
/// entity (mentions grouped by DBpedia link, a surname mention joining the full name that ends
/// with it), descriptions ("de wetgever") left out; a predicted person that matches no NE-layer
/// entity but a PER mention of MEANTIME's cross-document layer (which annotates some named
/// persons the NE layer lacks, e.g. "de heer Lee Hsien Loong") is neither rewarded nor
/// penalised. Countries: gold LOC mentions that the gazetteer resolves to a country. Articles
/// whose NE layer is empty (not annotated) are skipped.
fn meantime_suite(
    suite: &str,
    path: &Path,
    tagger: &dyn EntityTagger,
    limit: usize,
    report: &mut Report,
) -> Result<()> {
    let gaz = Gazetteer::get();
    let (mut per, mut loc) = (Score::default(), Score::default());
    let mut units = 0;
    for (_, line) in lines(path)? {
        if limit > 0 && units >= limit as u64 {
            break;
        }
        let Ok(d) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if d["entities"].as_array().is_none_or(|a| a.is_empty()) {
            continue; // NE layer not annotated
        }
        let annotated = d["ne_annotated_body_sentences"].as_u64().unwrap_or(0) as usize;
        let sentences: Vec<&str> = d["sentences"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).take(annotated).collect())
            .unwrap_or_default();
        let title = d["title"].as_str().unwrap_or("");
        let mut paragraphs: Vec<&str> = vec![title];
        paragraphs.extend(sentences);
        let published = d["published"]
            .as_str()
            .and_then(|p| corpus::parse_datetime(p).ok())
            .map(|p| p.date());
        let tags = entity::tag_article(tagger, "", &paragraphs, Lang::Nl, published);
        let predicted_persons: BTreeSet<String> = tags
            .iter()
            .flat_map(|t| t.persons.iter().cloned())
            .collect();
        let predicted_countries: BTreeSet<String> = tags
            .iter()
            .flat_map(|t| t.countries.iter().cloned())
            .collect();
        // gold persons: (entity key, mentions)
        let mut gold_persons: Vec<(String, Vec<String>)> = Vec::new();
        let mut gold_countries: BTreeSet<String> = BTreeSet::new();
        for e in d["entities"].as_array().into_iter().flatten() {
            let text = e["text"].as_str().unwrap_or("");
            match e["type"].as_str() {
                Some("PER") if !is_nominal_mention(text) => {
                    let key = match e["dbpedia"].as_str() {
                        Some(u) if !u.trim().is_empty() => u.trim().to_string(),
                        _ => mention_words(text).join(" "),
                    };
                    match gold_persons.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, ms)) => ms.push(text.to_string()),
                        None => gold_persons.push((key, vec![text.to_string()])),
                    }
                }
                Some("LOC") => {
                    // "San Francisco, Californië": the whole mention, else its parts.
                    let code = gaz
                        .any_alias(text)
                        .or_else(|| text.split(',').find_map(|part| gaz.any_alias(part.trim())));
                    if let Some(code) = code {
                        gold_countries.insert(code.to_string());
                    }
                }
                _ => {}
            }
        }
        // a one-word entity without a link ("Vladescu") joins the full name ending with it
        let mut i = 0;
        while i < gold_persons.len() {
            let single = gold_persons[i]
                .1
                .iter()
                .all(|m| mention_words(m).len() == 1);
            let last = mention_words(&gold_persons[i].1[0])
                .pop()
                .unwrap_or_default();
            let target = (0..gold_persons.len()).find(|&j| {
                j != i
                    && gold_persons[j].1.iter().any(|m| {
                        let w = mention_words(m);
                        w.len() >= 2 && w.last() == Some(&last)
                    })
            });
            match target {
                Some(j) if single => {
                    let (_, ms) = gold_persons.remove(i);
                    let j = if j > i { j - 1 } else { j };
                    gold_persons[j].1.extend(ms);
                }
                _ => i += 1,
            }
        }
        let crossdoc_persons: Vec<&str> = d["crossdoc_mentions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["kind"] == "entity" && m["cls"] == "PER")
            .filter_map(|m| m["text"].as_str())
            .collect();
        // Persons: a predicted canonical name matches a gold person by any of its mentions;
        // a second predicted name for the same person counts as wrong.
        let mut matched_gold: HashSet<usize> = HashSet::new();
        for p in &predicted_persons {
            let hit = |(_, (_, ms)): &(usize, &(String, Vec<String>))| {
                ms.iter().any(|m| mention_matches(p, m))
            };
            match gold_persons.iter().enumerate().find(hit) {
                Some((i, _)) if matched_gold.insert(i) => per.tp += 1,
                Some(_) => per.fp += 1,
                None if crossdoc_persons.iter().any(|m| mention_matches(p, m)) => {}
                None => per.fp += 1,
            }
        }
        per.r#fn += (gold_persons.len() - matched_gold.len()) as u64;
        loc.add_sets(&predicted_countries, &gold_countries, &BTreeSet::new());
        units += 1;
    }
    report.push(suite, "article persons (PER)", per, units);
    report.push(suite, "article countries (LOC→ISO)", loc, units);
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
    let (mut places, mut people) = (Score::default(), Score::default());
    let (mut place_units, mut person_units) = (0u64, 0u64);
    let build = BuildOptions::default();
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
        if gold_places.is_empty() && gold_persons.is_empty() {
            continue;
        }
        let raw = RawRecord {
            origin: Origin {
                file: path.display().to_string(),
                line: line_no,
            },
            format: Format::JsonLines,
            bytes: line.into_bytes(),
        };
        let Ok(article) = corpus::parse_record(&raw) else {
            continue;
        };
        let prepared = document::prepare(&article, tagger, &build);
        let predicted_places: BTreeSet<String> = prepared
            .docs
            .iter()
            .flat_map(|p| p.tags.countries.iter().cloned())
            .collect();
        let predicted_persons: BTreeSet<String> = prepared
            .docs
            .iter()
            .flat_map(|p| p.tags.persons.iter().cloned())
            .collect();
        if !gold_places.is_empty() {
            places.add_sets(&predicted_places, &gold_places, &BTreeSet::new());
            place_units += 1;
        }
        if !gold_persons.is_empty() {
            let found = gold_persons
                .iter()
                .filter(|g| predicted_persons.iter().any(|p| person_matches(p, g)))
                .count() as u64;
            people.tp += found;
            people.r#fn += gold_persons.len() as u64 - found;
            people.fp += predicted_persons
                .iter()
                .filter(|p| !gold_persons.iter().any(|g| person_matches(p, g)))
                .count() as u64;
            person_units += 1;
        }
    }
    report.push(
        "reuters21578",
        "article places (countries)",
        places,
        place_units,
    );
    report.push("reuters21578", "article persons", people, person_units);
    Ok(())
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
        assert!(is_nominal_mention(
            "vertegenwoordigers van de United States Air Force"
        ));
        assert!(!is_nominal_mention("president Vladimir Poetin"));
    }

    #[test]
    fn missing_data_is_skipped_not_an_error() {
        let r = run(Path::new("/nonexistent-shared"), 0).unwrap();
        assert!(r.rows.is_empty());
        assert_eq!(r.skipped.len(), 5);
    }
}
