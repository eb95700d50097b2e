//! paragraph stage: splits an article body into paragraph documents, drops boilerplate, and falls back to sentence windows when a body has no paragraph breaks.
//!
//! The stage is pure and allocation-light: it works on `&str`, never panics and
//! runs in (amortised) linear time in the size of the body.
//!
//! Pipeline of [`split_paragraphs`]:
//!
//! 1. The body is cut at every line break (`\n`, `\r\n` or a lone `\r`); blank
//!    lines are skipped. Some sources put one paragraph per line, others
//!    separate paragraphs by blank lines: both end up as one paragraph per
//!    non-empty line (a lower-case line continuing an unfinished line is
//!    joined to it, see [`split_paragraphs`]).
//! 2. Lines for which [`is_boilerplate`] holds are dropped.
//! 3. The remaining text is trimmed and inner whitespace runs (and control
//!    characters such as NUL) are normalised to one ASCII space.
//! 4. A paragraph longer than [`SplitOptions::max_paragraph_chars`] is cut into
//!    windows of consecutive whole sentences found by [`split_sentences`].

use std::ops::Range;

/// Tuning for the splitter. `Default` gives the values below.
#[derive(Debug, Clone)]
pub struct SplitOptions {
    /// A paragraph longer than this (in chars) is cut into sentence windows. Default 1200.
    pub max_paragraph_chars: usize,
    /// Target size of a sentence window (chars); a window closes once it reaches this. Default 500.
    pub window_chars: usize,
    /// Max sentences per window. Default 4. (min is 2 where text allows; never split inside a sentence)
    pub window_max_sentences: usize,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions {
            max_paragraph_chars: 1200,
            window_chars: 500,
            window_max_sentences: 4,
        }
    }
}

/// One paragraph: its text (trimmed, inner whitespace runs normalised to one space) and the 1-based line in the body where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// The paragraph (or sentence window) text, trimmed, with every inner
    /// whitespace run replaced by a single ASCII space.
    pub text: String,
    /// 1-based line number in the body where this paragraph starts. All
    /// sentence windows cut from one long line share that line's number.
    pub line: usize,
}

/// Splits an article body into paragraphs.
///
/// Every non-boilerplate line with at least one letter or digit becomes one
/// [`Paragraph`] (separator lines such as `* * *` are dropped); a line
/// longer than `opts.max_paragraph_chars` characters becomes several
/// paragraphs, each a window of consecutive whole sentences (see
/// [`SplitOptions`]). Never panics, for any input.
///
/// One exception to "one line, one paragraph": a line that starts with a
/// lower-case letter directly after a line that does not end a sentence (no
/// final `.`, `!`, `?`, `…`, `:` or closing quote) is a hard-wrapped
/// continuation ("... that's how I would\nsee it.") and is appended to the
/// previous paragraph.
pub fn split_paragraphs(body: &str, opts: &SplitOptions) -> Vec<Paragraph> {
    let mut out = Vec::new();
    // The paragraph being built: normalised text and its first line.
    let mut pending: Option<(String, usize)> = None;
    for (idx, raw) in lines(body).enumerate() {
        let line_no = idx + 1;
        // Blank lines, boilerplate and separator lines without any letter or
        // digit ("* * *", "—") end the current paragraph and are dropped.
        if !raw.chars().any(char::is_alphanumeric) || is_boilerplate(raw) {
            flush_paragraph(pending.take(), opts, &mut out);
            continue;
        }
        let text = normalise_whitespace(raw);
        if let Some((prev, _)) = pending.as_mut() {
            if is_continuation(prev, &text) {
                prev.push(' ');
                prev.push_str(&text);
                continue;
            }
        }
        flush_paragraph(pending.take(), opts, &mut out);
        pending = Some((text, line_no));
    }
    flush_paragraph(pending, opts, &mut out);
    out
}

/// True if line `next` continues the unfinished paragraph `prev` (both
/// normalised and non-empty): `prev` ends in a letter, digit, comma,
/// semicolon or dash and `next` starts with a lower-case letter.
fn is_continuation(prev: &str, next: &str) -> bool {
    let ends_open = prev
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | ';' | '-' | '–' | '—'));
    ends_open && next.chars().next().is_some_and(char::is_lowercase)
}

/// Emits `para` (text, line) into `out`, as sentence windows if it is longer
/// than `opts.max_paragraph_chars`.
fn flush_paragraph(para: Option<(String, usize)>, opts: &SplitOptions, out: &mut Vec<Paragraph>) {
    let Some((text, line)) = para else {
        return;
    };
    if text.is_empty() {
        return;
    }
    if text.chars().count() <= opts.max_paragraph_chars {
        out.push(Paragraph { text, line });
        return;
    }
    for range in sentence_windows(&text, opts) {
        // A window of punctuation alone ("@", "..") holds nothing to find: no paragraph.
        if !text[range.clone()].chars().any(char::is_alphanumeric) {
            continue;
        }
        out.push(Paragraph {
            text: text[range].to_string(),
            line,
        });
    }
}

/// Iterates over the lines of `body`, treating `\r\n`, `\n` and a lone `\r`
/// each as one line break. The `n`-th item is line `n + 1` of the body.
fn lines(body: &str) -> impl Iterator<Item = &str> {
    let bytes = body.as_bytes();
    let mut pos = 0usize;
    let mut done = body.is_empty();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = pos;
        let mut i = pos;
        while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
            i += 1;
        }
        if i >= bytes.len() {
            done = true;
            pos = bytes.len();
            return Some(&body[start..]);
        }
        // `\r` and `\n` are ASCII, so `i` and the positions after them are
        // char boundaries.
        let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
        pos = next;
        if next >= bytes.len() {
            // A trailing line break does not start another (empty) line.
            done = true;
        }
        Some(&body[start..i])
    })
}

/// True for characters that the paragraph text treats as whitespace:
/// Unicode whitespace, control characters (NUL, ...), the byte-order mark and
/// zero-width spaces.
fn is_space_like(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{feff}' | '\u{200b}')
}

/// Trims `s` and replaces every run of [`is_space_like`] characters by one
/// ASCII space.
fn normalise_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    // Copies each run of kept text as one slice (most paragraphs are runs of ASCII words
    // with single spaces).
    let keep = |run: &str, out: &mut String| {
        if !run.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(run);
        }
    };
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            (b <= b' ' || b == 0x7f, 1)
        } else {
            match s[i..].chars().next() {
                Some(c) => (is_space_like(c), c.len_utf8()),
                None => break,
            }
        };
        if space {
            keep(&s[start..i], &mut out);
            start = i + len;
        }
        i += len;
    }
    keep(&s[start..], &mut out);
    out
}

// ---------------------------------------------------------------------------
// Sentence windows
// ---------------------------------------------------------------------------

/// Cuts a (whitespace-normalised) paragraph into byte ranges of sentence
/// windows.
fn sentence_windows(text: &str, opts: &SplitOptions) -> Vec<Range<usize>> {
    let max_sentences = opts.window_max_sentences.max(1);
    let min_sentences = max_sentences.min(2);
    let target = opts.window_chars.max(1);
    // Hard ceiling for a multi-sentence window (~1.5x the target).
    let cap = target.saturating_add(target / 2);
    // A single sentence longer than this is cut at whitespace.
    let sentence_limit = opts.max_paragraph_chars.max(1).saturating_mul(4);

    // Sentence ranges together with their length in chars.
    let mut sentences: Vec<(Range<usize>, usize)> = Vec::new();
    for r in split_sentences(text) {
        let n = text[r.clone()].chars().count();
        if n > sentence_limit {
            for piece in cut_long(text, r, sentence_limit) {
                let n = text[piece.clone()].chars().count();
                sentences.push((piece, n));
            }
        } else {
            sentences.push((r, n));
        }
    }

    // Each window: (first sentence index, one-past-last sentence index).
    let mut windows: Vec<(usize, usize)> = Vec::new();
    let span_len = |from: usize, to: usize| -> usize {
        // Sentences are separated by one space in normalised text.
        sentences[from..to].iter().map(|s| s.1).sum::<usize>() + (to - from).saturating_sub(1)
    };
    let mut start = 0usize;
    let mut len = 0usize;
    for (i, (_, n)) in sentences.iter().enumerate() {
        let count = i - start;
        if count > 0 && (count >= max_sentences || len + 1 + n > cap) {
            windows.push((start, i));
            start = i;
            len = 0;
        }
        len = if i == start { *n } else { len + 1 + n };
        let count = i + 1 - start;
        if len >= target && count >= min_sentences {
            windows.push((start, i + 1));
            start = i + 1;
            len = 0;
        }
    }
    if start < sentences.len() {
        windows.push((start, sentences.len()));
    }

    // A window of one short sentence (it was closed because the next
    // sentence is long): merge it into a neighbour when that fits.
    let fits = |from: usize, to: usize| to - from <= max_sentences && span_len(from, to) <= cap;
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    let mut k = 0;
    while k < windows.len() {
        let (s, e) = windows[k];
        if e - s == 1 && sentences[s].1 < target {
            if let Some(prev) = merged.last_mut() {
                if fits(prev.0, e) {
                    prev.1 = e;
                    k += 1;
                    continue;
                }
            }
            if let Some(&(_, ne)) = windows.get(k + 1) {
                if fits(s, ne) {
                    merged.push((s, ne));
                    k += 2;
                    continue;
                }
            }
        }
        merged.push((s, e));
        k += 1;
    }
    let mut windows = merged;

    // Avoid a final window of a single short sentence: merge it into the
    // previous window, or move the previous window's last sentence over.
    if windows.len() >= 2 {
        let last = windows.len() - 1;
        let (ls, le) = windows[last];
        let (ps, pe) = windows[last - 1];
        if le - ls == 1 && sentences[ls].1 < target {
            let prev_count = pe - ps;
            if prev_count < max_sentences && span_len(ps, le) <= cap {
                windows.pop();
                windows[last - 1] = (ps, le);
            } else if prev_count > min_sentences && span_len(pe - 1, le) <= cap {
                windows[last - 1] = (ps, pe - 1);
                windows[last] = (pe - 1, le);
            } else if span_len(ps, le) <= cap {
                windows.pop();
                windows[last - 1] = (ps, le);
            }
        }
    }

    windows
        .into_iter()
        .map(|(s, e)| sentences[s].0.start..sentences[e - 1].0.end)
        .collect()
}

