//! The paragraph splitter and the sentence splitter on arbitrary text, with small window
//! sizes (from the first two bytes) so that sentence windows are exercised. Checks what the
//! docs promise: no panic; paragraphs are trimmed, non-empty, hold a letter or digit, have no
//! whitespace other than single spaces, and start on a line of the body; sentences are
//! sorted, disjoint, on char boundaries and inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsidx::paragraph::{split_paragraphs, split_sentences, SplitOptions};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let Ok(text) = std::str::from_utf8(&data[2..]) else {
        return;
    };
    let opts = SplitOptions {
        max_paragraph_chars: 1 + data[0] as usize * 8,
        window_chars: 1 + data[1] as usize * 4,
        window_max_sentences: 1 + (data[1] % 5) as usize,
    };
    // Line breaks as the splitter counts them: `\r\n`, `\n` and a lone `\r`.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count().max(1);
    for p in split_paragraphs(text, &opts) {
        assert!(!p.text.is_empty());
        assert_eq!(p.text.trim(), p.text, "{:?}", p.text);
        assert!(p.text.chars().any(char::is_alphanumeric), "{:?}", p.text);
        assert!(!p.text.contains("  "), "{:?}", p.text);
        assert!(
            !p.text.chars().any(|c| c.is_whitespace() && c != ' '),
            "{:?}",
            p.text
        );
        assert!(p.line >= 1 && p.line <= lines, "line {} of {lines}", p.line);
    }
    let mut last = 0;
    for r in split_sentences(text) {
        assert!(r.start >= last && r.start <= r.end && r.end <= text.len(), "{r:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{r:?}");
        last = r.end;
    }
});
