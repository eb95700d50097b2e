//! entity stage: tags every paragraph of an article with the persons, countries and dates it
//! mentions.
//!
//! The stage is built from replaceable parts: an [`EntityTagger`] finds persons and countries
//! (today the rule and gazetteer based [`RuleTagger`]); [`dates`] finds date mentions. The rest
//! of the crate only sees [`Tags`].

pub mod dates;
pub mod gazetteer;
#[allow(missing_docs)]
pub mod ner;
pub mod persons;
pub mod resolve;
pub mod rules;
pub mod truecase;

pub use gazetteer::Gazetteer;
pub use rules::{ArticleText, EntityTagger, ParagraphEntities, RuleTagger};

use std::borrow::Cow;

use crate::lang::Lang;

/// Everything the entity stage found in one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tags {
    /// Canonical full names, sorted.
    pub persons: Vec<String>,
    /// ISO 3166-1 alpha-2 codes, sorted.
    pub countries: Vec<String>,
    /// Mentioned dates as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, sorted, deduplicated.
    pub dates: Vec<String>,
    /// Possible bare surnames not resolved within the article (folded), for the corpus-wide
    /// pass; not shown.
    #[serde(skip)]
    pub candidates: Vec<String>,
}

/// Appends `s`, which is ASCII, lowercased to `out` (one copy, then lowercased in place): the
/// fast path of the stage's lowercasing and folding.
pub(crate) fn push_ascii_lowercase(s: &str, out: &mut String) {
    let from = out.len();
    out.push_str(s);
    out[from..].make_ascii_lowercase();
}

/// `text`, truecased when it is prose written in capitals ([`truecase`]).
fn read_calmly(text: &str, lang: Lang) -> Cow<'_, str> {
    if truecase::is_shouting(text) {
        if let Some(calm) = truecase::truecase(text, lang) {
            return Cow::Owned(calm);
        }
    }
    Cow::Borrowed(text)
}

/// Tags the paragraphs of one article. `published` resolves relative dates ("vrijdag").
pub fn tag_article(
    tagger: &dyn EntityTagger,
    title: &str,
    paragraphs: &[&str],
    lang: Lang,
    published: Option<time::Date>,
) -> Vec<Tags> {
    // A paragraph written in capitals (a wire brief) is read in the case of running text: the
    // taggers take capitals as evidence of names. Same bytes, same offsets. Titles are not:
    // an article's title names the persons its paragraphs' surnames resolve to, and a guessed
    // name there ("REAGAN IRAN SPEECH…") would capture the body's "Reagan"; the body names
    // its people in running text anyway.
    // Most articles have none: they are tagged as they are, without copies.
    let calm: Option<Vec<Cow<'_, str>>> = paragraphs
        .iter()
        .any(|p| truecase::is_shouting(p))
        .then(|| paragraphs.iter().map(|p| read_calmly(p, lang)).collect());
    let calm_refs: Option<Vec<&str>> = calm
        .as_ref()
        .map(|c| c.iter().map(|p| p.as_ref()).collect());
    let paragraphs = calm_refs.as_deref().unwrap_or(paragraphs);
    let article = ArticleText {
        title,
        paragraphs,
        lang,
    };
    let entities = tagger.tag(&article);
    let date_lang = match lang {
        Lang::Nl => dates::DateLang::Nl,
        Lang::En => dates::DateLang::En,
    };
    paragraphs
        .iter()
        .zip(entities)
        .map(|(text, e)| {
            let mut found: Vec<String> = dates::extract_dates(text, published, date_lang)
                .iter()
                .map(dates::DateMention::iso)
                .collect();
            found.sort();
            found.dedup();
            Tags {
                persons: e.persons,
                countries: e.countries,
                dates: found,
                candidates: e.candidates,
            }
        })
        .collect()
}
