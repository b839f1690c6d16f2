/*
 * trace.h - recorded page-allocator traces: perf script text, ftrace / trace-cmd
 * report text, and zsim's native binary format.
 *
 * A trace is read as a stream, never loaded whole: plain, .xz and .gz files
 * (detected by their magic bytes) are decoded in fixed-size chunks and handed out
 * line by line.  The reader yields raw tracepoint events (zs_trace_read); the
 * cook (zs_trace_cook_next) turns them into page ALLOC / FREE events with the
 * quirks of real traces resolved:
 *   - modern kernels report a batched free twice (mm_page_free, then
 *     mm_page_free_batched for the same pfn): the page is freed once;
 *   - mm_page_alloc_zone_locked / mm_page_pcpu_drain are per-cpu refills and
 *     drains, counted but never allocations or frees;
 *   - a free of a pfn the trace never allocated (before recording began) is an
 *     unmatched free, counted and skipped;
 *   - an allocation of a pfn that is still live (the trace lost its free) is
 *     counted as realloc_live and returned as an implied FREE then the ALLOC;
 *   - an mm_page_alloc with pfn=0 and a NULL page failed on the recording machine:
 *     alloc_failed_in_trace, not an allocation.
 * Old event names (mm_page_free_direct, mm_pagevec_free) are aliases.  The pfn is
 * the page's identity; page= is a hashed pointer (or, from perf, the pfn again)
 * and is only looked at to recognise a failed allocation.
 *
 * Invariant of the cooked stream: a FREE is returned only for a pfn whose ALLOC
 * was returned and not yet freed, with that ALLOC's order; so, at the end,
 * sum(allocs_by_order) = sum(frees_by_order) + realloc_live + live_blocks.
 *
 * Native format (all integers little-endian):
 *   header, 64 bytes:
 *     0  char[8] magic "ZSTRACE\0"
 *     8  u32     version (1)
 *    12  u32     record size (48)
 *    16  u64     event records that follow; 0 = unknown (written to a pipe)
 *    24  u32     source format (enum zs_trace_format of the text it came from)
 *    28  u32     reserved, 0
 *    32  u64     lines of the source text (0 unknown)
 *    40  u8[24]  reserved, 0
 *   then 48-byte records:
 *     0  i64  time_ns        24  u64  line (in the source text)
 *     8  u64  pfn            32  u32  pid
 *    16  u64  gfp_modern     36  u32  comm id
 *    40  u16  cpu            43  u8   kind (enum zs_trace_ev, or 255 = comm record)
 *    42  u8   order          44  i8   migratetype (modern numbering, -1 unknown)
 *    45  u8   flags (ZS_TEVF_*)   46  u16 reserved, 0
 *   A comm record (kind 255) defines the next comm id before its first use:
 *   bytes 0..3 hold the id (u32, ids count up from 0) and bytes 8..39 the name,
 *   NUL-padded; it does not count as an event record.  Errors in a native trace
 *   name the 1-based record number (comm records included) where a text trace
 *   names the line.  Unused fields are 0; a reader rejects another version or
 *   record size rather than guess.
 *
 * Cooked native format, version 2 (what `zsim trace convert` writes unless told
 * --to native-raw): the same header, and 48-byte records holding what the cook
 * made of the raw events, so that a replay does not cook again.  Two kinds:
 *   page record (kind 0 ALLOC, 1 FREE): a page event the replay issues, in the
 *   version-1 layout, with
 *     36  u32  0 (no comm)
 *     45  u8   flags: ZS_PEF_IMPLIED (a FREE implied by an allocation of a live
 *              pfn), ZS_TRACE_COOKED_MISMATCH (a FREE whose recorded order
 *              differed), ZS_TRACE_COOKED_PENDING (the ALLOC after an implied
 *              FREE: the same raw event, counted with that FREE)
 *     46  u8   an implied FREE: the order of the allocation that implied it
 *     a FREE's order is the order of the block it frees, its gfp 0 and its
 *     migratetype -1;
 *   tally record (kind 2): raw events that gave no page record, since the record
 *   before:
 *      0  i64  first_ns, 8 i64 last_ns: the trace's first and last timestamps so far
 *     16  u32  mm_page_pcpu_drain, 20 u32 mm_page_alloc_zone_locked,
 *     24  u32  other events, 28 u32 allocations that failed when recorded,
 *     32  u32  unmatched frees, 36 u32 duplicate batched frees,
 *     40  u16  double frees
 *     43  u8   2
 *     44  u32  events: the seven counts summed (> 0)
 * The header's record count counts both kinds.  A cooked trace counts its raw
 * events as its lines, as a version-1 trace counts its records: both replay with
 * the same summary.  Its raw events themselves are gone, so it cannot be
 * converted back (--to csv, --to native-raw refuse it).
 */
