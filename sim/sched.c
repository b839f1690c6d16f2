/*
 * sched.c - nice-0 time slices of the three schedulers; see sched.h.
 */
#include "sim/sched.h"

#include "sim/diag.h"

/* KERNEL: 2.4.0 kernel/sched.c TICK_SCALE(): the slice is about 50 ms whatever HZ is */
static int
tick_scale_24(int hz, int x)
{
	if (hz < 200)
		return x >> 2;
	if (hz < 400)
		return x >> 1;
	if (hz < 800)
		return x;
	if (hz < 1600)
		return x << 1;
	return x << 2;
}

static int
ilog2_int(int n)
{
	int l = 0;

	while (n > 1) {
		n >>= 1;
		l++;
	}
	return l;
}

void
zs_sched_params_for(enum zs_kver kver, int hz, int nr_cpus, struct zs_sched_params *p)
{
	ZS_BUG_ON(hz <= 0 || nr_cpus <= 0);
	p->nr_cpus = nr_cpus;
	p->tick_ns = ZS_NS_PER_SEC / hz;
	p->slice_ns = 0;
	p->latency_ns = p->min_gran_ns = p->wakeup_gran_ns = 0;
	p->nr_latency = 0;
	switch (kver) {
	case ZS_KV_24:
		/* KERNEL: 2.4.0 kernel/sched.c NICE_TO_TICKS(0): the counter a nice-0 task
		 * gets; update_process_times() decrements it every tick and asks for a
		 * reschedule when it reaches 0 */
		p->slice_ns = (zs_time_t)(tick_scale_24(hz, 20) + 1) * p->tick_ns;
		p->name = "rr-2.4.0";
		break;
	case ZS_KV_2618: {
		/* KERNEL: 2.6.18 kernel/sched.c static_prio_timeslice(NICE_TO_PRIO(0)):
		 * SCALE_PRIO(DEF_TIMESLICE, 120) = DEF_TIMESLICE = 100 * HZ / 1000 jiffies,
		 * at least MIN_TIMESLICE = max(5 * HZ / 1000, 1) */
		int ticks = 100 * hz / 1000, min = 5 * hz / 1000 > 1 ? 5 * hz / 1000 : 1;

		p->slice_ns = (zs_time_t)(ticks > min ? ticks : min) * p->tick_ns;
		p->name = "o1-2.6.18";
		break;
	}
	default: {
		/* KERNEL: 2.6.32 kernel/sched.c sched_init_granularity(): latency 5 ms and
		 * min_granularity 1 ms, both times 1 + ilog2(CPUs), capped at 200 ms;
		 * kernel/sched_fair.c sched_nr_latency = 5 */
		zs_time_t factor = 1 + ilog2_int(nr_cpus), cap = 200 * 1000 * 1000;

		p->latency_ns = 5 * 1000 * 1000 * factor;
		p->min_gran_ns = 1000 * 1000 * factor;
		if (p->latency_ns > cap)
			p->latency_ns = cap;
		if (p->min_gran_ns > cap)
			p->min_gran_ns = cap;
		p->nr_latency = 5;
		/* KERNEL: 2.6.32 kernel/sched_fair.c sysctl_sched_wakeup_granularity, 1 ms
		 * times the same factor (not capped) */
		p->wakeup_gran_ns = 1000 * 1000 * factor;
		p->name = "cfs-2.6.32";
		break;
	}
	}
}

zs_time_t
zs_sched_slice_ns(const struct zs_sched_params *p, int nr_running)
{
	zs_time_t ideal;

	if (p->slice_ns)
		return p->slice_ns; /* 2.4 and 2.6.18: whole ticks already */
	if (nr_running < 1)
		nr_running = 1;
	/* KERNEL: 2.6.32 kernel/sched_fair.c __sched_period() and sched_slice(): the
	 * period is sched_latency, or min_granularity per task beyond sched_nr_latency,
	 * shared by weight (equal for nice 0) */
	if (nr_running > p->nr_latency)
		ideal = p->min_gran_ns;
	else
		ideal = p->latency_ns / nr_running;
	/* KERNEL: 2.6.32 kernel/sched_fair.c check_preempt_tick(): preemption is decided
	 * at the first tick at which the run exceeds the ideal runtime */
	return (ideal / p->tick_ns + 1) * p->tick_ns;
}

int
zs_sched_wakeup_preempts(const struct zs_sched_params *p, zs_time_t woken_slice_left,
			 zs_time_t curr_slice_left, zs_time_t curr_ran_ns)
{
	if (p->slice_ns) {
		/* KERNEL: 2.4.0 kernel/sched.c reschedule_idle() / preemption_goodness():
		 * goodness() is mostly the ticks left (counter), so the woken thread wins when
		 * it has more slice left.  DEVIATION: the same rule stands in for 2.6.18's
		 * TASK_PREEMPTS_CURR() (dynamic priority from sleep_avg): there too a
		 * sleeper beats a thread that has been burning its slice; no mm bonus */
		return woken_slice_left > curr_slice_left;
	}
	/* KERNEL: 2.6.32 kernel/sched_fair.c place_entity() puts a sleeper at
	 * min_vruntime - sched_latency/2 (GENTLE_FAIR_SLEEPERS), and
	 * wakeup_preempt_entity() preempts when curr's vruntime is more than
	 * wakeup_gran ahead.  DEVIATION: no vruntime kept: curr is taken to be at
	 * min_vruntime + its run since it got the CPU, the woken thread a long sleeper */
	return curr_ran_ns + p->latency_ns / 2 > p->wakeup_gran_ns;
}
