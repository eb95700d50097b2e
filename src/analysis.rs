//! analysis: the text analyzers (tokenizer + filters) for Dutch and English, registered on
//! every index, with a fingerprint that is recorded in the index.
//!
//! Dutch uses the classic Snowball (Porter-style) Dutch stemmer from `rust-stemmers`, not
//! tantivy 0.27's Kraaij-Pohlmann stemmer, which over-stems (minister→mini, gemeente→meen,
//! gezondheid→zon). A small override table fixes the few inflections Snowball gets wrong
//! (mens/mensen). English uses Snowball's Porter2.

use std::collections::HashMap;
use std::mem;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

use crate::lang::Lang;

/// Name of the analyzer that only lowercases and folds diacritics (no stemming).
pub const FOLDED: &str = "folded";

/// Tokens longer than this many bytes are dropped (URLs, base64 junk).
const MAX_TOKEN_BYTES: usize = 64;

/// Dutch words whose Snowball stems disagree between inflections, mapped to one stem.
/// Keys are lowercased, folded forms; values are the stem the whole family gets.
const NL_OVERRIDES: &[(&str, &str)] = &[
    ("mens", "mens"),
    ("mensen", "mens"),
    ("gemeentes", "gemeent"),
    ("mini", "mini"),
    ("week", "week"),
    ("weken", "week"),
    ("jaar", "jaar"),
    ("jaren", "jaar"),
];

/// Describes every analyzer exactly; hashed into the fingerprint stored in each index, so an
/// index is never queried with analyzers other than those that built it. Change this text
/// whenever an analyzer changes.
const ANALYZER_SPEC: &str = "simple-tokenizer|remove-long:64|lowercase|ascii-folding|\
nl:decompound-opentaal-2.20.19-v1|nl:rust-stemmers-1.2-snowball-dutch+overrides-v1|\
en:rust-stemmers-1.2-snowball-english";

/// The analyzer name registered for a language.
pub fn analyzer_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

/// A fingerprint of all analyzers, as hex.
pub fn fingerprint() -> String {
    let mut spec = String::from(ANALYZER_SPEC);
    for (k, v) in NL_OVERRIDES {
        spec.push('|');
        spec.push_str(k);
        spec.push('=');
        spec.push_str(v);
    }
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(spec.as_bytes()))
}

/// Builds the analyzer for a language. Dutch also emits the parts of compound words at the
/// compound's position ("raketverdediging" → raketverdediging, raket, verdediging), so a
/// search for the parts finds the compound and the other way round.
pub fn analyzer(lang: Lang) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match lang {
        Lang::Nl => base
            .filter(DecompoundFilter)
            .filter(SnowballFilter {
                algorithm: Algorithm::Dutch,
                overrides: NL_OVERRIDES,
            })
            .build(),
        Lang::En => base
            .filter(SnowballFilter {
                algorithm: Algorithm::English,
                overrides: &[],
            })
            .build(),
    }
}

/// Lowercases and folds diacritics, no stemming: for prefix and fuzzy matching, which work
/// on words as written.
pub fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers all analyzers on an index's tokenizer manager. Must run on every `Index` that is
/// created or opened: tantivy does not persist custom tokenizers.
pub fn register(manager: &TokenizerManager) {
    for lang in Lang::ALL {
        manager.register(analyzer_name(lang), analyzer(lang));
    }
    manager.register(FOLDED, folded_analyzer());
}

/// One analyzed token: its normalized text and byte range in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    /// The term as indexed.
    pub term: String,
    /// Byte offset of the start in the input.
    pub start: usize,
    /// Byte offset of the end in the input.
    pub end: usize,
    /// Token position (0-based).
    pub position: usize,
}

/// Runs an analyzer over text and collects the tokens.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(AnalyzedToken {
            term: t.text.clone(),
            start: t.offset_from,
            end: t.offset_to,
            position: t.position,
        });
    }
    out
}

/// Dutch compound splitting ([`crate::compound`]) as a tantivy token filter: the compound
/// token is followed by its parts, at the same position and with the same offsets.
#[derive(Clone, Copy)]
struct DecompoundFilter;

impl TokenFilter for DecompoundFilter {
    type Tokenizer<T: Tokenizer> = DecompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DecompoundTokenizer<T> {
        DecompoundTokenizer { inner: tokenizer }
    }
}

#[derive(Clone)]
struct DecompoundTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for DecompoundTokenizer<T> {
    type TokenStream<'a> = DecompoundTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DecompoundTokenStream {
            tail: self.inner.token_stream(text),
            pending: Vec::new(),
            current: Token::default(),
        }
    }
}

struct DecompoundTokenStream<T> {
    tail: T,
    /// Parts still to emit, in reverse order.
    pending: Vec<String>,
    current: Token,
}

