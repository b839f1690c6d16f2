/* test_bind_keeper.c - bindings kept by their source (alloc/pagemap.h zs_bind_keeper): the
 * pagemap's side, the trace cook's keeper, and a replay's refusal of pfns a key cannot hold. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/page.h"
#include "alloc/pagemap.h"
#include "sim/diag.h"
#include "tests/support.h"
#include "workloads/trace.h"

#define NHANDLES 4096u
#define KEEP_LIMIT 300u /* the array keeper below keeps bindings below this */

/* A keeper over a plain array that, like the cook past 2^24, cannot keep large indices. */
struct array_keeper {
	uint32_t cell[NHANDLES];
	unsigned gets, sets;
};

static uint32_t
array_get(void *ctx, uint64_t h)
{
	struct array_keeper *a = ctx;

	cr_assert_lt(h, NHANDLES);
	a->gets++;
	return a->cell[h];
}

static int
array_set(void *ctx, uint64_t h, uint32_t b)
{
	struct array_keeper *a = ctx;

	cr_assert_lt(h, NHANDLES);
	a->sets++;
	a->cell[h] = b == ZS_NIL || b < KEEP_LIMIT ? b : ZS_BIND_UNKEPT;
	return a->cell[h] != ZS_BIND_UNKEPT;
}

static uint64_t
lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/*
 * Source 1 keeps its bindings, source 0 does not: under random churn every
 * handle of both is found exactly when it is bound, the kept source's small
 * indices never enter the index and its large ones do (and leave it), and a
 * removal always tells the keeper.
 */
Test(bind_keeper, pagemap_asks_the_keeper_and_indexes_what_it_cannot_keep)
{
	static struct array_keeper ak;
	struct zs_bind_keeper k = {.ctx = &ak, .get = array_get, .set = array_set};
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t ref[2][NHANDLES];
	uint64_t s = 7;

	for (unsigned i = 0; i < NHANDLES; i++)
		ak.cell[i] = ref[0][i] = ref[1][i] = ZS_NIL;
	zs_pagemap_keep(pm, 1, &k);
	for (int step = 0; step < 100000; step++) {
		unsigned src = (unsigned)(lcg(&s) & 1), h = (unsigned)(lcg(&s) % NHANDLES);
		uint64_t key = zs_pagemap_key(src, h);
		unsigned gets = ak.gets, sets = ak.sets;
		uint32_t b = zs_pagemap_find(pm, key);

		cr_assert_eq(b, ref[src][h], "step %d: source %u handle %u found %u, bound %u", step,
			     src, h, b, ref[src][h]);
		cr_assert_eq(ak.gets, gets + src, "only the keeping source's keeper is asked");
		if (b == ZS_NIL) {
			b = ref[src][h] = zs_pagemap_insert(pm, key);
			cr_assert_eq(zs_pagemap_key_of(pm, b), key);
			if (src == 1)
				cr_assert_eq(ak.cell[h], b < KEEP_LIMIT ? b : ZS_BIND_UNKEPT);
		} else if (lcg(&s) % 3) {
			zs_pagemap_remove(pm, b);
			ref[src][h] = ZS_NIL;
			if (src == 1) {
				cr_assert_eq(ak.sets, sets + 1, "a removal tells the keeper");
				cr_assert_eq(ak.cell[h], ZS_NIL);
			}
		}
		uint64_t live = 0, indexed = 0;

		if (step % 5000 == 0) {
			for (unsigned x = 0; x < 2; x++)
				for (unsigned i = 0; i < NHANDLES; i++) {
					uint32_t r = ref[x][i];

					cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(x, i)), r);
					live += r != ZS_NIL;
					indexed += r != ZS_NIL && (x == 0 || r >= KEEP_LIMIT);
				}
			cr_assert_eq(zs_pagemap_count(pm), live);
			cr_assert_eq(zs_pagemap_indexed(pm), indexed, "step %d", step);
		}
	}
	zs_pagemap_destroy(pm);
}

/*
 * A keeper that publishes its current handle (zs_bind_cur): the pagemap takes
 * cur's answer without calling get() for that handle, and calls get() for any
 * other, and the answers are what get() would give in both cases.
 */
