/*
 * test_robust.c - hostile and careless input to the zsim binary (issue 12):
 * every case ends with a clear message, a documented exit status and no result
 * files, in bounded time.  Commands that used to hang or crawl run under
 * `timeout`, so a regression fails (124) instead of stalling the suite.
 * Runs ZSIM_BIN (set by `make test`) from the repository top.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/diag.h"
#include "tests/support.h"
#include "workloads/trace.h"

static char T[64];
static char err[8192];

static void
mk_tmp(void)
{
	snprintf(T, sizeof(T), "/tmp/zsim-robust.XXXXXX");
	cr_assert(mkdtemp(T));
}

static void
rm_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", T);
	cr_assert_eq(system(cmd), 0);
}

/*
 * Run a shell command with $Z = the zsim binary and $T = this test's directory;
 * its stderr lands in err[].  Returns the exit status, 128 + N for signal N.
 */
static int
sh(const char *fmt, ...)
{
	const char *bin = getenv("ZSIM_BIN");
	char body[4096], cmd[4600], path[96];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/.stderr", T);
	snprintf(cmd, sizeof(cmd), "Z=%s; T=%s; export Z T; ( %s ) </dev/null 2>%s",
		 bin ? bin : "./zsim", T, body, path);
	st = system(cmd);
	char *e = zt_read_file(path, NULL);
	snprintf(err, sizeof(err), "%s", e ? e : "");
	free(e);
	unlink(path);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", T, name);
	f = fopen(path, "w");
	cr_assert(f, "%s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static char *
slurp(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", T, name);
	return zt_read_file(path, NULL);
}

static int
exists(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", T, name);
	return zt_exists(path);
}

/* How many names in $T/dir start with '.' and are not . or .. (temporaries). */
static int
hidden_files(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s/%s 2>/dev/null | grep '^\\.')\"", T, dir);
	return system(cmd) != 0;
}

#define expect_msg(s) cr_assert(strstr(err, s), "stderr lacks \"%s\":\n%s", s, err)

TestSuite(robust, .init = mk_tmp, .fini = rm_tmp, .timeout = 120);

/* ---- crashes and undefined behaviour ---- */

Test(robust, movable_and_reclaimable_refused_at_load_with_position)
{
	put("mt.yaml", "kernel: {version: \"2.6.32\"}\n"
		       "workload: [{type: simple, gfp: \"__GFP_MOVABLE|__GFP_RECLAIMABLE\", rate: 10}]\n"
		       "duration: 1s\n");
	cr_assert_eq(sh("$Z run $T/mt.yaml -q --out $T/out"), 65, "%s", err);
	expect_msg("mt.yaml:2:32: gfp flags");
	expect_msg("MIGRATE_RESERVE");
	cr_assert(!exists("out"));
	put("all.yaml", "kernel: {version: \"2.6.32\"}\n"
			"workload: [{type: simple, gfp: \"0xffffffff\", rate: 10}]\n");
	cr_assert_eq(sh("$Z check $T/all.yaml"), 65, "%s", err);
	expect_msg("all.yaml:2:32:");
	/* 2.6.18 has no mobility grouping: the same flags are dropped there, not refused */
	cr_assert_eq(sh("$Z check $T/mt.yaml --kernel 2.6.18 >/dev/null"), 0, "%s", err);
}

static const char perf_mixed[] =
	"            perf  4293 [001]   232.573798:        kmem:mm_page_alloc: page=0x104ebb "
	"pfn=0x104ebb order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"            perf  4293 [001]   232.573898:        kmem:mm_page_alloc: page=0x104ebc "
	"pfn=0x104ebc order=0 migratetype=3 gfp_flags=__GFP_MOVABLE|__GFP_RECLAIMABLE\n";

