/*
 * test_26_writeback.c - background writeback of dirty page cache: the
 * NR_FILE_DIRTY count, wb_kupdate / wb_check_old_data_flush writing pages
 * older than 30 s at the 5 s timer, and the background writeout
 * balance_dirty_pages starts every ratelimit_pages once NR_FILE_DIRTY passes
 * the background threshold.
 */
#include "tests/test_26_reclaim_util.h"

Test(zs26_writeback, kupdate_writes_pages_older_than_30s)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs26_reclaim *rc = &zs26_of(t.vm)->rc;

		r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, 100, 1, NULL);
		cr_assert_eq(rc->nr_file_dirty, 100);
		zs_engine_run(t.e, 29 * 1000 * R_MS, NULL, NULL);
		cr_assert_eq(rc->nr_file_dirty, 100, "not 30 s old yet");
		cr_assert_geq(rc->kupdate_runs, 5, "the 5 s timer ran");
		zs_engine_run(t.e, 36 * 1000 * R_MS, NULL, NULL);
		cr_assert_eq(rc->nr_file_dirty, 0, "%s", R_BOTH[v]->name);
		cr_assert_eq(rc->kupdate_written, 100);
		cr_assert_eq(t.vm->pgpgout, 100);
		cr_assert_eq(rc->nr_writeback, 0, "the writes completed");
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_writeback, background_writeout_above_the_background_threshold)
{
	/* 16384 pages, 1 CPU: ratelimit 512, background threshold 1638 (2.6.18: 10 % of
	 * vm_total_pages; 2.6.32: 10 % of free + reclaimable).  Dirtying 2100 pages
	 * checks at 512, 1024, 1536 (below) and 2048 (above): one 1024-page chunk brings
	 * NR_FILE_DIRTY under the threshold */
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs26_reclaim *rc = &zs26_of(t.vm)->rc;
		uint64_t bg, dirty;

		zs_engine_run(t.e, 1, NULL, NULL); /* the thread waits for its timer */
		r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, 2100, 1, NULL);
		zs26_get_dirty_limits(t.vm, &bg, &dirty);
		cr_assert_lt(bg, 2048);
		cr_assert_gt(bg, 2100 - 1024);
		zs_engine_run(t.e, 1000 * R_MS, NULL, NULL);
		cr_assert_eq(rc->background_written, 1024, "%s", R_BOTH[v]->name);
		cr_assert_eq(rc->nr_file_dirty, 2100 - 1024);
		cr_assert_eq(rc->kupdate_runs, 0);
		t26_check(&t);
		t26_free(&t);
	}
}

Test(zs26_writeback, clean_on_write_and_on_free)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs26_reclaim *rc = &zs26_of(t.vm)->rc;
		uint32_t p[2];

		r_pages(&t, ZS_KIND_FILE_CLEAN, NULL, 2, 1, p);
		cr_assert_eq(rc->nr_file_dirty, 0);
		t.vm->ops->dirty(t.vm, p[0]);
		t.vm->ops->dirty(t.vm, p[0]);
		t.vm->ops->dirty(t.vm, p[1]);
		cr_assert_eq(rc->nr_file_dirty, 2, "a page counts once");
		zs26_writepage(t.vm, p[0]);
		zs26_submit_writes(t.vm);
		cr_assert_eq(rc->nr_file_dirty, 1, "clear_page_dirty_for_io");
		/* the owner frees the dirty page: cancel_dirty_page */
		t.m->pages[p[1]].flags &= ~ZS_PG_BOUND;
		t.vm->ops->free(t.vm, p[1], 0, 0);
		cr_assert_eq(rc->nr_file_dirty, 0);
		zs_engine_run(t.e, 1000 * R_MS, NULL, NULL);
		t26_free(&t);
	}
}
