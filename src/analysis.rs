//! analysis: the text analyzers (tokenizer + filters) for Dutch and English, registered on
//! every index, with a fingerprint that is recorded in the index.
//!
//! Dutch uses the classic Snowball (Porter-style) Dutch stemmer from `rust-stemmers`, not
//! tantivy 0.27's Kraaij-Pohlmann stemmer, which over-stems (minister→mini, gemeente→meen,
//! gezondheid→zon). A small override table fixes the few inflections Snowball gets wrong
//! (mens/mensen). English uses Snowball's Porter2.

use rustc_hash::FxHashMap;

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
en:rust-stemmers-1.2-snowball-english|index:sparse-stems-v1";

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

/// Builds the analyzer for a language, as queries and the highlighter see text: every word
/// becomes its stem. Dutch also emits the parts of compound words at the compound's position
/// ("raketverdediging" → raketverded, raket, verded), so a search for the parts finds the
/// compound and the other way round.
pub fn analyzer(lang: Lang) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match lang {
        Lang::Nl => base.filter(DecompoundFilter).filter(snowball(lang)).build(),
        Lang::En => base.filter(snowball(lang)).build(),
    }
}

/// Builds the analyzer that fills a language's stemmed fields at index time. It emits the
/// same stems as [`analyzer`] except a stem that equals the word as written ("de", "raket",
/// "president"): that word is already in the unstemmed `*_exact` field, and a query for such
/// a stem also looks there ([`is_own_stem`]). Function words and most names are their own
/// stems, so this roughly halves the postings of the stemmed fields. Compound parts are
/// always emitted.
pub fn index_analyzer(lang: Lang) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    base.filter(sparse_stem_filter(lang)).build()
}

fn sparse_stem_filter(lang: Lang) -> SparseStemFilter {
    SparseStemFilter {
        stems: snowball(lang),
        decompound: lang == Lang::Nl,
        shared: match lang {
            Lang::Nl => &SHARED_NL,
            Lang::En => &SHARED_EN,
        },
    }
}

fn snowball(lang: Lang) -> SnowballFilter {
    match lang {
        Lang::Nl => SnowballFilter {
            algorithm: Algorithm::Dutch,
            overrides: NL_OVERRIDES,
        },
        Lang::En => SnowballFilter {
            algorithm: Algorithm::English,
            overrides: &[],
        },
    }
}

/// The stem of one lowercased, folded word in a language (no compound splitting).
pub fn stem(lang: Lang, word: &str) -> String {
    Stems::new(lang).stem(word)
}

/// Stems words of one language with one stemmer ([`stem`] creates one per word).
pub struct Stems {
    filter: SnowballFilter,
    stemmer: Stemmer,
}

impl Stems {
    /// A stemmer for the language.
    pub fn new(lang: Lang) -> Self {
        let filter = snowball(lang);
        Stems {
            stemmer: Stemmer::create(filter.algorithm),
            filter,
        }
    }

    /// The stem of one lowercased, folded word (no compound splitting).
    pub fn stem(&self, word: &str) -> String {
        self.filter.stem(&self.stemmer, word)
    }
}

/// The words of a text exactly as the [`FOLDED`] analyzer emits them (runs of alphanumeric
/// characters; those of `MAX_TOKEN_BYTES` (64) bytes or more dropped; lowercased; diacritics
/// folded), with their byte ranges, in one buffer instead of a string per word. A word of
/// ASCII characters only is lowercased here; any other word goes through the analyzer itself,
/// so the result is the analyzer's by construction. Highlighting folds every word of every
/// hit: through the analyzer this was an eighth of the instructions of a search for a rare
/// word (BENCHMARKS.md).
pub struct FoldedWords {
    buf: String,
    /// Per word: its range in `buf`, then its byte range in the text.
    words: Vec<[u32; 4]>,
}