/// Cuts the over-long sentence `r` of `text` into pieces of at most `limit`
/// chars, each cut at the last whitespace before the limit, or at the limit
/// itself (on a char boundary) when there is no whitespace.
fn cut_long(text: &str, r: Range<usize>, limit: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    while start < r.end {
        let rest = &text[start..r.end];
        // Byte offset (within `rest`) just past the `limit`-th char.
        let Some((limit_off, _)) = rest.char_indices().nth(limit) else {
            out.push(start..r.end);
            break;
        };
        let head = &rest[..limit_off];
        let cut = match head.rfind(char::is_whitespace) {
            Some(ws) if ws > 0 => ws,
            _ => limit_off,
        };
        out.push(start..start + cut);
        // Skip the whitespace at the cut.
        let next = &text[start + cut..r.end];
        start = start + cut + (next.len() - next.trim_start().len());
    }
    out
}

// ---------------------------------------------------------------------------
// Sentence splitter
// ---------------------------------------------------------------------------

/// Abbreviations (lower-cased, with their final dot) after which a sentence
/// never ends: titles and abbreviations that are always followed by more of
/// the same sentence.
#[rustfmt::skip]
const ABBREV_ALWAYS: &[&str] = &[
    // Dutch
    "o.a.", "d.w.z.", "m.a.w.", "bijv.", "bv.", "i.p.v.", "z.g.a.n.", "dhr.", "mevr.", "mw.",
    "hr.", "mr.", "dr.", "prof.", "ir.", "drs.", "ds.", "zr.", "nr.", "ca.", "resp.", "vgl.",
    "zgn.", "incl.", "excl.", "evt.", "ong.", "blz.", "pag.", "m.b.t.", "t.a.v.", "t.o.v.",
    "i.v.m.", "m.i.v.", "n.a.v.", "z.s.m.", "max.", "gem.",
    // Months (Dutch and English); "jan." is in ABBREV_NUMERIC.
    "feb.", "febr.", "mrt.", "apr.", "jun.", "jul.", "aug.", "sept.", "okt.", "nov.", "dec.",
    "mar.", "sep.", "oct.",
    // English
    "mrs.", "ms.", "vs.", "e.g.", "i.e.", "gov.", "sen.", "rep.", "gen.", "lt.", "col.",
    "capt.", "sgt.", "cmdr.", "adm.", "rev.", "hon.", "messrs.", "approx.", "mt.", "ft.",
    "cf.", "viz.", "dept.", "univ.",
];

/// Entries of [`ABBREV_ALWAYS`] that are names when capitalised ("Max").
const ABBREV_LOWER_ONLY: &[&str] = &["max.", "gem."];

/// Abbreviations that often end a sentence too ("... in the U.S. The ...").
/// After these the text is split only if the next word is a common
/// sentence-initial word (see [`SENTENCE_STARTERS`]); so "The U.S. President"
/// stays one sentence while "grew in the U.S. The economy" is split.
#[rustfmt::skip]
const ABBREV_FINAL: &[&str] = &[
    "etc.", "enz.", "inc.", "ltd.", "co.", "corp.", "jr.", "sr.", "st.", "a.m.", "p.m.", "u.s.",
    "u.k.", "e.u.", "v.s.", "u.s.a.", "u.n.", "v.n.", "n.v.", "b.v.", "jl.", "a.s.", "n.chr.",
    "v.chr.", "bros.", "plc.",
];

/// Abbreviations that are also ordinary words ("no", "Jan", "art"): they only
/// count as abbreviations when a number is next to them ("No. 5",
/// "3 jan. 2019", "art. 12").
const ABBREV_NUMERIC: &[&str] = &["no.", "jan.", "art.", "nos.", "vol.", "p.", "pp."];

/// Common sentence-initial words (English and Dutch); see [`ABBREV_FINAL`].
#[rustfmt::skip]
const SENTENCE_STARTERS: &[&str] = &[
    // English
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "in", "on", "at", "but", "however", "its", "his", "her", "their", "our",
    "some", "many", "most", "after", "before", "when", "while", "as", "if", "also", "for",
    "meanwhile", "according", "last", "earlier",
    // Dutch
    "de", "het", "een", "hij", "zij", "ze", "wij", "ik", "dit", "dat", "deze", "die", "er",
    "maar", "ook", "volgens", "daarna", "daarnaast", "bovendien", "toch", "zo", "op", "bij",
    "na", "voor", "om", "wat", "wie", "waar", "hoe", "zijn", "haar", "hun",
];

/// Sentence-terminating characters.
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…') || is_script_terminator(c)
}

/// Unambiguous terminators of other scripts: Devanagari danda, Arabic
/// question mark and the CJK full stops/marks. The CJK ones end a sentence
/// even without following whitespace.
fn is_script_terminator(c: char) -> bool {
    matches!(c, '।' | '॥' | '؟' | '。' | '！' | '？' | '｡')
}

/// Dashes and bullets that introduce a list item ("... opengaan. - Het rijk
/// financiert ...").
fn is_bullet(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '•' | '·' | '*' | '▪' | '►')
}

/// Closing quotes and brackets that may follow a terminator (`.”`, `?’`, `!)`).
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}')
}

/// Opening quotes and brackets that may begin a sentence.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '„' | '‚' | '«' | '‹' | '(' | '[' | '{' | '¿' | '¡'
    )
}

/// True if `c` may be the first character of a new sentence: an uppercase
/// letter, a letter of a script without case, a digit, or an opening quote or
/// bracket.
fn can_start_sentence(c: char) -> bool {
    if c.is_uppercase() || c.is_numeric() || is_opener(c) {
        return true;
    }
    c.is_alphabetic() && !c.is_lowercase()
}

/// True if `next` (text after the whitespace that follows a terminator) looks
/// like the start of a new sentence: see [`can_start_sentence`]; also Dutch
/// `,,` opening quotes (",,Wij willen ...''") and a list dash or bullet
/// followed by whitespace and a sentence start.
fn starts_sentence(next: &str) -> bool {
    let mut cs = next.chars();
    let Some(first) = cs.next() else {
        return false;
    };
    if can_start_sentence(first) || next.starts_with(",,") {
        return true;
    }
    if is_bullet(first) {
        let rest = cs.as_str();
        let item = rest.trim_start();
        return item.len() < rest.len()
            && item
                .chars()
                .next()
                .is_some_and(|c| can_start_sentence(c) || c == ',');
    }
    false
}

/// Longest token inspected when looking for an abbreviation (bytes).
const MAX_ABBREV_BYTES: usize = 24;

