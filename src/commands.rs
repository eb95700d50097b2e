//! commands: what each CLI command does, on checked option structs. Returns what happened;
//! the binary maps it to an exit code.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::corpus::{self, ReadOptions, RecordError};
use crate::document::{self, BuildOptions};
use crate::entity::gazetteer::country_alias_words;
use crate::entity::persons;
use crate::entity::RuleTagger;
use crate::error::{Error, Result};
use crate::facets::{FacetOptions, Period};
use crate::highlight;
use crate::indexer::{self, IndexOptions, IndexSummary, Progress};
use crate::query::{Filter, Matcher};
use crate::render::{self, Rendered, Style, Totals};
use crate::search::{self, SearchOptions};
use crate::store::Store;

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Success with results (exit 0).
    Found,
    /// Success, nothing found (exit 1).
    NothingFound,
    /// Finished, but some records failed (exit 2).
    PartialFailure,
}

/// Output format of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// JSON Lines.
    Json,
    /// One self-contained HTML page.
    Html,
}

/// Checked options of `newsidx index`.
#[derive(Debug, Clone)]
pub struct IndexConfig {
    /// The index directory.
    pub index: PathBuf,
    /// Build options.
    pub options: IndexOptions,
    /// Show a progress bar (stderr is a terminal and not --quiet).
    pub progress: bool,
    /// Print the summary as JSON on stdout.
    pub json: bool,
    /// Update the live index instead of rebuilding it.
    pub update: bool,
}

/// Checked options of `newsidx search`.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// The index directory.
    pub index: PathBuf,
    /// What to search.
    pub search: SearchOptions,
    /// Output format.
    pub format: Format,
    /// Highlight style for text output.
    pub style: Style,
    /// Cut passages longer than this many characters (0: never).
    pub max_chars: usize,
}

/// Checked options of `newsidx facets`.
#[derive(Debug, Clone)]
pub struct FacetsConfig {
    /// The index directory.
    pub index: PathBuf,
    /// The request.
    pub facets: FacetOptions,
    /// JSON output.
    pub json: bool,
    /// Text style.
    pub style: Style,
}

/// Checked options of `newsidx timeline`.
#[derive(Debug, Clone)]
pub struct TimelineConfig {
    /// The index directory.
    pub index: PathBuf,
    /// Query text.
    pub query: String,
    /// Filters.
    pub filters: Vec<Filter>,
    /// Period size.
    pub by: Period,
    /// JSON output.
    pub json: bool,
    /// Text style.
    pub style: Style,
}

/// Whether stdout gets colour: a terminal, and `NO_COLOR` unset or empty.
pub fn auto_style() -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if io::stdout().is_terminal() && !no_color {
        Style::Ansi
    } else {
        Style::Plain
    }
}

struct Reporter {
    bar: Option<ProgressBar>,
}

impl Progress for Reporter {
    fn problem(&mut self, p: &RecordError) {
        let line = format!("newsidx: {p}");
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn advance(&mut self, s: &IndexSummary) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} articles, {} paragraphs, {} errors, {:.1} MB/s",
                s.articles,
                s.paragraphs,
                s.errors,
                s.mb_per_s()
            ));
            bar.set_position(s.bytes);
        }
    }
}

/// Loads the NER models, then turns transparent huge pages off for the rest of the process
/// (Linux; elsewhere only the models are loaded). The allocator (mimalloc) asks the kernel for
/// huge pages: that makes the models' weight tables (19 MB per language, every page written)
/// cheap to fault in, but during a build it hands freed memory back to the kernel in small
/// pieces, and the next touch of such a piece faults a whole 2 MB page back in, zeroed. Building
/// the real corpus with huge pages peaked at 289-297 MB and spent 0.8-1.0 s in the kernel; with
/// them turned off here 216-228 MB and 0.3-0.4 s, at the same speed (BENCHMARKS.md, ninth
/// session).
fn memory_policy_for_build() {
    use crate::entity::ner::{NerLang, NerModel};
    NerModel::embedded(NerLang::Nl);
    NerModel::embedded(NerLang::En);
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it only sets this process's page policy.
    // A failure (an old kernel) leaves the policy as it was, which is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1 as libc::c_ulong, 0, 0, 0);
    }
}

