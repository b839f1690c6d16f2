/* trace_cook.c - raw tracepoint events to page ALLOC / FREE events, with real-trace quirks resolved; see trace.h. */
#include "workloads/trace.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc/page.h" /* ZS_NIL */
#include "alloc/pagemap.h"
#include "sim/diag.h"

/*
 * The pfn table: open addressing with linear probing over groups of GROUP
 * consecutive pfns (one hash per group: consecutive pfns, the common case in
 * real traces, share a cache line), keyed by pfn / GROUP + 1 (0 marks an empty
 * group).  Each pfn of a group has a 32-bit slot saying what the last event on
 * it was (0: nothing known):
 *   LIVE     allocated in the trace and not freed since (order kept);
 *   FREED    freed by mm_page_free (a mm_page_free_batched of it may follow);
 *   BATCHED  freed by mm_page_free_batched (or its duplicate already seen).
 * Freed slots are only needed to recognise the batched twin of a free and a
 * repeated free, which come within a few thousand events on real kernels, so a
 * freed slot older than FREE_WINDOW page events counts as absent and is dropped
 * (zeroed) when the table is rebuilt.  Memory is thus bounded by the groups
 * holding live pages or recent frees, not by the length of the trace.
 * DEVIATION: a batched twin or repeated free arriving more than FREE_WINDOW page
 * events after the free it repeats is counted as an unmatched free instead (in the
 * shipped traces the largest gap is 1,059 lines).
 *
 * A slot keeps the page-event sequence number of its last event modulo
 * 2^SEQ_BITS only.  Every SWEEP page events all freed slots older than
 * FREE_WINDOW are zeroed (exactly what a later stale() would say of them), so a
 * slot still holding a sequence number is less than FREE_WINDOW + SWEEP < 2^SEQ_BITS
 * events old and its age modulo 2^SEQ_BITS is its true age.
 *
 * Invariant: used <= cap * 7 / 8 groups after every insert; live_blocks = number of
 * LIVE slots.
 */

#define FREE_WINDOW (UINT64_C(1) << 18)
#define SWEEP (UINT64_C(1) << 22)
#define SEQ_BITS 24
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)
#define GROUP_BITS 3
#define GROUP (1u << GROUP_BITS)
#define INITIAL_CAP (UINT64_C(1) << 13) /* groups */
/*
 * Events read ahead: a group is prefetched as its event is read, looked up for
 * the binding hint LEAD events later, and the hint's stages come SPACING events
 * apart (a cache miss takes about an event's time to be served).
 */
#define LEAD 2
#define SPACING 2
#define AHEAD (ZS_BIND_AHEAD * SPACING + LEAD)

_Static_assert(FREE_WINDOW + SWEEP < (UINT64_C(1) << SEQ_BITS), "slot ages must not wrap");
_Static_assert(ZS_BIND_AHEAD == 3, "look_ahead() passes on three hints");
_Static_assert((AHEAD & (AHEAD - 1)) == 0, "the ring's index is a mask");

enum { ST_LIVE = 1, ST_FREED = 2, ST_BATCHED = 3 };

struct pfn_group {
	uint64_t key;        /* pfn / GROUP + 1; 0 = empty */
	uint32_t val[GROUP]; /* per pfn: state | order << 2 | (seq mod 2^SEQ_BITS) << 8,
			      * a LIVE one: state | order << 2 | bind field << 8 */
};

#define VAL(st, order, seq) \
	((uint32_t)(st) | ((uint32_t)(order) << 2) | ((uint32_t)((seq)&SEQ_MASK) << 8))
#define VAL_STATE(v) ((unsigned)((v)&3))
#define VAL_ORDER(v) ((unsigned)(((v) >> 2) & 0x3f))
#define VAL_SEQ(v) ((uint64_t)(v) >> 8)

/*
 * A LIVE slot has no use for a sequence number (only a free goes stale): its
 * upper 24 bits hold the binding the replay gave the pfn: 0 none, b + 1 for
 * binding b, BIND_UNKEPT when b was too large to hold (the pagemap's index
 * has it).  A fresh allocation starts with none.
 */