Test(bind_keeper, pagemap_reads_the_current_handle_without_a_call)
{
	static struct array_keeper ak;
	struct zs_bind_cur cur = {0, ZS_NIL, 0};
	struct zs_bind_keeper k = {.ctx = &ak, .get = array_get, .set = array_set, .cur = &cur};
	struct zs_pagemap *pm = zs_pagemap_create();
	uint64_t s = 11;

	for (unsigned i = 0; i < NHANDLES; i++)
		ak.cell[i] = ZS_NIL;
	zs_pagemap_keep(pm, 0, &k);
	for (int step = 0; step < 20000; step++) {
		unsigned h = (unsigned)(lcg(&s) % NHANDLES), other = (h + 1) % NHANDLES;
		uint32_t b;

		/* the source returns a request for h: its keeper publishes h */
		cur.handle = h;
		cur.bind = ak.cell[h];
		cur.valid = (int)(lcg(&s) % 4 != 0); /* sometimes it does not */
		unsigned gets = ak.gets;

		b = zs_pagemap_find(pm, zs_pagemap_key(0, h));
		cr_assert_eq(b, ak.cell[h] == ZS_BIND_UNKEPT ? b : ak.cell[h]);
		cr_assert_eq(ak.gets, gets + !cur.valid, "step %d: cur %s, %u calls", step,
			     cur.valid ? "valid" : "invalid", ak.gets - gets);
		gets = ak.gets;
		(void)zs_pagemap_find(pm, zs_pagemap_key(0, other));
		cr_assert_eq(ak.gets, gets + 1, "another handle is asked of get()");
		if (b == ZS_NIL) {
			b = zs_pagemap_insert(pm, zs_pagemap_key(0, h));
			cur.bind = ak.cell[h]; /* the keeper keeps cur up to date */
			cr_assert_eq(zs_pagemap_find(pm, zs_pagemap_key(0, h)), b);
		} else if (lcg(&s) % 2) {
			gets = ak.gets;
			zs_pagemap_remove(pm, b);
			cr_assert_eq(ak.gets, gets + !cur.valid, "the removal's own look-up too");
			cr_assert_eq(ak.cell[h], ZS_NIL);
			cur.bind = ZS_NIL;
		}
	}
	zs_pagemap_destroy(pm);
}

static struct zs_trace_cook *
cook_of(void (*write)(struct zs_trace_writer *, uint64_t *), char *path)
{
	struct zs_error err = {0, ""};
	uint64_t seq = 0;
	FILE *f;
	struct zs_trace_writer *w = zt_native_open(path, &f);

	write(w, &seq);
	zt_native_finish(w, f, seq);
	struct zs_trace_cook *c = zs_trace_cook_open(path, ZS_TRACE_NATIVE, 0, &err);
	cr_assert(c, "%s", err.msg);
	return c;
}

static void
write_lifecycle(struct zs_trace_writer *w, uint64_t *seq)
{
	zt_native_put(w, ZS_TEV_ALLOC, 100, 0, seq); /* bound to 5 */
	zt_native_put(w, ZS_TEV_ALLOC, 101, 1, seq); /* bound to 6 */
	zt_native_put(w, ZS_TEV_FREE, 100, 0, seq);
	zt_native_put(w, ZS_TEV_ALLOC, 101, 0, seq); /* 101's free was lost: an implied FREE first */
	zt_native_put(w, ZS_TEV_ALLOC, 102, 0, seq); /* a binding too large to keep */
	zt_native_put(w, ZS_TEV_FREE, 102, 0, seq);
}

/*
 * The cook's keeper as the driver uses it: the pfn of the event just returned
 * reads as it was before that event (a FREE's binding is still there to free,
 * an implied FREE's too), other pfns as their slot says, and a binding past
 * the 24 bits of a live slot is left to the index.
 */
