/*
 * test_sched.c - CPUs shared through run queues (engine.c with zs_engine_set_sched):
 * turn order and time slices, a woken thread waiting for the running one and
 * taking the CPU at a step boundary, per-thread CPU and wait accounting, served
 * CPU never above CPUs x time, determinism, the uncontended default, the era's
 * slices (sched.c), and the machine.scheduler switch.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/driver.h"
#include "sim/driver_int.h"
#include "sim/engine.h"
#include "sim/sched.h"
#include "tests/support.h"

/* A round-robin CPU set with a fixed slice, tick 10 ns. */
static struct zs_engine *
rr_engine(int nr_cpus, zs_time_t slice)
{
	struct zs_engine *e = zs_engine_create();
	struct zs_sched_params p = {.name = "test", .nr_cpus = nr_cpus, .tick_ns = 10,
				    .slice_ns = slice};

	zs_engine_set_sched(e, &p);
	return e;
}

/* A thread that charges `work` in its first step and records when its second runs. */
struct worker {
	zs_time_t work;
	zs_time_t first, second;
	int steps;
};

static void
worker_run(struct zs_thread *t)
{
	struct worker *w = t->priv;

	if (w->steps++ == 0) {
		w->first = zs_now(t->engine);
		zs_thread_charge(t, w->work);
		zs_thread_yield(t);
		return;
	}
	w->second = zs_now(t->engine);
	zs_thread_exit(t);
}

/* Two workers of 100 ns, a on cpu 0 and b on cpu_b, both starting at 0, run to 1000. */
struct pair {
	struct worker a, b;
	struct zs_thread *ta, *tb;
};

static void
run_pair(struct zs_engine *e, int cpu_b, struct pair *p)
{
	p->a = (struct worker){.work = 100};
	p->b = (struct worker){.work = 100};
	p->ta = zs_thread_create(e, "a", 0, worker_run, &p->a, 0);
	p->tb = zs_thread_create(e, "b", cpu_b, worker_run, &p->b, 0);
	zs_engine_run(e, 1000, NULL, NULL);
}

Test(sched, two_threads_share_one_cpu_in_slices)
{
	struct zs_engine *e = rr_engine(1, 30);
	struct pair p;
	struct worker *a = &p.a, *b = &p.b;

	run_pair(e, 0, &p);
	struct zs_thread *ta = p.ta, *tb = p.tb;
	/* a [0,30) b [30,60) a [60,90) b [90,120) a [120,150) b [150,180) a [180,190)
	 * b [190,200) */
	cr_assert_eq(a->first, 0);
	cr_assert_eq(b->first, 30, "b waits for a's slice: %lld", (long long)b->first);
	cr_assert_eq(a->second, 190, "a's yield takes effect when its work is served: %lld",
		     (long long)a->second);
	cr_assert_eq(b->second, 200, "%lld", (long long)b->second);
	cr_assert_eq(ta->cpu_ns, 100);
	cr_assert_eq(tb->cpu_ns, 100);
	cr_assert_eq(ta->wait_ns, 90, "a waited [30,60) [90,120) [150,180): %lld",
		     (long long)ta->wait_ns);
	cr_assert_eq(tb->wait_ns, 100, "b waited [0,30) [60,90) [120,150) [180,190): %lld",
		     (long long)tb->wait_ns);
	cr_assert_eq(zs_engine_cpu_busy_ns(e, 0), 200);
	cr_assert_eq(zs_engine_sched_check(e), 0);
	zs_engine_destroy(e);
}

Test(sched, threads_on_different_cpus_do_not_wait)
{
	struct zs_engine *e = rr_engine(2, 30);
	struct pair p;

	/* cpu 3 on a 2-CPU machine is CPU 1 (thread->cpu modulo the CPUs) */
	run_pair(e, 3, &p);
	cr_assert_eq(p.a.second, 100);
	cr_assert_eq(p.b.second, 100);
	cr_assert_eq(p.ta->wait_ns + p.tb->wait_ns, 0);
	cr_assert_eq(zs_engine_cpu_busy_ns(e, 0), 100);
	cr_assert_eq(zs_engine_cpu_busy_ns(e, 1), 100);
	zs_engine_destroy(e);
}

