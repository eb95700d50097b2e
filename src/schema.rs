//! schema: the paragraph-document schema, read from `schema/paragraph.json` (embedded), checked,
//! turned into a tantivy [`Schema`], and exposed as a [`Fields`] struct of handles.
//!
//! Field names are written once: in the schema file, and in [`Fields::from_schema`], which
//! fails at load if the file and the code disagree.

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analysis;
use crate::error::{Error, Result};

/// The schema file, as committed.
pub const SCHEMA_JSON: &str = include_str!("../schema/paragraph.json");

/// The schema file, parsed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaSpec {
    /// Schema name.
    pub name: String,
    /// Schema version; recorded in every index.
    pub version: u32,
    /// Free text about the schema.
    pub about: String,
    /// The fields.
    pub fields: Vec<FieldSpec>,
}

/// One field of the schema file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Field name.
    pub name: String,
    /// `text`, `keyword`, `u64` or `date`.
    pub kind: FieldKind,
    /// Analyzer name for text fields: `nl`, `en` or `folded`.
    #[serde(default)]
    pub analyzer: Option<String>,
    /// Whether the field is searchable.
    pub indexed: bool,
    /// Whether the value is kept for display.
    pub stored: bool,
    /// Whether the field is a columnar fast field (filters, sorting, facets).
    #[serde(default)]
    pub fast: bool,
    /// Whether term positions are indexed (phrase queries).
    #[serde(default)]
    pub positions: bool,
    /// What the field holds.
    pub doc: String,
}

/// The kinds of field the schema file may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Analyzed full text.
    Text,
    /// An exact string.
    Keyword,
    /// An unsigned integer.
    U64,
    /// A date and time.
    Date,
}

impl SchemaSpec {
    /// Parses and checks the embedded schema file.
    pub fn embedded() -> Result<SchemaSpec> {
        Self::parse(SCHEMA_JSON)
    }

    /// Parses and checks a schema file's text.
    pub fn parse(json: &str) -> Result<SchemaSpec> {
        let spec: SchemaSpec = serde_json::from_str(json)
            .map_err(|e| Error::Schema(format!("line {}: {e}", e.line())))?;
        spec.check()?;
        Ok(spec)
    }

    fn check(&self) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for f in &self.fields {
            if !seen.insert(f.name.as_str()) {
                return Err(Error::Schema(format!(
                    "field {:?} is defined twice",
                    f.name
                )));
            }
            match (f.kind, f.analyzer.as_deref()) {
                (FieldKind::Text, Some("nl" | "en" | analysis::FOLDED)) => {}
                (FieldKind::Text, other) => {
                    return Err(Error::Schema(format!(
                        "field {:?}: text fields need analyzer nl, en or folded, not {other:?}",
                        f.name
                    )))
                }
                (_, Some(a)) => {
                    return Err(Error::Schema(format!(
                        "field {:?}: analyzer {a:?} given for a non-text field",
                        f.name
                    )))
                }
                (_, None) => {}
            }
            if f.kind == FieldKind::Text && f.fast {
                return Err(Error::Schema(format!(
                    "field {:?}: analyzed text cannot be a fast field; use a keyword",
                    f.name
                )));
            }
            if f.positions && f.kind != FieldKind::Text {
                return Err(Error::Schema(format!(
                    "field {:?}: positions only apply to text fields",
                    f.name
                )));
            }
        }
        Ok(())
    }

    /// Builds the tantivy schema.
    pub fn tantivy_schema(&self) -> Schema {
        let mut b = Schema::builder();
        for f in &self.fields {
            match f.kind {
                FieldKind::Text | FieldKind::Keyword => {
                    let mut opts = TextOptions::default();
                    if f.indexed {
                        let tokenizer = f.analyzer.as_deref().unwrap_or("raw");
                        let record = if f.positions {
                            IndexRecordOption::WithFreqsAndPositions
                        } else if f.kind == FieldKind::Text {
                            IndexRecordOption::WithFreqs
                        } else {
                            IndexRecordOption::Basic
                        };
                        opts = opts.set_indexing_options(
                            TextFieldIndexing::default()
                                .set_tokenizer(tokenizer)
                                .set_index_option(record)
                                .set_fieldnorms(f.kind == FieldKind::Text),
                        );
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast("raw");
                    }
                    b.add_text_field(&f.name, opts);
                }
                FieldKind::U64 => {
                    let mut opts = NumericOptions::default();
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    b.add_u64_field(&f.name, opts);
                }
                FieldKind::Date => {
                    let mut opts = DateOptions::default().set_precision(DateTimePrecision::Seconds);
                    if f.indexed {
                        opts = opts.set_indexed();
                    }
                    if f.stored {
                        opts = opts.set_stored();
                    }
                    if f.fast {
                        opts = opts.set_fast();
                    }
                    b.add_date_field(&f.name, opts);
                }
            }
        }
        b.build()
    }
}

