//! The corpus parser on arbitrary bytes, in both formats, then the whole preparation an
//! indexed record goes through (split, tag, build). First byte: format (even: JSON Lines,
//! odd: text file) and whether the name is Markdown. Checks: no panic; an error names its
//! file and line; an article has a non-empty id without control characters and text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsidx::corpus::{parse_record, Body, Format, Origin, RawRecord};
use newsidx::document::{self, BuildOptions};
use newsidx::entity::RuleTagger;

fn tagger() -> &'static RuleTagger {
    static T: OnceLock<RuleTagger> = OnceLock::new();
    T.get_or_init(RuleTagger::new)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let (format, file) = match mode % 4 {
        0 | 2 => (Format::JsonLines, "f.jsonl"),
        1 => (Format::Text, "f.txt"),
        _ => (Format::Text, "f.md"),
    };
    let raw = RawRecord {
        origin: Origin {
            file: file.into(),
            line: 3,
        },
        format,
        bytes: bytes.to_vec(),
    };
    match parse_record(&raw) {
        Err(e) => {
            assert_eq!(e.origin.file, file);
            assert!(!e.message.is_empty());
            assert!(e.to_string().starts_with(&format!("{file}:")), "{e}");
        }
        Ok(a) => {
            assert!(!a.id.is_empty());
            assert!(!a.id.chars().any(char::is_control), "{:?}", a.id);
            match &a.body {
                Body::Text(t) => assert!(!t.trim().is_empty()),
                Body::Paragraphs(p) => assert!(p.iter().any(|s| !s.trim().is_empty())),
            }
            let opts = BuildOptions {
                max_paragraphs: 50,
                ..BuildOptions::default()
            };
            let prepared = document::prepare(&a, tagger(), &opts);
            assert!(prepared.docs.len() <= 50);
            for (i, d) in prepared.docs.iter().enumerate() {
                assert_eq!(d.ordinal, i as u64);
                assert!(!d.text.is_empty());
            }
        }
    }
});