#ifndef ZS_TRACE_H
#define ZS_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct zs_error;

enum zs_trace_format { ZS_TRACE_AUTO, ZS_TRACE_PERF, ZS_TRACE_FTRACE, ZS_TRACE_NATIVE };

enum zs_trace_ev {
	ZS_TEV_ALLOC,        /* mm_page_alloc */
	ZS_TEV_FREE,         /* mm_page_free, mm_page_free_direct */
	ZS_TEV_FREE_BATCHED, /* mm_page_free_batched, mm_pagevec_free */
	ZS_TEV_PCPU_DRAIN,   /* mm_page_pcpu_drain */
	ZS_TEV_ZONE_LOCKED,  /* mm_page_alloc_zone_locked */
	ZS_TEV_OTHER,        /* any other event: header fields only */
	ZS_TEV_NR
};
_Static_assert(ZS_TEV_ALLOC == 0 && ZS_TEV_FREE == 1 && ZS_TEV_FREE_BATCHED == 2,
	       "the page events come first: kind <= ZS_TEV_FREE_BATCHED tells them");

/* zs_trace_event.flags */
#define ZS_TEVF_PAGE_NULL 0x01u /* page= NULL, (nil) or absent: with pfn 0, a failed allocation */
/* a cooked trace's page record: zs_trace_event.flags are ZS_PEF_* and these */
#define ZS_TRACE_COOKED_MISMATCH 0x10u
#define ZS_TRACE_COOKED_PENDING 0x20u

/* One tracepoint line. */
struct zs_trace_event {
	enum zs_trace_ev ev;
	int64_t time_ns;
	uint64_t pfn;
	uint32_t pid;        /* the thread id the line names */
	uint16_t cpu;
	uint8_t order;
	int8_t migratetype;  /* modern numbering, -1 unknown */
	uint64_t gfp_modern; /* gfp_modern.h mask; class 0 when the line had no gfp_flags */
	uint64_t line;       /* 1-based line in the text trace */
	uint8_t flags;       /* ZS_TEVF_* (a cooked trace's: ZS_PEF_*, ZS_TRACE_COOKED_*) */
	uint8_t implied_by;  /* a cooked trace's implied FREE: the allocation's order */
	uint64_t record;     /* a native trace's 1-based record number (0 for text) */
	char comm[32];       /* "" when unknown (<...>); truncated to 31 bytes */
};

struct zs_trace_reader;

/*
 * Open a trace; fmt AUTO detects it from the magic bytes and the first lines.
 * skip_bad_lines: count malformed lines instead of failing on them.
 * NULL with err set (EX_NOINPUT when the file cannot be opened, EX_DATAERR when
 * it is not a trace).
 */
struct zs_trace_reader *zs_trace_open(const char *path, enum zs_trace_format fmt,
				      int skip_bad_lines, struct zs_error *err);
/* Next event: 1 = got one, 0 = end of trace, -1 = error ("PATH:LINE: what", EX_DATAERR). */
int zs_trace_read(struct zs_trace_reader *r, struct zs_trace_event *ev, struct zs_error *err);
/*
 * Events that are not page allocations or frees (zs_trace_read_pages() consumes
 * them without returning them): how many, of which kind, their time range.
 */