impl FoldedWords {
    /// Folds a text. Texts of 4 GiB or more are not expected (a paragraph is far smaller); their
    /// offsets would wrap.
    pub fn new(text: &str) -> Self {
        let mut buf: Vec<u8> = Vec::with_capacity(text.len());
        let mut words: Vec<[u32; 4]> = Vec::with_capacity(text.len() / 5 + 1);
        let mut analyzer: Option<TextAnalyzer> = None;
        let bytes = text.as_bytes();
        // Whether the char at byte `i` (a char boundary) is alphanumeric, and its length:
        // ASCII without decoding.
        let class = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b.is_ascii() {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let c = text[i..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                (c.is_alphanumeric(), c.len_utf8())
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            let (alnum, len) = class(i);
            if !alnum {
                i += len;
                continue;
            }
            let start = i;
            let mut ascii = true;
            while i < bytes.len() {
                let (alnum, len) = class(i);
                if !alnum {
                    break;
                }
                ascii &= len == 1;
                i += len;
            }
            let end = i;
            let word = &text[start..end];
            if word.len() >= MAX_TOKEN_BYTES {
                continue;
            }
            let from = buf.len();
            if ascii {
                buf.extend_from_slice(word.as_bytes());
                buf[from..].make_ascii_lowercase();
            } else {
                let a = analyzer.get_or_insert_with(folded_analyzer);
                let mut stream = a.token_stream(word);
                while stream.advance() {
                    buf.extend_from_slice(stream.token().text.as_bytes());
                }
            }
            words.push([from as u32, buf.len() as u32, start as u32, end as u32]);
        }
        // Whole words of UTF-8 text and the analyzer's strings: valid UTF-8.
        let buf = String::from_utf8(buf).unwrap_or_default();
        FoldedWords { buf, words }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The folded form of word `i`.
    pub fn term(&self, i: usize) -> &str {
        let [a, b, _, _] = self.words[i];
        &self.buf[a as usize..b as usize]
    }

    /// The byte range of word `i` in the text.
    pub fn span(&self, i: usize) -> std::ops::Range<usize> {
        let [_, _, s, e] = self.words[i];
        s as usize..e as usize
    }

    /// Each word's folded form and byte range, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, std::ops::Range<usize>)> + '_ {
        (0..self.len()).map(|i| (self.term(i), self.span(i)))
    }
}

/// The committed sample corpus's titles and bodies and the seed article: real text for tests
/// that compare two ways of analysing it.
#[cfg(test)]
pub(crate) fn sample_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut texts: Vec<String> = std::fs::read_to_string(root.join("sample.jsonl"))
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .flat_map(|v| ["title", "body"].map(|k| v[k].as_str().unwrap_or_default().to_string()))
        .collect();
    texts.push(std::fs::read_to_string(root.join("000_05427ea14c8b4e57.txt")).unwrap());
    texts
}