Test(robust, movable_and_reclaimable_trace_line_refused_with_its_line)
{
	char *s;

	put("mt.txt", perf_mixed);
	cr_assert_eq(sh("$Z replay $T/mt.txt -q --out $T/out"), 65, "%s", err);
	expect_msg("mt.txt:2: gfp_flags has both __GFP_MOVABLE and __GFP_RECLAIMABLE");
	cr_assert(!exists("out"));
	cr_assert_eq(sh("$Z replay $T/mt.txt -q --skip-bad-lines --out $T/out"), 0, "%s", err);
	s = slurp("out/summary.txt");
	cr_assert(s && strstr(s, "source0_skipped_mixed_mobility: 1\n"), "%s", s);
	cr_assert(strstr(s, "alloc_ok: 1\n"), "%s", s);
	free(s);
	/* 2.4.0 has no such flags: the line replays as an ordinary allocation */
	put("m24.yaml", "kernel: {version: \"2.4\"}\nmachine: {memory: 64MiB}\n");
	cr_assert_eq(sh("$Z replay $T/mt.txt $T/m24.yaml -q --out $T/o24"), 0, "%s", err);
}

Test(robust, sizes_past_2_pow_64_are_errors)
{
	put("m1.yaml", "machine: {memory: 1e20}\n");
	cr_assert_eq(sh("$Z check $T/m1.yaml"), 65);
	expect_msg("m1.yaml:1:19: size '1e20' is too large");
	put("m2.yaml", "machine: {memory: 1e30MiB}\n");
	cr_assert_eq(sh("$Z check $T/m2.yaml"), 65);
	expect_msg("m2.yaml:1:19: size '1e30MiB' is too large");
	put("s.yaml", "machine: {memory: 64MiB, swap: 1e30MiB}\n");
	cr_assert_eq(sh("$Z check $T/s.yaml"), 65, "swap 1e30MiB taken as 0: %s", err);
	expect_msg("s.yaml:1:32: size '1e30MiB' is too large");
	cr_assert_eq(sh("$Z check configs/default.yaml --set machine.memory=18446744073709551616"),
		     65);
	expect_msg("--set machine.memory=18446744073709551616: size");
}

/* A native trace of two allocations at the given times (via the project's writer). */
static void
native_two(const char *name, int64_t t1, int64_t t2)
{
	char path[128];
	struct zs_error e = {0, ""};
	struct zs_trace_event ev;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", T, name);
	f = fopen(path, "wb");
	cr_assert(f);
	struct zs_trace_writer *w = zs_trace_native_create(f, path, ZS_TRACE_PERF, &e);
	cr_assert(w, "%s", e.msg);
	memset(&ev, 0, sizeof(ev));
	ev.ev = ZS_TEV_ALLOC;
	ev.pid = 7;
	ev.migratetype = -1;
	ev.gfp_modern = 0;
	for (int i = 0; i < 2; i++) {
		ev.time_ns = i ? t2 : t1;
		ev.pfn = 100 + (uint64_t)i;
		ev.line = (uint64_t)i + 1;
		cr_assert_eq(zs_trace_native_put(w, &ev, &e), 0, "%s", e.msg);
	}
	cr_assert_eq(zs_trace_native_finish(w, 2, &e), 0, "%s", e.msg);
	cr_assert_eq(fclose(f), 0);
}

Test(robust, int64_extreme_timestamps)
{
	char *s;

	native_two("x.zst", INT64_MIN, INT64_MAX);
	cr_assert_eq(sh("$Z trace stats $T/x.zst > $T/stats.txt"), 0, "%s", err);
	s = slurp("stats.txt");
	cr_assert(s && strstr(s, "duration_s: 18446744073.7"), "%s", s);
	free(s);
	cr_assert_eq(sh("timeout 60 $Z replay $T/x.zst -q --out $T/out"), 65, "%s", err);
	expect_msg("x.zst:2: this event comes");
	cr_assert(!exists("out"));
}

/* ---- hangs and unbounded cost ---- */

Test(robust, auto_duration_that_cannot_end_is_refused)
{
	put("a.yaml", "workload:\n  - {type: simple, rate: 10}\nduration: auto\n");
	cr_assert_eq(sh("$Z check $T/a.yaml"), 65);
	expect_msg("a.yaml:2:5: `duration: auto` runs until every source ends");
	put("b.yaml", "workload:\n  - {type: simple, rate: 10, stop: 100ms}\nduration: auto\n");
	cr_assert_eq(sh("timeout 60 $Z run $T/b.yaml -q --out $T/b"), 0, "%s", err);
	put("c.yaml", "workload:\n  - type: phases\n    phases:\n"
		      "      - {stop: 100ms, source: {type: anon}}\n"
		      "      - {source: {type: kernel}}\nduration: auto\n");
	cr_assert_eq(sh("$Z check $T/c.yaml"), 65);
	expect_msg("c.yaml:2:5:");
}

