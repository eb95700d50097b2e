//! command line: clap types only. Every flag's `///` doc is its help text. Values are checked
//! and turned into the library's option structs in [`Cli::into_command`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use newsidx::commands::{FacetsConfig, Format, IndexConfig, SearchConfig, TimelineConfig};
use newsidx::corpus::ReadOptions;
use newsidx::document::BuildOptions;
use newsidx::facets::{FacetField, FacetOptions, Period, Rank};
use newsidx::indexer::IndexOptions;
use newsidx::lang::Lang;
use newsidx::query::{self, Filter};
use newsidx::render::Style;
use newsidx::search::{Group, SearchOptions, Sort};
use newsidx::Error;

/// Search engine for news archives: index articles as paragraphs tagged with persons,
/// countries and dates, then search them with ranked, highlighted passages.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index directory.
    #[arg(
        long,
        global = true,
        env = "NEWSIDX_INDEX",
        default_value = "newsidx-index",
        value_name = "DIR"
    )]
    pub index: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build (or rebuild) the index from a corpus: files and directories of .jsonl, .ndjson,
    /// .txt and .md, optionally gzipped. The new index replaces the old one only when complete.
    Index(IndexArgs),
    /// Search the index: ranked paragraphs with highlighted matches.
    Search(SearchArgs),
    /// Count persons or countries over the matching paragraphs (paragraphs and articles),
    /// ranked by count or by lift against the whole index.
    Facets(FacetsArgs),
    /// Count matching paragraphs and articles per day, week, month or year.
    Timeline(TimelineArgs),
    /// Show how a corpus file is split into paragraphs and tagged (persons, countries, dates).
    Tag(TagArgs),
    /// Show what the index holds and how it was built (JSON).
    Info,
    /// Measure the entity tagger on evaluation data (seed gold, MEANTIME, CoNLL, Reuters-21578).
    Eval(EvalArgs),
    /// Retrain the statistical person/location tagger from CoNLL-2002/2003 data and write the
    /// model file that the binary embeds (data/ner/LANG.model).
    TrainNer(TrainNerArgs),
}

/// Arguments of `newsidx index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Corpus files or directories (read recursively, in name order).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Threads for preparing documents and for the index writer [default: number of cores, at most 8].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Memory budget in MB for the index writer and documents in flight.
    #[arg(long, default_value_t = 512, value_name = "MB")]
    pub memory: usize,
    /// Largest article accepted, in MB; larger ones are reported and skipped.
    #[arg(long, default_value_t = 16, value_name = "MB")]
    pub max_article_mb: usize,
    /// Most paragraphs kept per article; the rest are reported and dropped.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub max_paragraphs: usize,
    /// Update the existing index instead of rebuilding: add new articles, replace changed
    /// ones (by content hash), skip unchanged ones.
    #[arg(long)]
    pub update: bool,
    /// With --update: delete articles that are not in the given corpus.
    #[arg(long, requires = "update")]
    pub delete_missing: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The first long option in `args` (the program name first, as `std::env::args` gives them) that
/// the search, facets or timeline subcommand does not know, before a lone `--`. Their query may
/// start with a hyphen ("-trump nato"), so clap takes an unknown option for the query and then
/// complains about the word after it ("unexpected argument '3'" for `--limt 3`); `main` asks
/// this first and names the option instead.
/// `cmd` is [`Cli`]'s command, built (so that it lists `--help`).
pub fn unknown_long_option(cmd: &clap::Command, args: &[String]) -> Option<(String, String)> {
    // The subcommand is the first word that is neither an option nor the global --index's
    // value ("newsidx index search/ --update" indexes a directory named "search").
    let mut at = None;
    let mut k = 1;
    while k < args.len() {
        match args[k].as_str() {
            "--index" => k += 2,
            a if a.starts_with('-') => k += 1,
            _ => {
                at = Some(k);
                break;
            }
        }
    }
    let at = at.filter(|&k| matches!(args[k].as_str(), "search" | "facets" | "timeline"))?;
    let sub = cmd.find_subcommand(&args[at])?;
    let known = |name: &str| sub.get_arguments().any(|a| a.get_long() == Some(name));
    args[at + 1..]
        .iter()
        .take_while(|a| a.as_str() != "--")
        .filter_map(|a| a.strip_prefix("--"))
        .map(|a| a.split('=').next().unwrap_or(a))
        .find(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()) && !known(name))
        .map(|name| (args[at].clone(), format!("--{name}")))
}

