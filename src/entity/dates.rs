//! entity stage, dates: finds the dates a news paragraph mentions (Dutch and English) and resolves them against the publication date.
//!
//! The extractor is a hand-written, single-pass token scanner (no regular
//! expressions). The text is split into Unicode-aware tokens (letter runs,
//! digit runs, single punctuation characters); each token position is tried
//! against a small set of patterns, longest first, and the scanner jumps past
//! whatever matched, so the work is linear in the length of the text.
//!
//! # Patterns
//!
//! * Absolute dates: `15 november 2024`, `November 15, 2024`, `Nov. 15`,
//!   `15th of November`, `november 2024`, ISO `2024-11-15`, numeric
//!   `15-11-2024` / `15/11/2024` / `15.11.2024`.
//! * Year-less dates (`1 oktober`, `in juni`, `the 1st`) resolved against the
//!   publication date, see [Year-less dates](#year-less-dates).
//! * Years 1900–2100 used as dates: after a cue word (`in 2023`, `sinds 2019`,
//!   `het jaar 2023`, `by 2030`, `in de zomer van 2017`, `de tweede helft van
//!   2020`), in parentheses (`(2023)`), in ranges
//!   (`2023-2024`, `van 2020 tot 2022`, `between 2019 and 2021`).
//! * Weekdays (`vrijdag`, `afgelopen vrijdag`, `vorige week vrijdag`,
//!   `volgende week dinsdag`, `dinsdag vorige week`, `komende zondag`, `on
//!   Tuesday`, `last Tuesday`, `next Tuesday`, `Tuesday last week`, compounds
//!   such as `vrijdagavond`).
//! * Relative expressions (`vandaag`, `gisteren`, `eergisteren`, `morgen`,
//!   `overmorgen`, `vanmorgen`, `deze maand`, `vorige maand`, `dit jaar`,
//!   `vorig jaar`, `today`, `yesterday`, `last month`, `next year`, …).
//! * Counted periods back (`drie dagen geleden`, `twee weken geleden`, `een
//!   jaar geleden`, `six months ago`, `a year ago`): days to the day, weeks to
//!   the month of that day, months to the month, years to the year.
//! * Two days of one month (`10-12 juni`, `van 10 tot en met 12 juni`, `10 en
//!   11 juni`, `10 to 12 June`, `June 10-12`, `Feb 17 and 19`, `February 21
//!   through 28`): both days, the first with the second's month and year.
//!
//! * Holidays (`Kerstmis`, `eerste kerstdag`, `Koningsdag`, `Pasen`, `Pinksteren`,
//!   `Prinsjesdag`, `Christmas Eve`, `Easter`, `Good Friday`, `Thanksgiving`): their day,
//!   resolved like a year-less day and month unless a year comes with them (`Kerstmis 2018`,
//!   `Pasen vorig jaar`, `in 1989, op Valentijnsdag`). English holidays used as a modifier
//!   (`Easter sales`, `Easter Island`, `Christmas Eve expirations`) are no date unless a
//!   preposition puts them in time (`before Christmas shopping`) or the next word is their
//!   holiday, weekend or recess (`the Easter holiday`).
//!
//! # Year-less dates
//!
//! A day-and-month without a year resolves to its most recent occurrence on
//! or before the publication date, unless that is more than
//! 200 days back: then the next occurrence is taken,
//! because news announces upcoming events. A bare month works the same way on
//! whole months: the most recent month on or before the publication month,
//! unless that is more than 7 months back. (The brief
//! suggested ~10 months; on the 2019 Dutch corpus almost every year-less date
//! 6–10 months back turned out to be an upcoming one, so the window is
//! narrower.) `afgelopen`/`vorige`/`last`/`back in` before a month force the
//! past, `komende`/`volgende`/`next` the future, and a following `vorig
//! jaar`, `van dit jaar`, `last year`, `of 2016` gives the year outright. A
//! bare day of the month (`on the 15th`) resolves to the nearest occurrence.
//! When a future auxiliary (`zal`, `zullen`, `will`, `shall`, `'ll`) stands
//! at most six tokens before a year-less date or bare weekday in the same
//! clause, the first occurrence on or after the publication date is used.
//!
//! # Weekdays
//!
//! A bare weekday (`vrijdag`, `op vrijdag`, `on Friday`, `vrijdagavond`) is
//! the most recent such day on or before the publication date (the
//! publication day itself counts). `afgelopen`/`last` make it strictly
//! before, `komende`, `aanstaande`, `next` strictly after, `deze`/`this` on or
//! after. `vorige week X` / `volgende week X` pick the weekday in the previous
//! / next Monday-based week. The second weekday of a range (`zaterdag op
//! zondag`, `Wednesday through Friday`) is on or after the first. Indefinite
//! and named days (`elke vrijdag`, `een zondag`, `Super Tuesday`, `Goede
//! Vrijdag`, `Sunday Times`) and a weekday in front of a full date (`vrijdag
//! 15 november`) give no weekday mention of their own (`Goede Vrijdag` and
//! `Good Friday` are holidays: their own day). "Monday or Tuesday next week":
//! both take the week after the pair.
//!
//! # Numeric dates
//!
//! `a-b-yyyy` (also with `/` or `.`) is read day-first. In English, when the
//! second number is above 12 and the first is not (`11/15/2024`), US
//! month-first order is used; otherwise day-first is assumed. Two-digit years
//! and year-less numeric dates (`15/11`) are ignored.
//!
//! # Not dates
//!
//! Numbers glued to other numbers or letters (`12.000`, `2,023`, `10.30`,
//! `B-1B`, phone numbers), currency amounts (`€2023`), counts (`2023 mensen`),
//! ordinals alone (`de 1e`), month names inside words (`meisje`), the English
//! modal `may` (a `May` month needs a capital and an adjacent day or year or a
//! preceding cue such as `in`), `'s morgens`, `vandaag de dag`, and periods
//! without a granularity (`vorige week`, `dit weekend`, `the last year`).

use time::{Date, Month, Weekday};

/// How precise a resolved date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    /// Only the year is known (`2023`, `vorig jaar`).
    Year,
    /// Year and month are known (`juni 2024`, `deze maand`).
    Month,
    /// A calendar day (`15 november 2024`, `gisteren`, `vrijdag`).
    Day,
}

/// One date mention: the byte span of the expression in the text and the resolved date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte offset where the expression starts.
    pub start: usize,
    /// Byte offset just past the end of the expression.
    pub end: usize,
    /// How precise the resolved date is.
    pub granularity: Granularity,
    /// The resolved year.
    pub year: i32,
    /// The resolved month (1–12), 0 when the granularity is [`Granularity::Year`].
    pub month: u8,
    /// The resolved day of the month (1–31), 0 unless the granularity is [`Granularity::Day`].
    pub day: u8,
}

