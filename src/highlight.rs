//! highlight stage: finds every matched word in a passage (stemmed variants, prefix and fuzzy
//! expansions, phrases as one span) by re-analyzing the stored text with the analyzer that
//! indexed it, and cuts long passages around their densest window of matches.

use std::ops::Range;

use crate::analysis::{FoldedWords, Stems};
use crate::entity::persons;
use crate::lang::Lang;
use crate::paragraph;
use crate::query::Matcher;

/// A passage with highlight spans as character offsets into `text`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Passage {
    /// The passage text (possibly cut, with "…" where text was left out).
    pub text: String,
    /// Highlighted ranges, as `[start, end)` character offsets into `text`, sorted, disjoint.
    pub highlights: Vec<Range<usize>>,
}

/// The ellipsis put where a passage was cut.
pub const ELLIPSIS: &str = "…";

/// Highlights the matches of `matchers` in `text` (a paragraph in `lang`) and, when
/// `max_chars` is non-zero and the text is longer, cuts it at sentence boundaries around the
/// densest window of matches.
pub fn highlight(text: &str, lang: Lang, matchers: &[Matcher], max_chars: usize) -> Passage {
    let spans = match_spans(text, lang, matchers);
    let (text, spans) = if max_chars > 0 && text.chars().count() > max_chars {
        cut(text, &spans, max_chars)
    } else {
        (text.to_string(), spans)
    };
    let highlights = to_char_ranges(&text, &spans);
    Passage { text, highlights }
}

