/*
 * metrics.c - ticks.csv, events.csv and summary.txt; see metrics.h.
 */
#include "sim/metrics.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc/task.h"
#include "sim/csvrow.h"
#include "sim/pathclass.h"

#ifndef ZS_VERSION
#define ZS_VERSION "0.1.0"
#endif

/* ---- ticks.csv ---- */

static void
ticks_header(struct zs_metrics *mx)
{
	struct zs_vm *vm = mx->vm;
	FILE *f = mx->ticks;

	fputs("time_ns,tick,node,zone,nr_free_pages,min,low,high,present_pages", f);
	for (int k = 0; k < vm->ops->max_order; k++)
		fprintf(f, ",order_%d", k);
	fputs(",pgalloc,pgfree", f);
	for (int k = 0; k < vm->ops->max_order; k++)
		fprintf(f, ",allocs_order_%d", k);
	for (int k = 0; k < vm->ops->max_order; k++)
		fprintf(f, ",frees_order_%d", k);
	fputs(",alloc_ok,alloc_fail,alloc_refused,nr_bound_pages,nr_tasks,pgmajfault,pswpin,pswpout,"
	      "pgpgin,pgpgout,swap_free,oom_kills,unknown_frees", f);
	for (int k = 0; k < vm->ops->max_order; k++)
		fprintf(f, ",allocfail_order_%d", k);
	for (int i = 0; i < vm->ops->nr_paths; i++)
		fprintf(f, ",path_%s", vm->ops->paths[i]);
	for (int i = 0; i < vm->ops->nr_metrics; i++)
		fprintf(f, ",%s", vm->ops->metrics[i].name);
	/* last, so the columns before keep their numbers: files of several runs concatenate */
	fputs(",kernel,seed\n", f);
}

void
zs_metrics_tick(struct zs_metrics *mx, uint64_t tick)
{
	struct zs_vm *vm = mx->vm;
	struct zs_machine *m = vm->machine;
	FILE *f = mx->ticks;
	int64_t *gbuf = mx->buf, *zbuf = mx->buf + vm->ops->nr_metrics;
	uint64_t live = zs_pagemap_count(vm->pagemap);
	uint32_t ntasks = 0;

	if (!f)
		return;
	for (uint32_t i = 0; i < vm->nr_tasks; i++)
		ntasks += vm->tasks[i]->alive && !(vm->tasks[i]->flags & ZS_PF_KTHREAD);
	if (vm->ops->sample && vm->ops->nr_metrics)
		vm->ops->sample(vm, NULL, gbuf);
	struct zs_row row; /* the buffer is written field by field, never read before */

	row.f = f;
	row.n = 0;
	for (int zi = 0; zi < m->nr_zones; zi++) {
		struct zs_zone *z = &m->zones[zi];
		const uint64_t vmc[] = {vm->alloc_ok, vm->alloc_fail, vm->alloc_refused, live, ntasks,
					vm->pgmajfault, vm->pswpin, vm->pswpout, vm->pgpgin,
					vm->pgpgout, vm->swap.nr_free, vm->oom_kills,
					vm->unknown_frees};

		/* the columns of ticks_header(), as "%" PRIu64 etc. would print them */
		zs_row_i64(&row, zs_now(mx->e));
		zs_row_cu64(&row, tick);
		zs_row_ci64(&row, z->node);
		zs_row_str(&row, ",");
		zs_row_str(&row, z->name);
		zs_row_cu64(&row, z->free_pages);
		zs_row_cu64(&row, z->pages_min);
		zs_row_cu64(&row, z->pages_low);
		zs_row_cu64(&row, z->pages_high);
		zs_row_cu64(&row, z->present);
		for (int k = 0; k < vm->ops->max_order; k++)
			zs_row_cu64(&row, z->free_area[k].nr_free);
		zs_row_cu64(&row, z->pgalloc);
		zs_row_cu64(&row, z->pgfree);
		for (int k = 0; k < vm->ops->max_order; k++)
			zs_row_cu64(&row, z->alloc_blocks[k]);
		for (int k = 0; k < vm->ops->max_order; k++)
			zs_row_cu64(&row, z->free_blocks[k]);
		for (size_t i = 0; i < sizeof(vmc) / sizeof(vmc[0]); i++)
			zs_row_cu64(&row, vmc[i]);
		for (int k = 0; k < vm->ops->max_order; k++)
			zs_row_cu64(&row, vm->fail_by_order[k]);
		for (int i = 0; i < vm->ops->nr_paths; i++)
			zs_row_cu64(&row, vm->path_count[i]);
		if (vm->ops->nr_metrics) {
			memset(zbuf, 0, sizeof(int64_t) * (size_t)vm->ops->nr_metrics);
			if (vm->ops->sample)
				vm->ops->sample(vm, z, zbuf);
			for (int i = 0; i < vm->ops->nr_metrics; i++)
				zs_row_ci64(&row, vm->ops->metrics[i].per_zone ? zbuf[i] : gbuf[i]);
		}
		zs_row_str(&row, ",");
		zs_row_str(&row, vm->ops->name);
		zs_row_cu64(&row, mx->seed);
		zs_row_str(&row, "\n");
	}
	zs_row_flush(&row);
}

