/*
 * test_vocab.c - one vocabulary across kernels: summary.txt holds the final
 * value of every ticks.csv counter (model columns too), the common path
 * classes add up, ticks.csv names kernel and seed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/policy.h"
#include "tests/support.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	zt_tmpdir(tmpdir, sizeof(tmpdir), "vocab");
}

static void
rm_tmp(void)
{
	zt_rm_rf(tmpdir);
}

TestSuite(vocab, .init = mk_tmp, .fini = rm_tmp);

#define MAXCOL 512

/* Split a CSV line in place; returns the number of fields. */
static int
split(char *line, char **f)
{
	int n = 0;

	for (char *p = line;; p++) {
		f[n++] = line;
		p = strpbrk(line, ",\n");
		if (!p)
			break;
		int end = *p == '\n';
		*p = '\0';
		line = p + 1;
		if (end || n == MAXCOL)
			break;
	}
	return n;
}

/* The value of `key: ` in summary text; cr_assert when absent. */
static long long
summary_value(const char *sum, const char *key)
{
	return strtoll(zt_summary_find(sum, key), NULL, 10);
}

static int
model_per_zone(const struct zs_policy_ops *ops, const char *name, int *found)
{
	for (int i = 0; i < ops->nr_metrics; i++)
		if (!strcmp(ops->metrics[i].name, name)) {
			*found = 1;
			return ops->metrics[i].per_zone;
		}
	*found = 0;
	return 0;
}

/* Columns that describe a zone or the row, not a counter the summary repeats. */
static int
zone_gauge(const char *c)
{
	static const char *const skip[] = {"time_ns", "tick", "node",    "zone", "min",  "low",
					   "high",    "present_pages", "kernel", "seed", NULL};

	for (int i = 0; skip[i]; i++)
		if (!strcmp(c, skip[i]))
			return 1;
	return 0;
}

static int
core_per_zone(const char *c)
{
	return !strcmp(c, "pgalloc") || !strcmp(c, "pgfree") || !strncmp(c, "allocs_order_", 13) ||
	       !strncmp(c, "frees_order_", 12) || !strcmp(c, "nr_free_pages") ||
	       !strncmp(c, "order_", 6);
}

/* Every source has stopped before the last tick, so its row is the final state (at the
 * end of a run sources free what they hold, after the tick of that instant). */
static const char scenario[] =
	"machine: {memory: 24MiB, cpus: 2, swap: 8MiB}\n"
	"workload:\n"
	"  - {type: simple, tasks: 2, rate: 6000, orders: {0: 0.9, 1: 0.1}, lifetime: 5ms,\n"
	"     stop: 400ms}\n"
	"  - {type: anon, initial_tasks: 2, max_tasks: 2, footprint: 6MiB, lifetime: 350ms,\n"
	"     alloc_rate: 20000, touch_rate: 3000}\n"
	"  - {type: simple, rate: 30000, gfp: GFP_HIGHUSER, kind: file, lifetime: forever,\n"
	"     touch_rate: 2000, dirty_fraction: 0.2, stop: 400ms}\n"
	"duration: 500ms\n";

Test(vocab, summary_holds_every_final_counter)
{
	static const char *const kernels[] = {"2.4", "2.6.18", "2.6.32"};

	for (int v = 0; v < 3; v++) {
		const struct zs_policy_ops *ops = zs_policy_for((enum zs_kver)v);
		char out[128], args[512], err[1024], path[192];
		char *hdr[MAXCOL], *row[MAXCOL], *ticks, *sum, *line, *last = NULL;
		long long total[MAXCOL] = {0};
		int ncol, nzones = 0;

		FILE *y;

		snprintf(path, sizeof(path), "%s/s.yaml", tmpdir);
		y = fopen(path, "w");
		cr_assert(y);
		fputs(scenario, y);
		fclose(y);
		snprintf(out, sizeof(out), "%s/%s", tmpdir, kernels[v]);
		snprintf(args, sizeof(args), "run %s -q --kernel %s --seed 3 --out %s", path,
			 kernels[v], out);
		cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
		snprintf(path, sizeof(path), "%s/ticks.csv", out);
		ticks = zt_read_file(path, NULL);
		snprintf(path, sizeof(path), "%s/summary.txt", out);
		sum = zt_read_file(path, NULL);
		cr_assert(ticks && sum);
		line = strchr(ticks, '\n') + 1;
		ncol = split(ticks, hdr);
		cr_assert_str_eq(hdr[ncol - 2], "kernel");
		cr_assert_str_eq(hdr[ncol - 1], "seed");
		/* the rows of the last tick: the last nzones lines (zones of one tick) */
		for (char *p = line; *p; p = strchr(p, '\n') + 1)
			last = p;
		char *tick_of_last = strchr(last, ',') + 1;
		long long last_tick = strtoll(tick_of_last, NULL, 10);
		for (char *p = line; *p;) {
			char *next = strchr(p, '\n') + 1;

			if (strtoll(strchr(p, ',') + 1, NULL, 10) == last_tick) {
				cr_assert_eq(split(p, row), ncol);
				cr_assert_str_eq(row[ncol - 2], ops->name);
				cr_assert_str_eq(row[ncol - 1], "3");
				for (int c = 0; c < ncol; c++)
					total[c] += strtoll(row[c], NULL, 10);
				nzones++;
			}
			p = next;
		}
		cr_assert(nzones >= 1);
		for (int c = 0; c < ncol; c++) {
			int found;
			int pz = model_per_zone(ops, hdr[c], &found);
			long long want;

			if (zone_gauge(hdr[c]))
				continue;
			if (!found)
				pz = core_per_zone(hdr[c]);
			/* a global value repeats on every zone row */
			want = pz ? total[c] : total[c] / nzones;
			cr_assert_eq(summary_value(sum, hdr[c]), want, "%s %s: summary %lld, ticks %lld",
				     ops->name, hdr[c], summary_value(sum, hdr[c]), want);
		}
		/* every allocation that reached __alloc_pages ended in one class */
		cr_assert_eq(summary_value(sum, "class_fast") + summary_value(sum, "class_slow") +
				     summary_value(sum, "class_reclaim") + summary_value(sum, "class_oom") +
				     summary_value(sum, "class_fail"),
			     summary_value(sum, "alloc_ok") + summary_value(sum, "alloc_fail"));
		free(ticks);
		free(sum);
	}
}