impl DateMention {
    /// The resolved date in ISO form: "2024-11-15", "2024-06" or "2024".
    pub fn iso(&self) -> String {
        match self.granularity {
            Granularity::Year => format!("{:04}", self.year),
            Granularity::Month => format!("{:04}-{:02}", self.year, self.month),
            Granularity::Day => format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

/// The language whose date vocabulary is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateLang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// All date mentions in `text`, in text order, without duplicates of the same span. `published` resolves relative and year-less expressions; when it is None those are skipped (absolute dates with a year are still found).
pub fn extract_dates(text: &str, published: Option<Date>, lang: DateLang) -> Vec<DateMention> {
    let mut lowered = String::new();
    let toks = tokenize(text, &mut lowered);
    let sc = Scanner {
        future: future_flags(&toks, lang),
        toks: &toks,
        published,
        lang,
    };
    let mut out: Vec<DateMention> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let next = sc.match_at(i, &mut out);
        i = next.max(i + 1);
    }
    out.sort_by_key(|m| (m.start, m.end));
    out.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    out
}

// ---------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A run of letters.
    Word,
    /// A run of ASCII digits: value (saturated) and number of digits.
    Num(u32, usize),
    /// Digits followed by an ordinal suffix: value and whether it is an
    /// English suffix (`st`, `nd`, `rd`, `th`) rather than a Dutch one.
    Ord(u32, bool),
    /// Letters and digits mixed (`1B`, `mp3`).
    Mixed,
    /// Any other non-space character.
    Punct(char),
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    start: usize,
    end: usize,
    kind: Kind,
    /// Whitespace (or start of text) precedes the token.
    gap: bool,
    /// Lowercased text for words, empty otherwise (the word's own text when it is lowercase
    /// already, as most words are; else its lowercase form in a buffer shared by the text).
    lower: &'a str,
    /// The word starts with an uppercase letter.
    cap: bool,
    /// The word is entirely uppercase (and longer than one letter).
    all_caps: bool,
}

/// The character at byte `i` of `text` (a char boundary) and its length in bytes.
#[inline(always)]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let x = *text.as_bytes().get(i)?;
    if x < 0x80 {
        return Some((x as char, 1));
    }
    let c = text[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// The kind of an alphanumeric token `s` whose first `digit_prefix` bytes are ASCII digits
/// (0 when it starts with a letter), given whether it has letters, digits, and a digit after
/// a letter: a number, a word, an ordinal ("15th", "1e", "21ste") or a mix ("a1", "3G").
fn token_kind(
    s: &str,
    digit_prefix: usize,
    (letters, digits, letters_after_digits): (bool, bool, bool),
) -> Kind {
    if !letters {
        Kind::Num(num_value(s), s.len())
    } else if !digits {
        Kind::Word
    } else if digit_prefix > 0 && !letters_after_digits {
        let val = num_value(&s[..digit_prefix]);
        match s[digit_prefix..].to_lowercase().as_str() {
            "st" | "nd" | "rd" | "th" => Kind::Ord(val, true),
            "e" | "ste" | "de" => Kind::Ord(val, false),
            _ => Kind::Mixed,
        }
    } else {
        Kind::Mixed
    }
}

/// Splits `text` into words, numbers and punctuation. Words in lowercase borrow their own
/// text; a word with a capital is lowercased into `lowered`, one buffer for the whole text (a
/// `String` per word cost more than the rest of tokenising), and points into it once it is
/// complete.
fn tokenize<'a>(text: &'a str, lowered: &'a mut String) -> Vec<Tok<'a>> {
    // (token, start, end) of each lowercase form in `lowered`
    let mut owned: Vec<(usize, usize, usize)> = Vec::new();
    let mut toks = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut gap = true;
    let mut i = 0;
    while let Some((c, clen)) = char_at(text, i) {
        let start = i;
        i += clen;
        if c.is_whitespace() || c.is_control() || c == '\u{200B}' || c == '\u{FEFF}' {
            gap = true;
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i;
            let mut letters = !c.is_ascii_digit();
            let mut digits = c.is_ascii_digit();
            // digits, then letters (ordinal suffix) in a digit-led token
            let mut digit_prefix_end = if digits { end } else { start };
            let mut letters_after_digits = false;
            // the word has an uppercase letter / a lowercase letter / is all ASCII
            let mut upper = c.is_uppercase();
            let mut lower = c.is_lowercase();
            let mut ascii = c.is_ascii();
            let mut nchars = 1usize;
            loop {
                let (d, dlen) = match bytes.get(end) {
                    Some(&x) if x < 0x80 => {
                        if !x.is_ascii_alphanumeric() {
                            break;
                        }
                        (x as char, 1)
                    }
                    Some(_) => match char_at(text, end) {
                        Some((d, dlen)) if d.is_alphanumeric() => {
                            ascii = false;
                            (d, dlen)
                        }
                        _ => break,
                    },
                    None => break,
                };
                if d.is_ascii_digit() {
                    if letters {
                        letters_after_digits = true; // e.g. "a1", "1a1"
                    }
                    digits = true;
                    if !letters {
                        digit_prefix_end = end + dlen;
                    }
                } else {
                    letters = true;
                    upper |= d.is_uppercase();
                    lower |= d.is_lowercase();
                }
                nchars += 1;
                end += dlen;
            }
            i = end;
            let s = &text[start..end];
            let kind = token_kind(
                s,
                digit_prefix_end - start,
                (letters, digits, letters_after_digits),
            );
            let (word_lower, cap, all_caps) = if kind == Kind::Word {
                let cap = c.is_uppercase();
                let all_caps = nchars > 1 && !lower;
                let word_lower = if upper {
                    let a = lowered.len();
                    if ascii {
                        lowered.push_str(s);
                        lowered[a..].make_ascii_lowercase();
                    } else {
                        lowered.push_str(&s.to_lowercase());
                    }
                    owned.push((toks.len(), a, lowered.len()));
                    ""
                } else {
                    s
                };
                (word_lower, cap, all_caps)
            } else {
                ("", false, false)
            };
            toks.push(Tok {
                start,
                end,
                kind,
                gap,
                lower: word_lower,
                cap,
                all_caps,
            });
        } else {
            toks.push(Tok {
                start,
                end: i,
                kind: Kind::Punct(c),
                gap,
                lower: "",
                cap: false,
                all_caps: false,
            });
        }
        gap = false;
    }
    let lowered: &'a String = lowered;
    for (i, a, b) in owned {
        toks[i].lower = &lowered[a..b];
    }
    toks
}

/// Marks the tokens that follow a future auxiliary (`zal`, `zullen`,
/// `will`, `shall`, `'ll`) closely: at most [`FUTURE_REACH`] tokens later,
/// within the same clause (no `.`, `!`, `?`, `;` or `,` in between).
fn future_flags(toks: &[Tok<'_>], lang: DateLang) -> Vec<bool> {
    let mut flags = vec![false; toks.len()];
    let mut since: Option<usize> = None;
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Word => {
                let aux = match lang {
                    DateLang::Nl => matches!(t.lower, "zal" | "zullen"),
                    DateLang::En => {
                        matches!(t.lower, "will" | "shall")
                            || (t.lower == "ll"
                                && !t.gap
                                && i > 0
                                && matches!(toks[i - 1].kind, Kind::Punct('\'' | '’')))
                    }
                };
                if aux {
                    since = Some(i);
                }
            }
            Kind::Punct('.' | '!' | '?' | ';' | ',' | ':') => since = None,
            _ => {}
        }
        flags[i] = since.is_some_and(|s| i - s <= FUTURE_REACH);
    }
    flags
}

/// How many tokens after a future auxiliary a date is read as future.
const FUTURE_REACH: usize = 6;

fn num_value(digits: &str) -> u32 {
    digits.bytes().fold(0u32, |acc, b| {
        acc.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}

// ---------------------------------------------------------------------------
// Vocabulary

/// A month name (full or abbreviated) in the given language: (month, abbreviated).
fn month_word(w: &str, lang: DateLang) -> Option<(u8, bool)> {
    // every name and abbreviation below has 3 to 9 letters and starts with one of these
    if !(3..=9).contains(&w.len())
        || !matches!(
            w.as_bytes()[0],
            b'a' | b'd' | b'f' | b'j' | b'm' | b'n' | b'o' | b's'
        )
    {
        return None;
    }
    let full = match lang {
        DateLang::Nl => [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        DateLang::En => [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
    };
    if let Some(p) = full.iter().position(|m| *m == w) {
        return Some((p as u8 + 1, false));
    }
    let m = match (lang, w) {
        (_, "jan") => 1,
        (_, "feb") => 2,
        (DateLang::Nl, "mrt") | (DateLang::En, "mar") => 3,
        (_, "apr") => 4,
        (_, "jun") => 6,
        (_, "jul") => 7,
        (_, "aug") => 8,
        (_, "sep" | "sept") => 9,
        (DateLang::Nl, "okt") | (DateLang::En, "oct") => 10,
        (_, "nov") => 11,
        (_, "dec") => 12,
        _ => return None,
    };
    Some((m, true))
}

fn weekday_word(w: &str, lang: DateLang) -> Option<Weekday> {
    // every name below (and so every compound) has at least 6 letters and starts with one of these
    if w.len() < 6
        || !matches!(
            w.as_bytes()[0],
            b'd' | b'f' | b'm' | b's' | b't' | b'v' | b'w' | b'z'
        )
    {
        return None;
    }
    let names = match lang {
        DateLang::Nl => [
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "zaterdag",
            "zondag",
        ],
        DateLang::En => [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ],
    };
    if let Some(p) = names.iter().position(|n| *n == w) {
        return Some(weekday_from_monday(p as u8));
    }
    // Dutch compounds: vrijdagavond, zondagochtend, maandagmiddag, ...
    if lang == DateLang::Nl {
        for (p, n) in names.iter().enumerate() {
            if let Some(rest) = w.strip_prefix(n) {
                if matches!(
                    rest,
                    "avond" | "ochtend" | "middag" | "nacht" | "morgen" | "namiddag" | "voormiddag"
                ) {
                    return Some(weekday_from_monday(p as u8));
                }
            }
        }
    }
    None
}

fn weekday_from_monday(n: u8) -> Weekday {
    match n {
        0 => Weekday::Monday,
        1 => Weekday::Tuesday,
        2 => Weekday::Wednesday,
        3 => Weekday::Thursday,
        4 => Weekday::Friday,
        5 => Weekday::Saturday,
        _ => Weekday::Sunday,
    }
}

/// Words before a bare year that make it a date.
fn year_cue(w: &str, lang: DateLang) -> bool {
    match lang {
        DateLang::Nl => matches!(
            w,
            "in" | "sinds"
                | "vanaf"
                | "jaar"
                | "medio"
                | "begin"
                | "eind"
                | "einde"
                | "halverwege"
                | "najaar"
                | "voorjaar"
                | "zomer"
                | "winter"
                | "herfst"
                | "lente"
                | "anno"
                | "tot"
                | "uit"
                | "na"
                | "seizoen"
                | "sedert"
        ),
        DateLang::En => matches!(
            w,
            "in" | "since"
                | "year"
                | "during"
                | "until"
                | "till"
                | "mid"
                | "early"
                | "late"
                | "summer"
                | "winter"
                | "spring"
                | "autumn"
                | "fall"
                | "by"
                | "before"
                | "after"
                | "of"
                | "through"
                | "season"
        ),
    }
}

/// Words after a number that show it is a count, not a year.
fn count_noun(w: &str) -> bool {
    matches!(
        w,
        "mensen"
            | "personen"
            | "euro"
            | "dollar"
            | "dollars"
            | "pond"
            | "procent"
            | "keer"
            | "jaar"
            | "jaren"
            | "dagen"
            | "uur"
            | "minuten"
            | "meter"
            | "kilometer"
            | "km"
            | "kilo"
            | "ton"
            | "stuks"
            | "inwoners"
            | "leden"
            | "deelnemers"
            | "doden"
            | "slachtoffers"
            | "woningen"
            | "huizen"
            | "banen"
            | "soldaten"
            | "troepen"
            | "people"
            | "persons"
            | "euros"
            | "pounds"
            | "percent"
            | "per"
            | "times"
            | "years"
            | "days"
            | "hours"
            | "minutes"
            | "metres"
            | "meters"
            | "miles"
            | "kilometres"
            | "tonnes"
            | "tons"
            | "residents"
            | "members"
            | "participants"
            | "deaths"
            | "victims"
            | "homes"
            | "houses"
            | "jobs"
            | "soldiers"
            | "troops"
            | "employees"
            | "werknemers"
            | "medewerkers"
            | "patients"
            | "patiënten"
            | "cases"
            | "gevallen"
            | "students"
            | "studenten"
            | "kinderen"
            | "children"
    )
}

fn is_currency(c: char) -> bool {
    matches!(c, '€' | '$' | '£' | '¥' | '#' | '№')
}

/// A count written as a word, for `twee weken geleden` / `two weeks ago` ("een", "a": one).
fn count_word(w: &str, lang: DateLang) -> Option<i32> {
    const NL: &[&str] = &[
        "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf",
        "twaalf",
    ];
    const EN: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    let (words, tens): (&[&str], [&str; 5]) = match lang {
        DateLang::Nl => (NL, ["twintig", "dertig", "veertig", "vijftig", "honderd"]),
        DateLang::En => (EN, ["twenty", "thirty", "forty", "fifty", "hundred"]),
    };
    match w {
        "a" | "an" if lang == DateLang::En => Some(1),
        "één" if lang == DateLang::Nl => Some(1),
        _ => words
            .iter()
            .position(|x| *x == w)
            .map(|k| k as i32 + 1)
            .or_else(|| {
                tens.iter()
                    .position(|x| *x == w)
                    .map(|k| [20, 30, 40, 50, 100][k])
            }),
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '‐' | '‑')
}

// ---------------------------------------------------------------------------
// Resolution helpers

fn date(year: i32, month: u8, day: u8) -> Option<Date> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    let m = Month::try_from(month).ok()?;
    Date::from_calendar_date(year, m, day).ok()
}

fn add_days(d: Date, n: i32) -> Option<Date> {
    Date::from_julian_day(d.to_julian_day().checked_add(n)?).ok()
}

fn day_mention(start: usize, end: usize, d: Date) -> DateMention {
    DateMention {
        start,
        end,
        granularity: Granularity::Day,
        year: d.year(),
        month: d.month() as u8,
        day: d.day(),
    }
}

fn month_mention(start: usize, end: usize, year: i32, month: u8) -> DateMention {
    DateMention {
        start,
        end,
        granularity: Granularity::Month,
        year,
        month,
        day: 0,
    }
}

fn year_mention(start: usize, end: usize, year: i32) -> DateMention {
    DateMention {
        start,
        end,
        granularity: Granularity::Year,
        year,
        month: 0,
        day: 0,
    }
}

/// A year-less day-and-month further back than this many days resolves to
/// its next occurrence instead (see the module docs).
const MAX_DAYS_BACK: i32 = 200;

/// A bare month further back than this many months resolves to its next
/// occurrence instead (see the module docs).
const MAX_MONTHS_BACK: i32 = 7;

/// Most recent occurrence of `month`/`day` on or before `p`, unless that is
/// more than [`MAX_DAYS_BACK`] days back and the next one exists (then the
/// next one). With `future` (the sentence speaks of the future), the first
/// occurrence on or after `p`.
fn resolve_month_day(p: Date, month: u8, day: u8, future: bool) -> Option<Date> {
    resolve_yearly(p, |y| date(y, month, day), future)
}

/// [`resolve_month_day`] for any day that comes once a year (`day_in(year)`: a
/// date, a holiday), searching up to eight years either way (29 February).
fn resolve_yearly(p: Date, day_in: impl Fn(i32) -> Option<Date>, future: bool) -> Option<Date> {
    let py = p.year();
    let past = (0..=8).filter_map(|k| day_in(py - k)).find(|d| *d <= p);
    let future_date = (0..=8).filter_map(|k| day_in(py + k)).find(|d| *d >= p);
    if future && future_date.is_some() {
        return future_date;
    }
    let future = future_date.filter(|d| *d > p);
    match (past, future) {
        (Some(a), Some(b)) => {
            let pj = p.to_julian_day();
            if pj - a.to_julian_day() > MAX_DAYS_BACK && b.to_julian_day() - pj <= 366 {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

/// Most recent `month` on or before the month of `p`, unless that is more
/// than [`MAX_MONTHS_BACK`] months back (then the coming one). Returns
/// (year, month). With `future`, the month on or after the publication month.
fn resolve_month(p: Date, month: u8, future: bool) -> (i32, u8) {
    let pm = p.month() as i32;
    let back = (pm - i32::from(month)).rem_euclid(12);
    if back > MAX_MONTHS_BACK || (future && back > 0) {
        (p.year() + i32::from(i32::from(month) < pm), month)
    } else {
        (p.year() - i32::from(i32::from(month) > pm), month)
    }
}

/// Nearest date with the given day of the month (ties go to the past).
fn resolve_day_of_month(p: Date, day: u8) -> Option<Date> {
    let (y, m) = (p.year(), p.month() as u8);
    let prev = |y: i32, m: u8| if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let next = |y: i32, m: u8| if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let mut past = None;
    let (mut yy, mut mm) = (y, m);
    for _ in 0..3 {
        if let Some(d) = date(yy, mm, day) {
            if d <= p {
                past = Some(d);
                break;
            }
        }
        (yy, mm) = prev(yy, mm);
    }
    let mut future = None;
    let (mut yy, mut mm) = (y, m);
    for _ in 0..3 {
        if let Some(d) = date(yy, mm, day) {
            if d > p {
                future = Some(d);
                break;
            }
        }
        (yy, mm) = next(yy, mm);
    }
    match (past, future) {
        (Some(a), Some(b)) => {
            let pj = p.to_julian_day();
            if b.to_julian_day() - pj < pj - a.to_julian_day() {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum WeekdayMode {
    /// On or before the publication date.
    PastInclusive,
    /// Strictly before.
    Past,
    /// On or after.
    FutureInclusive,
    /// Strictly after.
    Future,
    /// In the previous Monday-based week.
    PrevWeek,
    /// In the next Monday-based week.
    NextWeek,
}

fn resolve_weekday(p: Date, wd: Weekday, mode: WeekdayMode) -> Option<Date> {
    let pw = i32::from(p.weekday().number_days_from_monday());
    let w = i32::from(wd.number_days_from_monday());
    let offset = match mode {
        WeekdayMode::PastInclusive => -((pw - w).rem_euclid(7)),
        WeekdayMode::Past => -((pw - w - 1).rem_euclid(7) + 1),
        WeekdayMode::FutureInclusive => (w - pw).rem_euclid(7),
        WeekdayMode::Future => (w - pw - 1).rem_euclid(7) + 1,
        WeekdayMode::PrevWeek => w - pw - 7,
        WeekdayMode::NextWeek => w - pw + 7,
    };
    add_days(p, offset)
}

/// A holiday's day in a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holiday {
    /// The same day every year (month, day).
    Fixed(u8, u8),
    /// Days after (or before) Easter Sunday.
    Easter(i16),
    /// The `n`-th weekday of a month (1-based; Thanksgiving, Prinsjesdag, Moederdag).
    Nth(u8, Weekday, u8),
    /// The day after the fourth Thursday of November (Black Friday).
    AfterThanksgiving,
    /// King's Day (NL): 27 April, the 26th when the 27th is a Sunday.
    Koningsdag,
    /// Queen's Day (NL, until 2013): 30 April, 1 May when the 30th is a Sunday; before 1949
    /// (Queen Wilhelmina's birthday) 31 August.
    Koninginnedag,
}

/// Easter Sunday of `year` (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher).
fn easter(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as u8, day as u8)
}

/// The `n`-th `wd` of `month` in `year`.
fn nth_weekday(year: i32, month: u8, wd: Weekday, n: u8) -> Option<Date> {
    let first = date(year, month, 1)?;
    let off = (i32::from(wd.number_days_from_monday())
        - i32::from(first.weekday().number_days_from_monday()))
    .rem_euclid(7);
    add_days(first, off + 7 * (i32::from(n) - 1))
}

fn holiday_in(h: Holiday, year: i32) -> Option<Date> {
    match h {
        Holiday::Fixed(m, d) => date(year, m, d),
        Holiday::Easter(off) => add_days(easter(year)?, i32::from(off)),
        Holiday::Nth(m, wd, n) => nth_weekday(year, m, wd, n),
        Holiday::AfterThanksgiving => add_days(nth_weekday(year, 11, Weekday::Thursday, 4)?, 1),
        Holiday::Koninginnedag if year < 1949 => date(year, 8, 31),
        Holiday::Koninginnedag => {
            let d = date(year, 4, 30)?;
            if d.weekday() == Weekday::Sunday {
                date(year, 5, 1)
            } else {
                Some(d)
            }
        }
        Holiday::Koningsdag => {
            let d = date(year, 4, 27)?;
            if d.weekday() == Weekday::Sunday {
                date(year, 4, 26)
            } else {
                Some(d)
            }
        }
    }
}

/// The holiday's day that a mention without a year means: `when` below zero ("vorige
/// kerst") the last one before `p`; above zero ("komende Pasen", or a sentence about the
/// future) the first one on or after `p`; at zero as a year-less day and month
/// ([`resolve_yearly`]).
fn resolve_holiday(p: Date, h: Holiday, when: i8) -> Option<Date> {
    let day_in = |y| holiday_in(h, y);
    if when < 0 {
        (0..=1)
            .filter_map(|k| day_in(p.year() - k))
            .find(|d| *d < p)
    } else {
        resolve_yearly(p, day_in, when > 0)
    }
}

/// Holidays by their words (a word `'` stands for an apostrophe token): the Dutch and English
/// names news uses for days of the calendar. Longest phrases first within a first word.
const HOLIDAYS: &[(DateLang, &[&str], Holiday)] = {
    use DateLang::{En, Nl};
    use Holiday::*;
    &[
        (Nl, &["eerste", "kerstdag"], Fixed(12, 25)),
        (Nl, &["tweede", "kerstdag"], Fixed(12, 26)),
        (Nl, &["eerste", "paasdag"], Easter(0)),
        (Nl, &["tweede", "paasdag"], Easter(1)),
        (Nl, &["eerste", "pinksterdag"], Easter(49)),
        (Nl, &["tweede", "pinksterdag"], Easter(50)),
        (Nl, &["goede", "vrijdag"], Easter(-2)),
        (Nl, &["kerstmis"], Fixed(12, 25)),
        (Nl, &["kerst"], Fixed(12, 25)),
        (Nl, &["kerstavond"], Fixed(12, 24)),
        (Nl, &["oudjaarsdag"], Fixed(12, 31)),
        (Nl, &["oudejaarsdag"], Fixed(12, 31)),
        (Nl, &["oudjaarsavond"], Fixed(12, 31)),
        (Nl, &["oudejaarsavond"], Fixed(12, 31)),
        (Nl, &["nieuwjaarsdag"], Fixed(1, 1)),
        (Nl, &["valentijnsdag"], Fixed(2, 14)),
        (Nl, &["koningsdag"], Koningsdag),
        (Nl, &["koninginnedag"], Koninginnedag),
        (Nl, &["dodenherdenking"], Fixed(5, 4)),
        (Nl, &["bevrijdingsdag"], Fixed(5, 5)),
        (Nl, &["pakjesavond"], Fixed(12, 5)),
        (Nl, &["sinterklaasavond"], Fixed(12, 5)),
        (Nl, &["pasen"], Easter(0)),
        (Nl, &["paaszondag"], Easter(0)),
        (Nl, &["paasmaandag"], Easter(1)),
        (Nl, &["aswoensdag"], Easter(-46)),
        (Nl, &["hemelvaartsdag"], Easter(39)),
        (Nl, &["hemelvaart"], Easter(39)),
        (Nl, &["pinksteren"], Easter(49)),
        (Nl, &["pinkstermaandag"], Easter(50)),
        (Nl, &["prinsjesdag"], Nth(9, Weekday::Tuesday, 3)),
        (Nl, &["moederdag"], Nth(5, Weekday::Sunday, 2)),
        (Nl, &["vaderdag"], Nth(6, Weekday::Sunday, 3)),
        (Nl, &["halloween"], Fixed(10, 31)),
        (Nl, &["black", "friday"], AfterThanksgiving),
        (En, &["christmas", "day"], Fixed(12, 25)),
        (En, &["christmas", "eve"], Fixed(12, 24)),
        (En, &["christmas"], Fixed(12, 25)),
        (En, &["boxing", "day"], Fixed(12, 26)),
        (En, &["new", "year", "'", "s", "day"], Fixed(1, 1)),
        (En, &["new", "year", "'", "s", "eve"], Fixed(12, 31)),
        (En, &["valentine", "'", "s", "day"], Fixed(2, 14)),
        (En, &["easter", "sunday"], Easter(0)),
        (En, &["easter", "monday"], Easter(1)),
        (En, &["easter"], Easter(0)),
        (En, &["good", "friday"], Easter(-2)),
        (En, &["ash", "wednesday"], Easter(-46)),
        (En, &["ascension", "day"], Easter(39)),
        (En, &["pentecost"], Easter(49)),
        (En, &["whit", "sunday"], Easter(49)),
        (En, &["whit", "monday"], Easter(50)),
        (En, &["thanksgiving", "day"], Nth(11, Weekday::Thursday, 4)),
        (En, &["thanksgiving"], Nth(11, Weekday::Thursday, 4)),
        (En, &["black", "friday"], AfterThanksgiving),
        (En, &["halloween"], Fixed(10, 31)),
    ]
};

/// The first words of [`HOLIDAYS`], indexed by their first byte (built once).
fn holiday_firsts() -> &'static [Vec<&'static str>; 256] {
    static F: std::sync::OnceLock<[Vec<&'static str>; 256]> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let mut f: [Vec<&'static str>; 256] = std::array::from_fn(|_| Vec::new());
        for (_, words, _) in HOLIDAYS {
            let v = &mut f[usize::from(words[0].as_bytes()[0])];
            if !v.contains(&words[0]) {
                v.push(words[0]);
            }
        }
        f
    })
}

fn valid_year(v: u32, digits: usize) -> bool {
    digits == 4 && (1900..=2100).contains(&v)
}

// ---------------------------------------------------------------------------
// Scanner

struct Scanner<'a> {
    /// Per token: the sentence it is in has a future auxiliary
    /// (`zal`, `zullen`, `will`, `shall`, `'ll`).
    future: Vec<bool>,
    toks: &'a [Tok<'a>],
    published: Option<Date>,
    lang: DateLang,
}

/// A numeric cluster: digit runs joined by `.`, `,`, `:`, `/` or dashes
/// without whitespace.
struct Cluster {
    /// Token index just past the cluster.
    end: usize,
    /// Number values with their digit counts.
    nums: Vec<(u32, usize)>,
    /// Joining characters between consecutive numbers.
    seps: Vec<char>,
    /// Glued to letters, digits or joiners on either side.
    glued: bool,
    /// Glued on the left only through a dash after a word (`mid-2019`).
    dash_word_left: bool,
}

impl Scanner<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Word).then_some(t.lower)
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i)?.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }

    /// Is token `i` the start of a word that is not glued to the previous
    /// token by a hyphen or apostrophe (word-internal)?
    fn standalone(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        if t.gap || i == 0 {
            return true;
        }
        match self.toks[i - 1].kind {
            Kind::Punct(c) => !(is_dash(c) || c == '\'' || c == '’' || c == '_' || c == '@'),
            _ => false,
        }
    }

    /// Token `i` is not followed by a hyphen + word glued to it
    /// (`mei-verkiezingen` is still fine, but `vrijdag-` compounds are rare).
    fn not_glued_right(&self, i: usize) -> bool {
        match self.toks.get(i + 1) {
            None => true,
            Some(t) if t.gap => true,
            Some(t) => match t.kind {
                Kind::Punct('@' | '_' | '/') => false,
                Kind::Punct(_) => true,
                _ => false,
            },
        }
    }

    /// Is there a standalone number 1..=31 (day) at `i`?
    fn day_at(&self, i: usize) -> Option<u8> {
        let t = self.toks.get(i)?;
        match t.kind {
            Kind::Num(v, d) if d <= 2 && (1..=31).contains(&v) => {
                let c = self.cluster(i);
                (c.nums.len() == 1 && !c.glued && !self.currency_before(i)).then_some(v as u8)
            }
            _ => None,
        }
    }

    /// Is there a standalone plausible year at `i` (no cue needed)?
    fn year_at(&self, i: usize) -> Option<i32> {
        let t = self.toks.get(i)?;
        match t.kind {
            Kind::Num(v, d) if valid_year(v, d) => {
                let c = self.cluster(i);
                (c.nums.len() == 1 && !c.glued && !self.currency_before(i)).then_some(v as i32)
            }
            _ => None,
        }
    }

    fn currency_before(&self, i: usize) -> bool {
        i > 0 && matches!(self.toks[i - 1].kind, Kind::Punct(c) if is_currency(c))
    }

    fn cluster(&self, i: usize) -> Cluster {
        let toks = self.toks;
        let mut nums = Vec::new();
        let mut seps = Vec::new();
        let mut j = i;
        if let Kind::Num(v, d) = toks[j].kind {
            nums.push((v, d));
        }
        j += 1;
        while j + 1 < toks.len() {
            let (a, b) = (&toks[j], &toks[j + 1]);
            let sep = match a.kind {
                Kind::Punct(c) if matches!(c, '.' | ',' | ':' | '/') || is_dash(c) => c,
                _ => break,
            };
            if a.gap || b.gap {
                break;
            }
            match b.kind {
                Kind::Num(v, d) => {
                    nums.push((v, d));
                    seps.push(sep);
                    j += 2;
                }
                _ => break,
            }
        }
        // glued on the left: previous token touches and is alphanumeric, or a
        // joiner that itself touches something alphanumeric.
        let mut glued = false;
        let mut dash_word_left = false;
        if i > 0 && !toks[i].gap {
            match toks[i - 1].kind {
                Kind::Punct(c) => {
                    if (matches!(c, '.' | ',' | ':' | '/' | '+') || is_dash(c))
                        && i >= 2
                        && !toks[i - 1].gap
                        && !matches!(toks[i - 2].kind, Kind::Punct(_))
                    {
                        glued = true;
                        dash_word_left = is_dash(c) && toks[i - 2].kind == Kind::Word;
                    }
                }
                _ => glued = true,
            }
        }
        let mut glued_right = false;
        if let Some(t) = toks.get(j) {
            if !t.gap {
                match t.kind {
                    Kind::Punct(c) => {
                        if let Some(n) = toks.get(j + 1) {
                            if !n.gap
                                && (matches!(c, '.' | ',' | ':' | '/' | '+') || is_dash(c))
                                && !matches!(n.kind, Kind::Punct(_))
                            {
                                glued_right = true;
                            }
                        }
                    }
                    _ => glued_right = true,
                }
            }
        }
        if glued_right {
            glued = true;
            dash_word_left = false;
        }
        Cluster {
            end: j,
            nums,
            seps,
            glued,
            dash_word_left,
        }
    }

    /// Try every pattern at token `i`; push mentions into `out` and return
    /// the index of the first token after what matched (or `i + 1`).
    fn match_at(&self, i: usize, out: &mut Vec<DateMention>) -> usize {
        let t = &self.toks[i];
        match t.kind {
            Kind::Word => {
                if !self.standalone(i) {
                    // only "mid-May"-style months survive a hyphen
                    return self.month_first(i, out).unwrap_or(i + 1);
                }
                if let Some(n) = self.holiday(i, out) {
                    return n;
                }
                if let Some(n) = self.weekday_phrase(i, out) {
                    return n;
                }
                if let Some(n) = self.relative(i, out) {
                    return n;
                }
                if let Some(n) = self.ago(i, out) {
                    return n;
                }
                if let Some(n) = self.month_first(i, out) {
                    return n;
                }
                if let Some(n) = self.the_ordinal(i, out) {
                    return n;
                }
                i + 1
            }
            Kind::Num(..) => {
                if let Some(n) = self.day_month(i, out) {
                    return n;
                }
                self.numeric(i, out)
            }
            Kind::Ord(v, _) => self.ordinal_month(i, v, out).unwrap_or(i + 1),
            _ => i + 1,
        }
    }

    // ----- weekdays --------------------------------------------------------

    // ----- holidays ----------------------------------------------------------

    /// A holiday: "Kerstmis", "eerste kerstdag", "met Pasen", "Koningsdag", "Christmas Eve",
    /// "at Easter", "Thanksgiving", each resolved to its day. A year after it ("Kerstmis 2018",
    /// "Easter of 2019", "Pasen vorig jaar") gives the year; "vorige kerst", "last Christmas",
    /// "komende Pasen", "next Easter" the one before or after the publication date; otherwise
    /// the day is resolved as a year-less day and month is. Not a date: "elke kerst", "every
    /// Christmas"; an English holiday used as a modifier ("Christmas sales", "Easter
    /// Island", "the absence of Easter sales", "Christmas Eve expirations", "Good Friday
    /// Agreement", "Halloween-themed") unless a preposition puts it in time ("before Christmas
    /// shopping") or the word after it is its holiday, weekend or recess ("the Easter
    /// holiday").
    fn holiday(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        let w = self.word(i)?;
        // the first words of [`HOLIDAYS`], by first byte (most words fail on one byte)
        if !holiday_firsts()[usize::from(w.as_bytes()[0])].contains(&w) {
            return None;
        }
        let matches_at = |words: &[&str]| {
            words.iter().enumerate().all(|(k, want)| {
                let Some(t) = self.toks.get(i + k) else {
                    return false;
                };
                match t.kind {
                    Kind::Word => t.lower == *want,
                    Kind::Punct(c) => *want == "'" && matches!(c, '\'' | '’'),
                    _ => false,
                }
            })
        };
        let &(_, words, h) = HOLIDAYS
            .iter()
            .find(|(lang, words, _)| *lang == self.lang && words[0] == w && matches_at(words))?;
        let last = i + words.len() - 1;
        // "Halloween-themed", "kerst-editie": a compound
        let compound = self.punct(last + 1).is_some_and(is_dash)
            && self.toks.get(last + 1).is_some_and(|t| !t.gap)
            && self.toks.get(last + 2).is_some_and(|t| !t.gap);
        if !self.not_glued_right(last) || compound {
            return None;
        }
        let prev = i.checked_sub(1).and_then(|j| self.word(j));
        if matches!(
            prev,
            Some("elke" | "iedere" | "ieder" | "every" | "each" | "een" | "a")
        ) {
            return Some(last + 1);
        }
        let next = self.toks.get(last + 1);
        if self.lang == DateLang::En {
            // "Christmas sales", "Easter Island", "Thanksgiving Day parade" is fine (a phrase)
            let cue = matches!(
                prev,
                Some(
                    "at" | "on"
                        | "before"
                        | "after"
                        | "until"
                        | "till"
                        | "by"
                        | "over"
                        | "since"
                        | "during"
                        | "around"
                        | "for"
                        | "through"
                        | "from"
                        | "last"
                        | "next"
                        | "this"
                )
            );
            let linked = |n: &Tok<'_>| {
                matches!(
                    n.lower,
                    "and"
                        | "or"
                        | "is"
                        | "was"
                        | "falls"
                        | "fell"
                        | "approaches"
                        | "holiday"
                        | "holidays"
                        | "weekend"
                        | "recess"
                )
            };
            if let Some(n) = next.filter(|n| n.kind == Kind::Word) {
                if n.cap || !(cue || linked(n)) {
                    return Some(last + 1);
                }
            }
        }
        let (start, when) = match prev {
            Some("vorige" | "afgelopen" | "last" | "past") => (i - 1, -1),
            Some("komende" | "volgende" | "aanstaande" | "next" | "coming") => (i - 1, 1),
            _ => (i, 0),
        };
        let start_b = self.toks[start].start;
        // a year after it ("Kerstmis 2018", "Pasen van 2016"; not "met Pasen 2000 mensen")
        let mut k = last + 1;
        if matches!(self.word(k), Some("van" | "of")) {
            k += 1;
        }
        if let Some(y) = self
            .year_at(k)
            .filter(|_| !self.word(k + 1).is_some_and(count_noun))
        {
            if let Some(d) = holiday_in(h, y) {
                out.push(day_mention(start_b, self.toks[k].end, d));
            }
            return Some(k + 1);
        }
        if when == 0 {
            if let Some((val, e)) = self.rel_year_after(last + 1) {
                if let Some(d) = val.and_then(|y| holiday_in(h, y)) {
                    out.push(day_mention(start_b, self.toks[e].end, d));
                }
                return Some(e + 1);
            }
        }
        // "in 1989, op Valentijnsdag", "in 2017 met Kerstmis": the year just before it
        if when == 0 {
            let year_before = (i.saturating_sub(5)..i).rev().find_map(|k| {
                if (k + 1..i).any(|j| matches!(self.punct(j), Some('.' | '!' | '?' | ';'))) {
                    return None;
                }
                let y = self.year_at(k)?;
                matches!(k.checked_sub(1).and_then(|j| self.word(j)), Some("in")).then_some(y)
            });
            if let Some(y) = year_before {
                if let Some(d) = holiday_in(h, y) {
                    out.push(day_mention(start_b, self.toks[last].end, d));
                }
                return Some(last + 1);
            }
        }
        let when = if when == 0 && self.future[i] { 1 } else { when };
        if let Some(d) = self.published.and_then(|p| resolve_holiday(p, h, when)) {
            out.push(day_mention(start_b, self.toks[last].end, d));
        }
        Some(last + 1)
    }

