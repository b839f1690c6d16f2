/* trace_native.c - zsim's native binary trace format: writer and reader; layout in trace.h. */
#include "workloads/trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/diag.h"

/*
 * Fixed 48-byte records read straight out of the decoded window: no text, no
 * per-record allocation, so replay runs at memory speed.  Comms are interned:
 * each distinct name is written once, as a comm record, before its first use.
 */

#define REC ZS_TRACE_NATIVE_RECORD
#define HDR ZS_TRACE_NATIVE_HEADER

_Static_assert(sizeof(ZS_TRACE_NATIVE_MAGIC) == 8, "the magic is 7 chars and a NUL");

/* ---- little-endian fields ---- */

static inline void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline void
put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline uint64_t
get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* ==================== writer ==================== */

#define WBUF_RECORDS 1024
#define NO_COMM UINT32_MAX

struct comm_slot {
	char name[32];
	uint32_t id; /* NO_COMM = empty slot */
};

struct zs_trace_writer {
	FILE *fp;
	char *name;
	long header_at; /* file offset of the header, -1 when fp cannot seek */
	uint64_t count;
	unsigned char buf[WBUF_RECORDS * REC];
	size_t used;
	/* comm interning: open addressing over names */
	struct comm_slot *comms;
	uint32_t nr_comms, cap_comms; /* cap is a power of two, kept at most half full */
	char last_comm[32];
	uint32_t last_id;
	uint32_t version; /* ZS_TRACE_NATIVE_VERSION or ZS_TRACE_NATIVE_COOKED */
};

static int
w_flush(struct zs_trace_writer *w, struct zs_error *err)
{
	if (w->used && fwrite(w->buf, 1, w->used, w->fp) != w->used)
		return zs_error_set(err, EX_IOERR, "%s: %s", w->name, strerror(errno));
	w->used = 0;
	return 0;
}

static unsigned char *
w_slot(struct zs_trace_writer *w, struct zs_error *err)
{
	unsigned char *p;

	if (w->used == sizeof(w->buf) && w_flush(w, err) < 0)
		return NULL;
	p = w->buf + w->used;
	w->used += REC;
	memset(p, 0, REC);
	return p;
}