struct zs_trace_tally {
	uint64_t n, pcpu_drain, zone_locked, other;
	/* a cooked trace's, among the n: failed allocations, skipped frees */
	uint64_t alloc_failed, unmatched, duplicate, double_frees;
	int64_t min_ns, max_ns; /* valid when n > 0 */
};
/*
 * zs_trace_read() of the next ALLOC, FREE or FREE_BATCHED event; the events
 * before it are added to *t.  Same errors, at the same records and lines, as
 * reading every event would give.
 */
int zs_trace_read_pages(struct zs_trace_reader *r, struct zs_trace_event *ev,
			struct zs_trace_tally *t, struct zs_error *err);
static inline void
zs_trace_tally_add(struct zs_trace_tally *t, enum zs_trace_ev kind, int64_t time_ns)
{
	if (!t->n || time_ns < t->min_ns)
		t->min_ns = time_ns;
	if (!t->n || time_ns > t->max_ns)
		t->max_ns = time_ns;
	t->n++;
	t->pcpu_drain += kind == ZS_TEV_PCPU_DRAIN;
	t->zone_locked += kind == ZS_TEV_ZONE_LOCKED;
	t->other += kind != ZS_TEV_PCPU_DRAIN && kind != ZS_TEV_ZONE_LOCKED;
}
/* Is this a cooked native trace (version 2: page events, not raw ones)? */
int zs_trace_is_cooked(const struct zs_trace_reader *r);
/* zs_trace_read_pages() of a cooked trace (the cook's own path to its reader): its
 * page records in ev (flags ZS_PEF_* and ZS_TRACE_COOKED_*), its tallies added to *t. */
int zs_trace_read_cooked(struct zs_trace_reader *r, struct zs_trace_event *ev,
			 struct zs_trace_tally *t, struct zs_error *err);
/* The path the reader was opened with. */
const char *zs_trace_path(const struct zs_trace_reader *r);
/* Lines read so far (event records, for a native trace; raw events, for a cooked one). */
uint64_t zs_trace_lines(const struct zs_trace_reader *r);
/* Malformed lines skipped so far (only with skip_bad_lines). */
uint64_t zs_trace_bad_lines(const struct zs_trace_reader *r);
/* Events the tracer reported lost ("CPU:N [LOST M EVENTS]" lines). */
uint64_t zs_trace_lost_events(const struct zs_trace_reader *r);
/* The three counts above in one call (the cook takes them after every read). */
void zs_trace_counts_now(const struct zs_trace_reader *r, uint64_t *lines, uint64_t *bad_lines,
			 uint64_t *lost_events);
/* The format in use (never AUTO once open). */
enum zs_trace_format zs_trace_format_of(const struct zs_trace_reader *r);
/* Decoded bytes consumed so far (text bytes for a text trace). */
uint64_t zs_trace_bytes(const struct zs_trace_reader *r);
/* zs_tin_progress() of the reader's input. */
double zs_trace_progress(const struct zs_trace_reader *r);
void zs_trace_close(struct zs_trace_reader *r);

/* "perf", "ftrace", "native", "auto". */
const char *zs_trace_format_name(enum zs_trace_format f);
/* Parse a --format value; -1 when unknown. */
int zs_trace_format_parse(const char *s, enum zs_trace_format *out);
/* "mm_page_alloc", ...; "other" for ZS_TEV_OTHER. */
const char *zs_trace_ev_name(enum zs_trace_ev e);

/* ---- cooked page events ---- */

enum zs_page_ev { ZS_PEV_ALLOC, ZS_PEV_FREE };

/* zs_page_event.flags */
#define ZS_PEF_IMPLIED 0x01u   /* FREE implied by an allocation of a still-live pfn */
#define ZS_PEF_UNMATCHED 0x02u /* skipped: free of a pfn not allocated in the trace */
#define ZS_PEF_DUPLICATE 0x04u /* skipped: the batched report of a page already freed */
#define ZS_PEF_DOUBLE 0x08u    /* skipped: free of a pfn whose last event was a free */