#define BIND_UNKEPT ((1u << SEQ_BITS) - 1)
#define BIND_MAX (BIND_UNKEPT - 2) /* the largest binding kept */
#define LIVE_VAL(order, field) ((uint32_t)ST_LIVE | ((uint32_t)(order) << 2) | ((field) << 8))
#define VAL_BIND(v) ((uint32_t)(v) >> 8)

static inline uint32_t
bind_decode(uint32_t field)
{
	return field == 0 ? ZS_NIL : field == BIND_UNKEPT ? ZS_BIND_UNKEPT : field - 1;
}

struct zs_trace_cook {
	struct zs_trace_reader *r;
	struct pfn_group *tab;
	uint64_t cap, used; /* in groups */
	unsigned shift;     /* 64 - log2(cap) */
	uint64_t seq;       /* page events (alloc and free kinds) seen */
	struct zs_trace_counts counts;
	/*
	 * Raw events read ahead, oldest first, in a ring: each read's result and the
	 * reader's counts right after it, and the binding its pfn was seen to have.
	 * The ring is the prefetch pipeline (see look_ahead): the newest entry's group
	 * was prefetched when it was read.  Nothing is read past an end or an error.
	 * The reader fills the entries' buffers; a buffer goes to raw when its entry
	 * is taken, and raw's old one to the entry read next (no copy of a whole event
	 * per event; every reader sets every field it returns).
	 */
	struct zs_trace_event buf[AHEAD + 1];
	struct zs_trace_event *raw;
	struct ahead {
		struct zs_trace_event *ev;
		int rc;
		uint64_t lines, bad_lines, lost_events;
		struct zs_trace_tally tally; /* the other events the read passed over */
	} ahead[AHEAD];
	uint32_t hint[AHEAD]; /* ahead[i]'s hint, the binding its pfn had: ZS_NIL none */
	struct zs_error ahead_err; /* the error of an entry whose rc is -1 (the ring's last) */
	/*
	 * first between nahead and ahead_end: look_ahead tests those two just after
	 * read_ahead stored them, and GCC reads a test of two neighbouring ints as one
	 * 8-byte load, which two 4-byte stores cannot forward to: the load waits for
	 * both to reach the cache (`perf` put a tenth of a Zipf replay's samples on it;
	 * apart, the run takes 1-5 % less CPU).
	 */
	unsigned nahead, first;
	int ahead_end; /* the ring's last entry is an end or an error */
	struct zs_bind_prefetch prefetch; /* fn NULL: no hints asked for */
	struct zs_page_event pending; /* the ALLOC that follows an implied FREE */
	int have_pending;
	int emit_skipped;
	int seen_event;
	/*
	 * The pfn of the last page event returned, its slot (valid until the next
	 * call: only a call changes the table) and the binding the pfn had before
	 * that event: what the keeper says of it while the driver issues it.
	 */
	struct {
		struct zs_bind_cur k; /* handle: the pfn; what the keeper's cur points at */
		uint32_t *slot;
	} cur;
	struct zs_bind_keeper keeper;
	int cooked; /* the reader's is a cooked trace: its records were cooked when written */
};

static inline uint64_t
group_of(const struct zs_trace_cook *c, uint64_t key)
{
	/* Fibonacci hashing: consecutive groups spread over the table. */
	return (key * UINT64_C(0x9E3779B97F4A7C15)) >> c->shift;
}

static struct pfn_group *
find_group(struct zs_trace_cook *c, uint64_t key)
{
	for (uint64_t i = group_of(c, key);; i = (i + 1) & (c->cap - 1)) {
		struct pfn_group *g = &c->tab[i];

		if (g->key == key)
			return g;
		if (g->key == 0)
			return NULL;
	}
}

static int
table_alloc(struct zs_trace_cook *c, uint64_t cap)
{
	unsigned bits = 0;

	c->tab = calloc(cap, sizeof(*c->tab));
	if (!c->tab)
		return -1;
	while ((UINT64_C(1) << bits) < cap)
		bits++;
	c->cap = cap;
	c->shift = 64 - bits;
	c->used = 0;
	return 0;
}

