/*
 * bench.h - registration and reporting for `make bench` figures.
 *
 * Each tests/bench_<area>.c defines its measurements with ZS_BENCH(name) { ... }.
 * The runner (tests/bench_main.c) calls every registered bench in name order
 * (`zsim-bench NAME` runs those whose name contains NAME).  These are
 * measurements, never pass/fail tests: `make bench` exits 0 whatever they say.
 *
 * Timing is process CPU time (CLOCK_PROCESS_CPUTIME_ID), best of several runs,
 * so a loaded machine slows a figure less than wall time would.
 */
#ifndef ZS_BENCH_H
#define ZS_BENCH_H

typedef void (*zs_bench_fn)(void);

void zs_bench_register(const char *name, zs_bench_fn fn);
/* Print one figure as "  label: value unit" (no target). */
void zs_bench_report(const char *label, double value, const char *unit);
/* Print one figure with its target: higher (1) or lower (0) is better; says
 * "meets" or "short of". */
void zs_bench_target(const char *label, double value, const char *unit, double target,
		     int higher_is_better);
/* Process CPU seconds (user + system), for timing a loop. */
double zs_bench_cpu(void);
/* "/tmp/zsim-bench-PID-what" in buf: a scratch file no concurrent `make bench` shares. */
const char *zs_bench_path(char *buf, unsigned len, const char *what);
/* Cook the trace at in into a cooked native trace at out, as `zsim trace convert`
 * does; returns the lines of in, 0 on failure (said on stdout). */
unsigned long long zs_bench_cook_file(const char *in, const char *out);
/* How many runs a figure takes the best of. */
#define ZS_BENCH_RUNS 3

#define ZS_BENCH(name)                                                        \
	static void zs_bench_##name(void);                                    \
	__attribute__((constructor)) static void zs_bench_reg_##name(void)    \
	{                                                                     \
		zs_bench_register(#name, zs_bench_##name);                    \
	}                                                                     \
	static void zs_bench_##name(void)

#endif
