/*
 * fs_writeback.c - background writeback of dirty page cache: NR_FILE_DIRTY
 * accounting, the background trigger at the end of balance_dirty_pages(),
 * and the thread that writes: 2.6.18's pdflush running
 * background_writeout() and wb_kupdate() (mm/page-writeback.c), 2.6.32's
 * per-bdi flusher running wb_writeback() for background work and
 * wb_check_old_data_flush() (fs/fs-writeback.c).  Both wake every
 * dirty_writeback_interval (5 s) and write pages dirtied more than
 * dirty_expire_interval (30 s) ago, in chunks of MAX_WRITEBACK_PAGES (1024);
 * background writeout runs while NR_FILE_DIRTY is at or above the
 * background threshold.
 *
 * The writer side of balance_dirty_pages is page_writeback.c's; set_page_dirty
 * here only counts the page for it (rc->bdp_pending).
 * DEVIATION: one pdflush thread
 * stands for 2.6.18's pool of 2-8; pages are written in pfn order with a
 * per-page dirtied_when (page->aux, jiffies) instead of inode by inode; the
 * flusher thread never exits when idle.
 *
 * Invariant: nr_file_dirty counts the order-0 page-cache pages with
 * ZS_PG_DIRTY (checked by zs26_lru_check).
 */
#include "alloc/linux26/model.h"

#include <stdlib.h>
#include <sysexits.h>

#define MAX_WRITEBACK_PAGES 1024
#define DIRTY_WRITEBACK_S 5 /* dirty_writeback_interval, 5 * HZ (500 centisecs) */
#define DIRTY_EXPIRE_S 30   /* dirty_expire_interval, 30 * HZ */

enum { WB_IDLE = 0, WB_BACKGROUND, WB_KUPDATE };

struct zs26_wb {
	struct zs_vm *vm;
	struct zs_thread *thread;
	struct zs_waitqueue wq;
	int state;
	int pending_background; /* balance_dirty_pages asked for background writeout */
	int64_t nr_to_write;    /* wb_kupdate / wb_check_old_data_flush budget */
	int64_t older_than;     /* jiffies: kupdate writes pages dirtied before this */
	int64_t start_jif;
	zs_time_t next_kupdate;
};

static int64_t
jiffies_now(struct zs_vm *vm)
{
	return vm->engine ? zs_now(vm->engine) * vm->hz / ZS_NS_PER_SEC : 0;
}

int
zs26_page_is_file(const struct zs_page *p)
{
	return p->order == 0 && !(p->flags & ZS26_PG_ANON) &&
	       (p->kind == ZS_KIND_FILE_CLEAN || p->kind == ZS_KIND_FILE_DIRTY ||
		p->kind == ZS_KIND_BUFFER);
}

void
zs26_start_background_writeback(struct zs_vm *vm)
{
	struct zs26_wb *wb = zs26_of(vm)->rc.wb;
	uint64_t bg, dirty;

	if (!wb)
		return;
	zs26_get_dirty_limits(vm, &bg, &dirty);
	/* KERNEL: 2.6.18 balance_dirty_pages(): writeback_in_progress -> return */
	if (wb->state == WB_BACKGROUND)
		return;
	/* pdflush_operation(background_writeout) / bdi_start_writeback() */
	if (zs26_of(vm)->rc.nr_file_dirty > bg) {
		wb->pending_background = 1;
		zs_waitqueue_wake_all(&wb->wq);
	}
}

void
zs26_account_dirty(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs_page *p = &vm->machine->pages[pfn];

	if ((p->flags & ZS_PG_DIRTY) || !zs26_page_is_file(p))
		return;
	/* KERNEL: 2.6.18 mm/page-writeback.c __set_page_dirty_nobuffers(): NR_FILE_DIRTY */
	p->flags |= ZS_PG_DIRTY;
	p->aux = (uint32_t)jiffies_now(vm); /* the inode's dirtied_when, per page here */
	rc->nr_file_dirty++;
	zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_DIRTY, 1);
	/* the writer's balance_dirty_pages_ratelimited() counts it (ops->balance_dirty) */
	rc->bdp_pending++;
}

void
zs26_account_clean(struct zs_vm *vm, uint32_t pfn)
{
	struct zs_page *p = &vm->machine->pages[pfn];

	if ((p->flags & ZS_PG_DIRTY) && zs26_page_is_file(p)) {
		p->flags &= ~ZS_PG_DIRTY;
		zs26_of(vm)->rc.nr_file_dirty--;
		zs26_zone_stat_mod(vm, pfn, ZS26_NR_FILE_DIRTY, -1);
	}
}

/*
 * writeback_inodes() / writeback_inodes_wb() stand-in: write up to 1024 dirty
 * page-cache pages (for kupdate, only those dirtied by older_than) as one request.  A
 * nonblocking caller stops at a congested queue (*congested = 1).
 */
static uint64_t
write_chunk(struct zs_vm *vm, int kupdate, int64_t older_than, int nonblocking, int *congested,
	    uint64_t max)
{
	struct zs_machine *m = vm->machine;
	uint64_t n = 0;

	*congested = 0;
	if (nonblocking && zs_disk_congested(&vm->disk, 1)) {
		*congested = 1;
		return 0;
	}
	/* in pfn order; a free buddy block holds no dirty page, so it is stepped over whole */
	for (uint32_t pfn = 0; pfn < m->nr_pages && n < max; pfn = zs_walk_next(m->pages, pfn, 1)) {
		struct zs_page *p = &m->pages[pfn];

		if (!(p->flags & ZS_PG_DIRTY) || (p->flags & ZS_PG_WRITEBACK) ||
		    !zs26_page_is_file(p))
			continue;
		if (kupdate && (int64_t)p->aux > older_than)
			continue;
		zs26_writepage(vm, pfn);
		n++;
	}
	zs26_submit_writes(vm);
	return n;
}