static int
stale(const struct zs_trace_cook *c, uint32_t val)
{
	return VAL_STATE(val) != ST_LIVE && ((c->seq - VAL_SEQ(val)) & SEQ_MASK) > FREE_WINDOW;
}

/* Zero g's stale slots; returns how many slots still say something. */
static unsigned
forget_stale(const struct zs_trace_cook *c, struct pfn_group *g)
{
	unsigned n = 0;

	for (unsigned k = 0; k < GROUP; k++) {
		if (g->val[k] && stale(c, g->val[k]))
			g->val[k] = 0;
		n += g->val[k] != 0;
	}
	return n;
}

/* The page-event sequence number advances; every SWEEP events, forget stale slots. */
static void
next_seq(struct zs_trace_cook *c)
{
	c->seq++;
	if ((c->seq & (SWEEP - 1)) == 0)
		for (uint64_t i = 0; i < c->cap; i++)
			if (c->tab[i].key)
				forget_stale(c, &c->tab[i]);
}

/* Rebuild the table without groups holding only stale slots, doubling it if still 7/16 full. */
static int
rebuild(struct zs_trace_cook *c)
{
	struct pfn_group *old = c->tab;
	uint64_t old_cap = c->cap, keep = 0;

	for (uint64_t i = 0; i < old_cap; i++)
		if (old[i].key && forget_stale(c, &old[i]))
			keep++;
	if (table_alloc(c, keep * 16 > old_cap * 7 ? old_cap * 2 : old_cap) < 0) {
		c->tab = old;
		c->cap = old_cap;
		return -1;
	}
	/* table_alloc changed shift for the new capacity: reinsert */
	for (uint64_t i = 0; i < old_cap; i++) {
		if (!old[i].key || !forget_stale(c, &old[i]))
			continue;
		uint64_t j = group_of(c, old[i].key);

		while (c->tab[j].key)
			j = (j + 1) & (c->cap - 1);
		c->tab[j] = old[i];
		c->used++;
	}
	free(old);
	return 0;
}

/* A new group for key (absent), rebuilding the table if full; NULL when out of memory. */
static __attribute__((noinline)) struct pfn_group *
add_group(struct zs_trace_cook *c, uint64_t key)
{
	uint64_t i;
	struct pfn_group *g;

	if ((c->used + 1) * 8 > c->cap * 7 && rebuild(c) < 0)
		return NULL;
	i = group_of(c, key);
	while (c->tab[i].key)
		i = (i + 1) & (c->cap - 1);
	g = &c->tab[i];
	memset(g, 0, sizeof(*g));
	g->key = key;
	c->used++;
	return g;
}

/*
 * The slot for pfn (0 when nothing is known of it); NULL when out of memory.
 * Inline, the adding apart: it runs once a page event, and as one call with
 * the rebuild in it, it saved every register the rebuild needs each time.
 */
static inline uint32_t *
find_or_add(struct zs_trace_cook *c, uint64_t pfn)
{
	uint64_t key = (pfn >> GROUP_BITS) + 1;
	struct pfn_group *g = find_group(c, key);

	if (!g && !(g = add_group(c, key)))
		return NULL;
	return &g->val[pfn & (GROUP - 1)];
}

struct zs_trace_cook *
zs_trace_cook_new(struct zs_trace_reader *r)
{
	struct zs_trace_cook *c = calloc(1, sizeof(*c));

	if (!c || table_alloc(c, INITIAL_CAP) < 0) {
		free(c);
		return NULL;
	}
	c->r = r;
	c->cooked = zs_trace_is_cooked(r);
	c->raw = &c->buf[AHEAD]; /* nothing read yet: a zeroed event */
	for (unsigned i = 0; i < AHEAD; i++)
		c->ahead[i].ev = &c->buf[i];
	return c;
}

struct zs_trace_cook *
zs_trace_cook_open(const char *path, enum zs_trace_format fmt, int skip_bad_lines,
		   struct zs_error *err)
{
	struct zs_trace_reader *r = zs_trace_open(path, fmt, skip_bad_lines, err);
	struct zs_trace_cook *c;

