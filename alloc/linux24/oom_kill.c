/*
 * oom_kill.c - the 2.4.0 OOM killer (mm/oom_kill.c of 2.4.0): out_of_memory() as kswapd tests it, and
 * badness() with the kernel's rough integer square root, nice, root and
 * CAP_SYS_RAWIO adjustments; the victim gets PF_MEMALLOC while it exits.
 *
 * KERNEL: 2.4.0 mm/oom_kill.c (unchanged in 2.4.16 apart from the mm sharing).
 */
#include "alloc/linux24/model.h"

#include "alloc/task.h"

/* KERNEL: 2.4.0 mm/oom_kill.c int_sqrt(): rough, never 0 */
unsigned long
zs24_isqrt(unsigned long x)
{
	unsigned long out = x;

	while (x & ~1ul) {
		x >>= 2;
		out >>= 1;
	}
	if (x)
		out -= out >> 2;
	return out ? out : 1;
}

/* KERNEL: 2.4.0 include/linux/timex.h SHIFT_HZ: log2(HZ) rounded, 5 for HZ 24..47
 * up to 10 for 768..1535 (other HZ do not build; z24_init rejects them) */
static int
shift_hz(int hz)
{
	static const int lim[] = {48, 96, 192, 384, 768};
	int shift = 5;

	for (unsigned i = 0; i < sizeof(lim) / sizeof(lim[0]) && hz >= lim[i]; i++)
		shift = 6 + (int)i;
	return shift;
}

unsigned long
zs24_badness(const struct zs_task *t, zs_time_t now, int hz)
{
	/* Tasks without an mm score 0. */
	if ((t->flags & ZS_PF_KTHREAD) || t->total_vm == 0)
		return 0;
	/* KERNEL: 2.4.0 mm/oom_kill.c badness(): the size of the address space */
	unsigned long points = (unsigned long)t->total_vm;
	int sh = shift_hz(hz);
	unsigned long cpu_j = (unsigned long)(t->cpu_ns * hz / ZS_NS_PER_SEC);
	zs_time_t age = now - t->start_ns;
	unsigned long run_j = (unsigned long)((age > 0 ? age : 0) * hz / ZS_NS_PER_SEC);
	/* "seconds" and "minutes" in units of 2^(SHIFT_HZ+3) and 2^(SHIFT_HZ+10) jiffies */
	unsigned long cpu_time = cpu_j >> (sh + 3);
	unsigned long run_time = run_j >> (sh + 10);

	points /= zs24_isqrt(cpu_time);
	points /= zs24_isqrt(zs24_isqrt(run_time));
	/* Niced processes are most likely less important. */
	if (t->nice > 0)
		points *= 2;
	/* Superuser processes are usually more important (uid or euid 0).
	 * DEVIATION: a task has one uid, used as both uid and euid; and cpu_ns
	 * holds only the system time this model charges the task (direct reclaim,
	 * swap read-ahead), not its user time, which the driver does not track. */
	if (t->cap_sys_admin || t->uid == 0)
		points /= 4;
	/* Direct hardware access: killing it could leave the hardware in a mess. */
	if (t->cap_sys_rawio)
		points /= 4;
	return points;
}

/* KERNEL: 2.4.0 mm/oom_kill.c out_of_memory() */
int
zs24_out_of_memory(struct z24 *s)
{
	uint64_t nfree = zs24_nr_free_pages(s);

	/* Enough free memory?  Not OOM. */
	if (nfree > s->freepages_min)
		return 0;
	if (nfree + zs24_nr_inactive_clean_pages(s) > s->freepages_low)
		return 0;
	/* Enough swap space left?  Not OOM. */
	if (s->vm->swap.nr_free > 0)
		return 0;
	return 1;
}

/* KERNEL: 2.4.0 mm/oom_kill.c select_bad_process() + oom_kill() */
struct zs_task *
zs24_oom_kill(struct z24 *s)
{
	struct zs_vm *vm = s->vm;
	struct zs_task *chosen = NULL;
	unsigned long maxpoints = 0;
	zs_time_t now = zs_now(vm->engine);

	for (uint32_t i = 0; i < vm->nr_tasks; i++) {
		struct zs_task *t = vm->tasks[i];

		if (!t || !t->alive || t->killed || !t->pid)
			continue;
		unsigned long points = zs24_badness(t, now, s->hz);

		/* the strictly largest wins; the first found on a tie */
		if (points > maxpoints) {
			chosen = t;
			maxpoints = points;
		}
	}
	if (!chosen) {
		/* DEVIATION: the kernel panics ("Out of memory and no killable
		 * processes..."); the simulation counts it and carries on. */
		s->oom_no_victim++;
		return NULL;
	}
	/* KERNEL: 2.4.0 mm/oom_kill.c oom_kill_task(): PF_MEMALLOC so its last
	 * allocations can use the reserve, and SIGKILL (SIGTERM for CAP_SYS_RAWIO).
	 * DEVIATION: no signal handlers are simulated, so either signal ends the
	 * task, and it exits here at once: its pages are freed now rather than as
	 * it runs do_exit, so the kernel's chance to choose an exiting victim again
	 * (select_bad_process does not skip it) never arises. */
	chosen->flags |= ZS_PF_MEMALLOC | ZS_TIF_MEMDIE;
	s->oom_kills++;
	zs_vm_kill_task(vm, chosen, "oom_kill");
	return chosen;
}
