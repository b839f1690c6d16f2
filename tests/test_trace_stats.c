/* test_trace_stats.c - the cooked stream and `zsim trace stats` on the real traces, against independent counts. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "sim/cmds.h"
#include "sim/diag.h"
#include "workloads/trace.h"

#define FTRACE "tests/fixtures/ftrace-anon-hog-8m.txt.xz"
#define HOG "tests/fixtures/perf-anon-hog-256m.txt.xz"
#define DD "tests/fixtures/perf-dd-pagecache.txt.xz"

/* ==================== an independent reference count ==================== */

/*
 * A second, deliberately naive implementation of the rules in trace.h, run over
 * the text as the `xz` program decodes it (so neither zsim's decoder nor its
 * tokenizer nor its hash table is involved): strstr/sscanf per line and a state
 * array indexed directly by pfn.  It has no forgetting window: in these traces a
 * batched free follows its mm_page_free within 1,059 lines at most (measured with
 * a script over the decompressed text), far inside the cook's 2^18 events.
 */
struct ref {
	uint64_t lines, events, allocs[16], frees[16], unmatched, dup, dbl, realloc, failed;
	uint64_t drain, zl, live_blocks, live_pages, peak;
};

#define REF_PFNS (1u << 24)

static void
ref_count(const char *xz, struct ref *r)
{
	char cmd[512], *line = NULL;
	size_t cap = 0;
	unsigned char *state = calloc(REF_PFNS, 1); /* 0 none, 'L', 'F', 'B' */
	unsigned char *order = calloc(REF_PFNS, 1);
	FILE *p;

	cr_assert(state && order);
	memset(r, 0, sizeof(*r));
	snprintf(cmd, sizeof(cmd), "xz -dc '%s'", xz);
	p = popen(cmd, "r");
	cr_assert(p, "cannot run xz");
	while (getline(&line, &cap, p) > 0) {
		const char *s, *e;
		unsigned long long pfn;
		unsigned o = 0;
		int batched;

		r->lines++;
		for (s = line; *s == ' '; s++)
			;
		if (*s == '#' || *s == '\n' || *s == '\0')
			continue;
		r->events++;
		if (strstr(line, "mm_page_alloc_zone_locked:")) {
			r->zl++;
			continue;
		}
		if (strstr(line, "mm_page_pcpu_drain:")) {
			r->drain++;
			continue;
		}
		s = strstr(line, " pfn=");
		e = strstr(line, " order=");
		if (!s || !e)
			continue;
		cr_assert_eq(sscanf(s + 5, "%lli", &pfn), 1);
		cr_assert_eq(sscanf(e + 7, "%u", &o), 1);
		cr_assert_lt(pfn, REF_PFNS);
		if (strstr(line, "mm_page_alloc:")) {
			if (pfn == 0 && strstr(line, "page=(nil)")) {
				r->failed++;
				continue;
			}
			r->allocs[o]++;
			if (state[pfn] == 'L') {
				r->realloc++;
				r->live_blocks--;
				r->live_pages -= 1u << order[pfn];
			}
			state[pfn] = 'L';
			order[pfn] = (unsigned char)o;
			r->live_blocks++;
			r->live_pages += 1u << o;
			if (r->live_pages > r->peak)
				r->peak = r->live_pages;
			continue;
		}
		batched = strstr(line, "mm_page_free_batched:") || strstr(line, "mm_pagevec_free:");
		if (!batched && !strstr(line, "mm_page_free:") && !strstr(line, "mm_page_free_direct:"))
			continue;
		if (state[pfn] == 'L') {
			r->frees[order[pfn]]++;
			r->live_blocks--;
			r->live_pages -= 1u << order[pfn];
		} else if (state[pfn] == 'F' && batched) {
			r->dup++;
		} else if (state[pfn]) {
			r->dbl++;
		} else {
			r->unmatched++;
		}
		state[pfn] = batched ? 'B' : 'F';
	}
	cr_assert_eq(pclose(p), 0, "xz failed on %s", xz);
	free(line);
	free(state);
	free(order);
}

