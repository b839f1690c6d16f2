/* trace_input.c - streaming trace input (plain, .xz, .gz) and the reader behind zs_trace_open; see trace.h. */
#include "workloads/trace.h"

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/diag.h"

/* ==================== the decoded byte stream ==================== */

/*
 * Decoded bytes live in buf[start, end).  The buffer is a fixed 1 MiB window
 * that only grows when one line does not fit in it, so memory stays bounded by
 * the longest line, never by the trace.
 */
#define TIN_BUF (1u << 20)
#define TIN_IN (256u << 10)
#define TIN_MAX_LINE (64u << 20)
_Static_assert(TIN_IN <= TIN_BUF, "zs_tin_open copies the first read into the window");

enum tin_kind { TIN_PLAIN, TIN_XZ, TIN_GZ };

struct zs_tin {
	int fd;
	enum tin_kind kind;
	char *path;
	/* compressed input (XZ, GZ) */
	unsigned char *in;
	size_t in_len;
	int in_eof;
	lzma_stream xz;
	z_stream gz;
	int dec_live; /* decoder initialised */
	/* decoded window */
	char *buf;
	size_t cap, start, end;
	int eof; /* no more decoded bytes will come */
	uint64_t lineno;
	uint64_t consumed; /* decoded bytes before buf[start] */
	uint64_t file_size; /* st_size of a regular file, else 0 (progress unknown) */
	uint64_t raw_read;  /* bytes read(2) from the file so far */
};

static int
tin_error(struct zs_tin *t, struct zs_error *err, int code, const char *what)
{
	return zs_error_set(err, code, "%s: %s", t->path, what);
}

/* read(2) that retries on EINTR; returns bytes, 0 at end, -1 with err. */
static ssize_t
read_some(struct zs_tin *t, void *p, size_t n, struct zs_error *err)
{
	for (;;) {
		ssize_t r = read(t->fd, p, n);

		if (r >= 0) {
			t->raw_read += (uint64_t)r;
			return r;
		}
		if (errno != EINTR) {
			zs_error_set(err, EX_IOERR, "%s: %s", t->path, strerror(errno));
			return -1;
		}
	}
}

/* Refill the compressed input buffer when it is empty; -1 with err. */
static int
refill_in(struct zs_tin *t, const unsigned char **next, size_t *avail, struct zs_error *err)
{
	ssize_t r;

	if (*avail > 0 || t->in_eof)
		return 0;
	r = read_some(t, t->in, TIN_IN, err);
	if (r < 0)
		return -1;
	if (r == 0)
		t->in_eof = 1;
	*next = t->in;
	*avail = (size_t)r;
	return 0;
}

