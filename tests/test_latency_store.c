/*
 * test_latency_store.c - the latency samples kept as distinct tuples with
 * counts give the summary.txt lines and latency.csv that the plain list of
 * every sample gives: a reference here keeps each sample, sorts each group
 * with qsort and takes zs_stats_percentile, then both texts are compared byte
 * for byte.  Inputs are adversarial: all equal, all distinct (the sample list
 * fallback), negative and zero values, the table's growth and fallback
 * boundaries, full entries, and every split by order, class and exit.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/latency.h"
#include "sim/pathclass.h"
#include "sim/stats.h"

/* Four real 2.6.32 exits, one per class but oom; a sample may also name none. */
static const char *const paths[] = {"fast", "min", "reclaim", "fail_nomem"};
enum { NR_PATHS = 4, MAX_ORDER = 11 };

/* The plain record of every sample, as latency.c kept it before. */
struct ref {
	size_t n, cap;
	int64_t *ns;
	int *order, *path, *cls;
};

struct pair {
	struct zs_latency lat;
	struct ref ref;
};

static void
pair_init(struct pair *p)
{
	zs_latency_init(&p->lat, ZS_KV_2632, MAX_ORDER, paths, NR_PATHS);
	memset(&p->ref, 0, sizeof(p->ref));
}

static void
pair_free(struct pair *p)
{
	zs_latency_free(&p->lat);
	free(p->ref.ns);
	free(p->ref.order);
	free(p->ref.path);
	free(p->ref.cls);
}

/* One sample into both; path -1 or >= NR_PATHS is an exit the table does not know. */
static void
add(struct pair *p, int64_t ns, int order, int path, int failed)
{
	struct ref *r = &p->ref;
	int known = path >= 0 && path < NR_PATHS;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->ns = realloc(r->ns, r->cap * sizeof(*r->ns));
		r->order = realloc(r->order, r->cap * sizeof(int));
		r->path = realloc(r->path, r->cap * sizeof(int));
		r->cls = realloc(r->cls, r->cap * sizeof(int));
		cr_assert(r->ns && r->order && r->path && r->cls);
	}
	r->ns[r->n] = ns;
	r->order[r->n] = order;
	r->path[r->n] = known ? path : -1;
	r->cls[r->n] = known ? zs_pathclass_of(ZS_KV_2632, paths[path])
			     : failed ? ZS_PC_FAIL : ZS_PC_SLOW;
	r->n++;
	zs_latency_record(&p->lat, ns, (unsigned)order, path, failed);
}