/// `newsidx index`: builds the index and prints a summary (to stderr, or JSON on stdout).
pub fn index(cfg: &IndexConfig) -> Result<Outcome> {
    let bar = cfg.progress.then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {binary_bytes} read · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    });
    let mut reporter = Reporter { bar };
    let store = Store::new(&cfg.index);
    memory_policy_for_build();
    let result = if cfg.update {
        indexer::update(&store, &cfg.options, &mut reporter)
    } else {
        indexer::build(&store, &cfg.options, &mut reporter)
    };
    if let Some(bar) = &reporter.bar {
        bar.finish_and_clear();
    }
    let summary = result?;
    if cfg.json {
        println!("{}", serde_json::to_string(&summary).unwrap_or_default());
    } else if summary.mode == "update" {
        eprintln!(
            "newsidx: updated {}: {} added, {} replaced, {} unchanged, {} deleted ({} written) from {} in {:.2}s ({:.1} MB/s); {}, {}; {} {} a bare surname resolved corpus-wide",
            summary.index,
            summary.added,
            summary.replaced,
            summary.unchanged,
            summary.deleted,
            counted(summary.paragraphs, "paragraph"),
            counted(summary.files, "file"),
            summary.seconds,
            summary.mb_per_s(),
            counted(summary.errors, "error"),
            counted(summary.warnings, "warning"),
            counted(summary.resolved, "paragraph"),
            if summary.resolved == 1 { "has" } else { "have" },
        );
    } else {
        eprintln!(
            "newsidx: indexed {} as {} from {} into {} in {:.2}s ({:.1} MB/s, {}); {}, {}; {} {} a bare surname resolved corpus-wide",
            counted(summary.articles, "article"),
            counted(summary.paragraphs, "paragraph"),
            counted(summary.files, "file"),
            summary.index,
            summary.seconds,
            summary.mb_per_s(),
            counted(summary.threads as u64, "thread"),
            counted(summary.errors, "error"),
            counted(summary.warnings, "warning"),
            counted(summary.resolved, "paragraph"),
            if summary.resolved == 1 { "has" } else { "have" },
        );
    }
    Ok(if summary.errors > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Found
    })
}