/* Cook path to the end and return a copy of its counts. */
static struct zs_trace_counts
cook(const char *path)
{
	struct zs_error err = { 0, "" };
	struct zs_page_event pe;
	struct zs_trace_cook *c = zs_trace_cook_open(path, ZS_TRACE_AUTO, 0, &err);
	struct zs_trace_counts k;
	int rc;

	cr_assert(c, "%s", err.msg);
	while ((rc = zs_trace_cook_next(c, &pe, &err)) > 0)
		;
	cr_assert_eq(rc, 0, "%s", err.msg);
	k = *zs_trace_cook_counts(c);
	zs_trace_cook_close(c);
	return k;
}

static void
assert_matches_ref(const struct zs_trace_counts *k, const struct ref *r)
{
	uint64_t a = 0, f = 0;

	cr_assert_eq(k->lines, r->lines);
	cr_assert_eq(k->events, r->events);
	for (int i = 0; i < 16; i++) {
		cr_assert_eq(k->allocs_by_order[i], r->allocs[i], "allocs order %d", i);
		cr_assert_eq(k->frees_by_order[i], r->frees[i], "frees order %d", i);
		a += k->allocs_by_order[i];
		f += k->frees_by_order[i];
	}
	cr_assert_eq(k->unmatched_frees, r->unmatched);
	cr_assert_eq(k->duplicate_batched_frees, r->dup);
	cr_assert_eq(k->double_frees, r->dbl);
	cr_assert_eq(k->realloc_live, r->realloc);
	cr_assert_eq(k->alloc_failed_in_trace, r->failed);
	cr_assert_eq(k->pcpu_drain, r->drain);
	cr_assert_eq(k->zone_locked, r->zl);
	cr_assert_eq(k->live_blocks, r->live_blocks);
	cr_assert_eq(k->live_pages, r->live_pages);
	cr_assert_eq(k->peak_live_pages, r->peak);
	/* the cooked stream's invariant (trace.h) */
	cr_assert_eq(a, f + k->realloc_live + k->live_blocks);
}

/*
 * Expected numbers below were derived with a separate Python script over
 * `xz -dc FILE` (regex per line, a dict of pfn -> last event), and the line and
 * event-kind totals cross-checked with `xz -dc FILE | wc -l` and
 * `xz -dc FILE | awk '{for (i=1;i<=NF;i++) if ($i ~ /^(kmem:)?mm_/) {print $i; break}}' | sort | uniq -c`.
 */

Test(trace_stats, ftrace_hog_8m)
{
	struct zs_trace_counts k = cook(FTRACE);
	struct ref r;

	cr_assert_eq(k.lines, 7255);     /* wc -l */
	cr_assert_eq(k.events, 7243);    /* 3609 mm_page_alloc + 3634 mm_page_free */
	cr_assert_eq(k.allocs_by_order[0], 3609);
	cr_assert_eq(k.frees_by_order[0], 3505);
	cr_assert_eq(k.unmatched_frees, 128);
	cr_assert_eq(k.double_frees, 1);  /* line 7227: pfn 0x10b0a2 freed again, no alloc between */
	cr_assert_eq(k.realloc_live, 1);  /* line 4727: pfn 0x1048e3 allocated twice, no free between */
	cr_assert_eq(k.duplicate_batched_frees, 0);
	cr_assert_eq(k.live_blocks, 103);
	cr_assert_eq(k.peak_live_pages, 2683);
	cr_assert_eq(k.first_ns, INT64_C(292786593000));
	cr_assert_eq(k.last_ns, INT64_C(293096145000));
	ref_count(FTRACE, &r);
	assert_matches_ref(&k, &r);
}

