#!/bin/sh
# Runs the peer engines of /work/shared/bench on a corpus, with the same query set that
# benches/pipeline.rs uses, and copies the small result files into bench-results/.
#
#   scripts/bench_peers.sh CORPUS.jsonl NAME [PEERS] [RUNS]
#     PEERS default: tantivy_rs,sqlite_fts5,tantivy_py,xapian   RUNS default: 20
#
# Needs the peer bench copied and set up once:
#   cp -r /work/shared/bench /tmp/peer-bench && cd /tmp/peer-bench && ./setup.sh
# Query set: /tmp/nb/NAME.queries.json (generated with the peers' common.py when missing);
# pass the same file to the newsidx bench: cargo bench --bench pipeline -- --query-set FILE.
# Peer results: /tmp/peer-bench/results/NAME/ (summary.txt, summary.json, <peer>.json).
set -e
CORPUS=$(readlink -f "$1"); NAME=$2
PEERS=${3:-tantivy_rs,sqlite_fts5,tantivy_py,xapian}; RUNS=${4:-20}
PB=${PEER_BENCH:-/tmp/peer-bench}
HERE=$(cd "$(dirname "$0")/.." && pwd)
Q=/tmp/nb/$NAME.queries.json
mkdir -p /tmp/nb "$HERE/bench-results"
[ -s "$Q" ] || python3 "$PB/common.py" queries "$CORPUS" "$Q"
cd "$PB"
nice -n 10 python3 run_all.py "$CORPUS" --out "results/$NAME" --peers "$PEERS" --runs "$RUNS" --queries "$Q"
cp "results/$NAME/summary.json" "$HERE/bench-results/peers-$NAME.json"
cp "results/$NAME/summary.txt" "$HERE/bench-results/peers-$NAME.txt"
