#!/bin/sh
# Peak memory of a whole batch run: generates synthetic corpora of 200 and 2000 clients with
# `cargo run --release --example generate-corpus` (seed 1) and runs
# `target/release/orgprofile batch CORPUS -o OUT -j 2 --quiet` on each under GNU time
# (`/usr/bin/time -v`; `apt-get install -y time` if missing), printing the whole process's
# "Maximum resident set size" and wall-clock time. Writes only under $WORK
# (default: ${TMPDIR:-/tmp}/orgprofile-peak-memory), which it replaces.
#
# usage: benches/peak-memory.sh [CLIENTS...]     (default: 200 2000)
set -eu
cd "$(dirname "$0")/.."
WORK=${WORK:-${TMPDIR:-/tmp}/orgprofile-peak-memory}
[ -x /usr/bin/time ] || { echo "peak-memory.sh: GNU time is missing: apt-get install -y time" >&2; exit 1; }
[ $# -gt 0 ] || set -- 200 2000
cargo build --release --quiet
rm -rf "$WORK"
mkdir -p "$WORK"
for n in "$@"; do
    cargo run --release --quiet --example generate-corpus -- "$WORK/corpus-$n" --clients "$n"
    status=0
    /usr/bin/time -v target/release/orgprofile batch "$WORK/corpus-$n" -o "$WORK/out-$n" -j 2 --quiet \
        >"$WORK/stdout-$n.txt" 2>"$WORK/time-$n.txt" || status=$?
    # Exit 1 (gaps) and 2 (unreadable files) are normal results for a corpus; anything else is not.
    if [ "$status" -gt 2 ]; then
        echo "peak-memory.sh: orgprofile batch exited $status on $n clients:" >&2
        cat "$WORK/time-$n.txt" >&2
        exit 1
    fi
    echo "N=$n: $(grep 'Maximum resident set size' "$WORK/time-$n.txt" | sed 's/^[[:space:]]*//')"
    echo "N=$n: $(grep 'Elapsed (wall clock)' "$WORK/time-$n.txt" | sed 's/^[[:space:]]*//')"
done
