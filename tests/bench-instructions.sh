#!/bin/sh
# bench-instructions.sh - load-independent figures for README's Performance
# section: instructions counted by valgrind's callgrind, which CPU time on a shared
# machine cannot give.  Run from the top directory after `make bench` built
# build/zsim-bench and zsim.  Prints, for 2.6.32, 2.6.18 and 2.4:
#   - instructions per order-0 pair through ops->alloc / ops->free, 4096-page
#     window (the `alloc` bench's first shape), steady state: the count at 300,000
#     pairs less the count at 100,000, over 200,000;
#   - instructions per request of the native hog replay, end to end (boot, the
#     replay, ticks.csv and summary.txt);
#   - instructions per allocator event of the `replay` bench's Zipf stream, steady
#     state: a 2 s run less a 1 s run, over the events between.
# Takes about half a minute here (callgrind runs some 50 times slower).
set -eu
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 69; }
[ -x build/zsim-bench ] && [ -x zsim ] || { echo "run make bench first" >&2; exit 66; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

instr() { # instructions of the command "$@"
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p; s/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d , | tail -1
}
requests() { sed -n 's/^source0_requests: //p' "$1/summary.txt"; }
. tests/bench-streams.sh
make_streams

for k in 2.6.32 2.6.18 2.4; do
	kv=$k
	[ $k = 2.4 ] && kv=2.4.0
	a=$(ZSIM_BENCH_PAIRS=100000 ZSIM_BENCH_KERNEL=$kv instr ./build/zsim-bench alloc)
	b=$(ZSIM_BENCH_PAIRS=300000 ZSIM_BENCH_KERNEL=$kv instr ./build/zsim-bench alloc)
	echo "$k: order-0 pair, 4096-page window: $(( (b - a) / 200000 )) instructions"
	h=$(instr ./zsim run "$(scenario $k "$tmp/hog.zst")" --kernel $k -q --out "$tmp/hog")
	echo "$k: hog replay, end to end: $(( h / $(requests "$tmp/hog") )) instructions per request"
	s=$(scenario $k "$tmp/zipf.zst")
	a=$(instr ./zsim run "$s" --kernel $k --set duration=1s -q --out "$tmp/z1")
	b=$(instr ./zsim run "$s" --kernel $k --set duration=2s -q --out "$tmp/z2")
	n=$(( $(requests "$tmp/z2") - $(requests "$tmp/z1") ))
	echo "$k: Zipf stream, steady state: $(( (b - a) / n )) instructions per allocator event"
done
