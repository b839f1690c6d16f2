/*
 * test_gen_simple_park.c - the `simple` source's parked events: the frees and
 * exit of a busy task, kept as a chain (gen_simple_queue.c) instead of one heap
 * entry each.  Two sources from the same scenario and seed, one with chains and one
 * without (zs_gen_simple_use_chains(0): one entry per parked event, the way the
 * source parked before chains), run side by side under one driver with random
 * service times, long holds, completions that tie, pulls ahead of completions
 * and failed allocations.  After every call they must agree: the same requests
 * at the same times, the same horizon, the same earliest heap entry (time and
 * sequence number) and the same count of sequence numbers used.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/rng.h"
#include "workloads/source.h"

#define MS 1000000LL
#define MAXHELD 64
#define MAXTASKS 64

struct pair {
	struct zs_source *s[2]; /* with chains, without */
	struct zs_cfg *root[2];
	struct zs_rng *rng[2];
};

static void
pair_open(struct pair *p, const char *yaml)
{
	struct zs_error err = {0, ""};

	for (int i = 0; i < 2; i++) {
		struct zs_source_env env = {.kver = ZS_KV_2632, .nr_cpus = 2,
					    .machine_pages = 65536, .duration_ns = 2000 * MS,
					    .scenario_dir = "."};

		p->root[i] = zs_cfg_load_string("park.yaml", yaml, &err);
		cr_assert(p->root[i], "%s", err.msg);
		p->rng[i] = env.rng = zs_rng_create(11, "test", 0);
		zs_gen_simple_use_chains(i == 0);
		p->s[i] = zs_source_create(p->root[i], &env, &err);
		zs_gen_simple_use_chains(1);
		cr_assert(p->s[i], "%s", err.msg);
	}
}

static void
pair_close(struct pair *p)
{
	for (int i = 0; i < 2; i++) {
		zs_source_destroy(p->s[i]);
		zs_rng_destroy(p->rng[i]);
		zs_cfg_free(p->root[i]);
	}
}

/* The two sources' heaps and sequence numbers agree (step: for the message). */
static void
agree(const struct pair *p, size_t step)
{
	int64_t t[2];
	uint64_t seq[2], used[2];

	for (int i = 0; i < 2; i++)
		zs_gen_simple_peek(p->s[i], &t[i], &seq[i], &used[i]);
	cr_assert(t[0] == t[1] && seq[0] == seq[1] && used[0] == used[1],
		  "step %zu: earliest entry (%lld, %llu), %llu sequence numbers used with "
		  "chains; (%lld, %llu), %llu without",
		  step, (long long)t[0], (unsigned long long)seq[0], (unsigned long long)used[0],
		  (long long)t[1], (unsigned long long)seq[1], (unsigned long long)used[1]);
}

struct counts {
	size_t requests;
	size_t parked_frees; /* frees issued at the time their task ended a long hold */
};

/*
 * Run both sources to their end.  A request completes at once, after a few µs,
 * at the next whole millisecond (so that completions tie), or (one in
 * hold_one_in + 12) after hold_ms to 12 * hold_ms ms, rounded up to a whole
 * millisecond too (5 ms or more counts as a long hold).  The driver pulls
 * whatever the source has due before the earliest completion, so it runs ahead
 * of completions.  One allocation in 50 fails (its feedback comes before done,
 * as in the driver).
 */
