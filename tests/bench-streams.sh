# bench-streams.sh - sourced by tests/bench-instructions.sh and tests/bench-whole-run.sh:
# the `replay` bench's two streams and its machine, written into $tmp (set by the caller).
# Run from the top directory after `make bench` built build/zsim-bench and zsim.

scenario() { # scenario KERNEL TRACE: the `replay` bench's machine replaying TRACE
	f="$tmp/s-$1-$(basename "$2" .zst).yaml"
	z=DMA32
	[ "$1" = 2.4 ] && z=Normal
	printf 'machine:\n  cpus: 2\n  hz: 250\n  swap: 256MiB\n  nodes:\n    - zones:\n' >"$f"
	printf '        - {type: DMA, size: 16MiB}\n        - {type: %s, size: 1008MiB}\n' "$z" >>"$f"
	printf 'workload:\n  - {type: trace, path: "%s"}\nduration: auto\n' "$2" >>"$f"
	echo "$f"
}

# $tmp/hog.zst (the hog fixture, cooked native) and $tmp/zipf.zst (the Zipf stream, cooked),
# and each as a raw native trace, $tmp/hog-raw.zst and $tmp/zipf-raw.zst, for a build of a
# commit before the cooked format
make_streams() {
	./zsim trace convert tests/fixtures/perf-anon-hog-256m.txt.xz "$tmp/hog.zst" >/dev/null
	./zsim trace convert --to native-raw tests/fixtures/perf-anon-hog-256m.txt.xz \
		"$tmp/hog-raw.zst" >/dev/null
	# the Zipf stream as the replay bench generates it (it keeps the files when asked)
	ZSIM_BENCH_KEEP=1 ./build/zsim-bench replay >/dev/null &
	pid=$!
	wait $pid
	mv "/tmp/zsim-bench-$pid-zipf.zst" "$tmp/zipf.zst"
	mv "/tmp/zsim-bench-$pid-zipf.zst.raw" "$tmp/zipf-raw.zst"
}