Test(trace_stats, perf_hog_256m)
{
	struct zs_trace_counts k = cook(HOG);
	struct ref r;
	static const uint64_t allocs[7] = { 133734, 447, 296, 257, 253, 132, 1 };

	cr_assert_eq(k.lines, 636295);
	cr_assert_eq(k.events, 636295);
	for (int i = 0; i < 7; i++)
		cr_assert_eq(k.allocs_by_order[i], allocs[i], "order %d", i);
	cr_assert_eq(k.frees_by_order[0], 131472);
	cr_assert_eq(k.unmatched_frees, 72);
	/* 131133 batched lines: 131130 follow their mm_page_free, 3 are repeated lines */
	cr_assert_eq(k.duplicate_batched_frees, 131130);
	cr_assert_eq(k.double_frees, 4);
	cr_assert_eq(k.realloc_live, 5);
	cr_assert_eq(k.pcpu_drain, 113856);
	cr_assert_eq(k.zone_locked, 124641);
	cr_assert_eq(k.live_blocks, 3643);
	cr_assert_eq(k.live_pages, 14727);
	cr_assert_eq(k.peak_live_pages, 76217);
	cr_assert_eq(k.first_ns, INT64_C(207090643000));
	cr_assert_eq(k.last_ns, INT64_C(208722124000));
	ref_count(HOG, &r);
	assert_matches_ref(&k, &r);
}

Test(trace_stats, perf_dd_pagecache)
{
	struct zs_trace_counts k = cook(DD);
	struct ref r;

	cr_assert_eq(k.lines, 4486);
	cr_assert_eq(k.allocs_by_order[0], 1797);
	cr_assert_eq(k.allocs_by_order[8], 200); /* order-8 folios of dd's page cache */
	cr_assert_eq(k.frees_by_order[8], 200);
	cr_assert_eq(k.frees_by_order[0], 1762);
	cr_assert_eq(k.unmatched_frees, 73);
	cr_assert_eq(k.duplicate_batched_frees, 447); /* every batched line */
	cr_assert_eq(k.double_frees, 0);
	cr_assert_eq(k.realloc_live, 0);
	cr_assert_eq(k.live_blocks, 42);
	cr_assert_eq(k.live_pages, 103);
	cr_assert_eq(k.peak_live_pages, 52851);
	ref_count(DD, &r);
	assert_matches_ref(&k, &r);
}

/* ==================== the command ==================== */

struct run {
	int rc;
	char out[8192], err[4096];
};