Test(sched, disabled_is_the_old_uncontended_behaviour)
{
	struct zs_engine *e = zs_engine_create();
	struct pair p;

	run_pair(e, 0, &p);
	cr_assert_null(zs_engine_sched(e));
	cr_assert_eq(p.a.first, 0);
	cr_assert_eq(p.b.first, 0, "each thread has a CPU of its own");
	cr_assert_eq(p.a.second, 100);
	cr_assert_eq(p.b.second, 100);
	cr_assert_eq(p.ta->cpu_ns + p.tb->cpu_ns, 200, "charged counts at once without a scheduler");
	cr_assert_eq(p.ta->wait_ns + p.tb->wait_ns, 0);
	cr_assert_eq(zs_engine_cpu_busy_ns(e, 0), 0);
	zs_engine_destroy(e);
}

/* A hog: steps of 10 ns of CPU, yielding, forever; logs the times it steps. */
static zs_time_t hog_steps[64];
static int nhog;

static void
hog_run(struct zs_thread *t)
{
	if (nhog < 64)
		hog_steps[nhog++] = zs_now(t->engine);
	zs_thread_charge(t, 10);
	zs_thread_yield(t);
}

/* Sleeps 5 ns after each (CPU-free) step; logs when it runs. */
struct napper {
	zs_time_t at[8];
	int n;
};

static void
napper_run(struct zs_thread *t)
{
	struct napper *s = t->priv;

	s->at[s->n++] = zs_now(t->engine);
	if (s->n == 8)
		zs_thread_exit(t);
	else
		zs_thread_sleep(t, 5);
}

Test(sched, woken_thread_waits_then_preempts_at_a_step_boundary)
{
	struct zs_engine *e = rr_engine(1, 100);
	struct napper s = {0};

	nhog = 0;
	zs_thread_create(e, "hog", 0, hog_run, NULL, 0);
	zs_thread_create(e, "napper", 0, napper_run, &s, 0);
	zs_engine_run(e, 300, NULL, NULL);
	/* at 0 both have a full slice: no preemption, the napper waits for the hog's slice */
	cr_assert_eq(s.at[0], 100, "%lld", (long long)s.at[0]);
	/* at 105 it wakes with more slice left than the hog (100 - 5): need_resched, and
	 * it gets the CPU when the hog's step [100,110) ends, not in the middle of it */
	cr_assert_eq(s.at[1], 110, "%lld", (long long)s.at[1]);
	cr_assert_eq(s.at[2], 120, "%lld", (long long)s.at[2]);
	zs_engine_destroy(e);
}

Test(sched, cfs_wakeup_preemption_and_slices)
{
	struct zs_sched_params p;

	zs_sched_params_for(ZS_KV_2632, 1000, 1, &p);
	/* 2 running: 5 ms / 2 = 2.5 ms, preempted at the first tick beyond it */
	cr_assert_eq(zs_sched_slice_ns(&p, 2), 3000000);
	/* beyond sched_nr_latency: min_granularity, 1 ms, exceeded at the 2nd tick */
	cr_assert_eq(zs_sched_slice_ns(&p, 10), 2000000);
	/* a sleeper placed sched_latency/2 back is more than wakeup_gran (1 ms) ahead */
	cr_assert(zs_sched_wakeup_preempts(&p, 0, 0, 0));
	zs_sched_params_for(ZS_KV_2632, 250, 4, &p);
	/* 1 + ilog2(4) = 3: latency 15 ms, at HZ 250 preempted at 16 ms */
	cr_assert_eq(zs_sched_slice_ns(&p, 1), 16000000);
	cr_assert_str_eq(p.name, "cfs-2.6.32");
}