	if (!r)
		return NULL;
	c = zs_trace_cook_new(r);
	if (!c) {
		zs_trace_close(r);
		zs_error_set(err, EX_OSERR, "%s: out of memory", path);
	}
	return c;
}

void
zs_trace_cook_emit_skipped(struct zs_trace_cook *c, int on)
{
	c->emit_skipped = on;
}

static void
to_page_event(const struct zs_trace_event *ev, enum zs_page_ev kind, unsigned order,
	      unsigned flags, struct zs_page_event *pe)
{
	pe->ev = kind;
	pe->time_ns = ev->time_ns;
	pe->pfn = ev->pfn;
	pe->pid = ev->pid;
	pe->cpu = ev->cpu;
	pe->order = (uint8_t)order;
	pe->migratetype = kind == ZS_PEV_ALLOC ? ev->migratetype : -1;
	pe->gfp_modern = kind == ZS_PEV_ALLOC ? ev->gfp_modern : 0;
	pe->line = ev->line;
	pe->flags = (uint8_t)flags;
}

/* The ring entry `i` events after the next one to be cooked. */
static inline struct ahead *
ahead_at(struct zs_trace_cook *c, unsigned i)
{
	return &c->ahead[(c->first + i) % AHEAD];
}

/* Where in the ring an entry is at stage s of its hint. */
#define STAGE_AT(s) ((unsigned)(ZS_BIND_AHEAD - 1 - (s)) * SPACING)

/*
 * Read one more event into the ring (there is room, and no end or error in it yet).
 * cooked, here and below, is c->cooked passed as a constant, so that each path
 * is compiled for its own kind of trace.
 */
static inline __attribute__((always_inline)) void
read_ahead(struct zs_trace_cook *c, const int cooked)
{
	unsigned i = (c->first + c->nahead) % AHEAD;
	struct ahead *a = &c->ahead[i];
	const struct zs_trace_event *ev = a->ev;

	if (cooked) {
		/* its tallies are rare: an entry's is zeroed once used (read_raw); and it
		 * counts its raw events as its lines (cooked_event) */
		a->rc = zs_trace_read_cooked(c->r, a->ev, &a->tally, &c->ahead_err);
	} else {
		a->tally.n = a->tally.pcpu_drain = a->tally.zone_locked = a->tally.other = 0;
		a->rc = zs_trace_read_pages(c->r, a->ev, &a->tally, &c->ahead_err);
		zs_trace_counts_now(c->r, &a->lines, &a->bad_lines, &a->lost_events);
	}
	c->hint[i] = ZS_NIL;
	c->nahead++;
	c->ahead_end = a->rc != 1;
	if (a->rc == 1) {
		/* the group's key and the pfn's slot: a group can straddle two lines */
		const struct pfn_group *g = &c->tab[group_of(c, (ev->pfn >> GROUP_BITS) + 1)];

		__builtin_prefetch(g);
		__builtin_prefetch(&g->val[ev->pfn & (GROUP - 1)]);
	}
}

/* Fill the ring, up to an end or an error. */
static __attribute__((noinline)) void
fill(struct zs_trace_cook *c)
{
	if (c->cooked)
		while (c->nahead < AHEAD && !c->ahead_end)
			read_ahead(c, 1);
	else
		while (c->nahead < AHEAD && !c->ahead_end)
			read_ahead(c, 0);
}

/* The same, for an event just taken from a full ring: one read, inline (no call
 * to save registers for, once an event). */
static inline __attribute__((always_inline)) void
refill(struct zs_trace_cook *c, const int cooked)
{
	if (c->nahead == AHEAD - 1 && !c->ahead_end)
		read_ahead(c, cooked);
	else
		fill(c);
}

/*
 * The hints for the events read ahead (zs_bind_prefetch), SPACING events
 * between stages: the entry at stage 0's place, whose group was prefetched
 * LEAD events ago, is looked up for the binding its pfn holds, and each entry
 * carries that binding on to the later stages.  A lookup here only reads: the
 * events before may still change the pfn's slot, which makes a hint stale,
 * never wrong.  Near an end or an error (the ring not full of page events)
 * there are none.
 */