    fn weekday_phrase(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        let w = self.word(i)?;
        let lang = self.lang;
        // modifier + weekday
        let (mode, wd_idx) = match (lang, w) {
            (DateLang::Nl, "vorige" | "afgelopen")
                if self.word(i + 1) == Some("week") && self.wd(i + 2).is_some() =>
            {
                let mode = if w == "vorige" {
                    WeekdayMode::PrevWeek
                } else {
                    WeekdayMode::Past
                };
                (mode, i + 2)
            }
            (DateLang::Nl, "volgende" | "komende")
                if self.word(i + 1) == Some("week") && self.wd(i + 2).is_some() =>
            {
                (WeekdayMode::NextWeek, i + 2)
            }
            (DateLang::Nl, "afgelopen" | "vorige") if self.wd(i + 1).is_some() => {
                (WeekdayMode::Past, i + 1)
            }
            (DateLang::Nl, "komende" | "aanstaande" | "volgende") if self.wd(i + 1).is_some() => {
                (WeekdayMode::Future, i + 1)
            }
            (DateLang::Nl, "deze") if self.wd(i + 1).is_some() => {
                (WeekdayMode::FutureInclusive, i + 1)
            }
            (DateLang::En, "last" | "past") if self.wd(i + 1).is_some() => {
                (WeekdayMode::Past, i + 1)
            }
            (DateLang::En, "next" | "coming") if self.wd(i + 1).is_some() => {
                (WeekdayMode::Future, i + 1)
            }
            (DateLang::En, "this")
                if self.word(i + 1) == Some("coming") && self.wd(i + 2).is_some() =>
            {
                (WeekdayMode::Future, i + 2)
            }
            (DateLang::En, "this") if self.wd(i + 1).is_some() => {
                (WeekdayMode::FutureInclusive, i + 1)
            }
            _ if self.wd(i).is_some() => (WeekdayMode::PastInclusive, i),
            _ => return None,
        };
        let wd = self.wd(wd_idx)?;
        // "vrijdag 15 november", "Friday, November 15": the date itself is
        // matched next; the weekday adds nothing.
        let mut k = wd_idx + 1;
        if self.punct(k) == Some(',') {
            k += 1;
        }
        if self.starts_explicit_date(k) {
            return Some(k);
        }
        // "elke vrijdag", "een zaterdag", "that Sunday": no particular date.
        let indefinite = i
            .checked_sub(1)
            .and_then(|j| self.word(j))
            .is_some_and(|w| {
                matches!(
                    w,
                    "elke"
                        | "iedere"
                        | "een"
                        | "diezelfde"
                        | "dezelfde"
                        | "zo"
                        | "every"
                        | "each"
                        | "a"
                        | "same"
                        | "one"
                )
            });
        if indefinite {
            return Some(wd_idx + 1);
        }
        // Named days and newspapers: "Super Tuesday", "Goede Vrijdag",
        // "the Sunday Times".
        let named_before = wd_idx == i
            && i.checked_sub(1)
                .and_then(|j| self.word(j))
                .is_some_and(|w| {
                    matches!(
                        w,
                        "super"
                            | "black"
                            | "good"
                            | "cyber"
                            | "ash"
                            | "palm"
                            | "bloody"
                            | "easter"
                            | "holy"
                            | "maundy"
                            | "blue"
                            | "goede"
                            | "witte"
                            | "stille"
                            | "pasen"
                    )
                });
        let named_after = self.toks.get(wd_idx + 1).is_some_and(|t| {
            t.cap
                && matches!(
                    t.lower,
                    "times"
                        | "telegraph"
                        | "mirror"
                        | "express"
                        | "post"
                        | "herald"
                        | "independent"
                )
        });
        if named_before || named_after {
            return Some(wd_idx + 1);
        }
        // The second weekday of a range or pair ("zaterdag op zondag",
        // "Wednesday through Friday") is on or after the first.
        if wd_idx == i && i >= 2 {
            let link = self
                .word(i - 1)
                .is_some_and(|w| matches!(w, "op" | "tot" | "through" | "to" | "until" | "till"))
                || self.punct(i - 1).is_some_and(is_dash);
            if let Some(last) = out.last() {
                if link && last.granularity == Granularity::Day && last.end == self.toks[i - 2].end
                {
                    if let Some(first) = date(last.year, last.month, last.day) {
                        if let Some(d) = resolve_weekday(first, wd, WeekdayMode::FutureInclusive) {
                            out.push(day_mention(self.toks[i].start, self.toks[i].end, d));
                        }
                        return Some(i + 1);
                    }
                }
            }
        }
        // The week after the weekday: "Tuesday last week", "dinsdag vorige week", "woensdag
        // volgende week".
        // ... also for the first of two weekdays: "Monday or Tuesday next week", "maandag en
        // dinsdag vorige week"
        let paired = matches!(self.word(wd_idx + 1), Some("or" | "and" | "of" | "en"))
            && self.wd(wd_idx + 2).is_some();
        let w_at = if paired { wd_idx + 2 } else { wd_idx };
        let week_after = match (self.lang, self.word(w_at + 1), self.word(w_at + 2)) {
            (DateLang::En, Some("last"), Some("week"))
            | (DateLang::Nl, Some("vorige"), Some("week")) => Some(WeekdayMode::PrevWeek),
            (DateLang::En, Some("next"), Some("week"))
            | (DateLang::Nl, Some("volgende" | "komende"), Some("week")) => {
                Some(WeekdayMode::NextWeek)
            }
            _ => None,
        };
        let (mode, end_idx) = match week_after {
            Some(m) if mode == WeekdayMode::PastInclusive && paired => (m, wd_idx),
            Some(m) if mode == WeekdayMode::PastInclusive => (m, wd_idx + 2),
            _ if mode == WeekdayMode::PastInclusive && self.future[i] => {
                (WeekdayMode::FutureInclusive, wd_idx)
            }
            _ => (mode, wd_idx),
        };
        if let Some(p) = self.published {
            if let Some(d) = resolve_weekday(p, wd, mode) {
                out.push(day_mention(self.toks[i].start, self.toks[end_idx].end, d));
            }
        }
        Some(end_idx + 1)
    }

