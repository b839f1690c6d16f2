/*
 * test_trace_cooked.c - the cooked native format (version 2): what `zsim trace
 * convert` writes by default.  Cooking it gives the events and counts cooking the
 * raw trace gives, after every event; a replay of it is the replay of the raw
 * trace; and a record no cook could have written is refused at its number.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "sim/diag.h"
#include "tests/support.h"
#include "workloads/trace.h"

#define FTRACE "tests/fixtures/ftrace-anon-hog-8m.txt.xz"
#define HOG "tests/fixtures/perf-anon-hog-256m.txt.xz"
#define DD "tests/fixtures/perf-dd-pagecache.txt.xz"

static char dir[256];

static void
make_dir(void)
{
	zt_tmpdir(dir, sizeof(dir), "cooked");
}

static void
remove_dir(void)
{
	zt_rm_rf(dir);
}

TestSuite(trace_cooked, .init = make_dir, .fini = remove_dir);

/* `zsim trace convert IN OUT [--to TO]`; its status. */
static int
convert(const char *in, const char *out, const char *to, char *err, size_t len)
{
	char args[1024];

	snprintf(args, sizeof(args), "trace convert %s %s%s%s", in, out, to ? " --to " : "",
		 to ? to : "");
	return zt_zsim(args, err, len);
}

/* The counts, compared whole: every field of both must agree. */
static void
same_counts(const struct zs_trace_counts *a, const struct zs_trace_counts *b, uint64_t n)
{
	cr_assert(a->lines == b->lines && a->events == b->events && a->bad_lines == b->bad_lines,
		  "after event %llu: lines %llu/%llu events %llu/%llu", (unsigned long long)n,
		  (unsigned long long)a->lines, (unsigned long long)b->lines,
		  (unsigned long long)a->events, (unsigned long long)b->events);
	cr_assert(!memcmp(a->allocs_by_order, b->allocs_by_order, sizeof(a->allocs_by_order)) &&
			  !memcmp(a->frees_by_order, b->frees_by_order, sizeof(a->frees_by_order)),
		  "after event %llu: orders differ", (unsigned long long)n);
	cr_assert(a->unmatched_frees == b->unmatched_frees &&
			  a->duplicate_batched_frees == b->duplicate_batched_frees &&
			  a->double_frees == b->double_frees && a->realloc_live == b->realloc_live &&
			  a->free_order_mismatch == b->free_order_mismatch &&
			  a->alloc_failed_in_trace == b->alloc_failed_in_trace,
		  "after event %llu: quirk counts differ", (unsigned long long)n);
	cr_assert(a->pcpu_drain == b->pcpu_drain && a->zone_locked == b->zone_locked &&
			  a->other_events == b->other_events && a->lost_events == b->lost_events,
		  "after event %llu: other events differ", (unsigned long long)n);
	cr_assert(a->live_blocks == b->live_blocks && a->live_pages == b->live_pages &&
			  a->peak_live_pages == b->peak_live_pages && a->first_ns == b->first_ns &&
			  a->last_ns == b->last_ns,
		  "after event %llu: live pages or times differ", (unsigned long long)n);
}

/* Cook raw and cooked side by side: the same events, the same counts after each. */
static uint64_t
same_as_raw(const char *raw, const char *cooked)
{
	struct zs_error err = {0, ""};
	struct zs_trace_cook *a = zs_trace_cook_open(raw, ZS_TRACE_AUTO, 0, &err);
	struct zs_trace_cook *b = zs_trace_cook_open(cooked, ZS_TRACE_AUTO, 0, &err);
	struct zs_page_event x, y;
	uint64_t n = 0;
	int ra, rb;

	cr_assert(a && b, "%s", err.msg);
	cr_assert(!zs_trace_is_cooked(zs_trace_cook_reader(a)));
	cr_assert(zs_trace_is_cooked(zs_trace_cook_reader(b)));
	for (;;) {
		ra = zs_trace_cook_next(a, &x, &err);
		rb = zs_trace_cook_next(b, &y, &err);
		cr_assert_eq(ra, rb, "event %llu: %s", (unsigned long long)n, err.msg);
		if (ra <= 0)
			break;
		n++;
		cr_assert(x.ev == y.ev && x.time_ns == y.time_ns && x.pfn == y.pfn &&
				  x.pid == y.pid && x.cpu == y.cpu && x.order == y.order &&
				  x.migratetype == y.migratetype && x.gfp_modern == y.gfp_modern &&
				  x.line == y.line && x.flags == y.flags,
			  "event %llu (line %llu) differs", (unsigned long long)n,
			  (unsigned long long)x.line);
		same_counts(zs_trace_cook_counts(a), zs_trace_cook_counts(b), n);
	}
	cr_assert_eq(ra, 0, "%s", err.msg);
	same_counts(zs_trace_cook_counts(a), zs_trace_cook_counts(b), n);
	zs_trace_cook_close(a);
	zs_trace_cook_close(b);
	return n;
}