static inline void
look_ahead(struct zs_trace_cook *c)
{
	unsigned at = (c->first + STAGE_AT(0)) % AHEAD;
	const struct zs_trace_event *ev = c->ahead[at].ev;
	const struct zs_trace_event *before = ahead_at(c, STAGE_AT(0) - 1)->ev;
	uint32_t b[ZS_BIND_AHEAD];
	uint64_t pfn = ev->pfn;

	if (c->nahead != AHEAD || c->ahead_end)
		return;
	/*
	 * No hint for an allocation (its pfn is new but for a lost free), nor for a pfn
	 * in the group of the event read before it: real traces run through
	 * neighbouring pfns, whose group and bindings that event has just brought in
	 * (on the hog trace these lookups cost more than they saved).
	 */
	if (ev->ev != ZS_TEV_ALLOC && (pfn >> GROUP_BITS) != (before->pfn >> GROUP_BITS)) {
		const struct pfn_group *g = find_group(c, (pfn >> GROUP_BITS) + 1);
		uint32_t v = g ? g->val[pfn & (GROUP - 1)] : 0;

		/* ZS_NIL for none, and for one the pagemap's index holds */
		c->hint[at] = VAL_STATE(v) == ST_LIVE && VAL_BIND(v) != BIND_UNKEPT
				  ? bind_decode(VAL_BIND(v))
				  : ZS_NIL;
	}
	for (int stage = 0; stage < ZS_BIND_AHEAD; stage++)
		b[stage] = c->hint[(c->first + STAGE_AT(stage)) % AHEAD];
	if ((b[0] & b[1] & b[2]) != ZS_NIL)
		c->prefetch.fn(c->prefetch.arg, b);
}

/* The events that are not page events, as if each had been cooked. */
static void
count_others(struct zs_trace_cook *c, const struct zs_trace_tally *t)
{
	struct zs_trace_counts *k = &c->counts;

	if (!t->n)
		return;
	k->events += t->n;
	if (!c->seen_event || t->min_ns < k->first_ns)
		k->first_ns = t->min_ns;
	if (!c->seen_event || t->max_ns > k->last_ns)
		k->last_ns = t->max_ns;
	c->seen_event = 1;
	/* a per-cpu list handing pages back to the buddy (not a free), a per-cpu list
	 * refill (percpu_refill=1: not an allocation), anything else */
	k->pcpu_drain += t->pcpu_drain;
	k->zone_locked += t->zone_locked;
	k->other_events += t->other;
	/* a cooked trace's tally: what its cook consumed */
	k->alloc_failed_in_trace += t->alloc_failed;
	k->unmatched_frees += t->unmatched;
	k->duplicate_batched_frees += t->duplicate;
	k->double_frees += t->double_frees;
}

/*
 * The next raw event in c->raw, with the reader's counts as they were right
 * after reading it: what zs_trace_read() would give, read AHEAD events in
 * advance.  After an end or an error nothing more is read ahead (the next call
 * reads again).
 */
static inline __attribute__((always_inline)) int
read_raw(struct zs_trace_cook *c, struct zs_error *err, const int cooked)
{
	struct ahead *a;
	int rc;

	if (!c->nahead)
		fill(c);
	a = &c->ahead[c->first];
	rc = a->rc;
	c->first = (c->first + 1) % AHEAD;
	if (!--c->nahead)
		c->ahead_end = 0;
	if (cooked) {
		if (a->tally.n) {
			count_others(c, &a->tally);
			memset(&a->tally, 0, sizeof(a->tally));
		}
		c->counts.lines = c->counts.events;
	} else {
		count_others(c, &a->tally);
		c->counts.lines = a->lines;
		c->counts.bad_lines = a->bad_lines;
		c->counts.lost_events = a->lost_events;
	}
	if (rc < 0)
		*err = c->ahead_err;
	if (rc != 1)
		return rc;
	/* the buffer just taken becomes raw; raw's old one is the next read's */
	struct zs_trace_event *old = c->raw;

	c->raw = a->ev;
	a->ev = old;
	refill(c, cooked);
	if (c->prefetch.fn)
		look_ahead(c);
	return rc;
}

static int
oom(struct zs_error *err)
{
	return zs_error_set(err, EX_OSERR, "out of memory tracking live pages");
}

