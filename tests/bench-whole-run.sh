#!/bin/sh
# bench-whole-run.sh OTHER [N] - the CPU time of a whole `zsim run` of the `replay`
# bench's two streams (the hog trace and the Zipf stream, on its machine), for ./zsim
# and for the zsim binary OTHER (another commit's build), run alternately N times each
# (default 10) on each kernel; prints the least task-clock of each, in ms, as the
# README's Performance section quotes them.  Alternating and the least of many runs is
# what makes two builds comparable on a host whose speed drifts.  A build from before
# the cooked trace format replays the same streams as raw native traces.  Needs perf
# (apt-get install linux-perf); run from the top directory after `make bench`.
set -eu
command -v perf >/dev/null || { echo "needs perf (apt-get install linux-perf)" >&2; exit 69; }
[ -x build/zsim-bench ] && [ -x zsim ] || { echo "run make bench first" >&2; exit 66; }
[ $# -ge 1 ] && [ -x "$1" ] || { echo "usage: sh tests/bench-whole-run.sh OTHER-ZSIM [N]" >&2; exit 64; }
other=$1
n=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/bench-streams.sh
make_streams

ms() { # task-clock of `$1 run $2 --kernel $3`, in ms
	perf stat -x, -e task-clock "$1" run "$2" --kernel "$3" -q --out "$tmp/out" 2>&1 >/dev/null |
		awk -F, '/task-clock/ { print $1 }'
}
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

# a build from before the cooked format replays the raw streams
raw=""
"$other" trace stats "$tmp/hog.zst" >/dev/null 2>&1 || raw=-raw
[ -z "$raw" ] || echo "$other reads no cooked trace: it replays the raw streams"

for stream in hog zipf; do
	for k in 2.6.32 2.6.18 2.4; do
		s=$(scenario $k "$tmp/$stream.zst")
		so=$(scenario $k "$tmp/$stream$raw.zst")
		mine="" theirs=""
		i=0
		while [ $i -lt "$n" ]; do
			mine=$(least "$(ms ./zsim "$s" $k)" "$mine")
			theirs=$(least "$(ms "$other" "$so" $k)" "$theirs")
			i=$((i + 1))
		done
		printf '%s %s: ./zsim %.1f ms, %s %.1f ms\n' "$stream" "$k" "$mine" "$other" "$theirs"
	done
done
