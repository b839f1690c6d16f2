/*
 * test_closed_loop.c - tasks as closed-loop simulated threads (issue 10): a
 * thrashing task slows down and still exits at its lifetime, a blocked task
 * never delays another task of its source, a delay moves only the delayed
 * task's stream (its own random numbers stay its own), and a run's threads
 * never use more CPU than the machine has.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/driver.h"
#include "sim/rng.h"
#include "tests/support.h"
#include "workloads/source.h"

#define MS 1000000LL
#define SEC 1000000000LL

/* The case: a 40 MiB task with a 4 s lifetime on a 32 MiB 2.4.0 box. */
static const char thrash_fmt[] =
	"duration: 8s\nseed: 1\n"
	"machine: {cpus: 1, hz: 100, swap: 64MiB, disk: {latency: 5ms, bandwidth: 20MiB},\n"
	"  nodes: [{zones: [{type: DMA, size: 16MiB}, {type: Normal, size: %s}]}]}\n"
	"kernel: {version: \"2.4\"}\n"
	"workload:\n"
	"  - {type: anon, comm: big, initial_tasks: 1, max_tasks: 1, arrival_rate: 0,\n"
	"     footprint: 40MiB, lifetime: 4s, alloc_rate: 25600, touch_rate: 5000,\n"
	"     locality: 0, write_fraction: 0.3}\n";

struct outcome {
	int64_t exit_ns;     /* first page freed by the task's exit */
	uint64_t references; /* touches + dirties the task issued */
	uint64_t majfaults;
	char *summary;
};

static struct outcome
run_thrash(const char *normal_size)
{
	char yaml[1024];
	struct zs_error err = {0, ""};
	struct zs_scenario sc;
	struct zs_cfg *root;
	struct outcome o = {-1, 0, 0, NULL};
	FILE *ev = tmpfile(), *sum = tmpfile();
	char line[512];
	size_t len;

	snprintf(yaml, sizeof(yaml), thrash_fmt, normal_size);
	root = zs_cfg_load_string("thrash.yaml", yaml, &err);
	cr_assert(root, "%s", err.msg);
	cr_assert_eq(zs_scenario_parse(&sc, root, "thrash.yaml", NULL, &err), 0, "%s", err.msg);
	struct zs_run *r = zs_run_create(&sc, &err);

	cr_assert(r, "%s", err.msg);
	cr_assert(ev && sum);
	cr_assert_eq(zs_run_execute(r, NULL, ev, sum, 0, &err), 0, "%s", err.msg);
	rewind(ev);
	while (fgets(line, sizeof(line), ev))
		if (o.exit_ns < 0 && strstr(line, ",free,") && strstr(line, ",exit,"))
			o.exit_ns = strtoll(line, NULL, 10);
	fseek(sum, 0, SEEK_END);
	len = (size_t)ftell(sum);
	rewind(sum);
	o.summary = calloc(1, len + 1);
	cr_assert(o.summary && fread(o.summary, 1, len, sum) == len);
	o.references = strtoull(zt_summary_find(o.summary, "source0_touches"), NULL, 10) +
		       strtoull(zt_summary_find(o.summary, "source0_dirties"), NULL, 10);
	o.majfaults = strtoull(zt_summary_find(o.summary, "pgmajfault"), NULL, 10);
	fclose(ev);
	fclose(sum);
	zs_run_destroy(r);
	zs_cfg_free(root);
	return o;
}

Test(closed_loop, a_thrashing_task_slows_down_and_exits_at_its_lifetime, .timeout = 60)
{
	struct outcome roomy = run_thrash("240MiB"), tight = run_thrash("16MiB");

	/* with room, it references at its rate: 5000/s for 4 s */
	cr_assert_eq(roomy.majfaults, 0);
	cr_assert_gt(roomy.references, 19000, "%llu", (unsigned long long)roomy.references);
	cr_assert_lt(roomy.references, 21000, "%llu", (unsigned long long)roomy.references);
	/* thrashing, each reference waits for the last one's major fault */
	cr_assert_gt(tight.majfaults, 50);
	cr_assert_lt(tight.references, roomy.references / 2, "%llu vs %llu",
		     (unsigned long long)tight.references, (unsigned long long)roomy.references);
	/* and it exits on its own clock, not after a backlog: at 4 s, or just after the fault
	 * it is waiting in (a 5 ms read, plus its CPU time) */
	cr_assert_geq(tight.exit_ns, 4 * SEC);
	cr_assert_lt(tight.exit_ns, 4 * SEC + 100 * MS, "exit at %lld", (long long)tight.exit_ns);
	cr_assert_geq(roomy.exit_ns, 4 * SEC);
	cr_assert_lt(roomy.exit_ns, 4 * SEC + 10 * MS);

	/* same scenario, same result */
	struct outcome again = run_thrash("16MiB");

	cr_assert_str_eq(again.summary, tight.summary);
	free(roomy.summary);
	free(tight.summary);
	free(again.summary);
}