/// Returns byte ranges of the sentences in `text`, each trimmed of
/// surrounding whitespace; empty sentences are not returned.
///
/// A sentence ends after `.`, `!`, `?` or `…` (possibly repeated, and possibly
/// followed by closing quotes or brackets such as `.”` or `!)`) when whitespace
/// and then an uppercase letter, a digit or an opening quote/bracket follow, or
/// at the end of the text. A blank line (two line breaks) also ends a sentence.
///
/// A single `.` does *not* end a sentence after
/// - a known Dutch or English abbreviation (`dhr.`, `o.a.`, `Mr.`, `bijv.` ...);
/// - a dotted lower-case abbreviation (`z.g.a.n.`, `m.b.t.`);
/// - a word that is an abbreviation only next to a number (`No. 10`,
///   `3 jan. 2020`; but "He said no. The ..." and "zei Jan. Hij ..." split);
/// - a list number at the very start of a sentence (`1. De eerste ...`).
///
/// Abbreviations that also commonly end a sentence (`etc.`, `U.S.`, `Inc.`,
/// `Corp.`, `a.m.` ...) and upper-case initials (`W.`, `J.F.`, and Dutch
/// suspects' initials such as "Michael P.") are treated as a sentence end
/// only when the next word is a frequent sentence-initial word ("The", "He",
/// "De", "Het" ...): "The U.S. President" and "George W. Bush" stay one
/// sentence, "... in the U.S. The economy ..." and "... tegen Michael P. Hij
/// ontkent." are two. The ambiguous leftovers prefer *not* splitting, which
/// only makes a window's sentence longer, never cuts one in half. All-caps
/// words are acronyms, never abbreviations ("bij ING. De bank ...").
///
/// Dots inside tokens (`12.000`, `3.5`, `nos.nl`, `www.example.com`) and
/// ellipses followed by a lowercase word never end a sentence, because the
/// character after the terminator is not whitespace followed by a
/// sentence-start character. Dutch `,,` opening quotes count as an opening
/// quote, and a list dash or bullet (`. - Het rijk ...`) as a sentence start.
/// The danda (`।`) and CJK full stops (`。`) are terminators as well.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut sent_start = 0usize;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        // Blank line: hard boundary.
        if c == '\n' || c == '\r' {
            let mut breaks = 1;
            let mut j = i + c.len_utf8();
            let mut prev = c;
            for (k, d) in text[j..].char_indices() {
                if !d.is_whitespace() {
                    break;
                }
                if (d == '\n' && prev != '\r') || d == '\r' {
                    breaks += 1;
                }
                prev = d;
                j = i + c.len_utf8() + k + d.len_utf8();
            }
            // Skip the whitespace run in one go (keeps the scan linear).
            while iter.peek().is_some_and(|&(k, _)| k < j) {
                iter.next();
            }
            if breaks >= 2 {
                push_trimmed(text, sent_start..i, &mut out);
                sent_start = j;
            }
            continue;
        }
        if !is_terminator(c) {
            continue;
        }
        // Consume the rest of the terminator run and any closing marks.
        let mut end = i + c.len_utf8();
        let mut single_dot = c == '.';
        let mut cjk = matches!(c, '。' | '！' | '？' | '｡');
        while let Some(&(k, d)) = iter.peek() {
            if is_terminator(d) {
                single_dot = false;
                cjk |= matches!(d, '。' | '！' | '？' | '｡');
                end = k + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let mut closed = false;
        while let Some(&(k, d)) = iter.peek() {
            if is_closer(d) {
                closed = true;
                end = k + d.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        let mut rest = &text[end..];
        let mut after_ws = rest.trim_start();
        // A closing quote detached by a space ("klopt. ' Daarna") belongs
        // to this sentence.
        if !closed {
            let mut cs = after_ws.chars();
            if let (Some(q), Some(ws)) = (cs.next(), cs.next()) {
                let gap = &rest[..rest.len() - after_ws.len()];
                if !gap.is_empty()
                    && !gap.contains(['\n', '\r'])
                    && matches!(q, '\'' | '"' | '’' | '”' | '»')
                    && ws.is_whitespace()
                {
                    end = text.len() - after_ws.len() + q.len_utf8();
                    closed = true;
                    rest = &text[end..];
                    after_ws = rest.trim_start();
                    // The scan resumes after the quote: a line break inside the skipped
                    // stretch would otherwise end a sentence before `sent_start`.
                    while iter.peek().is_some_and(|&(k, _)| k < end) {
                        iter.next();
                    }
                }
            }
        }
        if after_ws.is_empty() {
            // End of text.
            continue;
        }
        if cjk {
            push_trimmed(text, sent_start..end, &mut out);
            sent_start = end;
            continue;
        }
        if after_ws.len() == rest.len() {
            // No whitespace after the terminator: "nos.nl", "3.5", "?”,".
            continue;
        }
        if !starts_sentence(after_ws) {
            continue;
        }
        if single_dot && !closed && !dot_ends_sentence(text, sent_start, i, after_ws) {
            continue;
        }
        push_trimmed(text, sent_start..end, &mut out);
        sent_start = end;
    }
    push_trimmed(text, sent_start..text.len(), &mut out);
    out
}

/// Pushes `r` trimmed of whitespace, if non-empty. A fragment without any
/// letter or digit (a stray closing quote as in "karma. '") is attached to
/// the previous sentence instead.
fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start_matches(is_space_like).len();
    let trimmed = s.trim_matches(is_space_like);
    if trimmed.is_empty() {
        return;
    }
    let start = r.start + lead;
    let end = start + trimmed.len();
    if !trimmed.chars().any(char::is_alphanumeric) {
        if let Some(prev) = out.last_mut() {
            prev.end = end;
            return;
        }
    }
    out.push(start..end);
}

/// Decides whether the single `.` at byte `dot` ends a sentence, looking at
/// the token before it (starting no earlier than `sent_start`) and at `next`,
/// the text after the following whitespace.
fn dot_ends_sentence(text: &str, sent_start: usize, dot: usize, next: &str) -> bool {
    // The token before the dot: back to whitespace, at most MAX_ABBREV_BYTES.
    let before = &text[sent_start..dot];
    let tok_start = before
        .char_indices()
        .rev()
        .take_while(|&(k, ch)| !ch.is_whitespace() && before.len() - k <= MAX_ABBREV_BYTES)
        .last()
        .map_or(before.len(), |(k, _)| k);
    let token = &before[tok_start..];
    if token.is_empty() {
        return true;
    }
    // Token hit the length cap: too long to be an abbreviation.
    if tok_start > 0 && !before[..tok_start].ends_with(char::is_whitespace) {
        return true;
    }
    // Strip leading opening quotes/brackets: "(o.a." -> "o.a.".
    let word = token.trim_start_matches(|ch: char| is_opener(ch) || is_closer(ch));
    if word.is_empty() {
        return true;
    }
    let lower = format!("{}.", word.to_lowercase());

    // A list number at the start of a sentence: "1. De eerste ...".
    if word.chars().all(|ch| ch.is_ascii_digit())
        && word.len() <= 2
        && before[..tok_start].trim().is_empty()
    {
        return false;
    }
    // All-caps words are acronyms, not abbreviations: "bij ING. De bank".
    let acronym = word.chars().count() >= 2 && word.chars().all(char::is_uppercase);
    if acronym {
        return true;
    }
    // "max." (maximum) but "Boeing 737 Max. De ...", "dankzij Max. Maar".
    if ABBREV_LOWER_ONLY.contains(&lower.as_str()) && word.starts_with(char::is_uppercase) {
        return true;
    }
    if ABBREV_ALWAYS.contains(&lower.as_str()) {
        return false;
    }
    if ABBREV_FINAL.contains(&lower.as_str()) {
        return starts_with_starter(next);
    }
    // Initials: "W. Bush", "J.F. Kennedy", but also the Dutch habit of
    // naming suspects by initial at the end of a sentence ("... tegen
    // Michael P. Hij ontkent."). Split only before a typical sentence start.
    // (In Dutch a surname particle after an initial is lower case,
    // "J. de Vries"; Flemish "B. De Wever" is the accepted casualty.)
    if is_initials(word) {
        return starts_with_starter(next);
    }
    if ABBREV_NUMERIC.contains(&lower.as_str()) {
        let prev_is_number = before[..tok_start]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_ascii_digit());
        let next_is_number = next.chars().next().is_some_and(|ch| ch.is_ascii_digit());
        return !(prev_is_number || next_is_number);
    }
    // Dotted abbreviations: "z.g.a.n.", "m.b.t.", "a.s.".
    if word.contains('.') && is_dotted_letters(word) {
        return false;
    }
    true
}

/// True for `x.y.z` ... : single letters separated by dots (the final dot is
/// not part of `word`).
fn is_dotted_letters(word: &str) -> bool {
    word.split('.').all(|part| {
        let mut cs = part.chars();
        matches!((cs.next(), cs.next()), (Some(ch), None) if ch.is_alphabetic())
    })
}

/// True for upper-case initials: `W`, `J.F`, `A.B.C` (the final dot is not
/// part of `word`).
fn is_initials(word: &str) -> bool {
    is_dotted_letters(word) && word.chars().all(|ch| ch == '.' || ch.is_uppercase())
}

/// True if the first word of `next` is one of [`SENTENCE_STARTERS`] and is
/// capitalised.
fn starts_with_starter(next: &str) -> bool {
    let next = next.trim_start_matches(is_opener);
    let word: String = next
        .chars()
        .take_while(|ch| ch.is_alphabetic())
        .take(16)
        .collect();
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let lower = word.to_lowercase();
    SENTENCE_STARTERS.contains(&lower.as_str())
}

// ---------------------------------------------------------------------------
// Boilerplate
// ---------------------------------------------------------------------------

/// Whole lines (normalised: lower-case, straight apostrophes, no trailing
/// punctuation) that are never article text.
const BOILERPLATE_LINES: &[&str] = &[
    // Dutch
    "aanbevolen video's",
    "aanbevolen video",
    "aanbevolen artikelen",
    "lees ook",
    "lees meer",
    "lees verder",
    "lees hier",
    "lees het hele artikel",
    "lees het volledige artikel",
    "bekijk ook",
    "bekijk de video",
    "bekijk hier de video",
    "bekijk video",
    "kijk ook",
    "zie ook",
    "advertentie",
    "gesponsord",
    "gesponsorde inhoud",
    "deel dit artikel",
    "deel dit bericht",
    "deel dit",
    "meer nieuws",
    "meest gelezen",
    "gerelateerde artikelen",
    "gerelateerd",
    "schrijf je in voor onze nieuwsbrief",
    "schrijf je in voor de nieuwsbrief",
    "meld je aan voor onze nieuwsbrief",
    "meld je aan voor de nieuwsbrief",
    "abonneer nu",
    "klik hier",
    "klik hier om je te abonneren",
    "volg ons",
    "het artikel gaat verder onder de advertentie",
    "artikel gaat verder onder de advertentie",
    // English
    "read more",
    "read also",
    "also read",
    "see also",
    "continue reading",
    "advertisement",
    "advertising",
    "sponsored",
    "sponsored content",
    "related",
    "related articles",
    "related stories",
    "related content",
    "related coverage",
    "share this article",
    "share this story",
    "share this",
    "recommended",
    "recommended videos",
    "recommended for you",
    "more stories",
    "most read",
    "sign up for our newsletter",
    "subscribe to our newsletter",
    "click here to subscribe",
    "click here",
    "follow us",
    "watch the video",
    "story continues below advertisement",
    "article continues below advertisement",
    "skip advertisement",
];