uint64_t
zs26_writeback_inodes(struct zs_vm *vm, uint64_t nr)
{
	int congested;

	/* KERNEL: 2.6.18 balance_dirty_pages(): a WB_SYNC_NONE wbc, not nonblocking */
	return write_chunk(vm, 0, 0, 0, &congested, nr);
}

/* blk_congestion_wait(WRITE, HZ/10) between chunks. */
static void
nap(struct zs26_wb *wb)
{
	zs_thread_sleep(wb->thread, zs26_congestion_wait_ns(wb->vm, zs26_hz10(wb->vm)));
}

static void
kupdate_done(struct zs26_wb *wb)
{
	struct zs_vm *vm = wb->vm;
	zs_time_t now = zs_now(vm->engine);

	/* KERNEL: 2.6.18 wb_kupdate(): next run 5 s after this one started, at least 1 s on */
	wb->next_kupdate = wb->start_jif * ZS_NS_PER_SEC / vm->hz + DIRTY_WRITEBACK_S * ZS_NS_PER_SEC;
	if (wb->next_kupdate < now + ZS_NS_PER_SEC && zs26_of(vm)->kver == ZS_KV_2618)
		wb->next_kupdate = now + ZS_NS_PER_SEC;
	wb->state = WB_IDLE;
}

static void
wb_run(struct zs_thread *t)
{
	struct zs26_wb *wb = t->priv;
	struct zs_vm *vm = wb->vm;
	struct zs26 *k = zs26_of(vm);
	const int v18 = k->kver == ZS_KV_2618;

	for (;;) {
		uint64_t bg, dirty, n;
		int congested;

		switch (wb->state) {
		case WB_IDLE: {
			zs_time_t now = zs_now(vm->engine);

			if (wb->pending_background) {
				wb->pending_background = 0;
				wb->state = WB_BACKGROUND;
				continue;
			}
			if (now >= wb->next_kupdate) {
				/* KERNEL: 2.6.32 fs/fs-writeback.c wb_check_old_data_flush() */
				wb->start_jif = jiffies_now(vm);
				wb->older_than = wb->start_jif - (int64_t)DIRTY_EXPIRE_S * vm->hz;
				wb->nr_to_write = (int64_t)k->rc.nr_file_dirty;
				wb->state = WB_KUPDATE;
				k->rc.kupdate_runs++;
				continue;
			}
			zs_thread_wait(t, &wb->wq, wb->next_kupdate - now);
			return;
		}
		case WB_BACKGROUND:
			/* KERNEL: 2.6.18 background_writeout(); 2.6.32 wb_writeback(for_background) */
			zs26_get_dirty_limits(vm, &bg, &dirty);
			if (k->rc.nr_file_dirty < bg) {
				wb->state = WB_IDLE;
				continue;
			}
			n = write_chunk(vm, 0, 0, v18, &congested, MAX_WRITEBACK_PAGES);
			k->rc.background_written += n;
			zs26_charge_scan(vm, t, n, 1);
			if (n < MAX_WRITEBACK_PAGES) {
				if (v18) {
					/* nap; go on only if the queue was the reason */
					if (!congested)
						wb->state = WB_IDLE;
					nap(wb);
					return;
				}
				wb->state = WB_IDLE; /* !more_io: nothing left */
				continue;
			}
			zs_thread_yield(t);
			return;
		case WB_KUPDATE:
			/* KERNEL: 2.6.18 wb_kupdate(); 2.6.32 wb_writeback(for_kupdate) */
			if (wb->nr_to_write <= 0) {
				kupdate_done(wb);
				continue;
			}
			n = write_chunk(vm, 1, wb->older_than, v18, &congested, MAX_WRITEBACK_PAGES);
			k->rc.kupdate_written += n;
			zs26_charge_scan(vm, t, n, 1);
			wb->nr_to_write -= (int64_t)n;
			if (n < MAX_WRITEBACK_PAGES) {
				if (v18 && congested) {
					nap(wb);
					return;
				}
				kupdate_done(wb); /* all the old data is written */
				continue;
			}
			zs_thread_yield(t);
			return;
		default:
			ZS_BUG_ON(1);
		}
	}
}

int
zs26_writeback_start(struct zs_vm *vm, struct zs_error *err)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs26_wb *wb = calloc(1, sizeof(*wb));

	if (!wb)
		return zs_error_set(err, EX_OSERR, "out of memory");
	wb->vm = vm;
	wb->state = WB_IDLE;
	wb->next_kupdate = zs_now(vm->engine) + DIRTY_WRITEBACK_S * ZS_NS_PER_SEC;
	/* 2.6.18: one of the pdflush pool; 2.6.32: the disk's bdi flusher */
	wb->thread = zs_thread_create(vm->engine,
				      zs26_of(vm)->kver == ZS_KV_2618 ? "pdflush" : "flush",
				      0, wb_run, wb, zs_now(vm->engine));
	rc->wb = wb;
	return 0;
}

void
zs26_writeback_fini(struct zs_vm *vm)
{
	free(zs26_of(vm)->rc.wb);
	zs26_of(vm)->rc.wb = NULL;
	free(zs26_of(vm)->rc.task_dirties);
	zs26_of(vm)->rc.task_dirties = NULL;
	zs26_of(vm)->rc.nr_task_dirties = 0;
}
