#!/usr/bin/env python3
"""A/B of two newsidx binaries on whole CLI searches: scripts/ab_cli.py INDEX_DIR RUNS (edit `bins`/`cases`)."""
import subprocess, time, statistics, sys, json
idx = sys.argv[1]; runs = int(sys.argv[2])
bins = {"base": "/tmp/nb/newsidx-base", "facetfix": "/tmp/nb/newsidx-facetfix"}
cases = {"said --facets": ["said", "--facets"], "'' --facets": ["", "--facets"],
         "--person 'Theresa May' --facets": ["", "--person", "Theresa May", "--facets"],
         "oil --country JP --facets": ["oil", "--country", "JP", "--facets"]}
res = {}
outs = {}
for name, args in cases.items():
    for r in range(runs):
        for b, path in bins.items():
            t = time.perf_counter()
            o = subprocess.run([path, "--index", idx, "search", *args, "--json"], capture_output=True)
            res.setdefault(name, {}).setdefault(b, []).append((time.perf_counter() - t) * 1000)
            outs.setdefault(name, {})[b] = o.stdout
for name in cases:
    m = {b: statistics.median(v) for b, v in res[name].items()}
    same = outs[name]["base"] == outs[name]["facetfix"]
    print(f"{name:40} base {m['base']:8.1f} ms  facetfix {m['facetfix']:8.1f} ms  ratio {m['facetfix']/m['base']:.2f}  identical output: {same}")