struct zs_page_event {
	enum zs_page_ev ev;
	int64_t time_ns;
	uint64_t pfn;
	uint32_t pid;
	uint16_t cpu;
	uint8_t order;       /* for a FREE: the order of the block it frees */
	int8_t migratetype;  /* modern numbering, -1 unknown (always for FREE) */
	uint64_t gfp_modern; /* 0 for FREE */
	uint64_t line;
	uint8_t flags;       /* ZS_PEF_* */
};

struct zs_trace_cook;

/* Open path and cook it; NULL with err as zs_trace_open. */
struct zs_trace_cook *zs_trace_cook_open(const char *path, enum zs_trace_format fmt,
					 int skip_bad_lines, struct zs_error *err);
/* Cook an open reader; the cook owns it from now on.  NULL only when out of memory. */
struct zs_trace_cook *zs_trace_cook_new(struct zs_trace_reader *r);
/*
 * Next page event: 1 = got one, 0 = end, -1 = error.  Only matched, meaningful
 * events are returned: unmatched frees and duplicate batched frees are consumed
 * and counted (unless zs_trace_cook_emit_skipped() asked for them, flagged).
 */
int zs_trace_cook_next(struct zs_trace_cook *c, struct zs_page_event *pe, struct zs_error *err);
/* Also return skipped frees, flagged ZS_PEF_UNMATCHED / _DUPLICATE / _DOUBLE. */
void zs_trace_cook_emit_skipped(struct zs_trace_cook *c, int on);
/* The raw event behind the last page event returned (its comm, its gfp text class). */
const struct zs_trace_event *zs_trace_cook_raw(const struct zs_trace_cook *c);
/*
 * The cook's pfn table keeps, beside each live pfn, the index of the binding the
 * replay gave it: a zs_bind_keeper (alloc/pagemap.h) over the cook's pfns, whose
 * get() answers for the pfn of the last page event returned as it was before that
 * event (a FREE's pfn is no longer live in the table when the driver frees it).
 * Bindings up to 2^24 - 3 are kept; a larger index is left to the pagemap's own
 * index (ZS_BIND_UNKEPT).  Pfns must be below 2^48 (a binding key's handle).
 */
struct zs_bind_keeper;
const struct zs_bind_keeper *zs_trace_cook_keeper(struct zs_trace_cook *c);

struct zs_trace_counts {
	uint64_t lines, events, bad_lines;
	uint64_t allocs_by_order[16], frees_by_order[16]; /* matched frees only */
	uint64_t unmatched_frees;         /* pfn not allocated in the trace */
	uint64_t duplicate_batched_frees; /* mm_page_free_batched after mm_page_free */
	uint64_t double_frees;            /* a free right after a free of the same pfn */
	uint64_t realloc_live;            /* allocation of a live pfn: a free was lost */
	uint64_t free_order_mismatch;     /* free order differs from the allocation's */
	uint64_t alloc_failed_in_trace;
	uint64_t pcpu_drain, zone_locked, other_events, lost_events;
	uint64_t live_blocks, live_pages, peak_live_pages;
	int64_t first_ns, last_ns; /* first and last event timestamps; 0 before any */
};

const struct zs_trace_counts *zs_trace_cook_counts(const struct zs_trace_cook *c);
/* The reader underneath (for its format and line counts). */
const struct zs_trace_reader *zs_trace_cook_reader(const struct zs_trace_cook *c);
void zs_trace_cook_close(struct zs_trace_cook *c);

/* ---- native format writer ---- */

#define ZS_TRACE_NATIVE_MAGIC "ZSTRACE"
#define ZS_TRACE_NATIVE_VERSION 1u
#define ZS_TRACE_NATIVE_COOKED 2u /* the cooked format's version */
#define ZS_TRACE_COOKED_TALLY 2u  /* a cooked trace's tally record kind */
#define ZS_TRACE_NATIVE_HEADER 64u
#define ZS_TRACE_NATIVE_RECORD 48u
#define ZS_TRACE_NATIVE_COMM 255u