/* Decode more bytes into buf[end, cap); sets eof at the end of the stream; -1 with err. */
static int
produce(struct zs_tin *t, struct zs_error *err)
{
	size_t room = t->cap - t->end;

	if (t->kind == TIN_PLAIN) {
		ssize_t r = read_some(t, t->buf + t->end, room, err);

		if (r < 0)
			return -1;
		if (r == 0)
			t->eof = 1;
		t->end += (size_t)r;
		return 0;
	}
	if (t->kind == TIN_XZ) {
		lzma_stream *s = &t->xz;

		s->next_out = (uint8_t *)t->buf + t->end;
		s->avail_out = room;
		while (s->avail_out == room) {
			if (refill_in(t, &s->next_in, &s->avail_in, err) < 0)
				return -1;
			lzma_ret ret = lzma_code(s, t->in_eof && s->avail_in == 0 ? LZMA_FINISH
										   : LZMA_RUN);
			if (ret == LZMA_STREAM_END) {
				t->eof = 1;
				break;
			}
			if (ret == LZMA_MEM_ERROR)
				return tin_error(t, err, EX_OSERR, "xz: out of memory");
			if (ret != LZMA_OK)
				return tin_error(t, err, EX_DATAERR,
						 ret == LZMA_BUF_ERROR ? "xz: truncated file"
								       : "xz: corrupt data");
		}
		t->end = t->cap - s->avail_out;
		return 0;
	}
	/* TIN_GZ */
	z_stream *z = &t->gz;

	z->next_out = (Bytef *)t->buf + t->end;
	z->avail_out = (uInt)room;
	while (z->avail_out == room) {
		const unsigned char *next = z->next_in;
		size_t avail = z->avail_in;

		if (refill_in(t, &next, &avail, err) < 0)
			return -1;
		z->next_in = (Bytef *)next;
		z->avail_in = (uInt)avail;
		int ret = inflate(z, Z_NO_FLUSH);

		if (ret == Z_BUF_ERROR && z->avail_in == 0 && t->in_eof)
			return tin_error(t, err, EX_DATAERR, "gzip: truncated file");

		if (ret == Z_STREAM_END) {
			/* gzip allows concatenated members (cat a.gz b.gz): carry on when
			 * more input follows, stop at the end of the file. */
			next = z->next_in;
			avail = z->avail_in;
			if (refill_in(t, &next, &avail, err) < 0)
				return -1;
			z->next_in = (Bytef *)next;
			z->avail_in = (uInt)avail;
			if (avail == 0) {
				t->eof = 1;
				break;
			}
			if (inflateReset(z) != Z_OK)
				return tin_error(t, err, EX_DATAERR, "gzip: corrupt data");
			continue;
		}
		if (ret == Z_MEM_ERROR)
			return tin_error(t, err, EX_OSERR, "gzip: out of memory");
		if (ret != Z_OK && ret != Z_BUF_ERROR)
			return tin_error(t, err, EX_DATAERR, "gzip: corrupt data");
	}
	t->end = t->cap - z->avail_out;
	return 0;
}

/* Move the unread bytes to the front of the window. */
static void
compact(struct zs_tin *t)
{
	if (t->start > 0) {
		memmove(t->buf, t->buf + t->start, t->end - t->start);
		t->end -= t->start;
		t->consumed += t->start;
		t->start = 0;
	}
}

/* Grow the window to at least want bytes (a rare, very long line); -1 with err. */
static int
grow(struct zs_tin *t, size_t want, struct zs_error *err)
{
	size_t cap = t->cap;
	char *nb;

	while (cap < want)
		cap *= 2;
	if (cap > TIN_MAX_LINE)
		return zs_error_set(err, EX_DATAERR, "%s:%llu: line longer than %u bytes", t->path,
				    (unsigned long long)t->lineno + 1, TIN_MAX_LINE);
	nb = realloc(t->buf, cap);
	if (!nb)
		return tin_error(t, err, EX_OSERR, "out of memory");
	t->buf = nb;
	t->cap = cap;
	return 0;
}