static void
slurp(int fd, char *buf, size_t len)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* Run zs_cmd_trace(argv) with stdout and stderr captured. */
static void
run_trace(struct run *r, int argc, const char **argv)
{
	FILE *o = tmpfile(), *e = tmpfile();
	int so = dup(1), se = dup(2);

	cr_assert(o && e && so >= 0 && se >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	r->rc = zs_cmd_trace(argc, (char **)argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(fileno(o), r->out, sizeof(r->out));
	slurp(fileno(e), r->err, sizeof(r->err));
	fclose(o);
	fclose(e);
}

Test(trace_stats, command_prints_keys)
{
	const char *argv[] = { "trace", "stats", DD };
	struct run r;

	run_trace(&r, 3, argv);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\nformat: perf\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nlines: 4486\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nevents: 4486\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nallocs: 2004\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nallocs_order_8: 200\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nfrees_order_0: 1762\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nunmatched_frees: 73\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nnever_freed: 42\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\npeak_live_pages: 52851\n"), "%s", r.out);
	/* 232.823120 - 232.573798 */
	cr_assert(strstr(r.out, "\nduration_s: 0.249322\n"), "%s", r.out);
	/* 4486 / 0.249322 */
	cr_assert(strstr(r.out, "\nevents_per_s: 17992.8\n"), "%s", r.out);
	/* leading composite of each mm_page_alloc gfp_flags (`grep -o 'gfp_flags=[^|]*'`) */
	cr_assert(strstr(r.out, "\ngfp_GFP_NOFS: 1311\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\ngfp_GFP_HIGHUSER_MOVABLE: 609\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\ngfp_GFP_KERNEL_ACCOUNT: 60\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\ngfp_GFP_NOWAIT: 23\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\ngfp_GFP_HIGHUSER: 1\n"), "%s", r.out);
	cr_assert_eq(r.err[0], '\0', "%s", r.err);
}

Test(trace_stats, command_ftrace_format_override)
{
	const char *argv[] = { "trace", "stats", FTRACE, "--format", "ftrace" };
	const char *bad[] = { "trace", "stats", FTRACE, "--format=perf" };
	struct run r;

	run_trace(&r, 5, argv);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\nformat: ftrace\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\ngfp_GFP_HIGHUSER_MOVABLE: 3063\n"), "%s", r.out);
	/* read as perf, "bash-7649" still splits (the older perf layout), so it works */
	run_trace(&r, 4, bad);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\nformat: perf\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nallocs: 3609\n"), "%s", r.out);
}

/* A small perf trace whose line 5 has an order out of range. */
static void
write_bad_trace(char *path)
{
	static const char text[] =
		"            perf  3881 [001]   207.090643:             kmem:mm_page_alloc: page=0x10a8b5 pfn=0x10a8b5 order=0 migratetype=0 gfp_flags=GFP_HIGHUSER|__GFP_ACCOUNT\n"
		"            perf  3881 [001]   207.090680:             kmem:mm_page_alloc: page=0x109869 pfn=0x109869 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		"       perf-exec  3882 [000]   207.090744:             kmem:mm_page_alloc: page=0x10a844 pfn=0x10a844 order=0 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP\n"
		"       perf-exec  3882 [000]   207.091193:              kmem:mm_page_free: page=0x10a8b5 pfn=0x10a8b5 order=0\n"
		"       perf-exec  3882 [000]   207.091195:              kmem:mm_page_free: page=0x122589 pfn=0x122589 order=17\n"
		"       perf-exec  3882 [000]   207.091196:      kmem:mm_page_free_batched: page=0x10a8b5 pfn=0x10a8b5 order=0\n";
	int fd;

	strcpy(path, "/tmp/zsim-test-bad-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
}

Test(trace_stats, malformed_line_stops_with_65)
{
	char path[64], want[96];
	const char *argv[] = { "trace", "stats", path };
	struct run r;

	write_bad_trace(path);
	run_trace(&r, 3, argv);
	unlink(path);
	cr_assert_eq(r.rc, EX_DATAERR);
	snprintf(want, sizeof(want), "zsim: %s:5: ", path);
	cr_assert(strstr(r.err, want), "%s", r.err);
	cr_assert(strstr(r.err, "order 17"), "%s", r.err);
	cr_assert_eq(r.out[0], '\0', "no stats on failure: %s", r.out);
}

Test(trace_stats, skip_bad_lines_counts)
{
	char path[64];
	const char *argv[] = { "trace", "stats", path, "--skip-bad-lines" };
	struct run r;

	write_bad_trace(path);
	run_trace(&r, 4, argv);
	unlink(path);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\nbad_lines: 1\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nlines: 6\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nevents: 5\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nallocs: 3\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nfrees: 1\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nduplicate_batched_frees: 1\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nnever_freed: 2\n"), "%s", r.out);
}

Test(trace_stats, usage_and_input_errors)
{
	const char *none[] = { "trace" };
	const char *unknown[] = { "trace", "frobnicate" };
	const char *noarg[] = { "trace", "stats" };
	const char *badopt[] = { "trace", "stats", DD, "--colour" };
	const char *badfmt[] = { "trace", "stats", DD, "--format", "pcap" };
	const char *missing[] = { "trace", "stats", "tests/fixtures/no-such-trace.txt" };
	struct run r;

	run_trace(&r, 1, none);
	cr_assert_eq(r.rc, EX_USAGE);
	run_trace(&r, 2, unknown);
	cr_assert_eq(r.rc, EX_USAGE);
	cr_assert(strstr(r.err, "frobnicate"), "%s", r.err);
	run_trace(&r, 2, noarg);
	cr_assert_eq(r.rc, EX_USAGE);
	run_trace(&r, 4, badopt);
	cr_assert_eq(r.rc, EX_USAGE);
	cr_assert(strstr(r.err, "--colour"), "%s", r.err);
	run_trace(&r, 5, badfmt);
	cr_assert_eq(r.rc, EX_USAGE);
	run_trace(&r, 3, missing);
	cr_assert_eq(r.rc, EX_NOINPUT);
	cr_assert(strstr(r.err, "zsim: cannot open tests/fixtures/no-such-trace.txt"), "%s", r.err);
}

Test(trace_stats, not_a_trace)
{
	char path[64];
	const char *argv[] = { "trace", "stats", path };
	struct run r;
	int fd;

	strcpy(path, "/tmp/zsim-test-junk-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "hello\nworld\n", 12), 12);
	close(fd);
	run_trace(&r, 3, argv);
	unlink(path);
	cr_assert_eq(r.rc, EX_DATAERR);
	cr_assert(strstr(r.err, "not a perf script, ftrace or zsim native trace"), "%s", r.err);
}

/* The cook's decisions on a hand-made sequence, one rule at a time. */
Test(trace_stats, cook_rules_in_order)
{
	static const char text[] =
		"# 1 alloc A\n"
		"a-1 [000] 1.000001: mm_page_alloc: page=x pfn=0x10 order=1 migratetype=0 gfp_flags=GFP_KERNEL\n"
		"a-1 [000] 1.000002: mm_page_free: page=x pfn=0x10 order=1\n"
		"a-1 [000] 1.000003: mm_page_free_batched: page=x pfn=0x10 order=0\n"
		"a-1 [000] 1.000004: mm_page_free: page=x pfn=0x20 order=0\n"
		"a-1 [000] 1.000005: mm_page_free_batched: page=x pfn=0x20 order=0\n"
		"a-1 [000] 1.000006: mm_page_alloc: page=x pfn=0x30 order=0 migratetype=1 gfp_flags=none\n"
		"a-1 [000] 1.000007: mm_page_alloc: page=x pfn=0x30 order=2 migratetype=1 gfp_flags=none\n"
		"a-1 [000] 1.000008: mm_page_alloc: page=(null) pfn=0 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		"a-1 [000] 1.000009: mm_page_alloc_zone_locked: page=x pfn=0x40 order=0 migratetype=0 percpu_refill=1\n"
		"a-1 [000] 1.000010: mm_page_pcpu_drain: page=x pfn=0x40 order=0 migratetype=0\n"
		"a-1 [000] 1.000011: mm_pagevec_free: page=x pfn=0x30 order=2 cold=0\n"
		"a-1 [000] 1.000012: mm_page_free_direct: page=x pfn=0x30 order=2\n";
	char path[64];
	struct zs_error err = { 0, "" };
	struct zs_page_event pe;
	struct zs_trace_cook *c;
	const struct zs_trace_counts *k;
	int fd;

	strcpy(path, "/tmp/zsim-test-cook-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	c = zs_trace_cook_open(path, ZS_TRACE_FTRACE, 0, &err);
	unlink(path);
	cr_assert(c, "%s", err.msg);

	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.pfn == 0x10 && pe.order == 1 && pe.line == 2);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_FREE && pe.pfn == 0x10 && pe.order == 1 && pe.line == 3);
	/* line 4 is the batched twin of 3, 5 an unmatched free, 6 its batched twin: consumed */
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.pfn == 0x30 && pe.order == 0 && pe.line == 7);
	/* line 8 reallocates a live pfn: implied free of the order-0 block, then the alloc */
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_FREE && pe.pfn == 0x30 && pe.order == 0 &&
		  pe.flags == ZS_PEF_IMPLIED && pe.line == 8);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.pfn == 0x30 && pe.order == 2 && pe.migratetype == 1);
	/* 9 failed, 10-11 per-cpu traffic, 12 old-name batched free (alone: a real free) */
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_FREE && pe.pfn == 0x30 && pe.order == 2 && pe.line == 12);
	/* 13 frees it again: a double free, consumed */
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 0);

	k = zs_trace_cook_counts(c);
	cr_assert_eq(k->duplicate_batched_frees, 2);
	cr_assert_eq(k->unmatched_frees, 1);
	cr_assert_eq(k->double_frees, 1);
	cr_assert_eq(k->realloc_live, 1);
	cr_assert_eq(k->alloc_failed_in_trace, 1);
	cr_assert_eq(k->zone_locked, 1);
	cr_assert_eq(k->pcpu_drain, 1);
	cr_assert_eq(k->live_blocks, 0);
	cr_assert_eq(k->live_pages, 0);
	cr_assert_eq(k->peak_live_pages, 4);
	cr_assert_eq(k->events, 12);
	cr_assert_eq(k->lines, 13);
	zs_trace_cook_close(c);
}