struct zs_trace_writer;

/* Start a native trace on fp (name for messages); NULL with err (EX_IOERR) on failure. */
struct zs_trace_writer *zs_trace_native_create(FILE *fp, const char *name,
					       enum zs_trace_format source,
					       struct zs_error *err);
/* Append one event; 0 or -1 with err (EX_IOERR). */
int zs_trace_native_put(struct zs_trace_writer *w, const struct zs_trace_event *ev,
			struct zs_error *err);
/* Start a cooked native trace (version 2) on fp; as zs_trace_native_create. */
struct zs_trace_writer *zs_trace_native_create_cooked(FILE *fp, const char *name,
						      enum zs_trace_format source,
						      struct zs_error *err);
/* Append a cooked page record (flags as the format says, implied_by for an implied
 * FREE); 0 or -1 with err. */
int zs_trace_native_put_page(struct zs_trace_writer *w, const struct zs_page_event *pe,
			     unsigned flags, unsigned implied_by, struct zs_error *err);
/* Append tally records for these raw events (split as the u32 fields need); first_ns
 * and last_ns are the trace's so far.  0 or -1 with err. */
int zs_trace_native_put_tally(struct zs_trace_writer *w, const struct zs_trace_tally *t,
			      int64_t first_ns, int64_t last_ns, struct zs_error *err);
/*
 * trace_cooked.c: cook c to its end into w (a cooked writer): every page event it
 * returns, and tallies of the rest, such that cooking w's trace gives the same
 * events, and the same counts after each (lines counting raw events).  Skipped
 * frees are kept as counts only: a cooked trace gives none to
 * zs_trace_cook_emit_skipped().  The cook is left at its end.  0 or -1 with err.
 */
int zs_trace_cook_to_native(struct zs_trace_cook *c, struct zs_trace_writer *w,
			    struct zs_error *err);
/*
 * Flush, write the event count into the header when fp is seekable, and free w
 * (fp stays open: the caller closes and checks it).  0 or -1 with err.
 */
int zs_trace_native_finish(struct zs_trace_writer *w, uint64_t source_lines,
			   struct zs_error *err);
/* Free w without finishing (after an error). */
void zs_trace_native_abort(struct zs_trace_writer *w);

/* ---- internals shared by the trace_*.c files (and their tests) ---- */

/* Result of parsing one text line. */
enum zs_tline_rc {
	ZS_TLINE_BAD = -1,  /* malformed: why[] says what is wrong */
	ZS_TLINE_SKIP = 0,  /* blank line, comment or header */
	ZS_TLINE_EVENT = 1, /* ev filled */
	ZS_TLINE_LOST = 2,  /* "CPU:N [LOST M EVENTS]": ev->pfn = M */
};

#define ZS_TRACE_WHY_LEN 160
#define ZS_TRACE_MAX_ORDER 16 /* orders >= this are malformed lines */

/* Memo of recently parsed gfp_flags strings (owned by a reader; may be NULL). */
struct zs_gfp_memo {
	struct {
		uint64_t mask;
		uint32_t len;
		char text[120];
	} slot[8];
	unsigned next;
};

/*
 * The shared tokenizer (trace_line.c): parse one line of format fmt (PERF or
 * FTRACE; len bytes, no newline).  ev->line is left alone.  why receives the
 * reason when ZS_TLINE_BAD is returned.
 */
enum zs_tline_rc zs_trace_parse_line(enum zs_trace_format fmt, const char *line, size_t len,
				     struct zs_trace_event *ev, struct zs_gfp_memo *memo,
				     char why[ZS_TRACE_WHY_LEN]);

/* trace_perf.c: score (0..100) how much the text looks like perf script output. */
int zs_trace_perf_probe(const char *buf, size_t len);
/* trace_perf.c: split "COMM PID" (the text before "[CPU]"); 0 or -1 with why. */
int zs_trace_perf_task(const char *s, size_t len, struct zs_trace_event *ev,
		       char why[ZS_TRACE_WHY_LEN]);