struct zs_tin *
zs_tin_open(const char *path, struct zs_error *err)
{
	static const unsigned char xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
	struct zs_tin *t = calloc(1, sizeof(*t));
	ssize_t n = 0, r;

	if (!t) {
		zs_error_set(err, EX_OSERR, "%s: out of memory", path);
		return NULL;
	}
	t->fd = -1;
	t->path = strdup(path);
	t->in = malloc(TIN_IN);
	t->buf = malloc(TIN_BUF);
	t->cap = TIN_BUF;
	if (!t->path || !t->in || !t->buf) {
		zs_error_set(err, EX_OSERR, "%s: out of memory", path);
		goto fail;
	}
	t->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t->fd < 0) {
		zs_error_set(err, EX_NOINPUT, "cannot open %s: %s", path, strerror(errno));
		goto fail;
	}
	/* a directory opens; its first read fails with EISDIR, which is missing input (66) */
	struct stat st;
	if (fstat(t->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			zs_error_set(err, EX_NOINPUT, "cannot open %s: %s", path, strerror(EISDIR));
			goto fail;
		}
		if (S_ISREG(st.st_mode) && st.st_size > 0)
			t->file_size = (uint64_t)st.st_size;
	}
	/* Read enough to see the magic; a short read is not the end of the file. */
	while (n < 6) {
		r = read_some(t, t->in + n, TIN_IN - (size_t)n, err);
		if (r < 0)
			goto fail;
		if (r == 0) {
			t->in_eof = 1;
			break;
		}
		n += r;
	}
	t->in_len = (size_t)n;
	if (n >= 6 && memcmp(t->in, xz_magic, 6) == 0) {
		lzma_stream init = LZMA_STREAM_INIT;

		t->kind = TIN_XZ;
		t->xz = init;
		/* CONCATENATED: `xz -c a b > c` style multi-stream files decode whole. */
		if (lzma_stream_decoder(&t->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
			zs_error_set(err, EX_OSERR, "%s: cannot start the xz decoder", path);
			goto fail;
		}
		t->dec_live = 1;
		t->xz.next_in = t->in;
		t->xz.avail_in = t->in_len;
	} else if (n >= 2 && t->in[0] == 0x1f && t->in[1] == 0x8b) {
		t->kind = TIN_GZ;
		/* 15 + 16: gzip wrapper only, maximum window. */
		if (inflateInit2(&t->gz, 15 + 16) != Z_OK) {
			zs_error_set(err, EX_OSERR, "%s: cannot start the gzip decoder", path);
			goto fail;
		}
		t->dec_live = 1;
		t->gz.next_in = t->in;
		t->gz.avail_in = (uInt)t->in_len;
	} else {
		t->kind = TIN_PLAIN;
		memcpy(t->buf, t->in, t->in_len);
		t->end = t->in_len;
		if (t->in_eof)
			t->eof = 1;
	}
	return t;
fail:
	zs_tin_close(t);
	return NULL;
}

int
zs_tin_getline(struct zs_tin *t, const char **line, size_t *len, struct zs_error *err)
{
	size_t scanned = 0; /* bytes of the current line already searched for '\n' */

	for (;;) {
		char *s = t->buf + t->start;
		size_t avail = t->end - t->start;
		char *nl = memchr(s + scanned, '\n', avail - scanned);
		size_t n;

		if (nl) {
			n = (size_t)(nl - s);
			t->start += n + 1;
		} else if (t->eof) {
			if (avail == 0)
				return 0;
			/* the last line has no newline */
			n = avail;
			t->start += n;
		} else {
			scanned = avail;
			compact(t);
			if (t->end == t->cap && grow(t, t->cap * 2, err) < 0)
				return -1;
			if (produce(t, err) < 0)
				return -1;
			continue;
		}
		if (n > 0 && s[n - 1] == '\r')
			n--;
		t->lineno++;
		*line = s;
		*len = n;
		return 1;
	}
}

long
zs_tin_fill(struct zs_tin *t, size_t want, struct zs_error *err)
{
	while (t->end - t->start < want && !t->eof) {
		if (t->cap - t->start < want) {
			compact(t);
			if (t->cap < want && grow(t, want, err) < 0)
				return -1;
		}
		if (produce(t, err) < 0)
			return -1;
	}
	return (long)(t->end - t->start);
}

const unsigned char *
zs_tin_peek(struct zs_tin *t, size_t want, long *avail, struct zs_error *err)
{
	/* the common case first: a record already decoded, no call to fill */
	if (t->end - t->start < want)
		*avail = zs_tin_fill(t, want, err);
	else
		*avail = (long)(t->end - t->start);
	return (const unsigned char *)t->buf + t->start;
}

const unsigned char *
zs_tin_data(const struct zs_tin *t, size_t *avail)
{
	*avail = t->end - t->start;
	return (const unsigned char *)t->buf + t->start;
}

void
zs_tin_consume(struct zs_tin *t, size_t n)
{
	t->start += n;
}

uint64_t
zs_tin_lineno(const struct zs_tin *t)
{
	return t->lineno;
}

uint64_t
zs_tin_offset(const struct zs_tin *t)
{
	return t->consumed + t->start;
}