/* ---- the source protocol, driven by hand ---- */

struct gen {
	struct zs_cfg *cfg;
	struct zs_rng *rng;
	struct zs_source *src;
};

static struct zs_source *
gen_open(struct gen *g, const char *yaml)
{
	struct zs_error err = {0, ""};
	struct zs_source_env env;

	memset(g, 0, sizeof(*g));
	g->cfg = zs_cfg_load_string("t.yaml", yaml, &err);
	cr_assert(g->cfg, "%s", err.msg);
	g->rng = zs_rng_create(7, "test", 0);
	memset(&env, 0, sizeof(env));
	env.kver = ZS_KV_2632;
	env.nr_cpus = 2;
	env.machine_pages = 65536;
	env.duration_ns = 2 * SEC;
	env.rng = g->rng;
	env.scenario_dir = ".";
	g->src = zs_source_create(g->cfg, &env, &err);
	cr_assert(g->src, "%s", err.msg);
	cr_assert(g->src->ops->done && g->src->ops->horizon, "a closed-loop source");
	return g->src;
}

static void
gen_close(struct gen *g)
{
	zs_source_destroy(g->src);
	zs_rng_destroy(g->rng);
	zs_cfg_free(g->cfg);
}

#define MAXR 4000

struct seq {
	struct zs_request r[MAXR];
	size_t n;
};

/*
 * Pull up to `limit` requests; task `slow`'s requests complete `delay` ns late, and
 * with delay < 0 its first allocation never completes.  The requests of each task
 * are recorded in per-task sequences.  Returns how many were pulled.
 */
static size_t
drive(struct zs_source *s, uint32_t slow, int64_t delay, size_t limit, struct seq *per_task,
      unsigned ntasks)
{
	struct zs_error err = {0, ""};
	struct zs_request q, held[8];
	int64_t due[8];
	unsigned nheld = 0;
	size_t n = 0;
	int stuck = 0;

	while (n < limit) {
		/* complete whatever is due before the source's next request */
		int64_t h = s->ops->horizon(s);
		unsigned best = nheld;

		for (unsigned i = 0; i < nheld; i++)
			if (due[i] <= h && (best == nheld || due[i] < due[best]))
				best = i;
		if (best < nheld) {
			s->ops->done(s, &held[best], due[best]);
			held[best] = held[--nheld];
			due[best] = due[nheld];
			continue;
		}
		if (h == INT64_MAX || s->ops->next(s, &q, &err) != 1)
			break;
		n++;
		if (q.task < ntasks && per_task[q.task].n < MAXR)
			per_task[q.task].r[per_task[q.task].n++] = q;
		if (q.task != slow) {
			s->ops->done(s, &q, q.time);
			continue;
		}
		if (delay < 0 && q.type == ZS_REQ_ALLOC && !stuck) {
			stuck = 1; /* blocked for good: never done */
			continue;
		}
		cr_assert_lt(nheld, 8);
		held[nheld] = q;
		due[nheld++] = q.time + (delay > 0 ? delay : 0);
	}
	return n;
}

static const char two_tasks[] =
	"{type: anon, initial_tasks: 2, max_tasks: 2, arrival_rate: 0, footprint: 2000,"
	" lifetime: 1500ms, alloc_rate: 5000, touch_rate: 3000}";

