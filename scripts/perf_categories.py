#!/usr/bin/env python3
"""Groups a flat `perf report` (self time per symbol) into cost categories.

  perf record -F 499 -e cpu-clock -o perf.data -- newsidx ...
  perf report -i perf.data --no-children --sort symbol --stdio | scripts/perf_categories.py
"""
import re
import sys

CATS = [
    ("tantivy postings (inverted index build)", r"postings_writer|postings::|PostingsWriter|TermHashMap|ArenaHashMap|stacker|shared_arena|expull"),
    ("stemming (rust_stemmers)", r"rust_stemmers|Snowball"),
    ("tokenizing (tantivy tokenizers, folding)", r"tokenizer|TokenStream|ascii_folding|LowerCaser|RemoveLong|tokenize_|SimpleToken"),
    ("compound splitting", r"compound"),
    ("entity tagging (persons/countries)", r"newsidx::entity::(rules|persons|gazetteer|resolve|ner)"),
    ("date extraction", r"newsidx::entity::dates"),
    ("paragraph splitting", r"newsidx::paragraph"),
    ("JSON parsing (serde_json)", r"serde_json|serde::"),
    ("doc store compression/decompression", r"lz4|zstd|ZSTD|store::|StoreWriter|StoreReader|doc_store"),
    ("term dictionary / FST", r"fst|sstable|TermInfoStore"),
    ("fast fields / columnar", r"columnar|fastfield|fast_field|ColumnValues|bitpack"),
    ("malloc/free/memmove", r"malloc|free|memmove|memcpy|memset|realloc|unlink_chunk|_int_|memcmp|cfree|consolidate"),
    ("tantivy other", r"tantivy"),
    ("newsidx other", r"newsidx"),
    ("kernel", r"^\[k\]"),
]


def main():
    tot = {}
    rest = []
    for line in sys.stdin:
        m = re.match(r"\s*([\d.]+)%\s+(\[[.k]\])\s+(.*)", line)
        if not m:
            continue
        pct, kind, sym = float(m.group(1)), m.group(2), m.group(3).strip()
        key = f"{kind} {sym}"
        for name, rx in CATS:
            if re.search(rx, key):
                tot[name] = tot.get(name, 0) + pct
                break
        else:
            tot["other"] = tot.get("other", 0) + pct
            rest.append((pct, sym[:100]))
    for name, pct in sorted(tot.items(), key=lambda x: -x[1]):
        print(f"{pct:6.1f}%  {name}")
    print("top uncategorised:", "; ".join(f"{p:.1f}% {s}" for p, s in sorted(rest, reverse=True)[:6]))


if __name__ == "__main__":
    main()
