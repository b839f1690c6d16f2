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
	 * DEVIATION: a task has one uid, used as both uid and euid; and cpu_ns is
	 * the utime + stime its workload declared at the start plus the system
	 * time this model charges it (direct reclaim, swap read-ahead): user time
	 * spent during the run is not simulated. */
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

/* The OOM victim runs: do_exit() -> exit_mm() -> mmput(), every page at once. */
static void
do_exit(void *arg, uint64_t id)
{
	struct zs_vm *vm = arg;
	struct zs_task *t = vm->tasks[id];

	if (t->alive)
		zs_vm_exit_task(vm, t);
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

		/* KERNEL: 2.4.0 mm/oom_kill.c select_bad_process(): every task with a pid,
		 * a victim still exiting included (its mm still scores) */
		if (!t || !t->alive || !t->pid)
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
	if (chosen->killed) {
		/* chosen again before it could exit: the kernel signals it once more,
		 * which changes nothing */
		s->oom_rekills++;
		return chosen;
	}
	/* KERNEL: 2.4.0 mm/oom_kill.c oom_kill(): PF_MEMALLOC so its last allocations
	 * can use the reserve, SIGKILL (SIGTERM for CAP_SYS_RAWIO), and kswapd yields
	 * so the victim runs.  DEVIATION: no signal handlers are simulated, so either
	 * signal ends the task; it runs do_exit one jiffy later, and exit_mmap's
	 * zap_page_range (no resched points in 2.4.0) frees its pages at once then. */
	chosen->flags |= ZS_PF_MEMALLOC | ZS_TIF_MEMDIE;
	chosen->killed = 1;
	s->oom_kills++;
	vm->oom_kills++;
	zs_vm_event(vm, "oom_kill", chosen, -1, 0, -1, ZS_NIL, "");
	zs_event_at(vm->engine, zs_now(vm->engine) + ZS_NS_PER_SEC / s->hz, do_exit, vm,
		    chosen->id);
	return chosen;
}
