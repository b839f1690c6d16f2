/* latency.c - allocation latency samples, percentiles, histogram; see latency.h. */
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
	l->kver = v;
	l->max_order = max_order;
	l->paths = paths;
	l->nr_paths = nr_paths;
}

void
zs_latency_free(struct zs_latency *l)
{
	free(l->s);
	l->s = NULL;
	l->n = l->cap = 0;
}

void
zs_latency_record(struct zs_latency *l, int64_t ns, unsigned order, int path, int failed)
{
	int known = path >= 0 && path < l->nr_paths;
	int cls = known ? zs_pathclass_of(l->kver, l->paths[path]) : -1;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4096;
		l->s = realloc(l->s, l->cap * sizeof(*l->s));
		ZS_BUG_ON(!l->s);
	}
	/* every exit of the real models has a class (a test checks); a test model's
	 * exits count by their outcome */
	if (cls < 0)
		cls = failed ? ZS_PC_FAIL : ZS_PC_SLOW;
	l->s[l->n].ns = ns;
	l->s[l->n].order = (uint8_t)order;
	l->s[l->n].path = known ? (uint8_t)path : UINT8_MAX;
	l->s[l->n].cls = (uint8_t)cls;
	l->n++;
}

/*
 * The samples in ascending order of ns: an LSD radix sort on 16-bit digits of
 * ns with its sign bit flipped (so negative values sort first), skipping the
 * digits every sample shares.  Any subset read from it in order is sorted, so
 * one sort serves every percentile line.  Caller frees.
 */
static struct zs_latency_sample *
sorted_by_ns(const struct zs_latency *l)
{
	struct zs_latency_sample *a = malloc((l->n + 1) * sizeof(*a)), *b = malloc((l->n + 1) * sizeof(*b));
	size_t *count = malloc((1u << 16) * sizeof(*count));

	ZS_BUG_ON(!a || !b || !count);
	if (l->n)
		memcpy(a, l->s, l->n * sizeof(*a));
	for (unsigned shift = 0; shift < 64; shift += 16) {
		size_t at = 0;

		memset(count, 0, (1u << 16) * sizeof(*count));
		for (size_t i = 0; i < l->n; i++)
			count[(((uint64_t)a[i].ns ^ (UINT64_C(1) << 63)) >> shift) & 0xffff]++;
		if (l->n == 0 || count[(((uint64_t)a[0].ns ^ (UINT64_C(1) << 63)) >> shift) & 0xffff] == l->n)
			continue; /* one digit for all: this pass would not move anything */
		for (size_t d = 0; d < (1u << 16); d++) {
			size_t c = count[d];

			count[d] = at;
			at += c;
		}
		for (size_t i = 0; i < l->n; i++)
			b[count[(((uint64_t)a[i].ns ^ (UINT64_C(1) << 63)) >> shift) & 0xffff]++] = a[i];
		struct zs_latency_sample *t = a;
		a = b;
		b = t;
	}
	free(count);
	free(b);
	return a;
}

enum which { W_ORDER, W_CLASS, W_PATH };

static unsigned
key_of(const struct zs_latency_sample *s, enum which w)
{
	return w == W_ORDER ? s->order : w == W_CLASS ? s->cls : s->path;
}

/* "latency_<what>_pNN_ns: v" for n ascending values; nothing when n is 0. */
static void
write_percentiles(FILE *f, const char *what, const int64_t *sorted, size_t n)
{
	static const struct {
		const char *name;
		double p;
	} pct[] = {{"p50", 50}, {"p90", 90}, {"p99", 99}, {"p999", 99.9}, {"max", 100}};

	if (!n)
		return;
	for (size_t i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
		fprintf(f, "latency_%s%s%s_ns: %" PRId64 "\n", what, *what ? "_" : "", pct[i].name,
			zs_stats_percentile(sorted, n, pct[i].p));
}

/*
 * The percentile lines of every value 0..nv-1 of key w (in that order, as
 * "<prefix><name of v>"): one counting pass, then the sorted samples are dealt
 * into buf by key, which leaves each value's run in ascending order.
 */
static void
write_by_key(const struct zs_latency *l, const struct zs_latency_sample *sorted, enum which w,
	     int nv, FILE *f, int64_t *buf)
{
	size_t *at = calloc((size_t)nv + 1, sizeof(*at));
	char what[64];

	ZS_BUG_ON(!at);
	for (size_t i = 0; i < l->n; i++) {
		unsigned k = key_of(&sorted[i], w);

		if (k < (unsigned)nv)
			at[k + 1]++;
	}
	for (int v = 0; v < nv; v++)
		at[v + 1] += at[v];
	for (size_t i = 0, *next = at; i < l->n; i++) {
		unsigned k = key_of(&sorted[i], w);

		if (k < (unsigned)nv)
			buf[next[k]++] = sorted[i].ns;
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
		write_percentiles(f, what, buf + from, at[v] - from);
	}
	free(at);
}

void
zs_latency_write_summary(const struct zs_latency *l, FILE *f)
{
	int64_t *buf = malloc((l->n + 1) * sizeof(*buf));
	struct zs_latency_sample *s = sorted_by_ns(l);

	ZS_BUG_ON(!buf);
	fprintf(f, "latency_samples: %zu\n", l->n);
	for (size_t i = 0; i < l->n; i++)
		buf[i] = s[i].ns;
	write_percentiles(f, "", buf, l->n);
	write_by_key(l, s, W_ORDER, l->max_order, f, buf);
	write_by_key(l, s, W_CLASS, ZS_NR_PC, f, buf);
	write_by_key(l, s, W_PATH, l->nr_paths, f, buf);
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

	ZS_BUG_ON(!h);
	for (size_t i = 0; i < l->n; i++) {
		int b = bucket_of(l->s[i].ns);

		h[b * ncol]++;
		h[b * ncol + 1 + l->s[i].order]++;
		h[b * ncol + 1 + l->max_order + l->s[i].cls]++;
		if (b > top)
			top = b;
	}
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