    fn wd(&self, i: usize) -> Option<Weekday> {
        let t = self.toks.get(i)?;
        if t.kind != Kind::Word {
            return None;
        }
        // "vrijdags" (habitual) is not a weekday mention: exact match only.
        let wd = weekday_word(t.lower, self.lang)?;
        (self.standalone(i) && self.not_glued_right(i)).then_some(wd)
    }

    /// Does an explicit day-month date start at `k`?
    fn starts_explicit_date(&self, k: usize) -> bool {
        let Some(t) = self.toks.get(k) else {
            return false;
        };
        let mut scratch = Vec::new();
        match t.kind {
            Kind::Num(..) => {
                if self.day_month(k, &mut scratch).is_some() {
                    return true;
                }
                let c = self.cluster(k);
                c.nums.len() == 3 && !c.glued
            }
            Kind::Ord(v, _) => self.ordinal_month(k, v, &mut scratch).is_some(),
            Kind::Word => {
                if let Some((_, j)) = self.month_after(k) {
                    self.day_at(j).is_some()
                        || matches!(self.toks.get(j).map(|t| t.kind), Some(Kind::Ord(..)))
                } else {
                    false
                }
            }
            _ => false,
        }
    }

    // ----- relative expressions ---------------------------------------------

    fn relative(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        let w = self.word(i)?;
        let start = self.toks[i].start;
        let p = self.published;
        let prev = i.checked_sub(1).and_then(|j| self.word(j));
        let day = |off: i32, end_tok: usize, out: &mut Vec<DateMention>| {
            if let Some(d) = p.and_then(|p| add_days(p, off)) {
                out.push(day_mention(start, self.toks[end_tok].end, d));
            }
            Some(end_tok + 1)
        };
        match self.lang {
            DateLang::Nl => match w {
                "vandaag" => {
                    // "vandaag de dag" and "(tot) de dag van vandaag": nowadays, to this day
                    if self.word(i + 1) == Some("de") && self.word(i + 2) == Some("dag") {
                        return Some(i + 3);
                    }
                    if prev == Some("van") && i >= 2 && self.word(i - 2) == Some("dag") {
                        return Some(i + 1);
                    }
                    day(0, i, out)
                }
                "vanmorgen" | "vanochtend" | "vanmiddag" | "vanavond" | "vannacht"
                | "vanmorgenvroeg" => day(0, i, out),
                "gisteren" | "gisteravond" | "gisterochtend" | "gistermiddag" | "gisternacht"
                | "gistermorgen" => day(-1, i, out),
                "eergisteren" => day(-2, i, out),
                "overmorgen" => day(2, i, out),
                "morgenochtend" | "morgenmiddag" | "morgenavond" | "morgennacht"
                | "morgenvroeg" => day(1, i, out),
                "morgen" => {
                    // "de morgen" (the morning), "De Morgen" (a newspaper),
                    // "'s morgens" is a different word.
                    let article = matches!(
                        prev,
                        Some("de" | "die" | "deze" | "een" | "elke" | "iedere" | "hele" | "goede")
                    );
                    let name = self.toks[i].cap && i > 0 && !self.sentence_start(i);
                    if article || name {
                        return Some(i + 1);
                    }
                    day(1, i, out)
                }
                "deze" | "dit" | "vorige" | "vorig" | "afgelopen" | "volgende" | "volgend"
                | "komende" | "komend" | "eerder" | "later" => self.rel_period(i, out),
                _ => None,
            },
            DateLang::En => match w {
                "today" | "tonight" | "yesterday" | "tomorrow" if self.is_title(i) => Some(i + 1),
                "today" | "tonight" => day(0, i, out),
                "yesterday" => day(-1, i, out),
                "tomorrow" => day(1, i, out),
                "this" | "last" | "next" | "earlier" | "later" => self.rel_period(i, out),
                _ => None,
            },
        }
    }

    /// The capitalised word at `i` is (part of) a name, not a day: after a capitalised word
    /// ("USA Today said"; "Seeds of Tomorrow" is not caught), after "the" ("the Today newspaper")
    /// or quoted as a title (`NBC's "Today" program`, `published in "Today,"`). A quote
    /// that opens a sentence ("Today, I signed…") and a word in capitals are days.
    fn is_title(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if !t.cap || t.all_caps || i == 0 {
            return false;
        }
        let prev = &self.toks[i - 1];
        let quote = |j: usize| matches!(self.punct(j), Some('"' | '“' | '”'));
        if prev.kind == Kind::Word {
            prev.cap || prev.lower == "the"
        } else {
            quote(i - 1) && (quote(i + 1) || self.punct(i + 1) == Some(',') && quote(i + 2))
        }
    }

    fn sentence_start(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let mut j = i;
        while j > 0 {
            j -= 1;
            match self.toks[j].kind {
                Kind::Punct('.' | '!' | '?' | ':') => return true,
                Kind::Punct('"' | '\'' | '“' | '”' | '‘' | '’' | '(' | '–' | '—' | '-') => {
                    continue
                }
                _ => return false,
            }
        }
        true
    }

    /// "deze maand", "vorig jaar", "eerder dit jaar", "last month", ...
    /// Returns the number of tokens consumed through `out`.
    fn rel_period(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        let (m, end_tok) = self.rel_period_value(i)?;
        // "het afgelopen jaar", "the last year", "the next year": a period.
        let prev = i.checked_sub(1).and_then(|j| self.word(j));
        if matches!(prev, Some("het" | "de" | "the" | "that" | "dat")) {
            return Some(end_tok + 1);
        }
        if self.lang == DateLang::Nl && self.word(end_tok) == Some("jaar") {
            // "vorig jaar november": the month of that year
            if let Some((month, false)) = self.month_tok(end_tok + 1) {
                if let Some((y, _)) = m {
                    let e = self.toks[end_tok + 1].end;
                    out.push(month_mention(self.toks[i].start, e, y, month));
                }
                return Some(end_tok + 2);
            }
        }
        if let Some((y, mo)) = m {
            let (s, e) = (self.toks[i].start, self.toks[end_tok].end);
            out.push(if mo == 0 {
                year_mention(s, e, y)
            } else {
                month_mention(s, e, y, mo)
            });
        }
        Some(end_tok + 1)
    }

    /// Parses a relative month/year phrase at `i`: returns the resolved
    /// (year, month-or-0) when a publication date is known, and the last
    /// token index of the phrase.
    fn rel_period_value(&self, i: usize) -> Option<(Option<(i32, u8)>, usize)> {
        let w = self.word(i)?;
        let i = if matches!(w, "eerder" | "later" | "earlier") {
            i + 1
        } else {
            i
        };
        let w = self.word(i)?;
        let unit = self.word(i + 1)?;
        if !self.not_glued_right(i + 1) {
            return None;
        }
        let offset = match (self.lang, w, unit) {
            (DateLang::Nl, "deze", "maand") | (DateLang::Nl, "dit", "jaar") => 0,
            (DateLang::Nl, "vorige" | "afgelopen", "maand")
            | (DateLang::Nl, "vorig" | "vorige" | "afgelopen", "jaar") => -1,
            (DateLang::Nl, "volgende" | "komende", "maand")
            | (DateLang::Nl, "volgend" | "volgende" | "komend" | "komende", "jaar") => 1,
            (DateLang::En, "this", "month" | "year") => 0,
            (DateLang::En, "last", "month" | "year") => -1,
            (DateLang::En, "next", "month" | "year") => 1,
            _ => return None,
        };
        let is_month = matches!(unit, "maand" | "month");
        let val = self.published.map(|p| {
            if is_month {
                let idx = p.year() * 12 + (p.month() as i32 - 1) + offset;
                (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u8)
            } else {
                (p.year() + offset, 0)
            }
        });
        Some((val, i + 1))
    }

    // ----- month names ------------------------------------------------------

    /// Month name is acceptable as a month here (case rules for English
    /// `May`/`March`, abbreviations need a day).
    fn month_tok(&self, i: usize) -> Option<(u8, bool)> {
        let t = self.toks.get(i)?;
        if t.kind != Kind::Word {
            return None;
        }
        // the word itself first: most words are no month, and this is the cheapest test
        let (m, abbr) = month_word(t.lower, self.lang)?;
        // "mid-May", "eind-juni" are fine; other hyphenated words are not.
        let hyphen_cue = i >= 2
            && !t.gap
            && self.punct(i - 1).is_some_and(is_dash)
            && !self.toks[i - 1].gap
            && matches!(
                self.word(i - 2),
                Some("mid" | "early" | "late" | "eind" | "begin" | "medio" | "half" | "midden")
            );
        if !self.standalone(i) && !hyphen_cue {
            return None;
        }
        if self.lang == DateLang::En && !t.cap {
            // English month names are capitalised; lowercase "may", "march"
            // are verbs.
            return None;
        }
        if abbr && t.all_caps && t.lower.len() <= 3 && self.lang == DateLang::En {
            // "JAN", "MAR" in shouting headlines are fine, but "APR" etc. as
            // acronyms are more common; treat all-caps abbreviations as none.
            return None;
        }
        Some((m, abbr))
    }

    /// Month name after the token at `i` (with optional "." for abbreviations):
    /// returns (month, index after month incl. dot).
    fn month_after(&self, i: usize) -> Option<(u8, usize)> {
        let (m, abbr) = self.month_tok(i)?;
        let mut j = i + 1;
        if abbr && self.punct(j) == Some('.') && !self.toks[j].gap {
            j += 1;
        }
        Some((m, j))
    }

    /// `15 november [2024]`, `15 nov.`, `15 November 2024`, `1 oktober vorig jaar`.
    fn day_month(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        let day = self.day_at(i);
        if let Some(n) = self.day_range(i, day, out) {
            return Some(n);
        }
        let day = day?;
        let mut j = i + 1;
        if self.lang == DateLang::En && self.word(j) == Some("of") {
            j += 1;
        }
        let (month, j) = self.month_after(j)?;
        self.finish_day_month(i, j, day, month, out)
    }

    /// Two days of one month: `10-12 juni`, `10 tot en met 12 juni`, `10 t/m 12 juni`,
    /// `10 en 11 juni`, `10 to 12 June`, `10 and 11 June`. The second day is read as a
    /// day-month ([`Scanner::finish_day_month`]: a year after it, or resolved against the
    /// publication date), and the first day takes its month and year.
    fn day_range(&self, i: usize, day: Option<u8>, out: &mut Vec<DateMention>) -> Option<usize> {
        let (first, k, last) = self.two_days(i, day)?;
        let mut j = k + 1;
        if self.lang == DateLang::En && self.word(j) == Some("of") {
            j += 1;
        }
        let (month, j) = self.month_after(j)?;
        let from = out.len();
        let end = self.finish_day_month(k, j, last, month, out)?;
        self.push_first_day(from, first, self.toks[i].start, self.toks[i].end, out);
        Some(end)
    }

    /// Two days at `i`, the first before the second: `10-12`, `10 tot en met 12`, `10 t/m
    /// 12`, `10 en 11`, `10 to 12`, `10 and 11`, `10 through 12`. `day` is `day_at(i)`, which
    /// the callers need anyway. Returns the first day, the index of the second and the second
    /// day.
    fn two_days(&self, i: usize, day: Option<u8>) -> Option<(u8, usize, u8)> {
        let small_day = |k: usize| match self.toks.get(k)?.kind {
            Kind::Num(v, d) if d <= 2 && (1..=31).contains(&v) => Some(v as u8),
            _ => None,
        };
        let (first, k, last) = match day {
            Some(first) => {
                // a connector between two standalone days
                let k = match (self.lang, self.word(i + 1)) {
                    (DateLang::Nl, Some("tot"))
                        if self.word(i + 2) == Some("en") && self.word(i + 3) == Some("met") =>
                    {
                        i + 4
                    }
                    (DateLang::Nl, Some("t"))
                        if self.punct(i + 2) == Some('/') && self.word(i + 3) == Some("m") =>
                    {
                        i + 4
                    }
                    (DateLang::Nl, Some("tot" | "en"))
                    | (DateLang::En, Some("to" | "and" | "through" | "until" | "till")) => i + 2,
                    (_, None) if self.punct(i + 1).is_some_and(is_dash) => i + 2,
                    _ => return None,
                };
                (first, k, self.day_at(k)?)
            }
            None => {
                // "10-12": two days joined by a dash, nothing else glued to them
                let first = small_day(i)?;
                let c = self.cluster(i);
                if c.nums.len() != 2 || c.glued || !is_dash(c.seps[0]) || self.currency_before(i) {
                    return None;
                }
                (first, i + 2, small_day(i + 2)?)
            }
        };
        (first < last).then_some((first, k, last))
    }

    /// After the second day of a range was resolved into `out[from]` (if it was), the first
    /// day, `first`, at `start..end`, in the same month and year.
    fn push_first_day(
        &self,
        from: usize,
        first: u8,
        start: usize,
        end: usize,
        out: &mut Vec<DateMention>,
    ) {
        if let Some(d) = out.get(from).and_then(|m| date(m.year, m.month, first)) {
            out.push(day_mention(start, end, d));
        }
    }

    /// `drie dagen geleden`, `twee weken geleden`, `een jaar geleden`, `10 years ago`,
    /// `a month ago`, at the word `geleden` / `ago`: days resolve to the day, weeks to the
    /// month of that day (a week has no granularity of its own), months to the month, years
    /// to the year. Without a count ("jaren geleden", "long ago") nothing.
    fn ago(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        let w = self.word(i)?;
        if !matches!(
            (self.lang, w),
            (DateLang::Nl, "geleden") | (DateLang::En, "ago")
        ) || i < 2
        {
            return None;
        }
        let unit = self.word(i - 1)?;
        let n = match self.toks[i - 2].kind {
            Kind::Num(v, d) if d <= 3 && (1..=200).contains(&v) => {
                let c = self.cluster(i - 2);
                (c.nums.len() == 1 && !c.glued).then_some(v as i32)?
            }
            Kind::Word => count_word(self.toks[i - 2].lower, self.lang)?,
            _ => return None,
        };
        let p = self.published?;
        let (start, end) = (self.toks[i - 2].start, self.toks[i].end);
        let mention = match (self.lang, unit) {
            (DateLang::Nl, "dag" | "dagen") | (DateLang::En, "day" | "days") => {
                day_mention(start, end, add_days(p, -n)?)
            }
            (DateLang::Nl, "week" | "weken") | (DateLang::En, "week" | "weeks") => {
                let d = add_days(p, -7 * n)?;
                month_mention(start, end, d.year(), d.month() as u8)
            }
            (DateLang::Nl, "maand" | "maanden") | (DateLang::En, "month" | "months") => {
                let idx = p.year() * 12 + (p.month() as i32 - 1) - n;
                month_mention(
                    start,
                    end,
                    idx.div_euclid(12),
                    (idx.rem_euclid(12) + 1) as u8,
                )
            }
            (DateLang::Nl, "jaar" | "jaren") | (DateLang::En, "year" | "years") => {
                year_mention(start, end, p.year() - n)
            }
            _ => return None,
        };
        out.push(mention);
        Some(i + 1)
    }

