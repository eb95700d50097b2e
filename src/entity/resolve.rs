//! entity stage, corpus-wide persons: decides which bare surnames resolve to one full name
//! across the whole corpus ("Rutte" → "Mark Rutte" when the corpus names no other Rutte).
//!
//! Spellings of one name are one person across the corpus too: each stands for the spelling
//! most articles use. Spellings that differ in hyphens, case or diacritics ("Kim Jong Un",
//! "Kim Jong-un": the same [`spelling_key`]) and transliterations ("Vladimir Poetin",
//! "Vladimir Putin": the same [`transliteration_key`]) always merge; spellings that differ
//! only in doubled consonants ("John Herington", "John Herrington": the same [`sound_key`])
//! merge when the rarer one has at most half the articles of the other (a typo), so that
//! "Jan Jansen" and "Jan Janssen", equally common, stay two people.
//!
//! The decision is a [`PersonMap`] stored with the index (`persons.bin`, [`PersonMap::to_bytes`])
//! and applied when the index is read — filters, facets and hits see "Rutte" as "Mark Rutte" —
//! so no document is written twice, and an incremental update that adds the articles naming
//! Mark Rutte resolves the bare "Rutte" of older articles too. Every search opens the map, so
//! it is stored sorted and read as two buffers, not parsed entry by entry: opening costs the
//! same few allocations whatever the corpus (the JSON file of earlier versions, still read,
//! cost a quarter of a whole CLI search on 1M paragraphs; BENCHMARKS.md, twelfth session).

use std::cmp::Ordering;
use std::collections::HashMap;

use super::persons::{person_aliases, person_key, sound_key, spelling_key, transliteration_key};

/// Strings keyed by strings, sorted by key in one buffer: read from a file with a few
/// allocations whatever its size, looked up by binary search.
#[derive(Debug, Clone, Default)]
pub struct StrMap {
    /// Each entry's key, then its value, entry after entry, in key order.
    text: String,
    /// Per entry: where its key ends (its value starts) and where its value ends in `text`;
    /// an entry starts where the one before it ends.
    ends: Vec<(u32, u32)>,
    /// A bit set of the keys' hashes (about 8 bits a key): most lookups are of absent keys
    /// (facet counts ask the spellings of every name they count), and a clear bit answers
    /// them with one hash instead of a binary search.
    filter: Vec<u64>,
}

/// Equal entries (the filter follows from them).
impl PartialEq for StrMap {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.ends == other.ends
    }
}

impl Eq for StrMap {}

