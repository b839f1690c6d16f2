/*
 * page_io.c - the writes reclaim starts (swap_writepage of mm/page_io.c, a
 * file system's writepage) and their completion, end_page_writeback() of
 * mm/filemap.c, which rotates a PG_reclaim page to the inactive tail and
 * wakes a 2.6.32 direct reclaimer asleep in wait_on_page_writeback() of that
 * page (vmscan_isolated.c).
 *
 * DEVIATION: the pages pageout() writes during one shrink_page_list() call
 * go to the disk as one request, as a plugged queue merges the contiguous
 * swap slots (or file blocks) of one batch; the kernel's elevator may merge
 * more or less than that.
 *
 * Invariant: a page has ZS_PG_WRITEBACK iff it is in a zs26_io in flight (or
 * in the batch being built), and nr_writeback counts those pages.
 */
#include "alloc/linux26/model.h"

#include <stdlib.h>

struct zs26_io {
	struct zs26_io *next, *prev;
	struct zs_vm *vm;
	uint32_t n, cap;
	uint32_t pfn[];
};

void
zs26_writepage(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs_page *p = &vm->machine->pages[pfn];
	struct zs_binding *b = zs_vm_page_binding(vm, pfn);
	struct zs26_io *io = rc->iob;

	/* KERNEL: 2.6.18 mm/page-writeback.c clear_page_dirty_for_io(), set_page_writeback() */
	zs26_account_clean(vm, pfn);
	p->flags &= ~ZS_PG_DIRTY;
	p->flags |= ZS_PG_WRITEBACK;
	if (b && !(p->flags & ZS_PG_SWAPCACHE))
		b->dirty = 0; /* the file copy is current again */
	rc->nr_writeback++;
	if (zs26_page_is_file(p))
		rc->nr_writeback_file++; /* BDI_WRITEBACK (swap's bdi does not account) */
	vm->pgpgout++;
	if (p->flags & ZS_PG_SWAPCACHE)
		vm->pswpout++;
	if (!io || io->n == io->cap) {
		uint32_t cap = io ? 2 * io->cap : 32;
		struct zs26_io *n = realloc(io, sizeof(*n) + cap * sizeof(uint32_t));

		ZS_BUG_ON(!n);
		if (!io)
			n->n = 0;
		n->cap = cap;
		n->vm = vm;
		io = rc->iob = n;
	}
	io->pfn[io->n++] = pfn;
}

void
zs26_end_page_writeback(struct zs_vm *vm, uint32_t pfn)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs_page *p = &vm->machine->pages[pfn];

	ZS_BUG_ON(!(p->flags & ZS_PG_WRITEBACK));
	p->flags &= ~ZS_PG_WRITEBACK;
	rc->nr_writeback--;
	if (zs26_page_is_file(p)) {
		/* KERNEL: 2.6.32 mm/page-writeback.c test_clear_page_writeback(): BDI_WRITEBACK,
		 * and __bdi_writeout_inc() for the bdi's share of writeouts */
		rc->nr_writeback_file--;
		rc->bdi_writeouts++;
	}
	if (rc->rframes)
		zs26_rframe_writeback_done(vm, pfn);
	if (p->flags & ZS26_PG_FREEPEND) {
		/* the owner let go of it while the write was in flight */
		p->flags &= ~ZS26_PG_FREEPEND;
		zs26_release_page(vm, pfn, rc->cur_cpu, 0);
		return;
	}
	/* KERNEL: 2.6.18 mm/filemap.c end_page_writeback(): TestClearPageReclaim -> rotate */
	if (p->flags & ZS26_PG_RECLAIM) {
		p->flags &= ~ZS26_PG_RECLAIM;
		zs26_rotate_reclaimable_page(vm, pfn);
	}
}

static void
io_done(void *arg, uint64_t data)
{
	struct zs26_io *io = arg;
	struct zs_vm *vm = io->vm;
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;

	(void)data;
	if (io->prev)
		io->prev->next = io->next;
	else
		rc->io_list = io->next;
	if (io->next)
		io->next->prev = io->prev;
	for (uint32_t i = 0; i < io->n; i++)
		zs26_end_page_writeback(vm, io->pfn[i]);
	free(io);
}

void
zs26_submit_writes(struct zs_vm *vm)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;
	struct zs26_io *io = rc->iob;

	if (!io)
		return;
	rc->iob = NULL;
	io->prev = NULL;
	io->next = rc->io_list;
	if (rc->io_list)
		rc->io_list->prev = io;
	rc->io_list = io;
	zs_disk_submit(&vm->disk, 1, io->n, io_done, io, 0);
}

void
zs26_io_fini(struct zs_vm *vm)
{
	struct zs26_reclaim *rc = &zs26_of(vm)->rc;

	while (rc->io_list) {
		struct zs26_io *io = rc->io_list;

		rc->io_list = io->next;
		free(io);
	}
	free(rc->iob);
	rc->iob = NULL;
}