/* ---- events.csv ---- */

static void
event_row(void *cookie, const struct zs_vm_event *ev)
{
	struct zs_metrics *mx = cookie;
	struct zs_vm *vm = mx->vm;
	const char *zone = ev->zone >= 0 ? zs_zone_type_name((enum zs_zone_type)ev->zone) : "";
	struct zs_task *t = ev->task != ZS_NIL ? vm->tasks[ev->task] : NULL;

	fprintf(mx->events, "%" PRId64 ",%s,%d,%s,%d,0x%x,%d,", ev->time, ev->op,
		t ? (int)t->pid : -1, t ? t->comm : "", ev->cpu, ev->gfp, ev->order);
	if (ev->node >= 0)
		fprintf(mx->events, "%d,%s,%u,%s,", ev->node, zone, ev->pfn, ev->path);
	else
		fprintf(mx->events, ",,,%s,", ev->path);
	/* latency_ns: on the row that ends an allocation; a refused one never waited */
	if (!strcmp(ev->op, "refused")) {
		fputc('0', mx->events);
	} else if (mx->ev_latency >= 0 && (!strcmp(ev->op, "alloc") || !strcmp(ev->op, "fail"))) {
		fprintf(mx->events, "%" PRId64, mx->ev_latency);
		mx->ev_latency = -1;
	}
	/* preferred_node, policy: on the row that ends an allocation, as the model chose */
	if (mx->ev_policy && (!strcmp(ev->op, "alloc") || !strcmp(ev->op, "fail"))) {
		fprintf(mx->events, ",%d,%s\n", mx->ev_pref_node, mx->ev_policy);
		mx->ev_policy = NULL;
	} else {
		fputs(",,\n", mx->events);
	}
}

void
zs_metrics_alloc_placement(struct zs_metrics *mx, int pref_node, const char *policy)
{
	mx->ev_pref_node = pref_node;
	mx->ev_policy = policy ? policy : "default";
}

void
zs_metrics_alloc_done(struct zs_metrics *mx, int64_t ns, unsigned order, int path, int failed)
{
	zs_latency_record(&mx->lat, ns, order, path, failed);
	mx->ev_latency = ns;
}

void
zs_metrics_alloc_pending(struct zs_metrics *mx, int64_t ns)
{
	mx->pending++;
	if (ns < 0)
		ns = 0;
	if (ns > mx->pending_max_ns)
		mx->pending_max_ns = ns;
}

void
zs_metrics_latency_hist(struct zs_metrics *mx, FILE *f)
{
	zs_latency_write_hist(&mx->lat, f);
}

int
zs_metrics_open(struct zs_metrics *mx, struct zs_vm *vm, struct zs_engine *e, uint64_t seed,
		FILE *ticks, FILE *events, struct zs_error *err)
{
	mx->vm = vm;
	mx->e = e;
	mx->seed = seed;
	mx->ticks = ticks;
	mx->events = events;
	mx->ev_latency = -1;
	mx->ev_policy = NULL;
	zs_latency_init(&mx->lat, vm->kver, vm->ops->max_order, vm->ops->paths, vm->ops->nr_paths);
	mx->buf = calloc(2 * ((size_t)vm->ops->nr_metrics + 1), sizeof(int64_t));
	if (!mx->buf)
		return zs_error_set(err, EX_OSERR, "out of memory");
	if (events) {
		fputs("time_ns,op,pid,comm,cpu,gfp,order,node,zone,pfn,path,latency_ns,"
		      "preferred_node,policy\n", events);
		vm->event_fn = event_row;
		vm->event_cookie = mx;
	}
	if (ticks)
		ticks_header(mx);
	return 0;
}

/* ---- summary.txt ---- */

struct summary_emit {
	FILE *f;
	unsigned idx;
};

static void
emit_source_counter(void *cookie, const char *key, int64_t v)
{
	struct summary_emit *se = cookie;

	fprintf(se->f, "source%u_%s: %" PRId64 "\n", se->idx, key, v);
}