impl StrMap {
    /// The map of these pairs.
    fn from_map(map: HashMap<String, String>) -> StrMap {
        let mut pairs: Vec<(String, String)> = map.into_iter().collect();
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut m = StrMap {
            text: String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len()).sum()),
            ends: Vec::with_capacity(pairs.len()),
            filter: Vec::new(),
        };
        for (k, v) in pairs {
            m.text.push_str(&k);
            let key_end = m.text.len();
            m.text.push_str(&v);
            // Offsets are 32-bit: a map of over 4 GiB of names (none is near) stops there.
            let (Ok(key_end), Ok(end)) = (u32::try_from(key_end), u32::try_from(m.text.len()))
            else {
                m.text.truncate(m.ends.last().map_or(0, |e| e.1 as usize));
                break;
            };
            m.ends.push((key_end, end));
        }
        m.with_filter()
    }

    /// The bit of `key` in a filter of `words` 64-bit words (a power of two).
    #[inline]
    fn filter_bit(key: &[u8], words: usize) -> (usize, u64) {
        use std::hash::Hasher;
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(key);
        let h = hasher.finish() as usize & (words * 64 - 1);
        (h / 64, 1 << (h % 64))
    }

    /// This map with its filter made.
    fn with_filter(mut self) -> StrMap {
        let words = (self.ends.len() * 8).div_ceil(64).next_power_of_two();
        let mut filter = vec![0u64; words];
        let text = self.text.as_bytes();
        let mut start = 0;
        for &(key_end, end) in &self.ends {
            let key = text.get(start..key_end as usize).unwrap_or_default();
            let (w, bit) = Self::filter_bit(key, words);
            filter[w] |= bit;
            start = end as usize;
        }
        self.filter = filter;
        self
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.ends[i - 1].1 as usize
        }
    }

    fn key_at(&self, i: usize) -> &str {
        &self.text[self.start(i)..self.ends[i].0 as usize]
    }

    fn value_at(&self, i: usize) -> &str {
        &self.text[self.ends[i].0 as usize..self.ends[i].1 as usize]
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The stored key equal to `key`, and its value.
    #[inline]
    pub fn entry(&self, key: &str) -> Option<(&str, &str)> {
        // Compared as bytes (the order of UTF-8 bytes is the order of the chars): a `str`
        // slice would check both ends for char boundaries at every step. Facet counts look up
        // every counted name.
        let (text, key) = (self.text.as_bytes(), key.as_bytes());
        if self.ends.is_empty() {
            return None;
        }
        let (w, bit) = Self::filter_bit(key, self.filter.len());
        if self.filter.get(w).is_none_or(|x| x & bit == 0) {
            return None;
        }
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let stored = text
                .get(self.start(mid)..self.ends[mid].0 as usize)
                .unwrap_or_default();
            match stored.cmp(key) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some((self.key_at(mid), self.value_at(mid))),
            }
        }
        None
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        (0..self.ends.len()).map(|i| (self.key_at(i), self.value_at(i)))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.key_at(i))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Appends the map: entry count (u32), the entries' (key end, value end) offsets (u32
    /// pairs), text length (u32), text; little-endian.
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.ends.len() as u32).to_le_bytes());
        for &(k, v) in &self.ends {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.text.len() as u32).to_le_bytes());
        out.extend_from_slice(self.text.as_bytes());
    }

    /// Reads a map that [`StrMap::encode`] wrote at `b[*p..]`, moving `p` past it; `None`
    /// unless every offset is in order, on a char boundary, and the keys strictly ascend.
    fn decode(b: &[u8], p: &mut usize) -> Option<StrMap> {
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = b.get(*p..p.checked_add(n)?)?;
            *p += n;
            Some(s)
        };
        let u32_of = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let n = u32_of(take(4)?) as usize;
        let ends: Vec<(u32, u32)> = take(n.checked_mul(8)?)?
            .chunks_exact(8)
            .map(|c| (u32_of(&c[..4]), u32_of(&c[4..])))
            .collect();
        let len = u32_of(take(4)?) as usize;
        let text = std::str::from_utf8(take(len)?).ok()?;
        let mut start = 0usize;
        let mut prev_key: Option<&str> = None;
        for &(k, v) in &ends {
            let (k, v) = (k as usize, v as usize);
            let in_order = start <= k && k <= v && v <= len;
            if !in_order || !text.is_char_boundary(k) || !text.is_char_boundary(v) {
                return None;
            }
            let key = &text[start..k];
            if prev_key.is_some_and(|pk| pk >= key) {
                return None;
            }
            prev_key = Some(key);
            start = v;
        }
        (start == len).then(|| {
            StrMap {
                text: text.to_string(),
                ends,
                filter: Vec::new(),
            }
            .with_filter()
        })
    }
}

/// The corpus-wide resolution of bare surnames and of spellings, stored with an index.
#[derive(Debug, Clone, Default)]
pub struct PersonMap {
    /// Folded surname alias → canonical full name.
    aliases: StrMap,
    /// A full name as written in the index → the spelling of that name that the corpus uses
    /// most ([`dominant_spellings`]); only names that are not themselves that spelling.
    spellings: StrMap,
    /// [`transliteration_key`] of a full name of a merged person → the folded full names of
    /// all its spellings in the index; of a short name (surname) → the short names of all its
    /// spellings; sorted, one per line ("putin" → "poetin\nputin"). Follows from
    /// `spellings`, and is stored beside it so that a search need not fold every name.
    keys: StrMap,
    /// [`transliteration_key`] of a merged person's full name → the folded key of the
    /// spelling it stands for. Follows from `spellings`, stored as `keys` is.
    dominant: StrMap,
}