double
zs_tin_progress(const struct zs_tin *t)
{
	uint64_t used;

	if (!t->file_size)
		return -1.0;
	if (t->kind == TIN_PLAIN) {
		used = zs_tin_offset(t);
	} else {
		/* compressed: the input bytes the decoder has taken */
		size_t left = t->kind == TIN_XZ ? t->xz.avail_in : t->gz.avail_in;

		used = t->raw_read - (left < t->raw_read ? left : t->raw_read);
	}
	return used >= t->file_size ? 1.0 : (double)used / (double)t->file_size;
}

const char *
zs_tin_path(const struct zs_tin *t)
{
	return t->path;
}

void
zs_tin_close(struct zs_tin *t)
{
	if (!t)
		return;
	if (t->dec_live && t->kind == TIN_XZ)
		lzma_end(&t->xz);
	if (t->dec_live && t->kind == TIN_GZ)
		inflateEnd(&t->gz);
	if (t->fd >= 0)
		close(t->fd);
	free(t->buf);
	free(t->in);
	free(t->path);
	free(t);
}

/* ==================== the reader: lines or records -> events ==================== */

#define PROBE_BYTES (64u << 10)

struct zs_trace_reader {
	struct zs_tin *in;
	enum zs_trace_format fmt;
	int skip_bad;
	uint64_t bad_lines, lost;
	struct zs_trace_native_state native;
	struct zs_gfp_memo memo;
};

const char *
zs_trace_format_name(enum zs_trace_format f)
{
	switch (f) {
	case ZS_TRACE_PERF:
		return "perf";
	case ZS_TRACE_FTRACE:
		return "ftrace";
	case ZS_TRACE_NATIVE:
		return "native";
	default:
		return "auto";
	}
}

int
zs_trace_format_parse(const char *s, enum zs_trace_format *out)
{
	static const struct {
		const char *name;
		enum zs_trace_format f;
	} tab[] = {
		{ "auto", ZS_TRACE_AUTO },     { "perf", ZS_TRACE_PERF },
		{ "ftrace", ZS_TRACE_FTRACE }, { "trace-cmd", ZS_TRACE_FTRACE },
		{ "native", ZS_TRACE_NATIVE },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(s, tab[i].name) == 0) {
			*out = tab[i].f;
			return 0;
		}
	}
	return -1;
}

/* Decide the format from the first bytes; -1 with err when nothing fits. */
static int
detect(struct zs_trace_reader *r, struct zs_error *err)
{
	size_t avail;
	const unsigned char *p;
	int perf, ftrace;

	if (zs_tin_fill(r->in, PROBE_BYTES, err) < 0)
		return -1;
	p = zs_tin_data(r->in, &avail);
	if (zs_trace_native_probe(p, avail)) {
		r->fmt = ZS_TRACE_NATIVE;
		return 0;
	}
	perf = zs_trace_perf_probe((const char *)p, avail);
	ftrace = zs_trace_ftrace_probe((const char *)p, avail);
	if (perf == 0 && ftrace == 0)
		return zs_error_set(err, EX_DATAERR,
				    "%s: not a perf script, ftrace or zsim native trace "
				    "(use --format to say which)",
				    zs_tin_path(r->in));
	r->fmt = perf > ftrace ? ZS_TRACE_PERF : ZS_TRACE_FTRACE;
	return 0;
}

struct zs_trace_reader *
zs_trace_open(const char *path, enum zs_trace_format fmt, int skip_bad_lines,
	      struct zs_error *err)
{
	struct zs_trace_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		zs_error_set(err, EX_OSERR, "%s: out of memory", path);
		return NULL;
	}
	r->skip_bad = skip_bad_lines;
	r->fmt = fmt;
	r->in = zs_tin_open(path, err);
	if (!r->in)
		goto fail;
	if (fmt == ZS_TRACE_AUTO && detect(r, err) < 0)
		goto fail;
	if (r->fmt == ZS_TRACE_NATIVE && zs_trace_native_begin(r->in, &r->native, err) < 0)
		goto fail;
	return r;
