#!/usr/bin/env python3
"""Prints newsidx-vs-peers tables (Markdown) from a newsidx bench JSON and a peer summary JSON.

  scripts/report.py bench-results/real.json bench-results/peers-real.json
"""
import json
import sys

TYPES = ["single", "or2", "and2", "phrase", "filtered", "person", "country_date", "facets", "facets_all"]
PEER_TYPES = TYPES[:5]


def main():
    n = json.load(open(sys.argv[1]))
    p = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else {"peers": {}}
    peers = {k: v for k, v in p["peers"].items() if "error" not in v}
    b = n.get("build_cli", {})
    s = b.get("summary", {})
    print(f"corpus {n['corpus']['path']} ({n['corpus']['bytes']/1e6:.1f} MB); newsidx paragraphs {s.get('paragraphs')}, "
          f"peer paragraphs {p.get('paragraphs')}; load at end {n.get('loadavg_end')}")
    print()
    print("| engine | build s | cpu s | paragraphs/s | MB/s | peak RSS MB | index MB | bytes/paragraph |")
    print("|---|---|---|---|---|---|---|---|")
    cb = n["corpus"]["bytes"]
    print(f"| newsidx (CLI) | {b['wall_s']:.2f} | {b['cpu_s']:.2f} | {b['paragraphs_per_s']:.0f} | {b['mb_per_s']:.2f} | "
          f"{b['peak_rss_mb']:.0f} | {b['index_bytes']/1e6:.1f} | {b['index_bytes_per_paragraph']:.0f} |")
    np_ = p.get("paragraphs") or 1
    for name, v in peers.items():
        w = v["build_wall_s"]
        print(f"| {name} | {w:.2f} | - | {np_/w:.0f} | {cb/1e6/w:.2f} | {v['build_peak_rss_mb']:.0f} | "
              f"{v['index_bytes']/1e6:.1f} | {v['index_bytes']/np_:.0f} |")
    for name, v in peers.items():
        w = v["build_wall_s"]
        print(f"\nratios newsidx/{name}: throughput per paragraph {b['paragraphs_per_s']/(np_/w):.2f}x, per MB "
              f"{b['mb_per_s']/(cb/1e6/w):.2f}x, index size {b['index_bytes']/v['index_bytes']:.2f}x "
              f"(per paragraph {b['index_bytes_per_paragraph']/(v['index_bytes']/np_):.2f}x)")
    q = n.get("queries_inproc", {}).get("stats", {})
    cli = n.get("queries_cli", {}).get("stats", {})
    print()
    print("| median µs (p99) | " + " | ".join(TYPES) + " |")
    print("|---|" + "---|" * len(TYPES))
    for mode in ["search", "full", "full_facets"]:
        st = q.get(mode, {})
        print(f"| newsidx {mode} | " + " | ".join(
            f"{st[t]['median_us']:.0f} ({st[t]['p99_us']:.0f})" if t in st else "-" for t in TYPES) + " |")
    print("| newsidx CLI (ms) | " + " | ".join(
        f"{cli[t]['median_us']/1000:.1f} ({cli[t]['p99_us']/1000:.1f})" if t in cli else "-" for t in TYPES) + " |")
    for name, v in peers.items():
        st = v["query_stats"].get("full", {})
        print(f"| {name} full | " + " | ".join(
            f"{st[t]['median_us']:.0f} ({st[t]['p99_us']:.0f})" if t in st else "-" for t in TYPES) + " |")
    for name, v in peers.items():
        st = v["query_stats"].get("full", {})
        for mode in ["full", "full_facets"]:
            nst = q.get(mode, {})
            cells = [f"{nst[t]['median_us']/st[t]['median_us']:.2f}" if t in nst and t in st else "-" for t in PEER_TYPES]
            print(f"| ratio newsidx {mode} / {name} full | " + " | ".join(cells) + " |" + " |" * (len(TYPES) - 5))


if __name__ == "__main__":
    main()