static int
cmp_ns(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The five lines of the samples whose field (NULL: every sample) equals v. */
static void
ref_group(FILE *f, const struct ref *r, const char *prefix, const int *field, int v)
{
	static const double ps[] = {50, 90, 99, 99.9, 100};
	static const char *const names[] = {"p50", "p90", "p99", "p999", "max"};
	int64_t *x = malloc((r->n + 1) * sizeof(*x));
	size_t k = 0;

	cr_assert(x);
	for (size_t i = 0; i < r->n; i++)
		if (!field || field[i] == v)
			x[k++] = r->ns[i];
	qsort(x, k, sizeof(*x), cmp_ns);
	for (int j = 0; k && j < 5; j++)
		fprintf(f, "latency_%s%s_ns: %" PRId64 "\n", prefix, names[j],
			zs_stats_percentile(x, k, ps[j]));
	free(x);
}

static char *
ref_summary(const struct ref *r)
{
	char *text = NULL, prefix[64];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(f);
	fprintf(f, "latency_samples: %zu\n", r->n);
	ref_group(f, r, "", NULL, 0);
	for (int o = 0; o < MAX_ORDER; o++) {
		snprintf(prefix, sizeof(prefix), "order_%d_", o);
		ref_group(f, r, prefix, r->order, o);
	}
	for (int c = 0; c < ZS_NR_PC; c++) {
		snprintf(prefix, sizeof(prefix), "class_%s_", zs_pathclass_name((enum zs_pathclass)c));
		ref_group(f, r, prefix, r->cls, c);
	}
	for (int q = 0; q < NR_PATHS; q++) {
		snprintf(prefix, sizeof(prefix), "path_%s_", paths[q]);
		ref_group(f, r, prefix, r->path, q);
	}
	fclose(f);
	return text;
}

/* latency.csv from the samples: columns all, order_0.., then the classes. */
static char *
ref_hist(const struct ref *r)
{
	enum { NCOL = 1 + MAX_ORDER + ZS_NR_PC };
	static unsigned long long h[65][NCOL];
	char *text = NULL;
	size_t len = 0;
	int top = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(f);
	memset(h, 0, sizeof(h));
	for (size_t i = 0; i < r->n; i++) {
		int b = 0;

		for (int64_t v = r->ns[i]; v > 0; v >>= 1)
			b++;
		h[b][0]++;
		h[b][1 + r->order[i]]++;
		h[b][1 + MAX_ORDER + r->cls[i]]++;
		top = b > top ? b : top;
	}
	fprintf(f, "bucket,lo_ns,hi_ns,all");
	for (int o = 0; o < MAX_ORDER; o++)
		fprintf(f, ",order_%d", o);
	fprintf(f, ",fast,slow,reclaim,oom,fail\n");
	for (int b = 0; b <= top; b++) {
		fprintf(f, "%d,%llu,%llu", b, b ? 1ull << (b - 1) : 0ull,
			b == 0 ? 1ull : b == 64 ? ~0ull : 1ull << b);
		for (int c = 0; c < NCOL; c++)
			fprintf(f, ",%llu", h[b][c]);
		fputc('\n', f);
	}
	fclose(f);
	return text;
}

static char *
text_of(const struct zs_latency *l, void (*write)(const struct zs_latency *, FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(f);
	write(l, f);
	fclose(f);
	return text;
}

/* Both outputs equal the reference's; the store keeps its invariants. */
static void
check(const struct pair *p)
{
	const struct zs_latency_store *st = &p->lat.st;
	char *want = ref_summary(&p->ref), *got = text_of(&p->lat, zs_latency_write_summary);
	size_t table = st->cap * sizeof(*st->slot);
	uint64_t counted = 0;

	cr_assert_str_eq(got, want);
	free(want);
	free(got);
	want = ref_hist(&p->ref);
	got = text_of(&p->lat, zs_latency_write_hist);
	cr_assert_str_eq(got, want);
	free(want);
	free(got);
	cr_assert_eq(zs_latency_store_count(st), p->ref.n);
	for (size_t i = 0; i < st->cap; i++)
		counted += st->slot[i].count;
	cr_assert_eq(counted, st->in_table, "the table counts %" PRIu64 ", says %" PRIu64, counted,
		     st->in_table);
	cr_assert(table <= ZS_LATENCY_FIRST_SLOTS * sizeof(*st->slot) ||
			  table <= st->in_table * sizeof(struct zs_latency_sample),
		  "a table of %zu B for %" PRIu64 " samples", table, st->in_table);
}

/* A deterministic stream for the tests (not the simulation's: no GSL needed). */
static uint64_t
next_rand(uint64_t *s)
{
	*s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return *s >> 33;
}

Test(latency_store, nothing_recorded)
{
	struct pair p;

	pair_init(&p);
	check(&p);
	pair_free(&p);
}

Test(latency_store, all_equal_is_one_entry)
{
	struct pair p;

	pair_init(&p);
	for (int i = 0; i < 100000; i++)
		add(&p, 2500, 0, 0, 0);
	check(&p);
	cr_assert_eq(p.lat.st.used, 1);
	cr_assert_eq(p.lat.st.nlist, 0);
	cr_assert_eq(zs_latency_store_bytes(&p.lat.st), ZS_LATENCY_FIRST_SLOTS * 16);
	pair_free(&p);
}

/* Every value distinct: the first table's 3/4 fill, then every sample in the list,
 * which costs no more than the plain list (12 B a sample, doubling from 4096) did
 * beside the 4 KiB table. */
Test(latency_store, all_distinct_costs_the_plain_list)
{
	enum { N = 300000 };
	struct pair p;
	size_t plain = 4096;

	pair_init(&p);
	for (int64_t i = 0; i < N; i++)
		add(&p, i * 7919 % N, (int)(i % 3), (int)(i % NR_PATHS), 0);
	check(&p);
	while (plain < N)
		plain *= 2;
	cr_assert_eq(p.lat.st.cap, ZS_LATENCY_FIRST_SLOTS, "never worth growing");
	cr_assert_eq(p.lat.st.used, ZS_LATENCY_FIRST_SLOTS * 3 / 4);
	cr_assert_eq(p.lat.st.nlist, N - ZS_LATENCY_FIRST_SLOTS * 3 / 4);
	cr_assert_leq(zs_latency_store_bytes(&p.lat.st), ZS_LATENCY_FIRST_SLOTS * 16 + plain * 12);
	pair_free(&p);
}

/* Sign, zero and the extremes of int64 sort as numbers (the radix sort flips the sign bit). */
Test(latency_store, negative_zero_and_extreme_values)
{
	static const int64_t v[] = {0, -1, 1, INT64_MIN, INT64_MAX, -1000000007, 65536, -65536,
				    INT64_C(1) << 48, -(INT64_C(1) << 32), 0, 0};
	struct pair p;

	pair_init(&p);
	for (int rep = 0; rep < 37; rep++)
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			add(&p, v[i], (int)(i % 2), (int)(i % NR_PATHS), (int)(i & 1));
	check(&p);
	/* one sample, and one of each sign alone */
	pair_free(&p);
	pair_init(&p);
	add(&p, -42, 10, 3, 1);
	check(&p);
	pair_free(&p);
	pair_init(&p);
	add(&p, INT64_MIN, 0, 0, 0);
	add(&p, INT64_MAX, 0, 0, 0);
	check(&p);
	pair_free(&p);
}

/*
 * The boundaries: 192 distinct values fill 3/4 of the first table; the 193rd
 * finds it full with 192 samples counted, not worth doubling (8 KiB > 192 x 12
 * B), so it and the next new values go to the list.  Repeats of table values
 * then raise its count past 683 (8 KiB / 12 B), and the next new value doubles
 * the table: from then on the list's values come back as table entries, so
 * one tuple is counted in both places.
 */
Test(latency_store, growth_and_fallback_boundaries)
{
	const int fill = ZS_LATENCY_FIRST_SLOTS * 3 / 4;
	struct pair p;

	pair_init(&p);
	for (int i = 0; i < fill; i++)
		add(&p, 1000 + i, 0, 0, 0);
	cr_assert_eq(p.lat.st.used, (size_t)fill);
	cr_assert_eq(p.lat.st.nlist, 0);
	check(&p);
	for (int i = 0; i < 100; i++)
		add(&p, -i, 1, 2, 0);
	cr_assert_eq(p.lat.st.cap, ZS_LATENCY_FIRST_SLOTS);
	cr_assert_eq(p.lat.st.nlist, 100);
	add(&p, 1000, 0, 0, 0); /* a table value still counts in the table */
	cr_assert_eq(p.lat.st.nlist, 100);
	check(&p);
	/* 683 samples make the doubled table (8 KiB) worth it: 193 + 490 repeats */
	for (int i = 0; i < 490; i++)
		add(&p, 1000 + i % fill, 0, 0, 0);
	cr_assert_eq(p.lat.st.in_table, 683);
	cr_assert_eq(p.lat.st.cap, ZS_LATENCY_FIRST_SLOTS, "nothing new: no reason to grow yet");
	add(&p, -1, 1, 2, 0); /* in the list already: now a table entry too */
	cr_assert_eq(p.lat.st.cap, 2 * ZS_LATENCY_FIRST_SLOTS);
	cr_assert_eq(p.lat.st.nlist, 100);
	for (int i = 0; i < 100; i++)
		add(&p, -i, 1, 2, 0);
	cr_assert_eq(p.lat.st.nlist, 100);
	check(&p);
	pair_free(&p);
}

/* An entry whose count is full makes way for another entry of the same tuple. */
Test(latency_store, a_full_entry_gets_a_sibling)
{
	struct pair p;

	pair_init(&p);
	p.lat.st.count_max = 3;
	for (int i = 0; i < 10; i++)
		add(&p, 77, 2, 1, 0);
	add(&p, 5, 2, 1, 0);
	cr_assert_eq(p.lat.st.used, 5, "77 x 10 in four entries (3, 3, 3, 1), 5 in one");
	check(&p);
	pair_free(&p);
}

/* The same ns under different orders, exits and classes are different tuples, and
 * the per-order, per-class and per-exit lines split them as the plain list does;
 * the exits the table does not know count by their outcome. */
Test(latency_store, splits_by_order_class_and_exit)
{
	struct pair p;
	uint64_t s = 1;

	pair_init(&p);
	for (int i = 0; i < 50000; i++) {
		uint64_t r = next_rand(&s);
		int path = (int)(r % (NR_PATHS + 2)) - 1; /* -1 .. NR_PATHS: two unknown */

		add(&p, (int64_t)(next_rand(&s) % 40) * 4000000, (int)(r / 8 % MAX_ORDER), path,
		    (int)(r / 128 % 2));
	}
	check(&p);
	cr_assert_leq(p.lat.st.used, 40 * MAX_ORDER * (NR_PATHS + 2));
	pair_free(&p);
}

/* A contended run's shape: a few repeated costs (30 %), a tail of waits that
 * never repeat, new values arriving all the time: the repeats pay for some
 * growth, the list takes the rest. */
Test(latency_store, repeats_with_a_distinct_tail)
{
	struct pair p;
	uint64_t s = 7;

	pair_init(&p);
	for (int i = 0; i < 400000; i++) {
		uint64_t r = next_rand(&s);
		int64_t ns = r % 10 < 3 ? (int64_t)(r % 3) * 1500 : (int64_t)(next_rand(&s) << 8);

		add(&p, ns, (int)(r % 4 == 0), (int)(r / 16 % NR_PATHS), 0);
	}
	check(&p);
	cr_assert_gt(p.lat.st.cap, ZS_LATENCY_FIRST_SLOTS, "the repeats pay for growth");
	cr_assert_gt(p.lat.st.nlist, 0, "and the tail outruns it");
	pair_free(&p);
}

/* zs_stats_rank is the rank zs_stats_percentile reads. */
Test(latency_store, rank_is_the_percentile_rank)
{
	static const double ps[] = {0.1, 50, 90, 99, 99.9, 100};
	int64_t v[2000];

	for (int i = 0; i < 2000; i++)
		v[i] = i;
	for (size_t n = 1; n <= 2000; n++)
		for (int j = 0; j < 6; j++) {
			size_t rank = zs_stats_rank(n, ps[j]);

			cr_assert(rank >= 1 && rank <= n);
			cr_assert_eq(zs_stats_percentile(v, n, ps[j]), (int64_t)rank - 1);
		}
}
