/* bench_main.c - runs every ZS_BENCH in name order; see bench.h. */
#include "tests/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/diag.h"
#include "workloads/trace.h"

#define ZS_MAX_BENCH 64

static struct {
	const char *name;
	zs_bench_fn fn;
} benches[ZS_MAX_BENCH];
static int nbench;

void
zs_bench_register(const char *name, zs_bench_fn fn)
{
	if (nbench < ZS_MAX_BENCH) {
		benches[nbench].name = name;
		benches[nbench].fn = fn;
		nbench++;
	}
}

void
zs_bench_report(const char *label, double value, const char *unit)
{
	printf("  %-56s %12.2f %s\n", label, value, unit);
	fflush(stdout);
}

void
zs_bench_target(const char *label, double value, const char *unit, double target,
		int higher_is_better)
{
	/* judged on the value as printed, so "24.00 ... <= 24" never reads "short of" */
	double shown = (double)(long long)(value * 100 + 0.5) / 100;
	int meets = higher_is_better ? shown >= target : shown <= target;

	printf("  %-56s %12.2f %s (target %s %g: %s)\n", label, value, unit,
	       higher_is_better ? ">=" : "<=", target, meets ? "meets" : "short of");
	fflush(stdout);
}

double
zs_bench_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *
zs_bench_path(char *buf, unsigned len, const char *what)
{
	snprintf(buf, len, "/tmp/zsim-bench-%ld-%s", (long)getpid(), what);
	return buf;
}

unsigned long long
zs_bench_cook_file(const char *in, const char *out)
{
	struct zs_error err = {0, ""};
	struct zs_trace_cook *c = zs_trace_cook_open(in, ZS_TRACE_AUTO, 0, &err);
	FILE *f = c ? fopen(out, "wb") : NULL;
	struct zs_trace_writer *w =
		f ? zs_trace_native_create_cooked(f, out, ZS_TRACE_PERF, &err) : NULL;
	uint64_t lines = 0;

	if (w && zs_trace_cook_to_native(c, w, &err) == 0) {
		lines = zs_trace_lines(zs_trace_cook_reader(c));
		if (zs_trace_native_finish(w, lines, &err) < 0)
			lines = 0;
	} else {
		zs_trace_native_abort(w);
	}
	if (f && fclose(f) != 0)
		lines = 0;
	if (!lines)
		printf("  cannot cook %s: %s\n", in, err.msg);
	zs_trace_cook_close(c);
	return lines;
}

static int
by_name(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

int
main(int argc, char **argv)
{
	qsort(benches, (size_t)nbench, sizeof(benches[0]), by_name);
	for (int i = 0; i < nbench; i++) {
		if (argc > 1 && !strstr(benches[i].name, argv[1]))
			continue;
		printf("%s:\n", benches[i].name);
		benches[i].fn();
	}
	return 0;
}
