/* test_engine.c - event ordering, ties, threads, wait queues, charged CPU time. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/engine.h"

static char order_log[64];
static int nlog;

static void
log_event(void *arg, uint64_t data)
{
	(void)arg;
	order_log[nlog++] = (char)data;
}

Test(engine, events_run_in_time_order_and_ties_in_insertion_order)
{
	struct zs_engine *e = zs_engine_create();

	nlog = 0;
	zs_event_at(e, 30, log_event, NULL, 'c');
	zs_event_at(e, 10, log_event, NULL, 'a');
	zs_event_at(e, 20, log_event, NULL, 'b');
	zs_event_at(e, 20, log_event, NULL, 'B'); /* same time: after 'b' */
	zs_event_at(e, 10, log_event, NULL, 'A');
	cr_assert_eq(zs_engine_run(e, 100, NULL, NULL), 5);
	order_log[nlog] = '\0';
	cr_assert_str_eq(order_log, "aAbBc");
	cr_assert_eq(zs_now(e), 100);
	zs_engine_destroy(e);
}

Test(engine, run_stops_at_until)
{
	struct zs_engine *e = zs_engine_create();

	nlog = 0;
	zs_event_at(e, 10, log_event, NULL, 'x');
	zs_event_at(e, 50, log_event, NULL, 'y');
	cr_assert_eq(zs_engine_run(e, 20, NULL, NULL), 1);
	cr_assert_eq(zs_now(e), 20);
	cr_assert_eq(zs_engine_run(e, 60, NULL, NULL), 1);
	zs_engine_destroy(e);
}

static zs_time_t last_seen;
static int out_of_order;

static void
check_time(void *arg, uint64_t data)
{
	struct zs_engine *e = arg;

	(void)data;
	if (zs_now(e) < last_seen)
		out_of_order++;
	last_seen = zs_now(e);
}

Test(engine, heap_keeps_order_over_many_events)
{
	struct zs_engine *e = zs_engine_create();
	uint64_t x = 12345;

	/* 5000 events at pseudo-random times (the heap grows past its first size) */
	for (int i = 0; i < 5000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		zs_event_at(e, (zs_time_t)(x >> 40), check_time, e, 0);
	}
	last_seen = -1;
	out_of_order = 0;
	cr_assert_eq(zs_engine_run(e, INT64_MAX / 2, NULL, NULL), 5000);
	cr_assert_eq(out_of_order, 0);
	zs_engine_destroy(e);
}

struct sleeper {
	int runs;
	zs_time_t at[8];
	struct zs_waitqueue *wq;
};

static void
sleeper_run(struct zs_thread *t)
{
	struct sleeper *s = t->priv;

	s->at[s->runs++] = zs_now(t->engine);
	if (s->runs == 1) {
		zs_thread_charge(t, 5);
		zs_thread_sleep(t, 100); /* first wake at 0 + 5 + 100 */
	} else if (s->runs == 2) {
		zs_thread_wait(t, s->wq, ZS_FOREVER);
	} else if (s->runs == 3) {
		zs_thread_wait(t, s->wq, 50); /* times out */
	} else {
		zs_thread_exit(t);
	}
}

static void
waker(void *arg, uint64_t data)
{
	(void)data;
	zs_waitqueue_wake_all(arg);
}

Test(engine, thread_sleep_wait_timeout_and_charge)
{
	struct zs_engine *e = zs_engine_create();
	struct zs_waitqueue wq = {0};
	struct sleeper s = {.wq = &wq};
	struct zs_thread *t = zs_thread_create(e, "t", 0, sleeper_run, &s, 0);

	zs_event_at(e, 1000, waker, &wq, 0);
	zs_engine_run(e, 10000, NULL, NULL);
	cr_assert_eq(s.runs, 4);
	cr_assert_eq(s.at[0], 0);
	cr_assert_eq(s.at[1], 105, "charged time delays the sleep: %lld", (long long)s.at[1]);
	cr_assert_eq(s.at[2], 1000, "woken from the wait queue");
	cr_assert_eq(s.at[3], 1050, "the second wait timed out");
	cr_assert(t->woken_by_timeout);
	cr_assert_eq(t->cpu_ns, 5);
	cr_assert_eq(t->wakeups, 1);
	cr_assert_eq(wq.count, 0);
	cr_assert_eq(t->state, ZS_T_DEAD);
	zs_engine_destroy(e);
}

static void
stale_run(struct zs_thread *t)
{
	int *runs = t->priv;

	(*runs)++;
	zs_thread_sleep(t, 100);
}

static void
early_wake(void *arg, uint64_t data)
{
	(void)data;
	zs_thread_wake(arg);
}

Test(engine, early_wake_cancels_the_timer)
{
	struct zs_engine *e = zs_engine_create();
	int runs = 0;
	struct zs_thread *t = zs_thread_create(e, "t", 0, stale_run, &runs, 0);

	zs_event_at(e, 30, early_wake, t, 0);
	zs_engine_run(e, 150, NULL, NULL);
	/* runs at 0, woken at 30, then the 130 timer; the stale timer at 100 is ignored */
	cr_assert_eq(runs, 3);
	zs_engine_destroy(e);
}
