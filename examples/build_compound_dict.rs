//! tool: builds `data/nl-words.fst`, the Dutch word list the compound splitter uses, from the
//! OpenTaal word list (BSD / CC-BY 3.0).
//!
//! ```sh
//! cargo run --release --example build_compound_dict -- \
//!     ../shared/ner/gazetteer/sources/opentaal-wdutch-2.20.19.txt data/nl-words.fst
//! ```
//!
//! Kept: lowercase words of 3 to 24 letters (after folding diacritics), without digits,
//! hyphens, apostrophes or spaces. Proper names (capitalised) are left out.

use std::io::Write;

fn fold(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let f = match c {
            'a'..='z' => c,
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            _ => return None,
        };
        out.push(f);
    }
    Some(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: build_compound_dict OPENTAAL_WORDLIST OUT.fst");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(input).map_err(|e| format!("cannot read {input}: {e}"))?;
    let mut words: Vec<String> = text
        .lines()
        .filter_map(|l| fold(l.trim()))
        .filter(|w| (3..=24).contains(&w.len()))
        .collect();
    words.sort();
    words.dedup();
    let mut builder = tantivy_fst::MapBuilder::memory();
    for w in &words {
        builder.insert(w, 0)?;
    }
    let bytes = builder.into_inner()?;
    std::fs::File::create(output)
        .and_then(|mut f| f.write_all(&bytes))
        .map_err(|e| format!("cannot write {output}: {e}"))?;
    eprintln!("{} words, {} bytes -> {output}", words.len(), bytes.len());
    Ok(())
}
