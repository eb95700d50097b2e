//! newsidx: a search engine for news archives.
//!
//! The data flows one way, each stage a module with plain structs in and out:
//!
//! [`corpus`] reader → [`paragraph`] splitter → [`entity`] tagger → [`document`] builder
//! (driven by `schema/`) → [`indexer`] (rayon prepares documents; one tantivy writer) ·
//! [`query`] parser (our own scorers: [`dismax`], [`join`]) → [`search`] (hits, facet
//! counts) → [`highlight`] (passages with match offsets) → [`render`] (terminal, JSON).
//!
//! # Example
//!
//! Index two articles and search them:
//!
//! ```
//! use newsidx::{indexer::{self, IndexOptions}, search::{self, SearchOptions}, store::Store};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let corpus = dir.path().join("news.jsonl");
//! std::fs::write(&corpus, concat!(
//!     r#"{"id":"a","title":"Raketten","body":"Noord-Korea lanceerde raketten.","published":"2024-11-15","lang":"nl"}"#, "\n",
//!     r#"{"id":"b","title":"Weer","body":"Morgen schijnt de zon.","lang":"nl"}"#, "\n",
//! ))?;
//! let store = Store::new(dir.path().join("index"));
//! let summary = indexer::build(&store, &IndexOptions::new(vec![corpus]), &mut indexer::Silent)?;
//! assert_eq!(summary.articles, 2);
//!
//! let index = store.open()?;
//! let results = search::search(&index, &SearchOptions { query: "raket".into(), ..Default::default() })?;
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].paragraph.tags.countries, vec!["KP"]);
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod analysis;
pub mod commands;
pub mod compound;
pub mod corpus;
pub mod dismax;
pub mod document;
pub mod entity;
pub mod error;
pub mod eval;
pub mod facet_docs;
pub mod facets;
pub mod highlight;
pub mod indexer;
pub mod join;
pub mod lang;
pub mod markdown;
pub mod paragraph;
pub mod query;
pub mod render;
pub mod schema;
pub mod search;
pub mod store;

pub use error::{Error, Result};
