#!/bin/sh
# Runs every fuzz target (or the ones named) for SECONDS each (default 600), one after the
# other, at low priority. New inputs go to a scratch corpus (WORK, default /tmp/newsidx-fuzz);
# the committed seeds in fuzz/corpus/<target>/ are only read. Crashes land in
# fuzz/artifacts/<target>/. Each run's last lines (executions, coverage) go to WORK/<target>.log.
#
#   fuzz/run.sh                  # all five targets, 10 minutes each
#   SECONDS_EACH=60 fuzz/run.sh query highlight
set -eu
cd "$(dirname "$0")"
each=${SECONDS_EACH:-600}
work=${WORK:-/tmp/newsidx-fuzz}
targets=${*:-corpus paragraph entity query highlight}
for t in $targets; do
    mkdir -p "$work/$t"
    echo "== $t: ${each}s"
    RUSTC_BOOTSTRAP=1 nice -n 10 cargo fuzz run -O -a "$t" "$work/$t" "corpus/$t" -- \
        -max_total_time="$each" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        >"$work/$t.log" 2>&1 || echo "!! $t stopped: see $work/$t.log"
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+== ERROR|SUMMARY)" "$work/$t.log" || true
    tail -n 3 "$work/$t.log"
done
