/* latency.c - allocation latency: percentiles and histogram of the stored samples; see latency.h. */
#include "sim/latency.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/diag.h"
#include "sim/pathclass.h"
#include "sim/stats.h"

void
zs_latency_init(struct zs_latency *l, enum zs_kver v, int max_order, const char *const *paths,
		int nr_paths)
{
	memset(l, 0, sizeof(*l));
	zs_latency_store_init(&l->st);
	l->kver = v;
	l->max_order = max_order;
	l->paths = paths;
	l->nr_paths = nr_paths;
	/* a sample's exit is one byte, UINT8_MAX meaning none */
	ZS_BUG_ON(nr_paths < 0 || nr_paths > UINT8_MAX);
	/* looked up once here, not by name on every allocation */
	for (int i = 0; i < nr_paths; i++)
		l->cls_of[i] = (int8_t)zs_pathclass_of(v, paths[i]);
}

void
zs_latency_free(struct zs_latency *l)
{
	zs_latency_store_free(&l->st);
}

void
zs_latency_record(struct zs_latency *l, int64_t ns, unsigned order, int path, int failed)
{
	int known = path >= 0 && path < l->nr_paths;
	int cls = known ? l->cls_of[path] : -1;

	/* every exit of the real models has a class (a test checks); a test model's
	 * exits count by their outcome */
	if (cls < 0)
		cls = failed ? ZS_PC_FAIL : ZS_PC_SLOW;
	zs_latency_store_add(&l->st, ns, (uint8_t)order, known ? (uint8_t)path : UINT8_MAX,
			     (uint8_t)cls);
}

/* The radix digit of ns at shift: ns with its sign bit flipped, so negative values sort first. */
static unsigned
digit(int64_t ns, unsigned shift)
{
	return (unsigned)((((uint64_t)ns ^ (UINT64_C(1) << 63)) >> shift) & 0xffff);
}

/*
 * The stored tuples in ascending order of ns (*n of them): an LSD radix sort on
 * 16-bit digits, skipping the digits every tuple shares.  Any subset read from
 * it in order is sorted, so one sort serves every percentile line.  *spare is
 * the sort's other buffer, as large, for the caller's use (2 x 16 B a tuple in
 * all: no more than 12 + 12 + 8 B a sample took when every sample was kept).
 * Caller frees both.
 */
static struct zs_latency_tuple *
sorted_by_ns(const struct zs_latency *l, size_t *n, struct zs_latency_tuple **spare)
{
	struct zs_latency_tuple *a, *b;
	size_t m = zs_latency_store_export(&l->st, &a), *count = malloc((1u << 16) * sizeof(*count));

	b = malloc((m + 1) * sizeof(*b));
	ZS_BUG_ON(!b || !count);
	for (unsigned shift = 0; shift < 64; shift += 16) {
		size_t at = 0;

		memset(count, 0, (1u << 16) * sizeof(*count));
		for (size_t i = 0; i < m; i++)
			count[digit(a[i].ns, shift)]++;
		if (m == 0 || count[digit(a[0].ns, shift)] == m)
			continue; /* one digit for all: this pass would not move anything */
		for (size_t d = 0; d < (1u << 16); d++) {
			size_t c = count[d];

			count[d] = at;
			at += c;
		}
		for (size_t i = 0; i < m; i++)
			b[count[digit(a[i].ns, shift)]++] = a[i];
		struct zs_latency_tuple *t = a;
		a = b;
		b = t;
	}
	free(count);
	*spare = b;
	*n = m;
	return a;
}

enum which { W_ORDER, W_CLASS, W_PATH };

static unsigned
key_of(const struct zs_latency_tuple *t, enum which w)
{
	return w == W_ORDER ? t->order : w == W_CLASS ? t->cls : t->path;
}

/*
 * "latency_<what>_pNN_ns: v" for the m tuples t[], ascending in ns, which
 * count `total` samples; nothing when there are none.  Each value is the one
 * at zs_stats_percentile's nearest rank among the samples the tuples stand
 * for: the first tuple whose running count reaches that rank.  The ranks
 * ascend with p, so one walk serves all five.
 */
static void
write_percentiles(FILE *f, const char *what, const struct zs_latency_tuple *t, size_t m,
		  size_t total)
{
	static const struct {
		const char *name;
		double p;
	} pct[] = {{"p50", 50}, {"p90", 90}, {"p99", 99}, {"p999", 99.9}, {"max", 100}};
	size_t i = 0, cum = 0;

	if (!total)
		return;
	for (size_t j = 0; j < sizeof(pct) / sizeof(pct[0]); j++) {
		size_t rank = zs_stats_rank(total, pct[j].p);

		while (cum < rank) {
			ZS_BUG_ON(i >= m);
			cum += t[i++].count;
		}
		fprintf(f, "latency_%s%s%s_ns: %" PRId64 "\n", what, *what ? "_" : "", pct[j].name,
			t[i - 1].ns);
	}
}