static inline void
set_cur(struct zs_trace_cook *c, uint64_t pfn, uint32_t *slot, uint32_t bind)
{
	c->cur.k.handle = pfn;
	c->cur.slot = slot;
	c->cur.k.bind = bind;
	c->cur.k.valid = 1;
}

/* An allocation: returns 1 with *pe set (maybe an implied FREE, the ALLOC pending). */
static int
cook_alloc(struct zs_trace_cook *c, struct zs_page_event *pe, struct zs_error *err)
{
	const struct zs_trace_event *ev = c->raw;
	struct zs_trace_counts *k = &c->counts;
	uint32_t *s;
	unsigned order = ev->order;

	/* KERNEL: modern include/trace/events/kmem.h prints pfn 0 and a NULL page when
	 * the allocation returned no page. */
	if (ev->pfn == 0 && (ev->flags & ZS_TEVF_PAGE_NULL)) {
		k->alloc_failed_in_trace++;
		return 0;
	}
	next_seq(c);
	s = find_or_add(c, ev->pfn);
	if (!s)
		return oom(err);
	k->allocs_by_order[order]++;
	uint32_t field = 0;

	if (*s && VAL_STATE(*s) == ST_LIVE) {
		/* The trace lost this pfn's free: free the old block first (its binding
		 * stays in the slot until that FREE is issued). */
		unsigned old = VAL_ORDER(*s);

		field = VAL_BIND(*s);
		k->realloc_live++;
		k->live_pages -= UINT64_C(1) << old;
		k->live_blocks--;
		to_page_event(ev, ZS_PEV_FREE, old, ZS_PEF_IMPLIED, pe);
		to_page_event(ev, ZS_PEV_ALLOC, order, 0, &c->pending);
		c->have_pending = 1;
	} else {
		to_page_event(ev, ZS_PEV_ALLOC, order, 0, pe);
	}
	*s = LIVE_VAL(order, field);
	set_cur(c, ev->pfn, s, bind_decode(field));
	k->live_blocks++;
	k->live_pages += UINT64_C(1) << order;
	if (k->live_pages > k->peak_live_pages)
		k->peak_live_pages = k->live_pages;
	return 1;
}

/* A free or batched free: 1 with *pe when it is returned, 0 when consumed. */
static int
cook_free(struct zs_trace_cook *c, struct zs_page_event *pe, struct zs_error *err)
{
	const struct zs_trace_event *ev = c->raw;
	struct zs_trace_counts *k = &c->counts;
	int batched = ev->ev == ZS_TEV_FREE_BATCHED;
	unsigned new_state = batched ? ST_BATCHED : ST_FREED, flag;
	uint32_t *s;

	next_seq(c);
	s = find_or_add(c, ev->pfn);
	if (!s)
		return oom(err);
	if (*s && VAL_STATE(*s) == ST_LIVE) {
		unsigned order = VAL_ORDER(*s);

		/* a batched report prints order=0 whatever the page's order */
		if (ev->order != order && !(batched && ev->order == 0))
			k->free_order_mismatch++;
		k->frees_by_order[order]++;
		k->live_blocks--;
		k->live_pages -= UINT64_C(1) << order;
		set_cur(c, ev->pfn, s, bind_decode(VAL_BIND(*s)));
		*s = VAL(new_state, order, c->seq);
		to_page_event(ev, ZS_PEV_FREE, order, 0, pe);
		return 1;
	}
	if (*s && !stale(c, *s)) {
		if (batched && VAL_STATE(*s) == ST_FREED) {
			/* Modern kernels: mm_page_free then mm_page_free_batched, same page. */
			k->duplicate_batched_frees++;
			flag = ZS_PEF_DUPLICATE;
		} else {
			k->double_frees++;
			flag = ZS_PEF_DOUBLE;
		}
	} else {
		/* Allocated before recording began (or so long ago it was forgotten). */
		k->unmatched_frees++;
		flag = ZS_PEF_UNMATCHED;
	}
	*s = VAL(new_state, ev->order, c->seq);
	if (!c->emit_skipped)
		return 0;
	set_cur(c, ev->pfn, s, ZS_NIL);
	to_page_event(ev, ZS_PEV_FREE, ev->order, flag, pe);
	return 1;
}

