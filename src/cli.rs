//! command line: clap types only. Every flag's `///` doc is its help text. Values are checked
//! and turned into the library's option structs in [`Cli::into_command`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use newsidx::commands::{Format, IndexConfig, SearchConfig};
use newsidx::corpus::ReadOptions;
use newsidx::document::BuildOptions;
use newsidx::indexer::IndexOptions;
use newsidx::lang::Lang;
use newsidx::query::{self, Filter};
use newsidx::render::Style;
use newsidx::search::SearchOptions;
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
    /// Show how a corpus file is split into paragraphs and tagged (persons, countries, dates).
    Tag(TagArgs),
    /// Show what the index holds and how it was built (JSON).
    Info,
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

/// Arguments of `newsidx search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (all must match), "a phrase", OR, -word, NOT, (groups), prefix*,
    /// fuzzy~1, title:, person:, country:, source:, lang:, published:, mentions:.
    /// Empty matches every paragraph (useful with filters).
    #[arg(default_value = "", value_name = "QUERY")]
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
    /// Number of hits to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Number of hits to skip (paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Print one JSON object per hit (JSON Lines), then a summary object.
    #[arg(long)]
    pub json: bool,
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
    Tag { file: PathBuf, json: bool },
    Info { index: PathBuf },
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
                let mut filters = Vec::new();
                for p in &a.person {
                    let key = newsidx::entity::persons::person_key(p);
                    if key.is_empty() {
                        return Err(Error::InvalidOption {
                            option: "--person",
                            message: "needs a name".into(),
                        });
                    }
                    filters.push(Filter::Person(key));
                }
                for c in &a.country {
                    let code =
                        query::resolve_country(c).map_err(|message| Error::InvalidOption {
                            option: "--country",
                            message,
                        })?;
                    filters.push(Filter::Country(code));
                }
                let from = a
                    .since
                    .as_deref()
                    .map(|s| date_option("--since", s))
                    .transpose()?
                    .map(|b| b.0);
                let to = a
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
                if let Some(m) = &a.mentions {
                    date_option("--mentions", m)?;
                    filters.push(Filter::Mentions(m.trim().to_string()));
                }
                if let Some(l) = &a.lang {
                    filters.push(Filter::Lang(lang_option("--lang", l)?));
                }
                if a.limit == 0 {
                    return Err(Error::InvalidOption {
                        option: "--limit",
                        message: "must be at least 1".into(),
                    });
                }
                let style = match a.color {
                    ColorChoice::Auto => newsidx::commands::auto_style(),
                    ColorChoice::Always => Style::Ansi,
                    ColorChoice::Never => Style::Plain,
                };
                Checked::Search(SearchConfig {
                    index: self.index,
                    search: SearchOptions {
                        query: a.query,
                        filters,
                        limit: a.limit,
                        offset: a.offset,
                        facets: a.facets,
                        facet_top: a.top.max(1),
                    },
                    format: if a.json { Format::Json } else { Format::Text },
                    style,
                    max_chars: a.max_chars,
                    ui_lang: lang_option("--ui-lang", &a.ui_lang)?,
                })
            }
            Command::Tag(a) => Checked::Tag {
                file: a.file,
                json: a.json,
            },
            Command::Info => Checked::Info { index: self.index },
        })
    }
}
