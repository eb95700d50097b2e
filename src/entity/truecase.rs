//! entity stage: text written in capitals — wire headlines such as Reuters' "WHITE HOUSE'S
//! HOWARD BAKER SAYS REAGAN TO ADDRESS NATION" — rewritten in the case it would have in running
//! text ("White House's Howard Baker says Reagan to address nation"), so that the taggers, which
//! read capital letters as evidence of names, can find its persons and countries.
//!
//! A unigram truecaser: each word takes its usual casing from what the NER model's lexicon knows
//! (lowercase in the training text or the dictionary; a first name, country, nationality or
//! city; a capitalised dictionary entry) and from `data/ner/casing.tsv` (words usually
//! capitalised although also seen lowercased: "Commission", "March"; rebuilt by
//! `tools/gen_casing.py` from the CoNLL training files). Unknown words are read as names —
//! in a headline, a word the lexicon does not know is most often one ("VOLCKER", "YEUTTER") —
//! except short ones, read as acronyms ("SEC", "GMT"); "MCPHERSON" is McPherson. Abbreviations
//! with dots ("U.S.") and the gazetteer's abbreviations ("UK", "VS") stay as written. Text that
//! does not read as prose (table rows, codes) is left alone, and [`super::tag_article`] applies
//! this to paragraphs only, not to titles (a guessed name in a title would capture the body's
//! surnames).
//!
//! The result has exactly the bytes of the input except for the case of letters whose other
//! case has the same UTF-8 length, so offsets into it are offsets into the original.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::gazetteer::{Cat, Gazetteer};
use super::ner::{NerLang, NerModel};
use super::rules::tokenize;
use crate::lang::Lang;

static CASING: &str = include_str!("../../data/ner/casing.tsv");

/// Whether `text` is written in capitals: at least two words of two or more capital letters,
/// and at most one lowercase letter for every twenty capitals, overall and at every point past
/// the third lowercase letter (so running text is judged within its first words). A sentence
/// with an acronym or two ("De NAVO en de VS") is not.
pub fn is_shouting(text: &str) -> bool {
    let (mut upper, mut lower, mut words, mut run) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_uppercase() {
            upper += 1;
            run += 1;
            continue;
        }
        if c.is_lowercase() {
            lower += 1;
            if lower > 3 && lower * 20 > upper {
                return false;
            }
        }
        if run >= 2 && !c.is_alphabetic() {
            words += 1;
        }
        run = 0;
    }
    if run >= 2 {
        words += 1;
    }
    words >= 2 && upper >= 6 && lower * 20 <= upper
}

/// Words of `lang` that are usually capitalised in running text although also seen lowercased.
fn usually_capitalised(lang: Lang) -> &'static HashSet<&'static str> {
    static SETS: OnceLock<[HashSet<&'static str>; 2]> = OnceLock::new();
    let sets = SETS.get_or_init(|| {
        let mut nl = HashSet::new();
        let mut en = HashSet::new();
        for line in CASING.lines().filter(|l| !l.starts_with('#')) {
            match line.split_once('\t') {
                Some(("nl", w)) => nl.insert(w),
                Some(("en", w)) => en.insert(w),
                _ => false,
            };
        }
        [nl, en]
    });
    match lang {
        Lang::Nl => &sets[0],
        Lang::En => &sets[1],
    }
}

/// How one word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// As written (acronyms, abbreviations).
    Keep,
    /// All lowercase.
    Lower,
    /// First letter capital, the rest lowercase.
    Title,
    /// A Scottish or Irish surname: "Mc", then a capital, the rest lowercase.
    Mc,
}

/// `text` in the case it would have in running text (see the module docs), or `None` when it
/// does not read as prose: fewer than two in three of its words of three or more letters are
/// known to the lexicon (tables and codes: "JUN UNTRD", "MAX TEMP..MIN TEMP"), or one in four
/// of its parts holds a number (a table row: "PHIL ELEC 21 1/4 P OFF 7/8"), where guessing
/// names would invent persons. Text that is not written in capitals ([`is_shouting`]) should
/// be left alone: this rewrites every word.
pub fn truecase(text: &str, lang: Lang) -> Option<String> {
    // a table row: a number in one of every four parts ("PHIL ELEC 21 1/4 P OFF 7/8")
    let (mut parts, mut numbers) = (0usize, 0usize);
    for part in text.split_whitespace() {
        parts += 1;
        numbers += usize::from(part.chars().any(|c| c.is_ascii_digit()));
    }
    if numbers * 4 >= parts.max(1) && numbers > 0 {
        return None;
    }
    let (out, known, long) = rewrite(text, lang);
    (known * 3 >= long * 2).then_some(out)
}