Test(sched, era_slices_for_nice_0)
{
	struct zs_sched_params p;

	/* 2.4.0 NICE_TO_TICKS(0): (20 >> 2) + 1 = 6 ticks at HZ 100; (20 << 1) + 1 at 1000 */
	zs_sched_params_for(ZS_KV_24, 100, 1, &p);
	cr_assert_eq(zs_sched_slice_ns(&p, 3), 60000000);
	zs_sched_params_for(ZS_KV_24, 1000, 1, &p);
	cr_assert_eq(zs_sched_slice_ns(&p, 1), 41000000);
	/* 2.6.18 DEF_TIMESLICE 100 ms for nice 0, in jiffies */
	zs_sched_params_for(ZS_KV_2618, 250, 2, &p);
	cr_assert_eq(zs_sched_slice_ns(&p, 7), 100000000);
	cr_assert(zs_sched_wakeup_preempts(&p, 50, 40, 0), "more slice left wins");
	cr_assert(!zs_sched_wakeup_preempts(&p, 40, 40, 0));
}

/* wakes a wait queue at a fixed time */
static void
wake_wq(void *arg, uint64_t data)
{
	(void)data;
	zs_waitqueue_wake_all(arg);
}

struct waiter {
	struct zs_waitqueue *wq;
	zs_time_t at[4];
	int n;
};

static void
waiter_run(struct zs_thread *t)
{
	struct waiter *w = t->priv;

	w->at[w->n++] = zs_now(t->engine);
	if (w->n == 1) {
		zs_thread_charge(t, 50);
		zs_thread_wait(t, w->wq, ZS_FOREVER);
	} else {
		zs_thread_exit(t);
	}
}

Test(sched, wake_while_the_sleep_step_is_served_keeps_it_runnable)
{
	struct zs_engine *e = rr_engine(1, 1000);
	struct zs_waitqueue wq = {0};
	struct waiter w = {.wq = &wq};
	struct zs_thread *t = zs_thread_create(e, "w", 0, waiter_run, &w, 0);

	zs_event_at(e, 20, wake_wq, &wq, 0); /* inside its 50 ns of work */
	zs_engine_run(e, 1000, NULL, NULL);
	cr_assert_eq(w.n, 2, "the wake-up was not lost");
	cr_assert_eq(w.at[1], 50, "it runs on when its work is served: %lld", (long long)w.at[1]);
	cr_assert_eq(t->wakeups, 1);
	cr_assert_eq(t->state, ZS_T_DEAD);
	zs_engine_destroy(e);
}

/* ---- many threads on two CPUs: invariant after every event, determinism ---- */

struct busy {
	uint64_t x;
	struct zs_waitqueue *wq;
	int steps;
};

static int log_t[4096];
static zs_time_t log_at[4096];
static int nlog;
static int stop_at_step; /* 0, or the step (1-based) that asks the run to stop */

static void
busy_run(struct zs_thread *t)
{
	struct busy *b = t->priv;

	b->x = b->x * 6364136223846793005ull + 1442695040888963407ull;
	if (nlog < 4096) {
		log_t[nlog] = t->id;
		log_at[nlog++] = zs_now(t->engine);
		if (nlog == stop_at_step)
			zs_engine_stop(t->engine);
	}
	zs_thread_charge(t, (zs_time_t)((b->x >> 33) % 700));
	switch ((b->x >> 20) % 4) {
	case 0:
		zs_waitqueue_wake_one(b->wq);
		zs_thread_yield(t);
		break;
	case 1:
		zs_thread_sleep(t, (zs_time_t)((b->x >> 40) % 300));
		break;
	case 2:
		zs_thread_wait(t, b->wq, (b->x >> 50) % 2 ? ZS_FOREVER : 400);
		break;
	default:
		zs_thread_yield(t);
	}
}

static int check_failures;

static void
check_each(void *arg)
{
	if (zs_engine_sched_check(arg))
		check_failures++;
}

/* What a busy_scenario run ended with. */
struct busy_end {
	zs_time_t cpu, wait; /* served and waited, all threads */
	zs_time_t now;       /* the time the run stopped at */
	uint64_t events;     /* zs_engine_run's count */
	int nlog;
};

/*
 * Run 9 threads on 2 CPUs for 200 us; the step log in log_t/log_at.  checked:
 * the invariant checker after every event, which also makes every event go
 * through the queue (no after_each lets a CPU run its next event in place).
 */
