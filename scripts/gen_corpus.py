#!/usr/bin/env python3
"""Generate a large news corpus for newsidx benchmarks by recombining REAL paragraphs.

  gen_corpus.py SHARED_CORPUS_DIR OUT.jsonl --paragraphs N [--seed 1] [--nl-share 0.5]

THE OUTPUT IS GENERATED, NOT REAL NEWS: every article is a random sequence of 3-10 real
paragraphs (same language) taken from the JSON Lines files under SHARED_CORPUS_DIR (e.g.
/work/shared/corpus: nl/*.jsonl, en/*.jsonl; `sample/` is skipped), with a real title drawn at
random and a publication date spread uniformly over 2019-01-01..2024-12-31. Each record's
`source` says it is generated, and OUT.jsonl.meta.json records how it was made.

Paragraph pool: bodies are split on blank lines and single line breaks; pieces longer than
1,000 characters (sources without paragraph breaks) are cut into groups of whole sentences of
about 300-600 characters; pieces shorter than 40 characters are dropped. Output bodies join
paragraphs with a blank line, so newsidx (which also splits on single line breaks and cuts
paragraphs over 1,200 characters) and the peers in /work/shared/bench (which split on blank
lines) see the same paragraphs, up to newsidx's boilerplate filter.

Python 3 stdlib only. Deterministic for a given seed and input.
"""
import argparse
import datetime as dt
import glob
import json
import os
import random
import re
import sys

SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\u201c\u2018A-Z0-9])")
BLANK_RE = re.compile(r"\n\s*\n|\n")
SOURCE = "generated: recombined real paragraphs (newsidx scripts/gen_corpus.py)"


def pieces(body):
    for block in BLANK_RE.split(body or ""):
        block = " ".join(block.split())
        if len(block) < 40:
            continue
        if len(block) <= 1000:
            yield block
            continue
        cur = ""
        for s in SENT_RE.split(block):
            cur = f"{cur} {s}".strip() if cur else s
            if len(cur) >= 300:
                if len(cur) <= 1000:
                    yield cur
                cur = ""
        if 40 <= len(cur) <= 1000:
            yield cur


def load_pools(root):
    pools = {"nl": [], "en": []}
    titles = {"nl": [], "en": []}
    files = []
    for lang in ("nl", "en"):
        for path in sorted(glob.glob(os.path.join(root, lang, "*.jsonl"))):
            files.append(path)
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if not line:
                        continue
                    a = json.loads(line)
                    body = a.get("body") or a.get("text") or ""
                    if not body and isinstance(a.get("paragraphs"), list):
                        body = "\n\n".join(a["paragraphs"])
                    if not body and isinstance(a.get("sentences"), list):
                        body = " ".join(a["sentences"])
                    pools[lang].extend(pieces(body))
                    t = " ".join((a.get("title") or "").split())
                    if 10 <= len(t) <= 200:
                        titles[lang].append(t)
    return pools, titles, files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus_dir")
    ap.add_argument("out")
    ap.add_argument("--paragraphs", type=int, required=True, help="stop after at least this many paragraphs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--nl-share", type=float, default=0.5, help="share of Dutch articles (default 0.5)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pools, titles, files = load_pools(a.corpus_dir)
    for lang in ("nl", "en"):
        if not pools[lang] or not titles[lang]:
            sys.exit(f"no {lang} paragraphs or titles under {a.corpus_dir}")
    start = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)
    span = int((dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc) - start).total_seconds())
    n_par = n_art = n_bytes = 0
    with open(a.out, "w", encoding="utf-8") as out:
        while n_par < a.paragraphs:
            lang = "nl" if rng.random() < a.nl_share else "en"
            k = min(rng.randint(3, 10), a.paragraphs - n_par) or 1
            paras = [rng.choice(pools[lang]) for _ in range(k)]
            when = start + dt.timedelta(seconds=rng.randrange(span))
            rec = {
                "id": f"gen{a.seed}-{n_art:08d}",
                "title": rng.choice(titles[lang]),
                "body": "\n\n".join(paras),
                "published": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "source": SOURCE,
                "lang": lang,
            }
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            out.write(line)
            n_bytes += len(line.encode("utf-8"))
            n_par += k
            n_art += 1
    meta = {"generated": True, "generator": "scripts/gen_corpus.py", "seed": a.seed,
            "nl_share": a.nl_share, "inputs": files,
            "pool_paragraphs": {k: len(v) for k, v in pools.items()},
            "articles": n_art, "paragraphs": n_par, "bytes": n_bytes,
            "dates": "uniform 2019-01-01..2024-12-31 (UTC)",
            "note": "synthetic articles recombining real paragraphs; not real news"}
    with open(a.out + ".meta.json", "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