/// Filters shared by search, facets and timeline.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// The query: words (all must match), "a phrase", OR, -word, NOT, (groups), prefix*,
    /// fuzzy~1, title:, person:, country:, source:, lang:, published:, mentions:.
    /// Empty matches every paragraph (useful with filters).
    #[arg(default_value = "", value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Only paragraphs that mention this person (full name or surname, any case).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only paragraphs that mention this country (ISO code, or a Dutch or English name).
    #[arg(long, value_name = "COUNTRY")]
    pub country: Vec<String>,
    /// Only articles published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD; inclusive).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only paragraphs that mention this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub mentions: Option<String>,
    /// Only articles in this language (nl or en).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Only articles from this source (case-insensitive, exact).
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
}

/// Arguments of `newsidx search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show (0: only the number of matches, and the facets with --facets).
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Number of hits to skip (paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Order of hits: relevance (BM25), date (newest first), oldest (oldest first), or
    /// recency (relevance boosted for newer articles; see --half-life). Equal dates rank by
    /// relevance.
    #[arg(long, value_enum, default_value_t = SortChoice::Relevance)]
    pub sort: SortChoice,
    /// With --sort recency: the age (in days, before the newest article) at which the boost halves.
    #[arg(long, default_value_t = 30.0, value_name = "DAYS")]
    pub half_life: f64,
    /// One hit per paragraph, or per article (its best paragraph, with "+N more").
    #[arg(long, value_enum, default_value_t = GroupChoice::Paragraph)]
    pub group: GroupChoice,
    /// Show N neighbouring paragraphs before and after each hit.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub context: usize,
    /// Print JSON Lines (same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatChoice::Text)]
    pub format: FormatChoice,
    /// Also count persons and countries over all matching paragraphs.
    #[arg(long)]
    pub facets: bool,
    /// Number of values per facet.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Cut passages longer than this many characters around their best matches (0: never).
    #[arg(long, default_value_t = 400, value_name = "N")]
    pub max_chars: usize,
    /// When to colour highlights.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Language for country names in facets.
    #[arg(long, default_value = "nl", value_name = "LANG")]
    pub ui_lang: String,
}

/// Arguments of `newsidx facets`.
#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Which facet to count.
    #[arg(value_enum)]
    pub facet: FacetChoice,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of values to show.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Rank by count (paragraphs), or by lift against the whole index (entities typical of
    /// the selection).
    #[arg(long, value_enum, default_value_t = RankChoice::Count)]
    pub by: RankChoice,
    /// With --by lift: ignore values with fewer matching paragraphs.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_count: u64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Language for country names.
    #[arg(long, default_value = "nl", value_name = "LANG")]
    pub ui_lang: String,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Arguments of `newsidx timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Period size.
    #[arg(long, value_enum, default_value_t = PeriodChoice::Month)]
    pub by: PeriodChoice,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Sort choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortChoice {
    /// BM25 relevance.
    Relevance,
    /// Newest first.
    Date,
    /// Oldest first (when did the archive first mention it?).
    Oldest,
    /// Relevance with a recency boost.
    Recency,
}

/// Grouping choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupChoice {
    /// Every matching paragraph.
    Paragraph,
    /// The best paragraph per article.
    Article,
}

/// Output format choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatChoice {
    /// Text for a terminal.
    Text,
    /// JSON Lines.
    Json,
    /// One self-contained HTML page.
    Html,
}

/// Facet choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FacetChoice {
    /// Persons.
    Person,
    /// Countries.
    Country,
}

/// Facet ranking choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RankChoice {
    /// By number of paragraphs.
    Count,
    /// By lift against the whole index.
    Lift,
}

/// Timeline period choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PeriodChoice {
    /// Days.
    Day,
    /// ISO weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always ANSI colours.
    Always,
    /// Plain **markers**.
    Never,
}

/// Arguments of `newsidx eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The shared data folder (with seeds/, corpus/, ner/).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Read at most N articles per corpus (0: all).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also list every false positive and false negative of the seed, MEANTIME and CoNLL
    /// Dutch development-file suites (suite, measure, unit, fp/fn, label), for error analysis.
    #[arg(long)]
    pub errors: bool,
}

