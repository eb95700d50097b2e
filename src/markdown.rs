//! corpus stage (Markdown files): the plain text of a Markdown article body, so that markup
//! is neither indexed nor shown: headings lose their `#`, links and images keep their text,
//! emphasis, code spans, list and quote markers go, rules and fences become breaks.
//!
//! This is a line-level reading of the common Markdown of article exports (Hugo, Jekyll,
//! newsroom CMSs), not a full CommonMark parser: HTML blocks and tables are left as text.

/// The text of a Markdown body; paragraphs stay separated by blank lines, and a heading
/// becomes a paragraph of its own.
pub fn to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
                out.push('\n');
            } else {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            out.push('\n');
            continue;
        }
        if is_rule(t) || is_reference_definition(t) {
            out.push('\n');
            continue;
        }
        let mut t = t;
        while let Some(rest) = t.strip_prefix('>') {
            t = rest.trim_start();
        }
        let heading = heading_text(t);
        let t = match heading {
            Some(h) => h,
            None => strip_list_marker(t),
        };
        if heading.is_some() {
            out.push('\n');
        }
        inline(t, &mut out);
        out.push('\n');
        if heading.is_some() {
            out.push('\n');
        }
    }
    out
}

/// `---`, `***`, `___`, `===` (three or more of one of them, spaces allowed): a thematic
/// break or a setext heading's underline.
fn is_rule(t: &str) -> bool {
    let t = t.trim_end();
    let Some(c) = t.chars().next() else {
        return false;
    };
    matches!(c, '-' | '*' | '_' | '=')
        && t.chars().filter(|&x| x == c).count() >= 3
        && t.chars().all(|x| x == c || x == ' ')
}

/// `[ref]: https://…`: where a reference link points, not text.
fn is_reference_definition(t: &str) -> bool {
    t.starts_with('[')
        && t.find("]:").is_some_and(|i| {
            let target = t[i + 2..].trim_start();
            i > 1
                && (target.starts_with("http")
                    || target.starts_with('/')
                    || target.starts_with('<'))
        })
}

/// The text of an ATX heading (`## Tussenkop ##` → `Tussenkop`).
fn heading_text(t: &str) -> Option<&str> {
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None; // "#hashtag"
    }
    Some(rest.trim().trim_end_matches('#').trim_end())
}

/// A list item's text (`- a`, `* a`, `+ a`, `1. a`, `1) a`).
fn strip_list_marker(t: &str) -> &str {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return rest.trim_start();
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return r.trim_start();
        }
    }
    t
}

/// Inline markup of one line, appended to `out`: `![alt](url)` → alt, `[text](url)` and
/// `[text][ref]` → text, `<https://…>` → the address, emphasis markers and backticks removed
/// (an underscore inside a word stays: `snake_case`), backslash escapes resolved.
fn inline(t: &str, out: &mut String) {
    let c: Vec<char> = t.chars().collect();
    let word = |i: usize| c.get(i).is_some_and(|x| x.is_alphanumeric());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\\' if c.get(i + 1).is_some_and(|x| x.is_ascii_punctuation()) => {
                out.push(c[i + 1]);
                i += 2;
            }
            '!' | '[' => {
                // "![alt](img)" and "[text](url)": the text
                let open = if c[i] == '!' { i + 1 } else { i };
                match (c.get(open) == Some(&'['))
                    .then(|| link(&c, open))
                    .flatten()
                {
                    Some((text, next)) => {
                        inline(&text, out);
                        i = next;
                    }
                    None => {
                        out.push(c[i]);
                        i += 1;
                    }
                }
            }
            '<' if c[i + 1..].starts_with(&['h', 't', 't', 'p']) => {
                match c[i + 1..].iter().position(|&x| x == '>') {
                    Some(end) => {
                        out.extend(&c[i + 1..i + 1 + end]);
                        i += end + 2;
                    }
                    None => {
                        out.push('<');
                        i += 1;
                    }
                }
            }
            '`' => i += 1,
            '*' | '_' => {
                let run = c[i..].iter().take_while(|&&x| x == c[i]).count();
                let (before, after) = (i > 0 && word(i - 1), word(i + run));
                // "snake_case", "2*3": markup only where a word starts or ends
                if c[i] == '_' && before && after || c[i] == '*' && before && after && run == 1 {
                    out.extend(&c[i..i + run]);
                } else if !before && !after {
                    out.extend(&c[i..i + run]); // a lone "*" or "_"
                }
                i += run;
            }
            x => {
                out.push(x);
                i += 1;
            }
        }
    }
}

/// A link at `c[open] == '['`: its text and the position after it, for `[text](target)`
/// and `[text][ref]`; None when the bracket is not a link.
fn link(c: &[char], open: usize) -> Option<(String, usize)> {
    let mut depth = 0;
    let mut close = None;
    for (k, &x) in c.iter().enumerate().skip(open) {
        match x {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(k);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let (opener, closer) = match c.get(close + 1) {
        Some('(') => ('(', ')'),
        Some('[') => ('[', ']'),
        _ => return None,
    };
    let mut depth = 0;
    for (k, &x) in c.iter().enumerate().skip(close + 1) {
        if x == opener {
            depth += 1;
        } else if x == closer {
            depth -= 1;
            if depth == 0 {
                return Some((c[open + 1..close].iter().collect(), k + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_links_and_emphasis_become_text() {
        let md = "Een **vette** zin met *nadruk* en een [link naar NOS](https://nos.nl/a_b).\n\n\
                  ## Tussenkop ##\n\
                  Nog een alinea met `code`, snake_case, 2*3 en een ![foto van Rutte](r.jpg).\n\n\
                  > Een citaat van [Mark Rutte][1].\n\n\
                  - eerste punt\n\
                  * tweede punt\n\
                  1. derde punt\n\n\
                  ---\n\
                  Zie <https://nos.nl>. Geen #hashtag-kop, wel \\*sterretjes\\*.\n\n\
                  [1]: https://example.org/rutte\n";
        assert_eq!(
            to_text(md),
            "Een vette zin met nadruk en een link naar NOS.\n\n\n\
             Tussenkop\n\n\
             Nog een alinea met code, snake_case, 2*3 en een foto van Rutte.\n\n\
             Een citaat van Mark Rutte.\n\n\
             eerste punt\n\
             tweede punt\n\
             derde punt\n\n\n\
             Zie https://nos.nl. Geen #hashtag-kop, wel *sterretjes*.\n\n\n"
        );
    }

    #[test]
    fn fences_keep_their_content_and_odd_text_survives() {
        assert_eq!(
            to_text("```\nlet x = [1](2);\n```\nTekst"),
            "\nlet x = [1](2);\n\nTekst\n"
        );
        for odd in [
            "[", "]", "![", "[a](", "[a][b", "<", "<http", "*", "__", "\\", "# ", "######", "1.",
            "- ", "> > >", "[]()", "![]()", "*_*_*", "é*é", "a\\", "[[a]](b)",
        ] {
            let _ = to_text(odd); // never panics
        }
        assert_eq!(to_text("[[a]](b)"), "[a]\n");
        // Random text over Markdown's special characters: never a panic, and no text is
        // invented.
        let alphabet: Vec<char> = "[]()!*_`\\<>#-+=~:. 1aé\nhttp".chars().collect();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            let len = (x % 24) as usize;
            let text: String = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            let out = to_text(&text);
            assert!(
                out.chars().filter(|&c| c == 'é').count()
                    <= text.chars().filter(|&c| c == 'é').count()
            );
        }
        assert_eq!(to_text("Prijs: 5 * 3 = 15"), "Prijs: 5 * 3 = 15\n");
    }
}