Test(trace_cooked, cooks_to_the_raw_traces_events_and_counts)
{
	const char *text[] = {FTRACE, HOG, DD};
	char raw[300], cooked[300], err[1024];

	for (int i = 0; i < 3; i++) {
		snprintf(raw, sizeof(raw), "%s/r%d.zst", dir, i);
		snprintf(cooked, sizeof(cooked), "%s/c%d.zst", dir, i);
		cr_assert_eq(convert(text[i], raw, "native-raw", err, sizeof(err)), 0, "%s", err);
		cr_assert_eq(convert(text[i], cooked, NULL, err, sizeof(err)), 0, "%s", err);
		uint64_t n = same_as_raw(raw, cooked);

		cr_assert_gt(n, 1000);
		/* the hog trace has every quirk a cooked trace must carry as counts */
		if (i == 1) {
			struct zs_error e = {0, ""};
			struct zs_trace_cook *c = zs_trace_cook_open(cooked, ZS_TRACE_AUTO, 0, &e);
			struct zs_page_event pe;

			cr_assert(c, "%s", e.msg);
			while (zs_trace_cook_next(c, &pe, &e) > 0)
				;
			const struct zs_trace_counts *k = zs_trace_cook_counts(c);

			cr_assert(k->duplicate_batched_frees > 100000 && k->unmatched_frees > 0 &&
					  k->realloc_live > 0 && k->pcpu_drain > 0,
				  "dup %llu unmatched %llu realloc %llu",
				  (unsigned long long)k->duplicate_batched_frees,
				  (unsigned long long)k->unmatched_frees,
				  (unsigned long long)k->realloc_live);
			zs_trace_cook_close(c);
		}
	}
}