/* The event a cooked trace's record stands for is counted (as cook_next does a raw one). */
static inline void
count_event(struct zs_trace_cook *c, int64_t time_ns)
{
	struct zs_trace_counts *k = &c->counts;

	k->events++;
	if (!c->seen_event || time_ns < k->first_ns)
		k->first_ns = time_ns;
	if (!c->seen_event || time_ns > k->last_ns)
		k->last_ns = time_ns;
	c->seen_event = 1;
}

static inline void
count_alloc(struct zs_trace_counts *k, unsigned order)
{
	k->allocs_by_order[order]++;
	k->live_blocks++;
	k->live_pages += UINT64_C(1) << order;
	if (k->live_pages > k->peak_live_pages)
		k->peak_live_pages = k->live_pages;
}

static int
cooked_wrong(const struct zs_trace_cook *c, struct zs_error *err, const char *what)
{
	return zs_error_set(err, EX_DATAERR, "%s:%llu: %s", zs_trace_path(c->r),
			    (unsigned long long)c->raw->record, what);
}

/*
 * A cooked trace's page record: what cook_alloc / cook_free returned when it was
 * written, with the counts they kept.  The pfn table's slots hold only live pfns here,
 * for the bindings and to refuse a record no cook could have written (its
 * skipped frees came as counts, in tallies).  1 with *pe, -1 with err (never 0).
 */
static int
cooked_event(struct zs_trace_cook *c, struct zs_page_event *pe, struct zs_error *err)
{
	const struct zs_trace_event *ev = c->raw;
	struct zs_trace_counts *k = &c->counts;
	unsigned flags = ev->flags, order = ev->order;
	uint32_t *s, bind;

	/* the allocation after an implied free is the free's raw event, counted with it */
	if (!(flags & ZS_TRACE_COOKED_PENDING))
		count_event(c, ev->time_ns);
	if (ev->ev == ZS_TEV_ALLOC) {
		s = find_or_add(c, ev->pfn);
		if (!s)
			return oom(err);
		if (*s)
			return cooked_wrong(c, err, "an allocation of a pfn still live");
		if (!(flags & ZS_TRACE_COOKED_PENDING))
			count_alloc(k, order);
		*s = LIVE_VAL(order, 0);
		set_cur(c, ev->pfn, s, ZS_NIL);
		to_page_event(ev, ZS_PEV_ALLOC, order, 0, pe);
		c->counts.lines = k->events;
		return 1;
	}
	const struct pfn_group *g = find_group(c, (ev->pfn >> GROUP_BITS) + 1);

	s = g ? (uint32_t *)&g->val[ev->pfn & (GROUP - 1)] : NULL;
	if (!s || VAL_STATE(*s) != ST_LIVE || VAL_ORDER(*s) != order)
		return cooked_wrong(c, err, "a free of a pfn not live at that order");
	k->live_blocks--;
	k->live_pages -= UINT64_C(1) << order;
	if (flags & ZS_PEF_IMPLIED) {
		k->realloc_live++;
		count_alloc(k, ev->implied_by);
	} else {
		k->frees_by_order[order]++;
		k->free_order_mismatch += (flags & ZS_TRACE_COOKED_MISMATCH) != 0;
	}
	bind = bind_decode(VAL_BIND(*s));
	/* a group left with no live pfn goes at the next rebuild, as one of stale frees */
	*s = 0;
	set_cur(c, ev->pfn, s, bind);
	to_page_event(ev, ZS_PEV_FREE, order, flags & ZS_PEF_IMPLIED, pe);
	c->counts.lines = k->events;
	return 1;
}

/* zs_trace_cook_next() of a cooked trace: a function of its own, which saves only
 * the registers its path needs. */
static __attribute__((noinline)) int
cooked_next(struct zs_trace_cook *c, struct zs_page_event *pe, struct zs_error *err)
{
	int rc;

	c->cur.k.valid = 0;
	rc = read_raw(c, err, 1);
	if (rc <= 0)
		return rc;
	return cooked_event(c, pe, err);
}

