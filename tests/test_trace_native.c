/* test_trace_native.c - native format round trips, `zsim trace convert`, and the input layer (gz, long lines). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/cmds.h"
#include "sim/diag.h"
#include "workloads/gfp_modern.h"
#include "workloads/trace.h"

#define FTRACE "tests/fixtures/ftrace-anon-hog-8m.txt.xz"
#define HOG "tests/fixtures/perf-anon-hog-256m.txt.xz"
#define DD "tests/fixtures/perf-dd-pagecache.txt.xz"

static char dir[64];

static void
make_dir(void)
{
	strcpy(dir, "/tmp/zsim-test-native-XXXXXX");
	cr_assert(mkdtemp(dir));
}

static void
remove_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

TestSuite(trace_native, .init = make_dir, .fini = remove_dir);

/* Files in dir (., .. excluded). */
static int
count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Run zs_cmd_trace with stderr sent to a file; returns its status, *msg the stderr text. */
static int
run_quiet(int argc, const char **argv, char *msg, size_t len)
{
	FILE *e = tmpfile();
	int se = dup(2), rc;
	ssize_t n;

	cr_assert(e && se >= 0);
	fflush(stderr);
	dup2(fileno(e), 2);
	rc = zs_cmd_trace(argc, (char **)argv);
	fflush(stderr);
	dup2(se, 2);
	close(se);
	rewind(e);
	n = (ssize_t)fread(msg, 1, len - 1, e);
	msg[n > 0 ? n : 0] = '\0';
	fclose(e);
	return rc;
}

static void
convert(const char *in, const char *out, const char *to)
{
	const char *argv[] = { "trace", "convert", in, out, "--to", to };
	char msg[1024];

	cr_assert_eq(run_quiet(6, argv, msg, sizeof(msg)), 0, "%s", msg);
}

/* Every raw event of text and native must agree, field by field. */
static void
same_raw_events(const char *text, const char *native)
{
	struct zs_error err = { 0, "" };
	struct zs_trace_reader *a = zs_trace_open(text, ZS_TRACE_AUTO, 0, &err);
	struct zs_trace_reader *b = zs_trace_open(native, ZS_TRACE_AUTO, 0, &err);
	struct zs_trace_event x, y;
	uint64_t n = 0;
	int ra, rb;

	cr_assert(a && b, "%s", err.msg);
	cr_assert_eq(zs_trace_format_of(b), ZS_TRACE_NATIVE);
	for (;;) {
		ra = zs_trace_read(a, &x, &err);
		rb = zs_trace_read(b, &y, &err);
		cr_assert_eq(ra, rb, "event %llu: %s", (unsigned long long)n, err.msg);
		if (ra <= 0)
			break;
		n++;
		cr_assert_eq(x.ev, y.ev);
		cr_assert_eq(x.time_ns, y.time_ns);
		cr_assert_eq(x.pfn, y.pfn);
		cr_assert_eq(x.pid, y.pid);
		cr_assert_eq(x.cpu, y.cpu);
		cr_assert_eq(x.order, y.order);
		cr_assert_eq(x.migratetype, y.migratetype);
		cr_assert_eq(x.gfp_modern, y.gfp_modern);
		cr_assert_eq(x.line, y.line);
		cr_assert_eq(x.flags, y.flags);
		cr_assert_str_eq(x.comm, y.comm);
	}
	cr_assert_eq(ra, 0, "%s", err.msg);
	cr_assert_gt(n, 0);
	cr_assert_eq(zs_trace_lines(b), n); /* native "lines" are its event records */
	zs_trace_close(a);
	zs_trace_close(b);
}

