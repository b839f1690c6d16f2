/* bench_main.c - runs every ZS_BENCH in name order; see bench.h. */
#include "tests/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	printf("  %-48s %14.2f %s\n", label, value, unit);
	fflush(stdout);
}

double
zs_bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
