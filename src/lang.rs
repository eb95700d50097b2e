//! language tags: the two languages newsidx analyzes, and detection between them.

/// A language newsidx has an analyzer for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

impl Lang {
    /// All supported languages, in index-field order.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Parses a language tag as found in corpora and on the command line:
    /// `nl`, `NL`, `nl-BE`, `dutch`, `nederlands`, `en`, `en-US`, `english`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        let primary = t.split(['-', '_']).next().unwrap_or("");
        match primary {
            "nl" | "nld" | "dut" | "dutch" | "nederlands" | "vlaams" => Some(Lang::Nl),
            "en" | "eng" | "english" | "engels" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Very frequent function words: nearly every sentence has several, and the two lists do not
/// overlap, so counting them tells Dutch from English reliably on a paragraph or more.
const NL_STOPWORDS: &[&str] = &[
    "de", "het", "een", "en", "van", "dat", "die", "niet", "zijn", "op", "met", "voor", "ook",
    "maar", "naar", "bij", "er", "om", "aan", "wordt", "werd", "heeft", "hebben", "nog", "wel",
    "als", "zich", "uit", "dan", "tot", "over", "deze", "wat", "zij", "ze", "hij", "ik", "we",
    "wij", "geen", "door", "kan", "moet", "zou", "nu", "veel", "waar", "meer", "omdat",
];
const EN_STOPWORDS: &[&str] = &[
    "the", "and", "of", "to", "is", "that", "for", "on", "with", "was", "as", "by", "at", "it",
    "from", "be", "this", "are", "were", "has", "have", "had", "but", "not", "which", "their",
    "they", "he", "she", "his", "her", "said", "will", "would", "been", "who", "after", "an", "or",
    "its", "we", "you", "more", "about", "when", "there", "than", "also", "into",
];

/// Guesses Dutch or English from function-word counts. Ties (including text with no words)
/// go to Dutch, the project's first language.
pub fn detect(text: &str) -> Lang {
    let (mut nl, mut en) = (0usize, 0usize);
    // A few thousand characters decide the matter; no need to scan a whole long article.
    let sample = match text.char_indices().nth(4000) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    for word in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && w.len() <= 8)
    {
        let lower = word.to_lowercase();
        if NL_STOPWORDS.contains(&lower.as_str()) {
            nl += 1;
        } else if EN_STOPWORDS.contains(&lower.as_str()) {
            en += 1;
        }
    }
    if en > nl {
        Lang::En
    } else {
        Lang::Nl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags() {
        assert_eq!(Lang::parse("nl"), Some(Lang::Nl));
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("Dutch"), Some(Lang::Nl));
        assert_eq!(Lang::parse("en_US"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn detects_real_text() {
        assert_eq!(
            detect("Biden merkte op dat het zijn laatste ontmoeting met hen zou zijn, maar dat het trilaterale partnerschap nog jaren behouden moet blijven."),
            Lang::Nl
        );
        assert_eq!(
            detect("Voters will vote Sunday on whether to change their country's name to the Republic of North Macedonia."),
            Lang::En
        );
        assert_eq!(detect(""), Lang::Nl);
    }
}