/// `text` rewritten word by word; with the number of words of three or more letters the
/// lexicon knew, and of all such words.
fn rewrite(text: &str, lang: Lang) -> (String, usize, usize) {
    let model = NerModel::embedded(match lang {
        Lang::Nl => NerLang::Nl,
        Lang::En => NerLang::En,
    });
    let caps = usually_capitalised(lang);
    let gazetteer = Gazetteer::get();
    let words = words(text);
    let mut cases: Vec<Case> = Vec::with_capacity(words.len());
    let mut lower = String::new();
    let (mut long, mut known) = (0usize, 0usize);
    for w in &words {
        let word = &text[w.start..w.end];
        let case = if w.keep {
            Case::Keep
        } else if w.after_apostrophe && word.chars().count() <= 2 {
            Case::Lower // HOUSE'S, DON'T, ISN'T
        } else {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            let (case, knew) = word_case(word, &lower, lang, model, caps, gazetteer);
            if word.chars().count() >= 3 {
                long += 1;
                known += usize::from(knew);
            }
            case
        };
        cases.push(match case {
            Case::Lower if w.sentence_start => Case::Title,
            c => c,
        });
    }
    // Names of two or three words in the gazetteer ("WHITE HOUSE", "NORTH KOREA", "WALL
    // STREET"): every word capitalised, whatever the words are alone.
    let mut phrase = String::new();
    for i in 0..words.len() {
        for n in [3, 2] {
            let Some(last) = words.get(i + n - 1) else {
                continue;
            };
            let span = &text[words[i].start..last.end];
            if words[i..i + n].iter().any(|w| w.keep)
                || last.chunk > words[i].chunk + n - 1
                || span
                    .chars()
                    .any(|c| !(c.is_alphanumeric() || c.is_whitespace() || c == '-'))
            {
                continue;
            }
            // keyed as the gazetteer keys its aliases
            tokenize(span, &mut phrase);
            if gazetteer
                .lookup(phrase.trim_end())
                .any(|a| a.cat != Cat::Abbr && a.usable_in(lang))
            {
                for c in &mut cases[i..i + n] {
                    *c = Case::Title;
                }
                break;
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (w, case) in words.iter().zip(cases) {
        out.push_str(&text[at..w.start]);
        push_cased(&mut out, &text[w.start..w.end], case);
        at = w.end;
    }
    out.push_str(&text[at..]);
    debug_assert_eq!(out.len(), text.len());
    (out, known, long)
}

/// One word of a text to truecase: a run of letters and digits.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    /// Index of the whitespace-separated chunk the word is in.
    chunk: usize,
    /// Part of a dotted abbreviation ("U.S."): stays as written.
    keep: bool,
    /// Right after an apostrophe ("'S").
    after_apostrophe: bool,
    /// First word of the text or of a sentence.
    sentence_start: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut sentence_start = true;
    for (chunk_no, chunk) in text.split_whitespace().enumerate() {
        // `chunk` is a slice of `text`: its offset is the distance between the two
        let base = chunk.as_ptr() as usize - text.as_ptr() as usize;
        let keep = is_dotted_abbreviation(chunk);
        let mut prev: Option<char> = None;
        let mut i = 0;
        while i < chunk.len() {
            let c = chunk[i..].chars().next().expect("in bounds");
            if !c.is_alphanumeric() {
                prev = Some(c);
                i += c.len_utf8();
                continue;
            }
            let end = chunk[i..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(chunk.len(), |e| i + e);
            words.push(Word {
                start: base + i,
                end: base + end,
                chunk: chunk_no,
                keep,
                after_apostrophe: matches!(prev, Some('\'' | '’')),
                sentence_start,
            });
            sentence_start = false;
            prev = chunk[..end].chars().last();
            i = end;
        }
        if chunk.ends_with(['.', '!', '?', ':']) && !keep {
            sentence_start = true;
        }
    }
    words
}

/// "U.S.", "U.K.", "J." (an initial), "V.S.": single letters each followed by a dot.
fn is_dotted_abbreviation(chunk: &str) -> bool {
    let core = chunk.trim_end_matches([',', ';', ':', ')', '"', '\'']);
    let mut letters = 0;
    let mut expect_letter = true;
    for c in core.chars() {
        if expect_letter && c.is_alphabetic() {
            letters += 1;
            expect_letter = false;
        } else if !expect_letter && c == '.' {
            expect_letter = true;
        } else {
            return false;
        }
    }
    letters > 0 && expect_letter
}

/// The case a word takes, and whether the lexicon knew the word (or its stem): unknown words
/// are guessed (names if long, acronyms if short).
fn word_case(
    word: &str,
    lower: &str,
    lang: Lang,
    model: &NerModel,
    caps: &HashSet<&str>,
    gazetteer: &Gazetteer,
) -> (Case, bool) {
    if word.chars().any(|c| c.is_numeric()) {
        return (Case::Keep, true); // F16, G7, 3M
    }
    let letters = word.chars().count();
    if letters == 1 {
        // English "A" is the article; other single letters are initials or symbols.
        return if lang == Lang::En && word == "A" {
            (Case::Lower, true)
        } else {
            (Case::Keep, true)
        };
    }
    if gazetteer
        .lookup(lower)
        .any(|a| a.cat == Cat::Abbr && a.alias == word && a.usable_in(lang))
    {
        return (Case::Keep, true); // UK, USA, VS, DVK
    }
    let known = model.word_casing(lower);
    if known.place && !known.lowercase {
        return (Case::Title, true);
    }
    if caps.contains(lower) {
        return (Case::Title, true);
    }
    if known.lowercase {
        return (Case::Lower, true);
    }
    if known.place || known.first_name || known.proper {
        return (Case::Title, true);
    }
    if inflects_a_lowercase_word(lower, model) {
        return (Case::Lower, true); // RENEWS, PLEDGED, TESTIFIES
    }
    if letters > 4 && lower.starts_with("mc") {
        return (Case::Mc, false); // MCPHERSON: McPherson
    }
    if letters > 3 {
        (Case::Title, false)
    } else {
        (Case::Keep, false) // an unknown short word: an acronym (SEC, GMT, KLM)
    }
}

/// Whether `lower` is an inflection of a word the lexicon knows lowercased: a verb or noun
/// ending (-s, -es, -ed, -ing, -ly, -ies/-ied for -y, and Dutch -en, -t, -de, -te) on a known
/// stem, with or without a final e ("renews" → "renew", "pledged" → "pledge", "testifies" →
/// "testify"). Agent nouns (-er) are not
/// stripped: "Baker" is not "bake".
fn inflects_a_lowercase_word(lower: &str, model: &NerModel) -> bool {
    const ENDINGS: [&str; 9] = ["s", "es", "ed", "d", "ing", "ly", "en", "t", "te"];
    for (ending, base) in [("ies", "y"), ("ied", "y")] {
        if let Some(stem) = lower.strip_suffix(ending) {
            if stem.chars().count() >= 3 && model.word_casing(&format!("{stem}{base}")).lowercase {
                return true; // TESTIFIES, CARRIED
            }
        }
    }
    let mut stem_e = String::new();
    ENDINGS.iter().any(|ending| {
        let Some(stem) = lower.strip_suffix(ending) else {
            return false;
        };
        if stem.chars().count() < 3 {
            return false;
        }
        stem_e.clear();
        stem_e.push_str(stem);
        stem_e.push('e');
        model.word_casing(stem).lowercase || model.word_casing(&stem_e).lowercase
    })
}

/// Appends `word` in `case`. A letter whose other case is longer or shorter in UTF-8 (or more
/// than one letter) stays as written, so the output keeps the input's byte offsets.
fn push_cased(out: &mut String, word: &str, case: Case) {
    for (n, c) in word.chars().enumerate() {
        let want_lower = match case {
            Case::Keep => {
                out.push(c);
                continue;
            }
            Case::Lower => true,
            Case::Title => n > 0,
            Case::Mc => n != 0 && n != 2,
        };
        let mut conv = if want_lower {
            c.to_lowercase().collect::<Vec<char>>()
        } else {
            c.to_uppercase().collect::<Vec<char>>()
        };
        match conv.as_mut_slice() {
            [one] if one.len_utf8() == c.len_utf8() => out.push(*one),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_in_capitals_is_shouting() {
        // Reuters-21578 headlines
        assert!(is_shouting(
            "WHITE HOUSE'S HOWARD BAKER SAYS REAGAN TO ADDRESS NATION WEDNESDAY AT 2100 EST"
        ));
        assert!(is_shouting(
            "LAWSON FORECASTS U.K. INFLATION 4.0 PCT AT END 1987"
        ));
        for calm in [
            "Tokyo - Stock index closes 620.18 points lower at 25,746.56",
            "De NAVO en de VS willen dat Oekraïne meer krijgt.",
            "IBM",
            "De KLM-CEO sprak met de NOS.",
            "",
        ] {
            assert!(!is_shouting(calm), "{calm}");
        }
    }

    #[test]
    fn headlines_read_as_running_text() {
        let cases = [
            (
                Lang::En,
                "WHITE HOUSE'S HOWARD BAKER SAYS REAGAN TO ADDRESS NATION WEDNESDAY AT 2100 EST",
                "White House's Howard Baker says Reagan to address nation Wednesday at 2100 EST",
            ),
            (
                Lang::En,
                "LAWSON FORECASTS U.K. INFLATION 4.0 PCT AT END 1987",
                "Lawson forecasts U.K. inflation 4.0 pct at end 1987",
            ),
            (
                Lang::En,
                "CARL ICAHN SAYS HE IS TARGET OF SEC PROBE",
                "Carl Icahn says he is target of SEC probe",
            ),
            (
                Lang::En,
                "VOLCKER SEES SEVERE PROBLEMS IN SOME SECTORS OF THE U.S. ECONOMY",
                "Volcker sees severe problems in some sectors of the U.S. economy",
            ),
            (
                Lang::En,
                "REAGAN RENEWS STAND, WHITE HOUSE SAYS TRADE WAR UNLIKELY",
                "Reagan renews stand, White House says trade war unlikely",
            ),
            (
                Lang::En,
                "JAPAN AND THE UK SIGN A PACT",
                "Japan and the UK sign a pact",
            ),
            (
                Lang::Nl,
                "PREMIER RUTTE BEZOEKT NOORD-KOREA",
                "Premier Rutte bezoekt Noord-Korea",
            ),
        ];
        for (lang, shouted, expected) in cases {
            assert_eq!(
                truecase(shouted, lang).as_deref(),
                Some(expected),
                "{shouted}"
            );
        }
        // Reuters-21578 briefs: no name made of a name and the verb after it
        assert_eq!(
            truecase(
                "FED CHAIRMAN VOLCKER TESTIFIES ON THIRD WORLD DEBT PROBLEMS",
                Lang::En
            )
            .as_deref(),
            Some("Fed chairman Volcker testifies on third world debt problems")
        );
        assert_eq!(
            truecase("PRESIDENT REAGAN TO NOMINATE MCPHERSON", Lang::En).as_deref(),
            Some("President Reagan to nominate McPherson")
        );
        // tables and codes are no prose: left as they are
        for table in [
            "JUN UNTRD",
            "COPPER 15-19 24-28 UNQUOTED",
            "MAX TEMP..MIN TEMP..RAINFALL",
            "PHIL ELEC 21 1/4 P OFF 7/8",
            "SANTOS RIADO 1.783,33",
        ] {
            assert_eq!(truecase(table, Lang::En), None, "{table}");
        }
    }

    #[test]
    fn truecasing_keeps_every_byte_offset() {
        for text in [
            "İSTANBUL'DA ÇOK GÜZEL ẞTRASSE ǅ ÉÉN",
            "OEKRAÏENSE TROEPEN TREKKEN OP; ZELENSKY: \"NEE\"",
            "  DOUBLE  SPACES\tAND\nLINES  ",
            "'S-HERTOGENBOSCH ’S AVONDS",
            "ﬁNANCE ǈUBLJANA ÅÄÖ’S U.S.A.'S \u{0}\u{301}ABC 🙂DEF ' ’ - A' 'S",
        ] {
            let (out, _, _) = rewrite(text, Lang::Nl);
            assert_eq!(out.len(), text.len(), "{text} -> {out}");
            assert_ne!(out, text, "every word was rewritten as written");
            for (a, b) in text.char_indices().zip(out.char_indices()) {
                assert_eq!(a.0, b.0, "{text} -> {out}");
                assert!(
                    a.1 == b.1 || a.1.to_lowercase().eq(b.1.to_lowercase()),
                    "{text} -> {out}"
                );
            }
        }
    }

    #[test]
    fn dotted_abbreviations_stay() {
        for a in ["U.S.", "U.K.,", "J.", "V.S.)"] {
            assert!(is_dotted_abbreviation(a), "{a}");
        }
        for w in ["U.S.A", "ST.", "A.B.C", "...", "US"] {
            assert!(!is_dotted_abbreviation(w), "{w}");
        }
    }
}