/* trace_ftrace.c: score (0..100) how much the text looks like ftrace / trace-cmd report. */
int zs_trace_ftrace_probe(const char *buf, size_t len);
/* trace_ftrace.c: split "COMM-PID [(TGID)]"; 0 or -1 with why. */
int zs_trace_ftrace_task(const char *s, size_t len, struct zs_trace_event *ev,
			 char why[ZS_TRACE_WHY_LEN]);
/* trace_ftrace.c: is this a header/comment line (SKIP) or a lost-events line (LOST)?
 * Returns ZS_TLINE_EVENT when it is neither. */
enum zs_tline_rc zs_trace_ftrace_special(const char *line, size_t len, uint64_t *lost);

/* trace_input.c: the decoded byte stream of a plain, .xz or .gz file. */
struct zs_tin;
struct zs_tin *zs_tin_open(const char *path, struct zs_error *err);
/* Next line without its "\n" (and "\r"): 1, 0 at end, -1 with err.  Valid until the next call. */
int zs_tin_getline(struct zs_tin *t, const char **line, size_t *len, struct zs_error *err);
/* Make at least want bytes available (fewer only at end); returns how many, or -1 with err. */
long zs_tin_fill(struct zs_tin *t, size_t want, struct zs_error *err);
/* zs_tin_fill(t, want) then zs_tin_data() in one call: *avail as fill returns (-1: err). */
const unsigned char *zs_tin_peek(struct zs_tin *t, size_t want, long *avail, struct zs_error *err);
/* The available bytes (after zs_tin_fill). */
const unsigned char *zs_tin_data(const struct zs_tin *t, size_t *avail);
/* Mark n available bytes used. */
void zs_tin_consume(struct zs_tin *t, size_t n);
/* Lines handed out so far. */
uint64_t zs_tin_lineno(const struct zs_tin *t);
/* Decoded bytes consumed so far. */
uint64_t zs_tin_offset(const struct zs_tin *t);
/* Share of the file read so far (compressed bytes for .xz / .gz), or -1 when the
 * size is unknown (a pipe, a special file). */
double zs_tin_progress(const struct zs_tin *t);
const char *zs_tin_path(const struct zs_tin *t);
void zs_tin_close(struct zs_tin *t);

/* trace_native.c: does the data start with the native magic? */
int zs_trace_native_probe(const unsigned char *buf, size_t len);
/* trace_native.c: state of a native reader (embedded in the reader). */
struct zs_trace_native_state {
	uint64_t expected; /* records the header announces, 0 unknown */
	uint64_t records;  /* event records read (a cooked trace: raw events they stand for) */
	uint64_t file_records; /* a cooked trace: its records read */
	int cooked;        /* version 2 */
	/* a cooked trace: the implied FREE just read, whose ALLOC must come next */
	int want_pending;
	uint8_t pending_order;
	uint64_t pending_pfn;
	uint64_t source_lines;
	char (*comms)[32];
	uint32_t nr_comms, cap_comms;
};
/* Read and check the header; 0 or -1 with err. */
int zs_trace_native_begin(struct zs_tin *t, struct zs_trace_native_state *st,
			  struct zs_error *err);
/* Next event record: 1, 0 at end, -1 with err ("PATH:RECORD: what").  With a
 * tally, records that are not page events are checked, tallied and skipped. */
int zs_trace_native_next(struct zs_tin *t, struct zs_trace_native_state *st,
			 struct zs_trace_event *ev, struct zs_trace_tally *tally,
			 struct zs_error *err);
/* zs_trace_native_next() of a cooked trace (st->cooked), with its tally. */
int zs_trace_native_next_cooked(struct zs_tin *t, struct zs_trace_native_state *st,
				struct zs_trace_event *ev, struct zs_trace_tally *tally,
				struct zs_error *err);
void zs_trace_native_end(struct zs_trace_native_state *st);

#endif
