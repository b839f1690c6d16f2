/*
 * test_26_writeback.c - background writeback of dirty page cache: the
 * NR_FILE_DIRTY count, wb_kupdate / wb_check_old_data_flush writing pages
 * older than 30 s at the 5 s timer, and the background writeout
 * balance_dirty_pages starts every ratelimit_pages once NR_FILE_DIRTY passes
 * the background threshold; and the writer side of balance_dirty_pages
 * (ops->balance_dirty): the chunk the writer writes, dirty_exceeded's
 * ratelimit of 8, the sleeps of each version.
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
		/* the writer's balance_dirty_pages_ratelimited(): 2100 >= 512, under dirty */
		struct zs_alloc_req req = {0};

		cr_assert_eq(t.vm->ops->balance_dirty(t.vm, &req), ZS_ALLOC_DONE);
		cr_assert_eq(rc->bdp_calls, 1);
		cr_assert_eq(rc->bdp_written, 0, "under the dirty threshold: no throttling");
		cr_assert_eq(rc->dirty_exceeded, 0);
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

/* Dirty pages past the dirty threshold: a chunk written by the writer, then dirty_exceeded. */
Test(zs26_writeback, writer_writes_a_chunk_over_the_dirty_threshold)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs26_reclaim *rc = &zs26_of(t.vm)->rc;
		struct zs_alloc_req req = {0};
		uint64_t bg, dirty, rl = zs26_ratelimit_pages(t.vm);

		zs26_get_dirty_limits(t.vm, &bg, &dirty);
		cr_assert_eq(rl, 512);
		/* dirty + 2000 pages dirtied earlier (already balanced: not counted), then 512 */
		r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, (unsigned)dirty + 2000, 1, NULL);
		rc->bdp_pending = 0;
		rc->bdi_writeouts = 1; /* 2.6.32: the bdi has its full share of dirty */
		r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, 512, 50000, NULL);
		/* sync_writeback_pages(): 512 + 256 (2.6.32: from the 512 counted, the same) */
		uint64_t want = rl + rl / 2;

		cr_assert_eq(t.vm->ops->balance_dirty(t.vm, &req), ZS_ALLOC_DONE, "%s",
			     R_BOTH[v]->name);
		cr_assert_eq(rc->bdp_written, want, "%s: %llu", R_BOTH[v]->name,
			     (unsigned long long)rc->bdp_written);
		cr_assert_eq(rc->dirty_exceeded, 1, "still over the limit (writeback counts)");
		cr_assert_eq(rc->bdp_waits, 0, "it did its duty without sleeping");
		/* dirty_exceeded: the next check comes after 8 pages, not 512 */
		r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, 7, 100000, NULL);
		cr_assert_eq(t.vm->ops->balance_dirty(t.vm, &req), ZS_ALLOC_DONE);
		cr_assert_eq(rc->bdp_calls, 1, "7 < 8");
		r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, 1, 200000, NULL);
		t.vm->ops->balance_dirty(t.vm, &req);
		cr_assert_eq(rc->bdp_calls, 2);
		zs_engine_run(t.e, 60000 * R_MS, NULL, NULL);
		t26_check(&t);
		t26_free(&t);
	}
}

/*
 * Everything under writeback and over the limit: nothing left to write, so the
 * writer sleeps: 2.6.18 in blk_congestion_wait(WRITE, HZ/10) each time, 2.6.32 in
 * pauses of 1, 2, 4 ... jiffies up to HZ/10 (25 at HZ 250).
 */
Test(zs26_writeback, writer_sleeps_while_writeback_is_over_the_limit)
{
	for (int v = 0; v < 2; v++) {
		struct t26 t = r_boot(R_BOTH[v], 0, NULL);
		struct zs26 *k = zs26_of(t.vm);
		struct zs26_reclaim *rc = &k->rc;
		struct zs_alloc_req req = {0};
		uint64_t bg, dirty;
		uint32_t p[8000];

		zs26_get_dirty_limits(t.vm, &bg, &dirty);
		cr_assert_lt(dirty + 100, 8000);
		r_pages(&t, ZS_KIND_FILE_DIRTY, NULL, (unsigned)dirty + 100, 1, p);
		for (unsigned i = 0; i < dirty + 100; i++)
			zs26_writepage(t.vm, p[i]);
		zs26_submit_writes(t.vm);
		cr_assert_eq(rc->nr_file_dirty, 0);
		rc->bdi_writeouts = 1; /* 2.6.32: the bdi has its full share */
		uint64_t waits0 = k->congestion_waits;

		static const int64_t pause[] = {1, 2, 4, 8, 16, 25, 25};
		for (int i = 0; i < 7; i++) {
			cr_assert_eq(t.vm->ops->balance_dirty(t.vm, &req), ZS_ALLOC_BLOCKED,
				     "%s pass %d", R_BOTH[v]->name, i);
			cr_assert_eq(rc->bdp_waits, (uint64_t)i + 1);
			if (v)
				cr_assert_eq(req.local[2], i < 6 ? pause[i + 1] : 25,
					     "the next pause doubles up to HZ/10");
		}
		cr_assert_eq(k->congestion_waits - waits0, v ? 0 : 7,
			     "2.6.18 sleeps in blk_congestion_wait, 2.6.32 in io_schedule_timeout");
		cr_assert_eq(rc->bdp_written, 0, "nothing dirty to write");
		cr_assert_eq(rc->bdp_calls, 1, "one balance_dirty_pages call, still looping");
		zs_engine_run(t.e, 60000 * R_MS, NULL, NULL); /* the writes complete */
		cr_assert_eq(t.vm->ops->balance_dirty(t.vm, &req), ZS_ALLOC_DONE,
			     "under the limit again");
		cr_assert_eq(rc->dirty_exceeded, 0);
		t26_check(&t);
		t26_free(&t);
	}
}