static uint32_t
hash_name(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int
comm_grow(struct zs_trace_writer *w)
{
	uint32_t cap = w->cap_comms ? w->cap_comms * 2 : 256;
	struct comm_slot *t = malloc(sizeof(*t) * cap);

	if (!t)
		return -1;
	for (uint32_t i = 0; i < cap; i++)
		t[i].id = NO_COMM;
	for (uint32_t i = 0; i < w->cap_comms; i++) {
		if (w->comms[i].id == NO_COMM)
			continue;
		uint32_t h = hash_name(w->comms[i].name) & (cap - 1);

		while (t[h].id != NO_COMM)
			h = (h + 1) & (cap - 1);
		t[h] = w->comms[i];
	}
	free(w->comms);
	w->comms = t;
	w->cap_comms = cap;
	return 0;
}

/* The id of comm, writing a comm record the first time it is seen; NO_COMM on error. */
static uint32_t
comm_id(struct zs_trace_writer *w, const char *comm, struct zs_error *err)
{
	char name[32];
	unsigned char *p;
	uint32_t h;

	size_t n = strnlen(comm, sizeof(name) - 1);

	memset(name, 0, sizeof(name));
	memcpy(name, comm, n);
	if (w->last_id != NO_COMM && memcmp(name, w->last_comm, sizeof(name)) == 0)
		return w->last_id;
	if ((w->nr_comms + 1) * 2 > w->cap_comms && comm_grow(w) < 0) {
		zs_error_set(err, EX_OSERR, "%s: out of memory", w->name);
		return NO_COMM;
	}
	h = hash_name(name) & (w->cap_comms - 1);
	while (w->comms[h].id != NO_COMM && memcmp(w->comms[h].name, name, sizeof(name)) != 0)
		h = (h + 1) & (w->cap_comms - 1);
	if (w->comms[h].id == NO_COMM) {
		p = w_slot(w, err);
		if (!p)
			return NO_COMM;
		put32(p, w->nr_comms);
		memcpy(p + 8, name, sizeof(name));
		p[43] = ZS_TRACE_NATIVE_COMM;
		memcpy(w->comms[h].name, name, sizeof(name));
		w->comms[h].id = w->nr_comms++;
	}
	memcpy(w->last_comm, name, sizeof(name));
	w->last_id = w->comms[h].id;
	return w->last_id;
}

static void
encode_header(unsigned char *h, uint32_t version, enum zs_trace_format source)
{
	memset(h, 0, HDR);
	memcpy(h, ZS_TRACE_NATIVE_MAGIC, 8);
	put32(h + 8, version);
	put32(h + 12, REC);
	put32(h + 24, (uint32_t)source);
}

static struct zs_trace_writer *
create(FILE *fp, const char *name, uint32_t version, enum zs_trace_format source,
       struct zs_error *err)
{
	struct zs_trace_writer *w = calloc(1, sizeof(*w));
	unsigned char h[HDR];

	if (!w || !(w->name = strdup(name))) {
		free(w);
		zs_error_set(err, EX_OSERR, "%s: out of memory", name);
		return NULL;
	}
	w->fp = fp;
	w->last_id = NO_COMM;
	w->version = version;
	w->header_at = ftell(fp);
	encode_header(h, version, source);
	if (fwrite(h, 1, HDR, fp) != HDR) {
		zs_error_set(err, EX_IOERR, "%s: %s", name, strerror(errno));
		zs_trace_native_abort(w);
		return NULL;
	}
	return w;
}

struct zs_trace_writer *
zs_trace_native_create(FILE *fp, const char *name, enum zs_trace_format source,
		       struct zs_error *err)
{
	return create(fp, name, ZS_TRACE_NATIVE_VERSION, source, err);
}

struct zs_trace_writer *
zs_trace_native_create_cooked(FILE *fp, const char *name, enum zs_trace_format source,
			      struct zs_error *err)
{
	return create(fp, name, ZS_TRACE_NATIVE_COOKED, source, err);
}

int
zs_trace_native_put(struct zs_trace_writer *w, const struct zs_trace_event *ev,
		    struct zs_error *err)
{
	uint32_t id;
	unsigned char *p;

	ZS_BUG_ON(w->version != ZS_TRACE_NATIVE_VERSION);
	id = comm_id(w, ev->comm, err);
	if (id == NO_COMM)
		return -1;
	p = w_slot(w, err);
	if (!p)
		return -1;
	put64(p, (uint64_t)ev->time_ns);
	put64(p + 8, ev->pfn);
	put64(p + 16, ev->gfp_modern);
	put64(p + 24, ev->line);
	put32(p + 32, ev->pid);
	put32(p + 36, id);
	put16(p + 40, ev->cpu);
	p[42] = ev->order;
	p[43] = (unsigned char)ev->ev;
	p[44] = (unsigned char)ev->migratetype;
	p[45] = ev->flags;
	w->count++;
	return 0;
}

int
zs_trace_native_put_page(struct zs_trace_writer *w, const struct zs_page_event *pe,
			 unsigned flags, unsigned implied_by, struct zs_error *err)
{
	unsigned char *p;

	ZS_BUG_ON(w->version != ZS_TRACE_NATIVE_COOKED);
	p = w_slot(w, err);
	if (!p)
		return -1;
	put64(p, (uint64_t)pe->time_ns);
	put64(p + 8, pe->pfn);
	put64(p + 16, pe->gfp_modern);
	put64(p + 24, pe->line);
	put32(p + 32, pe->pid);
	put16(p + 40, pe->cpu);
	p[42] = pe->order;
	p[43] = pe->ev == ZS_PEV_ALLOC ? ZS_TEV_ALLOC : ZS_TEV_FREE;
	p[44] = (unsigned char)pe->migratetype;
	p[45] = (unsigned char)flags;
	p[46] = (unsigned char)implied_by;
	w->count++;
	return 0;
}

/* The most of each count one tally record carries: its u32 ones sum within the
 * events field; its double frees are a u16. */
#define TALLY_PART ((UINT64_C(1) << 28) - 1)
#define TALLY_DOUBLE UINT64_C(0xffff)

static inline uint64_t
take(uint64_t *left, uint64_t most)
{
	uint64_t n = *left < most ? *left : most;

	*left -= n;
	return n;
}

int
zs_trace_native_put_tally(struct zs_trace_writer *w, const struct zs_trace_tally *t,
			  int64_t first_ns, int64_t last_ns, struct zs_error *err)
{
	uint64_t left[7] = { t->pcpu_drain, t->zone_locked, t->other, t->alloc_failed,
			     t->unmatched, t->duplicate, t->double_frees };
	uint64_t all = 0;

	ZS_BUG_ON(w->version != ZS_TRACE_NATIVE_COOKED);
	for (int i = 0; i < 7; i++)
		all += left[i];
	ZS_BUG_ON(all != t->n);
	while (all) {
		unsigned char *p = w_slot(w, err);
		uint32_t part, sum = 0;

		if (!p)
			return -1;
		put64(p, (uint64_t)first_ns);
		put64(p + 8, (uint64_t)last_ns);
		for (int i = 0; i < 6; i++) {
			part = (uint32_t)take(&left[i], TALLY_PART);
			put32(p + 16 + 4 * i, part);
			sum += part;
		}
		part = (uint32_t)take(&left[6], TALLY_DOUBLE);
		put16(p + 40, (uint16_t)part);
		sum += part;
		p[43] = ZS_TRACE_COOKED_TALLY;
		put32(p + 44, sum);
		all -= sum;
		w->count++;
	}
	return 0;
}

int
zs_trace_native_finish(struct zs_trace_writer *w, uint64_t source_lines, struct zs_error *err)
{
	int rc = w_flush(w, err);

	/* The count lets a reader tell a whole file from a truncated one; a pipe keeps 0. */
	if (rc == 0 && w->header_at >= 0) {
		unsigned char f[8];

		put64(f, w->count);
		if (fseek(w->fp, w->header_at + 16, SEEK_SET) != 0 || fwrite(f, 1, 8, w->fp) != 8)
			rc = -1;
		put64(f, source_lines);
		if (rc == 0 && (fseek(w->fp, w->header_at + 32, SEEK_SET) != 0 ||
				fwrite(f, 1, 8, w->fp) != 8 || fseek(w->fp, 0, SEEK_END) != 0))
			rc = -1;
		if (rc < 0)
			zs_error_set(err, EX_IOERR, "%s: %s", w->name, strerror(errno));
	}
	if (rc == 0 && fflush(w->fp) != 0)
		rc = zs_error_set(err, EX_IOERR, "%s: %s", w->name, strerror(errno));
	zs_trace_native_abort(w);
	return rc;
}

void
zs_trace_native_abort(struct zs_trace_writer *w)
{
	if (!w)
		return;
	free(w->comms);
	free(w->name);
	free(w);
}

/* ==================== reader ==================== */

int
zs_trace_native_probe(const unsigned char *buf, size_t len)
{
	return len >= 8 && memcmp(buf, ZS_TRACE_NATIVE_MAGIC, 8) == 0;
}

int
zs_trace_native_begin(struct zs_tin *t, struct zs_trace_native_state *st, struct zs_error *err)
{
	const unsigned char *h;
	size_t avail;
	long n = zs_tin_fill(t, HDR, err);

	if (n < 0)
		return -1;
	h = zs_tin_data(t, &avail);
	if (avail < 8 || !zs_trace_native_probe(h, avail))
		return zs_error_set(err, EX_DATAERR, "%s: not a zsim native trace (bad magic)",
				    zs_tin_path(t));
	if (avail < HDR)
		return zs_error_set(err, EX_DATAERR, "%s: truncated native header",
				    zs_tin_path(t));
	if ((get32(h + 8) != ZS_TRACE_NATIVE_VERSION && get32(h + 8) != ZS_TRACE_NATIVE_COOKED) ||
	    get32(h + 12) != REC)
		return zs_error_set(err, EX_DATAERR,
				    "%s: native trace version %u record size %u, zsim reads "
				    "versions %u and %u, size %u",
				    zs_tin_path(t), get32(h + 8), get32(h + 12),
				    ZS_TRACE_NATIVE_VERSION, ZS_TRACE_NATIVE_COOKED, REC);
	st->cooked = get32(h + 8) == ZS_TRACE_NATIVE_COOKED;
	st->expected = get64(h + 16);
	st->source_lines = get64(h + 32);
	st->records = st->file_records = 0;
	st->want_pending = 0;
	zs_tin_consume(t, HDR);
	return 0;
}

static int
rec_error(struct zs_tin *t, struct zs_trace_native_state *st, struct zs_error *err,
	  const char *what)
{
	return zs_error_set(err, EX_DATAERR, "%s:%llu: %s", zs_tin_path(t),
			    (unsigned long long)st->records + st->nr_comms + 1, what);
}

/* The fields both versions' event records share (kind at 43: range-checked before). */
static inline void
decode_event(const unsigned char *p, struct zs_trace_event *ev)
{
	ev->ev = (enum zs_trace_ev)p[43];
	ev->time_ns = (int64_t)get64(p);
	ev->pfn = get64(p + 8);
	ev->gfp_modern = get64(p + 16);
	ev->line = get64(p + 24);
	ev->pid = get32(p + 32);
	ev->cpu = get16(p + 40);
	ev->order = p[42];
	ev->migratetype = (int8_t)p[44];
	ev->flags = p[45];
}

static __attribute__((noinline, cold)) int
cooked_error(struct zs_tin *t, const struct zs_trace_native_state *st, struct zs_error *err,
	     const char *what)
{
	return zs_error_set(err, EX_DATAERR, "%s:%llu: %s", zs_tin_path(t),
			    (unsigned long long)st->file_records + 1, what);
}

/* A tally record at p, added to *tally; 0 or -1 with err (apart: tallies are rare). */
static __attribute__((noinline)) int
cooked_tally(struct zs_tin *t, struct zs_trace_native_state *st, const unsigned char *p,
	     struct zs_trace_tally *tally, struct zs_error *err)
{
	int64_t first = (int64_t)get64(p), last = (int64_t)get64(p + 8);
	uint32_t n = get32(p + 44);
	uint64_t part[7], sum = 0;

	for (int i = 0; i < 6; i++)
		sum += part[i] = get32(p + 16 + 4 * i);
	sum += part[6] = get16(p + 40);
	if (!n || sum != n || p[42])
		return cooked_error(t, st, err, "tally record: its counts do not add up to its events");
	if (first > last)
		return cooked_error(t, st, err, "tally record: first timestamp after the last");
	if (!tally->n || first < tally->min_ns)
		tally->min_ns = first;
	if (!tally->n || last > tally->max_ns)
		tally->max_ns = last;
	tally->n += n;
	tally->pcpu_drain += part[0];
	tally->zone_locked += part[1];
	tally->other += part[2];
	tally->alloc_failed += part[3];
	tally->unmatched += part[4];
	tally->duplicate += part[5];
	tally->double_frees += part[6];
	st->records += n;
	return 0;
}

/* What is wrong with a page record's kind, flags and orders, or NULL. */
static __attribute__((noinline)) const char *
cooked_page_wrong(struct zs_trace_native_state *st, const unsigned char *p)
{
	const unsigned known = ZS_PEF_IMPLIED | ZS_TRACE_COOKED_MISMATCH | ZS_TRACE_COOKED_PENDING;
	unsigned kind = p[43], flags = p[45], implied_by = p[46];
	uint64_t pfn = get64(p + 8);

	if (kind > ZS_TEV_FREE)
		return "unknown record kind";
	if (p[42] >= ZS_TRACE_MAX_ORDER)
		return "order out of range";
	if (flags & ~known)
		return "unknown flags";
	if (kind == ZS_TEV_ALLOC) {
		int pending = (flags & ZS_TRACE_COOKED_PENDING) != 0;

		if (flags & ~ZS_TRACE_COOKED_PENDING || implied_by)
			return "an allocation with a free's flags";
		if (pending != st->want_pending)
			return pending ? "an allocation after an implied free that is not there"
				       : "an implied free not followed by its allocation";
		if (pending && (pfn != st->pending_pfn || p[42] != st->pending_order))
			return "an implied free and its allocation disagree on the pfn or order";
		st->want_pending = 0;
		return NULL;
	}
	if (st->want_pending)
		return "an implied free not followed by its allocation";
	if ((flags & ZS_TRACE_COOKED_PENDING) ||
	    ((flags & ZS_PEF_IMPLIED) && (flags & ZS_TRACE_COOKED_MISMATCH)))
		return "a free with flags that contradict each other";
	if (!(flags & ZS_PEF_IMPLIED))
		return implied_by ? "an allocation order on a free that is not implied" : NULL;
	if (implied_by >= ZS_TRACE_MAX_ORDER)
		return "order out of range";
	st->want_pending = 1;
	st->pending_pfn = pfn;
	st->pending_order = (uint8_t)implied_by;
	return NULL;
}

/* The end of a cooked trace, or a short read there (n bytes left): 0, or -1 with err. */
static __attribute__((noinline)) int
cooked_end(struct zs_tin *t, const struct zs_trace_native_state *st, long n,
	   struct zs_error *err)
{
	if (n < 0)
		return -1;
	if (n > 0)
		return cooked_error(t, st, err, "truncated record");
	if (st->want_pending)
		return cooked_error(t, st, err, "the trace ends after an implied free, without its "
					       "allocation");
	if (st->expected && st->file_records != st->expected)
		return zs_error_set(err, EX_DATAERR, "%s: %llu records, the header says %llu "
						     "(truncated file?)",
				    zs_tin_path(t), (unsigned long long)st->file_records,
				    (unsigned long long)st->expected);
	return 0;
}

int
zs_trace_native_next_cooked(struct zs_tin *t, struct zs_trace_native_state *st,
			    struct zs_trace_event *ev, struct zs_trace_tally *tally,
			    struct zs_error *err)
{
	if (!tally)
		return zs_error_set(err, EX_DATAERR,
				    "%s: a cooked native trace holds page events, not the raw "
				    "tracepoint events: convert the original trace instead "
				    "(--to native-raw keeps them in native form)",
				    zs_tin_path(t));
	for (;;) {
		long n;
		const unsigned char *p = zs_tin_peek(t, REC, &n, err);
		const char *wrong;

		if (n < (long)REC)
			return cooked_end(t, st, n, err);
		if (p[43] == ZS_TRACE_COOKED_TALLY) {
			if (st->want_pending)
				return cooked_error(t, st, err,
						    "an implied free not followed by its allocation");
			if (cooked_tally(t, st, p, tally, err) < 0)
				return -1;
			st->file_records++;
			zs_tin_consume(t, REC);
			continue;
		}
		/* the common record, a plain ALLOC or FREE with nothing pending, in one test */
		if (((unsigned)(p[43] > ZS_TEV_FREE) | p[45] | p[46] |
		     (unsigned)(p[42] >= ZS_TRACE_MAX_ORDER) | (unsigned)st->want_pending) &&
		    (wrong = cooked_page_wrong(st, p)))
			return cooked_error(t, st, err, wrong);
		decode_event(p, ev);
		ev->implied_by = p[46];
		ev->record = ++st->file_records;
		ev->comm[0] = '\0';
		st->records += !(ev->flags & ZS_TRACE_COOKED_PENDING);
		zs_tin_consume(t, REC);
		return 1;
	}
}

int
zs_trace_native_next(struct zs_tin *t, struct zs_trace_native_state *st,
		     struct zs_trace_event *ev, struct zs_trace_tally *tally, struct zs_error *err)
{
	if (st->cooked)
		return zs_trace_native_next_cooked(t, st, ev, tally, err);
	for (;;) {
		long n;
		const unsigned char *p = zs_tin_peek(t, REC, &n, err);

		if (n < 0)
			return -1;
		if (n == 0) {
			if (st->expected && st->records != st->expected)
				return zs_error_set(err, EX_DATAERR,
						    "%s: %llu event records, the header says %llu "
						    "(truncated file?)",
						    zs_tin_path(t), (unsigned long long)st->records,
						    (unsigned long long)st->expected);
			return 0;
		}
		if (n < (long)REC)
			return rec_error(t, st, err, "truncated record");

		unsigned kind = p[43];

		if (kind == ZS_TRACE_NATIVE_COMM) {
			if (get32(p) != st->nr_comms)
				return rec_error(t, st, err, "comm record out of sequence");
			if (st->nr_comms == st->cap_comms) {
				uint32_t cap = st->cap_comms ? st->cap_comms * 2 : 64;
				char(*c)[32] = realloc(st->comms, sizeof(*c) * cap);

				if (!c)
					return zs_error_set(err, EX_OSERR, "%s: out of memory",
							    zs_tin_path(t));
				st->comms = c;
				st->cap_comms = cap;
			}
			memcpy(st->comms[st->nr_comms], p + 8, 32);
			st->comms[st->nr_comms][31] = '\0';
			st->nr_comms++;
			zs_tin_consume(t, REC);
			continue;
		}
		uint32_t id = get32(p + 36);

		if (kind >= ZS_TEV_NR)
			return rec_error(t, st, err, "unknown event kind");
		if (p[42] >= ZS_TRACE_MAX_ORDER)
			return rec_error(t, st, err, "order out of range");
		if (id >= st->nr_comms)
			return rec_error(t, st, err, "comm id not defined");
		if (tally && kind > ZS_TEV_FREE_BATCHED) {
			zs_trace_tally_add(tally, (enum zs_trace_ev)kind, (int64_t)get64(p));
			st->records++;
			zs_tin_consume(t, REC);
			continue;
		}
		decode_event(p, ev);
		ev->implied_by = 0;
		ev->record = st->records + st->nr_comms + 1;
		memcpy(ev->comm, st->comms[id], sizeof(ev->comm));
		st->records++;
		zs_tin_consume(t, REC);
		return 1;
	}
}

void
zs_trace_native_end(struct zs_trace_native_state *st)
{
	free(st->comms);
	st->comms = NULL;
	st->nr_comms = st->cap_comms = 0;
}