/* Cooked page events of text and native must be identical, and so must the counts. */
static void
same_cooked_events(const char *text, const char *native)
{
	struct zs_error err = { 0, "" };
	struct zs_trace_cook *a = zs_trace_cook_open(text, ZS_TRACE_AUTO, 0, &err);
	struct zs_trace_cook *b = zs_trace_cook_open(native, ZS_TRACE_AUTO, 0, &err);
	struct zs_page_event x, y;
	const struct zs_trace_counts *ka, *kb;
	int ra, rb;

	cr_assert(a && b, "%s", err.msg);
	for (;;) {
		memset(&x, 0, sizeof(x));
		memset(&y, 0, sizeof(y));
		ra = zs_trace_cook_next(a, &x, &err);
		rb = zs_trace_cook_next(b, &y, &err);
		cr_assert_eq(ra, rb);
		if (ra <= 0)
			break;
		cr_assert(x.ev == y.ev && x.time_ns == y.time_ns && x.pfn == y.pfn &&
				  x.pid == y.pid && x.cpu == y.cpu && x.order == y.order &&
				  x.migratetype == y.migratetype && x.gfp_modern == y.gfp_modern &&
				  x.line == y.line && x.flags == y.flags,
			  "cooked event of line %llu differs", (unsigned long long)x.line);
	}
	ka = zs_trace_cook_counts(a);
	kb = zs_trace_cook_counts(b);
	cr_assert_eq(ka->events, kb->events);
	cr_assert_eq(memcmp(ka->allocs_by_order, kb->allocs_by_order, sizeof(ka->allocs_by_order)), 0);
	cr_assert_eq(memcmp(ka->frees_by_order, kb->frees_by_order, sizeof(ka->frees_by_order)), 0);
	cr_assert_eq(ka->unmatched_frees, kb->unmatched_frees);
	cr_assert_eq(ka->duplicate_batched_frees, kb->duplicate_batched_frees);
	cr_assert_eq(ka->peak_live_pages, kb->peak_live_pages);
	cr_assert_eq(ka->first_ns, kb->first_ns);
	cr_assert_eq(ka->last_ns, kb->last_ns);
	zs_trace_cook_close(a);
	zs_trace_cook_close(b);
}

/*
 * zs_trace_read_pages() of path returns exactly the page events zs_trace_read()
 * does, in order, and tallies exactly the others: their number, kinds and time range.
 */
static uint64_t
pages_skip_only_the_others(const char *path)
{
	struct zs_error err = { 0, "" };
	struct zs_trace_reader *a = zs_trace_open(path, ZS_TRACE_AUTO, 0, &err);
	struct zs_trace_reader *b = zs_trace_open(path, ZS_TRACE_AUTO, 0, &err);
	struct zs_trace_tally want = { 0 }, got = { 0 };
	struct zs_trace_event x, y;
	uint64_t pages = 0;
	int ra, rb;

	cr_assert(a && b, "%s", err.msg);
	for (;;) {
		while ((ra = zs_trace_read(a, &x, &err)) == 1 && x.ev > ZS_TEV_FREE_BATCHED)
			zs_trace_tally_add(&want, x.ev, x.time_ns);
		rb = zs_trace_read_pages(b, &y, &got, &err);
		cr_assert_eq(ra, rb, "%s", err.msg);
		if (ra <= 0)
			break;
		pages++;
		cr_assert(x.ev == y.ev && x.time_ns == y.time_ns && x.pfn == y.pfn &&
				  x.order == y.order && x.line == y.line && x.gfp_modern == y.gfp_modern,
			  "page event %llu differs", (unsigned long long)pages);
		cr_assert_eq(zs_trace_lines(a), zs_trace_lines(b));
		cr_assert_eq(got.n, want.n);
	}
	cr_assert_eq(ra, 0, "%s", err.msg);
	cr_assert_gt(pages, 0);
	cr_assert(got.n == want.n && got.pcpu_drain == want.pcpu_drain &&
			  got.zone_locked == want.zone_locked && got.other == want.other &&
			  got.min_ns == want.min_ns && got.max_ns == want.max_ns,
		  "%s: tallied %llu others, %llu read", path, (unsigned long long)got.n,
		  (unsigned long long)want.n);
	zs_trace_close(a);
	zs_trace_close(b);
	return got.n;
}

Test(trace_native, read_pages_skips_exactly_the_other_events)
{
	const char *text[] = { FTRACE, HOG, DD };
	char out[128];

	for (int i = 0; i < 3; i++) {
		snprintf(out, sizeof(out), "%s/p%d.zst", dir, i);
		convert(text[i], out, "native-raw");
		uint64_t others = pages_skip_only_the_others(text[i]);

		cr_assert_eq(pages_skip_only_the_others(out), others);
		/* the hog trace has per-cpu drains and refills among its page events */
		if (i == 1)
			cr_assert_gt(others, 200000, "%llu", (unsigned long long)others);
	}
}

Test(trace_native, round_trip_ftrace)
{
	char out[128];

	snprintf(out, sizeof(out), "%s/ft.zst", dir);
	convert(FTRACE, out, "native-raw");
	same_raw_events(FTRACE, out);
	same_cooked_events(FTRACE, out);
}

Test(trace_native, round_trip_dd)
{
	char out[128];

	snprintf(out, sizeof(out), "%s/dd.zst", dir);
	convert(DD, out, "native-raw");
	same_raw_events(DD, out);
	same_cooked_events(DD, out);
}

Test(trace_native, round_trip_hog)
{
	char out[128];

	snprintf(out, sizeof(out), "%s/hog.zst", dir);
	convert(HOG, out, "native");
	same_cooked_events(HOG, out);
}

