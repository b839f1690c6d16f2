/* bench_trace.c - trace reading speed: text (with and without xz), tokenizer, cooked, native raw and cooked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/diag.h"
#include "tests/bench.h"
#include "workloads/trace.h"

#define HOG "tests/fixtures/perf-anon-hog-256m.txt.xz"
#define RUNS 3

/* Read every raw event of path; returns events, *bytes = decoded bytes; -1 on error. */
static long
read_all(const char *path, uint64_t *bytes)
{
	struct zs_error err = { 0, "" };
	struct zs_trace_event ev;
	struct zs_trace_reader *r = zs_trace_open(path, ZS_TRACE_AUTO, 0, &err);
	long n = 0;
	int rc;

	if (!r) {
		fprintf(stderr, "bench_trace: %s\n", err.msg);
		return -1;
	}
	while ((rc = zs_trace_read(r, &ev, &err)) > 0)
		n++;
	if (rc < 0)
		fprintf(stderr, "bench_trace: %s\n", err.msg);
	*bytes = zs_trace_bytes(r);
	zs_trace_close(r);
	return rc < 0 ? -1 : n;
}

/* Cook all of path; returns the trace events it consumed, or -1. */
static long
cook_all(const char *path)
{
	struct zs_error err = { 0, "" };
	struct zs_page_event pe;
	struct zs_trace_cook *c = zs_trace_cook_open(path, ZS_TRACE_AUTO, 0, &err);
	long n = 0;
	int rc;

	if (!c) {
		fprintf(stderr, "bench_trace: %s\n", err.msg);
		return -1;
	}
	while ((rc = zs_trace_cook_next(c, &pe, &err)) > 0)
		;
	n = (long)zs_trace_cook_counts(c)->events;
	zs_trace_cook_close(c);
	return rc < 0 ? -1 : n;
}

/* The least CPU time of RUNS cook_all(path); *n its events (-1 on error). */
static double
best_cook(const char *path, long *n)
{
	double best = 1e30;

	for (int run = 0; run < RUNS; run++) {
		double t0 = zs_bench_cpu();

		*n = cook_all(path);
		double dt = zs_bench_cpu() - t0;

		if (dt < best)
			best = dt;
	}
	return best;
}

/* Decode path (any compression) into a plain temp file; returns its malloc'd name. */
static char *
decompress_to_temp(const char *path, uint64_t *size)
{
	struct zs_error err = { 0, "" };
	struct zs_tin *t = zs_tin_open(path, &err);
	char *name = strdup("/tmp/zsim-bench-XXXXXX");
	int fd = name ? mkstemp(name) : -1;
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	long n;

	*size = 0;
	if (!t || !f) {
		fprintf(stderr, "bench_trace: cannot decompress %s\n", path);
		goto fail;
	}
	while ((n = zs_tin_fill(t, 1u << 20, &err)) > 0) {
		size_t avail;
		const unsigned char *p = zs_tin_data(t, &avail);

		if (fwrite(p, 1, avail, f) != avail)
			goto fail;
		zs_tin_consume(t, avail);
		*size += avail;
	}
	if (n < 0 || fclose(f) != 0) {
		f = NULL;
		goto fail;
	}
	zs_tin_close(t);
	return name;
fail:
	if (f)
		fclose(f);
	if (name && fd >= 0)
		unlink(name);
	free(name);
	zs_tin_close(t);
	return NULL;
}

/* Write path's events as a native trace to a temp file; returns its name. */
static char *
convert_to_native(const char *path)
{
	struct zs_error err = { 0, "" };
	struct zs_trace_event ev;
	struct zs_trace_reader *r = zs_trace_open(path, ZS_TRACE_AUTO, 0, &err);
	char *name = strdup("/tmp/zsim-bench-XXXXXX");
	int fd = name ? mkstemp(name) : -1;
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	struct zs_trace_writer *w = (r && f) ? zs_trace_native_create(f, name, ZS_TRACE_PERF, &err)
					      : NULL;
	int rc = -1;

	if (w) {
		while ((rc = zs_trace_read(r, &ev, &err)) > 0)
			if (zs_trace_native_put(w, &ev, &err) < 0) {
				rc = -1;
				break;
			}
		if (rc == 0)
			rc = zs_trace_native_finish(w, zs_trace_lines(r), &err);
		else
			zs_trace_native_abort(w);
	}
	if (f && fclose(f) != 0)
		rc = -1;
	zs_trace_close(r);
	if (rc < 0) {
		fprintf(stderr, "bench_trace: convert failed: %s\n", err.msg);
		if (fd >= 0)
			unlink(name);
		free(name);
		return NULL;
	}
	return name;
}