Test(trace_stats, emit_skipped_flags_them)
{
	static const char text[] = "a-1 [000] 1.000001: mm_page_free: page=x pfn=0x20 order=0\n"
				   "a-1 [000] 1.000002: mm_page_free_batched: page=x pfn=0x20 order=0\n"
				   "a-1 [000] 1.000003: mm_page_free_batched: page=x pfn=0x20 order=0\n";
	char path[64];
	struct zs_error err = { 0, "" };
	struct zs_page_event pe;
	struct zs_trace_cook *c;
	int fd;

	strcpy(path, "/tmp/zsim-test-skip-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	c = zs_trace_cook_open(path, ZS_TRACE_AUTO, 0, &err);
	unlink(path);
	cr_assert(c, "%s", err.msg);
	zs_trace_cook_emit_skipped(c, 1);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert_eq(pe.flags, ZS_PEF_UNMATCHED);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert_eq(pe.flags, ZS_PEF_DUPLICATE);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert_eq(pe.flags, ZS_PEF_DOUBLE);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 0);
	zs_trace_cook_close(c);
}

/* A batched twin older than the cook's window (2^18 page events) is forgotten. */
Test(trace_stats, forgetting_window)
{
	char path[64];
	struct zs_error err = { 0, "" };
	struct zs_page_event pe;
	struct zs_trace_cook *c;
	const struct zs_trace_counts *k;
	FILE *f;
	int fd;

	strcpy(path, "/tmp/zsim-test-window-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fprintf(f, "a-1 [000] 1.000001: mm_page_free: page=x pfn=0x1 order=0\n");
	/* 2^18 + 1 allocations of other pfns: the table grows and rebuilds on the way */
	for (int i = 0; i < (1 << 18) + 1; i++)
		fprintf(f, "a-1 [000] 1.000002: mm_page_alloc: page=x pfn=%d order=0 gfp_flags=none\n",
			0x100000 + i);
	fprintf(f, "a-1 [000] 1.000003: mm_page_free: page=x pfn=0x2 order=0\n");
	fprintf(f, "a-1 [000] 1.000004: mm_page_free_batched: page=x pfn=0x2 order=0\n");
	fprintf(f, "a-1 [000] 1.000005: mm_page_free_batched: page=x pfn=0x1 order=0\n");
	cr_assert_eq(fclose(f), 0);
	c = zs_trace_cook_open(path, ZS_TRACE_FTRACE, 0, &err);
	cr_assert(c, "%s", err.msg);
	while (zs_trace_cook_next(c, &pe, &err) > 0)
		;
	unlink(path);
	k = zs_trace_cook_counts(c);
	cr_assert_eq(k->live_blocks, (1 << 18) + 1);
	cr_assert_eq(k->duplicate_batched_frees, 1); /* pfn 0x2: right after its free */
	cr_assert_eq(k->unmatched_frees, 3);         /* 0x1, 0x2, and 0x1's late twin */
	zs_trace_cook_close(c);
}