static struct counts
drive(const char *yaml, uint64_t seed, unsigned hold_one_in, int64_t hold_ms)
{
	struct pair p;
	struct zs_rng *svc = zs_rng_create(seed, "service", 0);
	struct zs_error err = {0, ""};
	struct zs_request held[MAXHELD], q[2];
	int64_t due[MAXHELD], long_done[MAXTASKS], clock = 0;
	unsigned nheld = 0;
	int exhausted = 0;
	struct counts c = {0, 0};

	for (int i = 0; i < MAXTASKS; i++)
		long_done[i] = -1;
	pair_open(&p, yaml);
	for (size_t step = 0;; step++) {
		int64_t h = p.s[0]->ops->horizon(p.s[0]);
		unsigned best = nheld;

		agree(&p, step);
		cr_assert_eq(h, p.s[1]->ops->horizon(p.s[1]), "step %zu: horizons differ", step);
		for (unsigned i = 0; i < nheld; i++)
			if (due[i] <= h && (best == nheld || due[i] < due[best]))
				best = i;
		if (best == nheld && (exhausted || h == INT64_MAX || nheld == MAXHELD))
			for (unsigned i = 0; i < nheld; i++)
				if (best == nheld || due[i] < due[best])
					best = i;
		if (best < nheld) {
			struct zs_request *r = &held[best];
			int64_t when = due[best] > clock ? due[best] : clock;
			int fail = r->type == ZS_REQ_ALLOC && zs_rng_uniform_int(svc, 50) == 0;

			for (int i = 0; i < 2; i++) {
				if (r->type == ZS_REQ_ALLOC || r->type == ZS_REQ_TASK_EXIT)
					p.s[i]->ops->feedback(p.s[i], r, !fail);
				p.s[i]->ops->done(p.s[i], r, when);
			}
			clock = when;
			exhausted = 0;
			cr_assert_lt(r->task, MAXTASKS);
			if (when - r->time >= 5 * MS)
				long_done[r->task] = when;
			held[best] = held[--nheld];
			due[best] = due[nheld];
			continue;
		}
		if (h == INT64_MAX)
			break;
		int rc = p.s[0]->ops->next(p.s[0], &q[0], &err);

		cr_assert_geq(rc, 0, "%s", err.msg);
		cr_assert_eq(rc, p.s[1]->ops->next(p.s[1], &q[1], &err), "step %zu", step);
		if (rc == 0) {
			exhausted = 1; /* nothing now: the next completion brings more */
			continue;
		}
		cr_assert(q[0].time == q[1].time && q[0].type == q[1].type &&
				  q[0].task == q[1].task && q[0].handle == q[1].handle &&
				  q[0].order == q[1].order,
			  "step %zu: type %d task %u handle %llu at %lld with chains, type %d "
			  "task %u handle %llu at %lld without",
			  step, (int)q[0].type, q[0].task, (unsigned long long)q[0].handle,
			  (long long)q[0].time, (int)q[1].type, q[1].task,
			  (unsigned long long)q[1].handle, (long long)q[1].time);
		cr_assert_geq(q[0].time, h, "a request before the horizon");
		cr_assert_geq(q[0].time, clock, "a request before the last completion");
		cr_assert_lt(q[0].task, MAXTASKS);
		c.requests++;
		c.parked_frees += q[0].type == ZS_REQ_FREE && q[0].time == long_done[q[0].task];

		unsigned pick = (unsigned)zs_rng_uniform_int(svc, hold_one_in + 12);
		int64_t d = pick == 0 ? hold_ms * MS + (int64_t)zs_rng_uniform_int(svc, 11 * hold_ms * MS)
			  : pick < 4 ? (int64_t)zs_rng_uniform_int(svc, 4000)
			  : pick < 12 ? 1
				      : 0;

		cr_assert_lt(nheld, MAXHELD);
		held[nheld] = q[0];
		due[nheld++] = d >= MS || d == 1 ? (q[0].time + d + MS - 1) / MS * MS : q[0].time + d;
	}
	pair_close(&p);
	zs_rng_destroy(svc);
	return c;
}

/* Many short-lived blocks: hundreds of frees come due while a task is held. */
static const char churn[] =
	"{type: simple, tasks: 4, rate: 20000, lifetime: 30ms, stop: 1500ms, touch_rate: 2000}";

Test(gen_simple_park, chains_agree_with_one_entry_each, .timeout = 120)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct counts c = drive(churn, seed, 200, 5);

		cr_assert_geq(c.requests, 20000, "only %zu requests", c.requests);
		cr_assert_geq(c.parked_frees, 1000, "only %zu frees parked", c.parked_frees);
	}
}

/* Short holds on one request in 15: every task is busy much of the time. */
Test(gen_simple_park, chains_under_constant_holds, .timeout = 120)
{
	struct counts c = drive(churn, 4, 3, 1);

	cr_assert_geq(c.requests, 2000, "only %zu requests", c.requests);
	cr_assert_geq(c.parked_frees, 100, "only %zu frees parked", c.parked_frees);
}

/* One task and a stop: its exit parks behind its frees. */
Test(gen_simple_park, chains_with_exits_and_one_task, .timeout = 120)
{
	struct counts c = drive("{type: simple, tasks: 1, rate: 5000, lifetime: 10ms, stop: 700ms, "
				"orders: {0: 0.7, 2: 0.3}}",
				5, 20, 5);

	cr_assert_geq(c.requests, 300, "only %zu requests", c.requests);
	cr_assert_geq(c.parked_frees, 10, "only %zu frees parked", c.parked_frees);
}

/* Eight tasks holding often and completing together: chains tie with chains and
 * with the other tasks' entries, and after the stop no allocation separates them. */
Test(gen_simple_park, chains_that_tie, .timeout = 120)
{
	for (uint64_t seed = 6; seed <= 9; seed++) {
		struct counts c = drive("{type: simple, tasks: 8, rate: 20000, lifetime: 20ms, "
					"stop: 600ms}",
					seed, 20, 2);

		cr_assert_geq(c.requests, 3000, "only %zu requests", c.requests);
		cr_assert_geq(c.parked_frees, 300, "only %zu frees parked", c.parked_frees);
	}
}