/// Byte ranges of all matches, sorted and merged.
pub fn match_spans(text: &str, lang: Lang, matchers: &[Matcher]) -> Vec<Range<usize>> {
    if matchers.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let folded = FoldedWords::new(text);
    let terms: Vec<&str> = matchers
        .iter()
        .filter_map(|m| match m {
            Matcher::Term(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let mut spans: Vec<Range<usize>> = term_spans(&folded, lang, &terms);
    let mut translit: Option<Vec<String>> = None;
    for m in matchers {
        match m {
            Matcher::Term(_) => {}
            Matcher::Fuzzy(t, d) => spans.extend(
                folded
                    .iter()
                    .filter(|(w, _)| within_distance(w, t, *d as usize))
                    .map(|(_, r)| r),
            ),
            Matcher::Prefix(p) => spans.extend(
                folded
                    .iter()
                    .filter(|(w, _)| w.starts_with(p.as_str()))
                    .map(|(_, r)| r),
            ),
            Matcher::Wildcard(p) => {
                let p: Vec<char> = p.chars().collect();
                spans.extend(
                    folded
                        .iter()
                        .filter(|(w, _)| wildcard_match(&p, w))
                        .map(|(_, r)| r),
                )
            }
            Matcher::Mention(words) | Matcher::Name(words) => {
                // a person's other spellings match too: "Poetin" for --person Putin, whose
                // mention the tagger resolved the same way (`persons::transliteration_key`);
                // country words are matched as written (no keys computed)
                let name = matches!(m, Matcher::Name(_));
                let translit: &[String] = if name {
                    translit.get_or_insert_with(|| {
                        (0..folded.len())
                            .map(|i| persons::transliteration_key(folded.term(i)))
                            .collect::<Vec<String>>()
                    })
                } else {
                    &[]
                };
                // the words' keys (none for a country's words)
                let keys: Vec<String> = if name {
                    words
                        .iter()
                        .map(|w| persons::transliteration_key(w))
                        .collect()
                } else {
                    Vec::new()
                };
                let same = |i: usize, k: usize| {
                    folded.term(i) == words[k] || keys.get(k).is_some_and(|key| translit[i] == *key)
                };
                for i in 0..folded.len() {
                    let n = words.len();
                    if i + n > folded.len() {
                        break;
                    }
                    let hit = if n == 1 {
                        let t = folded.term(i);
                        let genitive = t.len() > 2 && t.ends_with('s') && {
                            let base = &t[..t.len() - 1];
                            base == words[0]
                                || keys
                                    .first()
                                    .is_some_and(|key| persons::transliteration_key(base) == *key)
                        };
                        same(i, 0) || genitive
                    } else {
                        (0..n).all(|k| same(i + k, k))
                    };
                    let capital = text[folded.span(i).start..]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase);
                    if hit && capital {
                        spans.push(folded.span(i).start..folded.span(i + n - 1).end);
                    }
                }
            }
            Matcher::Phrase(terms, slop) => {
                for i in 0..folded.len() {
                    if folded.term(i) != terms[0] {
                        continue;
                    }
                    let mut budget = *slop as usize;
                    let mut last = i;
                    let mut ok = true;
                    for want in &terms[1..] {
                        let found = (last + 1..folded.len())
                            .take(budget + 1)
                            .find(|&j| folded.term(j) == want);
                        match found {
                            Some(j) => {
                                budget -= j - last - 1;
                                last = j;
                            }
                            None => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    if ok {
                        spans.push(folded.span(i).start..folded.span(last).end);
                    }
                }
            }
        }
    }
    merge(spans)
}

/// Spans of the words whose stem (or, in Dutch, a compound part's stem) is one of `terms`:
/// what the language's analyzer ([`crate::analysis::analyzer`]: folding, compound parts,
/// Snowball) would emit, computed only for the words that can match. Snowball keeps a word's
/// first letter, so a word (or part) whose first byte starts none of the terms is not
/// stemmed: on a page of hits that skips nearly every word (stemming each word of ten
/// paragraphs, with a fresh cache per query, was an eighth of a search's instructions).
fn term_spans(folded: &FoldedWords, lang: Lang, terms: &[&str]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if terms.is_empty() {
        return out;
    }
    let mut first = [false; 256];
    for t in terms {
        if let Some(&b) = t.as_bytes().first() {
            first[b as usize] = true;
        }
    }
    let stems = Stems::new(lang);
    let matches = |w: &str| {
        w.as_bytes().first().is_some_and(|&b| first[b as usize])
            && terms.contains(&stems.stem(w).as_str())
    };
    // A compound part is a substring of its word, and its stem keeps its first two letters:
    // a word without the first two letters of any term has no part that matches.
    let heads: Vec<&str> = terms
        .iter()
        .map(|t| t.char_indices().nth(2).map_or(*t, |(i, _)| &t[..i]))
        .collect();
    // (A byte-window scan: the needles are one or two letters, too short for `str::contains`
    // to pay off its searcher's set-up on every word.)
    let may_have_part = |w: &str| {
        heads.iter().any(|h| {
            let (w, h) = (w.as_bytes(), h.as_bytes());
            h.is_empty() || w.windows(h.len()).any(|x| x == h)
        })
    };
    for (word, span) in folded.iter() {
        let hit = matches(word)
            || (lang == Lang::Nl
                && may_have_part(word)
                && crate::compound::split(word).iter().any(|p| matches(p)));
        if hit {
            out.push(span);
        }
    }
    out
}

fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Optimal-string-alignment distance between two words is at most `max` (characters).
/// Whether the pattern `p` (`?` one character, `*` any number, anything else itself) matches
/// the whole of `word`, as tantivy's regex over the index's terms does.
fn wildcard_match(p: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    // Greedy with backtracking to the last `*`: linear for one `*`, at most |p|·|w| steps.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < w.len() {
        if i < p.len() && (p[i] == '?' || p[i] == w[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

fn within_distance(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] <= max
}

/// Cuts `text` to at most about `max_chars` characters of whole sentences around the window
/// with the most matches; returns the new text and the spans shifted into it.
fn cut(text: &str, spans: &[Range<usize>], max_chars: usize) -> (String, Vec<Range<usize>>) {
    let sentences = paragraph::split_sentences(text);
    let chars = |r: &Range<usize>| text[r.clone()].chars().count();
    let mut best: Option<(usize, usize, usize)> = None; // (hits, first, last)
    let mut first = 0;
    let mut len = 0usize;
    for last in 0..sentences.len() {
        len += chars(&sentences[last]) + 1;
        while len > max_chars + 1 && first < last {
            len -= chars(&sentences[first]) + 1;
            first += 1;
        }
        let lo = sentences[first].start;
        let hi = sentences[last].end;
        let hits = spans
            .iter()
            .filter(|s| s.start >= lo && s.end <= hi)
            .count();
        if best.is_none_or(|(h, _, _)| hits > h) {
            best = Some((hits, first, last));
        }
    }
    let (lo, hi) = match best {
        Some((_, f, l)) => (sentences[f].start, sentences[l].end),
        None => (0, text.len()),
    };
    let (lo, hi) = if text[lo..hi].chars().count() > max_chars {
        // One sentence is longer than the limit: cut at word boundaries around the first match.
        let center = spans
            .iter()
            .find(|s| s.start >= lo && s.end <= hi)
            .map_or(lo, |s| s.start);
        word_window(text, lo, hi, center, max_chars)
    } else {
        (lo, hi)
    };
    let mut out = String::new();
    if lo > 0 {
        out.push_str(ELLIPSIS);
        out.push(' ');
    }
    let shift = out.len();
    out.push_str(&text[lo..hi]);
    if hi < text.trim_end().len() {
        out.push(' ');
        out.push_str(ELLIPSIS);
    }
    let shifted = spans
        .iter()
        .filter(|s| s.start >= lo && s.end <= hi)
        .map(|s| s.start - lo + shift..s.end - lo + shift)
        .collect();
    (out, shifted)
}

fn word_window(
    text: &str,
    lo: usize,
    hi: usize,
    center: usize,
    max_chars: usize,
) -> (usize, usize) {
    let before = max_chars / 3;
    let mut start = center;
    let mut n = 0;
    for (i, _) in text[lo..center].char_indices().rev() {
        n += 1;
        start = lo + i;
        if n >= before {
            break;
        }
    }
    let mut end = start;
    for (count, (i, c)) in text[start..hi].char_indices().enumerate() {
        end = start + i + c.len_utf8();
        if count + 1 >= max_chars {
            break;
        }
    }
    // Snap to whitespace so no word is cut in half.
    if start > lo {
        if let Some((ws, c)) = text[start..end]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
        {
            start += ws + c.len_utf8();
        }
    }
    if end < hi {
        if let Some(ws) = text[start..end].rfind(char::is_whitespace) {
            end = start + ws;
        }
    }
    (start, end.max(start))
}

/// Converts byte ranges to character ranges.
pub fn to_char_ranges(text: &str, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(spans.len());
    let mut chars_before = 0usize;
    let mut byte_pos = 0usize;
    for s in spans {
        chars_before += text[byte_pos..s.start].chars().count();
        let len = text[s.start..s.end].chars().count();
        out.push(chars_before..chars_before + len);
        chars_before += len;
        byte_pos = s.end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Analyzers;

    /// The spans of stemmed-term matchers as the language's full analyzer gives them: every
    /// token (compound parts included) stemmed, compared with the terms.
    fn reference_term_spans(text: &str, lang: Lang, terms: &[&str]) -> Vec<Range<usize>> {
        let mut a = Analyzers::default();
        a.tokens(lang, text)
            .into_iter()
            .filter(|t| terms.contains(&t.term.as_str()))
            .map(|t| t.start..t.end)
            .collect()
    }

    #[test]
    fn stemming_only_the_words_that_can_match_finds_what_the_analyzer_finds() {
        let mut texts = crate::analysis::sample_texts();
        texts.push(
            "Raketverdediging, gemeentes en mensen; the happiest dying skis, early news".into(),
        );
        let mut checked = 0;
        for text in &texts {
            for lang in Lang::ALL {
                let mut a = Analyzers::default();
                let mut stems: Vec<String> =
                    a.tokens(lang, text).into_iter().map(|t| t.term).collect();
                stems.sort();
                stems.dedup();
                for k in [1usize, 3, 7] {
                    let terms: Vec<&str> = stems.iter().step_by(k).map(String::as_str).collect();
                    let mut want = reference_term_spans(text, lang, &terms);
                    want.dedup();
                    let got = term_spans(&FoldedWords::new(text), lang, &terms);
                    assert_eq!(got, want, "{lang:?}, every {k}th stem");
                    checked += got.len();
                }
            }
        }
        assert!(checked > 1000, "too little text: {checked} spans");
    }

    fn marked(text: &str, lang: Lang, matchers: &[Matcher]) -> String {
        let p = highlight(text, lang, matchers, 0);
        let chars: Vec<char> = p.text.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        for r in &p.highlights {
            out.extend(&chars[i..r.start]);
            out.push('[');
            out.extend(&chars[r.start..r.end]);
            out.push(']');
            i = r.end;
        }
        out.extend(&chars[i..]);
        out
    }

    #[test]
    fn stemmed_variants_are_marked() {
        let m = [Matcher::Term("raket".into())];
        assert_eq!(
            marked("De raket en de raketten vlogen.", Lang::Nl, &m),
            "De [raket] en de [raketten] vlogen."
        );
    }

    #[test]
    fn gezondheid_does_not_mark_zon() {
        let m = [Matcher::Term("gezond".into())];
        assert_eq!(
            marked("De zon scheen op de gezondheid.", Lang::Nl, &m),
            "De zon scheen op de [gezondheid]."
        );
    }

    #[test]
    fn phrases_are_one_span_and_only_where_they_occur() {
        let terms = Analyzers::default()
            .folded("Witte Huis")
            .into_iter()
            .map(|t| t.term)
            .collect();
        let m = [Matcher::Phrase(terms, 0)];
        let text = "Het Witte Huis zei dat het huis wit was.";
        let got = marked(text, Lang::Nl, &m);
        assert!(got.starts_with("Het [Witte Huis] zei"), "{got}");
        assert!(!got.contains("[huis]"));
    }

    #[test]
    fn prefix_and_fuzzy() {
        let m = [Matcher::Prefix("raketw".into())];
        assert_eq!(
            marked("Raketwaarschuwingen en raketten.", Lang::Nl, &m),
            "[Raketwaarschuwingen] en raketten."
        );
        let m = [Matcher::Fuzzy("pyongyang".into(), 1)];
        assert_eq!(marked("In Pyongjang.", Lang::Nl, &m), "In [Pyongjang].");
    }

    #[test]
    fn wildcards() {
        let m = [Matcher::Wildcard("rak*ten".into())];
        assert_eq!(
            marked("Raketten, raket en rakketten; Raketten!", Lang::Nl, &m),
            "[Raketten], raket en [rakketten]; [Raketten]!"
        );
        let m = [Matcher::Wildcard("ra?et".into())];
        assert_eq!(
            marked("Raket, rakket, rabet.", Lang::Nl, &m),
            "[Raket], rakket, [rabet]."
        );
        for (p, w, ok) in [
            ("a*b*", "ab", true),
            ("a*b*", "axxbyy", true),
            ("a*b", "axbxb", true),
            ("a*b", "axbx", false),
            ("a?", "a", false),
            ("a??", "abc", true),
            ("*", "", true),
            ("a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaa", false),
            ("öl?e", "ölie", true),
        ] {
            let chars: Vec<char> = p.chars().collect();
            assert_eq!(wildcard_match(&chars, w), ok, "{p} {w}");
        }
    }

    #[test]
    fn char_offsets_with_multibyte_text() {
        let p = highlight(
            "“Oekraïne” en Oekraïne",
            Lang::Nl,
            &[Matcher::Term("oekrain".into())],
            0,
        );
        let chars: Vec<char> = p.text.chars().collect();
        for r in &p.highlights {
            let s: String = chars[r.clone()].iter().collect();
            assert_eq!(s, "Oekraïne");
        }
        assert_eq!(p.highlights.len(), 2);
    }

    #[test]
    fn long_passages_are_cut_around_matches() {
        let text = "Eerste zin zonder iets. Tweede zin ook niet. Derde zin over raketten. Vierde zin over raketten en meer raketten. Vijfde zin.";
        let p = highlight(text, Lang::Nl, &[Matcher::Term("raket".into())], 70);
        assert!(p.text.starts_with("… Derde zin"), "{}", p.text);
        assert!(p.text.ends_with(" …"), "{}", p.text);
        assert_eq!(p.highlights.len(), 3);
    }

    #[test]
    fn entity_mentions() {
        let m = [
            Matcher::Mention(vec!["noord".into(), "koreaanse".into()]),
            Matcher::Mention(vec!["biden".into()]),
        ];
        assert_eq!(
            marked(
                "De Noord-Koreaanse troepen en Bidens plan; noord koreaanse niet.",
                Lang::Nl,
                &m
            ),
            "De [Noord-Koreaanse] troepen en [Bidens] plan; noord koreaanse niet."
        );
        // a person's other spellings ("Poetin", "Zelenski"), not a country word's
        let text = "Poetin, Vladimir Putin en Poetins woorden; Zelenski antwoordde.";
        let names = [
            Matcher::Name(vec!["vladimir".into(), "poetin".into()]),
            Matcher::Name(vec!["putin".into()]),
            Matcher::Name(vec!["zelenskyy".into()]),
        ];
        assert_eq!(
            marked(text, Lang::Nl, &names),
            "[Poetin], [Vladimir Putin] en [Poetins] woorden; [Zelenski] antwoordde."
        );
        let words = [Matcher::Mention(vec!["putin".into()])];
        assert_eq!(
            marked(text, Lang::Nl, &words),
            "Poetin, Vladimir [Putin] en Poetins woorden; Zelenski antwoordde."
        );
    }

    #[test]
    fn multibyte_spaces_in_long_sentences() {
        // A sentence longer than max_chars with no-break and ideographic spaces: cut at
        // character boundaries (this panicked before).
        let text = "raket\u{a0}".repeat(40) + "einde\u{3000}raket";
        let p = highlight(&text, Lang::Nl, &[Matcher::Term("raket".into())], 30);
        assert!(!p.highlights.is_empty());
        assert!(p.text.chars().count() <= 30 + 4, "{}", p.text);
    }

    #[test]
    fn distance() {
        assert!(within_distance("ishiba", "ishbia", 1));
        assert!(within_distance("kitten", "sitten", 1));
        assert!(!within_distance("kitten", "sitting", 2));
    }
}