Test(robust, stall_ends_the_run_with_a_message_and_a_summary_key)
{
	char *s;

	/*
	 * All memory in unreclaimable kernel pages: 2.4.0 __alloc_pages() answers an
	 * order-0 GFP_KERNEL request it cannot serve with wakeup_kswapd(1) and `goto
	 * try_again`, forever - the kernel's own livelock, which the run must survive.
	 */
	put("full.yaml", "machine: {memory: 32MiB}\nkernel: {version: \"2.4\"}\n"
			 "workload:\n  - {type: simple, rate: 100000, gfp: GFP_KERNEL, kind: kernel, "
			 "lifetime: forever, stop: 2s}\nduration: auto\n");
	cr_assert_eq(sh("timeout 100 $Z run $T/full.yaml --out $T/full"), 0, "%s", err);
	expect_msg("full on 2.4.0: stalled: no request started or completed for 120 s");
	s = slurp("full/summary.txt");
	cr_assert(s && strstr(s, "\nstalled_ns: 120"), "%s", s);
	free(s);

	/* the case: this trace stops progressing on 2.4.0 after 152 ms */
	cr_assert_eq(sh("timeout 100 $Z replay tests/fixtures/perf-dd-pagecache.txt.xz "
			"configs/mixed.yaml --kernel 2.4 --set duration=auto --out $T/st"),
		     0, "%s", err);
	expect_msg("stalled: no request started or completed for 120 s");
	s = slurp("st/summary.txt");
	cr_assert(s && strstr(s, "\nstalled_ns: 120"), "%s", s);
	cr_assert(strstr(s, "\nduration_ns: 120"), "%s", s);
	free(s);
}

Test(robust, replay_cut_short_says_how_far_it_got)
{
	char *s;

	cr_assert_eq(sh("$Z replay tests/fixtures/perf-dd-pagecache.txt.xz -q --set duration=50ms "
			"--out $T/cut"),
		     0, "%s", err);
	s = slurp("cut/summary.txt");
	cr_assert(s && strstr(s, "source0_trace_cut_short_at_line: "), "%s", s);
	free(s);
	cr_assert_eq(sh("$Z replay tests/fixtures/perf-dd-pagecache.txt.xz -q --out $T/whole"), 0,
		     "%s", err);
	s = slurp("whole/summary.txt");
	cr_assert(s && !strstr(s, "trace_cut_short_at_line"), "%s", s);
	free(s);
}

Test(robust, deep_nesting_stops_at_the_limit)
{
	cr_assert_eq(sh("python3 -c \"print('a: ' + '[' * 100000)\" > $T/deep.yaml"), 0);
	cr_assert_eq(sh("timeout 10 $Z check $T/deep.yaml"), 65, "%s", err);
	expect_msg("deep.yaml:1:67: nesting too deep");
}

Test(robust, workload_entries_and_values_are_bounded)
{
	cr_assert_eq(sh("{ echo 'workload:'; for i in $(seq 300); do "
			"echo '  - {type: simple, rate: 1}'; done; } > $T/w.yaml"),
		     0);
	cr_assert_eq(sh("$Z check $T/w.yaml"), 65);
	expect_msg("w.yaml:258:5: a scenario has at most 256 workload entries");
	cr_assert_eq(sh("python3 -c \"print('x: [' + '1,' * 300000 + '1]')\" > $T/v.yaml"), 0);
	cr_assert_eq(sh("timeout 20 $Z check $T/v.yaml"), 65);
	expect_msg("too many values in one scenario (at most 250000)");
	cr_assert_eq(sh("head -c 9000000 /dev/zero | tr '\\0' ' ' > $T/big.yaml"), 0);
	cr_assert_eq(sh("$Z check $T/big.yaml"), 65);
	expect_msg("a scenario is at most 8 MiB");
}