static struct busy_end
busy_scenario_run(int checked)
{
	struct zs_engine *e = rr_engine(2, 250);
	struct zs_waitqueue wq = {0};
	struct busy b[9];
	struct busy_end r = {0};

	nlog = 0;
	check_failures = 0;
	for (int i = 0; i < 9; i++) {
		char name[16];

		b[i] = (struct busy){.x = 1000u + (uint64_t)i, .wq = &wq};
		snprintf(name, sizeof(name), "b%d", i);
		zs_thread_create(e, name, i % 3, busy_run, &b[i], i * 7);
	}
	r.events = zs_engine_run(e, 200000, checked ? check_each : NULL, e);
	cr_assert_eq(r.events, zs_engine_events(e), "one run: its count is the engine's");
	r.now = zs_now(e);
	r.nlog = nlog;
	zs_engine_sched_sync(e);
	for (int i = 0; i < zs_engine_nr_threads(e); i++) {
		r.cpu += zs_engine_thread(e, i)->cpu_ns;
		r.wait += zs_engine_thread(e, i)->wait_ns;
	}
	cr_assert_eq(r.cpu, zs_engine_cpu_busy_ns(e, 0) + zs_engine_cpu_busy_ns(e, 1));
	zs_engine_destroy(e);
	return r;
}

static void
busy_scenario(zs_time_t *cpu_total, zs_time_t *wait_total)
{
	struct busy_end r = busy_scenario_run(1);

	*cpu_total = r.cpu;
	*wait_total = r.wait;
}

Test(sched, served_cpu_never_exceeds_cpus_times_time)
{
	zs_time_t cpu, wait;

	busy_scenario(&cpu, &wait);
	cr_assert_eq(check_failures, 0, "invariant broken after %d events", check_failures);
	cr_assert_leq(cpu, 2 * 200000);
	cr_assert_gt(cpu, 200000, "9 threads keep both CPUs mostly busy: %lld", (long long)cpu);
	cr_assert_gt(wait, 0, "with 9 threads on 2 CPUs some wait");
	cr_assert_gt(nlog, 100);
}

Test(sched, same_sequence_twice_gives_identical_times)
{
	static int t1[4096];
	static zs_time_t at1[4096];
	zs_time_t cpu1, wait1, cpu2, wait2;
	int n1;

	busy_scenario(&cpu1, &wait1);
	n1 = nlog;
	for (int i = 0; i < n1; i++) {
		at1[i] = log_at[i];
		t1[i] = log_t[i];
	}
	busy_scenario(&cpu2, &wait2);
	cr_assert_eq(nlog, n1);
	cr_assert_eq(cpu1, cpu2);
	cr_assert_eq(wait1, wait2);
	for (int i = 0; i < n1; i++) {
		cr_assert_eq(at1[i], log_at[i], "step %d", i);
		cr_assert_eq(t1[i], log_t[i], "step %d", i);
	}
}

/* The checked run queues every event; the unchecked one lets a CPU run the next
 * event in place when nothing else is due before it.  Both must be the same run. */
static struct busy_end
assert_in_place_is_the_queued_run(int stop_step)
{
	static int t1[4096];
	static zs_time_t at1[4096];
	struct busy_end queued, in_place;

	stop_at_step = stop_step;
	queued = busy_scenario_run(1);
	for (int i = 0; i < queued.nlog; i++) {
		at1[i] = log_at[i];
		t1[i] = log_t[i];
	}
	in_place = busy_scenario_run(0);
	stop_at_step = 0;
	cr_assert_eq(in_place.nlog, queued.nlog, "steps: %d vs %d", in_place.nlog, queued.nlog);
	cr_assert_lt(queued.nlog, 4096, "every step is in the log: %d", queued.nlog);
	cr_assert_eq(in_place.events, queued.events, "events: %llu vs %llu",
		     (unsigned long long)in_place.events, (unsigned long long)queued.events);
	cr_assert_eq(in_place.now, queued.now);
	cr_assert_eq(in_place.cpu, queued.cpu);
	cr_assert_eq(in_place.wait, queued.wait);
	for (int i = 0; i < queued.nlog; i++) {
		cr_assert_eq(log_at[i], at1[i], "step %d", i);
		cr_assert_eq(log_t[i], t1[i], "step %d", i);
	}
	return in_place;
}

