/* derived.c - summary.txt as numbers and the vmstat figures; see derived.h. */
#include "sim/derived.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

void
zs_kv_init(struct zs_kv *kv)
{
	memset(kv, 0, sizeof(*kv));
}

void
zs_kv_free(struct zs_kv *kv)
{
	for (int i = 0; i < kv->n; i++)
		free(kv->key[i]);
	free(kv->key);
	free(kv->val);
	zs_kv_init(kv);
}

static int
kv_find(const struct zs_kv *kv, const char *key)
{
	for (int i = 0; i < kv->n; i++)
		if (!strcmp(kv->key[i], key))
			return i;
	return -1;
}

void
zs_kv_put(struct zs_kv *kv, const char *key, double v)
{
	int i = kv_find(kv, key);

	if (i >= 0) {
		kv->val[i] = v;
		return;
	}
	if (kv->n == kv->cap) {
		kv->cap = kv->cap ? 2 * kv->cap : 64;
		kv->key = realloc(kv->key, (size_t)kv->cap * sizeof(*kv->key));
		kv->val = realloc(kv->val, (size_t)kv->cap * sizeof(*kv->val));
		ZS_BUG_ON(!kv->key || !kv->val);
	}
	kv->key[kv->n] = strdup(key);
	ZS_BUG_ON(!kv->key[kv->n]);
	kv->val[kv->n++] = v;
}

int
zs_kv_get(const struct zs_kv *kv, const char *key, double *v)
{
	int i = kv_find(kv, key);

	if (i < 0)
		return 0;
	*v = kv->val[i];
	return 1;
}

/* Lines that say which run this is, not what it measured. */
static const char *const identity[] = {"zsim_version", "scenario", "kernel", "seed", NULL};

int
zs_kv_read_summary(struct zs_kv *kv, const char *path, struct zs_error *err)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f)
		return zs_error_set(err, errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s: %s", path,
				    strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *colon = strstr(line, ": "), *end;
		int skip = 0;

		if (!colon)
			continue;
		*colon = '\0';
		for (int i = 0; identity[i]; i++)
			skip |= !strcmp(line, identity[i]);
		double v = strtod(colon + 2, &end);
		if (skip || end == colon + 2 || (*end && *end != '\n'))
			continue;
		zs_kv_put(kv, line, v);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return zs_error_set(err, EX_IOERR, "%s: read error", path);
	return 0;
}

/* num / den * scale when both exist and den > 0. */
static void
put_ratio(struct zs_kv *kv, const char *key, const char *num, const char *den, double scale)
{
	double n, d;

	if (zs_kv_get(kv, num, &n) && zs_kv_get(kv, den, &d) && d > 0)
		zs_kv_put(kv, key, n / d * scale);
}

static void
put_copy(struct zs_kv *kv, const char *key, const char *from)
{
	double v;

	if (zs_kv_get(kv, from, &v))
		zs_kv_put(kv, key, v);
}

/* The figures, in the order the text table shows them. */
static const char *const headline[] = {
	"alloc_ok", "alloc_fail", "pgmajfault", "kswapd_scanned", "kswapd_reclaimed",
	"kswapd_efficiency_pct", "kswapd_velocity", "direct_scanned", "direct_reclaimed",
	"direct_efficiency_pct", "direct_velocity", "direct_scan_pct", "reclaimed",
	"reclaim_efficiency_pct", "allocstall",
	"reclaim_writes", "swap_in", "swap_out", "oom_kills", /* high-order success here */
	"latency_p50_ns", "latency_p90_ns",
	"latency_p99_ns", "latency_p999_ns", "latency_max_ns", NULL};

int
zs_derived_headline(const char *metric)
{
	int i;

	for (i = 0; headline[i]; i++)
		if (!strcmp(metric, headline[i]))
			return (i + 1) * 100;
	/* right after oom_kills (rank 1900), in order of the order */
	if (!strncmp(metric, "highorder_success_pct_order_", 28))
		return 19 * 100 + atoi(metric + 28);
	return 0;
}

