/*
 * test_gen_sources.c - the synthetic generators (anon, filecache, kernel,
 * phases) driven without a simulator: determinism, time order, handle
 * lifetimes, parameters and their errors, and feedback.
 *
 * A small checker plays the driver's bookkeeping: a handle may be allocated
 * only while it is not live, freed / touched only while it is, and a task's
 * exit ends every handle it allocated.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/gfp.h"
#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/source.h"

#define SEC 1000000000LL

struct gen {
	struct zs_cfg *cfg;
	struct zs_rng *rng;
	struct zs_source *src;
};

static struct zs_source *
gen_open(struct gen *g, const char *yaml, enum zs_kver kv, uint64_t seed, int64_t duration,
	 struct zs_error *err)
{
	struct zs_source_env env;

	memset(g, 0, sizeof(*g));
	g->cfg = zs_cfg_load_string("test.yaml", yaml, err);
	cr_assert_not_null(g->cfg, "%s", err->msg);
	g->rng = zs_rng_create(seed, "test", 0);
	memset(&env, 0, sizeof(env));
	env.kver = kv;
	env.nr_cpus = 2;
	env.machine_pages = 65536;
	env.duration_ns = duration;
	env.rng = g->rng;
	env.scenario_dir = ".";
	env.index = 0;
	g->src = zs_source_create(g->cfg, &env, err);
	return g->src;
}

static struct zs_source *
gen_must(struct gen *g, const char *yaml, enum zs_kver kv, uint64_t seed, int64_t duration)
{
	struct zs_error err = {0, ""};
	struct zs_source *s = gen_open(g, yaml, kv, seed, duration, &err);

	cr_assert_not_null(s, "%s", err.msg);
	return s;
}

static void
gen_close(struct gen *g)
{
	zs_source_destroy(g->src);
	zs_rng_destroy(g->rng);
	zs_cfg_free(g->cfg);
}

/* Up to max requests; returns how many. */
static size_t
pull(struct zs_source *s, struct zs_request *out, size_t max)
{
	struct zs_error err = {0, ""};
	size_t n = 0;

	while (n < max) {
		int rc = zs_source_next_done(s, &out[n], &err);

		cr_assert_geq(rc, 0, "%s", err.msg);
		if (rc == 0)
			break;
		n++;
	}
	return n;
}

/* ---- the driver's bookkeeping, in miniature ---- */

struct live {
	uint64_t *key;   /* handle + 1, 0 = empty */
	uint32_t *task;
	size_t cap, n;
};

static size_t
live_slot(const struct live *l, uint64_t h)
{
	size_t i = (size_t)((h * 0x9e3779b97f4a7c15ull) >> 40) & (l->cap - 1);

	while (l->key[i] && l->key[i] != h + 1)
		i = (i + 1) & (l->cap - 1);
	return i;
}

static void
live_init(struct live *l)
{
	l->cap = 1 << 20;
	l->n = 0;
	l->key = calloc(l->cap, sizeof(*l->key));
	l->task = calloc(l->cap, sizeof(*l->task));
	cr_assert(l->key && l->task);
}

/* Remove by rehashing the rest of the cluster (linear probing). */
static void
live_del_at(struct live *l, size_t i)
{
	l->key[i] = 0;
	l->n--;
	for (size_t j = (i + 1) & (l->cap - 1); l->key[j]; j = (j + 1) & (l->cap - 1)) {
		uint64_t k = l->key[j];
		uint32_t t = l->task[j];

		l->key[j] = 0;
		size_t s = live_slot(l, k - 1);
		l->key[s] = k;
		l->task[s] = t;
	}
}

static void
live_check(struct live *l, const struct zs_request *q)
{
	size_t i;

	cr_assert_lt(q->handle, 1ull << 48, "handle %llx beyond 2^48", (unsigned long long)q->handle);
	switch (q->type) {
	case ZS_REQ_ALLOC:
		i = live_slot(l, q->handle);
		cr_assert_eq(l->key[i], 0, "ALLOC of a live handle %llx", (unsigned long long)q->handle);
		cr_assert_lt(l->n, l->cap / 2);
		l->key[i] = q->handle + 1;
		l->task[i] = q->task;
		l->n++;
		break;
	case ZS_REQ_FREE:
	case ZS_REQ_TOUCH:
	case ZS_REQ_DIRTY:
		i = live_slot(l, q->handle);
		cr_assert_neq(l->key[i], 0, "%s of a dead handle %llx", zs_req_type_name(q->type),
			      (unsigned long long)q->handle);
		if (q->type == ZS_REQ_FREE)
			live_del_at(l, i);
		break;
	case ZS_REQ_TASK_EXIT:
		for (i = 0; i < l->cap; i++)
			while (l->key[i] && l->task[i] == q->task)
				live_del_at(l, i);
		break;
	default:
		break;
	}
}