Test(sched, events_run_in_place_give_the_queued_run)
{
	assert_in_place_is_the_queued_run(0);
}

Test(sched, a_stop_inside_an_in_place_chain_ends_the_run_where_queued_does)
{
	struct busy_end r = assert_in_place_is_the_queued_run(97);

	cr_assert_lt(r.now, 200000, "stopped early, at %lld", (long long)r.now);
	cr_assert_geq(r.nlog, 97);
	cr_assert_lt(r.nlog, 97 + 9, "no more steps after the stop than the event's own: %d",
		     r.nlog);
}

/* ---- the scenario switch and the summary ---- */

/* Parse 24-zone-starvation (2 s) with one --set assignment; the scenario in sc. */
static int
parse_with(const char *assignment, struct zs_scenario *sc, struct zs_error *err)
{
	struct zs_cfg *root = zs_cfg_load_file("configs/24-zone-starvation.yaml", err);
	int rc;

	cr_assert(root, "%s", err->msg);
	cr_assert_eq(zs_cfg_set(root, "duration=2s", err), 0, "%s", err->msg);
	if (assignment)
		cr_assert_eq(zs_cfg_set(root, assignment, err), 0, "%s", err->msg);
	rc = zs_scenario_parse(sc, root, "configs/24-zone-starvation.yaml", NULL, err);
	if (rc)
		zs_cfg_free(root);
	return rc;
}

Test(sched, scheduler_key_is_checked)
{
	struct zs_scenario sc;
	struct zs_error err = {0, ""};

	cr_assert_eq(parse_with("machine.scheduler=fifo", &sc, &err), -1);
	cr_assert(strstr(err.msg, "scheduler"), "%s", err.msg);
	cr_assert_eq(parse_with("machine.scheduler=none", &sc, &err), 0, "%s", err.msg);
	cr_assert(sc.sched_none);
	zs_cfg_free(sc.root);
	cr_assert_eq(parse_with(NULL, &sc, &err), 0, "%s", err.msg);
	cr_assert(!sc.sched_none, "CPUs are shared by default");
	zs_cfg_free(sc.root);
}

/* The summary value of key, from a summary.txt text. */
static double
summary_value(const char *text, const char *key)
{
	return strtod(zt_summary_find(text, key), NULL);
}

/* 6 s of 24-zone-starvation, run; its summary.txt in text (the run is the caller's). */
static struct zs_run *
run_six_seconds(struct zs_scenario *sc, char *text, size_t len)
{
	struct zs_error err = {0, ""};
	struct zs_run *r;
	FILE *sum = tmpfile();
	size_t n;

	cr_assert_eq(parse_with("duration=6s", sc, &err), 0, "%s", err.msg);
	r = zs_run_create(sc, &err);
	cr_assert(r && sum, "%s", err.msg);
	cr_assert_eq(zs_run_execute(r, NULL, NULL, sum, 0, &err), 0, "%s", err.msg);
	rewind(sum);
	n = fread(text, 1, len - 1, sum);
	text[n] = '\0';
	fclose(sum);
	return r;
}

Test(sched, summary_reports_shares_that_fit_the_machine)
{
	struct zs_scenario sc;
	static char text[65536];
	struct zs_run *r = run_six_seconds(&sc, text, sizeof(text));

	cr_assert(strstr(text, "\nscheduler: rr-2.4.0\n"));
	double kswapd = summary_value(text, "thread_kswapd_cpu_share");
	double bdflush = summary_value(text, "thread_bdflush_cpu_share");
	double busy = summary_value(text, "cpu0_busy_share");
	/* kswapd spins once RAM is full (~4 s) and takes most of the one CPU; bdflush,
	 * woken by the process allocations that reach it, gets a share of what is left */
	cr_assert_gt(kswapd, 0.3);
	cr_assert_gt(bdflush, 0.01);
	cr_assert_leq(kswapd + bdflush + summary_value(text, "thread_kreclaimd_cpu_share") +
			      summary_value(text, "tasks_cpu_share"),
		      busy + 0.0005, "the shares add up to the CPU's busy share");
	cr_assert_leq(busy, 1.0);
	cr_assert_gt(summary_value(text, "tasks_wait_ns"), 0, "the tasks wait for kswapd's CPU");
	zs_run_destroy(r);
	zs_cfg_free(sc.root);
}