impl<T: TokenStream> TokenStream for DecompoundTokenStream<T> {
    fn advance(&mut self) -> bool {
        if let Some(part) = self.pending.pop() {
            self.current.text = part;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        self.current = self.tail.token().clone();
        let mut parts = crate::compound::split(&self.current.text);
        parts.reverse();
        self.pending = parts;
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// Snowball stemming with an override table, as a tantivy token filter.
#[derive(Clone, Copy)]
struct SnowballFilter {
    algorithm: Algorithm,
    overrides: &'static [(&'static str, &'static str)],
}

impl TokenFilter for SnowballFilter {
    type Tokenizer<T: Tokenizer> = SnowballTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SnowballTokenizer<T> {
        SnowballTokenizer {
            filter: self,
            inner: tokenizer,
            cache: HashMap::new(),
        }
    }
}

/// Most stems a tokenizer keeps in its cache before starting over. tantivy clones the analyzer
/// for every field of every segment writer (4 stemmed fields × indexing threads), and this
/// memory is outside the writer's arena budget: at 200,000 entries (~20 MB a cache) the caches
/// alone grew a 1M-paragraph build by ~150 MB past its memory budget. 30,000 of the most
/// recently seen words still cover the bulk of news tokens (Zipf), at ~3 MB a cache.
const STEM_CACHE_MAX: usize = 30_000;

#[derive(Clone)]
struct SnowballTokenizer<T> {
    filter: SnowballFilter,
    inner: T,
    /// Word → stem. News vocabulary is Zipfian: most tokens are words seen before, and a hash
    /// lookup is several times cheaper than running the Snowball algorithm again.
    cache: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for SnowballTokenizer<T> {
    type TokenStream<'a> = SnowballTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > STEM_CACHE_MAX {
            self.cache.clear();
        }
        SnowballTokenStream {
            tail: self.inner.token_stream(text),
            stemmer: Stemmer::create(self.filter.algorithm),
            overrides: self.filter.overrides,
            cache: &mut self.cache,
        }
    }
}

struct SnowballTokenStream<'a, T> {
    tail: T,
    stemmer: Stemmer,
    overrides: &'static [(&'static str, &'static str)],
    cache: &'a mut HashMap<String, String>,
}

impl<T: TokenStream> TokenStream for SnowballTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = match self.overrides.iter().find(|(k, _)| *k == token.text) {
            Some((_, stem)) => (*stem).to_string(),
            None => self.stemmer.stem(&token.text).into_owned(),
        };
        let word = mem::replace(&mut token.text, stem.clone());
        self.cache.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(lang: Lang, text: &str) -> Vec<String> {
        tokens(&mut analyzer(lang), text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    fn same(lang: Lang, a: &str, b: &str) -> bool {
        stems(lang, a) == stems(lang, b)
    }

    #[test]
    fn dutch_conflates_inflections() {
        assert!(same(Lang::Nl, "raket", "raketten"));
        assert!(same(Lang::Nl, "troep", "troepen"));
        assert!(same(Lang::Nl, "samenwerking", "samenwerkingen"));
        assert!(same(Lang::Nl, "verkiezing", "verkiezingen"));
        assert!(same(Lang::Nl, "mens", "mensen"));
        assert!(same(Lang::Nl, "gemeente", "gemeenten"));
        assert!(same(Lang::Nl, "gemeente", "gemeentes"));
        assert!(same(Lang::Nl, "president", "presidenten"));
    }

    #[test]
    fn dutch_does_not_over_stem() {
        // tantivy 0.27's default Dutch stemmer maps each pair to one stem.
        assert!(!same(Lang::Nl, "minister", "mini"));
        assert!(!same(Lang::Nl, "gemeente", "meen"));
        assert!(!same(Lang::Nl, "gezondheid", "zon"));
        assert_eq!(stems(Lang::Nl, "mini-camping"), vec!["mini", "camping"]);
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert!(same(Lang::Nl, "Oekraïne", "oekraine"));
        assert!(same(Lang::Nl, "één", "EEN"));
        assert!(same(Lang::En, "Café", "cafe"));
    }

    #[test]
    fn english_stems() {
        assert!(same(Lang::En, "missile", "missiles"));
        assert!(same(Lang::En, "talks", "talk"));
        assert!(!same(Lang::En, "news", "new"));
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "De Noord-Koreaanse troepen in Oekraïne";
        for t in tokens(&mut analyzer(Lang::Nl), text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            assert!(!text[t.start..t.end].contains(' '));
        }
    }

    #[test]
    fn dutch_compounds_emit_their_parts_at_the_same_position() {
        let toks = tokens(&mut analyzer(Lang::Nl), "de raketverdediging werkt");
        let at_one: Vec<&str> = toks
            .iter()
            .filter(|t| t.position == 1)
            .map(|t| t.term.as_str())
            .collect();
        assert_eq!(at_one, ["raketverded", "raket", "verded"]);
        assert!(toks
            .iter()
            .filter(|t| t.position == 1)
            .all(|t| (t.start, t.end) == (3, 19)));
        assert_eq!(
            toks.iter().find(|t| t.term == "werkt").map(|t| t.position),
            Some(2)
        );
        // English has no compound splitting.
        assert_eq!(tokens(&mut analyzer(Lang::En), "raketverdediging").len(), 1);
    }

    #[test]
    fn fingerprint_is_stable_hex() {
        assert_eq!(fingerprint(), fingerprint());
        assert_eq!(fingerprint().len(), 16);
    }
}
