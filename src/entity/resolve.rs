//! entity stage, corpus-wide persons: decides which bare surnames resolve to one full name
//! across the whole corpus ("Rutte" → "Mark Rutte" when the corpus names no other Rutte).
//!
//! The decision is a [`PersonMap`] stored with the index (`persons.json`) and applied when the
//! index is read — filters, facets and hits see "Rutte" as "Mark Rutte" — so no document is
//! written twice, and an incremental update that adds the articles naming Mark Rutte resolves
//! the bare "Rutte" of older articles too.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::persons::{person_aliases, person_key};

/// The corpus-wide resolution of bare surnames, stored with an index.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PersonMap {
    /// Folded surname alias → canonical full name.
    aliases: HashMap<String, String>,
    /// Folded canonical name → its aliases, sorted; built on the first filter that needs it
    /// (a `--person` filter would otherwise fold every canonical name of the map).
    #[serde(skip)]
    by_name: OnceLock<HashMap<String, Vec<String>>>,
}

impl PartialEq for PersonMap {
    fn eq(&self, other: &Self) -> bool {
        self.aliases == other.aliases
    }
}

impl Eq for PersonMap {}

impl PersonMap {
    /// The map for these article counts per full name ([`dominant_names`]).
    pub fn from_counts(articles_per_name: &HashMap<String, u64>) -> PersonMap {
        PersonMap::from_aliases(dominant_names(articles_per_name))
    }

    /// The map for these folded surname aliases → canonical full names.
    pub fn from_aliases(aliases: HashMap<String, String>) -> PersonMap {
        PersonMap {
            aliases,
            by_name: OnceLock::new(),
        }
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
        let by_name = self.by_name.get_or_init(|| {
            let mut m: HashMap<String, Vec<String>> = HashMap::new();
            for (alias, name) in &self.aliases {
                m.entry(person_key(name)).or_default().push(alias.clone());
            }
            m
        });
        let mut out: Vec<&str> = by_name
            .get(key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if let Some((alias, _)) = self.aliases.get_key_value(key) {
            if !out.contains(&alias.as_str()) {
                out.push(alias);
            }
        }
        out.sort_unstable();
        out
    }
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
    let mut by_alias: HashMap<String, Vec<(&str, u64)>> = HashMap::new();
    for (name, &n) in articles_per_name {
        let aliases = person_aliases(name);
        if aliases.len() < 2 {
            continue; // a single-word name is not a full name
        }
        for alias in aliases.into_iter().skip(1) {
            by_alias.entry(alias).or_default().push((name.as_str(), n));
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
        let counts: HashMap<String, u64> = [
            ("Mark Rutte", 12),
            ("Joe Biden", 5),
            ("Hunter Biden", 4),
            ("Shigeru Ishiba", 1),
            ("Kim Jong-un", 3),
            ("Madonna", 9),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let m = dominant_names(&counts);
        assert_eq!(m.get("rutte").map(String::as_str), Some("Mark Rutte"));
        assert_eq!(m.get("biden"), None, "two Bidens: ambiguous");
        assert_eq!(m.get("ishiba"), None, "one article is not enough");
        assert_eq!(m.get("kim").map(String::as_str), Some("Kim Jong-un"));
        assert_eq!(m.get("madonna"), None, "not a full name");
    }
}