/// Handles to every field the code uses, looked up once by name.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct Fields {
    pub id: Field,
    pub article_id: Field,
    pub ordinal: Field,
    pub seq: Field,
    pub article_hash: Field,
    pub title: Field,
    pub title_nl: Field,
    pub title_en: Field,
    pub title_exact: Field,
    pub text: Field,
    pub text_nl: Field,
    pub text_en: Field,
    pub text_exact: Field,
    pub lang: Field,
    pub source: Field,
    pub source_key: Field,
    pub url: Field,
    pub file: Field,
    pub line: Field,
    pub published: Field,
    pub published_period: Field,
    pub persons: Field,
    pub person_keys: Field,
    pub person_candidates: Field,
    pub countries: Field,
    pub dates: Field,
}

impl Fields {
    /// Looks up every field; an error names the first one the schema lacks.
    pub fn from_schema(schema: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| Error::Schema(format!("the schema has no field {name:?}")))
        };
        Ok(Fields {
            id: f("id")?,
            article_id: f("article_id")?,
            ordinal: f("ordinal")?,
            seq: f("seq")?,
            article_hash: f("article_hash")?,
            title: f("title")?,
            title_nl: f("title_nl")?,
            title_en: f("title_en")?,
            title_exact: f("title_exact")?,
            text: f("text")?,
            text_nl: f("text_nl")?,
            text_en: f("text_en")?,
            text_exact: f("text_exact")?,
            lang: f("lang")?,
            source: f("source")?,
            source_key: f("source_key")?,
            url: f("url")?,
            file: f("file")?,
            line: f("line")?,
            published: f("published")?,
            published_period: f("published_period")?,
            persons: f("persons")?,
            person_keys: f("person_keys")?,
            person_candidates: f("person_candidates")?,
            countries: f("countries")?,
            dates: f("dates")?,
        })
    }

    /// The analyzed text field for a language.
    pub fn text_for(&self, lang: crate::lang::Lang) -> Field {
        match lang {
            crate::lang::Lang::Nl => self.text_nl,
            crate::lang::Lang::En => self.text_en,
        }
    }

    /// Whether a field is indexed on an article's first paragraph only and stands for the
    /// whole article (the searchable title fields): queries on it go through
    /// [`crate::join::ArticleLevel`].
    pub fn is_article_level(&self, field: Field) -> bool {
        field == self.title_nl || field == self.title_en || field == self.title_exact
    }

    /// The analyzed title field for a language.
    pub fn title_for(&self, lang: crate::lang::Lang) -> Field {
        match lang {
            crate::lang::Lang::Nl => self.title_nl,
            crate::lang::Lang::En => self.title_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_schema_loads_and_has_every_field() {
        let spec = SchemaSpec::embedded().expect("schema parses");
        assert_eq!(spec.version, 4);
        let schema = spec.tantivy_schema();
        let fields = Fields::from_schema(&schema).expect("all fields present");
        assert_eq!(schema.get_field_name(fields.text_nl), "text_nl");
    }

    #[test]
    fn rejects_bad_schema_files() {
        let bad = [
            r#"{"name":"x","version":1,"about":"","fields":[{"name":"a","kind":"text","indexed":true,"stored":true,"doc":""}]}"#,
            r#"{"name":"x","version":1,"about":"","fields":[{"name":"a","kind":"keyword","indexed":true,"stored":true,"doc":""},{"name":"a","kind":"keyword","indexed":true,"stored":true,"doc":""}]}"#,
            r#"{"name":"x","version":1,"about":"","fields":[{"name":"a","kind":"blob","indexed":true,"stored":true,"doc":""}]}"#,
            r#"{"name":"x","version":1,"about":"","fields":[{"name":"a","kind":"u64","indexed":true,"stored":true,"positions":true,"doc":""}]}"#,
        ];
        for json in bad {
            assert!(SchemaSpec::parse(json).is_err(), "accepted: {json}");
        }
    }

    #[test]
    fn missing_field_is_named() {
        let spec = SchemaSpec::parse(
            r#"{"name":"x","version":1,"about":"","fields":[{"name":"id","kind":"keyword","indexed":true,"stored":true,"doc":""}]}"#,
        )
        .unwrap();
        let err = Fields::from_schema(&spec.tantivy_schema()).unwrap_err();
        assert!(err.to_string().contains("article_id"), "{err}");
    }
}