Test(robust, huge_machines_are_positioned_errors_before_allocating)
{
	put("m.yaml", "machine: {memory: 3000GiB}\nkernel: {version: \"2.6.32\"}\n");
	cr_assert_eq(sh("timeout 20 $Z check $T/m.yaml"), 65, "%s", err);
	expect_msg("m.yaml:1:19: 3072000 MiB of memory is more than zsim simulates");
	put("m24.yaml", "machine: {memory: 65GiB}\n");
	cr_assert_eq(sh("$Z check $T/m24.yaml"), 65);
	expect_msg("m24.yaml:1:19:");
	expect_msg("CONFIG_HIGHMEM64G");
	put("s.yaml", "machine: {memory: 64MiB, swap: 16383GiB}\n");
	cr_assert_eq(sh("timeout 20 $Z check $T/s.yaml"), 65, "%s", err);
	expect_msg("s.yaml:1:32: a 2.4.0 i386 swap area holds at most 16777215 pages");
	put("n.yaml", "machine:\n  nodes:\n"
		      "    - {zones: [{type: Normal, size: 9000GiB}]}\n"
		      "    - {zones: [{type: Normal, size: 9000GiB}]}\n"
		      "kernel: {version: \"2.6.32\"}\n");
	cr_assert_eq(sh("timeout 20 $Z check $T/n.yaml"), 65, "%s", err);
	expect_msg("n.yaml:3:5:");
	put("c.yaml", "machine:\n  nodes:\n"
		      "    - {cpus: 200, zones: [{type: Normal, size: 64MiB}]}\n"
		      "    - {cpus: 200, zones: [{type: Normal, size: 64MiB}]}\n"
		      "kernel: {version: \"2.6.32\"}\n");
	cr_assert_eq(sh("$Z check $T/c.yaml"), 65);
	expect_msg("c.yaml:3:5: the nodes have 400 CPUs in all; a machine has 1 to 256");
}