/* ---- interrupt context ---- */

Test(sched, an_interrupt_thread_runs_at_once_on_a_busy_cpu)
{
	/* a charges 100 ns on CPU 0; the "irq" thread, due at 10 on the same CPU, runs at
	 * 10 (an ordinary thread would wait for a's slice), and a is not delayed */
	struct zs_engine *e = rr_engine(1, 30);
	struct worker a = {.work = 100}, irq = {.work = 0}, plain = {.work = 0};
	struct zs_thread *ta = zs_thread_create(e, "a", 0, worker_run, &a, 0);
	struct zs_thread *ti = zs_thread_create(e, "irq", 0, worker_run, &irq, 10);
	struct zs_thread *tp = zs_thread_create(e, "plain", 0, worker_run, &plain, 10);

	zs_thread_set_irq(ti);
	zs_engine_run(e, 1000, NULL, NULL);
	cr_assert_eq(irq.first, 10, "the handler ran at %lld", (long long)irq.first);
	cr_assert_eq(ti->wait_ns, 0);
	cr_assert_geq(plain.first, 30, "an ordinary thread waits for a's slice: %lld",
		      (long long)plain.first);
	cr_assert_gt(tp->wait_ns, 0);
	cr_assert_eq(ta->cpu_ns, 100);
	cr_assert_eq(zs_engine_cpu_busy_ns(e, 0), 100, "irq time is not the run queue's");
	cr_assert_eq(zs_engine_sched_check(e), 0);
	zs_engine_destroy(e);
}

Test(sched, context_key_is_checked)
{
	struct zs_error err = {0, ""};

	zt_scenario_must_fail("workload:\n  - {type: simple, gfp: GFP_KERNEL, context: interrupt}\n",
			      &err);
	cr_assert(strstr(err.msg, "t.yaml:2:") && strstr(err.msg, "cannot sleep"), "%s", err.msg);
	zt_scenario_must_fail("workload:\n  - {type: kernel, preset: fork, context: irq}\n", &err);
	cr_assert(strstr(err.msg, "process or interrupt"), "%s", err.msg);
	zt_scenario_must_fail("workload:\n  - type: phases\n    phases:\n"
			      "      - {stop: 1s, source: {type: simple, gfp: GFP_ATOMIC, "
			      "context: interrupt}}\n",
			      &err);
	cr_assert(strstr(err.msg, "own workload entry"), "%s", err.msg);
}

Test(sched, interrupt_sources_never_wait_for_a_cpu)
{
	/* 24-zone-starvation: kswapd spins on the one CPU; the GFP_ATOMIC "irq" source is
	 * interrupt context, so it runs on time (lag 0) while the process tasks wait */
	struct zs_scenario sc;
	static char text[65536];
	struct zs_run *r = run_six_seconds(&sc, text, sizeof(text));

	/* the handler's thread is apart from the tasks' and never queued */
	int irq = 0;
	for (int i = 0; i < zs_engine_nr_threads(r->e); i++) {
		struct zs_thread *t = zs_engine_thread(r->e, i);

		if (t->irq) {
			irq++;
			cr_assert_eq(t->wait_ns, 0, "%s waited %lld ns", t->name,
				     (long long)t->wait_ns);
		}
	}
	cr_assert_eq(irq, 1, "24-zone-starvation has one interrupt source");
	cr_assert_gt(summary_value(text, "tasks_wait_ns"), 0.1e9, "the process tasks wait");
	cr_assert(zt_summary_find(text, "irq_cpu_ns"));
	zs_run_destroy(r);
	zs_cfg_free(sc.root);
}