int
zs_trace_cook_next(struct zs_trace_cook *c, struct zs_page_event *pe, struct zs_error *err)
{
	struct zs_trace_counts *k = &c->counts;

	if (c->cooked)
		return cooked_next(c, pe, err);
	if (c->have_pending) {
		/* the implied FREE before it was issued: the slot holds what is left */
		*pe = c->pending;
		c->have_pending = 0;
		c->cur.k.bind = bind_decode(VAL_BIND(*c->cur.slot));
		return 1;
	}
	c->cur.k.valid = 0;
	for (;;) {
		int rc = read_raw(c, err, 0);

		if (rc <= 0)
			return rc;
		k->events++;
		if (!c->seen_event || c->raw->time_ns < k->first_ns)
			k->first_ns = c->raw->time_ns;
		if (!c->seen_event || c->raw->time_ns > k->last_ns)
			k->last_ns = c->raw->time_ns;
		c->seen_event = 1;
		switch (c->raw->ev) {
		case ZS_TEV_ALLOC:
			rc = cook_alloc(c, pe, err);
			break;
		default: /* zs_trace_read_pages() returns page events only */
			rc = cook_free(c, pe, err);
			break;
		}
		if (rc != 0)
			return rc;
	}
}

const struct zs_trace_event *
zs_trace_cook_raw(const struct zs_trace_cook *c)
{
	return c->raw;
}

/* zs_bind_keeper.get over the cook's pfns: see trace.h. */
static uint32_t
keeper_get(void *ctx, uint64_t pfn)
{
	struct zs_trace_cook *c = ctx;
	const struct pfn_group *g;
	uint32_t v;

	if (c->cur.k.valid && pfn == c->cur.k.handle)
		return c->cur.k.bind;
	g = find_group(c, (pfn >> GROUP_BITS) + 1);
	v = g ? g->val[pfn & (GROUP - 1)] : 0;
	return VAL_STATE(v) == ST_LIVE ? bind_decode(VAL_BIND(v)) : ZS_NIL;
}

/* zs_bind_keeper.set: keep b (ZS_NIL: none) for pfn; 0 when b is too large to keep. */
static int
keeper_set(void *ctx, uint64_t pfn, uint32_t b)
{
	struct zs_trace_cook *c = ctx;
	uint32_t field = b == ZS_NIL ? 0 : b <= BIND_MAX ? b + 1 : BIND_UNKEPT;
	uint32_t *s;

	if (c->cur.k.valid && pfn == c->cur.k.handle) {
		c->cur.k.bind = bind_decode(field);
		s = c->cur.slot;
	} else {
		struct pfn_group *g = find_group(c, (pfn >> GROUP_BITS) + 1);

		s = g ? &g->val[pfn & (GROUP - 1)] : NULL;
	}
	if (s && VAL_STATE(*s) == ST_LIVE)
		*s = LIVE_VAL(VAL_ORDER(*s), field);
	else
		/* a binding is made only for an allocation, whose pfn is live */
		ZS_BUG_ON(b != ZS_NIL);
	return field != BIND_UNKEPT;
}

/* zs_bind_keeper.prefetch: hints for the events read ahead from now on. */
static void
keeper_prefetch(void *ctx, const struct zs_bind_prefetch *p)
{
	struct zs_trace_cook *c = ctx;

	c->prefetch = *p;
}

const struct zs_bind_keeper *
zs_trace_cook_keeper(struct zs_trace_cook *c)
{
	c->keeper = (struct zs_bind_keeper){
		.ctx = c,
		.get = keeper_get,
		.set = keeper_set,
		.prefetch = keeper_prefetch,
		.cur = &c->cur.k};
	return &c->keeper;
}

const struct zs_trace_counts *
zs_trace_cook_counts(const struct zs_trace_cook *c)
{
	return &c->counts;
}

const struct zs_trace_reader *
zs_trace_cook_reader(const struct zs_trace_cook *c)
{
	return c->r;
}

void
zs_trace_cook_close(struct zs_trace_cook *c)
{
	if (!c)
		return;
	zs_trace_close(c->r);
	free(c->tab);
	free(c);
}
