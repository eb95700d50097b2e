//! The highlighter: the input is `query \0 text`; the query is parsed and compiled, and the
//! text highlighted with its matchers in both languages, whole and cut to a length from the
//! first byte. Checks: no panic; highlights are sorted, disjoint, non-empty character ranges
//! inside the passage; an uncut passage is the text itself.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsidx::highlight::highlight;
use newsidx::lang::Lang;
use newsidx::query::{compile, parse, Analyzers};
use newsidx::schema::{Fields, SchemaSpec};

fn fields() -> &'static Fields {
    static F: OnceLock<Fields> = OnceLock::new();
    F.get_or_init(|| {
        let schema = SchemaSpec::embedded().unwrap().tantivy_schema();
        Fields::from_schema(&schema).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let (q, text) = input.split_once('\0').unwrap_or((input, input));
    let Ok(query) = parse(q) else {
        return;
    };
    let Ok(compiled) = compile(&query, fields()) else {
        return;
    };
    let mut analyzers = Analyzers::default();
    for lang in [Lang::Nl, Lang::En] {
        for max in [0usize, 10 + cut as usize] {
            let p = highlight(text, lang, compiled.matchers(lang), &mut analyzers, max);
            let n = p.text.chars().count();
            if max == 0 || text.chars().count() <= max {
                assert_eq!(p.text, text);
            }
            let mut last = 0;
            for h in &p.highlights {
                assert!(h.start >= last && h.start < h.end && h.end <= n, "{h:?} in {n} chars");
                last = h.end;
            }
        }
    }
});