/// Prefixes (normalised, without separator) of "link title" lines such as
/// "Lees ook: Kabinet valt" or "Read more: Markets slide".
const BOILERPLATE_PREFIXES: &[&str] = &[
    "lees ook",
    "lees meer",
    "lees verder",
    "bekijk ook",
    "kijk ook",
    "zie ook",
    "meer over",
    "read more",
    "read also",
    "also read",
    "see also",
    "related",
    "watch",
];

/// A `"Lees ook: <title>"` line must be shorter than this (chars) to count as
/// boilerplate.
const MAX_LINK_LINE_CHARS: usize = 150;

/// Decorations that may surround a boilerplate line: bullets, arrows, dashes
/// and trailing punctuation.
fn is_decoration(c: char) -> bool {
    matches!(
        c,
        '.' | ':'
            | '!'
            | '?'
            | '…'
            | '»'
            | '«'
            | '›'
            | '‹'
            | '>'
            | '<'
            | '→'
            | '•'
            | '·'
            | '|'
            | '-'
            | '–'
            | '—'
            | '*'
            | '+'
            | '#'
            | '▶'
            | '►'
    ) || is_space_like(c)
}

/// A typographic apostrophe as `'`; any other character as itself.
fn straight_apostrophe(c: char) -> char {
    match c {
        '’' | '‘' | '`' | '´' | 'ʼ' | '′' => '\'',
        c => c,
    }
}

/// Lower-cases `s`, turns typographic apostrophes into `'`, normalises
/// whitespace runs to one space and strips surrounding decorations.
fn normalise_for_match(s: &str) -> String {
    let mapped: String = s.chars().map(straight_apostrophe).collect();
    normalise_whitespace(&mapped.to_lowercase())
        .trim_matches(is_decoration)
        .to_string()
}

/// Whether the normalised line ([`normalise_for_match`]) can start like a boilerplate line or
/// link prefix: its first three characters, found without normalising the whole line (most
/// paragraphs are rejected here).
fn may_start_boilerplate(trimmed: &str) -> bool {
    let mut lead = String::with_capacity(12);
    let mut n = 0;
    let mut space = false;
    for c in trimmed.trim_start_matches(is_decoration).chars() {
        if is_space_like(c) {
            space = true;
            continue;
        }
        if space {
            lead.push(' ');
            n += 1;
            space = false;
            if n == 3 {
                break;
            }
        }
        for l in straight_apostrophe(c).to_lowercase() {
            if n < 3 {
                lead.push(l);
                n += 1;
            }
        }
        if n == 3 {
            break;
        }
    }
    // Every entry is longer than three characters.
    n == 3
        && BOILERPLATE_LINES
            .iter()
            .chain(BOILERPLATE_PREFIXES)
            .any(|e| e.starts_with(&lead))
}

/// True for a line that is not article text (navigation, ads, "read more" links...).
///
/// Matching is case-insensitive on the whole trimmed line, tolerant of
/// typographic apostrophes (`’` vs `'`), surrounding bullets/arrows and
/// trailing punctuation such as a colon: "Aanbevolen video’s", "READ MORE:",
/// "» Lees ook". A short line (under ~150 chars) that starts with a link prefix
/// and a separator ("Lees ook: ...", "Read more: ...", "Also read | ...") is
/// boilerplate as well. Real sentences that merely contain such words
/// ("Advertentie-inkomsten stegen vorig jaar met 12 procent.") are kept.
pub fn is_boilerplate(line: &str) -> bool {
    let trimmed = line.trim_matches(is_space_like);
    if trimmed.is_empty() {
        return false;
    }
    // Fast reject: every boilerplate line is short; this also bounds the work
    // on huge lines.
    if trimmed.len() > MAX_LINK_LINE_CHARS * 4 {
        return false;
    }
    may_start_boilerplate(trimmed) && is_boilerplate_line(trimmed)
}