fail:
	zs_trace_close(r);
	return NULL;
}

/* zs_trace_read() of a text trace: lines until one is an event (not inlined: its
 * line buffer would give the native path a frame too). */
static __attribute__((noinline)) int
read_text(struct zs_trace_reader *r, struct zs_trace_event *ev, struct zs_error *err)
{
	char why[ZS_TRACE_WHY_LEN];
	const char *line;
	size_t len;

	for (;;) {
		int rc = zs_tin_getline(r->in, &line, &len, err);

		if (rc <= 0)
			return rc;
		switch (zs_trace_parse_line(r->fmt, line, len, ev, &r->memo, why)) {
		case ZS_TLINE_EVENT:
			ev->line = zs_tin_lineno(r->in);
			ev->record = 0;
			ev->implied_by = 0;
			return 1;
		case ZS_TLINE_SKIP:
			break;
		case ZS_TLINE_LOST:
			r->lost += ev->pfn;
			break;
		case ZS_TLINE_BAD:
			if (!r->skip_bad)
				return zs_error_set(err, EX_DATAERR, "%s:%llu: %s",
						    zs_tin_path(r->in),
						    (unsigned long long)zs_tin_lineno(r->in), why);
			r->bad_lines++;
			break;
		}
	}
}

int
zs_trace_read(struct zs_trace_reader *r, struct zs_trace_event *ev, struct zs_error *err)
{
	/* a native record needs no line buffer: a tail call, no frame of its own */
	if (r->fmt == ZS_TRACE_NATIVE)
		return zs_trace_native_next(r->in, &r->native, ev, NULL, err);
	return read_text(r, ev, err);
}

int
zs_trace_read_pages(struct zs_trace_reader *r, struct zs_trace_event *ev,
		    struct zs_trace_tally *t, struct zs_error *err)
{
	if (r->fmt == ZS_TRACE_NATIVE)
		return zs_trace_native_next(r->in, &r->native, ev, t, err);
	for (;;) {
		int rc = read_text(r, ev, err);

		if (rc <= 0 || ev->ev <= ZS_TEV_FREE_BATCHED)
			return rc;
		zs_trace_tally_add(t, ev->ev, ev->time_ns);
	}
}

int
zs_trace_read_cooked(struct zs_trace_reader *r, struct zs_trace_event *ev,
		     struct zs_trace_tally *t, struct zs_error *err)
{
	return zs_trace_native_next_cooked(r->in, &r->native, ev, t, err);
}

void
zs_trace_counts_now(const struct zs_trace_reader *r, uint64_t *lines, uint64_t *bad_lines,
		    uint64_t *lost_events)
{
	*lines = zs_trace_lines(r);
	*bad_lines = r->bad_lines;
	*lost_events = r->lost;
}

uint64_t
zs_trace_lines(const struct zs_trace_reader *r)
{
	return r->fmt == ZS_TRACE_NATIVE ? r->native.records : zs_tin_lineno(r->in);
}

int
zs_trace_is_cooked(const struct zs_trace_reader *r)
{
	return r->fmt == ZS_TRACE_NATIVE && r->native.cooked;
}

const char *
zs_trace_path(const struct zs_trace_reader *r)
{
	return zs_tin_path(r->in);
}

uint64_t
zs_trace_bad_lines(const struct zs_trace_reader *r)
{
	return r->bad_lines;
}

uint64_t
zs_trace_lost_events(const struct zs_trace_reader *r)
{
	return r->lost;
}

enum zs_trace_format
zs_trace_format_of(const struct zs_trace_reader *r)
{
	return r->fmt;
}

uint64_t
zs_trace_bytes(const struct zs_trace_reader *r)
{
	return zs_tin_offset(r->in);
}

double
zs_trace_progress(const struct zs_trace_reader *r)
{
	return zs_tin_progress(r->in);
}

void
zs_trace_close(struct zs_trace_reader *r)
{
	if (!r)
		return;
	zs_trace_native_end(&r->native);
	zs_tin_close(r->in);
	free(r);
}