    /// `15th of November`, `15th November`, `1e november`.
    fn ordinal_month(&self, i: usize, v: u32, out: &mut Vec<DateMention>) -> Option<usize> {
        if !(1..=31).contains(&v) || !self.standalone(i) {
            return None;
        }
        let mut j = i + 1;
        if self.word(j) == Some("of") || self.word(j) == Some("van") {
            j += 1;
        }
        let (month, j) = self.month_after(j)?;
        self.finish_day_month(i, j, v as u8, month, out)
    }

    /// After `day month` (ending before token `j`): optional `,` + year or
    /// relative year, then resolve.
    fn finish_day_month(
        &self,
        i: usize,
        j: usize,
        day: u8,
        month: u8,
        out: &mut Vec<DateMention>,
    ) -> Option<usize> {
        let start = self.toks[i].start;
        let mut k = j;
        if self.punct(k) == Some(',') && self.year_at(k + 1).is_some() {
            k += 1;
        }
        if let Some(y) = self.year_at(k) {
            if let Some(d) = date(y, month, day) {
                out.push(day_mention(start, self.toks[k].end, d));
            }
            return Some(k + 1);
        }
        if let Some((val, e)) = self.rel_year_after(j) {
            if let Some(d) = val.and_then(|y| date(y, month, day)) {
                out.push(day_mention(start, self.toks[e].end, d));
            }
            return Some(e + 1);
        }
        let end = self.toks[j - 1].end;
        if let Some(p) = self.published {
            if let Some(d) = resolve_month_day(p, month, day, self.future[i]) {
                out.push(day_mention(start, end, d));
            }
        }
        Some(j)
    }

    /// A year right after a month or day-month at `j`: `vorig jaar`,
    /// `dit jaar`, `last year`, `van dit jaar`, `of this year`, `of 2016`.
    /// Returns the year (None without a publication date for relative
    /// phrases) and the index of the phrase's last token.
    fn rel_year_after(&self, j: usize) -> Option<(Option<i32>, usize)> {
        let linked = matches!(self.word(j), Some("van" | "of"));
        let j = if linked { j + 1 } else { j };
        if linked {
            if let Some(y) = self.year_at(j) {
                return Some((Some(y), j));
            }
        }
        // "eerder dit jaar" after a month would be odd; only plain phrases.
        if matches!(self.word(j), Some("eerder" | "later" | "earlier")) {
            return None;
        }
        let (val, e) = self.rel_period_value(j)?;
        if !matches!(self.word(e), Some("jaar" | "year")) {
            return None;
        }
        Some((val.map(|(y, _)| y), e))
    }

    /// Month name first: `November 15, 2024`, `Nov. 15`, `november 2024`,
    /// `in juni`, `juni vorig jaar`.
    fn month_first(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        let (month, abbr) = self.month_tok(i)?;
        let (_, j) = self.month_after(i)?;
        let start = self.toks[i].start;
        // English: Month day[, year]
        if self.lang == DateLang::En {
            // "June 10-12", "March 3 and 4", "Nov. 10 through 12[, 2024]"
            let day_j = self.day_at(j);
            if let Some((first, k, last)) = self.two_days(j, day_j) {
                if !self.word(k + 1).is_some_and(count_noun) {
                    let from = out.len();
                    let end = self.finish_day_month(k, k + 1, last, month, out)?;
                    self.push_first_day(from, first, start, self.toks[j].end, out);
                    return Some(end);
                }
            }
            let day = day_j.or_else(|| match self.toks.get(j)?.kind {
                Kind::Ord(v, true) if (1..=31).contains(&v) => Some(v as u8),
                _ => None,
            });
            if let Some(day) = day {
                // "May 15 people"? Guard: no count noun right after.
                if !self.word(j + 1).is_some_and(count_noun) {
                    return self.finish_day_month(i, j + 1, day, month, out);
                }
            }
        }
        // Month year
        let mut k = j;
        if self.lang == DateLang::En && self.punct(k) == Some(',') {
            k += 1;
        }
        if let Some(y) = self.year_at(k) {
            if !self.word(k + 1).is_some_and(count_noun) {
                out.push(month_mention(start, self.toks[k].end, y, month));
                return Some(k + 1);
            }
        }
        if abbr {
            return None;
        }
        // Month + relative year: "juni vorig jaar", "March last year"
        let cue = self.month_cue(i);
        let ambiguous_en = self.lang == DateLang::En && matches!(month, 3 | 5);
        if let Some((val, e)) = self.rel_year_after(j) {
            if cue.is_some() || !ambiguous_en {
                if let Some(y) = val {
                    out.push(month_mention(start, self.toks[e].end, y, month));
                }
                return Some(e + 1);
            }
        }
        // Bare month: needs a cue word, except lowercase Dutch month names.
        let bare_ok = match self.lang {
            DateLang::Nl => cue.is_some() || !self.toks[i].cap,
            DateLang::En => cue.is_some(),
        };
        if !bare_ok {
            return None;
        }
        // "in mei 2000 mensen": handled above (count noun): then no year.
        if let Some(p) = self.published {
            let (y, m) = match cue {
                Some(MonthCue::Past) => {
                    let pm = p.month() as u8;
                    if month < pm {
                        (p.year(), month)
                    } else {
                        (p.year() - 1, month)
                    }
                }
                Some(MonthCue::Future) => {
                    let pm = p.month() as u8;
                    if month > pm {
                        (p.year(), month)
                    } else {
                        (p.year() + 1, month)
                    }
                }
                _ => resolve_month(p, month, self.future[i]),
            };
            out.push(month_mention(start, self.toks[j - 1].end, y, m));
        }
        Some(j)
    }

    /// A cue before a bare month name: "in juni", "sinds maart", "eind mei",
    /// "mid-May", "last June".
    fn month_cue(&self, i: usize) -> Option<MonthCue> {
        if i == 0 {
            return None;
        }
        let mut j = i - 1;
        // "mid-May", "eind-mei"
        if self.punct(j).is_some_and(is_dash) && !self.toks[i].gap && j > 0 {
            j -= 1;
        }
        let w = self.word(j)?;
        let plain = match self.lang {
            DateLang::Nl => matches!(
                w,
                "in" | "sinds"
                    | "vanaf"
                    | "begin"
                    | "eind"
                    | "einde"
                    | "medio"
                    | "half"
                    | "halverwege"
                    | "midden"
                    | "tot"
                    | "per"
                    | "van"
                    | "na"
                    | "voor"
                    | "tussen"
                    | "en"
            ),
            DateLang::En => matches!(
                w,
                "in" | "since"
                    | "until"
                    | "till"
                    | "by"
                    | "early"
                    | "late"
                    | "mid"
                    | "during"
                    | "from"
                    | "through"
                    | "of"
                    | "before"
                    | "after"
            ),
        };
        if plain {
            if w == "in" && j > 0 && self.word(j - 1) == Some("back") {
                return Some(MonthCue::Past);
            }
            return Some(MonthCue::Plain);
        }
        match (self.lang, w) {
            (DateLang::Nl, "afgelopen" | "vorige") | (DateLang::En, "last" | "past") => {
                Some(MonthCue::Past)
            }
            (DateLang::Nl, "komende" | "volgende" | "aanstaande")
            | (DateLang::En, "next" | "coming") => Some(MonthCue::Future),
            (DateLang::En, "this") => Some(MonthCue::Plain),
            _ => None,
        }
    }

    /// English `the 1st`, `on the 15th`: a day of a month near publication.
    fn the_ordinal(&self, i: usize, out: &mut Vec<DateMention>) -> Option<usize> {
        if self.lang != DateLang::En || self.word(i) != Some("the") {
            return None;
        }
        let Kind::Ord(v, true) = self.toks.get(i + 1)?.kind else {
            return None;
        };
        if !(1..=31).contains(&v) {
            return None;
        }
        // "the 15th of November" is handled by ordinal_month.
        if self.word(i + 2) == Some("of") && self.month_tok(i + 3).is_some() {
            return None;
        }
        if self.month_tok(i + 2).is_some() {
            return None;
        }
        let next_ok = match self.toks.get(i + 2) {
            None => true,
            Some(t) => match t.kind {
                Kind::Punct(c) => !is_dash(c),
                Kind::Word => matches!(
                    t.lower,
                    "at" | "and"
                        | "or"
                        | "but"
                        | "when"
                        | "in"
                        | "on"
                        | "to"
                        | "after"
                        | "before"
                        | "until"
                        | "with"
                        | "this"
                        | "next"
                        | "last"
                        | "for"
                ),
                _ => false,
            },
        };
        let prev_ok = matches!(
            i.checked_sub(1).and_then(|j| self.word(j)),
            Some("on" | "by" | "until" | "since" | "from" | "before" | "after" | "till")
        );
        let next_punct = self
            .toks
            .get(i + 2)
            .is_none_or(|t| matches!(t.kind, Kind::Punct(c) if !is_dash(c)));
        if !(next_ok && (prev_ok || next_punct)) {
            return None;
        }
        if let Some(p) = self.published {
            if let Some(d) = resolve_day_of_month(p, v as u8) {
                out.push(day_mention(self.toks[i].start, self.toks[i + 1].end, d));
            }
        }
        Some(i + 2)
    }

    // ----- numbers ----------------------------------------------------------

    fn numeric(&self, i: usize, out: &mut Vec<DateMention>) -> usize {
        let c = self.cluster(i);
        let end = c.end;
        if self.currency_before(i) {
            return end;
        }
        if c.glued {
            // only "mid-2019", "eind-2018" survive
            if c.dash_word_left && c.nums.len() == 1 {
                if let [(y, 4)] = c.nums.as_slice() {
                    if valid_year(*y, 4) && self.year_context(i, 0) {
                        let t = &self.toks[i];
                        out.push(year_mention(t.start, t.end, *y as i32));
                    }
                }
            }
            return end;
        }
        let after_ok = !self
            .toks
            .get(end)
            .is_some_and(|t| t.kind == Kind::Punct('%') || count_noun(t.lower));
        let span = |a: usize, b: usize| (self.toks[a].start, self.toks[b].end);
        match (c.nums.as_slice(), c.seps.as_slice()) {
            // ISO 2024-11-15
            ([(y, 4), (m, 2), (d, 2)], [s1, s2]) if *s1 == '-' && *s2 == '-' => {
                if let Some(dt) = date(*y as i32, *m as u8, *d as u8) {
                    let (s, e) = span(i, end - 1);
                    out.push(day_mention(s, e, dt));
                }
            }
            // 15-11-2024, 15/11/2024, 15.11.2024
            ([(a, da), (b, db), (y, 4)], [s1, s2])
                if s1 == s2
                    && matches!(s1, '-' | '/' | '.')
                    && *da <= 2
                    && *db <= 2
                    && valid_year(*y, 4) =>
            {
                let (d, m) = if self.lang == DateLang::En && *a <= 12 && *b > 12 {
                    (*b, *a)
                } else {
                    (*a, *b)
                };
                if let Some(dt) = date(*y as i32, m as u8, d as u8) {
                    let (s, e) = span(i, end - 1);
                    out.push(day_mention(s, e, dt));
                }
            }
            // 2023-2024, 2019/20
            ([(a, 4), (b, db)], [sep])
                if (is_dash(*sep) || *sep == '/') && valid_year(*a, 4) && after_ok =>
            {
                let second = match db {
                    4 => Some(*b),
                    2 => Some(*a / 100 * 100 + *b),
                    _ => None,
                };
                if let Some(b2) =
                    second.filter(|b2| valid_year(*b2, 4) && *b2 > *a && *b2 - *a <= 50)
                {
                    out.push(year_mention(
                        self.toks[i].start,
                        self.toks[i].end,
                        *a as i32,
                    ));
                    if *db == 4 {
                        let t = &self.toks[i + 2];
                        out.push(year_mention(t.start, t.end, b2 as i32));
                    }
                }
            }
            ([(y, 4)], []) if valid_year(*y, 4) && after_ok && self.year_context(i, 0) => {
                let t = &self.toks[i];
                out.push(year_mention(t.start, t.end, *y as i32));
            }
            _ => {}
        }
        end
    }