/// [`is_boilerplate`] on a trimmed line of at most `4 × MAX_LINK_LINE_CHARS` bytes, without
/// the quick rejection by its first characters.
fn is_boilerplate_line(trimmed: &str) -> bool {
    let norm = normalise_for_match(trimmed);
    if norm.is_empty() {
        return false;
    }
    if BOILERPLATE_LINES.contains(&norm.as_str()) {
        return true;
    }
    if trimmed.chars().count() >= MAX_LINK_LINE_CHARS {
        return false;
    }
    BOILERPLATE_PREFIXES.iter().any(|p| {
        norm.strip_prefix(p).is_some_and(|rest| {
            let rest = rest.trim_start();
            // A separator, then a non-empty link title.
            let mut cs = rest.chars();
            cs.next()
                .is_some_and(|c| matches!(c, ':' | '|' | '»' | '>' | '→' | '–' | '—'))
                && !cs.as_str().trim_matches(is_decoration).is_empty()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_rejection_never_drops_boilerplate() {
        let mut lines: Vec<String> = Vec::new();
        for e in BOILERPLATE_LINES.iter().chain(BOILERPLATE_PREFIXES) {
            let upper = e.to_uppercase();
            let curly = e.replace('\'', "’");
            let spaced = e.replace(' ', " \u{a0}\t ");
            for v in [e.to_string(), upper, curly, spaced] {
                lines.push(v.clone());
                lines.push(format!("» {v}:"));
                lines.push(format!("• {v} | Kabinet valt"));
                lines.push(format!("{v}: Markets slide"));
            }
        }
        // and every line of the committed sample corpus
        let sample = include_str!("../corpus/sample.jsonl");
        for line in sample.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            for key in ["title", "body", "text"] {
                if let Some(t) = v[key].as_str() {
                    lines.extend(t.lines().map(str::to_string));
                }
            }
        }
        let mut boilerplate = 0;
        for line in &lines {
            let t = line.trim_matches(is_space_like);
            if t.is_empty() || t.len() > MAX_LINK_LINE_CHARS * 4 {
                continue;
            }
            if is_boilerplate_line(t) {
                boilerplate += 1;
                assert!(may_start_boilerplate(t), "{t:?}");
            }
        }
        assert!(boilerplate > 4 * BOILERPLATE_LINES.len(), "{boilerplate}");
    }

    #[test]
    fn whitespace_runs_become_one_space() {
        // The char-by-char definition the fast path must agree with.
        fn reference(s: &str) -> String {
            let mut out = String::new();
            let mut pending = false;
            for c in s.chars() {
                if is_space_like(c) {
                    pending = true;
                } else {
                    if pending && !out.is_empty() {
                        out.push(' ');
                    }
                    pending = false;
                    out.push(c);
                }
            }
            out
        }
        for s in [
            "",
            " ",
            "Het kabinet  viel.",
            "  \tRutte\r\nzei\u{a0}\u{a0}niets\u{200b}. ",
            "\u{feff}Oekraïense\u{2003}troepen\u{3000}", // BOM, em space, ideographic space
            "a\u{0}b\u{7f}c\u{85}d",                     // NUL, DEL, NEL
            "één  twee\u{2028}drie",
        ] {
            assert_eq!(normalise_whitespace(s), reference(s), "{s:?}");
        }
        assert_eq!(normalise_whitespace("  a \n\n b\t"), "a b");
    }

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    fn texts(ps: &[Paragraph]) -> Vec<&str> {
        ps.iter().map(|p| p.text.as_str()).collect()
    }

    fn assert_sentences(text: &str, expected: &[&str]) {
        assert_eq!(sentences(text), expected, "splitting {text:?}");
    }

    // --- paragraphs ------------------------------------------------------

    /// Lines quoted from the seed article 000_05427ea14c8b4e57 (one paragraph
    /// per line, with the "Aanbevolen video’s" widget line between them).
    const SEED_EXCERPT: &str = "LIMA – President Joe Biden prees vrijdag de samenwerking tussen Zuid-Korea, Japan en de VS bij het tegengaan van wat hij omschreef als de ‘gevaarlijke en destabiliserende samenwerking van Noord-Korea met Rusland’.
Biden sprak aan het begin van een ontmoeting in Peru met de Zuid-Koreaanse president Yoon Suk Yeol en de Japanse premier Shigeru Ishiba aan de zijlijn van de top van de Azië-Pacific Economische Samenwerking.
Aanbevolen video’s
Biden merkte op dat het zijn laatste ontmoeting met hen zou zijn, maar dat het trilaterale partnerschap nog jaren behouden moet blijven.
“Ik ben trots op hoe ver we zijn gekomen”, zei Biden. “Wat het probleem ook is, we hebben het samen aangepakt.”
Volgens Amerikaanse, Zuid-Koreaanse en Oekraïense schattingen zijn er tot 12.000 Noord-Koreaanse troepen naar Rusland gestuurd.
Santana berichtte vanuit Washington.";

    #[test]
    fn seed_one_paragraph_per_line_and_widget_dropped() {
        let ps = split_paragraphs(SEED_EXCERPT, &SplitOptions::default());
        assert_eq!(ps.len(), 6, "7 lines, 1 boilerplate: {:#?}", ps);
        assert!(ps.iter().all(|p| !p.text.contains("Aanbevolen")));
        assert!(ps[0].text.starts_with("LIMA – President Joe Biden prees"));
        assert_eq!(ps[0].line, 1);
        assert!(ps[1].text.starts_with("Biden sprak aan het begin"));
        assert_eq!(ps[1].line, 2);
        // Line 3 is the widget; numbering continues from the body.
        assert!(ps[2].text.starts_with("Biden merkte op"));
        assert_eq!(ps[2].line, 4);
        assert_eq!(
            ps[3].text,
            "“Ik ben trots op hoe ver we zijn gekomen”, zei Biden. “Wat het probleem ook is, we hebben het samen aangepakt.”"
        );
        assert_eq!(ps[5].text, "Santana berichtte vanuit Washington.");
        assert_eq!(ps[5].line, 7);
    }

    #[test]
    fn seed_shape_27_lines_gives_26_paragraphs() {
        // Same shape as the full seed: 27 lines, the third one the widget.
        let mut body = String::new();
        for i in 1..=27 {
            if i == 3 {
                body.push_str("Aanbevolen video’s");
            } else {
                body.push_str(&format!("Biden sprak in alinea {i} met Yoon en Ishiba."));
            }
            if i < 27 {
                body.push('\n');
            }
        }
        let ps = split_paragraphs(&body, &SplitOptions::default());
        assert_eq!(ps.len(), 26);
        assert_eq!(ps[2].line, 4);
        assert_eq!(ps[25].line, 27);
    }

    #[test]
    fn line_breaks_of_every_kind_and_blank_lines() {
        let body =
            "Eerste alinea.\r\n\r\nTweede alinea.\rDerde alinea.\n\n\nVierde   alinea\tmet  tab.\n";
        let ps = split_paragraphs(body, &SplitOptions::default());
        assert_eq!(
            texts(&ps),
            [
                "Eerste alinea.",
                "Tweede alinea.",
                "Derde alinea.",
                "Vierde alinea met tab."
            ]
        );
        assert_eq!(ps.iter().map(|p| p.line).collect::<Vec<_>>(), [1, 3, 4, 7]);
    }

    #[test]
    fn paragraph_text_is_trimmed_and_normalised() {
        let ps = split_paragraphs("   Hij  zei \u{a0} niets.\u{0}  ", &SplitOptions::default());
        assert_eq!(texts(&ps), ["Hij zei niets."]);
    }

    // --- sentence splitter ----------------------------------------------

    #[test]
    fn sentences_basic_and_trimmed() {
        assert_sentences(
            "  Het regent. Morgen wordt het droog!  Of niet? ",
            &["Het regent.", "Morgen wordt het droog!", "Of niet?"],
        );
        assert_sentences("Geen punt aan het eind", &["Geen punt aan het eind"]);
        assert!(split_sentences("").is_empty());
        assert!(split_sentences(" \n\t ").is_empty());
    }

    #[test]
    fn sentences_quoted_biden() {
        assert_sentences(
            "“Ik ben trots op hoe ver we zijn gekomen”, zei Biden. “Wat het probleem ook is, we hebben het samen aangepakt.”",
            &[
                "“Ik ben trots op hoe ver we zijn gekomen”, zei Biden.",
                "“Wat het probleem ook is, we hebben het samen aangepakt.”",
            ],
        );
    }

    #[test]
    fn sentences_after_closing_quotes_and_brackets() {
        assert_sentences(
            "Hij riep: “Stop!” Daarna was het stil.",
            &["Hij riep: “Stop!”", "Daarna was het stil."],
        );
        assert_sentences(
            "Is dit het einde?’ Niemand wist het.",
            &["Is dit het einde?’", "Niemand wist het."],
        );
        assert_sentences(
            "Het bedrijf groeide (flink!) Toch bleef de winst uit.",
            &["Het bedrijf groeide (flink!)", "Toch bleef de winst uit."],
        );
        assert_sentences(
            "He said \"enough.\" The room went quiet.",
            &["He said \"enough.\"", "The room went quiet."],
        );
        // A question inside a quote followed by a comma is not a boundary.
        assert_sentences(
            "“Waarom nu?”, vroeg de minister. Hij kreeg geen antwoord.",
            &[
                "“Waarom nu?”, vroeg de minister.",
                "Hij kreeg geen antwoord.",
            ],
        );
    }

    #[test]
    fn sentences_next_starts_with_digit_or_bracket() {
        assert_sentences(
            "De score was gelijk. 3 doelpunten vielen na rust. (Het publiek juichte.)",
            &[
                "De score was gelijk.",
                "3 doelpunten vielen na rust.",
                "(Het publiek juichte.)",
            ],
        );
    }

    #[test]
    fn sentences_dutch_double_comma_quotes() {
        assert_sentences(
            "Dat liet het bedrijf gisteren weten. ,,Dit getuigt van een visie op de vrouw die ik niet deel'', reageerde minister Buzyn. ,,Het lijkt me beter.'' Ook de oppositie was tegen.",
            &[
                "Dat liet het bedrijf gisteren weten.",
                ",,Dit getuigt van een visie op de vrouw die ik niet deel'', reageerde minister Buzyn.",
                ",,Het lijkt me beter.''",
                "Ook de oppositie was tegen.",
            ],
        );
    }

    #[test]
    fn sentences_lowercase_after_dot_is_not_a_boundary() {
        assert_sentences(
            "Hij wachtte... en wachtte. Toen kwam de bus.",
            &["Hij wachtte... en wachtte.", "Toen kwam de bus."],
        );
        assert_sentences(
            "Het bleef stil… tot de bel ging. Iedereen schrok.",
            &["Het bleef stil… tot de bel ging.", "Iedereen schrok."],
        );
        // An ellipsis before a capital does end the sentence.
        assert_sentences(
            "Het bleef stil... Toen ging de bel.",
            &["Het bleef stil...", "Toen ging de bel."],
        );
    }

    #[test]
    fn sentences_dutch_abbreviations() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Dat zei dhr. Jansen gisteren. Hij was boos.",
                &["Dat zei dhr. Jansen gisteren.", "Hij was boos."],
            ),
            (
                "Volgens mevr. De Vries is dat onzin. Zij stapt op.",
                &["Volgens mevr. De Vries is dat onzin.", "Zij stapt op."],
            ),
            (
                "Er kwamen o.a. Ministers en Kamerleden. Dat is veel.",
                &["Er kwamen o.a. Ministers en Kamerleden.", "Dat is veel."],
            ),
            (
                "Het is kapot, d.w.z. Niet meer te repareren. Jammer.",
                &["Het is kapot, d.w.z. Niet meer te repareren.", "Jammer."],
            ),
            (
                "Hij loog, m.a.w. Hij moet weg. Dat vindt iedereen.",
                &["Hij loog, m.a.w. Hij moet weg.", "Dat vindt iedereen."],
            ),
            (
                "Neem bijv. Amsterdam als voorbeeld. Daar is het druk.",
                &["Neem bijv. Amsterdam als voorbeeld.", "Daar is het druk."],
            ),
            (
                "Denk aan steden, bv. Utrecht of Leiden. Die groeien.",
                &["Denk aan steden, bv. Utrecht of Leiden.", "Die groeien."],
            ),
            (
                "Hij koos i.p.v. Rutte voor Omtzigt. Dat verraste.",
                &["Hij koos i.p.v. Rutte voor Omtzigt.", "Dat verraste."],
            ),
            (
                "Te koop: fiets z.g.a.n. Prijs 50 euro. Bel snel.",
                &["Te koop: fiets z.g.a.n. Prijs 50 euro.", "Bel snel."],
            ),
            (
                "Het pand is van mr. Bakker. Hij is advocaat.",
                &["Het pand is van mr. Bakker.", "Hij is advocaat."],
            ),
            (
                "Volgens dr. Peters is het veilig. Hij is arts.",
                &["Volgens dr. Peters is het veilig.", "Hij is arts."],
            ),
            (
                "Dat stelt prof. Scherder in zijn boek. Het is een bestseller.",
                &[
                    "Dat stelt prof. Scherder in zijn boek.",
                    "Het is een bestseller.",
                ],
            ),
            (
                "Het ontwerp is van ir. Lely uit Amsterdam. Het werd gebouwd.",
                &[
                    "Het ontwerp is van ir. Lely uit Amsterdam.",
                    "Het werd gebouwd.",
                ],
            ),
            (
                "Het rapport is van drs. Smit. Zij werkt bij het CPB.",
                &["Het rapport is van drs. Smit.", "Zij werkt bij het CPB."],
            ),
            (
                "De wedstrijd is op 12 jan. 2020 gespeeld. Ajax won.",
                &["De wedstrijd is op 12 jan. 2020 gespeeld.", "Ajax won."],
            ),
            (
                "Hij werd op 3 feb. Voorzitter van de club. Dat bleef hij lang.",
                &[
                    "Hij werd op 3 feb. Voorzitter van de club.",
                    "Dat bleef hij lang.",
                ],
            ),
            (
                "De wet gaat in op 1 aug. Dan wordt het duur. Helaas.",
                &["De wet gaat in op 1 aug. Dan wordt het duur.", "Helaas."],
            ),
            (
                "Het verscheen op 5 sept. In de krant stond het ook. Klaar.",
                &[
                    "Het verscheen op 5 sept. In de krant stond het ook.",
                    "Klaar.",
                ],
            ),
            (
                "Op 7 okt. Begon de oorlog. Niemand had dat verwacht.",
                &["Op 7 okt. Begon de oorlog.", "Niemand had dat verwacht."],
            ),
            (
                "Sinds 4 nov. Is de weg dicht. Omrijden dus.",
                &["Sinds 4 nov. Is de weg dicht.", "Omrijden dus."],
            ),
            (
                "Tot 31 dec. Blijft de korting. Profiteer.",
                &["Tot 31 dec. Blijft de korting.", "Profiteer."],
            ),
            (
                "Het gaat om nr. 12 uit de lijst. Die is weg.",
                &["Het gaat om nr. 12 uit de lijst.", "Die is weg."],
            ),
            (
                "Er waren ca. 300 demonstranten. Het bleef rustig.",
                &["Er waren ca. 300 demonstranten.", "Het bleef rustig."],
            ),
            (
                "Ze scoorden 3 resp. 5 punten. Een gelijkspel dus.",
                &["Ze scoorden 3 resp. 5 punten.", "Een gelijkspel dus."],
            ),
        ];
        for (text, expected) in cases {
            assert_sentences(text, expected);
        }
    }

    #[test]
    fn sentences_english_abbreviations() {
        let cases: &[(&str, &[&str])] = &[
            ("Mr. Smith went home.", &["Mr. Smith went home."]),
            (
                "Mrs. Jones and Ms. Lee met Dr. Brown. They talked.",
                &["Mrs. Jones and Ms. Lee met Dr. Brown.", "They talked."],
            ),
            (
                "Prof. Hawking spoke at St. Andrews. It was packed.",
                &["Prof. Hawking spoke at St. Andrews.", "It was packed."],
            ),
            (
                "Martin Luther King Jr. Day is a holiday. Banks close.",
                &["Martin Luther King Jr. Day is a holiday.", "Banks close."],
            ),
            (
                "Frank Sinatra Sr. Was not amused. Nobody was.",
                &["Frank Sinatra Sr. Was not amused.", "Nobody was."],
            ),
            (
                "Apple Inc. Reported record sales. Shares rose.",
                &["Apple Inc. Reported record sales.", "Shares rose."],
            ),
            (
                "Acme Ltd. Said it would appeal. The case continues.",
                &["Acme Ltd. Said it would appeal.", "The case continues."],
            ),
            (
                "Standard Oil Co. And BP agreed. Talks ended.",
                &["Standard Oil Co. And BP agreed.", "Talks ended."],
            ),
            (
                "Chrysler Corp. Raised prices. Dealers complained.",
                &["Chrysler Corp. Raised prices.", "Dealers complained."],
            ),
            (
                "It was Ali vs. Frazier in 1971. Ali lost.",
                &["It was Ali vs. Frazier in 1971.", "Ali lost."],
            ),
            (
                "Fruit, e.g. Apples and pears, is healthy. Eat more.",
                &["Fruit, e.g. Apples and pears, is healthy.", "Eat more."],
            ),
            (
                "The capital, i.e. Paris, was calm. Police stayed home.",
                &["The capital, i.e. Paris, was calm.", "Police stayed home."],
            ),
            (
                "The meeting starts at 9 a.m. Monday in Geneva. Delegates arrive.",
                &[
                    "The meeting starts at 9 a.m. Monday in Geneva.",
                    "Delegates arrive.",
                ],
            ),
            (
                "It ended at 5 p.m. The crowd left.",
                &["It ended at 5 p.m.", "The crowd left."],
            ),
            (
                "Flights resume Jan. 5 at noon. Airlines agreed.",
                &["Flights resume Jan. 5 at noon.", "Airlines agreed."],
            ),
            (
                "Talks start Feb. 12 in Oslo. Both sides attend.",
                &["Talks start Feb. 12 in Oslo.", "Both sides attend."],
            ),
            (
                "He lives at No. 10 Downing Street. It is famous.",
                &["He lives at No. 10 Downing Street.", "It is famous."],
            ),
            (
                "He said no. The deal collapsed.",
                &["He said no.", "The deal collapsed."],
            ),
            (
                "They sell pens, ink etc. Online and in shops. Prices vary.",
                &[
                    "They sell pens, ink etc. Online and in shops.",
                    "Prices vary.",
                ],
            ),
            (
                "They bought pens, paper, ink etc. The bill was high.",
                &["They bought pens, paper, ink etc.", "The bill was high."],
            ),
        ];
        for (text, expected) in cases {
            assert_sentences(text, expected);
        }
    }

    #[test]
    fn sentences_initials_and_country_abbreviations() {
        assert_sentences(
            "J.F. Kennedy was shot in Dallas. The nation mourned.",
            &["J.F. Kennedy was shot in Dallas.", "The nation mourned."],
        );
        assert_sentences(
            "George W. Bush won in 2000. Gore conceded.",
            &["George W. Bush won in 2000.", "Gore conceded."],
        );
        assert_sentences(
            "The U.S. economy grew 3.5 percent. Analysts were surprised.",
            &[
                "The U.S. economy grew 3.5 percent.",
                "Analysts were surprised.",
            ],
        );
        assert_sentences(
            "The U.S. President met the U.K. Prime Minister. They agreed.",
            &[
                "The U.S. President met the U.K. Prime Minister.",
                "They agreed.",
            ],
        );
        assert_sentences(
            "De V.S. Ambassadeur werd ontboden. Hij zweeg.",
            &["De V.S. Ambassadeur werd ontboden.", "Hij zweeg."],
        );
        assert_sentences(
            "De E.U. Commissie greep in. Boetes volgden.",
            &["De E.U. Commissie greep in.", "Boetes volgden."],
        );
        // Documented choice: "U.S." ends a sentence if a typical
        // sentence-initial word follows.
        assert_sentences(
            "Inflation rose in the U.S. The Fed reacted.",
            &["Inflation rose in the U.S.", "The Fed reacted."],
        );
    }

    #[test]
    fn sentences_numbers_urls_and_emails() {
        assert_sentences(
            "Er kwamen 12.000 mensen. Dat is veel.",
            &["Er kwamen 12.000 mensen.", "Dat is veel."],
        );
        assert_sentences(
            "De groei was 3.5 procent. Het jaar ervoor 2,1.",
            &["De groei was 3.5 procent.", "Het jaar ervoor 2,1."],
        );
        assert_sentences(
            "Het kostte 1.000.000 euro. De gemeente betaalde.",
            &["Het kostte 1.000.000 euro.", "De gemeente betaalde."],
        );
        assert_sentences(
            "Prices rose 2.5% in March. Wages did not.",
            &["Prices rose 2.5% in March.", "Wages did not."],
        );
        assert_sentences(
            "Dat meldt nos.nl vanavond. Meer op www.example.com of mail info@example.com. Dank.",
            &[
                "Dat meldt nos.nl vanavond.",
                "Meer op www.example.com of mail info@example.com.",
                "Dank.",
            ],
        );
        assert_sentences(
            "Het was 2019. Een nieuw jaar begon.",
            &["Het was 2019.", "Een nieuw jaar begon."],
        );
    }

    #[test]
    fn sentences_ranges_are_trimmed_and_in_bounds() {
        let text = "  Één zin.\n\n Tweede zin!  ";
        let ranges = split_sentences(text);
        assert_eq!(ranges.len(), 2);
        for r in &ranges {
            let s = &text[r.clone()];
            assert_eq!(s, s.trim());
        }
        // A blank line is a hard boundary even without punctuation.
        assert_sentences(
            "Kop zonder punt\n\nDe tekst begint hier.",
            &["Kop zonder punt", "De tekst begint hier."],
        );
    }

    // --- sentence windows ------------------------------------------------

    /// A real no-break body from dpgmedia2019 (Decathlon sports hijab, 2019).
    const DPG_BODY: &str = "Een van de grootste sportwinkelketens in Frankrijk heeft in allerijl de verkoop van een sportieve hoofddoek afgelast. Franse politici buitelden over elkaar om de verkoop van een 'hijab' in het assortiment van Decathlon te veroordelen. Sportwinkelketen Decathlon zag de sporthoofddoek als hebbeding voor de joggende moslima. ,,Wij willen dat iedere vrouw kan rennen waar zij wil, onafhankelijk van haar cultuur'', liet het bedrijf gisteren weten. Maar dat was buiten de Franse politiek gerekend. ,,Dit getuigt van een visie op de vrouw die ik niet deel'', reageerde minister van Gezondheidszorg Agnès Buzyn. ,,Het lijkt me beter als de hoofddoek niet wordt aangemoedigd door een Frans merk.'' Ook de oppositie was tegen de sporthijab. De socialisten riepen op tot een boycot van Decathlon (dat ook winkels heeft in Nederland). De rechtse oppositiepartij Les Républicains (LR) zei dat de 'waardigheid en vrijheid van vrouwen' op het spel staat. ,,Een Frans bedrijf legt seksuele apartheid op: walgelijk'', twitterde Valérie Boyer. De rechts-radicale politicus Nicolas Dupont-Aignan steunde een boycot. ,,Ik wil niet dat mijn twee dochters opgroeien in een land waar de plaats van de vrouw straks net zo is als in Saoedi-Arabië.'' Dat werd Decathlon allemaal te veel. Terwijl het niet het eerste Westerse merk is dat met een (sport)hijab komt. Eerder deden bijvoorbeeld Nike, H&M en Uniqlo dat al. Maar Decathlon zou wel het eerste Franse merk worden dat de hoofddoek opneemt in de collectie. Aanvankelijk was deze alleen bedoeld voor de Marokkaanse markt. Maar later werd besloten om het kledingstuk ook in Frankrijk - en elders - te gaan verkopen.";

    #[test]
    fn windows_on_real_no_break_body() {
        let opts = SplitOptions::default();
        assert!(DPG_BODY.chars().count() > opts.max_paragraph_chars);
        let body = format!("Kop van het artikel\n{DPG_BODY}");
        let ps = split_paragraphs(&body, &opts);
        assert_eq!(ps[0].text, "Kop van het artikel");
        let windows = &ps[1..];
        assert!(windows.len() >= 3, "{windows:#?}");
        for w in windows {
            assert_eq!(w.line, 2, "windows share the line number");
            let n = split_sentences(&w.text).len();
            assert!((2..=4).contains(&n), "{n} sentences in {:?}", w.text);
            assert!(
                w.text.chars().count() <= opts.window_chars * 3 / 2,
                "window too long: {:?}",
                w.text
            );
            let first = w.text.chars().next().unwrap();
            assert!(
                !first.is_lowercase(),
                "window starts mid-sentence: {:?}",
                w.text
            );
        }
        let joined = texts(windows).join(" ");
        assert_eq!(joined, normalise_whitespace(DPG_BODY));
        // Sentence boundaries inside the body are respected.
        assert!(windows[0]
            .text
            .starts_with("Een van de grootste sportwinkelketens"));
        assert!(windows.last().unwrap().text.ends_with("te gaan verkopen."));
    }

    #[test]
    fn detached_quote_before_a_blank_line_does_not_panic() {
        // Found by fuzz/paragraph: "begin > end" slicing. The detached closing quote moved
        // the sentence start past the line breaks the scan had not reached yet.
        for text in [
            "Ja. \r\r' Nee hoor.",
            "Ja. \n\n' Nee hoor.",
            "Ja. ' \r\rNee hoor. ' Dan.",
        ] {
            let rs = split_sentences(text);
            let mut last = 0;
            for r in &rs {
                assert!(
                    r.start >= last && r.start < r.end && r.end <= text.len(),
                    "{text:?}: {rs:?}"
                );
                last = r.end;
            }
            assert!(
                rs.iter().any(|r| text[r.clone()].contains("Nee hoor.")),
                "{text:?}: {rs:?}"
            );
        }
        // Within a line the quote still belongs to the sentence before it.
        let text = "Het klopt. ' Daarna ging hij.";
        let rs = split_sentences(text);
        assert_eq!(&text[rs[0].clone()], "Het klopt. '");
    }

    #[test]
    fn windows_without_letters_or_digits_are_dropped() {
        // Found by fuzz/paragraph: tiny windows cut "@" out as a paragraph of its own.
        let opts = SplitOptions {
            max_paragraph_chars: 1,
            window_chars: 1,
            window_max_sentences: 1,
        };
        let body = "\0\0\0\0@ Din... En toen? @ \"Ja!\" Dit ize";
        let ps = split_paragraphs(body, &opts);
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert!(
            texts.contains(&"Dit") && texts.contains(&"Din."),
            "{texts:?}"
        );
        for t in &texts {
            assert!(t.chars().any(char::is_alphanumeric), "{texts:?}");
        }
    }

    #[test]
    fn windows_respect_options() {
        let sentence = "Dit is een korte zin over het weer in Nederland.";
        let body = vec![sentence; 60].join(" ");
        let opts = SplitOptions {
            max_paragraph_chars: 300,
            window_chars: 200,
            window_max_sentences: 3,
        };
        let ps = split_paragraphs(&body, &opts);
        assert!(ps.len() > 1);
        for p in &ps {
            let n = split_sentences(&p.text).len();
            assert!((2..=3).contains(&n), "{n}: {:?}", p.text);
        }
        assert_eq!(texts(&ps).join(" "), body);
    }

    #[test]
    fn windows_short_paragraph_is_kept_whole() {
        let body = "Eén zin. Nog een zin. En nog een.";
        let ps = split_paragraphs(body, &SplitOptions::default());
        assert_eq!(texts(&ps), [body]);
    }

    #[test]
    fn windows_no_tiny_last_window() {
        // Three long-ish sentences fill a window, then one short one is left.
        let long = "De gemeenteraad besprak gisteravond urenlang de plannen voor het nieuwe zwembad aan de rand van de stad en de kosten daarvan.";
        let body =
            format!("{long} {long} {long} {long} {long} {long} {long} {long} {long} {long} Klaar.");
        let opts = SplitOptions::default();
        let ps = split_paragraphs(&body, &opts);
        let last = ps.last().unwrap();
        assert_ne!(last.text, "Klaar.");
        assert!(last.text.ends_with("Klaar."));
        assert!(split_sentences(&last.text).len() >= 2);
        for p in &ps {
            assert!(p.text.chars().count() <= opts.window_chars * 3 / 2);
        }
        assert_eq!(texts(&ps).join(" "), body);
    }

    #[test]
    fn windows_single_huge_sentence() {
        let opts = SplitOptions::default();
        // Longer than max_paragraph_chars but below 4x: stays whole.
        let words = vec!["woord"; 400].join(" ");
        let ps = split_paragraphs(&words, &opts);
        assert_eq!(texts(&ps), [words.as_str()]);
        // Above 4x max_paragraph_chars: cut at whitespace.
        let words = vec!["woord"; 2000].join(" ");
        let ps = split_paragraphs(&words, &opts);
        assert!(ps.len() >= 3);
        for p in &ps {
            assert!(p.text.chars().count() <= 4 * opts.max_paragraph_chars);
            assert!(p.text.split(' ').all(|w| w == "woord"), "cut inside a word");
        }
        assert_eq!(texts(&ps).join(" "), words);
    }

    // --- boilerplate -----------------------------------------------------

    #[test]
    fn boilerplate_lines_are_detected() {
        for line in [
            "Aanbevolen video’s",
            "Aanbevolen video's",
            "aanbevolen VIDEO’S",
            "Lees ook",
            "Lees ook:",
            "Lees meer",
            "Lees meer »",
            "Bekijk ook",
            "Bekijk de video",
            "Advertentie",
            "ADVERTENTIE",
            "Gesponsord",
            "Deel dit artikel",
            "Read more",
            "Read more:",
            "Read more…",
            "Advertisement",
            "Sponsored",
            "Related",
            "Related articles",
            "Share this article",
            "Recommended videos",
            "Sign up for our newsletter",
            "Sign up for our newsletter!",
            "Click here to subscribe",
            "Click here to subscribe.",
            "  » Lees ook  ",
            "Lees ook: Kabinet wil strengere regels voor sporthijab",
            "Lees meer: Noord-Korea vuurt opnieuw raket af",
            "Read more: Markets slide as oil jumps",
            "Bekijk ook: Beelden van het noodweer op Kreta",
            "Also read: Biden meets Yoon and Ishiba in Lima",
            "LEES OOK | Zo werkt de nieuwe belastingregel",
        ] {
            assert!(is_boilerplate(line), "{line:?} should be boilerplate");
        }
    }

    #[test]
    fn boilerplate_keeps_real_sentences() {
        for line in [
            "Advertentie-inkomsten stegen vorig jaar met 12 procent.",
            "Lees ook de voorwaarden goed voordat u tekent, waarschuwt de ombudsman.",
            "Read more books, the minister told pupils on Monday.",
            "Related companies were also fined by the regulator.",
            "Het bedrijf was gesponsord door de gemeente, bleek uit stukken.",
            "Aanbevolen video's van het ministerie werden massaal bekeken.",
            "Sponsored content is growing fast, analysts said.",
            "Advertisement spending fell 3.5 percent in the U.S. last year.",
            "Biden sprak aan het begin van een ontmoeting in Peru.",
            "",
            "   ",
        ] {
            assert!(!is_boilerplate(line), "{line:?} must be kept");
        }
        // A "Lees ook:" line with a long text is not a link title.
        let long = format!(
            "Lees ook: {}",
            "Dit is een lange echte zin over het nieuws. ".repeat(5)
        );
        assert!(!is_boilerplate(&long));
    }

    #[test]
    fn boilerplate_dropped_from_body() {
        let body = "Het kabinet valt.\nLees ook: Rutte biedt ontslag aan\nAdvertentie\nAdvertentie-inkomsten stegen vorig jaar met 12 procent.\nRead more:\n";
        let ps = split_paragraphs(body, &SplitOptions::default());
        assert_eq!(
            texts(&ps),
            [
                "Het kabinet valt.",
                "Advertentie-inkomsten stegen vorig jaar met 12 procent."
            ]
        );
        assert_eq!(ps[1].line, 4);
    }

    // --- robustness ------------------------------------------------------

    #[test]
    fn robust_empty_and_whitespace() {
        let opts = SplitOptions::default();
        for body in [
            "",
            "   ",
            "\r\n\r\n",
            "\n",
            "\r",
            "\r\r\r",
            " \t\n \u{a0}\u{feff}\n",
        ] {
            assert!(split_paragraphs(body, &opts).is_empty(), "{body:?}");
            assert!(split_sentences(body).is_empty(), "{body:?}");
            assert!(!is_boilerplate(body));
        }
    }

    #[test]
    fn robust_million_chars_without_spaces() {
        let opts = SplitOptions::default();
        let body = "a".repeat(1_000_000);
        let ps = split_paragraphs(&body, &opts);
        assert!(ps.len() > 1);
        assert!(ps
            .iter()
            .all(|p| p.text.len() <= 4 * opts.max_paragraph_chars));
        assert_eq!(ps.iter().map(|p| p.text.len()).sum::<usize>(), 1_000_000);
        assert_eq!(split_sentences(&body), vec![0..1_000_000]);
        assert!(!is_boilerplate(&body));
    }

    #[test]
    fn robust_nul_bytes_and_control_chars() {
        let body = "\0\0Het\0kabinet valt.\0\n\0\0\0\nNieuwe zin.\u{7}";
        let ps = split_paragraphs(body, &SplitOptions::default());
        assert_eq!(texts(&ps), ["Het kabinet valt.", "Nieuwe zin."]);
        assert_eq!(ps[1].line, 3);
        let _ = split_sentences(body);
    }

    #[test]
    fn robust_multibyte_soup() {
        let opts = SplitOptions {
            max_paragraph_chars: 50,
            window_chars: 20,
            window_max_sentences: 4,
        };
        let unit = "ëïé…“”’. Ä? é\u{301}! 日本語。 🙂… ";
        let body = unit.repeat(2000);
        let ps = split_paragraphs(&body, &opts);
        assert!(!ps.is_empty());
        for p in &ps {
            assert!(!p.text.is_empty());
            assert_eq!(p.text, p.text.trim());
        }
        for r in split_sentences(&body) {
            assert!(body.is_char_boundary(r.start) && body.is_char_boundary(r.end));
        }
        // Strings that end in or consist of odd characters.
        for s in [
            "…",
            "“",
            ".",
            "?!",
            "A.",
            " .",
            "\u{301}.",
            "Dr.",
            "’.” A",
            ",,",
            "U.S. ",
            "a\r\nb\rc\n",
        ] {
            let _ = split_paragraphs(s, &opts);
            let _ = split_sentences(s);
            let _ = is_boilerplate(s);
        }
        // Without spaces: cut on char boundaries into bounded pieces.
        let soup = "ëïé…“”’".repeat(20_000);
        let ps = split_paragraphs(&soup, &opts);
        assert!(ps
            .iter()
            .all(|p| p.text.chars().count() <= 4 * opts.max_paragraph_chars));
        assert_eq!(ps.iter().map(|p| p.text.len()).sum::<usize>(), soup.len());
    }

    #[test]
    fn robust_large_body_is_linear() {
        // Several MB in a few shapes: a quadratic algorithm would take hours
        // on these (a 50 MB body was checked the same way, in release mode,
        // during development: well under a second per shape).
        let opts = SplitOptions::default();
        let sentence = "Het kabinet van dhr. Rutte viel op 7 jan. 2020 om 12.00 uur. ";
        let body = sentence.repeat(3_000_000 / sentence.len());
        let start = std::time::Instant::now();
        let ps = split_paragraphs(&body, &opts);
        assert!(ps.len() > 5_000);
        assert!(ps.iter().all(|p| p.line == 1));
        for shape in [
            "\n".repeat(2_000_000),
            ".".repeat(2_000_000),
            "A. ".repeat(300_000),
            " ".repeat(2_000_000),
            "\n\n.".repeat(500_000),
            "woord\n".repeat(300_000),
        ] {
            let _ = split_paragraphs(&shape, &opts);
            let _ = split_sentences(&shape);
        }
        assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
    }

    #[test]
    fn sentences_bullets_and_other_scripts() {
        assert_sentences(
            "In juli gaan de deuren open. - Het rijk betaalt 360 plekken. - De rest betaalt Amsterdam.",
            &[
                "In juli gaan de deuren open.",
                "- Het rijk betaalt 360 plekken.",
                "- De rest betaalt Amsterdam.",
            ],
        );
        // A dash inside a sentence is not a bullet.
        assert_sentences(
            "Het kledingstuk gaat ook in Frankrijk - en elders - in de verkoop. Klaar.",
            &[
                "Het kledingstuk gaat ook in Frankrijk - en elders - in de verkoop.",
                "Klaar.",
            ],
        );
        assert_sentences(
            "अभी भी डर है। तो हमने बंद किया है।",
            &["अभी भी डर है।", "तो हमने बंद किया है।"],
        );
        assert_sentences(
            "日本語です。次の文です。",
            &["日本語です。", "次の文です。"],
        );
    }

    #[test]
    fn sentences_stray_closing_quote_stays_attached() {
        assert_sentences(
            "Het internet geniet: 'Dit is de zuiverste vorm van karma. '",
            &["Het internet geniet: 'Dit is de zuiverste vorm van karma. '"],
        );
        assert_sentences(
            "Hij zei: 'Dat klopt. ' Daarna ging hij weg.",
            &["Hij zei: 'Dat klopt. '", "Daarna ging hij weg."],
        );
    }

    #[test]
    fn sentences_dutch_suspect_initials() {
        assert_sentences(
            "Het OM eist tien jaar cel tegen Michael P. Hij ontkent alles.",
            &[
                "Het OM eist tien jaar cel tegen Michael P.",
                "Hij ontkent alles.",
            ],
        );
        assert_sentences(
            "Nu zitten er 73.041, onder wie Angela B. De Nederlandse kwam aan met haar dochtertje.",
            &[
                "Nu zitten er 73.041, onder wie Angela B.",
                "De Nederlandse kwam aan met haar dochtertje.",
            ],
        );
        assert_sentences(
            "De zaak tegen J. de Vries dient morgen. Hij zweeg.",
            &["De zaak tegen J. de Vries dient morgen.", "Hij zweeg."],
        );
        assert_sentences(
            "Het toestel was een Boeing 737 Max. De onderzoeken lopen. Het kost max. 30 euro.",
            &[
                "Het toestel was een Boeing 737 Max.",
                "De onderzoeken lopen.",
                "Het kost max. 30 euro.",
            ],
        );
        assert_sentences(
            "Vanaf de Houthaven zie je de Zr. Ms. Karel Doorman liggen. Mooi.",
            &[
                "Vanaf de Houthaven zie je de Zr. Ms. Karel Doorman liggen.",
                "Mooi.",
            ],
        );
    }

    #[test]
    fn hard_wrapped_continuation_lines_are_joined() {
        let body = "Yeah, I think that's how I would\nsee it.\nSo this is indirect: indirect\ndetection.\nNew line.\nlowercase start after a full stop.";
        let ps = split_paragraphs(body, &SplitOptions::default());
        assert_eq!(
            texts(&ps),
            [
                "Yeah, I think that's how I would see it.",
                "So this is indirect: indirect detection.",
                "New line.",
                "lowercase start after a full stop.",
            ]
        );
        assert_eq!(ps.iter().map(|p| p.line).collect::<Vec<_>>(), [1, 3, 5, 6]);
        // A blank line or a boilerplate line in between prevents joining.
        let body = "De tekst gaat verder\n\nen hier.\nHet gaat\nAdvertentie\nnog door.";
        let ps = split_paragraphs(body, &SplitOptions::default());
        assert_eq!(
            texts(&ps),
            ["De tekst gaat verder", "en hier.", "Het gaat", "nog door."]
        );
    }

    #[test]
    fn separator_lines_are_dropped() {
        let body = "Eerste deel.\n* * *\n—\n…\nTweede deel.";
        let ps = split_paragraphs(body, &SplitOptions::default());
        assert_eq!(texts(&ps), ["Eerste deel.", "Tweede deel."]);
        assert_eq!(ps[1].line, 5);
    }

    #[test]
    fn windows_short_sentence_before_long_one_is_merged() {
        // Builds a sentence of roughly `n` chars.
        fn sentence(n: usize) -> String {
            let mut s = String::from("Zin");
            while s.len() < n - 1 {
                s.push_str(" woord");
            }
            s.push('.');
            s
        }
        let (a, b, c, d) = (sentence(300), sentence(300), sentence(100), sentence(700));
        let body = format!("{a} {b} {c} {d}");
        let ps = split_paragraphs(&body, &SplitOptions::default());
        assert_eq!(texts(&ps), [format!("{a} {b} {c}"), d]);
    }
}