/// Whether a stem is its own stem: then the words it stands for include the word written
/// exactly so, which the index keeps only in the unstemmed field ([`index_analyzer`]).
pub fn is_own_stem(lang: Lang, stem_text: &str) -> bool {
    stem(lang, stem_text) == stem_text
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
        manager.register(analyzer_name(lang), index_analyzer(lang));
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

impl SnowballFilter {
    /// The stem of a folded word: the override table first, then the Snowball algorithm.
    fn stem(&self, stemmer: &Stemmer, word: &str) -> String {
        match self.overrides.iter().find(|(k, _)| *k == word) {
            Some((_, stem)) => (*stem).to_string(),
            None => stemmer.stem(word).into_owned(),
        }
    }
}

impl TokenFilter for SnowballFilter {
    type Tokenizer<T: Tokenizer> = SnowballTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SnowballTokenizer<T> {
        SnowballTokenizer {
            filter: self,
            inner: tokenizer,
            cache: FxHashMap::default(),
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
    cache: FxHashMap<String, String>,
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
            filter: self.filter,
            cache: &mut self.cache,
        }
    }
}

struct SnowballTokenStream<'a, T> {
    tail: T,
    stemmer: Stemmer,
    filter: SnowballFilter,
    cache: &'a mut FxHashMap<String, String>,
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
        let stem = self.filter.stem(&self.stemmer, &token.text);
        let word = std::mem::replace(&mut token.text, stem.clone());
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

/// Index-time stemming for the stemmed fields ([`index_analyzer`]): for each word, its stem
/// unless that is the word itself, then (Dutch) the stems of its compound parts, all at the
/// word's position and offsets. A word that yields nothing is skipped.
#[derive(Clone, Copy)]
struct SparseStemFilter {
    stems: SnowballFilter,
    decompound: bool,
    /// What each word emits, shared by every tokenizer of this analyzer ([`SharedStems`]).
    shared: &'static SharedStems,
}

/// What words emit under one index analyzer, shared by all its tokenizers in the process.
/// tantivy clones an analyzer for every field of every segment writer, and each clone's own
/// cache ([`SparseCache`]) starts empty, so a build stemmed its vocabulary once per field and
/// indexing thread, again for every new segment: 45,700 Snowball calls of ~4,200 instructions
/// each on a tenth of the real corpus, whose vocabulary is 27,500 words. A word missing from a
/// tokenizer's own cache is looked up here before it is stemmed (a read lock: only on those
/// misses, never per token). Bounded: past [`SHARED_MAX`] words, new words are only cached
/// by the tokenizer that met them.
struct SharedStems(std::sync::LazyLock<std::sync::RwLock<FxHashMap<String, Box<[String]>>>>);

/// Words each [`SharedStems`] keeps (about 100 bytes each).
const SHARED_MAX: usize = 50_000;

impl SharedStems {
    const fn new() -> Self {
        SharedStems(std::sync::LazyLock::new(Default::default))
    }

    fn get(&self, word: &str, mut each: impl FnMut(&str)) -> bool {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        match map.get(word) {
            Some(stems) => {
                stems.iter().for_each(|s| each(s));
                true
            }
            None => false,
        }
    }

    fn insert(&self, word: &str, stems: &[String]) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        if map.len() < SHARED_MAX {
            map.insert(word.to_string(), stems.into());
        }
    }
}

/// The shared word → stems of the Dutch and English index analyzers.
static SHARED_NL: SharedStems = SharedStems::new();
static SHARED_EN: SharedStems = SharedStems::new();

impl TokenFilter for SparseStemFilter {
    type Tokenizer<T: Tokenizer> = SparseStemTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> SparseStemTokenizer<T> {
        SparseStemTokenizer {
            filter: self,
            inner: tokenizer,
            cache: SparseCache::default(),
        }
    }
}

/// Word → the stems it emits, as a range of `stems`: one hash lookup per token, and nothing
/// to copy for the many words that are their own stems and no compounds.
#[derive(Clone, Default)]
struct SparseCache {
    words: FxHashMap<String, (u32, u32)>,
    stems: Vec<String>,
}

impl SparseCache {
    /// Caches what a word emits: from the analyzer's shared cache, or computed (and shared).
    fn fill(&mut self, stemmer: &Stemmer, filter: SparseStemFilter, word: &str) -> (u32, u32) {
        let start = self.stems.len();
        if !filter
            .shared
            .get(word, |stem| self.stems.push(stem.to_string()))
        {
            self.compute(stemmer, filter, word);
            filter.shared.insert(word, &self.stems[start..]);
        }
        let range = (start as u32, self.stems.len() as u32);
        self.words.insert(word.to_string(), range);
        range
    }

    /// Appends the stems a word emits: its stem unless that is the word itself, then (Dutch)
    /// the stems of its compound parts, each once.
    fn compute(&mut self, stemmer: &Stemmer, filter: SparseStemFilter, word: &str) {
        let stem_of = |w: &str| filter.stems.stem(stemmer, w);
        let start = self.stems.len();
        let stem = stem_of(word);
        if stem != word {
            self.stems.push(stem);
        }
        if filter.decompound {
            for part in crate::compound::split(word) {
                let stem = stem_of(&part);
                if !self.stems[start..].contains(&stem) {
                    self.stems.push(stem);
                }
            }
        }
    }
}

