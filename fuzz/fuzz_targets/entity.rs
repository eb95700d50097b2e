//! The entity tagger (RuleTagger + date extraction) on arbitrary text: first line title,
//! other lines paragraphs; the first bytes pick the language and the publication date.
//! Checks: no panic; one Tags per paragraph; countries are ISO alpha-2 codes; dates are
//! YYYY, YYYY-MM or YYYY-MM-DD; all sorted and deduplicated; persons non-empty.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsidx::entity::{tag_article, RuleTagger};
use newsidx::lang::Lang;

fn tagger() -> &'static RuleTagger {
    static T: OnceLock<RuleTagger> = OnceLock::new();
    T.get_or_init(RuleTagger::new)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let Ok(text) = std::str::from_utf8(&data[3..]) else {
        return;
    };
    let lang = if data[0] & 1 == 0 { Lang::Nl } else { Lang::En };
    // A publication date in 1900..=2155 or none; days 1..=28 are valid in every month.
    let published = (data[0] & 2 == 0).then(|| {
        let month = time::Month::try_from(1 + data[1] % 12).unwrap();
        time::Date::from_calendar_date(1900 + data[2] as i32, month, 1 + data[1] % 28).unwrap()
    });
    let mut lines = text.split('\n');
    let title = lines.next().unwrap_or("");
    let paragraphs: Vec<&str> = lines.take(64).collect();
    let tags = tag_article(tagger(), title, &paragraphs, lang, published);
    assert_eq!(tags.len(), paragraphs.len());
    for t in &tags {
        for c in &t.countries {
            assert!(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()), "{c:?}");
        }
        for d in &t.dates {
            assert!(is_iso_date(d), "{d:?}");
        }
        for p in &t.persons {
            assert!(!p.trim().is_empty(), "{p:?}");
        }
        for list in [&t.countries, &t.dates] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }
});
