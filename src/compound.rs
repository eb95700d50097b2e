//! analysis, Dutch compounds: splits compound words ("raketverdediging", "loonkloof",
//! "gemeenteraadsverkiezingen") into the dictionary words they are made of, as Elasticsearch's
//! dictionary decompounder does. The dictionary is `data/nl-words.fst` (the OpenTaal word
//! list, folded; rebuilt by `examples/build_compound_dict.rs`), embedded and used in place.

use std::sync::OnceLock;

use tantivy_fst::raw::Fst;
use tantivy_fst::Map;

static WORDS_FST: &[u8] = include_bytes!("../data/nl-words.fst");

/// Shortest word that is split.
pub const MIN_COMPOUND: usize = 8;
/// Shortest part.
pub const MIN_PART: usize = 4;
/// Linking letters allowed between a modifier and the next part ("gemeenteraad-s-verkiezingen").
const LINKERS: [&str; 4] = ["s", "e", "en", "er"];

/// Words that look like compounds of dictionary words but are not ("mini" + "ster").
const NO_SPLIT: &[&str] = &[
    "minister",
    "ministers",
    "ministerie",
    "ministeries",
    "ministeriele",
    "president",
    "presidenten",
    "nederland",
    "nederlands",
    "nederlandse",
    "nederlander",
    "nederlanders",
    "gelderland",
    "gelderlander",
    "duitsland",
    "frankrijk",
    "maastricht",
    "merendeel",
    "europees",
    "europese",
    "eindhoven",
    "ambtenaren",
    "kunstenaar",
    "gesprekken",
    "gesproken",
    "verschillen",
    "verschillende",
    "praktijk",
    "tegelijkertijd",
    "algemeen",
    "algemene",
    "maximaal",
    "accepteren",
    "jihadisten",
    "valkering",
    "boodschap",
    "betekent",
    "slachtoffer",
    "slachtoffers",
    "burgemeester",
    "burgemeesters",
];

/// Modifiers that are prepositions, adverbs or prefixes rather than words of a compound
/// ("onder-zoek", "waar-door", "samen-werking"): not split off.
const NOT_MODIFIERS: &[&str] = &[
    "onder",
    "over",
    "voor",
    "door",
    "mede",
    "waar",
    "daar",
    "hier",
    "neder",
    "tegen",
    "samen",
    "boven",
    "achter",
    "binnen",
    "buiten",
    "terug",
    "alle",
    "hele",
    "moge",
    "name",
    "eigen",
    "zich",
    "sinds",
    "bete",
    "uiteinde",
    "vermoede",
    "verantwoorde",
    "duid",
    "moei",
    "makke",
    "lande",
    "einde",
    "behoor",
    "opmerk",
    "gist",
    "gister",
    "volg",
    "blijk",
    "beschik",
    "open",
    "vers",
    "gesp",
    "alge",
    "maxi",
    "mini",
    "regel",
    "omstandig",
    "wetenschap",
    "weten",
    "prak",
    "euro",
    "bood",
    "leef",
    "kind",
    "jong",
    "ambten",
    "accept",
    "tegel",
    "valk",
    "mogelijk",
    "daad",
    "vijf",
    "tien",
    "ieder",
    "elke",
    "want",
    "maar",
    "toch",
    "veel",
    "weer",
    "niet",
    "toen",
    "miss",
    "acht",
    "voorst",
    "meren",
    "groten",
    "overeen",
    "bijeen",
    "voort",
    "aller",
];

/// Verb prefixes: a word that starts with one of these and whose modifier would be short is
/// a derivation ("be-strijden", "ver-gelijken"), not a compound.
const VERB_PREFIXES: &[&str] = &["be", "ge", "ver", "ont", "her", "on"];

/// Heads that are suffixes or endings rather than words of a compound ("natuur-lijk").
const NOT_HEADS: &[&str] = &[
    "lijk",
    "lijke",
    "lijker",
    "lijkst",
    "lijkste",
    "baar",
    "bare",
    "eren",
    "ende",
    "lende",
    "heden",
    "schap",
    "schappen",
    "aren",
    "sten",
    "maal",
    "dien",
    "taan",
    "tallen",
    "ijker",
    "pers",
    "ster",
    "sters",
    "ling",
    "lingen",
    "nemer",
    "nemers",
    "rijk",
    "rijke",
    "rijkste",
    "matig",
    "matige",
    "werkelijk",
    "schappelijk",
    "schappelijke",
    "chillen",
    "roken",
    "rekken",
    "pees",
    "tijk",
    "ring",
    "lander",
    "landers",
    "lands",
    "naar",
    "nemen",
    "hoven",
    "leden",
    "leed",
    "tuigen",
    "zitter",
    "zitters",
    "voerder",
    "werkers",
];