/*
 * The percentile lines of every value 0..nv-1 of key w (in that order, as
 * "<prefix><name of v>"): one counting pass, then the m sorted tuples are
 * dealt into buf by key, which leaves each value's run in ascending order.
 */
static void
write_by_key(const struct zs_latency *l, const struct zs_latency_tuple *sorted, size_t m,
	     enum which w, int nv, FILE *f, struct zs_latency_tuple *buf)
{
	size_t *at = calloc((size_t)nv + 1, sizeof(*at)), *total = calloc((size_t)nv + 1, sizeof(*total));
	char what[64];

	ZS_BUG_ON(!at || !total);
	for (size_t i = 0; i < m; i++) {
		unsigned k = key_of(&sorted[i], w);

		if (k < (unsigned)nv) {
			at[k + 1]++;
			total[k] += sorted[i].count;
		}
	}
	for (int v = 0; v < nv; v++)
		at[v + 1] += at[v];
	for (size_t i = 0, *next = at; i < m; i++) {
		unsigned k = key_of(&sorted[i], w);

		if (k < (unsigned)nv)
			buf[next[k]++] = sorted[i];
	}
	/* at[v] now ends value v's run (it started where at[v - 1] ends) */
	for (int v = 0; v < nv; v++) {
		size_t from = v ? at[v - 1] : 0;

		if (w == W_ORDER)
			snprintf(what, sizeof(what), "order_%d", v);
		else if (w == W_CLASS)
			snprintf(what, sizeof(what), "class_%s", zs_pathclass_name((enum zs_pathclass)v));
		else
			snprintf(what, sizeof(what), "path_%s", l->paths[v]);
		write_percentiles(f, what, buf + from, at[v] - from, total[v]);
	}
	free(total);
	free(at);
}

void
zs_latency_write_summary(const struct zs_latency *l, FILE *f)
{
	size_t m, n = (size_t)zs_latency_store_count(&l->st);
	struct zs_latency_tuple *buf, *s = sorted_by_ns(l, &m, &buf);

	fprintf(f, "latency_samples: %zu\n", n);
	write_percentiles(f, "", s, m, n);
	write_by_key(l, s, m, W_ORDER, l->max_order, f, buf);
	write_by_key(l, s, m, W_CLASS, ZS_NR_PC, f, buf);
	write_by_key(l, s, m, W_PATH, l->nr_paths, f, buf);
	free(s);
	free(buf);
}

/* log2 bucket of a latency: 0 for 0, else 1 + floor(log2 ns). */
static int
bucket_of(int64_t ns)
{
	return ns <= 0 ? 0 : 64 - __builtin_clzll((unsigned long long)ns);
}

void
zs_latency_write_hist(const struct zs_latency *l, FILE *f)
{
	enum { NB = 65 };
	int ncol = 1 + l->max_order + ZS_NR_PC, top = 0;
	uint64_t *h = calloc((size_t)NB * (size_t)ncol, sizeof(*h));
	struct zs_latency_tuple *t;
	size_t m = zs_latency_store_export(&l->st, &t);

	ZS_BUG_ON(!h);
	for (size_t i = 0; i < m; i++) {
		int b = bucket_of(t[i].ns);

		h[b * ncol] += t[i].count;
		h[b * ncol + 1 + t[i].order] += t[i].count;
		h[b * ncol + 1 + l->max_order + t[i].cls] += t[i].count;
		if (b > top)
			top = b;
	}
	free(t);
	fputs("bucket,lo_ns,hi_ns,all", f);
	for (int k = 0; k < l->max_order; k++)
		fprintf(f, ",order_%d", k);
	for (int c = 0; c < ZS_NR_PC; c++)
		fprintf(f, ",%s", zs_pathclass_name((enum zs_pathclass)c));
	fputc('\n', f);
	for (int b = 0; b <= top; b++) {
		/* bucket 0 is [0, 1); bucket b is [2^(b-1), 2^b); hi of the last is 2^64 - 1 */
		uint64_t lo = b ? 1ull << (b - 1) : 0;
		uint64_t hi = b == 0 ? 1 : b < 64 ? 1ull << b : UINT64_MAX;

		fprintf(f, "%d,%" PRIu64 ",%" PRIu64, b, lo, hi);
		for (int c = 0; c < ncol; c++)
			fprintf(f, ",%" PRIu64, h[b * ncol + c]);
		fputc('\n', f);
	}
	free(h);
}