void
zs_derived_add(struct zs_kv *kv)
{
	double k, d;
	char key[64], ok[64], fail[64];

	/* vmstat names (2.6); the per-caller pgsteal split is a later kernel's, used if a
	 * model reports it */
	put_copy(kv, "kswapd_scanned", "pgscan_kswapd");
	put_copy(kv, "direct_scanned", "pgscan_direct");
	put_copy(kv, "kswapd_reclaimed", "pgsteal_kswapd");
	put_copy(kv, "direct_reclaimed", "pgsteal_direct");
	/* 2.6.18-2.6.32 count kswapd's share as kswapd_steal inside pgsteal: the direct
	 * share is the rest (when pgsteal holds it: 2.6.18's is always 0) */
	double ks, all;
	if (!zs_kv_get(kv, "kswapd_reclaimed", &ks) && zs_kv_get(kv, "kswapd_steal", &ks)) {
		zs_kv_put(kv, "kswapd_reclaimed", ks);
		if (zs_kv_get(kv, "pgsteal", &all) && all >= ks && all > 0)
			zs_kv_put(kv, "direct_reclaimed", all - ks);
	}
	put_ratio(kv, "kswapd_efficiency_pct", "kswapd_reclaimed", "kswapd_scanned", 100);
	put_ratio(kv, "direct_efficiency_pct", "direct_reclaimed", "direct_scanned", 100);
	/* velocity: pages scanned per second of simulated time */
	put_ratio(kv, "kswapd_velocity", "kswapd_scanned", "duration_ns", 1e9);
	put_ratio(kv, "direct_velocity", "direct_scanned", "duration_ns", 1e9);
	if (zs_kv_get(kv, "kswapd_scanned", &k) && zs_kv_get(kv, "direct_scanned", &d) && k + d > 0) {
		double stolen;

		zs_kv_put(kv, "direct_scan_pct", d / (k + d) * 100);
		/* 2.6 counts pgsteal for both callers together: one efficiency over all scans */
		if (zs_kv_get(kv, "pgsteal", &stolen)) {
			zs_kv_put(kv, "reclaimed", stolen);
			zs_kv_put(kv, "reclaim_efficiency_pct", stolen / (k + d) * 100);
		}
	}
	/* pages written by reclaim: 2.6.32 NR_VMSCAN_WRITE; 2.6.18 has no counter, its model
	 * counts pageout()'s writes; 2.4.0: the writes page_launder started (launder_pages) */
	put_copy(kv, "reclaim_writes", "nr_vmscan_write");
	if (!zs_kv_get(kv, "reclaim_writes", &k))
		put_copy(kv, "reclaim_writes", "pageout_writes");
	if (!zs_kv_get(kv, "reclaim_writes", &k))
		put_copy(kv, "reclaim_writes", "launder_pages");
	put_copy(kv, "swap_in", "pswpin");
	put_copy(kv, "swap_out", "pswpout");
	/* fragmentation: % of all memory free, and free in blocks of order >= K (buddyinfo) */
	double pages, nfree, blocks, ge = 0;
	if (zs_kv_get(kv, "pages", &pages) && pages > 0 && zs_kv_get(kv, "nr_free_pages", &nfree)) {
		int top = 0;

		zs_kv_put(kv, "free_pct", nfree / pages * 100);
		snprintf(key, sizeof(key), "order_%d", top);
		while (top < 16 && zs_kv_get(kv, key, &blocks))
			snprintf(key, sizeof(key), "order_%d", ++top);
		for (int o = top - 1; o >= 1; o--) {
			snprintf(key, sizeof(key), "order_%d", o);
			zs_kv_get(kv, key, &blocks);
			ge += blocks * (double)(1u << o);
			snprintf(key, sizeof(key), "free_ge_order_%d_pct", o);
			zs_kv_put(kv, key, ge / pages * 100);
		}
	}
	/* high-order success: blocks served / blocks asked for, per order >= 1 */
	for (int o = 1; o <= 16; o++) {
		double a, f;

		snprintf(ok, sizeof(ok), "allocs_order_%d", o);
		snprintf(fail, sizeof(fail), "allocfail_order_%d", o);
		if (!zs_kv_get(kv, ok, &a) || !zs_kv_get(kv, fail, &f) || a + f <= 0)
			continue;
		snprintf(key, sizeof(key), "highorder_success_pct_order_%d", o);
		zs_kv_put(kv, key, a / (a + f) * 100);
	}
}