static long
file_size(const char *p)
{
	struct stat st;

	cr_assert_eq(stat(p, &st), 0);
	return (long)st.st_size;
}

Test(trace_native, header_layout)
{
	char out[128];
	unsigned char h[64], rec[48];
	FILE *f;
	uint64_t count = 0, lines = 0;
	long size;

	snprintf(out, sizeof(out), "%s/dd.zst", dir);
	convert(DD, out, "native-raw");
	f = fopen(out, "rb");
	cr_assert(f);
	cr_assert_eq(fread(h, 1, 64, f), 64);
	cr_assert_eq(memcmp(h, "ZSTRACE\0", 8), 0);
	cr_assert_eq(h[8] | h[9] << 8, 1);   /* version */
	cr_assert_eq(h[12] | h[13] << 8, 48); /* record size */
	for (int i = 7; i >= 0; i--) {
		count = count << 8 | h[16 + i];
		lines = lines << 8 | h[32 + i];
	}
	cr_assert_eq(count, 4486); /* every line of the dd trace is an event */
	cr_assert_eq(lines, 4486);
	cr_assert_eq(h[24], ZS_TRACE_PERF);
	/* the first record defines comm 0 = "perf" (line 1's task) */
	cr_assert_eq(fread(rec, 1, 48, f), 48);
	cr_assert_eq(rec[43], ZS_TRACE_NATIVE_COMM);
	cr_assert_str_eq((const char *)rec + 8, "perf");
	/* then line 1: pfn 0x104ebb, order 0, kind alloc, line 1 */
	cr_assert_eq(fread(rec, 1, 48, f), 48);
	cr_assert_eq(rec[43], ZS_TEV_ALLOC);
	cr_assert_eq(rec[8] | rec[9] << 8 | rec[10] << 16, 0x104ebb);
	cr_assert_eq(rec[24], 1);
	fclose(f);
	/* 64-byte header, one record per event, one per distinct comm (7 in this trace) */
	size = file_size(out);
	cr_assert_eq(size, 64 + 48 * (4486 + 7));
}

Test(trace_native, truncated_file_is_bad_data)
{
	char out[128], cut[128], msg[1024];
	const char *argv[] = { "trace", "stats", cut };
	FILE *in, *o;
	long size;
	char buf[4096];
	size_t n, left;

	snprintf(out, sizeof(out), "%s/dd.zst", dir);
	snprintf(cut, sizeof(cut), "%s/cut.zst", dir);
	convert(DD, out, "native-raw");
	size = file_size(out);
	in = fopen(out, "rb");
	o = fopen(cut, "wb");
	cr_assert(in && o);
	/* whole records missing: caught by the header's count */
	for (left = (size_t)size - 48 * 10; left > 0; left -= n) {
		n = fread(buf, 1, left < sizeof(buf) ? left : sizeof(buf), in);
		cr_assert_gt(n, 0);
		cr_assert_eq(fwrite(buf, 1, n, o), n);
	}
	fclose(in);
	cr_assert_eq(fclose(o), 0);
	cr_assert_eq(run_quiet(3, argv, msg, sizeof(msg)), EX_DATAERR);
	cr_assert(strstr(msg, "truncated"), "%s", msg);
	/* half a record missing */
	cr_assert_eq(truncate(cut, size - 20), 0);
	cr_assert_eq(run_quiet(3, argv, msg, sizeof(msg)), EX_DATAERR);
	cr_assert(strstr(msg, "truncated record"), "%s", msg);
}

Test(trace_native, native_format_needs_magic)
{
	const char *argv[] = { "trace", "stats", DD, "--format", "native" };
	char msg[1024];

	cr_assert_eq(run_quiet(5, argv, msg, sizeof(msg)), EX_DATAERR);
	cr_assert(strstr(msg, "not a zsim native trace"), "%s", msg);
}

Test(trace_native, csv_output)
{
	char out[128], line[512];
	FILE *f;

	snprintf(out, sizeof(out), "%s/ft.csv", dir);
	convert(FTRACE, out, "csv");
	f = fopen(out, "r");
	cr_assert(f);
	cr_assert(fgets(line, sizeof(line), f));
	cr_assert_str_eq(line, "time_ns,cpu,pid,comm,event,pfn,order,migratetype,gfp_flags,line\n");
	cr_assert(fgets(line, sizeof(line), f));
	/* line 13 of the trace: bash-7649 [000] ..... 292.786593: mm_page_alloc: pfn=0x12cb55 */
	cr_assert_str_eq(line, "292786593000,0,7649,bash,mm_page_alloc,1231701,0,0,"
			       "GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP,13\n");
	fclose(f);
}