static void
live_free(struct live *l)
{
	free(l->key);
	free(l->task);
}

/* Requests in time order and consistent with handle lifetimes; returns the count. */
static size_t
check_stream(struct zs_source *s, size_t max, struct zs_request *keep)
{
	struct zs_request q;
	struct zs_error err = {0, ""};
	struct live l;
	int64_t last = 0;
	size_t n = 0;

	live_init(&l);
	while (n < max && zs_source_next_done(s, &q, &err) == 1) {
		cr_assert_geq(q.time, last, "request %zu goes back in time (%lld < %lld)", n,
			      (long long)q.time, (long long)last);
		last = q.time;
		live_check(&l, &q);
		if (keep)
			keep[n] = q;
		n++;
	}
	cr_assert_eq(err.code, 0, "%s", err.msg);
	live_free(&l);
	return n;
}

static int
same_request(const struct zs_request *a, const struct zs_request *b)
{
	return a->time == b->time && a->type == b->type && a->task == b->task && a->cpu == b->cpu &&
	       a->order == b->order && a->kind == b->kind && a->gfp == b->gfp &&
	       a->handle == b->handle && a->nice == b->nice && a->root == b->root &&
	       !memcmp(a->comm, b->comm, sizeof(a->comm));
}

#define NREQ 4000