    /// Does the context make the standalone 4-digit number at `i` a year?
    fn year_context(&self, i: usize, depth: u8) -> bool {
        // "(2023)"
        if i > 0 && self.punct(i - 1) == Some('(') && matches!(self.punct(i + 1), Some(')')) {
            return true;
        }
        let Some(prev) = i.checked_sub(1) else {
            return false;
        };
        // "mid-2019", "eind-2018"
        let prev_word_idx = if self.punct(prev).is_some_and(is_dash) && !self.toks[i].gap {
            match prev.checked_sub(1) {
                Some(p) if !self.toks[prev].gap => p,
                _ => return false,
            }
        } else {
            prev
        };
        let Some(w) = self.word(prev_word_idx) else {
            return false;
        };
        if year_cue(w, self.lang) {
            // "tot 2000 euro" is caught by the count-noun check; "in 2000"
            // with a lowercase word after is still a year most of the time.
            return true;
        }
        // a month name before: "juni 2019" is handled elsewhere; "the 2016 election"
        if self.lang == DateLang::En && w == "the" {
            let next_is_lower_word = self
                .toks
                .get(i + 1)
                .is_some_and(|t| t.kind == Kind::Word && !t.cap);
            let v = match self.toks[i].kind {
                Kind::Num(v, _) => v,
                _ => 0,
            };
            return next_is_lower_word && v % 100 != 0;
        }
        // a part of a year: "in het voorjaar van 2023", "de eerste helft van 2024", "eind van
        // 2019" (English "the spring of 2023" has its cue, "of", already)
        if self.lang == DateLang::Nl
            && w == "van"
            && prev_word_idx >= 1
            && self.word(prev_word_idx - 1).is_some_and(|p| {
                matches!(
                    p,
                    "voorjaar"
                        | "najaar"
                        | "zomer"
                        | "winter"
                        | "herfst"
                        | "lente"
                        | "begin"
                        | "eind"
                        | "einde"
                        | "helft"
                        | "kwartaal"
                )
            })
        {
            return true;
        }
        // ranges: "van 2020 tot 2022", "between 2019 and 2021", "2019 en 2020"
        let range_start = match self.lang {
            DateLang::Nl => matches!(w, "van" | "tussen"),
            DateLang::En => matches!(w, "from" | "between"),
        };
        let range_mid = match self.lang {
            DateLang::Nl => matches!(w, "en" | "of" | "t/m"),
            DateLang::En => matches!(w, "and" | "or" | "to"),
        };
        if range_start {
            // the next year must follow: "van 2020 tot 2022"
            if let Some(link) = self.word(i + 1) {
                let ok = match self.lang {
                    DateLang::Nl => matches!(link, "tot" | "en" | "naar"),
                    DateLang::En => matches!(link, "to" | "and" | "until" | "through"),
                };
                return ok && self.year_at(i + 2).is_some();
            }
            return false;
        }
        if range_mid && prev_word_idx >= 1 && depth < 4 {
            // "2019 en 2020", "in 2018 and 2019": the previous number must be a year
            let k = prev_word_idx - 1;
            if self.year_at(k).is_some() {
                return self.year_context(k, depth + 1);
            }
        }
        false
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MonthCue {
    Plain,
    Past,
    Future,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use time::macros::date;

    /// The tokenizer as first written, one `char` at a time with a `String` per capitalised
    /// word: the specification the byte-wise [`tokenize`] must match.
    fn reference_tokens(text: &str) -> Vec<(usize, usize, Kind, bool, String, bool, bool)> {
        let mut toks = Vec::new();
        let mut it = text.char_indices().peekable();
        let mut gap = true;
        while let Some((start, c)) = it.next() {
            if c.is_whitespace() || c.is_control() || c == '\u{200B}' || c == '\u{FEFF}' {
                gap = true;
                continue;
            }
            if c.is_alphanumeric() {
                let mut end = start + c.len_utf8();
                let mut letters = !c.is_ascii_digit();
                let mut digits = c.is_ascii_digit();
                let mut digit_prefix_end = if digits { end } else { start };
                let mut letters_after_digits = false;
                while let Some(&(p, d)) = it.peek() {
                    if !d.is_alphanumeric() {
                        break;
                    }
                    if d.is_ascii_digit() {
                        letters_after_digits |= letters;
                        digits = true;
                        if !letters {
                            digit_prefix_end = p + d.len_utf8();
                        }
                    } else {
                        letters = true;
                    }
                    end = p + d.len_utf8();
                    it.next();
                }
                let s = &text[start..end];
                let kind = token_kind(
                    s,
                    digit_prefix_end - start,
                    (letters, digits, letters_after_digits),
                );
                let (lower, cap, all_caps) = if kind == Kind::Word {
                    let all_caps = s.chars().count() > 1 && s.chars().all(|ch| !ch.is_lowercase());
                    let lower = if s.chars().any(char::is_uppercase) {
                        s.to_lowercase()
                    } else {
                        s.to_string()
                    };
                    (lower, c.is_uppercase(), all_caps)
                } else {
                    (String::new(), false, false)
                };
                toks.push((start, end, kind, gap, lower, cap, all_caps));
            } else {
                let end = start + c.len_utf8();
                toks.push((start, end, Kind::Punct(c), gap, String::new(), false, false));
            }
            gap = false;
        }
        toks
    }

    fn tokens(text: &str) -> Vec<(usize, usize, Kind, bool, String, bool, bool)> {
        let mut lowered = String::new();
        tokenize(text, &mut lowered)
            .iter()
            .map(|t| {
                let lower = t.lower.to_string();
                (t.start, t.end, t.kind, t.gap, lower, t.cap, t.all_caps)
            })
            .collect()
    }

    /// Every month name and abbreviation and every weekday (and Dutch weekday compound) in
    /// both languages is recognised, past the quick length and first-letter tests.
    #[test]
    fn every_month_and_weekday_word_is_recognised() {
        use DateLang::{En, Nl};
        let months: [(&[&str], &[&str], &[&str]); 12] = [
            (&["januari"], &["january"], &["jan"]),
            (&["februari"], &["february"], &["feb"]),
            (&["maart", "mrt"], &["march", "mar"], &[]),
            (&["april"], &["april"], &["apr"]),
            (&["mei"], &["may"], &[]),
            (&["juni"], &["june"], &["jun"]),
            (&["juli"], &["july"], &["jul"]),
            (&["augustus"], &["august"], &["aug"]),
            (&["september"], &["september"], &["sep", "sept"]),
            (&["oktober", "okt"], &["october", "oct"], &[]),
            (&["november"], &["november"], &["nov"]),
            (&["december"], &["december"], &["dec"]),
        ];
        for (m, (nl, en, both)) in months.iter().enumerate() {
            let m = m as u8 + 1;
            for w in nl.iter().chain(*both) {
                assert_eq!(month_word(w, Nl).map(|x| x.0), Some(m), "{w}");
            }
            for w in en.iter().chain(*both) {
                assert_eq!(month_word(w, En).map(|x| x.0), Some(m), "{w}");
            }
        }
        let nl = [
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "zaterdag",
            "zondag",
        ];
        let en = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        for d in 0..7u8 {
            let want = Some(weekday_from_monday(d));
            assert_eq!(weekday_word(nl[d as usize], Nl), want, "{}", nl[d as usize]);
            assert_eq!(weekday_word(en[d as usize], En), want, "{}", en[d as usize]);
            let compound = format!("{}avond", nl[d as usize]);
            assert_eq!(weekday_word(&compound, Nl), want, "{compound}");
        }
        for w in [
            "de",
            "het",
            "maandelijks",
            "junior",
            "decor",
            "sepsis",
            "vrijdags",
            "zonder",
        ] {
            assert_eq!(
                (month_word(w, Nl), weekday_word(w, Nl)),
                (None, None),
                "{w}"
            );
        }
    }

    #[test]
    fn tokenizer_matches_its_reference_on_news_and_random_text() {
        let news = [
            "Op vrijdag 15 november 2024 sprak premier Shigeru Ishiba (67) in LIMA – met de VS.",
            "ÉÉN OEKRAÏENSE minister, 3e keer; the 21st of MAY 2023, 1a1 a1 10:30 u. 12,5%",
            "ＡＢＣ ½ 2² ΣΊΣΥΦΟΣ İstanbul ǅemal ﬁnale 'ſ \u{200B}x\u{FEFF}y \u{7}z",
        ];
        for text in news {
            assert_eq!(tokens(text), reference_tokens(text), "{text}");
        }
        // random strings over a small alphabet of every kind of character
        let alphabet: Vec<char> =
            "aZ09 .,-–'’\n\t\u{1}\u{7F}\u{85}\u{A0}ÉéİıΣσς²½ＡＢ\u{200B}\u{301}ǅﬁ%/:"
                .chars()
                .collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..3000 {
            let mut text = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for k in 0..(x % 24) {
                let r = (x >> (k % 48)).wrapping_mul(0x2545_F491_4F6C_DD1D);
                text.push(alphabet[(r >> 40) as usize % alphabet.len()]);
            }
            assert_eq!(tokens(&text), reference_tokens(&text), "{text:?}");
        }
    }

    fn isos(text: &str, published: Date, lang: DateLang) -> Vec<String> {
        extract_dates(text, Some(published), lang)
            .iter()
            .map(DateMention::iso)
            .collect()
    }

    fn nl(text: &str, published: Date) -> Vec<String> {
        isos(text, published, DateLang::Nl)
    }

    fn en(text: &str, published: Date) -> Vec<String> {
        isos(text, published, DateLang::En)
    }

    fn spans(text: &str, published: Date, lang: DateLang) -> Vec<&str> {
        extract_dates(text, Some(published), lang)
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect()
    }

    // ----- the seed article (published Friday 2024-11-15) -------------------

    /// Paragraphs of seed article 000_05427ea14c8b4e57 with the gold dates
    /// (required, optional).
    const SEED: &[(&str, &[&str], &[&str])] = &[
        ("LIMA – President Joe Biden prees vrijdag de samenwerking tussen Zuid-Korea, Japan en de VS bij het tegengaan van wat hij omschreef als de ‘gevaarlijke en destabiliserende samenwerking van Noord-Korea met Rusland’.", &["2024-11-15"], &[]),
        ("Biden sprak aan het begin van een ontmoeting in Peru met de Zuid-Koreaanse president Yoon Suk Yeol en de Japanse premier Shigeru Ishiba aan de zijlijn van de top van de Azië-Pacific Economische Samenwerking.", &[], &[]),
        ("Biden merkte op dat het zijn laatste ontmoeting met hen zou zijn, maar dat het trilaterale partnerschap nog jaren behouden moet blijven.", &[], &[]),
        ("“Ik ben trots op hoe ver we zijn gekomen”, zei Biden. “Wat het probleem ook is, we hebben het samen aangepakt.”", &[], &[]),
        ("Het komt op het moment dat Noord-Korea duizenden troepen naar Rusland heeft gestuurd om Moskou te helpen bij het terugwinnen van land in het Koersk-grensgebied dat Oekraïne eerder dit jaar in beslag nam.", &["2024"], &[]),
        ("Een driedaagse oefening in juni was gericht op het verbeteren van de gezamenlijke ballistische raketverdediging, onderzeebootbestrijding, surveillance en andere vaardigheden en capaciteiten en om de drie landen te helpen hun vermogen te verbeteren om raketwaarschuwingen te delen – steeds belangrijker naarmate Noord-Korea steeds meer tests uitvoert. geavanceerde systemen.", &["2024-06"], &[]),
        ("De Noord-Koreaanse leider Kim Jong-un heeft in de aanloop naar de Amerikaanse verkiezingen van deze maand opdracht gegeven tot een reeks tests met ballistische raketten en beweert dat er vooruitgang is geboekt bij de inspanningen om capaciteit op te bouwen om het Amerikaanse vasteland aan te vallen.", &["2024-11"], &[]),
        ("Ambtenaren van het Witte Huis zijn bezorgd dat Pyongyang zou kunnen worden opgeroepen voor meer provocerende actie in de aanloop naar de inauguratie van de nieuwgekozen president Donald Trump en de begindagen van zijn regering.", &[], &[]),
        ("Biden had ook een één-op-één ontmoeting met Ishiba – hun eerste persoonlijke ontmoeting sinds de Japanse premier op 1 oktober aantrad – voorafgaand aan de drielandenbijeenkomst gericht op de betrekkingen tussen Noord-Korea en Rusland.", &["2024-10-01"], &[]),
        ("Volgens Amerikaanse, Zuid-Koreaanse en Oekraïense schattingen zijn er tot 12.000 Noord-Koreaanse troepen naar Rusland gestuurd.", &[], &[]),
        ("De gesprekken tussen de VS, Zuid-Korea en Japan zijn een vervolg op een partnerschap dat werd gelanceerd tijdens een historische bijeenkomst in 2023 tijdens de Amerikaanse presidentiële retraite in Camp David, Maryland.", &["2023"], &[]),
        ("Biden spoorde Japan en Zuid-Korea aan om jaren van historische vijandigheid opzij te zetten en de economische en veiligheidsbanden te versterken nu zij het hoofd bieden aan de dreiging van Noord-Korea en de toenemende militaire assertiviteit van China in de Stille Oceaan.", &[], &[]),
        ("Slechts enkele uren voor de verkiezingsdag in de VS vuurde Noord-Korea een spervuur van ballistische korteafstandsraketten af in zee.", &[], &[]),
        ("Die lanceringen kwamen dagen nadat Kim toezicht hield op een testvlucht van de nieuwste intercontinentale ballistische raket van het land, ontworpen om het Amerikaanse vasteland te kunnen bereiken. Als reactie hierop vlogen de Verenigde Staten zondag een langeafstands B-1B-bommenwerper in een trilaterale oefening met Zuid-Korea en Japan, als machtsvertoon.", &[], &["2024-11-10"]),
        ("Santana berichtte vanuit Washington.", &[], &[]),
    ];

    #[test]
    fn seed_article_matches_gold() {
        let published = date!(2024 - 11 - 15);
        for (text, required, optional) in SEED {
            let got: BTreeSet<String> = nl(text, published).into_iter().collect();
            let required: BTreeSet<String> = required.iter().map(|s| s.to_string()).collect();
            assert!(
                required.is_subset(&got),
                "missing dates in {text:?}: got {got:?}, want {required:?}"
            );
            for g in &got {
                assert!(
                    required.contains(g) || optional.contains(&g.as_str()),
                    "unexpected date {g} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn seed_spans() {
        let p = date!(2024 - 11 - 15);
        assert_eq!(
            spans(
                "dat Oekraïne eerder dit jaar in beslag nam.",
                p,
                DateLang::Nl
            ),
            ["eerder dit jaar"]
        );
        assert_eq!(
            spans(
                "sinds de Japanse premier op 1 oktober aantrad",
                p,
                DateLang::Nl
            ),
            ["1 oktober"]
        );
    }

    // ----- absolute dates ----------------------------------------------------

    #[test]
    fn day_month_year() {
        let p = date!(2024 - 11 - 15);
        assert_eq!(
            nl("Het gebeurde op 15 november 2024 in Lima.", p),
            ["2024-11-15"]
        );
        assert_eq!(
            en("It happened on November 15, 2024 in Lima.", p),
            ["2024-11-15"]
        );
        assert_eq!(en("It happened on 15 November 2024.", p), ["2024-11-15"]);
        // wikinews 2020-12-14
        let p = date!(2020 - 12 - 14);
        assert_eq!(
            en("CentOS 8's End of Life (EOL) has been moved up from May 2029 to December 31, 2021, while CentOS 7 is", p),
            ["2029-05", "2021-12-31"]
        );
        // dpgmedia 2019-04-10
        let p = date!(2019 - 04 - 10);
        assert_eq!(
            nl(
                "in de nacht van 12 op 13 juli 2014 zijn blauwe Fiat Punto achter zijn huis",
                p
            ),
            ["2014-07-13"]
        );
    }

    #[test]
    fn month_year() {
        // dpgmedia 2019-03-30
        let p = date!(2019 - 03 - 30);
        assert_eq!(
            nl("vanwege hun aandeel in een stevige vechtpartij van april 2018 bij restaurant Polpo in Praag", p),
            ["2018-04"]
        );
        // dpgmedia 2019-03-05
        assert_eq!(
            nl("schreef hij het verkiezingsprogramma voor de verkiezingen van de Tweede Kamer in maart 2017.", p),
            ["2017-03"]
        );
        let p = date!(2020 - 06 - 30);
        assert_eq!(
            en(
                "Started in October 2010, Minetest was an attempt by Ahola",
                p
            ),
            ["2010-10"]
        );
        assert_eq!(en("the arrest in May, 2018 identified him", p), ["2018-05"]);
    }

    #[test]
    fn year_less_day_month() {
        let p = date!(2024 - 11 - 15);
        assert_eq!(nl("op 1 oktober", p), ["2024-10-01"]);
        // next occurrence when the past one is far back
        assert_eq!(nl("de top begint op 1 december", p), ["2024-12-01"]);
        // dpgmedia 2019-03-21: a concert announced three months ahead
        let p = date!(2019 - 03 - 21);
        assert_eq!(
            nl("Boys don't cry', staat op 9 juni in Landgraaf.", p),
            ["2019-06-09"]
        );
        // dpgmedia 2019-04-01: a letter referred to by date
        let p = date!(2019 - 04 - 01);
        assert_eq!(
            nl("Verschillende schrijvers (bijvoorbeeld in Brieven, 29 maart) noemen studenten de klanten", p),
            ["2019-03-29"]
        );
        // wikinews 2019-08-29
        let p = date!(2019 - 08 - 29);
        assert_eq!(
            en(
                "\"We're not going to wait until Oct. 31 before getting on with our plans",
                p
            ),
            ["2019-10-31"]
        );
        // wikinews 2019-06-28
        let p = date!(2019 - 06 - 28);
        assert_eq!(
            en(
                "struck a group of motorcycles on the night of June 21 and",
                p
            ),
            ["2019-06-21"]
        );
        // wikinews 2020-03-08
        let p = date!(2020 - 03 - 08);
        assert_eq!(
            en(
                "And from 1st of March to 10th of March we have to celebrate",
                p
            ),
            ["2020-03-01", "2020-03-10"]
        );
        assert_eq!(
            en("The vote is on the 15th of November.", p),
            ["2019-11-15"]
        );
        assert_eq!(en("It is due on November 15th.", p), ["2019-11-15"]);
    }

    #[test]
    fn day_month_with_relative_year() {
        // wikinews 2020-01-10
        let p = date!(2020 - 01 - 10);
        assert_eq!(
            en(
                "in the trilateral meeting of EastMed countries on March 20 last year.",
                p
            ),
            ["2019-03-20"]
        );
        // dpgmedia 2019-04-03
        let p = date!(2019 - 04 - 03);
        assert_eq!(
            nl(
                "het vliegtuig van Lion Air dat op 29 oktober vorig jaar in de Javazee stortte",
                p
            ),
            ["2018-10-29"]
        );
        // wikinews 2019-12-14
        let p = date!(2019 - 12 - 14);
        assert_eq!(
            spans(
                "ever held to date, on September 20 of this year. An estimated",
                p,
                DateLang::En
            ),
            ["September 20 of this year"]
        );
    }

    #[test]
    fn bare_months() {
        let p = date!(2024 - 11 - 15);
        assert_eq!(
            nl("Een driedaagse oefening in juni was gericht op", p),
            ["2024-06"]
        );
        assert_eq!(
            en("A three-day exercise in June was aimed at", p),
            ["2024-06"]
        );
        assert_eq!(nl("De top is in december.", p), ["2024-12"]);
        assert_eq!(nl("De wet gaat in januari in.", p), ["2025-01"]);
        // dpgmedia 2019-03-04: upcoming elections
        let p = date!(2019 - 03 - 04);
        assert_eq!(
            nl("rekent erop bij de Europese verkiezingen in mei de Hongaarse oppositiepartijen weg te vagen", p),
            ["2019-05"]
        );
        assert_eq!(
            nl(
                "omdat hij in september vorig jaar een man neerstak in een supermarkt",
                p
            ),
            ["2018-09"]
        );
        // dpgmedia 2019-03-07
        let p = date!(2019 - 03 - 07);
        assert_eq!(
            spans("Ticketmaster zelf kondigde vorig jaar augustus het einde van de website Seatwave aan.", p, DateLang::Nl),
            ["vorig jaar augustus"]
        );
        assert_eq!(
            nl(
                "Ticketmaster zelf kondigde vorig jaar augustus het einde van de website aan.",
                p
            ),
            ["2018-08"]
        );
        // wikinews 2019-09-29
        let p = date!(2019 - 09 - 29);
        assert_eq!(
            en(
                "Khashoggi was murdered last October in the Saudi consulate in Istanbul",
                p
            ),
            ["2018-10"]
        );
        // wikinews 2019-02-02
        let p = date!(2019 - 02 - 02);
        assert_eq!(
            en(
                "The decision is pending and expected in June of this year.",
                p
            ),
            ["2019-06"]
        );
        // wikinews 2020-01-17
        let p = date!(2020 - 01 - 17);
        assert_eq!(
            en(
                "has said the earthquakes may continue into early February.",
                p
            ),
            ["2020-02"]
        );
    }

    #[test]
    fn english_may_and_march() {
        let p = date!(2019 - 10 - 04);
        assert!(en("the surrounding circumstances may be required.", p).is_empty());
        assert!(en("May I ask a question?", p).is_empty());
        assert!(en("They march on Washington.", p).is_empty());
        assert!(en("The March on Washington was huge.", p).is_empty());
        // wikinews 2019-10-04
        assert_eq!(
            en("Dr. Joel Smithers was found guilty in May on 859 counts", p),
            ["2019-05"]
        );
        assert_eq!(en("He left on May 3, 2018.", p), ["2018-05-03"]);
        assert_eq!(en("He left in May 2018.", p), ["2018-05"]);
        assert_eq!(en("by mid-May", p), ["2019-05"]);
    }

    #[test]
    fn numeric_dates() {
        let p = date!(2024 - 11 - 15);
        assert_eq!(nl("Datum: 2024-11-15.", p), ["2024-11-15"]);
        assert_eq!(nl("Datum: 15-11-2024.", p), ["2024-11-15"]);
        assert_eq!(nl("Datum: 15/11/2024.", p), ["2024-11-15"]);
        assert_eq!(nl("Datum: 5.11.2024", p), ["2024-11-05"]);
        // Dutch is always day-first; 11/15 is not a valid day-month
        assert!(nl("Datum: 11/15/2024.", p).is_empty());
        // English: US order when the second number shows it
        assert_eq!(en("Date: 11/15/2024.", p), ["2024-11-15"]);
        assert_eq!(en("Date: 15/11/2024.", p), ["2024-11-15"]);
        // ambiguous: day-first
        assert_eq!(en("Date: 03/04/2024.", p), ["2024-04-03"]);
        assert!(nl("Datum: 2024-13-45.", p).is_empty());
    }

    // ----- years ---------------------------------------------------------------

    #[test]
    fn years_with_cues() {
        let p = date!(2019 - 04 - 10);
        // dpgmedia
        assert_eq!(
            nl(
                "Beide banken kregen in 1994 een Nederlandse bankvergunning",
                p
            ),
            ["1994"]
        );
        assert_eq!(
            nl(
                "Het mazelenvaccin maakt sinds 1976 deel uit van het programma",
                p
            ),
            ["1976"]
        );
        assert_eq!(
            nl("Avonturiers die zich vanaf 2031 op Mars willen vestigen", p),
            ["2031"]
        );
        assert_eq!(
            nl(
                "die gisteren zijn contract verlengde tot medio 2022, mist nu",
                p
            ),
            ["2019-04-09", "2022"]
        );
        assert_eq!(
            nl("Hij schreef hierover het boek Fokking Druk (2018).", p),
            ["2018"]
        );
        assert_eq!(nl("Sinds het jaar 2004 geldt een limiet", p), ["2004"]);
        assert_eq!(
            nl(
                "toediende aan spelers actief tussen 1994 en 1998 - een periode",
                p
            ),
            ["1994", "1998"]
        );
        assert_eq!(
            nl(
                "studeerde journalistiek in Utrecht, van 2004 tot 2008 schreef ze",
                p
            ),
            ["2004", "2008"]
        );
        assert_eq!(
            nl("In de periode 2014-2018 kregen 1596 zelfstandigen", p),
            ["2014", "2018"]
        );
        assert_eq!(
            nl("in het schooljaar 2023/2024 een tekort", p),
            ["2023", "2024"]
        );
        assert_eq!(nl("(1986–1989)", p), ["1986", "1989"]);
        assert_eq!(nl("een crash eind-2018", p), ["2018"]);
        // wikinews
        assert_eq!(
            en(
                "Kokesh ran for US Congress as a Republican in 2010 in New Mexico",
                p
            ),
            ["2010"]
        );
        assert_eq!(
            en("Chirac was mayor of Paris from 1977 to 1995.", p),
            ["1977", "1995"]
        );
        assert_eq!(
            en("The 1973 building was home to over 1,000 people;", p),
            ["1973"]
        );
        assert_eq!(en("the 2016 presidential election", p), ["2016"]);
        assert_eq!(
            en(
                "Capp was elected as an interim Lord Mayor in mid-2018 after",
                p
            ),
            ["2018"]
        );
        assert_eq!(en("a world city by 2030.", p), ["2030"]);
    }

    #[test]
    fn numbers_that_are_not_years() {
        let p = date!(2024 - 11 - 15);
        for text in [
            "zijn er tot 12.000 Noord-Koreaanse troepen naar Rusland gestuurd.",
            "Er kwamen 2023 mensen.",
            "Het kost €2023.",
            "Het kost € 2019 per maand.",
            "Een groei van 2,023 procent.",
            "Een groei van 3.5 procent.",
            "Om 10.30 uur begint het.",
            "Bel 020-5551234 of 06-12345678.",
            "een langeafstands B-1B-bommenwerper",
            "Hij werd de 1e van de klas.",
            "Een één-op-één ontmoeting.",
            "Het meisje ging naar de maartse buien kijken.",
            "tot 2000 mensen",
            "in 2019 procent",
            "De score was 2019 tegen 2020.",
            "Flight 2019 landed.",
            "COVID-19 en F-16",
            "2019",
            "in 1899 en in 2101",
        ] {
            assert!(nl(text, p).is_empty(), "{text:?} gave {:?}", nl(text, p));
        }
        for text in [
            "up to 2000 people",
            "at a cost of $2019",
            "the 2000 people",
            "the 21st century",
            "the 3rd Battalion",
            "He may be right.",
        ] {
            assert!(en(text, p).is_empty(), "{text:?} gave {:?}", en(text, p));
        }
    }

    // ----- weekdays -----------------------------------------------------------

    #[test]
    fn weekdays_dutch() {
        // Friday 2024-11-15: a bare weekday includes the publication day
        let p = date!(2024 - 11 - 15);
        assert_eq!(nl("Biden prees vrijdag de samenwerking", p), ["2024-11-15"]);
        assert_eq!(nl("Op vrijdag sprak hij", p), ["2024-11-15"]);
        assert_eq!(
            nl("De VS vlogen zondag een bommenwerper", p),
            ["2024-11-10"]
        );
        assert_eq!(nl("afgelopen vrijdag", p), ["2024-11-08"]);
        assert_eq!(nl("vorige week vrijdag", p), ["2024-11-08"]);
        assert_eq!(nl("vorige week maandag", p), ["2024-11-04"]);
        assert_eq!(nl("volgende week dinsdag", p), ["2024-11-19"]);
        assert_eq!(nl("komende zondag", p), ["2024-11-17"]);
        assert_eq!(nl("komende vrijdag", p), ["2024-11-22"]);
        // dpgmedia 2019-02-12 (Tuesday)
        let p = date!(2019 - 02 - 12);
        assert_eq!(
            nl("Dat concludeert socioloog Niels Blom in zijn proefschrift, dat hij afgelopen vrijdag verdedigde aan de Radboud Universiteit.", p),
            ["2019-02-08"]
        );
        // dpgmedia 2019-03-19 (Tuesday)
        let p = date!(2019 - 03 - 19);
        assert_eq!(
            nl("is de haven al sinds vorige week woensdag gesloten. Hij hoopt dat de haven vanaf vandaag weer open is.", p),
            ["2019-03-13", "2019-03-19"]
        );
        // dpgmedia 2019-04-02 (Tuesday)
        let p = date!(2019 - 04 - 02);
        assert_eq!(
            nl("Sam Oomen is aangewezen als kopman voor de Ronde van Baskenland die volgende week maandag begint.", p),
            ["2019-04-08"]
        );
        assert_eq!(
            nl("Vitesse-PSV is komende zondag op papier lastig", p),
            ["2019-04-07"]
        );
        // dpgmedia 2019-03-20 (Wednesday)
        let p = date!(2019 - 03 - 20);
        assert_eq!(
            nl("Rotterdam-Feijenoord is in de nacht van zaterdag op zondag beschoten met een vuurwapen.", p),
            ["2019-03-16", "2019-03-17"]
        );
        // dpgmedia 2019-04-04 (Thursday): compound
        let p = date!(2019 - 04 - 04);
        assert_eq!(
            nl(
                "om de impasse te doorbreken is woensdagavond in een impasse geëindigd.",
                p
            ),
            ["2019-04-03"]
        );
        // a future auxiliary makes a bare weekday upcoming (dpgmedia 2019-03-27, Wednesday)
        let p = date!(2019 - 03 - 27);
        assert_eq!(
            nl("Daar zal dan waarschijnlijk op maandag nog een finale stemmingsronde over worden gehouden.", p),
            ["2019-04-01"]
        );
        // habitual / indefinite: no date
        assert!(nl("Elke vrijdag is er markt. Het was een zondag.", p).is_empty());
        assert!(nl("Zaterdags en vrijdagen is het druk.", p).is_empty());
    }

    #[test]
    fn weekdays_english() {
        // wikinews 2019-01-04 (Friday)
        let p = date!(2019 - 01 - 04);
        assert_eq!(
            en("An apartment building collapsed on Monday in Magnitogorsk, a city in the Ural region of Russia.", p),
            ["2018-12-31"]
        );
        assert_eq!(
            en(
                "Search and rescue was suspended on Tuesday, with Zinichev describing",
                p
            ),
            ["2019-01-01"]
        );
        assert_eq!(en("last Friday", p), ["2018-12-28"]);
        assert_eq!(en("next Tuesday", p), ["2019-01-08"]);
        assert_eq!(en("On Friday, researchers said", p), ["2019-01-04"]);
        assert!(en(
            "Super Tuesday is to include 14 states; the Sunday Times said",
            p
        )
        .is_empty());
        // wikinews 2020-02-27 (Thursday): the end of a range follows its start
        let p2 = date!(2020 - 02 - 27);
        assert_eq!(
            en(
                "three days of national mourning, Wednesday through Friday.",
                p2
            ),
            ["2020-02-26", "2020-02-28"]
        );
        assert_eq!(en("The vote will be held on Tuesday.", p), ["2019-01-08"]);
        // a weekday in front of a full date adds nothing
        assert_eq!(
            spans("Friday, November 15, 2024 was busy", p, DateLang::En),
            ["November 15, 2024"]
        );
        assert_eq!(
            spans("De opening is op vrijdag 19 april.", p, DateLang::Nl),
            ["19 april"]
        );
    }

    // ----- relative expressions -------------------------------------------------

    #[test]
    fn holidays() {
        // dpgmedia2019, published 2019-03-07 .. 2019-04-10
        let p = date!(2019 - 03 - 07);
        assert_eq!(
            nl(
                "Die kentering hangt samen met het concept-Klimaatakkoord dat vlak voor Kerstmis is gepresenteerd.",
                p
            ),
            ["2018-12-25"]
        );
        assert_eq!(
            nl("Met Kerst waren ze daar voor het laatst.", p),
            ["2018-12-25"]
        );
        assert_eq!(
            nl("De boa's leggen hun werk ook neer op Koningsdag.", p),
            ["2019-04-27"]
        );
        assert_eq!(
            nl(
                "Met Pinksteren mag er weer een levende haan in een mandje.",
                p
            ),
            ["2019-06-09"]
        );
        assert_eq!(nl("In de Stille Week voor Pasen.", p), ["2019-04-21"]);
        assert_eq!(
            nl("Goede Vrijdag en tweede paasdag", p),
            ["2019-04-19", "2019-04-22"]
        );
        assert_eq!(
            nl("Op oudejaarsavond en op nieuwjaarsdag", p),
            ["2018-12-31", "2019-01-01"]
        );
        assert_eq!(nl("dan op Prinsjesdag werd verwacht", p), ["2018-09-18"]);
        assert_eq!(
            nl("eerste kerstdag, Hemelvaartsdag", p),
            ["2018-12-25", "2019-05-30"]
        );
        // a year after or just before it; a modifier before it
        assert_eq!(nl("Het is oudejaarsdag 2017.", p), ["2017-12-31"]);
        assert_eq!(
            nl(
                "werd Sylvia R. vlak voor kerst vorig jaar in de cel gezet",
                p
            ),
            ["2018-12-25"]
        );
        assert_eq!(
            nl("Khomeini gaf zijn moordbevel in 1989, op Valentijnsdag.", p),
            ["1989", "1989-02-14"]
        );
        assert_eq!(nl("Pasen van 2016", p), ["2016-03-27"]);
        assert_eq!(
            nl("afgelopen Kerstmis en komende Pasen", p),
            ["2018-12-25", "2019-04-21"]
        );
        assert_eq!(nl("Volgende kerst zal het anders zijn.", p), ["2019-12-25"]);
        // no particular day
        assert!(nl("Elke kerst weer, iedere Pasen.", p).is_empty());
        assert!(nl("De kerstboom en het paasweekend, een kerst-editie.", p).is_empty());
        // Koningsdag moves to the 26th when the 27th is a Sunday
        assert_eq!(nl("op Koningsdag", date!(2025 - 04 - 01)), ["2025-04-26"]);
        // Koninginnedag: 1 May when 30 April is a Sunday (2006); 31 August before 1949
        assert_eq!(
            nl("op Koninginnedag", date!(2006 - 04 - 01)),
            ["2006-05-01"]
        );
        assert_eq!(
            nl("op Koninginnedag", date!(2005 - 04 - 01)),
            ["2005-04-30"]
        );
        assert_eq!(nl("Koninginnedag 1938", p), ["1938-08-31"]);
        // Reuters-21578 and Wikinews
        let p = date!(1987 - 03 - 05);
        assert_eq!(
            en(
                "The leadership would begin drafting a bailout bill by Easter.",
                p
            ),
            ["1987-04-19"]
        );
        assert_eq!(
            en("Damaging strikes over Christmas and the New Year.", p),
            ["1986-12-25"]
        );
        assert_eq!(
            en("hospitalized since Christmas Eve, his family said", p),
            ["1986-12-24"]
        );
        assert_eq!(
            en("New Year's Day, Good Friday and Easter Monday", p),
            ["1987-01-01", "1987-04-17", "1987-04-20"]
        );
        assert_eq!(
            en("Thanksgiving 1986 and Black Friday", p),
            ["1986-11-27", "1986-11-28"]
        );
        assert_eq!(
            en("sales rose before Christmas shopping began", p),
            ["1986-12-25"]
        );
        assert_eq!(
            en("new products will be on the shelves for Christmas", p),
            ["1987-12-25"]
        );
        // a modifier, an island, a compound, every year
        for text in [
            "It said a major factor was the absence of Easter sales.",
            "the large statues of Rapa Nui, also called Easter Island",
            "The Christmas season was weak, as every Christmas.",
            "Halloween-themed, the event was focused on equipment.",
            "the CME board amended the contract to eliminate Christmas Eve expirations",
            "The Good Friday Agreement ended the Troubles.",
        ] {
            assert!(en(text, p).is_empty(), "{text}: {:?}", en(text, p));
        }
        // ... but the holiday itself: its holiday, weekend or recess (Reuters 1987)
        for (text, day) in [
            (
                "There will be no auction this week because of the Easter holiday.",
                "1987-04-19",
            ),
            ("Congress returned from its Easter recess.", "1987-04-19"),
            (
                "Trading closes early because of the Good Friday holiday.",
                "1987-04-17",
            ),
        ] {
            assert_eq!(en(text, p), [day], "{text}");
        }
        assert_eq!(
            nl("Met Pasen 2000 mensen op het strand.", p),
            ["1987-04-19"]
        );
        // every phrase of the table is found
        let p = date!(2019 - 03 - 07);
        for (lang, words, h) in HOLIDAYS {
            let phrase = words.join(" ").replace(" ' ", "'");
            let text = format!("Dat was op {phrase}.");
            let want = resolve_holiday(p, *h, 0).map(|d| d.to_string());
            assert_eq!(
                isos(&text, p, *lang),
                want.into_iter().collect::<Vec<_>>(),
                "{text}"
            );
        }
        // Easter Sunday over four centuries (computus)
        for (y, m, d) in [
            (1987, 4, 19),
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2038, 4, 25),
            (1818, 3, 22),
        ] {
            assert_eq!(easter(y), date(y, m, d), "{y}");
        }
    }

    #[test]
    fn counted_periods_ago() {
        // dpgmedia2019 and Reuters-21578 sentences
        let p = date!(2019 - 03 - 30);
        assert_eq!(
            nl(
                "Het bronzen paard werd twee weken geleden gestolen van het schoolplein.",
                p
            ),
            ["2019-03"]
        );
        assert_eq!(
            nl("Twee jaar geleden reed Janie al eens met een granaat.", p),
            ["2017"]
        );
        assert_eq!(
            nl("Drie dagen geleden volgde zijn staatssecretaris.", p),
            ["2019-03-27"]
        );
        assert_eq!(nl("Een maand geleden nog niet.", p), ["2019-02"]);
        assert_eq!(
            nl("Vier maanden geleden, in november.", p),
            ["2018-11", "2018-11"]
        );
        assert_eq!(nl("Dat is 25 jaar geleden.", p), ["1994"]);
        assert_eq!(nl("Lang geleden, jaren geleden.", p), Vec::<String>::new());
        let p = date!(1987 - 03 - 23);
        assert_eq!(
            en(
                "The U.S. State Department said two days ago Tehran had been told.",
                p
            ),
            ["1987-03-21"]
        );
        assert_eq!(en("when he took control six months ago.", p), ["1986-09"]);
        assert_eq!(
            en(
                "an IMF program for Brazil, adopted four years ago, caused a recession",
                p
            ),
            ["1983"]
        );
        assert_eq!(en("1.91 dlrs a share a year ago.", p), ["1986"]);
        // weeks: the month of that day (here the month before)
        assert_eq!(en("They met three weeks ago.", p), ["1987-03"]);
        assert_eq!(en("They met four weeks ago.", p), ["1987-02"]);
        // no count, a glued count, the other language's word: nothing
        assert_eq!(
            en("Years ago, long ago, weeks ago.", p),
            Vec::<String>::new()
        );
        assert_eq!(en("2-3 years ago", p), Vec::<String>::new());
        assert_eq!(nl("two years ago", p), Vec::<String>::new());
    }

    #[test]
    fn a_part_of_a_year_and_a_weekday_of_another_week() {
        // dpgmedia2019, Reuters-21578
        let p = date!(2019 - 03 - 30);
        assert_eq!(
            nl("Maar in het voorjaar van 2009 kan de Russische ...", p),
            ["2009"]
        );
        assert_eq!(nl("sinds de zomer van 2017 werd voorbereid", p), ["2017"]);
        assert_eq!(
            nl("Erken voorziet in de tweede helft van 2020 een recessie", p),
            ["2020"]
        );
        assert_eq!(nl("een stijging van 2020 euro", p), Vec::<String>::new());
        let p = date!(1987 - 06 - 17);
        assert_eq!(
            en("On Tuesday last week, Reagan said he would", p),
            ["1987-06-09"]
        );
        assert_eq!(en("creditors on Tuesday next week", p), ["1987-06-23"]);
        // both of two weekdays take the week after them
        assert_eq!(
            en("The talks resume Monday or Tuesday next week, he said.", p),
            ["1987-06-22", "1987-06-23"]
        );
        assert_eq!(
            nl("maandag en dinsdag vorige week", p),
            ["1987-06-08", "1987-06-09"]
        );
        assert_eq!(
            spans("maandag en dinsdag vorige week", p, DateLang::Nl),
            ["maandag", "dinsdag vorige week"]
        );
        let p = date!(2024 - 11 - 15);
        assert_eq!(
            nl(
                "Dinsdag vorige week viel het kabinet. Woensdag volgende week stemt de Kamer.",
                p
            ),
            ["2024-11-05", "2024-11-20"]
        );
        assert_eq!(
            spans("Dinsdag vorige week viel", p, DateLang::Nl),
            ["Dinsdag vorige week"]
        );
    }

    #[test]
    fn two_days_of_one_month() {
        // dpgmedia2019: "van 15 tot 18 maart", "(23-26 mei)"
        let p = date!(2019 - 03 - 08);
        assert_eq!(
            nl(
                "van 15 tot 18 maart om knooppunt Buren, van 12 tot 15 april en van 24 tot 27 mei",
                p
            ),
            [
                "2019-03-15",
                "2019-03-18",
                "2019-04-12",
                "2019-04-15",
                "2019-05-24",
                "2019-05-27"
            ]
        );
        assert_eq!(
            nl(
                "Eén maand voor de verkiezingen (23-26 mei) treedt de radiostilte in.",
                p
            ),
            ["2019-05-23", "2019-05-26"]
        );
        assert_eq!(
            spans("de verkiezingen (23-26 mei)", p, DateLang::Nl),
            ["23", "26 mei"]
        );
        assert_eq!(
            nl("De top is van 10 tot en met 12 juni.", p),
            ["2019-06-10", "2019-06-12"]
        );
        assert_eq!(
            nl("De top is 10 t/m 12 juni 2020.", p),
            ["2020-06-10", "2020-06-12"]
        );
        assert_eq!(
            nl("Op 3 en 4 maart vergaderde de raad.", p),
            ["2019-03-03", "2019-03-04"]
        );
        assert_eq!(
            en(
                "The summit was held from 10 to 12 June.",
                date!(2024 - 11 - 15)
            ),
            ["2024-06-10", "2024-06-12"]
        );
        assert_eq!(
            en("between 1 and 3 March 1987", p),
            ["1987-03-01", "1987-03-03"]
        );
        // month first (Wikinews, Reuters-21578)
        let p = date!(1987 - 03 - 04);
        assert_eq!(
            en(
                "for May 15-30 shipment if via the Gulf, or June 1-15 via Pacific northwest",
                p
            ),
            ["1987-05-15", "1987-05-30", "1987-06-01", "1987-06-15"]
        );
        assert_eq!(
            en("car sales for February 21 through 28 were off 8.6 pct", p),
            ["1987-02-21", "1987-02-28"]
        );
        assert_eq!(
            en(
                "it sold 110,000 Cyclops common shares on Feb 17 and 19 for 10.0 mln dlrs.",
                p
            ),
            ["1987-02-17", "1987-02-19"]
        );
        assert_eq!(
            spans("on Feb 17 and 19 for", p, DateLang::En),
            ["Feb 17", "19"]
        );
        assert_eq!(
            en(
                "the research ship sailed from July 13 to 17 of last year",
                date!(2019 - 05 - 01)
            ),
            ["2018-07-13", "2018-07-17"]
        );
        assert_eq!(
            en(
                "on the last weekend of July — July 27–28 — in Mesquite, Texas",
                date!(2019 - 08 - 02)
            ),
            ["2019-07", "2019-07-27", "2019-07-28"]
        );
        assert_eq!(en("June 10-12, 2025", p), ["2025-06-10", "2025-06-12"]);
        // not a range (no day is read): the first number is not smaller, no month follows,
        // or the numbers are glued to more
        for text in [
            "Ajax won met 3-1 maart",
            "Hij kreeg 10 tot 12 jaar cel.",
            "Versie 1.10-12 maart",
            "Het kost €10-12 maart",
            "het type B-10-12 maart",
        ] {
            let days: Vec<String> = nl(text, p).into_iter().filter(|d| d.len() == 10).collect();
            assert!(days.is_empty(), "{text}: {days:?}");
        }
    }

    #[test]
    fn relative_days() {
        let p = date!(2019 - 03 - 30);
        assert_eq!(
            nl(
                "'De kranten van vandaag en gisteren laten wederom geen evenwicht zien",
                p
            ),
            ["2019-03-30", "2019-03-29"]
        );
        assert_eq!(
            nl("na de antibrexitmars van eergisteren in Londen", p),
            ["2019-03-28"]
        );
        assert_eq!(
            nl(
                "Amsterdamse handhavers gaan vanaf morgen weer actievoeren.",
                p
            ),
            ["2019-03-31"]
        );
        assert_eq!(nl("overmorgen", p), ["2019-04-01"]);
        assert_eq!(nl("Dat is gisteravond bekend geworden", p), ["2019-03-29"]);
        assert_eq!(nl("Vanmorgen werd bekend dat", p), ["2019-03-30"]);
        assert_eq!(
            nl(
                "Als Ajax vanavond wint, ga ik morgen niet naar het werk.",
                p
            ),
            ["2019-03-30", "2019-03-31"]
        );
        // morning, not tomorrow
        assert!(nl(
            "Rond acht uur 's morgens rijden pantservoertuigen langs de Arc de Triomphe.",
            p
        )
        .is_empty());
        assert!(nl("Dat schreef De Morgen. In de morgen is het koud.", p).is_empty());
        // a newspaper or a programme named "Today" (Reuters 1987, Wikinews 2019), not a
        // sentence that opens with it, quoted or not
        for text in [
            "USA Today reported that Archer-Daniels-Midland might be seeking a buyer.",
            "Both companies have been in operation since the 1970s according to USA Today.",
            "Miller said on NBC's \"Today\" program.",
            "The Marplan poll, published in \"Today,\" showed Conservative support.",
            "However, a Marplan poll in the Today newspaper had the Conservatives ahead.",
        ] {
            assert!(en(text, p).is_empty(), "{text}");
        }
        for text in [
            "The governor tweeted, \"Today, I signed into law the Alabama Human Life Protection Act.\"",
            "He said so. Today the talks resume.",
            "OPEC MEETS TODAY IN VIENNA",
        ] {
            assert_eq!(en(text, p), ["2019-03-30"], "{text}");
        }
        assert!(nl(
            "In armoede leven is eerder een geschenk. Tot de dag van vandaag komt mij (80) die creativiteit van pas.",
            p
        )
        .is_empty());
        assert!(nl(
            "Waarom zou Schiphol dan vandaag de dag niet circulair zijn",
            p
        )
        .is_empty());
        // wikinews 2019-01-04
        let p = date!(2019 - 01 - 04);
        assert_eq!(
            en(
                "officials told state media, adding that rescuers ended their work yesterday.",
                p
            ),
            ["2019-01-03"]
        );
        assert_eq!(en("Today, and tomorrow.", p), ["2019-01-04", "2019-01-05"]);
    }

    #[test]
    fn relative_months_and_years() {
        let p = date!(2019 - 02 - 12);
        assert_eq!(
            nl("Het lerarentekort loopt de komende jaren drastisch op, bleek vorige maand uit cijfers", p),
            ["2019-01"]
        );
        assert_eq!(
            nl("Eerder deze maand werden drie jihadisten", p),
            ["2019-02"]
        );
        assert_eq!(nl("Volgende maand beslissen de Britten", p), ["2019-03"]);
        assert_eq!(
            nl("omdat de bewonerscommissie vorig jaar is opgeheven", p),
            ["2018"]
        );
        assert_eq!(nl("vorige jaar", p), ["2018"]);
        assert_eq!(
            nl(
                "De verwachting is dat er volgend jaar een definitieve set eisen komt",
                p
            ),
            ["2020"]
        );
        assert_eq!(nl("dit jaar", p), ["2019"]);
        // a period, not a calendar year
        assert!(nl("Het afgelopen jaar was pittig.", p).is_empty());
        assert!(nl("vorige week en dit weekend", p).is_empty());
        // wikinews
        let p = date!(2019 - 08 - 06);
        assert_eq!(
            en(
                "presented the device at the Bastille Day military parade earlier this year.",
                p
            ),
            ["2019"]
        );
        assert_eq!(
            en("this is not likely to happen again next year.", p),
            ["2020"]
        );
        assert_eq!(
            en("last year and last month and this month", p),
            ["2018", "2019-07", "2019-08"]
        );
        assert!(en("the birds make it back to the site the next year", p).is_empty());
        assert!(en("Manafort was sentenced last week.", p).is_empty());
        // December -> January rollover
        let p = date!(2024 - 12 - 20);
        assert_eq!(en("next month", p), ["2025-01"]);
    }

    #[test]
    fn without_publication_date() {
        let text = "Gisteren, op 1 oktober en in juni, maar ook op 15 november 2024 en in 2023.";
        let got: Vec<String> = extract_dates(text, None, DateLang::Nl)
            .iter()
            .map(DateMention::iso)
            .collect();
        assert_eq!(got, ["2024-11-15", "2023"]);
    }

    #[test]
    fn mention_fields_and_iso() {
        let text = "Op 1 oktober 2024, in juni 2023 en in 2022.";
        let ms = extract_dates(text, None, DateLang::Nl);
        assert_eq!(ms.len(), 3);
        assert_eq!(ms[0].granularity, Granularity::Day);
        assert_eq!((ms[0].year, ms[0].month, ms[0].day), (2024, 10, 1));
        assert_eq!(&text[ms[0].start..ms[0].end], "1 oktober 2024");
        assert_eq!(ms[1].granularity, Granularity::Month);
        assert_eq!((ms[1].month, ms[1].day), (6, 0));
        assert_eq!(ms[2].granularity, Granularity::Year);
        assert_eq!((ms[2].month, ms[2].day), (0, 0));
        assert_eq!(ms[2].iso(), "2022");
        assert!(ms.windows(2).all(|w| w[0].start < w[1].start));
    }

    #[test]
    fn unicode_and_punctuation() {
        let p = date!(2024 - 11 - 15);
        // non-breaking spaces, typographic quotes, dashes
        assert_eq!(nl("op\u{a0}1\u{a0}oktober", p), ["2024-10-01"]);
        assert_eq!(
            nl("“Vrijdag” zei hij – in 2023 — iets", p),
            ["2024-11-15", "2023"]
        );
        assert_eq!(nl("VRIJDAG", p), ["2024-11-15"]);
        assert_eq!(nl("Mei 2024 was nat.", p), ["2024-05"]);
        // month names inside words
        assert!(nl("meisjes, meimaand, juniorteam, maartse", p).is_empty());
        assert!(nl("Müllerjanuari", p).is_empty());
    }

    #[test]
    fn invalid_and_hostile_input_never_panics() {
        let p = date!(2024 - 11 - 15);
        assert!(nl("", p).is_empty());
        assert!(nl("31 februari 2024", p).is_empty());
        assert!(nl("31 februari", p).is_empty());
        assert!(nl("30 februari", p).is_empty());
        assert_eq!(nl("29 februari", p), ["2024-02-29"]);
        assert!(nl("in 99999 en 00000000000000000000000000001", p).is_empty());
        assert!(nl("\0\0\0 1\0oktober \u{0}2024", p).len() <= 1);
        for text in [
            "🎉 15 🎉 november 🎉",
            "\u{202e}vrijdag\u{202d}",
            "𝟏𝟓 november",
            "١٥ november ٢٠٢٤",
            "1-1-1-1-1-1-1-1-2024",
            "2024-",
            "-2024",
            "15 november,",
            "the",
            "on the",
            "Nov.",
            "vorige week",
            "eerder",
            "999999999999999999999999 november",
            "31 december 9999",
        ] {
            let _ = nl(text, p);
            let _ = en(text, p);
            let _ = extract_dates(text, None, DateLang::En);
        }
        // publication dates at the limits of the calendar
        for p in [
            Date::MIN,
            Date::MAX,
            date!(9999 - 12 - 31),
            date!(0001 - 01 - 01),
        ] {
            for text in [
                "gisteren vandaag morgen overmorgen volgend jaar vorige maand volgende maand 1 januari in december vrijdag komende zondag volgende week maandag",
                "yesterday tomorrow next year last month next month January 1 in December on Friday next Sunday on the 31st.",
            ] {
                let _ = extract_dates(text, Some(p), DateLang::Nl);
                let _ = extract_dates(text, Some(p), DateLang::En);
            }
        }
        // huge input: linear time
        let big = "Op vrijdag 15 november 2024, in juni en sinds 2019 gebeurde 12.000 keer iets. "
            .repeat(20_000);
        let ms = extract_dates(&big, Some(p), DateLang::Nl);
        assert_eq!(ms.len(), 60_000);
        let big_chain = "2001 en ".repeat(50_000);
        let _ = extract_dates(&big_chain, Some(p), DateLang::Nl);
    }
}