/// Four-letter heads that are common compound heads ("gemeente-raad", "zieken-huis").
const SHORT_HEADS: &[&str] = &[
    "raad", "huis", "land", "stad", "werk", "zaak", "boek", "geld", "kant", "plan", "bank", "tijd",
    "dorp", "hoek", "park", "weg", "baan", "brug", "bord", "dijk", "kerk", "zorg", "druk", "bouw",
    "deel", "zoon", "kind", "akte", "wijk", "veld", "heer", "vrouw", "man",
];

/// Short modifiers that start like a verb prefix but are real words ("geld-zaken", "ver-" no).
fn is_common_modifier(m: &str) -> bool {
    [
        "geld",
        "gebied",
        "oorlog",
        "onder",
        "bedrijf",
        "beleid",
        "beroep",
        "belasting",
        "geloof",
        "gezin",
        "bevolking",
        "gemeente",
        "herfst",
    ]
    .contains(&m)
}

fn dict() -> Option<&'static Map<&'static [u8]>> {
    static D: OnceLock<Option<Map<&'static [u8]>>> = OnceLock::new();
    D.get_or_init(|| Fst::new(WORDS_FST).ok().map(Map::from))
        .as_ref()
}

/// Whether a (lowercase, folded) word is in the dictionary.
pub fn is_word(w: &str) -> bool {
    dict().is_some_and(|d| d.contains_key(w))
}

/// The smallest parts of a lowercase, folded compound, in order: for
/// "gemeenteraadsverkiezingen" → ["gemeente", "raad", "verkiezingen"]. Empty
/// when the word is not a compound of dictionary words. The head (last part) is the longest
/// dictionary word that ends the compound; the rest must be a word or a compound itself,
/// optionally followed by a linking -s-, -e-, -en- or -er-.
pub fn split(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if word.len() >= MIN_COMPOUND && word.bytes().all(|b| b.is_ascii_lowercase()) {
        split_into(word, &mut out, 0);
    }
    out
}

fn split_into(word: &str, out: &mut Vec<String>, depth: usize) -> bool {
    if depth > 4 || word.len() < 2 * MIN_PART {
        return false;
    }
    if NO_SPLIT.contains(&word) {
        return false;
    }
    for head_start in MIN_PART..=word.len() - MIN_PART {
        let head = &word[head_start..];
        if (head.len() < 5 && !SHORT_HEADS.contains(&head))
            || NOT_HEADS.contains(&head)
            || !is_word(head)
        {
            continue;
        }
        let modifier = &word[..head_start];
        let candidates = std::iter::once(modifier)
            .chain(LINKERS.iter().filter_map(|l| modifier.strip_suffix(l)));
        for m in candidates {
            if m.len() < MIN_PART {
                continue;
            }
            if NOT_MODIFIERS.contains(&m) {
                continue;
            }
            if m.len() <= 6
                && VERB_PREFIXES.iter().any(|p| m.starts_with(p))
                && !is_common_modifier(m)
            {
                continue;
            }
            let mark = out.len();
            // Emit the smallest parts: a modifier or head that is itself a compound is
            // replaced by its own parts.
            if split_into(m, out, depth + 1) || is_word(m) {
                if out.len() == mark {
                    out.push(m.to_string());
                }
                let head_mark = out.len();
                if !split_into(head, out, depth + 1) {
                    out.truncate(head_mark);
                    out.push(head.to_string());
                }
                return true;
            }
            out.truncate(mark);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_real_compounds() {
        assert_eq!(split("raketverdediging"), ["raket", "verdediging"]);
        assert_eq!(split("ministerraad"), ["minister", "raad"]);
        assert_eq!(split("loonkloof"), ["loon", "kloof"]);
        assert_eq!(
            split("gemeenteraadsverkiezingen"),
            ["gemeente", "raad", "verkiezingen"]
        );
        assert!(split("raketwaarschuwingen").contains(&"raket".to_string()));
    }

    #[test]
    fn leaves_simple_words_alone() {
        for w in [
            "verkiezingen",
            "president",
            "minister",
            "gezondheid",
            "ontmoeting",
            "kort",
            "",
            "a",
        ] {
            assert!(split(w).is_empty(), "{w}: {:?}", split(w));
        }
        assert!(
            split("RAKETVERDEDIGING").is_empty(),
            "expects folded lowercase input"
        );
    }

    #[test]
    fn dictionary_loads() {
        assert!(is_word("raket"));
        assert!(!is_word("xyzzyq"));
    }
}