Test(trace_native, failed_convert_leaves_no_file)
{
	static const char text[] =
		"a-1 [000] 1.000001: mm_page_alloc: page=x pfn=0x10 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		"a-1 [000] 1.000002: mm_page_free: page=x order=0\n";
	char in[128], out[128], msg[1024];
	const char *argv[] = { "trace", "convert", in, out };
	FILE *f;

	snprintf(in, sizeof(in), "%s/bad.txt", dir);
	snprintf(out, sizeof(out), "%s/bad.zst", dir);
	f = fopen(in, "w");
	cr_assert(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(run_quiet(4, argv, msg, sizeof(msg)), EX_DATAERR);
	cr_assert(strstr(msg, "bad.txt:2: mm_page_free without pfn="), "%s", msg);
	cr_assert_eq(access(out, F_OK), -1);
	cr_assert_eq(count_files(), 1, "only the input may remain");
}

Test(trace_native, convert_cannot_create)
{
	const char *argv[] = { "trace", "convert", DD, "/nonexistent-zsim-dir/out.zst" };
	char msg[1024];

	cr_assert_eq(run_quiet(4, argv, msg, sizeof(msg)), EX_CANTCREAT);
	cr_assert(strstr(msg, "cannot create /nonexistent-zsim-dir/out.zst"), "%s", msg);
}

/* Decode an .xz fixture through the reader's own input layer into a .gz file. */
static void
xz_to_gz(const char *xz, const char *gz)
{
	struct zs_error err = { 0, "" };
	struct zs_tin *t = zs_tin_open(xz, &err);
	gzFile g = gzopen(gz, "wb6");
	long n;

	cr_assert(t && g, "%s", err.msg);
	while ((n = zs_tin_fill(t, 1u << 16, &err)) > 0) {
		size_t avail;
		const unsigned char *p = zs_tin_data(t, &avail);

		cr_assert_eq(gzwrite(g, p, (unsigned)avail), (int)avail);
		zs_tin_consume(t, avail);
	}
	cr_assert_eq(n, 0, "%s", err.msg);
	cr_assert_eq(gzclose(g), Z_OK);
	zs_tin_close(t);
}

Test(trace_native, gzip_input_reads_like_xz)
{
	char gz[128];

	snprintf(gz, sizeof(gz), "%s/ft.txt.gz", dir);
	xz_to_gz(FTRACE, gz);
	same_cooked_events(gz, FTRACE);
}

Test(trace_native, long_line_crlf_and_no_final_newline)
{
	char path[128];
	struct zs_error err = { 0, "" };
	struct zs_trace_event ev;
	struct zs_trace_reader *r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/long.txt", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs("a-1 [000] 1.000001: mm_page_alloc: page=x pfn=0x10 order=0 gfp_flags=GFP_KERNEL\r\n", f);
	/* a 3 MiB line: larger than the 1 MiB window, which must grow for it */
	fputs("a-1 [000] 1.000002: some_event: blob=", f);
	for (int i = 0; i < 3 << 20; i++)
		fputc('x', f);
	fputs("\n", f);
	fputs("a-1 [001] 1.000003: mm_page_free: page=x pfn=0x10 order=0", f);
	cr_assert_eq(fclose(f), 0);

	r = zs_trace_open(path, ZS_TRACE_AUTO, 0, &err);
	cr_assert(r, "%s", err.msg);
	cr_assert_eq(zs_trace_read(r, &ev, &err), 1, "%s", err.msg);
	cr_assert_eq(ev.ev, ZS_TEV_ALLOC);
	/* the "\r" is gone, or GFP_KERNEL would be an unknown name */
	cr_assert_eq(zs_gfp_modern_class(ev.gfp_modern), ZS_MGFP_CLASS_KERNEL);
	cr_assert_eq(ev.gfp_modern & ZS_MGFP_UNKNOWN, 0);
	cr_assert_eq(zs_trace_read(r, &ev, &err), 1, "%s", err.msg);
	cr_assert_eq(ev.ev, ZS_TEV_OTHER);
	cr_assert_eq(ev.line, 2);
	cr_assert_eq(zs_trace_read(r, &ev, &err), 1, "%s", err.msg);
	cr_assert_eq(ev.ev, ZS_TEV_FREE);
	cr_assert_eq(ev.cpu, 1);
	cr_assert_eq(ev.line, 3);
	cr_assert_eq(zs_trace_read(r, &ev, &err), 0);
	cr_assert_eq(zs_trace_lines(r), 3);
	zs_trace_close(r);
}