/* class_<name>: allocations that ended in each common path class (pathclass.h). */
static void
summary_classes(struct zs_metrics *mx, FILE *f)
{
	struct zs_vm *vm = mx->vm;
	uint64_t n[ZS_NR_PC] = {0};

	for (int i = 0; i < vm->ops->nr_paths; i++) {
		int c = zs_pathclass_of(vm->kver, vm->ops->paths[i]);

		if (c < 0) /* a test model's exit: by its outcome, as latency.c counts it */
			c = vm->ops->path_failed[i] ? ZS_PC_FAIL : ZS_PC_SLOW;
		n[c] += vm->path_count[i];
	}
	for (int c = 0; c < ZS_NR_PC; c++)
		fprintf(f, "class_%s: %" PRIu64 "\n", zs_pathclass_name((enum zs_pathclass)c), n[c]);
}

/*
 * The last tick row's values, so a comparison never needs ticks.csv: the free
 * pages and buddyinfo and the zone counters summed over zones, the global
 * gauges, and every model column (a per-zone one summed over zones).
 */
static void
summary_final_counters(struct zs_metrics *mx, FILE *f)
{
	struct zs_vm *vm = mx->vm;
	struct zs_machine *m = vm->machine;
	int nm = vm->ops->nr_metrics;
	int64_t *gbuf = mx->buf, *zbuf = mx->buf + nm;
	uint64_t pgalloc = 0, pgfree = 0, ntasks = 0, nr_free = 0;

	for (int zi = 0; zi < m->nr_zones; zi++) {
		pgalloc += m->zones[zi].pgalloc;
		pgfree += m->zones[zi].pgfree;
		nr_free += m->zones[zi].free_pages;
	}
	/* buddyinfo summed over zones: how much of free memory sits in large blocks */
	fprintf(f, "nr_free_pages: %" PRIu64 "\n", nr_free);
	for (int k = 0; k < vm->ops->max_order; k++) {
		uint64_t n = 0;

		for (int zi = 0; zi < m->nr_zones; zi++)
			n += m->zones[zi].free_area[k].nr_free;
		fprintf(f, "order_%d: %" PRIu64 "\n", k, n);
	}
	fprintf(f, "pgalloc: %" PRIu64 "\npgfree: %" PRIu64 "\n", pgalloc, pgfree);
	for (int k = 0; k < vm->ops->max_order; k++) {
		uint64_t a = 0, fr = 0;

		for (int zi = 0; zi < m->nr_zones; zi++) {
			a += m->zones[zi].alloc_blocks[k];
			fr += m->zones[zi].free_blocks[k];
		}
		fprintf(f, "allocs_order_%d: %" PRIu64 "\nfrees_order_%d: %" PRIu64 "\n", k, a, k,
			fr);
	}
	for (uint32_t i = 0; i < vm->nr_tasks; i++)
		ntasks += vm->tasks[i]->alive && !(vm->tasks[i]->flags & ZS_PF_KTHREAD);
	fprintf(f, "pgpgin: %" PRIu64 "\npgpgout: %" PRIu64 "\nswap_free: %" PRIu64
		   "\nnr_bound_pages: %" PRIu64 "\nnr_tasks: %" PRIu64 "\n",
		vm->pgpgin, vm->pgpgout, vm->swap.nr_free, zs_pagemap_count(vm->pagemap), ntasks);
	if (!nm || !vm->ops->sample)
		return;
	vm->ops->sample(vm, NULL, gbuf);
	for (int i = 0; i < nm; i++) {
		int64_t v = gbuf[i];

		if (vm->ops->metrics[i].per_zone) {
			v = 0;
			for (int zi = 0; zi < m->nr_zones; zi++) {
				memset(zbuf, 0, sizeof(int64_t) * (size_t)nm);
				vm->ops->sample(vm, &m->zones[zi], zbuf);
				v += zbuf[i];
			}
		}
		fprintf(f, "%s: %" PRId64 "\n", vm->ops->metrics[i].name, v);
	}
	if (vm->ops->summary)
		vm->ops->summary(vm, f);
}

/* share of the machine's CPU time over the run: cpu_ns / (CPUs x duration) */
static double
cpu_share(zs_time_t ns, int nr_cpus, zs_time_t end_ns)
{
	return end_ns > 0 ? (double)ns / ((double)nr_cpus * (double)end_ns) : 0.0;
}

/*
 * CPU time and run-queue waits: one line each per kernel daemon, the user
 * tasks' threads summed (there may be thousands), and each CPU's busy time.
 */
