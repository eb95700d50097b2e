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
//! The decision is a [`PersonMap`] stored with the index (`persons.json`) and applied when the
//! index is read — filters, facets and hits see "Rutte" as "Mark Rutte" — so no document is
//! written twice, and an incremental update that adds the articles naming Mark Rutte resolves
//! the bare "Rutte" of older articles too.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::persons::{person_aliases, person_key, sound_key, spelling_key, transliteration_key};

/// The corpus-wide resolution of bare surnames and of spellings, stored with an index.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PersonMap {
    /// Folded surname alias → canonical full name.
    aliases: HashMap<String, String>,
    /// A full name as written in the index → the spelling of that name that the corpus uses
    /// most ([`dominant_spellings`]); only names that are not themselves that spelling.
    #[serde(default)]
    spellings: HashMap<String, String>,
    /// Lookups for filters, built on the first filter that needs them (a `--person` filter
    /// would otherwise fold every name of the map).
    #[serde(skip)]
    lookup: OnceLock<Lookup>,
}

#[derive(Debug, Clone, Default)]
struct Lookup {
    /// Folded canonical name → its aliases.
    by_name: HashMap<String, Vec<String>>,
    /// [`transliteration_key`] of a full name of a merged person → the folded full names of
    /// all its spellings in the index; of a short name (surname) → the short names of all its
    /// spellings; sorted ("putin" → "poetin", "putin").
    keys: HashMap<String, Vec<String>>,
    /// [`transliteration_key`] of a merged person's full name → the folded key of the
    /// spelling it stands for.
    dominant: HashMap<String, String>,
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
        PersonMap {
            aliases: resolve_surnames(full_names),
            spellings,
            lookup: OnceLock::new(),
        }
    }

    /// The map for these folded surname aliases → canonical full names.
    pub fn from_aliases(aliases: HashMap<String, String>) -> PersonMap {
        PersonMap {
            aliases,
            spellings: HashMap::new(),
            lookup: OnceLock::new(),
        }
    }

    /// The spelling a full name from the index stands for: the corpus's most used spelling
    /// of that name, or the name itself.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.spellings.get(name).map_or(name, String::as_str)
    }

    /// Full name → the spelling it stands for, for the names that stand for another.
    pub fn spellings(&self) -> &HashMap<String, String> {
        &self.spellings
    }

    /// The folded keys of every spelling in the index of the person a user's filter key names
    /// ("kim jong un" → "kim jong un", "kim jong-un"; the surname "poetin" → "poetin",
    /// "putin"); just the key when it has no others.
    pub fn keys_for(&self, key: &str) -> Vec<String> {
        let lookup = self.lookup();
        if lookup.keys.is_empty() {
            return vec![key.to_string()];
        }
        match lookup.keys.get(&transliteration_key(key)) {
            Some(keys) if keys.iter().any(|k| k == key) => keys.clone(),
            Some(keys) => {
                let mut keys = keys.clone();
                keys.push(key.to_string());
                keys.sort_unstable();
                keys
            }
            None => vec![key.to_string()],
        }
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.get_or_init(|| {
            let mut l = Lookup::default();
            for (alias, name) in &self.aliases {
                l.by_name
                    .entry(person_key(name))
                    .or_default()
                    .push(alias.clone());
            }
            // Each merged person: its spellings, and the short names of all its spellings.
            let mut groups: HashMap<&str, Vec<&str>> = HashMap::new();
            for (variant, name) in &self.spellings {
                groups
                    .entry(name.as_str())
                    .or_default()
                    .push(variant.as_str());
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
                for keys in [full, short] {
                    for key in &keys {
                        let entry = l.keys.entry(transliteration_key(key)).or_default();
                        entry.extend(keys.iter().cloned());
                    }
                }
                for spelling in spellings {
                    l.dominant
                        .insert(transliteration_key(spelling), person_key(name));
                }
            }
            for keys in l.keys.values_mut() {
                keys.sort_unstable();
                keys.dedup();
            }
            l
        })
    }

    /// Folded surname alias → canonical full name.
    pub fn aliases(&self) -> &HashMap<String, String> {
        &self.aliases
    }

    /// The full name a candidate surname resolves to.
    pub fn resolve(&self, candidate: &str) -> Option<&str> {
        self.aliases.get(candidate).map(String::as_str)
    }

    /// The candidate surnames that stand for the person a user's filter names: the filter is
    /// a folded full name ("mark rutte") or alias ("rutte").
    pub fn candidates_for(&self, key: &str) -> Vec<&str> {
        let lookup = self.lookup();
        // Another spelling of a full name: the aliases of the spelling it stands for.
        let name_key = if lookup.dominant.is_empty() {
            key
        } else {
            lookup
                .dominant
                .get(&transliteration_key(key))
                .map_or(key, String::as_str)
        };
        let mut out: Vec<&str> = lookup
            .by_name
            .get(name_key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        // An alias, in each of its spellings ("poetin", "putin").
        for k in self.keys_for(key) {
            if let Some((alias, _)) = self.aliases.get_key_value(k.as_str()) {
                if !out.contains(&alias.as_str()) {
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
        let old: PersonMap = serde_json::from_str(r#"{"aliases":{"rutte":"Mark Rutte"}}"#).unwrap();
        assert!(old.spellings().is_empty());
        assert_eq!(old.canonical("Kim Jong-un"), "Kim Jong-un");
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