/// Arguments of `newsidx train-ner`.
#[derive(Debug, Args)]
pub struct TrainNerArgs {
    /// The NER data folder (with conll2002-nl/, conll2003-en/, names/, gazetteer/).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Language to train.
    #[arg(long, value_name = "LANG")]
    pub lang: String,
    /// Where to write the model.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Training epochs, 1 to 100 (the best epoch on the development file is kept).
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub epochs: usize,
}

/// Arguments of `newsidx tag`.
#[derive(Debug, Args)]
pub struct TagArgs {
    /// A corpus file (.jsonl, .txt, ...) or directory.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// One JSON object per paragraph.
    #[arg(long)]
    pub json: bool,
}

/// A checked command, ready to run.
pub enum Checked {
    Index(IndexConfig),
    Search(SearchConfig),
    Facets(FacetsConfig),
    Timeline(TimelineConfig),
    Tag {
        file: PathBuf,
        json: bool,
    },
    Info {
        index: PathBuf,
    },
    Eval {
        data: PathBuf,
        limit: usize,
        json: bool,
        errors: bool,
    },
    TrainNer {
        data: PathBuf,
        lang: Lang,
        out: PathBuf,
        epochs: usize,
    },
}

fn lang_option(option: &'static str, v: &str) -> Result<Lang, Error> {
    Lang::parse(v).ok_or_else(|| Error::InvalidOption {
        option,
        message: format!("unknown language {v:?}: use nl or en"),
    })
}

fn date_option(
    option: &'static str,
    v: &str,
) -> Result<(time::OffsetDateTime, time::OffsetDateTime), Error> {
    query::date_bound(v).map_err(|message| Error::InvalidOption { option, message })
}

fn style(c: ColorChoice) -> Style {
    match c {
        ColorChoice::Auto => newsidx::commands::auto_style(),
        ColorChoice::Always => Style::Ansi,
        ColorChoice::Never => Style::Plain,
    }
}

impl FilterArgs {
    /// Checks the filter flags and turns them into query filters.
    fn check(&self) -> Result<Vec<Filter>, Error> {
        let mut filters = Vec::new();
        for p in &self.person {
            let key = newsidx::entity::persons::person_key(p);
            if key.is_empty() {
                return Err(Error::InvalidOption {
                    option: "--person",
                    message: "needs a name".into(),
                });
            }
            filters.push(Filter::Person(key));
        }
        for c in &self.country {
            let code = query::resolve_country(c).map_err(|message| Error::InvalidOption {
                option: "--country",
                message,
            })?;
            filters.push(Filter::Country(code));
        }
        let from = self
            .since
            .as_deref()
            .map(|s| date_option("--since", s))
            .transpose()?
            .map(|b| b.0);
        let to = self
            .until
            .as_deref()
            .map(|s| date_option("--until", s))
            .transpose()?
            .map(|b| b.1);
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                return Err(Error::InvalidOption {
                    option: "--since/--until",
                    message: "--since is after --until".into(),
                });
            }
        }
        if from.is_some() || to.is_some() {
            filters.push(Filter::Published { from, to });
        }
        if let Some(m) = &self.mentions {
            date_option("--mentions", m)?;
            filters.push(Filter::Mentions(m.trim().to_string()));
        }
        if let Some(l) = &self.lang {
            filters.push(Filter::Lang(lang_option("--lang", l)?));
        }
        if let Some(src) = &self.source {
            filters.push(Filter::Source(newsidx::entity::persons::person_key(src)));
        }
        Ok(filters)
    }
}