Test(trace_cooked, converting_a_cooked_trace_again_changes_nothing)
{
	char a[300], b[300], err[1024];

	snprintf(a, sizeof(a), "%s/a.zst", dir);
	snprintf(b, sizeof(b), "%s/b.zst", dir);
	cr_assert_eq(convert(HOG, a, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(convert(a, b, "native", err, sizeof(err)), 0, "%s", err);
	/* the header names the source format: native the second time, perf the first */
	size_t la, lb;
	char *x = zt_read_file(a, &la), *y = zt_read_file(b, &lb);

	cr_assert(x && y && la == lb && la > 64);
	cr_assert_eq(x[24], ZS_TRACE_PERF);
	cr_assert_eq(y[24], ZS_TRACE_NATIVE);
	cr_assert_eq(memcmp(x + 64, y + 64, la - 64), 0);
	free(x);
	free(y);
}

/* Replay trace on kernel k into out; its status. */
static int
replay(const char *trace, const char *k, const char *out)
{
	char args[1024], err[1024];
	int rc;

	snprintf(args, sizeof(args), "replay %s --kernel %s --events -q --out %s", trace, k, out);
	rc = zt_zsim(args, err, sizeof(err));
	cr_assert_eq(rc, 0, "%s", err);
	return rc;
}

Test(trace_cooked, replays_as_the_raw_trace)
{
	static const char *const kernels[] = {"2.6.32", "2.6.18", "2.4"};
	static const char *const files[] = {"ticks.csv", "events.csv"};
	char raw[300], cooked[300], a[400], b[400], err[1024];

	snprintf(raw, sizeof(raw), "%s/raw.zst", dir);
	snprintf(cooked, sizeof(cooked), "%s/cooked.zst", dir);
	cr_assert_eq(convert(HOG, raw, "native-raw", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(convert(HOG, cooked, NULL, err, sizeof(err)), 0, "%s", err);
	for (int i = 0; i < 3; i++) {
		char ra[300], rb[300];

		snprintf(ra, sizeof(ra), "%s/out-raw-%d", dir, i);
		snprintf(rb, sizeof(rb), "%s/out-cooked-%d", dir, i);
		replay(raw, kernels[i], ra);
		replay(cooked, kernels[i], rb);
		for (int f = 0; f < 2; f++) {
			snprintf(a, sizeof(a), "%s/%s", ra, files[f]);
			snprintf(b, sizeof(b), "%s/%s", rb, files[f]);
			cr_assert(zt_same_file(a, b), "%s: %s differs", kernels[i], files[f]);
		}
		/* the summary: all but its scenario line, which names the trace */
		snprintf(a, sizeof(a), "%s/summary.txt", ra);
		snprintf(b, sizeof(b), "%s/summary.txt", rb);
		char *x = zt_read_file(a, NULL), *y = zt_read_file(b, NULL);

		cr_assert(x && y);
		cr_assert_str_eq(strchr(strstr(x, "\nscenario: ") + 1, '\n'),
				 strchr(strstr(y, "\nscenario: ") + 1, '\n'), "%s: summary differs",
				 kernels[i]);
		cr_assert_eq(strtoll(zt_summary_find(y, "source0_duplicate_batched_frees"), NULL, 10),
			     131130);
		free(x);
		free(y);
	}
}

Test(trace_cooked, stats_are_the_raw_traces)
{
	char raw[300], cooked[300], args[1024], a[300], b[300], err[1024];

	snprintf(raw, sizeof(raw), "%s/raw.zst", dir);
	snprintf(cooked, sizeof(cooked), "%s/cooked.zst", dir);
	cr_assert_eq(convert(HOG, raw, "native-raw", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(convert(HOG, cooked, NULL, err, sizeof(err)), 0, "%s", err);
	snprintf(a, sizeof(a), "%s/a.txt", dir);
	snprintf(b, sizeof(b), "%s/b.txt", dir);
	const char *bin = getenv("ZSIM_BIN") ? getenv("ZSIM_BIN") : "./zsim";

	/* all but the first line, which names the file */
	snprintf(args, sizeof(args), "%s trace stats %s | tail -n +2 > %s", bin, raw, a);
	cr_assert_eq(system(args), 0);
	snprintf(args, sizeof(args), "%s trace stats %s | tail -n +2 > %s", bin, cooked, b);
	cr_assert_eq(system(args), 0);
	char *x = zt_read_file(b, NULL);

	cr_assert(x && strstr(x, "\nduplicate_batched_frees: 131130\n"), "%s", x ? x : "");
	free(x);
	cr_assert(zt_same_file(a, b), "stats differ");
}

/* ---- the format, byte by byte ---- */

static const unsigned char *
header_of(const char *path, unsigned char h[64])
{
	FILE *f = fopen(path, "rb");

	cr_assert(f);
	cr_assert_eq(fread(h, 1, 64, f), 64);
	fclose(f);
	return h;
}

Test(trace_cooked, convert_writes_version_2_and_native_raw_version_1)
{
	char raw[300], cooked[300], err[1024];
	unsigned char h[64];

	snprintf(raw, sizeof(raw), "%s/raw.zst", dir);
	snprintf(cooked, sizeof(cooked), "%s/cooked.zst", dir);
	cr_assert_eq(convert(DD, raw, "native-raw", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(convert(DD, cooked, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(header_of(raw, h)[8], 1);
	cr_assert_eq(header_of(cooked, h)[8], 2);
	cr_assert_eq(h[12], 48);
	cr_assert_eq(h[24], ZS_TRACE_PERF);
}

Test(trace_cooked, cannot_be_converted_back_to_raw_events)
{
	char cooked[300], out[300], err[1024];
	const char *to[] = {"csv", "native-raw"};

	snprintf(cooked, sizeof(cooked), "%s/cooked.zst", dir);
	cr_assert_eq(convert(DD, cooked, NULL, err, sizeof(err)), 0, "%s", err);
	for (int i = 0; i < 2; i++) {
		snprintf(out, sizeof(out), "%s/back-%d", dir, i);
		cr_assert_eq(convert(cooked, out, to[i], err, sizeof(err)), EX_DATAERR);
		cr_assert(strstr(err, "cooked native trace holds page events"), "%s", err);
		cr_assert(!zt_exists(out), "%s left behind", out);
	}
}

/* A small cooked trace, written with the project's writer into path. */
struct mini {
	FILE *f;
	struct zs_trace_writer *w;
	int64_t t;
};

static void
mini_open(struct mini *m, const char *path)
{
	struct zs_error err = {0, ""};

	m->f = fopen(path, "wb");
	cr_assert(m->f);
	m->w = zs_trace_native_create_cooked(m->f, path, ZS_TRACE_PERF, &err);
	cr_assert(m->w, "%s", err.msg);
	m->t = 1000;
}

static void
mini_page(struct mini *m, enum zs_page_ev kind, uint64_t pfn, unsigned order, unsigned flags,
	  unsigned implied_by)
{
	struct zs_error err = {0, ""};
	struct zs_page_event pe = {.ev = kind, .time_ns = m->t++, .pfn = pfn, .pid = 7,
				   .order = (uint8_t)order, .migratetype = -1,
				   .line = (uint64_t)m->t};

	cr_assert_eq(zs_trace_native_put_page(m->w, &pe, flags, implied_by, &err), 0, "%s",
		     err.msg);
}

static void
mini_close(struct mini *m)
{
	struct zs_error err = {0, ""};

	cr_assert_eq(zs_trace_native_finish(m->w, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(fclose(m->f), 0);
}

/* Cook path to its end; its status, err's message in msg. */
static int
cook_status(const char *path, char *msg, size_t len)
{
	struct zs_error err = {0, ""};
	struct zs_trace_cook *c = zs_trace_cook_open(path, ZS_TRACE_AUTO, 0, &err);
	struct zs_page_event pe;
	int rc;

	cr_assert(c, "%s", err.msg);
	while ((rc = zs_trace_cook_next(c, &pe, &err)) > 0)
		;
	snprintf(msg, len, "%s", err.msg);
	zs_trace_cook_close(c);
	return rc;
}

/* Overwrite byte off of record rec (1-based) of path with v. */
static void
poke(const char *path, unsigned rec, unsigned off, unsigned char v)
{
	FILE *f = fopen(path, "r+b");

	cr_assert(f);
	cr_assert_eq(fseek(f, 64 + 48 * (long)(rec - 1) + (long)off, SEEK_SET), 0);
	cr_assert_eq(fputc(v, f), v);
	cr_assert_eq(fclose(f), 0);
}

/* Four records: ALLOC 0x10, implied FREE 0x10 (order 0, realloc order 1), its ALLOC, FREE. */
static void
good_trace(const char *path)
{
	struct mini m;

	mini_open(&m, path);
	mini_page(&m, ZS_PEV_ALLOC, 0x10, 0, 0, 0);
	mini_page(&m, ZS_PEV_FREE, 0x10, 0, ZS_PEF_IMPLIED, 1);
	mini_page(&m, ZS_PEV_ALLOC, 0x10, 1, ZS_TRACE_COOKED_PENDING, 0);
	mini_page(&m, ZS_PEV_FREE, 0x10, 1, 0, 0);
	mini_close(&m);
}

Test(trace_cooked, a_hand_written_trace_cooks_as_written)
{
	char path[300], msg[512];
	struct zs_error err = {0, ""};
	struct zs_page_event pe;

	snprintf(path, sizeof(path), "%s/good.zst", dir);
	good_trace(path);
	struct zs_trace_cook *c = zs_trace_cook_open(path, ZS_TRACE_AUTO, 0, &err);

	cr_assert(c, "%s", err.msg);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.order == 0 && pe.flags == 0);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_FREE && pe.order == 0 && pe.flags == ZS_PEF_IMPLIED);
	/* the implied free's allocation is counted with it, as the raw cook does */
	const struct zs_trace_counts *k = zs_trace_cook_counts(c);

	cr_assert(k->realloc_live == 1 && k->allocs_by_order[1] == 1 && k->events == 2 &&
		  k->lines == 2 && k->live_pages == 2);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.order == 1 && pe.flags == 0);
	cr_assert(k->events == 2 && k->allocs_by_order[1] == 1);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 0, "%s", err.msg);
	cr_assert(k->frees_by_order[1] == 1 && k->live_blocks == 0 && k->events == 3);
	zs_trace_cook_close(c);
	cr_assert_eq(cook_status(path, msg, sizeof(msg)), 0, "%s", msg);
}

Test(trace_cooked, a_record_no_cook_writes_is_refused_at_its_number)
{
	/* poke byte off of record rec to v: refused at record `at`, saying what */
	static const struct {
		unsigned rec, off;
		unsigned char v;
		unsigned at;
		const char *what;
	} cases[] = {
		{1, 43, 7, 1, "unknown record kind"},
		{1, 42, 16, 1, "order out of range"},
		{4, 45, 0x40, 4, "unknown flags"},
		{1, 45, ZS_PEF_IMPLIED, 1, "an allocation with a free's flags"},
		{1, 45, ZS_TRACE_COOKED_PENDING, 1, "an allocation after an implied free that is not there"},
		{3, 45, 0, 3, "an implied free not followed by its allocation"},
		{2, 45, 0, 2, "an allocation order on a free that is not implied"},
		{3, 8, 0x11, 3, "disagree on the pfn or order"},
		{2, 46, 0, 3, "disagree on the pfn or order"},
		{2, 45, ZS_PEF_IMPLIED | ZS_TRACE_COOKED_MISMATCH, 2, "flags that contradict"},
		{4, 46, 2, 4, "an allocation order on a free that is not implied"},
		{2, 42, 1, 2, "a free of a pfn not live at that order"},
		{4, 8, 0x20, 4, "a free of a pfn not live at that order"},
		{4, 43, ZS_TEV_ALLOC, 4, "an allocation of a pfn still live"},
	};
	char path[300], msg[512];

	snprintf(path, sizeof(path), "%s/bad.zst", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[32];

		good_trace(path);
		poke(path, cases[i].rec, cases[i].off, cases[i].v);
		cr_assert_eq(cook_status(path, msg, sizeof(msg)), -1, "case %zu", i);
		cr_assert(strstr(msg, cases[i].what), "case %zu: %s", i, msg);
		snprintf(want, sizeof(want), ":%u: ", cases[i].at);
		cr_assert(strstr(msg, want), "case %zu names no record %u: %s", i, cases[i].at, msg);
	}
}

Test(trace_cooked, truncation_is_caught)
{
	char path[300], msg[512];

	snprintf(path, sizeof(path), "%s/cut.zst", dir);
	good_trace(path);
	cr_assert_eq(truncate(path, 64 + 48 * 3), 0); /* a whole record: the header's count */
	cr_assert_eq(cook_status(path, msg, sizeof(msg)), -1);
	cr_assert(strstr(msg, "3 records, the header says 4"), "%s", msg);
	cr_assert_eq(truncate(path, 64 + 48 * 2), 0); /* after the implied free */
	cr_assert_eq(cook_status(path, msg, sizeof(msg)), -1);
	cr_assert(strstr(msg, "ends after an implied free"), "%s", msg);
	cr_assert_eq(truncate(path, 64 + 48 + 20), 0); /* half a record */
	cr_assert_eq(cook_status(path, msg, sizeof(msg)), -1);
	cr_assert(strstr(msg, "truncated record"), "%s", msg);
}

Test(trace_cooked, big_tallies_split_and_add_up)
{
	char path[300], msg[512];
	struct mini m;
	struct zs_error err = {0, ""};
	struct zs_trace_tally t = {.pcpu_drain = (UINT64_C(1) << 28) + 5, .other = 3,
				   .double_frees = 70000};

	t.n = t.pcpu_drain + t.other + t.double_frees;
	snprintf(path, sizeof(path), "%s/tally.zst", dir);
	mini_open(&m, path);
	cr_assert_eq(zs_trace_native_put_tally(m.w, &t, -5, 9, &err), 0, "%s", err.msg);
	mini_page(&m, ZS_PEV_ALLOC, 0x10, 0, 0, 0);
	mini_close(&m);
	/* two tally records (the u32 and u16 limits), then the allocation */
	size_t len;
	char *x = zt_read_file(path, &len);

	cr_assert(x);
	cr_assert_eq(len, 64 + 48 * 3);
	free(x);
	struct zs_trace_cook *c = zs_trace_cook_open(path, ZS_TRACE_AUTO, 0, &err);
	struct zs_page_event pe;

	cr_assert(c, "%s", err.msg);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1, "%s", err.msg);
	const struct zs_trace_counts *k = zs_trace_cook_counts(c);

	cr_assert_eq(k->pcpu_drain, t.pcpu_drain);
	cr_assert_eq(k->other_events, 3);
	cr_assert_eq(k->double_frees, 70000);
	cr_assert_eq(k->events, t.n + 1);
	cr_assert_eq(k->lines, t.n + 1);
	cr_assert(k->first_ns == -5 && k->last_ns == 1000);
	zs_trace_cook_close(c);
	/* a tally whose parts do not add up to its events */
	poke(path, 1, 47, 0x7f);
	cr_assert_eq(cook_status(path, msg, sizeof(msg)), -1);
	cr_assert(strstr(msg, ":1: tally record"), "%s", msg);
}