static const char *const samples[] = {
	"type: anon\narrival_rate: 20\nfootprint: {dist: lognormal, median: 1MiB, sigma: 1}\n"
	"lifetime: {dist: exponential, mean: 500ms}\ntouch_rate: 2000\nwrite_fraction: 0.5\n",
	"type: anon\ninitial_tasks: 3\narrival_rate: 0\nfootprint: 256\ngrow: 5000\n"
	"lifetime: 10s\n",
	"type: filecache\nfiles: 3\nfile_size: {dist: uniform, min: 64KiB, max: 1MiB}\n"
	"pattern: loop\nwrite_fraction: 0.2\n",
	"type: filecache\nfiles: [256KiB, 2MiB]\npattern: random\ndelete_after: 50ms\n",
	"type: filecache\nfiles: 4\nfile_size: 512KiB\npattern: hotset\nhot_size: 128KiB\n"
	"delete_at_end: true\n",
	"type: filecache\nfiles: 1\nfile_size: 64KiB\npattern: stream\ndelete_after: 10ms\n",
	"type: kernel\npreset: network-burst\n",
	"type: kernel\npreset: fork\nrate: 500\n",
	"type: kernel\ngfp: GFP_NOFS\norders: {0: 3, 2: 1}\nrate: 2000\n"
	"lifetime: {dist: pareto, shape: 1.5, scale: 1ms}\n",
	"type: phases\nphases:\n"
	"  - {stop: 300ms, source: {type: anon, arrival_rate: 50, footprint: 128KiB}}\n"
	"  - {start: 200ms, stop: 600ms, source: {type: kernel, preset: network-burst}}\n"
	"  - {source: {type: filecache, files: 2, file_size: 1MiB}}\n",
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

Test(gen_sources, deterministic_per_seed)
{
	static struct zs_request a[NREQ], b[NREQ], c[NREQ];

	for (size_t i = 0; i < NSAMPLES; i++) {
		struct gen g1, g2, g3;
		size_t na, nb, nc, differ = 0;

		na = pull(gen_must(&g1, samples[i], ZS_KV_2632, 42, 2 * SEC), a, NREQ);
		nb = pull(gen_must(&g2, samples[i], ZS_KV_2632, 42, 2 * SEC), b, NREQ);
		nc = pull(gen_must(&g3, samples[i], ZS_KV_2632, 43, 2 * SEC), c, NREQ);
		cr_assert_gt(na, 100, "sample %zu made only %zu requests", i, na);
		cr_assert_eq(na, nb, "sample %zu: %zu vs %zu requests", i, na, nb);
		for (size_t k = 0; k < na; k++)
			cr_assert(same_request(&a[k], &b[k]), "sample %zu differs at request %zu", i, k);
		for (size_t k = 0; k < na && k < nc; k++)
			differ += !same_request(&a[k], &c[k]);
		cr_assert(differ > 0 || na != nc, "sample %zu: seed 43 repeats seed 42", i);
		gen_close(&g1);
		gen_close(&g2);
		gen_close(&g3);
	}
}

Test(gen_sources, time_order_and_handle_lifetimes_on_every_kernel)
{
	for (int kv = 0; kv < ZS_KV_COUNT; kv++)
		for (size_t i = 0; i < NSAMPLES; i++) {
			struct gen g;
			size_t n = check_stream(gen_must(&g, samples[i], (enum zs_kver)kv, 7, 1 * SEC),
						200000, NULL);

			cr_assert_gt(n, 10, "kernel %d sample %zu: %zu requests", kv, i, n);
			gen_close(&g);
		}
}

Test(gen_sources, unknown_keys_name_line_and_column)
{
	static const struct {
		const char *yaml, *where, *what;
	} cases[] = {
		{"type: anon\nfootprnt: 64MiB\n", "test.yaml:2:1", "did you mean 'footprint'"},
		{"type: filecache\nfiles: 2\npatern: loop\n", "test.yaml:3:1", "'pattern'"},
		{"type: kernel\n  \nburst_gab: 5us\n", "test.yaml:3:1", "'burst_gap'"},
		{"type: phases\nphases:\n  - {stop: 1s, srce: {type: anon}}\n", "test.yaml:3:16",
		 "'source'"},
		{"type: phases\nphases:\n  - source: {type: anon, lifetme: 1s}\n", "test.yaml:3:26",
		 "'lifetime'"},
		{"type: anon\nlifetime: {dist: exponential, mean: 1s, sigma: 2}\n", "test.yaml:2:41",
		 "'sigma'"},
		{"type: kernel\npreset: tcp\n", "test.yaml:2:9", "unknown preset"},
		{"type: filecache\npattern: zigzag\n", "test.yaml:2:10", "unknown pattern"},
		{"type: kernel\ngfp: GFP_SOMETIMES\n", "test.yaml:2:6", "GFP_SOMETIMES"},
		{"type: anon\ngfp: GFP_NFS\n", "test.yaml:2:6", "does not exist"},
		{"type: anon\nwrite_fraction: 2\n", "test.yaml:2:17", "out of range"},
		{"type: phases\nphases:\n  - {start: 2s, stop: 1s, source: {type: anon}}\n",
		 "test.yaml:3:23", "after its 'start'"},
		{"type: phases\nphases:\n  - source: {type: phases, phases: []}\n", "test.yaml:3:20",
		 "nested"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gen g;
		struct zs_error err = {0, ""};
		/* GFP_NFS is a 2.4-only name: create on 2.6.18 */
		struct zs_source *s = gen_open(&g, cases[i].yaml, ZS_KV_2618, 1, SEC, &err);

		cr_assert_null(s, "case %zu accepted", i);
		cr_assert(strstr(err.msg, cases[i].where) && strstr(err.msg, cases[i].what),
			  "case %zu: '%s'", i, err.msg);
		gen_close(&g);
	}
}

/* Requests of one task number. */
static size_t
count_task(const struct zs_request *q, size_t n, uint32_t task, enum zs_req_type type)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += q[i].task == task && q[i].type == type;
	return c;
}

Test(gen_sources, anon_task_life)
{
	static struct zs_request q[200000];
	struct gen g;
	size_t n = check_stream(gen_must(&g,
					 "type: anon\narrival_rate: 10\nfootprint: 100\n"
					 "lifetime: 300ms\nalloc_rate: 10000\ntouch_rate: 500\n"
					 "write_fraction: 0.25\ncomm: worker\nnice: 5\n",
					 ZS_KV_24, 3, 2 * SEC),
				200000, q);
	size_t starts = 0, exits = 0, dirties = 0, touches = 0;

	cr_assert_lt(n, 200000, "the source must finish at the run's end");
	for (size_t i = 0; i < n; i++) {
		if (q[i].type == ZS_REQ_TASK_START) {
			starts++;
			cr_assert_str_eq(q[i].comm, "worker");
			cr_assert_eq(q[i].nice, 5);
			/* a task allocates exactly its footprint, then exits at start + lifetime */
			cr_assert_eq(count_task(q, n, q[i].task, ZS_REQ_ALLOC), 100);
			cr_assert_eq(count_task(q, n, q[i].task, ZS_REQ_TASK_EXIT), 1);
		}
		if (q[i].type == ZS_REQ_ALLOC) {
			cr_assert_eq(q[i].gfp, GFP24_HIGHUSER);
			cr_assert_eq(q[i].kind, ZS_KIND_ANON);
			cr_assert_eq(q[i].order, 0);
		}
		exits += q[i].type == ZS_REQ_TASK_EXIT;
		dirties += q[i].type == ZS_REQ_DIRTY;
		touches += q[i].type == ZS_REQ_TOUCH;
	}
	/* Poisson(10/s) for 2s: 20 expected */
	cr_assert(starts >= 8 && starts <= 35, "%zu tasks", starts);
	cr_assert_eq(exits, starts, "every task exits by the end");
	cr_assert(dirties > touches / 6 && dirties < touches, "%zu dirties, %zu touches", dirties,
		  touches);
	gen_close(&g);
}

Test(gen_sources, anon_default_gfp_follows_the_kernel)
{
	const uint32_t expect[ZS_KV_COUNT] = {GFP24_HIGHUSER, GFP26_HIGHUSER,
					      GFP26_HIGHUSER_MOVABLE};

	for (int kv = 0; kv < ZS_KV_COUNT; kv++) {
		struct gen g;
		struct zs_request q[64];
		size_t n = pull(gen_must(&g, "type: anon\ninitial_tasks: 1\n", (enum zs_kver)kv, 1,
					 SEC),
				q, 64);
		int seen = 0;

		for (size_t i = 0; i < n; i++)
			if (q[i].type == ZS_REQ_ALLOC) {
				cr_assert_eq(q[i].gfp, expect[kv], "kernel %d", kv);
				seen = 1;
			}
		cr_assert(seen);
		gen_close(&g);
	}
}

Test(gen_sources, feedback_kill_stops_the_task)
{
	struct gen g;
	struct zs_source *s = gen_must(&g,
				       "type: anon\ninitial_tasks: 2\narrival_rate: 0\n"
				       "footprint: 64\ngrow: true\nlifetime: 100s\n",
				       ZS_KV_2632, 11, 0);
	struct zs_request q;
	struct zs_error err = {0, ""};
	uint32_t victim = UINT32_MAX;
	size_t other = 0;

	/* run until task 0 has faulted some pages in */
	for (int i = 0; i < 1000; i++) {
		cr_assert_eq(zs_source_next_done(s, &q, &err), 1);
		if (q.type == ZS_REQ_ALLOC && victim == UINT32_MAX)
			victim = q.task;
	}
	cr_assert_neq(victim, UINT32_MAX);
	struct zs_request kill;

	memset(&kill, 0, sizeof(kill));
	kill.type = ZS_REQ_TASK_EXIT;
	kill.task = victim;
	s->ops->feedback(s, &kill, 0);
	for (int i = 0; i < 5000; i++) {
		cr_assert_eq(zs_source_next_done(s, &q, &err), 1, "the other task keeps going");
		cr_assert_neq(q.task, victim, "request %d for the killed task", i);
		other++;
	}
	cr_assert_eq(other, 5000);
	gen_close(&g);
}

Test(gen_sources, feedback_failed_alloc_ends_the_task)
{
	struct gen g;
	struct zs_source *s = gen_must(&g,
				       "type: anon\ninitial_tasks: 2\narrival_rate: 0\n"
				       "footprint: 64MiB\nlifetime: 100s\n",
				       ZS_KV_24, 12, 0);
	struct zs_request q, failed;
	struct zs_error err = {0, ""};
	int got = 0;

	for (int i = 0; i < 500 && !got; i++) {
		cr_assert_eq(s->ops->next(s, &q, &err), 1);
		if (q.type == ZS_REQ_ALLOC && i > 100) {
			failed = q;
			got = 1;
			/* as the driver does: the failure is reported before the request is done */
			s->ops->feedback(s, &failed, 0);
		}
		s->ops->done(s, &q, q.time);
	}
	cr_assert(got);
	cr_assert_eq(zs_source_next_done(s, &q, &err), 1);
	cr_assert_eq(q.type, ZS_REQ_TASK_EXIT, "the failing task exits first");
	cr_assert_eq(q.task, failed.task);
	cr_assert_geq(q.time, failed.time);
	for (int i = 0; i < 3000; i++) {
		cr_assert_eq(zs_source_next_done(s, &q, &err), 1);
		cr_assert_neq(q.task, failed.task);
	}
	gen_close(&g);
}

Test(gen_sources, filecache_loop_reads_then_hits)
{
	static struct zs_request q[1000];
	struct gen g;
	size_t n = pull(gen_must(&g, "type: filecache\nfiles: [100, 60]\npattern: loop\n",
				 ZS_KV_2618, 1, 0),
			q, 1000);
	size_t i = 1;

	cr_assert_eq(n, 1000);
	cr_assert_eq(q[0].type, ZS_REQ_TASK_START);
	for (uint64_t f = 0; f < 2; f++)
		for (uint64_t p = 0; p < (f ? 60u : 100u); p++, i++) {
			cr_assert_eq(q[i].type, ZS_REQ_ALLOC, "request %zu", i);
			cr_assert_eq(q[i].kind, ZS_KIND_FILE_CLEAN);
			cr_assert_eq(q[i].gfp, GFP26_HIGHUSER);
			cr_assert_eq(q[i].handle, f << 24 | p);
		}
	for (; i < n; i++) {
		cr_assert_eq(q[i].type, ZS_REQ_TOUCH, "second pass hits, request %zu", i);
		uint64_t k = (i - 1) % 160;
		cr_assert_eq(q[i].handle, k < 100 ? k : (1ull << 24) | (k - 100));
	}
	gen_close(&g);
}

Test(gen_sources, filecache_writes_and_deletes)
{
	static struct zs_request q[200000];
	struct gen g;
	size_t n = check_stream(gen_must(&g,
					 "type: filecache\nfiles: 2\nfile_size: 200\n"
					 "pattern: random\nwrite_fraction: 0.5\nio_rate: 20000\n"
					 "delete_after: 100ms\ndelete_at_end: true\n",
					 ZS_KV_2632, 5, SEC),
				200000, q);
	size_t dirty_alloc = 0, clean_alloc = 0, frees = 0, dirties = 0;
	struct live l;

	for (size_t i = 0; i < n; i++) {
		dirty_alloc += q[i].type == ZS_REQ_ALLOC && q[i].kind == ZS_KIND_FILE_DIRTY;
		clean_alloc += q[i].type == ZS_REQ_ALLOC && q[i].kind == ZS_KIND_FILE_CLEAN;
		frees += q[i].type == ZS_REQ_FREE;
		dirties += q[i].type == ZS_REQ_DIRTY;
	}
	cr_assert_gt(dirty_alloc, 100);
	cr_assert_gt(clean_alloc, 100);
	cr_assert_gt(dirties, 1000);
	/* ~10 deletion rounds of both files; everything allocated is freed in the end */
	cr_assert_eq(frees, dirty_alloc + clean_alloc, "%zu frees of %zu pages", frees,
		     dirty_alloc + clean_alloc);
	cr_assert_gt(frees, 8 * 400 / 2);
	live_init(&l);
	for (size_t i = 0; i < n; i++)
		live_check(&l, &q[i]);
	cr_assert_eq(l.n, 0, "nothing left cached after delete_at_end");
	live_free(&l);
	gen_close(&g);
}

Test(gen_sources, kernel_presets)
{
	static struct zs_request q[20000];
	struct gen g;
	size_t n = pull(gen_must(&g, "type: kernel\npreset: fork\n", ZS_KV_24, 2, 5 * SEC), q,
			20000);
	size_t allocs = 0, o0 = 0, o1 = 0;

	for (size_t i = 0; i < n; i++)
		if (q[i].type == ZS_REQ_ALLOC) {
			allocs++;
			cr_assert_eq(q[i].order, 1);
			cr_assert_eq(q[i].gfp, GFP24_KERNEL);
			cr_assert_eq(q[i].kind, ZS_KIND_KERNEL);
		}
	cr_assert(allocs > 50 && allocs < 200, "20/s for 5s: %zu", allocs);
	cr_assert_eq(q[n - 1].type, ZS_REQ_TASK_EXIT, "the source ends with its task");
	cr_assert_eq(count_task(q, n, 0, ZS_REQ_FREE), allocs, "every block freed by the end");
	gen_close(&g);

	n = pull(gen_must(&g, "type: kernel\npreset: network-burst\n", ZS_KV_2632, 2, SEC), q,
		 20000);
	allocs = 0;
	for (size_t i = 0; i < n; i++)
		if (q[i].type == ZS_REQ_ALLOC) {
			allocs++;
			cr_assert_eq(q[i].gfp, GFP26_ATOMIC);
			cr_assert_leq(q[i].order, 1);
			o0 += q[i].order == 0;
			o1 += q[i].order == 1;
		}
	/* 20 bursts/s of 16..128: about 1440 in a second */
	cr_assert(allocs > 500 && allocs < 4000, "%zu", allocs);
	cr_assert(o0 > 2 * o1 && o1 > o0 / 10, "orders %zu/%zu", o0, o1);
	gen_close(&g);
}

Test(gen_sources, kernel_gfp_classes_on_2_4)
{
	static const struct {
		const char *gfp;
		uint32_t v24, v2632;
	} cases[] = {
		{"GFP_KERNEL", GFP24_KERNEL, GFP26_KERNEL},
		{"GFP_ATOMIC", GFP24_ATOMIC, GFP26_ATOMIC},
		{"GFP_NOFS", GFP24_KERNEL, GFP26_NOFS},
		{"GFP_NOIO", GFP24_BUFFER, GFP26_NOIO},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (int kv = 0; kv < ZS_KV_COUNT; kv += 2) {
			char yaml[128];
			struct gen g;
			struct zs_request q[8];

			snprintf(yaml, sizeof(yaml), "type: kernel\ngfp: %s\nrate: 1000\n", cases[i].gfp);
			size_t n = pull(gen_must(&g, yaml, (enum zs_kver)kv, 1, SEC), q, 8);

			cr_assert_eq(n, 8);
			cr_assert_eq(q[1].type, ZS_REQ_ALLOC);
			cr_assert_eq(q[1].gfp, kv == ZS_KV_24 ? cases[i].v24 : cases[i].v2632, "%s on %d",
				     cases[i].gfp, kv);
			gen_close(&g);
		}
}

Test(gen_sources, kernel_failed_alloc_is_never_freed)
{
	struct gen g;
	struct zs_source *s = gen_must(&g, "type: kernel\nrate: 1000\nlifetime: 10ms\n", ZS_KV_2618,
				       4, 0);
	struct zs_request q;
	struct zs_error err = {0, ""};
	uint64_t failed = UINT64_MAX;

	for (int i = 0; i < 20000; i++) {
		cr_assert_eq(zs_source_next_done(s, &q, &err), 1);
		if (q.type == ZS_REQ_ALLOC && failed == UINT64_MAX && i > 10) {
			failed = q.handle;
			s->ops->feedback(s, &q, 0);
			continue;
		}
		if (failed != UINT64_MAX && q.type == ZS_REQ_FREE)
			cr_assert_neq(q.handle, failed, "a failed allocation is freed");
		if (failed != UINT64_MAX && q.type == ZS_REQ_ALLOC && q.handle == failed)
			failed = UINT64_MAX - 1; /* reused after the slot was dropped: fine */
	}
	gen_close(&g);
}

Test(gen_sources, phases_shift_and_end_their_children)
{
	static struct zs_request q[200000];
	struct gen g;
	size_t n = check_stream(
		gen_must(&g,
			 "type: phases\nphases:\n"
			 "  - {start: 0s, stop: 500ms, source: {type: anon, arrival_rate: 40, "
			 "lifetime: 10s, footprint: 64KiB}}\n"
			 "  - {start: 500ms, stop: 800ms, source: {type: kernel, preset: fork, "
			 "lifetime: 10s}}\n",
			 ZS_KV_24, 9, 2 * SEC),
		200000, q);
	size_t starts0 = 0, exits0 = 0, allocs1 = 0;

	cr_assert_lt(n, 200000);
	for (size_t i = 0; i < n; i++) {
		unsigned ph = q[i].task >> 24;

		cr_assert_eq(q[i].handle >> 40, ph, "handle and task name the same phase");
		if (ph == 0) {
			cr_assert_leq(q[i].time, 500 * 1000000LL);
			starts0 += q[i].type == ZS_REQ_TASK_START;
			exits0 += q[i].type == ZS_REQ_TASK_EXIT;
		} else {
			cr_assert_eq(ph, 1);
			cr_assert(q[i].time >= 500 * 1000000LL && q[i].time <= 800 * 1000000LL);
			allocs1 += q[i].type == ZS_REQ_ALLOC;
			if (q[i].type == ZS_REQ_ALLOC)
				cr_assert_eq(q[i].order, 1);
		}
	}
	cr_assert_gt(starts0, 5);
	cr_assert_eq(exits0, starts0, "phase 0's tasks exit at its stop");
	cr_assert_gt(allocs1, 0);
	cr_assert_eq(q[n - 1].type, ZS_REQ_TASK_EXIT);
	cr_assert_eq(q[n - 1].time, 800 * 1000000LL);
	gen_close(&g);
}

Test(gen_sources, phases_route_feedback)
{
	struct gen g;
	struct zs_source *s = gen_must(&g,
				       "type: phases\nphases:\n"
				       "  - {stop: 10s, source: {type: anon, initial_tasks: 1, "
				       "arrival_rate: 0, footprint: 64MiB, lifetime: 100s}}\n"
				       "  - {start: 0s, source: {type: anon, initial_tasks: 1, "
				       "arrival_rate: 0, footprint: 64MiB, lifetime: 100s}}\n",
				       ZS_KV_2632, 13, 0);
	struct zs_request q, kill;
	struct zs_error err = {0, ""};
	uint32_t victim = UINT32_MAX;

	for (int i = 0; i < 200; i++) {
		cr_assert_eq(zs_source_next_done(s, &q, &err), 1);
		if (q.task >> 24 == 1)
			victim = q.task;
	}
	cr_assert_neq(victim, UINT32_MAX);
	memset(&kill, 0, sizeof(kill));
	kill.type = ZS_REQ_TASK_EXIT;
	kill.task = victim;
	s->ops->feedback(s, &kill, 0);
	for (int i = 0; i < 2000; i++) {
		cr_assert_eq(zs_source_next_done(s, &q, &err), 1);
		cr_assert_neq(q.task, victim);
		cr_assert_eq(q.task >> 24, 0);
	}
	gen_close(&g);
}

/* progress() of the sources a `duration: auto` run can hold: it feeds the ETA only. */
Test(gen_sources, progress_toward_each_sources_own_end)
{
	struct zs_error err = {0, ""};
	struct zs_request req;
	struct gen g;
	struct zs_source *s;
	double last = -1, f;
	int rc, n = 0;

	/* phases: the share of the last phase's stop */
	s = gen_must(&g,
		     "type: phases\nphases:\n"
		     "  - {start: 0s, stop: 400ms, source: {type: kernel, preset: fork}}\n"
		     "  - {start: 400ms, stop: 800ms, source: {type: kernel, preset: fork}}\n",
		     ZS_KV_24, 3, 0);
	cr_assert_float_eq(s->ops->progress(s, 200 * 1000000LL), 0.25, 1e-12);
	cr_assert_float_eq(s->ops->progress(s, 2 * SEC), 1.0, 1e-12);
	gen_close(&g);
	/* simple with a stop: toward it; without one it cannot tell */
	s = gen_must(&g, "type: simple\nstop: 2s\n", ZS_KV_24, 3, 0);
	cr_assert_float_eq(s->ops->progress(s, SEC), 0.5, 1e-12);
	gen_close(&g);
	s = gen_must(&g, "type: simple\n", ZS_KV_24, 3, 0);
	cr_assert_lt(s->ops->progress(s, SEC), 0);
	gen_close(&g);
	/* script: the share of its operations issued */
	s = gen_must(&g,
		     "type: script\nrequests:\n  - {at: 1ms, op: alloc, handle: 1}\n"
		     "  - {at: 2ms, op: free, handle: 1}\n",
		     ZS_KV_24, 3, 0);
	cr_assert_float_eq(s->ops->progress(s, 0), 0.0, 1e-12);
	cr_assert_eq(s->ops->next(s, &req, &err), 1);
	cr_assert_float_eq(s->ops->progress(s, 0), 0.5, 1e-12);
	gen_close(&g);
	/* trace: the share of the (compressed) file read, rising to 1 */
	s = gen_must(&g, "type: trace\npath: tests/fixtures/ftrace-anon-hog-8m.txt.xz\n", ZS_KV_2632,
		     3, 0);
	while ((rc = s->ops->next(s, &req, &err)) == 1) {
		f = s->ops->progress(s, req.time);
		cr_assert(f >= last && f <= 1.0, "progress %g after %g", f, last);
		last = f;
		n++;
	}
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_gt(n, 1000);
	cr_assert_float_eq(s->ops->progress(s, 0), 1.0, 1e-12);
	gen_close(&g);
}