Test(bind_keeper, cook_keeps_each_live_pfns_binding)
{
	char path[64];
	struct zs_error err = {0, ""};
	struct zs_page_event pe;
	struct zs_trace_cook *c = cook_of(write_lifecycle, path);
	const struct zs_bind_keeper *k = zs_trace_cook_keeper(c);

	unlink(path);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.pfn == 100);
	cr_assert_eq(k->get(k->ctx, 100), ZS_NIL);
	cr_assert_eq(k->set(k->ctx, 100, 5), 1);
	cr_assert_eq(k->get(k->ctx, 100), 5);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.pfn == 101 && pe.order == 1);
	cr_assert_eq(k->set(k->ctx, 101, 6), 1);
	/* a pfn other than the current one: looked up in the table */
	cr_assert_eq(k->get(k->ctx, 100), 5);
	cr_assert_eq(k->get(k->ctx, 99), ZS_NIL);

	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_FREE && pe.pfn == 100);
	cr_assert_eq(k->get(k->ctx, 100), 5, "a FREE's pfn keeps its binding until it is issued");
	cr_assert_eq(k->set(k->ctx, 100, ZS_NIL), 1);
	cr_assert_eq(k->get(k->ctx, 100), ZS_NIL);

	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_FREE && pe.pfn == 101 && (pe.flags & ZS_PEF_IMPLIED));
	cr_assert_eq(k->get(k->ctx, 101), 6);
	cr_assert_eq(k->set(k->ctx, 101, ZS_NIL), 1);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.pfn == 101 && pe.order == 0);
	cr_assert_eq(k->get(k->ctx, 101), ZS_NIL, "the new allocation starts unbound");
	cr_assert_eq(k->set(k->ctx, 101, 9), 1);

	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_ALLOC && pe.pfn == 102);
	cr_assert_eq(k->set(k->ctx, 102, (1u << 24) - 3), 1, "the largest binding kept");
	cr_assert_eq(k->get(k->ctx, 102), (1u << 24) - 3);
	cr_assert_eq(k->set(k->ctx, 102, (1u << 24) - 2), 0, "too large: the index keeps it");
	cr_assert_eq(k->get(k->ctx, 102), ZS_BIND_UNKEPT);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 1);
	cr_assert(pe.ev == ZS_PEV_FREE && pe.pfn == 102);
	cr_assert_eq(k->get(k->ctx, 102), ZS_BIND_UNKEPT);
	cr_assert_eq(k->set(k->ctx, 102, ZS_NIL), 1);
	cr_assert_eq(k->get(k->ctx, 101), 9);
	cr_assert_eq(zs_trace_cook_next(c, &pe, &err), 0);
	zs_trace_cook_close(c);
}