impl Cli {
    /// Checks values and builds the library's option structs.
    pub fn into_command(self) -> Result<Checked, Error> {
        Ok(match self.command {
            Command::Index(a) => {
                let mut options = IndexOptions::new(a.paths);
                if let Some(t) = a.threads {
                    if t == 0 || t > 64 {
                        return Err(Error::InvalidOption {
                            option: "--threads",
                            message: "use 1 to 64".into(),
                        });
                    }
                    options.threads = t;
                }
                if a.memory < 32 {
                    return Err(Error::InvalidOption {
                        option: "--memory",
                        message: "at least 32 MB is needed".into(),
                    });
                }
                if a.max_article_mb == 0 || a.max_paragraphs == 0 {
                    return Err(Error::InvalidOption {
                        option: "--max-article-mb/--max-paragraphs",
                        message: "must be at least 1".into(),
                    });
                }
                options.memory_bytes = a.memory.saturating_mul(1024 * 1024);
                options.delete_missing = a.delete_missing;
                options.read = ReadOptions {
                    max_article_bytes: a.max_article_mb.saturating_mul(1024 * 1024),
                };
                options.build = BuildOptions {
                    max_paragraphs: a.max_paragraphs,
                    ..BuildOptions::default()
                };
                let progress = !a.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
                Checked::Index(IndexConfig {
                    index: self.index,
                    options,
                    progress,
                    json: a.json,
                    update: a.update,
                })
            }
            Command::Search(a) => {
                let filters = a.filters.check()?;
                if !(a.half_life.is_finite() && a.half_life > 0.0) {
                    return Err(Error::InvalidOption {
                        option: "--half-life",
                        message: "must be a positive number of days".into(),
                    });
                }
                if a.context > 20 {
                    return Err(Error::InvalidOption {
                        option: "--context",
                        message: "at most 20 paragraphs".into(),
                    });
                }
                Checked::Search(SearchConfig {
                    index: self.index,
                    search: SearchOptions {
                        query: a.filters.query,
                        filters,
                        limit: a.limit,
                        offset: a.offset,
                        facets: a.facets,
                        facet_top: a.top.max(1),
                        sort: match a.sort {
                            SortChoice::Relevance => Sort::Relevance,
                            SortChoice::Date => Sort::Date,
                            SortChoice::Oldest => Sort::Oldest,
                            SortChoice::Recency => Sort::Recency {
                                half_life_days: a.half_life,
                            },
                        },
                        group: match a.group {
                            GroupChoice::Paragraph => Group::Paragraph,
                            GroupChoice::Article => Group::Article,
                        },
                        context: a.context,
                        ui_lang: lang_option("--ui-lang", &a.ui_lang)?,
                    },
                    format: match (a.json, a.format) {
                        (true, _) | (_, FormatChoice::Json) => Format::Json,
                        (_, FormatChoice::Html) => Format::Html,
                        _ => Format::Text,
                    },
                    style: style(a.color),
                    max_chars: a.max_chars,
                })
            }
            Command::Facets(a) => {
                let filters = a.filters.check()?;
                Checked::Facets(FacetsConfig {
                    index: self.index,
                    facets: FacetOptions {
                        query: a.filters.query,
                        filters,
                        field: match a.facet {
                            FacetChoice::Person => FacetField::Person,
                            FacetChoice::Country => FacetField::Country,
                        },
                        top: a.top.max(1),
                        rank: match a.by {
                            RankChoice::Count => Rank::Count,
                            RankChoice::Lift => Rank::Lift,
                        },
                        min_count: a.min_count,
                        lift: true,
                        ui_lang: lang_option("--ui-lang", &a.ui_lang)?,
                    },
                    json: a.json,
                    style: style(a.color),
                })
            }
            Command::Timeline(a) => {
                let filters = a.filters.check()?;
                Checked::Timeline(TimelineConfig {
                    index: self.index,
                    query: a.filters.query,
                    filters,
                    by: match a.by {
                        PeriodChoice::Day => Period::Day,
                        PeriodChoice::Week => Period::Week,
                        PeriodChoice::Month => Period::Month,
                        PeriodChoice::Year => Period::Year,
                    },
                    json: a.json,
                    style: style(a.color),
                })
            }
            Command::Tag(a) => Checked::Tag {
                file: a.file,
                json: a.json,
            },
            Command::Info => Checked::Info { index: self.index },
            Command::TrainNer(a) => Checked::TrainNer {
                data: a.data,
                lang: lang_option("--lang", &a.lang)?,
                out: a.out,
                epochs: match a.epochs {
                    1..=100 => a.epochs,
                    n => {
                        return Err(Error::InvalidOption {
                            option: "--epochs",
                            message: format!("{n}: use 1 to 100"),
                        })
                    }
                },
            },
            Command::Eval(a) => Checked::Eval {
                data: a.data,
                limit: a.limit,
                json: a.json,
                errors: a.errors,
            },
        })
    }
}