static void
summary_threads(struct zs_metrics *mx, FILE *f, int nr_cpus, zs_time_t end_ns)
{
	const struct zs_sched_params *sp = zs_engine_sched(mx->e);
	zs_time_t tasks_cpu = 0, tasks_wait = 0, irq_cpu = 0;

	zs_engine_sched_sync(mx->e);
	fprintf(f, "scheduler: %s\n", sp ? sp->name : "none");
	for (int i = 0; i < zs_engine_nr_threads(mx->e); i++) {
		struct zs_thread *t = zs_engine_thread(mx->e, i);

		if (t->irq) {
			irq_cpu += t->cpu_ns; /* interrupt context: outside the run queues */
			continue;
		}
		if (t->task) {
			tasks_cpu += t->cpu_ns;
			tasks_wait += t->wait_ns;
			continue;
		}
		fprintf(f, "thread_%s_cpu_ns: %" PRId64 "\nthread_%s_wait_ns: %" PRId64
			   "\nthread_%s_cpu_share: %.4f\n",
			t->name, t->cpu_ns, t->name, t->wait_ns, t->name,
			cpu_share(t->cpu_ns, nr_cpus, end_ns));
	}
	fprintf(f, "tasks_cpu_ns: %" PRId64 "\ntasks_wait_ns: %" PRId64 "\ntasks_cpu_share: %.4f\n",
		tasks_cpu, tasks_wait, cpu_share(tasks_cpu, nr_cpus, end_ns));
	fprintf(f, "irq_cpu_ns: %" PRId64 "\n", irq_cpu);
	if (!sp)
		return; /* uncontended CPUs: no busy time to tell */
	for (int c = 0; c < nr_cpus; c++) {
		zs_time_t busy = zs_engine_cpu_busy_ns(mx->e, c);

		fprintf(f, "cpu%d_busy_ns: %" PRId64 "\ncpu%d_busy_share: %.4f\n", c, busy, c,
			cpu_share(busy, 1, end_ns));
	}
}

void
zs_metrics_summary(struct zs_metrics *mx, FILE *f, const char *scenario_path, uint64_t seed,
		   int64_t end_ns)
{
	struct zs_vm *vm = mx->vm;
	struct zs_machine *m = vm->machine;

	fprintf(f, "zsim_version: %s\n", ZS_VERSION);
	fprintf(f, "scenario: %s\n", scenario_path);
	fprintf(f, "kernel: %s\n", vm->ops->name);
	fprintf(f, "seed: %" PRIu64 "\n", seed);
	fprintf(f, "duration_ns: %" PRId64 "\n", end_ns);
	fprintf(f, "hz: %d\n", vm->hz);
	fprintf(f, "nodes: %d\nzones: %d\ncpus: %d\npages: %u\nswap_pages: %" PRIu64 "\n",
		m->nr_nodes, m->nr_zones, m->nr_cpus, m->nr_pages, vm->swap.nr_slots);
	fprintf(f, "events: %" PRIu64 "\n", zs_engine_events(mx->e));
	fprintf(f, "alloc_ok: %" PRIu64 "\nalloc_fail: %" PRIu64 "\nalloc_refused: %" PRIu64
		   "\nfrees: %" PRIu64 "\n",
		vm->alloc_ok, vm->alloc_fail, vm->alloc_refused, vm->frees);
	fprintf(f, "pgmajfault: %" PRIu64 "\npswpin: %" PRIu64 "\npswpout: %" PRIu64
		   "\noom_kills: %" PRIu64 "\nunknown_frees: %" PRIu64 "\n",
		vm->pgmajfault, vm->pswpin, vm->pswpout, vm->oom_kills, vm->unknown_frees);
	for (int k = 0; k < vm->ops->max_order; k++)
		fprintf(f, "allocfail_order_%d: %" PRIu64 "\n", k, vm->fail_by_order[k]);
	for (int i = 0; i < vm->ops->nr_paths; i++)
		fprintf(f, "path_%s: %" PRIu64 "\n", vm->ops->paths[i], vm->path_count[i]);
	summary_classes(mx, f);
	summary_final_counters(mx, f); /* ends with the model's own summary lines */
	zs_latency_write_summary(&mx->lat, f);
	/* not samples (they never completed), but the longest waits of all */
	fprintf(f, "latency_pending: %" PRIu64 "\n", mx->pending);
	if (mx->pending)
		fprintf(f, "latency_pending_max_ns: %" PRId64 "\n", mx->pending_max_ns);
	summary_threads(mx, f, m->nr_cpus, end_ns);
}

void
zs_metrics_summary_source(FILE *f, unsigned idx, struct zs_source *src, uint64_t requests)
{
	struct summary_emit se = {f, idx};

	fprintf(f, "source%u_type: %s\nsource%u_requests: %" PRIu64 "\n", idx, src->ops->type, idx,
		requests);
	if (src->ops->summary)
		src->ops->summary(src, emit_source_counter, &se);
}

void
zs_metrics_close(struct zs_metrics *mx)
{
	free(mx->buf);
	mx->buf = NULL;
	zs_latency_free(&mx->lat);
}