Test(robust, trace_time_span_and_backwards_time)
{
	put("span.txt",
	    "            perf  4293 [001]   1.000000:        kmem:mm_page_alloc: page=0x1 pfn=0x1 "
	    "order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	    "            perf  4293 [001]   9000000000.000000:        kmem:mm_page_alloc: page=0x2 "
	    "pfn=0x2 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	cr_assert_eq(sh("timeout 20 $Z replay $T/span.txt -q --out $T/out"), 65, "%s", err);
	expect_msg("span.txt:2: this event comes");
	expect_msg("--time-scale");
	cr_assert(!exists("out"));
	/* --time-scale brings it within a year */
	cr_assert_eq(sh("timeout 20 $Z replay $T/span.txt -q --time-scale 1e-8 --out $T/ok"), 0,
		     "%s", err);
	put("back.txt",
	    "            perf  4293 [001]   100.000000:        kmem:mm_page_alloc: page=0x1 pfn=0x1 "
	    "order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	    "            perf  4293 [001]   99.999000:        kmem:mm_page_alloc: page=0x2 pfn=0x2 "
	    "order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	    "            perf  4293 [001]   50.000000:        kmem:mm_page_alloc: page=0x3 pfn=0x3 "
	    "order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	cr_assert_eq(sh("$Z replay $T/back.txt -q --out $T/out"), 65, "%s", err);
	expect_msg("back.txt:3: time goes back 50.000 s");
}

/* ---- all or nothing ---- */

/* Start a long run in the background, wait until its temporaries exist, send sig. */
static int
run_and_signal(const char *sig)
{
	put("long.yaml", "workload: [{type: simple, rate: 1000}]\nduration: 3600s\n");
	return sh("$Z run $T/long.yaml -q --out $T/sig/res & pid=$!; "
		  "i=0; while [ -z \"$(ls -A $T/sig/res 2>/dev/null)\" ] && [ $i -lt 500 ]; do "
		  "sleep 0.02; i=$((i+1)); done; kill -%s $pid; wait $pid",
		  sig);
}

Test(robust, hup_and_quit_leave_no_files)
{
	static const char *const sigs[] = {"HUP", "QUIT", "INT", "TERM"};

	for (int i = 0; i < 4; i++) {
		int rc = run_and_signal(sigs[i]);

		cr_assert(rc > 128, "SIG%s: %d %s", sigs[i], rc, err);
		cr_assert(!exists("sig/res"), "SIG%s left the result directory", sigs[i]);
		cr_assert(!exists("sig"), "SIG%s left the directory it made", sigs[i]);
	}
}

Test(robust, stale_temporaries_of_dead_runs_are_removed)
{
	char *s;

	/* a pid that just exited, so nothing owns it */
	cr_assert_eq(sh("mkdir -p $T/res && sh -c 'exit 0' & wait; "
			"sh -c 'echo $$ > $T/deadpid'"),
		     0);
	s = slurp("deadpid");
	cr_assert(s);
	long pid = atol(s);
	free(s);
	cr_assert_eq(sh("mkdir -p $T/res && touch $T/res/.ticks.csv.tmp.%ld "
			"$T/res/.summary.txt.tmp.%ld $T/res/.events.csv.tmp.1",
			pid, pid),
		     0);
	cr_assert_eq(sh("$Z run configs/default.yaml -q --set duration=100ms --out $T/res"), 0,
		     "%s", err);
	char name[64];
	snprintf(name, sizeof(name), "res/.ticks.csv.tmp.%ld", pid);
	cr_assert(!exists(name), "stale temporary kept");
	/* pid 1 is alive: its file is not ours to remove */
	cr_assert(exists("res/.events.csv.tmp.1"));
}

Test(robust, a_failed_commit_leaves_no_partial_set)
{
	cr_assert_eq(sh("mkdir -p $T/res/summary.txt"), 0);
	cr_assert_eq(sh("$Z run configs/default.yaml -q --set duration=100ms --out $T/res"), 74,
		     "%s", err);
	expect_msg("summary.txt");
	cr_assert(!exists("res/ticks.csv"), "ticks.csv without its summary.txt");
	cr_assert(!hidden_files("res"), "temporaries left");
	/* a complete set in place, then a rerun: the new set replaces it whole */
	cr_assert_eq(sh("rmdir $T/res/summary.txt"), 0);
	cr_assert_eq(sh("$Z run configs/default.yaml -q --set duration=100ms --out $T/res"), 0);
	cr_assert(exists("res/ticks.csv") && exists("res/summary.txt"));
}

Test(robust, failure_after_mkdir_leaves_no_empty_directory)
{
	put("bad.txt", perf_mixed);
	cr_assert_eq(sh("$Z replay $T/bad.txt -q --out $T/new/sub"), 65, "%s", err);
	cr_assert(!exists("new"), "empty result directory left behind");
	/* a directory that existed before stays */
	cr_assert_eq(sh("mkdir -p $T/had"), 0);
	cr_assert_eq(sh("$Z replay $T/bad.txt -q --out $T/had"), 65);
	cr_assert(exists("had"));
}

Test(robust, trace_convert_signal_leaves_no_temporary)
{
	/* the input is a FIFO held open, so convert waits after its first lines */
	int rc = sh("mkfifo $T/in || exit 1; "
		    "{ xz -dc tests/fixtures/perf-dd-pagecache.txt.xz; sleep 30; } > $T/in & feeder=$!; "
		    "$Z trace convert $T/in $T/out.zst & pid=$!; "
		    "i=0; while [ -z \"$(ls -A $T | grep '^\\.out')\" ] && [ $i -lt 500 ]; do "
		    "sleep 0.02; i=$((i+1)); done; kill -HUP $pid; wait $pid; rc=$?; "
		    "kill $feeder 2>/dev/null; exit $rc");
	cr_assert_eq(rc, 128 + 1, "%d %s", rc, err);
	cr_assert(!hidden_files(""), "a .out.zst.XXXXXX temporary was left");
	cr_assert(!exists("out.zst"));
}

Test(robust, trace_convert_writes_through_non_regular_outputs)
{
	struct stat st;
	char p[128];
	char *s;

	cr_assert_eq(sh("ln -s /dev/null $T/null"), 0);
	cr_assert_eq(sh("$Z trace convert --to csv tests/fixtures/perf-dd-pagecache.txt.xz $T/null"),
		     0, "%s", err);
	snprintf(p, sizeof(p), "%s/null", T);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the symlink was replaced by a file");
	cr_assert_eq(sh("$Z trace convert --to csv tests/fixtures/perf-dd-pagecache.txt.xz "
			"/dev/stdout > $T/csv"),
		     0, "%s", err);
	s = slurp("csv");
	cr_assert(s && !strncmp(s, "time_ns,cpu,pid,comm,event", 26));
	free(s);
	/* a symlink to a regular file updates the file it points to */
	cr_assert_eq(sh("echo old > $T/target && ln -s target $T/link"), 0);
	cr_assert_eq(sh("$Z trace convert tests/fixtures/perf-dd-pagecache.txt.xz $T/link"), 0,
		     "%s", err);
	snprintf(p, sizeof(p), "%s/link", T);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(sh("$Z trace stats $T/target | grep -q 'format: native'"), 0, "%s", err);
}

/* ---- error discipline ---- */

Test(robust, run_without_scenario_is_usage)
{
	cr_assert_eq(sh("$Z run"), 64);
	expect_msg("a scenario file is needed");
	cr_assert(!strstr(err, "(null)"), "%s", err);
}

Test(robust, directory_as_scenario)
{
	cr_assert_eq(sh("$Z check $T"), 66);
	expect_msg("Is a directory");
	cr_assert_eq(sh("$Z run $T -q --out $T/o"), 66);
	expect_msg("Is a directory");
	/* and as a trace */
	cr_assert_eq(sh("$Z trace stats $T"), 66);
	expect_msg("Is a directory");
	cr_assert_eq(sh("$Z replay $T -q --out $T/o"), 66);
	expect_msg("Is a directory");
}

Test(robust, time_scale_zero_names_the_option)
{
	cr_assert_eq(sh("$Z replay tests/fixtures/perf-dd-pagecache.txt.xz --time-scale 0 -q "
			"--out $T/o"),
		     64);
	expect_msg("--time-scale wants a number");
	expect_msg("got '0'");
}

Test(robust, set_errors_name_the_set_argument)
{
	cr_assert_eq(sh("$Z check configs/default.yaml --set nosuch.key=1"), 65);
	expect_msg("--set nosuch.key=1: unknown key 'nosuch'");
	cr_assert(!strstr(err, "default.yaml:1"), "%s", err);
	cr_assert_eq(sh("$Z check configs/default.yaml --set machine.memroy=1"), 65);
	expect_msg("--set machine.memroy=1: unknown key 'memroy' (did you mean 'memory'?)");
	cr_assert_eq(sh("$Z check configs/default.yaml --set workload.0.rate=abc"), 65);
	expect_msg("--set workload.0.rate=abc:");
}

Test(robust, full_stdout_is_an_io_error)
{
	cr_assert_eq(sh("$Z check configs/default.yaml > /dev/full"), 74);
	expect_msg("standard output");
	cr_assert_eq(sh("$Z --help > /dev/full"), 74);
	expect_msg("standard output");
	cr_assert_eq(sh("$Z help run > /dev/full"), 74);
	cr_assert_eq(sh("$Z trace stats tests/fixtures/perf-dd-pagecache.txt.xz > /dev/full"), 74);
}

Test(robust, unwritable_result_directory_names_the_result_file)
{
	/* root writes anywhere an ordinary directory allows: /proc/self refuses even root */
	cr_assert_eq(sh("$Z run configs/default.yaml -q --set duration=100ms --out /proc/self"), 73);
	expect_msg("cannot create /proc/self/summary.txt");
	cr_assert(!strstr(err, ".tmp."), "%s", err);
	cr_assert_eq(sh("touch $T/file && $Z run configs/default.yaml -q --out $T/file/sub"), 73);
	expect_msg("cannot create directory");
}

Test(robust, events_csv_size_warning)
{
	cr_assert_eq(sh("ZSIM_EVENTS_WARN_MB=1 $Z run configs/default.yaml -q --events --out $T/ev"), 0,
		     "%s", err);
	expect_msg("warning: ");
	expect_msg("events.csv has passed 1 MiB");
	cr_assert_eq(sh("$Z run configs/default.yaml -q --events --set duration=100ms --out $T/ev2"),
		     0);
	cr_assert(!strstr(err, "warning"), "%s", err);
}
