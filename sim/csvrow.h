/*
 * csvrow.h - a CSV row built in a buffer with a small integer formatter and
 * written with one fwrite, for rows written many times (ticks.csv): fprintf's
 * format parsing per field cost more than the simulation between ticks.
 *
 * The bytes are those of "%" PRIu64 / PRId64 / "%s"; the buffer is flushed
 * early when a field might not fit, so a row of any width is written whole.
 */
#ifndef ZS_CSVROW_H
#define ZS_CSVROW_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ZS_ROW_CAP 4096

struct zs_row {
	FILE *f;
	size_t n;
	char buf[ZS_ROW_CAP];
};

static inline void
zs_row_flush(struct zs_row *r)
{
	if (r->n)
		fwrite(r->buf, 1, r->n, r->f);
	r->n = 0;
}

/* Room for `len` more bytes (a field never exceeds ZS_ROW_CAP). */
static inline void
zs_row_room(struct zs_row *r, size_t len)
{
	if (r->n + len > ZS_ROW_CAP)
		zs_row_flush(r);
}

static inline void
zs_row_u64(struct zs_row *r, uint64_t v)
{
	char tmp[20];
	int i = 0;

	zs_row_room(r, sizeof(tmp));
	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		r->buf[r->n++] = tmp[--i];
}

static inline void
zs_row_i64(struct zs_row *r, int64_t v)
{
	if (v < 0) {
		zs_row_room(r, 1);
		r->buf[r->n++] = '-';
		zs_row_u64(r, (uint64_t)0 - (uint64_t)v);
		return;
	}
	zs_row_u64(r, (uint64_t)v);
}

/* A leading comma, then the field. */
static inline void
zs_row_cu64(struct zs_row *r, uint64_t v)
{
	zs_row_room(r, 1);
	r->buf[r->n++] = ',';
	zs_row_u64(r, v);
}

static inline void
zs_row_ci64(struct zs_row *r, int64_t v)
{
	zs_row_room(r, 1);
	r->buf[r->n++] = ',';
	zs_row_i64(r, v);
}

/* A string, written through when it does not fit the buffer. */
static inline void
zs_row_str(struct zs_row *r, const char *s)
{
	size_t len = strlen(s);

	zs_row_room(r, len);
	if (len > ZS_ROW_CAP) {
		fwrite(s, 1, len, r->f);
		return;
	}
	memcpy(r->buf + r->n, s, len);
	r->n += len;
}

#endif
