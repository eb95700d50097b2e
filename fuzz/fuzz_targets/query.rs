//! The query parser and compiler on arbitrary strings. Checks: no panic; an error's position
//! is inside the query (in characters, 0..=len); a parsed query compiles or is refused with a
//! message (never a panic).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsidx::query::{compile, parse};
use newsidx::schema::{Fields, SchemaSpec};

fn fields() -> &'static Fields {
    static F: OnceLock<Fields> = OnceLock::new();
    F.get_or_init(|| {
        let schema = SchemaSpec::embedded().unwrap().tantivy_schema();
        Fields::from_schema(&schema).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    match parse(q) {
        Err(e) => {
            assert!(e.position <= q.chars().count(), "{e:?}");
            assert!(!e.to_string().is_empty());
        }
        Ok(query) => {
            if let Err(msg) = compile(&query, fields()) {
                assert!(!msg.is_empty());
            }
        }
    }
});