/// The person map as earlier versions stored it (`persons.json`).
#[derive(serde::Deserialize)]
struct PersonMapJson {
    aliases: HashMap<String, String>,
    #[serde(default)]
    spellings: HashMap<String, String>,
}

/// First bytes of a stored [`PersonMap`].
const MAGIC: &[u8; 8] = b"NXPMAP02";
/// First bytes of a [`PersonMap`] stored before the spelling lookups were: aliases and
/// spellings only.
const MAGIC_1: &[u8; 8] = b"NXPMAP01";

/// The maps that follow from the spellings ([`PersonMap::keys`], [`PersonMap::dominant`]).
fn spelling_lookups(spellings: &StrMap) -> (StrMap, StrMap) {
    let mut keys: HashMap<String, Vec<String>> = HashMap::new();
    let mut dominant: HashMap<String, String> = HashMap::new();
    // Each merged person: its spellings, and the short names of all its spellings.
    let mut groups: HashMap<&str, Vec<&str>> = HashMap::new();
    for (variant, name) in spellings.iter() {
        groups.entry(name).or_default().push(variant);
    }
    for (name, mut spellings) in groups {
        spellings.push(name);
        let mut full = Vec::new();
        let mut short = Vec::new();
        for spelling in &spellings {
            let mut aliases = person_aliases(spelling).into_iter();
            full.extend(aliases.next());
            short.extend(aliases);
        }
        for group in [full, short] {
            for key in &group {
                let entry = keys.entry(transliteration_key(key)).or_default();
                entry.extend(group.iter().cloned());
            }
        }
        for spelling in spellings {
            dominant.insert(transliteration_key(spelling), person_key(name));
        }
    }
    let keys = keys
        .into_iter()
        .map(|(t, mut group)| {
            group.sort_unstable();
            group.dedup();
            (t, group.join("\n"))
        })
        .collect();
    (StrMap::from_map(keys), StrMap::from_map(dominant))
}

impl PartialEq for PersonMap {
    fn eq(&self, other: &Self) -> bool {
        self.aliases == other.aliases && self.spellings == other.spellings
    }
}

impl Eq for PersonMap {}

impl PersonMap {
    /// The map for these article counts per full name: spellings first
    /// ([`dominant_spellings`]), then surnames ([`dominant_names`]) over the articles of each
    /// name with its other spellings added; the surname of any spelling ("Poetin", "Putin")
    /// resolves to the spelling the person stands for.
    pub fn from_counts(articles_per_name: &HashMap<String, u64>) -> PersonMap {
        let spellings = dominant_spellings(articles_per_name);
        let mut merged: HashMap<&str, (u64, Vec<String>)> =
            HashMap::with_capacity(articles_per_name.len());
        for (name, &n) in articles_per_name {
            let canonical = spellings.get(name).unwrap_or(name);
            let entry = merged.entry(canonical.as_str()).or_default();
            entry.0 += n;
            // The short names of the canonical spelling, and of a transliteration or typo
            // ("Poetin" for "Putin"); a spelling with other hyphens or capitals adds nothing
            // ("Ben" of "David Ben-Goerion" is a first name, not "David Ben Goerion").
            if canonical != name && spelling_key(canonical) == spelling_key(name) {
                continue;
            }
            for alias in person_aliases(name).into_iter().skip(1) {
                if !entry.1.contains(&alias) {
                    entry.1.push(alias);
                }
            }
        }
        // A single-word name has no short aliases: it is not a full name.
        let full_names = merged
            .into_iter()
            .filter(|(_, (_, aliases))| !aliases.is_empty())
            .map(|(name, (n, aliases))| (name, aliases, n));
        let aliases = resolve_surnames(full_names);
        PersonMap::with_lookups(StrMap::from_map(aliases), StrMap::from_map(spellings))
    }

    fn with_lookups(aliases: StrMap, spellings: StrMap) -> PersonMap {
        let (keys, dominant) = spelling_lookups(&spellings);
        PersonMap {
            aliases,
            spellings,
            keys,
            dominant,
        }
    }

