/*
 * bench.h - registration for `make bench` figures.
 *
 * Each tests/bench_<area>.c defines its measurements with ZS_BENCH(name) { ... }
 * and prints its own "name: value unit" lines through zs_bench_report().  The
 * runner (tests/bench_main.c) calls every registered bench in name order.
 * These are measurements, never pass/fail tests.
 */
#ifndef ZS_BENCH_H
#define ZS_BENCH_H

typedef void (*zs_bench_fn)(void);

void zs_bench_register(const char *name, zs_bench_fn fn);
/* Print one figure as "  label: value unit". */
void zs_bench_report(const char *label, double value, const char *unit);
/* Monotonic wall-clock seconds, for timing a loop. */
double zs_bench_now(void);

#define ZS_BENCH(name)                                                        \
	static void zs_bench_##name(void);                                    \
	__attribute__((constructor)) static void zs_bench_reg_##name(void)    \
	{                                                                     \
		zs_bench_register(#name, zs_bench_##name);                    \
	}                                                                     \
	static void zs_bench_##name(void)

#endif