/// "1 article", "2 articles".
fn counted(n: impl Into<u64>, noun: &str) -> String {
    match n.into() {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// `newsidx search`: runs the search and prints hits.
pub fn search(cfg: &SearchConfig, out: &mut dyn Write) -> Result<Outcome> {
    let index = Store::new(&cfg.index).open()?;
    let results = search::search(&index, &cfg.search)?;
    let filters = results.parsed.positive_filters();
    // A filtered country's words are the same for every hit: read from the table once.
    let country_words: Vec<(&str, Vec<Vec<String>>)> = filters
        .iter()
        .filter_map(|f| match f {
            Filter::Country(code) => Some((code.as_str(), country_alias_words(code))),
            _ => None,
        })
        .collect();
    // ... and a filtered person's spellings, as the index's person map merged them.
    let person_keys: Vec<String> = filters
        .iter()
        .filter_map(|f| match f {
            Filter::Person(key) => Some(index.persons.keys_for(key)),
            _ => None,
        })
        .flatten()
        .collect();
    let rendered: Vec<Rendered<'_>> = results
        .hits
        .iter()
        .map(|hit| {
            let mut matchers = results.compiled.matchers(hit.paragraph.lang).to_vec();
            matchers.extend(entity_matchers(
                &filters,
                &person_keys,
                &country_words,
                &hit.paragraph,
            ));
            Rendered {
                hit,
                passage: highlight::highlight(
                    &hit.paragraph.text,
                    hit.paragraph.lang,
                    &matchers,
                    cfg.max_chars,
                ),
            }
        })
        .collect();
    let totals = Totals {
        paragraphs: results.total,
        articles: results.articles,
        counts_only: cfg.search.limit == 0,
    };
    let written = match cfg.format {
        Format::Text => render::text(out, &rendered, totals, results.facets.as_ref(), cfg.style),
        Format::Json => render::json(out, &rendered, totals, results.facets.as_ref()),
        Format::Html => render::html(
            out,
            &cfg.search.query,
            &rendered,
            totals,
            results.facets.as_ref(),
        ),
    };
    written.and_then(|_| out.flush()).map_err(write_error)?;
    Ok(if results.total > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn write_error(e: io::Error) -> Error {
    Error::io("cannot write", "standard output", e)
}

/// Matchers that mark the mentions of filtered persons and countries in a passage:
/// `person_keys` are the folded names and surnames, in every spelling, of the filtered
/// persons ([`crate::entity::resolve::PersonMap::keys_for`]: "putin" finds "Vladimir Poetin").
fn entity_matchers(
    filters: &[&Filter],
    person_keys: &[String],
    country_words: &[(&str, Vec<Vec<String>>)],
    p: &crate::document::ParagraphDoc,
) -> Vec<Matcher> {
    let mut out = Vec::new();
    for person in p.tags.persons.iter().filter(|_| !person_keys.is_empty()) {
        let aliases = persons::person_aliases(person);
        if aliases.iter().any(|a| person_keys.contains(a)) {
            for a in aliases {
                out.push(Matcher::Name(a.split(' ').map(str::to_string).collect()));
            }
        }
    }
    for f in filters {
        if let Filter::Country(code) = f {
            for (_, words) in country_words.iter().filter(|(c, _)| c == code) {
                out.extend(words.iter().cloned().map(Matcher::Mention));
            }
        }
    }
    out
}

/// `newsidx facets`: counts of persons or countries over the matching paragraphs.
pub fn facets(cfg: &FacetsConfig, out: &mut dyn Write) -> Result<Outcome> {
    let index = Store::new(&cfg.index).open()?;
    let report = crate::facets::facets(&index, &cfg.facets)?;
    if cfg.json {
        let line = serde_json::to_string(&report).unwrap_or_default();
        writeln!(out, "{line}").map_err(write_error)?;
    } else {
        render::facet_report_text(out, &report, cfg.style).map_err(write_error)?;
    }
    out.flush().map_err(write_error)?;
    Ok(if report.values.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}

/// `newsidx timeline`: matching paragraphs and articles per period.
pub fn timeline(cfg: &TimelineConfig, out: &mut dyn Write) -> Result<Outcome> {
    let index = Store::new(&cfg.index).open()?;
    let t = crate::facets::timeline(&index, &cfg.query, cfg.filters.clone(), cfg.by)?;
    if cfg.json {
        let line = serde_json::to_string(&t).unwrap_or_default();
        writeln!(out, "{line}").map_err(write_error)?;
    } else {
        render::timeline_text(out, &t, cfg.style).map_err(write_error)?;
    }
    out.flush().map_err(write_error)?;
    Ok(if t.total.paragraphs > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

/// One paragraph as `newsidx tag` shows it.
#[derive(Debug, serde::Serialize)]
struct TaggedParagraph<'a> {
    article_id: &'a str,
    ordinal: u64,
    text: &'a str,
    persons: &'a [String],
    countries: &'a [String],
    dates: &'a [String],
}

/// `newsidx tag FILE`: splits and tags the articles of a corpus file and prints each
/// paragraph with its persons, countries and dates.
pub fn tag(
    path: &std::path::Path,
    json: bool,
    read: &ReadOptions,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let (files, problems) = corpus::collect_files(&[path.to_path_buf()]);
    let mut failed = 0usize;
    for p in &problems {
        eprintln!("newsidx: {p}");
        failed += usize::from(!p.warning);
    }
    let tagger = RuleTagger::new();
    let build = BuildOptions::default();
    let mut any = false;
    let w = |e| Error::io("cannot write", "standard output", e);
    for file in files {
        for raw in corpus::CorpusReader::new(vec![file], read.clone()) {
            let article = match raw.and_then(|r| corpus::parse_record(&r)) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("newsidx: {e}");
                    failed += 1;
                    continue;
                }
            };
            let prepared = document::prepare(&article, &tagger, &build);
            for d in &prepared.docs {
                any = true;
                if json {
                    let t = TaggedParagraph {
                        article_id: &d.article_id,
                        ordinal: d.ordinal,
                        text: &d.text,
                        persons: &d.tags.persons,
                        countries: &d.tags.countries,
                        dates: &d.tags.dates,
                    };
                    writeln!(out, "{}", serde_json::to_string(&t).unwrap_or_default())
                        .map_err(w)?;
                } else {
                    writeln!(
                        out,
                        "{}#{}  {}",
                        render::sanitize(&d.article_id),
                        d.ordinal,
                        render::sanitize(&d.text)
                    )
                    .map_err(w)?;
                    writeln!(
                        out,
                        "    persons: {} | countries: {} | dates: {}",
                        render::sanitize(&d.tags.persons.join(", ")),
                        d.tags.countries.join(", "),
                        d.tags.dates.join(", ")
                    )
                    .map_err(w)?;
                }
            }
        }
    }
    out.flush().map_err(w)?;
    Ok(if failed > 0 {
        Outcome::PartialFailure
    } else if any {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

/// `newsidx info`: what the index holds and how it was built, as JSON.
pub fn info(index_dir: &std::path::Path, out: &mut dyn Write) -> Result<Outcome> {
    let index = Store::new(index_dir).open()?;
    let searcher = index.reader.searcher();
    let value = serde_json::json!({
        "index": index_dir.display().to_string(),
        "generation": index.path.file_name().map(|n| n.to_string_lossy().into_owned()),
        "documents": searcher.num_docs(),
        "segments": searcher.segment_readers().len(),
        "meta": index.meta,
    });
    writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
    .map_err(|e| Error::io("cannot write", "standard output", e))?;
    Ok(Outcome::Found)
}

/// `newsidx eval --data DIR`: precision, recall and F1 of the entity tagger; with `errors`,
/// also every false positive and false negative the report lists ([`crate::eval::Report::errors`]).
pub fn eval(
    data: &std::path::Path,
    limit: usize,
    json: bool,
    errors: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    if !data.is_dir() {
        return Err(Error::InvalidOption {
            option: "--data",
            message: format!("{} is not a directory", data.display()),
        });
    }
    let mut report = crate::eval::run(data, limit)?;
    if !errors {
        report.errors.clear();
    }
    let text = if json {
        serde_json::to_string_pretty(&report).unwrap_or_default()
    } else {
        report.to_string()
    };
    writeln!(out, "{text}").map_err(write_error)?;
    Ok(if report.rows.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}

/// `newsidx train-ner`: trains the statistical tagger on CoNLL data and writes the model.
pub fn train_ner(
    data: &std::path::Path,
    lang: crate::lang::Lang,
    out: &std::path::Path,
    epochs: usize,
) -> Result<Outcome> {
    use crate::entity::ner;
    let nl = match lang {
        crate::lang::Lang::Nl => ner::NerLang::Nl,
        crate::lang::Lang::En => ner::NerLang::En,
    };
    // Training takes minutes: a model that could not be written is refused before it starts.
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::InvalidOption {
            option: "--out",
            message: format!(
                "{}: directory {} does not exist",
                out.display(),
                dir.display()
            ),
        });
    }
    let files = ner::conll_files(data, nl);
    let opts = ner::TrainOptions {
        epochs,
        ..ner::TrainOptions::default()
    };
    let (model, log) =
        ner::train(&files[0], &files[1], nl, &opts).map_err(|message| Error::InvalidOption {
            option: "--data",
            message,
        })?;
    for line in &log {
        eprintln!("newsidx: {line}");
    }
    std::fs::write(out, model.to_bytes()).map_err(|e| Error::io("cannot write", out, e))?;
    let report = ner::evaluate(&model, &files[2]).map_err(|message| Error::InvalidOption {
        option: "--data",
        message,
    })?;
    eprintln!(
        "newsidx: wrote {}; held-out {}:\n{report}",
        out.display(),
        files[2].display()
    );
    Ok(Outcome::Found)
}