#[derive(Clone)]
struct SparseStemTokenizer<T> {
    filter: SparseStemFilter,
    inner: T,
    cache: SparseCache,
}

impl<T: Tokenizer> Tokenizer for SparseStemTokenizer<T> {
    type TokenStream<'a> = SparseStemTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.words.len() > STEM_CACHE_MAX {
            self.cache.words.clear();
            self.cache.stems.clear();
        }
        SparseStemTokenStream {
            tail: self.inner.token_stream(text),
            stemmer: Stemmer::create(self.filter.stems.algorithm),
            filter: self.filter,
            cache: &mut self.cache,
            next: 0,
            end: 0,
            current: Token::default(),
        }
    }
}

struct SparseStemTokenStream<'a, T> {
    tail: T,
    stemmer: Stemmer,
    filter: SparseStemFilter,
    cache: &'a mut SparseCache,
    /// The current word's stems still to emit: `cache.stems[next..end]`.
    next: usize,
    end: usize,
    current: Token,
}

impl<T: TokenStream> TokenStream for SparseStemTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        loop {
            if self.next < self.end {
                self.current.text.clear();
                self.current.text.push_str(&self.cache.stems[self.next]);
                self.next += 1;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token();
            let (start, end) = match self.cache.words.get(token.text.as_str()) {
                Some(&range) => range,
                None => self.cache.fill(&self.stemmer, self.filter, &token.text),
            };
            (self.next, self.end) = (start as usize, end as usize);
            self.current.offset_from = token.offset_from;
            self.current.offset_to = token.offset_to;
            self.current.position = token.position;
            self.current.position_length = token.position_length;
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
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

    /// [`FoldedWords`] gives the folded analyzer's tokens (text and byte range) on the sample
    /// corpus, the seed and hostile text: diacritics, ligatures, other scripts, digits, joined
    /// and very long words, combining marks.
    #[test]
    fn folded_words_are_the_folded_analyzers_tokens() {
        let mut texts = sample_texts();
        let long = "a".repeat(63) + " " + &"b".repeat(64) + " " + &"é".repeat(40);
        texts.extend(
            [
                "Zoë's café in Curaçao: Oekraïne, Noord-Korea, İstanbul, ŁÓDŹ, straße, ﬁnale",
                "Москва и Київ; 東京 2024-11-15, 3,5 procent, x86_64, e\u{301}e COVID-19",
                "\u{0}\t\r\n  --  ",
                "",
                long.as_str(),
            ]
            .map(str::to_string),
        );
        let mut words = 0;
        for text in &texts {
            let want: Vec<(String, usize, usize)> = tokens(&mut folded_analyzer(), text)
                .into_iter()
                .map(|t| (t.term, t.start, t.end))
                .collect();
            let f = FoldedWords::new(text);
            let got: Vec<(String, usize, usize)> = f
                .iter()
                .map(|(w, r)| (w.to_string(), r.start, r.end))
                .collect();
            assert_eq!(got, want, "{text:?}");
            words += got.len();
        }
        assert!(words > 10_000, "too little text: {words} words");
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
    fn index_analysis_keeps_only_stems_that_differ_from_the_word() {
        let terms = |text: &str| -> Vec<(String, usize)> {
            tokens(&mut index_analyzer(Lang::Nl), text)
                .into_iter()
                .map(|t| (t.term, t.position))
                .collect()
        };
        // "de", "van" and "president" are their own stems: only in the exact field.
        assert_eq!(
            terms("de raketten van de president"),
            [("raket".to_string(), 1)]
        );
        assert_eq!(
            terms("de raketverdediging"),
            [
                ("raketverded".to_string(), 1),
                ("raket".to_string(), 1),
                ("verded".to_string(), 1)
            ]
        );
        assert!(is_own_stem(Lang::Nl, "raket"));
        assert!(!is_own_stem(Lang::Nl, "raketten"));
        assert!(is_own_stem(Lang::En, "talk"));
        assert!(!is_own_stem(Lang::En, "talks"));
    }

    /// What a query for a stem finds through the sparse stemmed field plus the exact field
    /// is what it found in a fully stemmed field: for every word of real sentences and every
    /// stem of those words.
    #[test]
    fn sparse_stems_plus_exact_words_equal_full_stems() {
        let cases = [
            (
                Lang::Nl,
                "De Noord-Koreaanse troepen vechten volgens Oekraïense inlichtingendiensten \
                 mee in de regio Koersk; de gemeenteraadsverkiezingen in Nederland gaan door.",
            ),
            (
                Lang::En,
                "Prime Minister Shigeru Ishiba said on Tuesday that the talks with the \
                 United States were going well and that tariffs would be lowered.",
            ),
        ];
        for (lang, text) in cases {
            let full = tokens(&mut analyzer(lang), text);
            let sparse = tokens(&mut index_analyzer(lang), text);
            let words = tokens(&mut folded_analyzer(), text);
            let stems: Vec<&str> = full.iter().map(|t| t.term.as_str()).collect();
            for word in &words {
                let at = |v: &[AnalyzedToken]| -> Vec<String> {
                    v.iter()
                        .filter(|t| t.start == word.start)
                        .map(|t| t.term.clone())
                        .collect()
                };
                let (full_here, sparse_here) = (at(&full), at(&sparse));
                for s in &stems {
                    let found = sparse_here.iter().any(|t| t == s)
                        || (is_own_stem(lang, s) && word.term == *s);
                    assert_eq!(
                        found,
                        full_here.iter().any(|t| t == s),
                        "{lang:?} word {:?}, stem {s:?}",
                        word.term
                    );
                }
            }
        }
    }

    /// A word emits the same stems whether its tokenizer computes them, finds them in its own
    /// cache or takes them from the analyzer's shared cache (filled by another tokenizer).
    #[test]
    fn stems_from_the_shared_cache_equal_stems_computed_afresh() {
        let cases = [
            (
                Lang::Nl,
                "De Noord-Koreaanse troepen vechten volgens Oekraïense inlichtingendiensten \
                 mee in de regio Koersk; de gemeenteraadsverkiezingen gaan door. Zzonbekendewoordverbinding.",
            ),
            (
                Lang::En,
                "Prime Minister Shigeru Ishiba said the talks with the United States were \
                 going well and that tariffs would be lowered; zzunknownwordings.",
            ),
        ];
        for (lang, text) in cases {
            let filter = sparse_stem_filter(lang);
            let stemmer = Stemmer::create(filter.stems.algorithm);
            let words = tokens(&mut folded_analyzer(), text);
            // Two fresh analyzers (tantivy's per-field clones): the second takes from the
            // shared cache what the first put there; each also reads its own cache twice.
            let runs: Vec<Vec<AnalyzedToken>> = (0..2)
                .flat_map(|_| {
                    let mut a = index_analyzer(lang);
                    [tokens(&mut a, text), tokens(&mut a, text)]
                })
                .collect();
            for word in &words {
                let mut fresh = SparseCache::default();
                fresh.compute(&stemmer, filter, &word.term);
                for run in &runs {
                    let here: Vec<String> = run
                        .iter()
                        .filter(|t| t.start == word.start)
                        .map(|t| t.term.clone())
                        .collect();
                    assert_eq!(here, fresh.stems, "{lang:?} {:?}", word.term);
                }
                assert!(
                    filter.shared.get(&word.term, |_| {}),
                    "{:?} is shared",
                    word.term
                );
            }
        }
    }

    #[test]
    fn fingerprint_is_stable_hex() {
        assert_eq!(fingerprint(), fingerprint());
        assert_eq!(fingerprint().len(), 16);
    }
}