Test(closed_loop, a_blocked_task_never_delays_another)
{
	static struct seq free_run[2], blocked[2];
	struct gen g;

	drive(gen_open(&g, two_tasks), 0, 0, 20000, free_run, 2);
	gen_close(&g);
	drive(gen_open(&g, two_tasks), 0, -1, 20000, blocked, 2);
	gen_close(&g);
	/* task 0 is stuck in its first allocation: it issues nothing more ... */
	cr_assert_lt(blocked[0].n, free_run[0].n);
	/* ... and task 1 runs exactly as it did beside a free task 0, times and pages alike */
	cr_assert_gt(free_run[1].n, 1000);
	cr_assert_eq(blocked[1].n, free_run[1].n);
	for (size_t i = 0; i < free_run[1].n; i++) {
		cr_assert_eq(blocked[1].r[i].time, free_run[1].r[i].time, "request %zu", i);
		cr_assert_eq(blocked[1].r[i].type, free_run[1].r[i].type, "request %zu", i);
		cr_assert_eq(blocked[1].r[i].handle, free_run[1].r[i].handle, "request %zu", i);
	}
}

Test(closed_loop, a_delay_moves_only_that_tasks_stream)
{
	static struct seq free_run[2], slowed[2];
	struct gen g;

	drive(gen_open(&g, two_tasks), 0, 0, 20000, free_run, 2);
	gen_close(&g);
	/* every request of task 0 takes 1 ms: a major fault each time */
	drive(gen_open(&g, two_tasks), 0, MS, 20000, slowed, 2);
	gen_close(&g);
	/* it issues fewer requests in its lifetime, the same ones in the same order (its
	 * own random stream), each later by the delays before it */
	cr_assert_lt(slowed[0].n, free_run[0].n / 2, "%zu vs %zu", slowed[0].n, free_run[0].n);
	for (size_t i = 0; i + 1 < slowed[0].n; i++) {
		cr_assert_eq(slowed[0].r[i].type, free_run[0].r[i].type, "request %zu", i);
		cr_assert_eq(slowed[0].r[i].handle, free_run[0].r[i].handle, "request %zu", i);
		cr_assert_geq(slowed[0].r[i].time, free_run[0].r[i].time + (int64_t)i * MS,
			      "request %zu", i);
	}
	/* its last request is its exit, at its lifetime, not pushed back by the delays */
	const struct zs_request *last = &slowed[0].r[slowed[0].n - 1];

	cr_assert_eq(last->type, ZS_REQ_TASK_EXIT);
	cr_assert_lt(last->time, 1500 * MS + 2 * MS);
	/* the other task does not notice */
	cr_assert_eq(slowed[1].n, free_run[1].n);
	for (size_t i = 0; i < free_run[1].n; i++)
		cr_assert_eq(slowed[1].r[i].time, free_run[1].r[i].time, "request %zu", i);
}

/* Every shipped scenario, every kernel: threads use at most CPUs x time. */
Test(closed_loop, cpu_time_adds_up_to_at_most_the_machine, .timeout = 240)
{
	static const char *const kernels[] = {"2.4", "2.6.18", "2.6.32"};
	char dir[256], args[1024], path[512], err[4096];
	FILE *ls = popen("ls configs/*.yaml", "r");
	char cfg[256];
	int checked = 0;

	cr_assert(ls);
	zt_tmpdir(dir, sizeof(dir), "cpu");
	while (fgets(cfg, sizeof(cfg), ls)) {
		cfg[strcspn(cfg, "\n")] = '\0';
		for (int k = 0; k < 3; k++) {
			snprintf(args, sizeof(args), "run %s --kernel %s --set duration=1s -q --out %s/r",
				 cfg, kernels[k], dir);
			if (zt_zsim(args, err, sizeof(err)) != 0)
				continue; /* a scenario of the other version */
			snprintf(path, sizeof(path), "%s/r/summary.txt", dir);
			char *s = zt_read_file(path, NULL);

			cr_assert(s, "%s", path);
			double cpus = strtod(zt_summary_find(s, "cpus"), NULL);
			double dur = strtod(zt_summary_find(s, "duration_ns"), NULL);
			double used = strtod(zt_summary_find(s, "tasks_cpu_ns"), NULL);

			for (const char *p = s; (p = strstr(p, "\nthread_")); p++) {
				const char *c = strstr(p, "_cpu_ns: ");
				const char *eol = strchr(p + 1, '\n');

				if (c && eol && c < eol)
					used += strtod(c + 9, NULL);
			}
			cr_assert_leq(used, cpus * dur, "%s on %s: %.0f ns of CPU in %.0f ns x %.0f CPUs",
				      cfg, kernels[k], used, dur, cpus);
			free(s);
			checked++;
		}
	}
	pclose(ls);
	zt_rm_rf(dir);
	cr_assert_gt(checked, 30, "%d runs", checked);
}