/* Cook path into a cooked native trace in a temp file, as `zsim trace convert` does;
 * returns its name. */
static char *
convert_to_cooked(const char *path)
{
	char *name = strdup("/tmp/zsim-bench-XXXXXX");
	int fd = name ? mkstemp(name) : -1;

	if (fd >= 0)
		close(fd);
	if (fd < 0 || !zs_bench_cook_file(path, name)) {
		if (fd >= 0)
			unlink(name);
		free(name);
		return NULL;
	}
	return name;
}

/* The tokenizer alone over text already in memory: MB/s. */
static void
bench_tokenizer(const char *plain, uint64_t size)
{
	char why[ZS_TRACE_WHY_LEN];
	struct zs_gfp_memo memo;
	struct zs_trace_event ev;
	char *buf = malloc(size);
	FILE *f = fopen(plain, "rb");
	double best = 1e30;
	long events = 0;

	if (!buf || !f || fread(buf, 1, size, f) != size) {
		fprintf(stderr, "bench_trace: cannot load %s\n", plain);
		goto out;
	}
	for (int run = 0; run < RUNS; run++) {
		double t0 = zs_bench_cpu();
		const char *p = buf, *e = buf + size;

		memset(&memo, 0, sizeof(memo));
		events = 0;
		while (p < e) {
			const char *nl = memchr(p, '\n', (size_t)(e - p));
			const char *le = nl ? nl : e;

			if (zs_trace_parse_line(ZS_TRACE_PERF, p, (size_t)(le - p), &ev, &memo, why) ==
			    ZS_TLINE_EVENT)
				events++;
			p = le + 1;
		}
		double dt = zs_bench_cpu() - t0;

		if (dt < best)
			best = dt;
	}
	zs_bench_report("text tokenizer only, in memory", (double)size / best / 1e6, "MB/s");
	zs_bench_report("text tokenizer only, in memory", (double)events / best, "events/s");
out:
	if (f)
		fclose(f);
	free(buf);
}

ZS_BENCH(trace_read)
{
	uint64_t size = 0, bytes = 0;
	char *plain = decompress_to_temp(HOG, &size);
	char *native = NULL;
	double best;
	long n = 0;

	if (!plain)
		return;

	/* xz included: what `zsim trace stats` on the shipped fixture costs */
	best = 1e30;
	for (int run = 0; run < RUNS; run++) {
		double t0 = zs_bench_cpu();

		n = read_all(HOG, &bytes);
		double dt = zs_bench_cpu() - t0;

		if (dt < best)
			best = dt;
	}
	if (n > 0) {
		zs_bench_report("text reader, hog .xz (xz included)", (double)bytes / best / 1e6, "MB/s");
		zs_bench_report("text reader, hog .xz (xz included)", (double)n / best, "events/s");
	}

	/* plain text file: parsing cost without decompression */
	best = 1e30;
	for (int run = 0; run < RUNS; run++) {
		double t0 = zs_bench_cpu();

		n = read_all(plain, &bytes);
		double dt = zs_bench_cpu() - t0;

		if (dt < best)
			best = dt;
	}
	if (n > 0) {
		zs_bench_report("text reader, hog plain file", (double)bytes / best / 1e6, "MB/s");
		zs_bench_report("text reader, hog plain file", (double)n / best, "events/s");
	}
	bench_tokenizer(plain, size);

	best = best_cook(plain, &n);
	if (n > 0)
		zs_bench_report("cooked, hog plain file (trace events in)", (double)n / best, "events/s");

	native = convert_to_native(plain);
	if (native) {
		best = 1e30;
		for (int run = 0; run < RUNS; run++) {
			double t0 = zs_bench_cpu();

			n = read_all(native, &bytes);
			double dt = zs_bench_cpu() - t0;

			if (dt < best)
				best = dt;
		}
		if (n > 0)
			zs_bench_report("native reader, raw events", (double)n / best, "events/s");
		best = best_cook(native, &n);
		if (n > 0)
			zs_bench_report("native reader, cooked (trace events in)", (double)n / best,
					"events/s");
		unlink(native);
		free(native);
	}
	/* what `zsim trace convert` writes: the cooking done once, at convert time */
	native = convert_to_cooked(plain);
	if (native) {
		best = best_cook(native, &n);
		if (n > 0)
			zs_bench_report("cooked native trace (trace events in)", (double)n / best,
					"events/s");
		unlink(native);
		free(native);
	}
	unlink(plain);
	free(plain);
}