/* A binding key holds a 48-bit handle: a replayed pfn beyond it is refused at its line. */
Test(bind_keeper, replay_refuses_a_pfn_beyond_48_bits)
{
	char dir[128], trace[192], args[512], err[1024], sum[256];
	FILE *f;

	zt_tmpdir(dir, sizeof(dir), "keeper");
	snprintf(trace, sizeof(trace), "%s/big.txt", dir);
	f = fopen(trace, "w");
	cr_assert(f);
	fprintf(f, "            perf  6429 [000]    22.498450:             kmem:mm_page_alloc: "
		   "page=0x1 pfn=281474976710655 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		   "            perf  6429 [000]    22.498460:             kmem:mm_page_alloc: "
		   "page=0x2 pfn=281474976710656 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
	cr_assert_eq(fclose(f), 0);
	snprintf(args, sizeof(args), "replay %s -q --out %s/r", trace, dir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65, "%s", err);
	cr_assert(strstr(err, "big.txt:2:") && strstr(err, "pfn 281474976710656"), "%s", err);
	snprintf(sum, sizeof(sum), "%s/r/summary.txt", dir);
	cr_assert(!zt_exists(sum));
	zt_rm_rf(dir);
}

/* ---- the read-ahead hints (zs_bind_prefetch) ---- */

#define HINT_PFNS 64u

struct hint_log {
	uint64_t returned;                  /* events the cook has returned so far */
	uint32_t live[HINT_PFNS];           /* by binding - 100: 1 while bound */
	uint32_t b2[2 * HINT_PFNS + 1];     /* by `returned` when made: the last stage's hint */
	unsigned seen[HINT_PFNS][ZS_BIND_AHEAD]; /* by binding - 100: hinted at each stage */
	unsigned calls, dead;
};

static void
log_hint(void *arg, const uint32_t b[ZS_BIND_AHEAD])
{
	struct hint_log *h = arg;

	h->calls++;
	for (int s = 0; s < ZS_BIND_AHEAD; s++) {
		if (b[s] == ZS_NIL)
			continue;
		cr_assert(b[s] >= 100 && b[s] < 100 + HINT_PFNS, "hint %u is no binding", b[s]);
		h->seen[b[s] - 100][s]++;
		h->dead += !h->live[b[s] - 100];
	}
	cr_assert_eq(h->b2[h->returned], ZS_NIL, "one hint call per event");
	h->b2[h->returned] = b[2];
}

static void
write_alloc_then_free(struct zs_trace_writer *w, uint64_t *seq)
{
	/* pfns in different groups, freed in another order than allocated */
	for (unsigned i = 0; i < HINT_PFNS; i++)
		zt_native_put(w, ZS_TEV_ALLOC, 1000 + 37 * i, 0, seq);
	for (unsigned i = 0; i < HINT_PFNS; i++)
		zt_native_put(w, ZS_TEV_FREE, 1000 + 37 * ((i * 13) % HINT_PFNS), 0, seq);
}

/*
 * The cook hints every binding a FREE will touch at each stage, the last
 * stage while it returns the event before that FREE, and never a
 * binding that is not live; allocations of new pfns have no binding to hint.
 * Near the end of the trace, where the ring is no longer full, hints stop.
 */
Test(bind_keeper, cook_hints_each_freed_binding_before_its_free)
{
	static struct hint_log h;
	char path[64];
	struct zs_error err = {0, ""};
	struct zs_page_event pe;
	struct zs_trace_cook *c = cook_of(write_alloc_then_free, path);
	const struct zs_bind_keeper *k = zs_trace_cook_keeper(c);
	const struct zs_bind_prefetch p = {log_hint, &h};
	unsigned frees = 0, checked = 0;
	uint32_t last_b = ZS_NIL;

	unlink(path);
	cr_assert(k->prefetch);
	k->prefetch(k->ctx, &p);
	for (unsigned i = 0; i < 2 * HINT_PFNS + 1; i++)
		h.b2[i] = ZS_NIL;
	for (uint32_t next_b = 100;;) {
		uint64_t n = h.returned;
		int rc = zs_trace_cook_next(c, &pe, &err);

		if (rc == 0)
			break;
		cr_assert_eq(rc, 1, "%s", err.msg);
		h.returned++;
		if (pe.ev == ZS_PEV_ALLOC) {
			cr_assert_eq(k->get(k->ctx, pe.pfn), ZS_NIL);
			if (h.returned + 16 <= HINT_PFNS)
				cr_assert_eq(h.calls, 0, "the frees are not yet read ahead: no hint");
			h.live[next_b - 100] = 1;
			cr_assert_eq(k->set(k->ctx, pe.pfn, next_b++), 1);
			continue;
		}
		uint32_t b = k->get(k->ctx, pe.pfn);

		cr_assert(b >= 100 && b < 100 + HINT_PFNS);
		frees++;
		/* every FREE but the last few, whose hints the end of the trace cut off */
		if (frees + 16 <= HINT_PFNS) {
			for (int s = 0; s < ZS_BIND_AHEAD; s++)
				cr_assert_eq(h.seen[b - 100][s], 1, "free %u: stage %d hinted %u times",
					     frees, s, h.seen[b - 100][s]);
			/* the call that returned the event before this FREE hinted it */
			cr_assert(n > 0 && h.b2[n - 1] == b, "free %u of %u: the last stage came early",
				  frees, b);
			checked++;
		}
		h.live[b - 100] = 0;
		last_b = b;
		cr_assert_eq(k->set(k->ctx, pe.pfn, ZS_NIL), 1);
	}
	cr_assert_eq(frees, HINT_PFNS);
	cr_assert_eq(checked, HINT_PFNS - 16);
	cr_assert_eq(h.dead, 0, "a hint named a binding already freed");
	/* the last FREE was read ahead only with the trace's end behind it: no hint */
	for (int s = 0; s < ZS_BIND_AHEAD; s++)
		cr_assert_eq(h.seen[last_b - 100][s], 0, "stage %d", s);
	zs_trace_cook_close(c);
}

/* A hint may name any index: the pagemap's peek answers only for slots ever used. */
Test(bind_keeper, peek_answers_only_for_slots_ever_used)
{
	struct zs_pagemap *pm = zs_pagemap_create();
	uint32_t a = zs_pagemap_insert(pm, zs_pagemap_key(0, 7));
	uint32_t b = zs_pagemap_insert(pm, zs_pagemap_key(0, 8));

	cr_assert_eq(zs_pagemap_peek(pm, a), zs_pagemap_at(pm, a));
	cr_assert_eq(zs_pagemap_peek(pm, b), zs_pagemap_at(pm, b));
	cr_assert_null(zs_pagemap_peek(pm, b + 1));
	cr_assert_null(zs_pagemap_peek(pm, ZS_NIL));
	cr_assert_null(zs_pagemap_peek(pm, ZS_BIND_UNKEPT));
	zs_pagemap_remove(pm, a);
	cr_assert_eq(zs_pagemap_peek(pm, a), zs_pagemap_at(pm, a), "a freed slot is still memory");
	zs_pagemap_destroy(pm);
}