    /// The map for these folded surname aliases → canonical full names.
    pub fn from_aliases(aliases: HashMap<String, String>) -> PersonMap {
        PersonMap {
            aliases: StrMap::from_map(aliases),
            ..PersonMap::default()
        }
    }

    /// The stored form ([`PersonMap::from_bytes`]): a magic number, then the aliases, the
    /// spellings and the two maps that follow from the spellings, each a sorted [`StrMap`].
    /// The same map always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            MAGIC.len()
                + 16
                + 8 * (self.aliases.len() + self.spellings.len())
                + self.aliases.text.len()
                + self.spellings.text.len(),
        );
        out.extend_from_slice(MAGIC);
        for map in [&self.aliases, &self.spellings, &self.keys, &self.dominant] {
            map.encode(&mut out);
        }
        out
    }

    /// Reads what [`PersonMap::to_bytes`] wrote; `None` when it is not such a map (another
    /// file, truncated, or corrupt). A map stored before the spelling lookups were (aliases
    /// and spellings only) still reads: the lookups are made from the spellings.
    pub fn from_bytes(b: &[u8]) -> Option<PersonMap> {
        let magic = b.get(..MAGIC.len())?;
        if magic != MAGIC && magic != MAGIC_1 {
            return None;
        }
        let mut p = MAGIC.len();
        let aliases = StrMap::decode(b, &mut p)?;
        let spellings = StrMap::decode(b, &mut p)?;
        if magic == MAGIC_1 {
            return (p == b.len()).then(|| PersonMap::with_lookups(aliases, spellings));
        }
        let keys = StrMap::decode(b, &mut p)?;
        let dominant = StrMap::decode(b, &mut p)?;
        (p == b.len()).then_some(PersonMap {
            aliases,
            spellings,
            keys,
            dominant,
        })
    }

    /// Reads the JSON form that earlier versions stored (`persons.json`: `aliases`, and
    /// `spellings` since they exist).
    pub fn from_json(text: &str) -> Result<PersonMap, String> {
        let m: PersonMapJson = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Ok(PersonMap::with_lookups(
            StrMap::from_map(m.aliases),
            StrMap::from_map(m.spellings),
        ))
    }

    /// The spelling a full name from the index stands for: the corpus's most used spelling
    /// of that name, or the name itself.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.spellings.get(name).unwrap_or(name)
    }

    /// Full name → the spelling it stands for, for the names that stand for another.
    pub fn spellings(&self) -> &StrMap {
        &self.spellings
    }

    /// The folded keys of every spelling in the index of the person a user's filter key names
    /// ("kim jong un" → "kim jong un", "kim jong-un"; the surname "poetin" → "poetin",
    /// "putin"); just the key when it has no others.
    pub fn keys_for(&self, key: &str) -> Vec<String> {
        if self.keys.is_empty() {
            return vec![key.to_string()];
        }
        match self.keys.get(&transliteration_key(key)) {
            Some(group) => {
                let mut keys: Vec<String> = group.split('\n').map(String::from).collect();
                if !keys.iter().any(|k| k == key) {
                    keys.push(key.to_string());
                    keys.sort_unstable();
                }
                keys
            }
            None => vec![key.to_string()],
        }
    }

    /// Folded surname alias → canonical full name.
    pub fn aliases(&self) -> &StrMap {
        &self.aliases
    }

    /// The full name a candidate surname resolves to.
    pub fn resolve(&self, candidate: &str) -> Option<&str> {
        self.aliases.get(candidate)
    }

    /// The candidate surnames that stand for the person a user's filter names: the filter is
    /// a folded full name ("mark rutte") or alias ("rutte").
    pub fn candidates_for(&self, key: &str) -> Vec<&str> {
        // Another spelling of a full name: the aliases of the spelling it stands for.
        let name_key = if self.dominant.is_empty() {
            key
        } else {
            self.dominant.get(&transliteration_key(key)).unwrap_or(key)
        };
        // The aliases of that name. Folding every name of the map costs more than the rest of
        // a CLI search: a name that starts with an ASCII letter or digit folds to it in
        // lowercase, so only names with the key's first letter are folded.
        let first = name_key.as_bytes().first().copied();
        let mut out: Vec<&str> = self
            .aliases
            .iter()
            .filter(|(_, name)| match name.as_bytes().first() {
                Some(b) if b.is_ascii_alphanumeric() => Some(b.to_ascii_lowercase()) == first,
                _ => true,
            })
            .filter(|(_, name)| person_key(name) == name_key)
            .map(|(alias, _)| alias)
            .collect();
        // An alias, in each of its spellings ("poetin", "putin").
        for k in self.keys_for(key) {
            if let Some((alias, _)) = self.aliases.entry(k.as_str()) {
                if !out.contains(&alias) {
                    out.push(alias);
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// From full names and the number of articles that name each, the spellings that stand for
/// another: names are grouped by [`sound_key`] (full names of two or more words) or by
/// [`spelling_key`] (single words); in each group, every name but the one most articles use
/// → that one, when it has the same [`spelling_key`] or [`transliteration_key`], or at most
/// half that one's articles (doubled consonants: a typo). A name that is not merged stays a
/// person of its own.
pub fn dominant_spellings(articles_per_name: &HashMap<String, u64>) -> HashMap<String, String> {
    let mut groups: HashMap<String, Vec<(&str, u64)>> = HashMap::new();
    for (name, &n) in articles_per_name {
        let key = spelling_key(name);
        let key = if key.contains(' ') {
            sound_key(&key)
        } else {
            key
        };
        groups.entry(key).or_default().push((name.as_str(), n));
    }
    let mut out = HashMap::new();
    for (_, mut names) in groups {
        if names.len() < 2 {
            continue;
        }
        // Ties: fewer capitals ("WIlliam" is a typo), then diacritics kept ("Chávez"), then
        // sort order.
        let caps = |n: &str| n.chars().filter(|c| c.is_uppercase()).count();
        let plain = |n: &str| n.is_ascii();
        names.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| caps(a.0).cmp(&caps(b.0)))
                .then_with(|| plain(a.0).cmp(&plain(b.0)))
                .then_with(|| a.0.cmp(b.0))
        });
        let (best, best_n) = names[0];
        let best_spelling = spelling_key(best);
        let best_sound = transliteration_key(best);
        for &(name, n) in &names[1..] {
            if spelling_key(name) == best_spelling
                || transliteration_key(name) == best_sound
                || n.saturating_mul(2) <= best_n
            {
                out.insert(name.to_string(), best.to_string());
            }
        }
    }
    out
}

/// Least number of articles that must name the full person before a bare surname resolves.
pub const MIN_ARTICLES: u64 = 2;
/// Share of the articles naming someone with that surname that the dominant person must have.
pub const MIN_SHARE: f64 = 0.8;

/// From full names and the number of articles that name each, the surname aliases that
/// resolve unambiguously: alias (folded) → canonical full name. A surname resolves when one
/// full name has at least [`MIN_ARTICLES`] articles and at least [`MIN_SHARE`] of the
/// articles of all full names sharing that surname.
pub fn dominant_names(articles_per_name: &HashMap<String, u64>) -> HashMap<String, String> {
    resolve_surnames(articles_per_name.iter().filter_map(|(name, &n)| {
        let aliases: Vec<String> = person_aliases(name).into_iter().skip(1).collect();
        // a single-word name is not a full name
        (!aliases.is_empty()).then_some((name.as_str(), aliases, n))
    }))
}

/// [`dominant_names`] over (full name, its short aliases, articles).
fn resolve_surnames<'a>(
    full_names: impl Iterator<Item = (&'a str, Vec<String>, u64)>,
) -> HashMap<String, String> {
    let mut by_alias: HashMap<String, Vec<(&str, u64)>> = HashMap::new();
    for (name, aliases, n) in full_names {
        for alias in aliases {
            by_alias.entry(alias).or_default().push((name, n));
        }
    }
    let mut out = HashMap::new();
    for (alias, mut names) in by_alias {
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let total: u64 = names.iter().map(|(_, n)| n).sum();
        let (best, n) = names[0];
        if n >= MIN_ARTICLES && n as f64 >= MIN_SHARE * total as f64 {
            out.insert(alias, best.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Article counts per full name.
    fn counts(pairs: &[(&str, u64)]) -> HashMap<String, u64> {
        pairs.iter().map(|&(k, v)| (k.to_string(), v)).collect()
    }

    #[test]
    fn person_map_answers_filters_by_full_name_or_alias() {
        let counts: HashMap<String, u64> = [("Mark Rutte".to_string(), 3)].into_iter().collect();
        let m = PersonMap::from_counts(&counts);
        assert_eq!(m.resolve("rutte"), Some("Mark Rutte"));
        assert_eq!(m.candidates_for("mark rutte"), ["rutte"]);
        assert_eq!(m.candidates_for("rutte"), ["rutte"]);
        assert!(m.candidates_for("joe biden").is_empty());
        // Names that start with a letter with a diacritic, or with a letter in another case
        // than the key's.
        let counts: HashMap<String, u64> = [
            ("Élise Dupont".to_string(), 3),
            ("Ángel Gurría".to_string(), 2),
            ("ed Miliband".to_string(), 2),
            ("Ed Balls".to_string(), 2),
        ]
        .into_iter()
        .collect();
        let m = PersonMap::from_counts(&counts);
        assert_eq!(m.candidates_for("elise dupont"), ["dupont"]);
        assert_eq!(m.candidates_for("angel gurria"), ["gurria"]);
        assert_eq!(m.candidates_for("ed miliband"), ["miliband"]);
        assert_eq!(m.candidates_for("ed balls"), ["balls"]);
    }

    #[test]
    fn resolves_dominant_surnames_only() {
        let counts = counts(&[
            ("Mark Rutte", 12),
            ("Joe Biden", 5),
            ("Hunter Biden", 4),
            ("Shigeru Ishiba", 1),
            ("Kim Jong-un", 3),
            ("Madonna", 9),
        ]);
        let m = dominant_names(&counts);
        assert_eq!(m.get("rutte").map(String::as_str), Some("Mark Rutte"));
        assert_eq!(m.get("biden"), None, "two Bidens: ambiguous");
        assert_eq!(m.get("ishiba"), None, "one article is not enough");
        assert_eq!(m.get("kim").map(String::as_str), Some("Kim Jong-un"));
        assert_eq!(m.get("madonna"), None, "not a full name");
    }

    #[test]
    fn spellings_of_one_name_are_one_person() {
        // Both spellings occur in the committed sample corpus (NTREX news).
        let counts = counts(&[
            ("Kim Jong Un", 3),
            ("Kim Jong-un", 1),
            ("Ri Yong-ho", 2),
            ("Ri Yong Ho", 2),
            ("William Dickey", 1),
            ("WIlliam Dickey", 1),
            ("Hugo Chavez", 1),
            ("Hugo Chávez", 1),
            ("Mark Rutte", 2),
        ]);
        let m = PersonMap::from_counts(&counts);
        assert_eq!(m.canonical("Kim Jong-un"), "Kim Jong Un");
        assert_eq!(m.canonical("Kim Jong Un"), "Kim Jong Un");
        // A tie goes to fewer capitals, then to diacritics, then to sort order.
        assert_eq!(m.canonical("Ri Yong Ho"), "Ri Yong-ho");
        assert_eq!(m.canonical("WIlliam Dickey"), "William Dickey");
        assert_eq!(m.canonical("Hugo Chavez"), "Hugo Chávez");
        assert_eq!(m.canonical("Mark Rutte"), "Mark Rutte");
        assert_eq!(m.spellings().len(), 4);
        for key in ["kim jong un", "kim jong-un"] {
            assert_eq!(m.keys_for(key), ["kim jong un", "kim jong-un"], "{key}");
            // "Kim" alone: 4 of 4 articles name this Kim, in either spelling.
            assert_eq!(m.candidates_for(key), ["kim"], "{key}");
        }
        assert_eq!(m.resolve("kim"), Some("Kim Jong Un"));
        assert_eq!(m.keys_for("mark rutte"), ["mark rutte"]);
        // A map stored before spellings existed still reads.
        let old = PersonMap::from_json(r#"{"aliases":{"rutte":"Mark Rutte"}}"#).unwrap();
        assert!(old.spellings().is_empty());
        assert_eq!(old.canonical("Kim Jong-un"), "Kim Jong-un");
    }

    #[test]
    fn the_stored_map_answers_as_the_map_it_was_made_from() {
        let counts = counts(&[
            ("Mark Rutte", 3),
            ("Kim Jong Un", 3),
            ("Kim Jong-un", 1),
            ("Vladimir Poetin", 6),
            ("Vladimir Putin", 5),
            ("Recep Tayyip Erdoğan", 4),
            ("Joe Biden", 5),
            ("Hunter Biden", 4),
        ]);
        let m = PersonMap::from_counts(&counts);
        let bytes = m.to_bytes();
        let back = PersonMap::from_bytes(&bytes).expect("decodes");
        assert_eq!(back, m);
        assert_eq!(back.to_bytes(), bytes, "the same map gives the same bytes");
        assert!(back.aliases().len() >= 4, "{:?}", back.aliases());
        // Every entry is found by its key, and keys between or around them are not.
        for map in [back.aliases(), back.spellings()] {
            let keys: Vec<&str> = map.keys().collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
            for (k, v) in map.iter() {
                assert_eq!(map.get(k), Some(v));
                assert_eq!(map.entry(k), Some((k, v)));
                let shorter: String = k.chars().skip(1).collect();
                for absent in [format!("{k}x"), shorter, format!(" {k}")] {
                    assert_eq!(map.get(&absent), None, "{absent:?}");
                }
            }
            assert_eq!(map.get(""), None);
        }
        assert_eq!(back.resolve("rutte"), Some("Mark Rutte"));
        assert_eq!(back.resolve("erdogan"), Some("Recep Tayyip Erdoğan"));
        assert_eq!(back.resolve("biden"), None, "two Bidens");
        assert_eq!(back.canonical("Vladimir Putin"), "Vladimir Poetin");
        assert_eq!(back.candidates_for("vladimir putin"), ["poetin", "putin"]);
        assert_eq!(back.keys_for("putin"), ["poetin", "putin"]);
        // A map stored before the spelling lookups were (aliases and spellings only) reads,
        // and answers as the map it was made from.
        let mut old = MAGIC_1.to_vec();
        m.aliases.encode(&mut old);
        m.spellings.encode(&mut old);
        let back = PersonMap::from_bytes(&old).expect("decodes");
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.keys_for("poetin"), ["poetin", "putin"]);
        assert_eq!(back.candidates_for("vladimir putin"), ["poetin", "putin"]);
        assert_eq!(
            PersonMap::from_bytes(&old[..old.len() - 1]),
            None,
            "truncated"
        );
        // A large map: every key found after the round trip (the filter has no false
        // negatives), absent keys not.
        let many: HashMap<String, String> = (0..3000)
            .map(|i| (format!("naam{i}ë"), format!("Voornaam Naam{i}")))
            .collect();
        let big = PersonMap::from_aliases(many.clone());
        let back = PersonMap::from_bytes(&big.to_bytes()).unwrap();
        for (k, v) in &many {
            assert_eq!(back.resolve(k), Some(v.as_str()), "{k}");
            assert_eq!(back.resolve(&format!("{k}x")), None);
        }
        assert_eq!(back.aliases().len(), 3000);
        // An empty map too.
        let empty = PersonMap::default();
        assert_eq!(PersonMap::from_bytes(&empty.to_bytes()), Some(empty));
    }

    #[test]
    fn a_damaged_stored_map_is_refused_not_misread() {
        let m = PersonMap::from_counts(&counts(&[("Mark Rutte", 3), ("Sigrid Kaag", 2)]));
        let bytes = m.to_bytes();
        // Every truncation, and a byte more.
        for n in 0..bytes.len() {
            assert_eq!(PersonMap::from_bytes(&bytes[..n]), None, "first {n} bytes");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(PersonMap::from_bytes(&longer), None);
        // Every single byte changed: refused, or (a byte of a name) read as another map of the
        // same size, never a panic.
        for i in 0..bytes.len() {
            for x in [0u8, 0x7f, 0xc3, 0xff] {
                let mut b = bytes.clone();
                b[i] = x;
                if let Some(other) = PersonMap::from_bytes(&b) {
                    assert_eq!(other.aliases().len(), m.aliases().len(), "byte {i} = {x}");
                    assert!(other.aliases().keys().collect::<Vec<_>>().is_sorted());
                }
            }
        }
        // Keys out of order: "kaag" and "rutte" swapped, offsets kept.
        let text = "kaagSigrid Kaagrutte".to_string() + "Mark Rutte";
        let good = PersonMap::from_bytes(&bytes).unwrap();
        assert_eq!(good.aliases().text, text);
        let swapped = "ruttSigrid Kaagkaage".to_string() + "Mark Rutte";
        let at = bytes
            .windows(text.len())
            .position(|w| w == text.as_bytes())
            .unwrap();
        let mut b = bytes.clone();
        b[at..at + text.len()].copy_from_slice(swapped.as_bytes());
        assert_eq!(PersonMap::from_bytes(&b), None, "keys must ascend");
        assert_eq!(
            PersonMap::from_bytes(b"{\"aliases\":{}}"),
            None,
            "JSON is not the stored form"
        );
    }

    #[test]
    fn transliterations_and_typos_of_one_name_are_one_person() {
        // Article counts as in the real corpus (DPG Media in Dutch, Wikinews and Reuters in
        // English).
        let counts = counts(&[
            ("Vladimir Poetin", 6),
            ("Vladimir Putin", 5),
            ("Volodymyr Zelensky", 5),
            ("Volodymyr Zelenskyy", 1),
            ("John Herrington", 20),
            ("John Herington", 1),
            ("Fred Hoffman", 1),
            ("Fred Hoffmann", 1),
            ("Jan Jansen", 3),
            ("Jan Janssen", 2),
        ]);
        let m = PersonMap::from_counts(&counts);
        assert_eq!(m.canonical("Vladimir Putin"), "Vladimir Poetin");
        assert_eq!(m.canonical("Volodymyr Zelenskyy"), "Volodymyr Zelensky");
        assert_eq!(m.canonical("John Herington"), "John Herrington");
        // Doubled letters with no clear majority: maybe two people.
        assert_eq!(m.canonical("Fred Hoffmann"), "Fred Hoffmann");
        assert_eq!(m.canonical("Fred Hoffman"), "Fred Hoffman");
        assert_eq!(m.canonical("Jan Janssen"), "Jan Janssen");
        assert_eq!(m.spellings().len(), 3);
        // Filters by either spelling, full name or surname, find both.
        for key in ["vladimir putin", "vladimir poetin", "wladimir poetin"] {
            let mut want = vec!["vladimir poetin", "vladimir putin"];
            if key == "wladimir poetin" {
                want.push(key);
                want.sort_unstable();
            }
            assert_eq!(m.keys_for(key), want, "{key}");
            assert_eq!(m.candidates_for(key), ["poetin", "putin"], "{key}");
        }
        for key in ["putin", "poetin"] {
            assert_eq!(m.keys_for(key), ["poetin", "putin"], "{key}");
            assert_eq!(m.candidates_for(key), ["poetin", "putin"], "{key}");
        }
        // A bare surname in either spelling resolves to the person (11 articles).
        assert_eq!(m.resolve("putin"), Some("Vladimir Poetin"));
        assert_eq!(m.resolve("poetin"), Some("Vladimir Poetin"));
        assert_eq!(m.keys_for("herington"), ["herington", "herrington"]);
        // Names that were not merged keep their own keys.
        assert_eq!(m.keys_for("jan janssen"), ["jan janssen"]);
        assert_eq!(m.keys_for("fred hoffman"), ["fred hoffman"]);
    }
}
